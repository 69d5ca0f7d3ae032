"""Figures of phrase rates, period heatmaps, keyness and emerging terms.

Every function takes a tidy table from :mod:`bureau_rhetoric.phrases` and ``ax=``
and returns the Axes; labels are Chinese with English glosses.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from bureau_rhetoric import figures
>>> from bureau_rhetoric.phrases import count_phrases, phrase_rates
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2012, 2016, 2016],
...     "text": ["落实科学发展观", "创新驱动发展", "实施创新驱动发展战略"]})
>>> rates = phrase_rates(count_phrases(docs), docs, level="family", n_boot=50)
>>> fig, ax = figures.new_figure("single")
>>> ax = figures.plot_phrase_rates(rates, keys=["科学发展观", "创新驱动"], ax=ax)
>>> len(ax.get_legend().get_texts())
2
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

__all__ = ["plot_phrase_rates", "plot_phrase_panels", "plot_period_heatmap", "plot_keyness",
           "plot_emerging_terms", "phrase_label"]


def _period_span(p, short: bool = False) -> str:
    """``"1996–2000"`` (``short``: ``"1996–00"``) for a plan period of ``fyp.csv``, else ``""``."""
    from ..dating import period_years

    span = period_years(p)
    if span is None:
        return ""
    a, b = span
    return f"{a}–{b % 100:02d}" if short and a // 100 == b // 100 else f"{a}–{b}"


def phrase_label(label: str, gloss: str | None = None, *, width: int | None = None, newline: bool = False) -> str:
    """Return ``"中文 (English gloss)"``; a long gloss is wrapped onto more lines, never cut.

    Parameters
    ----------
    label : str
    gloss : str, optional
    width : int, optional
        Wrap the gloss at this many characters (whole words; a word longer than
        ``width`` keeps its own line). None: one line.
    newline : bool, default False
        Put the gloss on a line of its own under the Chinese.

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.figures import phrase_label
    >>> phrase_label("新质生产力", "new quality productive forces")
    '新质生产力 (new quality productive forces)'
    >>> print(phrase_label("大众创业、万众创新", "mass entrepreneurship and innovation", width=24, newline=True))
    大众创业、万众创新
    (mass entrepreneurship
    and innovation)
    """
    if not gloss or (isinstance(gloss, float) and np.isnan(gloss)):
        return str(label)
    text = f"({str(gloss).strip()})"
    if width is not None:
        import textwrap

        text = "\n".join(textwrap.wrap(text, width=max(8, int(width)), break_long_words=False,
                                       break_on_hyphens=False)) or text
    return f"{label}{chr(10) if newline else ' '}{text}"


def _gapped(pos: np.ndarray, ys: np.ndarray, step: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Insert NaN between points more than ``step`` apart so that a line breaks there."""
    pos, ys = np.asarray(pos, float), np.asarray(ys, float)
    if len(pos) < 2:
        return pos, ys
    gap = np.flatnonzero(np.diff(pos) > step + 1e-9) + 1
    return np.insert(pos, gap, np.nan), np.insert(ys, gap, np.nan)


