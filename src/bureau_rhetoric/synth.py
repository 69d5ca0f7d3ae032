"""Make dirty variants of clean text with the seeds' own damage; generate synthetic corpora.

**Seed-derived**: the damage here copies the seed files' dirt (their watermark, 导语
sentence, upload-time format, footer titles and a pinyin table harvested from seeds
002/004), and :func:`paragraph_pool` draws its clean text from the seed corpus. So a
round trip through the build shows only that the repair undoes the damage it was
written against. The independent check is :mod:`synth_heldout` (reports written for
the project, general content-farm damage); ``scripts/heldout_check.py`` prints both
side by side. This module stays for regression tests on the seeds' own damage and for
synthetic corpora of any size (benchmarks). Kinds of damage (``DAMAGE_KINDS``):

- ``traditional``: OpenCC s2tw (Taiwan forms, which Big5 can hold), no pinyin;
- ``traditional_pinyin``: OpenCC s2t, then pinyin after converted characters
  (``总结`` -> ``總結(jié)``) from ``data/pinyin_table.tsv`` (harvested from the seeds);
- ``gbk_shift``: a stray byte inserted into GBK bytes, the run decoded out of step
  until the next ASCII trail byte (``（五）區`` -> ``。ㄎ澹﹨^``);
- ``watermark``: ``[找文章到xiexiebang.com-…]`` inside sentences;
- ``lead_in``: ``时间:…`` and ``导语:…来源于网友上传…`` lines (upload time kept as metadata);
- ``footer``: ``【title】相关文章:`` and unrelated titles;
- ``repeated_body``: the whole body pasted twice.

:func:`make_dirty_compilation` joins several documents as ``第一篇:…`` pieces and
:func:`encode_text` writes GB18030, Big5 or UTF-16.

Synthetic corpora of any size: :func:`paragraph_pool` (paragraphs of the bundled corpus
with every dating clue removed, labelled by theme), :func:`generate_corpus` /
:func:`iter_corpus` (documents with a stated year, theme mixtures and planted phrases
that trend over the years; :func:`tabulate_truth` is the ground truth) and
:func:`write_raw_corpus` (compilation files, optionally damaged, that the build splits
back into the same documents).

Examples
--------
>>> from bureau_rhetoric.synth import make_dirty_variant
>>> docs = ["科技局总结工作经验。", "科技局开展科普活动。", "科技局推动高新技术企业发展。"]
>>> [make_dirty_variant(d, seed=1, kinds=("traditional_pinyin",)) for d in docs]
['科技局總結(jié)工作經(jīng)驗(yàn)。', '科技局開(kāi)展科普活動(dòng)。', '科技局推動(dòng)高新技術(shù)企業(yè)發(fā)展。']
"""

from __future__ import annotations

import collections
import csv
import random
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .lexicons import lexicon_path

__all__ = ["DAMAGE_KINDS", "make_dirty_variant", "make_dirty_compilation", "encode_text",
           "add_pinyin", "shift_gbk", "THEME_KEYWORDS", "DATING_PATTERNS", "ERA_WORDS", "DEFAULT_TRENDS",
           "DEFAULT_THEMES", "PLACES", "GENRES", "CLAUSES", "MIN_THEME_SENTENCES", "COPY_KINDS",
           "label_theme", "paragraph_pool", "tabulate_truth", "iter_corpus", "generate_corpus", "write_raw_corpus"]

