#!/usr/bin/env bash
# Fan-out over NATS (issue 14): one NatsPublisher, C consumer processes, N book tickers, against a real nats-server
# (Debian's package) started here on a free loopback port with JetStream on a temporary store. Each round runs bare
# NATS.Net subscribers that only count (the baseline) and RxFeed's NatsFeed consumers, and prints per-consumer rates
# and the ratio (tests/RxFeed.Benchmarks/NatsFanout.cs).
#
#   tools/bench-nats.sh [--ticks N] [--consumers C] [--rounds R] [--no-build]
#
# Target: every consumer gets every tick in order; RxFeed per consumer >= 0.5x the bare subscriber.
set -euo pipefail
cd "$(dirname "$0")/.."
ticks=100000 consumers=8 rounds=2 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ticks) ticks=$2; shift 2 ;;
    --consumers) consumers=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-nats.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
server=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -x "$server" ] || { echo "bench-nats.sh: nats-server not found (apt-get install -y nats-server)" >&2; exit 1; }
[ "$build" = 1 ] && dotnet build tests/RxFeed.Benchmarks -c Release -v q -nologo >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
store=$(mktemp -d)
"$server" -a 127.0.0.1 -p "$port" -js -sd "$store" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$store"' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
dotnet tests/RxFeed.Benchmarks/bin/Release/net10.0/RxFeed.Benchmarks.dll nats "nats://127.0.0.1:$port" "$ticks" "$consumers" "$rounds"
