"""Date every document: the reporting year, an honest interval, evidence and confidence.

Definition of the year
----------------------
``year`` is **the year whose work the document reports**:

* a 工作总结 for 2015 written in December 2015 (or delivered in January 2016) is 2015;
* "2015年工作总结和2016年工作计划" is 2015 (the reviewed year wins over the planned one);
* a pure plan (工作计划, 工作要点, 工作思路 with nothing reviewed) is its plan year;
* a speech early in a year that reviews the previous one ("去年 … 今年要 …") is the year reviewed.

``[year_lo, year_hi]`` is the range of reporting years compatible with the evidence
(a missing bound means nothing bounds it on that side); ``year`` is a point inside it,
given only when an explicit statement of the reporting year supports it. A document whose
own year is masked (``XX年``, ``20xx年``) gets an interval from its dated vocabulary and
no point.

Evidence
--------
Each rule yields :class:`Evidence`: the matched string, the rule, what it implies (a point
year, or bounds ``lo``/``hi``, or a set of years) and a weight.

* explicit years read with their context (``dating_cues.tsv``): reviewed year (2015年工作
  总结, 2004年主要工作回顾), planned year (2016年工作计划, 明年), sentence-opening narrative
  year (2015年，我局…), 截至2015年底, 今年(2015年), 去年(2014年), 上半年, year ranges,
  "到2020年" targets (an upper bound only), "自1998年以来" (a lower bound only);
* the title year: evidence, not truth. It weighs less than the body; when the body
  contradicts it the body wins and the evidence text says so;
* Five-Year-Plan names (``fyp.csv``): a plan is named about two years before it starts;
  开局之年 / 收官之年 mark its first / last year;
* dated policy terms (``dated_terms.csv``), matched only on word boundaries
  (:mod:`boundaries`: 新发展理念 inside 创新发展理念 is not the term): a "hard" term cannot occur before it entered
  official use; a "soft" term only weakly bounds; a faded term weakly caps the year;
* party congresses and plenums (``congresses.csv``), including masked ones
  (``党的xx届四中全会`` allows any 四中全会);
* office-holders named with their title (``office_holders.csv``);
* ``published`` (an upload time) never sets the year: it only bounds it from above,
  because a document is written before it is uploaded.

Combination: every year in a grid (1978–2035) scores the summed weight of the evidence it
satisfies. The interval is the hull of the years scoring within ``MARGIN`` of the best;
the point is the best-scoring year that an explicit point claim supports. Confidence:
``high`` = an explicit body statement of the year, no contradicted strong evidence, an
interval at most two years wide and no masked year anywhere in the evidence; ``medium`` = a point from weaker or partly contradicted
claims; ``low`` = an interval only; ``none`` = no dating evidence at all.

Examples
--------
>>> from bureau_rhetoric.dating import infer_year
>>> est = infer_year("科技局2015年工作总结", "2015年，我局深入实施创新驱动发展战略，众创空间建设有序推进。")
>>> est.year, est.year_lo, est.year_hi, est.confidence
(2015, 2015, 2015, 'high')
>>> infer_year("科技局工作总结", "XX年，我局推进众创空间建设，落实大众创业、万众创新。").year is None
True
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .boundaries import accept_match
from .lexicons import keyed_cache, lexicon_path

__all__ = [
    "Evidence",
    "YearEstimate",
    "infer_year",
    "date_corpus",
    "fyp_period",
    "plan_periods",
    "period_order",
    "period_years",
    "bin_by_period",
    "filter_by_confidence",
    "DATING_LEXICONS",
    "CONFIDENCE_LEVELS",
]

#: Lexicons the dating reads (hash them into outputs with ``lexicons.lexicon_hashes``).
DATING_LEXICONS = ("dated_terms.csv", "fyp.csv", "congresses.csv", "office_holders.csv", "dating_cues.tsv")
#: Confidence levels from weakest to strongest.
CONFIDENCE_LEVELS = ("none", "low", "medium", "high")

GRID_MIN, GRID_MAX = 1978, 2035
#: Years scoring within this much of the best stay in the interval.
MARGIN = 0.75

# Weights of the rules (a weight unit ~ one independent, fairly reliable clue).
W = {
    "review": 3.0, "asof": 2.0, "this_year": 2.5, "last_year": 2.0, "half_year": 2.0,
    "narrative": 1.5, "plan_bound": 1.5, "plan_point": 0.5, "plan_resolved": 1.5, "current_point": 0.5,
    "plain_point": 0.5, "plain_floor": 1.0, "range_floor": 0.5, "target": 1.0, "since": 1.0,
    "historic": 0.5, "compare": 1.5, "title": 1.5, "masked_partial": 1.5, "masked_century": 0.5,
    "term_hard": 2.0, "term_soft": 0.5, "term_faded_campaign": 1.0, "term_faded": 0.3,
    "fyp_named": 2.0, "fyp_marker": 2.5, "fyp_newest_cap": 0.5, "fyp_since": 1.0,
    "congress": 2.0, "congress_cap": 0.5, "plenum": 2.0, "plenum_cap": 0.5, "plenum_masked": 1.5,
    "office": 1.5, "published": 3.0,
}
# Rules whose point claim states the reporting year outright (enough for "high").
_STRONG_POINT_RULES = {"review", "asof", "this_year", "last_year", "half_year", "narrative",
                       "fyp_marker", "plan_resolved"}


@dataclass(frozen=True)
class Evidence:
    """One dating clue: the string, the rule, what it implies, and how much it weighs.

    Parameters
    ----------
    string : str
        The matched text with a little context.
    rule : str
        Rule name, e.g. ``"explicit:review"``, ``"term:hard"``, ``"fyp:marker"``.
    lo, hi : int, optional
        Bounds the clue puts on the reporting year (inclusive).
    year : int, optional
        A point claim: the clue names this year as the reporting year.
    weight : float
        Evidence weight in the combination.
    where : {"title", "body", "published"}
    years : tuple of int, optional
        The set of allowed years when it is not an interval (masked plenum numbers).
    note : str
        What the clue means, in words.
    """

    string: str
    rule: str
    lo: int | None = None
    hi: int | None = None
    year: int | None = None
    weight: float = 1.0
    where: str = "body"
    years: tuple[int, ...] | None = None
    note: str = ""

    def allowed(self, grid: np.ndarray) -> np.ndarray:
        """Return a boolean mask of the grid years this clue allows."""
        if self.years is not None:
            return np.isin(grid, self.years)
        if self.year is not None and self.lo is None and self.hi is None:
            return grid == self.year
        ok = np.ones(grid.shape, dtype=bool)
        if self.lo is not None:
            ok &= grid >= self.lo
        if self.hi is not None:
            ok &= grid <= self.hi
        return ok

    def implies(self) -> str:
        """Return what the clue implies, e.g. ``'= 2015'``, ``'>= 2012'``, ``'in {2009, 2010}'``."""
        if self.years is not None:
            return "in {" + ", ".join(map(str, self.years)) + "}"
        if self.year is not None and self.lo is None and self.hi is None:
            return f"= {self.year}"
        if self.lo is not None and self.hi is not None:
            return f"= {self.lo}" if self.lo == self.hi else f"{self.lo}-{self.hi}"
        if self.lo is not None:
            return f">= {self.lo}"
        if self.hi is not None:
            return f"<= {self.hi}"
        return "nothing"

    def describe(self) -> str:
        """Return one readable line: ``“2015年工作总结” (body) explicit:review → = 2015 [w 3.0]``."""
        text = f"“{self.string}” ({self.where}) {self.rule} → {self.implies()} [w {self.weight:g}]"
        return text + (f": {self.note}" if self.note else "")


@dataclass(frozen=True)
class YearEstimate:
    """The dating of one document.

    Attributes
    ----------
    year : int or None
        Point estimate of the reporting year, or None when no explicit claim supports one.
    year_lo, year_hi : int or None
        Interval of compatible reporting years; None = unbounded on that side.
    confidence : {"high", "medium", "low", "none"}
    evidence : tuple of Evidence
    notes : tuple of str
        Conflicts resolved (e.g. title contradicted by body), masked years seen.
    """

    year: int | None
    year_lo: int | None
    year_hi: int | None
    confidence: str
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        """Return the evidence as readable text, one clue per line, notes first."""
        head = (f"year={self.year} interval=[{_fmt(self.year_lo)}, {_fmt(self.year_hi)}] "
                f"confidence={self.confidence}")
        lines = [head] + [f"! {n}" for n in self.notes] + [f"- {e.describe()}" for e in self.evidence]
        return "\n".join(lines)


def _fmt(v) -> str:
    return "?" if v is None else str(v)


# --------------------------------------------------------------------------- lexicons

def _read_csv(name: str) -> list[dict[str, str]]:
    path = lexicon_path(name)
    with open(path, encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    delimiter = "\t" if str(path).endswith(".tsv") else ","
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(lines, delimiter=delimiter)]


@keyed_cache(*DATING_LEXICONS)
def _lexicons():
    terms = _read_csv("dated_terms.csv")
    fyp = _read_csv("fyp.csv")
    congresses = _read_csv("congresses.csv")
    offices = _read_csv("office_holders.csv")
    cues: dict[tuple[str, str], re.Pattern] = {}
    for row in _read_csv("dating_cues.tsv"):
        key = (row["cue"], row["side"])
        if key in cues:
            raise ValueError(f"dating_cues.tsv: duplicate cue {key}")
        cues[key] = re.compile(row["pattern"])
    surfaces: list[tuple[str, dict]] = []
    for row in terms:
        for s in [row["term"]] + [v for v in row["variants"].split("|") if v]:
            surfaces.append((s, row))
    surfaces.sort(key=lambda p: -len(p[0]))
    term_re = re.compile("|".join(re.escape(s) for s, _ in surfaces))
    term_by_surface = {s: r for s, r in surfaces}
    return {"terms": terms, "term_re": term_re, "term_by_surface": term_by_surface,
            "fyp": fyp, "congresses": congresses, "offices": offices, "cues": cues}


def _cue(name: str, side: str, s: str) -> bool:
    pat = _lexicons()["cues"].get((name, side))
    return bool(pat and pat.search(s))


# --------------------------------------------------------------------------- helpers

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"[一二〇零○][〇零○一二三四五六七八九]{3}(?=年)")


def _normalise(text: str) -> str:
    """Same-length copy with 二〇一五年 → 2015年 and full-width digits/x made ASCII."""
    text = text.translate(str.maketrans("０１２３４５６７８９ｘＸ－", "0123456789xX-"))
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_to_int(s: str) -> int:
    """十六 → 16, 二十 → 20, 十 → 10."""
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_NUM[s[1]]
    if s.endswith("十"):
        return 10 * _CN_NUM[s[0]]
    if "十" in s:
        a, b = s.split("十")
        return 10 * _CN_NUM[a] + _CN_NUM[b]
    return _CN_NUM[s]


def _snippet(text: str, s: int, e: int, pad: int = 6) -> str:
    return re.sub(r"\s+", " ", text[max(0, s - pad): e + pad]).strip()


def _term_floor(first_year: int, first_month: int | None) -> int:
    # A term announced in Jan-Mar can appear in a speech reviewing the previous year.
    return first_year - 1 if first_month is not None and first_month <= 3 else first_year


def _int_or_none(s: str) -> int | None:
    return int(s) if s not in ("", None) else None


# --------------------------------------------------------------------------- explicit years

_YEAR_BODY = re.compile(r"(?<![0-9.])((?:19[5-9]|20[0-3])[0-9])\s*(?=年)")
_YEAR_TITLE = re.compile(r"(?<![0-9.])((?:19[5-9]|20[0-3])[0-9])(?![0-9])")
_RANGE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)[0-9]{2})\s*(?=年)")
_MASKED = re.compile(
    r"(?<![0-9A-Za-z])((?:[12][0-9Xx×*＊][0-9Xx×*＊]{2})|[Xx×*＊]{2,4}|[Xx×]{2}[0-9]{2})\s*(?=年)")
_MASK_CHARS = set("Xx×*＊")


def _classify(left: str, right: str) -> str:
    """Return the context class of a year given the text around it."""
    if _cue("this_year", "left", left) or _cue("this_year", "right", right):
        return "this_year"
    if _cue("last_year", "left", left):
        return "last_year"
    if _cue("asof", "left", left):
        return "asof"
    if _cue("compare", "left", left) and _cue("compare", "right", right):
        return "compare"
    if _cue("since", "right", right) or _cue("since", "left", left):
        return "since"
    if _cue("target", "left", left) or _cue("target", "right", right):
        return "target"
    if _cue("half_year", "right", right):
        return "half_year"
    if _cue("plan", "left", left):
        return "plan"
    if _cue("review", "right", right):
        return "review"
    if _cue("plan", "right", right):
        return "plan"
    if _cue("narrative", "left", left):
        if _cue("narrative_future", "right", right):
            return "plan"
        return "narrative"
    if _cue("historic", "text", left[-4:] + right[:8]):
        return "historic"
    return "plain"


_NOTE = {
    "review": "the year whose work is reviewed",
    "asof": "as-of statement, usually the report year",
    "this_year": "marked as the current year",
    "last_year": "marked as last year: the reviewed year",
    "half_year": "part-year summary of this year",
    "narrative": "a sentence opens with the year it narrates",
    "plan": "the year being planned",
    "target": "future target: the report year is at most this",
    "since": "'since' this year: the report year is this or later",
    "historic": "historical fact: the report year is this or later",
    "compare": "comparison base (比2014年增长): the report year is later",
    "plain": "year mentioned",
}


def _explicit_years(text: str, where: str) -> tuple[list[Evidence], dict]:
    """Evidence from explicit years; also returns a summary used by later rules."""
    evs: list[Evidence] = []
    groups: dict[tuple[str, int], list[str]] = {}
    ranges: list[tuple[int, int, str]] = []
    spans_in_ranges: set[int] = set()
    for m in _RANGE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b <= a + 20:
            ranges.append((a, b, _snippet(text, m.start(), m.end())))
            spans_in_ranges.update(range(m.start(), m.end()))
    pattern = _YEAR_TITLE if where == "title" else _YEAR_BODY
    for m in pattern.finditer(text):
        if m.start() in spans_in_ranges:
            continue
        y = int(m.group(1))
        end = m.end()
        after = text[end:]
        right = after[1:17] if after.startswith("年") else after[:16]
        left = text[max(0, m.start() - 8): m.start()]
        if where == "title" and m.start() == 0:
            left = "\n"
        cls = _classify(left, right)
        groups.setdefault((cls, y), []).append(_snippet(text, m.start(), end + 1))
    summary = {"points": {}, "plan_years": set(), "max_mention": None, "review_years": set()}
    for (cls, y), snips in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        n = len(snips)
        s = snips[0] + (f" ×{n}" if n > 1 else "")
        rule = f"explicit:{cls}"
        scale = min(n, 4) ** 0.5
        if where == "title":
            if cls in ("target",):
                evs.append(Evidence(s, "title:target", hi=y, weight=W["target"], where=where, note=_NOTE[cls]))
                continue
            if cls == "plan":
                summary["plan_years"].add(y)
                evs.append(Evidence(s, "title:plan", lo=y - 1, hi=y, weight=W["plan_bound"], where=where,
                                    note=_NOTE[cls]))
                continue
            evs.append(Evidence(s, "title:year", year=y, weight=W["title"], where=where,
                                note="title year: evidence, not truth"))
            summary["points"][y] = summary["points"].get(y, 0) + W["title"]
            continue
        if cls in ("review", "asof", "this_year", "half_year", "narrative"):
            w = W[cls] * (scale if cls == "narrative" else 1.0)
            evs.append(Evidence(s, rule, year=y, weight=round(w, 2), where=where, note=_NOTE[cls]))
            if cls == "review":
                summary["review_years"].add(y)
        elif cls == "last_year":
            evs.append(Evidence(s, rule, year=y, weight=W["last_year"], where=where, note=_NOTE[cls]))
        elif cls == "plan":
            summary["plan_years"].add(y)
            evs.append(Evidence(s, rule, lo=y - 1, hi=y, weight=W["plan_bound"], where=where,
                                note="planned year: the report year is it or the year before"))
        elif cls == "target":
            evs.append(Evidence(s, rule, hi=y, weight=W["target"], where=where, note=_NOTE[cls]))
        elif cls == "since":
            evs.append(Evidence(s, rule, lo=y, weight=W["since"], where=where, note=_NOTE[cls]))
        elif cls == "compare":
            evs.append(Evidence(s, rule, lo=y + 1, weight=W["compare"], where=where, note=_NOTE[cls]))
        elif cls == "historic":
            evs.append(Evidence(s, rule, lo=y, weight=W["historic"], where=where, note=_NOTE[cls]))
        else:
            w = W["plain_point"] * math.log2(1 + n)
            evs.append(Evidence(s, rule, year=y, weight=round(w, 2), where=where,
                                note=f"year mentioned {n}×"))
        if cls not in ("target",):
            mm = summary["max_mention"]
            summary["max_mention"] = y if mm is None else max(mm, y)
    for a, b, s in ranges:
        if b - a <= 2:
            evs.append(Evidence(s, "explicit:range", lo=b - 1, weight=W["plain_floor"], where=where,
                                note="short year range: the report year is at least its end minus one"))
        else:
            evs.append(Evidence(s, "explicit:range", lo=a - 2, weight=W["range_floor"], where=where,
                                note="period named (e.g. a plan 2011-2015年): the report year is at least two before its start"))
    if where == "body" and summary["max_mention"] is not None:
        y = summary["max_mention"]
        evs.append(Evidence(f"{y}年", "explicit:latest", lo=y - 1, weight=W["plain_floor"], where=where,
                            note="latest year mentioned (not a target): the report year is at least the year before it"))
    return evs, summary


def _masked_years(text: str, where: str) -> tuple[list[Evidence], bool, list[str]]:
    """Evidence from masked years; returns (evidence, report year masked?, examples)."""
    evs: list[Evidence] = []
    report_masked = False
    examples: list[str] = []
    partial: dict[tuple[int, int], list[str]] = {}
    century = []
    for m in _MASKED.finditer(text):
        tok = m.group(1)
        if not any(c in _MASK_CHARS for c in tok):
            continue
        after = text[m.end():]
        right = after[1:17] if after.startswith("年") else after[:16]
        left = text[max(0, m.start() - 8): m.start()]
        if where == "title" and m.start() == 0:
            left = "\n"
        cls = _classify(left, right)
        snip = _snippet(text, m.start(), m.end() + 1)
        if len(examples) < 3:
            examples.append(snip)
        if where == "title" or cls in ("review", "asof", "this_year", "half_year", "narrative", "plan", "last_year"):
            report_masked = True
        if len(tok) == 4 and tok[0] in "12" and tok[1].isdigit():
            lo = int("".join(c if c.isdigit() else "0" for c in tok))
            hi = int("".join(c if c.isdigit() else "9" for c in tok))
            if hi - lo < 99 and cls in ("review", "asof", "this_year", "half_year", "narrative") and hi - lo <= 9:
                partial.setdefault((lo, hi), []).append(snip)
            elif tok[:2] in ("19", "20"):
                century.append((lo, snip))
    for (lo, hi), snips in partial.items():
        evs.append(Evidence(snips[0], "masked:decade", lo=lo, hi=hi, weight=W["masked_partial"], where=where,
                            note="partly masked report year"))
    if century:
        lo = max(c[0] for c in century)
        evs.append(Evidence(next(s for c, s in century if c == lo), "masked:century", lo=lo - 1,
                            weight=W["masked_century"], where=where,
                            note="masked year written with its century digits"))
    return evs, report_masked, examples


# --------------------------------------------------------------------------- plans, congresses, terms, offices

#: Plan names: the short form (七五, 十一五) and the full form (第七个五年计划, 第十一个五年规划).
_FYP_RE = re.compile(r"(?<![第一二三四五六七八九十百])(十五五|十[一二三四]五|十五|[一二三四五六七八九]五)"
                     r"|第([一二三四五六七八九十]{1,3})个五年(?:计划|规划)")
_FYP_BAD_NEXT = set("届大年日个次周月%万亿元人项家名号条期")
_FYP_OK_NEXT = ("规划", "计划", "期间", "时期", "末", "初", "以来", "”", "\"", "』", "」", "开局", "收官", "中期", "发展")


def _plans(text: str, where: str) -> tuple[list[Evidence], list[str]]:
    lex = _lexicons()
    by_name = {r["name"]: r for r in lex["fyp"]}
    evs: list[Evidence] = []
    named: dict[str, list[str]] = {}
    for m in _FYP_RE.finditer(text):
        full = m.group(2) is not None
        name = ("十五" if m.group(2) == "十" else m.group(2) + "五") if full else m.group(1)
        nxt = text[m.end(): m.end() + 2]
        prev = text[max(0, m.start() - 1): m.start()]
        quoted = prev in ("“", "\"", "『", "「", "《")
        if not full and nxt[:1] in _FYP_BAD_NEXT and not nxt.startswith("期间"):
            continue
        # two-character names (一五 … 九五, 十五) are also ordinary numbers: only quoted or before a plan word
        if not full and len(name) == 2 and not (quoted or nxt.startswith(_FYP_OK_NEXT)):
            continue
        if name not in by_name:
            continue
        row = by_name[name]
        start, end = int(row["start"]), int(row["end"])
        ctx = text[m.end(): m.end() + 14]
        snip = _snippet(text, m.start(), m.end() + 6, pad=2)
        named.setdefault(name, []).append(snip)
        before = text[max(0, m.start() - 10): m.start()]
        recalled = re.search(r"(?:回顾|总结|回首|过去|以来|期间取得)", ctx + before) is not None
        if re.match(r"^[”\"」』]?(?:规划)?(?:的)?(?:收官之年|收官年|最后一年|决胜之年|收尾之年)", ctx):
            evs.append(Evidence(snip, "fyp:last_year", year=end, weight=W["fyp_marker"], where=where,
                                note=f"{name} ends in {end}: 收官之年 is its last year"))
        elif re.match(r"^[”\"」』]?(?:规划)?(?:的)?(?:开局之年|开局年|第一年|起步之年|开篇之年)", ctx) and not recalled:
            evs.append(Evidence(snip, "fyp:first_year", year=start, weight=W["fyp_marker"], where=where,
                                note=f"{name} starts in {start}: 开局之年 is its first year"))
        elif re.match(r"^[”\"」』]?(?:规划)?(?:以来|实施以来)", ctx):
            evs.append(Evidence(snip, "fyp:since", lo=start, weight=W["fyp_since"], where=where,
                                note=f"since the start of {name} ({start})"))
    # One clue per (rule, plan): repeating 开局之年 three times is still one clue.
    merged: dict[tuple, Evidence] = {}
    for e in evs:
        merged.setdefault((e.rule, e.year, e.lo), e)
    evs = list(merged.values())
    for name, snips in named.items():
        row = by_name[name]
        lo = int(row["named_from"])
        evs.append(Evidence(snips[0] + (f" ×{len(snips)}" if len(snips) > 1 else ""), "fyp:named", lo=lo,
                            weight=W["fyp_named"], where=where,
                            note=f"{name} ({row['start']}-{row['end']}) is named from about {lo}"))
    if named:
        newest = max(named, key=lambda n: int(by_name[n]["start"]))
        end = int(by_name[newest]["end"])
        evs.append(Evidence(newest, "fyp:newest", hi=end + 2, weight=W["fyp_newest_cap"], where=where,
                            note=f"newest plan named is {newest}: weakly, the report year is at most {end + 2}"))
    return evs, sorted(named)


_CONGRESS_RE = re.compile(r"(十[四五六七八九]|二十)大(?![学会型])")
_PLENUM_RE = re.compile(r"(十[四五六七八九]|二十|[xX×*＊]{1,2})届([一二三四五六七])中全会")


def _congresses(text: str, where: str) -> list[Evidence]:
    lex = _lexicons()
    rows = lex["congresses"]
    evs: list[Evidence] = []
    congress_year = {int(r["term"]): (int(r["year"]), int(r["month"])) for r in rows if r["plenum"] == "0"}
    plenum_year = {(int(r["term"]), int(r["plenum"])): (int(r["year"]), int(r["month"]))
                   for r in rows if r["plenum"] != "0"}
    seen: dict[int, str] = {}
    for m in _CONGRESS_RE.finditer(text):
        t = _cn_to_int(m.group(1))
        if t in congress_year and t not in seen:
            seen[t] = _snippet(text, m.start(), m.end(), pad=4)
    for t, snip in seen.items():
        y, mo = congress_year[t]
        evs.append(Evidence(snip, "congress", lo=_term_floor(y, mo), weight=W["congress"], where=where,
                            note=f"the {t}th Party Congress met {y}-{mo:02d}"))
    if seen:
        t = max(seen)
        if t + 1 in congress_year:
            y1 = congress_year[t + 1][0]
            evs.append(Evidence(seen[t], "congress:newest", hi=y1 + 1, weight=W["congress_cap"], where=where,
                                note=f"newest congress cited is the {t}th: weakly, at most a year after the next ({y1})"))
    seen_p: dict[tuple, str] = {}
    for m in _PLENUM_RE.finditer(text):
        num = _cn_to_int(m.group(2))
        term_s = m.group(1)
        snip = _snippet(text, m.start(), m.end(), pad=3)
        if any(c in _MASK_CHARS for c in term_s):
            key = ("masked", num)
        else:
            key = (_cn_to_int(term_s), num)
        seen_p.setdefault(key, snip)
    for key, snip in seen_p.items():
        if key[0] == "masked":
            num = key[1]
            years = sorted({yy for (t, p), (y, mo) in plenum_year.items() if p == num
                            for yy in range(_term_floor(y, mo), y + 2)})
            if years:
                evs.append(Evidence(snip, "plenum:masked", years=tuple(years), weight=W["plenum_masked"],
                                    where=where, note=f"masked term number: any {num}th plenum, the year it met or the next"))
            continue
        if key not in plenum_year:
            continue
        y, mo = plenum_year[key]
        evs.append(Evidence(snip, "plenum", lo=_term_floor(y, mo), weight=W["plenum"], where=where,
                            note=f"plenum met {y}-{mo:02d}"))
        evs.append(Evidence(snip, "plenum:recent", hi=y + 3, weight=W["plenum_cap"], where=where,
                            note="plenums are studied while recent: weakly, at most three years later"))
    return evs


def _terms(text: str, where: str) -> tuple[list[Evidence], list[str]]:
    lex = _lexicons()
    found: dict[str, list[str]] = {}
    rows: dict[str, dict] = {}
    for m in lex["term_re"].finditer(text):
        if not accept_match(text, m.start(), m.end()):  # 新发展理念 inside 创新发展理念 is no evidence
            continue
        row = lex["term_by_surface"][m.group(0)]
        found.setdefault(row["term"], []).append(m.group(0))
        rows[row["term"]] = row
    evs: list[Evidence] = []
    for term, hits in found.items():
        row = rows[term]
        fy, fm = int(row["first_year"]), _int_or_none(row["first_month"])
        label = hits[0] + (f" ×{len(hits)}" if len(hits) > 1 else "")
        hard = row["strength"] == "hard"
        evs.append(Evidence(label, f"term:{row['strength']}", lo=_term_floor(fy, fm),
                            weight=W["term_hard"] if hard else W["term_soft"], where=where,
                            note=f"{term} in official use from {fy}" + ("" if hard else " (occurs earlier too)")))
        ly = _int_or_none(row["last_year"])
        if ly is not None:
            campaign = row["category"] == "campaign"
            lag = 1 if campaign else 3
            evs.append(Evidence(label, "term:faded", hi=ly + lag,
                                weight=W["term_faded_campaign"] if campaign else W["term_faded"], where=where,
                                note=f"{term} faded after {ly}" + (f", replaced by {row['replaced_by']}" if row["replaced_by"] else "")))
    return evs, sorted(found)


@keyed_cache(*DATING_LEXICONS)
def _office_patterns():
    pats = []
    for r in _lexicons()["offices"]:
        name, office = r["name"], r["office"]
        alts = [office]
        if office.endswith("部长"):
            alts.append("部长")
        alt = "|".join(re.escape(a) for a in alts)
        pat = re.compile(rf"(?<![原前])(?:{re.escape(office)}[、，,\s]?{re.escape(name)}|{re.escape(name)}(?:同志)?(?:{alt}))")
        pats.append((pat, r))
    return pats


def _offices(text: str, where: str) -> list[Evidence]:
    evs = []
    for pat, r in _office_patterns():
        if r["name"] not in text:  # cheap substring test first: most documents name nobody
            continue
        m = pat.search(text)
        if m:
            lo = int(r["start"])
            hi = _int_or_none(r["end"])
            evs.append(Evidence(m.group(0), "office", lo=lo, hi=hi, weight=W["office"], where=where,
                                note=f"{r['name']} was {r['office']} {lo}-{hi if hi else 'now'}"))
    return evs


_PUB_RE = re.compile(r"((?:19|20)[0-9]{2})(?:[-/.年]([01]?[0-9]))?")


def _published(published) -> list[Evidence]:
    if published is None or (isinstance(published, float) and math.isnan(published)):
        return []
    if isinstance(published, pd.Timestamp) or hasattr(published, "year"):
        if pd.isna(published):
            return []
        y, mo = int(published.year), int(getattr(published, "month", 1))
        s = str(published)
    else:
        s = str(published).strip()
        m = _PUB_RE.search(s)
        if not m:
            return []
        y, mo = int(m.group(1)), int(m.group(2) or 1)
    # A plan for next year can be written and posted from October.
    hi = y + 1 if mo >= 10 else y
    return [Evidence(s, "published", hi=hi, weight=W["published"], where="published",
                     note="upload time: the document was written before it, never sets the year")]


_REL_REVIEW = re.compile(r"过去的一年|(?:去年|上一年)(?:以来|一年|全年)?[^。]{0,12}(?:工作|取得|完成|开展)"
                         r"|总结[^。]{0,14}工作[^。]{0,3}部署")
_REL_PLAN = re.compile(r"今年(?:的|要|将|全局|全市|工作|我们|重点)")
_YEAR_END = re.compile(r"今年以来|年初以来|现将(?:今年|本年)")
_SUMMARY_TITLE = re.compile(r"总结|回顾|汇报|述职|履职|报告|自查")
_PLAN_TITLE = re.compile(r"计划|要点|思路|打算|安排|设想")


# --------------------------------------------------------------------------- combination

def infer_year(title: str, text: str, *, published: str | None = None) -> YearEstimate:
    """Infer the reporting year of one document, with an interval, evidence and confidence.

    Parameters
    ----------
    title : str
        The document title (may carry a year; treated as evidence, not truth).
    text : str
        The body, clean Simplified Chinese; masked years (``XX年``) are allowed.
    published : str, optional
        Upload timestamp (``"2022-03-01 04:26:00"``); bounds the year from above only.

    Returns
    -------
    YearEstimate
        ``year`` (None unless an explicit claim supports one), ``year_lo``, ``year_hi``,
        ``confidence`` and the ``evidence``.

    Examples
    --------
    >>> from bureau_rhetoric.dating import infer_year
    >>> est = infer_year("科技局2015年工作总结和2016年工作计划",
    ...                  "一、2015年工作回顾。2015年，我局推进众创空间建设。二、2016年工作计划。",
    ...                  published="2022-03-01")
    >>> est.year, est.confidence
    (2015, 'high')
    >>> est = infer_year("履职报告", "今年是“十二五”收官之年，我局认真学习党的十八届五中全会精神。")
    >>> est.year, est.year_lo, est.year_hi
    (2015, 2015, 2015)
    >>> print(infer_year("工作总结", "XX年，我局贯彻十九届五中全会精神，推进科技自立自强。").describe())
    year=None interval=[2020, ?] confidence=low
    ! report year masked (e.g. “XX年，我局贯彻十”): no point year is given
    - “局贯彻十九届五中全会精神，” (body) plenum → >= 2020 [w 2]: plenum met 2020-10
    - “科技自立自强” (body) term:hard → >= 2020 [w 2]: 科技自立自强 in official use from 2020
    - “局贯彻十九届五中全会精神，” (body) plenum:recent → <= 2023 [w 0.5]: plenums are studied while recent: weakly, at most three years later
    """
    title = _normalise(title or "")
    text = _normalise(text or "")
    evs: list[Evidence] = []
    notes: list[str] = []

    t_evs, t_sum = _explicit_years(title, "title")
    b_evs, b_sum = _explicit_years(text, "body")
    evs += t_evs + b_evs
    mt_evs, t_masked, t_examples = _masked_years(title, "title")
    mb_evs, b_masked, b_examples = _masked_years(text, "body")
    evs += mt_evs + mb_evs
    report_masked = t_masked or b_masked

    # Summary-and-plan documents: the planned year follows the reported one.
    full = title + "\n" + text
    plan_years = b_sum["plan_years"] | t_sum["plan_years"]
    is_summary = bool(_SUMMARY_TITLE.search(title)) or bool(b_sum["review_years"])
    is_pure_plan = bool(_PLAN_TITLE.search(title)) and not is_summary
    rel_review = bool(_REL_REVIEW.search(text)) and bool(_REL_PLAN.search(text))
    for p in sorted(plan_years):
        if p - 1 in b_sum["review_years"]:
            continue
        if is_summary or rel_review:
            why = "去年 reviewed, 今年 planned" if rel_review and not is_summary else "a summary with next year's plan"
            evs.append(Evidence(f"{p}年", "plan:resolved", year=p - 1, weight=W["plan_resolved"], where="body",
                                note=f"{why}: the reported year is the one before the planned {p}"))
        elif is_pure_plan:
            evs.append(Evidence(f"{p}年", "plan:resolved", year=p, weight=W["plan_resolved"], where="body",
                                note="a pure plan dates to its plan year"))
        else:
            evs.append(Evidence(f"{p}年", "plan:point", year=p, weight=W["plan_point"], where="body",
                                note="planned year, weakly the report year"))

    for part, where in ((title, "title"), (text, "body")):
        p_evs, _ = _plans(part, where)
        evs += p_evs
    # "今年是…开局之年" names the year of writing; when the document reviews the year
    # before it (a new-year speech), the reported year is the reviewed one.
    # A new-year speech or report names the current year but reports the year before.
    reviewed = b_sum["review_years"]
    year_end = bool(_YEAR_END.search(text))
    resolved = []
    for e in evs:
        if e.rule in ("explicit:this_year", "fyp:first_year", "fyp:last_year") and e.year is not None:
            c = e.year
            if (c - 1 in reviewed and c not in reviewed) or (rel_review and not year_end):
                why = f"the document reviews {c - 1}" if c - 1 in reviewed else "the document reviews 去年"
                resolved.append(Evidence(e.string, e.rule + ">reviewed", year=c - 1, weight=e.weight,
                                         where=e.where, note=f"names {c} as the current year; {why}, "
                                         "so that is the reported year"))
            elif c in reviewed or year_end or is_pure_plan:
                resolved.append(e)
            else:
                resolved.append(Evidence(e.string, e.rule, lo=c - 1, hi=c, weight=W["plan_bound"], where=e.where,
                                         note=f"names {c} as the current year: a year-end report of {c} "
                                         f"or a new-year report of {c - 1}"))
                resolved.append(Evidence(e.string, e.rule, year=c, weight=W["current_point"], where=e.where,
                                         note=f"{c} is the current year: weakly the reported year"))
        else:
            resolved.append(e)
    evs = resolved
    evs += _congresses(full, "body")
    term_evs, _ = _terms(full, "body")
    evs += term_evs
    evs += _offices(full, "body")
    evs += _published(published)

    if report_masked:
        ex = (t_examples + b_examples)[:1]
        notes.append(f"report year masked (e.g. “{ex[0]}”): no point year is given" if ex else
                     "report year masked: no point year is given")

    informative = [e for e in evs if e.rule != "published"]
    if not informative:
        hi = min((e.hi for e in evs if e.hi is not None), default=None)
        return YearEstimate(None, None, hi, "none", tuple(evs), tuple(notes))

    grid = np.arange(GRID_MIN, GRID_MAX + 1)
    score = np.zeros(grid.shape, dtype=float)
    for e in evs:
        score += e.weight * e.allowed(grid)
    best = score.max()
    near = np.flatnonzero(score >= best - MARGIN - 1e-9)
    lo_i, hi_i = near.min(), near.max()
    year_lo = int(grid[lo_i]) if lo_i > 0 else None
    year_hi = int(grid[hi_i]) if hi_i < len(grid) - 1 else None
    # Bounds that no evidence sets stay open.
    if year_lo is not None and not any(e.lo is not None or e.year is not None or e.years for e in informative):
        year_lo = None

    # Point: the best-scoring year supported by a point claim.
    support: dict[int, float] = {}
    strong: dict[int, float] = {}
    for e in evs:
        if e.year is not None and e.lo is None and e.hi is None:
            support[e.year] = support.get(e.year, 0.0) + e.weight
            base = e.rule.split(">")[0]
            base = base.split(":")[-1] if base.startswith("explicit:") else base
            if e.where == "body" and (base in _STRONG_POINT_RULES or base in ("fyp:last_year", "fyp:first_year")):
                strong[e.year] = strong.get(e.year, 0.0) + e.weight
    top = {int(grid[i]) for i in np.flatnonzero(score >= best - 1e-9)}
    cands = [y for y in support if y in top]
    point = max(cands, key=lambda y: (support[y], -y)) if cands else None
    if point is not None and report_masked and strong.get(point, 0.0) < 1.5:
        point = None
    if point is not None:
        if year_lo is not None:
            year_lo = min(year_lo, point)
        if year_hi is not None:
            year_hi = max(year_hi, point)
        # A review that also plans (or is delivered in) the next year covers both years:
        # the point is the reviewed year, the interval reaches the planned one.
        spans_next = (point + 1 in plan_years or bool(_REL_REVIEW.search(text))
                      or any(e.rule.endswith(">reviewed") and e.year == point for e in evs))
        if spans_next and year_hi is not None and year_hi == point:
            nxt = np.array([point + 1])
            if not any(e.rule == "published" and not e.allowed(nxt)[0] for e in evs):
                year_hi = point + 1
                notes.append(f"the document also plans or is delivered in {point + 1}: the interval includes it")

    # Contradictions: title vs body, strong clues the result violates.
    title_years = [e.year for e in evs if e.rule == "title:year"]
    for ty in sorted(set(title_years)):
        if point is not None and ty != point:
            notes.append(f"title says {ty} but the body evidence says {point}: the body wins")
        elif point is None and ty not in top:
            notes.append(f"title says {ty} but other evidence rules it out")
    ref = point if point is not None else None
    violated = []
    for e in evs:
        if e.weight >= 1.0 and ref is not None and not e.allowed(np.array([ref]))[0] and e.rule != "title:year":
            if e.year is None or e.lo is not None:
                violated.append(e)
    for e in violated[:3]:
        notes.append(f"overruled: “{e.string}” {e.rule} ({e.implies()})")

    width = None if (year_lo is None or year_hi is None) else year_hi - year_lo
    # Whatever else the document says, a masked year in its evidence caps the confidence at medium:
    # the mask hid the very statement a reader would check.
    masked = report_masked or any("masked" in e.rule for e in evs)
    if point is not None:
        if (strong.get(point, 0.0) >= 1.5 and not violated and width is not None and width <= 2
                and not masked):
            confidence = "high"
        elif support[point] >= 1.0:
            confidence = "medium"
        else:
            confidence = "low"
    else:
        confidence = "low"
    evs_sorted = tuple(sorted(evs, key=lambda e: -e.weight))
    return YearEstimate(point, year_lo, year_hi, confidence, evs_sorted, tuple(notes))


# --------------------------------------------------------------------------- tables

@keyed_cache(*DATING_LEXICONS)
def _fyp_table() -> list[tuple[str, int, int]]:
    """``(name, start, end)`` of every plan in time order (by ``start``, not by row position)."""
    return sorted(((r["name"], int(r["start"]), int(r["end"])) for r in _lexicons()["fyp"]), key=lambda t: t[1])


def plan_periods() -> pd.DataFrame:
    """Return every Five-Year-Plan period in time order, from ``fyp.csv``.

    This is the one definition of plan order in the project: figures, tables and
    topic trends sort periods with :func:`period_order`, never with a list of
    their own. A user's ``fyp.csv`` (:func:`bureau_rhetoric.lexicons.use_lexicons`)
    changes the order everywhere.

    Returns
    -------
    DataFrame
        ``name``, ``start``, ``end`` (first and last year) and ``years`` (``"1996–2000"``),
        sorted by ``start`` (never by row position).

    Examples
    --------
    >>> from bureau_rhetoric.dating import plan_periods
    >>> plan_periods().query("name in ['六五', '十四五']").values.tolist()
    [['六五', 1981, 1985, '1981–1985'], ['十四五', 2021, 2025, '2021–2025']]
    """
    rows = _fyp_table()
    return pd.DataFrame({"name": [r[0] for r in rows], "start": [r[1] for r in rows], "end": [r[2] for r in rows],
                         "years": [f"{r[1]}–{r[2]}" for r in rows]})


def period_order(values=None) -> list:
    """Return plan periods in time order: all of them, or the given values sorted.

    Parameters
    ----------
    values : iterable, optional
        Period labels to sort (duplicates and missing values dropped). Known plan
        names come first in time order; anything else (``"uncertain"``, ``"(none)"``,
        a label of the user's own) follows in the order first seen.

    Returns
    -------
    list

    Examples
    --------
    >>> from bureau_rhetoric.dating import period_order
    >>> period_order(["十四五", "九五", "八五", "十一五", "(none)", "十五", "六五"])
    ['六五', '八五', '九五', '十五', '十一五', '十四五', '(none)']
    >>> period_order()[:3]
    ['一五', '二五', '三五']
    """
    names = [r[0] for r in _fyp_table()]
    if values is None:
        return names
    rank = {n: i for i, n in enumerate(names)}
    seen = list(dict.fromkeys(v for v in values if not (pd.api.types.is_scalar(v) and pd.isna(v))))
    known = sorted((v for v in seen if v in rank), key=rank.__getitem__)
    return known + [v for v in seen if v not in rank]


def period_years(name) -> tuple[int, int] | None:
    """Return the first and last year of a plan period, or None if it is no plan in ``fyp.csv``.

    Parameters
    ----------
    name : str

    Returns
    -------
    (int, int) or None

    Examples
    --------
    >>> from bureau_rhetoric.dating import period_years
    >>> period_years("八五"), period_years("uncertain")
    ((1991, 1995), None)
    """
    for n, start, end in _fyp_table():
        if n == name:
            return start, end
    return None


def fyp_period(year) -> str | None:
    """Return the Five-Year-Plan period of a year (``"十二五"``), or None.

    Parameters
    ----------
    year : int or None

    Returns
    -------
    str or None

    Examples
    --------
    >>> from bureau_rhetoric.dating import fyp_period
    >>> fyp_period(2015), fyp_period(2016), fyp_period(None)
    ('十二五', '十三五', None)
    """
    if year is None or pd.isna(year):
        return None
    y = int(year)
    for name, start, end in _fyp_table():
        if start <= y <= end:
            return name
    return None


def date_corpus(docs: pd.DataFrame, *, collection_year: int | None = None) -> pd.DataFrame:
    """Add dating columns to a document table.

    Parameters
    ----------
    docs : DataFrame
        Columns ``title`` and ``text``; ``published`` is optional (upload time or None).
    collection_year : int, optional
        The year the corpus was collected (scraped). A document cannot report a year after
        it was collected, so an open upper bound becomes this year, stated in
        ``year_evidence`` (``! upper bound open: capped at the collection year …``). A
        point year or lower bound after it is an error in the evidence or in this year: it
        is left as it is and the evidence says so. None (the default) leaves bounds open.

    Returns
    -------
    DataFrame
        A copy with ``year``, ``year_lo``, ``year_hi`` (pandas ``Int64``),
        ``year_confidence``, ``year_evidence`` (readable text) and ``fyp_period``: the
        Five-Year-Plan period of ``year``, or, without a point, of the interval when the
        whole interval lies in one period; else None.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.dating import date_corpus
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...     "title": ["科技局2015年工作总结", "科技局工作总结", "工作汇报"],
    ...     "text": ["2015年，我局推进众创空间建设。", "XX年，我局学习党的十九届五中全会精神。", "我局开展各项工作。"],
    ...     "published": [None, "2024-08-10", None]})
    >>> out = date_corpus(docs)
    >>> out[["year", "year_lo", "year_hi", "year_confidence", "fyp_period"]].to_string()
    '   year  year_lo  year_hi year_confidence fyp_period\\n0  2015     2015     2015            high        十二五\\n1  <NA>     2020     2024             low       None\\n2  <NA>     <NA>     <NA>            none       None'
    >>> date_corpus(docs, collection_year=2025)["year_hi"].tolist()
    [2015, 2024, 2025]
    """
    if collection_year is not None and not (GRID_MIN <= int(collection_year) <= GRID_MAX):
        raise ValueError(f"collection_year must be in {GRID_MIN}..{GRID_MAX}, got {collection_year}")
    missing = [c for c in ("title", "text") if c not in docs.columns]
    if missing:
        raise ValueError(f"date_corpus needs columns {missing}; got {list(docs.columns)}")
    pub = docs["published"] if "published" in docs.columns else pd.Series([None] * len(docs), index=docs.index)
    rows = []
    for title, text, p in zip(docs["title"], docs["text"], pub):
        est = infer_year("" if pd.isna(title) else str(title), "" if pd.isna(text) else str(text),
                         published=None if p is None or (not isinstance(p, str) and pd.isna(p)) else p)
        hi, text_ev = est.year_hi, est.describe()
        if collection_year is not None:
            cy = int(collection_year)
            if hi is None:
                hi = cy
                text_ev += f"\n! upper bound open: capped at the collection year {cy} (collection_year)"
            elif max(v for v in (est.year, est.year_lo, hi) if v is not None) > cy:
                text_ev += f"\n! the evidence reaches past the collection year {cy}: left as it is, check one of them"
        rows.append((est.year, est.year_lo, hi, est.confidence, text_ev))
    out = docs.copy()
    for i, col in enumerate(("year", "year_lo", "year_hi")):
        out[col] = pd.array([r[i] for r in rows], dtype="Int64")
    out["year_confidence"] = [r[3] for r in rows]
    out["year_evidence"] = [r[4] for r in rows]
    periods = []
    for y, lo, hi in zip(out["year"], out["year_lo"], out["year_hi"]):
        p = fyp_period(y)
        if p is None and fyp_period(lo) is not None and fyp_period(lo) == fyp_period(hi):
            p = fyp_period(lo)  # no point, but the whole interval lies in one plan period
        periods.append(p)
    out["fyp_period"] = pd.Series(periods, index=out.index, dtype=object)
    return out


def bin_by_period(docs: pd.DataFrame, *, rule: str = "interval", column: str = "period",
                  uncertain: str = "uncertain") -> pd.DataFrame:
    """Assign each document a Five-Year-Plan period that is robust to year uncertainty.

    Parameters
    ----------
    docs : DataFrame
        With ``year``, ``year_lo`` and ``year_hi`` (as made by :func:`date_corpus`).
    rule : {"interval", "point"}, default "interval"
        ``"interval"``: a document gets a period only when its whole interval
        ``[year_lo, year_hi]`` lies in that one period, else ``uncertain`` (also when a
        bound is missing). The point year is not used, so an analysis by period does not
        depend on the guessed point. ``"point"``: the period of ``year`` (``uncertain``
        when there is no point).
    column : str, default "period"
        Name of the new column.
    uncertain : str, default "uncertain"
        Label of documents that cannot be placed.

    Returns
    -------
    DataFrame
        A copy with an ordered categorical ``column``: the periods in time order, then
        ``uncertain``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.dating import bin_by_period
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2012, None, 2016],
    ...     "year_lo": [2011, 2014, 2015], "year_hi": [2013, 2016, 2016]}).astype(
    ...     {"year": "Int64", "year_lo": "Int64", "year_hi": "Int64"})
    >>> bin_by_period(docs)["period"].tolist()
    ['十二五', 'uncertain', 'uncertain']
    >>> bin_by_period(docs, rule="point")["period"].tolist()
    ['十二五', 'uncertain', '十三五']
    """
    if rule not in ("interval", "point"):
        raise ValueError(f"rule must be 'interval' or 'point', got {rule!r}")
    need = ["year"] if rule == "point" else ["year_lo", "year_hi"]
    missing = [c for c in need if c not in docs.columns]
    if missing:
        raise ValueError(f"bin_by_period(rule={rule!r}) needs columns {missing}; run date_corpus first")
    if rule == "point":
        labels = [fyp_period(y) or uncertain for y in docs["year"]]
    else:
        labels = []
        for lo, hi in zip(docs["year_lo"], docs["year_hi"]):
            a, b = fyp_period(lo), fyp_period(hi)
            labels.append(a if a is not None and a == b else uncertain)
    order = period_order() + [uncertain]
    out = docs.copy()
    out[column] = pd.Categorical(labels, categories=order, ordered=True)
    return out


def filter_by_confidence(docs: pd.DataFrame, min_confidence: str = "medium") -> pd.DataFrame:
    """Keep documents whose dating confidence is at least ``min_confidence``.

    Parameters
    ----------
    docs : DataFrame
        With a ``year_confidence`` column.
    min_confidence : {"none", "low", "medium", "high"}, default "medium"

    Returns
    -------
    DataFrame
        The kept rows (a copy). Use it for a sensitivity check: run an analysis on all
        documents and on ``filter_by_confidence(docs, "high")`` and compare.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.dating import filter_by_confidence
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year_confidence": ["high", "low", "medium"]})
    >>> filter_by_confidence(docs)["doc_id"].tolist()
    ['a', 'c']
    """
    if min_confidence not in CONFIDENCE_LEVELS:
        raise ValueError(f"min_confidence must be one of {CONFIDENCE_LEVELS}, got {min_confidence!r}")
    if "year_confidence" not in docs.columns:
        raise ValueError("filter_by_confidence needs a 'year_confidence' column; run date_corpus first")
    rank = {c: i for i, c in enumerate(CONFIDENCE_LEVELS)}
    bad = sorted(set(docs["year_confidence"].dropna()) - set(rank))
    if bad:
        raise ValueError(f"unknown year_confidence values {bad}; expected {CONFIDENCE_LEVELS}")
    keep = docs["year_confidence"].map(rank).fillna(-1) >= rank[min_confidence]
    return docs.loc[keep].copy()
