#!/usr/bin/env node
// Baseline for tools/bench-e2e.sh: a bare `ws` 8 client that connects to a Binance-compatible endpoint, JSON.parses
// every frame, counts them, and prints one JSON line once it has N frames (or the socket closes):
//   {"frames":N,"bookTickers":N,"seconds":S,"framesPerSecond":R}
// `seconds` runs from the first frame's arrival to the moment the last one is parsed, the same window as
// rxfeed run's "feedSeconds".
//
//   node node-client.js ws://127.0.0.1:PORT/ws/ethusdt@bookTicker [--frames 1000000] [--idle-ms 3000]
'use strict';
const WebSocket = require('ws');

const args = process.argv.slice(2);
const url = args[0];
let want = 1000000;
let idleMs = 3000;
for (let i = 1; i < args.length; i += 2) {
  if (args[i] === '--frames') want = Number(args[i + 1]);
  else if (args[i] === '--idle-ms') idleMs = Number(args[i + 1]);
  else { console.error(`node-client.js: unknown argument ${args[i]}`); process.exit(2); }
}
if (!url) { console.error('usage: node node-client.js URL [--frames N] [--idle-ms MS]'); process.exit(2); }

let frames = 0;
let bookTickers = 0;
let first = 0n;
let last = 0n;
let done = false;
let idle = null;

const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 20 });
function finish(code) {
  if (done) return;
  done = true;
  const seconds = frames > 0 ? Number(last - first) / 1e9 : 0;
  const rate = seconds > 0 ? frames / seconds : 0;
  process.stdout.write(JSON.stringify({ frames, bookTickers, seconds, framesPerSecond: Math.round(rate) }) + '\n');
  ws.terminate();
  process.exit(code);
}
ws.on('message', (data, isBinary) => {
  if (frames === 0) first = process.hrtime.bigint();
  const msg = JSON.parse(isBinary ? data : data.toString('utf8'));
  frames++;
  const payload = msg.data !== undefined ? msg.data : msg;
  if (payload && typeof payload.u === 'number' && typeof payload.b === 'string') bookTickers++;
  last = process.hrtime.bigint();
  if (frames >= want) finish(0);
  // The exchange keeps the socket open after a --no-loop replay ends: stop once it has been silent a while.
  if (idle === null) {
    idle = setInterval(() => {
      if (Number(process.hrtime.bigint() - last) / 1e6 > idleMs) finish(0);
    }, 250);
  }
});
ws.on('close', () => finish(0));
ws.on('error', (e) => { console.error(`node-client.js: ${e.message}`); finish(1); });
