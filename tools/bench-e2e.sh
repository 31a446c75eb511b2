#!/usr/bin/env bash
# End-to-end benchmark of the live path (issue 11) over a real loopback socket: `rxfeed exchange --replay FILE --pace max
# --no-loop` serves N book tickers (1 M), and in alternating rounds on a fresh exchange each:
#   node    tools/bench-e2e/node-client.js: a bare npm `ws` 8 client that only JSON.parses and counts (the baseline)
#   run     rxfeed run --json (no output file)
#   ticks   rxfeed run --json --ticks-out FILE (the ticks file is checked to hold all N lines)
#   slow    rxfeed run --json --ticks-out FILE --order-latency 50ms (the slow-order-venue case)
#   publish rxfeed run --json --publish nats://… (only where nats-server is installed; started here on a free port):
#           issue 14's publisher overhead, its frame rate against run's, and what the publisher dropped
# then the paced latency run: a file of frames 100 µs apart (10 k/s) served with --pace recorded, rxfeed run --json, and
# its latencyUs p50/p99/max. Frame rates are each client's own window (first frame received → last frame handled:
# node's `seconds`, rxfeed's "pipelineSeconds"); rxfeed's socket side is also shown (frames / "receiveSeconds").
# Peak RSS comes from /usr/bin/time -v. A run that got fewer than N frames is flagged LOSS (the exchange disconnects a
# reader whose send queue overflows after it waited 200 ms for it; its log line is counted as "slowDisconnects").
#
#   tools/bench-e2e.sh [--frames N] [--rounds N] [--paced-frames N] [--dir DIR] [--regen] [--no-build]
#
# Environment: PYTHON (python3), NODE (node). Targets: run and ticks >= node's frame rate; paced p99 < 100 µs, max < 1 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
default_dir="${TMPDIR:-/tmp}/rxfeed-bench-e2e"
[ -d /dev/shm ] && [ -w /dev/shm ] && default_dir=/dev/shm/rxfeed-bench-e2e
frames=1000000 rounds=3 paced=50000 dir=$default_dir regen=0 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --frames) frames=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --paced-frames) paced=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench-e2e.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
py=${PYTHON:-python3}
node=${NODE:-node}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$dir"
data="$dir/booktickers-$frames.txt"
paced_data="$dir/paced-$paced.txt"
bin="$dir/rxfeed"
results="$dir/results.ndjson"
: >"$results"

exchange_pid=
cleanup() {
  if [ -n "$exchange_pid" ] && kill -0 "$exchange_pid" 2>/dev/null; then
    kill "$exchange_pid" 2>/dev/null || true
    wait "$exchange_pid" 2>/dev/null || true
  fi
  rm -f "$dir/ticks.ndjson"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- data -------------------------------------------------------------------------------------------------------------
if [ "$regen" = 1 ] || [ ! -s "$data" ]; then
  echo "== generating $frames book-ticker frames -> $data" >&2
  "$py" tools/gen-booktickers.py "$data" --frames "$frames"
fi
if [ "$regen" = 1 ] || [ ! -s "$paced_data" ]; then
  echo "== $paced frames 100 µs apart (10 k/s) -> $paced_data" >&2
  "$py" - "$data" "$paced_data" "$paced" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src, encoding="utf-8", newline="\n") as f, open(dst, "w", encoding="utf-8", newline="\n") as out:
    for i, line in zip(range(n), f):
        out.write(f"{1_000_000_000 + i * 100_000} {line.partition(' ')[2]}")
PY
fi
symbol=$(head -1 "$data" | sed -E 's/.*"s":"([^"]*)".*/\1/')
stream="$(tr '[:upper:]' '[:lower:]' <<<"$symbol")@bookTicker"

# --- builds -----------------------------------------------------------------------------------------------------------
if [ "$build" = 1 ] || [ ! -x "$bin/rxfeed" ]; then
  echo "== building rxfeed (Release, framework-dependent JIT precompiled with ReadyToRun) -> $bin" >&2
  dotnet publish src/RxFeed.Host/RxFeed.Host.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$bin" --nologo -v quiet >&2
fi
[ -x "$bin/rxfeed" ] || { echo "bench-e2e.sh: $bin/rxfeed was not built" >&2; exit 1; }
if [ ! -d tools/bench-e2e/node_modules/ws ]; then
  echo "== npm ci (tools/bench-e2e)" >&2
  (cd tools/bench-e2e && npm ci --no-audit --no-fund >&2)
