"""Figures of the dating: every document's year interval, point and confidence."""

from __future__ import annotations

import pandas as pd

__all__ = ["plot_year_intervals", "CONFIDENCE_COLOURS"]

#: Colour-blind-safe colours (seaborn "colorblind") per confidence level.
CONFIDENCE_COLOURS = {"high": "#0173B2", "medium": "#029E73", "low": "#DE8F05", "none": "#949494"}
_GLOSS = {"high": "high 高", "medium": "medium 中", "low": "low 低", "none": "none 无"}


def _short(title, n: int) -> str:
    t = "" if title is None or (not isinstance(title, str) and pd.isna(title)) else str(title).strip()
    # keep the tail too: compilations differ only in their ending (…篇十五)
    return t if len(t) <= n else t[: n - 4] + "…" + t[-3:]


def plot_year_intervals(docs: pd.DataFrame, *, ax=None, label: str = "title", max_label: int = 14,
                        sort: bool = True, xlim: tuple[int, int] | None = None, max_rows: int = 80):
    """Draw one row per document: its year interval as a line, its point year as a dot.

    Parameters
    ----------
    docs : DataFrame
        With ``year``, ``year_lo``, ``year_hi``, ``year_confidence`` and the label column
        (as made by :func:`bureau_rhetoric.dating.date_corpus`).
    ax : matplotlib Axes, optional
        Default a new double-column figure whose height follows the number of rows.
    label : str, default "title"
        Column used for the row labels (shortened to ``max_label`` characters); ``doc_id``
        is appended when present so that rows can be traced.
    max_label : int, default 14
    sort : bool, default True
        Order rows by interval midpoint (documents without any bound last).
    xlim : (int, int), optional
        Year axis limits; default the data range padded by two years.
    max_rows : int, default 80
        Up to this many documents, one row each. Beyond, the rows would be
        illegible, so the figure counts documents per year instead: point years
        stacked by confidence, and documents with an interval only spread evenly
        over their interval (a dashed line of expected counts).

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    An open bound (nothing limits the year on that side) is drawn as a dashed line running
    to the axis edge with an arrow head. Documents without any evidence appear as a grey
    dashed line across the whole axis.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from bureau_rhetoric.dating import date_corpus
    >>> from bureau_rhetoric import figures
    >>> docs = date_corpus(pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...     "title": ["科技局2015年工作总结", "科技局工作总结", "工作汇报"],
    ...     "text": ["2015年，我局推进众创空间建设。", "XX年，我局学习党的十九届五中全会精神。", "我局开展工作。"]}))
    >>> fig, ax = figures.new_figure("single", aspect=0.5)
    >>> ax = figures.plot_year_intervals(docs, ax=ax)
    >>> len(ax.get_yticklabels())
    3
    """
    from matplotlib.lines import Line2D

    need = ["year", "year_lo", "year_hi", "year_confidence"]
    missing = [c for c in need if c not in docs.columns]
    if missing:
        raise ValueError(f"plot_year_intervals needs columns {missing}; run dating.date_corpus first")
    from . import FONT_SIZES, new_figure

    fs = FONT_SIZES
    d = docs.copy()
    for c in ("year", "year_lo", "year_hi"):
        d[c] = pd.to_numeric(d[c], errors="coerce").astype(float)
    finite = pd.concat([d["year"], d["year_lo"], d["year_hi"]]).dropna()
    if xlim is None:
        xlim = (int(finite.min()) - 2, int(finite.max()) + 2) if len(finite) else (2000, 2025)
    x0, x1 = xlim
    if len(d) > max_rows:
        if ax is None:
            _, ax = new_figure("double", aspect=0.42)
        return _plot_year_counts(d, ax, x0, x1)
    if ax is None:
        # one row per document at the tick size, plus the axis and a little air
        _, ax = new_figure("double", aspect=(0.75 + 0.125 * len(d)) / (183 / 25.4))
    if sort:
        lo = d["year_lo"].fillna(d["year_hi"]).fillna(d["year"])
        hi = d["year_hi"].fillna(d["year_lo"]).fillna(d["year"])
        d["_mid"] = (lo + hi) / 2
        d = d.sort_values(["_mid", "year_lo"], na_position="last", kind="stable")
    import numpy as np
    from matplotlib.collections import LineCollection

    n = len(d)
    conf = d["year_confidence"].fillna("none").where(d["year_confidence"].fillna("none").isin(list(CONFIDENCE_COLOURS)),
                                                      "none").to_numpy()
    colour = np.array([CONFIDENCE_COLOURS[c] for c in conf], dtype=object)
    lo, hi, pt = (d[c].to_numpy(dtype=float) for c in ("year_lo", "year_hi", "year"))
    rows = np.arange(n, dtype=float)
    none = np.isnan(lo) & np.isnan(hi) & np.isnan(pt)
    a = np.where(np.isnan(lo), x0, lo)
    b = np.where(np.isnan(hi), x1, hi)
    # line widths and marker sizes shrink with the row height once rows are many
    fig_h = ax.figure.get_size_inches()[1] * ax.get_position().height * 72 if ax.figure else 200.0
    row_pt = fig_h / max(n, 1)
    lw = min(2.2, max(0.3, 0.8 * row_pt))
    ms = min(4.5, max(1.0, row_pt))
    seg = lambda m, s0, s1: np.stack([np.c_[s0[m], rows[m]], np.c_[s1[m], rows[m]]], axis=1)  # noqa: E731
    if none.any():
        ax.add_collection(LineCollection(seg(none, np.full(n, float(x0)), np.full(n, float(x1))),
                                         colors=list(colour[none]), linewidths=min(0.8, lw), linestyles=(0, (2, 2)),
                                         alpha=0.6))
    some = ~none
    if some.any():
        ax.add_collection(LineCollection(seg(some, np.maximum(a, x0), np.minimum(b, x1)), colors=list(colour[some]),
                                         linewidths=lw, capstyle="butt"))
    same = some & (a == b)
    if same.any():
        ax.scatter(a[same], rows[same], marker="|", s=(1.6 * ms) ** 2, c=list(colour[same]), linewidths=1.0)
    for m, xs, marker in ((some & np.isnan(lo), x0, "<"), (some & np.isnan(hi), x1, ">")):
        if m.any():  # an open bound: an arrow head at the axis edge
            ax.scatter(np.full(int(m.sum()), float(xs)), rows[m], marker=marker, s=(0.9 * ms) ** 2,
                       c=list(colour[m]), linewidths=0)
    has_pt = ~np.isnan(pt)
    if has_pt.any():
        ax.scatter(pt[has_pt], rows[has_pt], marker="o", s=ms ** 2, c=list(colour[has_pt]), edgecolors="black",
                   linewidths=0.5 if ms >= 3 else 0.2, zorder=3)
    labels = []  # one labelled row per document (beyond max_rows the counts figure is drawn instead)
    if n:
        titles = d[label].tolist() if label in d.columns else [""] * n
        ids = d["doc_id"].astype(str).tolist() if "doc_id" in d.columns else [None] * n
        for t, i in zip(titles, ids):
            text = _short(t, max_label)
            if i is not None:
                text = f"{text} [{i}]" if text else i
            labels.append(text)
        ax.set_yticks(range(n))
        ax.set_yticklabels(labels, fontsize=fs["tick"])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(x0 - 0.5, x1 + 0.5)
    ax.set_xlabel("报告年份 reporting year (line: interval, dot: point year)", fontsize=fs["label"])
    ax.tick_params(axis="x", labelsize=fs["tick"])
    ax.grid(axis="x", lw=0.4, alpha=0.5)
    present = [c for c in ("high", "medium", "low", "none") if c in set(d["year_confidence"].fillna("none"))]
    handles = [Line2D([0], [0], color=CONFIDENCE_COLOURS[c], lw=0.8 if c == "none" else 2.2,
                      ls=(0, (2, 2)) if c == "none" else "-", marker="o" if c != "none" else None,
                      ms=4, mec="black", mew=0.4, label=_GLOSS[c]) for c in present]
    handles.append(Line2D([0], [0], color="black", lw=1.0, marker=">", ms=4, label="open bound 无界"))
    ax.legend(handles=handles, title="置信度 confidence", fontsize=fs["legend"], title_fontsize=fs["legend"],
              loc="lower left", bbox_to_anchor=(1.01, 0.0), frameon=False)
    return ax


