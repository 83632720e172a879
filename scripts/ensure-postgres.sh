#!/usr/bin/env bash
# Store tests run against a real, throwaway PostgreSQL server (test/support/postgres.ts starts its
# own cluster in a temp folder; Debian's default cluster service is never used).
# Installs the server binaries from Debian's packages when missing; needs root (or sudo) and Debian's mirror.
set -euo pipefail

# Prints the first folder holding both initdb and postgres: Debian keeps them out of PATH,
# under /usr/lib/postgresql/<major>/bin, so look there first (newest major first), then on PATH.
find_server_bin() {
  local dir
  # printf keeps the unmatched glob as a literal, which the -x test then skips; sort -V puts 16 above 9.
  while IFS= read -r dir; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return 0; fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  local initdb postgres
  initdb="$(command -v initdb || true)"
  postgres="$(command -v postgres || true)"
  if [ -n "$initdb" ] && [ -n "$postgres" ]; then dirname "$initdb"; return 0; fi
  return 1
}

if find_server_bin >/dev/null; then exit 0; fi

echo "Installing PostgreSQL from Debian's packages for the store tests…"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# The package may create and start Debian's default cluster (port 5432); the tests don't use it.
# env passes DEBIAN_FRONTEND through sudo, which otherwise resets the environment.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
BIN="$(find_server_bin)" || { echo "PostgreSQL installed, but no initdb/postgres found" >&2; exit 1; }
"$BIN/postgres" --version
