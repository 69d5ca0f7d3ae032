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

import collections
import html
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import dating, dedupe, ingest, repair, segment
from ._trace import TracedText
from .lexicons import lexicon_hashes

__all__ = ["CorpusBuildError", "build_corpus", "build_corpus_tables", "write_corpus",
           "process_file", "infer_genre", "infer_place", "score_on_topic", "CORPUS_COLUMNS"]

CORPUS_COLUMNS = [
    "doc_id", "source_file", "source_sha256", "span_start", "span_end", "title", "text", "n_chars",
    "script_original", "encoding", "genre", "admin_level", "place", "published", "year", "year_lo",
    "year_hi", "year_confidence", "year_evidence", "fyp_period", "duplicate_of",
    "near_duplicate_group", "on_topic", "on_topic_score", "on_topic_reason", "repairs",
]
AUDIT_COLUMNS = ["source_file", "doc_id", "start", "end", "original", "source_text",
                 "replacement", "reason", "stage"]
LEXICONS = ["boilerplate.csv", "headings.csv", "genres.csv", "on_topic.csv", "char_freq.tsv"]


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
    for row in segment.read_pattern_table("genres.csv"):
        if re.search(row["pattern"], title):
            return row["genre"]
    for row in segment.read_pattern_table("genres.csv"):
        if re.search(row["pattern"], text[:200]):
            return row["genre"]
    return "其他"


_PLACE_RX = re.compile(r"([\u4e00-\u9fff]{2})(省|市|区|县)")
_FUNCTION_CHARS = set("督促今后括新增城乡辖地一二三四五六七八九十个赴进行发挥多次全我本该各和与及的在对了已被由向把将根据参照围绕寻求落实省市县区度报定调整议是荣获上托面极分别紧")
_NOT_PLACE = {"全", "我", "本", "该", "各", "XX", "xx", "全省", "全市", "本市", "省", "市", "县", "区", "地"}


@lru_cache(maxsize=1)
def _place_names() -> frozenset:
    import jieba

    names = set()
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns" and 2 <= len(parts[0]) <= 4:
                names.add(parts[0])
    return frozenset(names)


def infer_place(title: str, text: str) -> tuple[str | None, str | None]:
    """Return ``(admin_level, place)`` as the text states them, else None.

    ``admin_level`` is 省/市/区/县 from the title's bureau (``市科技局``) or the
    most frequent ``我市/我区/我县/全市…``; ``place`` is a two-character name
    written before 省/市/区/县 (``巴中市``), preferring the admin level found,
    then the name the text repeats most (at least 3 times); a name counts as
    a place only if jieba's bundled dictionary tags it ``ns`` (place name),
    with or without its 市/区/县.

    Parameters
    ----------
    title, text : str

    Returns
    -------
    tuple of (str or None, str or None)

    Examples
    --------
    >>> from bureau_rhetoric.corpus import infer_place
    >>> infer_place("市科技局工作总结", "巴中市科技局召开会议,巴中市委高度重视,巴中日报报道。")
    ('市', '巴中市')
    >>> infer_place("区科技局年终总结", "包河区委、区政府高度重视,包河区科技局提升包河科普。")
    ('区', '包河区')
    >>> infer_place("科技工作总结", "加强创新。")
    (None, None)
    """
    level = None
    m = re.search(r"(省|市|区|县)(?:科技局|科学技术局|科技厅)", title)
    if m:
        level = m.group(1)
    else:
        c = collections.Counter(re.findall(r"(?:我|全|本)(省|市|区|县)", text))
        if c:
            level = c.most_common(1)[0][0]
    full = title + "\n" + text
    gazetteer = _place_names()
    cands = {m.group(1): m.group(2) for m in _PLACE_RX.finditer(full)
             if m.group(1) + m.group(2) in gazetteer
             or (m.group(1) in gazetteer and m.group(2) != "省")}
    ranked = sorted(((full.count(name), lvl == level, name + lvl) for name, lvl in cands.items()),
                    key=lambda x: (x[1], x[0]), reverse=True)
    place = ranked[0][2] if ranked and ranked[0][0] >= 3 else None
    return level, place


