"""Check the year imputation against known truth: planted trends, masked years, dated only vs imputed.

:func:`make_validation_corpus` generates a multi-decade corpus with
:func:`synth.generate_corpus` (phrase rates and theme shares that trend linearly
over the years, a genre effect on phrase rates) and adds the dating evidence real
reports carry besides their own year: sentences typical of some years
(``synthetic_report_phrases.tsv``, era sentences written independently of the dating
lexicon) and, for some documents, an upload date. :func:`mask_years` then hides the
year of a share of documents the way scraped sites do (``XX年``, ``20xx年``, the year
cut from title and opening), **not at random**: 述职 reports and 工作要点 lose it more
often than plans, and older documents more often than recent ones. Because phrase
rates differ by genre, the point-dated documents are a biased sample.

:func:`validate_imputation` runs the dating step (:func:`dating.date_corpus`) on the
masked corpus and estimates, by year, the rate of each planted phrase
(:func:`phrases.phrase_rates` on the point-dated documents vs
:func:`imputation.phrase_rates_imputed` on all) and the share of each planted theme
(:func:`topics.topic_prevalence` vs :func:`imputation.topic_prevalence_imputed`). For
the themes the documents' planted mixtures stand in for a fitted model's posterior
(Dirichlet with a large concentration around the planted shares), so the check
measures the year step, not LDA. Scores per masking share and method:

* ``bias``: mean of (estimate - truth) over the year cells, relative to the series'
  mean truth, in %;
* ``abs_error``: mean of |estimate - truth|, relative the same way, in %;
* ``slope_bias``: estimated / planted least-squares slope over the years, minus 1,
  in % (trending series only): a flattened trend is negative, a steepened one positive;
* ``coverage``: share of year cells with an interval whose 95 % interval holds the
  truth, in %;
* ``width``: mean interval width / truth, in %;
* ``cells``: share of year cells that have an interval at all.

Examples
--------
>>> from bureau_rhetoric.imputation_validation import make_validation_corpus, mask_years
>>> docs, truth = make_validation_corpus(6, seed=1, mean_chars=300)
>>> masked = mask_years(docs, 0.5, seed=1)
>>> int(masked["masked"].sum())
2
>>> sorted(truth["kind"].unique())
['phrase', 'theme']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import imputation, phrases, synth
from .lexicons import lexicon_path

__all__ = ["DEFAULT_GENRE_EFFECTS", "GENRE_MASK_ODDS", "MASK_STYLES", "make_validation_corpus", "mask_years",
           "validate_imputation", "summarise_validation", "format_markdown"]

#: Phrase-rate multipliers by genre (scaled to mean 1): summaries and plans use the
#: planted phrases more than 述职 reports; the genres that lose their year most often
#: (:data:`GENRE_MASK_ODDS`) use them least, so point-dated documents overstate rates.
DEFAULT_GENRE_EFFECTS = {"工作总结": 1.3, "工作计划": 1.2, "工作要点": 0.9, "述职报告": 0.6}
#: Odds of losing the year, relative to 工作总结.
GENRE_MASK_ODDS = {"工作总结": 1.0, "工作计划": 0.5, "工作要点": 2.0, "述职报告": 4.0}
#: Odds of losing the year for the oldest document, relative to the newest (log-linear in between).
ERA_MASK_ODDS = 4.0
#: How a masked year looks.
MASK_STYLES = ("XX", "20xx", "stripped")


def _era_sentences() -> pd.DataFrame:
    path = lexicon_path("synthetic_report_phrases.tsv")
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    df = pd.DataFrame([ln.split("\t") for ln in lines[1:]], columns=lines[0].split("\t"))
    df = df[df["kind"] == "era"].astype({"lo": int, "hi": int})
    return df.reset_index(drop=True)


def make_validation_corpus(n_docs: int, *, seed: int = 0, years: tuple[int, int] = (2003, 2025),
                           genre_effects: dict | None = None, mean_chars: float = 800,
                           published_share: float = 0.5, max_era: int = 3,
                           collection_year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a dated corpus with planted trends and the dating evidence real reports carry.

    Parameters
    ----------
    n_docs : int
    seed : int, default 0
    years : (int, int), default (2003, 2025)
        Reporting years (the era sentences cover 2003-2025).
    genre_effects : dict, optional
        Phrase-rate multipliers by genre; default :data:`DEFAULT_GENRE_EFFECTS`.
    mean_chars : float, default 800
    published_share : float, default 0.5
        Share of documents with an upload date (0-3 years after the reporting year,
        never after the collection year).
    max_era : int, default 3
        Each document gets 0..max_era era sentences compatible with its year.
    collection_year : int, optional
        Default: the last year.

    Returns
    -------
    docs : DataFrame
        As :func:`synth.generate_corpus`, plus ``published`` and ``true_year``.
    truth : DataFrame
        :func:`synth.tabulate_truth`.
    """
    effects = DEFAULT_GENRE_EFFECTS if genre_effects is None else genre_effects
    docs, truth = synth.generate_corpus(n_docs, seed=seed, years=years, genre_effects=effects,
                                        mean_chars=mean_chars)
    cy = int(years[1] if collection_year is None else collection_year)
    era = _era_sentences()
    planted = [phrases.normalize_text(p) for p in truth.loc[truth["kind"] == "phrase", "name"].unique()]
    era = era[[not any(p in phrases.normalize_text(t) for p in planted) for t in era["text"]]]
    rng = np.random.default_rng([int(seed), 7])
    texts, pubs = [], []
    for text, y in zip(docs["text"], docs["year"]):
        ok = era[(era["lo"] <= y) & (era["hi"] >= y)]
        k = int(rng.integers(0, max_era + 1))
        paras = text.split("\n")
        if k and len(ok):
            pick = ok["text"].to_numpy()[rng.choice(len(ok), size=min(k, len(ok)), replace=False)]
            for s in pick:
                at = 1 + int(rng.integers(max(1, len(paras) - 1)))
                paras.insert(min(at, len(paras)), s + "。")
        texts.append("\n".join(paras))
        if rng.random() < published_share:
            py = min(cy, int(y) + int(rng.integers(0, 4)))
            pubs.append(f"{py}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d} 09:00:00")
        else:
            pubs.append(None)
    docs = docs.assign(text=texts, published=pubs, true_year=docs["year"].astype(int))
    docs["n_chars"] = docs["text"].str.len()
    return docs, truth


