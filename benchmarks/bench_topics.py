"""Benchmark topic models: the K sweep, and gensim LDA against tomotopy per pass.

Usage::

    PYTHONPATH=src python benchmarks/bench_topics.py [--corpus data/processed] [--unit paragraph]
                                                   [--k-values 4 6 8 10 12] [--seeds 1 2 3]

Reads ``CORPUS_DIR/corpus.parquet`` (``bureau-rhetoric build``), drops duplicates and
off-topic documents, tokenizes (cached under ``config.CACHE_DIR / "tokens"``) and builds the bag of
words with the notebooks' filters. Then prints:

1. the K sweep of notebook 03 (``select_topics``: every K x seed, c_v and NPMI
   coherence, held-out perplexity, stability), wall time on all cores from a cold
   model cache (target: under 2 minutes on 2 cores);
2. seconds per pass of gensim ``LdaModel`` (batch variational EM, one process) at
   K=8, from the difference between a 1-pass and a (1+N)-pass fit;
3. seconds per iteration of ``tomotopy.LDAModel`` (collapsed Gibbs sampling,
   C++), one worker and all workers, on the same documents and vocabulary; the
   c_v coherence each reaches after a comparable budget; and whether two runs with
   one seed give identical topics.

One gensim pass (E-step over every unit + M-step) and one tomotopy iteration (one
Gibbs sweep over every token) are different amounts of work: Gibbs needs hundreds of
sweeps where batch VB needs tens of passes, so the table also reports time to a
fitted model and its coherence.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _cv(top_words, texts, dct) -> float:
    from gensim.models import CoherenceModel

    return float(CoherenceModel(topics=top_words, texts=texts, dictionary=dct, coherence="c_v",
                                processes=1).get_coherence())


def main(argv=None) -> int:
    from bureau_rhetoric import config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(config.PROCESSED_DIR), help="folder with corpus.parquet")
    ap.add_argument("--unit", default="paragraph", choices=["paragraph", "document"])
    ap.add_argument("--k-values", type=int, nargs="+", default=[4, 6, 8, 10, 12])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--k", type=int, default=8, help="K for the per-pass comparison")
    ap.add_argument("--passes", type=int, default=20)
    ap.add_argument("--gibbs-iters", type=int, nargs="+", default=[200, 1000])
    args = ap.parse_args(argv)

    logging.disable(logging.WARNING)
    os.environ.setdefault("BUREAU_RHETORIC_PROGRESS", "0")
    from bureau_rhetoric import tokens, topics

    path = Path(args.corpus) / "corpus.parquet"
    if not path.is_file():
        print(f"no corpus at {path}; run `bureau-rhetoric build --out {args.corpus}` first", file=sys.stderr)
        return 2
    docs = topics.filter_docs(pd.read_parquet(path))
    toks = tokens.tokenize_docs(docs, unit=args.unit, cache_dir=config.CACHE_DIR / "tokens")
    kw = dict(no_below=3, no_above=0.5, keep_n=5000, min_tokens=5)
    corpus = topics.build_bow(toks, **kw)
    s = corpus.summary
    print(f"corpus: {len(docs)} documents, {s['n_units']} {args.unit} units, {s['n_terms']} terms, "
          f"{s['n_tokens']:,} tokens; {os.cpu_count()} cores")

    # 1. the K sweep, cold cache, all cores
    t0 = time.perf_counter()
    sel = topics.select_topics(toks, args.k_values, args.seeds, passes=args.passes, n_jobs=None, **kw)
    wall = time.perf_counter() - t0
    tab = sel.table.groupby("K")[["coherence_cv", "coherence_npmi", "heldout_perplexity", "stability",
                                  "fit_seconds", "seconds"]].mean().round(3)
    print(f"\n1. K sweep: {len(sel.table)} fits (K in {args.k_values} x seeds {args.seeds}, {args.passes} passes) "
          f"in {wall:.1f} s wall ({sel.table['seconds'].sum():.1f} s summed over fits)")
    print(tab.to_string())

    # 2. gensim seconds per pass
    texts = [list(t) for t in toks["tokens"]]
    m1 = topics.TopicModel(args.k, passes=1, seed=1).fit(corpus)
    mN = topics.TopicModel(args.k, passes=1 + args.passes, seed=1).fit(corpus)
    g_pass = (mN.fit_seconds_ - m1.fit_seconds_) / args.passes
    g_cv = _cv(mN.top_words(10), texts, corpus.dct)
    again = topics.TopicModel(args.k, passes=1 + args.passes, seed=1).fit(corpus)
    g_same = bool(np.array_equal(again.topic_word_, mN.topic_word_))

    # 3. tomotopy on the same documents and vocabulary
    import tomotopy as tp

    words = [[corpus.dct[i] for i, c in d for _ in range(c)] for d in corpus.bow]
    rows = [("gensim LdaModel (batch VB)", 1, f"{args.passes} passes", g_pass, mN.fit_seconds_, g_cv, g_same)]
    # the same priors as tomotopy below (alpha 0.1, eta 0.01), for a like-for-like coherence
    mP = topics.TopicModel(args.k, passes=args.passes, alpha=0.1, eta=0.01, seed=1).fit(corpus)
    rows.append(("gensim, alpha=0.1 eta=0.01", 1, f"{args.passes} passes", mP.fit_seconds_ / args.passes,
                 mP.fit_seconds_, _cv(mP.top_words(10), texts, corpus.dct), True))

    def tomotopy_fit(iters, workers, seed=1):
        mdl = tp.LDAModel(k=args.k, alpha=0.1, eta=0.01, seed=seed)
        for w in words:
            mdl.add_doc(w)
        mdl.train(0, workers=workers)
        t = time.perf_counter()
        mdl.train(iters, workers=workers)
        el = time.perf_counter() - t
        tw = np.array([mdl.get_topic_word_dist(k) for k in range(args.k)])
        return mdl, el, tw

    for workers in (1, os.cpu_count() or 1):
        for iters in args.gibbs_iters:
            mdl, el, tw = tomotopy_fit(iters, workers)
            _, _, tw2 = tomotopy_fit(iters, workers)
            top = [[w for w, _ in mdl.get_topic_words(k, top_n=10)] for k in range(args.k)]
            rows.append((f"tomotopy LDAModel (Gibbs, C++)", workers, f"{iters} iterations", el / iters, el,
                         _cv(top, texts, corpus.dct), bool(np.array_equal(tw, tw2))))
    out = pd.DataFrame(rows, columns=["engine", "workers", "budget", "seconds_per_pass", "seconds_total",
                                      "coherence_cv", "same_seed_identical"])
    print(f"\n2-3. one fit at K={args.k}: seconds per pass / iteration, total, c_v, reproducibility")
    with pd.option_context("display.width", 160):
        print(out.round({"seconds_per_pass": 4, "seconds_total": 2, "coherence_cv": 3}).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
