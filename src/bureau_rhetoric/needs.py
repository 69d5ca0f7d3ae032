"""What a notebook section needs from the corpus, checked before the section runs.

A notebook on a small or odd corpus (one document, none dated, all off-topic) should
say what is missing and what to change, and go on, instead of stopping with
``KeyError: 'npmi'``. After loading the corpus a notebook calls :func:`watch`; from
then on a code cell whose first line is a *needs comment*::

    # needs: dated_docs >= 2, years >= 2

runs only when the corpus has that; otherwise the cell is replaced by one printed
sentence (what the section needs, what the corpus has, what to change) and the
notebook goes on. Later cells that use what a skipped cell would have made carry
the same comment. The comment is plain Python, so the notebook source stays
readable; outside IPython :func:`check` gives the same sentence.

Measures (:data:`MEASURES`): ``docs`` (documents analysed), ``dated_docs``
(with a year), ``years`` (distinct years), ``periods`` (distinct Five-Year-Plan
periods), ``eras`` (dated documents on the smaller side of ``ERA_SPLIT``, once a
notebook sets it with :func:`update`), ``tokens`` (tokens after stopwords, once set),
and any other number a notebook sets with :func:`update`.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric import needs
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "year": [2015, None], "fyp_period": ["12th", None]})
>>> state = needs.measure(docs)
>>> state["docs"], state["dated_docs"], state["years"]
(2, 1, 1)
>>> needs.check("docs >= 1", state) is None
True
>>> print(needs.check("dated_docs >= 2, years >= 2", state))
Skipped: this section needs at least 2 documents with a year (the corpus has 1): see year_evidence in notebook 01 for why documents are undated, or set MIN_CONFIDENCE = None.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["MEASURES", "measure", "check", "watch", "update", "state", "transform_cell"]

#: measure -> (what it counts, in words; what a user can change when there is too little)
MEASURES = {
    "docs": ("documents", "add documents to the raw folder, or keep more with INCLUDE_DUPLICATES = True, "
                          "INCLUDE_OFF_TOPIC = True or MIN_CONFIDENCE = None"),
    "dated_docs": ("documents with a year", "see year_evidence in notebook 01 for why documents are undated, "
                                            "or set MIN_CONFIDENCE = None"),
    "years": ("distinct years", "a trend needs documents from several years; add documents from other years"),
    "periods": ("Five-Year-Plan periods", "add documents from other plan periods"),
    "eras": ("dated documents on each side of ERA_SPLIT", "set ERA_SPLIT to a year between the corpus's "
                                                         "first and last years"),
    "tokens": ("tokens after stopwords", "add documents, or check STOPWORDS and the domain dictionary"),
}

_STATE: dict[str, float] = {}
_SPEC = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*>=\s*(\d+)\s*$")
_NEEDS_LINE = re.compile(r"^\s*#\s*needs:\s*(.+?)\s*$")


def measure(docs: pd.DataFrame, **extra) -> dict[str, float]:
    """Count what sections may need in a table of analysed documents (plus ``extra`` numbers)."""
    out: dict[str, float] = {"docs": len(docs)}
    years = docs["year"].dropna() if "year" in docs else pd.Series([], dtype=float)
    out["dated_docs"] = int(len(years))
    out["years"] = int(years.nunique())
    out["periods"] = int(docs["fyp_period"].dropna().nunique()) if "fyp_period" in docs else 0
    out.update(extra)
    return out


def _parse(spec: str) -> list[tuple[str, int]]:
    parts = []
    for piece in spec.split(","):
        m = _SPEC.match(piece)
        if not m:
            raise ValueError(f"needs: cannot read {piece.strip()!r}; write e.g. 'dated_docs >= 2'")
        parts.append((m.group(1), int(m.group(2))))
    return parts


def check(spec: str, state: dict | None = None) -> str | None:
    """Return None when ``state`` meets every ``name >= n`` in ``spec``, else one sentence why not.

    Parameters
    ----------
    spec : str
        Comma-separated ``measure >= n`` (see :data:`MEASURES`).
    state : dict, optional
        Default: what :func:`watch` and :func:`update` recorded.

    Returns
    -------
    str or None
    """
    state = _STATE if state is None else state
    for name, n in _parse(spec):
        if name not in state:
            raise ValueError(f"needs: {name!r} is not measured yet; call needs.update({name}=...) first "
                             f"(known: {', '.join(sorted(state))})")
        have = state[name]
        if have < n:
            what, hint = MEASURES.get(name, (name.replace("_", " "), "change the parameters above"))
            return (f"Skipped: this section needs at least {n} {what} (the corpus has {have:g}): {hint}.")
    return None


def transform_cell(lines: list[str], state: dict | None = None) -> list[str]:
    """Replace a cell whose needs comment is not met by a print of the reason (IPython input transformer)."""
    first = next((ln for ln in lines if ln.strip()), "")
    m = _NEEDS_LINE.match(first)
    if not m:
        return lines
    reason = check(m.group(1), state)
    return lines if reason is None else [f"print({reason!r})\n"]


def watch(docs: pd.DataFrame, **extra) -> dict[str, float]:
    """Measure the analysed documents and make needs comments take effect in this IPython kernel.

    Parameters
    ----------
    docs : DataFrame
        The documents the notebook analyses (after its filters).
    **extra
        Further measures, e.g. ``tokens=...``.

    Returns
    -------
    dict
        The measures (also printed in one line).
    """
    _STATE.clear()
    _STATE.update(measure(docs, **extra))
    try:
        ip = get_ipython()  # noqa: F821 - defined inside IPython only
    except NameError:
        ip = None
    if ip is not None and transform_cell not in ip.input_transformers_cleanup:
        ip.input_transformers_cleanup.append(transform_cell)
    print("corpus for this notebook: " + ", ".join(f"{k} {v:g}" for k, v in _STATE.items()))
    return dict(_STATE)


def update(**values) -> dict[str, float]:
    """Record further measures (``tokens=...``, ``eras=...``) for later needs comments."""
    _STATE.update(values)
    return dict(_STATE)


def state() -> dict[str, float]:
    """Return the measures recorded so far."""
    return dict(_STATE)
