#!/usr/bin/env python3
"""Write a large replay file of real book-ticker frames for the whole-process benchmark.

Takes the book-ticker lines of a capture (`<ns> <frame>` lines, .gz or plain) and repeats them until
N frames are written, shifting each repetition's `u` (per symbol) and receive time past the previous
repetition's, so `u` keeps rising strictly per symbol and time never goes back. Every frame stays
byte-for-byte the captured text except the digits of `u`. Output is plain text in replay format.

    python3 tools/gen-booktickers.py OUT [--frames 1000000] [--input tests/data/...txt.gz]

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "binance-spot-ethusdt-20240808.txt.gz"

# The payload's update id; book tickers carry exactly one `"u":` key (the envelope has none).
U_RE = re.compile(r'"u":(\d+)')
S_RE = re.compile(r'"s":"([^"]*)"')


def open_text(path: Path):
    """Open a capture as text, gzip or plain, without newline translation (frames keep their bytes)."""
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="\n")
    return open(path, "r", encoding="utf-8", newline="\n")


def is_book_ticker(frame: str) -> bool:
    """True for the capture's combined `…@bookTicker` frames and raw `"e":"bookTicker"` ones."""
    return '@bookTicker"' in frame or '"e":"bookTicker"' in frame


def load(path: Path) -> list[tuple[int, str, str, int, int, int]]:
    """Return (ns, symbol, frame, u, u_start, u_end) for each book-ticker line of the capture."""
    rows = []
    with open_text(path) as f:
        for line in f:
            line = line.rstrip("\n")
            ts, sep, frame = line.partition(" ")
            if not sep or not ts.isdigit() or not is_book_ticker(frame):
                continue
            um = list(U_RE.finditer(frame))
            sm = S_RE.search(frame)
            if len(um) != 1 or sm is None:
                raise SystemExit(f"unexpected book-ticker frame shape: {frame[:120]}")
            m = um[0]
            rows.append((int(ts), sm.group(1), frame, int(m.group(1)), m.start(1), m.end(1)))
    if not rows:
        raise SystemExit(f"no book-ticker lines in {path}")
    return rows


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="output file (plain text, replay format)")
    ap.add_argument("--frames", type=int, default=1_000_000, help="book-ticker frames to write (1000000)")
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="capture to take book tickers from")
    args = ap.parse_args(argv)
    if args.frames < 1:
        ap.error("--frames must be >= 1")

    rows = load(args.input)
    first_ns, last_ns = rows[0][0], rows[-1][0]
    # Each repetition starts one mean inter-frame gap after the previous one ended.
    gap = max(1, (last_ns - first_ns) // max(1, len(rows) - 1))
    time_step = last_ns - first_ns + gap
    # Per symbol, each repetition's ids start above the previous repetition's highest id.
    u_min: dict[str, int] = {}
    u_max: dict[str, int] = {}
    for _, sym, _, u, _, _ in rows:
        u_min[sym] = min(u, u_min.get(sym, u))
        u_max[sym] = max(u, u_max.get(sym, u))
    u_step = {sym: u_max[sym] - u_min[sym] + 1 for sym in u_min}

    written = 0
    rep = 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        while written < args.frames:
            dt = rep * time_step
            chunk = []
            for ns, sym, frame, u, start, end in rows:
                if written == args.frames:
                    break
                chunk.append(f"{ns + dt} {frame[:start]}{u + rep * u_step[sym]}{frame[end:]}\n")
                written += 1
            out.writelines(chunk)
            rep += 1
    print(f"wrote {written} book-ticker frames ({rep} repetitions of {len(rows)}) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
