"""Benchmark the scale-out path: throughput and peak memory of every stage at 10k and 100k documents.

A synthetic corpus (``synth.iter_corpus``: paragraphs of the bundled corpus,
planted phrase and theme trends; a share of the files damaged the way the
scraped files are) is written as raw compilation files, then, for each worker
count, timed stage by stage:

- build: ``write_corpus`` (decode, repair, split, date; duplicates across partitions)
- tokens: ``scale.tokenize_corpus`` (rjieba, identical to jieba)
- phrases: ``scale.count_corpus_phrases`` + ``phrase_rates`` by year (1000 bootstrap draws)
- lda pass: ``scale.fit_lda_stream``, one pass, K=20, single process (reproducible), streaming

Build, tokens and phrases run on a local Dask cluster with 1 and with 2 worker
processes; peak memory is the largest total resident memory of this process
and all its children (the Dask workers), sampled every 0.1 s.

Run: python benchmarks/bench_scale.py [--sizes 10000 100000] [--workers 1 2] [--damage 0.3]
Writes the table to benchmarks/results/scale.md (and prints it).
Targets (issue 7): 100k documents (~300 MB) built and tokenized in <= 10 min with
<= 2 GB peak on 2 cores; the phrase-rate table in <= 1 min.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil
from _measure import PeakMemory

from bureau_rhetoric import scale
from bureau_rhetoric.corpus import write_corpus
from bureau_rhetoric.phrases import phrase_rates

RESULTS = Path(__file__).resolve().parent / "results" / "scale.md"


def timed(func):
    with PeakMemory() as mem:
        t = time.perf_counter()
        out = func()
        secs = time.perf_counter() - t
    return out, secs, mem.peak / 2**20


def run_size(n_docs: int, workers: list[int], work: Path, damage: float, duplicate_share: float,
             rows: list[dict]) -> None:
    import subprocess

    import pandas as pd

    # generated in a separate process, so the generator's memory is not counted below
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bureau_rhetoric", "synth", "--n-docs", str(n_docs), "--out",
                    str(work / f"syn-{n_docs}"), "--damage", str(damage), "--duplicate-share",
                    str(duplicate_share), "--seed", "0"], check=True, stdout=subprocess.DEVNULL)
    raw = work / f"syn-{n_docs}" / "raw"
    meta = pd.read_parquet(work / f"syn-{n_docs}" / "docs_meta.parquet", columns=["doc_id", "year", "copy_of"])
    truth = {k: meta[k].tolist() for k in ("doc_id", "year", "copy_of")}
    del meta
    info = {"n_bytes": sum(p.stat().st_size for p in raw.iterdir()), "n_files": len(list(raw.iterdir()))}
    mb = info["n_bytes"] / 1e6
    print(f"{n_docs} documents: {mb:.1f} MB raw in {info['n_files']} files "
          f"(generated in {time.perf_counter() - t:.0f} s, not timed below)", flush=True)
    for w in workers:
        out = work / f"out-{n_docs}-{w}"
        sched = "dask"
        paths, secs, peak = timed(lambda: write_corpus(raw, out, scheduler=sched, n_jobs=w))
        rows.append(dict(docs=n_docs, workers=w, stage="build", secs=secs, mb=mb, peak=peak))
        print(rows[-1], flush=True)
        if w == workers[0]:
            check_build(paths["corpus"], truth)
        tok, secs, peak = timed(lambda: scale.tokenize_corpus(paths["corpus"], out / "tokens",
                                                              scheduler=sched, n_workers=w))
        rows.append(dict(docs=n_docs, workers=w, stage="tokens", secs=secs, mb=mb, peak=peak))
        print(rows[-1], flush=True)

        def phrases():
            counts = scale.count_corpus_phrases(paths["corpus"], scheduler=sched, n_workers=w)
            return phrase_rates(counts, scale.read_corpus_meta(paths["corpus"]), by="year", n_boot=1000)

        rates, secs, peak = timed(phrases)
        rows.append(dict(docs=n_docs, workers=w, stage="phrase rates", secs=secs, mb=mb, peak=peak))
        print(rows[-1], flush=True)
        if w == workers[0]:
            _, secs, peak = timed(lambda: scale.fit_lda_stream(out / "tokens", 20, passes=1, chunksize=4000))
            rows.append(dict(docs=n_docs, workers=1, stage="lda pass (K=20)", secs=secs, mb=mb, peak=peak))
            print(rows[-1], flush=True)
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(raw.parent, ignore_errors=True)


def check_build(corpus_path, truth: dict) -> None:
    """Print how the build's duplicates and years compare with the generator's truth."""
    import pandas as pd

    built = pd.read_parquet(corpus_path, columns=["doc_id", "year", "duplicate_of", "near_duplicate_group"])
    if len(built) != len(truth["doc_id"]):
        print(f"  built {len(built)} documents from {len(truth['doc_id'])} generated")
        return
    pos = {d: i for i, d in enumerate(truth["doc_id"])}
    group = built["near_duplicate_group"].tolist()
    copies = [(i, pos[o]) for i, o in enumerate(truth["copy_of"]) if o is not None]
    found = sum(1 for i, o in copies if group[i] is not None and group[i] == group[o])
    originals = {o for _, o in copies}
    planted = {i for i, _ in copies} | originals
    false = sum(1 for i, d in enumerate(built["duplicate_of"]) if d is not None and i not in planted)
    years = (built["year"].to_numpy(dtype=float) == pd.Series(truth["year"], dtype=float).to_numpy()).mean()
    print(f"  planted copies grouped with their original: {found}/{len(copies)}; "
          f"documents flagged that were not planted: {false}; year equal to the true year: {years:.1%}",
          flush=True)


def table(rows: list[dict]) -> str:
    lines = ["| documents | workers | stage | seconds | documents/s | MB/s (raw) | peak memory (MB) |",
             "|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['docs']:,} | {r['workers']} | {r['stage']} | {r['secs']:.1f} | "
                     f"{r['docs'] / r['secs']:,.0f} | {r['mb'] / r['secs']:.2f} | {r['peak']:,.0f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--damage", type=float, default=0.3, help="share of raw files damaged (default 0.3)")
    ap.add_argument("--duplicate-share", type=float, default=0.05,
                    help="share of documents that are planted copies (default 0.05)")
    ap.add_argument("--out", type=Path, default=RESULTS, help=f"table file (default {RESULTS})")
    ap.add_argument("--tmp", type=Path, default=None, help="working folder (default: a temporary one)")
    args = ap.parse_args(argv)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for n in args.sizes:
            run_size(n, args.workers, Path(tmp), args.damage, args.duplicate_share, rows)
    head = (f"Machine: {psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, "
            f"Python {platform.python_version()}; damage share {args.damage}; "
            f"planted copies {args.duplicate_share}; "
            f"{time.strftime('%Y-%m-%d')}\n\n")
    text = head + table(rows) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
