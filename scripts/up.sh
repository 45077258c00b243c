#!/usr/bin/env bash
# The first README command: install, build, databases, migrations, all four processes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-runtime.sh
bash scripts/install.sh
echo "[build] compiling"
bash scripts/build.sh
exec node dist/scripts/local-platform.js "$@"
