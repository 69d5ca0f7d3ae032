"""Command line: ``bureau-rhetoric build`` and ``bureau-rhetoric notebooks``.

``build --raw DIR --out DIR`` turns raw files into ``corpus.parquet``,
``audit.parquet`` and ``build_report.html``; it exits 0 when at least one
document was built and 2 with a one-line reason otherwise.
``notebooks`` executes every numbered notebook on a built corpus and writes the
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

    n = sub.add_parser("notebooks", help="execute the notebooks and render them to HTML")
    n.add_argument("--corpus", type=Path, default=PROCESSED_DIR, help="folder with corpus.parquet")
    n.add_argument("--figures", type=Path, default=FIGURES_DIR, help="where figures are written")
    n.add_argument("--out", type=Path, default=REPORTS_DIR / "notebooks",
                   help="where executed notebooks and HTML go")
    n.add_argument("--seed", type=int, default=DEFAULT_SEED)
    n.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all)")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "build":
        from .corpus import CorpusBuildError, write_corpus

        try:
            paths = write_corpus(args.raw, args.out)
        except CorpusBuildError as err:
            print(f"bureau-rhetoric build: {err}", file=sys.stderr)
            return 2
        for p in paths.values():
            print(p)
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