fi
echo "== node $("$node" --version), ws $("$node" -p 'require("./tools/bench-e2e/node_modules/ws/package.json").version'), dotnet $(dotnet --version)" >&2

# --- one exchange per run -----------------------------------------------------------------------------------------------
start_exchange() { # FILE PACE: starts the exchange, sets exchange_pid and port
  local out="$dir/exchange.out"
  : >"$out"
  "$bin/rxfeed" exchange --replay "$1" --pace "$2" --no-loop >"$out" 2>"$dir/exchange.err" &
  exchange_pid=$!
  for _ in $(seq 300); do
    port=$(sed -nE 's#^listening ws://127\.0\.0\.1:([0-9]+)$#\1#p' "$out")
    [ -n "$port" ] && return 0
    kill -0 "$exchange_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench-e2e.sh: the exchange did not start: $(cat "$dir/exchange.err")" >&2
  exit 1
}
stop_exchange() { # prints the slow-client disconnects the exchange logged
  kill "$exchange_pid" 2>/dev/null || true
  wait "$exchange_pid" 2>/dev/null || true
  exchange_pid=
  grep -c "does not read" "$dir/exchange.err" || true
}
rss_kb() { sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)$/\1/p' "$1"; }

load1() { cut -d' ' -f1 /proc/loadavg; }

run_node() { # ROUND
  local load
  load=$(load1)
  start_exchange "$data" max
  local out
  out=$(/usr/bin/time -v -o "$dir/time.txt" "$node" tools/bench-e2e/node-client.js "ws://127.0.0.1:$port/ws/$stream" --frames "$frames")
  local slow
  slow=$(stop_exchange)
  "$py" - "$1" "$out" "$(rss_kb "$dir/time.txt")" "$slow" "$load" >>"$results" <<'PY'
import json, sys
o = json.loads(sys.argv[2])
print(json.dumps({"round": int(sys.argv[1]), "name": "node", "load": float(sys.argv[5]), "frames": o["frames"], "rate": o["framesPerSecond"],
                  "socketRate": None, "rssKb": int(sys.argv[3]), "slowDisconnects": int(sys.argv[4])}))
PY
}

run_rxfeed() { # ROUND NAME FILE PACE [extra flags...]
  local round=$1 name=$2 file=$3 pace=$4
  shift 4
  local n load
  n=$(wc -l <"$file")
  load=$(load1)
  start_exchange "$file" "$pace"
  rm -f "$dir/ticks.ndjson"
  local out
  out=$(/usr/bin/time -v -o "$dir/time.txt" "$bin/rxfeed" run --endpoint "ws://127.0.0.1:$port/ws" --symbols "$symbol" --json \
    --max-ticks "$n" --duration 120s "$@" 2>"$dir/run.err")
  local slow lines=-1
  slow=$(stop_exchange)
  [ -f "$dir/ticks.ndjson" ] && lines=$(wc -l <"$dir/ticks.ndjson")
  "$py" - "$round" "$name" "$out" "$(rss_kb "$dir/time.txt")" "$slow" "$lines" "$load" >>"$results" <<'PY'
import json, sys
o = json.loads(sys.argv[3])
ps, rs = o["pipelineSeconds"], o["receiveSeconds"]
print(json.dumps({"round": int(sys.argv[1]), "name": sys.argv[2], "load": float(sys.argv[7]), "frames": o["bookTickers"], "bookTickers": o["bookTickers"],
                  "rate": round(o["bookTickers"] / ps) if ps > 0 else 0, "socketRate": round(o["lines"] / rs) if rs > 0 else 0,
                  "rssKb": int(sys.argv[4]), "slowDisconnects": int(sys.argv[5]), "ticksLines": int(sys.argv[6]),
                  "connections": o["connections"], "conflated": o["conflated"], "outputDrops": o["outputDrops"],
                  "latencyUs": o["latencyUs"], "quotes": o.get("quotes"), "orders": o.get("orders"), "nats": o.get("nats")}))
PY
}

nats_url=
nats_server=$(command -v nats-server || echo /usr/sbin/nats-server)
if [ -x "$nats_server" ]; then
  nats_port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir/nats"
  "$nats_server" -a 127.0.0.1 -p "$nats_port" -js -sd "$dir/nats" >/dev/null 2>&1 &
  nats_pid=$!
  trap 'kill $nats_pid 2>/dev/null' EXIT
  nats_url="nats://127.0.0.1:$nats_port"
fi

