"""Calibrate the dating: MAE and interval coverage on documents with known years.

Two test sets, both scored with the explicit years left in and with every explicit year
masked (``2015年`` → ``XX年``/``20xx年``/…) before inference:

1. generated bureau reports (``bureau_rhetoric.dating_calibration.make_synthetic_reports``);
2. dated seed documents (``scripts/seed_year_annotations.csv``) found in a corpus table.

Usage::

    python scripts/calibrate_dating.py                      # generated set, seed corpus if built
    python scripts/calibrate_dating.py --n 1000 --seed 3 --corpus data/processed/corpus.parquet

Prints n, point rate (share with a point year), MAE where a point is given, interval
coverage (true year inside [year_lo, year_hi]; a missing bound counts as open), the share of
bounded intervals and their mean width, overall and by confidence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from bureau_rhetoric import config
from bureau_rhetoric.dating import date_corpus
from bureau_rhetoric.dating_calibration import make_synthetic_reports, mask_corpus, score_dating

HERE = Path(__file__).resolve().parent


def _fmt(res: dict) -> str:
    keys = ["n", "point_rate", "mae", "coverage", "bounded", "mean_width"]
    head = "  ".join(f"{k}={res[k]:.3f}" if isinstance(res[k], float) else f"{k}={res[k]}" for k in keys)
    return head + "\n" + res["by_confidence"].round(3).to_string(index=False)


def seed_gold(corpus: pd.DataFrame, annotations: Path) -> pd.DataFrame:
    """Return the corpus rows that an annotation matches, with ``true_year``."""
    lines = [ln for ln in annotations.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    from io import StringIO

    ann = pd.read_csv(StringIO("\n".join(lines)))
    rows = []
    for a in ann.itertuples():
        hit = corpus[(corpus["source_file"].astype(str).str.endswith(a.source_file))
                     & corpus["title"].astype(str).str.contains(a.title_regex, regex=True)]
        if "duplicate_of" in hit.columns:
            hit = hit[hit["duplicate_of"].isna()] if hit["duplicate_of"].isna().any() else hit
        if len(hit):
            row = hit.iloc[0].copy()
            row["true_year"] = int(a.year)
            rows.append(row)
        else:
            print(f"  (no document matches {a.source_file} / {a.title_regex})", file=sys.stderr)
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=600, help="generated documents (default 600)")
    ap.add_argument("--seed", type=int, default=config.DEFAULT_SEED)
    ap.add_argument("--corpus", type=Path, default=config.PROCESSED_DIR / "corpus.parquet",
                    help="corpus table with source_file, title, text, published")
    ap.add_argument("--annotations", type=Path, default=HERE / "seed_year_annotations.csv")
    ap.add_argument("--out", type=Path, help="write per-document results (CSV) here")
    args = ap.parse_args(argv)

    results = []
    synth = make_synthetic_reports(args.n, seed=args.seed)
    sets = {"generated, years visible": synth, "generated, years masked": mask_corpus(synth, seed=args.seed)}
    if args.corpus.is_file():
        gold = seed_gold(pd.read_parquet(args.corpus), args.annotations)
        if len(gold):
            sets["seeds, years visible"] = gold
            sets["seeds, years masked"] = mask_corpus(gold, seed=args.seed)
    else:
        print(f"(no corpus at {args.corpus}: seed documents skipped)")
    for name, docs in sets.items():
        dated = date_corpus(docs.drop(columns=[c for c in ("year", "year_lo", "year_hi", "year_confidence",
                                                           "year_evidence", "fyp_period") if c in docs]))
        res = score_dating(dated)
        print(f"\n== {name}\n{_fmt(res)}")
        dated["set"] = name
        results.append(dated)
    if args.out:
        pd.concat(results)[["set", "doc_id", "title", "true_year", "year", "year_lo", "year_hi",
                            "year_confidence"]].to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
