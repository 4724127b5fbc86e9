#!/usr/bin/env bash
# Runs every test (unit, interop, integration) and ends with the plain line "N passed, N failed".
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Rlp]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prereqs.sh"
cd "$MGR_ROOT"

mgr_need_apt librocksdb7.8 chromium   # chromium: the dashboard's headless-browser tests
mgr_need_interop_npm

results="$MGR_ROOT/.testresults"
rm -rf "$results"
status=0
dotnet test MgrSync.sln -c Release --nologo --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # build failure or crashed test host
echo "$passed passed, $failed failed"
exit "$status"
