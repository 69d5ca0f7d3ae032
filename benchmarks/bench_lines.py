"""Seconds against line count for one long raw file: the repeated-body step and the whole per-file build.

A single file of N short lines (about 23 bytes each, as a scraped list or a table
exported to text; lines of equal length are the worst case for the old search)
goes through ``dedupe.repeated_body_edits`` and through ``corpus.process_file``
(decode excluded: the text is built in memory). ``--before REV`` also times the
``repeated_body_edits`` of a git revision (loaded from ``git show REV:...``), each
size in its own process stopped after ``--limit`` seconds.

    python benchmarks/bench_lines.py                      # after only
    python benchmarks/bench_lines.py --before 6e3455b     # before and after, results/lines.md
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing as mp
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1_000, 10_000, 100_000)
WORDS = ["创新驱动", "高新技术", "科技成果", "产学研用", "科普惠民", "知识产权", "人才引进", "孵化平台"]


def long_text(n_lines: int, seed: int = 0) -> str:
    """A title and ``n_lines`` lines of equal length; no body pasted twice."""
    rng = random.Random(seed)
    lines = [f"{i:06d}" + "".join(rng.choice(WORDS)[rng.randrange(2):][:2] for _ in range(7)) + "。"
             for i in range(n_lines)]
    return "市科技局项目清单\n" + "\n".join(lines)


def _load_rev(rev: str):
    src = subprocess.run(["git", "show", f"{rev}:src/bureau_rhetoric/dedupe.py"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "dedupe_before.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("bureau_rhetoric._dedupe_before", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _time_before(rev: str, n: int, q) -> None:
    mod = _load_rev(rev)
    text = long_text(n)
    t = time.perf_counter()
    mod.repeated_body_edits(text)
    q.put(time.perf_counter() - t)


def time_before(rev: str, n: int, limit: float) -> str:
    q = mp.Queue()
    p = mp.Process(target=_time_before, args=(rev, n, q))
    p.start()
    p.join(limit)
    if p.is_alive():
        p.terminate()
        p.join()
        return f"> {limit:.0f} (stopped)"
    return f"{q.get():.2f}"


def time_after(n: int) -> tuple[float, float]:
    from bureau_rhetoric import dedupe, ingest
    from bureau_rhetoric.corpus import process_file

    text = long_text(n)
    t = time.perf_counter()
    dedupe.repeated_body_edits(text)
    t_rb = time.perf_counter() - t
    raw = ingest.RawFile(path=Path("000_long.txt"), sha256="-", n_bytes=len(text.encode()), encoding="utf-8",
                         text=text, rel_path="000_long.txt")
    t = time.perf_counter()
    docs, _, _ = process_file(raw)
    assert len(docs) == 1
    return t_rb, time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", metavar="REV", help="git revision whose repeated_body_edits to time too")
    ap.add_argument("--limit", type=float, default=120.0, help="seconds allowed per size for --before")
    ap.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    ap.add_argument("--md", type=Path, default=None, help="also write the table here (markdown)")
    args = ap.parse_args()
    head = "| lines | MB | " + ("repeated_body before (s) | " if args.before else "") + \
        "repeated_body after (s) | process_file after (s) |"
    rows = [head, "|" + "---:|" * (head.count("|") - 1)]
    print(head, flush=True)
    for n in args.sizes:
        mb = len(long_text(n).encode("utf-8")) / 1e6
        before = time_before(args.before, n, args.limit) if args.before else None
        rb, pf = time_after(n)
        row = f"| {n:,} | {mb:.2f} | " + (f"{before} | " if before else "") + f"{rb:.2f} | {pf:.2f} |"
        rows.append(row)
        print(row, flush=True)
    if args.md:
        args.md.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
