#!/usr/bin/env bash
# Installs dependencies from the lock file unless node_modules already matches it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[install] npm ci"
  npm ci --no-audit --no-fund
fi
