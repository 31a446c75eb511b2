#!/usr/bin/env bash
# Whole-process benchmark of `rxfeed replay FILE --json` (issue 17), every baseline timed in the same run, round by round:
#
#   python      tools/py-handler.py over the plain file (the original bot's handler)            target: rxfeed >= 25x faster
#   floor       an empty `rxfeed --version` (start-up) + reading the file in 1 MB blocks + the parse benchmark's loop
#               (FrameParser.Parse + the rules) over its frames, the last two timed inside `RxFeed.Benchmarks floor`
#                                                                                                 target: rxfeed <= 2x
#   gunzip      GZipStream decoding the .gz to nothing (`RxFeed.Benchmarks gunzip`, in-process)  target: rxfeed .gz <= 1.3x
#   peak RSS    of every command (/usr/bin/time)                                                 target: < 100 MB
#
# rxfeed is built as the README gives it: `dotnet publish src/RxFeed.Host -c Release` with no flags (framework-dependent,
# ReadyToRun by the host's project settings), and, unless --no-aot, also native AOT for x86-64-v3 beside it. The data
# (1 M book-ticker frames from tools/gen-booktickers.py, plain, and a gzip -6 copy) is generated once on tmpfs.
#
#   tools/bench-replay.sh [--frames N] [--runs N] [--dir DIR] [--regen] [--no-aot]
#
# Environment: PYTHON (python3).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# Default to tmpfs: this VM's proactive reclaim evicts the page cache between runs, and then every run would time
# the disk instead of the programs (first runs of 4 s instead of 0.6 s were seen).
default_dir="${TMPDIR:-/tmp}/rxfeed-bench"
[ -d /dev/shm ] && [ -w /dev/shm ] && default_dir=/dev/shm/rxfeed-bench
frames=1000000 runs=5 dir=$default_dir regen=0 aot=1
while [ $# -gt 0 ]; do
  case "$1" in
    --frames) frames=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    --no-aot) aot=0; shift ;;
    --no-hyperfine) shift ;; # accepted for old command lines: rounds are always timed here, to interleave the floors
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench-replay.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
py=${PYTHON:-python3}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$dir"
data="$dir/booktickers-$frames.txt"
gz="$data.gz"
bin="$dir/rxfeed"
bench="$dir/benchmarks"

if [ "$regen" = 1 ] || [ ! -s "$data" ]; then
  echo "== generating $frames book-ticker frames -> $data" >&2
  "$py" tools/gen-booktickers.py "$data" --frames "$frames"
  rm -f "$gz"
else
  echo "== reusing $data ($(wc -l <"$data") lines; --regen to rewrite)" >&2
fi
if [ ! -s "$gz" ]; then
  echo "== gzip -6 -> $gz" >&2
  gzip -6 -c "$data" >"$gz"
fi

echo "== building rxfeed as the README does (dotnet publish -c Release, no flags) -> $bin" >&2
dotnet publish src/RxFeed.Host/RxFeed.Host.csproj -c Release -o "$bin" --nologo -v quiet >&2
[ -x "$bin/rxfeed" ] || { echo "bench-replay.sh: $bin/rxfeed was not built" >&2; exit 1; }
echo "== building the floors (RxFeed.Benchmarks, Release) -> $bench" >&2
dotnet build tests/RxFeed.Benchmarks/RxFeed.Benchmarks.csproj -c Release -o "$bench" --nologo -v quiet >&2
names=(rxfeed rxfeed-gz) cmds=("$bin/rxfeed replay $data --json" "$bin/rxfeed replay $gz --json")
if [ "$aot" = 1 ]; then
  echo "== building rxfeed (native AOT, x86-64-v3) -> $bin-aot" >&2
  dotnet publish src/RxFeed.Host/RxFeed.Host.csproj -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet=x86-64-v3 \
    -o "$bin-aot" --nologo -v quiet >&2
  [ -x "$bin-aot/rxfeed" ] || { echo "bench-replay.sh: $bin-aot/rxfeed was not built" >&2; exit 1; }
  names+=(aot aot-gz) cmds+=("$bin-aot/rxfeed replay $data --json" "$bin-aot/rxfeed replay $gz --json")
fi
names+=(python version floor gunzip)
cmds+=("$py $root/tools/py-handler.py $data" "$bin/rxfeed --version" "$bench/RxFeed.Benchmarks floor $data" "$bench/RxFeed.Benchmarks gunzip $gz")