def _ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def plot_phrase_rates(rates: pd.DataFrame, *, keys: Sequence[str] | None = None, x: str = "year",
                      value: str = "rate", ax=None, band: bool = True, show_n: bool = True,
                      palette: Sequence[str] | None = None, legend: bool | str = "outside"):
    """Plot rates per 10,000 characters over time, with confidence bands, on one axes.

    Parameters
    ----------
    rates : DataFrame
        Output of ``phrases.phrase_rates`` (``year``, ``key``, ``label``,
        ``gloss_en``, ``n_docs``, ``rate``, ``rate_lo``, ``rate_hi`` ...).
    keys : sequence of str, optional
        Phrases (``key`` values) to draw, in legend order; default the five most
        frequent overall.
    x : str, default "year"
    value : {"rate", "prevalence"}, default "rate"
    ax : matplotlib Axes, optional
    band : bool, default True
        Shade the bootstrap interval (years with a single document have none).
    show_n : bool, default True
        Draw each year's number of documents as grey bars on a secondary axis
        (right, bottom fifth of the panel), not as tick labels.
    palette : sequence of str, optional
        Default :func:`~bureau_rhetoric.figures.series_styles` (Okabe-Ito colours
        with distinct markers and dashes, readable in greyscale).
    legend : {"outside", True, False}, default "outside"
        Legend right of the axes ("outside"), inside (True) or none.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.ticker import MaxNLocator

    from . import FONT_SIZES, series_styles

    fs = FONT_SIZES
    ax = _ax(ax)
    if keys is None:
        keys = rates.groupby("key")["count"].sum().sort_values(ascending=False).head(5).index.tolist()
    keys = list(keys)
    styles = series_styles(max(len(keys), 1))
    if palette is not None:
        for st, c in zip(styles, palette):
            st["color"] = c
    dodge = 0.08 * (np.arange(len(keys)) - (len(keys) - 1) / 2)  # keep whiskers of one year apart
    for k, st, dx in zip(keys, styles, dodge):
        d = rates[rates["key"] == k].sort_values(x)
        if d.empty:
            raise ValueError(f"no rows for key {k!r} in the rates table")
        xs = d[x].astype(float).to_numpy()
        c = st["color"]
        # break the line between years that are not consecutive: no line across years without data
        lx, ly = _gapped(xs, d[value].to_numpy(float))
        ax.plot(lx, ly, marker=st["marker"], ls=st["ls"], ms=2.5, lw=1.1, color=c,
                label=phrase_label(d["label"].iloc[0], d["gloss_en"].iloc[0], width=30, newline=True))
        lo, hi = f"{value}_lo", f"{value}_hi"
        if band and lo in d:
            ylo, yhi = d[lo].to_numpy(float), d[hi].to_numpy(float)
            gx, glo = _gapped(xs, ylo)
            ax.fill_between(gx, glo, _gapped(xs, yhi)[1], color=c, alpha=0.15, lw=0)
            # a whisker per point: the band alone vanishes where a neighbour has no interval
            ax.vlines(xs + dx, ylo, yhi, color=c, lw=0.8, alpha=0.7)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("年份 year" if x == "year" else x, fontsize=fs["label"])
    ax.set_ylabel("每万字频次 per 10,000 chars" if value == "rate" else "提及文档比例 share of documents",
                  fontsize=fs["label"])
    ax.xaxis.set_major_locator(MaxNLocator(6, integer=True, steps=[1, 2, 5, 10]))
    ax.tick_params(labelsize=fs["tick"])
    if show_n:
        n = rates.drop_duplicates(x).sort_values(x)
        twin = ax.twinx()
        twin.bar(n[x].astype(float), n["n_docs"], width=0.7, color="0.8", lw=0, zorder=0)
        top = max(1, int(n["n_docs"].max()))
        twin.set_ylim(0, top * 5)  # the bars fill the bottom fifth
        twin.set_yticks([0, top])
        twin.set_ylabel("文档数 docs", fontsize=fs["label"], loc="bottom")
        twin.tick_params(labelsize=fs["tick"])
        ax.set_zorder(twin.get_zorder() + 1)
        ax.patch.set_visible(False)
    if legend == "outside":
        ax.legend(fontsize=fs["legend"], loc="upper left", bbox_to_anchor=(1.12 if show_n else 1.01, 1.0),
                  frameon=False)
    elif legend:
        ax.legend(fontsize=fs["legend"], loc="upper left", frameon=False)
    return ax


def _x_positions(values: Sequence, x: str) -> tuple[list, dict, dict]:
    """Return tick values in time order, a value -> x position map and a value -> ordinal map.

    Two values are consecutive when their ordinals differ by one (years one year
    apart, Five-Year-Plan periods adjacent in ``dating.period_order()``). Years sit
    at their own value on a numeric axis (a gap in the data is a gap on the axis).
    Plan periods sit at their index in plan order, every period between the first
    and the last included, so an empty period is a visible gap; other labels are
    spaced evenly.
    """
    vals = list(dict.fromkeys(v for v in values if not pd.isna(v)))
    if x == "year":
        vals = sorted(int(v) for v in vals)
        return vals, {v: float(v) for v in vals}, {v: v for v in vals}
    from ..dating import period_order

    order = period_order()
    if vals and all(v in order for v in vals):
        idx = sorted(order.index(v) for v in vals)
        ticks = order[idx[0]: idx[-1] + 1]
        return ticks, {v: float(order.index(v)) for v in ticks}, {v: order.index(v) for v in ticks}
    vals = sorted(vals, key=str)
    return vals, {v: float(i) for i, v in enumerate(vals)}, {v: i for i, v in enumerate(vals)}


#: Approximate width of one character of Latin text / one CJK character, in ems.
_LATIN_EM, _CJK_EM = 0.52, 1.0


def _text_width_pt(text: str, size: float) -> float:
    """Rough rendered width of one line of text (CJK characters one em, others half)."""
    return sum(_CJK_EM if ord(c) > 0x2E80 else _LATIN_EM for c in text) * size


def _grid_shape(n_keys: int, key_panel: bool, ncols: int | None, labels: Sequence[str], x: str,
                width_mm: float) -> tuple[int, int, bool]:
    """Columns, rows and whether category tick labels must stand upright, for ``n_keys`` panels.

    Default: up to four columns; with many plan periods, three wider columns if
    the period names then fit side by side, else they are turned upright (a
    figure two columns wide would be twice as tall).
    """
    from . import FONT_SIZES

    slots = n_keys + (1 if key_panel and n_keys > 1 else 0)
    cols = max(1, min(ncols or 4, slots))
    upright = False
    if x != "year" and labels:
        need_pt = len(labels) * (max(_text_width_pt(str(v), FONT_SIZES["tick"]) for v in labels) + 3)
        def fits(c):
            return need_pt <= (width_mm / c - 12) * 72 / 25.4

        if ncols is None and cols > 3 and not fits(cols) and fits(3):
            cols = 3
        upright = not fits(cols)
    return cols, int(np.ceil(n_keys / cols)), upright


def _docs_strips(fig, gs, row: int, ncols: int, first, pos: dict, n_by: Sequence[pd.Series], *, year: bool,
                 upright: bool, numbers: bool, colors: Sequence[str] = ("0.55", "#E69F00"),
                 xlabel: str = "") -> list:
    """A bar strip of documents per time point under each column of a panel grid (row ``row`` of ``gs``).

    ``n_by`` holds one count series per sample (value -> documents); a second sample
    is drawn as narrower bars inside the first. The strips share ``first``'s x axis
    and carry the x tick labels, so the panels above need none.
    """
    from . import FONT_SIZES

    fs = FONT_SIZES
    strips = []
    widths = {1: (0.8,), 2: (0.8, 0.4), 3: (0.8, 0.5, 0.25)}[min(len(n_by), 3)]
    if not year:
        widths = tuple(w * 0.875 for w in widths)
    top = max(1, max(int(n.max()) for n in n_by if len(n)))
    for c in range(ncols):
        st = fig.add_subplot(gs[row, c], sharex=first)
        st.set_label("n-docs-strip")
        strips.append(st)
        for n, col, w in zip(n_by, colors, widths):
            keep = [v for v in n.index if v in pos]
            st.bar([pos[v] for v in keep], [int(n[v]) for v in keep], width=w, color=col, lw=0)
        st.set_ylim(0, top * (1.55 if numbers else 1.05))
        st.set_yticks([0, top])
        st.tick_params(labelsize=fs["tick"], length=2, pad=1.5)
        for side in ("top", "right"):
            st.spines[side].set_visible(False)
        if numbers:
            for v in n_by[0].index:
                if v in pos:
                    st.text(pos[v], int(n_by[0][v]), f"{int(n_by[0][v]):,}", ha="center", va="bottom",
                            fontsize=fs["annotation"], color="0.25")
        if upright:
            st.tick_params(axis="x", labelrotation=90)
        if c == 0:
            st.set_ylabel("文档数\ndocs", fontsize=fs["label"], rotation=0, ha="right", va="center", labelpad=4)
        if xlabel:
            st.set_xlabel(xlabel, fontsize=fs["label"])
    return strips


def plot_phrase_panels(rates: pd.DataFrame, *, keys: Sequence[str] | None = None, x: str = "year",
                       value: str = "rate", compare: pd.DataFrame | None = None,
                       names: Sequence[str] = ("所有文档 all documents", "对照 comparison"), fig=None,
                       ncols: int | None = None, sharey: bool = False, connect: bool = True, show_n: bool = True,
                       colors: Sequence[str] = ("#0072B2", "#E69F00"), key_panel: bool = True,
                       band: pd.DataFrame | None = None,
                       band_name: str = "所有文档，年份插补 all documents, years imputed"):
    """Draw one small panel per phrase: points with interval whiskers, documents per group in a strip.

    A group (year or period) with two or more documents is a filled point with
    its bootstrap interval; a group with one document is a hollow point without
    whiskers (a single document has no sampling interval). Lines join only
    consecutive years (or adjacent Five-Year-Plan periods), never across a gap
    without data. Years are a numeric axis with a few thinned ticks, whatever
    their number; the number of documents per group is a small bar strip under
    each column of panels, not a tick label.

    Parameters
    ----------
    rates : DataFrame
        Output of ``phrases.phrase_rates`` (``x`` column, ``key``, ``label``,
        ``gloss_en``, ``n_docs``, ``rate``, ``rate_lo``, ``rate_hi`` ...).
    keys : sequence of str, optional
        Phrases (``key`` values), one panel each, in reading order; default the
        eight most frequent overall.
    x : str, default "year"
        ``"year"`` (a numeric time axis) or ``"fyp_period"`` (plans in time order,
        ``dating.period_order``).
    value : {"rate", "prevalence"}, default "rate"
    compare : DataFrame, optional
        A second rates table of the same shape (e.g. high-confidence documents
        only), drawn in each panel beside ``rates`` in a second colour.
    names : pair of str
        Legend names of ``rates`` and ``compare``.
    fig : matplotlib Figure or SubFigure, optional
        Where to lay out the panels; default a new double-column figure whose
        height follows the number of rows.
    ncols : int, optional
        Default: up to 4, fewer when many plan periods need wider panels.
    sharey : bool, default False
        One y scale for all panels (compares magnitudes across phrases) or a free
        scale per panel (shows each phrase's course; every axis starts at 0).
    connect : bool, default True
        Join consecutive groups with a thin line.
    show_n : bool, default True
        Draw the documents per group as a bar strip under the panels (both samples
        with ``compare``); with few groups the counts are written on the bars.
    colors : pair of str
        Default Okabe-Ito blue and orange (distinct in greyscale too).
    key_panel : bool, default True
        Put the legend in the first unused panel slot (or below the panels if none).
    band : DataFrame, optional
        A rates table from every document with imputed years
        (``imputation.phrase_rates_imputed``), drawn behind ``rates`` as a light band
        (its 95 % interval) with a short light tick at its estimate, in the colour of
        ``rates``: the dated-only estimate stays in front, the imputed uncertainty
        around it. With ``show_n`` the strip shows both counts: all documents (light,
        wide; a mean over the imputations) behind the dated ones.
    band_name : str
        Legend name of ``band``.

    Returns
    -------
    numpy.ndarray of matplotlib Axes
        The phrase panels, in the order of ``keys`` (the strips are the figure's
        axes labelled ``"n-docs-strip"``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from bureau_rhetoric import figures
    >>> from bureau_rhetoric.phrases import count_phrases, phrase_rates
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2012, 2016, 2016],
    ...     "text": ["落实科学发展观", "创新驱动发展", "实施创新驱动发展战略"]})
    >>> rates = phrase_rates(count_phrases(docs), docs, level="family", n_boot=50)
    >>> axes = figures.plot_phrase_panels(rates, keys=["科学发展观", "创新驱动"])
    >>> [ax.get_title() for ax in axes]
    ['科学发展观\\n(Scientific Outlook on Development)', '创新驱动\\n(innovation-driven)']
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    from . import FONT_SIZES, JOURNAL_WIDTHS_MM, new_figure

    fs = FONT_SIZES
    if keys is None:
        keys = rates.groupby("key")["count"].sum().sort_values(ascending=False).head(8).index.tolist()
    keys = list(keys)
    if not keys:
        raise ValueError("keys is empty: no phrase to draw")
    tables = [rates] + ([compare] if compare is not None else [])
    for t in tables + ([band] if band is not None else []):
        missing = [k for k in keys if k not in set(t["key"])]
        if missing:
            raise ValueError(f"no rows for key(s) {missing} in the rates table")
        if x not in t.columns:
            raise ValueError(f"rates table has no column {x!r} (columns: {list(t.columns)})")
    ticks, pos, seq = _x_positions(pd.concat([t[x] for t in tables + ([band] if band is not None else [])]).tolist(),
                                   x)
    width_mm = JOURNAL_WIDTHS_MM["double"]
    if fig is not None:
        width_mm = fig.get_figure(root=True).get_size_inches()[0] * 25.4 if hasattr(fig, "get_figure") else width_mm
    ncols, nrows, upright = _grid_shape(len(keys), key_panel, ncols, [str(v) for v in ticks], x, width_mm)
    strip_rel = (0.55 if upright else 0.36) if show_n else 0.0
    if fig is None:
        panel_in = 1.35
        height_in = panel_in * (nrows + strip_rel) + 0.45
        fig, _ = new_figure("double", aspect=height_in / (width_mm / 25.4))
        fig.clear()
    gs = fig.add_gridspec(nrows + (1 if show_n else 0), ncols, height_ratios=[1.0] * nrows + ([strip_rel] if show_n
                                                                                            else []))
    grid = np.empty((nrows, ncols), dtype=object)
    first = None
    for r in range(nrows):
        for c in range(ncols):
            grid[r, c] = fig.add_subplot(gs[r, c], sharex=first, sharey=first if sharey else None)
            first = first or grid[r, c]
    flat = grid.ravel()
    lo_col, hi_col = f"{value}_lo", f"{value}_hi"
    offsets = [0.0] if compare is None else [-0.18, 0.18]
    panel_pt = (width_mm / ncols - 12) * 72 / 25.4
    wrap = max(12, int(panel_pt / (_LATIN_EM * fs["title"])))
    # markers shrink when groups crowd the panel (e.g. forty years side by side)
    span = (max(pos.values()) - min(pos.values()) + 1) if pos else 1
    ms = float(np.clip(panel_pt / span * 0.8, 1.8, 3.0))
    for ax, k in zip(flat, keys):
        if band is not None:  # imputed uncertainty: light boxes behind the dated-only points
            b = band[band["key"] == k]
            bx = b[x].map(pos).astype(float).to_numpy()
            blo, bhi = b[lo_col].to_numpy(float), b[hi_col].to_numpy(float)
            ok = np.isfinite(blo) & np.isfinite(bhi)
            if ok.any():
                ax.bar(bx[ok], bhi[ok] - blo[ok], bottom=blo[ok], width=0.8, color=colors[0], alpha=0.2, lw=0,
                       zorder=0)
            est = b[value].to_numpy(float)
            if np.isfinite(est).any():
                ax.plot(bx, est, "_", ms=6, mew=1.0, color=colors[0], alpha=0.55, zorder=0.5, clip_on=False)
        for t, c, dx in zip(tables, colors, offsets):
            d = t[t["key"] == k].copy()
            d["_pos"] = d[x].map(pos).astype(float)
            d = d.sort_values("_pos")
            xs, ys = d["_pos"].to_numpy() + dx, d[value].to_numpy(float)
            if connect and len(d) > 1:
                # join only consecutive years / adjacent periods: break the line at every gap
                o = d[x].map(seq).to_numpy(float)
                brk = np.flatnonzero(np.diff(o) != 1) + 1
                ax.plot(np.insert(xs, brk, np.nan), np.insert(ys, brk, np.nan), color=c, lw=0.7, alpha=0.6,
                        zorder=1)
            single = d["n_docs"].to_numpy() < 2
            if lo_col in d:
                ylo, yhi = d[lo_col].to_numpy(float), d[hi_col].to_numpy(float)
                ok = ~single & np.isfinite(ylo)
                if ok.any():  # an empty LineCollection has a bogus extent that breaks the layout
                    ax.vlines(xs[ok], ylo[ok], yhi[ok], color=c, lw=0.9, zorder=2)
            # markers at 0 unclipped (not half hidden by the axis); empty artists skipped (bogus extents)
            if (~single).any():
                ax.plot(xs[~single], ys[~single], "o", ms=ms, color=c, mec=c, zorder=3, clip_on=False)
            if single.any():
                ax.plot(xs[single], ys[single], "o", ms=ms, mfc="white", mec=c, mew=0.8, zorder=3,
                        clip_on=False)
        d0 = rates[rates["key"] == k]
        # the Chinese on top, the gloss wrapped below (never cut), so neighbouring titles never collide
        ax.set_title(phrase_label(d0["label"].iloc[0], d0["gloss_en"].iloc[0], width=wrap, newline=True),
                     fontsize=fs["title"], linespacing=1.1)
        if not any((t.loc[t["key"] == k, value].fillna(0) > 0).any()
                   for t in tables + ([band] if band is not None else [])):
            ax.set_ylim(0, 1)
            ax.set_yticks([0, 1])
            ax.text(0.5, 0.5, "未出现 not mentioned", transform=ax.transAxes, ha="center", va="center",
                    fontsize=fs["annotation"], color="0.35")
        else:
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.tick_params(labelsize=fs["tick"], length=2, pad=1.5)
        ax.grid(axis="y", lw=0.3, color="0.88")
    lo_x, hi_x = min(pos.values()), max(pos.values())
    pad = 0.6 if x != "year" else max(0.8, 0.03 * (hi_x - lo_x))
    first.set_xlim(lo_x - pad, hi_x + pad)
    n_by = [t.drop_duplicates(x).set_index(x)["n_docs"] for t in tables]
    strip_colors = ["0.55", colors[1]]
    if band is not None:  # all documents (imputed years) behind the dated ones
        n_by = [band.drop_duplicates(x).set_index(x)["n_docs"].astype(float).round()] + n_by
        strip_colors = ["0.82"] + strip_colors
    if x == "year":
        # a four-digit year at tick size is ~13 pt wide: about one tick per 24 pt of panel
        n_ticks = max(5, min(8, int(panel_pt / 18)))
        first.xaxis.set_major_locator(MaxNLocator(n_ticks, integer=True, steps=[1, 2, 2.5, 5, 10]))
    else:
        first.set_xticks([pos[v] for v in ticks], [str(v) for v in ticks])
    bottom = {}  # column -> lowest panel in it
    for i, ax in enumerate(flat[: len(keys)]):
        bottom[i % ncols] = ax
    strips = []
    if show_n:
        strips = _docs_strips(fig, gs, nrows, ncols, first, pos, n_by, year=x == "year", upright=upright,
                              numbers=x != "year" and len(ticks) <= 16 and band is None,
                              colors=strip_colors,
                              xlabel="年份 year" if x == "year" else "五年规划 plan period")
        for ax in flat[: len(keys)]:
            ax.tick_params(labelbottom=False)
    else:
        for c, ax in bottom.items():
            ax.tick_params(labelbottom=True)
            if upright:
                ax.tick_params(axis="x", labelrotation=90)
        for i, ax in enumerate(flat[: len(keys)]):
            if ax not in bottom.values():
                ax.tick_params(labelbottom=False)
    ylab = "每万字频次\nper 10,000 chars" if value == "rate" else "提及文档比例\nshare of documents"
    for r in range(nrows):
        grid[r, 0].set_ylabel(ylab, fontsize=fs["label"])
    handles = [Line2D([], [], color="0.25", marker="o", ms=3.0, lw=0.9,
                      label="n ≥ 2: 95% 自助区间\nbootstrap interval"),
               Line2D([], [], color="0.25", marker="o", ms=3.0, mfc="white", lw=0,
                      label="n = 1: 单篇文档，无区间\nsingle document, no interval")]
    if compare is not None:
        handles = [Line2D([], [], color=c, marker="o", ms=3.0, lw=0, label=nm)
                   for c, nm in zip(colors, names)] + handles
    if band is not None:
        handles = [Patch(color=colors[0], alpha=0.2, lw=0, label=f"{band_name}\n95% 区间 interval")] + handles
    if show_n:
        handles.append(Patch(color="0.55", label="底部条形: 文档数\nbottom strip: documents"))
        if band is not None:
            handles.append(Patch(color="0.82", label="浅色: 含插补年份\nlight: with imputed years"))
    spare = flat[len(keys):]
    for ax in spare:
        ax.set_visible(False)
    if key_panel:
        if len(spare):
            leg_ax = spare[0]
            leg_ax.set_visible(True)
            leg_ax.axis("off")
            leg_ax.legend(handles=handles, loc="center", fontsize=fs["legend"], frameon=False, handlelength=1.2,
                          alignment="left", labelspacing=0.6)
        else:
            fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 3),
                       fontsize=fs["legend"], frameon=False)
    return flat[: len(keys)]


