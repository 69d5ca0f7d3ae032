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

__all__ = ["MEASURES", "measure", "check", "watch", "update", "state", "transform_cell", "model_units"]

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
    "units": ("units (paragraphs or documents, as UNIT says) left for the topic model after NO_BELOW, "
              "NO_ABOVE and MIN_TOKENS", "add documents, or loosen NO_BELOW / MIN_TOKENS, or set UNIT = 'paragraph'"),
    "model_docs": ("documents with a unit left for the topic model", "add documents, or loosen NO_BELOW / MIN_TOKENS"),
    "document_units": ("documents left for a document-level topic model", "add documents, or lower MIN_UNITS"),
}

_STATE: dict[str, float] = {}
_SPEC = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*>=\s*(\d+|[A-Z_][A-Z0-9_]*)\s*$")
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


def model_units(toks: pd.DataFrame, **filters) -> dict[str, int]:
    """Units and documents a topic model would keep after the vocabulary filters (0 and 0 when none).

    Parameters
    ----------
    toks : DataFrame
        Token table (``tokens.tokenize_docs``).
    **filters
        ``no_below``, ``no_above``, ``keep_n``, ``min_tokens`` as for ``topics.build_bow``.

    Returns
    -------
    dict
        ``{"units": n, "model_docs": n}``, ready for :func:`update`.
    """
    from .topics import build_bow

    if not len(toks):
        return {"units": 0, "model_docs": 0}
    try:
        summary = build_bow(toks, **filters).summary
    except ValueError as err:
        if "no unit has" in str(err) or "empty" in str(err):
            return {"units": 0, "model_docs": 0}
        raise
    return {"units": summary["n_units"], "model_docs": summary["n_docs"]}


def _parse(spec: str, names: dict | None = None) -> list[tuple[str, int]]:
    parts = []
    for piece in spec.split(","):
        m = _SPEC.match(piece)
        if not m:
            raise ValueError(f"needs: cannot read {piece.strip()!r}; write e.g. 'dated_docs >= 2' "
                             f"or 'units >= MIN_UNITS' (a parameter of the notebook)")
        value = m.group(2)
        if not value.isdigit():
            if names is None or value not in names:
                raise ValueError(f"needs: {value} is not defined (set it in the parameters cell)")
            value = names[value]
        parts.append((m.group(1), int(value)))
    return parts


def _shell():
    """The running IPython shell, or None (plain Python)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return None
    return get_ipython()


def _user_names() -> dict | None:
    ip = _shell()
    return ip.user_ns if ip is not None else None


def check(spec: str, state: dict | None = None, names: dict | None = None) -> str | None:
    """Return None when ``state`` meets every ``name >= n`` in ``spec``, else one sentence why not.

    Parameters
    ----------
    spec : str
        Comma-separated ``measure >= n`` (see :data:`MEASURES`); ``n`` may be the name of a
        notebook parameter (``units >= MIN_UNITS``).
    state : dict, optional
        Default: what :func:`watch` and :func:`update` recorded.
    names : dict, optional
        Where parameter names are looked up (default: the IPython user namespace).

    Returns
    -------
    str or None
    """
    state = _STATE if state is None else state
    for name, n in _parse(spec, _user_names() if names is None else names):
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
    _STATE.update({name: 0 for name in MEASURES})  # measured later (tokens, units ...): none until then
    _STATE.update(measure(docs, **extra))
    ip = _shell()
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
