#!/usr/bin/env bash
# Real-network benchmark (issue 10): one seeder and LEECHERS leechers, each a real `mgr node` process in its own
# Linux network namespace, joined by veth pairs to one bridge and rate-shaped with tc tbf (uplink on the namespace's
# side of its veth, downlink on the bridge's side). Runs MGR swarm and client-server on copies of the same devnet
# and prints completion times, seeder egress and the lower bound for the configured rates. Needs root, `ip netns`
# and `tc`; removes every namespace, link and process it creates on exit. Not part of CI (bench/README.md).
#
#   sudo bench/netns-swarm.sh [out-dir]        settings from the environment (defaults below), e.g.
#   LEECHERS=8 UP_MBIT=20 LATENCY_MS=20 bench/netns-swarm.sh /tmp/netns
#
# Peer discovery is off (--target-peers 0): nodes dial only their bootnodes, so the topology is the script's (and the
# latency relay stays on every path: discovered addresses would bypass it).
# Client-server: `mgr node` has no such mode, so it is approximated by topology: each leecher's only bootnode is
# the seeder, so the leechers form a star around the seeder and every chunk a
# leecher holds came from the seeder, as in snap sync. Swarm: each leecher dials the seeder and every leecher
# started before it (the mesh `mgr demo` builds).
# Latency (LATENCY_MS > 0): the kernel has no netem, so each node's p2p port is fronted by bench/netns-relay.py,
# which holds every chunk LATENCY_MS before passing it on in each direction; bootnode addresses name the relay.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)

OUT=${1:-/tmp/mgr-netns}
LEECHERS=${LEECHERS:-4}
ACCOUNTS=${ACCOUNTS:-100000}
CONTRACTS=${CONTRACTS:-8}
UP_MBIT=${UP_MBIT:-10}                      # every node's upload
SEEDER_UP_MBIT=${SEEDER_UP_MBIT:-$UP_MBIT}  # the seeder's upload
DOWN_MBIT=${DOWN_MBIT:-40}                  # every node's download
LATENCY_MS=${LATENCY_MS:-0}                 # one-way, added by the user-space relay
MODES=${MODES:-"swarm client-server"}
EPOCH_LENGTH=${EPOCH_LENGTH:-32}
BLOCKS=${BLOCKS:-40}                        # generated blocks: the first finalized epoch is block 32
SECONDS_PER_BLOCK=${SECONDS_PER_BLOCK:-4}   # the next epoch (block 64) is finalized ~26 blocks later
FINALITY_LAG=${FINALITY_LAG:-2}
TIMEOUT_S=${TIMEOUT_S:-100}

[ "$(id -u)" -eq 0 ] || { echo "netns-swarm: needs root (ip netns, tc)" >&2; exit 1; }
command -v tc >/dev/null && command -v ip >/dev/null && command -v curl >/dev/null \
  || { echo "netns-swarm: needs ip, tc and curl" >&2; exit 1; }

tag=$(( $$ % 10000 ))
bridge="mgrbr$tag"
subnet="10.213"
namespaces=()
pids=()

