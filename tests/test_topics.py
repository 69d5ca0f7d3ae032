"""Topic models: planted topics are recovered, runs are reproducible, alignment and
stability behave, prevalence intervals cover planted shares and widen with fewer
documents, labels and the offline pyLDAvis page work."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from bureau_rhetoric import topics

K_PLANT = 4
PERIODS = ["十一五", "十二五", "十三五"]
WORDS = [f"{a}{b}" for a in "科技创新企业项目廉政监督服务" for b in "发展建设管理推进"]  # 40 two-char words


def _planted(n_docs=160, doc_len=80, seed=0, shift=True):
    """Corpus from known topics: each topic owns 10 words (+ a little background)."""
    rng = np.random.default_rng(seed)
    V = len(WORDS)
    beta = np.full((K_PLANT, V), 0.02 / V)
    for k in range(K_PLANT):
        beta[k, k * 10:(k + 1) * 10] += rng.dirichlet(np.full(10, 5.0)) * 0.98
    beta /= beta.sum(axis=1, keepdims=True)
    # topic 1 grows over periods, topic 2 shrinks (planted trend)
    means = {"十一五": [0.10, 0.40, 0.25, 0.25], "十二五": [0.25, 0.25, 0.25, 0.25], "十三五": [0.40, 0.10, 0.25, 0.25]}
    rows, theta, per = [], [], []
    for d in range(n_docs):
        p = PERIODS[d % 3]
        m = np.array(means[p] if shift else [0.25] * 4)
        th = rng.dirichlet(m * 4)
        z = rng.choice(K_PLANT, size=doc_len, p=th)
        toks = [WORDS[rng.choice(V, p=beta[k])] for k in z]
        rows.append((f"d{d:03d}", 0, toks))
        theta.append(np.bincount(z, minlength=K_PLANT) / doc_len)
        per.append(p)
    toks = pd.DataFrame(rows, columns=["doc_id", "para_id", "tokens"])
    meta = pd.DataFrame({"doc_id": toks["doc_id"], "fyp_period": per, "year_confidence": "high"})
    return toks, meta, beta, np.array(theta)


@pytest.fixture(scope="module")
def planted():
    return _planted()


@pytest.fixture(scope="module")
def fitted(planted):
    toks, meta, beta, theta = planted
    corpus = topics.build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    model = topics.TopicModel(K_PLANT, passes=30, iterations=100, seed=11).fit(corpus)
    return corpus, model


def _match(model, beta):
    truth = (beta, np.array(WORDS, dtype=object))
    return topics.align_topics(model, truth)


# --------------------------------------------------------------------------- bag of words
def test_build_bow_requires_explicit_filters_and_reports_every_removal():
    toks = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "para_id": 0, "tokens": [
        ["科技", "创新", "企业"], ["科技", "创新", "廉政"], ["科技", "创新", "监督"], ["科技", "孤词"]]})
    with pytest.raises(TypeError):
        topics.build_bow(toks)  # no silent gensim defaults
    corpus = topics.build_bow(toks, no_below=2, no_above=0.8, keep_n=None, min_tokens=1)
    removed = corpus.removed.set_index("item")
    assert removed.loc["科技", "reason"] == "in more than 80% of units"
    assert removed.loc["企业", "reason"] == "in fewer than 2 units"
    assert removed.loc["d#0", "kind"] == "unit"  # emptied unit reported, not silently dropped
    assert corpus.units["doc_id"].tolist() == ["a", "b", "c"]
    assert len(corpus.bow) == len(corpus.units)
    assert corpus.summary["n_tokens"] == 3 and corpus.summary["n_tokens_before"] == 11
    assert "removed 5 of 6 terms" in corpus.summary["message"]


def test_build_bow_rejects_bad_settings():
    toks = pd.DataFrame({"doc_id": ["a"], "tokens": [["科技"]]})
    with pytest.raises(ValueError, match="no_above must be in"):
        topics.build_bow(toks, no_below=1, no_above=1.5, keep_n=None)
    with pytest.raises(ValueError, match="no column 'tokens'"):
        topics.build_bow(pd.DataFrame({"doc_id": ["a"]}), no_below=1, no_above=1.0, keep_n=None)
    with pytest.raises(ValueError, match="n_topics must be >= 2, got 1"):
        topics.TopicModel(1).fit(topics.build_bow(toks, no_below=1, no_above=1.0, keep_n=None))


def test_filter_docs_drops_duplicates_and_off_topic_unless_asked():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "duplicate_of": [None, "a", None],
                         "on_topic": [True, True, False]})
    assert topics.filter_docs(docs)["doc_id"].tolist() == ["a"]
    assert topics.filter_docs(docs, include_duplicates=True, include_off_topic=True)["doc_id"].tolist() == list("abc")


# --------------------------------------------------------------------------- planted topics
def test_planted_topics_are_recovered(planted, fitted):
    _, _, beta, _ = planted
    _, model = fitted
    m = _match(model, beta)
    assert m["similarity"].min() > 0.95, m
    assert sorted(m["topic_b"].tolist()) == [1, 2, 3, 4]


def test_planted_topics_recovered_by_cosine_too(planted, fitted):
    _, _, beta, _ = planted
    _, model = fitted
    m = topics.align_topics(model, (beta, np.array(WORDS, dtype=object)), metric="cosine")
    assert m["similarity"].min() > 0.9


# --------------------------------------------------------------------------- reproducibility
def test_same_seed_same_topics_different_seed_differs(fitted):
    corpus, model = fitted
    again = topics.TopicModel(K_PLANT, passes=30, iterations=100, seed=11).fit(corpus)
    assert np.array_equal(again.topic_word_, model.topic_word_)
    assert np.array_equal(again.gamma_, model.gamma_)
    assert again.model_sha256_ == model.model_sha256_
    other = topics.TopicModel(K_PLANT, passes=30, iterations=100, seed=12).fit(corpus)
    assert not np.array_equal(other.topic_word_, model.topic_word_)


def test_save_load_round_trip_keeps_params_and_input_hash(fitted, tmp_path):
    _, model = fitted
    model.save(tmp_path / "m")
    back = topics.TopicModel.load(tmp_path / "m")
    assert back.get_params() == model.get_params()
    assert back.input_sha256_ == model.input_sha256_
    assert np.array_equal(back.topic_word_, model.topic_word_)
    assert back.units_.equals(model.units_)
    assert np.allclose(back.transform(model.lda_ and [[(0, 3), (1, 2)]]), model.transform([[(0, 3), (1, 2)]]))


def test_fit_topics_cache_returns_the_same_model(planted, tmp_path):
    toks, *_ = planted
    kw = dict(no_below=1, no_above=1.0, min_tokens=1, passes=3, seed=5, cache_dir=tmp_path)
    m1 = topics.fit_topics(toks, 3, **kw)
    m2 = topics.fit_topics(toks, 3, **kw)  # loaded from the cache
    assert np.array_equal(m1.topic_word_, m2.topic_word_)
    assert len(list((tmp_path / "topic-models").iterdir())) == 1


# --------------------------------------------------------------------------- alignment & stability
def test_permuted_copy_aligns_perfectly(fitted):
    _, model = fitted
    perm = np.array([2, 0, 3, 1])
    copy = (model.topic_word_[perm], model.vocab_)
    al = topics.align_topics(model, copy)
    # topic i of the model is row perm^-1(i) of the copy
    inv = np.argsort(perm)
    assert al["topic_b"].tolist() == (inv + 1).tolist()
    assert np.allclose(al["similarity"], 1.0)
    st = topics.topic_stability([model, copy, (model.topic_word_[::-1], model.vocab_)])
    assert np.allclose(st["stability"], 1.0)


def test_alignment_over_different_vocabularies():
    a = (np.array([[0.7, 0.3], [0.2, 0.8]]), ["科技", "创新"])
    b = (np.array([[0.8, 0.2, 0.0], [0.0, 0.3, 0.7]]), ["廉政", "创新", "科技"])
    al = topics.align_topics(a, b)
    assert al["topic_b"].tolist() == [2, 1]
    assert al["similarity"].iloc[0] == pytest.approx(1.0)


def test_stability_separates_real_topics_from_noise():
    rng = np.random.default_rng(0)
    real = rng.dirichlet(np.full(30, 0.1), size=2)
    runs = [(np.vstack([real, rng.dirichlet(np.full(30, 0.1))]), list(range(30))) for _ in range(4)]
    st = topics.topic_stability(runs)
    assert (st["stability"].iloc[:2] > 0.99).all()
    assert st["stability"].iloc[2] < 0.8


def test_select_topics_parallel_equals_serial(planted):
    toks, *_ = planted
    toks = toks.iloc[:60]
    kw = dict(no_below=1, no_above=1.0, min_tokens=1, passes=3, iterations=50, topn=5)
    serial = topics.select_topics(toks, [2, 3], [1, 2], n_jobs=1, **kw)
    parallel = topics.select_topics(toks, [2, 3], [1, 2], n_jobs=2, **kw)
    cols = [c for c in serial.table.columns if "seconds" not in c]
    pd.testing.assert_frame_equal(serial.table[cols], parallel.table[cols])
    pd.testing.assert_frame_equal(serial.topic_table, parallel.topic_table)
    t = serial.table
    assert t[["K", "seed"]].values.tolist() == [[2, 1], [2, 2], [3, 1], [3, 2]]
    assert t["heldout_perplexity"].gt(1).all() and t["stability"].between(0, 1).all()
    assert t["coherence_cv"].notna().all() and t["coherence_npmi"].notna().all()
    assert set(serial.models) == {(2, 1), (2, 2), (3, 1), (3, 2)}


# --------------------------------------------------------------------------- labels
def test_frex_prefers_exclusive_words_over_common_ones():
    # word 0 frequent everywhere; word 1 frequent-ish and only in topic 0
    tw = np.array([[0.40, 0.30, 0.10, 0.10, 0.10], [0.40, 0.01, 0.05, 0.05, 0.49]])
    m = topics.TopicModel(2)
    m.lda_, m.vocab_, m.topic_word_ = None, np.array(list("abcde"), dtype=object), tw
    lab = topics.label_topics(m, n=2)
    t1 = lab[lab.topic == 1]
    assert t1["prob_word"].tolist()[0] == "a" and t1["frex_word"].tolist()[0] == "b"


def test_label_file_round_trip_and_checks(fitted, tmp_path):
    _, model = fitted
    p = topics.write_label_template(model, tmp_path / "labels.csv")
    with pytest.raises(FileExistsError):
        topics.write_label_template(model, p)
    lab = pd.read_csv(p, encoding="utf-8-sig")
    lab.loc[0, ["label_zh", "label_en"]] = ["科技创新", "S&T innovation"]
    lab.to_csv(p, index=False, encoding="utf-8-sig")
    got = topics.read_labels(p, model=model)
    assert got.loc[0, "label"] == "1. 科技创新 (S&T innovation)"
    lab.iloc[:3].to_csv(tmp_path / "short.csv", index=False, encoding="utf-8-sig")
    with pytest.raises(ValueError, match="model has topics 1..4"):
        topics.read_labels(tmp_path / "short.csv", model=model)
    lab.assign(model_sha256="0" * 64).to_csv(tmp_path / "other.csv", index=False, encoding="utf-8-sig")
    with pytest.warns(UserWarning, match="different model"):
        topics.read_labels(tmp_path / "other.csv", model=model)
    res = topics.resolve_labels(model, tmp_path / "short.csv", template_path=tmp_path / "t.csv")
    assert "does not fit" in res.attrs["note"] and len(res) == 4


def test_find_passages_returns_paragraph_text():
    m = topics.TopicModel(2)
    m.lda_ = None
    m.units_ = pd.DataFrame({"doc_id": ["a", "a", "b"], "para_id": [0, 1, 0], "n_tokens": [20, 20, 20]})
    m.theta_ = np.array([[0.9, 0.1], [0.1, 0.9], [0.5, 0.5]])
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["一、科技创新工作\n二、廉政建设工作", "其他"]})
    got = topics.find_passages(m, docs, n=1, min_tokens=1)
    assert got["passage"].tolist() == ["一、科技创新工作", "二、廉政建设工作"]


# --------------------------------------------------------------------------- prevalence
def test_prevalence_intervals_contain_planted_period_shares(planted, fitted):
    toks, meta, beta, theta = planted
    _, model = fitted
    prev = topics.topic_prevalence(model, meta, by="fyp_period", nsims=200, seed=3)
    m = _match(model, beta)
    truth = pd.DataFrame(theta, columns=[1, 2, 3, 4]).assign(fyp_period=meta["fyp_period"]).groupby("fyp_period").mean()
    inside = []
    for row in prev.itertuples():
        planted_topic = int(m.loc[m.topic_a == row.topic, "topic_b"].iloc[0])
        inside.append(row.lo <= truth.loc[row.fyp_period, planted_topic] <= row.hi)
    assert np.mean(inside) >= 0.9, prev
    # planted trend: topic 1 grows from 0.10 to 0.40
    k1 = int(m.loc[m.topic_b == 1, "topic_a"].iloc[0])
    est = prev[prev.topic == k1].set_index("fyp_period")["estimate"]
    assert est["十三五"] - est["十一五"] > 0.2
    assert prev["fyp_period"].unique().tolist() == PERIODS  # periods in time order


def test_prevalence_intervals_widen_with_fewer_documents(fitted, planted):
    _, meta, _, _ = planted
    _, model = fitted
    full = topics.topic_prevalence(model, meta, by="fyp_period", nsims=100, seed=1)
    few = topics.topic_prevalence(model, meta.iloc[:24], by="fyp_period", nsims=100, seed=1)
    assert few.attrs["n_docs_used"] == 24 and full.attrs["n_docs_used"] == 160
    assert (few["hi"] - few["lo"]).mean() > 1.5 * (full["hi"] - full["lo"]).mean()


def test_prevalence_is_reproducible_and_not_a_bare_average(fitted, planted):
    _, meta, _, _ = planted
    _, model = fitted
    a = topics.topic_prevalence(model, meta, by="fyp_period", nsims=50, seed=9)
    b = topics.topic_prevalence(model, meta, by="fyp_period", nsims=50, seed=9)
    pd.testing.assert_frame_equal(a, b)
    c = topics.topic_prevalence(model, meta, by="fyp_period", nsims=50, seed=10)
    assert not np.array_equal(a["lo"], c["lo"])
    assert (a["lo"] < a["estimate"]).all() and (a["estimate"] < a["hi"]).all()


def test_prevalence_year_spline_and_paragraph_aggregation():
    rng = np.random.default_rng(0)
    n = 40
    m = topics.TopicModel(2)
    m.lda_ = None
    # two paragraphs per document; the long one carries the topic
    m.units_ = pd.DataFrame({"doc_id": np.repeat([f"d{i}" for i in range(n)], 2), "para_id": [0, 1] * n,
                             "n_tokens": [90, 10] * n})
    years = np.repeat(np.arange(2006, 2016), 4)
    share = (years - 2006) / 10
    g = []
    for s in share:
        g += [[100 * s + 1, 100 * (1 - s) + 1], [50, 50]]
    m.gamma_ = np.array(g, dtype=float)
    meta = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "year": years,
                         "year_confidence": ["high"] * 30 + ["low"] * 10})
    prev = topics.topic_prevalence(m, meta, by="year", time="spline", df=4, nsims=50, seed=0)
    t1 = prev[prev.topic == 1].set_index("year")["estimate"]
    assert list(t1.index) == list(range(2006, 2016))
    assert t1.is_monotonic_increasing
    # weighted by tokens: document share = 0.9 * s + 0.1 * 0.5
    assert t1[2006] == pytest.approx(0.05, abs=0.03)
    hi_conf = topics.topic_prevalence(m, meta, by="year", time="spline", nsims=20, seed=0, min_confidence="medium")
    assert hi_conf.attrs["n_docs_used"] == 30 and hi_conf.attrs["n_docs_dropped_confidence"] == 10
    with pytest.raises(ValueError, match="cannot estimate"):
        topics.topic_prevalence(m, meta.iloc[:10].assign(year=range(2000, 2010)), by="year")


# --------------------------------------------------------------------------- dynamics, pyLDAvis, figures
def test_dynamic_topics_follow_the_static_model(planted, fitted):
    toks, meta, _, _ = planted
    _, model = fitted
    sub = toks.iloc[:24]
    dyn = topics.fit_dynamic_topics(sub, meta, model=model, vocab_size=30, n_words=5, em_max_iter=2, seed=0)
    assert dyn.periods == PERIODS and sum(dyn.time_slice) == 24
    d = dyn.drift
    assert set(d["period"]) == set(PERIODS) and set(d["topic"]) == {1, 2, 3, 4}
    static_top = model.top_words(5)
    for k in range(1, 5):
        dyn_top = d[(d.topic == k) & (d.period == "十一五") & (d["rank"] <= 5)]["word"]
        assert len(set(dyn_top) & set(static_top[k - 1])) >= 3  # topic k continues static topic k


def test_ldavis_page_is_offline(fitted, tmp_path):
    _, model = fitted
    p = topics.write_ldavis(model, tmp_path / "vis.html")
    html = p.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=[\"']?https?://", html)
    assert not re.search(r"<link[^>]*\bhref=[\"']?https?://", html)
    assert "LDAvis" in html and "d3" in html and json.dumps(WORDS[0])[1:-1] in html


def test_figure_data_is_identical_for_the_same_seed(fitted, planted, tmp_path):
    from bureau_rhetoric import figures

    _, meta, _, _ = planted
    _, model = fitted
    csvs = []
    for run in ("a", "b"):
        prev = topics.topic_prevalence(model, meta, by="fyp_period", nsims=30, seed=4)
        axes = figures.plot_topic_prevalence(prev)
        paths = figures.save_figure(axes[0].figure, "prev", data=prev, out_dir=tmp_path / run, formats=("png",))
        words = topics.label_topics(model)
        axes = figures.plot_topic_words(words)
        paths2 = figures.save_figure(axes[0].figure, "words", data=words, out_dir=tmp_path / run, formats=("png",))
        csvs.append(paths["csv"].read_bytes() + paths2["csv"].read_bytes())
    assert csvs[0] == csvs[1]


def test_topic_words_by_period_follows_planted_word_shift():
    # one theme (研发 企业) says 科技 in the first period and 创新 in the second; another theme is stable
    rows = [(f"a{i}", 0, ["科技"] * 4 + ["研发"] * 4 + ["企业"] * 2) for i in range(20)]
    rows += [(f"b{i}", 0, ["创新"] * 4 + ["研发"] * 4 + ["企业"] * 2) for i in range(20)]
    rows += [(f"c{i}", 0, ["监督", "纪律"] * 5) for i in range(20)]
    toks = pd.DataFrame(rows, columns=["doc_id", "para_id", "tokens"])
    meta = pd.DataFrame({"doc_id": toks["doc_id"],
                         "fyp_period": ["十一五"] * 20 + ["十二五"] * 20 + ["十一五", "十二五"] * 10})
    model = topics.fit_topics(toks, 2, no_below=1, no_above=1.0, min_tokens=1, passes=20, seed=0)
    d = topics.topic_words_by_period(model, model.corpus_, meta, n_words=4)
    k = int(d.loc[d.word == "研发"].sort_values("prob").iloc[-1]["topic"])
    p = d[d.topic == k].pivot(index="word", columns="period", values="prob")
    assert p.loc["科技", "十一五"] > 0.3 > p.loc["科技", "十二五"]
    assert p.loc["创新", "十二五"] > 0.3 > p.loc["创新", "十一五"]
    assert abs(p.loc["研发", "十一五"] - p.loc["研发", "十二五"]) < 0.05


def test_tomotopy_engine_recovers_planted_topics_reproducibly(planted, tmp_path):
    toks, meta, beta, _ = planted
    corpus = topics.build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    m1 = topics.TopicModel(K_PLANT, engine="tomotopy", gibbs_iterations=300, seed=3).fit(corpus)
    m2 = topics.TopicModel(K_PLANT, engine="tomotopy", gibbs_iterations=300, seed=3).fit(corpus)
    assert np.array_equal(m1.topic_word_, m2.topic_word_) and np.array_equal(m1.gamma_, m2.gamma_)
    assert _match(m1, beta)["similarity"].min() > 0.93  # one Gibbs sample: a little noisier than VB
    prev = topics.topic_prevalence(m1, meta, by="fyp_period", nsims=20, seed=0)
    assert (prev["lo"] < prev["hi"]).all()
    m1.save(tmp_path / "tp")
    back = topics.TopicModel.load(tmp_path / "tp")
    assert back.engine == "tomotopy" and np.array_equal(back.topic_word_, m1.topic_word_)


def test_resolve_labels_refuses_labels_of_changed_topics(fitted, tmp_path):
    _, model = fitted
    p = topics.write_label_template(model, tmp_path / "labels.csv")
    lab = pd.read_csv(p, encoding="utf-8-sig")
    lab["label_zh"] = ["甲", "乙", "丙", "丁"]
    lab.assign(model_sha256="0" * 64).to_csv(p, index=False, encoding="utf-8-sig")
    ok = topics.resolve_labels(model, p, template_path=tmp_path / "t.csv")
    assert ok["label_zh"].tolist() == ["甲", "乙", "丙", "丁"] and "still match" in ok.attrs["note"]
    lab["frex_words"] = lab["frex_words"].iloc[::-1].tolist()  # topics renumbered
    lab.assign(model_sha256="0" * 64).to_csv(p, index=False, encoding="utf-8-sig")
    bad = topics.resolve_labels(model, p, template_path=tmp_path / "t.csv")
    assert "甲" not in bad["label_zh"].tolist() and "changed" in bad.attrs["note"]


def test_prevalence_periods_come_in_plan_order_not_string_order():
    m = topics.TopicModel(2)
    m.lda_ = None
    periods = ["九五", "八五", "十一五", "十五", "六五"] * 2  # string order would put 九五 first and 六五 after 八五
    m.units_ = pd.DataFrame({"doc_id": [f"u{i}" for i in range(10)], "para_id": 0, "n_tokens": 50})
    m.gamma_ = np.tile([[30.0, 20.0]], (10, 1))
    meta = pd.DataFrame({"doc_id": [f"u{i}" for i in range(10)], "fyp_period": periods})
    prev = topics.topic_prevalence(m, meta, by="fyp_period", nsims=5, seed=0)
    assert prev.query("topic == 1")["fyp_period"].tolist() == ["六五", "八五", "九五", "十五", "十一五"]


def _shares_model(years, share1, seed=0, tokens=200, noise=0.03):
    """A fitted-looking two-topic model whose documents have topic-1 shares ``share1`` (posterior ~ tokens)."""
    rng = np.random.default_rng(seed)
    m = topics.TopicModel(2)
    m.lda_ = None
    n = len(years)
    m.units_ = pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "para_id": 0, "n_tokens": tokens})
    s = np.clip(np.asarray(share1, float) + rng.normal(0, noise, n), 0.001, 0.999)
    m.gamma_ = np.column_stack([s * tokens + 0.1, (1 - s) * tokens + 0.1])
    meta = pd.DataFrame({"doc_id": m.units_["doc_id"], "year": years, "fyp_period": [None] * n})
    return m, meta


def test_prevalence_stays_in_unit_interval_where_a_linear_fit_leaves_it():
    # a topic almost absent, one document per early year: least squares reaches below 0
    years = np.array([1990, 1991, 1992, 2010, 2010, 2011, 2011, 2012, 2012, 2013])
    share = np.array([0.01, 0.0, 0.02, 0.30, 0.35, 0.32, 0.28, 0.33, 0.31, 0.36])
    m, meta = _shares_model(years, share)
    lin = topics.topic_prevalence(m, meta, by="year", time="spline", df=4, nsims=200, seed=1, scale="linear")
    bounded = topics.topic_prevalence(m, meta, by="year", time="spline", df=4, nsims=200, seed=1)
    assert (lin["lo"] < 0).any()  # the failure the bounded scale exists for
    assert bounded["lo"].min() >= 0 and bounded["hi"].max() <= 1
    # the fractional logit estimates the mean share: by category it is the period mean
    cat = topics.topic_prevalence(m, meta.assign(year=np.where(years < 2000, 1990, 2010)), by="year",
                                  nsims=400, seed=2)
    late = cat[(cat.topic == 1) & (cat.year == 2010)]["estimate"].iloc[0]
    assert late == pytest.approx(share[3:].mean(), abs=0.03)


def test_spline_df_auto_is_chosen_by_cross_validation_and_follows_the_data():
    rng = np.random.default_rng(5)
    years = rng.integers(1982, 2022, size=240)
    t = (years - 1982) / 40
    hump = 0.1 + 0.5 * np.exp(-((t - 0.5) ** 2) / 0.02)  # rises and falls within the span
    m, meta = _shares_model(years, hump, seed=1)
    prev = topics.topic_prevalence(m, meta, by="year", time="spline", df="auto", nsims=50, seed=0)
    assert prev.attrs["df_chosen"] >= 4 and "cross-validation" in prev["method"].iloc[0]
    cv = pd.DataFrame(prev.attrs["df_cv"])
    assert cv.loc[cv["cv_error"].idxmin(), "df"] == prev.attrs["df_chosen"]
    mid = prev[(prev.topic == 1) & (prev.year == 2002)]["estimate"].iloc[0]
    ends = prev[(prev.topic == 1) & prev.year.isin([1982, 2021])]["estimate"]
    assert mid > ends.max() + 0.2  # the hump is drawn, not a straight line
    flat = _shares_model(years, 0.2 + 0.1 * t, seed=2)
    assert topics.topic_prevalence(*flat, by="year", time="spline", df="auto", nsims=20,
                                   seed=0).attrs["df_chosen"] <= 3
    few = _shares_model(np.array([2001, 2001, 2005]), [0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="too few to choose a spline"):
        topics.topic_prevalence(*few, by="year", time="spline", df="auto", nsims=5)


# --------------------------------------------------------------------------- speed: samples, warm starts, convergence
def test_sample_units_is_seeded_keeps_the_vocabulary_and_order(planted):
    toks, *_ = planted
    corpus = topics.build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    a = topics.sample_units(corpus, 50, seed=4)
    b = topics.sample_units(corpus, 50, seed=4)
    c = topics.sample_units(corpus, 50, seed=5)
    assert a.units["doc_id"].tolist() == b.units["doc_id"].tolist() != c.units["doc_id"].tolist()
    assert len(a.bow) == 50 and a.summary["n_units_sampled"] == 50 and a.summary["n_units"] == len(corpus.bow)
    assert a.dct is corpus.dct  # models on the sample share the whole corpus's columns
    ids = a.units["doc_id"].tolist()
    assert ids == sorted(ids)  # corpus order kept
    pos = {d: i for i, d in enumerate(corpus.units["doc_id"])}
    assert all(a.bow[j] == corpus.bow[pos[d]] for j, d in enumerate(ids))
    assert topics.sample_units(corpus, None).bow == corpus.bow
    assert len(topics.sample_units(corpus, 10_000).bow) == len(corpus.bow)
    with pytest.raises(ValueError, match="sample size"):
        topics.sample_units(corpus, 0)


def test_warm_start_and_convergence_recover_planted_topics_in_fewer_passes(planted):
    toks, _, beta, _ = planted
    corpus = topics.build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    start = topics.TopicModel(K_PLANT, engine="tomotopy", gibbs_iterations=200, seed=2).fit(
        topics.sample_units(corpus, 60, seed=2))
    warm = topics.TopicModel(K_PLANT, passes=30, iterations=100, tol=0.01, seed=2).fit(corpus, init=start)
    again = topics.TopicModel(K_PLANT, passes=30, iterations=100, tol=0.01, seed=2).fit(corpus, init=start)
    cold = topics.TopicModel(K_PLANT, passes=30, iterations=100, tol=0.01, seed=2).fit(corpus)
    assert np.array_equal(warm.topic_word_, again.topic_word_)
    assert _match(warm, beta)["similarity"].min() > 0.95
    assert warm.passes_ < 30 and warm.passes_ <= cold.passes_
    assert "tomotopy" in warm.init_ and cold.init_ is None
    # topic k of the result continues topic k of the start
    al = topics.align_topics(warm, start)
    assert (al["topic_a"] == al["topic_b"]).all() and al["similarity"].min() > 0.9
    # with tol=None every pass runs, as before
    full = topics.TopicModel(K_PLANT, passes=4, iterations=50, seed=2).fit(corpus)
    assert full.passes_ == 4 and full.init_ is None
    with pytest.raises(ValueError, match="tol"):
        topics.TopicModel(K_PLANT, tol=0).fit(corpus)
    with pytest.raises(ValueError, match="topics"):
        topics.TopicModel(K_PLANT + 1, tol=0.01).fit(corpus, init=start)


def test_fit_topics_with_a_gibbs_start_is_cached_and_reproducible(planted, tmp_path):
    toks, _, beta, _ = planted
    kw = dict(no_below=1, no_above=1.0, min_tokens=1, passes=30, iterations=100, tol=0.01, init_sample=60,
              init_iterations=200, seed=5)
    m1 = topics.fit_topics(toks, K_PLANT, cache_dir=tmp_path, **kw)
    m2 = topics.fit_topics(toks, K_PLANT, cache_dir=tmp_path, **kw)  # from the cache
    m3 = topics.fit_topics(toks, K_PLANT, **kw)  # refitted
    assert np.array_equal(m1.topic_word_, m2.topic_word_) and np.array_equal(m1.topic_word_, m3.topic_word_)
    assert m2.passes_ == m1.passes_ and m2.init_ == m1.init_ and "60 units" in m1.init_
    assert _match(m1, beta)["similarity"].min() > 0.95
    cold = topics.fit_topics(toks, K_PLANT, cache_dir=tmp_path, **dict(kw, init_sample=None))
    assert cold.init_ is None and not np.array_equal(cold.topic_word_, m1.topic_word_)


def test_select_topics_on_a_sample_with_tomotopy_in_workers(planted):
    toks, *_ = planted
    kw = dict(no_below=1, no_above=1.0, min_tokens=1, engine="tomotopy", gibbs_iterations=100, topn=5,
              sample_size=80)
    serial = topics.select_topics(toks, [3, 4], [1, 2], n_jobs=1, **kw)
    parallel = topics.select_topics(toks, [3, 4], [1, 2], n_jobs=2, **kw)  # tomotopy models cross processes
    cols = [c for c in serial.table.columns if "seconds" not in c]
    pd.testing.assert_frame_equal(serial.table[cols], parallel.table[cols])
    assert serial.bow_summary["n_units_sampled"] == 80 and serial.bow_summary["n_units"] == len(toks)
    assert all(len(m.units_) == 80 for m in serial.models.values())
    # terms the sample never uses keep a small positive probability: held-out scores stay finite
    assert np.isfinite(serial.table["heldout_perplexity"]).all()
    assert all((m.topic_word_ > 0).all() for m in serial.models.values())


def test_tomotopy_gives_unused_terms_the_probability_of_a_zero_count():
    toks = pd.DataFrame({"doc_id": list("abcd"), "tokens": [["科技", "创新"] * 5, ["廉政", "监督"] * 5,
                                                            ["科技", "创新"] * 5, ["服务", "企业"] * 5]})
    corpus = topics.build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    part = topics.sample_units(corpus, 2, seed=0)
    used = {corpus.dct[i] for d in part.bow for i, _ in d}
    m = topics.TopicModel(2, engine="tomotopy", gibbs_iterations=50, seed=1).fit(part)
    unused = [j for j, w in enumerate(m.vocab_) if w not in used]
    assert unused and (m.topic_word_[:, unused] > 0).all()
    assert np.allclose(m.topic_word_.sum(axis=1), 1)
    assert (m.topic_word_[:, unused] <= m.topic_word_.min(axis=1, keepdims=True) + 1e-15).all()


def test_dynamic_topics_in_workers_equal_serial_and_cap_documents(planted, fitted):
    toks, meta, _, _ = planted
    _, model = fitted
    sub = toks.iloc[:36]
    kw = dict(model=model, vocab_size=30, n_words=5, em_max_iter=1, seed=0)
    serial = topics.fit_dynamic_topics(sub, meta, n_jobs=1, **kw)
    parallel = topics.fit_dynamic_topics(sub, meta, n_jobs=2, **kw)
    pd.testing.assert_frame_equal(serial.drift, parallel.drift)
    capped = topics.fit_dynamic_topics(sub, meta, n_jobs=1, max_docs_per_period=5, **kw)
    assert capped.time_slice == [5, 5, 5] and capped.drift.attrs["n_docs_available"] == 36
    again = topics.fit_dynamic_topics(sub, meta, n_jobs=1, max_docs_per_period=5, **kw)
    pd.testing.assert_frame_equal(capped.drift, again.drift)


def test_prevalence_interval_of_a_rare_topic_is_its_standard_error_not_zero_to_one():
    # three periods of 15 documents; topic 1 is common in two and rare (share ~0.002) in the
    # third; a fourth period rests on one document. The interval of a level's mean share must
    # match the textbook one (mean +- 1.96 sd / sqrt(n)) within a factor of two, rare or common:
    # one dispersion pooled over all documents made the rare level's run from ~0 to ~0.03.
    rng = np.random.default_rng(3)
    lv = np.repeat([0, 1, 2], 15)
    mean, sd = np.array([0.40, 0.30, 0.004]), np.array([0.12, 0.12, 0.0015])
    share = np.clip(mean[lv] + rng.normal(size=lv.size) * sd[lv], 0.001, 0.99)
    years = np.r_[np.array([1995, 2005, 2015])[lv], 2020]
    share = np.r_[share, 0.2]
    m, meta = _shares_model(years, share, tokens=100_000, noise=0.0)
    prev = topics.topic_prevalence(m, meta, by="year", nsims=400, seed=4).query("topic == 1")
    for k, year in enumerate([1995, 2005, 2015]):
        row = prev[prev.year == year].iloc[0]
        s = share[:-1][lv == k]
        textbook = 2 * 1.96 * s.std(ddof=1) / np.sqrt(s.size)
        assert row["lo"] <= s.mean() <= row["hi"]
        assert 0.5 * textbook < row["hi"] - row["lo"] < 2 * textbook, (year, row["hi"] - row["lo"], textbook)
    lone = prev[prev.year == 2020].iloc[0]
    assert lone["hi"] - lone["lo"] > 0.1  # one document: an honest, wide interval
