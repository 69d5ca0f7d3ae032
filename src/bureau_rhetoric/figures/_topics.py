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


def _wrap(label: str, width: int = 28) -> str:
    """Put the English gloss of a label on its own line(s), wrapped at ``width`` characters, never cut."""
    import textwrap

    zh, sep, en = label.partition(" (")
    if not sep:
        return label
    return zh + "\n" + "\n".join(textwrap.wrap("(" + en, width=width, break_long_words=False)) 


def _fs():
    from . import FONT_SIZES

    return FONT_SIZES


def _grid(n_panels: int, ncols: int, width: str = "double", panel_aspect: float = 0.8, extra_in: float = 0.0):
    from . import new_figure

    ncols = max(1, min(ncols, n_panels))
    nrows = int(np.ceil(n_panels / ncols))
    w_in = {"single": 89, "onehalf": 136, "double": 183}[width] / 25.4
    h_in = w_in / ncols * panel_aspect * nrows + extra_in
    fig, axes = new_figure(width, aspect=h_in / w_in, nrows=nrows, ncols=ncols, squeeze=False)
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
    from matplotlib.ticker import MaxNLocator

    fs = _fs()
    if metrics is None:
        metrics = [m for m in _K_METRICS if m in table.columns and table[m].notna().any()]
    if axes is None:
        axes = _grid(len(metrics), ncols, panel_aspect=0.75, extra_in=0.3)
    axes = np.asarray(axes).ravel()
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    for ax, m in zip(axes, metrics):
        d = table[["K", "seed", m]].dropna()
        ax.scatter(d["K"], d[m], s=10, color="0.55", alpha=0.8, label="单次拟合 one seed", zorder=2)
        g = d.groupby("K")[m].agg(["mean", "min", "max"]).reset_index()
        ax.plot(g["K"], g["mean"], "-o", color="#0072B2", ms=3.5, lw=1.3, label="种子均值 mean over seeds", zorder=3)
        if chosen_k is not None:
            ax.axvline(chosen_k, ls="--", color="#E69F00", lw=1.0, zorder=1, label=f"报告的 K reported ({chosen_k})")
        ax.set_title(_K_METRICS.get(m, m), fontsize=fs["title"])
        ks = sorted(d["K"].unique())
        ax.set_xticks(ks if len(ks) <= 8 else ks[:: int(np.ceil(len(ks) / 8))])
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.set_xlabel("主题数 K (number of topics)", fontsize=fs["label"])
        ax.tick_params(labelsize=fs["tick"])
    if len(metrics):
        handles, names = axes[0].get_legend_handles_labels()
        axes[0].figure.legend(handles, names, fontsize=fs["legend"], loc="outside lower center", ncol=len(names),
                              frameon=False)
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
        Default a new figure whose height follows the number of topics.
    threshold : float, optional
        Draw a reference line (e.g. 0.5) separating recurring topics from noise.

    Returns
    -------
    Axes
    """
    fs = _fs()
    if ax is None:
        from . import new_figure

        h_in = 0.9 + 0.3 * len(stability)  # two-line labels at the tick size
        _, ax = new_figure("onehalf", aspect=h_in / (136 / 25.4))
    d = stability.sort_values("stability").reset_index(drop=True)
    names = topic_label_map(labels, d["topic"].tolist())
    y = np.arange(len(d))
    ax.barh(y, d["stability"], color="#0072B2", alpha=0.85, height=0.65, label="平均 mean")
    if "min_similarity" in d.columns:
        ax.scatter(d["min_similarity"], y, marker="|", s=90, color="k", lw=1.3, label="最差 worst run",
                   zorder=3)
    if threshold is not None:
        ax.axvline(threshold, ls="--", color="#E69F00", lw=1.0)
    ax.set_yticks(y, [_wrap(names[int(k)], 36) for k in d["topic"]], fontsize=fs["tick"])
    ax.set_xlim(0, 1)
    ax.set_xlabel("稳定性 stability (matched similarity across seeds)", fontsize=fs["label"])
    ax.tick_params(labelsize=fs["tick"])
    ax.legend(fontsize=fs["legend"], loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    return ax


def plot_topic_prevalence(prevalence: pd.DataFrame, *, labels=None, topics: Sequence[int] | None = None,
                          axes=None, ncols: int = 4, sharey: bool = False, show_n: bool = True,
                          band: pd.DataFrame | None = None):
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
        Default a new double-width grid whose height follows the number of topics,
        with a strip of documents per time point under each column.
    ncols : int, default 4
    sharey : bool, default False
        One y scale for all panels.
    show_n : bool, default True
        Draw the documents per time point as a bar strip under the panels (only
        when the axes are made here).
    band : DataFrame, optional
        The same estimate from every document with imputed years
        (``imputation.topic_prevalence_imputed``, same time column), drawn behind as a
        lighter band (spline) or lighter boxes (categories) around ``prevalence``;
        the strip then shows all documents (light) behind the dated ones.

    Returns
    -------
    ndarray of Axes

    Notes
    -----
    Plan periods (or other categories) are drawn as points with interval bars,
    in plan order; a spline of the year as a line with a band, on a numeric
    axis with thinned ticks. Shares are drawn in [0, 1] (estimates on the
    logit scale never leave it; an interval of a linear fit that does is cut
    at the axis).
    """
    from matplotlib.ticker import MaxNLocator

    from ._phrases import _docs_strips, _grid_shape

    fs = _fs()
    by = [c for c in prevalence.columns if c not in ("topic", "estimate", "lo", "hi", "n_docs", "method")][0]
    if band is not None and by not in band.columns:
        raise ValueError(f"band has no column {by!r}: draw it with the same time column as prevalence")
    topics = sorted(prevalence["topic"].unique()) if topics is None else list(topics)
    names = topic_label_map(labels, topics)
    method = str(prevalence["method"].iloc[0]) if "method" in prevalence.columns else ""
    spline = method.startswith("B-spline")
    levels = list(dict.fromkeys(prevalence[by]))
    if band is not None:  # the union of both tables' levels, plans in time order
        extra = [v for v in dict.fromkeys(band[by]) if v not in levels]
        if extra:
            if spline or by == "year":
                levels = sorted(levels + extra)
            else:
                from ..dating import period_order

                levels = period_order(sorted(set(levels + extra), key=str))
    pos = {v: (float(v) if spline else float(i)) for i, v in enumerate(levels)}
    strips = []
    if axes is None:
        from . import new_figure

        cols, nrows, upright = _grid_shape(len(topics), False, ncols, [] if spline else [str(v) for v in levels],
                                           "year" if spline else by, 183)
        strip_rel = (0.55 if upright else 0.36) if show_n else 0
        fig, _ = new_figure("double", aspect=(1.35 * (nrows + strip_rel) + 0.2) / (183 / 25.4))
        fig.clear()
        gs = fig.add_gridspec(nrows + (1 if show_n else 0), cols,
                              height_ratios=[1.0] * nrows + ([strip_rel] if show_n else []))
        first = None
        grid = []
        for i in range(nrows * cols):
            a = fig.add_subplot(gs[i // cols, i % cols], sharex=first, sharey=first if sharey else None)
            first = first or a
            grid.append(a)
        for a in grid[len(topics):]:
            a.set_visible(False)
        axes = np.asarray(grid[: len(topics)])
        if show_n:
            n_at = [prevalence.drop_duplicates(by).set_index(by)["n_docs"]]
            colours = ["0.55"]
            if band is not None:  # all documents (imputed years, a mean over imputations) behind the dated
                n_at = [band.drop_duplicates(by).set_index(by)["n_docs"].astype(float).round()] + n_at
                colours = ["0.82"] + colours
            strips = _docs_strips(fig, gs, nrows, cols, first, pos, n_at, year=spline, upright=upright,
                                  numbers=not spline and len(levels) <= 16 and band is None, colors=colours,
                                  xlabel="年份 year" if spline else "时期 period")
            for a in axes:
                a.tick_params(labelbottom=False)
    else:
        upright = False
    axes = np.asarray(axes).ravel()
    ymax = float(max(prevalence["hi"].max(), band["hi"].max() if band is not None else 0)) * 1.05
    for ax, k in zip(axes, topics):
        d = prevalence[prevalence["topic"] == k]
        x = d[by].map(pos).astype(float).to_numpy()
        if band is not None:  # every document, years imputed: lighter, behind
            b = band[band["topic"] == k]
            bx = b[by].map(pos).astype(float).to_numpy()
            if spline:
                ax.fill_between(bx, b["lo"].clip(0, 1), b["hi"].clip(0, 1), color="#0072B2", alpha=0.12, lw=0)
                ax.plot(bx, b["estimate"], color="#0072B2", lw=0.8, ls="--", alpha=0.7)
            else:
                lo_b, hi_b = b["lo"].clip(0, 1), b["hi"].clip(0, 1)
                ax.bar(bx, hi_b - lo_b, bottom=lo_b, width=0.7, color="#0072B2", alpha=0.2, lw=0, zorder=0)
        if spline:
            ax.fill_between(x, d["lo"].clip(0, 1), d["hi"].clip(0, 1), color="#0072B2", alpha=0.25, lw=0)
            ax.plot(x, d["estimate"], color="#0072B2", lw=1.3)
        else:
            ax.errorbar(x, d["estimate"], yerr=[d["estimate"] - d["lo"].clip(lower=0),
                                                d["hi"].clip(upper=1) - d["estimate"]],
                        fmt="o", ms=3.2, color="#0072B2", capsize=1.5, lw=1)
        ax.set_title(_wrap(names[int(k)], 30), fontsize=fs["title"])
        top_d = float(d["hi"].max()) if band is None else max(float(d["hi"].max()),
                                                               float(band.loc[band["topic"] == k, "hi"].max()))
        top = min(1.0, ymax if sharey else top_d * 1.05)
        ax.set_ylim(0, max(top, 0.05))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.tick_params(labelsize=fs["tick"])
        ax.grid(axis="y", lw=0.3, color="0.88")
    if len(axes):
        # shared x axes share their ticks: set them once (on each axes when given unshared axes)
        for a in (axes[:1] if strips else axes):
            if spline:
                lo_x, hi_x = min(pos.values()), max(pos.values())
                a.set_xlim(lo_x - 0.5, hi_x + 0.5)
                a.xaxis.set_major_locator(MaxNLocator(5, integer=True, steps=[1, 2, 2.5, 5, 10]))
            else:
                a.set_xlim(-0.6, len(levels) - 0.4)
                a.set_xticks(range(len(levels)), [str(v) for v in levels])
                if not strips:
                    a.tick_params(axis="x", labelsize=fs["tick"], labelrotation=90 if upright else 0)
    step = max(1, min(ncols, len(topics)))
    for ax in axes[::step]:
        ax.set_ylabel("主题比例 share", fontsize=fs["label"])
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
    topic, relative to the topic's most probable word (the scale under each
    panel), so one sees how much rarer the exclusive words are.
    """
    fs = _fs()
    topics = sorted(words["topic"].unique()) if topics is None else list(topics)
    names = topic_label_map(labels, topics)
    if axes is None:
        # n rows of words at the annotation size, with a title and a scale per panel
        h_panel = (n * fs["annotation"] * 1.5 + 40) / 72
        ncol = max(1, min(ncols, len(topics)))
        axes = _grid(len(topics), ncols, panel_aspect=h_panel / (183 / 25.4 / ncol))
    axes = np.asarray(axes).ravel()
    for ax, k in zip(axes, topics):
        d = words[(words["topic"] == k) & (words["rank"] <= n)].sort_values("rank")
        y = -np.arange(len(d))
        p = d["prob"].to_numpy() / d["prob"].max()
        ax.barh(y, -p, color="#0072B2", alpha=0.7, height=0.7)
        ax.barh(y, d["frex_prob"].to_numpy() / d["prob"].max(), color="#E69F00", alpha=0.7, height=0.7)
        for yi, w in zip(y, d["prob_word"]):
            ax.text(-0.03, yi, w, ha="right", va="center", fontsize=fs["annotation"])
        for yi, w in zip(y, d["frex_word"]):
            ax.text(0.03, yi, w, ha="left", va="center", fontsize=fs["annotation"])
        ax.axvline(0, color="k", lw=0.6)
        ax.set_xlim(-1.05, 1.05)
        ax.set_ylim(-n + 0.4, 0.6)
        ax.set_yticks([])
        ax.set_xticks([-1, -0.5, 0, 0.5, 1], ["1", ".5", "0", ".5", "1"])
        ax.tick_params(labelsize=fs["tick"], length=2, pad=1)
        ax.set_xlabel("← 按概率 by prob. | FREX →", fontsize=fs["label"], labelpad=1)
        ax.set_title(_wrap(names[int(k)], 30), fontsize=fs["title"])
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
    Each word has its own colour, marker and dash (readable in greyscale); the
    word is written at the end of its line, labels pushed apart so they never
    overlap.
    """
    from . import series_styles

    fs = _fs()
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
    for st, w in zip(series_styles(len(top)), top):
        s = d[d["word"] == w].set_index("period").reindex(periods)["prob"]
        ax.plot(x, s.to_numpy(), marker=st["marker"], ls=st["ls"], ms=2.5, lw=1.0, color=st["color"])
        ends.append((float(s.iloc[-1]) if pd.notna(s.iloc[-1]) else 0.0, w, st["color"]))
    ax.set_ylim(bottom=0)
    lo, hi = ax.get_ylim()
    fig = ax.figure
    # label spacing in data units: one line of annotation text in this axes' height
    ax_h_pt = fig.get_size_inches()[1] * 72 * ax.get_position().height * 0.8
    gap = (hi - lo) * fs["annotation"] * 1.25 / max(ax_h_pt, 1.0)
    placed: list[float] = []
    for y, w, c in sorted(ends):
        # never below the axis: the lowest label sits half a line above the bottom
        y_text = max(y, placed[-1] + gap) if placed else max(y, lo + gap / 2)
        placed.append(y_text)
        ax.text(x[-1] + 0.15, y_text, w, va="center", fontsize=fs["annotation"], color=c)
    if placed and placed[-1] + gap / 2 > hi:
        ax.set_ylim(lo, placed[-1] + gap)
    longest = max((len(w) for _, w, _ in ends), default=2)
    ax.set_xticks(x, [str(p) for p in periods], rotation=90 if len(periods) > 6 else 0)
    ax.set_xlim(-0.3, len(periods) - 1 + 0.3 + 0.3 * longest)  # room for the end labels inside the axes
    ax.set_xlabel("时期 period", fontsize=fs["label"])
    ax.set_ylabel("词概率 word probability", fontsize=fs["label"])
    ax.tick_params(labelsize=fs["tick"])
    ax.set_title(title if title is not None else _wrap(topic_label_map(labels, [topic])[topic]), fontsize=fs["title"])
    return ax
