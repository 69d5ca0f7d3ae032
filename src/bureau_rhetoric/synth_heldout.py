"""Held-out dirty text: reports nobody tuned a rule on, damaged the way content farms do in general.

:mod:`synth` makes dirty variants with the seeds' own dirt (their watermark, lead-in,
footer titles and a pinyin table harvested from them) out of seed paragraphs, so its
round trip shows only that the repair undoes the damage it was written against. This
module is the independent check:

* **clean text** (:func:`load_clean_reports`): 34 short reports written for this project
  (``data/heldout_reports.json``), 1985-2025, science and other bureaus (交通, 教育, 卫生,
  环保, 国土, 文物, 自然资源和规划, 农业农村 …), province to county level, each with its true
  reporting year; none of their sentences comes from ``data/raw``;
* **damage** (:data:`HELDOUT_DAMAGE`) from general knowledge of content-farm pages, not
  from seed strings: watermarks of made-up sites in several formats (``【www.…】``,
  ``（本文来自…）``, ``更多范文请访问…``), lead-ins (``来源：``, ``发布时间：``, ``作者：``,
  ``本文由…整理``, view counters), footers (``更多相关：``, ``上一篇：/下一篇：``,
  ``免责声明：``, ``相关推荐：``), machine Traditional (OpenCC s2t, s2tw or s2hk), pinyin
  after any character from a general table (``data/pinyin_general.tsv``, made with
  pypinyin from jieba's character list), GBK one-byte shifts with any stray lead byte, and
  layout noise (indents, blank lines, full-width digits), bodies pasted twice;
* **compilations** (:func:`make_heldout_corpus`) numbered ``篇一：``, ``【篇二】``, ``范文三：``,
  ``第4篇：`` or ``五、``.

Everything is seeded: the same ``seed`` gives the same bytes (frozen by a test before any
rule was changed against it). ``scripts/heldout_check.py`` reports round-trip similarity,
dating MAE/coverage and GBK-threshold checks on it beside the seed-derived figures.

Examples
--------
>>> from bureau_rhetoric.synth_heldout import load_clean_reports, damage_text
>>> reports = load_clean_reports()
>>> len(reports) >= 30, int(reports["true_year"].min()), int(reports["true_year"].max())
(True, 1985, 2025)
>>> damage_text("科技局组织技术攻关。", seed=2, kinds=("pinyin",))
'科技局組(zǔ)織(zhī)技術(shù)攻關(guān)。'
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

import pandas as pd

from .lexicons import lexicon_path
from .synth import _shift_candidates, encode_text, shift_gbk

__all__ = ["HELDOUT_DAMAGE", "MARKER_STYLES", "load_clean_reports", "damage_text", "make_heldout_corpus"]

HELDOUT_DAMAGE = ("watermark", "lead_in", "footer", "traditional", "pinyin", "gbk_shift", "layout",
                  "repeated_body")
#: How compilations number their pieces (``{cn}`` Chinese numeral, ``{n}`` digits, ``{t}`` title).
MARKER_STYLES = ("篇{cn}：{t}", "【篇{cn}】{t}", "范文{cn}：{t}", "第{n}篇：{t}", "{cn}、{t}", "第{cn}篇 {t}")

_CN = "一二三四五六七八九十"
_SYLL = ("wen", "fan", "zhi", "xue", "ku", "doc", "lun", "gong", "zuo", "jie", "bao", "gao", "hao", "shu",
         "zi", "liao", "yun", "mi", "qing", "da", "kao", "shi", "bang", "ye", "jia", "tong")
_TLD = ("com", "cn", "net", "org", "com.cn", "net.cn", "cc")
_NAME_HEAD = ("好", "易", "精品", "优质", "第一", "大众", "百度", "爱", "学习", "中华", "公文", "办公")
_NAME_TAIL = ("范文网", "文库", "资料网", "公文网", "文档网", "学习网", "写作网")
_WATERMARKS = ("【{d}】", "（本文来自{n}：{d}）", "[来源：{d}]", "(转载请注明出处：{d})",
               "更多范文请访问{d}", "本文档由{n}（{d}）提供", "——{n} {d}整理——")
_AUTHORS = ("佚名", "网友投稿", "本站编辑", "admin", "匿名")
_OTHER_TITLES = ("幼儿园大班下学期工作总结", "个人年度述职报告范文", "大学生社会实践报告3000字", "物业公司年终总结",
                 "小学数学教研组工作计划", "销售人员月度工作总结", "医院护士长述职报告", "村党支部换届选举工作方案",
                 "社区志愿服务活动总结", "银行柜员个人工作总结")
_DISCLAIMERS = ("免责声明：本站部分内容来源于网络，仅供学习参考，如有侵权请联系删除。",
                "免责声明：文章内容由网友上传，本站不对其真实性负责。")


@lru_cache(maxsize=1)
def _reports_json() -> dict:
    with open(lexicon_path("heldout_reports.json"), encoding="utf-8") as fh:
        return json.load(fh)


def load_clean_reports() -> pd.DataFrame:
    """Return the held-out clean reports with their true years.

    Returns
    -------
    DataFrame
        ``doc_id``, ``true_year``, ``bureau``, ``level``, ``place``, ``genre``,
        ``title``, ``text`` (clean Simplified Chinese), sorted by year.

    Examples
    --------
    >>> from bureau_rhetoric.synth_heldout import load_clean_reports
    >>> r = load_clean_reports()
    >>> r.loc[0, "doc_id"], int(r.loc[0, "true_year"]), r.loc[0, "bureau"]
    ('ind-01', 1985, '科学技术委员会')
    >>> r["bureau"].nunique() >= 8
    True
    """
    rows = _reports_json()["reports"]
    df = pd.DataFrame(rows).rename(columns={"id": "doc_id", "year": "true_year"})
    return df[["doc_id", "true_year", "bureau", "level", "place", "genre", "title", "text"]]


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, str]:
    table = {}
    with open(lexicon_path("pinyin_general.tsv"), encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("char\t"):
                continue
            ch, py = line.rstrip("\n").split("\t")
            table[ch] = py
    return table


@lru_cache(maxsize=4)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def _domain(rng: random.Random) -> str:
    host = "".join(rng.choice(_SYLL) for _ in range(rng.randint(2, 3)))
    if rng.random() < 0.3:
        host += str(rng.randint(1, 99))
    return ("www." if rng.random() < 0.7 else "") + host + "." + rng.choice(_TLD)


def _site_name(rng: random.Random) -> str:
    return rng.choice(_NAME_HEAD) + rng.choice(_NAME_TAIL)


def _han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _add_pinyin(simplified: str, converted: str, rng: random.Random, any_share: float) -> str:
    """Annotate converted characters (and a share of the others) with the pinyin of their Simplified form."""
    table = _pinyin()
    out = []
    for s, t in zip(simplified, converted):
        out.append(t)
        if _han(s) and s in table and (t != s or rng.random() < any_share):
            out.append(f"({table[s]})")
    return "".join(out)


def damage_text(text: str, *, seed: int, kinds=HELDOUT_DAMAGE, title: str = "", year: int | None = None,
                any_pinyin_share: float = 0.05, n_watermarks: int = 2, n_shifts: int = 2) -> str:
    """Return a dirty copy of a clean Simplified text, damaged as content-farm pages are.

    Parameters
    ----------
    text : str
        Clean Simplified Chinese body.
    seed : int
        Same seed, same bytes.
    kinds : iterable of str, default all of :data:`HELDOUT_DAMAGE`
        ``pinyin`` implies Traditional (the sites annotate the characters they convert).
    title : str, optional
        Used by lead-ins and footers.
    year : int, optional
        The report's year: upload dates in lead-ins come after it.
    any_pinyin_share : float, default 0.05
        Share of unconverted characters that get pinyin too.
    n_watermarks, n_shifts : int, default 2 and 2

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.synth_heldout import damage_text
    >>> d = damage_text("今年组织项目十项。推广技术二十项。", seed=4, kinds=("watermark", "footer"))
    >>> d.splitlines()[0].count(".") >= 1, "上一篇" in d or "更多相关" in d or "免责声明" in d or "相关推荐" in d
    (True, True)
    """
    kinds = tuple(kinds)
    unknown = set(kinds) - set(HELDOUT_DAMAGE)
    if unknown:
        raise ValueError(f"unknown damage kinds {sorted(unknown)}; choose from {HELDOUT_DAMAGE}")
    rng = random.Random(f"heldout-{seed}")
    body = text
    if "repeated_body" in kinds:
        body = body + "\n" + body
    if "watermark" in kinds:
        spots = [k for k in range(1, len(body)) if _han(body[k - 1]) and (_han(body[k]) or body[k] == "\n")]
        for k in sorted(rng.sample(spots, min(n_watermarks, len(spots))), reverse=True):
            mark = rng.choice(_WATERMARKS).format(d=_domain(rng), n=_site_name(rng))
            body = body[:k] + mark + body[k:]
    if "pinyin" in kinds or "traditional" in kinds:
        conf = rng.choice(("s2t", "s2tw", "s2hk"))
        conv = _opencc(conf).convert(body)
        if "pinyin" in kinds and len(conv) == len(body):
            body = _add_pinyin(body, conv, rng, any_pinyin_share)
        else:
            body = conv
    if "gbk_shift" in kinds:
        cands = _shift_candidates(body)
        for i, j in sorted(rng.sample(cands, min(n_shifts, len(cands))), reverse=True):
            shifted = shift_gbk(body, i, j, stray=rng.randint(0x81, 0xFE))
            if shifted is not None:
                body = shifted
    if "layout" in kinds:
        full = str.maketrans("0123456789", "０１２３４５６７８９")
        paras = body.split("\n")
        sep = "\n\n" if rng.random() < 0.5 else "\n"
        body = sep.join(("\u3000\u3000" if rng.random() < 0.7 else "  ") + p.translate(full) if rng.random() < 0.5
                        else "\u3000\u3000" + p for p in paras)
    head: list[str] = []
    if "lead_in" in kinds:
        lo = max((year or 2008) + 1, 2008)
        y = rng.randint(lo, max(lo, 2025))
        mo, d = rng.randint(1, 12), rng.randint(1, 28)
        when = (f"{y}-{mo:02d}-{d:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}" if rng.random() < 0.6
                else f"{y}年{mo:02d}月{d:02d}日")
        parts = [f"发布时间：{when}", f"来源：{_site_name(rng)}", f"作者：{rng.choice(_AUTHORS)}",
                 f"浏览次数：{rng.randint(12, 98765)}"]
        if rng.random() < 0.5:
            head.append("  ".join(parts[: rng.randint(2, 4)]))
        else:
            head += parts[: rng.randint(2, 4)]
        if rng.random() < 0.5:
            head.append(f"本文由{rng.choice(('网友', _site_name(rng)))}整理，仅供参考。")
    tail: list[str] = []
    if "footer" in kinds:
        others = rng.sample(_OTHER_TITLES, 3)
        style = rng.randrange(4)
        if style == 0:
            tail += [f"上一篇：{others[0]}", f"下一篇：{others[1]}"]
        elif style == 1:
            tail += [f"更多相关：{title or others[2]}范文"] + others[:2]
        elif style == 2:
            tail.append(rng.choice(_DISCLAIMERS))
        else:
            tail += ["相关推荐："] + others
    if "traditional" in kinds or "pinyin" in kinds:  # the page template is converted too
        conf = "s2t"
        head = [_opencc(conf).convert(x) for x in head]
        tail = [_opencc(conf).convert(x) for x in tail]
    return "\n".join(head + [body] + tail)


def _cn_number(n: int) -> str:
    if not 1 <= n <= 99:
        raise ValueError(f"compilations hold 1..99 pieces, got piece {n}")
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _CN[tens - 1] + "十")) + (_CN[ones - 1] if ones else "")


def make_heldout_corpus(*, seed: int = 0, damage: float = 0.8, compilation_share: float = 0.5,
                        encodings=("utf-8", "gb18030", "utf-16")) -> tuple[dict[str, bytes], pd.DataFrame]:
    """Make raw files from the held-out reports: single reports and compilations, damaged.

    Each report goes into a file of its own (title line, then the damaged text) or,
    for ``compilation_share`` of them, into compilations of 2-4 reports numbered in
    one of :data:`MARKER_STYLES`. A ``damage`` share of the pieces get a random
    non-empty subset of :data:`HELDOUT_DAMAGE` (lead-ins and footers around single
    reports only). Files cycle through ``encodings``; Big5 would lose pinyin and GBK
    damage, so it is not offered.

    Parameters
    ----------
    seed : int, default 0
    damage : float, default 0.8
        Share of reports damaged.
    compilation_share : float, default 0.5
    encodings : sequence of str, default ("utf-8", "gb18030", "utf-16")

    Returns
    -------
    files : dict
        File name -> bytes (write them into an empty folder and build it).
    truth : DataFrame
        One row per report in build order (file name, then position): ``file``,
        ``piece``, ``doc_id``, ``true_year``, ``title``, ``text`` (the clean text),
        ``kinds`` (the damage applied, ``+``-joined) and ``marker`` (numbering style or "").

    Examples
    --------
    >>> from bureau_rhetoric.synth_heldout import make_heldout_corpus
    >>> files, truth = make_heldout_corpus(seed=1)
    >>> len(truth) == 34, len(files) < 34
    (True, True)
    >>> files == make_heldout_corpus(seed=1)[0]
    True
    """
    if not 0.0 <= damage <= 1.0 or not 0.0 <= compilation_share <= 1.0:
        raise ValueError(f"damage and compilation_share must be in 0..1, got {damage} and {compilation_share}")
    rng = random.Random(f"heldout-corpus-{seed}")
    reports = load_clean_reports()
    order = list(range(len(reports)))
    rng.shuffle(order)
    groups: list[list[int]] = []
    k = 0
    while k < len(order):
        if rng.random() < compilation_share and len(order) - k >= 2:
            size = min(rng.randint(2, 4), len(order) - k)
        else:
            size = 1
        groups.append(order[k:k + size])
        k += size
    files: dict[str, bytes] = {}
    truth = []
    for g, idx in enumerate(groups):
        name = f"{g:03d}_heldout.txt"
        enc = encodings[g % len(encodings)]
        style = rng.choice(MARKER_STYLES) if len(idx) > 1 else ""
        pieces = []
        for p, i in enumerate(idx):
            r = reports.iloc[i]
            kinds = ()
            if rng.random() < damage:
                pool = [kd for kd in HELDOUT_DAMAGE if len(idx) == 1 or kd not in ("lead_in", "footer")]
                kinds = tuple(kd for kd in pool if rng.random() < 0.4) or (rng.choice(pool),)
            body = damage_text(r["text"], seed=seed * 1000 + i, kinds=kinds, title=r["title"],
                               year=int(r["true_year"]))
            if style:
                head = style.format(cn=_cn_number(p + 1), n=p + 1, t=r["title"])
                pieces.append(head + "\n" + body)
            else:  # a page: its title, then the info line(s) of the lead-in, the body, the footer
                pieces.append(r["title"] + "\n" + body)
            truth.append({"file": name, "piece": p + 1, "doc_id": r["doc_id"], "true_year": int(r["true_year"]),
                          "title": r["title"], "text": r["text"], "kinds": "+".join(kinds), "marker": style})
        files[name] = encode_text("\n".join(pieces), enc)
    return files, pd.DataFrame(truth)
