"""Build the corpus: raw files -> leaf documents (corpus.parquet) + every change (audit.parquet) + report.

Per file: decode (:mod:`ingest`), repair (:mod:`repair`), remove boilerplate and
split (:mod:`segment`), collapse bodies pasted twice; then across files: mark
duplicates (:mod:`dedupe`), metadata (genre, admin level, place, on-topic),
dating columns. Offsets in both tables are character offsets into the decoded
source; per file, document spans and removed spans tile it exactly.

Examples
--------
>>> import tempfile, pathlib
>>> from bureau_rhetoric.corpus import build_corpus
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "000_a.txt").write_text("第一篇:市科技局工作总结\\n今年科技创新成效显著。\\n第二篇:市科技局工作计划\\n明年推进产学研合作。\\n第三篇:县文物局工作总结\\n文物保护单位安全巡查,文物保护员培训。", encoding="utf-8")
>>> docs = build_corpus(d)
>>> docs[["doc_id", "title", "genre", "on_topic"]].values.tolist()
[['000-01', '市科技局工作总结', '工作总结', True], ['000-02', '市科技局工作计划', '工作计划', True], ['000-03', '县文物局工作总结', '工作总结', False]]
"""

from __future__ import annotations

import bisect
import collections
import hashlib
import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import dating, dedupe, describe, ingest, repair, segment
from ._trace import TracedText
from .describe import infer_bureau, infer_place, score_on_topic
from .lexicons import active_lexicons, keyed_cache, lexicon_hashes, use_lexicons

__all__ = ["CorpusBuildError", "build_corpus", "build_corpus_tables", "write_corpus", "load_corpus", "build_id",
           "check_corpus_folder", "file_keys", "compute_build_id", "LARGE_REMOVAL_CHARS",
           "process_file", "infer_genre", "infer_place", "infer_bureau", "score_on_topic", "CORPUS_COLUMNS"]

CORPUS_COLUMNS = [
    "doc_id", "source_file", "source_sha256", "span_start", "span_end", "title", "text", "n_chars",
    "script_original", "encoding", "format", "extractor", "genre", "bureau", "admin_level", "place", "province", "prefecture",
    "county", "place_evidence", "published", "year", "year_lo",
    "year_hi", "year_confidence", "year_evidence", "fyp_period", "duplicate_of",
    "near_duplicate_group", "on_topic", "on_topic_score", "on_topic_reason", "repairs", "build_id",
]
AUDIT_COLUMNS = ["source_file", "doc_id", "start", "end", "original", "source_text",
                 "replacement", "reason", "stage", "n_changes"]
LEXICONS = ["boilerplate.csv", "headings.csv", "genres.csv", "char_freq.tsv", *describe.DESCRIBE_LEXICONS,
            *dating.DATING_LEXICONS]


class CorpusBuildError(RuntimeError):
    """No document could be built from the raw folder (the message is one line)."""


# ----------------------------------------------------------------------------- metadata


def infer_genre(title: str, text: str = "") -> str:
    """Return the genre named by a document's title (``genres.csv``), else ``"其他"``.

    Parameters
    ----------
    title : str
    text : str, optional
        Used when the title names no genre (its first 200 characters).

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.corpus import infer_genre
    >>> [infer_genre(t) for t in ["市科技局工作自查报告1", "科技局创业服务情况汇报", "明年工作思路"]]
    ['自查报告', '情况汇报', '工作计划']
    """
    for rx, genre in _genre_rules():
        if rx.search(title):
            return genre
    for rx, genre in _genre_rules():
        if rx.search(text[:200]):
            return genre
    return "其他"


@keyed_cache("genres.csv")
def _genre_rules() -> tuple:
    return tuple((re.compile(r["pattern"]), r["genre"]) for r in segment.read_pattern_table("genres.csv"))


# ----------------------------------------------------------------------------- per file


def _file_key(stem: str) -> str:
    m = re.match(r"^(\d+)_[0-9a-fA-F]+$", stem)
    return m.group(1) if m else stem


def file_keys(rel_paths) -> dict[str, str]:
    """Give every raw file a key for its doc ids, unique for any set of names.

    The key is the number prefix of a ``NNN_<hex>`` name, else the name's stem;
    files that would share a key use their stem, then their relative path without
    the extension, then their whole relative path.

    Parameters
    ----------
    rel_paths : iterable of str
        Paths under the raw folder (POSIX separators).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> from bureau_rhetoric.corpus import file_keys
    >>> file_keys(["000_ab12.txt", "001_aa.txt", "001_bb.txt", "report.txt", "report.html", "2019/a.txt", "2020/a.txt"])
    {'000_ab12.txt': '000', '001_aa.txt': '001_aa', '001_bb.txt': '001_bb', 'report.txt': 'report.txt', 'report.html': 'report.html', '2019/a.txt': '2019/a', '2020/a.txt': '2020/a'}
    """
    rels = list(rel_paths)
    steps = [lambda r: _file_key(Path(r).stem), lambda r: Path(r).stem,
             lambda r: Path(r).with_suffix("").as_posix(), lambda r: r]
    keys = {r: steps[0](r) for r in rels}
    for step in steps[1:]:
        counts = collections.Counter(keys.values())
        clash = [r for r in rels if counts[keys[r]] > 1]
        if not clash:
            break
        for r in clash:
            keys[r] = step(r)
    return keys


#: A single removal longer than this many characters is listed as a large removal at the top of
#: the build report and in build_summary.json (first and last line, length): a rule that eats a
#: document shows up there instead of only in audit.parquet.
LARGE_REMOVAL_CHARS = 500

#: Removal reasons that are not lost document text (markup, blank lines): never "large removals".
_NOT_TEXT = ("blank", "html_script", "html_style", "html_svg", "html_template", "nul_byte")


def _source_script(raw_text: str, src_start: np.ndarray) -> str:
    """Script of the source characters behind a stretch of cleaned text."""
    idx = src_start[:200_000]
    chars = "".join(raw_text[i] for i in idx.tolist()) if len(idx) else ""
    return repair.detect_script(chars)


