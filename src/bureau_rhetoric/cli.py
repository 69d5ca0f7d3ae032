"""Command line: ``bureau-rhetoric build``, ``bureau-rhetoric notebooks`` and ``bureau-rhetoric synth``.

``build --raw DIR --out DIR`` turns raw files into ``corpus.parquet``,
``audit.parquet`` and ``build_report.html``; it exits 0 when at least one
document was built and 2 with a one-line reason otherwise.
``notebooks`` executes every numbered notebook on a built corpus and writes the
executed copies and their HTML renderings.
``synth --n-docs N --out DIR`` writes a synthetic corpus: raw compilation files in
``DIR/raw`` (build them with ``build --raw DIR/raw``), the planted trends in
``DIR/truth.csv`` and each document's title, true year and theme weights in
``DIR/docs_meta.parquet``.
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

    s = sub.add_parser("synth", help="write a synthetic corpus with known trends (raw files + truth)")
    s.add_argument("--n-docs", type=int, required=True, help="number of documents")
    s.add_argument("--out", type=Path, required=True,
                   help="output folder: raw/ (the raw files), truth.csv, docs_meta.parquet")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--damage", type=float, default=0.0, help="share of files damaged (0..1, default 0)")
    s.add_argument("--docs-per-file", type=int, default=50, help="documents per raw file (1..99, default 50)")
    s.add_argument("--batch-size", type=int, default=2000, help="documents generated at a time")
    return ap


def _run_synth(args) -> int:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .synth import iter_corpus, tabulate_truth, write_raw_corpus

    if args.n_docs < 1:
        print(f"bureau-rhetoric synth: --n-docs must be at least 1, got {args.n_docs}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    meta_path = args.out / "docs_meta.parquet"
    writer = None

    def batches():  # stream: each batch's metadata goes to parquet as its texts go to raw files
        nonlocal writer
        for batch in iter_corpus(args.n_docs, batch_size=args.batch_size, seed=args.seed):
            meta = pa.Table.from_pandas(batch.drop(columns=["text"]), preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(meta_path, meta.schema)
            writer.write_table(meta)
            yield batch

    try:
        info = write_raw_corpus(batches(), args.out / "raw", docs_per_file=args.docs_per_file,
                                damage=args.damage, seed=args.seed)
    except ValueError as err:
        print(f"bureau-rhetoric synth: {err}", file=sys.stderr)
        return 2
    finally:
        if writer is not None:
            writer.close()
    truth = tabulate_truth()
    truth.insert(0, "seed", args.seed)
    truth.to_csv(args.out / "truth.csv", index=False)
    print(pd.Series(info).to_string())
    for p in (args.out / "raw", args.out / "truth.csv", meta_path):
        print(p)
    return 0


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
    if args.command == "synth":
        return _run_synth(args)
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
