"""Policy-phrase frequencies over time, keywords in context, keyness, collocations.

Phrases are counted on the *text*, not on tokens, so that a segmentation error
cannot hide a phrase: the text and every surface form of the lexicon are
normalised the same way (:func:`normalize_text`) and matched exactly,
leftmost-longest and without overlaps, so "创新驱动发展战略" counts once (as
that phrase, not also as 创新驱动) and the variants of a phrase count for it.

Rates are per 10,000 characters of document text, by year or Five-Year-Plan
period, with bootstrap confidence intervals over documents; the share of
documents that mention a phrase ("prevalence") comes with them. Duplicates and
off-topic documents are left out by default.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric import phrases
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2012, 2016, 2016],
...     "text": ["深入贯彻落实科学发展观，提高自主创新能力。",
...              "实施创新驱动发展战略，推进大众创业、万众创新。",
...              "推进大众创业万众创新，建设众创空间，落实创新驱动。"]})
>>> counts = phrases.count_phrases(docs)
>>> counts[["doc_id", "phrase", "count"]].values.tolist()
[['a', '科学发展观', 1], ['a', '自主创新', 1], ['b', '创新驱动发展战略', 1], ['b', '大众创业、万众创新', 1], ['c', '创新驱动', 1], ['c', '大众创业、万众创新', 1], ['c', '众创空间', 1]]
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .boundaries import accept_match
from .lexicons import hash_file, lexicon_path

__all__ = [
    "DEFAULT_PHRASES",
    "CONFIDENCE_LEVELS",
    "normalize_text",
    "read_phrases",
    "count_phrases",
    "select_docs",
    "phrase_rates",
    "kwic",
    "count_terms",
    "keyness",
    "find_collocations",
    "rank_emerging_terms",
]

DEFAULT_PHRASES = "phrases.csv"

#: Order of ``year_confidence`` values, lowest first.
CONFIDENCE_LEVELS = ("none", "low", "medium", "high")

_DROP_CHARS = re.compile(r"[\s\"'“”‘’「」『』《》〈〉]+")
_PER = 10_000


# --------------------------------------------------------------------------- lexicon
def normalize_text(text: str) -> str:
    """Normalise a text for phrase matching.

    NFKC (full-width letters, digits and ``，`` become ASCII ``,``), then remove
    whitespace (a phrase broken by a line break still matches), quotation marks
    and title marks (“双创”, 《中国制造2025》). Characters are otherwise kept.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.phrases import normalize_text
    >>> normalize_text("推进“大众创业，万众\\n创新”，落实《中国制造２０２５》")
    '推进大众创业,万众创新,落实中国制造2025'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _DROP_CHARS.sub("", unicodedata.normalize("NFKC", str(text)))


def _lexicon_name(lexicon) -> str:
    path = lexicon_path(DEFAULT_PHRASES if lexicon is None else lexicon)
    return path.name if path.parent == lexicon_path(DEFAULT_PHRASES).parent else str(path)


def read_phrases(lexicon: str | pd.DataFrame | None = None) -> pd.DataFrame:
    """Read the phrase lexicon.

    Parameters
    ----------
    lexicon : str, Path, DataFrame or None, default None
        None for the shipped ``phrases.csv``; a shipped name or a path to a CSV
        with the same columns; or a DataFrame with at least ``phrase`` (the
        other columns are filled in: ``phrase_id`` = phrase, ``family`` = phrase,
        ``gloss_en`` = "").

    Returns
    -------
    DataFrame
        ``phrase_id``, ``phrase``, ``variants`` (list of str), ``forms`` (list of
        normalised surface forms, canonical first), ``category``, ``family``,
        ``gloss_en``, ``first_year`` (Int64). ``attrs["lexicons"]`` holds the
        file's SHA-256.

    Raises
    ------
    ValueError
        If ids or surface forms repeat (a form must belong to one phrase).

    Examples
    --------
    >>> from bureau_rhetoric.phrases import read_phrases
    >>> lex = read_phrases()
    >>> row = lex.set_index("phrase").loc["大众创业、万众创新"]
    >>> row["forms"][:2], row["gloss_en"]
    (['大众创业、万众创新', '大众创业万众创新'], 'mass entrepreneurship and innovation')
    """
    if isinstance(lexicon, pd.DataFrame):
        lex = lexicon.copy()
        h = {"phrases (in memory)": pd.util.hash_pandas_object(lex.astype(str), index=False).sum().__str__()}
    else:
        path = lexicon_path(DEFAULT_PHRASES if lexicon is None else lexicon)
        lex = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        h = {_lexicon_name(lexicon): hash_file(path)}
    if "phrase" not in lex.columns:
        raise ValueError(f"phrase lexicon needs a 'phrase' column, got {list(lex.columns)}")
    lex["phrase"] = lex["phrase"].astype(str).str.strip()
    for col, default in (("phrase_id", lex["phrase"]), ("family", lex["phrase"]),
                         ("category", ""), ("gloss_en", ""), ("variants", ""), ("first_year", "")):
        if col not in lex.columns:
            lex[col] = default
    lex["variants"] = [
        [v.strip() for v in x if v.strip()] if isinstance(x, (list, tuple))
        else [v.strip() for v in str(x).split("|") if v.strip()]
        for x in lex["variants"]]
    lex["forms"] = [list(dict.fromkeys(normalize_text(f) for f in [p] + v if normalize_text(f)))
                    for p, v in zip(lex["phrase"], lex["variants"])]
    lex["first_year"] = pd.to_numeric(lex["first_year"].replace("", None), errors="coerce").astype("Int64")
    if lex["phrase_id"].duplicated().any():
        raise ValueError(f"phrase_id repeats in the phrase lexicon: {lex.loc[lex.phrase_id.duplicated(), 'phrase_id'].tolist()}")
    owner: dict[str, str] = {}
    for pid, forms in zip(lex["phrase_id"], lex["forms"]):
        for f in forms:
            if f in owner and owner[f] != pid:
                raise ValueError(f"surface form {f!r} belongs to two phrases: {owner[f]!r} and {pid!r}")
            owner[f] = pid
    cols = ["phrase_id", "phrase", "variants", "forms", "category", "family", "gloss_en", "first_year"]
    out = lex[cols].reset_index(drop=True)
    out.attrs["lexicons"] = h
    return out


