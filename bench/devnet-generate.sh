#!/usr/bin/env bash
# Devnet generation at scale: time and peak RSS of `mgr devnet generate` for a 1,000,000-account devnet, beside
# the same command at 100,000 accounts in the same run (reference: the ratio shows how cost scales with N, and
# equal peak RSS shows memory is bounded independently of N).
# Usage: bench/devnet-generate.sh [accounts, default 1000000] [blocks, default 64]   (NO_BUILD=1 reuses the last Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
ACCOUNTS=${1:-1000000}
BLOCKS=${2:-64}
ARTIFACTS=${ARTIFACTS:-/tmp/art-bench-devnet}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ "${NO_BUILD:-}" != 1 ]; then
  dotnet build src/Mgr.Node -c Release --artifacts-path "$ARTIFACTS" -v q -nologo > "$WORK/build.log" || { grep -E "error" "$WORK/build.log" | sort -u >&2; exit 1; }
fi
MGR="$ARTIFACTS/bin/Mgr.Node/release/mgr"

run() { # accounts label
  local dir="$WORK/$2"
  /usr/bin/time -f "%e %M" -o "$WORK/$2.time" "$MGR" devnet generate --datadir "$dir" --accounts "$1" --contracts 1000 \
    --max-slots 100000 --blocks "$BLOCKS" --seed 7 > "$WORK/$2.json"
  read -r seconds rss_kib < "$WORK/$2.time"
  echo "$2: accounts=$1 blocks=$BLOCKS time=${seconds}s peakRSS=$((rss_kib / 1024))MiB db=$(du -sm "$dir/db" | cut -f1)MiB genesis.json=$(du -sm "$dir/genesis.json" | cut -f1)MiB"
  echo "  $(cat "$WORK/$2.json")"
  echo "$seconds" > "$WORK/$2.seconds"
}

run $((ACCOUNTS / 10)) reference
run "$ACCOUNTS" full
awk -v a="$(cat "$WORK/full.seconds")" -v b="$(cat "$WORK/reference.seconds")" 'BEGIN { printf "time ratio full/reference = %.2f (10x the accounts)\n", a / b }'