def process_file(raw: ingest.RawFile, key: str | None = None) -> tuple[list[dict], list[dict], dict]:
    """Repair, clean and split one decoded file.

    Parameters
    ----------
    raw : ingest.RawFile
        A decoded file (``raw.text`` set).
    key : str, optional
        The file's key for doc ids (:func:`file_keys`); default from its name.

    Returns
    -------
    tuple
        ``(docs, audit_rows, info)``: one dict per leaf document (without
        cross-file columns), one dict per change with source offsets, and a
        per-file summary (characters kept, removed by reason).
    """
    name = raw.rel_path or raw.path.name
    key = key or _file_key(raw.path.stem)
    tt = TracedText(raw.text)
    rows = [{"start": c, "end": c + 1, "original": f"bytes {b.hex(' ')} at byte {off}", "replacement": "\ufffd",
             "reason": "undecodable_bytes", "stage": "ingest", "n_changes": 1} for c, off, b in raw.decode_notes]
    rows += [{"start": 0, "end": 0, "original": txt, "replacement": "", "reason": what, "stage": "ingest",
              "n_changes": 1} for what, txt in raw.removed]
    rows += tt.apply(repair.nul_edits(tt.text), "ingest")
    rows += tt.apply(repair.line_ending_edits(tt.text), "repair")
    rows += tt.apply(segment.boilerplate_edits(tt.text, kinds=("watermark",))[0], "boilerplate")
    rep_rows, script = repair.repair_traced(tt)
    rows += rep_rows
    bp_edits, published = segment.boilerplate_edits(tt.text)
    rows += tt.apply(bp_edits, "boilerplate")
    rows += tt.apply(repair.whitespace_edits(tt.text), "repair")
    pieces = segment.split_documents(tt.text)
    docs = []
    # text outside documents: removed, split into source-contiguous pieces
    cover = [(p["start"], p["end"]) for p in pieces]
    gaps, pos = [], 0
    for a, b in cover:
        gaps.append((pos, a))
        pos = b
    gaps.append((pos, len(tt.text)))
    for a, b in gaps:
        for ca, cb, s0, s1 in tt.source_pieces(a, b):
            seg = tt.text[ca:cb]
            reason = "blank" if not seg.strip() else "heading_or_title"
            rows.append({"start": s0, "end": s1, "original": seg, "replacement": "",
                         "reason": reason, "stage": "segment", "n_changes": 1})
    published_at = published[0] if published else None
    for p in pieces:
        doc_id = f"{key}-{p['piece']:02d}" + (f"-{p['sub']}" if p["sub"] else "")
        body = tt.text[p["start"]:p["end"]]
        span_start, span_end = int(tt.src_start[p["start"]]), int(tt.src_end[p["end"] - 1])
        text = body
        edits = dedupe.repeated_body_edits(body)
        if not edits:  # a short body pasted twice whole: kept only when the copy is as long as what stays
            edits = [e for e in dedupe.repeated_body_edits(body, min_chars=40, min_lines=2)
                     if abs((e.end - e.start - 1) - e.start) <= 0.05 * e.start + 2]
        for e in edits:  # deletes the tail of the document
            a, b = p["start"] + e.start, p["start"] + e.end
            for k, (ca, cb, s0, s1) in enumerate(tt.source_pieces(a, b)):
                rows.append({"start": s0, "end": s1, "original": tt.text[ca:cb], "replacement": "",
                             "reason": e.reason, "stage": "dedupe", "n_changes": int(k == 0),
                             "doc_id": doc_id})
            text = body[:e.start] + body[e.end:]
        text = text.rstrip("\n")
        title = repair.convert_script(p["title"]) if script == "traditional" else p["title"]
        # the document's own script (a Traditional lead-in removed above a Simplified body does not count)
        doc_script = _source_script(raw.text, tt.src_start[p["start"]:p["end"]]) if script == "traditional" \
            else "simplified"
        docs.append({"doc_id": doc_id, "source_file": name, "source_sha256": raw.sha256,
                     "span_start": span_start, "span_end": span_end, "title": title,
                     "text": text, "n_chars": len(text), "script_original": doc_script,
                     "encoding": raw.encoding, "format": raw.format, "extractor": raw.extractor,
                     "published": published_at})
    # attach doc_id to changes inside document spans (spans are sorted and disjoint)
    span_starts = [d["span_start"] for d in docs]
    for r in rows:
        r["source_file"] = name
        r["source_text"] = raw.text[r["start"]:r["end"]]
        if r.get("doc_id") is None and r["stage"] != "segment":
            k = bisect.bisect_right(span_starts, r["start"]) - 1
            if k >= 0 and r["end"] <= docs[k]["span_end"]:
                r["doc_id"] = docs[k]["doc_id"]
            else:
                r["doc_id"] = None
        r.setdefault("doc_id", None)
    per_doc: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    removed: collections.Counter = collections.Counter()
    large = []
    for r in rows:
        if r["doc_id"] is not None:
            per_doc[r["doc_id"]][r["reason"]] += r["n_changes"]
        if r["replacement"] == "" and r["end"] > r["start"]:
            removed[r["reason"]] += r["end"] - r["start"]
        n = len(r["original"])
        if r["replacement"] == "" and n > LARGE_REMOVAL_CHARS and r["reason"] not in _NOT_TEXT:
            lines = [ln for ln in r["original"].split("\n") if ln.strip()]
            large.append({"source_file": name, "reason": r["reason"], "start": r["start"], "end": r["end"],
                          "n_chars": n, "first_line": lines[0][:80] if lines else "",
                          "last_line": lines[-1][:80] if lines else ""})
    for d in docs:
        d["repairs"] = ", ".join(f"{k}:{n}" for k, n in sorted(per_doc[d["doc_id"]].items()))
    info = {"source_file": name, "format": raw.format, "encoding": raw.encoding, "extractor": raw.extractor,
            "script_original": script, "n_chars": len(raw.text), "n_docs": len(docs),
            "chars_kept": sum(d["n_chars"] for d in docs),
            "chars_removed": ", ".join(f"{k}:{n}" for k, n in sorted(removed.items())),
            "published": published_at, "large_removals": large}
    return docs, rows, info


