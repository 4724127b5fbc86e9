#!/usr/bin/env bash
# Long fuzz run over every decoder that takes outside bytes (issue 11). CI runs a short version as
# tests/Mgr.Fuzz.Tests; this script runs for as long as you like and keeps what it finds.
#
#   bench/fuzz-long.sh [SECONDS_PER_TARGET] [SEED] [TARGET]
#     SECONDS_PER_TARGET  default 120
#     SEED                default: the current Unix time (printed, so a run can be repeated)
#     TARGET              default all (see: dotnet run --project tests/Mgr.Fuzz -c Release -- --list)
#
# Output goes to ${FUZZ_OUT:-/tmp/mgr-fuzz}/<seed>/ (outside the tree, so nothing is committed by accident):
# findings/<target>/*.hex (+ .txt with the exception and stack top) and
# discovered/<target>/ (mutants that reached a new verdict; copy good ones into tests/Mgr.Fuzz/corpus/<target>/).
# Exit code 1 when anything was found. Each finding must become a regression test with its input as a fixture.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds_per_target="${1:-120}"
seed="${2:-$(date +%s)}"
target="${3:-all}"
out="${FUZZ_OUT:-/tmp/mgr-fuzz}/${seed}"
mkdir -p "$out"

dotnet build -c Release tests/Mgr.Fuzz >/dev/null
if [[ "$target" == "all" ]]; then
  count=$(dotnet run -c Release --no-build --project tests/Mgr.Fuzz -- --list | wc -l)
else
  count=1
fi
total=$((seconds_per_target * count))
echo "fuzzing ${target} for ${seconds_per_target}s per target (${total}s total), seed ${seed}, output ${out}"
dotnet run -c Release --no-build --project tests/Mgr.Fuzz -- --target "$target" --seconds "$total" --seed "$seed" --out "$out" | tee "$out/report.txt"
