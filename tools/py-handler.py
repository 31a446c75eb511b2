#!/usr/bin/env python3
"""What the original Python bot's book-ticker handler did, run over a replay file: the whole-process baseline.

Per line: split off the receive timestamp, json.loads the frame, unwrap the combined-stream envelope,
check the required fields, convert prices and sizes with float(), check prices > 0 and sizes >= 0, flag
bid >= ask as inverted, count. Prints one JSON object of counts (same key names as `rxfeed replay --json`).

    python3 tools/py-handler.py FILE [FILE...]

Python 3.11, standard library only.
"""

from __future__ import annotations

import gzip
import json
import sys

REQUIRED = ("u", "s", "b", "B", "a", "A")


def open_text(path: str):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    return open(path, "r", encoding="utf-8", newline="\n")


def main(paths: list[str]) -> int:
    counts = {"lines": 0, "bookTickers": 0, "inverted": 0, "invalid": 0, "malformed": 0, "other": 0}
    for path in paths:
        with open_text(path) as f:
            for line in f:
                line = line.rstrip("\r\n")
                if not line.strip():
                    continue
                counts["lines"] += 1
                ts, sep, frame = line.partition(" ")
                if not (sep and ts.isdigit()):
                    frame = line
                try:
                    msg = json.loads(frame)
                except ValueError:
                    counts["malformed"] += 1
                    continue
                if not isinstance(msg, dict):
                    counts["malformed"] += 1
                    continue
                if "stream" in msg and "data" in msg:
                    if not str(msg["stream"]).endswith("@bookTicker"):
                        counts["other"] += 1
                        continue
                    data = msg["data"]
                elif msg.get("e") == "bookTicker" or ("e" not in msg and all(k in msg for k in ("u", "s", "b", "a"))):
                    data = msg
                else:
                    counts["other"] += 1
                    continue
                if not isinstance(data, dict) or any(k not in data for k in REQUIRED):
                    counts["invalid"] += 1
                    continue
                try:
                    bid = float(data["b"])
                    bid_qty = float(data["B"])
                    ask = float(data["a"])
                    ask_qty = float(data["A"])
                except (TypeError, ValueError):
                    counts["invalid"] += 1
                    continue
                if not data["s"] or bid <= 0 or ask <= 0 or bid_qty < 0 or ask_qty < 0:
                    counts["invalid"] += 1
                    continue
                if bid >= ask:
                    counts["inverted"] += 1
                counts["bookTickers"] += 1
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print("usage: py-handler.py FILE [FILE...]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