def plot_period_heatmap(rates: pd.DataFrame, *, by: str = "fyp_period", value: str = "rate", ax=None,
                        keys: Sequence[str] | None = None, annot: bool = True, cmap: str = "rocket_r",
                        cbar: bool = True, vmax: float | None = None):
    """Draw a heatmap of phrase (family) rates by Five-Year-Plan period.

    Parameters
    ----------
    rates : DataFrame
        ``phrases.phrase_rates(..., by="fyp_period", level="family")``.
    by : str, default "fyp_period"
    value : {"rate", "prevalence"}, default "rate"
    ax : matplotlib Axes, optional
        Default a new double-column figure whose height follows the number of rows.
    keys : sequence of str, optional
        Rows to show, in order; default all with any mention, most frequent first.
    annot : bool, default True
        Write the values in the cells (at the annotation size of
        :data:`~bureau_rhetoric.figures.FONT_SIZES`; left out when the cells are too
        narrow for them).
    cmap : str, default "rocket_r"
    cbar : bool, default True
    vmax : float, optional
        Top of the colour scale; default the 98th percentile of the cells, so
        that one extreme cell does not wash out the rest. Cells above it take the
        top colour, and the colour bar then ends in an arrow (``extend="max"``);
        the numbers in the cells stay exact.

    Returns
    -------
    matplotlib Axes
    """
    import seaborn as sns

    from ..dating import period_order
    from . import FONT_SIZES, new_figure

    fs = FONT_SIZES
    if keys is None:
        tot = rates.groupby("key")["count"].sum()
        keys = tot[tot > 0].sort_values(ascending=False).index.tolist()
    keys = list(keys)
    if not keys:
        raise ValueError("no phrase is mentioned in any period: nothing to draw")
    meta = rates.drop_duplicates("key").set_index("key")
    # glosses wrapped under their phrase (never cut): the label column stays narrow
    rows = [phrase_label(meta.loc[k, "label"], meta.loc[k, "gloss_en"], width=30) for k in keys]
    n_lines = max(r.count("\n") + 1 for r in rows)
    if ax is None:
        # rows as tall as their labels at the tick size, plus the column labels and a title
        row_in = fs["tick"] * (1.25 * n_lines + 0.6) / 72
        _, ax = new_figure("double", aspect=(1.4 + row_in * len(keys)) / (183 / 25.4))
    periods = period_order(rates[by])  # plans in time order (fyp.csv), other labels after
    grid = rates.pivot_table(index="key", columns=by, values=value, aggfunc="first").reindex(index=keys,
                                                                                           columns=periods)
    ndocs = rates.drop_duplicates(by).set_index(by)["n_docs"]
    # a column resting on one document is an anecdote: say so under its n
    cols = [f"{p}\n{_period_span(p, short=True)}\nn={int(ndocs[p])}" + ("\n单篇\nsingle" if ndocs[p] == 1 else "")
            for p in periods]
    values = grid.to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    top = float(vmax) if vmax is not None else (float(np.percentile(finite, 98)) if finite.size else 1.0)
    top = max(top, 1e-9)
    extend = "max" if finite.size and finite.max() > top + 1e-12 else "neither"
    # numbers only if a cell is wide enough for "00.0" at the annotation size; the label
    # column takes the width of the longest row label
    fig = ax.figure
    label_pt = max(_text_width_pt(line, fs["tick"]) for r in rows for line in r.split("\n"))
    cell_pt = (fig.get_size_inches()[0] * 72 - label_pt - 70) / max(len(periods), 1)
    show_numbers = bool(annot and cell_pt >= 4 * 0.6 * fs["annotation"] + 2)
    col_pt = max(_text_width_pt(line, fs["tick"]) for c in cols for line in c.split("\n"))
    upright = col_pt + 2 > cell_pt
    sns.heatmap(pd.DataFrame(values, index=rows, columns=cols), ax=ax, cmap=cmap, annot=show_numbers,
                fmt=".1f", annot_kws={"fontsize": fs["annotation"]}, linewidths=0.4, linecolor="white", cbar=cbar,
                vmin=0, vmax=top,
                cbar_kws={"label": "每万字 per 10,000 chars" if value == "rate" else "文档比例 share of documents",
                          "shrink": 0.6, "extend": extend})
    ax.set_xlabel("五年规划时期 Five-Year-Plan period (n = 文档数 documents)", fontsize=fs["label"])
    ax.set_ylabel("")
    if cbar and ax.collections and ax.collections[0].colorbar is not None:
        cb = ax.collections[0].colorbar  # seaborn leaves the colour bar at the context's larger size
        cb.ax.tick_params(labelsize=fs["tick"])
        cb.ax.yaxis.label.set_fontsize(fs["label"])
    ax.tick_params(axis="y", labelsize=fs["tick"])
    ax.tick_params(axis="x", labelsize=fs["tick"], rotation=90 if upright else 0)
    return ax