def _plot_year_counts(d: pd.DataFrame, ax, x0: int, x1: int):
    """Documents per year: point years stacked by confidence, interval-only documents spread over their interval."""
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from . import FONT_SIZES

    fs = FONT_SIZES
    years = np.arange(x0, x1 + 1)
    bottom = np.zeros(len(years))
    conf = d["year_confidence"].fillna("none")
    handles = []
    for c in ("high", "medium", "low", "none"):
        pts = d.loc[(conf == c) & d["year"].notna(), "year"].astype(int)
        if pts.empty:
            continue
        n = pts.value_counts().reindex(years, fill_value=0).to_numpy(float)
        ax.bar(years, n, bottom=bottom, width=0.85, color=CONFIDENCE_COLOURS[c], lw=0)
        bottom += n
        handles.append(Patch(color=CONFIDENCE_COLOURS[c], label=f"{_GLOSS[c]}: {len(pts):,} 点年份 point years"))
    spread = np.zeros(len(years))
    only = d[d["year"].isna() & (d["year_lo"].notna() | d["year_hi"].notna())]
    for lo, hi in zip(only["year_lo"], only["year_hi"]):
        a = x0 if pd.isna(lo) else max(int(lo), x0)
        b = x1 if pd.isna(hi) else min(int(hi), x1)
        if b >= a:
            spread[(years >= a) & (years <= b)] += 1.0 / (b - a + 1)
    if len(only):
        ax.step(years, spread, where="mid", color="0.2", lw=1.0, ls="--")
        handles.append(Line2D([0], [0], color="0.2", lw=1.0, ls="--",
                              label=f"仅区间 interval only: {len(only):,} (spread evenly)"))
    n_none = int((d["year"].isna() & d["year_lo"].isna() & d["year_hi"].isna()).sum())
    if n_none:
        handles.append(Patch(color="white", label=f"无证据 no evidence: {n_none:,} (not drawn)"))
    ax.set_xlim(x0 - 0.5, x1 + 0.5)
    ax.set_xlabel("报告年份 reporting year", fontsize=fs["label"])
    ax.set_ylabel("文档数 documents", fontsize=fs["label"])
    ax.tick_params(labelsize=fs["tick"])
    ax.legend(handles=handles, title=f"{len(d):,} 文档 documents, 置信度 confidence", fontsize=fs["legend"],
              title_fontsize=fs["legend"], loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax
