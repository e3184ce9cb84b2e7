#!/usr/bin/env bash
# Prints the path of a Node 22 binary for the PostGraphile benchmark server (PostGraphile 5 needs
# Node >= 22; the service stays on the project's Node 20). The binary comes from the npm package
# `node`, installed into its own prefix under bench/.data/: inside the project's node_modules it
# would become node_modules/.bin/node and shadow Node 20 for every npm script.
set -euo pipefail

readonly NODE22_VERSION=22.23.3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly prefix="$root/bench/.data/node22"
readonly binary="$prefix/node_modules/node/bin/node"

if [[ ! -x "$binary" || "$("$binary" --version 2>/dev/null)" != "v$NODE22_VERSION" ]]; then
  echo "ensure-node22: installing node@$NODE22_VERSION into $prefix..." >&2
  mkdir -p "$prefix"
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  # Quiet on success; on failure show npm's own output so the cause is visible.
  if ! npm install --prefix "$prefix" --no-save --no-audit --no-fund "node@$NODE22_VERSION" >"$log" 2>&1; then
    cat "$log" >&2
    echo "ensure-node22: npm install node@$NODE22_VERSION failed." >&2
    exit 1
  fi
  [[ -x "$binary" ]] || { echo "ensure-node22: node@$NODE22_VERSION installed, but $binary is missing." >&2; exit 1; }
fi
echo "$binary"
