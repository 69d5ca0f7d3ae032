"""Remove site boilerplate and split compilations into leaf documents with titles.

Patterns live in data files: ``boilerplate.csv`` (watermarks, lead-ins, footers,
小编 intros, HTML/JS debris, URLs) and ``headings.csv`` (``第一篇:…``, ``…篇一``,
``文章标题:``). Numbered repeats of a piece's title inside the piece
(``市科技局工作自查报告1`` … ``5``) split it further.

Examples
--------
>>> from bureau_rhetoric.segment import split_documents
>>> text = "第一篇:科技局工作总结\\n今年科技工作成效显著。\\n第二篇:科技局工作计划\\n明年加强创新。\\n第三篇:科技局讲话\\n同志们好。"
>>> [(d["title"], text[d["start"]:d["end"]]) for d in split_documents(text)]
[('科技局工作总结', '今年科技工作成效显著。'), ('科技局工作计划', '明年加强创新。'), ('科技局讲话', '同志们好。')]
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

from ._trace import Edit
from .lexicons import lexicon_key, lexicon_path

__all__ = ["read_pattern_table", "boilerplate_edits", "remove_boilerplate", "split_documents", "simplified_view",
           "BOUNDED_KINDS"]


def read_pattern_table(name: str) -> list[dict]:
    """Read a CSV lexicon with ``#`` header comments into a list of rows.

    Parameters
    ----------
    name : str
        Shipped lexicon name (``"boilerplate.csv"``) or a path to your own.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> from bureau_rhetoric.segment import read_pattern_table
    >>> sorted({r["kind"] for r in read_pattern_table("boilerplate.csv")})
    ['footer', 'html', 'intro', 'lead_in', 'url', 'watermark']
    """
    with open(lexicon_path(name), encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("".join(lines))))


def _compiled(name: str) -> tuple[tuple[str, re.Pattern], ...]:
    return _compiled_at(name, lexicon_key(name))


@lru_cache(maxsize=16)
def _compiled_at(name: str, key: tuple) -> tuple[tuple[str, re.Pattern], ...]:
    """Compiled patterns of the lexicon in force, cached by its (path, sha256), not its name."""
    return tuple((r["kind"], re.compile(r["pattern"], re.M)) for r in read_pattern_table(name))


def boilerplate_edits(text: str, patterns: str = "boilerplate.csv", *,
                      kinds=None) -> tuple[list[Edit], list[str]]:
    """Return the deletions of site boilerplate and the upload times found in lead-ins.

    Parameters
    ----------
    text : str
    patterns : str, default "boilerplate.csv"
        Lexicon of ``kind,pattern`` rows.
    kinds : iterable of str, optional
        Only these kinds (default all). The build removes watermarks before
        the GBK repair (their ``[`` would end a damaged run) and the rest after.

    Returns
    -------
    tuple of (list of Edit, list of str)
        Non-overlapping deletions (reason = the row's kind) and the
        ``published`` timestamps (upload dates, never document years).

    Notes
    -----
    Patterns match in either script (on :func:`simplified_view`). A footer, lead-in
    or intro removal (:data:`BOUNDED_KINDS`) ends at the next line that would start a
    document (``headings.csv``) or at a blank line followed by text, whatever its
    pattern matched: a removed span never swallows the next document of a compilation.

    Examples
    --------
    >>> from bureau_rhetoric.segment import boilerplate_edits
    >>> edits, published = boilerplate_edits("时间:2022-03-01 04:26:00\\n加强[找文章到xiexiebang.com-一站在手]创新")
    >>> [(e.reason, e.start, e.end) for e in edits], published
    ([('lead_in', 0, 23), ('watermark', 25, 50)], ['2022-03-01 04:26:00'])
    >>> edits, _ = boilerplate_edits("时间:2022-03-01 04:26:00\\n导语:本文來源于網友上傳,不代表本站觀點\\n正文")
    >>> [(e.reason, e.start, e.end) for e in edits]
    [('lead_in', 0, 23), ('lead_in', 23, 44)]
    """
    view = simplified_view(text)
    heads = _heading_starts(text) if kinds is None or set(kinds) & set(BOUNDED_KINDS) else []
    found: list[Edit] = []
    published: list[str] = []
    for kind, rx in _compiled(patterns):
        if kinds is not None and kind not in kinds:
            continue
        for m in rx.finditer(view):
            start, end = m.start(), m.end()
            if kind in BOUNDED_KINDS:
                end = _bounded_end(view, start, end, heads)
            if end == start:
                continue
            if any(e.start < end and start < e.end for e in found):
                continue
            found.append(Edit(start, end, "", kind))
            if "published" in rx.groupindex and m.group("published") and m.end("published") <= end:
                published.append(m.group("published"))
    return sorted(found), published


#: Kinds of removal that may span lines; each ends at the next document heading or blank line.
BOUNDED_KINDS = ("footer", "lead_in", "intro")

_BLANK_THEN_TEXT = re.compile(r"\n[ \t\u3000]*\n+(?=[ \t\u3000]*\S)")


def _heading_starts(text: str, headings: str = "headings.csv") -> list[int]:
    """Offsets of the lines that :func:`split_documents` would start a document at."""
    rules = [rx for kind, rx in _compiled(headings) if kind == "piece"]
    out, pos = [], 0
    for ln in text.split("\n"):
        s = ln.strip()
        if s and any(rx.match(s) for rx in rules):
            out.append(pos)
        pos += len(ln) + 1
    return out


def _bounded_end(text: str, start: int, end: int, heads: list[int]) -> int:
    """Cut a removal at the first document heading or blank-line-separated text inside it."""
    import bisect

    k = bisect.bisect_right(heads, start)
    if k < len(heads) and heads[k] < end:
        end = heads[k]
    m = _BLANK_THEN_TEXT.search(text, start, end)
    if m and m.end() < end:
        end = m.start() + 1
    return end


def simplified_view(text: str) -> str:
    """The text in Simplified script, character for character (same length, same offsets).

    Boilerplate patterns are written in Simplified; matching them on this view finds a
    Traditional lead-in or footer above a Simplified body (and the reverse) whatever the
    script of the rest of the file. A line whose conversion would change its length is
    left as it is.

    Examples
    --------
    >>> from bureau_rhetoric.segment import simplified_view
    >>> simplified_view("導語:來源于網友上傳\\n科技局")
    '导语:来源于网友上传\\n科技局'
    """
    if text.isascii():
        return text
    from .repair import convert_script

    conv = convert_script(text)
    if len(conv) == len(text):
        return conv
    return "\n".join(c if len(c := convert_script(ln)) == len(ln) else ln for ln in text.split("\n"))


def remove_boilerplate(text: str, patterns: str = "boilerplate.csv") -> str:
    """Delete site boilerplate; see :func:`boilerplate_edits`.

    Parameters
    ----------
    text : str
    patterns : str, default "boilerplate.csv"

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.segment import remove_boilerplate
    >>> docs = ["科技</p>创新", "见http://www.x.cn/a.html", "导语:一文来源于网友上传,不代表本站观点\\n正文"]
    >>> [remove_boilerplate(d) for d in docs]
    ['科技创新', '见', '正文']
    """
    edits, _ = boilerplate_edits(text, patterns)
    parts, pos = [], 0
    for e in edits:
        parts.append(text[pos:e.start])
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for ln in text.split("\n"):
        out.append((pos, pos + len(ln), ln))
        pos += len(ln) + 1
    return out


def _strip_range(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in "\n \t":
        a += 1
    while b > a and text[b - 1] in "\n \t":
        b -= 1
    return a, b


def _is_title_line(line: str) -> bool:
    return 2 <= len(line) <= 60 and not re.search(r"[。;；:：,，]$", line)


def split_documents(text: str, headings: str = "headings.csv") -> list[dict]:
    """Split a cleaned file into leaf documents with titles.

    A piece starts at a heading line (``headings.csv``); a repeated title line
    (``文章标题:…`` or the title itself) right after it is skipped; inside a
    piece, two or more lines ``<title>1``, ``<title>2`` … split it into numbered
    leaf documents. A file without headings is one document, titled by its
    first line when that line looks like a title.

    Parameters
    ----------
    text : str
        Repaired text, boilerplate removed.
    headings : str, default "headings.csv"

    Returns
    -------
    list of dict
        ``title``, ``start``, ``end`` (offsets into ``text``, trimmed of blank
        lines), ``piece`` (1-based) and ``sub`` (1-based or None).

    Examples
    --------
    >>> from bureau_rhetoric.segment import split_documents
    >>> text = "第一篇:自查报告\\n自查报告1\\n保密工作良好。\\n自查报告2\\n绩效考核完成。\\n第二篇:讲话\\n同志们好。"
    >>> [(d["piece"], d["sub"], d["title"]) for d in split_documents(text)]
    [(1, 1, '自查报告1'), (1, 2, '自查报告2'), (2, None, '讲话')]
    """
    rules = _compiled(headings)
    lines = _lines(text)
    heads = []  # (line index, kind, title)
    for i, (_, _, ln) in enumerate(lines):
        for kind, rx in rules:
            m = rx.match(ln.strip())
            if m:
                heads.append((i, kind, m.group("title").strip()))
                break
    pieces = [(i, t) for i, k, t in heads if k == "piece"]
    repeats = {i for i, k, _ in heads if k == "title_repeat"}
    if not pieces:
        first = next((j for j, (_, _, ln) in enumerate(lines) if ln.strip()), None)
        if first is None:
            return []
        if _is_title_line(lines[first][2].strip()) and first + 1 < len(lines):
            pieces = [(first, lines[first][2].strip())]
        else:
            pieces = [(first - 1, "")]
    docs = []
    for p, (i, title) in enumerate(pieces):
        j_end = pieces[p + 1][0] if p + 1 < len(pieces) else len(lines)
        body = i + 1
        # skip repeated title lines right after the heading
        while body < j_end and (body in repeats or lines[body][2].strip() in ("", title)):
            body += 1
        if body >= j_end:
            continue
        # nested numbered repeats of the title
        base = re.sub(r"\d+$", "", title)
        nested = []
        if base:
            rx = re.compile(rf"^{re.escape(base)}\s*(\d{{1,2}})$")
            for j in range(body, j_end):
                m = rx.match(lines[j][2].strip())
                if m:
                    nested.append((j, int(m.group(1))))
        if len(nested) >= 2 and [n for _, n in nested] == list(range(1, len(nested) + 1)):
            for s, (j, n) in enumerate(nested):
                k_end = nested[s + 1][0] if s + 1 < len(nested) else j_end
                a = lines[j + 1][0] if j + 1 < len(lines) else len(text)
                b = lines[k_end][0] if k_end < len(lines) else len(text)
                a, b = _strip_range(text, a, b)
                if b > a:
                    docs.append({"title": lines[j][2].strip(), "start": a, "end": b,
                                 "piece": p + 1, "sub": n})
            continue
        a = lines[body][0]
        b = lines[j_end][0] if j_end < len(lines) else len(text)
        a, b = _strip_range(text, a, b)
        if b > a:
            docs.append({"title": title, "start": a, "end": b, "piece": p + 1, "sub": None})
    return docs
