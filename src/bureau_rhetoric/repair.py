"""Repair scraped text: GBK byte-shift mojibake, pinyin annotations, script, width/whitespace.

Each ``*_edits`` function returns the list of :class:`Edit` it would make (offsets
into the text it was given, the replacement and the reason), so the caller can
record them in the audit table; the verb_noun functions return the repaired
text. :func:`repair_text` runs them all in the build's order and returns the
audit rows with offsets into the text it was given.

Order matters: the GBK shift is undone first (a damaged run ends at an ASCII
byte that is often followed by the pinyin of the character it belonged to),
then pinyin is stripped, then Traditional -> Simplified, then width and
whitespace.

Examples
--------
>>> from bureau_rhetoric import repair
>>> docs = ["總結(jié)工作(一)", "(試行)辦法", "計劃(2015)"]
>>> [repair.repair_text(d)[0] for d in docs]
['总结工作(一)', '(试行)办法', '计划(2015)']
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from ._trace import Edit, TracedText
from .lexicons import keyed_cache, lexicon_key, lexicon_path

__all__ = [
    "Edit",
    "line_ending_edits",
    "nul_edits",
    "strip_pinyin",
    "pinyin_edits",
    "fix_gbk_shift",
    "gbk_shift_edits",
    "convert_script",
    "script_edits",
    "detect_script",
    "normalize_whitespace",
    "whitespace_edits",
    "repair_text",
    "LOST_CHAR",
]

#: Placeholder for a character whose bytes the sites destroyed (GBK user-defined area).
LOST_CHAR = "〓"

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_CHARS = "a-zü" + _TONED
#: A pinyin annotation: one syllable with a tone mark, in ASCII parentheses,
#: right after a character. (一), (试行), (2015), (x) have no toned vowel.
PINYIN_RE = re.compile(rf"(?<=\S)\((?=[^)]{{0,7}}[{_TONED}])[{_PINYIN_CHARS}]{{1,7}}\)")

# ----------------------------------------------------------------------------- pinyin


def pinyin_edits(text: str, *, per_line: bool = True) -> list[Edit]:
    """Return the edits that delete pinyin annotations such as ``總結(jié)`` -> ``總結``.

    Parameters
    ----------
    text : str
    per_line : bool, default True
        Bundle the annotations of one line into one edit (from the first
        annotation to the end of the line; ``count`` says how many). A dirty file has tens of
        thousands per MB; one audit row each would dominate the build time.

    Returns
    -------
    list of Edit

    Examples
    --------
    >>> from bureau_rhetoric.repair import pinyin_edits
    >>> pinyin_edits("總結(jié)(一)", per_line=False)
    [Edit(start=2, end=7, replacement='', reason='pinyin', count=1)]
    >>> pinyin_edits("總結(jié)實(shí)現(xiàn)。")
    [Edit(start=2, end=21, replacement='實現。', reason='pinyin', count=3)]
    """
    if not per_line:
        out: list[Edit] = []
        pos = 0
        for line in text.split("\n"):
            out += [Edit(pos + a, pos + b, "", "pinyin") for a, b in _pinyin_spans(line)]
            pos += len(line) + 1
        return out
    edits: list[Edit] = []
    pos = 0
    for line in text.split("\n"):
        if "(" in line:
            spans = _pinyin_spans(line)
            if spans:
                first = spans[0][0]
                parts, at = [], first
                for a, b in spans:
                    parts.append(line[at:a])
                    at = b
                parts.append(line[at:])
                # trim the unchanged head so the edit starts at the first annotation
                edits.append(Edit(pos + first, pos + len(line), "".join(parts), "pinyin", len(spans)))
        pos += len(line) + 1
    return edits


#: A syllable without tone mark in parentheses after a Chinese character (neutral tone: 們(men), 的(de)).
_UNMARKED_RE = re.compile(r"(?<=[\u3400-\u9fff])\(([a-zü]{1,6})\)")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Toneless pinyin syllables (from the general table ``pinyin_general.tsv``, made with pypinyin)."""
    import unicodedata

    out = set()
    with open(lexicon_path("pinyin_general.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("char\t"):
                continue
            py = line.rstrip("\n").split("\t")[1]
            bare = "".join(c for c in unicodedata.normalize("NFD", py.replace("ü", "v"))
                           if not unicodedata.combining(c)).replace("v", "ü")
            out.add(bare)
    return frozenset(out)


def _pinyin_spans(line: str) -> list[tuple[int, int]]:
    """Spans of pinyin annotations in one line.

    Toned syllables always count. A toneless one (the neutral tone has no mark) counts
    only where the sites' habit shows: after a Traditional character (the sites annotate
    the characters they convert) or on a line with at least two toned annotations, and
    only if it is a pinyin syllable, so ``(x)``, ``(ab)`` and list letters stay.
    """
    spans = [m.span() for m in PINYIN_RE.finditer(line)]
    if "(" not in line or not _UNMARKED_RE.search(line):
        return spans
    taken = {a for a, _ in spans}
    sylls = _syllables()
    busy = len(spans) >= 2
    for m in _UNMARKED_RE.finditer(line):
        if m.start() in taken or m.group(1) not in sylls:
            continue
        prev = line[m.start() - 1]
        if busy or _t2s().convert(prev) != prev:
            spans.append(m.span())
    return sorted(spans)


def strip_pinyin(text: str) -> str:
    """Delete pinyin annotations after characters, keeping legitimate parentheses.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.repair import strip_pinyin
    >>> docs = ["總結(jié)", "(一)加強(qiáng)管理", "辦法(試行)(2015)技術(shù)(x)"]
    >>> [strip_pinyin(d) for d in docs]
    ['總結', '(一)加強管理', '辦法(試行)(2015)技術(x)']
    """
    return _apply(text, pinyin_edits(text))


# ----------------------------------------------------------------------------- GBK shift


@keyed_cache("char_freq.tsv")
def _logfreq() -> tuple[dict[str, float], float]:
    counts = {}
    with open(lexicon_path("char_freq.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("char\t"):
                continue
            ch, n = line.rstrip("\n").split("\t")
            counts[ch] = int(n)
    total = sum(counts.values())
    return {ch: math.log(n / total) + 8.0 for ch, n in counts.items()}, total


class _ToSimplified:
    """OpenCC ``hk2s``: mainland and Hong Kong Traditional forms to Simplified.

    Plain ``t2s`` leaves the Hong Kong variant forms of ``s2hk`` output (``衞``)
    unconverted; ``hk2s`` maps them to standard Traditional first and then does what
    ``t2s`` does, so on mainland Traditional and on the seeds it gives what ``t2s`` gives.
    (``tw2s`` is not chained: it turns every ``著`` into ``着``, also in ``显著``.)
    """

    def __init__(self):
        import opencc

        self._conv = opencc.OpenCC("hk2s")

    def convert(self, text: str) -> str:
        return self._conv.convert(text)


@lru_cache(maxsize=1)
def _t2s():
    return _ToSimplified()


_COMMON_PUNCT = set("，。、；：？！“”‘’（）《》【】—…·,.;:?!()%")


#: the (path, sha256) of char_freq.tsv that _char_score reads; refreshed by gbk_shift_edits
_FREQ_KEY = [("", "")]


def _is_digit(c: str) -> bool:
    """ASCII or full-width digit; not ⒎ ① ¹, which str.isdigit also accepts and mojibake is full of."""
    return "0" <= c <= "9" or "０" <= c <= "９"


def _char_score(ch: str) -> float:
    """Log-frequency of one character (Traditional scored as its Simplified form), offset so common ~ 0."""
    return _char_score_at(ch, _FREQ_KEY[0])


@lru_cache(maxsize=65536)
def _char_score_at(ch: str, key: tuple) -> float:
    lf, _ = _logfreq()
    s = _t2s().convert(ch)
    c = s if len(s) == 1 else ch
    if c in lf:
        return lf[c]
    if _is_digit(c) or c in _COMMON_PUNCT:
        return -1.0
    if c.isascii() and c.isalpha():
        return -4.0
    return -14.0


def _score(s: str) -> float:
    return sum(map(_char_score, s))


def _gbk_bytes(s: str) -> bytes:
    """GBK bytes of a damaged run; ASCII punctuation was full-width (A3xx) before the sites narrowed it."""
    out = bytearray()
    for ch in s:
        o = ord(ch)
        if 0x21 <= o <= 0x3F and not ch.isdigit():
            out += bytes([0xA3, o + 0x80])
        elif o < 0x80:
            out.append(o)
        else:
            out += ch.encode("gbk")
    return bytes(out)


def _in_run(ch: str) -> bool:
    o = ord(ch)
    if ch == "\n" or "0" <= ch <= "9" or 0x80 <= o <= 0x2FF:  # an ASCII digit is a byte of its own
        return False
    if o < 0x80:
        return 0x21 <= o <= 0x3F and ch not in "</>"  # not HTML debris
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


# an ASCII byte 0x40-0x7E right after a Chinese character or narrowed full-width
# punctuation (not after pinyin letters, "(" or HTML brackets)
_CANDIDATE_END = re.compile(r"(?<=[^\x00-\x7f\u0080-\u02ff]|[!-'*-.:;=?])[@-~]")
_PINYIN_AFTER = re.compile(rf"\([{_PINYIN_CHARS}]*[{_TONED}]")
_GARBAGE_PINYIN = re.compile(rf"\?[{_PINYIN_CHARS}]{{0,6}}[{_TONED}][{_PINYIN_CHARS}]{{0,6}}\)")


def _best_shift(text: str, e: int, lo_limit: int, maxback: int = 16):
    """Best reading of a damaged run that ends at the ASCII byte ``text[e]``."""
    lo = e
    while lo > lo_limit and e - lo < maxback and _in_run(text[lo - 1]):
        lo -= 1
    # an intact pinyin annotation inside the window was written after the damage: the run starts after it
    for m in PINYIN_RE.finditer(text, max(0, lo - 8), e):
        if m.end() > lo:
            lo = m.end()
    if lo >= e:
        return None
    window = text[lo:e]
    tail = text[e].encode("ascii")
    char_bytes = [_gbk_bytes(c) for c in window]
    scores = [_char_score(c) for c in window]
    prefix_sum = [0.0]
    for x in scores:
        prefix_sum.append(prefix_sum[-1] + x)
    base = prefix_sum[-1] + _char_score(text[e])
    best = None
    n = len(window)
    for k in range(n):
        variants = []
        if not all(c.isascii() for c in window[k:]):
            variants.append(("", b"".join(char_bytes[k:]) + tail))
        if window[k] == "?" and n - k >= 2:
            variants.append((LOST_CHAR, b"".join(char_bytes[k + 1:]) + tail))
        for prefix, raw in variants:
            raw = raw[1:]
            if len(raw) % 2:
                continue
            try:
                dec = raw.decode("gbk")
            except UnicodeDecodeError:
                continue
            if any(c.isascii() for c in dec):
                continue
            sc = prefix_sum[k] + _score(dec) - (3.0 if prefix else 0.0)
            if best is None or sc > best[0]:
                best = (sc, lo + k, prefix + dec)
    if best is None:
        return None
    return best[0] - base, best[1], best[2]


def _looks_damaged(text: str, e: int, lo_limit: int, window: int = 16) -> bool:
    """Cheap pre-check: a damaged run holds a rare character, a '?' or narrowed punctuation."""
    k = e
    while k > lo_limit and e - k < window and _in_run(text[k - 1]):
        k -= 1
        ch = text[k]
        if ch == "?" or _char_score(ch) < -3.0:
            return True
    return False


def gbk_shift_edits(text: str, *, min_gain: float = 4.0, min_gain_unannotated: float = 5.0,
                    min_gain_mask: float = 10.0) -> list[Edit]:
    """Return the edits that undo GBK one-byte-shift mojibake.

    The sites inserted a stray byte into GBK text, so the bytes after it paired
    up wrongly until the next ASCII byte (a GBK trail byte in 0x40-0x7E) put
    them back in step: ``。ㄎ澹﹨^`` is ``（五）區``. Each candidate run ends
    at such an ASCII character; every start within 16 characters is tried:
    re-encode the run to GBK (ASCII punctuation as the full-width form the
    sites narrowed), drop the stray first byte, decode; the reading that is
    most common Chinese (``data/char_freq.tsv``) wins if it beats the text as
    it stands by ``min_gain`` (log-frequency units; ``min_gain_unannotated``
    when the run is not followed by a pinyin annotation, the usual sign, and
    ``min_gain_mask`` when it also ends in ``x``/``X``/``_``, which the sites
    use to mask numbers and names). Held-out check (text no threshold was set on:
    the reports of ``synth_heldout``, ``tests/test_synth_heldout.py``): 80 shifts of
    their Traditional form with random stray bytes gain 9.3 to 60 (median 28), all
    above ``min_gain_unannotated``; the clean reports in either script, and 408
    masked copies (``XX年``, ``20xx年``, ``XX市``), give no edit, their best false
    candidate (ending in ``X``) gaining 1.7, far below ``min_gain_mask``.
    A stray byte that made a pair in GBK's user-defined area was deleted or
    turned into ``?`` by the sites: that character is lost and marked
    ``LOST_CHAR`` (reason ``gbk_unrecoverable``).

    Parameters
    ----------
    text : str
    min_gain, min_gain_unannotated, min_gain_mask : float, default 4.0, 5.0 and 10.0

    Returns
    -------
    list of Edit

    Examples
    --------
    >>> from bureau_rhetoric.repair import gbk_shift_edits
    >>> gbk_shift_edits("。ㄎ澹﹨^(qū)科技局")
    [Edit(start=0, end=5, replacement='（五）區', reason='gbk_shift', count=1)]
    """
    _FREQ_KEY[0] = lexicon_key("char_freq.tsv")  # character scores of the table in force
    edits: list[Edit] = []
    last = 0
    for m in _CANDIDATE_END.finditer(text):
        e = m.start()
        if e < last:
            continue
        annotated = bool(_PINYIN_AFTER.match(text, e + 1))
        if not annotated and not _looks_damaged(text, e, last):
            continue
        res = _best_shift(text, e, last)
        if res is None:
            continue
        gain, st, rep = res
        need = min_gain if annotated else (min_gain_mask if text[e] in "xX_" else min_gain_unannotated)
        if gain < need:
            continue
        reason = "gbk_unrecoverable" if LOST_CHAR in rep else "gbk_shift"
        edits.append(Edit(st, e + 1, rep, reason))
        last = e + 1
    # a '?' right before a repaired run stands for the pair the stray byte spoiled
    for ed in list(edits):
        if ed.start > 0 and text[ed.start - 1] == "?" and not any(
                o.start <= ed.start - 1 < o.end for o in edits):
            edits.append(Edit(ed.start - 1, ed.start, LOST_CHAR, "gbk_unrecoverable"))
    # '?' followed by the tail of a pinyin annotation: a lost character's remains
    taken = [(ed.start, ed.end) for ed in edits]
    for m in _GARBAGE_PINYIN.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            edits.append(Edit(m.start(), m.end(), LOST_CHAR, "gbk_unrecoverable"))
    return sorted(edits)


def fix_gbk_shift(text: str) -> str:
    """Undo GBK one-byte-shift mojibake; see :func:`gbk_shift_edits`.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.repair import fix_gbk_shift
    >>> docs = ["。ㄎ澹﹨^(qū)科技局", "。ㄆ撸┱匍_(kāi)全區", "科技局工作总结"]
    >>> [fix_gbk_shift(d) for d in docs]
    ['（五）區(qū)科技局', '（七）召開(kāi)全區', '科技局工作总结']
    """
    return _apply(text, gbk_shift_edits(text))


# ----------------------------------------------------------------------------- script


def detect_script(text: str, *, threshold: float = 0.02) -> str:
    """Return ``"traditional"`` if OpenCC t2s would change more than ``threshold`` of the Han characters.

    Parameters
    ----------
    text : str
    threshold : float, default 0.02

    Returns
    -------
    str
        ``"traditional"`` or ``"simplified"``.

    Examples
    --------
    >>> from bureau_rhetoric.repair import detect_script
    >>> [detect_script(d) for d in ["科學技術局工作總結", "科学技术局工作总结", "科技局"]]
    ['traditional', 'simplified', 'simplified']
    """
    han = "".join(re.findall(r"[\u3400-\u9fff]", text[:200_000]))
    if not han:
        return "simplified"
    conv = _t2s().convert(han)
    if len(conv) != len(han):
        return "traditional"
    a = np.frombuffer(han.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(conv.encode("utf-32-le"), dtype=np.uint32)
    return "traditional" if (a != b).mean() > threshold else "simplified"


def script_edits(text: str) -> list[Edit]:
    """Return the edits that convert Traditional to Simplified (OpenCC ``t2s``), one per changed line.

    Each edit spans a line's first to last changed character (``count`` = the
    number of characters changed); lines whose length changes are diffed.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of Edit

    Examples
    --------
    >>> from bureau_rhetoric.repair import script_edits
    >>> script_edits("科學技術局")
    [Edit(start=1, end=4, replacement='学技术', reason='t2s', count=2)]
    """
    import difflib

    edits: list[Edit] = []
    conv_all = _t2s().convert(text)
    if conv_all == text:
        return edits
    if len(conv_all) == len(text):  # the usual case: one character for one
        a = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        b = np.frombuffer(conv_all.encode("utf-32-le"), dtype=np.uint32)
        changed = np.nonzero(a != b)[0]
        newlines = np.nonzero(a == 10)[0]
        line_of = np.searchsorted(newlines, changed)
        cut = np.nonzero(np.diff(line_of))[0] + 1
        for grp in np.split(changed, cut):
            i, j = int(grp[0]), int(grp[-1]) + 1
            edits.append(Edit(i, j, conv_all[i:j], "t2s", len(grp)))
        return edits
    offset = 0
    for line in text.splitlines(keepends=True):
        conv = _t2s().convert(line)
        if conv != line:
            if len(conv) == len(line):
                a = np.frombuffer(line.encode("utf-32-le"), dtype=np.uint32)
                b = np.frombuffer(conv.encode("utf-32-le"), dtype=np.uint32)
                changed = np.nonzero(a != b)[0]
                i, j = int(changed[0]), int(changed[-1]) + 1
                edits.append(Edit(offset + i, offset + j, conv[i:j], "t2s", len(changed)))
            else:
                sm = difflib.SequenceMatcher(None, line, conv, autojunk=False)
                for op, i1, i2, j1, j2 in sm.get_opcodes():
                    if op != "equal":
                        edits.append(Edit(offset + i1, offset + i2, conv[j1:j2], "t2s"))
        offset += len(line)
    return edits


def convert_script(text: str) -> str:
    """Convert Traditional Chinese to Simplified with OpenCC ``t2s``.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.repair import convert_script
    >>> [convert_script(d) for d in ["科學技術局", "創業服務", "科技局"]]
    ['科学技术局', '创业服务', '科技局']
    """
    return _t2s().convert(text)


# ----------------------------------------------------------------------------- line endings, NUL

_CR = re.compile(r"\r(\n)?")
_NUL_RUN = re.compile("\x00+")


def line_ending_edits(text: str) -> list[Edit]:
    """Return edits turning each lone CR (old Mac line ending) into a line break and dropping CR of CRLF.

    A CR on its own ends a line, so compilations saved with CR endings split like LF
    ones; the CR of a CRLF goes before any line-anchored rule (a lead-in line ends at
    its line break) reads the text.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of Edit
        One-for-one replacements with reason ``line_ending``.

    Examples
    --------
    >>> from bureau_rhetoric.repair import line_ending_edits
    >>> line_ending_edits("第一篇:甲\\r正文\\r\\n")
    [Edit(start=5, end=6, replacement='\\n', reason='line_ending', count=1), Edit(start=8, end=9, replacement='', reason='line_ending', count=1)]
    """
    return [Edit(m.start(), m.start() + 1, "" if m.group(1) else "\n", "line_ending") for m in _CR.finditer(text)]


def nul_edits(text: str) -> list[Edit]:
    """Return deletions of NUL characters (a run is one edit counting its NULs).

    Examples
    --------
    >>> from bureau_rhetoric.repair import nul_edits
    >>> nul_edits("科技\\x00\\x00局")
    [Edit(start=2, end=4, replacement='', reason='nul_byte', count=2)]
    """
    return [Edit(m.start(), m.end(), "", "nul_byte", m.end() - m.start()) for m in _NUL_RUN.finditer(text)]


# ----------------------------------------------------------------------------- whitespace

_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+")
_HAN_OR_CPUNCT = r"[\u3400-\u9fff，。、；：？！“”‘’（）《》【】,;:?!]"
_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0\r]+")
_HAN_OR_CPUNCT_RE = re.compile(_HAN_OR_CPUNCT)
_BLANK_LINES = re.compile(r"\n{2,}")
_HEADING_START = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）]|\d+[、.．]|第[一二三四五六七八九十]")
#: a line that ends in a comma-like mark and is long is a sentence cut in two
_CUT_LINE = re.compile(r"[,，、]\n(?=[\u3400-\u9fff“])")


def whitespace_edits(text: str) -> list[Edit]:
    """Return the width and whitespace edits.

    Full-width letters and digits become ASCII; Chinese punctuation is left as
    it is. Spaces next to Chinese characters or punctuation, spaces at line
    edges and runs of blank lines are removed; a line break after a comma-like
    mark at the end of a long line (a sentence cut in two) is removed unless
    the next line starts like a heading (``一、``, ``(二)``, ``3.``).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of Edit

    Examples
    --------
    >>> from bureau_rhetoric.repair import whitespace_edits
    >>> whitespace_edits("建设, 不定期２０１５")
    [Edit(start=3, end=4, replacement='', reason='whitespace', count=1), Edit(start=7, end=11, replacement='2015', reason='width', count=1)]
    """
    found: list[Edit] = []
    add = found.append
    for m in _FULLWIDTH_ALNUM.finditer(text):
        rep = "".join(chr(ord(c) - 0xFEE0) for c in m.group())
        add(Edit(m.start(), m.end(), rep, "width"))
    n = len(text)
    for m in _SPACE_RUN.finditer(text):  # spaces are rare in Chinese text: check neighbours here
        a, b = m.start(), m.end()
        before = text[a - 1] if a else "\n"
        after = text[b] if b < n else "\n"
        if (before == "\n" or after == "\n" or _HAN_OR_CPUNCT_RE.match(before)
                or _HAN_OR_CPUNCT_RE.match(after) or "\r" in m.group()):
            add(Edit(a, b, "", "whitespace"))
    for m in _BLANK_LINES.finditer(text):
        add(Edit(m.start() + 1, m.end(), "", "whitespace"))
    for m in _CUT_LINE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start >= 20 and not _HEADING_START.match(text, m.end()):
            add(Edit(m.start() + 1, m.end(), "", "rejoin_line"))
    # overlapping candidates: keep the longer, in one sweep
    kept: list[Edit] = []
    for e in sorted(found, key=lambda e: (e.start, e.start - e.end)):
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return kept


def normalize_whitespace(text: str) -> str:
    """Normalise width and whitespace; see :func:`whitespace_edits`.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.repair import normalize_whitespace
    >>> [normalize_whitespace(d) for d in ["科技局\\n\\n\\n总结", "  计划 ", "ＸＸ年"]]
    ['科技局\\n总结', '计划', 'XX年']
    """
    return _apply(text, whitespace_edits(text))


# ----------------------------------------------------------------------------- all


def _apply(text: str, edits: list[Edit]) -> str:
    parts, pos = [], 0
    for e in sorted(edits):
        parts.append(text[pos:e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def repair_traced(tt: TracedText) -> tuple[list[dict], str]:
    """Run every repair on a :class:`TracedText` in place; return audit rows and the original script."""
    rows = []
    rows += tt.apply(gbk_shift_edits(tt.text), "repair")
    rows += tt.apply(pinyin_edits(tt.text), "repair")
    script = detect_script(tt.text)
    if script == "traditional":
        rows += tt.apply(script_edits(tt.text), "repair")
    return rows, script


def repair_text(text: str) -> tuple[str, list[dict]]:
    """Run all repairs (GBK shift, pinyin, script, whitespace) and return the text and its audit rows.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of (str, list of dict)
        The repaired text, and one row per change with ``start``/``end``
        offsets into ``text``, ``original``, ``replacement``, ``reason``, ``stage``.

    Examples
    --------
    >>> from bureau_rhetoric.repair import repair_text
    >>> out, rows = repair_text("總結(jié)")
    >>> out, [(r["start"], r["end"], r["reason"], r["n_changes"]) for r in rows]
    ('总结', [(2, 7, 'pinyin', 1), (0, 2, 't2s', 2)])
    """
    tt = TracedText(text)
    rows, _ = repair_traced(tt)
    rows += tt.apply(whitespace_edits(tt.text), "repair")
    return tt.text, rows