def _matcher(lex: pd.DataFrame) -> tuple[re.Pattern, dict[str, int]]:
    form_to_row = {f: i for i, forms in enumerate(lex["forms"]) for f in forms}
    # Longest first: Python's regex alternation takes the first alternative that
    # matches at the leftmost position, so this is leftmost-longest, non-overlapping.
    alts = sorted(form_to_row, key=lambda f: (-len(f), f))
    return re.compile("|".join(map(re.escape, alts))), form_to_row


# --------------------------------------------------------------------------- counting
def count_phrases(docs: pd.DataFrame, lexicon=None, *, text_col: str = "text") -> pd.DataFrame:
    """Count lexicon phrases in each document by exact match on normalised text.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id`` and ``text``.
    lexicon : str, Path, DataFrame or None, default None
        Phrase lexicon (:func:`read_phrases`); None is the shipped ``phrases.csv``.
    text_col : str, default "text"

    Returns
    -------
    DataFrame
        One row per document and phrase found (zero counts are omitted):
        ``doc_id``, ``phrase_id``, ``phrase``, ``family``, ``category``,
        ``count``. ``attrs["lexicons"]`` holds the lexicon hash,
        ``attrs["doc_ids"]`` every document counted (including those with no
        phrase).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_phrases
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
    ...     "text": ["双创示范基地和双创周", "创新驱动发展战略", "“十三五”时期"]})
    >>> count_phrases(docs)[["doc_id", "phrase", "count"]].values.tolist()
    [['a', '双创', 2], ['b', '创新驱动发展战略', 1], ['c', '十三五', 1]]
    """
    for col in ("doc_id", text_col):
        if col not in docs.columns:
            raise ValueError(f"docs has no column {col!r} (columns: {list(docs.columns)})")
    lex = read_phrases(lexicon)
    pattern, form_to_row = _matcher(lex)
    rows_doc, rows_idx, rows_n = [], [], []
    for doc_id, text in zip(docs["doc_id"].astype(str), docs[text_col]):
        found: dict[int, int] = {}
        norm = normalize_text(text)
        for m in pattern.finditer(norm):
            if not accept_match(norm, m.start(), m.end()):  # 高企 inside 提高企业 is no hit
                continue
            i = form_to_row[m.group(0)]
            found[i] = found.get(i, 0) + 1
        for i in sorted(found):
            rows_doc.append(doc_id)
            rows_idx.append(i)
            rows_n.append(found[i])
    sub = lex.iloc[rows_idx]
    out = pd.DataFrame({"doc_id": rows_doc, "phrase_id": sub["phrase_id"].to_numpy(),
                        "phrase": sub["phrase"].to_numpy(), "family": sub["family"].to_numpy(),
                        "category": sub["category"].to_numpy(), "count": np.asarray(rows_n, dtype="int64")})
    out.attrs["lexicons"] = dict(lex.attrs["lexicons"])
    out.attrs["doc_ids"] = docs["doc_id"].astype(str).tolist()
    return out


