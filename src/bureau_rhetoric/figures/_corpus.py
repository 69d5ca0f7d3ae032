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


def plot_repairs_by_file(table: pd.DataFrame, *, ax=None, annotate: bool = True):
    """Heat map of changes by kind (columns) and source file (rows), log colour scale.

    Parameters
    ----------
    table : DataFrame
        Tidy: ``source_file``, ``reason``, ``n_changes``.
    ax : matplotlib Axes, optional
    annotate : bool, default True
        Write the count in each cell.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    ax = ax if ax is not None else plt.gca()
    wide = table.pivot_table(index="source_file", columns="reason", values="n_changes",
                             aggfunc="sum", fill_value=0)
    order = [k for k in KIND_LABELS if k in wide.columns] + [k for k in wide.columns if k not in KIND_LABELS]
    wide = wide[order]
    values = wide.to_numpy(dtype=float)
    masked = np.ma.masked_where(values == 0, values)
    vmax = max(1.0, float(values.max())) if values.size else 1.0
    im = ax.imshow(masked, aspect="auto", cmap="viridis", norm=LogNorm(vmin=1, vmax=vmax))
    ax.set_xticks(range(len(order)), [KIND_LABELS.get(k, k) for k in order], rotation=60, ha="right")
    ax.set_yticks(range(len(wide.index)), [str(f)[:12] for f in wide.index])
    if annotate:
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                if values[i, j]:
                    light = np.log(values[i, j]) < 0.6 * np.log(vmax)
                    ax.text(j, i, f"{int(values[i, j])}", ha="center", va="center", fontsize=5,
                            color="white" if light else "black")
    ax.set_xlabel("修复类型 kind of change")
    ax.set_ylabel("源文件 source file")
    ax.figure.colorbar(im, ax=ax, label="次数 count (log)")
    return ax


def plot_document_lengths(docs: pd.DataFrame, *, ax=None, max_labels: int = 80):
    """Bar chart of each document's length, coloured by whether analyses keep it.

    Parameters
    ----------
    docs : DataFrame
        With ``doc_id``, ``n_chars``, ``duplicate_of``, ``on_topic``.
    ax : matplotlib Axes, optional
    max_labels : int, default 80
        Label each bar with its ``doc_id`` up to this many documents; beyond, the
        x axis counts documents (thousands of rotated labels are unreadable and
        take most of the drawing time), and the bars are one collection of
        rectangles instead of one artist each.

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

    ax = ax if ax is not None else plt.gca()
    status = np.where(docs["duplicate_of"].notna(), "重复 duplicate",
                      np.where(~docs["on_topic"].astype(bool), "非科技 off-topic", "保留 kept"))
    colors = {"保留 kept": "#4C72B0", "重复 duplicate": "#DD8452", "非科技 off-topic": "#C44E52"}
    x = np.arange(len(docs))
    if len(docs) <= max_labels:
        ax.bar(x, docs["n_chars"], color=[colors[s] for s in status], width=0.8)
        ax.set_xticks(x, docs["doc_id"], rotation=90, fontsize=5)
        ax.set_xlabel("文档 document")
    else:
        from matplotlib.collections import PolyCollection

        h = docs["n_chars"].to_numpy(dtype=float)
        verts = np.stack([np.c_[x - 0.4, np.zeros_like(h)], np.c_[x - 0.4, h], np.c_[x + 0.4, h],
                          np.c_[x + 0.4, np.zeros_like(h)]], axis=1)
        ax.add_collection(PolyCollection(verts, facecolors=[colors[s] for s in status], edgecolors="none"))
        ax.set_xlim(-1, len(docs))
        ax.set_ylim(0, max(1.0, float(h.max()) * 1.05) if len(h) else 1.0)
        ax.set_xlabel("文档（按语料顺序）document, in corpus order")
    ax.set_ylabel("字数 characters")
    from matplotlib.patches import Patch

    present = [s for s in colors if s in set(status)]
    ax.legend(handles=[Patch(color=colors[s], label=s) for s in present], frameon=False, fontsize=6)
    return ax
