"""Year imputation: closing bounds, year distributions, draws, imputed trends, validation with known truth.

Every corpus here is generated in the test (not taken from data/raw).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bureau_rhetoric import dating, imputation, phrases, topics
from bureau_rhetoric.imputation import (close_year_bounds, draw_years, emerging_terms_imputed, keyness_imputed,
                                        phrase_rates_imputed, share_mentioning_imputed, topic_prevalence_imputed,
                                        year_distribution)
from bureau_rhetoric.imputation_validation import (make_validation_corpus, mask_years, summarise_validation,
                                                   validate_imputation)


def _docs(n=60, seed=3, undated=0.5, start=1990, end=2020):
    """Documents over three decades with a rising phrase; a share lose their point year to an interval."""
    rng = np.random.default_rng(seed)
    years = rng.integers(start, end + 1, n)
    rows = []
    for i, y in enumerate(years):
        k = 1 + int((y - start) / (end - start) * 6)
        text = "推进产学研合作。" * k + "开展科普活动，服务企业发展。" * 8
        lo, hi = int(y), int(y)
        point = y
        if rng.random() < undated:
            point = None
            lo, hi = int(y) - int(rng.integers(0, 4)), int(y) + int(rng.integers(0, 4))
            if rng.random() < 0.2:
                lo = None
        rows.append({"doc_id": f"d{i:03d}", "genre": ["工作总结", "述职报告"][i % 2], "text": text,
                     "year": point, "year_lo": lo, "year_hi": hi, "true_year": int(y)})
    df = pd.DataFrame(rows)
    for c in ("year", "year_lo", "year_hi"):
        df[c] = df[c].astype("Int64")
    df["fyp_period"] = [dating.fyp_period(y) for y in df["year"]]
    return df


# ---------------------------------------------------------------- bounds and distributions
def test_close_year_bounds_states_each_rule_and_respects_genre_floors():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "genre": ["述职报告", "工作总结", "工作计划", None],
                         "year": [None, None, 2011, None], "year_lo": [None, 2016, 2011, 2030],
                         "year_hi": [2019, None, 2011, None],
                         "published": [None, "2023-05-01 10:00", None, None],
                         "year_evidence": ["e1", "e2", "e3", None]}).astype({"year": "Int64", "year_lo": "Int64",
                                                                             "year_hi": "Int64"})
    out = close_year_bounds(docs, earliest={"述职报告": 1995, "*": 1980})
    assert out["year_lo_closed"].tolist() == [1995, 2016, 2011, 2030]
    # collection year from the latest upload date; a lower bound past it collapses to that bound
    assert out["year_hi_closed"].tolist() == [2019, 2023, 2011, 2030]
    assert out.loc[2, "year_closing"] == "" and out.loc[2, "year_evidence"] == "e3"
    assert "earliest plausible year for 述职报告 (1995)" in out.loc[0, "year_evidence"]
    assert "latest upload date" in out.loc[1, "year_closing"]
    assert "after the upper bound" in out.loc[3, "year_closing"]
    assert "1980" in out.attrs["closing_rule"] and "2023" in out.attrs["closing_rule"]


def test_close_year_bounds_needs_something_to_close_with():
    docs = pd.DataFrame({"doc_id": ["a"], "year": [None], "year_lo": [None], "year_hi": [None]})
    with pytest.raises(ValueError, match="collection_year"):
        close_year_bounds(docs)
    with pytest.raises(ValueError, match="date_corpus"):
        close_year_bounds(docs.drop(columns="year_hi"), collection_year=2020)


def test_year_distribution_sums_to_one_inside_the_bounds_and_the_corpus_prior_follows_the_corpus():
    docs = _docs()
    for prior in ("uniform", "corpus"):
        d = year_distribution(docs, prior=prior, collection_year=2021)
        assert np.allclose(d.groupby("doc_id")["p"].sum(), 1.0)
        closed = close_year_bounds(docs, collection_year=2021).set_index("doc_id")
        j = d.join(closed[["year_lo_closed", "year_hi_closed"]], on="doc_id")
        assert ((j["year"] >= j["year_lo_closed"]) & (j["year"] <= j["year_hi_closed"])).all()
    # a document known only to lie in a long interval goes where the corpus's documents are
    many = pd.DataFrame({"doc_id": [f"p{i}" for i in range(30)] + ["x"],
                         "year": [2010] * 30 + [None], "year_lo": [2010] * 30 + [2000],
                         "year_hi": [2010] * 30 + [2020]}).astype({"year": "Int64"})
    d = year_distribution(many, prior="corpus", prior_floor=0.05).query("doc_id == 'x'").set_index("year")["p"]
    assert d.idxmax() == 2010 and d[2010] > 0.5 and d[2000] > 0
    u = year_distribution(many, prior="uniform").query("doc_id == 'x'")["p"]
    assert np.allclose(u, 1 / 21)


def test_soft_evidence_shifts_weight_inside_the_interval():
    ev = ("year=None interval=[2003, 2020] confidence=low\n"
          "- “某词” (body) term:hard → >= 2003 [w 2]: in use from 2003\n"
          "- “某词” (body) term:faded → <= 2012 [w 0.5]: faded after 2012\n"
          "+ closed: upper bound open: the collection year (2020, given)")
    docs = pd.DataFrame({"doc_id": ["x"], "year": [None], "year_lo": [2003], "year_hi": [None],
                         "year_evidence": [ev]}).astype({"year": "Int64", "year_lo": "Int64", "year_hi": "Int64"})
    d = year_distribution(docs, prior="uniform", collection_year=2020).set_index("year")["p"]
    assert d[2005] / d[2015] == pytest.approx(np.exp(0.5))
    flat = year_distribution(docs, prior="uniform", collection_year=2020, evidence_weights=False)
    assert np.allclose(flat["p"], 1 / 18)
    draws = draw_years(docs, m=400, seed=1, prior="uniform", collection_year=2020)
    early = (draws.loc["x"] <= 2012).mean()
    assert abs(early - 10 * np.exp(0.5) / (10 * np.exp(0.5) + 8)) < 0.06


def test_draw_years_is_reproducible_keeps_points_and_stays_in_bounds():
    docs = _docs(undated=0.6)
    a = draw_years(docs, m=8, seed=5, collection_year=2021)
    b = draw_years(docs, m=8, seed=5, collection_year=2021)
    c = draw_years(docs, m=8, seed=6, collection_year=2021)
    assert a.equals(b) and not a.equals(c)
    dated = docs.set_index("doc_id")["year"].dropna()
    assert (a.loc[dated.index].to_numpy() == dated.to_numpy()[:, None]).all()
    closed = close_year_bounds(docs, collection_year=2021).set_index("doc_id")
    assert (a.ge(closed["year_lo_closed"], axis=0) & a.le(closed["year_hi_closed"], axis=0)).all().all()
    assert a.attrs["n_imputed"] == int(docs["year"].isna().sum()) and a.attrs["m"] == 8
    with pytest.raises(ValueError, match="twice"):
        draw_years(pd.concat([docs, docs.iloc[:1]]), m=2, collection_year=2021)


def test_text_places_an_undated_document_in_the_years_its_phrases_belong_to():
    rows = []
    for i, y in enumerate(range(1995, 2021)):
        for k in range(3):
            text = ("推进众创空间建设。" * 4 if y >= 2015 else "推进科技特派员工作。" * 4) + "开展科普活动。" * 20
            rows.append({"doc_id": f"p{i}-{k}", "year": y, "year_lo": y, "year_hi": y, "text": text})
    rows.append({"doc_id": "x", "year": None, "year_lo": 1995, "year_hi": 2020,
                 "text": "推进众创空间建设。" * 4 + "开展科普活动。" * 20})
    docs = pd.DataFrame(rows).astype({"year": "Int64", "year_lo": "Int64", "year_hi": "Int64"})
    counts = phrases.count_phrases(docs)
    outcome = counts.pivot_table(index="doc_id", columns="phrase_id", values="count", fill_value=0)
    informed = draw_years(docs, m=40, seed=1, outcome=outcome)
    blind = draw_years(docs, m=40, seed=1)
    assert (informed.loc["x"] >= 2013).mean() > 0.9
    assert (blind.loc["x"] >= 2013).mean() < 0.6
    assert informed.attrs["temper"] > 0 and "phrase counts" in informed.attrs["model"]
    assert blind.attrs["model"] == "the dating evidence alone"


# ---------------------------------------------------------------- trends
def test_imputed_rates_equal_plain_rates_when_every_year_is_known():
    docs = _docs(undated=0.0)
    counts = phrases.count_phrases(docs)
    plain = phrases.phrase_rates(counts, docs, by="fyp_period", n_boot=200, seed=1)
    imp = phrase_rates_imputed(counts, docs, by="fyp_period", m=4, n_boot=200, seed=1)
    # plans in time order (phrase_rates sorts them as strings)
    assert list(dict.fromkeys(imp["fyp_period"])) == ["七五", "八五", "九五", "十五", "十一五", "十二五", "十三五"]
    imp = imp.set_index(["fyp_period", "key"]).loc[plain.set_index(["fyp_period", "key"]).index].reset_index()
    assert np.allclose(imp["rate"], plain["rate"]) and np.allclose(imp["prevalence"], plain["prevalence"])
    assert (imp["rate_mc_error"].fillna(0) == 0).all()
    assert (imp["n_docs"] == plain["n_docs"]).all() and (imp["n_docs_dated"] == plain["n_docs"]).all()


def test_imputed_rates_use_every_document_and_are_byte_identical_on_rerun():
    docs = _docs(undated=0.6)
    counts = phrases.count_phrases(docs)
    kw = dict(by="year", m=6, n_boot=120, seed=2, collection_year=2021)
    a = phrase_rates_imputed(counts, docs, **kw)
    b = phrase_rates_imputed(counts, docs, **kw)
    assert a.to_csv(index=False) == b.to_csv(index=False)
    key = a[a["key"] == a["key"].iloc[0]]
    assert key["n_docs"].sum() == pytest.approx(len(docs), abs=0.1)
    assert key["n_docs_dated"].sum() == docs["year"].notna().sum()
    assert (key["rate_lo"].dropna() <= key.loc[key["rate_lo"].notna(), "rate"] + 1e-9).all()
    assert a.attrs["params"]["m_imputations"] == 6 and "closing_rule" in a.attrs["params"]
    assert 0 < a.attrs["mc_error_share"] < 0.5
    s = share_mentioning_imputed(counts, docs, **kw)
    assert np.allclose(s["share"], a["prevalence"]) and s["share"].between(0, 1).all()
    with pytest.raises(ValueError, match="year' or 'fyp_period"):
        phrase_rates_imputed(counts, docs, by="genre", m=2, collection_year=2021)


def test_imputed_keyness_matches_keyness_without_missing_years_and_widens_with_them():
    docs = _docs(undated=0.0)
    counts = phrases.count_phrases(docs)
    early, late = range(1990, 2005), range(2005, 2022)
    a = docs.loc[docs["year"] < 2005, "doc_id"]
    b = docs.loc[docs["year"] >= 2005, "doc_id"]
    plain = phrases.keyness(counts, a, b, min_freq=5, min_docs=2).set_index("term")
    imp = keyness_imputed(counts, docs, early, late, m=3, min_freq=5, min_docs=2).set_index("term")
    assert set(imp.index) == set(plain.index)
    assert np.allclose(imp.loc[plain.index, "log_ratio"], plain["log_ratio"])
    assert np.allclose(imp["fmi"], 0)
    undated = _docs(undated=0.7)
    imp2 = keyness_imputed(counts, undated, early, late, m=8, min_freq=5, min_docs=2, collection_year=2021)
    assert (imp2["fmi"] > 0).any()
    assert (imp2["log_ratio_lo"] < imp2["log_ratio"]).all() and (imp2["log_ratio"] < imp2["log_ratio_hi"]).all()
    assert imp2.set_index("term").loc["industry_university", "key_for"] == "b"


def test_imputed_emerging_terms_match_plain_ranking_without_missing_years():
    docs = _docs(undated=0.0)
    counts = phrases.count_phrases(docs)
    plain = phrases.rank_emerging_terms(counts, docs, "八五", "十三五", n_boot=200, min_freq=1).set_index("term")
    imp = emerging_terms_imputed(counts, docs, "八五", "十三五", m=3, n_boot=200, min_freq=1).set_index("term")
    assert np.allclose(imp.loc[plain.index, "rate_early"], plain["rate_early"])
    assert np.allclose(imp.loc[plain.index, "rate_late"], plain["rate_late"])
    imp2 = emerging_terms_imputed(counts, _docs(undated=0.6), "八五", "十三五", m=6, n_boot=300, min_freq=1,
                                  collection_year=2021)
    assert imp2.set_index("term").loc["industry_university", "trend"] == "emerging"


def _stub(docs, shares):
    m = topics.TopicModel(shares.shape[1])
    m.lda_ = None
    m.units_ = pd.DataFrame({"doc_id": docs["doc_id"].tolist(), "para_id": 0, "n_tokens": 100})
    m.gamma_ = shares * 200
    return m


def test_imputed_topic_prevalence_matches_without_missing_years_and_pools_draws():
    docs = _docs(undated=0.0)
    rise = (docs["true_year"] - 1990) / 30
    shares = np.column_stack([0.2 + 0.6 * rise, 0.8 - 0.6 * rise])
    model = _stub(docs, shares)
    plain = topics.topic_prevalence(model, docs[["doc_id", "fyp_period"]], by="fyp_period", nsims=60, seed=1)
    imp = topic_prevalence_imputed(model, docs, by="fyp_period", m=3, nsims=60, seed=1)
    assert sorted(imp["fyp_period"].unique()) == sorted(plain["fyp_period"].unique())
    imp = imp.set_index(["topic", "fyp_period"]).loc[plain.set_index(["topic", "fyp_period"]).index]
    assert np.allclose(imp["estimate"], plain["estimate"].to_numpy(), atol=0.02)
    undated = _docs(undated=0.6)
    imp2 = topic_prevalence_imputed(_stub(undated, shares), undated, by="year", time="spline", m=5, nsims=50,
                                    seed=1, collection_year=2021)
    t1 = imp2[imp2.topic == 1]
    assert t1["estimate"].iloc[-1] > t1["estimate"].iloc[0]
    assert imp2.attrs["params"]["m_imputations"] == 5 and (imp2["lo"] <= imp2["hi"]).all()


def test_date_corpus_caps_open_upper_bounds_at_the_collection_year():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["工作总结", "科技局工作总结"],
                         "text": ["XX年，我局推进科技自立自强。", "我局推进工作。"]})
    out = dating.date_corpus(docs, collection_year=2024)
    assert out["year_hi"].tolist() == [2024, 2024]
    assert "capped at the collection year 2024" in out.loc[0, "year_evidence"]
    assert dating.date_corpus(docs)["year_hi"].isna().all()
    with pytest.raises(ValueError, match="collection_year"):
        dating.date_corpus(docs, collection_year=2300)


# ---------------------------------------------------------------- validation with known truth
def test_masking_is_nested_not_at_random_and_hides_the_stated_year():
    docs, _ = make_validation_corpus(200, seed=4, mean_chars=300)
    m30, m60 = mask_years(docs, 0.3, seed=4), mask_years(docs, 0.6, seed=4)
    assert (m30["masked"] <= m60["masked"]).all()
    assert abs(m60["masked"].mean() - 0.6) < 0.1
    by_genre = m60.groupby("genre")["masked"].mean()
    assert by_genre["述职报告"] > by_genre["工作计划"]
    for _, r in m60[m60["masked"]].iterrows():
        assert str(r["true_year"]) not in r["title"] and str(r["true_year"]) not in r["text"].split("\n")[0]


def test_validation_imputation_cuts_bias_keeps_coverage_and_reruns_identically():
    kw = dict(n_docs=500, shares=(0.6,), replicates=1, seed=11, m=10, n_boot=200, nsims=40)
    scores = validate_imputation(**kw)
    table = summarise_validation(scores)
    best = "imputed, evidence + text"
    rate = table[table["kind"] == "phrase rate"].set_index("method")
    assert abs(rate.loc[best, "bias"]) < abs(rate.loc["dated only", "bias"])
    assert rate.loc[best, "abs_error"] < rate.loc["dated only", "abs_error"]
    assert 85 <= rate.loc[best, "coverage"] <= 100
    share = table[table["kind"] == "topic share"].set_index("method")
    assert 85 <= share.loc[best, "coverage"] <= 100
    # leaving the analysed quantity out of the imputation model flattens the trend; putting it in does not
    for tab in (rate, share):
        assert tab.loc["imputed, evidence", "slope_bias"] < -10
        assert abs(tab.loc[best, "slope_bias"]) < 0.8 * abs(tab.loc["imputed, evidence", "slope_bias"])
    again = summarise_validation(validate_imputation(**kw))
    assert table.to_csv(index=False) == again.to_csv(index=False)


# ---------------------------------------------------------------- figures and comparison
def test_figures_draw_the_imputed_band_behind_the_dated_estimate():
    import matplotlib

    matplotlib.use("Agg")
    from bureau_rhetoric import figures

    docs = _docs(undated=0.5)
    counts = phrases.count_phrases(docs)
    dated = phrases.phrase_rates(counts, docs, by="fyp_period", n_boot=100, seed=1)
    imp = phrase_rates_imputed(counts, docs, by="fyp_period", m=4, n_boot=100, seed=1, collection_year=2021)
    axes = figures.plot_phrase_panels(dated, keys=["industry_university"], x="fyp_period", band=imp)
    ax = axes[0]
    assert len(ax.patches) == int(np.isfinite(imp.loc[imp.key == "industry_university", "rate_lo"]).sum())
    # the strip under the panels: every document (years imputed, light) behind the dated ones
    strip = [a for a in ax.figure.axes if a.get_label() == "n-docs-strip"][0]
    heights = [round(p.get_height()) for p in strip.patches]
    n_all = imp.drop_duplicates("fyp_period").set_index("fyp_period")["n_docs"]
    assert all(int(round(n_all[p])) in heights for p in n_all.index)
    shares = np.column_stack([np.linspace(0.2, 0.8, len(docs)), np.linspace(0.8, 0.2, len(docs))])
    model = _stub(docs, shares)
    plain = topics.topic_prevalence(model, docs[["doc_id", "fyp_period"]], by="fyp_period", nsims=20, seed=1)
    band = topic_prevalence_imputed(model, docs, by="fyp_period", m=3, nsims=20, seed=1, collection_year=2021)
    axes = figures.plot_topic_prevalence(plain, band=band)
    assert len(axes[0].patches) == band["fyp_period"].nunique()
    cmp = imputation.compare_estimates(plain, band)
    assert {"dated", "imputed", "differ"} <= set(cmp.columns) and len(cmp) >= len(plain)
