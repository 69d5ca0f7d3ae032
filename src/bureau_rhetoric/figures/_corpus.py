"""Figures of what the corpus build found and did (notebook 01).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from bureau_rhetoric.figures import plot_repairs_by_file
>>> table = pd.DataFrame({"source_file": ["000.txt", "002.txt", "002.txt"],
...                       "reason": ["watermark", "pinyin", "gbk_shift"], "n_changes": [2, 8566, 25]})
>>> ax = plot_repairs_by_file(table)
>>> ax.get_xlabel()
'修复类型 kind of change'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["plot_repairs_by_file", "plot_document_lengths", "KIND_LABELS"]

#: Chinese label with English gloss for each audit reason.
KIND_LABELS = {
    "gbk_shift": "GBK错位 GBK shift",
    "gbk_unrecoverable": "不可恢复 lost bytes",
    "pinyin": "拼音注音 pinyin",
    "t2s": "繁转简 trad.→simpl.",
    "watermark": "水印 watermark",
    "lead_in": "导语/时间 lead-in",
    "footer": "页脚 footer",
    "intro": "小编引言 intro",
    "html": "HTML/JS",
    "url": "网址 URL",
    "repeated_body": "重复正文 pasted twice",
    "whitespace": "空白 whitespace",
    "width": "全角 width",
    "rejoin_line": "断行 rejoined line",
    "heading_or_title": "篇目标题 heading",
    "blank": "空行 blank",
}


def plot_repairs_by_file(table: pd.DataFrame, *, ax=None, annotate: bool = True, max_files: int = 25):
    """Heat map of changes by kind (columns) and source file (rows), log colour scale.

    Parameters
    ----------
    table : DataFrame
        Tidy: ``source_file``, ``reason``, ``n_changes``.
    ax : matplotlib Axes, optional
        Default a new double-column figure whose height follows the number of rows.
    annotate : bool, default True
        Write the count in each cell.
    max_files : int, default 25
        Files with the most changes shown one per row; the rest are summed in a
        last row ("other N files"), so that the figure stays readable at any
        corpus size.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.colors import LogNorm

    from . import FONT_SIZES, new_figure

    fs = FONT_SIZES
    wide = table.pivot_table(index="source_file", columns="reason", values="n_changes",
                             aggfunc="sum", fill_value=0)
    order = [k for k in KIND_LABELS if k in wide.columns] + [k for k in wide.columns if k not in KIND_LABELS]
    wide = wide[order]
    if len(wide) > max_files:
        top = wide.sum(axis=1).sort_values(ascending=False).index[:max_files]
        rest = wide.drop(index=top)
        wide = pd.concat([wide.loc[sorted(top)],
                          rest.sum().to_frame(f"其他 other {len(rest)} files").T])
    if ax is None:
        _, ax = new_figure("double", aspect=(1.3 + 0.13 * len(wide)) / (183 / 25.4))
    values = wide.to_numpy(dtype=float)
    masked = np.ma.masked_where(values == 0, values)
    vmax = max(1.0, float(values.max())) if values.size else 1.0
    im = ax.imshow(masked, aspect="auto", cmap="viridis", norm=LogNorm(vmin=1, vmax=vmax))
    ax.set_xticks(range(len(order)), [KIND_LABELS.get(k, k) for k in order], rotation=60, ha="right",
                  rotation_mode="anchor", fontsize=fs["tick"])
    ax.set_yticks(range(len(wide.index)), [_short_file(f) for f in wide.index], fontsize=fs["tick"])
    if annotate:
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if values[i, j]:
                    light = np.log(values[i, j]) < 0.6 * np.log(vmax)
                    ax.text(j, i, f"{int(values[i, j]):,}", ha="center", va="center", fontsize=fs["annotation"],
                            color="white" if light else "black")
    ax.set_xlabel("修复类型 kind of change", fontsize=fs["label"])
    ax.set_ylabel("源文件 source file", fontsize=fs["label"])
    cb = ax.figure.colorbar(im, ax=ax, label="次数 count (log)")
    cb.ax.tick_params(labelsize=fs["tick"])
    cb.ax.yaxis.label.set_fontsize(fs["label"])
    return ax


def _short_file(name, n: int = 22) -> str:
    """A file name fit for a tick label: the stem's start and its end (where names differ)."""
    s = str(name)
    return s if len(s) <= n else s[: n - 8] + "…" + s[-7:]


def plot_document_lengths(docs: pd.DataFrame, *, ax=None, max_bars: int = 40):
    """Each document's length, coloured by whether analyses keep it; a histogram for many documents.

    Parameters
    ----------
    docs : DataFrame
        With ``doc_id``, ``n_chars``, ``duplicate_of``, ``on_topic``.
    ax : matplotlib Axes, optional
    max_bars : int, default 40
        Up to this many documents, one labelled bar each; beyond, a stacked
        histogram of lengths (log-spaced bins) by status, since one label per
        document would no longer be legible.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from bureau_rhetoric.figures import plot_document_lengths
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "n_chars": [900, 1200, 300],
    ...                      "duplicate_of": [None, "a", None], "on_topic": [True, True, False]})
    >>> ax = plot_document_lengths(docs)
    >>> len(ax.patches)
    3
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from . import FONT_SIZES, OKABE_ITO

    fs = FONT_SIZES
    ax = ax if ax is not None else plt.gca()
    status = np.where(docs["duplicate_of"].notna(), "重复 duplicate",
                      np.where(~docs["on_topic"].astype(bool), "非科技 off-topic", "保留 kept"))
    colors = {"保留 kept": OKABE_ITO[0], "重复 duplicate": OKABE_ITO[1], "非科技 off-topic": OKABE_ITO[2]}
    present = [s for s in colors if s in set(status)]
    if len(docs) <= max_bars:
        x = np.arange(len(docs))
        ax.bar(x, docs["n_chars"], color=[colors[s] for s in status], width=0.8)
        ax.set_xticks(x, docs["doc_id"], rotation=90, fontsize=fs["tick"])
        ax.set_ylabel("字数 characters", fontsize=fs["label"])
        ax.set_xlabel("文档 document", fontsize=fs["label"])
    else:
        n = docs["n_chars"].clip(lower=1).to_numpy(float)
        bins = np.geomspace(n.min(), n.max() * 1.001, 30) if n.max() > n.min() else np.array([n.min() * 0.9,
                                                                                                n.max() * 1.1])
        ax.hist([n[status == s] for s in present], bins=bins, stacked=True, color=[colors[s] for s in present])
        from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

        ax.set_xscale("log")
        # plain numbers at 1-2-5 steps: a reader should not have to decode 10^3
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("字数 characters (log scale)", fontsize=fs["label"])
        ax.set_ylabel("文档数 documents", fontsize=fs["label"])
    ax.tick_params(labelsize=fs["tick"])
    ax.legend(handles=[Patch(color=colors[s], label=f"{s} ({int((status == s).sum()):,})") for s in present],
              frameon=False, fontsize=fs["legend"])
    return ax
