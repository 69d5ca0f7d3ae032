"""Phrase lexicon, counting, rates with intervals (planted trend), KWIC, keyness (planted), emerging terms."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from bureau_rhetoric import phrases
from bureau_rhetoric.phrases import (count_phrases, find_collocations, keyness, kwic, phrase_rates,
                                     rank_emerging_terms, read_phrases, select_docs)
from bureau_rhetoric.tokens import Tokenizer, read_dictionary, read_stopwords

HEADLINE = ["科学发展观", "自主创新", "创新驱动", "大众创业、万众创新", "高质量发展", "科技自立自强", "新质生产力"]


# ---------------------------------------------------------------- lexicon
def test_lexicon_is_well_formed_and_has_the_headline_phrases():
    lex = read_phrases()
    assert len(lex) >= 60
    assert set(HEADLINE) <= set(lex["phrase"])
    assert lex["phrase_id"].str.fullmatch(r"[a-z0-9_]+").all()
    assert (lex["gloss_en"].str.len() > 0).all() and (lex["category"].str.len() > 0).all()
    assert set(lex["family"]) <= set(lex["phrase"]), "every family needs a head row"
    forms = read_phrases().set_index("phrase")["forms"]
    assert "大众创业万众创新" in forms["大众创业、万众创新"]
    assert lex["first_year"].dropna().between(1949, 2030).all()


def test_lexicon_phrases_survive_segmentation_and_are_not_stopwords():
    lex = read_phrases()
    tok = Tokenizer(stopwords=[], min_len=1)
    words = {w for w, _, _ in read_dictionary()}
    cjk = [p for p in lex["phrase"] if re.fullmatch(r"[\u4e00-\u9fd5]+", p)]
    assert all(p in words for p in cjk), [p for p in cjk if p not in words]
    assert [p for p in cjk if tok.segment(p) != [p]] == []
    assert not set(cjk) & read_stopwords()


def test_duplicate_surface_forms_are_rejected():
    bad = pd.DataFrame({"phrase": ["双创", "大众创业万众创新"], "variants": ["", "双创"]})
    with pytest.raises(ValueError, match="belongs to two phrases"):
        read_phrases(bad)


# ---------------------------------------------------------------- counting
def _count(text, lexicon=None):
    c = count_phrases(pd.DataFrame({"doc_id": ["d"], "text": [text]}), lexicon)
    return dict(zip(c["phrase"], c["count"]))


def test_overlapping_forms_are_counted_once_longest_first():
    assert _count("实施创新驱动发展战略") == {"创新驱动发展战略": 1}
    assert _count("坚持创新驱动，实施创新驱动发展战略") == {"创新驱动": 1, "创新驱动发展战略": 1}
    assert _count("大众创业、万众创新和大众创业万众创新，大众创业，万众创新") == {"大众创业、万众创新": 3}
    assert _count("建设双创示范基地") == {"双创": 1}
    lex = pd.DataFrame({"phrase": ["科技创新", "创新驱动"]})
    assert _count("科技创新驱动", lex) == {"科技创新": 1}  # leftmost wins, no double count


def test_matching_ignores_line_breaks_quotes_and_width():
    assert _count("推进“大众创业、万众\n创新”") == {"大众创业、万众创新": 1}
    assert _count("实施《中国制造２０２５》和“互联网＋”") == {"中国制造2025": 1, "互联网+": 1}


def test_counts_do_not_depend_on_segmentation():
    # jieba would cut 新质生产力 apart without the domain dictionary; counting on text still finds it
    assert _count("加快形成新质生产力") == {"新质生产力": 1}
    assert Tokenizer(dictionary=[], stopwords=[]).cut("新质生产力") != ["新质生产力"]


# ---------------------------------------------------------------- rates
def _fake(years, per_year, rate_fn, seed=0, phrase="创新驱动"):
    """Documents whose phrase count is Poisson(rate(year) x length / 10,000)."""
    rng = np.random.default_rng(seed)
    filler = "加强管理服务推进工作建设体系完善机制农业工业人员经费项目"
    rows = []
    for y in years:
        for j in range(per_year):
            n = int(rng.integers(2000, 6000))
            k = int(rng.poisson(rate_fn(y) * n / 10_000))
            body = list(rng.choice(list(filler), size=n - k * len(phrase)))
            for _ in range(k):
                i = int(rng.integers(0, len(body) + 1))
                body[i:i] = [phrase]
            text = "".join(body)
            rows.append({"doc_id": f"{y}-{j}", "year": y, "text": text, "n_chars": len(text),
                         "duplicate_of": None, "on_topic": True, "year_confidence": "high"})
    return pd.DataFrame(rows)


def test_planted_linear_trend_is_recovered_inside_the_intervals():
    years = list(range(2006, 2021))
    true = lambda y: 2.0 + 0.8 * (y - 2006)  # noqa: E731  per 10,000 characters
    docs = _fake(years, 12, true)
    r = phrase_rates(count_phrases(docs), docs, by="year", n_boot=400, seed=3)
    r = r[r.key == "innovation_driven"].set_index("year")
    inside = [(r.loc[y, "rate_lo"] <= true(y) <= r.loc[y, "rate_hi"]) for y in years]
    assert sum(inside) >= len(years) - 2, r[["rate", "rate_lo", "rate_hi"]]
    slope = np.polyfit(years, r.loc[years, "rate"], 1)[0]
    assert slope == pytest.approx(0.8, rel=0.15)
    width = (r["rate_hi"] - r["rate_lo"]).mean()
    assert width < 0.5 * (true(2020) - true(2006)), f"intervals too wide to show the trend: {width:.1f}"
    # equal weighting estimates the same trend here (lengths independent of rate)
    e = phrase_rates(count_phrases(docs), docs, weighting="equal", n_boot=0)
    e = e[e.key == "innovation_driven"].set_index("year")
    assert np.polyfit(years, e.loc[years, "rate"], 1)[0] == pytest.approx(0.8, rel=0.2)


def test_rates_are_reproducible_and_seed_dependent():
    docs = _fake([2010, 2011], 6, lambda y: 5.0)
    c = count_phrases(docs)
    a = phrase_rates(c, docs, n_boot=100, seed=1)
    pd.testing.assert_frame_equal(a, phrase_rates(c, docs, n_boot=100, seed=1))
    assert not a["rate_lo"].equals(phrase_rates(c, docs, n_boot=100, seed=2)["rate_lo"])


def test_weighting_length_pools_and_equal_averages():
    docs = pd.DataFrame({"doc_id": ["long", "short"], "year": [2015, 2015],
                         "text": ["创新驱动" + "工" * 9996, "创新驱动" + "工" * 996]})
    c = count_phrases(docs)
    pooled = phrase_rates(c, docs, n_boot=0).set_index("key").loc["innovation_driven", "rate"]
    equal = phrase_rates(c, docs, n_boot=0, weighting="equal").set_index("key").loc["innovation_driven", "rate"]
    assert pooled == pytest.approx(2 / 11_000 * 10_000)
    assert equal == pytest.approx((1 + 10) / 2)
    with pytest.raises(ValueError, match="weighting must be"):
        phrase_rates(c, docs, weighting="docs")


def test_filters_single_document_years_and_missing_years():
    docs = pd.DataFrame({
        "doc_id": list("abcde"), "year": pd.array([2010, 2010, 2011, None, 2010], dtype="Int64"),
        "text": ["科学发展观"] * 5, "duplicate_of": [None, None, None, None, "a"],
        "on_topic": [True, True, True, True, True],
        "year_confidence": ["high", "low", "high", "none", "high"]})
    c = count_phrases(docs)
    r = phrase_rates(c, docs, n_boot=50).set_index(["year", "key"])
    assert r.loc[(2010, "scientific_outlook"), "n_docs"] == 2  # duplicate e excluded
    assert np.isnan(r.loc[(2011, "scientific_outlook"), "rate_lo"])  # one document: no interval
    assert any("no year" in s for s in phrase_rates(c, docs, n_boot=0).attrs["filter_log"])
    r = phrase_rates(c, docs, n_boot=0, include_duplicates=True).set_index(["year", "key"])
    assert r.loc[(2010, "scientific_outlook"), "n_docs"] == 3
    r = phrase_rates(c, docs, n_boot=0, min_confidence="high").set_index(["year", "key"])
    assert r.loc[(2010, "scientific_outlook"), "n_docs"] == 1
    off = docs.assign(on_topic=[True, False, True, True, True])
    assert select_docs(off)["doc_id"].tolist() == ["a", "c", "d"]


def test_rates_by_period_and_family():
    docs = pd.DataFrame({"doc_id": list("abc"), "fyp_period": ["十二五", "十三五", None],
                         "text": ["实施创新驱动发展战略", "坚持创新驱动", "创新驱动"]})
    r = phrase_rates(count_phrases(docs), docs, by="fyp_period", level="family", n_boot=0)
    fam = r[r.key == "创新驱动"].set_index("fyp_period")
    assert fam["count"].to_dict() == {"十三五": 1, "十二五": 1}
    assert fam["gloss_en"].iloc[0] == "innovation-driven"


# ---------------------------------------------------------------- KWIC
def test_kwic_returns_document_year_and_context():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "year": pd.array([2013, None], dtype="Int64"),
                         "text": ["一二三四五创新驱动六七\n八九十", "创新驱动"]})
    k = kwic(docs, "创新驱动", window=3)
    assert list(k.columns) == ["doc_id", "year", "start", "left", "keyword", "right"]
    assert k.iloc[0][["left", "keyword", "right"]].tolist() == ["三四五", "创新驱动", "六七 "]
    assert pd.isna(k.iloc[1]["year"]) and k.iloc[1]["left"] == ""


# ---------------------------------------------------------------- keyness
def test_planted_keyness_finds_the_planted_terms_and_not_the_shared_ones():
    rng = np.random.default_rng(7)
    common = ["科技", "工作", "企业", "项目", "服务", "管理", "农业", "人才"]
    rows = []
    for g, planted in (("a", "科学发展观"), ("b", "新质生产力")):
        for j in range(20):
            toks = list(rng.choice(common, size=400)) + [planted] * int(rng.integers(3, 8))
            rows.append({"doc_id": f"{g}{j}", "tokens": toks})
    toks = pd.DataFrame(rows)
    k = keyness(toks, [f"a{j}" for j in range(20)], [f"b{j}" for j in range(20)], min_freq=5)
    top = k.head(2).set_index("term")
    assert set(top.index) == {"科学发展观", "新质生产力"}
    assert top.loc["科学发展观", "key_for"] == "a" and top.loc["新质生产力", "key_for"] == "b"
    assert (top["g2"] > 100).all() and top.loc["科学发展观", "log_ratio"] > 5
    shared = k[k.term.isin(common)]
    assert (shared["g2"] < 10.83).mean() >= 0.85  # shared vocabulary mostly not key at p < .001
    assert (shared["log_ratio"].abs() < 0.5).all()
    with pytest.raises(ValueError, match="in both groups"):
        keyness(toks, ["a0"], ["a0"])


def test_keyness_min_freq_threshold():
    toks = pd.DataFrame({"doc_id": ["a", "b"], "tokens": [["罕见", "科技", "科技"], ["科技", "科技"]]})
    assert "罕见" not in keyness(toks, ["a"], ["b"], min_freq=2, min_docs=1)["term"].tolist()
    assert "罕见" in keyness(toks, ["a"], ["b"], min_freq=1, min_docs=1)["term"].tolist()


# ---------------------------------------------------------------- collocations, emerging
def test_collocations_offer_candidates_missing_from_the_lexicon():
    toks = pd.DataFrame({"tokens": [["推进", "科技", "特派", "服务"], ["科技", "特派", "深入", "基层"],
                                    ["众创空间", "建设", "科技", "特派"]] * 4})
    c = find_collocations(toks, min_count=5, threshold=0.3)
    assert c["candidate"].tolist() == ["科技特派"]
    known = pd.DataFrame({"tokens": [["大众创业", "万众创新", "推进"], ["推进", "大众创业", "万众创新"]] * 5})
    assert find_collocations(known, min_count=5, threshold=0.3).empty
    assert find_collocations(known, min_count=5, threshold=0.3, include_known=True)["in_lexicon"].all()


def test_emerging_and_declining_terms_are_ranked_with_intervals():
    early = _fake([2008, 2009], 10, lambda y: 6.0, seed=1, phrase="科学发展观")
    late = _fake([2018, 2019], 10, lambda y: 0.3, seed=2, phrase="科学发展观")
    late["text"] = late["text"] + "推进高质量发展" * 3
    docs = pd.concat([early, late], ignore_index=True)
    docs["n_chars"] = docs["text"].str.len()
    docs["fyp_period"] = np.where(docs["year"] < 2011, "十一五", "十三五")
    r = rank_emerging_terms(count_phrases(docs), docs, "十一五", "十三五", n_boot=300, seed=0)
    trend = r.set_index("term")["trend"]
    assert trend["high_quality_development"] == "emerging" and trend["scientific_outlook"] == "declining"
    assert r["term"].iloc[0] == "high_quality_development" and r["term"].iloc[-1] == "scientific_outlook"
    assert (r["diff_lo"] <= r["diff"]).all() and (r["diff"] <= r["diff_hi"]).all()
    assert r.attrs["n_docs"] == {"early": 20, "late": 20}
