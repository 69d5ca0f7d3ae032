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


def _period_span(p) -> str:
    """``"1996–2000"`` for a plan period of ``fyp.csv``, else ``""``."""
    from ..dating import period_years

    span = period_years(p)
    return "" if span is None else f"{span[0]}–{span[1]}"


def phrase_label(label: str, gloss: str | None = None, *, width: int = 32) -> str:
    """Return ``"中文 (English gloss)"``, the gloss shortened to ``width`` characters.

    Parameters
    ----------
    label : str
    gloss : str, optional
    width : int, default 32

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.figures import phrase_label
    >>> phrase_label("新质生产力", "new quality productive forces")
    '新质生产力 (new quality productive forces)'
    """
    if not gloss or (isinstance(gloss, float) and np.isnan(gloss)):
        return str(label)
    gloss = str(gloss)
    if len(gloss) > width:
        gloss = gloss[: width - 1].rstrip() + "…"
    return f"{label} ({gloss})"


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
                      palette: str = "colorblind", legend: bool | str = "outside"):
    """Plot rates per 10,000 characters over time, with confidence bands.

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
        Label each year's tick with its number of documents.
    palette : str, default "colorblind"
    legend : {"outside", True, False}, default "outside"
        Legend right of the axes ("outside"), inside (True) or none.

    Returns
    -------
    matplotlib Axes
    """
    import seaborn as sns

    ax = _ax(ax)
    if keys is None:
        keys = rates.groupby("key")["count"].sum().sort_values(ascending=False).head(5).index.tolist()
    keys = list(keys)
    colors = sns.color_palette(palette, max(len(keys), 1))
    dodge = 0.08 * (np.arange(len(keys)) - (len(keys) - 1) / 2)  # keep whiskers of one year apart
    for k, c, dx in zip(keys, colors, dodge):
        d = rates[rates["key"] == k].sort_values(x)
        if d.empty:
            raise ValueError(f"no rows for key {k!r} in the rates table")
        xs = d[x].astype(float).to_numpy()
        # break the line between years that are not consecutive: no line across years without data
        lx, ly = _gapped(xs, d[value].to_numpy(float))
        ax.plot(lx, ly, marker="o", ms=2.5, lw=1.1, color=c,
                label=phrase_label(d["label"].iloc[0], d["gloss_en"].iloc[0], width=44))
        lo, hi = f"{value}_lo", f"{value}_hi"
        if band and lo in d:
            ylo, yhi = d[lo].to_numpy(float), d[hi].to_numpy(float)
            gx, glo = _gapped(xs, ylo)
            ax.fill_between(gx, glo, _gapped(xs, yhi)[1], color=c, alpha=0.15, lw=0)
            # a whisker per point: the band alone vanishes where a neighbour has no interval
            ax.vlines(xs + dx, ylo, yhi, color=c, lw=0.8, alpha=0.7)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("年份 year" if x == "year" else x)
    ax.set_ylabel("每万字频次 per 10,000 chars" if value == "rate" else "提及文档比例 share of documents")
    if show_n:
        n = rates.drop_duplicates(x).sort_values(x)
        ticks, counts = n[x].astype(float).to_numpy(), n["n_docs"].to_numpy()
        step = max(1, int(np.ceil(len(ticks) / 30)))
        ax.set_xticks(ticks[::step])
        ax.set_xticklabels([f"{int(t)} (n={int(m)})" for t, m in zip(ticks[::step], counts[::step])],
                           rotation=90, fontsize=6)
    if legend == "outside":
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    elif legend:
        ax.legend(fontsize="x-small", loc="upper left", frameon=False)
    return ax