# Stops the processes this script started (TERM, then KILL after 5 s) and deletes its namespaces (and their veths).
stop_mode() {
  set +e
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done
  pids=()
  namespaces=()
  set -e
}
cleanup() {
  stop_mode
  ip link del "$bridge" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
echo "building mgr ..." >&2
dotnet build src/Mgr.Node -c Release --artifacts-path "$OUT/build" -v quiet -nologo >/dev/null
mgr="$OUT/build/bin/Mgr.Node/release/mgr"
relay="$root_dir/bench/netns-relay.py"

devnet="$OUT/devnet-a$ACCOUNTS-c$CONTRACTS-e$EPOCH_LENGTH-b$BLOCKS"
if [ ! -f "$devnet/generated.json" ]; then
  rm -rf "$devnet"
  "$mgr" devnet generate --datadir "$devnet" --accounts "$ACCOUNTS" --contracts "$CONTRACTS" \
    --max-slots $(( ACCOUNTS / 10 )) --blocks "$BLOCKS" --seed 7 --epoch-length "$EPOCH_LENGTH" \
    --seconds-per-block "$SECONDS_PER_BLOCK" > "$devnet.json"
  mv "$devnet.json" "$devnet/generated.json"
fi
state_bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stateBytes"])' "$devnet/generated.json")

ip link add "$bridge" type bridge
ip link set "$bridge" up

# tbf needs a bucket of at least one tick's worth of bytes and one GSO segment (64 KiB on veth).
shape() { # mbit
  local bytes_per_s=$(( $1 * 125000 ))
  local burst=$(( bytes_per_s / 50 > 131072 ? bytes_per_s / 50 : 131072 ))
  echo "root tbf rate ${1}mbit burst $burst latency 200ms"
}

# make_node i: namespace mgr<tag>-<i> with address $subnet.0.<i+2>, shaped, loopback up.
make_node() {
  local i=$1 ns="mgr$tag-$1" host="mv${tag}h$1" up=$UP_MBIT
  [ "$i" -eq 0 ] && up=$SEEDER_UP_MBIT
  ip netns add "$ns"
  namespaces+=("$ns")
  ip link add "$host" type veth peer name "mv${tag}n$1"
  ip link set "mv${tag}n$1" netns "$ns"
  ip -n "$ns" link set "mv${tag}n$1" name eth0
  ip -n "$ns" addr add "$subnet.0.$(( i + 2 ))/16" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip link set "$host" master "$bridge" up
  # shellcheck disable=SC2046
  ip netns exec "$ns" tc qdisc add dev eth0 $(shape "$up")
  # shellcheck disable=SC2046
  tc qdisc add dev "$host" $(shape "$DOWN_MBIT")
}

status() { # i -> the status JSON of node i, or nothing
  ip netns exec "mgr$tag-$1" curl -s --max-time 2 http://127.0.0.1:8080/api/status || true
}

run_mode() {
  local mode=$1 dir="$OUT/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -a "$devnet" "$dir/devnet"
  python3 -c 'import secrets; print(secrets.token_hex(32))' > "$dir/jwt.hex"
  local engines=() relay_pairs=() bootnodes=() p2p_port=4001
  [ "$LATENCY_MS" != 0 ] && p2p_port=4002
  local base_port=$(( 20000 + (tag % 1000) * 20 ))
  for i in $(seq 0 "$LEECHERS"); do
    make_node "$i"
    local ns="mgr$tag-$i" address="$subnet.0.$(( i + 2 ))" role=leecher name="leecher-$i" node_dir
    [ "$i" -eq 0 ] && role=seeder && name=seeder
    node_dir="$dir/$name"
    mkdir -p "$node_dir"
    cp "$dir/jwt.hex" "$node_dir/jwt.hex"
    # Engine API: root 127.0.0.1:<port> -> unix socket -> the namespace's 127.0.0.1:8551.
    ip netns exec "$ns" python3 "$relay" "unix:$dir/engine-$i.sock" tcp:127.0.0.1:8551 > "$node_dir/relay.log" 2>&1 &
    pids+=($!)
    relay_pairs+=("tcp:127.0.0.1:$(( base_port + i ))" "unix:$dir/engine-$i.sock")
    engines+=(--engine "http://127.0.0.1:$(( base_port + i ))")
    if [ "$LATENCY_MS" != 0 ]; then
      ip netns exec "$ns" python3 "$relay" --delay-ms "$LATENCY_MS" "tcp:$address:4002" "tcp:$address:4001" > "$node_dir/latency-relay.log" 2>&1 &
      pids+=($!)
    fi
    local args=(node --role "$role" --datadir "$node_dir" --listen "/ip4/$address/tcp/4001" --engine-port 8551
                --jwt-secret "$node_dir/jwt.hex" --dashboard 127.0.0.1:8080 --network devnet
                --genesis "$dir/devnet/genesis.json" --epoch-length "$EPOCH_LENGTH" --target-peers 0)
    [ "$role" = seeder ] && args+=(--devnet "$dir/devnet")
    if [ "$mode" = client-server ]; then
      [ "$i" -gt 0 ] && args+=(--bootnode "${bootnodes[0]}")
    else
      for b in "${bootnodes[@]}"; do args+=(--bootnode "$b"); done
    fi
    ip netns exec "$ns" "$mgr" "${args[@]}" > "$node_dir/stdout" 2> "$node_dir/node.log" &
    pids+=($!)
    local listen=""
    for _ in $(seq 300); do
      listen=$(grep -m1 '^/ip4/' "$node_dir/stdout" 2>/dev/null || true)
      [ -n "$listen" ] && break
      sleep 0.1
    done
    [ -n "$listen" ] || { echo "netns-swarm: $name printed no listen address (log $node_dir/node.log)" >&2; exit 1; }
    bootnodes+=("${listen/\/tcp\/4001\//\/tcp\/$p2p_port\/}")
  done
  python3 "$relay" "${relay_pairs[@]}" > "$dir/engine-relay.log" 2>&1 &
  pids+=($!)
  sleep 0.5
  local start
  start=$(date +%s.%N)
  "$mgr" devnet produce --datadir "$dir/devnet" --jwt-secret "$dir/jwt.hex" --seconds-per-block "$SECONDS_PER_BLOCK" \
    --finality-lag "$FINALITY_LAG" "${engines[@]}" > "$dir/producer.log" 2>&1 &
  pids+=($!)
  # Per leecher: when its status first named the epoch to sync (its headers reached the finalized block: state
  # transfer can start) and when it first said synced, in seconds since the producer started.
  declare -A epoch_at=() synced_at=()
  local now elapsed document
  while [ "${#synced_at[@]}" -lt "$LEECHERS" ]; do
    sleep 0.25
    for i in $(seq 1 "$LEECHERS"); do
      [ -n "${synced_at[$i]:-}" ] && continue
      document=$(status "$i")
      now=$(date +%s.%N)
      elapsed=$(awk -v a="$now" -v b="$start" 'BEGIN { printf "%.2f", a - b }')
      [ -z "${epoch_at[$i]:-}" ] && grep -q '"epoch":[0-9]' <<< "$document" && epoch_at[$i]=$elapsed
      grep -q '"synced":true' <<< "$document" && synced_at[$i]=$elapsed
    done
    if awk -v a="$elapsed" -v t="$TIMEOUT_S" 'BEGIN { exit !(a > t) }'; then
      echo "netns-swarm: $mode: ${#synced_at[@]} of $LEECHERS leechers synced within $TIMEOUT_S s" >&2
      break
    fi
  done
  status 0 > "$dir/seeder-status.json"
  for i in $(seq 1 "$LEECHERS"); do status "$i" > "$dir/leecher-$i-status.json"; done
  local times=()
  for i in $(seq 1 "$LEECHERS"); do times+=("${epoch_at[$i]:-null}:${synced_at[$i]:-null}"); done
  python3 - "$dir" "$mode" "$state_bytes" "$LEECHERS" "$UP_MBIT" "$SEEDER_UP_MBIT" "$DOWN_MBIT" "${times[@]}" <<'PY' | tee "$dir/result.json"
import json, statistics, sys
out, mode, state, n, up, seeder_up, down = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), *map(float, sys.argv[5:8])
parsed = [[None if t == "null" else float(t) for t in pair.split(":")] for pair in sys.argv[8:]]
times = [synced for _, synced in parsed]
# Transfer time: from the moment a leecher knew its epoch (state sync could start) to synced.
transfers = [synced - epoch for epoch, synced in parsed if epoch is not None and synced is not None]
state_kinds = ("StateData", "ChunkDiff", "ByteCodes", "TrieNodes", "StateDiff")
def load(name):
    try: return json.load(open(f"{out}/{name}-status.json"))
    except (OSError, ValueError): return None
def state_out(s): return sum(s["totals"].get("messages", {}).get(k, {}).get("out", 0) for k in state_kinds) if s else 0
def state_in(s): return sum(s["totals"].get("messages", {}).get(k, {}).get("in", 0) for k in state_kinds) if s else 0
seeder = load("seeder")
leechers = [load(f"leecher-{i}") for i in range(1, n + 1)]
# F: the devnet's flat state bytes (keys and values), the same for both modes; the wire carries a little more
# (proof nodes), so the bound is slightly optimistic. stateInBytes: what each leecher received.
F = state
u, us, d = up * 125000, seeder_up * 125000, down * 125000
done = [t for t in times if t is not None]
result = {
    "mode": mode, "leechers": n, "uploadMbps": up, "seederUploadMbps": seeder_up, "downloadMbps": down,
    "stateBytes": F, "stateInBytes": [state_in(s) for s in leechers if s],
    "lowerBoundSeconds": max(F / us, F / d, n * F / (us + n * u)),
    "clientServerBoundSeconds": max(F / d, n * F / us),
    "synced": len(done), "completionSeconds": {"median": statistics.median(done) if done else None, "max": max(done) if len(done) == n else None, "each": times},
    "transferSeconds": {"median": statistics.median(transfers) if transfers else None, "max": max(transfers) if len(transfers) == n else None, "each": transfers},
    "seederEgressBytes": seeder["totals"]["bytesOut"] if seeder else None,
    "seederStateEgressBytes": state_out(seeder),
    "seederStateEgressOverF": state_out(seeder) / F if F else None,
    "duplicateBytes": sum((s["totals"].get("duplicateBytes") or 0) for s in leechers if s),
}
print(json.dumps(result))
PY
  stop_mode
}