# ----------------------------------------------------------------------------- corpus


_DOC_FIELDS = ["doc_id", "source_file", "source_sha256", "span_start", "span_end", "title", "text",
               "n_chars", "script_original", "encoding", "format", "extractor", "published", "repairs",
               "source_path"]


def _audit_schema():
    import pyarrow as pa

    return pa.schema([("source_file", pa.string()), ("doc_id", pa.string()), ("start", pa.int64()),
                      ("end", pa.int64()), ("original", pa.string()), ("source_text", pa.string()),
                      ("replacement", pa.string()), ("reason", pa.string()), ("stage", pa.string()),
                      ("n_changes", pa.int64())])


#: documents listed one by one in the build report (a large corpus is summarised)
MAX_REPORT_DOCS = 2000

#: changes listed one by one in the build report (per partition, and in all); all are in audit.parquet
MAX_REPORT_CHANGES = 5000

#: audit reasons listed row by row in the report (the mechanical ones are only counted)
REPORTED_REASONS = ("gbk_shift", "gbk_unrecoverable", "watermark", "lead_in", "footer", "intro",
                    "html", "url", "repeated_body", "rejoin_line")


def _process_path(path: Path, root: Path | None = None, lexicons: dict | None = None, rel: str | None = None,
                  key: str | None = None):  # positional for executor maps: (path, root, lexicons, rel, key)
    rel = rel or _relative_path(path, root)
    with use_lexicons(lexicons or {}):
        raw = ingest.read_raw_file(path, rel)
        if raw.skipped:
            return rel, raw.skipped, [], [], None
        docs, rows, info = process_file(raw, key)
    info["sha256"] = raw.sha256
    for d in docs:
        d["source_path"] = rel
    reason = None if docs else "no document text after cleaning"
    return rel, reason, docs, rows, info


def _relative_path(path: Path, root: Path | None) -> str:
    """The file's path under the raw folder (its folders may name places), else its name."""
    try:
        return Path(path).relative_to(Path(root)).as_posix() if root else Path(path).name
    except ValueError:
        return Path(path).name


def _listing(raw_dir, exclude=()):
    """Scan the raw folder: files with their relative paths and doc-id keys, and the files not read."""
    try:
        found = ingest.scan_raw_folder(raw_dir, exclude=exclude)
    except (ValueError, FileNotFoundError) as err:
        raise CorpusBuildError(str(err)) from None
    rels = [found.rel_paths[p] for p in found.files]
    keys = file_keys(rels)
    return found, rels, [keys[r] for r in rels]


def compute_build_id(infos: list[dict], skipped: list[dict]) -> str:
    """Return the id of a build: a hash of the code version, the lexicons and every raw file read.

    The same raw files, lexicons and package version give the same id (reruns stay
    byte-identical); any change gives another. Every output of one build carries it.
    """
    from . import __version__

    payload = {"version": __version__, "lexicons": lexicon_hashes(LEXICONS),
               "files": [[i["source_file"], i.get("sha256")] for i in infos],
               "skipped": [[x["source_file"], x["reason"]] for x in skipped]}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _doc_metadata(docs: pd.DataFrame) -> pd.DataFrame:
    """Per-document columns (genre, admin level, place, on-topic, dating): a pure function of each row."""
    docs = docs.copy()
    docs["genre"] = pd.Series([infer_genre(t, x) for t, x in zip(docs["title"], docs["text"])],
                              index=docs.index, dtype=object)
    # place, bureau, on-topic; the source file's relative path may name places (浙江/杭州/...)
    where = docs["source_path"] if "source_path" in docs else docs["source_file"]
    where = [w if isinstance(w, str) else f for w, f in zip(where, docs["source_file"])]
    meta = [describe.describe_document(t, x, f) for t, x, f in zip(docs["title"], docs["text"], where)]
    for col in describe.DESCRIBE_COLUMNS:
        values = [m[col] for m in meta]
        if col == "on_topic":
            docs[col] = pd.Series(values, index=docs.index, dtype=bool)
        elif col == "on_topic_score":
            docs[col] = pd.Series([float(v) for v in values], index=docs.index, dtype=float)
        else:
            docs[col] = pd.Series(values, index=docs.index, dtype=object)
    docs = dating.date_corpus(docs)
    docs["published"] = docs["published"].astype(object)
    return docs


def _finish_docs(all_docs: list[dict]) -> pd.DataFrame:
    """Cross-file columns: duplicates, metadata, dating; the contract's column order (build_id left empty)."""
    docs = pd.DataFrame(all_docs, columns=_DOC_FIELDS)
    docs = dedupe.find_duplicates(docs)
    docs = _doc_metadata(docs)
    docs["build_id"] = None
    return docs[CORPUS_COLUMNS + ["duplicate_similarity"]].reset_index(drop=True)


def _audit_frame(rows: list[dict]) -> pd.DataFrame:
    audit = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    return audit.astype({"start": "int64", "end": "int64", "n_changes": "int64"})