def _term_labels(terms: Sequence[str], lexicon=None) -> list[str]:
    from ..phrases import read_phrases

    lex = read_phrases(lexicon)
    by_id = {r.phrase_id: phrase_label(r.phrase, r.gloss_en) for r in lex.itertuples()}
    by_family = {}
    for r in lex.itertuples():
        if r.phrase == r.family:
            by_family[r.family] = phrase_label(r.phrase, r.gloss_en)
    return [by_id.get(t, by_family.get(t, t)) for t in terms]


def _bar_figure(n_rows: int, ax):
    """Axes for a chart of one labelled row per term: a figure whose height follows the rows."""
    if ax is not None:
        return ax
    from . import FONT_SIZES, new_figure

    row_pt = FONT_SIZES["tick"] * 1.9
    height_in = 0.9 + n_rows * row_pt / 72
    _, ax = new_figure("double", aspect=height_in / (183 / 25.4))
    return ax


def plot_keyness(k: pd.DataFrame, *, n: int = 12, ax=None, label_a: str = "A", label_b: str = "B",
                 lexicon=None, colors: Sequence[str] = ("#0072B2", "#E69F00")):
    """Draw the terms most key to each of two groups as bars of G², group A to the left.

    Parameters
    ----------
    k : DataFrame
        Output of ``phrases.keyness``.
    n : int, default 12
        Terms per side.
    ax : matplotlib Axes, optional
        Default a new double-column figure whose height follows the number of terms.
    label_a, label_b : str
        Names of the groups: pass the earlier era as A (``"< 2013"``), so time
        reads left to right.
    lexicon : optional
        Phrase lexicon used to gloss phrase ids; plain tokens are shown as is.
    colors : pair of str
        Okabe-Ito blue (A) and orange (B) by default.

    Returns
    -------
    matplotlib Axes
    """
    from . import FONT_SIZES

    fs = FONT_SIZES
    a = k[k["key_for"] == "a"].nlargest(n, "g2")
    b = k[k["key_for"] == "b"].nlargest(n, "g2")
    d = pd.concat([a.assign(s=-a["g2"]), b.assign(s=b["g2"])]).sort_values("s", ascending=False)
    if d.empty:
        raise ValueError("keyness table is empty (lower min_freq?)")
    ax = _bar_figure(len(d), ax)
    y = np.arange(len(d))
    ax.barh(y, d["s"], color=[colors[0] if s < 0 else colors[1] for s in d["s"]], height=0.7)
    ax.set_yticks(y)
    ax.set_yticklabels(_term_labels(d["term"].tolist(), lexicon), fontsize=fs["tick"])
    ax.set_ylim(len(d) - 0.5, -0.5)
    ax.axvline(0, color="0.3", lw=0.6)
    for thr in (10.83, -10.83):
        ax.axvline(thr, color="0.6", lw=0.5, ls=":")
    ax.set_xlabel(f"G² (对数似然 log-likelihood)   ← 关键于 key to {label_a}   |   关键于 key to {label_b} →",
                  fontsize=fs["label"])
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):g}"))  # G² is positive on both sides
    ax.tick_params(axis="x", labelsize=fs["tick"])
    return ax