def select_docs(docs: pd.DataFrame, *, include_duplicates: bool = False, include_off_topic: bool = False,
                min_confidence: str | None = None) -> pd.DataFrame:
    """Apply the default analysis filters, logging what was dropped.

    Parameters
    ----------
    docs : DataFrame
        A corpus table; missing filter columns are treated as "keep".
    include_duplicates : bool, default False
        Keep rows whose ``duplicate_of`` is set.
    include_off_topic : bool, default False
        Keep rows whose ``on_topic`` is False.
    min_confidence : {"none", "low", "medium", "high"}, optional
        Keep only rows whose ``year_confidence`` is at least this.

    Returns
    -------
    DataFrame
        The kept rows; ``attrs["filter_log"]`` lists one line per filter.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import select_docs
    >>> docs = pd.DataFrame({"doc_id": ["杭州-2015", "杭州-2015-副本", "交通局-2016"],
    ...                      "duplicate_of": [None, "杭州-2015", None], "on_topic": [True, True, False],
    ...                      "year_confidence": ["high", "high", "low"]})
    >>> kept = select_docs(docs)
    >>> kept["doc_id"].tolist(), kept.attrs["filter_log"]
    (['杭州-2015'], ['dropped 1 of 3 documents marked duplicate_of', 'dropped 1 of 2 documents with on_topic False'])
    """
    log = []
    out = docs
    if not include_duplicates and "duplicate_of" in out.columns:
        dup = out["duplicate_of"].notna() & (out["duplicate_of"].astype(str) != "")
        if dup.any():
            log.append(f"dropped {int(dup.sum())} of {len(out)} documents marked duplicate_of")
        out = out[~dup]
    if not include_off_topic and "on_topic" in out.columns:
        off = out["on_topic"].fillna(True).astype(bool) == False  # noqa: E712
        if off.any():
            log.append(f"dropped {int(off.sum())} of {len(out)} documents with on_topic False")
        out = out[~off]
    if min_confidence is not None:
        if min_confidence not in CONFIDENCE_LEVELS:
            raise ValueError(f"min_confidence must be one of {CONFIDENCE_LEVELS}, got {min_confidence!r}")
        if "year_confidence" not in out.columns:
            raise ValueError("min_confidence given but docs has no 'year_confidence' column")
        rank = {c: i for i, c in enumerate(CONFIDENCE_LEVELS)}
        level = out["year_confidence"].map(rank).fillna(0)
        low = level < rank[min_confidence]
        if low.any():
            log.append(f"dropped {int(low.sum())} of {len(out)} documents with year_confidence below {min_confidence}")
        out = out[~low]
    out = out.copy()
    out.attrs["filter_log"] = log
    return out


def _doc_chars(docs: pd.DataFrame, text_col: str = "text") -> np.ndarray:
    if "n_chars" in docs.columns:
        n = pd.to_numeric(docs["n_chars"], errors="coerce").to_numpy(dtype=float)
    else:
        n = docs[text_col].fillna("").astype(str).str.len().to_numpy(dtype=float)
    return np.where(np.isfinite(n) & (n > 0), n, np.nan)


def _boot_stats(C: np.ndarray, L: np.ndarray, W: np.ndarray | None, weighting: str):
    """Rates (per 10k chars) and prevalence for count matrix C (docs x keys), lengths L,
    under bootstrap weights W (boot x docs; None = the sample itself)."""
    per_doc = C / L[:, None] * _PER
    hit = (C > 0).astype(float)
    if W is None:
        n = C.shape[0]
        rate = C.sum(0) / L.sum() * _PER if weighting == "length" else per_doc.mean(0)
        return rate, hit.mean(0)
    n = W.shape[1]
    if weighting == "length":
        rate = (W @ C) / (W @ L)[:, None] * _PER
    else:
        rate = (W @ per_doc) / n
    return rate, (W @ hit) / n


def _phrase_matrix(counts: pd.DataFrame, kept: pd.DataFrame, level: str, lex: pd.DataFrame):
    """Keys, labels, glosses and the count matrix (rows: ``kept`` documents, columns: keys) at ``level``."""
    key_col = {"phrase": "phrase_id", "family": "family", "category": "category"}[level]
    if level == "phrase":
        keys = lex["phrase_id"].tolist()
        labels = dict(zip(lex["phrase_id"], lex["phrase"]))
        glosses = dict(zip(lex["phrase_id"], lex["gloss_en"]))
    elif level == "family":
        keys = list(dict.fromkeys(lex["family"]))
        head = lex.drop_duplicates("phrase").set_index("phrase")
        labels = {k: k for k in keys}
        glosses = {k: (head.loc[k, "gloss_en"] if k in head.index else "") for k in keys}
    else:
        keys = list(dict.fromkeys(lex["category"]))
        labels = {k: k for k in keys}
        glosses = {k: k.replace("_", " ") for k in keys}
    doc_ids = kept["doc_id"].astype(str).to_numpy()
    pos = {d: i for i, d in enumerate(doc_ids)}
    kpos = {k: j for j, k in enumerate(keys)}
    C = np.zeros((len(doc_ids), len(keys)))
    c = counts[counts["doc_id"].astype(str).isin(pos)]
    if len(c):
        agg = c.groupby(["doc_id", key_col], sort=False)["count"].sum()
        for (d, k), n in agg.items():
            if k in kpos:
                C[pos[d], kpos[k]] += n

    return keys, labels, glosses, C


