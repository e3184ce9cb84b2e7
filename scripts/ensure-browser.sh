#!/usr/bin/env bash
# Makes sure the headless Chromium the browser tests drive is installed at /usr/bin/chromium.
# Does nothing (and returns at once) when it is there; otherwise installs Debian's package.
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi

fail() {
  echo "ensure-browser: $*" >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and apt-get is not available; install Chromium by hand."

# apt-get needs root; use sudo only when we are not root already.
run_as_root=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || fail "$CHROMIUM is missing; run this script as root (or install sudo) to install it."
  run_as_root=(sudo)
fi

echo "ensure-browser: installing Debian's chromium package..." >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Quiet on success; on failure show apt's own output so the cause is visible.
if ! "${run_as_root[@]}" apt-get update -qq >"$log" 2>&1; then
  cat "$log" >&2
  fail "apt-get update failed."
fi
if ! "${run_as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >"$log" 2>&1; then
  cat "$log" >&2
  fail "apt-get install chromium failed."
fi

[[ -x "$CHROMIUM" ]] || fail "the chromium package installed, but $CHROMIUM is still missing."
echo "ensure-browser: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed." >&2
