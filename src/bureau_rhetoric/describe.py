"""Describe a document: where it comes from (gazetteer), which bureau wrote it, whether it is on topic.

Three lexicons drive it, none read off the corpus: ``gazetteer.csv`` (every
province-, prefecture- and county-level division with its parents, from the
official division codes), ``bureaus.csv`` (names of government departments)
and ``on_topic.csv`` (subject keywords of each department's field). The
functions are pure: title, text and the file's relative path in, columns out.

Examples
--------
>>> from bureau_rhetoric.describe import describe_document
>>> d = describe_document("包河区科技局2019年工作总结", "包河区科技局全年新增高新技术企业12家。包河区专利授权量增长。")
>>> d["place"], d["prefecture"], d["province"], d["bureau"], d["on_topic"]
('包河区', '合肥市', '安徽省', '科学技术局', True)
"""

from __future__ import annotations

import collections
import csv
import io
import re
from pathlib import PurePath

from .lexicons import keyed_cache, lexicon_path

__all__ = ["infer_place", "infer_bureau", "score_on_topic", "describe_document", "DESCRIBE_LEXICONS",
           "DESCRIBE_COLUMNS"]

DESCRIBE_LEXICONS = ("gazetteer.csv", "bureaus.csv", "on_topic.csv")
#: the columns :func:`describe_document` returns (the corpus columns it fills)
DESCRIBE_COLUMNS = ("admin_level", "place", "province", "prefecture", "county", "place_evidence",
                    "bureau", "on_topic", "on_topic_score", "on_topic_reason")


def _read_table(name: str) -> list[dict]:
    with open(lexicon_path(name), encoding="utf-8") as fh:
        lines = [ln for ln in fh if not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(io.StringIO("".join(lines)))]


# ----------------------------------------------------------------------------- gazetteer

# the 56 officially recognised nationalities (and 各族), stripped from autonomous areas' names
_NATIONS = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
            "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 "
            "鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 汉 各").split()
_AUTONOMOUS = re.compile(r"^(.{2,}?)(?:(?:%s)族?)+自治(?:区|州|县|旗)$" % "|".join(
    sorted(_NATIONS, key=len, reverse=True)))
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区", "省", "市", "区", "县",
             "州", "旗", "盟")
#: names that are also ordinary words when written alone: matched only right after a parent
_GENERIC_STEMS = set("东西南北中城郊矿") | {"市中", "城中", "城关", "新城", "老城", "开发"}


def _alias(name: str, level: str) -> str | None:
    """Short form written without the suffix (杭州 for 杭州市, 广西 for 广西壮族自治区), or None."""
    m = _AUTONOMOUS.match(name)
    if m:
        stem = m.group(1)
    else:
        stem = next((name[:-len(s)] for s in _SUFFIXES if name.endswith(s) and len(name) > len(s)), name)
    if level == "province" and name.endswith("自治区") and not m:
        stem = name[:3] if name.startswith("内蒙古") else name[:2]
    if len(stem) < 2 or stem == name or stem in _GENERIC_STEMS:
        return None
    return stem


@keyed_cache("gazetteer.csv")
def _gazetteer() -> dict:
    rows = _read_table("gazetteer.csv")
    by_name: dict[str, list[dict]] = collections.defaultdict(list)
    by_alias: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        stem = next((r["name"][:-len(s)] for s in _SUFFIXES if r["name"].endswith(s)), r["name"])
        r["weak"] = stem in _GENERIC_STEMS or len(stem) < 2
        by_name[r["name"]].append(r)
    for r in rows:
        a = _alias(r["name"], r["level"])
        if a and a not in by_name:
            by_alias[a].append(r)
    # current divisions first; a former name only where no current division has it
    for table in (by_name, by_alias):
        for k, v in table.items():
            cur = [r for r in v if r["status"] == "current"]
            table[k] = cur or v
    ends = {n[-1] for n in by_name}
    max_len = max(map(len, by_name))
    # short forms of the divisions that are parents (provinces, prefectures): what resolves a shared name
    parent_aliases = {a for a, v in by_alias.items() if any(r["level"] != "county" for r in v)}
    alias_rx = re.compile("|".join(sorted(map(re.escape, parent_aliases), key=len, reverse=True)))
    return {"by_name": dict(by_name), "by_alias": dict(by_alias), "ends": ends, "max_len": max_len,
            "alias_rx": alias_rx}