DAMAGE_KINDS = ("traditional", "traditional_pinyin", "gbk_shift", "watermark", "lead_in", "footer", "repeated_body")
_NUM = "一二三四五六七八九十"
WATERMARK = "[找文章到xiexiebang.com-/www.xiexiebang.com-一站在手,写作无忧!]"


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, str]:
    table = {}
    with open(lexicon_path("pinyin_table.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("char\t"):
                continue
            ch, py, _ = line.rstrip("\n").split("\t")
            table[ch] = py
    return table


@lru_cache(maxsize=1)
def _s2tw():
    import opencc

    return opencc.OpenCC("s2tw")


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def add_pinyin(text: str) -> str:
    """Convert to Traditional and annotate the converted characters with pinyin, as the sites do.

    Parameters
    ----------
    text : str
        Simplified Chinese.

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.synth import add_pinyin
    >>> add_pinyin("科技局总结")
    '科技局總結(jié)'
    """
    trad = _s2t().convert(text)
    table = _pinyin()
    out = []
    for s, t in zip(text, trad) if len(trad) == len(text) else ((c, c) for c in trad):
        out.append(t)
        if t != s and t in table:
            out.append(f"({table[t]})")
    return "".join(out)


def _shift_candidates(text: str) -> list[tuple[int, int]]:
    """Runs ``[i, j]`` of two-byte GBK characters whose last has an ASCII trail byte."""
    spans = []
    i = 0
    n = len(text)
    while i < n:
        j = i
        ok = True
        while j < n and j - i < 12:
            try:
                b = text[j].encode("gbk")
            except UnicodeEncodeError:
                ok = False
                break
            if len(b) != 2:
                ok = False
                break
            if 0x40 <= b[1] <= 0x7E:
                break
            j += 1
        if ok and j < n and j > i:
            spans.append((i, j))
            i = j + 1
        else:
            i = j + 1
    return spans


def shift_gbk(text: str, i: int, j: int, *, stray: int = 0xA1) -> str | None:
    """Damage ``text[i:j+1]`` with a one-byte GBK shift; None if that run cannot be shifted.

    Parameters
    ----------
    text : str
    i, j : int
        First and last character of the run; ``text[j]`` must have a GBK trail
        byte in 0x40-0x7E (it ends the damage).
    stray : int, default 0xA1
        The inserted byte.

    Returns
    -------
    str or None

    Examples
    --------
    >>> from bureau_rhetoric.synth import shift_gbk
    >>> shift_gbk("（五）區科技局", 0, 3)
    '。ㄎ澹﹨^科技局'
    """
    raw = bytes([stray]) + text[i:j + 1].encode("gbk")
    try:
        bad = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    if any(0xE000 <= ord(c) <= 0xF8FF for c in bad):
        return None
    return text[:i] + bad + text[j + 1:]


def make_dirty_variant(clean_text: str, *, seed: int, kinds=DAMAGE_KINDS, title: str = "",
                       n_watermarks: int = 2, n_shifts: int = 3) -> str:
    """Return a dirty copy of a clean Simplified text.

    Parameters
    ----------
    clean_text : str
    seed : int
        Same seed, same output.
    kinds : iterable of str, default all of ``DAMAGE_KINDS``
        (``traditional_pinyin`` takes precedence over ``traditional``)
    title : str, optional
        Title for lead-ins and footers.
    n_watermarks, n_shifts : int, default 2 and 3

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.synth import make_dirty_variant
    >>> v = make_dirty_variant("科技局总结工作。加强创新。", seed=3, kinds=("watermark", "repeated_body"))
    >>> v.count("xiexiebang") >= 1, v.count("总结") == 2
    (True, True)
    """
    unknown = set(kinds) - set(DAMAGE_KINDS)
    if unknown:
        raise ValueError(f"unknown damage kinds {sorted(unknown)}; choose from {DAMAGE_KINDS}")
    rng = random.Random(seed)
    body = clean_text
    if "repeated_body" in kinds:
        body = body + "\n" + body
    if "watermark" in kinds:
        marks = [k for k in range(1, len(body))  # between two characters of a sentence
                 if "\u4e00" <= body[k - 1] <= "\u9fff" and "\u4e00" <= body[k] <= "\u9fff"]
        for k in sorted(rng.sample(marks, min(n_watermarks, len(marks))), reverse=True):
            body = body[:k] + WATERMARK + body[k:]
    if "traditional_pinyin" in kinds:
        body = add_pinyin(body)
    elif "traditional" in kinds:
        body = _s2tw().convert(body)
    if "gbk_shift" in kinds:
        cands = _shift_candidates(body)
        for i, j in sorted(rng.sample(cands, min(n_shifts, len(cands))), reverse=True):
            shifted = shift_gbk(body, i, j)
            if shifted is not None:
                body = shifted
    head = []
    if "lead_in" in kinds:
        head.append(f"时间:20{rng.randint(15, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 0{rng.randint(0, 9)}:26:00")
        head.append(f"导语:{title or '本文'}一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。")
    tail = []
    if "footer" in kinds:
        tail.append(f"【{title or '科技局工作总结'}】相关文章:")
        tail += ["酒店年终总结及计划01-17", "关于英语教师年终总结5篇02-19"]
    if "traditional_pinyin" in kinds:  # the sites' lead-ins and footers are converted, not annotated
        head, tail = [_s2t().convert(x) for x in head], [_s2t().convert(x) for x in tail]
    elif "traditional" in kinds:
        head, tail = [_s2tw().convert(x) for x in head], [_s2tw().convert(x) for x in tail]
    return "\n".join(head + [body] + tail)


def _chinese_number(n: int) -> str:
    if not 1 <= n <= 99:
        raise ValueError(f"compilations hold 1..99 pieces, got piece {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUM[tens - 1] + "十")
    return head + (_NUM[ones - 1] if ones else "")


def make_dirty_compilation(texts, titles, *, seed: int, kinds=DAMAGE_KINDS) -> str:
    """Join several clean documents into one dirty ``第一篇:…`` compilation.

    Parameters
    ----------
    texts, titles : list of str
    seed : int
    kinds : iterable of str
        Damage applied to each piece (lead-ins and footers go around the whole).

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.synth import make_dirty_compilation
    >>> c = make_dirty_compilation(["科技创新。", "科普活动。"], ["甲报告", "乙报告"], seed=0, kinds=())
    >>> c
    '第一篇:甲报告\\n文章标题:甲报告\\n科技创新。\\n第二篇:乙报告\\n文章标题:乙报告\\n科普活动。'
    """
    inner = [k for k in kinds if k not in ("lead_in", "footer")]
    parts = []
    for k, (t, ti) in enumerate(zip(texts, titles)):
        num = _chinese_number(k + 1)
        parts.append(f"第{num}篇:{ti}\n文章标题:{ti}\n"
                     + make_dirty_variant(t, seed=seed * 1000 + k, kinds=inner))
    out = "\n".join(parts)
    if "footer" in kinds:
        out += f"\n【{titles[0]}】相关文章:\n酒店年终总结及计划01-17"
    return out


def encode_text(text: str, encoding: str) -> bytes:
    """Encode text as a scraped file would be: ``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030`` or ``big5``.

    Characters Big5 lacks are written as ``?`` (as a lossy converter would).

    Parameters
    ----------
    text : str
    encoding : str

    Returns
    -------
    bytes

    Examples
    --------
    >>> from bureau_rhetoric.synth import encode_text
    >>> encode_text("科技", "utf-16")[:2]
    b'\\xff\\xfe'
    """
    if encoding == "big5":
        return text.encode("big5", errors="replace")
    return text.encode(encoding)


# ============================================================================ synthetic corpora
#
# Documents built from paragraphs of the bundled corpus, with dating evidence removed,
# a stated year, theme mixtures that trend over the years and phrases planted at known
# rates; then written as raw compilation files (optionally damaged) the build reads back.

#: Keyword families that label a pool paragraph's theme: the family with the most keyword
#: hits wins (ties: the first listed); a paragraph with none is ``"general"``. Pass your
#: own dict to :func:`paragraph_pool` (``theme_keywords=``) to change them.
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "agriculture": ("农业", "农村", "农民", "特派员", "种植", "养殖"),
    "talent": ("人才", "引进", "培训", "专家"),
    "enterprise": ("企业", "孵化", "高新技术", "研发"),
    "ip": ("专利", "知识产权"),
    "popularisation": ("科普", "科学素质"),
}
GENERAL_THEME = "general"

#: Sentences matching any of these carry dating evidence and leave the pool: explicit and
#: masked years, Chinese-numeral years, Five-Year-Plan names, party congresses and plenums.
#: (Terms of ``dated_terms.csv`` and names of ``office_holders.csv`` are removed too.)
DATING_PATTERNS: tuple[str, ...] = (
    r"\d{4}\s*年", r"(?:19|20)\d\d", r"[0-9Xx×*＊]{2,4}\s*年", r"[12][0-9][Xx×*＊]{2}|[12][Xx×*＊]{3}",
    r"[一二〇零○][〇零○一二三四五六七八九]{3}年",
    r"十[一二三四五]五", r"[八九]五(?:规划|计划|期间|时期|末|初)", r"十五(?:规划|计划|期间|时期|末|初|”)",
    r"(?:十[四五六七八九]|二十)大(?![学会型])", r"届.中全会", r"开局之年|收官之年",
)
#: Words the dating lexicons do not use but that place a sentence in a few years (a 2008
#: report about epidemic control would be an anachronism); their sentences leave the pool too.
ERA_WORDS: tuple[str, ...] = ("疫情", "复工复产", "新冠", "肺炎")

#: Default planted phrases (rates per 10,000 characters at the first and last year):
#: undated phrases of ``phrases.csv`` (none is a term of ``dated_terms.csv``), one rising,
#: one falling, one flat.
DEFAULT_TRENDS = (("产学研合作", 2.0, 8.0), ("科技成果转化", 6.0, 2.0), ("知识产权", 4.0, 4.0))

#: Default theme mixture (weights at the first and last year, linear in between).
DEFAULT_THEMES = (("agriculture", 0.25, 0.10), ("talent", 0.15, 0.20), ("enterprise", 0.15, 0.30),
                  ("ip", 0.10, 0.15), ("popularisation", 0.10, 0.05), ("general", 0.25, 0.20))

#: Places written in titles and opening sentences (the last character is the admin level).
PLACES = ("青山县", "龙泉市", "安平县", "临江市", "永和县", "清河区", "兴隆县", "南湖区",
          "白石县", "东港市", "长宁县", "西城区", "丰源县", "宁远市", "金水区", "平安县")

#: Genres: title pattern and opening sentence (``{year}``, ``{place}``, ``{lvl}`` filled in).
#: The opening names the place, so two short documents of one genre rarely share it.
GENRES = {
    "工作总结": ("{place}科技局{year}年工作总结",
             "{year}年，{place}科技局在{lvl}委、{lvl}政府的正确领导下，紧紧围绕全{lvl}中心工作，扎实推进各项科技工作，现将全年工作总结如下。"),
    "工作计划": ("{place}科技局{year}年工作计划",
             "{year}年，{place}科技局将紧紧围绕全{lvl}中心工作，突出重点，狠抓落实，现将全年工作安排如下。"),
    "工作要点": ("{place}科技局{year}年工作要点",
             "{year}年，{place}科技工作的总体思路是：坚持稳中求进，突出创新引领，主要抓好以下工作。"),
    "述职报告": ("{place}科技局局长{year}年度述职报告",
             "{year}年，本人在{lvl}委、{lvl}政府和局党组的领导下，认真履行{place}科技局局长岗位职责，现将履职情况报告如下。"),
}

#: Clauses that carry a planted phrase ``{p}``: ``prefix`` opens a sentence, ``suffix`` ends one
#: (before its 。), ``sentence`` stands alone after a 。.
CLAUSES = {
    "prefix": ("加强{p}，", "深入推进{p}，", "围绕{p}，"),
    "suffix": ("，推动{p}", "，着力加强{p}", "，进一步做好{p}"),
    "sentence": ("全年继续抓好{p}。", "扎实推进{p}各项工作。", "{p}工作稳步推进。"),
}

#: A theme with fewer usable sentences than this also draws from sentences of general paragraphs.
MIN_THEME_SENTENCES = 60

#: How a planted copy (``duplicate_share``) differs from its original: not at all, cut to
#: 92-99 % of its length, or 1-4 characters after the opening replaced (one per 250 characters).
COPY_KINDS = ("exact", "truncated", "changed")
_COPY_TITLE_SUFFIXES = ("范文", "精选", "全文")
_SUBSTITUTES = "的了和与及在对为其之"

_PER = 10_000
_SENT_SPLIT = re.compile(r"(?<=[。；;！!])")
# sentences of generated paragraphs: cut after 。！？； (and closing quotes), enumerators dropped
_SENTENCE_RX = re.compile(r"[^。！？；!?;]+(?:[。！？；!?;]+[”’」』》）)]*|$)")
_SENTENCE_END_RX = re.compile(r"[。！？；!?;][”’」』》）)]*$")
_ENUMERATOR_RX = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[是、]|\d+[.、．])")
_MIN_SENTENCE = 10


@lru_cache(maxsize=1)
def _default_source():
    from .config import RAW_DIR
    from .corpus import build_corpus

    return build_corpus(RAW_DIR)


def _read_lexicon_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV lexicon with ``#`` comment lines (as :mod:`dating` reads them)."""
    with open(lexicon_path(name), encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


@lru_cache(maxsize=1)
def _dating_rx() -> re.Pattern:
    words = set()
    for row in _read_lexicon_rows("dated_terms.csv"):
        words.update(s for s in [row["term"], *row["variants"].split("|")] if s)
    words.update(row["name"] for row in _read_lexicon_rows("office_holders.csv") if row["name"])
    words.update(ERA_WORDS)
    alts = list(DATING_PATTERNS) + [re.escape(w) for w in sorted(words, key=len, reverse=True)]
    return re.compile("|".join(alts))


def label_theme(text: str, theme_keywords: dict | None = None) -> str:
    """Return the theme of a paragraph: the keyword family with the most hits, else ``"general"``.

    Parameters
    ----------
    text : str
    theme_keywords : dict of str to tuple of str, optional
        Default :data:`THEME_KEYWORDS`.

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.synth import label_theme
    >>> [label_theme(t) for t in ["选派科技特派员服务农村。", "培育高新技术企业。", "加强作风建设。"]]
    ['agriculture', 'enterprise', 'general']
    """
    theme_keywords = THEME_KEYWORDS if theme_keywords is None else theme_keywords
    best, best_n = GENERAL_THEME, 0
    for theme, words in theme_keywords.items():
        n = sum(text.count(w) for w in words)
        if n > best_n:
            best, best_n = theme, n
    return best


def _phrase_forms(phrases) -> dict[str, tuple[str, list[str]]]:
    """``{phrase: (phrase_id, normalised surface forms)}`` from the phrase lexicon."""
    from .phrases import normalize_text, read_phrases

    lex = read_phrases()
    out = {}
    for p in phrases:
        norm = normalize_text(p)
        hit = lex[[norm in forms for forms in lex["forms"]]]
        out[p] = (hit["phrase_id"].iloc[0], list(hit["forms"].iloc[0])) if len(hit) else (p, [norm])
    return out


def _forms_rx(phrase_forms: dict) -> re.Pattern | None:
    forms = sorted({f for _, fs in phrase_forms.values() for f in fs}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms))) if forms else None


