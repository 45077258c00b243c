#!/usr/bin/env bash
# Installs dependencies from the lock file unless node_modules already matches it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install --no-save` installs exactly what the lock file pins. `npm ci` would be the usual
  # choice, but npm 11 rejects this lock file for lacking other platforms' optional native bindings.
  echo "[install] npm install (from package-lock.json)"
  npm install --no-save --no-audit --no-fund
fi
