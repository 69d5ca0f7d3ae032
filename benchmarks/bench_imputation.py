"""Validate the year imputation against known truth: dated only vs imputed, by masking share.

Generates multi-decade corpora with planted phrase and theme trends and a genre effect
on phrase rates (``imputation_validation.make_validation_corpus``), hides the year of
30 %, 60 % and 90 % of the documents the way scraped sites do, more often for 述职
reports and older documents (``mask_years``), runs the dating step and scores, per
year, the planted phrase rates and theme shares estimated from the point-dated
documents only and from all documents with imputed years (bias, slope bias,
coverage of the 95 % intervals, width; see ``imputation_validation``).

Run: python benchmarks/bench_imputation.py [--n-docs 1000] [--replicates 3] [--m 20] [--seed 0]
Writes benchmarks/results/imputation.md (and prints it). Same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bureau_rhetoric import imputation
from bureau_rhetoric.imputation_validation import format_markdown, summarise_validation, validate_imputation

RESULTS = Path(__file__).resolve().parent / "results" / "imputation.md"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-docs", type=int, default=1000)
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--shares", type=float, nargs="+", default=[0.3, 0.6, 0.9])
    ap.add_argument("--m", type=int, default=imputation.DEFAULT_M)
    ap.add_argument("--n-boot", type=int, default=400)
    ap.add_argument("--prior", default="corpus", choices=["corpus", "uniform"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=RESULTS)
    a = ap.parse_args(argv)
    t = time.perf_counter()
    scores = validate_imputation(n_docs=a.n_docs, shares=tuple(a.shares), replicates=a.replicates, seed=a.seed,
                                 m=a.m, n_boot=a.n_boot, prior=a.prior)
    secs = time.perf_counter() - t
    table = summarise_validation(scores)
    md = ["# Year imputation against known truth", "",
          f"`python benchmarks/bench_imputation.py --n-docs {a.n_docs} --replicates {a.replicates} "
          f"--m {a.m} --n-boot {a.n_boot} --prior {a.prior} --seed {a.seed}`", "",
          f"{a.replicates} synthetic corpora of {a.n_docs} documents, reporting years 2003-2025, planted phrase "
          "rates (3 phrases: rising, falling, flat) and theme shares (6) by year; phrase rates differ by genre "
          "(述职 reports use them least) and 述职 reports, 工作要点 and older documents lose their year most often. "
          "Estimates by year; per cell scored against the planted value. `bias`, `abs_error`: mean (absolute) "
          "error relative to the series' mean truth; `slope_bias`: estimated / planted slope - 1 (negative: "
          "the trend is flattened); `coverage`: share of cells whose 95 % interval holds the truth; `width`: mean "
          "interval width / truth; `cells`: share of year cells with an interval; `mc_error`: Monte-Carlo error "
          "of the imputed estimate / interval width. All in %. Topic shares: the planted mixtures stand in for "
          "a fitted model's posterior, so the check measures the year step, not LDA.", "",
          format_markdown(table), ""]
    text = "\n".join(md)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"({secs:.0f} s; written to {a.out})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