for r in $(seq "$rounds"); do
  echo "== round $r/$rounds" >&2
  run_node "$r"
  run_rxfeed "$r" run "$data" max
  run_rxfeed "$r" ticks "$data" max --ticks-out "$dir/ticks.ndjson"
  run_rxfeed "$r" slow "$data" max --ticks-out "$dir/ticks.ndjson" --order-latency 50ms
  [ -n "$nats_url" ] && run_rxfeed "$r" publish "$data" max --publish "$nats_url"
done
echo "== paced: $paced frames at 10 k/s (--pace recorded)" >&2
for r in 1 2; do
  run_rxfeed "$r" paced "$paced_data" recorded
done

# --- summary ------------------------------------------------------------------------------------------------------------
echo "== $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), results in $results" >&2
"$py" - "$results" "$frames" "$paced" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
frames, paced = int(sys.argv[2]), int(sys.argv[3])
def want(r): return paced if r["name"] == "paced" else frames
print(f"{'run':<6}{'round':>6}{'load':>6}{'frames':>9}{'frames/s':>11}{'socket/s':>11}{'ours/node':>10}{'RSS MiB':>9}"
      f"{'ticks lines':>12}{'drops':>6}{'confl':>8}{'p50 µs':>10}{'p99 µs':>10}{'max µs':>10}  check")
ratios = {}
for r in rows:
    node = next((x for x in rows if x["name"] == "node" and x["round"] == r["round"]), None)
    ratio = r["rate"] / node["rate"] if node and node["rate"] and r["name"] in ("run", "ticks", "slow") else None
    if ratio is not None:
        ratios.setdefault(r["name"], []).append(ratio)
    lat = r.get("latencyUs") or {}
    problems = []
    if r["frames"] != want(r): problems.append(f"LOSS {want(r) - r['frames']} frames")
    if r["slowDisconnects"]: problems.append(f"{r['slowDisconnects']} slow-client disconnects")
    if r.get("ticksLines", -1) >= 0 and r["ticksLines"] != r.get("bookTickers"): problems.append(f"ticks file {r['ticksLines']} lines")
    if r.get("outputDrops"): problems.append(f"{r['outputDrops']} output drops")
    if r.get("connections", 1) != 1: problems.append(f"{r['connections']} connections")
    nats = r.get("nats")
    if nats and (nats["dropped"] or nats["failed"] or nats["published"] < r["bookTickers"]):
        problems.append(f"publisher: {nats['published']} published, {nats['dropped']} dropped, {nats['failed']} failed")
    def f(v, spec): return "" if v is None else format(v, spec)
    print(f"{r['name']:<6}{r['round']:>6}{r['load']:>6.1f}{r['frames']:>9}{r['rate']:>11,}{f(r['socketRate'], ','):>11}{f(ratio, '.2f'):>10}"
          f"{r['rssKb'] / 1024:>9.0f}{f(r.get('ticksLines') if r.get('ticksLines', -1) >= 0 else None, ''):>12}"
          f"{f(r.get('outputDrops'), ''):>6}{f(r.get('conflated'), ''):>8}{f(lat.get('p50'), '.1f'):>10}{f(lat.get('p99'), '.1f'):>10}"
          f"{f(lat.get('max'), '.1f'):>10}  {'; '.join(problems) or 'ok'}")
for name, rs in ratios.items():
    print(f"ratio {name}/node: mean {statistics.mean(rs):.2f}, min {min(rs):.2f}, max {max(rs):.2f} over {len(rs)} rounds"
          f"  (target >= 1.00: {'met in every round' if min(rs) >= 1 else f'missed in {sum(x < 1 for x in rs)} of {len(rs)} rounds'})")
pub = [(p["rate"] / r["rate"]) for p in rows if p["name"] == "publish" for r in rows if r["name"] == "run" and r["round"] == p["round"] and r["rate"]]
if pub:
    print(f"ratio publish/run: mean {statistics.mean(pub):.2f}, min {min(pub):.2f} over {len(pub)} rounds (issue 14 target >= 0.80)")
for p in [r for r in rows if r["name"] == "paced"]:
    lat = p["latencyUs"]
    ok = lat["p99"] < 100 and lat["max"] < 1000
    print(f"paced round {p['round']}: p50 {lat['p50']:.1f} µs, p99 {lat['p99']:.1f} µs, max {lat['max']:.1f} µs "
          f"({'meets' if ok else 'MISSES'} p99 < 100 µs, max < 1 ms)")
PY
