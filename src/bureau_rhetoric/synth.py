"""Make dirty variants of clean text, the way content-farm sites damage reports.

Used to test that the build repairs text nobody tuned the rules against, and to
generate large corpora for benchmarks. Kinds of damage (``DAMAGE_KINDS``):

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

Examples
--------
>>> from bureau_rhetoric.synth import make_dirty_variant
>>> docs = ["科技局总结工作经验。", "科技局开展科普活动。", "科技局推动高新技术企业发展。"]
>>> [make_dirty_variant(d, seed=1, kinds=("traditional_pinyin",)) for d in docs]
['科技局總結(jié)工作經(jīng)驗(yàn)。', '科技局開(kāi)展科普活動(dòng)。', '科技局推動(dòng)高新技術(shù)企業(yè)發(fā)展。']
"""

from __future__ import annotations

import random
from functools import lru_cache

from .lexicons import lexicon_path

__all__ = ["DAMAGE_KINDS", "make_dirty_variant", "make_dirty_compilation", "encode_text",
           "add_pinyin", "shift_gbk"]

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
