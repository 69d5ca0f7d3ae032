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

__all__ = ["plot_phrase_rates", "plot_period_heatmap", "plot_keyness", "plot_emerging_terms",
           "phrase_label", "FYP_ORDER"]

#: Five-Year-Plan periods in time order, with their years.
FYP_ORDER = {"九五": "1996–2000", "十五": "2001–05", "十一五": "2006–10", "十二五": "2011–15",
             "十三五": "2016–20", "十四五": "2021–25", "十五五": "2026–30"}


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
        ax.plot(xs, d[value].to_numpy(float), marker="o", ms=2.5, lw=1.1, color=c,
                label=phrase_label(d["label"].iloc[0], d["gloss_en"].iloc[0], width=44))
        lo, hi = f"{value}_lo", f"{value}_hi"
        if band and lo in d:
            ylo, yhi = d[lo].to_numpy(float), d[hi].to_numpy(float)
            ax.fill_between(xs, ylo, yhi, color=c, alpha=0.15, lw=0)
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
    periods = list(dict.fromkeys(rates[by]))
    periods.sort(key=lambda p: (list(FYP_ORDER).index(p) if p in FYP_ORDER else 99, str(p)))
    grid = rates.pivot_table(index="key", columns=by, values=value, aggfunc="first").reindex(index=keys,
                                                                                           columns=periods)
    meta = rates.drop_duplicates("key").set_index("key")
    ndocs = rates.drop_duplicates(by).set_index(by)["n_docs"]
    rows = [phrase_label(meta.loc[k, "label"], meta.loc[k, "gloss_en"], width=24) for k in keys]
    cols = [f"{p}\n{FYP_ORDER.get(p, '')}\nn={int(ndocs[p])}" for p in periods]
    sns.heatmap(pd.DataFrame(grid.to_numpy(), index=rows, columns=cols), ax=ax, cmap=cmap, annot=annot,
                fmt=".1f", annot_kws={"fontsize": 5}, linewidths=0.4, linecolor="white", cbar=cbar, robust=True,
                cbar_kws={"label": "每万字 per 10,000 chars" if value == "rate" else "share of documents",
                          "shrink": 0.6})
    ax.set_xlabel("五年规划时期 Five-Year-Plan period")
    ax.set_ylabel("")
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
    ax.set_xlabel(f"G²  ← {label_b}    |    {label_a} →")
    ax.set_xticks(ax.get_xticks())
    ax.set_xticklabels([f"{abs(t):g}" for t in ax.get_xticks()])
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
                  f" − {'/'.join(map(str, p.get('early', [])))})")
    return ax