for mode in $MODES; do
  echo "running $mode: 1 seeder + $LEECHERS leechers, up $UP_MBIT Mbit/s (seeder $SEEDER_UP_MBIT), down $DOWN_MBIT Mbit/s, latency $LATENCY_MS ms" >&2
  run_mode "$mode"
done

python3 - "$OUT" $MODES <<'PY'
import json, sys
out = sys.argv[1]
fmt = lambda v: "n/a" if v is None else f"{v:.1f}"
print(f"{'mode':13} {'leechers':>8} {'F bytes':>10} {'bound s':>8} {'cs bound s':>10} {'median s':>9} {'max s':>7} "
      f"{'transfer median s':>17} {'transfer max s':>14} {'synced':>7} {'seeder egress/F':>15}")
for mode in sys.argv[2:]:
    r = json.load(open(f"{out}/{mode}/result.json"))
    c, t = r["completionSeconds"], r["transferSeconds"]
    print(f"{r['mode']:13} {r['leechers']:>8} {r['stateBytes']:>10} {r['lowerBoundSeconds']:>8.2f} {r['clientServerBoundSeconds']:>10.2f} "
          f"{fmt(c['median']):>9} {fmt(c['max']):>7} {fmt(t['median']):>17} {fmt(t['max']):>14} {r['synced']:>3}/{r['leechers']:<3} "
          f"{fmt(r['seederStateEgressOverF']):>15}")
PY