def score_on_topic(text: str, title: str = "") -> tuple[bool, float, str]:
    """Score whether a document is a science & technology bureau's own report.

    Parameters
    ----------
    text : str
    title : str, optional
        Not used for the score (content farms put 科技局 in every title).

    Returns
    -------
    tuple of (bool, float, str)
        ``on_topic`` (score >= 0.5), the share of weighted 科技 keyword hits among
        all weighted hits (``on_topic.csv``), and a reason naming the hits.

    Examples
    --------
    >>> from bureau_rhetoric.corpus import score_on_topic
    >>> docs = ["加强科技创新,高新技术企业增加。", "完成公路通畅项目,路面硬化。", "文物保护单位巡查。"]
    >>> [score_on_topic(d)[:2] for d in docs]
    [(True, 1.0), (False, 0.0), (False, 0.0)]
    """
    hits = collections.Counter()
    weighted = collections.Counter()
    for row in segment.read_pattern_table("on_topic.csv"):
        n = text.count(row["term"])
        if n:
            hits[(row["domain"], row["term"])] += n
            weighted[row["domain"]] += n * float(row["weight"])
    total = sum(weighted.values())
    score = weighted["科技"] / total if total else 0.0
    on = score >= 0.5
    top = ", ".join(f"{t}×{n}" for (d, t), n in hits.most_common(6))
    other = {d: w for d, w in weighted.items() if d != "科技"}
    if not total:
        reason = "no 科技 or other-bureau keywords"
    elif on:
        reason = f"科技 keywords dominate ({score:.2f}): {top}"
    else:
        dom = max(other, key=other.get)
        reason = f"reads as a {dom} report ({1 - score:.2f} of keyword weight): {top}"
    return on, round(score, 3), reason


# ----------------------------------------------------------------------------- per file


def _file_key(stem: str) -> str:
    m = re.match(r"^(\d+)_[0-9a-fA-F]+$", stem)
    return m.group(1) if m else stem


def process_file(raw: ingest.RawFile) -> tuple[list[dict], list[dict], dict]:
    """Repair, clean and split one decoded file.

    Parameters
    ----------
    raw : ingest.RawFile
        A decoded file (``raw.text`` set).

    Returns
    -------
    tuple
        ``(docs, audit_rows, info)``: one dict per leaf document (without
        cross-file columns), one dict per change with source offsets, and a
        per-file summary.
    """
    name = raw.path.name
    key = _file_key(raw.path.stem)
    tt = TracedText(raw.text)
    rows, script = repair.repair_traced(tt)
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
                         "reason": reason, "stage": "segment"})
    published_at = published[0] if published else None
    for p in pieces:
        doc_id = f"{key}-{p['piece']:02d}" + (f"-{p['sub']}" if p["sub"] else "")
        body = tt.text[p["start"]:p["end"]]
        span_start, span_end = int(tt.src_start[p["start"]]), int(tt.src_end[p["end"] - 1])
        sub = TracedText(body)
        rep = dedupe.repeated_body_edits(body)
        for r in sub.apply(rep, "dedupe"):
            a = p["start"] + (r["start"])
            b = p["start"] + r["end"]
            s0, s1 = int(tt.src_start[a]), int(tt.src_end[b - 1])
            rows.append({**r, "start": s0, "end": s1, "doc_id": doc_id})
        text = sub.text.rstrip("\n")
        title = repair.convert_script(p["title"]) if script == "traditional" else p["title"]
        docs.append({"doc_id": doc_id, "source_file": name, "source_sha256": raw.sha256,
                     "span_start": span_start, "span_end": span_end, "title": title,
                     "text": text, "n_chars": len(text), "script_original": script,
                     "encoding": raw.encoding, "published": published_at})
    # attach doc_id to changes inside document spans
    spans = [(d["span_start"], d["span_end"], d["doc_id"]) for d in docs]
    for r in rows:
        r["source_file"] = name
        r["source_text"] = raw.text[r["start"]:r["end"]]
        if r.get("doc_id") is None:
            r["doc_id"] = next((i for a, b, i in spans if a <= r["start"] and r["end"] <= b
                                and r["stage"] != "segment"), None)
    info = {"source_file": name, "encoding": raw.encoding, "script_original": script,
            "n_chars": len(raw.text), "n_docs": len(docs), "published": published_at}
    return docs, rows, info


