"""The phrase figures draw what the tables say, with Chinese labels and English glosses."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from bureau_rhetoric import figures  # noqa: E402
from bureau_rhetoric.phrases import count_phrases, keyness, phrase_rates, rank_emerging_terms  # noqa: E402


@pytest.fixture(scope="module")
def docs():
    rows = []
    for y, text in [(2008, "落实科学发展观，提高自主创新能力"), (2008, "科学发展观，自主创新"),
                    (2012, "自主创新，实施创新驱动发展战略"), (2016, "推进大众创业万众创新，创新驱动"),
                    (2016, "大众创业、万众创新，建设众创空间"), (2021, "推动高质量发展，科技自立自强")]:
        rows.append({"doc_id": f"d{len(rows)}", "year": y, "text": text * 5,
                     "fyp_period": {2008: "十一五", 2012: "十二五", 2016: "十三五", 2021: "十四五"}[y]})
    return pd.DataFrame(rows)


def test_plot_phrase_rates_labels_and_doc_counts(docs):
    r = phrase_rates(count_phrases(docs), docs, level="family", n_boot=50)
    fig, ax = figures.new_figure("double")
    ax = figures.plot_phrase_rates(r, keys=["科学发展观", "大众创业、万众创新"], ax=ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "科学发展观\n(Scientific Outlook on\nDevelopment)"  # wrapped, never cut
    assert len(ax.lines) == 2
    # 2008, 2012, 2016, 2021: no two consecutive, so each line is broken at every gap
    assert all(np.isnan(np.asarray(ln.get_ydata(), float)).sum() == 3 for ln in ax.lines)
    # documents per year as bars on a secondary axis, not in the tick labels
    twin = [a for a in fig.axes if a is not ax][0]
    assert sorted(p.get_height() for p in twin.patches) == [1, 1, 2, 2]
    assert all(t.get_text().isdigit() or not t.get_text() for t in ax.get_xticklabels())
    assert figures.check_layout(fig) == []
    with pytest.raises(ValueError, match="no rows for key"):
        figures.plot_phrase_rates(r, keys=["不存在"], ax=ax)


def test_plot_period_heatmap_orders_periods_in_time(docs):
    r = phrase_rates(count_phrases(docs), docs, by="fyp_period", level="family", n_boot=0)
    fig, ax = figures.new_figure("double")
    figures.plot_period_heatmap(r, ax=ax)
    cols = [t.get_text().split("\n")[0] for t in ax.get_xticklabels()]
    assert cols == ["十一五", "十二五", "十三五", "十四五"]


def test_plot_keyness_and_emerging(docs):
    toks = pd.DataFrame({"doc_id": docs["doc_id"], "tokens": [["科技"] * 20 + (["旧词"] * 5 if y < 2014 else ["新词"] * 5)
                                                              for y in docs["year"]]})
    a, b = docs.loc[docs.year < 2014, "doc_id"], docs.loc[docs.year >= 2014, "doc_id"]
    fig, ax = figures.new_figure("single")
    figures.plot_keyness(keyness(toks, a, b, min_freq=2), ax=ax, label_a="早期", label_b="近期")
    assert {t.get_text() for t in ax.get_yticklabels()} >= {"旧词", "新词"}
    d = docs.assign(era=np.where(docs.year < 2014, "A", "B"))
    em = rank_emerging_terms(count_phrases(d), d, "A", "B", by="era", n_boot=50, min_freq=1)
    fig, ax = figures.new_figure("single")
    figures.plot_emerging_terms(em, ax=ax)
    assert any("大众创业、万众创新" in t.get_text() for t in ax.get_yticklabels())


def _strips(axes):
    return [a for a in axes[0].figure.axes if a.get_label() == "n-docs-strip"]


def test_plot_phrase_panels_one_panel_per_phrase_hollow_single_docs_and_no_line_across_gaps(docs):
    r = phrase_rates(count_phrases(docs), docs, level="family", n_boot=50)
    keys = ["科学发展观", "自主创新", "大众创业、万众创新"]
    axes = figures.plot_phrase_panels(r, keys=keys, ncols=2)
    assert [ax.get_title() for ax in axes][0] == "科学发展观\n(Scientific Outlook on Development)"
    ax = axes[1]  # 自主创新: 2008 has two documents (filled, whisker), 2012 one (hollow, none)
    filled = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_markerfacecolor() != "white"]
    hollow = [ln for ln in ax.lines if ln.get_marker() == "o" and ln.get_markerfacecolor() == "white"]
    assert len(filled[0].get_xdata()) == 2 and len(hollow[0].get_xdata()) == 2  # 2008, 2016 vs 2012, 2021
    assert len(ax.collections) == 1 and len(ax.collections[0].get_segments()) == 2
    # years 2008, 2012, 2016, 2021 are never consecutive: the connecting line is all breaks
    conn = [ln for ln in ax.lines if ln.get_marker() in ("None", None, "")][0]
    y = np.asarray(conn.get_ydata(), float)
    assert np.isnan(y).sum() == 3
    # a numeric year axis; the documents per year are a bar strip under each column
    assert list(filled[0].get_xdata()) == [2008.0, 2016.0]
    strips = _strips(axes)
    assert len(strips) == 2
    assert {(p.get_x() + p.get_width() / 2, p.get_height()) for p in strips[0].patches} == \
        {(2008.0, 2), (2012.0, 1), (2016.0, 2), (2021.0, 1)}
    assert figures.check_layout(axes[0].figure) == []
    with pytest.raises(ValueError, match="no rows for key"):
        figures.plot_phrase_panels(r, keys=["不存在"])


def test_plot_phrase_panels_thins_year_ticks_whatever_the_number_of_years():
    rng = np.random.default_rng(0)
    years = rng.choice(np.arange(1978, 2024), size=90)
    d = pd.DataFrame({"doc_id": [f"y{i}" for i in range(len(years))], "year": years,
                      "text": ["实施创新驱动发展战略，推动高质量发展。" * int(rng.integers(1, 4)) for _ in years]})
    r = phrase_rates(count_phrases(d), d, level="family", n_boot=20)
    axes = figures.plot_phrase_panels(r, keys=["创新驱动", "高质量发展", "科学发展观", "自主创新", "新质生产力"])
    fig = axes[0].figure
    strip = _strips(axes)[0]
    fig.canvas.draw()
    shown = [t.get_text() for t in strip.get_xticklabels() if t.get_text()]
    assert 3 <= len(shown) <= 8, shown
    assert figures.check_layout(fig) == []


def test_plot_phrase_panels_compare_draws_both_samples_in_each_panel(docs):
    r = phrase_rates(count_phrases(docs), docs, level="family", n_boot=0)
    sub = docs[docs.year != 2016]
    r2 = phrase_rates(count_phrases(sub), sub, level="family", n_boot=0)
    axes = figures.plot_phrase_panels(r, compare=r2, keys=["创新驱动"], colors=("#0072B2", "#D55E00"))
    colours = {matplotlib.colors.to_hex(ln.get_markeredgecolor()) for ln in axes[0].lines if ln.get_marker() == "o"}
    assert colours == {"#0072b2", "#d55e00"}
    bars = {(p.get_x() + p.get_width() / 2, p.get_height(), matplotlib.colors.to_hex(p.get_facecolor()))
            for p in _strips(axes)[0].patches}
    assert (2016.0, 2, "#8c8c8c") in bars and not any(b[0] == 2016.0 and b[2] == "#d55e00" for b in bars)
    assert figures.check_layout(axes[0].figure) == []


def test_plot_phrase_panels_by_period_keeps_plan_order_and_joins_adjacent_periods(docs):
    r = phrase_rates(count_phrases(docs), docs, by="fyp_period", level="family", n_boot=0)
    axes = figures.plot_phrase_panels(r, x="fyp_period", keys=["自主创新"])
    assert [t.get_text() for t in _strips(axes)[0].get_xticklabels()] == ["十一五", "十二五", "十三五", "十四五"]
    conn = [ln for ln in axes[0].lines if ln.get_marker() in ("None", None, "")][0]
    assert not np.isnan(np.asarray(conn.get_ydata(), float)).any()


def test_plot_period_heatmap_flags_periods_resting_on_one_document(docs):
    r = phrase_rates(count_phrases(docs), docs, by="fyp_period", level="family", n_boot=0)
    fig, ax = figures.new_figure("double")
    figures.plot_period_heatmap(r, ax=ax)
    cols = {t.get_text().split("\n")[0]: t.get_text() for t in ax.get_xticklabels()}
    assert cols["十二五"].endswith("n=1\n单篇\nsingle")  # one document in 2012
    assert "单篇" not in cols["十一五"]  # two documents in 2008


def test_periods_before_jiuwu_read_left_to_right_in_time():
    # plans older than the seeds reach (六五, 八五) and names whose string order is wrong (九五 < 八五)
    years = {"六五": 1983, "八五": 1993, "九五": 1998, "十五": 2003, "十一五": 2008, "十四五": 2022}
    docs = pd.DataFrame([{"doc_id": f"p{i}{j}", "year": y, "fyp_period": p, "text": "坚持科技是第一生产力，自主创新" * 3}
                         for i, (p, y) in enumerate(years.items()) for j in range(2)])
    r = phrase_rates(count_phrases(docs), docs, by="fyp_period", level="family", n_boot=20)
    fig, ax = figures.new_figure("double")
    figures.plot_period_heatmap(r, ax=ax)
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == list(years)
    assert ax.get_xticklabels()[1].get_text().split("\n")[1] == "1991–95"
    axes = figures.plot_phrase_panels(r, keys=["自主创新"], x="fyp_period")
    ticks = [t.get_text() for t in _strips(axes)[0].get_xticklabels()]
    # every plan between the first and the last is on the axis, empty ones as gaps
    assert ticks == ["六五", "七五", "八五", "九五", "十五", "十一五", "十二五", "十三五", "十四五"]