def _x_positions(values: Sequence, x: str, *, gap: float = 1.8) -> tuple[list, dict, dict]:
    """Return tick values in time order, a value -> x position map and a value -> ordinal map.

    Two values are consecutive when their ordinals differ by one (years one year
    apart, Five-Year-Plan periods adjacent in ``dating.period_order()``). Years are placed
    one unit apart when consecutive and ``gap`` units apart across a run of years
    without data (the break is marked on the axis), so that two neighbouring
    years never collide with years a decade away. Plan periods sit at their
    index in plan order, every period between the first and the last included,
    so an empty period is a visible gap; other labels are spaced evenly.
    """
    vals = list(dict.fromkeys(v for v in values if not pd.isna(v)))
    if x == "year":
        vals = sorted(int(v) for v in vals)
        pos, p = {}, 0.0
        for i, v in enumerate(vals):
            if i:
                p += 1.0 if v - vals[i - 1] == 1 else gap
            pos[v] = p
        return vals, pos, {v: v for v in vals}
    from ..dating import period_order

    order = period_order()
    if vals and all(v in order for v in vals):
        idx = sorted(order.index(v) for v in vals)
        ticks = order[idx[0]: idx[-1] + 1]
        return ticks, {v: float(order.index(v)) for v in ticks}, {v: order.index(v) for v in ticks}
    vals = sorted(vals, key=str)
    return vals, {v: float(i) for i, v in enumerate(vals)}, {v: i for i, v in enumerate(vals)}


