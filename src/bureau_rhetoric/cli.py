"""Command line: ``bureau-rhetoric build``, ``tokens``, ``phrases``, ``notebooks`` and ``synth``.

``build --raw DIR --out DIR`` turns raw files into ``corpus.parquet``,
``audit.parquet``, ``build_report.html`` and ``build_summary.json`` (all or none,
one build id); it exits 0 when at least one document was built, 2 with a one-line
reason otherwise, and 130 with a one-line message on Ctrl-C. ``notebooks`` refuses a
corpus folder whose files come from different builds.
``--scheduler dask`` (or ``processes``, or a Dask scheduler address) runs
the partitions of ``build``, ``tokens`` and ``phrases`` in parallel, with the
same output. ``notebooks`` executes every numbered notebook on a built corpus and writes the
executed copies and their HTML renderings.
``synth --n-docs N --out DIR`` writes a synthetic corpus: raw compilation files in
``DIR/raw`` (build them with ``build --raw DIR/raw``), the planted trends in
``DIR/truth.csv`` and each document's title, true year, theme weights and ``copy_of`` in
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
    _scale_args(b)
    b.add_argument("--partition-mb", type=float, default=4.0,
                   help="raw megabytes per partition (default 4); the output does not depend on it")
    b.add_argument("--lexicons", type=Path, default=None, metavar="DIR",
                   help="folder of lexicons replacing the shipped ones of the same name "
                        "(e.g. DIR/bureaus.csv); their SHA-256 go into build_summary.json")
    b.add_argument("--lexicon", action="append", default=[], metavar="NAME=PATH",
                   help="replace one shipped lexicon, e.g. --lexicon on_topic.csv=my_topics.csv (repeatable)")

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

    s = sub.add_parser("synth", help="write a synthetic corpus with known trends (raw files + truth)")
    s.add_argument("--n-docs", type=int, required=True, help="number of documents")
    s.add_argument("--out", type=Path, required=True,
                   help="output folder: raw/ (the raw files), truth.csv, docs_meta.parquet")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--damage", type=float, default=0.0, help="share of files damaged (0..1, default 0)")
    s.add_argument("--docs-per-file", type=int, default=50, help="documents per raw file (1..99, default 50)")
    s.add_argument("--batch-size", type=int, default=2000, help="documents generated at a time")
    s.add_argument("--duplicate-share", type=float, default=0.0,
                   help="share of documents that are copies of earlier ones (0..1, default 0); "
                        "docs_meta.parquet names the original in copy_of")
    return ap


def _scale_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--scheduler", default=None,
                    help="where partitions run: omit for this process, 'processes' for a local pool, "
                         "'dask' for a local Dask cluster, or a scheduler address such as tcp://host:8786")
    ap.add_argument("--workers", type=int, default=None,
                    help="worker processes for 'processes'/'dask' (default: one per core)")


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
        for batch in iter_corpus(args.n_docs, batch_size=args.batch_size, seed=args.seed,
                                 duplicate_share=args.duplicate_share):
            meta = pa.Table.from_pandas(batch.drop(columns=["text"]), preserve_index=False)
            if writer is None:  # copy_of is a string column even if the first batch has no copy
                schema = meta.schema
                writer = pq.ParquetWriter(meta_path, schema.set(schema.get_field_index("copy_of"),
                                                                pa.field("copy_of", pa.string())))
            writer.write_table(meta.cast(writer.schema))
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
    """Run the command line; return the exit status (130 after Ctrl-C, with a one-line message)."""
    args = _parser().parse_args(argv)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print(f"bureau-rhetoric {args.command}: interrupted", file=sys.stderr)
        return 130


def _main(args) -> int:
    if args.command == "build":
        from .corpus import CorpusBuildError, write_corpus

        from .lexicons import resolve_lexicons

        try:
            pairs = [x.split("=", 1) for x in args.lexicon]
            if any(len(p) != 2 for p in pairs):
                raise ValueError(f"--lexicon takes NAME=PATH, got {args.lexicon}")
            lexicons = resolve_lexicons(args.lexicons, dict(pairs))
        except (ValueError, FileNotFoundError) as err:
            print(f"bureau-rhetoric build: {err}", file=sys.stderr)
            return 2
        try:
            paths = write_corpus(args.raw, args.out, scheduler=args.scheduler, n_jobs=args.workers,
                                 partition_mb=args.partition_mb, lexicons=lexicons)
        except CorpusBuildError as err:
            print(f"bureau-rhetoric build: {err}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            from .corpus import check_corpus_folder

            try:
                held = f"{args.out} holds the complete outputs of build {check_corpus_folder(args.out)}"
            except ValueError:
                held = f"{args.out} holds no complete build"
            print(f"bureau-rhetoric build: interrupted; {held}", file=sys.stderr)
            return 130
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
    if args.command == "synth":
        return _run_synth(args)
    if args.command == "notebooks":
        from .notebooks import run_notebooks

        from .corpus import check_corpus_folder

        if not (args.corpus / "corpus.parquet").is_file():
            print(f"bureau-rhetoric notebooks: no corpus.parquet in {args.corpus}; "
                  f"run `bureau-rhetoric build --out {args.corpus}` first", file=sys.stderr)
            return 2
        try:
            check_corpus_folder(args.corpus)
        except ValueError as err:
            print(f"bureau-rhetoric notebooks: {err}", file=sys.stderr)
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
