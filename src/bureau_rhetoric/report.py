"""Sentences about the corpus and the run, computed from the data (for the notebooks' prose).

The notebooks used to say things that were true of the bundled seed reports only
("the corpus is small", "coherence is highest at K = 8"). A user's corpus needs
the sentence that fits it: each function here takes the tables of the run and
returns plain text (Markdown), so the same notebook reads right on 28 documents
or 50,000.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric.report import describe_corpus
>>> docs = pd.DataFrame({"doc_id": list("abcde"), "year": [2011, 2011, 2016, None, 2021],
...                      "fyp_period": ["十二五", "十二五", "十三五", None, "十四五"]})
>>> print(describe_corpus(docs))
5 documents; 4 dated, spanning 2011–2021 (3 distinct years, 1 undated). Documents per dated year: median 1, at most 2; 2 of 3 years rest on a single document. Plan periods: 十二五 (2), 十三五 (1), 十四五 (1); 十三五 and 十四五 rest on one document each: read them as single reports, not trends.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

__all__ = ["describe_corpus", "describe_k_choice", "describe_size", "join_names"]


def join_names(names: Sequence, *, limit: int = 8) -> str:
    """Join names as "a, b and c", listing at most ``limit`` then "and N more".

    Examples
    --------
    >>> from bureau_rhetoric.report import join_names
    >>> join_names(["六五", "八五"]), join_names(list("abcde"), limit=3)
    ('六五 and 八五', 'a, b, c and 2 more')
    """
    names = [str(n) for n in names]
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def describe_size(n_docs: int, n_years: int) -> str:
    """Say how far a corpus of this size carries year-by-year claims (a sentence).

    The thresholds are stated, not tuned on any corpus: with fewer than two
    documents per year on average a year's value is mostly one report; with
    twenty or more, bootstrap intervals per year are informative.

    Examples
    --------
    >>> from bureau_rhetoric.report import describe_size
    >>> describe_size(28, 12)
    'With 2.3 documents per dated year on average, read every yearly value with its interval; a year with one document is an anecdote, not a trend.'
    >>> describe_size(50000, 40)
    'With 1,250 documents per dated year on average, yearly values are well supported; intervals mainly show variation between documents.'
    """
    per = n_docs / max(n_years, 1)
    if per < 2:
        return (f"With {per:.1f} documents per dated year on average, most years rest on a single report: "
                "prefer the plan periods and read every yearly value as an anecdote, not a trend.")
    if per < 20:
        return (f"With {per:.1f} documents per dated year on average, read every yearly value with its interval; "
                "a year with one document is an anecdote, not a trend.")
    return (f"With {per:,.0f} documents per dated year on average, yearly values are well supported; "
            "intervals mainly show variation between documents.")


def describe_corpus(docs: pd.DataFrame, *, year: str = "year", period: str = "fyp_period") -> str:
    """Describe the documents of an analysis: how many, which years, which periods rest on one document.

    Parameters
    ----------
    docs : DataFrame
        The documents analysed (``year`` and optionally ``fyp_period``).
    year, period : str
        Column names.

    Returns
    -------
    str
        One paragraph of plain sentences.
    """
    from .dating import period_order

    n = len(docs)
    if n == 0:
        return "No document is left to analyse."
    years = pd.to_numeric(docs[year], errors="coerce") if year in docs.columns else pd.Series(np.nan, index=docs.index)
    dated = years.dropna().astype(int)
    parts = [f"{n:,} document{'s' if n != 1 else ''};"]
    if dated.empty:
        parts.append("none has a year, so no trend over years can be drawn.")
    else:
        per_year = dated.value_counts()
        parts.append(f"{len(dated):,} dated, spanning {dated.min()}–{dated.max()} ({len(per_year)} distinct "
                     f"year{'s' if len(per_year) != 1 else ''}, {n - len(dated):,} undated).")
        singles = int((per_year == 1).sum())
        parts.append(f"Documents per dated year: median {int(np.median(per_year))}, at most {int(per_year.max())}; "
                     f"{singles} of {len(per_year)} years rest on a single document.")
    if period in docs.columns:
        per = docs[period].dropna().value_counts()
        if len(per):
            order = period_order(per.index)
            parts.append("Plan periods: " + ", ".join(f"{p} ({int(per[p])})" for p in order) + ";")
            one = [p for p in order if per[p] == 1]
            if one:
                parts.append(f"{join_names(one)} rest{'s' if len(one) == 1 else ''} on one document"
                             f"{' each' if len(one) > 1 else ''}: read {'it as a single report' if len(one) == 1 else 'them as single reports'}, not trends.")
            else:
                parts[-1] = parts[-1].rstrip(";") + "; every period has at least two documents."
    return " ".join(parts)


def describe_k_choice(table: pd.DataFrame, chosen_k: int) -> str:
    """Say what the K sweep shows and how the reported K relates to it (from ``select_topics``' table).

    Parameters
    ----------
    table : DataFrame
        ``K``, ``seed`` and metric columns (``coherence_cv``, ``coherence_npmi``,
        ``heldout_perplexity``, ``exclusivity``, ``stability``; those present).
    chosen_k : int
        The K the notebook reports.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.report import describe_k_choice
    >>> t = pd.DataFrame({"K": [4, 4, 8, 8], "seed": [1, 2, 1, 2], "coherence_cv": [0.40, 0.42, 0.50, 0.52],
    ...                   "heldout_perplexity": [900, 910, 850, 860]})
    >>> print(describe_k_choice(t, 8))
    Mean c_v coherence is highest at K = 8 (0.510; next best 0.410 at K = 4); held-out perplexity is lowest at K = 8 (855; next best 905 at K = 4). For c_v coherence the gap to the next K exceeds the spread between seeds (0.020), so it separates the Ks; for held-out perplexity too. The reported K = 8 is the best K on 2 of 2 measures.
    """
    names = {"coherence_cv": ("c_v coherence", True), "coherence_npmi": ("NPMI coherence", True),
             "heldout_perplexity": ("held-out perplexity", False), "exclusivity": ("exclusivity", True),
             "stability": ("stability across seeds", True)}
    metrics = [m for m in names if m in table.columns and table[m].notna().any()]
    if not metrics:
        return f"No diagnostic was computed; K = {chosen_k} is reported as set."
    means = table.groupby("K")[metrics].mean()
    spread = table.groupby("K")[metrics].agg(lambda s: s.max() - s.min()).max()
    clauses, separates, best_at = [], [], []
    for m in metrics:
        label, higher = names[m]
        s = means[m].dropna()
        if s.empty:
            continue
        ranked = s.sort_values(ascending=not higher)
        best_k, best = int(ranked.index[0]), float(ranked.iloc[0])
        best_at.append(best_k)
        fmt = "{:,.0f}" if abs(best) >= 100 else "{:.3f}"
        word = "highest" if higher else "lowest"
        if len(ranked) > 1:
            nk, nv = int(ranked.index[1]), float(ranked.iloc[1])
            clauses.append(f"{label} is {word} at K = {best_k} ({fmt.format(best)}; next best {fmt.format(nv)} "
                           f"at K = {nk})")
            separates.append((label, abs(best - nv) > float(spread[m]), fmt.format(float(spread[m]))))
        else:
            clauses.append(f"{label} is {fmt.format(best)} at K = {best_k}")
    text = "Mean " + "; ".join(clauses) + "."
    if separates:
        yes = [s for s in separates if s[1]]
        no = [s for s in separates if not s[1]]
        bits = []
        if yes:
            bits.append(f"For {yes[0][0]} the gap to the next K exceeds the spread between seeds ({yes[0][2]}), "
                        f"so it separates the Ks" + ("; for " + join_names([s[0] for s in yes[1:]]) + " too"
                                                     if len(yes) > 1 else ""))
        if no:
            bits.append(f"for {join_names([s[0] for s in no])} the gap is within the spread between seeds, "
                        "so those measures cannot pick K alone")
        text += " " + "; ".join(bits)[0].upper() + "; ".join(bits)[1:] + "."
    n_best = sum(1 for k in best_at if k == chosen_k)
    if chosen_k not in set(table["K"]):
        text += f" The reported K = {chosen_k} was not in the sweep."
    else:
        text += f" The reported K = {chosen_k} is the best K on {n_best} of {len(best_at)} measures."
    return text
