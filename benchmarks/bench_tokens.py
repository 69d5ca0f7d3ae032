"""Benchmark segmentation: a plain jieba.lcut loop against bureau_rhetoric.tokens.

Usage::

    PYTHONPATH=src python benchmarks/bench_tokens.py [--copies 8] [--docs-per-copy 40]

The texts are the seed reports in data/raw (pinyin annotations stripped,
Traditional converted to Simplified), cut into pieces of a few thousand
characters and repeated ``--copies`` times, each copy made unique by a suffix so
that the cache cannot short-cut it. Both sides load the same domain dictionary.

Prints characters per second for

* jieba: ``jieba.Tokenizer`` + domain dictionary, ``lcut`` per document (HMM on);
* ours, one core: ``tokenize_docs(n_jobs=1, cache_dir=False)`` (rjieba on
  Chinese-character runs, stopwords dropped);
* ours, all cores: ``tokenize_docs(n_jobs=None, cache_dir=False)``;
* ours, cached rerun: ``tokenize_docs`` on a warm cache (seconds);

and checks that jieba and rjieba give the same tokens on every Chinese run.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time

import pandas as pd


def load_texts(copies: int, piece: int) -> pd.DataFrame:
    import opencc

    from bureau_rhetoric.config import RAW_DIR

    cc = opencc.OpenCC("t2s")
    pinyin = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\s*)+\)")
    texts = [cc.convert(pinyin.sub("", p.read_text(encoding="utf-8"))) for p in sorted(RAW_DIR.glob("*.txt"))]
    pieces = [t[i:i + piece] for t in texts for i in range(0, len(t), piece)]
    rows = []
    for c in range(copies):
        for j, p in enumerate(pieces):
            rows.append({"doc_id": f"c{c}-p{j}", "text": p + f"\n第{c}份副本。"})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=6)
    ap.add_argument("--piece", type=int, default=3000, help="characters per document")
    args = ap.parse_args(argv)

    from bureau_rhetoric import tokens

    docs = load_texts(args.copies, args.piece)
    n_chars = int(docs["text"].str.len().sum())
    cpus = os.cpu_count()
    print(f"corpus: {len(docs)} documents, {n_chars:,} characters; {cpus} cores; python {sys.version.split()[0]}")

    jt = tokens.build_jieba_tokenizer()
    t = time.perf_counter()
    for text in docs["text"]:
        jt.lcut(text)
    t_jieba = time.perf_counter() - t

    tok = tokens.Tokenizer()
    t = time.perf_counter()
    for text in docs["text"]:
        tok.segment(text)
    t_seg = time.perf_counter() - t

    t = time.perf_counter()
    tokens.tokenize_docs(docs, n_jobs=1, cache_dir=False, progress=False)
    t_one = time.perf_counter() - t

    old = tokens.PARALLEL_MIN_CHARS
    tokens.PARALLEL_MIN_CHARS = 0
    t = time.perf_counter()
    tokens.tokenize_docs(docs, n_jobs=None, cache_dir=False, progress=False)
    t_all = time.perf_counter() - t
    tokens.PARALLEL_MIN_CHARS = old

    with tempfile.TemporaryDirectory() as d:
        tokens.tokenize_docs(docs, n_jobs=None, cache_dir=d, progress=False)
        t = time.perf_counter()
        res = tokens.tokenize_docs(docs, n_jobs=None, cache_dir=d, progress=False)
        t_cached = time.perf_counter() - t
        assert res.attrs["cache"]["misses"] == 0

    runs = [r for text in docs["text"].iloc[: len(docs) // args.copies] for r in tokens.CJK_RUN.findall(text)]
    same = sum(jt.lcut(r) == tok.segment(r) for r in runs)

    rate = lambda s: f"{n_chars / s:>12,.0f} chars/s"  # noqa: E731
    print(f"jieba.lcut loop, 1 core           {t_jieba:7.2f} s  {rate(t_jieba)}")
    print(f"rjieba segment only, 1 core       {t_seg:7.2f} s  {rate(t_seg)}  ({t_jieba / t_seg:.1f}x)")
    print(f"tokenize_docs, 1 core, no cache   {t_one:7.2f} s  {rate(t_one)}  ({t_jieba / t_one:.1f}x)")
    print(f"tokenize_docs, {cpus} cores, no cache  {t_all:7.2f} s  {rate(t_all)}  ({t_jieba / t_all:.1f}x)")
    print(f"tokenize_docs, cached rerun       {t_cached:7.2f} s  {rate(t_cached)}  ({t_jieba / t_cached:.0f}x)")
    print(f"jieba == rjieba on {same}/{len(runs)} Chinese runs")
    return 0 if same == len(runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
