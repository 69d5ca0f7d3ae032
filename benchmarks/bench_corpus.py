"""Benchmark the corpus build: seconds for the seeds; MB/s and peak memory on a generated corpus.

The generated corpus (default 100 MB of raw bytes, written to a temporary folder)
is made from sentences of the seed corpus, re-mixed into new documents and damaged
with ``synth.make_dirty_compilation`` (Traditional + pinyin, GBK shift, watermarks,
lead-ins, footers, bodies pasted twice) and written as UTF-8, GB18030, UTF-16
or Big5. The build streams file by file (``write_corpus``).

Run: python benchmarks/bench_corpus.py [--mb 100] [--keep DIR]
Targets (issue 3): >= 5 MB/s and < 1 GB peak memory on a 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _measure import PeakMemory

from bureau_rhetoric import synth
from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.corpus import build_corpus, write_corpus

ENCODINGS = ["utf-8", "utf-8", "gb18030", "utf-16", "big5"]
ALL = set(synth.DAMAGE_KINDS)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def generate_corpus(out: Path, target_mb: float, *, seed: int = 0, file_mb: float = 1.0) -> int:
    """Write dirty compilation files totalling at least ``target_mb`` MB; return bytes written."""
    docs = build_corpus(RAW_DIR)
    docs = docs[docs["duplicate_of"].isna() & ~docs["text"].str.contains("〓")]
    sentences = [s for t in docs["text"] for s in re.split(r"(?<=。)", t) if len(s) > 8]
    rng = random.Random(seed)
    total, k = 0, 0
    while total < target_mb * 1e6:
        enc = ENCODINGS[k % len(ENCODINGS)]
        kinds = ALL - {"traditional_pinyin", "gbk_shift"} if enc == "big5" else ALL
        texts, titles, size = [], [], 0
        while size < file_mb * 1e6 / 3:  # ~3 bytes per character
            body = "".join(rng.choice(sentences) + ("\n" if rng.random() < 0.3 else "")
                           for _ in range(rng.randint(20, 60)))
            texts.append(body)
            titles.append(f"市科技局{rng.randint(2005, 2023)}年工作总结{len(texts)}号")
            size += len(body)
        comp = synth.make_dirty_compilation(texts[:99], titles[:99], seed=seed * 7919 + k,
                                            kinds=tuple(sorted(kinds)))
        data = synth.encode_text(comp, enc)
        (out / f"{k:05d}_gen.txt").write_bytes(data)
        total += len(data)
        k += 1
    return total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=100.0, help="size of the generated corpus (MB)")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--jobs", type=int, default=2, help="files processed in parallel (default 2)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_corpus(RAW_DIR, Path(tmp) / "seeds")
        seeds_s = time.perf_counter() - t
        raw_bytes = sum(p.stat().st_size for p in RAW_DIR.glob("0*.txt"))
        print(f"seed corpus: {raw_bytes / 1e6:.2f} MB in {seeds_s:.2f} s")

        gen = args.keep or Path(tmp) / "gen"
        gen.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        n_bytes = generate_corpus(gen, args.mb)
        print(f"generated {n_bytes / 1e6:.1f} MB in {len(list(gen.iterdir()))} files "
              f"({time.perf_counter() - t:.1f} s, not timed below)")
        rss_before = _peak_rss_mb()
        with PeakMemory() as mem:
            t = time.perf_counter()
            paths = write_corpus(gen, Path(tmp) / "out", n_jobs=args.jobs)
            secs = time.perf_counter() - t
        peak = mem.peak / 2**20  # this process and its workers together
        import pandas as pd

        n_docs = len(pd.read_parquet(paths["corpus"], columns=["doc_id"]))
        print(f"generated corpus: {n_bytes / 1e6:.1f} MB, {n_docs} documents, {secs:.1f} s, "
              f"{n_bytes / 1e6 / secs:.2f} MB/s with {args.jobs} process(es), peak memory {peak:.0f} MB "
              f"(all processes together, sampled every 0.1 s; main process before build {rss_before:.0f} MB; "
              f"largest worker {_children_peak_rss_mb():.0f} MB)")
        ok = n_bytes / 1e6 / secs >= 5 and peak < 1024
        print("targets (>= 5 MB/s, < 1 GB):", "met" if ok else "NOT met")
        if args.keep is None:
            shutil.rmtree(gen, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