echo "== checking all agree" >&2
count() { "$py" -c 'import json,sys; print(json.loads(sys.stdin.read())["bookTickers"])'; }
for i in "${!names[@]}"; do
  case "${names[$i]}" in version|floor|gunzip) continue ;; esac
  out=$(${cmds[$i]})
  n=$(count <<<"$out")
  echo "${names[$i]} bookTickers=$n  (frames written: $frames)" >&2
  if [ "$n" != "$frames" ]; then
    echo "bench-replay.sh: ${names[$i]} counted $n book tickers, not $frames: $out" >&2
    exit 1
  fi
done

# Rounds interleave the commands, so a slow minute of this shared VM falls on all of them alike. Each line of the
# results: name, round, wall s, user s, sys s, peak RSS KiB, the command's stdout when it is a floor (its inner times).
results="$dir/bench-replay.tsv"
: >"$results"
timer=/usr/bin/time
[ -x "$timer" ] || timer=
echo "== $runs rounds (1 warm-up round), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for round in $(seq 0 "$runs"); do
  for i in "${!names[@]}"; do
    if [ -n "$timer" ]; then
      # shellcheck disable=SC2086 # the commands are plain paths and words
      out=$($timer -f '%e %U %S %M' -o "$dir/time.txt" ${cmds[$i]})
      read -r wall user sys rss <"$dir/time.txt"
    else
      TIMEFORMAT='%R %U %S'
      # shellcheck disable=SC2086
      { time out=$(${cmds[$i]}); } 2>"$dir/time.txt"
      read -r wall user sys <"$dir/time.txt"
      rss=0
    fi
    [ "$round" = 0 ] && continue
    case "${names[$i]}" in floor|gunzip) extra=$out ;; *) extra=- ;; esac
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${names[$i]}" "$round" "$wall" "$user" "$sys" "$rss" "$extra" >>"$results"
  done
done

"$py" - "$results" "$frames" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys
from collections import defaultdict
rows = defaultdict(list)
for line in open(sys.argv[1]):
    name, rnd, wall, user, sys_, rss, extra = line.rstrip("\n").split("\t")
    rows[name].append(dict(wall=float(wall), cpu=float(user) + float(sys_), rss=int(rss), extra=None if extra == "-" else json.loads(extra)))
frames = int(sys.argv[2])
mean = statistics.mean
def stats(name):
    r = rows[name]
    w = [x["wall"] for x in r]
    return mean(w), min(w), mean(x["cpu"] for x in r), max(x["rss"] for x in r) / 1024
print(f"load average at the end: {sys.argv[3]}; {len(rows['python'])} rounds")
print(f"{'command':<10} {'wall mean':>9} {'± sd':>7} {'min':>7} {'CPU':>7} {'peak RSS':>9} {'frames/s':>11}")
for name in rows:
    w = [x["wall"] for x in rows[name]]
    m, lo, cpu, rss = stats(name)
    sd = statistics.stdev(w) if len(w) > 1 else 0.0
    fps = f"{frames / m:>11,.0f}" if name not in ("version", "floor", "gunzip") else ""
    print(f"{name:<10} {m:9.3f} {sd:7.3f} {lo:7.3f} {cpu:7.3f} {rss:7.1f}MB {fps}")
start = stats("version")[0]
read = mean(x["extra"]["readSeconds"] for x in rows["floor"])
parse = mean(x["extra"]["parseSeconds"] for x in rows["floor"])
inflate = mean(x["extra"]["gunzipSeconds"] for x in rows["gunzip"])
floor = start + read + parse
print(f"floor = start-up {start:.3f} s + read {read:.3f} s + parse loop {parse:.3f} s ({parse / frames * 1e9:.0f} ns/frame) = {floor:.3f} s")
print(f"gunzip floor = GZipStream to nothing {inflate:.3f} s (+ start-up {start:.3f} s = {inflate + start:.3f} s)")
py = stats("python")
for name in [n for n in rows if n.startswith(("rxfeed", "aot"))]:
    m, lo, cpu, rss = stats(name)
    if name.endswith("-gz"):
        r, r2 = m / inflate, m / (inflate + start)
        print(f"ratio   {name:<9} / gunzip        = {r:5.2f}x ({r2:.2f}x with start-up)   target <= 1.3x: {'met' if r <= 1.3 else 'MISSED'}")
    else:
        ratio = py[0] / m
        print(f"ratio   python / {name:<9} = {ratio:5.1f}x wall mean, {py[1] / lo:.1f}x wall min, {py[2] / cpu:.1f}x CPU   target >= 25x: {'met' if ratio >= 25 else 'MISSED'}")
        print(f"ratio   {name:<9} / floor         = {m / floor:5.2f}x   target <= 2x: {'met' if m / floor <= 2 else 'MISSED'}")
    print(f"        {name:<9} peak RSS {rss:.1f} MB   target < 100 MB: {'met' if rss < 100 else 'MISSED'}")
PY
