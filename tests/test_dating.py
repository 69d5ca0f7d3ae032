"""Dating: lexicons well formed, each rule does what the docs say, calibration thresholds."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from bureau_rhetoric import dating
from bureau_rhetoric.dating import bin_by_period, date_corpus, filter_by_confidence, fyp_period, infer_year
from bureau_rhetoric.dating_calibration import make_synthetic_reports, mask_corpus, mask_years, score_dating
from bureau_rhetoric.lexicons import lexicon_hashes, lexicon_path


def _rows(name: str) -> list[dict]:
    path = lexicon_path(name)
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t" if name.endswith(".tsv") else ","))


# ----------------------------------------------------------------------------- lexicons

def test_dated_terms_well_formed():
    rows = _rows("dated_terms.csv")
    assert len(rows) >= 60
    surfaces = []
    for r in rows:
        where = f"dated_terms.csv term {r['term']!r}"
        assert r["term"], where
        fy = int(r["first_year"])
        assert 1949 <= fy <= 2030, where
        if r["first_month"]:
            assert 1 <= int(r["first_month"]) <= 12, where
        if r["last_year"]:
            assert fy <= int(r["last_year"]) <= 2030, where
        assert r["strength"] in ("hard", "soft"), where
        assert r["category"] and r["gloss_en"], where
        # a citable source with its year
        assert re.search(r"(19|20)[0-9]{2}", r["source"]), where
        if r["replaced_by"]:
            assert r["last_year"], f"{where}: replaced_by needs last_year"
        surfaces += [r["term"]] + [v for v in r["variants"].split("|") if v]
    dupes = sorted({s for s in surfaces if surfaces.count(s) > 1})
    assert not dupes, f"terms or variants listed twice: {dupes}"
    assert all(s.strip() == s and s for s in surfaces)


def test_key_terms_have_the_documented_years():
    by_term = {r["term"]: r for r in _rows("dated_terms.csv")}
    expect = {"科学发展观": ("2003", "2012"), "全面建成小康社会": ("2012", "2021"), "新质生产力": ("2023", ""),
              "供给侧结构性改革": ("2015", ""), "高质量发展": ("2017", ""), "众创空间": ("2015", ""),
              "八项规定": ("2012", ""), "科技自立自强": ("2020", ""), "大众创业、万众创新": ("2014", "")}
    for term, (fy, ly) in expect.items():
        assert (by_term[term]["first_year"], by_term[term]["last_year"]) == (fy, ly), term
    assert by_term["全面建设小康社会"]["replaced_by"] == "全面建成小康社会"


def test_fyp_table_is_complete_and_ordered():
    rows = sorted(_rows("fyp.csv"), key=lambda r: int(r["start"]))
    names = [r["name"] for r in rows]
    assert names == ["一五", "二五", "三五", "四五", "五五", "六五", "七五", "八五", "九五", "十五",
                     "十一五", "十二五", "十三五", "十四五", "十五五"]
    assert (int(rows[0]["start"]), int(rows[-1]["end"])) == (1953, 2030)
    for a, b in zip(rows, rows[1:]):
        gap = (int(a["end"]), int(b["start"]))
        # the only gap is the 1963-65 readjustment between 二五 and 三五
        assert int(b["start"]) == int(a["end"]) + 1 or gap == (1962, 1966), gap
    for r in rows:
        assert int(r["end"]) - int(r["start"]) == 4
        assert int(r["start"]) - 2 <= int(r["named_from"]) < int(r["start"])
        # naming convention: 计划 until 十五, 规划 from 十一五
        assert r["kind"] == ("计划" if int(r["start"]) <= 2001 else "规划"), r["name"]
        assert r["full_name"].endswith(r["kind"])
    assert [fyp_period(y) for y in (1953, 1962, 1964, 1966, 1985, 1986, 1990)] == \
        ["一五", "二五", None, "三五", "六五", "七五", "七五"]


def test_older_plan_names_date_a_report():
    est = infer_year("工作要点", "全县科技工作要围绕“七五”计划的实施，组织实施星火计划。")
    assert est.year_lo == 1984
    full = infer_year("工作总结", "在第六个五年计划期间，全县科技工作取得进展。")
    assert full.year_lo == 1979
    # two-character names are also numbers: no plan without a quote or a plan word
    assert infer_year("讲话", "大家三五成群地讨论。").confidence == "none"


def test_bin_by_period_orders_by_start_including_older_plans():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "year": [1987, 2012], "year_lo": [1987, 2012],
                         "year_hi": [1987, 2012]}).astype({"year": "Int64", "year_lo": "Int64", "year_hi": "Int64"})
    cats = list(bin_by_period(docs)["period"].cat.categories)
    assert cats[:3] == ["一五", "二五", "三五"] and cats.index("七五") < cats.index("十二五")
    assert bin_by_period(docs)["period"].tolist() == ["七五", "十二五"]


def test_masked_evidence_never_gives_high_confidence():
    texts = ["20XX年，我局推进众创空间建设。截至20XX年底，全市有高新技术企业100家。今年（2016年）是十三五开局之年。",
             "2015年，我局推进众创空间建设。去年（20xx年）我局学习党的xx届四中全会精神。",
             "XX年工作总结。2015年，我局落实大众创业、万众创新。"]
    for text in texts:
        est = infer_year("工作总结", text)
        assert "masked" in est.describe()
        assert est.confidence != "high", est.describe()


def test_gongtong_fuyu_xianxingqu_is_not_a_variant():
    row = next(r for r in _rows("dated_terms.csv") if r["term"] == "共同富裕示范区")
    assert "共同富裕先行区" not in row["variants"].split("|")


def test_congresses_in_order():
    rows = _rows("congresses.csv")
    by_term: dict[int, list] = {}
    for r in rows:
        by_term.setdefault(int(r["term"]), []).append((int(r["plenum"]), int(r["year"]), int(r["month"])))
        assert 1949 <= int(r["year"]) <= 2030
    for term, items in by_term.items():
        items.sort()
        dates = [(y, m) for _, y, m in items]
        assert dates == sorted(dates), f"dates of the {term}th Central Committee out of order"
    years = {r["name"]: int(r["year"]) for r in rows}
    assert (years["十八大"], years["十九届五中全会"], years["二十大"]) == (2012, 2020, 2022)


def test_office_holders_tenures():
    for r in _rows("office_holders.csv"):
        assert 1949 <= int(r["start"]) <= 2030
        if r["end"]:
            assert int(r["start"]) <= int(r["end"]) <= 2030, r


def test_cues_compile_and_lexicons_hash():
    rows = _rows("dating_cues.tsv")
    for r in rows:
        re.compile(r["pattern"])
        assert r["side"] in ("left", "right", "text")
    assert set(lexicon_hashes(dating.DATING_LEXICONS)) == set(dating.DATING_LEXICONS)


# ----------------------------------------------------------------------------- rules

def test_jinnian_and_qunian_name_the_year():
    assert infer_year("工作总结", "今年（2015年）以来，我局扎实推进各项工作。").year == 2015
    est = infer_year("述职报告", "去年（2014年），我局认真履职，完成了各项任务。")
    assert est.year == 2014


def test_review_and_plan_document_dates_to_the_reviewed_year():
    est = infer_year("科技局2015年工作总结和2016年工作计划",
                     "一、2015年工作回顾\n2015年，我局推进众创空间建设。\n二、2016年工作计划\n2016年，我局将继续努力。")
    assert (est.year, est.confidence) == (2015, "high")


def test_pure_plan_dates_to_its_plan_year():
    est = infer_year("科技局2016年工作要点", "2016年全市科技工作的总体思路是：坚持创新驱动发展战略。")
    assert est.year == 2016


def test_new_year_speech_dates_to_the_year_reviewed():
    text = ("同志们：今天召开会议，总结去年工作，部署今年任务。过去的一年，全局工作取得新成效。"
            "今年是“十三五”规划的开局之年，今年要突出抓好平台建设。")
    est = infer_year("在全市科技工作会议上的讲话", text)
    assert est.year == 2015
    assert "reviews" in est.describe()


def test_plan_names_bound_with_lead_time():
    est = infer_year("科技局工作总结", "我局积极谋划“十四五”科技创新规划。")
    assert est.year is None and est.year_lo == 2019
    assert infer_year("总结", "深入实施“十二五”科技发展规划。").year_lo == 2009


def test_shouguan_zhinian_marks_the_last_plan_year():
    est = infer_year("科技局工作总结", "今年以来，我局真抓实干。今年是“十二五”收官之年，各项工作圆满完成。")
    assert (est.year, est.year_lo, est.year_hi) == (2015, 2015, 2015)


def test_future_targets_bound_from_above_only():
    est = infer_year("科技局工作总结", "2015年，我局推进各项工作。力争到2020年，全市高新技术企业达到500家。")
    assert est.year == 2015
    only_target = infer_year("科技局工作总结", "力争到2020年，全市高新技术企业达到500家。")
    assert only_target.year is None and only_target.year_hi == 2020


def test_title_year_overruled_by_body():
    text = "2009年，我局认真履职。截至2009年底，全市共有高新技术企业52家。2009年，全市科技工作稳步推进。"
    est = infer_year("市科技局局长2013年度履职报告", text)
    assert est.year == 2009
    assert any("title says 2013" in n and "body wins" in n for n in est.notes)
    assert "title says 2013" in est.describe()


def test_upload_stamp_never_sets_the_year():
    est = infer_year("科技局工作总结", "2015年，我局推进各项工作。", published="2024-08-10 18:57:23")
    assert est.year == 2015
    bare = infer_year("科技局工作总结", "我局推进各项工作。", published="2022-03-01 04:26:00")
    assert (bare.year, bare.year_lo, bare.year_hi, bare.confidence) == (None, None, 2022, "none")
    # a hard upper bound: nothing later than the upload
    est = infer_year("科技局工作总结", "我局推进众创空间建设。", published="2016-05-01")
    assert est.year_hi == 2016 and est.year is None


def test_masked_year_gives_an_interval_without_a_point():
    for mask in ("XX", "20xx", "xxxx", "20XX", "××"):
        est = infer_year(f"科技局{mask}年工作总结", f"{mask}年，我局推进众创空间建设，落实大众创业、万众创新。")
        assert est.year is None, mask
        assert est.year_lo == 2014 and est.confidence == "low", mask
        assert any("masked" in n for n in est.notes)


def test_masked_plenum_and_campaign_pin_the_year_down():
    est = infer_year("述职报告", "认真学习了党的xx届四中全会精神，按照学习实践科学发展观活动的部署开展工作。")
    assert (est.year, est.year_lo, est.year_hi) == (None, 2009, 2010)


def test_office_holder_tenure_and_comparison_base():
    est = infer_year("报告", "科技部部长万钢作出批示。")
    assert (est.year_lo, est.year_hi) == (2007, 2018)
    assert infer_year("报告", "全年申报项目58项，比2014年增长20%。").year_lo == 2015


def test_no_evidence_means_confidence_none():
    est = infer_year("工作汇报", "我局开展各项工作。")
    assert (est.year, est.year_lo, est.year_hi, est.confidence, est.evidence) == (None, None, None, "none", ())


# ----------------------------------------------------------------------------- tables

TOY = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "title": ["科技局2015年工作总结", "科技局工作总结", "工作汇报"],
    "text": ["2015年，我局推进众创空间建设。", "XX年，我局学习党的十九届五中全会精神。", "我局开展各项工作。"],
})


def test_date_corpus_columns_and_types():
    out = date_corpus(TOY)
    for col in ("year", "year_lo", "year_hi"):
        assert str(out[col].dtype) == "Int64"
    assert out["year"].tolist()[0] == 2015 and pd.isna(out["year"].tolist()[1])
    assert out["year_confidence"].tolist() == ["high", "low", "none"]
    assert out["fyp_period"].tolist() == ["十二五", None, None]
    assert "explicit:narrative" in out["year_evidence"].iloc[0]
    assert out["doc_id"].tolist() == TOY["doc_id"].tolist()
    with pytest.raises(ValueError, match="text"):
        date_corpus(TOY.drop(columns="text"))


def test_fyp_period_edges():
    assert [fyp_period(y) for y in (2000, 2001, 2005, 2006, 2020, 2021, 2030)] == \
        ["九五", "十五", "十五", "十一五", "十三五", "十四五", "十五五"]
    assert fyp_period(pd.NA) is None


def test_bin_by_period_and_filter_by_confidence():
    out = bin_by_period(date_corpus(TOY))
    assert out["period"].tolist() == ["十二五", "uncertain", "uncertain"]
    assert list(out["period"].cat.categories)[-1] == "uncertain"
    assert filter_by_confidence(out, "high")["doc_id"].tolist() == ["a"]
    assert len(filter_by_confidence(out, "none")) == 3
    with pytest.raises(ValueError, match="min_confidence"):
        filter_by_confidence(out, "very")
    with pytest.raises(ValueError, match="rule"):
        bin_by_period(out, rule="mid")


# ----------------------------------------------------------------------------- calibration

def test_mask_years_hides_every_year():
    masked = mask_years("2015年工作总结和二〇一六年工作计划（2011-2015年）", "20xx")
    assert not re.search(r"[0-9]{4}|二〇", masked)


def test_synthetic_reports_reproducible():
    a = make_synthetic_reports(20, seed=5)
    assert a.equals(make_synthetic_reports(20, seed=5))
    assert not a.equals(make_synthetic_reports(20, seed=6))


@pytest.fixture(scope="module")
def calibration():
    docs = make_synthetic_reports(200, seed=20240607)
    return {"visible": score_dating(date_corpus(docs)),
            "masked": score_dating(date_corpus(mask_corpus(docs, seed=1)))}


def test_calibration_with_years_visible(calibration):
    res = calibration["visible"]
    assert res["mae"] <= 1.0
    assert res["coverage"] >= 0.90
    assert res["point_rate"] >= 0.8


def test_calibration_with_years_masked(calibration):
    res = calibration["masked"]
    assert res["coverage"] >= 0.90
    # a masked report year yields few points; those given must be close
    assert res["point_rate"] <= 0.2
    if res["point_rate"] > 0:
        assert res["mae"] <= 1.0


# ----------------------------------------------------------------------------- figure

def test_plot_year_intervals_one_row_per_document():
    from bureau_rhetoric import figures

    docs = date_corpus(TOY)
    fig, ax = figures.new_figure("single", aspect=0.5)
    out = figures.plot_year_intervals(docs, ax=ax)
    assert out is ax
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 3 and any("[a]" in s for s in labels)
    # the dated document's point is drawn (points are one scatter collection, not a line each)
    points = [tuple(xy) for c in ax.collections for xy in c.get_offsets()]
    assert any(x == 2015 for x, _ in points)
    # at most a few artists whatever the number of documents
    many = date_corpus(pd.concat([TOY] * 40, ignore_index=True).assign(doc_id=lambda d: [f"d{i}" for i in range(len(d))]))
    fig2, ax2 = figures.new_figure("single", aspect=1.0)
    figures.plot_year_intervals(many, ax=ax2)
    assert len(ax2.collections) + len(ax2.lines) <= 8 and len(ax2.get_yticklabels()) < len(many)
    with pytest.raises(ValueError, match="year_lo"):
        figures.plot_year_intervals(TOY, ax=ax)


# ----------------------------------------------------------------------------- truth the rules did not write

def test_seed_year_annotations(built_corpus_dir):
    """The hand annotations of the seed documents: every one matches a document and is dated right."""
    from pathlib import Path

    from bureau_rhetoric.dating_calibration import match_year_annotations

    corpus = pd.read_parquet(built_corpus_dir / "corpus.parquet")
    ann = Path(__file__).resolve().parents[1] / "scripts" / "seed_year_annotations.csv"
    gold = match_year_annotations(corpus, ann)
    assert gold.attrs["unmatched"] == []
    assert len(gold) == 8
    visible = score_dating(date_corpus(gold))
    assert visible["coverage"] == 1.0
    assert visible["mae"] <= 0.5 and visible["point_rate"] >= 0.75
    masked = score_dating(date_corpus(mask_corpus(gold, seed=1)))
    assert masked["coverage"] >= 0.85
    assert (date_corpus(mask_corpus(gold, seed=1))["year_confidence"] != "high").all()


@pytest.fixture(scope="module")
def heldout_dating():
    from bureau_rhetoric.dating_calibration import heldout_reports

    docs = heldout_reports()
    return docs, score_dating(date_corpus(docs)), score_dating(date_corpus(mask_corpus(docs, seed=1)))


def test_heldout_reports_dated_without_the_rules_cue_phrases(heldout_dating):
    """Reports written without 截至…年底, 比…年增长, 力争到, 自…以来, 收官之年 (checked in test_synth_heldout)."""
    docs, visible, masked = heldout_dating
    assert docs["true_year"].min() <= 1986
    assert visible["coverage"] >= 0.95
    assert visible["mae"] <= 0.25 and visible["point_rate"] >= 0.9
    assert masked["coverage"] >= 0.9
    assert masked["point_rate"] <= 0.2


def test_period_order_is_one_definition_from_fyp_csv(tmp_path):
    from bureau_rhetoric.dating import period_order, period_years, plan_periods
    from bureau_rhetoric.lexicons import use_lexicons

    names = [r["name"] for r in sorted(_rows("fyp.csv"), key=lambda r: int(r["start"]))]
    assert period_order() == names == plan_periods()["name"].tolist()
    # string order puts 九五 before 八五 and 十一五 before 十五: time order does not
    mixed = ["九五", "八五", "十一五", "十三五", "十二五", "十五", "十四五", "六五", None, "uncertain", "八五"]
    assert period_order(mixed) == ["六五", "八五", "九五", "十五", "十一五", "十二五", "十三五", "十四五", "uncertain"]
    assert period_years("六五") == (1981, 1985) and period_years("x") is None
    # a user's plan table (rows in any order, plans of its own) sets the order everywhere
    (tmp_path / "fyp.csv").write_text(
        "name,start,end,named_from,adopted_by,notes,kind,full_name\n"
        "乙期,2010,2014,2008,,,规划,乙期规划\n甲期,2005,2009,2003,,,规划,甲期规划\n"
        "丙期,2015,2019,2013,,,规划,丙期规划\n", encoding="utf-8")
    with use_lexicons(paths={"fyp.csv": tmp_path / "fyp.csv"}):
        assert period_order(["丙期", "甲期", "乙期"]) == ["甲期", "乙期", "丙期"]
        assert fyp_period(2012) == "乙期" and period_years("丙期") == (2015, 2019)
        binned = bin_by_period(pd.DataFrame({"year": [2006], "year_lo": [2005], "year_hi": [2009]}))
        assert list(binned["period"].cat.categories) == ["甲期", "乙期", "丙期", "uncertain"]
    assert period_order(["丙期", "十五"]) == ["十五", "丙期"]
