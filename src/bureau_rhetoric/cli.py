"""Command line: ``bureau-rhetoric build``, ``tokens``, ``phrases`` and ``notebooks``.

``build --raw DIR --out DIR`` turns raw files into ``corpus.parquet``,
``audit.parquet`` and ``build_report.html``; it exits 0 when at least one
document was built and 2 with a one-line reason otherwise.
``--scheduler dask`` (or ``processes``, or a Dask scheduler address) runs
the partitions of ``build``, ``tokens`` and ``phrases`` in parallel, with the
same output. ``notebooks`` executes every numbered notebook on a built corpus and writes the
executed copies and their HTML renderings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .config import DEFAULT_SEED, FIGURES_DIR, PROCESSED_DIR, RAW_DIR, REPORTS_DIR


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="bureau-rhetoric",
        description="Build a clean, dated corpus of 科技局 reports and run the analysis notebooks.")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the corpus from raw files")
    b.add_argument("--raw", type=Path, default=RAW_DIR, help="folder of raw files (default: data/raw)")
    b.add_argument("--out", type=Path, default=PROCESSED_DIR, help="output folder (default: data/processed)")
    _scale_args(b)
    b.add_argument("--partition-mb", type=float, default=16.0,
                   help="raw megabytes per partition (default 16); the output does not depend on it")

    t = sub.add_parser("tokens", help="segment a built corpus into a folder of token Parquet files")
    t.add_argument("--corpus", type=Path, default=PROCESSED_DIR, help="folder with corpus.parquet")
    t.add_argument("--out", type=Path, default=None, help="token folder (default: CORPUS/tokens)")
    t.add_argument("--unit", choices=["document", "paragraph"], default="document")
    _scale_args(t)

    p = sub.add_parser("phrases", help="count lexicon phrases in a built corpus and write rates by year/period")
    p.add_argument("--corpus", type=Path, default=PROCESSED_DIR, help="folder with corpus.parquet")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: the corpus folder)")
    p.add_argument("--by", default="year", help="grouping column for rates (default: year; or fyp_period)")
    p.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates for the intervals")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    _scale_args(p)

    n = sub.add_parser("notebooks", help="execute the notebooks and render them to HTML")
    n.add_argument("--corpus", type=Path, default=PROCESSED_DIR, help="folder with corpus.parquet")
    n.add_argument("--figures", type=Path, default=FIGURES_DIR, help="where figures are written")
    n.add_argument("--out", type=Path, default=REPORTS_DIR / "notebooks",
                   help="where executed notebooks and HTML go")
    n.add_argument("--seed", type=int, default=DEFAULT_SEED)
    n.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all)")
    return ap


def _scale_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--scheduler", default=None,
                    help="where partitions run: omit for this process, 'processes' for a local pool, "
                         "'dask' for a local Dask cluster, or a scheduler address such as tcp://host:8786")
    ap.add_argument("--workers", type=int, default=None,
                    help="worker processes for 'processes'/'dask' (default: one per core)")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "build":
        from .corpus import CorpusBuildError, write_corpus

        try:
            paths = write_corpus(args.raw, args.out, scheduler=args.scheduler, n_jobs=args.workers or 1,
                                 partition_mb=args.partition_mb)
        except CorpusBuildError as err:
            print(f"bureau-rhetoric build: {err}", file=sys.stderr)
            return 2
        for p in paths.values():
            print(p)
        return 0
    if args.command in ("tokens", "phrases"):
        from . import scale

        try:
            parts = scale.corpus_partitions(args.corpus)
        except FileNotFoundError as err:
            print(f"bureau-rhetoric {args.command}: {err}", file=sys.stderr)
            return 2
        if args.command == "tokens":
            out = args.out or args.corpus / "tokens"
            info = scale.tokenize_corpus(parts[0][0], out, unit=args.unit, scheduler=args.scheduler,
                                         n_workers=args.workers)
            print(f"{out}: {info['n_units']} units from {info['n_docs']} documents")
            return 0
        from .phrases import phrase_rates

        out = args.out or args.corpus
        out.mkdir(parents=True, exist_ok=True)
        counts = scale.count_corpus_phrases(parts[0][0], scheduler=args.scheduler, n_workers=args.workers)
        counts.to_parquet(out / "phrase_counts.parquet", index=False)
        rates = phrase_rates(counts, scale.read_corpus_meta(parts[0][0]), by=args.by, n_boot=args.n_boot,
                             seed=args.seed)
        rates.to_csv(out / f"phrase_rates_by_{args.by}.csv", index=False, encoding="utf-8-sig")
        print(out / "phrase_counts.parquet")
        print(out / f"phrase_rates_by_{args.by}.csv")
        return 0
    if args.command == "notebooks":
        from .notebooks import run_notebooks

        if not (args.corpus / "corpus.parquet").is_file():
            print(f"bureau-rhetoric notebooks: no corpus.parquet in {args.corpus}; "
                  f"run `bureau-rhetoric build --out {args.corpus}` first", file=sys.stderr)
            return 2
        try:
            done = run_notebooks(args.notebooks or None, args.out, corpus_dir=args.corpus,
                                 figures_dir=args.figures, seed=args.seed)
        except RuntimeError as err:
            print(f"bureau-rhetoric notebooks: {err}", file=sys.stderr)
            return 1
        for p in done:
            print(p)
        return 0
    return 2  # pragma: no cover - argparse enforces the choices


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