def build_corpus_tables(raw_dir: str | Path, *, n_jobs: int = 1, lexicons=None,
                        ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Build the corpus and audit tables and a report summary from a raw folder, in memory.

    Parameters
    ----------
    raw_dir : str or Path
    n_jobs : int, default 1
        Files processed in parallel (the result does not depend on it).
    lexicons : str, Path or mapping, optional
        A folder of lexicons replacing the shipped ones of the same name, or
        ``{name: path}`` (:func:`bureau_rhetoric.lexicons.use_lexicons`); their
        hashes go into the summary.

    Returns
    -------
    tuple of (DataFrame, DataFrame, dict)
        ``corpus`` (columns :data:`CORPUS_COLUMNS`), ``audit``, and
        ``summary`` with ``files``, ``skipped``, ``ignored`` lists.
    """
    with use_lexicons(lexicons):
        return _build_corpus_tables(raw_dir, n_jobs=n_jobs)


def _build_corpus_tables(raw_dir, *, n_jobs: int):
    found, rels, keys = _listing(raw_dir)
    files = found.files
    all_docs, all_rows, infos = [], [], []
    skipped = [{"source_file": r, "reason": why} for r, why in found.skipped]
    from .scale import executor

    # results come back in file order, so the output does not depend on n_jobs
    with executor("processes" if n_jobs > 1 and len(files) > 1 else None, n_workers=n_jobs) as run:
        processed = run(_process_path, files, [None] * len(files), [active_lexicons()] * len(files), rels, keys)
    for name, reason, docs, rows, info in processed:
        if reason:
            skipped.append({"source_file": name, "reason": reason})
        all_docs += docs
        all_rows += rows
        if info:
            infos.append(info)
    if not all_docs:
        raise CorpusBuildError(_no_documents(raw_dir, skipped))
    bid = compute_build_id(infos, skipped)
    summary = {"build_id": bid, "files": infos, "skipped": skipped,
               "ignored": [{"source_file": r, "reason": why} for r, why in found.ignored],
               "large_removals": [x for i in infos for x in i.get("large_removals", [])],
               "lexicons": lexicon_hashes(LEXICONS)}
    docs = _finish_docs(all_docs)
    docs["build_id"] = bid
    return docs, _audit_frame(all_rows), summary


def _no_documents(raw_dir, skipped: list[dict]) -> str:
    why = "; ".join(f"{s['source_file']}: {s['reason']}" for s in skipped[:20]) or "no files"
    more = f"; and {len(skipped) - 20} more" if len(skipped) > 20 else ""
    return f"no document could be built from {raw_dir} ({why}{more})"


def build_corpus(raw_dir: str | Path, *, lexicons=None) -> pd.DataFrame:
    """Build the corpus table (one row per leaf document) from a folder of raw files.

    Parameters
    ----------
    raw_dir : str or Path
        Folder of raw text files in any supported encoding.
    lexicons : str, Path or mapping, optional
        A folder of lexicons replacing the shipped ones of the same name, or
        ``{name: path}``.

    Returns
    -------
    DataFrame
        Columns :data:`CORPUS_COLUMNS` (plus ``duplicate_similarity``).

    Raises
    ------
    CorpusBuildError
        If the folder is missing or empty, or no document could be built (the
        message lists the files skipped and why, in one line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import build_corpus
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "001_a.txt").write_bytes("科技局創業服務情況匯報\\n時間:2022-03-01 04:26:00\\n一、加強組織領導。".encode("big5"))
    >>> build_corpus(d)[["title", "text", "published"]].values.tolist()
    [['科技局创业服务情况汇报', '一、加强组织领导。', '2022-03-01 04:26:00']]
    """
    return build_corpus_tables(raw_dir, lexicons=lexicons)[0]


def load_corpus(corpus_dir: str | Path | None = None, *, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a built corpus (``corpus.parquet``) into a table, one row per document.

    Parameters
    ----------
    corpus_dir : str or Path, optional
        The folder ``write_corpus`` / ``bureau-rhetoric build --out`` wrote;
        default ``config.PROCESSED_DIR``.
    columns : list of str, optional
        Read only these columns (faster on a large corpus).

    Returns
    -------
    DataFrame
        Columns :data:`CORPUS_COLUMNS` (and any the build added).

    Raises
    ------
    FileNotFoundError
        If the folder holds no ``corpus.parquet``, with the command that builds it.
    ValueError
        If its files come from different builds, or the build that wrote them did
        not finish (:func:`check_corpus_folder`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import load_corpus, write_corpus
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "000_a.txt").write_text("科技局2015年工作总结\\n2015年，我局坚持创新驱动发展战略。", encoding="utf-8")
    >>> _ = write_corpus(d, d / "processed")
    >>> load_corpus(d / "processed", columns=["title", "year"]).values.tolist()
    [['科技局2015年工作总结', 2015]]
    """
    from .config import PROCESSED_DIR

    folder = Path(corpus_dir) if corpus_dir is not None else PROCESSED_DIR
    path = folder / "corpus.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"no corpus.parquet in {folder}; build it with "
                                f"`bureau-rhetoric build --raw RAW_FOLDER --out {folder}`")
    check_corpus_folder(folder)  # refuse a mix of two builds (or an unfinished one)
    return pd.read_parquet(path, columns=columns)


def corpus_schema():
    """The Arrow schema of ``corpus.parquet`` (every partition is cast to it)."""
    import pyarrow as pa

    ints = {"span_start", "span_end", "n_chars", "year", "year_lo", "year_hi"}
    floats = {"on_topic_score", "duplicate_similarity"}
    template = {}
    for c in CORPUS_COLUMNS + ["duplicate_similarity"]:
        if c in {"year", "year_lo", "year_hi"}:
            template[c] = pd.array([2000], dtype="Int64")
        elif c in ints:
            template[c] = np.array([0], dtype="int64")
        elif c in floats:
            template[c] = np.array([0.0])
        elif c == "on_topic":
            template[c] = np.array([True])
        else:
            template[c] = pd.Series(["x"], dtype=object)
    return pa.Schema.from_pandas(pd.DataFrame(template), preserve_index=False)


def partition_files(files: list[Path], *, partition_mb: float = 4.0) -> list[list[Path]]:
    """Group raw files, in order, into partitions of about ``partition_mb`` MB (at least one file each).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import partition_files
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> paths = []
    >>> for k in range(5):
    ...     p = d / f"{k:03d}_a.txt"; _ = p.write_bytes(b"x" * 400_000); paths.append(p)
    >>> [[p.name[:3] for p in part] for part in partition_files(paths, partition_mb=1)]
    [['000', '001', '002'], ['003', '004']]
    """
    parts: list[list[Path]] = []
    size = 0.0
    for p in files:
        if not parts or size >= partition_mb * 1e6:
            parts.append([])
            size = 0.0
        parts[-1].append(p)
        size += p.stat().st_size
    return parts


