#!/usr/bin/env bash
# Installs (as root) or names (otherwise) what the demo and the tests need beyond the .NET SDK.
# Sourced by scripts/demo.sh and scripts/test.sh; safe to run again (it only acts on what is missing).
set -euo pipefail

MGR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian packages: name -> a file that proves it is installed.
declare -A MGR_APT_PACKAGES=(
  [librocksdb7.8]=/usr/lib/x86_64-linux-gnu/librocksdb.so.7.8
  [chromium]=/usr/bin/chromium
)

mgr_need_apt() {
  local missing=()
  for pkg in "$@"; do
    local probe="${MGR_APT_PACKAGES[$pkg]:-}"
    if [ -n "$probe" ] && [ -e "$probe" ]; then continue; fi
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >&2
  else
    echo "Missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

# npm packages for the interop tests (js-libp2p, @ethereumjs) and Node 22, into tests/interop/node_modules.
mgr_need_interop_npm() {
  local dir="$MGR_ROOT/tests/interop"
  [ -f "$dir/package.json" ] || return 0
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing. Install it with: sudo apt-get install -y npm" >&2
    exit 1
  fi
  local stamp="$dir/node_modules/.mgr-installed"
  if [ ! -f "$stamp" ] || [ "$dir/package.json" -nt "$stamp" ]; then
    echo "Installing interop npm packages into tests/interop/node_modules" >&2
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2)
    touch "$stamp"
  fi
}
