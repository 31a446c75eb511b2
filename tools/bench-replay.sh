#!/usr/bin/env bash
# Whole-process benchmark: `rxfeed replay FILE --json` against the Python handler baseline (tools/py-handler.py)
# on the same >= 1 M book-ticker frames, start-up included. Generates the file once, builds rxfeed twice in Release
# (native AOT for x86-64-v3, the form we measure the target on, and a framework-dependent JIT build precompiled with
# ReadyToRun), checks all count the same book tickers, then times them in one run (hyperfine if present, else a
# timed loop).
#
#   tools/bench-replay.sh [--frames N] [--runs N] [--dir DIR] [--regen] [--no-hyperfine] [--no-aot]
#
# Environment: PYTHON (python3). Target: rxfeed >= 10x faster than the Python script (goal 25x).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Default to tmpfs: this VM's proactive reclaim evicts the page cache between runs, and then every run would time
# the disk instead of the programs (first runs of 4 s instead of 0.6 s were seen).
default_dir="${TMPDIR:-/tmp}/rxfeed-bench"
[ -d /dev/shm ] && [ -w /dev/shm ] && default_dir=/dev/shm/rxfeed-bench
frames=1000000 runs=5 dir=$default_dir regen=0 hyperfine=hyperfine aot=1
while [ $# -gt 0 ]; do
  case "$1" in
    --frames) frames=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --no-hyperfine) hyperfine=; shift ;;
    --no-aot) aot=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
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

echo "== building rxfeed (Release, JIT with ReadyToRun) -> $bin" >&2
dotnet publish src/RxFeed.Host/RxFeed.Host.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$bin" --nologo -v quiet >&2
[ -x "$bin/rxfeed" ] || { echo "bench-replay.sh: $bin/rxfeed was not built" >&2; exit 1; }
names=(rxfeed-r2r) cmds=("$bin/rxfeed replay $data --json")
if [ "$aot" = 1 ]; then
  echo "== building rxfeed (Release, native AOT, x86-64-v3) -> $bin-aot" >&2
  dotnet publish src/RxFeed.Host/RxFeed.Host.csproj -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet=x86-64-v3 \
    -o "$bin-aot" --nologo -v quiet >&2
  [ -x "$bin-aot/rxfeed" ] || { echo "bench-replay.sh: $bin-aot/rxfeed was not built" >&2; exit 1; }
  names=(rxfeed-aot "${names[@]}") cmds=("$bin-aot/rxfeed replay $data --json" "${cmds[@]}")
fi
names+=(python) cmds+=("$py $root/tools/py-handler.py $data")

echo "== checking all agree" >&2
count() { "$py" -c 'import json,sys; print(json.loads(sys.stdin.read())["bookTickers"])'; }
for i in "${!names[@]}"; do
  out=$(${cmds[$i]})
  n=$(count <<<"$out")
  echo "${names[$i]} bookTickers=$n  (frames written: $frames)"
  if [ "$n" != "$frames" ]; then
    echo "bench-replay.sh: ${names[$i]} counted $n book tickers, not $frames: $out" >&2
    exit 1
  fi
done

json="$dir/bench-replay.json"
if [ -n "$hyperfine" ] && command -v hyperfine >/dev/null; then
  echo "== hyperfine ($runs runs each, 1 warm-up)" >&2
  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$json" "${args[@]}" >&2
else
  echo "== hyperfine not found or --no-hyperfine; timing $runs rounds of every command with bash's time" >&2
  # Rounds interleave the commands, so a slow minute of this shared VM falls on all of them alike.
  declare -A t u k
  TIMEFORMAT='%R %U %S'
  for i in "${!names[@]}"; do ${cmds[$i]} >/dev/null; done # warm-up
  for _ in $(seq "$runs"); do
    for i in "${!names[@]}"; do
      # shellcheck disable=SC2086 # the commands are plain paths and words
      line=$( { time ${cmds[$i]} >/dev/null; } 2>&1 | tail -1 )
      read -r r us sy <<<"$line"
      t[$i]+="${t[$i]:+,}$r" u[$i]+="${u[$i]:+,}$us" k[$i]+="${k[$i]:+,}$sy"
    done
  done
  mean() { awk -v l="$1" 'BEGIN{n=split(l,a,",");for(i=1;i<=n;i++)s+=a[i];print s/n}'; }
  results=()
  for i in "${!names[@]}"; do
    results+=("$(printf '{"command":"%s","times":[%s],"user":%s,"system":%s}' "${names[$i]}" "${t[$i]}" "$(mean "${u[$i]}")" "$(mean "${k[$i]}")")")
  done
  (IFS=,; printf '{"results":[%s]}\n' "${results[*]}") >"$json"
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
    print(f"{name:<10} wall mean {m:7.3f} s ± {sd:.3f} (min {min(t):.3f}, max {max(t):.3f}, {len(t)} runs)"
          f"  CPU {cpu:7.3f} s  {frames / m:>11,.0f} frames/s")
    return m, min(t), cpu
py = line("python")
for name in [n for n in res if n != "python"]:
    rx = line(name)
    ratio = py[0] / rx[0]
    verdict = "meets the 25x goal" if ratio >= 25 else "meets the 10x target" if ratio >= 10 else "BELOW the 10x target"
    print(f"ratio   python/{name} = {ratio:.1f}x wall mean, {py[1] / rx[1]:.1f}x wall min, {py[2] / rx[2]:.1f}x CPU  ({verdict}, on wall mean)")
PY