def build_partition(files: list[Path], part_dir: str | Path, index: int, *,
                    max_report_rows: int = 200, root: str | Path | None = None,
                    lexicons: dict | None = None, names: dict | None = None) -> dict:
    """Stage 1 of a build, on one partition of raw files: everything that needs only these files.

    Writes ``part_dir/docs-NNNNN.parquet`` (documents with their per-document
    metadata and dating) and ``part_dir/audit-NNNNN.parquet``; returns what the
    cross-file steps need (duplicate keys and MinHash signatures, ~600 bytes a
    document) and the report's counts. A pure function of its files: it runs
    in this process, in a worker process, or on a Dask worker, with the same result.
    ``names`` maps ``str(path)`` to ``(relative path, doc-id key)`` (:func:`file_keys`;
    default: the path under ``root`` and the key from the file's name alone).

    Returns
    -------
    dict
        ``skipped``, ``infos``, ``counts`` (Counter of (file, reason) -> changes),
        ``shown`` (audit rows for the report, at most ``max_report_rows`` a file and
        ``MAX_REPORT_CHANGES`` in all, texts cut to 120 characters),
        ``keys`` and ``sig`` (:func:`dedupe.dedupe_keys`), ``docs``/``audit`` (paths or None).
    """
    with use_lexicons(lexicons or {}):  # in a worker process too: the build's lexicons, not the shipped
        return _build_partition(files, Path(part_dir), index, max_report_rows=max_report_rows, root=root,
                                names=names or {})


def _build_partition(files, part_dir: Path, index: int, *, max_report_rows: int, root, names: dict) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    all_docs, skipped, infos, shown, tables = [], [], [], [], []
    counts: collections.Counter = collections.Counter()
    for path in files:
        rel, key = names.get(str(path), (None, None))
        name, reason, docs, rows, info = _process_path(Path(path), Path(root) if root else None, rel=rel, key=key)
        if reason:
            skipped.append({"source_file": name, "reason": reason})
        all_docs += docs
        if info:
            infos.append(info)
        for r in rows:
            counts[(r["source_file"], r["reason"])] += r["n_changes"]
        room = min(max_report_rows, MAX_REPORT_CHANGES - len(shown))
        if room > 0:  # trimmed texts: the report shows 120 characters, audit.parquet has it all
            shown += [{**r, "original": r["original"][:120], "source_text": "",
                       "replacement": r["replacement"][:120]}
                      for r in rows if r["reason"] in REPORTED_REASONS][:room]
        if rows:
            tables.append(pa.Table.from_pylist(rows, schema=_audit_schema()))
    out = {"skipped": skipped, "infos": infos, "counts": counts, "shown": shown, "docs": None,
           "audit": None}
    if tables:
        out["audit"] = part_dir / f"audit-{index:05d}.parquet"
        pq.write_table(pa.concat_tables(tables), out["audit"])
    docs = pd.DataFrame(all_docs, columns=_DOC_FIELDS)
    out["keys"], out["sig"] = dedupe.dedupe_keys(docs["doc_id"].tolist(), docs["text"].tolist())
    if len(docs):
        out["docs"] = part_dir / f"docs-{index:05d}.parquet"
        _doc_metadata(docs).to_parquet(out["docs"], index=False)
    return out


def _shingles_reader(parts: list[dict]):
    """``shingles_of`` for :func:`dedupe.link_duplicates` that reads only the texts it is asked for."""
    bounds = np.cumsum([0] + [len(p["keys"]) for p in parts])

    def shingles_of(positions):
        out = {}
        positions = np.asarray(sorted(positions))
        for k, part in enumerate(parts):
            mine = positions[(positions >= bounds[k]) & (positions < bounds[k + 1])]
            if len(mine):
                texts = pd.read_parquet(part["docs"], columns=["text"])["text"].to_numpy()
                for i in mine.tolist():
                    out[i] = dedupe._shingle_hashes(texts[i - bounds[k]], 5)
        return out

    return shingles_of


def write_corpus(raw_dir: str | Path, out_dir: str | Path, *, n_jobs: int | None = None, scheduler=None,
                 partition_mb: float = 4.0, max_report_rows: int = 200, lexicons=None) -> dict[str, Path]:
    """Build and write ``corpus.parquet``, ``audit.parquet`` and ``build_report.html``.

    Streams: the raw files are cut into partitions of about ``partition_mb`` MB;
    each partition is repaired, split, dated and written on its own (stage 1,
    :func:`build_partition`, in parallel); duplicates are then found across all
    partitions from MinHash keys alone (LSH, sub-quadratic; only candidate texts
    are re-read); last, the partitions are written, one row group each, into
    ``corpus.parquet`` and ``audit.parquet``. Memory is bounded by one partition
    per worker plus ~600 bytes a document, whatever the corpus size. The output
    does not depend on ``n_jobs``, ``scheduler`` or ``partition_mb``.

    Parameters
    ----------
    raw_dir, out_dir : str or Path
    n_jobs : int, optional
        Worker processes: with ``scheduler`` None, more than 1 starts a local
        process pool (default: 1, this process); with ``"processes"`` or
        ``"dask"``, how many workers (default: one per core).
    scheduler : None, "dask", "processes", address or dask Client
        Where stage 1 runs (:func:`bureau_rhetoric.scale.executor`): ``"dask"``
        starts a local Dask cluster (one worker process per core, or ``n_jobs``); ``"tcp://host:8786"`` uses a running scheduler, whose workers
        must see ``raw_dir`` and ``out_dir`` at the same paths.
    partition_mb : float, default 4
    max_report_rows : int, default 200
        Per file, how many repairs/removals the report lists row by row (all are
        counted, and all are in ``audit.parquet``).
    lexicons : str, Path or mapping, optional
        A folder of lexicons replacing the shipped ones of the same name, or
        ``{name: path}`` (:func:`bureau_rhetoric.lexicons.use_lexicons`); every
        worker reads these, and their SHA-256 go into ``build_summary.json``.

    Returns
    -------
    dict of str to Path
        ``{"corpus": ..., "audit": ..., "report": ..., "summary": ...}``
        (``build_summary.json``: build id, large removals, files with characters
        kept and removed by reason, skipped and ignored files, changes by kind,
        lexicon hashes).

    Notes
    -----
    Outputs are atomic as a set: everything is written in a private hidden folder
    ``out_dir/.bureau-rhetoric-build-<pid>-*`` and moved into place only when the
    whole build succeeded (``build_summary.json`` last). All four files carry one
    ``build_id`` (:func:`compute_build_id`; Parquet metadata key
    ``bureau_rhetoric.build_id``); :func:`check_corpus_folder` refuses a folder
    whose files do not share it. An interrupted build leaves the previous complete
    set (a killed build's work folder is deleted by the next build); a build that
    fails (no document) removes the previous outputs, so none can pass for its result.

    Raises
    ------
    CorpusBuildError
        If no document could be built (the message says why, in one line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import write_corpus
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "000_a.txt").write_text("科技局工作总结\\n科技创新成效显著。", encoding="utf-8")
    >>> sorted(write_corpus(d, d / "out"))
    ['audit', 'corpus', 'report', 'summary']
    """
    with use_lexicons(lexicons):
        return _write_corpus(raw_dir, out_dir, n_jobs=n_jobs, scheduler=scheduler, partition_mb=partition_mb,
                             max_report_rows=max_report_rows)