def _strip_sentences(text: str, bad) -> tuple[str, int]:
    """Drop the sentences ``bad(sentence)`` flags; return the text and how many were dropped."""
    kept, n = [], 0
    for s in _SENT_SPLIT.split(text):
        if s and bad(s):
            n += 1
        else:
            kept.append(s)
    return "".join(kept), n


@lru_cache(maxsize=8)
def _default_pool(strip: tuple, keywords: tuple, min_chars: int) -> pd.DataFrame:
    return _build_pool(_default_source(), list(strip), dict(keywords), min_chars)


def _heading_rxs():
    from . import segment

    return [re.compile(r["pattern"]) for r in segment.read_pattern_table("headings.csv")]


def _build_pool(source: pd.DataFrame, strip: list[str], keywords: dict, min_chars: int) -> pd.DataFrame:
    from .dating import infer_year
    from .phrases import normalize_text

    keep = pd.Series(True, index=source.index)
    if "duplicate_of" in source:
        keep &= source["duplicate_of"].isna()
    if "on_topic" in source:
        keep &= source["on_topic"].fillna(True).astype(bool)
    docs = source[keep]
    doc_ids = docs["doc_id"].astype(str) if "doc_id" in docs else pd.Series(range(len(docs))).astype(str)
    dating_rx = _dating_rx()
    phrase_rx = _forms_rx(_phrase_forms(strip))
    headings = _heading_rxs()
    removed = collections.Counter(docs_dropped=int((~keep).sum()))
    rows = []
    for doc_id, text in zip(doc_ids, docs["text"]):
        for para in str(text).split("\n"):
            para = para.strip()
            removed["paragraphs_seen"] += 1
            if "〓" in para or "?" in para or any(rx.match(para) for rx in headings):
                removed["paragraphs_lost_char_or_heading"] += 1
                continue
            para, n = _strip_sentences(para, lambda s: dating_rx.search(s) is not None)
            removed["sentences_dating"] += n
            if phrase_rx is not None:
                para, n = _strip_sentences(para, lambda s: phrase_rx.search(normalize_text(s)) is not None)
                removed["sentences_planted_phrase"] += n
            if len(para) < min_chars or para[-1] in ",，、:：":
                removed["paragraphs_short_or_cut"] += 1
                continue
            if infer_year("", para).evidence:  # whatever the rules above missed
                removed["paragraphs_dating_other"] += 1
                continue
            rows.append((doc_id, para, len(para), label_theme(para, keywords)))
    pool = pd.DataFrame(rows, columns=["source_doc_id", "text", "n_chars", "theme"])
    pool.insert(0, "para_id", [f"p{i:05d}" for i in range(len(pool))])
    pool.attrs["removed"] = dict(removed)
    return pool