def phrase_rates(counts: pd.DataFrame, docs: pd.DataFrame, *, by: str = "year", level: str = "phrase",
                 weighting: str = "length", n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                 include_duplicates: bool = False, include_off_topic: bool = False,
                 min_confidence: str | None = None, min_docs_ci: int = 2, lexicon=None,
                 text_col: str = "text") -> pd.DataFrame:
    """Compute phrase rates per 10,000 characters and document prevalence by year or period.

    Parameters
    ----------
    counts : DataFrame
        Output of :func:`count_phrases` (documents without a phrase may be absent).
    docs : DataFrame
        The corpus table: ``doc_id``, the ``by`` column, ``n_chars`` (or ``text``)
        and the filter columns ``duplicate_of``, ``on_topic``, ``year_confidence``.
    by : str, default "year"
        Grouping column: ``"year"``, ``"fyp_period"``, or any other (``genre``).
        Documents with a missing value are dropped (logged).
    level : {"phrase", "family", "category"}, default "phrase"
        Aggregate counts to this level before computing rates.
    weighting : {"length", "equal"}, default "length"
        ``"length"``: the pooled rate, total mentions / total characters x 10,000,
        so every character counts the same and a long report weighs more than a
        short notice. This is what "rate per 10,000 characters" of a year's text
        means, and it is stable when a year holds very short documents (one
        mention in a 200-character piece would be 50 per 10,000 under equal
        weighting). ``"equal"``: the mean of per-document rates, each document
        counting the same (use when one long compilation should not dominate a
        year). Either way the bootstrap resamples whole documents, so a year that
        rests on one long document gets a wide interval.
    n_boot : int, default 1000
        Bootstrap replicates (resampling documents with replacement within each group).
    ci : float, default 0.95
        Width of the percentile interval.
    seed : int, default 0
        Seed of the bootstrap; same seed, same numbers.
    include_duplicates, include_off_topic : bool, default False
        Keep documents flagged as duplicates / off-topic.
    min_confidence : {"none", "low", "medium", "high"}, optional
        Keep only documents whose ``year_confidence`` is at least this.
    min_docs_ci : int, default 2
        Groups with fewer documents get no interval (NaN): a bootstrap over one
        document has zero width, which would look like certainty.
    lexicon : optional
        Phrase lexicon for labels and glosses; default the shipped one.

    Returns
    -------
    DataFrame
        One row per group value and phrase (or family/category), zero rates
        included: ``by`` column, ``key``, ``label`` (Chinese), ``gloss_en``,
        ``n_docs``, ``n_chars``, ``count``, ``rate``, ``rate_lo``, ``rate_hi``,
        ``prevalence``, ``prevalence_lo``, ``prevalence_hi``. ``attrs`` carries
        ``lexicons``, ``filter_log`` and ``params``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_phrases, phrase_rates
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2015, 2016, 2016],
    ...     "text": ["推进大众创业万众创新" * 2, "推进双创", "建设众创空间"]})
    >>> counts = count_phrases(docs)
    >>> r = phrase_rates(counts, docs, level="family", n_boot=200, seed=1)
    >>> r = r[r.key == "大众创业、万众创新"]
    >>> print(r[["year", "n_docs", "count", "rate", "prevalence"]].to_string(index=False))
     year  n_docs  count   rate  prevalence
     2015       1      2 1000.0         1.0
     2016       2      2 2000.0         1.0
    """
    if weighting not in ("length", "equal"):
        raise ValueError(f"weighting must be 'length' or 'equal', got {weighting!r}")
    if level not in ("phrase", "family", "category"):
        raise ValueError(f"level must be 'phrase', 'family' or 'category', got {level!r}")
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r} to group by (columns: {list(docs.columns)})")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci}")
    if n_boot < 0:
        raise ValueError(f"n_boot must be >= 0, got {n_boot}")
    lex = read_phrases(lexicon)
    kept = select_docs(docs, include_duplicates=include_duplicates, include_off_topic=include_off_topic,
                       min_confidence=min_confidence)
    log = list(kept.attrs["filter_log"])
    missing = kept[by].isna()
    if missing.any():
        log.append(f"dropped {int(missing.sum())} of {len(kept)} documents with no {by}")
    kept = kept[~missing]
    L = _doc_chars(kept, text_col)
    bad = np.isnan(L)
    if bad.any():
        log.append(f"dropped {int(bad.sum())} of {len(kept)} documents with no text")
        kept, L = kept[~bad], L[~bad]

    keys, labels, glosses, C = _phrase_matrix(counts, kept, level, lex)

    rng = np.random.default_rng(seed)
    alpha = (1 - ci) / 2
    groups = kept[by].to_numpy()
    order = sorted(pd.unique(groups), key=lambda v: (str(type(v)), v))
    frames = []
    for g in order:
        idx = np.flatnonzero(groups == g)
        Cg, Lg = C[idx], L[idx]
        rate, prev = _boot_stats(Cg, Lg, None, weighting)
        lo = hi = plo = phi = np.full(len(keys), np.nan)
        if n_boot > 0 and len(idx) >= min_docs_ci:
            W = rng.multinomial(len(idx), np.full(len(idx), 1 / len(idx)), size=n_boot).astype(float)
            br, bp = _boot_stats(Cg, Lg, W, weighting)
            lo, hi = np.quantile(br, [alpha, 1 - alpha], axis=0)
            plo, phi = np.quantile(bp, [alpha, 1 - alpha], axis=0)
        frames.append(pd.DataFrame({
            by: g, "key": keys, "label": [labels[k] for k in keys], "gloss_en": [glosses[k] for k in keys],
            "n_docs": len(idx), "n_chars": int(Lg.sum()), "count": Cg.sum(0).astype("int64"),
            "rate": rate, "rate_lo": lo, "rate_hi": hi,
            "prevalence": prev, "prevalence_lo": plo, "prevalence_hi": phi}))
    cols = [by, "key", "label", "gloss_en", "n_docs", "n_chars", "count", "rate", "rate_lo", "rate_hi",
            "prevalence", "prevalence_lo", "prevalence_hi"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    if by == "year" and len(out):
        out["year"] = out["year"].astype("int64")
    out.attrs["lexicons"] = {**counts.attrs.get("lexicons", {}), **lex.attrs["lexicons"]}
    out.attrs["filter_log"] = log
    out.attrs["params"] = {"by": by, "level": level, "weighting": weighting, "n_boot": n_boot, "ci": ci,
                           "seed": seed, "include_duplicates": include_duplicates,
                           "include_off_topic": include_off_topic, "min_confidence": min_confidence}
    return out


# --------------------------------------------------------------------------- KWIC
def kwic(docs: pd.DataFrame, keyword: str, *, window: int = 20, variants: bool = True, lexicon=None,
         text_col: str = "text", max_hits: int | None = None) -> pd.DataFrame:
    """Return keyword-in-context lines for a word or phrase.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text`` and optionally ``year``.
    keyword : str
        A literal string; when it is a phrase (or phrase_id) of the lexicon and
        ``variants`` is True, every surface form of that phrase is searched.
    window : int, default 20
        Characters of context on each side (line breaks shown as spaces).
    variants : bool, default True
    lexicon : optional
        Phrase lexicon used to expand variants; default the shipped one.
    max_hits : int, optional
        Stop after this many lines.

    Returns
    -------
    DataFrame
        ``doc_id``, ``year``, ``start`` (offset in the text), ``left``,
        ``keyword`` (as written in the text), ``right``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import kwic
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2013, 2016, 2020],
    ...     "text": ["全面实施创新驱动发展战略", "坚持创新驱动，加快转型", "没有这个词"]})
    >>> kwic(docs, "创新驱动", window=4)[["doc_id", "left", "keyword", "right"]].values.tolist()
    [['a', '全面实施', '创新驱动发展', '战略'], ['b', '坚持', '创新驱动', '，加快转']]
    >>> kwic(docs, "创新驱动", window=4, variants=False)["keyword"].tolist()
    ['创新驱动', '创新驱动']
    """
    if not keyword:
        raise ValueError("keyword must be a non-empty string")
    if window < 0:
        raise ValueError(f"window must be >= 0, got {window}")
    forms = [keyword]
    if variants:
        lex = read_phrases(lexicon)
        hit = lex[(lex["phrase"] == keyword) | (lex["phrase_id"] == keyword)]
        if len(hit):
            row = hit.iloc[0]
            forms = list(dict.fromkeys([row["phrase"]] + list(row["variants"])))
    pattern = re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))
    years = docs["year"] if "year" in docs.columns else pd.Series([pd.NA] * len(docs), index=docs.index)
    rows = []
    for doc_id, year, text in zip(docs["doc_id"].astype(str), years, docs[text_col].fillna("")):
        for m in pattern.finditer(text):
            s, e = m.span()
            rows.append((doc_id, year, s, text[max(0, s - window):s].replace("\n", " "), m.group(0),
                         text[e:e + window].replace("\n", " ")))
            if max_hits is not None and len(rows) >= max_hits:
                break
        if max_hits is not None and len(rows) >= max_hits:
            break
    out = pd.DataFrame(rows, columns=["doc_id", "year", "start", "left", "keyword", "right"])
    if "year" in docs.columns:
        out["year"] = out["year"].astype(docs["year"].dtype)
    return out


