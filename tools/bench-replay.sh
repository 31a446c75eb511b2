#!/usr/bin/env bash
# Whole-process benchmark: `rxfeed replay FILE --json` against the Python handler baseline (tools/py-handler.py)
# on the same >= 1 M book-ticker frames, start-up included. Generates the file once, builds rxfeed in Release,
# checks both count the same book tickers, then times both in one run (hyperfine if present, else a timed loop).
#
#   tools/bench-replay.sh [--frames N] [--runs N] [--dir DIR] [--regen] [--no-hyperfine]
#
# Environment: PYTHON (python3). Target: rxfeed >= 10x faster than the Python script (goal 25x).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
frames=1000000 runs=5 dir="${TMPDIR:-/tmp}/rxfeed-bench" regen=0 hyperfine=hyperfine
while [ $# -gt 0 ]; do
  case "$1" in
    --frames) frames=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --no-hyperfine) hyperfine=; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-replay.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
py=${PYTHON:-python3}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$dir"
data="$dir/booktickers-$frames.txt"
bin="$dir/rxfeed"

if [ "$regen" = 1 ] || [ ! -s "$data" ]; then
  echo "== generating $frames book-ticker frames -> $data" >&2
  "$py" tools/gen-booktickers.py "$data" --frames "$frames"
else
  echo "== reusing $data ($(wc -l <"$data") lines; --regen to rewrite)" >&2
fi

echo "== building rxfeed (Release) -> $bin" >&2
dotnet publish src/RxFeed.Host/RxFeed.Host.csproj -c Release -o "$bin" --nologo -v quiet >&2
rxfeed="$bin/rxfeed"
[ -x "$rxfeed" ] || { echo "bench-replay.sh: $rxfeed was not built" >&2; exit 1; }

rx_cmd=("$rxfeed" replay "$data" --json)
py_cmd=("$py" "$root/tools/py-handler.py" "$data")

echo "== checking both agree" >&2
rx_out=$("${rx_cmd[@]}")
py_out=$("${py_cmd[@]}")
count() { "$py" -c 'import json,sys; print(json.loads(sys.stdin.read())["bookTickers"])'; }
rx_n=$(count <<<"$rx_out")
py_n=$(count <<<"$py_out")
echo "rxfeed bookTickers=$rx_n  python bookTickers=$py_n  (frames written: $frames)"
if [ "$rx_n" != "$py_n" ] || [ "$rx_n" != "$frames" ]; then
  echo "bench-replay.sh: book-ticker counts disagree" >&2
  echo "rxfeed: $rx_out" >&2
  echo "python: $py_out" >&2
  exit 1
fi

json="$dir/bench-replay.json"
if [ -n "$hyperfine" ] && command -v hyperfine >/dev/null; then
  echo "== hyperfine ($runs runs each, 1 warm-up)" >&2
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$json" \
    -n rxfeed "${rx_cmd[*]}" -n python "${py_cmd[*]}" >&2
else
  echo "== hyperfine not found or --no-hyperfine; timing $runs runs each with bash's time" >&2
  time_runs() { # name cmd... -> JSON object in hyperfine's shape: times, user and system (seconds)
    local name=$1; shift; local t=() u=() k=() line TIMEFORMAT='%R %U %S'
    "$@" >/dev/null # warm-up
    for _ in $(seq "$runs"); do
      line=$( { time "$@" >/dev/null; } 2>&1 | tail -1 )
      read -r r us sy <<<"$line"; t+=("$r"); u+=("$us"); k+=("$sy")
    done
    local IFS=,
    printf '{"command":"%s","times":[%s],"user":%s,"system":%s}' "$name" "${t[*]}" \
      "$(awk -v l="${u[*]}" 'BEGIN{n=split(l,a,",");for(i=1;i<=n;i++)s+=a[i];print s/n}')" \
      "$(awk -v l="${k[*]}" 'BEGIN{n=split(l,a,",");for(i=1;i<=n;i++)s+=a[i];print s/n}')"
  }
  printf '{"results":[%s,%s]}\n' "$(time_runs rxfeed "${rx_cmd[@]}")" "$(time_runs python "${py_cmd[@]}")" >"$json"
fi

"$py" - "$json" "$frames" <<'PY'
import json, statistics, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
frames = int(sys.argv[2])
def line(name):
    r = res[name]
    t = r["times"]
    m, sd = statistics.mean(t), (statistics.stdev(t) if len(t) > 1 else 0.0)
    cpu = r["user"] + r["system"]
    print(f"{name:<7} wall mean {m:7.3f} s ± {sd:.3f} (min {min(t):.3f}, max {max(t):.3f}, {len(t)} runs)"
          f"  CPU {cpu:7.3f} s  {frames / m:>11,.0f} frames/s")
    return m, min(t), cpu
rx, py = line("rxfeed"), line("python")
ratio = py[0] / rx[0]
verdict = "meets the 25x goal" if ratio >= 25 else "meets the 10x target" if ratio >= 10 else "BELOW the 10x target"
print(f"ratio   python/rxfeed = {ratio:.1f}x wall mean, {py[1] / rx[1]:.1f}x wall min, {py[2] / rx[2]:.1f}x CPU  ({verdict}, on wall mean)")
PY