def _check_out_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise CorpusBuildError(f"output folder {out} is a file; give --out a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CorpusBuildError(f"cannot create output folder {out}: {err.strerror or err}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise CorpusBuildError(f"output folder {out} is not writable")


def _remove_stale_work_dirs(out: Path) -> None:
    """Delete work folders of builds that were killed (their process is gone); never a live build's."""
    import shutil

    for d in out.glob(ingest.BUILD_TEMP_PREFIX + "*"):
        m = re.match(re.escape(ingest.BUILD_TEMP_PREFIX) + r"(\d+)-", d.name)
        pid = int(m.group(1)) if m else None
        alive = False
        if pid is not None and pid != os.getpid():
            try:
                os.kill(pid, 0)
                alive = True
            except ProcessLookupError:
                alive = False
            except PermissionError:
                alive = True
        if not alive and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)


def _pause_point(stage: str) -> None:
    """Let the kill tests stop a build at a known stage (``BUREAU_RHETORIC_PAUSE_AT=stage``); else nothing."""
    if os.environ.get("BUREAU_RHETORIC_PAUSE_AT") == stage:
        import sys
        import time

        print(f"paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("BUREAU_RHETORIC_PAUSE_SECONDS", "60")))


def _publish(work: Path, out: Path, names: list[str]) -> None:
    """Move a finished build's files into place; build_summary.json last (it completes the set).

    Ctrl-C (and SIGTERM) is held back during the moves (a few renames) and taken
    after them, so an interrupt leaves the old set or the new one. Only a hard kill between two renames can leave a mix; the
    old summary goes first, so such a folder has no summary (or files of two builds)
    and :func:`check_corpus_folder` refuses it.
    """
    import signal
    import threading

    held: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    if main:  # a handler, not a signal mask: another thread of the process could take a masked signal
        old = {sig: signal.signal(sig, lambda signum, frame: held.append(signum))
               for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        (out / "build_summary.json").unlink(missing_ok=True)
        for k, name in enumerate(names):
            os.replace(work / name, out / name)
            if k == 0:
                _pause_point("publish")
    finally:
        if main:
            for sig, handler in old.items():
                signal.signal(sig, handler)
            if held:
                signal.raise_signal(held[0])


def _remove_outputs(out: Path) -> None:
    for name in ingest.BUILD_OUTPUTS:
        (out / name).unlink(missing_ok=True)


def _write_corpus(raw_dir, out_dir, *, n_jobs, scheduler, partition_mb, max_report_rows) -> dict[str, Path]:
    import shutil
    import tempfile

    if raw_dir is None or str(raw_dir) == "":
        raise CorpusBuildError("raw folder is an empty path; name the folder of raw files")
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise CorpusBuildError(f"raw folder {raw_dir} does not exist")
    out = Path(out_dir)
    _check_out_dir(out)
    _remove_stale_work_dirs(out)
    found, rels, keys = _listing(raw_dir, exclude=[out])
    try:
        work = Path(tempfile.mkdtemp(prefix=f"{ingest.BUILD_TEMP_PREFIX}{os.getpid()}-", dir=out))
    except OSError as err:
        raise CorpusBuildError(f"cannot write in output folder {out}: {err.strerror or err}") from None
    try:
        _pause_point("listed")
        paths = _build_into(work, raw_dir, found, rels, keys, n_jobs=n_jobs, scheduler=scheduler,
                            partition_mb=partition_mb, max_report_rows=max_report_rows)
        _publish(work, out, [p.name for p in paths.values()])
    except CorpusBuildError as err:
        _remove_outputs(out)  # a failed build leaves no outputs a notebook could take for its result
        raise CorpusBuildError(f"{err}; no outputs left in {out}") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {k: out / p.name for k, p in paths.items()}


def _build_into(work: Path, raw_dir: Path, found, rels, keys, *, n_jobs, scheduler, partition_mb,
                max_report_rows) -> dict[str, Path]:
    """Build every output inside the private folder ``work``; the caller moves them into place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .scale import executor

    files = found.files
    names = {str(p): (r, k) for p, r, k in zip(files, rels, keys)}
    paths = {"audit": work / "audit.parquet", "report": work / "build_report.html",
             "corpus": work / "corpus.parquet", "summary": work / "build_summary.json"}
    part_dir = work / "partitions"
    part_dir.mkdir()
    partitions = partition_files(files, partition_mb=partition_mb)
    if scheduler is None and (n_jobs or 1) > 1:
        scheduler = "processes"
    with executor(scheduler, n_workers=n_jobs) as run:
        parts = run(build_partition, partitions, [part_dir] * len(partitions),
                    list(range(len(partitions))), max_report_rows=max_report_rows, root=raw_dir,
                    lexicons=active_lexicons(), names={str(p): names[str(p)] for p in files})
    _pause_point("partitions")
    skipped = [{"source_file": r, "reason": why} for r, why in found.skipped]
    skipped += [s for p in parts for s in p["skipped"]]
    infos = [i for p in parts for i in p["infos"]]
    by_kind: collections.Counter = sum((p["counts"] for p in parts), collections.Counter())
    shown = [r for p in parts for r in p["shown"]][:MAX_REPORT_CHANGES]
    parts = [p for p in parts if p["docs"] is not None]
    if not parts:
        raise CorpusBuildError(_no_documents(raw_dir, skipped))
    bid = compute_build_id(infos, skipped)
    meta = {BUILD_ID_KEY: bid.encode("ascii")}
    keys_df = pd.concat([p["keys"] for p in parts], ignore_index=True)
    if keys_df["doc_id"].duplicated().any():  # file_keys makes ids unique; this guards the invariant
        dup = keys_df.loc[keys_df["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise CorpusBuildError(f"doc_id {dup} occurs twice (a bug: please report it with the file names)")
    links = dedupe.link_duplicates(keys_df, np.vstack([p["sig"] for p in parts]), _shingles_reader(parts))
    schema = corpus_schema().with_metadata(meta)
    meta_cols = [c for c in CORPUS_COLUMNS + ["duplicate_similarity"] if c != "text"]
    # the report lists the first documents and the flagged ones (both capped): memory stays bounded
    listed, flagged, pos = [], [], 0
    with pq.ParquetWriter(paths["corpus"], schema) as writer:
        for p in parts:
            docs = pd.read_parquet(p["docs"])
            link = links.iloc[pos:pos + len(docs)]
            for col in ("duplicate_of", "near_duplicate_group", "duplicate_similarity"):
                docs[col] = link[col].to_numpy()
            docs["build_id"] = bid
            docs = docs[CORPUS_COLUMNS + ["duplicate_similarity"]]
            writer.write_table(pa.Table.from_pandas(docs, schema=schema, preserve_index=False))
            head = max(0, min(len(docs), MAX_REPORT_DOCS - pos))
            listed.append(docs[meta_cols].iloc[:head])
            rest = docs.iloc[head:]
            flag = rest[rest["duplicate_of"].notna() | ~rest["on_topic"].astype(bool)]
            flagged.append(flag[meta_cols].head(MAX_REPORT_DOCS))
            pos += len(docs)
            _pause_point("corpus")
    with pq.ParquetWriter(paths["audit"], _audit_schema().with_metadata(meta)) as writer:
        for k in range(len(partitions)):
            f = part_dir / f"audit-{k:05d}.parquet"
            if f.exists():
                writer.write_table(pq.read_table(f, schema=_audit_schema()))
    _pause_point("audit")
    docs = pd.concat(listed + flagged, ignore_index=True)
    large = [x for i in infos for x in i.pop("large_removals", [])]
    summary = {"build_id": bid, "n_docs": pos, "large_removals": large, "files": infos, "skipped": skipped,
               "ignored": [{"source_file": r, "reason": why} for r, why in found.ignored],
               "lexicons": lexicon_hashes(LEXICONS),
               "lexicon_paths": {k: str(v) for k, v in sorted(active_lexicons().items())}}
    kinds = pd.DataFrame([(f, r, n) for (f, r), n in sorted(by_kind.items())],
                         columns=["source_file", "reason", "n_changes"])
    shown_df = pd.DataFrame(shown, columns=AUDIT_COLUMNS)
    paths["report"].write_text(render_report(docs, kinds, shown_df, summary), encoding="utf-8")
    # machine-readable summary (skipped/ignored files, encodings, lexicon hashes) for notebooks
    summary["changes_by_kind"] = kinds.to_dict(orient="records")
    paths["summary"].write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str) + "\n",
                                encoding="utf-8")
    return paths


#: Key of the build id in the Parquet metadata of corpus.parquet and audit.parquet.
BUILD_ID_KEY = b"bureau_rhetoric.build_id"


def build_id(folder: str | Path) -> str | None:
    """Return the build id of the ``corpus.parquet`` in a folder (None if it has none).

    Parameters
    ----------
    folder : str or Path
        A build's output folder (``bureau-rhetoric build --out``).

    Returns
    -------
    str or None
    """
    import pyarrow.parquet as pq

    path = Path(folder) / "corpus.parquet"
    meta = pq.read_schema(path).metadata or {}
    value = meta.get(BUILD_ID_KEY)
    return value.decode("ascii") if value else None


def _report_build_id(path: Path) -> str | None:
    with open(path, encoding="utf-8") as fh:
        head = fh.read(4096)
    m = re.search(r"<meta name='bureau-rhetoric-build-id' content='([0-9a-f]+)'>", head)
    return m.group(1) if m else None


def check_corpus_folder(folder: str | Path) -> str | None:
    """Check that a corpus folder holds the outputs of one complete build; return its build id.

    Parameters
    ----------
    folder : str or Path

    Returns
    -------
    str or None
        The build id shared by ``corpus.parquet``, ``audit.parquet``,
        ``build_report.html`` and ``build_summary.json``; None for a lone
        ``corpus.parquet`` that no build wrote (a table saved by hand).

    Raises
    ------
    ValueError
        (one line) when ``corpus.parquet`` or ``build_summary.json`` is missing (an
        interrupted or failed build), or the files carry different build ids.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import write_corpus, check_corpus_folder
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "000_a.txt").write_text("科技局工作总结\\n科技创新成效显著。", encoding="utf-8")
    >>> _ = write_corpus(d, d / "out")
    >>> len(check_corpus_folder(d / "out"))
    16
    >>> (d / "out" / "build_summary.json").unlink()
    >>> check_corpus_folder(d / "out")
    Traceback (most recent call last):
    ...
    ValueError: ... has no build_summary.json: the build that wrote it did not finish; build again
    """
    import pyarrow.parquet as pq

    folder = Path(folder)
    if not (folder / "corpus.parquet").is_file():
        raise ValueError(f"{folder} has no corpus.parquet; run `bureau-rhetoric build --out {folder}` first")
    present = [n for n in ingest.BUILD_OUTPUTS if (folder / n).is_file()]
    if present == ["corpus.parquet"] and build_id(folder) is None:
        return None  # a corpus table written by hand, not by a build: nothing to compare
    if not (folder / "build_summary.json").is_file():
        raise ValueError(f"{folder} has no build_summary.json: the build that wrote it did not finish; "
                         f"build again")
    try:
        ids = {"corpus.parquet": build_id(folder)}
        summary = json.loads((folder / "build_summary.json").read_text(encoding="utf-8"))
        ids["build_summary.json"] = summary.get("build_id")
        if (folder / "audit.parquet").is_file():
            value = (pq.read_schema(folder / "audit.parquet").metadata or {}).get(BUILD_ID_KEY)
            ids["audit.parquet"] = value.decode("ascii") if value else None
        if (folder / "build_report.html").is_file():
            ids["build_report.html"] = _report_build_id(folder / "build_report.html")
    except Exception as err:  # a truncated or foreign file: one line, not a traceback
        raise ValueError(f"{folder}: cannot read the build's files ({type(err).__name__}: {err})") from None
    if len(set(ids.values())) != 1 or None in ids.values():
        seen = ", ".join(f"{k}: {v or 'none'}" for k, v in ids.items())
        raise ValueError(f"{folder} mixes files of different builds ({seen}); build again")
    return ids["corpus.parquet"]


# ----------------------------------------------------------------------------- report


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>"
                                    for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(docs: pd.DataFrame, kinds: pd.DataFrame, shown: pd.DataFrame, summary: dict) -> str:
    """Render the build report as one self-contained HTML page; all corpus text is escaped.

    Parameters
    ----------
    docs : DataFrame
        The corpus.
    kinds : DataFrame
        ``source_file``, ``reason``, ``n_changes``: changes counted by kind.
    shown : DataFrame
        Audit rows to list one by one.
    summary : dict

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.corpus import render_report, CORPUS_COLUMNS
    >>> docs = pd.DataFrame([{c: None for c in CORPUS_COLUMNS}])
    >>> docs["title"] = "<script>alert(1)</script>"
    >>> empty = pd.DataFrame(columns=["source_file", "reason", "n_changes"])
    >>> page = render_report(docs, empty, pd.DataFrame(), {"files": [], "skipped": [], "ignored": []})
    >>> "<script>alert" in page, "&lt;script&gt;alert" in page
    (False, True)
    """
    bid = summary.get("build_id") or ""
    parts = ["<!doctype html><html><head><meta charset='utf-8'>"
             f"<meta name='bureau-rhetoric-build-id' content='{html.escape(bid)}'><title>Corpus build report</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:90%}"
             "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}</style></head><body>",
             "<h1>Corpus build report</h1>",
             f"<p>{summary.get('n_docs', len(docs))} leaf documents from {len(summary['files'])} files; "
             f"{len(summary['skipped'])} skipped; {len(summary['ignored'])} ignored; "
             f"{int(kinds['n_changes'].sum()) if len(kinds) else 0} changes recorded in audit.parquet."
             + (f" Build id <code>{html.escape(bid)}</code>." if bid else "") + "</p>"]
    large = summary.get("large_removals") or []
    if large:
        parts.append(f"<h2>Large removals (over {LARGE_REMOVAL_CHARS} characters): check these first</h2>"
                     "<p>Each is one span a rule removed; if it is document text, the rule is wrong for "
                     "this corpus (audit.parquet has the full text).</p>" + _table(pd.DataFrame(large)))
    files = pd.DataFrame(summary["files"])
    if len(files):
        files = files.drop(columns=[c for c in ("large_removals", "sha256") if c in files.columns])
    parts.append("<h2>Files (characters kept, and removed by reason)</h2>" + _table(files))
    parts.append("<h2>Skipped files</h2>" + (_table(pd.DataFrame(summary["skipped"]))
                                               if summary["skipped"] else "<p>none</p>"))
    parts.append("<h2>Ignored (not corpus files)</h2>" + (_table(pd.DataFrame(summary["ignored"]))
                                                        if summary["ignored"] else "<p>none</p>"))
    if len(kinds):
        by_kind = kinds.pivot_table(index="source_file", columns="reason", values="n_changes",
                                    aggfunc="sum", fill_value=0).reset_index()
        parts.append("<h2>Changes by kind per file</h2>" + _table(by_kind))
    cols = ["doc_id", "title", "n_chars", "genre", "admin_level", "place", "published",
            "duplicate_of", "near_duplicate_group", "on_topic", "on_topic_score", "on_topic_reason",
            "year", "year_lo", "year_hi", "year_confidence", "repairs"]
    listed = docs[[c for c in cols if c in docs.columns]]
    n_docs = summary.get("n_docs", len(docs))
    note = ""
    if n_docs > MAX_REPORT_DOCS:
        note = (f"<p>The first {MAX_REPORT_DOCS} of {n_docs} documents; all are in "
                f"corpus.parquet.</p>")
        listed = listed.head(MAX_REPORT_DOCS)
    parts.append("<h2>Documents</h2>" + note + _table(listed))
    flagged = docs[docs["duplicate_of"].notna() | (docs["on_topic"] == False)].head(MAX_REPORT_DOCS)  # noqa: E712
    parts.append("<h2>Duplicates and off-topic documents</h2>" + _table(
        flagged[[c for c in ["doc_id", "title", "duplicate_of", "on_topic", "on_topic_reason"]
                 if c in flagged.columns]]))
    if len(shown):
        shown = shown.assign(original=shown["original"].str.slice(0, 120),
                             replacement=shown["replacement"].str.slice(0, 120))
        capped = (f"<p>The first {len(shown)} listed; every change is in audit.parquet.</p>"
                  if len(shown) >= MAX_REPORT_CHANGES else "")
        parts.append("<h2>Repairs and removals (excluding pinyin, script, whitespace)</h2>" + capped + _table(
            shown[["source_file", "doc_id", "start", "end", "reason", "original", "replacement"]]))
    if "lexicons" in summary:
        parts.append("<h2>Lexicons</h2>" + _table(pd.DataFrame(
            sorted(summary["lexicons"].items()), columns=["lexicon", "sha256"])))
    parts.append("</body></html>")
    return "\n".join(parts)
