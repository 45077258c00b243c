#!/usr/bin/env bash
# Compiles the whole monorepo (every app, lib and script) in one type-checked pass into dist/, then the web
# console (type-checked on its own, browser code) into dist/console, which the gateway serves.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist
npx tsc -p tsconfig.build.json
npx tsc-alias -p tsconfig.build.json
# The `kv` bin of package.json: tsc keeps its shebang but not an executable mode.
chmod +x dist/apps/cli/src/kv.js
npx tsc -p apps/console/tsconfig.json
npx vite build --config apps/console/vite.config.mjs --logLevel warn
node dist/scripts/console-size.js
