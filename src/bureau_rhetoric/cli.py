"""Command line: ``bureau-rhetoric build``, ``tokens``, ``phrases``, ``notebooks``, ``cache`` and ``synth``.

``build --raw DIR --out DIR`` turns raw files into ``corpus.parquet``,
``audit.parquet``, ``build_report.html`` and ``build_summary.json`` (all or none,
one build id); it exits 0 when at least one document was built, 2 with a one-line
reason otherwise, and 130 with a one-line message on Ctrl-C. ``notebooks`` refuses a
corpus folder whose files come from different builds.
``--scheduler dask`` (or ``processes``, or a Dask scheduler address) runs
the partitions of ``build``, ``tokens`` and ``phrases`` in parallel, with the
same output. ``notebooks --corpus DIR --out RUN`` executes every numbered notebook on a built
corpus and writes the executed copies, their HTML renderings and the figures into the run
folder; ``-p NAME VALUE`` sets a parameter of every notebook that has it, ``--labels FILE``
the topic labels. ``reproduce SIDECAR.json`` redraws a figure from its sidecar and compares
the bytes. ``cache`` shows the token and topic-model cache (``--clear`` empties it).
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

    n = sub.add_parser(
        "notebooks", help="execute the notebooks on a built corpus into one run folder",
        description="Execute the numbered notebooks on a built corpus. The run folder (--out) receives the "
                    "executed notebooks, their HTML and (in RUN/figures) the figures; nothing is written "
                    "inside the repository unless you point there.")
    n.add_argument("--corpus", type=Path, default=PROCESSED_DIR, help="folder with corpus.parquet")
    n.add_argument("--out", type=Path, default=None, metavar="RUN",
                   help="run folder (required unless --corpus is the bundled data/processed, whose "
                        "default is reports/notebooks with figures in figures/)")
    n.add_argument("--figures", type=Path, default=None, metavar="DIR", help="figures folder (default RUN/figures)")
    n.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set a parameter of every notebook that has it, e.g. -p MIN_CONFIDENCE high "
                        "-p N_BOOT 200 -p FAMILIES '[\"创新驱动\"]' (VALUE is read as a Python literal "
                        "when it is one, else as text); repeatable")
    n.add_argument("--labels", type=Path, default=None, metavar="FILE",
                   help="topic labels CSV for notebooks 03/04 (default notebooks/topic-labels.csv)")
    n.add_argument("--seed", type=int, default=None, help="SEED of every notebook (default: their own)")
    _cache_args(n)
    n.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: all)")

    r = sub.add_parser("reproduce", help="redraw a figure from its sidecar and compare the bytes",
                       description="Rerun the notebook that drew a figure, with the parameters its sidecar "
                                   "records, into a fresh run folder, and report whether the CSV, PNG, SVG and "
                                   "PDF are byte for byte the same. Also reports a different commit, corpus or "
                                   "lexicon. Exits 0 when every file matches, 1 otherwise.")
    r.add_argument("sidecar", type=Path, help="the figure's .json sidecar, e.g. figures/02-phrase-rates-period.json")
    r.add_argument("--out", type=Path, default=None, metavar="RUN",
                   help="run folder for the rerun (default: a temporary folder, deleted afterwards)")
    _cache_args(r)

    c = sub.add_parser("cache", help="show (or --clear) the token and topic-model cache")
    c.add_argument("--clear", action="store_true", help="delete the cache's contents")
    c.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="cache folder (default $BUREAU_RHETORIC_CACHE or the user cache folder)")

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


def _cache_args(ap: argparse.ArgumentParser) -> None:
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--cache", type=Path, default=None, metavar="DIR",
                   help="cache folder for tokens and topic models (default $BUREAU_RHETORIC_CACHE or the "
                        "user cache folder; entries are keyed by input hashes)")
    g.add_argument("--no-cache", action="store_true",
                   help="reuse nothing and keep nothing: a temporary cache deleted after the run")


def parse_value(text: str):
    """Read a command-line parameter value: a Python literal if it is one, else the text itself.

    Examples
    --------
    >>> parse_value("200"), parse_value("high"), parse_value("None"), parse_value('["创新驱动", "自主创新"]')
    (200, 'high', None, ['创新驱动', '自主创新'])
    >>> parse_value("'2015'"), parse_value("true")
    ('2015', True)
    """
    import ast

    lowered = {"true": True, "false": False, "null": None, "none": None}
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return lowered.get(text.strip().lower(), text)


def format_value(value) -> str:
    """Write a parameter value so that ``parse_value`` reads it back (the inverse, for commands).

    Text stays bare when it cannot be mistaken for a literal; other values are
    written as Python literals, with double quotes inside (JSON style) so that a
    shell's single quotes can wrap them.

    Examples
    --------
    >>> format_value("high"), format_value("2015"), format_value(["创新驱动"]), format_value(None)
    ('high', '"2015"', '["创新驱动"]', 'None')
    """
    import json

    if isinstance(value, str) and parse_value(value) == value:
        return value
    candidates = [repr(value)] if "'" not in repr(value) else []
    try:
        candidates.append(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        pass
    for text in candidates:
        if parse_value(text) == value:
            return text
    return repr(value)


def _run_notebooks(args) -> int:
    import shutil
    import tempfile
    import time

    from .config import PROJECT_ROOT
    from .notebooks import run_notebooks

    if not (args.corpus / "corpus.parquet").is_file():
        print(f"bureau-rhetoric notebooks: no corpus.parquet in {args.corpus}; "
              f"run `bureau-rhetoric build --out {args.corpus}` first", file=sys.stderr)
        return 2
    from .corpus import check_corpus_folder

    try:  # the outputs of one complete build, not a mix left by an interrupted or failed one
        check_corpus_folder(args.corpus)
    except ValueError as err:
        print(f"bureau-rhetoric notebooks: {err}", file=sys.stderr)
        return 2
    bundled = args.corpus.resolve() == PROCESSED_DIR.resolve()
    if args.out is None and not bundled:
        print(f"bureau-rhetoric notebooks: give a run folder for this corpus, e.g. --out "
              f"{args.corpus.parent / 'run'} (executed notebooks, HTML and figures go there)", file=sys.stderr)
        return 2
    out = args.out if args.out is not None else REPORTS_DIR / "notebooks"
    figures = args.figures if args.figures is not None else (out / "figures" if args.out is not None
                                                             else FIGURES_DIR)
    params = {name: parse_value(value) for name, value in args.parameter}
    from .config import NOTEBOOKS_DIR

    notebooks = []
    for nb in args.notebooks:  # a path, or a name in notebooks/ ("02-phrase-rates", with or without .ipynb)
        named = NOTEBOOKS_DIR / (nb.name if nb.suffix == ".ipynb" else nb.name + ".ipynb")
        if not nb.is_file() and not named.is_file():
            print(f"bureau-rhetoric notebooks: no notebook {nb} (neither a file nor in {NOTEBOOKS_DIR})",
                  file=sys.stderr)
            return 2
        notebooks.append(nb if nb.is_file() else named)
    tmp_cache = tempfile.mkdtemp(prefix="bureau-rhetoric-nocache-") if args.no_cache else None
    started = time.time()
    try:
        done = run_notebooks(notebooks or None, out, corpus_dir=args.corpus, figures_dir=figures,
                             seed=args.seed, parameters=params, labels=args.labels,
                             cache_dir=tmp_cache or args.cache)
    except ValueError as err:
        print(f"bureau-rhetoric notebooks: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:
        print(f"bureau-rhetoric notebooks: {err}", file=sys.stderr)
        return 1
    finally:
        if tmp_cache:
            shutil.rmtree(tmp_cache, ignore_errors=True)
    written = [p for nb in done for p in (nb, nb.with_suffix(".html")) if p.is_file()]
    if figures.is_dir():
        written += sorted(p for p in figures.iterdir() if p.is_file() and p.stat().st_mtime >= started - 1)
    print(f"wrote {len(written)} files:")
    for p in written:
        print(f"  {p}")
    return 0


def _run_reproduce(args) -> int:
    import json
    import shutil
    import tempfile

    from .config import NOTEBOOKS_DIR
    from .lexicons import lexicon_hashes
    from .notebooks import run_notebooks
    from .provenance import code_identity, corpus_identity

    def fail(msg: str) -> int:
        print(f"bureau-rhetoric reproduce: {args.sidecar}: {msg}", file=sys.stderr)
        return 2

    try:
        side = json.loads(args.sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return fail(f"cannot read the sidecar ({err})")
    notebook, params = side.get("notebook"), side.get("parameters")
    if not notebook or not isinstance(params, dict) or "CORPUS_DIR" not in params:
        return fail("records no notebook parameters (drawn outside a notebook, or by an older version)")
    if not (NOTEBOOKS_DIR / notebook).is_file():
        return fail(f"the notebook {notebook} is not in {NOTEBOOKS_DIR}")
    name = side.get("figure", {}).get("name", args.sidecar.stem)
    notes = []
    code, now = side.get("code") or {}, code_identity()
    if code.get("commit") and code["commit"] != now["commit"]:
        notes.append(f"code: drawn at commit {code['commit'][:12]}, now at {str(now['commit'])[:12]} "
                     f"(git checkout {code['commit'][:12]} to rerun that code)")
    if code.get("dirty"):
        notes.append("code: drawn from a checkout with uncommitted changes")
    for lex, digest in (side.get("lexicons") or {}).items():
        try:
            current = lexicon_hashes([lex])[lex]
        except (OSError, ValueError, KeyError):
            current = None
        if current != digest:
            notes.append(f"lexicon {lex}: {'missing now' if current is None else 'changed since'}")
    recorded, corpus = side.get("corpus") or {}, corpus_identity(params["CORPUS_DIR"])
    if corpus is None:
        return fail(f"no corpus.parquet in {params['CORPUS_DIR']} any more")
    if recorded.get("sha256") and recorded["sha256"] != corpus["sha256"]:
        notes.append(f"corpus: {corpus['path']}/corpus.parquet changed since (SHA-256 differs)")
    for note in notes:
        print(f"note: {note}")
    out = args.out or Path(tempfile.mkdtemp(prefix="bureau-rhetoric-reproduce-"))
    tmp_cache = tempfile.mkdtemp(prefix="bureau-rhetoric-nocache-") if args.no_cache else None
    passed = {k: v for k, v in params.items() if k not in ("CORPUS_DIR", "FIGURES_DIR", "CACHE_DIR", "LABELS_FILE")}
    try:
        run_notebooks([NOTEBOOKS_DIR / notebook], out, corpus_dir=params["CORPUS_DIR"], figures_dir=out / "figures",
                      parameters=passed, labels=params.get("LABELS_FILE"), cache_dir=tmp_cache or args.cache,
                      html=False)
        same = True
        for ext in ("csv", "png", "svg", "pdf"):
            old, new = args.sidecar.with_name(f"{name}.{ext}"), out / "figures" / f"{name}.{ext}"
            if not old.is_file():
                continue
            ok = new.is_file() and new.read_bytes() == old.read_bytes()
            same &= ok
            print(f"{old.name}: {'identical' if ok else 'DIFFERS' if new.is_file() else 'NOT REDRAWN'}")
    except (ValueError, RuntimeError) as err:
        return fail(str(err))
    finally:
        if tmp_cache:
            shutil.rmtree(tmp_cache, ignore_errors=True)
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    print(f"{name}: {'reproduced byte for byte' if same else 'NOT reproduced'}")
    return 0 if same else 1


def _run_cache(args) -> int:
    from .cache import cache_usage, clear_cache, format_bytes
    from .config import CACHE_DIR

    root = args.cache or CACHE_DIR
    if args.clear:
        print(f"{root}: freed {format_bytes(clear_cache(root))}")
        return 0
    usage = cache_usage(root)
    total = sum(u["bytes"] for u in usage.values())
    print(f"{root}: {format_bytes(total)}")
    for name, u in usage.items():
        print(f"  {name}: {u['files']} files, {format_bytes(u['bytes'])}")
    return 0


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
        return _run_notebooks(args)
    if args.command == "cache":
        return _run_cache(args)
    if args.command == "reproduce":
        return _run_reproduce(args)
    return 2  # pragma: no cover - argparse enforces the choices


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