def _find_names(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping full division names in ``text``, longest first: ``(start, end, name)``."""
    gz = _gazetteer()
    by_name, ends, max_len = gz["by_name"], gz["ends"], gz["max_len"]
    found = []
    i = len(text)
    while i > 0:
        if text[i - 1] in ends:
            for n in range(min(max_len, i), 1, -1):
                if text[i - n:i] in by_name:
                    found.append((i - n, i, text[i - n:i]))
                    i -= n
                    break
            else:
                i -= 1
        else:
            i -= 1
    return found[::-1]


_LEVEL_WORD = {"省": "省", "自治区": "省", "市": "市", "州": "市", "盟": "市", "地区": "市", "区": "区",
               "林区": "区", "新区": "区", "县": "县", "旗": "县", "自治县": "县", "自治旗": "县"}


def _level_word(name: str, level: str) -> str:
    if level == "province":
        return "省"
    for s in ("自治区", "自治县", "自治旗", "林区", "新区", "地区", "省", "市", "州", "盟", "区", "县", "旗"):
        if name.endswith(s):
            return _LEVEL_WORD[s]
    return "市"


_DEPTH = {"province": 0, "prefecture": 1, "county": 2}


def _ancestors(r: dict) -> set[str]:
    return {x for x in (r["province"], r["prefecture"]) if x}


def _entry_label(r: dict) -> str:
    return "".join(x for x in (r["province"], r["prefecture"], r["name"]) if x)


def infer_place(title: str, text: str, source_file: str | None = None) -> dict:
    """Return where a document comes from: place, admin level and its province/prefecture/county.

    Full division names (any length: 乌鲁木齐市, 包河区, 延边朝鲜族自治州) are
    looked up in ``gazetteer.csv``; short forms (合肥, 广西) only support a name
    found in full or name a folder. A name shared by several divisions (朝阳区
    in Beijing and Changchun; 鼓楼区 in four cities) is resolved only by context:
    a parent named in the text, the title or the folders. Otherwise it stays
    ambiguous: the columns its candidates agree on are filled, the others left
    empty, and ``place_evidence`` says so. The place is the division written
    right before the bureau's name (``包河区科技局``) in the title, opening or
    signature, else the one named in the file's folders, else the division the
    text names most (at least twice), preferring the level the text calls
    itself (``我市``/``全区``).

    Parameters
    ----------
    title, text : str
    source_file : str, optional
        The file's path relative to the raw folder; folder names and the file
        name are read as places (``浙江/杭州/report.txt``).

    Returns
    -------
    dict
        ``admin_level`` (省/市/区/县 as the text calls itself, else from the
        place's name), ``place``, ``province``, ``prefecture``, ``county``
        (None where unknown) and ``place_evidence`` (str).

    Examples
    --------
    >>> from bureau_rhetoric.describe import infer_place
    >>> r = infer_place("市科技局工作总结", "石家庄市科技局召开会议,石家庄市委高度重视。")
    >>> r["admin_level"], r["place"], r["province"], r["prefecture"], r["county"]
    ('市', '石家庄市', '河北省', '石家庄市', None)
    >>> r = infer_place("区科技局年终总结", "朝阳区科技局推进科普。朝阳区委高度重视。")
    >>> r["place"], r["province"], r["place_evidence"].split(";")[0]
    ('朝阳区', None, 'ambiguous: 朝阳区 is 北京市朝阳区 or 吉林省长春市朝阳区')
    >>> infer_place("区科技局年终总结", "朝阳区科技局推进科普。朝阳区委高度重视。", "raw/吉林/report.txt")["prefecture"]
    '长春市'
    >>> infer_place("科技工作总结", "加强创新。")["place"] is None
    True
    """
    gz = _gazetteer()
    by_name, by_alias = gz["by_name"], gz["by_alias"]
    body = text or ""
    opening, signature = body[:80], body[-150:]
    # --- self-designation: 市科技局 in the title, else the most frequent 我市/全区/本县
    level = None
    m = re.search(r"(省|市|区|县|州|旗)(?:人民政府)?[\u4e00-\u9fff]{0,12}?(?:局|委员会|委|厅|办公室)", title or "")
    if m and (m.start() == 0 or not re.match(r"[\u4e00-\u9fff]", title[m.start() - 1])):
        level = m.group(1)
    if level is None:
        c = collections.Counter(re.findall(r"(?:我|全|本)(省|市|区|县)", body))
        if c:
            level = c.most_common(1)[0][0]
    level = {"州": "市", "旗": "县"}.get(level, level)

    # --- mentions: full names (title, text, path), then short forms in what is left
    path_parts = []
    if source_file:
        p = PurePath(str(source_file).replace("\\", "/"))
        path_parts = [*p.parts[:-1], p.stem]
        path_parts = [x for x in path_parts if x not in ("raw", "data", ".", "..")]
    sources = {"title": title or "", "text": body, "path": "\n".join(path_parts)}
    full: dict[str, collections.Counter] = {k: collections.Counter() for k in sources}
    bureau_adjacent: collections.Counter = collections.Counter()
    parent_before: dict[str, set] = collections.defaultdict(set)
    masked = {}
    bureau_rx = _bureau_tail_rx()
    for where, s in sources.items():
        names = _find_names(s)
        chars = list(s)
        prev_end, prev_name = -1, None
        for a, b, name in names:
            if prev_end == a and prev_name:
                parent_before[name].add(prev_name)
            prev_end, prev_name = b, name
            weak = all(r["weak"] for r in by_name[name])
            if weak and not parent_before[name]:
                continue
            full[where][name] += 1
            if bureau_rx.match(s, b) and (where != "text" or a < 80 or a >= len(s) - 150):
                bureau_adjacent[name] += 1
            for k in range(a, b):
                chars[k] = "\0"
        masked[where] = "".join(chars)
    # path components that are a short form alone (浙江/杭州) count as the division named
    for part in path_parts:
        if part in by_alias:
            full["path"][part] += 1
    alias_hits: collections.Counter = collections.Counter()
    if any(len(by_name.get(n) or by_alias.get(n) or []) > 1 for c in full.values() for n in c):
        for where, s in masked.items():  # only a shared name needs its parents' short forms
            for m in gz["alias_rx"].finditer(s):
                alias_hits[m.group(0)] += 1
    named = set().union(*[set(c) for c in full.values()]) | set(alias_hits)

    def entries(name):
        return by_name.get(name) or by_alias.get(name) or []

    def mentioned(x, lvl):
        return bool(x) and (x in named or _alias(x, lvl) in named)

    # --- resolve each name to one division where the context allows
    resolved, ambiguous = {}, {}
    for name in set().union(*[set(c) for c in full.values()]):
        cands = entries(name)
        if len(cands) == 1:
            resolved[name] = cands[0]
            continue
        # the most specific parent named decides: 南京 picks one 鼓楼区, 江苏 leaves two
        rank = {id(r): max(2 * (mentioned(r["prefecture"], "prefecture") or r["prefecture"] in parent_before[name]),
                           1 * (mentioned(r["province"], "province") or r["province"] in parent_before[name]))
                for r in cands}
        top = max(rank.values())
        support = [r for r in cands if rank[id(r)] == top]
        if len(support) == 1 and top > 0:
            resolved[name] = support[0]
        else:
            ambiguous[name] = support

    # --- choose the document's own place
    def score(name):
        n_full = full["title"][name] + full["text"][name]
        return (bureau_adjacent[name] > 0, full["path"][name] > 0,
                n_full >= 2 and level is not None and _level_word(name, entries(name)[0]["level"]) == level,
                n_full, _DEPTH[entries(name)[0]["level"]], name)

    # ties go to the more specific division (浙江/杭州/…: 杭州), then by name: no dependence on set order
    ranked = sorted(set(resolved) | set(ambiguous), key=score, reverse=True)
    ranked = [n for n in ranked if bureau_adjacent[n] or full["path"][n]
              or full["title"][n] + full["text"][n] >= 2]
    out = {"admin_level": level, "place": None, "province": None, "prefecture": None, "county": None,
           "place_evidence": "no division named in the title, the text (twice) or the folders"}
    # a division above the level the text calls itself (广东省 in a 我市 report) is a parent, not the place
    parents = [n for n in ranked if level and not bureau_adjacent[n] and not full["path"][n]
               and _DEPTH[entries(n)[0]["level"]] < {"省": 0, "市": 1}.get(level, 2)]
    ranked = [n for n in ranked if n not in parents]
    if not ranked:
        if parents and parents[0] in resolved:
            r = resolved[parents[0]]
            out.update({k: v for k, v in _columns(r).items() if k != "county"})
            out["place_evidence"] = (f"only {_entry_label(r)} named, above the {level} level the text "
                                     f"calls itself: a parent, the place itself is not named")
        return out
    name = ranked[0]
    how = ("named before the bureau" if bureau_adjacent[name] else "named in the folders" if full["path"][name]
           else f"named {full['title'][name] + full['text'][name]} times")
    if name in resolved:
        r = resolved[name]
        cols = _columns(r)
        out.update(cols, place=r["name"], place_evidence=f"{_entry_label(r)} ({how}, {r['code']}"
                                                            f"{', former name' if r['status'] == 'former' else ''})")
    else:
        cands = ambiguous[name]
        colsets = [_columns(r) for r in cands]
        agreed = {k: colsets[0][k] for k in colsets[0] if all(c[k] == colsets[0][k] for c in colsets)}
        out.update(agreed, place=name,
                   place_evidence=f"ambiguous: {name} is " + " or ".join(_entry_label(r) for r in cands)
                   + f"; no parent named nearby ({how})")
    if out["admin_level"] is None:
        out["admin_level"] = _level_word(name, entries(name)[0]["level"])
    return out


def _columns(r: dict) -> dict:
    if r["level"] == "province":
        return {"province": r["name"], "prefecture": None, "county": None}
    if r["level"] == "prefecture":
        return {"province": r["province"] or None, "prefecture": r["name"], "county": None}
    return {"province": r["province"] or None, "prefecture": r["prefecture"] or None, "county": r["name"]}


# ----------------------------------------------------------------------------- bureau


@keyed_cache("bureaus.csv")
def _bureaus() -> tuple[dict, re.Pattern]:
    rows = _read_table("bureaus.csv")
    table = {r["surface"]: r for r in rows}
    rx = re.compile("|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))
    return table, rx


@keyed_cache("bureaus.csv")
def _bureau_tail_rx() -> re.Pattern:
    table, _ = _bureaus()
    return re.compile(r"(?:人民政府)?(?:%s)" % "|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)))


#: after a department's name: the line addresses it (称谓), it is not the writer
_ADDRESSEE = re.compile(r"[ \t]*[:：]")
#: around a department's name: the text refers to it (根据…要求, 在…指导下), it is not the writer
_REFERENCE_BEFORE = re.compile(r"(?:根据|按照|依据|对|向|配合|联合|协助|会同|受|经|在|由|和|与)[\u4e00-\u9fff]{0,6}$")
_REFERENCE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:会议|精神|要求|部署|文件|通知|指导|批准|安排|领导下|评议)")


def _is_reference(text: str, start: int, end: int) -> bool:
    """True when a department named in the opening is cited (根据市人大常委会…), not writing."""
    return bool(_REFERENCE_BEFORE.search(text, max(0, start - 10), start)
                or _REFERENCE_AFTER.match(text, end))


def _signature_start(text: str, *, max_line: int = 40, max_lines: int = 4) -> int:
    """Offset where the signature starts: the trailing run of short lines (name, date), else len(text)."""
    end = len(text.rstrip())
    start = end
    for _ in range(max_lines):
        k = text.rfind("\n", 0, start - 1) + 1 if start > 0 else 0
        line = text[k:start].strip()
        if not line or len(line) > max_line or k == 0:
            break
        start = k
    return start if start < end else len(text)


def infer_bureau(title: str, text: str) -> tuple[str | None, str, str]:
    """Return ``(bureau, how, science)``: which department wrote the document, from ``bureaus.csv``.

    A department named in the signature (the trailing short lines: name and
    date) counts 3, in
    the opening (first 80 characters) 2 unless it is addressed (``市人大常委会:``)
    or cited (``根据…``, ``…会议精神``, ``在…指导下``), in the title 1 (content
    farms put 科技局 in every title), and elsewhere 0.5 a mention up to 1 (a
    report names the departments it worked with). The canonical name with the
    most weight wins; ``how`` is ``"signature"``, ``"opening"``, ``"title"``,
    ``"body"`` or ``"none"``; ``science`` is ``yes``/``no``/``mixed`` (``""``
    when none).

    Parameters
    ----------
    title, text : str

    Returns
    -------
    tuple of (str or None, str, str)

    Examples
    --------
    >>> from bureau_rhetoric.describe import infer_bureau
    >>> infer_bureau("科技局工作总结", "今年全县公路建设进展顺利。\\n县交通运输局\\n2019年12月")
    ('交通运输局', 'signature', 'no')
    >>> infer_bureau("县科学技术和工业信息化局2020年工作总结", "一年来,我局推进科技创新。")
    ('科技和工业信息化局', 'title', 'yes')
    """
    table, rx = _bureaus()
    weight: collections.Counter = collections.Counter()
    how: dict[str, str] = {}
    first: dict[str, int] = {}
    body = text or ""

    def add(canon, w, where, pos):
        weight[canon] += w
        if where in ("signature", "opening") or canon not in how:
            how[canon] = where if how.get(canon) not in ("signature",) else how[canon]
        first.setdefault(canon, pos)

    for m in rx.finditer(title or ""):
        add(table[m.group(0)]["bureau"], 1.0, "title", -1)
    sig_start = _signature_start(body)
    body_count: collections.Counter = collections.Counter()
    for m in rx.finditer(body):
        canon = table[m.group(0)]["bureau"]
        if _ADDRESSEE.match(body, m.end()):
            continue  # "市人大常委会:" heads a report as its addressee, not its writer
        if m.start() >= sig_start:
            add(canon, 3.0, "signature", m.start())
        elif m.start() < 80 and not _is_reference(body, m.start(), m.end()):
            add(canon, 2.0, "opening", m.start())
        elif body_count[canon] < 2:
            body_count[canon] += 1
            add(canon, 0.5, "body", m.start())
    if not weight:
        return None, "none", ""
    best = sorted(weight, key=lambda c: (-weight[c], first[c]))[0]
    science = next(r["science"] for r in table.values() if r["bureau"] == best)
    return best, how[best], science


# ----------------------------------------------------------------------------- on topic


@keyed_cache("on_topic.csv")
def _topic_terms() -> tuple:
    return tuple((r["term"], r["domain"], float(r["weight"])) for r in _read_table("on_topic.csv"))


def score_on_topic(text: str, title: str = "", *, min_other_weight: float = 6.0) -> tuple[bool, float, str]:
    """Score whether a document is a science & technology bureau's own report: bureau, then subject.

    The subject score ``p`` is the share of weighted 科技 keywords among all
    subject keywords (``on_topic.csv``; 0.5 when none occurs). When a
    department names itself in the signature or the opening
    (:func:`infer_bureau`), it decides: a science bureau's report is on topic
    whatever it is about (its website, roads to its science park, digitising
    relics), score ``0.75 + 0.25 p``; another department's is off, score
    ``0.25 p``. Otherwise the subject decides, nudged by a department named
    only in the title (+0.1 for a science bureau: content farms put 科技局 in
    every title; -0.3 for another one) or in the body; a document stays on
    topic unless its score is under 0.5 *and* other departments' keywords
    weigh at least ``min_other_weight`` (one passing mention of 公路 does not
    make a transport report), or another department is named in its title.

    Parameters
    ----------
    text : str
    title : str, optional
    min_other_weight : float, default 6.0

    Returns
    -------
    tuple of (bool, float, str)
        ``on_topic``, ``score`` in [0, 1] and a reason naming the bureau and
        the keywords that decided.

    Examples
    --------
    >>> from bureau_rhetoric.describe import score_on_topic
    >>> score_on_topic("我局门户网站改版上线,栏目更新及时。\\n市科技局")[:2]
    (True, 0.875)
    >>> score_on_topic("完成公路通畅项目,路面硬化,公路养护。", "科技局工作总结")[:2]
    (False, 0.1)
    >>> score_on_topic("加强科技创新,高新技术企业增加。")[:2]
    (True, 1.0)
    """
    hits = collections.Counter()
    weighted = collections.Counter()
    subject = _bureaus()[1].sub("\0", text)  # a department's name is not its subject (科技局 ≠ 科技)
    for term, domain, weight in _topic_terms():
        n = subject.count(term)
        if n:
            hits[(domain, term)] += n
            weighted[domain] += n * weight
    total = sum(weighted.values())
    p = weighted["科技"] / total if total else 0.5
    other = {d: w for d, w in weighted.items() if d != "科技"}
    other_weight = sum(other.values())
    top = ", ".join(f"{t}×{n}" for (d, t), n in hits.most_common(6)) or "no subject keywords"
    bureau, how, science = infer_bureau(title, text)
    if how in ("signature", "opening") and science in ("yes", "no"):
        on = science == "yes"
        score = 0.75 + 0.25 * p if on else 0.25 * p
        return on, round(score, 3), (f"written by {bureau} ({how}), {'an S&T' if on else 'not an S&T'} "
                                     f"department; subject {p:.2f} 科技: {top}")
    prior = 0.0
    if how in ("title", "body") and science == "yes":
        prior = 0.1
    elif how in ("title", "body") and science == "no":
        prior = -0.3 if how == "title" else -0.1
    score = min(1.0, max(0.0, p + prior))
    named = f"{bureau} named in the {how}" if bureau else "no department named"
    if score >= 0.5:
        on = True
        reason = f"subject reads as 科技 ({score:.2f}; {named}): {top}"
    elif how == "title" and science == "no":
        on = False
        reason = f"{named}, subject not 科技 ({score:.2f}): {top}"
    elif other_weight < min_other_weight:
        on = True
        reason = f"few other-field keywords (weight {other_weight:g} < {min_other_weight:g}; {named}); kept: {top}"
    else:
        on = False
        dom = max(other, key=other.get)
        reason = f"subject reads as {dom} ({1 - p:.2f} of keyword weight; {named}): {top}"
    return on, round(score, 3), reason


def describe_document(title: str, text: str, source_file: str | None = None) -> dict:
    """Return every descriptive column of one document (:data:`DESCRIBE_COLUMNS`).

    Parameters
    ----------
    title, text : str
    source_file : str, optional
        Path relative to the raw folder (folders may name places).

    Returns
    -------
    dict

    Examples
    --------
    >>> from bureau_rhetoric.describe import describe_document
    >>> d = describe_document("工作总结", "全市公路养护里程增加,路面硬化。\\n连云港市交通运输局", "江苏/x.txt")
    >>> d["place"], d["province"], d["bureau"], d["on_topic"]
    ('连云港市', '江苏省', '交通运输局', False)
    """
    out = infer_place(title, text, source_file)
    bureau, _, _ = infer_bureau(title, text)
    on, score, reason = score_on_topic(text, title)
    out.update(bureau=bureau, on_topic=on, on_topic_score=score, on_topic_reason=reason)
    return out
