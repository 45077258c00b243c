# Sourced by the README's two commands (scripts/up.sh, scripts/test.sh): the platform runs on Node.js 22,
# the supported LTS. When the machine's Node is older, a Node 22 binary comes from the npm registry (the
# node-linux-<arch> package carries one and runs no install script), kept in the user's cache, and is
# put first on PATH, so that npm, tsc, jest and every process the commands start use it.
KV_NODE_VERSION=22.23.5

kv_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$kv_node_major" -lt 22 ]; then
  case "$(uname -m)" in
    x86_64) kv_node_arch=x64 ;;
    aarch64 | arm64) kv_node_arch=arm64 ;;
    *) echo "[node] Node.js 22 is needed and no binary package exists for $(uname -m): install it yourself" >&2; exit 1 ;;
  esac
  kv_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/kv-service/node-v$KV_NODE_VERSION-linux-$kv_node_arch"
  if [ ! -x "$kv_node_dir/bin/node" ]; then
    echo "[node] Node.js $(node --version 2>/dev/null || echo '(none)') is older than 22: fetching node-linux-$kv_node_arch@$KV_NODE_VERSION from the npm registry"
    kv_node_tmp=$(mktemp -d)
    (cd "$kv_node_tmp" && npm pack --silent --no-audit --no-fund "node-linux-$kv_node_arch@$KV_NODE_VERSION" >/dev/null) || exit 1
    mkdir -p "$kv_node_dir"
    tar xzf "$kv_node_tmp"/*.tgz -C "$kv_node_dir" --strip-components=1 package/bin/node package/LICENSE || exit 1
    rm -rf "$kv_node_tmp"
  fi
  export PATH="$kv_node_dir/bin:$PATH"
fi
echo "[node] using Node.js $(node --version)"
