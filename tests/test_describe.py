"""Place (gazetteer), bureau and on-topic: unit cases and the independent evaluation set.

``tests/data/bureau_reports.jsonl`` holds 46 short reports written for this test (not taken
from data/raw), for 25 departments in 20 fields, labelled by hand with bureau, on_topic and place.
It was committed before the rules were measured on it and is never used to choose them;
``benchmarks/bench_describe.py`` prints the same figures beside those on the seed corpus.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from bureau_rhetoric import describe, lexicons
from bureau_rhetoric.config import PACKAGE_DATA_DIR
from bureau_rhetoric.corpus import build_corpus, build_corpus_tables, write_corpus

EVAL = Path(__file__).parent / "data" / "bureau_reports.jsonl"
REPO = Path(__file__).resolve().parents[1]


def _gazetteer_rows():
    with open(PACKAGE_DATA_DIR / "gazetteer.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


def test_gazetteer_parents_and_integrity():
    rows = _gazetteer_rows()
    by = {}
    for r in rows:
        by.setdefault(r["name"], []).append(r)
    assert len({(r["code"], r["name"]) for r in rows}) == len(rows)
    assert sum(r["level"] == "province" for r in rows) == 34
    assert 330 <= sum(r["level"] == "prefecture" and r["status"] == "current" for r in rows) <= 345
    assert 2800 <= sum(r["level"] == "county" and r["status"] == "current" for r in rows) <= 3100
    names = {r["name"] for r in rows}
    for r in rows:  # every parent is a listed division
        assert not r["province"] or r["province"] in names
        assert not r["prefecture"] or r["prefecture"] in names
    (bh,) = by["包河区"]
    assert (bh["prefecture"], bh["province"], bh["level"]) == ("合肥市", "安徽省", "county")
    (zjg,) = by["张家港市"]
    assert (zjg["prefecture"], zjg["province"]) == ("苏州市", "江苏省")
    assert by["乌鲁木齐市"][0]["province"] == "新疆维吾尔自治区"
    assert len(by["鼓楼区"]) == 4 and {r["prefecture"] for r in by["朝阳区"]} == {"", "长春市"}


@pytest.mark.parametrize("name, province, prefecture, county", [
    ("石家庄市", "河北省", "石家庄市", None),
    ("哈尔滨市", "黑龙江省", "哈尔滨市", None),
    ("连云港市", "江苏省", "连云港市", None),
    ("乌鲁木齐市", "新疆维吾尔自治区", "乌鲁木齐市", None),
    ("张家港市", "江苏省", "苏州市", "张家港市"),
    ("包河区", "安徽省", "合肥市", "包河区"),
    ("延边朝鲜族自治州", "吉林省", "延边朝鲜族自治州", None),
])
def test_place_names_of_any_length(name, province, prefecture, county):
    r = describe.infer_place("科技局工作总结", f"{name}科技局全年推进科技创新。{name}专利增长。")
    assert (r["place"], r["province"], r["prefecture"], r["county"]) == (name, province, prefecture, county)


def test_ambiguous_names_resolved_by_context_or_left_ambiguous():
    text = "朝阳区科技局推进科普。朝阳区委高度重视。"
    r = describe.infer_place("区科技局工作总结", text)
    assert r["place"] == "朝阳区" and r["province"] is None and r["prefecture"] is None
    assert r["place_evidence"].startswith("ambiguous")
    assert describe.infer_place("", "北京市" + text)["province"] == "北京市"
    assert describe.infer_place("", text, "吉林/长春/2019.txt")["prefecture"] == "长春市"
    assert describe.infer_place("", "朝阳市科技局。朝阳市科普。")["province"] == "辽宁省"
    # 鼓楼区: two of four in 江苏: the province they agree on is filled, the city is not guessed
    r = describe.infer_place("", "鼓楼区科技局。鼓楼区创新。", "江苏/report.txt")
    assert (r["province"], r["prefecture"], r["county"]) == ("江苏省", None, "鼓楼区")
    r = describe.infer_place("", "南京市鼓楼区科技局。鼓楼区创新。")
    assert (r["province"], r["prefecture"]) == ("江苏省", "南京市")


def test_place_from_folders_and_no_place_from_passing_mentions():
    r = describe.infer_place("市科技局工作总结", "全市新增高新技术企业。", "浙江/杭州/总结.txt")
    assert (r["place"], r["province"]) == ("杭州市", "浙江省")
    r = describe.infer_place("市科技局工作总结", "我市组团赴苏州市考察学习。")  # once, not the bureau's place
    assert r["place"] is None and r["admin_level"] == "市"
    assert describe.infer_place("", "全区城区道路改造。")["place"] is None  # 城区 is also a word
    # a province named often in a city's report is its parent, not its place
    r = describe.infer_place("市科技局工作总结", "我市获广东省科技进步奖3项，广东省重点项目2项。")
    assert (r["place"], r["province"], r["admin_level"]) == (None, "广东省", "市")


def test_bureau_longest_name_and_writer_not_addressee():
    assert describe.infer_bureau("", "我县推进科技创新。\n县科技和工业信息化局")[0] == "科技和工业信息化局"
    assert describe.infer_bureau("", "我局推进道路养护。\n县交通运输局")[0] == "交通运输局"
    b, how, _ = describe.infer_bureau("科技局工作汇报", "市人大常委会：\n现将我局工作报告如下。\n市科技局")
    assert (b, how) == ("科学技术局", "signature")
    with open(PACKAGE_DATA_DIR / "bureaus.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))
    assert {r["science"] for r in rows} == {"yes", "no", "mixed"}
    assert len({r["surface"] for r in rows}) == len(rows)
    topic_domains = {r["domain"] for r in describe._read_table("on_topic.csv")}
    assert topic_domains <= {r["domain"] for r in rows}


def test_science_bureau_reports_on_other_subjects_stay_on_topic():
    cases = ["我局门户网站改版，发布信息1260条，网站安全防护加强。\n市科技局",
             "协调建设科技园连接线道路3公里，路面拓宽，桥梁1座，公路养护。\n县科学技术局",
             "开展文物数字化保护，对不可移动文物三维扫描，建成文物数字档案库。\n市科学技术局"]
    for text in cases:
        on, score, reason = describe.score_on_topic(text, "科技局工作总结")
        assert on and score >= 0.75 and "科学技术局" in reason
    on, score, _ = describe.score_on_topic("公路养护，路面硬化，客运通达。\n县交通运输局", "科技局工作总结")
    assert not on and score < 0.25
    # a body overseeing every field: the subject decides
    assert describe.score_on_topic("县人大常委会将对县科技局科技创新、成果转化、专利工作开展评议。", "")[0]
    assert not describe.score_on_topic("县人大常委会将对县交通运输局公路养护、客运和路面工作开展评议。", "")[0]


def _evaluate():
    rows = [json.loads(ln) for ln in EVAL.read_text(encoding="utf-8").splitlines() if ln.strip()]
    tp = fp = fn = 0
    placed = right = 0
    for r in rows:
        d = describe.describe_document(r["title"], r["text"], r["source_path"] or None)
        tp += r["on_topic"] and d["on_topic"]
        fp += (not r["on_topic"]) and d["on_topic"]
        fn += r["on_topic"] and not d["on_topic"]
        if r["place"]:
            placed += 1
            right += d["place"] == r["place"] and all((d[k] or "") == r[k] for k in ("province", "prefecture", "county"))
    return rows, tp / (tp + fp), tp / (tp + fn), right / placed


def test_evaluation_set_floors():
    rows, precision, recall, place_recall = _evaluate()
    assert len(rows) >= 40 and len({r["bureau"] for r in rows if r["bureau"]}) >= 10
    assert precision >= 0.9 and recall >= 0.9
    assert place_recall >= 0.85


def _lexicon_folder(tmp_path):
    d = tmp_path / "lex"
    d.mkdir()
    (d / "bureaus.csv").write_text("surface,bureau,domain,science\n科技局,科技局,科技,no\n", encoding="utf-8")
    return d


def test_lexicon_folder_overrides_the_shipped_ones(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir(parents=True)
    (raw / "000_a.txt").write_text("市科技局工作总结\n全市推进科技创新。\n杭州市科技局", encoding="utf-8")
    shipped = build_corpus(tmp_path / "raw")
    assert shipped.loc[0, "on_topic"] and shipped.loc[0, "place"] == "杭州市"
    lex = _lexicon_folder(tmp_path)
    docs, _, summary = build_corpus_tables(tmp_path / "raw", lexicons=lex)
    assert not docs.loc[0, "on_topic"]  # the user's list says 科技局 is not an S&T department
    assert summary["lexicons"]["bureaus.csv"] == lexicons.hash_file(lex / "bureaus.csv")
    # edited in place: the loaders are keyed by content, not by file name
    (lex / "bureaus.csv").write_text("surface,bureau,domain,science\n科技局,科技局,科技,yes\n", encoding="utf-8")
    assert build_corpus(tmp_path / "raw", lexicons={"bureaus.csv": lex / "bureaus.csv"}).loc[0, "on_topic"]
    paths = write_corpus(tmp_path / "raw", tmp_path / "out", lexicons=lex)
    summary = json.loads(paths["summary"].read_text(encoding="utf-8"))
    assert summary["lexicons"]["bureaus.csv"] == lexicons.hash_file(lex / "bureaus.csv")
    assert summary["lexicon_paths"]["bureaus.csv"] == str((lex / "bureaus.csv").resolve())
    assert build_corpus(tmp_path / "raw").loc[0, "on_topic"]  # and the shipped ones are back after


def test_lexicon_folder_with_unknown_name_is_an_error(tmp_path):
    (tmp_path / "bureau.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bureau.csv is not a shipped lexicon"):
        lexicons.resolve_lexicons(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        lexicons.resolve_lexicons(tmp_path / "missing")


def test_every_lexicon_header_states_source_and_an_existing_test():
    for name in lexicons.list_lexicons():
        if name == "README.md":
            continue
        text = (PACKAGE_DATA_DIR / name).read_text(encoding="utf-8")
        if name.endswith(".json"):  # a JSON data file carries its header as an "about" object
            about = json.loads(text)["about"]
            head = f"Source: {about['source']}\n{about['checked_by']}" if "source" in about else ""
        else:
            head = "".join(ln for ln in text.splitlines(True)[:30] if ln.startswith("#"))
        assert re.search(r"Source", head), f"{name}: header states no source"
        cited = re.findall(r"tests/[\w/]+\.(?:py|jsonl|csv)", head)
        assert cited, f"{name}: header names no test"
        for c in cited:
            assert (REPO / c).is_file(), f"{name}: header cites {c}, which does not exist"


def test_a_partition_worker_reads_the_lexicons_it_is_given(tmp_path):
    """What a Dask or spawned worker gets: no inherited state, only build_partition's arguments."""
    import pandas as pd

    from bureau_rhetoric.corpus import build_partition

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "000_a.txt").write_text("市科技局工作总结\n全市推进科技创新。\n杭州市科技局", encoding="utf-8")
    lex = lexicons.resolve_lexicons(_lexicon_folder(tmp_path))
    part = tmp_path / "part"
    part.mkdir()
    out = build_partition([raw / "000_a.txt"], part, 0, root=raw, lexicons=lex)
    docs = pd.read_parquet(out["docs"])
    assert not docs.loc[0, "on_topic"] and docs.loc[0, "place"] == "杭州市"
    out = build_partition([raw / "000_a.txt"], part, 1, root=raw)
    assert pd.read_parquet(out["docs"]).loc[0, "on_topic"]