def _values_text(values, fallback: str) -> str:
    """Short text for the groups of an era: ``"2013–2020"`` for a run of years, ``"十一五/十二五"``
    for a few labels, ``fallback`` when it would not fit on an axis label."""
    vals = list(values) if values is not None else []
    if not vals:
        return fallback
    if all(isinstance(v, (int, np.integer)) for v in vals) and len(vals) > 2 and \
            sorted(vals) == list(range(min(vals), max(vals) + 1)):
        return f"{min(vals)}–{max(vals)}"
    text = "/".join(map(str, vals))
    return text if len(text) <= 24 else fallback


def plot_emerging_terms(r: pd.DataFrame, *, n: int = 8, ax=None, lexicon=None,
                        colors: Sequence[str] = ("#0072B2", "#E69F00", "0.55")):
    """Draw the change in rate between two periods with its interval, top risers and fallers.

    Parameters
    ----------
    r : DataFrame
        Output of ``phrases.rank_emerging_terms``.
    n : int, default 8
        Terms from each end of the ranking.
    ax : matplotlib Axes, optional
        Default a new double-column figure whose height follows the number of terms.
    lexicon : optional
        Phrase lexicon for labels.
    colors : (emerging, declining, uncertain)
        Okabe-Ito blue and orange and a grey; the three also differ by marker
        (circle, square, open circle), so they survive greyscale.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.lines import Line2D

    from . import FONT_SIZES

    fs = FONT_SIZES
    d = pd.concat([r.head(n), r.tail(n)]).drop_duplicates("term").sort_values("diff")
    if d.empty:
        raise ValueError("no terms to draw")
    ax = _bar_figure(len(d), ax)
    y = np.arange(len(d))
    col = {"emerging": colors[0], "declining": colors[1], "uncertain": colors[2]}
    mark = {"emerging": ("o", None), "declining": ("s", None), "uncertain": ("o", "white")}
    for yi, row in zip(y, d.itertuples()):
        ax.plot([row.diff_lo, row.diff_hi], [yi, yi], color=col[row.trend], lw=1.2)
        m, face = mark[row.trend]
        ax.plot([row.diff], [yi], m, color=col[row.trend], mfc=face or col[row.trend], ms=3.5)
    ax.axvline(0, color="0.3", lw=0.6)
    ax.set_yticks(y)
    ax.set_yticklabels(_term_labels(d["term"].tolist(), lexicon), fontsize=fs["tick"])
    ax.set_ylim(-0.5, len(d) - 0.5)
    p = r.attrs.get("params", {})
    ax.set_xlabel(f"每万字频次变化 change per 10,000 chars ({_values_text(p.get('late', []), 'B')}"
                  f" − {_values_text(p.get('early', []), 'A')})", fontsize=fs["label"])
    ax.tick_params(axis="x", labelsize=fs["tick"])
    names = {"emerging": "上升 emerging", "declining": "下降 declining", "uncertain": "不确定 uncertain (CI spans 0)"}
    ax.legend(handles=[Line2D([], [], color=col[t], marker=mark[t][0], mfc=mark[t][1] or col[t], ms=3.5, lw=1.2,
                              label=names[t]) for t in names if t in set(d["trend"])],
              loc="lower right", fontsize=fs["legend"], frameon=False)
    return ax