def paragraph_pool(source: pd.DataFrame | None = None, *, strip_phrases=None,
                   theme_keywords: dict | None = None, min_chars: int = 20) -> pd.DataFrame:
    """Return the paragraphs synthetic documents are made of, without dating evidence, by theme.

    Duplicates and off-topic documents are skipped; so are paragraphs with a lost
    character (``〓``, ``?``) or that read as a compilation heading. Sentences with
    dating evidence (:data:`DATING_PATTERNS`, the terms of ``dated_terms.csv``, the
    names of ``office_holders.csv``, :data:`ERA_WORDS`) or with a surface form of a phrase to be planted
    are removed; paragraphs left shorter than ``min_chars``, ending in a comma, or in
    which :func:`dating.infer_year` still finds evidence are dropped.

    Parameters
    ----------
    source : DataFrame, optional
        A corpus with ``text`` (and optionally ``doc_id``, ``duplicate_of``,
        ``on_topic``). Default: the bundled corpus built from ``data/raw`` (cached).
    strip_phrases : iterable of str, optional
        Phrases whose surface forms (``phrases.csv``) must not occur in the pool;
        default the phrases of :data:`DEFAULT_TRENDS`.
    theme_keywords : dict, optional
        Default :data:`THEME_KEYWORDS`.
    min_chars : int, default 20

    Returns
    -------
    DataFrame
        ``para_id``, ``source_doc_id``, ``text``, ``n_chars``, ``theme``;
        ``attrs["removed"]`` counts what was dropped and why.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.synth import paragraph_pool
    >>> src = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [
    ...     "2015年，我局选派科技特派员深入农村开展服务。组织农民参加种植技术培训。",
    ...     "培育高新技术企业，支持企业建设研发中心。\\n深入推进产学研合作，成效明显。",
    ...     "加强作风建设，认真学习贯彻党的十八大精神。严格落实各项制度，确保工作落到实处。"]})
    >>> paragraph_pool(src, min_chars=10)[["source_doc_id", "text", "theme"]].values.tolist()
    [['a', '组织农民参加种植技术培训。', 'agriculture'], ['b', '培育高新技术企业，支持企业建设研发中心。', 'enterprise'], ['c', '严格落实各项制度，确保工作落到实处。', 'general']]
    """
    strip = tuple(p for p, _, _ in DEFAULT_TRENDS) if strip_phrases is None else tuple(strip_phrases)
    keywords = THEME_KEYWORDS if theme_keywords is None else theme_keywords
    if source is None:
        pool = _default_pool(strip, tuple((k, tuple(v)) for k, v in keywords.items()), min_chars)
        out = pool.copy()
        out.attrs = {"removed": dict(pool.attrs["removed"])}
        return out
    if "text" not in source.columns:
        raise ValueError(f"source needs a 'text' column, got {list(source.columns)}")
    return _build_pool(source, list(strip), dict(keywords), min_chars)


# ---------------------------------------------------------------------------- generation