def _mask_probability(docs: pd.DataFrame, share: float) -> np.ndarray:
    """Per-document chance of losing the year, by genre and era, averaging ``share``."""
    y = docs["true_year"].to_numpy(float)
    span = max(y.max() - y.min(), 1.0)
    logit = (np.log([GENRE_MASK_ODDS.get(g, 1.0) for g in docs["genre"]])
             + math.log(ERA_MASK_ODDS) * (y.max() - y) / span)
    if share <= 0:
        return np.zeros(len(docs))
    if share >= 1:
        return np.ones(len(docs))
    lo, hi = -30.0, 30.0
    for _ in range(100):  # the intercept that makes the mean probability the share
        mid = (lo + hi) / 2
        p = 1 / (1 + np.exp(-(logit + mid)))
        lo, hi = (mid, hi) if p.mean() < share else (lo, mid)
    return 1 / (1 + np.exp(-(logit + (lo + hi) / 2)))


def mask_years(docs: pd.DataFrame, share: float, *, seed: int = 0) -> pd.DataFrame:
    """Hide the stated year of about ``share`` of the documents, not at random.

    Whether a document is masked is decided by one uniform number per document, so
    the documents masked at 30 % are also masked at 60 % (nested settings). The style
    is drawn from :data:`MASK_STYLES`: ``XX年`` or ``20xx年`` in title and opening, or
    the year cut from both. Era sentences and the upload date stay.

    Parameters
    ----------
    docs : DataFrame
        From :func:`make_validation_corpus` (``title``, ``text``, ``genre``, ``true_year``).
    share : float
        Expected share masked (0..1).
    seed : int, default 0

    Returns
    -------
    DataFrame
        A copy with masked ``title`` and ``text``, ``masked`` (bool), ``mask_style`` and no
        ``year`` column (the dating step sets it).
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be in 0..1, got {share}")
    p = _mask_probability(docs, share)
    rng = np.random.default_rng([int(seed), 11])
    u = rng.random(len(docs))
    style_u = rng.random(len(docs))
    masked = u < p
    titles, texts, styles = [], [], []
    for title, text, y, mk, su in zip(docs["title"], docs["text"], docs["true_year"], masked, style_u):
        if not mk:
            titles.append(title), texts.append(text), styles.append("")
            continue
        style = MASK_STYLES[int(su * len(MASK_STYLES))]
        first, _, rest = text.partition("\n")
        ys = str(int(y))
        if style == "stripped":
            title = title.replace(f"{ys}年度", "").replace(f"{ys}年", "")
            first = first.replace(f"{ys}年，", "").replace(f"{ys}年", "")
        else:
            rep = "XX" if style == "XX" else "20xx"
            title, first = title.replace(ys, rep), first.replace(ys, rep)
        titles.append(title), texts.append(first + ("\n" + rest if rest else "")), styles.append(style)
    out = docs.drop(columns=[c for c in ("year",) if c in docs.columns]).copy()
    out["title"], out["text"], out["masked"], out["mask_style"] = titles, texts, masked, styles
    return out


def _stub_model(docs: pd.DataFrame, themes: list[str], concentration: float):
    """A TopicModel whose posterior is the documents' planted theme mixtures (no LDA fit)."""
    from .topics import TopicModel

    model = TopicModel(len(themes))
    model.lda_ = None
    model.units_ = pd.DataFrame({"doc_id": docs["doc_id"].astype(str).to_numpy(), "para_id": 0,
                                 "n_tokens": docs["n_chars"].to_numpy()})
    shares = docs[[f"theme_{t}" for t in themes]].to_numpy(float)
    model.gamma_ = np.maximum(shares, 1e-6) * concentration
    return model