# ----------------------------------------------------------------------------- corpus


def build_corpus_tables(raw_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Build the corpus and audit tables and a report summary from a raw folder.

    Parameters
    ----------
    raw_dir : str or Path

    Returns
    -------
    tuple of (DataFrame, DataFrame, dict)
        ``corpus`` (columns :data:`CORPUS_COLUMNS`), ``audit``, and
        ``summary`` with ``files``, ``skipped``, ``ignored`` lists.
    """
    files, ignored = ingest.list_raw_files(raw_dir)
    all_docs, all_rows, infos, skipped = [], [], [], []
    for path in files:
        raw = ingest.read_raw_file(path)
        if raw.skipped:
            skipped.append({"source_file": path.name, "reason": raw.skipped})
            continue
        docs, rows, info = process_file(raw)
        if not docs:
            skipped.append({"source_file": path.name, "reason": "no document text after cleaning"})
        all_docs += docs
        all_rows += rows
        infos.append(info)
    docs = pd.DataFrame(all_docs, columns=["doc_id", "source_file", "source_sha256", "span_start",
                                           "span_end", "title", "text", "n_chars", "script_original",
                                           "encoding", "published"])
    if len(docs):
        docs = dedupe.find_duplicates(docs)
        meta = [infer_place(t, x) for t, x in zip(docs["title"], docs["text"])]
        docs["genre"] = [infer_genre(t, x) for t, x in zip(docs["title"], docs["text"])]
        docs["admin_level"] = [m[0] for m in meta]
        docs["place"] = [m[1] for m in meta]
        topic = [score_on_topic(x, t) for t, x in zip(docs["title"], docs["text"])]
        docs["on_topic"] = [t[0] for t in topic]
        docs["on_topic_score"] = [float(t[1]) for t in topic]
        docs["on_topic_reason"] = [t[2] for t in topic]
    else:
        for c in ("duplicate_of", "near_duplicate_group", "genre", "admin_level", "place",
                  "on_topic_reason"):
            docs[c] = pd.Series(dtype=object)
        docs["on_topic"] = pd.Series(dtype=bool)
        docs["on_topic_score"] = pd.Series(dtype=float)
        docs["duplicate_similarity"] = pd.Series(dtype=float)
    docs = dating.date_corpus(docs)
    audit = pd.DataFrame(all_rows, columns=AUDIT_COLUMNS)
    audit = audit.astype({"start": "int64", "end": "int64"})
    counts = audit[audit["doc_id"].notna()].groupby(["doc_id", "reason"]).size()
    summ = {d: ", ".join(f"{r}:{n}" for r, n in counts[d].items()) for d in counts.index.levels[0]
            if d in counts.index.get_level_values(0)}
    docs["repairs"] = [summ.get(d, "") for d in docs["doc_id"]]
    docs["published"] = docs["published"].astype(object)
    docs = docs[CORPUS_COLUMNS + ["duplicate_similarity"]].reset_index(drop=True)
    summary = {"files": infos, "skipped": skipped,
               "ignored": [{"source_file": p.name, "reason": r} for p, r in ignored],
               "lexicons": lexicon_hashes(tuple(LEXICONS) + tuple(dating.DATING_LEXICONS))}
    return docs, audit, summary


def build_corpus(raw_dir: str | Path) -> pd.DataFrame:
    """Build the corpus table (one row per leaf document) from a folder of raw files.

    Parameters
    ----------
    raw_dir : str or Path
        Folder of raw text files in any supported encoding.

    Returns
    -------
    DataFrame
        Columns :data:`CORPUS_COLUMNS` (plus ``duplicate_similarity``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import build_corpus
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "001_a.txt").write_bytes("科技局創業服務情況匯報\\n時間:2022-03-01 04:26:00\\n一、加強組織領導。".encode("big5"))
    >>> build_corpus(d)[["title", "text", "published"]].values.tolist()
    [['科技局创业服务情况汇报', '一、加强组织领导。', '2022-03-01 04:26:00']]
    """
    return build_corpus_tables(raw_dir)[0]


def write_corpus(raw_dir: str | Path, out_dir: str | Path) -> dict[str, Path]:
    """Build and write ``corpus.parquet``, ``audit.parquet`` and ``build_report.html``.

    Parameters
    ----------
    raw_dir, out_dir : str or Path

    Returns
    -------
    dict of str to Path
        ``{"corpus": ..., "audit": ..., "report": ...}``.

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
    ['audit', 'corpus', 'report']
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise CorpusBuildError(f"raw folder {raw_dir} does not exist")
    docs, audit, summary = build_corpus_tables(raw_dir)
    if not len(docs):
        why = "; ".join(f"{s['source_file']}: {s['reason']}" for s in summary["skipped"]) or "no files"
        raise CorpusBuildError(f"no document could be built from {raw_dir} ({why})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"corpus": out / "corpus.parquet", "audit": out / "audit.parquet",
             "report": out / "build_report.html"}
    docs.to_parquet(paths["corpus"], index=False)
    audit.to_parquet(paths["audit"], index=False)
    paths["report"].write_text(render_report(docs, audit, summary), encoding="utf-8")
    return paths


# ----------------------------------------------------------------------------- report


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if pd.isna(v) else str(v))}</td>"
                                    for v in row) + "</tr>" for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_report(docs: pd.DataFrame, audit: pd.DataFrame, summary: dict) -> str:
    """Render the build report as one self-contained HTML page; all corpus text is escaped.

    Parameters
    ----------
    docs, audit : DataFrame
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
    >>> page = render_report(docs, pd.DataFrame(columns=["source_file", "reason"]), {"files": [], "skipped": [], "ignored": []})
    >>> "<script>alert" in page, "&lt;script&gt;alert" in page
    (False, True)
    """
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Corpus build report</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:90%}"
             "td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}</style></head><body>",
             "<h1>Corpus build report</h1>",
             f"<p>{len(docs)} leaf documents from {len(summary['files'])} files; "
             f"{len(summary['skipped'])} skipped; {len(summary['ignored'])} ignored; "
             f"{len(audit)} audit rows.</p>"]
    parts.append("<h2>Files</h2>" + _table(pd.DataFrame(summary["files"])))
    parts.append("<h2>Skipped files</h2>" + (_table(pd.DataFrame(summary["skipped"]))
                                               if summary["skipped"] else "<p>none</p>"))
    parts.append("<h2>Ignored (not corpus files)</h2>" + (_table(pd.DataFrame(summary["ignored"]))
                                                        if summary["ignored"] else "<p>none</p>"))
    if len(audit):
        by_kind = audit.groupby(["source_file", "reason"]).size().unstack(fill_value=0).reset_index()
        parts.append("<h2>Changes by kind per file</h2>" + _table(by_kind))
    cols = ["doc_id", "title", "n_chars", "genre", "admin_level", "place", "published",
            "duplicate_of", "near_duplicate_group", "on_topic", "on_topic_score", "on_topic_reason",
            "year", "year_lo", "year_hi", "year_confidence", "repairs"]
    parts.append("<h2>Documents</h2>" + _table(docs[[c for c in cols if c in docs.columns]]))
    flagged = docs[docs["duplicate_of"].notna() | (docs["on_topic"] == False)]  # noqa: E712
    parts.append("<h2>Duplicates and off-topic documents</h2>" + _table(
        flagged[[c for c in ["doc_id", "title", "duplicate_of", "on_topic", "on_topic_reason"]
                 if c in flagged.columns]]))
    if len(audit):
        shown = audit[audit["reason"].isin(["gbk_shift", "gbk_unrecoverable", "watermark", "lead_in",
                                            "footer", "intro", "html", "url", "repeated_body"])]
        shown = shown.assign(original=shown["original"].str.slice(0, 120))
        parts.append("<h2>Repairs and removals (excluding pinyin, script, whitespace)</h2>" + _table(
            shown[["source_file", "doc_id", "start", "end", "reason", "original", "replacement"]]))
    if "lexicons" in summary:
        parts.append("<h2>Lexicons</h2>" + _table(pd.DataFrame(
            sorted(summary["lexicons"].items()), columns=["lexicon", "sha256"])))
    parts.append("</body></html>")
    return "\n".join(parts)