def _as_table(table, default, columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(list(default), columns=columns) if table is None else pd.DataFrame(table)
    missing = set(columns) - set(df.columns)
    if missing:
        raise ValueError(f"table needs columns {columns}, missing {sorted(missing)}")
    return df[columns].reset_index(drop=True)


def _linear(start: np.ndarray, end: np.ndarray, year: int, years: tuple[int, int]) -> np.ndarray:
    y0, y1 = years
    f = 0.0 if y1 == y0 else (year - y0) / (y1 - y0)
    return start + f * (end - start)


def tabulate_truth(*, years=(2006, 2025), trends=None, themes=None) -> pd.DataFrame:
    """Return the planted phrase rates and theme weights for every year (the ground truth).

    Parameters
    ----------
    years : tuple of int, default (2006, 2025)
        First and last year (inclusive).
    trends : DataFrame, optional
        ``phrase``, ``rate_start``, ``rate_end`` (per 10,000 characters); default
        :data:`DEFAULT_TRENDS`.
    themes : DataFrame, optional
        ``theme``, ``weight_start``, ``weight_end``; default :data:`DEFAULT_THEMES`.
        Weights are normalised to sum to 1 in every year.

    Returns
    -------
    DataFrame
        ``kind`` (``"phrase"`` or ``"theme"``), ``name``, ``year``, ``value``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.synth import tabulate_truth
    >>> tr = pd.DataFrame({"phrase": ["产学研合作"], "rate_start": [2.0], "rate_end": [6.0]})
    >>> th = pd.DataFrame({"theme": ["ip", "general"], "weight_start": [0.2, 0.8], "weight_end": [0.6, 0.4]})
    >>> tabulate_truth(years=(2010, 2012), trends=tr, themes=th).values.tolist()
    [['phrase', '产学研合作', 2010, 2.0], ['phrase', '产学研合作', 2011, 4.0], ['phrase', '产学研合作', 2012, 6.0], ['theme', 'ip', 2010, 0.2], ['theme', 'ip', 2011, 0.4], ['theme', 'ip', 2012, 0.6], ['theme', 'general', 2010, 0.8], ['theme', 'general', 2011, 0.6], ['theme', 'general', 2012, 0.4]]
    """
    trends = _as_table(trends, DEFAULT_TRENDS, ["phrase", "rate_start", "rate_end"])
    themes = _as_table(themes, DEFAULT_THEMES, ["theme", "weight_start", "weight_end"])
    rows = []
    y0, y1 = int(years[0]), int(years[1])
    for kind, names, a, b, norm in (
            ("phrase", trends["phrase"], trends["rate_start"], trends["rate_end"], False),
            ("theme", themes["theme"], themes["weight_start"], themes["weight_end"], True)):
        vals = np.array([_linear(a.to_numpy(float), b.to_numpy(float), y, (y0, y1)) for y in range(y0, y1 + 1)])
        if norm:
            vals = vals / vals.sum(axis=1, keepdims=True)
        for j, name in enumerate(names):
            rows += [(kind, name, y, round(float(vals[k, j]), 12)) for k, y in enumerate(range(y0, y1 + 1))]
    return pd.DataFrame(rows, columns=["kind", "name", "year", "value"])


def _genre_effects(effects) -> dict[str, float]:
    """Rate multipliers per genre, scaled to mean 1 over :data:`GENRES`."""
    if effects is None:
        return {g: 1.0 for g in GENRES}
    unknown = set(effects) - set(GENRES)
    if unknown:
        raise ValueError(f"genre_effects: unknown genres {sorted(unknown)} (genres: {list(GENRES)})")
    raw = {g: float(effects.get(g, 1.0)) for g in GENRES}
    if any(v < 0 for v in raw.values()) or sum(raw.values()) <= 0:
        raise ValueError(f"genre_effects must be >= 0 with a positive sum, got {effects}")
    mean = sum(raw.values()) / len(raw)
    return {g: v / mean for g, v in raw.items()}


class _Plan:
    """Everything per corpus (pool by theme, clauses, rates); documents then only draw numbers."""

    def __init__(self, *, years, trends, themes, mean_chars, pool, concentration, genre_effects=None):
        from .phrases import _matcher, read_phrases, normalize_text

        y0, y1 = int(years[0]), int(years[1])
        if y1 < y0:
            raise ValueError(f"years must be (first, last) with first <= last, got {years}")
        if mean_chars < 100:
            raise ValueError(f"mean_chars must be at least 100, got {mean_chars}")
        self.years, self.mean_chars, self.concentration = (y0, y1), float(mean_chars), float(concentration)
        self.genre_effect = _genre_effects(genre_effects)
        self.trends = _as_table(trends, DEFAULT_TRENDS, ["phrase", "rate_start", "rate_end"])
        self.themes = _as_table(themes, DEFAULT_THEMES, ["theme", "weight_start", "weight_end"])
        if (self.trends[["rate_start", "rate_end"]] < 0).any().any():
            raise ValueError("trends: rates must be >= 0")
        if (self.themes[["weight_start", "weight_end"]] < 0).any().any() or \
                (self.themes[["weight_start", "weight_end"]].sum() <= 0).any():
            raise ValueError("themes: weights must be >= 0 with a positive sum")
        phrases = self.trends["phrase"].tolist()
        if pool is not None and not {"text", "theme"} <= set(pool.columns):
            raise ValueError(f"pool needs 'text' and 'theme' columns, got {list(pool.columns)}")
        if pool is None:
            pool = paragraph_pool(strip_phrases=phrases)
        forms = _phrase_forms(phrases)
        rx = _forms_rx(forms)
        if rx is not None:  # a user's pool, or other phrases: remove what would be counted
            texts = [_strip_sentences(t, lambda s: rx.search(normalize_text(s)) is not None)[0]
                     for t in pool["text"]]
            pool = pool.assign(text=texts)
            pool = pool[pool["text"].str.len() > 0]
        self.pool_texts = {}
        for theme in self.themes["theme"]:
            texts = pool.loc[pool["theme"] == theme, "text"].tolist()
            if not texts:
                raise ValueError(f"no pool paragraph has theme {theme!r} "
                                 f"(pool themes: {sorted(set(pool['theme']))})")
            self.pool_texts[theme] = texts
        self.forms_rx = rx
        self.max_form = max((len(f) for _, fs in forms.values() for f in fs), default=0)
        self._sentence_pools(pool)
        # a planted form cannot span two sentences when it holds no sentence mark (each sentence
        # ends with one); otherwise every paragraph is checked as it is made
        self.check_joins = any(c in f for _, fs in forms.values() for f in fs for c in "。！？；!?;")
        # clauses that yield exactly one count of their phrase (and of no other planted phrase)
        lex = read_phrases()
        pattern, form_to_row = _matcher(lex)
        ids = lex["phrase_id"].tolist()
        planted_ids = {pid for pid, _ in forms.values()}
        # recounting a changed copy's planted phrases, as phrases.count_phrases counts them
        self.lex_pattern, self.form_to_row = pattern, form_to_row
        self.row_to_phrase = {r: q for q, p in enumerate(phrases) for r, x in enumerate(ids) if x == forms[p][0]}
        self.plain_forms = {q: normalize_text(p) for q, p in enumerate(phrases) if forms[p][0] not in ids}
        self.clauses, self.mean_clause = [], []
        for p in phrases:
            pid = forms[p][0]
            ok = {}
            for kind, temps in CLAUSES.items():
                good = []
                for t in temps:
                    c = t.format(p=p)
                    hits = [ids[form_to_row[m.group(0)]]
                            for m in pattern.finditer(normalize_text("。" + c + "。"))]
                    hits = [h for h in hits if h in planted_ids] if pid in ids else \
                        [p] * normalize_text(c).count(normalize_text(p))
                    if hits == [pid]:
                        good.append(c)
                if good:
                    ok[kind] = good
            if "sentence" not in ok:
                raise ValueError(f"no sentence clause of CLAUSES plants {p!r} exactly once "
                                 f"(checked against the phrase lexicon)")
            self.clauses.append(ok)
            self.mean_clause.append(np.mean([np.mean([len(c) for c in cs]) for cs in ok.values()]))
        self.mean_clause = np.array(self.mean_clause)
        self.rate_a = self.trends["rate_start"].to_numpy(float)
        self.rate_b = self.trends["rate_end"].to_numpy(float)
        self.w_a = self.themes["weight_start"].to_numpy(float)
        self.w_b = self.themes["weight_end"].to_numpy(float)
        self.theme_names = self.themes["theme"].tolist()
        self.phrases = phrases
        self.places = PLACES
        self.genres = list(GENRES)

    def weights(self, year: int) -> np.ndarray:
        w = _linear(self.w_a, self.w_b, year, self.years)
        return w / w.sum()

    def rates(self, year: int) -> np.ndarray:
        return _linear(self.rate_a, self.rate_b, year, self.years)

    def _sentence_pools(self, pool: pd.DataFrame) -> None:
        """Cut the pool into sentences; per theme, the sentences its paragraphs draw from.

        A paragraph of keyword theme X has at least one sentence labelled X (an
        anchor, from any pool paragraph) and otherwise anchors or sentences without
        any keyword (``related``: of X's paragraphs); every anchor has at least as many
        X hits as hits of any other family (more than any family listed before X), so
        the sum over the paragraph does too and :func:`label_theme` gives X. General
        paragraphs use the keyword-free sentences of general paragraphs. A theme with
        fewer than :data:`MIN_THEME_SENTENCES` also draws from evenly spaced general
        sentences (no keywords either). A theme that is no keyword family (a user's
        pool) draws from all sentences of its paragraphs.
        """
        ids: dict[str, int] = {}
        sentences: list[str] = []
        labels: list[str] = []
        by_theme: dict[str, list[int]] = collections.defaultdict(list)
        for text, ptheme in zip(pool["text"], pool["theme"]):
            for s in _SENTENCE_RX.findall(str(text)):
                s = _ENUMERATOR_RX.sub("", s.strip())
                if len(s) < _MIN_SENTENCE or not _SENTENCE_END_RX.search(s):
                    continue  # headings and cut text: they would glue onto the next sentence
                if s not in ids:
                    ids[s] = len(sentences)
                    sentences.append(s)
                    labels.append(label_theme(s))
                if ids[s] not in by_theme[ptheme]:
                    by_theme[ptheme].append(ids[s])
        general = [k for k in by_theme.get(GENERAL_THEME, []) if labels[k] == GENERAL_THEME]
        self.sentences = sentences
        self.slots = {}
        for theme in self.themes["theme"]:
            if theme in THEME_KEYWORDS:
                anchors = [k for k in range(len(sentences)) if labels[k] == theme]
                related = [k for k in by_theme.get(theme, []) if labels[k] == GENERAL_THEME]
            elif theme == GENERAL_THEME:
                anchors, related = [], general
            else:
                anchors, related = [], list(by_theme.get(theme, []))
            union = anchors + related
            need = MIN_THEME_SENTENCES - len(union)
            in_union = set(union)
            extra = [k for k in general if k not in in_union]
            if need > 0 and extra:
                union += extra[::max(1, len(extra) // need)][:need]
            if (theme in THEME_KEYWORDS and not anchors) or not union:
                raise ValueError(f"no pool sentence of at least {_MIN_SENTENCE} characters can make a "
                                 f"paragraph of theme {theme!r}")
            self.slots[theme] = (anchors, union)

    def _paragraph(self, theme: str, u: list, used: set) -> str:
        """2-5 sentences of ``theme`` (one an anchor) from 7 uniforms ``u``, not repeating ``used`` if it can."""
        anchors, union = self.slots[theme]
        k = 2 + int(u[0] * 4)
        a = int(u[1] * k) if anchors else -1
        out = []
        for s in range(k):
            cand = anchors if s == a else union
            m = len(cand)
            j = int(u[2 + s] * m)
            for _ in range(m):
                if cand[j] not in used:
                    break
                j = j + 1 if j + 1 < m else 0
            used.add(cand[j])
            out.append(self.sentences[cand[j]])
        return "".join(out)

    def document(self, seed: int, i: int) -> dict:
        from .phrases import normalize_text as _normalize

        rng = np.random.default_rng([int(seed), int(i)])
        y0, y1 = self.years
        year = int(rng.integers(y0, y1 + 1))
        genre = self.genres[int(rng.integers(len(self.genres)))]
        place = self.places[int(rng.integers(len(self.places)))]
        title_t, intro_t = GENRES[genre]
        title = title_t.format(place=place, year=year, lvl=place[-1])
        paras = [intro_t.format(place=place, year=year, lvl=place[-1])]
        w = self.weights(year)
        share = rng.dirichlet(np.maximum(w * self.concentration, 1e-3)) if self.concentration > 0 else w
        target = max(200.0, rng.gamma(4.0, self.mean_chars / 4.0))
        used: set = set()  # sentences already in the document
        n = len(paras[0])
        cum = np.cumsum(share)
        k = 0
        while True:
            if k % 32 == 0:  # themes of the next paragraphs, and their sentences' uniforms, 32 at a time
                picks = np.minimum(np.searchsorted(cum, rng.random(32) * cum[-1], side="right"),
                                   len(cum) - 1).tolist()
                us = rng.random((32, 7)).tolist()
            theme = self.theme_names[picks[k % 32]]
            para = self._paragraph(theme, us[k % 32], used)
            k += 1
            if n + len(para) / 2 > target and len(paras) > 2:  # at least two paragraphs after the opening
                break
            if self.check_joins and self.forms_rx.search(_normalize(paras[-1][-self.max_form:] + para)):
                if k > 500:
                    break
                continue
            paras.append(para)
            n += len(para) + 1
        # planted phrases: Poisson counts so that E[count] = rate * final length / 10,000
        rates = self.rates(year) * self.genre_effect[genre]
        denom = _PER - float((rates * self.mean_clause).sum())
        counts = rng.poisson(rates * n / denom) if denom > 0 else rng.poisson(rates * n / _PER)
        points = [(0, len(paras[0]), ("sentence",))]
        for pi in range(1, len(paras)):
            para = paras[pi]
            for m in re.finditer("。", para):
                end = m.end() == len(para)
                points.append((pi, m.start(), ("suffix", "sentence") if end else ("suffix", "sentence", "prefix")))
        inserts: dict[int, list] = collections.defaultdict(list)
        for q, c in enumerate(counts):
            for _ in range(int(c)):
                pi, pos, kinds = points[int(rng.integers(len(points)))]
                kinds = [kd for kd in kinds if kd in self.clauses[q]]  # "sentence" always is
                kind = kinds[int(rng.integers(len(kinds)))]
                clause = self.clauses[q][kind][int(rng.integers(len(self.clauses[q][kind])))]
                at = pos if kind == "suffix" else pos + (0 if pi == 0 else 1)
                inserts[pi].append((at, clause))
        for pi, ins in inserts.items():
            para = paras[pi]
            for at, clause in sorted(ins, key=lambda x: x[0], reverse=True):
                para = para[:at] + clause + para[at:]
            paras[pi] = para
        text = "\n".join(paras)
        row = {"doc_id": f"syn-{i + 1:06d}", "title": title, "text": text, "year": year,
               "genre": genre, "place": place, "n_chars": len(text)}
        row.update({f"theme_{t}": float(s) for t, s in zip(self.theme_names, share)})
        row.update({f"planted_{p}": int(c) for p, c in zip(self.phrases, counts)})
        row["copy_of"] = None
        return row

    def count_planted(self, text: str) -> list[int]:
        """Planted phrases in ``text`` as :func:`phrases.count_phrases` counts them."""
        from .phrases import normalize_text

        norm = normalize_text(text)
        counts = [0] * len(self.phrases)
        from .boundaries import accept_match

        for m in self.lex_pattern.finditer(norm):
            q = self.row_to_phrase.get(self.form_to_row[m.group(0)])
            if q is not None and accept_match(norm, m.start(), m.end()):
                counts[q] += 1
        for q, form in self.plain_forms.items():
            counts[q] = sum(accept_match(norm, m.start(), m.end()) for m in re.finditer(re.escape(form), norm))
        return counts

    def original_of(self, seed: int, i: int, share: float):
        """``(j, rng)`` if document ``i`` is a copy of document ``j < i`` (itself no copy), else ``(None, None)``.

        The decision and the copy's changes come from a generator seeded by
        ``(seed, i, 1)``, so the other documents are those of ``share = 0``.
        """
        if share <= 0 or i == 0:
            return None, None
        rng = np.random.default_rng([int(seed), int(i), 1])
        if rng.random() >= share:
            return None, None
        j = int(rng.integers(i))
        root, _ = self.original_of(seed, j, share)  # a copy of a copy copies the original
        return (j if root is None else root), rng

    def copy(self, original: dict, i: int, rng) -> dict:
        """Document ``i`` as a repost of ``original``: exact, truncated or with a few characters changed."""
        text = original["text"]
        opening = text.find("\n") + 1  # the opening states the year: keep it whole
        kind = COPY_KINDS[int(rng.integers(len(COPY_KINDS)))]
        if kind == "truncated":
            cut = max(opening, int(len(text) * rng.uniform(0.92, 0.99)))
            text = text[:cut].rstrip("\n")
        elif kind == "changed":
            spots = [k for k in range(opening, len(text)) if "\u4e00" <= text[k] <= "\u9fff"]
            n_changed = int(rng.integers(1, 1 + max(1, min(4, len(text) // 250))))
            chars = list(text)
            for k in sorted(rng.choice(len(spots), size=min(n_changed, len(spots)), replace=False).tolist()):
                subs = [c for c in _SUBSTITUTES if c != chars[spots[k]]]
                chars[spots[k]] = subs[int(rng.integers(len(subs)))]
            text = "".join(chars)
        title = original["title"]
        if rng.random() < 0.5:  # sites repost under the same title, or add a word
            title += _COPY_TITLE_SUFFIXES[int(rng.integers(len(_COPY_TITLE_SUFFIXES)))]
        row = dict(original, doc_id=f"syn-{i + 1:06d}", title=title, text=text, n_chars=len(text),
                   copy_of=original["doc_id"])
        if kind != "exact":
            row.update({f"planted_{p}": c for p, c in zip(self.phrases, self.count_planted(text))})
        return row

    def row(self, seed: int, i: int, duplicate_share: float) -> dict:
        j, rng = self.original_of(seed, i, duplicate_share)
        return self.document(seed, i) if j is None else self.copy(self.document(seed, j), i, rng)


def iter_corpus(n_docs: int, *, batch_size: int = 1000, seed: int = 0, years=(2006, 2025), trends=None,
                themes=None, mean_chars: float = 1000, pool: pd.DataFrame | None = None,
                concentration: float = 20.0, duplicate_share: float = 0.0, genre_effects=None):
    """Yield a synthetic corpus in batches (DataFrames); see :func:`generate_corpus`.

    Document ``i`` is drawn from its own generator seeded by ``(seed, i)``, so the
    documents do not depend on ``batch_size``; memory is bounded by one batch (a
    copy regenerates its original from the original's index).

    Parameters
    ----------
    n_docs : int
    batch_size : int, default 1000
    seed, years, trends, themes, mean_chars, pool, concentration, duplicate_share, genre_effects
        As in :func:`generate_corpus`.

    Yields
    ------
    DataFrame
        The columns of ``docs`` in :func:`generate_corpus`.

    Examples
    --------
    >>> from bureau_rhetoric.synth import iter_corpus
    >>> [len(b) for b in iter_corpus(5, batch_size=2, mean_chars=300)]
    [2, 2, 1]
    """
    if n_docs < 0 or batch_size < 1:
        raise ValueError(f"n_docs must be >= 0 and batch_size >= 1, got {n_docs} and {batch_size}")
    if not 0.0 <= duplicate_share <= 1.0:
        raise ValueError(f"duplicate_share must be in 0..1, got {duplicate_share}")
    plan = _Plan(years=years, trends=trends, themes=themes, mean_chars=mean_chars, pool=pool,
                 concentration=concentration, genre_effects=genre_effects)
    for a in range(0, n_docs, batch_size):
        batch = pd.DataFrame([plan.row(seed, i, duplicate_share) for i in range(a, min(a + batch_size, n_docs))])
        batch.attrs["seed"] = seed
        yield batch


def generate_corpus(n_docs: int, *, seed: int = 0, years=(2006, 2025), trends=None, themes=None,
                    mean_chars: float = 1000, pool: pd.DataFrame | None = None,
                    concentration: float = 20.0, duplicate_share: float = 0.0,
                    genre_effects=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a synthetic corpus with known phrase trends and theme trends over the years.

    Each document gets a year (uniform over ``years``), a genre (工作总结, 工作计划,
    工作要点, 述职报告) and a place (:data:`PLACES`); its title and first sentence
    state the year, which is the only dating evidence in it (the pool has none).
    Its theme mixture is drawn from a Dirichlet around the year's weights
    (``themes``, linear in the year). Each paragraph has a theme drawn from that
    mixture and 2-5 sentences of the pool (:func:`paragraph_pool`, cut at 。！？；),
    not repeated within the document: at least one labelled with the theme, the
    others too or keyword-free sentences of the theme's paragraphs (themes with
    fewer than :data:`MIN_THEME_SENTENCES` sentences add keyword-free general ones),
    so :func:`label_theme` gives the paragraph its drawn theme and combinations
    are practically unique (accidental near-duplicates are rare at any corpus
    size). Paragraphs follow the opening until the length (gamma, mean
    ``mean_chars``; at least two paragraphs) is reached.
    Then every phrase of ``trends`` is planted a Poisson number of times with mean
    ``rate(year) * n_chars / 10,000``, as short clauses (:data:`CLAUSES`) at
    sentence boundaries; the pool holds none of their surface forms, so
    :func:`phrases.count_phrases` finds exactly the planted counts.

    With ``duplicate_share`` > 0, that share of the documents (each decided by
    its own generator) are reposts of an earlier document that is itself no
    copy (:data:`COPY_KINDS`: exact, cut to 92-99 % of its length, or a few
    characters changed after the opening), under the same title or with a word
    added (范文, 精选, 全文); ``copy_of`` names the original. A copy keeps the
    original's year, genre, place and theme weights; its ``planted_*`` counts are
    recounted. The other documents are those of ``duplicate_share=0``.

    Parameters
    ----------
    n_docs : int
    seed : int, default 0
        Same seed, same corpus (document ``i`` depends only on ``seed`` and ``i``).
    years : tuple of int, default (2006, 2025)
    trends : DataFrame, optional
        ``phrase``, ``rate_start``, ``rate_end``: occurrences per 10,000 characters
        in the first and last year. Default :data:`DEFAULT_TRENDS`.
    themes : DataFrame, optional
        ``theme``, ``weight_start``, ``weight_end`` (themes of the pool's
        ``theme`` column). Default :data:`DEFAULT_THEMES`.
    mean_chars : float, default 1000
        Mean document length in characters (about 3 KB of UTF-8).
    pool : DataFrame, optional
        Paragraphs (``text``, ``theme``); default :func:`paragraph_pool`.
    concentration : float, default 20.0
        Dirichlet concentration of the documents' theme mixtures around the
        year's weights (0: every document has exactly the year's weights).
    duplicate_share : float, default 0.0
        Share of documents (0..1, in expectation) that are copies of earlier ones.
    genre_effects : dict, optional
        Genre -> multiplier of every planted phrase's rate (genres of :data:`GENRES`;
        missing ones 1). Multipliers are scaled to average 1 over the genres (which are
        drawn uniformly), so ``truth`` stays the rate of the whole population while a
        sample that over-represents one genre is biased. Default: no genre effect.

    Returns
    -------
    docs : DataFrame
        ``doc_id`` (``syn-000001``), ``title``, ``text``, ``year``, ``genre``,
        ``place``, ``n_chars``, ``theme_<theme>`` (the document's mixture
        weights), ``planted_<phrase>`` (planted counts) and ``copy_of`` (the
        ``doc_id`` of the original if the document is a planted copy, else None);
        ``attrs["seed"]``.
    truth : DataFrame
        :func:`tabulate_truth`: ``kind``, ``name``, ``year``, ``value``.

    Examples
    --------
    >>> from bureau_rhetoric.synth import generate_corpus
    >>> docs, truth = generate_corpus(3, seed=1, mean_chars=300)
    >>> docs[["doc_id", "title", "year"]].values.tolist()
    [['syn-000001', '丰源县科技局2015年工作要点', 2015], ['syn-000002', '清河区科技局2016年工作计划', 2016], ['syn-000003', '平安县科技局2018年工作计划', 2018]]
    >>> docs["text"][0][:20]
    '2015年，丰源县科技工作的总体思路是：'
    >>> truth.query("name == '产学研合作' and year in (2006, 2025)")["value"].tolist()
    [2.0, 8.0]
    """
    batches = list(iter_corpus(n_docs, batch_size=max(n_docs, 1), seed=seed, years=years, trends=trends,
                               themes=themes, mean_chars=mean_chars, pool=pool,
                               concentration=concentration, duplicate_share=duplicate_share,
                               genre_effects=genre_effects))
    docs = batches[0] if batches else pd.DataFrame()
    docs.attrs["seed"] = seed
    return docs, tabulate_truth(years=years, trends=trends, themes=themes)


# ---------------------------------------------------------------------------- raw files


def _file_kinds(k: int, seed: int, damage: float, encoding: str) -> tuple[str, ...]:
    """Damage kinds of file ``k``: none, or a random non-empty subset the encoding can hold."""
    rng = random.Random(f"synth-file-{seed}-{k}")
    if rng.random() >= damage:
        return ()
    kinds = [kd for kd in DAMAGE_KINDS if rng.random() < 0.5] or [rng.choice(DAMAGE_KINDS)]
    if encoding == "big5":  # Big5 cannot carry pinyin tone marks or GBK byte damage
        kinds = [kd for kd in kinds if kd not in ("traditional_pinyin", "gbk_shift")]
    return tuple(kinds)


def write_raw_corpus(docs_or_batches, out_dir, *, docs_per_file: int = 50, damage: float = 0.0,
                     seed: int = 0, encodings=("utf-8",)) -> dict:
    """Write documents as raw compilation files (``第一篇:title`` …) the corpus build splits back.

    Files are ``{k:05d}_syn.txt`` with ``docs_per_file`` documents each (the last
    may hold fewer), made by :func:`make_dirty_compilation`; a ``damage`` fraction
    of the files (chosen by ``seed``) get a random non-empty subset of
    :data:`DAMAGE_KINDS` (``lead_in`` has no effect inside a compilation; Big5
    files skip ``traditional_pinyin`` and ``gbk_shift``); file ``k`` is encoded
    with ``encodings[k % len(encodings)]`` (:func:`encode_text`). The files
    depend only on the documents' order, not on how they are batched.

    Parameters
    ----------
    docs_or_batches : DataFrame or iterable of DataFrame
        ``title`` and ``text`` (e.g. :func:`generate_corpus` or :func:`iter_corpus`).
    out_dir : str or Path
        Created if missing.
    docs_per_file : int, default 50
        1..99 (a compilation numbers its pieces 第一篇 … 第九十九篇).
    damage : float, default 0.0
        Share of files damaged, 0..1.
    seed : int, default 0
    encodings : sequence of str, default ("utf-8",)
        Cycled over the files: ``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``, ``big5``.

    Returns
    -------
    dict
        ``n_files``, ``n_docs``, ``n_bytes``.

    Examples
    --------
    >>> import tempfile
    >>> from bureau_rhetoric.synth import generate_corpus, write_raw_corpus
    >>> from bureau_rhetoric.corpus import build_corpus
    >>> docs, _ = generate_corpus(3, mean_chars=300)
    >>> d = tempfile.mkdtemp()
    >>> info = write_raw_corpus(docs, d, docs_per_file=2)
    >>> info["n_files"], info["n_docs"]
    (2, 3)
    >>> built = build_corpus(d)
    >>> built["title"].tolist() == docs["title"].tolist(), built["year"].tolist() == docs["year"].tolist()
    (True, True)
    """
    if not 1 <= docs_per_file <= 99:
        raise ValueError(f"docs_per_file must be in 1..99, got {docs_per_file}")
    if not 0.0 <= damage <= 1.0:
        raise ValueError(f"damage must be in 0..1, got {damage}")
    encodings = [encodings] if isinstance(encodings, str) else list(encodings)
    if not encodings:
        raise ValueError("encodings must name at least one encoding")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    batches = [docs_or_batches] if isinstance(docs_or_batches, pd.DataFrame) else docs_or_batches
    stats = {"n_files": 0, "n_docs": 0, "n_bytes": 0}
    buf_titles: list[str] = []
    buf_texts: list[str] = []

    def flush():
        k = stats["n_files"]
        enc = encodings[k % len(encodings)]
        kinds = _file_kinds(k, seed, damage, enc)
        comp = make_dirty_compilation(buf_texts, buf_titles, seed=seed * 1_000_003 + k, kinds=kinds)
        data = encode_text(comp, enc)
        (out / f"{k:05d}_syn.txt").write_bytes(data)
        stats["n_files"] += 1
        stats["n_docs"] += len(buf_texts)
        stats["n_bytes"] += len(data)
        buf_titles.clear()
        buf_texts.clear()

    for batch in batches:
        for title, text in zip(batch["title"], batch["text"]):
            buf_titles.append(title)
            buf_texts.append(text)
            if len(buf_texts) == docs_per_file:
                flush()
    if buf_texts:
        flush()
    return stats