# --------------------------------------------------------------------------- keyness
def count_terms(toks: pd.DataFrame) -> pd.DataFrame:
    """Turn a token table into long term counts per document.

    Parameters
    ----------
    toks : DataFrame
        ``doc_id`` and ``tokens`` (lists), as from ``tokens.tokenize_docs``;
        several rows per document (paragraphs) are summed.

    Returns
    -------
    DataFrame
        ``doc_id``, ``term``, ``count``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_terms
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "tokens": [["科技", "创新"], ["创新"], ["农业"]]})
    >>> count_terms(toks).values.tolist()
    [['a', '创新', 2], ['a', '科技', 1], ['b', '农业', 1]]
    """
    ex = toks[["doc_id", "tokens"]].explode("tokens").dropna(subset=["tokens"])
    out = ex.groupby(["doc_id", "tokens"]).size().rename("count").reset_index()
    return out.rename(columns={"tokens": "term"}).astype({"doc_id": str, "count": "int64"})


def _as_term_counts(toks_or_counts: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if "tokens" in toks_or_counts.columns:
        return count_terms(toks_or_counts), "term"
    for key in ("term", "phrase_id", "family", "key"):
        if key in toks_or_counts.columns:
            c = toks_or_counts.groupby(["doc_id", key], sort=False)["count"].sum().reset_index()
            return c.rename(columns={key: "term"}).astype({"doc_id": str}), key
    raise ValueError("expected a token table (doc_id, tokens) or counts (doc_id, term|phrase_id, count); "
                     f"got columns {list(toks_or_counts.columns)}")


def _ids(group) -> set[str]:
    if isinstance(group, pd.Series) and group.dtype == bool:
        raise ValueError("pass doc_ids (e.g. docs.loc[mask, 'doc_id']), not a boolean mask")
    return {str(x) for x in group}


def keyness(toks_or_counts: pd.DataFrame, group_a: Iterable[str], group_b: Iterable[str], *,
            min_freq: int = 5, min_docs: int = 2, sort: str = "g2") -> pd.DataFrame:
    """Find the terms key to one group of documents against another (log-likelihood G²).

    Parameters
    ----------
    toks_or_counts : DataFrame
        Tokens (``doc_id``, ``tokens``) or long counts (``doc_id``, ``term`` or
        ``phrase_id``, ``count``).
    group_a, group_b : iterable of str
        doc_ids of the two groups (e.g. two eras, genres or places).
    min_freq : int, default 5
        Keep terms occurring at least this often in the two groups together.
    min_docs : int, default 2
        ... and in at least this many documents (a term from one report is not
        the mark of an era).
    sort : {"g2", "log_ratio"}, default "g2"

    Returns
    -------
    DataFrame
        ``term``, ``freq_a``, ``freq_b``, ``docs_a``, ``docs_b``, ``per10k_a``,
        ``per10k_b`` (per 10,000 tokens or units counted), ``g2``, ``p_value``,
        ``log_ratio`` (log2 of the ratio of relative frequencies, 0.5 added to a
        zero count; Hardie 2014), ``key_for`` ("a" or "b"). G² follows Rayson &
        Garside (2000): 2 Σ O ln(O/E) over the two groups; 3.84 is p < 0.05,
        10.83 is p < 0.001 (df = 1).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import keyness
    >>> toks = pd.DataFrame({"doc_id": ["a", "b", "c"], "tokens": [
    ...     ["自主创新"] * 6 + ["科技"] * 10, ["自主创新"] * 4 + ["科技"] * 10, ["新质生产力"] * 8 + ["科技"] * 20]})
    >>> k = keyness(toks, ["a", "b"], ["c"], min_freq=5, min_docs=1)
    >>> k[["term", "freq_a", "freq_b", "key_for"]].values.tolist()
    [['自主创新', 10, 0, 'a'], ['新质生产力', 0, 8, 'b'], ['科技', 20, 20, 'b']]
    """
    from scipy.stats import chi2

    counts, _ = _as_term_counts(toks_or_counts)
    a, b = _ids(group_a), _ids(group_b)
    if not a or not b:
        raise ValueError(f"both groups need documents, got {len(a)} and {len(b)}")
    if a & b:
        raise ValueError(f"{len(a & b)} doc_ids are in both groups, e.g. {sorted(a & b)[0]!r}")
    ca = counts[counts["doc_id"].isin(a)]
    cb = counts[counts["doc_id"].isin(b)]
    fa, fb = ca.groupby("term")["count"].sum(), cb.groupby("term")["count"].sum()
    da, db = ca.groupby("term").size(), cb.groupby("term").size()
    terms = fa.index.union(fb.index)
    t = pd.DataFrame({"term": terms,
                      "freq_a": fa.reindex(terms, fill_value=0).to_numpy(),
                      "freq_b": fb.reindex(terms, fill_value=0).to_numpy(),
                      "docs_a": da.reindex(terms, fill_value=0).to_numpy(),
                      "docs_b": db.reindex(terms, fill_value=0).to_numpy()})
    na, nb = float(ca["count"].sum()), float(cb["count"].sum())
    if na == 0 or nb == 0:
        raise ValueError(f"a group has no tokens (group a: {na:.0f}, group b: {nb:.0f})")
    t = t[(t.freq_a + t.freq_b >= min_freq) & (t.docs_a + t.docs_b >= min_docs)].copy()
    o1, o2 = t["freq_a"].to_numpy(float), t["freq_b"].to_numpy(float)
    e1 = na * (o1 + o2) / (na + nb)
    e2 = nb * (o1 + o2) / (na + nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (np.where(o1 > 0, o1 * np.log(o1 / e1), 0) + np.where(o2 > 0, o2 * np.log(o2 / e2), 0))
    t["per10k_a"] = o1 / na * _PER
    t["per10k_b"] = o2 / nb * _PER
    t["g2"] = g2
    t["p_value"] = chi2.sf(g2, 1)
    t["log_ratio"] = np.log2((np.where(o1 == 0, 0.5, o1) / na) / (np.where(o2 == 0, 0.5, o2) / nb))
    t["key_for"] = np.where(o1 / na >= o2 / nb, "a", "b")
    if sort not in ("g2", "log_ratio"):
        raise ValueError(f"sort must be 'g2' or 'log_ratio', got {sort!r}")
    key = t["g2"] if sort == "g2" else t["log_ratio"].abs()
    t = t.assign(_k=key).sort_values(["_k", "term"], ascending=[False, True]).drop(columns="_k")
    return t.reset_index(drop=True)


# --------------------------------------------------------------------------- collocations
def find_collocations(toks: pd.DataFrame, *, min_count: int = 5, threshold: float = 0.5,
                      lexicon=None, include_known: bool = False) -> pd.DataFrame:
    """Propose multi-word terms (adjacent token pairs) scored by NPMI with gensim ``Phrases``.

    Parameters
    ----------
    toks : DataFrame
        ``tokens`` lists (paragraph units work best: pairs do not cross paragraphs).
    min_count : int, default 5
        Ignore pairs seen fewer times.
    threshold : float, default 0.5
        Minimum normalised PMI (-1..1).
    lexicon : optional
        Phrase lexicon; pairs whose concatenation is one of its surface forms are
        marked ``in_lexicon`` (and dropped unless ``include_known``).
    include_known : bool, default False

    Returns
    -------
    DataFrame
        ``candidate`` (the concatenated string), ``parts`` (tuple), ``count``,
        ``npmi``, ``in_lexicon``, sorted by NPMI then count: candidates to add to
        ``phrases.csv`` and ``domain_dict.txt`` after reading them in context
        (:func:`kwic`).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import find_collocations
    >>> toks = pd.DataFrame({"tokens": [["科技", "特派", "深入", "农村"], ["服务", "农村", "科技", "特派"],
    ...                                  ["深入", "基层", "服务", "科技", "特派"]] * 3})
    >>> find_collocations(toks, min_count=5, threshold=0.5)[["candidate", "count"]].values.tolist()
    [['科技特派', 9]]
    """
    from gensim.models.phrases import Phrases

    sentences = [list(t) for t in toks["tokens"] if len(t) > 1]
    out_cols = ["candidate", "parts", "count", "npmi", "in_lexicon"]
    if not sentences:
        return pd.DataFrame(columns=out_cols)
    model = Phrases(sentences, min_count=min_count, threshold=threshold, scoring="npmi", delimiter="\x1f")
    known = {f for forms in read_phrases(lexicon)["forms"] for f in forms}
    rows = []
    for gram, score in model.export_phrases().items():
        parts = tuple(gram.split("\x1f"))
        cand = "".join(parts)
        rows.append((cand, parts, int(model.vocab.get(gram, 0)), float(score), cand in known))
    out = pd.DataFrame(rows, columns=out_cols)
    if not include_known:
        out = out[~out["in_lexicon"]]
    return out.sort_values(["npmi", "count", "candidate"], ascending=[False, False, True]).reset_index(drop=True)


# --------------------------------------------------------------------------- emerging terms
def _term_matrix(tc: pd.DataFrame, doc_ids, tpos: dict) -> np.ndarray:
    """Count matrix (``doc_ids`` x terms of ``tpos``) from long term counts ``tc`` (doc_id, term, count)."""
    pos = {d: i for i, d in enumerate(doc_ids)}
    C = np.zeros((len(pos), len(tpos)))
    sub = tc[tc["doc_id"].isin(pos) & tc["term"].isin(tpos)]
    np.add.at(C, (sub["doc_id"].map(pos).to_numpy(), sub["term"].map(tpos).to_numpy()), sub["count"].to_numpy())
    return C


def _emerging_frame(terms: list, rate_early: np.ndarray, rate_late: np.ndarray, bdiff: np.ndarray,
                    ci: float, floor: float) -> pd.DataFrame:
    """The table of :func:`rank_emerging_terms` from rates and bootstrap draws of the difference."""
    alpha = (1 - ci) / 2
    lo, hi = np.quantile(bdiff, [alpha, 1 - alpha], axis=0) if len(terms) else (np.array([]), np.array([]))
    out = pd.DataFrame({"term": terms, "rate_early": rate_early, "rate_late": rate_late,
                        "diff": rate_late - rate_early, "diff_lo": lo, "diff_hi": hi,
                        "log_ratio": np.log2(np.maximum(rate_late, floor) / np.maximum(rate_early, floor))})
    out["trend"] = np.where(out["diff_lo"] > 0, "emerging", np.where(out["diff_hi"] < 0, "declining", "uncertain"))
    # score: the interval bound nearest zero (sure change first), 0 when the interval spans zero
    score = np.where(out["diff_lo"] > 0, out["diff_lo"], np.where(out["diff_hi"] < 0, out["diff_hi"], 0.0))
    out = out.assign(_s=score, _d=out["diff"]).sort_values(["_s", "_d", "term"], ascending=[False, False, True])
    return out.drop(columns=["_s", "_d"]).reset_index(drop=True)


def rank_emerging_terms(counts: pd.DataFrame, docs: pd.DataFrame, early, late, *, by: str = "fyp_period",
                        n_boot: int = 1000, ci: float = 0.95, seed: int = 0, weighting: str = "length",
                        min_freq: int = 5, include_duplicates: bool = False, include_off_topic: bool = False,
                        min_confidence: str | None = None, text_col: str = "text") -> pd.DataFrame:
    """Rank terms or phrases by the change of their rate between two periods, with intervals.

    Parameters
    ----------
    counts : DataFrame
        Phrase counts (:func:`count_phrases`), term counts (:func:`count_terms`)
        or a token table (``tokens`` column).
    docs : DataFrame
        Corpus table with ``doc_id``, ``by``, ``n_chars`` (or ``text``).
    early, late : value or list of values
        Values of ``by`` forming the earlier and later period (``"十一五"``, or
        ``[2006, 2007, 2008]`` with ``by="year"``).
    by : str, default "fyp_period"
    n_boot : int, default 1000
        Bootstrap replicates; documents are resampled within each period.
    ci : float, default 0.95
    seed : int, default 0
    weighting : {"length", "equal"}, default "length"
        As in :func:`phrase_rates`.
    min_freq : int, default 5
        Keep terms seen at least this often in the two periods together.
    include_duplicates, include_off_topic, min_confidence
        Document filters, as in :func:`phrase_rates`.

    Returns
    -------
    DataFrame
        ``term``, ``rate_early``, ``rate_late`` (per 10,000 characters), ``diff``
        (late - early), ``diff_lo``, ``diff_hi``, ``log_ratio``, ``trend``
        ("emerging" when the interval of the difference lies above 0, "declining"
        below, else "uncertain"), sorted from most emerging to most declining by
        the interval bound nearest zero. ``attrs["n_docs"]`` gives the documents
        per period.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_phrases, rank_emerging_terms
    >>> docs = pd.DataFrame({"doc_id": list("abcdef"), "fyp_period": ["十一五"] * 3 + ["十三五"] * 3,
    ...     "text": ["落实科学发展观", "提高自主创新能力", "落实科学发展观，自主创新",
    ...              "推进大众创业万众创新", "自主创新", "推进双创和自主创新"]})
    >>> r = rank_emerging_terms(count_phrases(docs), docs, "十一五", "十三五", n_boot=200, min_freq=1)
    >>> r[["term", "trend"]].values.tolist()
    [['double_innovation', 'uncertain'], ['mass_innovation', 'uncertain'], ['indigenous_innovation', 'uncertain'], ['scientific_outlook', 'declining']]
    """
    if weighting not in ("length", "equal"):
        raise ValueError(f"weighting must be 'length' or 'equal', got {weighting!r}")
    if by not in docs.columns:
        raise ValueError(f"docs has no column {by!r} (columns: {list(docs.columns)})")
    early_v = list(early) if isinstance(early, (list, tuple, set)) else [early]
    late_v = list(late) if isinstance(late, (list, tuple, set)) else [late]
    term_counts, _ = _as_term_counts(counts)
    kept = select_docs(docs, include_duplicates=include_duplicates, include_off_topic=include_off_topic,
                       min_confidence=min_confidence)
    L_all = _doc_chars(kept, text_col)
    kept = kept[~np.isnan(L_all)]
    L_all = L_all[~np.isnan(L_all)]
    sel = {"early": kept[by].isin(early_v).to_numpy(), "late": kept[by].isin(late_v).to_numpy()}
    for name, m in sel.items():
        if not m.any():
            raise ValueError(f"no documents in the {name} period ({by} in {early_v if name == 'early' else late_v})")
    ids = {k: kept["doc_id"].astype(str).to_numpy()[m] for k, m in sel.items()}
    tc = term_counts[term_counts["doc_id"].isin(set(ids["early"]) | set(ids["late"]))]
    tot = tc.groupby("term")["count"].sum()
    terms = sorted(tot[tot >= min_freq].index)
    tpos = {t: j for j, t in enumerate(terms)}
    tc = tc[tc["term"].isin(tpos)]
    rng = np.random.default_rng(seed)
    stats = {}
    for name in ("early", "late"):
        C = _term_matrix(tc, ids[name], tpos)
        L = L_all[sel[name]]
        rate, _ = _boot_stats(C, L, None, weighting)
        n = len(C)
        W = rng.multinomial(n, np.full(n, 1 / n), size=n_boot).astype(float)
        br, _ = _boot_stats(C, L, W, weighting)
        stats[name] = (rate, br, n)
    bdiff = stats["late"][1] - stats["early"][1]
    floor = 0.5 / max(L_all[sel["early"]].sum(), L_all[sel["late"]].sum()) * _PER
    out = _emerging_frame(terms, stats["early"][0], stats["late"][0], bdiff, ci, floor)
    out.attrs["n_docs"] = {"early": stats["early"][2], "late": stats["late"][2]}
    out.attrs["lexicons"] = dict(counts.attrs.get("lexicons", {}))
    out.attrs["params"] = {"by": by, "early": early_v, "late": late_v, "n_boot": n_boot, "ci": ci,
                           "seed": seed, "weighting": weighting, "min_freq": min_freq}
    return out
