"""Figures for topic models: K diagnostics, stability, words, prevalence and drift.

Each ``plot_*`` takes the tidy table made by :mod:`bureau_rhetoric.topics`
(``select_topics``, ``topic_stability``, ``label_topics``, ``topic_prevalence``,
``fit_dynamic_topics(...).drift``), draws on ``ax``/``axes`` (created at a journal
width when None) and returns it; labels are Chinese with English glosses.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric.figures import plot_topic_stability
>>> stab = pd.DataFrame({"topic": [1, 2], "stability": [0.9, 0.4], "min_similarity": [0.85, 0.3]})
>>> ax = plot_topic_stability(stab)
>>> [t.get_text() for t in ax.get_yticklabels()]
['主题 2\\n(topic 2)', '主题 1\\n(topic 1)']
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "plot_k_diagnostics",
    "plot_topic_stability",
    "plot_topic_prevalence",
    "plot_topic_words",
    "plot_topic_drift",
    "topic_label_map",
]

_K_METRICS = {
    "coherence_cv": "语义一致性 c_v\ncoherence (higher is better)",
    "coherence_npmi": "NPMI 一致性\ncoherence (higher is better)",
    "heldout_perplexity": "留出困惑度\nheld-out perplexity (lower is better)",
    "exclusivity": "排他性\nexclusivity (higher is better)",
    "stability": "跨种子稳定性\nstability across seeds (higher is better)",
}


def topic_label_map(labels: pd.DataFrame | Mapping[int, str] | None, topics: Sequence[int]) -> dict[int, str]:
    """Return ``{topic: label}``; falls back to "主题 k (topic k)".

    Parameters
    ----------
    labels : DataFrame with ``topic`` and ``label``, mapping, or None
    topics : sequence of int

    Returns
    -------
    dict

    Examples
    --------
    >>> from bureau_rhetoric.figures import topic_label_map
    >>> topic_label_map(None, [1, 2])
    {1: '主题 1 (topic 1)', 2: '主题 2 (topic 2)'}
    """
    out = {int(k): f"主题 {int(k)} (topic {int(k)})" for k in topics}
    if labels is None:
        return out
    if isinstance(labels, pd.DataFrame):
        labels = dict(zip(labels["topic"].astype(int), labels["label"].astype(str)))
    out.update({int(k): str(v) for k, v in labels.items() if int(k) in out})
    return out


def _wrap(label: str) -> str:
    """Put the English gloss of a label on its own line (panel titles stay narrow)."""
    return label.replace(" (", "\n(", 1)


def _grid(n_panels: int, ncols: int, width: str = "double", panel_aspect: float = 0.8):
    from . import new_figure

    ncols = max(1, min(ncols, n_panels))
    nrows = int(np.ceil(n_panels / ncols))
    fig, axes = new_figure(width, aspect=panel_aspect * nrows / ncols, nrows=nrows, ncols=ncols,
                           squeeze=False)
    axes = axes.ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return axes[:n_panels]


def plot_k_diagnostics(table: pd.DataFrame, *, metrics: Sequence[str] | None = None, chosen_k: int | None = None,
                       axes=None, ncols: int = 3):
    """Draw searchK-style diagnostics: one panel per metric against K, seeds as points.

    Parameters
    ----------
    table : DataFrame
        From ``topics.select_topics``: ``K``, ``seed`` and metric columns.
    metrics : sequence of str, optional
        Columns to draw; default coherence (c_v, NPMI), held-out perplexity,
        exclusivity and stability (those present).
    chosen_k : int, optional
        Marked with a dashed line.
    axes : sequence of Axes, optional
        One per metric; default a new double-width grid.
    ncols : int, default 3

    Returns
    -------
    ndarray of Axes
    """
    if metrics is None:
        metrics = [m for m in _K_METRICS if m in table.columns and table[m].notna().any()]
    if axes is None:
        axes = _grid(len(metrics), ncols, panel_aspect=0.75)
    axes = np.asarray(axes).ravel()
    for ax, m in zip(axes, metrics):
        d = table[["K", "seed", m]].dropna()
        ax.scatter(d["K"], d[m], s=12, color="0.55", alpha=0.8, label="单次拟合 one seed", zorder=2)
        g = d.groupby("K")[m].agg(["mean", "min", "max"]).reset_index()
        ax.plot(g["K"], g["mean"], "-o", color="C0", ms=3.5, lw=1.3, label="种子均值 mean over seeds", zorder=3)
        if chosen_k is not None:
            ax.axvline(chosen_k, ls="--", color="C3", lw=0.9, zorder=1)
        ax.set_title(_K_METRICS.get(m, m), fontsize="small")
        ax.set_xticks(sorted(d["K"].unique()))
        ax.set_xlabel("主题数 K (number of topics)")
    if len(axes):
        handles, names = axes[0].get_legend_handles_labels()
        axes[0].figure.legend(handles, names, fontsize="x-small", loc="lower right", frameon=False)
    return axes


def plot_topic_stability(stability: pd.DataFrame, *, labels=None, ax=None, threshold: float | None = None):
    """Draw per-topic stability across seeds (bars) with the worst match (ticks).

    Parameters
    ----------
    stability : DataFrame
        ``topic``, ``stability`` and optionally ``min_similarity`` (one run's topics,
        from ``topics.topic_stability``).
    labels : DataFrame or mapping, optional
        Topic labels (``topics.read_labels``).
    ax : Axes, optional
    threshold : float, optional
        Draw a reference line (e.g. 0.5) separating recurring topics from noise.

    Returns
    -------
    Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        from . import new_figure

        _, ax = new_figure("onehalf", aspect=0.2 + 0.06 * len(stability))
    d = stability.sort_values("stability").reset_index(drop=True)
    names = topic_label_map(labels, d["topic"].tolist())
    y = np.arange(len(d))
    ax.barh(y, d["stability"], color="C0", alpha=0.8, height=0.65, label="平均 mean")
    if "min_similarity" in d.columns:
        ax.scatter(d["min_similarity"], y, marker="|", s=90, color="k", lw=1.3, label="最差 worst run",
                   zorder=3)
    if threshold is not None:
        ax.axvline(threshold, ls="--", color="C3", lw=0.9)
    ax.set_yticks(y, [_wrap(names[int(k)]) for k in d["topic"]], fontsize="x-small")
    ax.set_xlim(0, 1)
    ax.set_xlabel("稳定性 stability\n(matched similarity across seeds)", fontsize="small")
    ax.legend(fontsize="x-small", loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    plt.setp(ax.get_yticklabels(), fontsize="x-small")
    return ax


def plot_topic_prevalence(prevalence: pd.DataFrame, *, labels=None, topics: Sequence[int] | None = None,
                          axes=None, ncols: int = 4, sharey: bool = False, band: pd.DataFrame | None = None):
    """Draw topic shares over time with their intervals, one panel per topic.

    Parameters
    ----------
    prevalence : DataFrame
        From ``topics.topic_prevalence``: ``topic``, a time column, ``estimate``,
        ``lo``, ``hi``, ``n_docs``.
    labels : DataFrame or mapping, optional
    topics : sequence of int, optional
        Default all.
    axes : sequence of Axes, optional
    ncols : int, default 4
    sharey : bool, default False
        One y scale for all panels.
    band : DataFrame, optional
        The same estimate from every document with imputed years
        (``imputation.topic_prevalence_imputed``, same time column), drawn behind as a
        lighter band (spline) or lighter boxes (categories) around ``prevalence``.

    Returns
    -------
    ndarray of Axes

    Notes
    -----
    Categorical time (periods, years as categories) is drawn as points with
    interval bars and the number of documents under each tick; a spline of the
    year as a line with a band and a rug of the years that have documents.
    """
    by = [c for c in prevalence.columns if c not in ("topic", "estimate", "lo", "hi", "n_docs", "method")][0]
    if band is not None and by not in band.columns:
        raise ValueError(f"band has no column {by!r}: draw it with the same time column as prevalence")
    topics = sorted(prevalence["topic"].unique()) if topics is None else list(topics)
    names = topic_label_map(labels, topics)
    if axes is None:
        axes = _grid(len(topics), ncols, panel_aspect=0.7)
    axes = np.asarray(axes).ravel()
    method = str(prevalence["method"].iloc[0]) if "method" in prevalence.columns else ""
    spline = method.startswith("B-spline")
    ymax = float(max(prevalence["hi"].max(), band["hi"].max() if band is not None else 0)) * 1.05
    levels = list(prevalence.loc[prevalence["topic"] == topics[0], by]) if topics else []
    if band is not None and not spline:  # categories: the union of both tables' levels, in the band's order
        extra = [v for v in band[by].unique() if v not in levels]
        if extra:
            from ..imputation import _sorted_levels

            levels = _sorted_levels(levels + extra, "year" if by == "year" else "fyp_period")
    for ax, k in zip(axes, topics):
        d = prevalence[prevalence["topic"] == k]
        if band is not None:
            b = band[band["topic"] == k]
            if spline:
                bx = b[by].astype(float).to_numpy()
                ax.fill_between(bx, b["lo"], b["hi"], color="C0", alpha=0.12, lw=0)
                ax.plot(bx, b["estimate"], color="C0", lw=0.8, ls="--", alpha=0.7)
            else:
                bx = np.array([levels.index(v) for v in b[by]], dtype=float)
                ax.bar(bx, b["hi"] - b["lo"], bottom=b["lo"], width=0.7, color="C0", alpha=0.2, lw=0, zorder=0)
        if spline:
            x = d[by].astype(float).to_numpy()
            ax.fill_between(x, d["lo"], d["hi"], color="C0", alpha=0.25, lw=0)
            ax.plot(x, d["estimate"], color="C0", lw=1.3)
            have = d[d["n_docs"] > 0]
            ax.plot(have[by].astype(float), np.zeros(len(have)), "|", color="k", ms=6)
        else:
            x = np.array([levels.index(v) for v in d[by]], dtype=float) if band is not None else np.arange(len(d))
            ax.errorbar(x, d["estimate"], yerr=[d["estimate"] - d["lo"], d["hi"] - d["estimate"]], fmt="o",
                        ms=3.5, color="C0", capsize=2, lw=1)
            if band is None:
                ax.set_xticks(x, [f"{v}\nn={n}" for v, n in zip(d[by], d["n_docs"])], fontsize="xx-small")
            else:  # n = dated / all (the band's count is a mean over imputations)
                nd = dict(zip(d[by], d["n_docs"]))
                nb = dict(zip(b[by], b["n_docs"]))
                ax.set_xticks(range(len(levels)), [f"{v}\nn={int(nd.get(v, 0))}/{int(round(float(nb.get(v, 0))))}"
                                                   for v in levels], fontsize="xx-small")
        ax.set_title(_wrap(names[int(k)]), fontsize="x-small")
        # shares live in [0, 1]: intervals beyond say "too few documents", not more
        top = min(1.0, ymax if sharey else float(d["hi"].max()) * 1.05)
        ax.set_ylim(0, max(top, 0.05))
    for ax in axes[:: max(1, min(ncols, len(topics)))]:
        ax.set_ylabel("主题比例 share")
    return axes


def plot_topic_words(words: pd.DataFrame, *, topics: Sequence[int] | None = None, labels=None, n: int = 8,
                     axes=None, ncols: int = 4):
    """Draw each topic's top words by probability (left) and by FREX (right).

    Parameters
    ----------
    words : DataFrame
        From ``topics.label_topics``: ``topic``, ``rank``, ``prob_word``, ``prob``,
        ``frex_word``, ``frex``.
    topics : sequence of int, optional
    labels : DataFrame or mapping, optional
    n : int, default 8
        Words per side.
    axes : sequence of Axes, optional
    ncols : int, default 4

    Returns
    -------
    ndarray of Axes

    Notes
    -----
    Left: the most probable words; right: the top FREX words (the harmonic mean
    of a word's frequency and exclusivity ranks: words both common in and
    particular to the topic). Bars on both sides are the word's probability in the
    topic, relative to the topic's most probable word, so one sees how much rarer
    the exclusive words are.
    """
    topics = sorted(words["topic"].unique()) if topics is None else list(topics)
    names = topic_label_map(labels, topics)
    if axes is None:
        axes = _grid(len(topics), ncols, panel_aspect=0.9)
    axes = np.asarray(axes).ravel()
    for ax, k in zip(axes, topics):
        d = words[(words["topic"] == k) & (words["rank"] <= n)].sort_values("rank")
        y = -np.arange(len(d))
        p = d["prob"].to_numpy() / d["prob"].max()
        ax.barh(y, -p, color="C0", alpha=0.75, height=0.7)
        ax.barh(y, d["frex_prob"].to_numpy() / d["prob"].max(), color="C1", alpha=0.75, height=0.7)
        for yi, w in zip(y, d["prob_word"]):
            ax.text(-0.03, yi, w, ha="right", va="center", fontsize=5.5)
        for yi, w in zip(y, d["frex_word"]):
            ax.text(0.03, yi, w, ha="left", va="center", fontsize=5.5)
        ax.axvline(0, color="k", lw=0.6)
        ax.set_xlim(-1.05, 1.05)
        ax.set_yticks([])
        ax.set_xticks([-1, 0, 1], ["按概率\nby prob", "", "按FREX\nby FREX"], fontsize="xx-small")
        ax.set_title(_wrap(names[int(k)]), fontsize="x-small")
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
    return axes


def plot_topic_drift(drift: pd.DataFrame, *, topic: int, n: int = 8, labels=None, ax=None,
                     title: str | None = None):
    """Draw how a topic's top words change probability across periods (dynamic model).

    Parameters
    ----------
    drift : DataFrame
        ``topic``, ``period``, ``word``, ``prob`` (periods in time order).
    topic : int
    n : int, default 8
        Words drawn: those with the highest probability in any period.
    labels : DataFrame or mapping, optional
    ax : Axes, optional
    title : str, optional
        Default the topic's label.

    Returns
    -------
    Axes

    Notes
    -----
    Works with both ``fit_dynamic_topics(...).drift`` and ``topic_words_by_period``.
    """
    if ax is None:
        from . import new_figure

        _, ax = new_figure("single", aspect=0.8)
    d = drift[drift["topic"] == topic]
    if d.empty:
        raise ValueError(f"topic {topic} is not in the drift table (topics {sorted(drift['topic'].unique())})")
    periods = list(pd.unique(d["period"]))
    top = d.groupby("word")["prob"].max().sort_values(ascending=False).head(n).index.tolist()
    x = np.arange(len(periods))
    ends = []
    for i, w in enumerate(top):
        s = d[d["word"] == w].set_index("period").reindex(periods)["prob"]
        ax.plot(x, s.to_numpy(), "-o", ms=2.5, lw=1.1, color=f"C{i % 10}")
        ends.append((float(s.iloc[-1]), w, f"C{i % 10}"))
    ax.set_ylim(bottom=0)
    lo, hi = ax.get_ylim()
    gap = 0.055 * (hi - lo)  # keep end labels apart
    placed: list[float] = []
    for y, w, c in sorted(ends):
        y_text = max(y, placed[-1] + gap) if placed else y
        placed.append(y_text)
        ax.text(x[-1] + 0.12, y_text, w, va="center", fontsize=6, color=c)
    if placed and placed[-1] > hi:
        ax.set_ylim(lo, placed[-1] + gap)
    ax.set_xticks(x, [str(p) for p in periods])
    ax.set_xlim(-0.2, len(periods) - 1 + 0.9)
    ax.set_xlabel("时期 period")
    ax.set_ylabel("词概率 word probability")
    ax.set_title(title if title is not None else _wrap(topic_label_map(labels, [topic])[topic]), fontsize="small")
    return ax
