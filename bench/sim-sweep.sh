#!/usr/bin/env bash
# Runs the swarm simulator (spec/simulator.md) for N = 10, 100, 1000 nodes in swarm and client-server mode, writes
# JSON + SVG per mode into the output directory and prints the comparison table. Not part of CI: the 1,000-node runs
# take minutes each.   [STATE_MB=64] [CS_TICK_100=25] [CS_TICK_1000=1000] bench/sim-sweep.sh [out-dir] [extra options...]
# The reference runs: spec/simulator.md ("Results").
# The simulator runs with the server garbage collector (one heap per core): the same output, about 30% less wall time
# at N = 1,000, where collecting the engines' garbage is half of the work.
set -euo pipefail
export DOTNET_gcServer=1
cd "$(dirname "$0")/.."
out="${1:-/tmp/mgr-sim-sweep}"
shift || true
mkdir -p "$out"
dotnet build src/Mgr.Node -c Release --artifacts-path "$out/build" -v quiet -nologo >/dev/null
mgr="$out/build/bin/Mgr.Node/release/mgr"
common=(--seeders 1 --state-mb "${STATE_MB:-64}" --upload-mbps 100 --download-mbps 400 --latency-ms 20 --seed 1 "$@")
# Each run's wall time is on its stderr ("mgr sim: N nodes, E events in S s wall"), kept in <mode>.log.
"$mgr" sim --mode swarm --sweep 10,100,1000 --limit-s 900 "${common[@]}" --json --svg "$out/swarm.svg" > "$out/swarm.json" 2> "$out/swarm.log"
# Client–server lasts N·F/u_s of virtual time: its larger runs tick less often (CS_TICK_100, CS_TICK_1000 ms) so that
# they finish in minutes; a leecher then waits up to a tick to re-ask, against transfers queued for seconds.
"$mgr" sim --mode client-server --sweep 10 "${common[@]}" --json --svg "$out/client-server.svg" > "$out/client-server.json" 2> "$out/client-server.log"
"$mgr" sim --mode client-server --sweep 100 --tick-ms "${CS_TICK_100:-25}" "${common[@]}" --json > "$out/client-server-100.json" 2> "$out/client-server-100.log"
"$mgr" sim --mode client-server --sweep 1000 --tick-ms "${CS_TICK_1000:-1000}" "${common[@]}" --json > "$out/client-server-1000.json" 2> "$out/client-server-1000.log"
cat "$out"/swarm.log "$out"/client-server*.log | grep 'wall' >&2
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
fmt = lambda v: "n/a" if v is None else f"{v:.2f}"
print(f"{'mode':13} {'nodes':>6} {'bound s':>8} {'median s':>9} {'max s':>8} {'max/bound':>9} {'egress/F':>8} {'dup %':>6} {'synced':>7}")
for name in ("swarm", "client-server", "client-server-100", "client-server-1000"):
    for r in json.load(open(f"{out}/{name}.json")):
        c = r["completionSeconds"]
        synced = sum(1 for n in r["perNode"] if not n["seeder"] and n["completionSeconds"] is not None)
        print(f"{r['mode']:13} {r['nodes']:>6} {r['lowerBoundSeconds']:>8.2f} {fmt(c['median']):>9} {fmt(c['max']):>8} "
              f"{fmt(r['completionOverBound']['max']):>9} {r['seederEgressOverState']:>8.2f} {100 * r['duplicateRatio']:>6.2f} "
              f"{synced:>4}/{r['leechers']}")
PY
