#!/usr/bin/env bash
# Crash-restart soak (issue 11): a leecher `mgr node` child process (RocksDB, TCP on 127.0.0.1) syncing from a seeder
# child is SIGKILLed at KILLS moments spread over headers, ride, heal/verify and after sync, restarted on its datadir
# each time, then left to sync; its store must rebuild the devnet's root. Prints the report: kills per phase, state
# bytes the seeder sent against one uninterrupted sync (re-downloaded bytes / state), peak RSS (VmHWM) of the leecher
# and the seeder. It is tests/Mgr.Node.Tests CrashRestartSoakTests (CI runs it with 4 kills on 30,000 accounts) with
# the SOAK_* variables set. Not part of CI: at 1,000,000 accounts a run takes about ten minutes.
#
#   bench/soak-restart.sh [KILLS, default 20] [ACCOUNTS, default 1000000] [SEED, default 1]
#
# Output (report, and every run's log) goes to ${SOAK_OUT:-/tmp/mgr-soak}/<accounts>-<kills>-<seed>/.
# Exit code 1 when the test failed: a run did not resume, the root is wrong, or more than SOAK_MAX_REDOWNLOAD (default
# 0.05) of the state was downloaded again; the report is printed either way when the soak got to the end.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-20}"
accounts="${2:-1000000}"
seed="${3:-1}"
out="${SOAK_OUT:-/tmp/mgr-soak}/${accounts}-${kills}-${seed}"
rm -rf "$out"
mkdir -p "$out"
dotnet build tests/Mgr.Node.Tests -c Release -v quiet -nologo >/dev/null
status=0
SOAK_MAX_REDOWNLOAD="${SOAK_MAX_REDOWNLOAD:-0.05}" SOAK_KILLS="$kills" SOAK_ACCOUNTS="$accounts" SOAK_SEED="$seed" SOAK_REPORT="$out/report.txt" SOAK_KEEP="$out" \
  dotnet test tests/Mgr.Node.Tests -c Release --no-build --filter "FullyQualifiedName~CrashRestartSoakTests" \
  --logger "console;verbosity=detailed" > "$out/test.log" 2>&1 || status=$?
if [[ -f "$out/report.txt" ]]; then cat "$out/report.txt"; else grep -E "Error Message|run [0-9]+:|SoakException" -A2 "$out/test.log" | tail -40; fi
echo "test $([[ $status == 0 ]] && echo passed || echo FAILED); logs in $out"
exit $((status == 0 ? 0 : 1))
