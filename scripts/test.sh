#!/usr/bin/env bash
# The second README command: installs if needed, builds (type-checks everything), then runs every test
# tier against the real Postgres and RabbitMQ: unit, in-process gateway and integration in parallel, then
# end-to-end, then the web console in a browser, then the end-to-end tests of faults with the other queue type (KV_RABBITMQ_QUEUE_TYPE).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
bash scripts/install.sh || exit 1
echo "[test] build"
bash scripts/build.sh || exit 1
echo "[test] type-check tests"
npx tsc -p tsconfig.json --noEmit || exit 1
echo "[test] lint and format check"
npm run -s lint || exit 1

results=$(mktemp -d)
status=0
echo "[test] unit, in-process gateway and integration"
npx jest --ci --selectProjects unit gateway-app integration --json --outputFile="$results/fast.json" "$@" || status=1
echo "[test] end-to-end (real processes, Postgres and RabbitMQ)"
npx jest --ci --selectProjects e2e --runInBand --json --outputFile="$results/e2e.json" "$@" || status=1
echo "[test] web console in Chromium (/usr/bin/chromium, on a platform of its own)"
npx jest --ci --selectProjects browser --runInBand --json --outputFile="$results/browser.json" "$@" || status=1
# The broker-outage and rolling-update tests again with every durable queue of the other type (quorum after a
# classic run, classic after a quorum one), so that each run proves both in about a minute more.
if [ "${KV_RABBITMQ_QUEUE_TYPE:-classic}" = quorum ]; then other=classic; else other=quorum; fi
echo "[test] end-to-end, broker outage and rolling updates with $other queues"
KV_RABBITMQ_QUEUE_TYPE=$other KV_RABBITMQ_REQUEST_QUEUE_TYPE=$other npx jest --ci --selectProjects e2e --runInBand \
  --testPathPatterns 'test/(nothing-lost|graceful-shutdown)\.e2e' --json --outputFile="$results/e2e-$other.json" "$@" || status=1

# One closing line that any CI reads: "N passed, N failed".
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) { failed++; continue; }
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results/fast.json" "$results/e2e.json" "$results/browser.json" "$results/e2e-$other.json"
exit $status