def _score(est: pd.DataFrame, truth: pd.Series, col: str, lo: str, hi: str, years: np.ndarray) -> dict:
    """Bias, error, slope bias, coverage and width of one series against the truth by year."""
    e = est.set_index("year").reindex(years)
    t = truth.reindex(years).to_numpy(float)
    v, a, b = e[col].to_numpy(float), e[lo].to_numpy(float), e[hi].to_numpy(float)
    has = np.isfinite(v)
    has_ci = has & np.isfinite(a) & np.isfinite(b)
    slope_t = np.polyfit(years, t, 1)[0]
    slope_e = np.polyfit(years[has], v[has], 1)[0] if has.sum() >= 2 else np.nan
    scale = t[has].mean() if has.any() else np.nan
    return {"bias": np.mean(v[has] - t[has]) / scale if has.any() else np.nan,
            "abs_error": np.mean(np.abs(v[has] - t[has])) / scale if has.any() else np.nan,
            "slope_bias": slope_e / slope_t - 1 if abs(slope_t) > 1e-9 * max(abs(t).max(), 1e-12) else np.nan,
            "covered": int(((a <= t) & (t <= b))[has_ci].sum()), "n_ci": int(has_ci.sum()),
            "width": np.mean((b - a)[has_ci] / t[has_ci]) if has_ci.any() else np.nan,
            "n_cells": len(years)}