def plot_phrase_panels(rates: pd.DataFrame, *, keys: Sequence[str] | None = None, x: str = "year",
                       value: str = "rate", compare: pd.DataFrame | None = None,
                       names: Sequence[str] = ("所有文档 all documents", "对照 comparison"), fig=None,
                       ncols: int = 4, sharey: bool = False, connect: bool = True, show_n: bool = True,
                       colors: Sequence[str] = ("#0072B2", "#D55E00"), key_panel: bool = True,
                       band: pd.DataFrame | None = None,
                       band_name: str = "所有文档，年份插补 all documents, years imputed"):
    """Draw one small panel per phrase: points with interval whiskers, n documents on the x axis.

    A group (year or period) with two or more documents is a filled point with
    its bootstrap interval; a group with one document is a hollow point without
    whiskers (a single document has no sampling interval). Lines join only
    consecutive years (or adjacent Five-Year-Plan periods), never across a gap
    without data.

    Parameters
    ----------
    rates : DataFrame
        Output of ``phrases.phrase_rates`` (``x`` column, ``key``, ``label``,
        ``gloss_en``, ``n_docs``, ``rate``, ``rate_lo``, ``rate_hi`` ...).
    keys : sequence of str, optional
        Phrases (``key`` values), one panel each, in reading order; default the
        eight most frequent overall.
    x : str, default "year"
        ``"year"`` (a linear time axis) or ``"fyp_period"`` (十五 … 十四五, in plan order).
    value : {"rate", "prevalence"}, default "rate"
    compare : DataFrame, optional
        A second rates table of the same shape (e.g. high-confidence documents
        only), drawn in each panel beside ``rates`` in a second colour.
    names : pair of str
        Legend names of ``rates`` and ``compare``.
    fig : matplotlib Figure or SubFigure, optional
        Where to lay out the panels; default a new double-column figure.
    ncols : int, default 4
    sharey : bool, default False
        One y scale for all panels (compares magnitudes across phrases) or a free
        scale per panel (shows each phrase's course; every axis starts at 0).
    connect : bool, default True
        Join consecutive groups with a thin line.
    show_n : bool, default True
        Write each group's number of documents under its tick (``n=all/comparison``
        with ``compare``).
    colors : pair of str
    key_panel : bool, default True
        Put the legend in the first unused panel slot (or below the panels if none).
    band : DataFrame, optional
        A rates table from every document with imputed years
        (``imputation.phrase_rates_imputed``), drawn behind ``rates`` as a light band
        (its 95 % interval) with a short light tick at its estimate, in the colour of
        ``rates``: the dated-only estimate stays in front, the imputed uncertainty
        around it. With ``show_n`` the tick labels read ``n=dated/all`` (the band's
        documents are a mean over the imputations, rounded).
    band_name : str
        Legend name of ``band``.

    Returns
    -------
    numpy.ndarray of matplotlib Axes
        The phrase panels, in the order of ``keys``.

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
    ncols = max(1, min(ncols, len(keys) + (1 if key_panel and len(keys) > 1 else 0)))
    nrows = int(np.ceil(len(keys) / ncols))
    if fig is None:
        from . import new_figure

        fig, _ = new_figure("double", aspect=min(0.24 * nrows + 0.08, 1.3))
        fig.clear()
    grid = fig.subplots(nrows, ncols, sharex=True, sharey=sharey, squeeze=False)
    flat = grid.ravel()
    lo_col, hi_col = f"{value}_lo", f"{value}_hi"
    offsets = [0.0] if compare is None else [-0.18, 0.18]
    unit = 1.0
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
            xs, ys = d["_pos"].to_numpy() + dx * unit, d[value].to_numpy(float)
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
                ax.plot(xs[~single], ys[~single], "o", ms=3.2, color=c, mec=c, zorder=3, clip_on=False)
            if single.any():
                ax.plot(xs[single], ys[single], "o", ms=3.2, mfc="white", mec=c, mew=0.9, zorder=3,
                        clip_on=False)
        d0 = rates[rates["key"] == k]
        # two lines: the Chinese on top, the gloss below, so neighbouring titles never collide
        ax.set_title(phrase_label(d0["label"].iloc[0], d0["gloss_en"].iloc[0], width=34).replace(" (", "\n(", 1),
                     fontsize=6.5, linespacing=1.1)
        if not any((t.loc[t["key"] == k, value].fillna(0) > 0).any()
                   for t in tables + ([band] if band is not None else [])):
            ax.set_ylim(0, 1)
            ax.text(0.5, 0.5, "未出现 not mentioned", transform=ax.transAxes, ha="center", va="center",
                    fontsize=6, color="0.4")
        else:
            ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=5.5, length=2, pad=1.5)
        ax.grid(axis="y", lw=0.3, color="0.88")
    span = max(pos.values()) - min(pos.values()) if pos else 0
    pad = 0.6 if x != "year" else max(0.6, 0.04 * span)
    flat[0].set_xlim(min(pos.values()) - pad, max(pos.values()) + pad)
    # n documents per group, in the tick labels (years without data get no tick)
    n_by = [t.drop_duplicates(x).set_index(x)["n_docs"] for t in tables + ([band] if band is not None else [])]
    shown = [v for v in ticks if x != "year" or any(v in n.index for n in n_by)]
    labels = []
    for v in shown:
        ns = "/".join(str(int(round(float(n.get(v, 0))))) for n in n_by)
        labels.append((f"{v}\n{ns}" if compare is not None else f"{v}\nn={ns}") if show_n else str(v))
    rot = 0
    breaks = [(pos[a] + pos[b]) / 2 for a, b in zip(shown, shown[1:]) if seq[b] - seq[a] > 1 and x == "year"]
    for i, ax in enumerate(flat[: len(keys)]):
        ax.set_xticks([pos[v] for v in shown])
        ax.set_xticklabels(labels, rotation=rot, fontsize=5.5, linespacing=1.0)
        for b in breaks:  # years without data between two ticks: a break mark on the axis
            ax.text(b, 0, "//", transform=ax.get_xaxis_transform(), ha="center", va="center", fontsize=6,
                    color="0.3", bbox={"fc": "white", "ec": "none", "pad": 0.2}, clip_on=False)
        below = i + ncols
        if below >= len(keys):  # bottom panel of its column: show its ticks
            ax.tick_params(labelbottom=True)
    ylab = "每万字频次\nper 10,000 chars" if value == "rate" else "提及文档比例\nshare of documents"
    for r in range(nrows):
        grid[r, 0].set_ylabel(ylab, fontsize=6)
    handles = [Line2D([], [], color="0.25", marker="o", ms=3.2, lw=0.9,
                      label="n ≥ 2: 95% 自助区间\nbootstrap interval"),
               Line2D([], [], color="0.25", marker="o", ms=3.2, mfc="white", lw=0,
                      label="n = 1: 单篇文档，无区间\nsingle document, no interval")]
    if compare is not None:
        handles = [Line2D([], [], color=c, marker="o", ms=3.2, lw=0, label=nm)
                   for c, nm in zip(colors, names)] + handles
    if band is not None:
        from matplotlib.patches import Patch

        handles = [Patch(color=colors[0], alpha=0.2, lw=0, label=f"{band_name}\n95% 区间 interval")] + handles
    spare = flat[len(keys):]
    for ax in spare:
        ax.set_visible(False)
    if key_panel:
        if len(spare):
            leg_ax = spare[0]
            leg_ax.set_visible(True)
            leg_ax.axis("off")
            leg_ax.legend(handles=handles, loc="center", fontsize=5.5, frameon=False, handlelength=1.2,
                          alignment="left", labelspacing=0.6,
                          title=("n = 文档数 documents" + (": 两组依次\nboth samples in order"
                                                          if compare is not None else
                                                          ": 已定年/全部\ndated/all" if band is not None else "")),
                          title_fontsize=5.5)
        else:
            fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=5.5,
                       frameon=False)
    return flat[: len(keys)]


def plot_period_heatmap(rates: pd.DataFrame, *, by: str = "fyp_period", value: str = "rate", ax=None,
                        keys: Sequence[str] | None = None, annot: bool = True, cmap: str = "rocket_r",
                        cbar: bool = True):
    """Draw a heatmap of phrase (family) rates by Five-Year-Plan period.

    Parameters
    ----------
    rates : DataFrame
        ``phrases.phrase_rates(..., by="fyp_period", level="family")``.
    by : str, default "fyp_period"
    value : {"rate", "prevalence"}, default "rate"
    ax : matplotlib Axes, optional
    keys : sequence of str, optional
        Rows to show, in order; default all with any mention, most frequent first.
    annot : bool, default True
        Write the values in the cells.
    cmap : str, default "rocket_r"
    cbar : bool, default True

    Returns
    -------
    matplotlib Axes
    """
    import seaborn as sns

    ax = _ax(ax)
    if keys is None:
        tot = rates.groupby("key")["count"].sum()
        keys = tot[tot > 0].sort_values(ascending=False).index.tolist()
    keys = list(keys)
    if not keys:
        raise ValueError("no phrase is mentioned in any period: nothing to draw")
    from ..dating import period_order

    periods = period_order(rates[by])  # plans in time order (fyp.csv), other labels after
    grid = rates.pivot_table(index="key", columns=by, values=value, aggfunc="first").reindex(index=keys,
                                                                                           columns=periods)
    meta = rates.drop_duplicates("key").set_index("key")
    ndocs = rates.drop_duplicates(by).set_index(by)["n_docs"]
    rows = [phrase_label(meta.loc[k, "label"], meta.loc[k, "gloss_en"], width=24) for k in keys]
    # a column resting on one document is an anecdote: say so under its n
    cols = [f"{p}\n{_period_span(p)}\nn={int(ndocs[p])}" + ("\n单篇 single doc" if ndocs[p] == 1 else "")
            for p in periods]
    sns.heatmap(pd.DataFrame(grid.to_numpy(), index=rows, columns=cols), ax=ax, cmap=cmap, annot=annot,
                fmt=".1f", annot_kws={"fontsize": 5}, linewidths=0.4, linecolor="white", cbar=cbar, robust=True,
                cbar_kws={"label": "每万字 per 10,000 chars" if value == "rate" else "share of documents",
                          "shrink": 0.6})
    ax.set_xlabel("五年规划时期 Five-Year-Plan period (n = 文档数 documents)", fontsize=7)
    ax.set_ylabel("")
    if cbar and ax.collections and ax.collections[0].colorbar is not None:
        cb = ax.collections[0].colorbar  # seaborn leaves the colour bar at the context's larger size
        cb.ax.tick_params(labelsize=6)
        cb.ax.yaxis.label.set_fontsize(7)
    ax.tick_params(axis="y", labelsize=6)
    ax.tick_params(axis="x", labelsize=6, rotation=0)
    return ax


def _term_labels(terms: Sequence[str], lexicon=None) -> list[str]:
    from ..phrases import read_phrases

    lex = read_phrases(lexicon)
    by_id = {r.phrase_id: phrase_label(r.phrase, r.gloss_en, width=22) for r in lex.itertuples()}
    by_family = {}
    for r in lex.itertuples():
        if r.phrase == r.family:
            by_family[r.family] = phrase_label(r.phrase, r.gloss_en, width=22)
    return [by_id.get(t, by_family.get(t, t)) for t in terms]


def plot_keyness(k: pd.DataFrame, *, n: int = 12, ax=None, label_a: str = "A", label_b: str = "B",
                 lexicon=None, colors: Sequence[str] = ("#0072B2", "#D55E00")):
    """Draw the terms most key to each of two groups as bars of signed G².

    Parameters
    ----------
    k : DataFrame
        Output of ``phrases.keyness``.
    n : int, default 12
        Terms per side.
    ax : matplotlib Axes, optional
    label_a, label_b : str
        Names of the groups (e.g. "2006–2012", "2013–2020").
    lexicon : optional
        Phrase lexicon used to gloss phrase ids; plain tokens are shown as is.
    colors : pair of str

    Returns
    -------
    matplotlib Axes
    """
    ax = _ax(ax)
    a = k[k["key_for"] == "a"].nlargest(n, "g2")
    b = k[k["key_for"] == "b"].nlargest(n, "g2")
    d = pd.concat([a.assign(s=a["g2"]), b.assign(s=-b["g2"])]).sort_values("s")
    if d.empty:
        raise ValueError("keyness table is empty (lower min_freq?)")
    y = np.arange(len(d))
    ax.barh(y, d["s"], color=[colors[0] if s > 0 else colors[1] for s in d["s"]], height=0.7)
    ax.set_yticks(y)
    ax.set_yticklabels(_term_labels(d["term"].tolist(), lexicon), fontsize=6)
    ax.axvline(0, color="0.3", lw=0.6)
    for thr in (10.83, -10.83):
        ax.axvline(thr, color="0.6", lw=0.5, ls=":")
    ax.set_xlabel(f"G²  ← {label_b}    |    {label_a} →", fontsize=7)
    ax.set_xticks(ax.get_xticks())
    ax.set_xticklabels([f"{abs(t):g}" for t in ax.get_xticks()])
    ax.tick_params(axis="x", labelsize=6)  # same size as the term labels
    return ax


def plot_emerging_terms(r: pd.DataFrame, *, n: int = 8, ax=None, lexicon=None,
                        colors: Sequence[str] = ("#009E73", "#CC79A7", "0.5")):
    """Draw the change in rate between two periods with its interval, top risers and fallers.

    Parameters
    ----------
    r : DataFrame
        Output of ``phrases.rank_emerging_terms``.
    n : int, default 8
        Terms from each end of the ranking.
    ax : matplotlib Axes, optional
    lexicon : optional
        Phrase lexicon for labels.
    colors : (emerging, declining, uncertain)

    Returns
    -------
    matplotlib Axes
    """
    ax = _ax(ax)
    d = pd.concat([r.head(n), r.tail(n)]).drop_duplicates("term").sort_values("diff")
    if d.empty:
        raise ValueError("no terms to draw")
    y = np.arange(len(d))
    col = {"emerging": colors[0], "declining": colors[1], "uncertain": colors[2]}
    for yi, row in zip(y, d.itertuples()):
        ax.plot([row.diff_lo, row.diff_hi], [yi, yi], color=col[row.trend], lw=1.2)
        ax.plot([row.diff], [yi], "o", color=col[row.trend], ms=3)
    ax.axvline(0, color="0.3", lw=0.6)
    ax.set_yticks(y)
    ax.set_yticklabels(_term_labels(d["term"].tolist(), lexicon), fontsize=6)
    p = r.attrs.get("params", {})
    ax.set_xlabel(f"每万字频次变化 change per 10,000 chars ({'/'.join(map(str, p.get('late', [])))}"
                  f" − {'/'.join(map(str, p.get('early', [])))})", fontsize=7)
    ax.tick_params(axis="x", labelsize=6)  # same size as the term labels
    from matplotlib.lines import Line2D

    names = {"emerging": "上升 emerging", "declining": "下降 declining", "uncertain": "不确定 uncertain (CI spans 0)"}
    ax.legend(handles=[Line2D([], [], color=col[t], marker="o", ms=3, lw=1.2, label=names[t]) for t in names
                       if t in set(d["trend"])],
              loc="lower right", fontsize=6, frameon=False)
    return ax