def validate_imputation(*, n_docs: int = 600, shares=(0.3, 0.6, 0.9), replicates: int = 3, seed: int = 0,
                        m: int = imputation.DEFAULT_M, n_boot: int = 400, nsims: int = 100,
                        years: tuple[int, int] = (2003, 2025), prior: str = "corpus",
                        concentration: float = 200.0, mean_chars: float = 800) -> pd.DataFrame:
    """Run the validation: per replicate corpus, masking share and method, score every planted series.

    Parameters
    ----------
    n_docs : int, default 600
        Documents per replicate corpus.
    shares : sequence of float, default (0.3, 0.6, 0.9)
        Masking shares.
    replicates : int, default 3
        Independent corpora (seeds ``seed .. seed + replicates - 1``).
    seed : int, default 0
    m, n_boot, nsims, prior
        Imputation settings (:mod:`imputation`).
    years : (int, int), default (2003, 2025)
    concentration : float, default 200.0
        Concentration of the stand-in topic posterior around the planted mixtures.
    mean_chars : float, default 800

    Returns
    -------
    DataFrame
        One row per replicate, share, method (``dated only`` / ``imputed``), kind
        (``phrase rate`` / ``topic share``) and series: the scores of :func:`_score` plus
        ``n_docs_used`` and ``mc_error_share``. Summarise with :func:`summarise_validation`.
    """
    from . import dating, topics

    rows = []
    yrs = np.arange(years[0], years[1] + 1)
    for r in range(replicates):
        s_r = int(seed) + r
        docs, truth = make_validation_corpus(n_docs, seed=s_r, years=years, mean_chars=mean_chars)
        counts = phrases.count_phrases(docs)
        lex = phrases.read_phrases()
        pid = dict(zip(lex["phrase"], lex["phrase_id"]))
        ph_truth = {p: g.set_index("year")["value"] for p, g in truth[truth["kind"] == "phrase"].groupby("name")}
        themes = list(dict.fromkeys(truth.loc[truth["kind"] == "theme", "name"]))
        th_truth = {t: g.set_index("year")["value"] for t, g in truth[truth["kind"] == "theme"].groupby("name")}
        for share in shares:
            masked = mask_years(docs, share, seed=s_r)
            dated = dating.date_corpus(masked, collection_year=years[1])
            n_point = int(dated["year"].notna().sum())
            point = dated[dated["year"].notna()]
            kw = dict(by="year", m=m, n_boot=n_boot, seed=s_r, prior=prior, collection_year=years[1])
            est = {"dated only": phrases.phrase_rates(counts, dated, by="year", n_boot=n_boot, seed=s_r),
                   "imputed, evidence": imputation.phrase_rates_imputed(counts, dated, use_text=False, **kw),
                   "imputed, evidence + text": imputation.phrase_rates_imputed(counts, dated, use_text=True, **kw)}
            for method, tab in est.items():
                for p, t in ph_truth.items():
                    sub = tab[tab["key"] == pid[p]]
                    sc = _score(sub, t, "rate", "rate_lo", "rate_hi", yrs)
                    rows.append({"replicate": r, "share": share, "method": method, "kind": "phrase rate",
                                 "series": p, "n_docs_used": n_point if method == "dated only" else len(dated),
                                 "mc_error_share": tab.attrs.get("mc_error_share", np.nan), **sc})
            model = _stub_model(dated, themes, concentration)
            prev = {"dated only": topics.topic_prevalence(model, point[["doc_id", "year"]].astype({"year": "int64"}),
                                                          by="year", nsims=nsims, seed=s_r),
                    **{f"imputed, evidence{' + text' if ut else ''}": imputation.topic_prevalence_imputed(
                        model, dated, by="year", m=m, nsims=nsims, seed=s_r, prior=prior, use_text=ut,
                        collection_year=years[1]) for ut in (False, True)}}
            for method, tab in prev.items():
                for k, t in enumerate(themes):
                    sub = tab[tab["topic"] == k + 1]
                    sc = _score(sub, th_truth[t], "estimate", "lo", "hi", yrs)
                    rows.append({"replicate": r, "share": share, "method": method, "kind": "topic share",
                                 "series": t, "n_docs_used": n_point if method == "dated only" else len(dated),
                                 "mc_error_share": tab.attrs.get("mc_error_share", np.nan), **sc})
    return pd.DataFrame(rows)


def summarise_validation(scores: pd.DataFrame) -> pd.DataFrame:
    """Pool the scores of :func:`validate_imputation` by masking share, kind and method.

    Returns
    -------
    DataFrame
        ``masked`` (share, %), ``kind``, ``method``, ``docs`` (mean documents used),
        ``bias``, ``abs_error``, ``slope_bias`` (%, means over series and replicates),
        ``coverage`` (% of cells with an interval), ``width`` (% of truth), ``cells``
        (% of year cells with an interval), ``mc_error`` (% of width; imputed only),
        all rounded to one decimal so reruns compare byte for byte.
    """
    g = scores.groupby(["share", "kind", "method"], sort=True)
    out = pd.DataFrame({
        "docs": g["n_docs_used"].mean(),
        "bias": 100 * g["bias"].mean(),
        "abs_error": 100 * g["abs_error"].mean(),
        "slope_bias": 100 * g["slope_bias"].mean(),
        "coverage": 100 * g["covered"].sum() / g["n_ci"].sum(),
        "width": 100 * g["width"].mean(),
        "cells": 100 * g["n_ci"].sum() / g["n_cells"].sum(),
        "mc_error": 100 * g["mc_error_share"].mean(),
    }).reset_index()
    out.insert(0, "masked", (100 * out.pop("share")).round().astype(int))
    num = ["docs", "bias", "abs_error", "slope_bias", "coverage", "width", "cells", "mc_error"]
    out[num] = out[num].astype(float).round(1)
    return out


def format_markdown(table: pd.DataFrame) -> str:
    """Render a table as a GitHub markdown table (numbers right-aligned, NaN as an empty cell).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation_validation import format_markdown
    >>> print(format_markdown(pd.DataFrame({"method": ["imputed"], "bias": [-0.3]})))
    | method | bias |
    |---|---:|
    | imputed | -0.3 |
    """
    num = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    lines = ["| " + " | ".join(map(str, table.columns)) + " |",
             "|" + "|".join("---:" if n else "---" for n in num) + "|"]
    for row in table.itertuples(index=False):
        cells = ["" if (isinstance(v, float) and math.isnan(v)) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
