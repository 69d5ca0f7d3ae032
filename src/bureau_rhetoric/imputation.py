"""Every document counts: carry the uncertainty of each document's year into the trends.

Most scraped reports have no year one can read off them: the dating step
(:mod:`dating`) gives a point year to some, an interval ``[year_lo, year_hi]`` to
others and nothing to the rest. A trend drawn from the point-dated documents only
rests on whichever documents kept their dates, which are not a random sample (work
summaries say 今年 more often than 述职 reports; older pages lost their dates more
often). This module uses every document by **multiple imputation** of its year:

1. :func:`close_year_bounds` closes the bounds the evidence left open: an open upper
   bound becomes the corpus's collection year (an upload date already caps it in the
   dating), an open lower bound the earliest plausible year for the document's genre
   (default :data:`EARLIEST_YEAR`, the reform era in which the bureaus report as they
   do now). The rule used is written into ``year_closing`` and ``year_evidence``.
2. :func:`year_distribution` gives each document a distribution over its closed
   interval: a point-dated document keeps its year; the others are spread over their
   interval either uniformly (``prior="uniform"``) or in proportion to the corpus's
   own distribution of years (``prior="corpus"``, the default). The corpus
   distribution is the nonparametric maximum-likelihood estimate from all documents,
   points and intervals together (Turnbull's self-consistency algorithm), mixed with a
   little of the uniform (``prior_floor``) so that no year inside an interval is ruled
   out. A document known only to lie in 1978-2025 is then most likely placed where
   the corpus's reports are, not in 1983 because the interval starts there.
3. :func:`draw_years` draws ``m`` years per document. Evidence alone is not enough:
   multiple imputation must condition on the quantity analysed, or documents placed at
   random in a wide interval carry their rhetoric into other years and every trend
   flattens (measured: slopes -16/-31/-45 % at 30/60/90 % of years masked). So by
   default (``use_text=True``) an undated document's evidence is multiplied by the
   likelihood of its analysed quantity (phrase counts, negative binomial; topic shares,
   Dirichlet) under year profiles learnt from a bootstrap of the point-dated documents,
   tempered by cross-validation on those documents.
4. Every trend function here runs the existing estimator of :mod:`phrases` or
   :mod:`topics` once per draw and pools.

Combining the draws
-------------------
* **Rates, shares of documents mentioning a phrase, emerging terms and topic
  prevalence: nested resampling.** Within each imputation the documents are
  bootstrapped as :func:`phrases.phrase_rates` does (or the topic posterior simulated
  as :func:`topics.topic_prevalence` does), ``ceil(n_boot / m)`` replicates each; the
  replicates of all imputations are pooled and the interval is their percentile
  interval. The pooled draws vary both within and between imputations, which is what
  Rubin's total variance adds up, but the interval keeps the skew of a rate near zero
  and never leaves [0, ∞) or [0, 1], where a normal interval from Rubin's rules would.
* **Keyness (log ratio) between eras: Rubin's rules.** :func:`phrases.keyness` has no
  resampling; it is a statistic with a known standard error (the log ratio's Poisson
  variance, ``(1/f_a + 1/f_b) / ln(2)^2``), so the estimates of the ``m`` imputations
  are combined by Rubin's rules (mean; total variance = within + (1 + 1/m) x between;
  Barnard-Rubin degrees of freedom). G² is a test statistic, not an estimate, so its
  mean and the median of the imputations' p-values are reported (the median-p rule).

The point estimate is the mean over imputations; ``rate_mc_error`` (and its kind) is
its Monte-Carlo standard error, ``sqrt(between-imputation variance / m)``. The
default ``m`` (:data:`DEFAULT_M` = 20) keeps that error near 5 % of the interval
width on the validation corpora (``benchmarks/bench_imputation.py``); the share is
returned in ``attrs["mc_error_share"]`` so a notebook can print it and a user can
raise ``m`` when it is large.

What it assumes
---------------
That a document's year is **missing at random given the evidence**: among documents
with the same dating evidence (and genre, which sets the earliest year), those whose
year is lost do not use the phrases differently from those that kept it. It would
mislead if, say, the reports that hide their year are the ones with unusual rhetoric
for their year, or if the dating evidence itself (dated policy terms) is the phrase
being measured, which then pulls the imputed year towards the phrase's own era.
When few documents keep their year (90 % masked in the validation), the year
profiles are learnt from few documents, the cross-validated tempering trusts the text
less, and phrase trends are still flattened (by about a third on the validation
corpora; ``benchmarks/results/imputation.md``): read them by plan period, and beside
the dated-only estimate.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric import imputation
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "genre": ["工作总结"] * 3,
...     "year": [2012, None, None], "year_lo": [2012, 2014, None], "year_hi": [2012, 2016, None]})
>>> closed = imputation.close_year_bounds(docs, collection_year=2020, earliest=2010)
>>> closed[["doc_id", "year_lo_closed", "year_hi_closed"]].values.tolist()
[['a', 2012, 2012], ['b', 2014, 2016], ['c', 2010, 2020]]
>>> draws = imputation.draw_years(docs, m=4, seed=1, collection_year=2020, earliest=2010, prior="uniform")
>>> draws.loc["a"].tolist(), bool(draws.loc["b"].between(2014, 2016).all())
([2012, 2012, 2012, 2012], True)
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from . import phrases as _ph
from .dating import fyp_period, period_order

__all__ = [
    "DEFAULT_M",
    "EARLIEST_YEAR",
    "YEARS_FROM",
    "close_year_bounds",
    "year_distribution",
    "draw_years",
    "period_of_years",
    "phrase_rates_imputed",
    "share_mentioning_imputed",
    "keyness_imputed",
    "emerging_terms_imputed",
    "topic_prevalence_imputed",
    "imputation_params",
    "compare_estimates",
    "describe_imputation",
    "evidence_scores",
]

#: Default number of imputations (Monte-Carlo error ~5 % of the interval width; see module doc).
DEFAULT_M = 20
#: Default earliest plausible reporting year: 1978, the reform era (the 1978 National Science
#: Conference; local S&T commissions and bureaus report in this form from then on). A user's
#: corpus of another kind passes its own, per genre if need be.
EARLIEST_YEAR = 1978
#: The two values of the notebooks' ``YEARS_FROM`` parameter.
YEARS_FROM = ("dated", "imputed")

_PUB_YEAR = re.compile(r"((?:19|20)[0-9]{2})")
_PRIORS = ("corpus", "uniform")


# --------------------------------------------------------------------------- bounds
def _int_or_none(v):
    return None if v is None or pd.isna(v) else int(v)


def _collection_year(docs: pd.DataFrame) -> tuple[int, str]:
    """The latest upload year in the corpus, else its latest dated year, with the rule in words."""
    if "published" in docs.columns:
        ys = [int(m.group(1)) for p in docs["published"].dropna().astype(str) if (m := _PUB_YEAR.search(p))]
        if ys:
            return max(ys), "the latest upload date in the corpus"
    vals = [pd.to_numeric(docs[c], errors="coerce").max() for c in ("year", "year_lo", "year_hi") if c in docs]
    vals = [v for v in vals if pd.notna(v)]
    if vals:
        return int(max(vals)), "the latest year any dating evidence names"
    raise ValueError("cannot close open year bounds: no collection_year given, no upload date and no dated "
                     "document in the corpus; pass collection_year=")


def _earliest_for(earliest, genre) -> int:
    if isinstance(earliest, Mapping):
        if genre in earliest:
            return int(earliest[genre])
        return int(earliest.get("*", EARLIEST_YEAR))
    return int(earliest)


def close_year_bounds(docs: pd.DataFrame, collection_year: int | None = None,
                      earliest: int | Mapping[str, int] = EARLIEST_YEAR) -> pd.DataFrame:
    """Close the year bounds the dating evidence left open, stating the rule per document.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``year``, ``year_lo``, ``year_hi`` (as :func:`dating.date_corpus`
        makes them); ``genre``, ``published`` and ``year_evidence`` are used when present.
    collection_year : int, optional
        The year the corpus was collected: an open upper bound becomes this year. None
        takes the latest upload date in the corpus, else the latest year any document's
        evidence names (both stated in the rule).
    earliest : int or dict, default :data:`EARLIEST_YEAR`
        The earliest plausible reporting year; a dict maps a ``genre`` to its year
        (key ``"*"`` for the others), e.g. ``{"述职报告": 1995, "*": 1978}``.

    Returns
    -------
    DataFrame
        A copy with ``year_lo_closed`` and ``year_hi_closed`` (int64; a point-dated
        document's are its year), ``year_closing`` (the rule used, "" when the evidence
        bounded both sides) and, when ``year_evidence`` is present, the rule appended to
        it as a line starting with ``+ closed:``. ``attrs["closing_rule"]`` says the rule
        for the corpus in one line (for figure sidecars).

    Raises
    ------
    ValueError
        If a column is missing or nothing gives a collection year.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import close_year_bounds
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "genre": ["述职报告", "工作总结"],
    ...     "year": [None, None], "year_lo": [None, 2016], "year_hi": [2019, None]})
    >>> out = close_year_bounds(docs, collection_year=2024, earliest={"述职报告": 1995, "*": 1978})
    >>> out[["year_lo_closed", "year_hi_closed"]].values.tolist()
    [[1995, 2019], [2016, 2024]]
    >>> out["year_closing"].tolist()
    ['lower bound open: earliest plausible year for 述职报告 (1995)', 'upper bound open: the collection year (2024, given)']
    """
    need = [c for c in ("doc_id", "year", "year_lo", "year_hi") if c not in docs.columns]
    if need:
        raise ValueError(f"close_year_bounds needs columns {need}; run dating.date_corpus first")
    if collection_year is None:
        cy, cy_rule = _collection_year(docs)
    else:
        cy, cy_rule = int(collection_year), "given"
    genres = docs["genre"] if "genre" in docs.columns else pd.Series([None] * len(docs), index=docs.index)
    los, his, rules = [], [], []
    for doc_id, y, lo, hi, g in zip(docs["doc_id"], docs["year"], docs["year_lo"], docs["year_hi"], genres):
        y, lo, hi = _int_or_none(y), _int_or_none(lo), _int_or_none(hi)
        if y is not None:
            los.append(y), his.append(y), rules.append("")
            continue
        why = []
        if lo is None:
            lo = _earliest_for(earliest, g)
            why.append(f"lower bound open: earliest plausible year for {g if isinstance(g, str) and g else 'any genre'} ({lo})")
        if hi is None:
            hi = cy
            why.append(f"upper bound open: the collection year ({cy}, {cy_rule})")
        if lo > hi:
            why.append(f"the evidence's lower bound {lo} is after the upper bound {hi}: the interval is {lo}")
            hi = lo
        los.append(lo), his.append(hi), rules.append("; ".join(why))
    out = docs.copy()
    out["year_lo_closed"] = np.asarray(los, dtype="int64")
    out["year_hi_closed"] = np.asarray(his, dtype="int64")
    out["year_closing"] = rules
    if "year_evidence" in out.columns:
        out["year_evidence"] = [ev if not r else f"{'' if pd.isna(ev) else ev}\n+ closed: {r}"
                                for ev, r in zip(out["year_evidence"], rules)]
    earliest_txt = (", ".join(f"{k}: {v}" for k, v in earliest.items()) if isinstance(earliest, Mapping)
                    else str(int(earliest)))
    out.attrs["closing_rule"] = (f"open lower bound -> earliest plausible year ({earliest_txt}); "
                                 f"open upper bound -> collection year {cy} ({cy_rule})")
    out.attrs["collection_year"] = cy
    return out


# --------------------------------------------------------------------------- distributions
def _corpus_prior(lo: np.ndarray, hi: np.ndarray, grid: np.ndarray, floor: float,
                  max_iter: int = 500, tol: float = 1e-9) -> np.ndarray:
    """Turnbull's self-consistency estimate of the year distribution from interval-censored years."""
    inside = (grid[None, :] >= lo[:, None]) & (grid[None, :] <= hi[:, None])
    p = np.full(len(grid), 1.0 / len(grid))
    for _ in range(max_iter):
        w = inside * p[None, :]
        w /= w.sum(axis=1, keepdims=True)
        new = w.mean(axis=0)
        if np.abs(new - p).max() < tol:
            p = new
            break
        p = new
    return (1 - floor) * p + floor / len(grid)


def year_distribution(docs: pd.DataFrame, *, prior: str = "corpus", prior_floor: float = 0.05,
                      collection_year: int | None = None, earliest: int | Mapping[str, int] = EARLIEST_YEAR,
                      evidence_weights: bool = True) -> pd.DataFrame:
    """Give every document a probability for each year it may report.

    Parameters
    ----------
    docs : DataFrame
        A dated corpus (``doc_id``, ``year``, ``year_lo``, ``year_hi``; ``genre`` and
        ``published`` optional), e.g. ``corpus.parquet``: nothing is refitted.
    prior : {"corpus", "uniform"}, default "corpus"
        How a document's probability is spread over its closed interval: uniformly, or
        in proportion to the corpus's distribution of years (Turnbull's nonparametric
        maximum-likelihood estimate from every document's point or interval).
    prior_floor : float, default 0.05
        Share of the uniform mixed into the corpus distribution, so that a year the
        estimate leaves empty stays possible.
    collection_year, earliest
        How open bounds are closed (:func:`close_year_bounds`).
    evidence_weights : bool, default True
        Weight each year inside the interval by ``exp`` of its evidence score
        (:func:`evidence_scores` of ``year_evidence``, when the column is there).

    Returns
    -------
    DataFrame
        Long: ``doc_id``, ``year``, ``p`` (summing to 1 per document; a point-dated
        document has ``p = 1`` at its year). ``attrs`` carry the closing rule and prior.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import year_distribution
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2015, 2015, None],
    ...     "year_lo": [2015, 2015, 2014], "year_hi": [2015, 2015, 2016]})
    >>> d = year_distribution(docs, prior="uniform")
    >>> d[d.doc_id == "c"]["p"].round(3).tolist()
    [0.333, 0.333, 0.333]
    >>> d = year_distribution(docs, prior="corpus", prior_floor=0.0)
    >>> d[d.doc_id == "c"]["p"].round(3).tolist()
    [0.0, 1.0, 0.0]
    """
    if prior not in _PRIORS:
        raise ValueError(f"prior must be one of {_PRIORS}, got {prior!r}")
    if not 0 <= prior_floor <= 1:
        raise ValueError(f"prior_floor must be in 0..1, got {prior_floor}")
    closed = close_year_bounds(docs, collection_year=collection_year, earliest=earliest)
    lo = closed["year_lo_closed"].to_numpy()
    hi = closed["year_hi_closed"].to_numpy()
    ids = closed["doc_id"].astype(str).to_numpy()
    if len(closed) == 0:
        out = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "year": pd.Series([], dtype="int64"),
                            "p": pd.Series([], dtype=float)})
        out.attrs.update(closed.attrs)
        return out
    grid = np.arange(lo.min(), hi.max() + 1)
    if prior == "corpus":
        weight = _corpus_prior(lo, hi, grid, prior_floor)
    else:
        weight = np.ones(len(grid))
    rows_id, rows_year, rows_p = [], [], []
    cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
    evs = (closed["year_evidence"].to_numpy() if evidence_weights and "year_evidence" in closed.columns
           else [None] * len(ids))
    for d, a, b, ev in zip(ids, lo, hi, evs):
        key = (int(a), int(b))
        if key not in cache:
            years = np.arange(a, b + 1)
            w = weight[years - grid[0]]
            cache[key] = (years, w / w.sum())
        years, p = cache[key]
        if isinstance(ev, str) and a != b:
            sc = evidence_scores(ev, years)
            p = p * np.exp(sc - sc.max())
            p = p / p.sum()
        rows_id.extend([d] * len(years))
        rows_year.append(years)
        rows_p.append(p)
    out = pd.DataFrame({"doc_id": rows_id, "year": np.concatenate(rows_year).astype("int64"),
                        "p": np.concatenate(rows_p)})
    out.attrs.update(closed.attrs)
    out.attrs["prior"] = prior if prior == "uniform" else f"corpus (Turnbull), floor {prior_floor:g}"
    return out


_EV_LINE = re.compile(r"^- .*→ (?P<imp>= -?\d+|>= -?\d+|<= -?\d+|-?\d+--?\d+|in \{[\d, ]+\}|nothing) \[w (?P<w>[\d.]+)\]",
                      re.M)


def evidence_scores(evidence: str, grid: np.ndarray) -> np.ndarray:
    """Score every year of ``grid`` by the dating evidence written in ``year_evidence``.

    Each clue line (``- “…” (body) rule → >= 2014 [w 2]``) adds its weight to the
    years it allows, as :func:`dating.infer_year` scores them; the interval is the set
    of years within a margin of the best score, so inside it a soft clue (a faded
    term, a weak cap) still shifts weight. Lines the dating did not write (``!`` notes,
    ``+ closed:`` rules) are ignored.

    Parameters
    ----------
    evidence : str
        A ``year_evidence`` text.
    grid : ndarray of int

    Returns
    -------
    ndarray of float
        The summed weight per year (0 without evidence).

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.imputation import evidence_scores
    >>> ev = ("year=None interval=[2003, ?] confidence=low\\n"
    ...       "- “科学发展观” (body) term:hard → >= 2003 [w 2]: 科学发展观 in official use from 2003\\n"
    ...       "- “科学发展观” (body) term:faded → <= 2015 [w 0.3]: 科学发展观 faded after 2012")
    >>> evidence_scores(ev, np.array([2002, 2010, 2020])).tolist()
    [0.3, 2.3, 2.0]
    """
    score = np.zeros(len(grid))
    if not isinstance(evidence, str):
        return score
    for m in _EV_LINE.finditer(evidence):
        imp, w = m.group("imp"), float(m.group("w"))
        if imp.startswith("in {"):
            ok = np.isin(grid, [int(v) for v in re.findall(r"\d+", imp)])
        elif imp.startswith(">="):
            ok = grid >= int(imp[2:])
        elif imp.startswith("<="):
            ok = grid <= int(imp[2:])
        elif imp.startswith("="):
            ok = grid == int(imp[1:])
        elif imp == "nothing":
            continue
        else:
            a, b = re.match(r"(-?\d+)-(-?\d+)", imp).groups()
            ok = (grid >= int(a)) & (grid <= int(b))
        score += w * ok
    return score


def _kernel_profile(X: np.ndarray, L: np.ndarray | None, years: np.ndarray, w: np.ndarray, grid: np.ndarray,
                    bandwidth: float) -> np.ndarray:
    """Year profiles on ``grid`` from documents with known ``years`` (weights ``w``), Gaussian kernel.

    Counts (``L`` given): rates per character, shrunk towards the overall rate by one
    median document. Shares (``L`` None): weighted mean shares, shrunk the same way.
    """
    K = np.exp(-0.5 * ((grid[:, None] - years[None, :]) / bandwidth) ** 2) * w[None, :]
    if L is None:
        glob = (w @ X) / w.sum()
        return (K @ X + glob[None, :]) / (K.sum(axis=1) + 1.0)[:, None]
    a = float(np.median(L))
    glob = (w @ X) / (w @ L)
    return (K @ X + a * glob[None, :]) / ((K @ L) + a)[:, None]


def _nb_size(X: np.ndarray, L: np.ndarray, years: np.ndarray, grid: np.ndarray, bandwidth: float) -> np.ndarray:
    """Negative-binomial size per feature (method of moments around the year profile; large = Poisson)."""
    lam = _kernel_profile(X, L, years, np.ones(len(years)), grid, bandwidth)
    mu = lam[np.searchsorted(grid, years)] * L[:, None]
    excess = ((X - mu) ** 2 - mu).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(excess > 0, excess / (mu ** 2).sum(axis=0), 0.0)
    return 1 / np.maximum(inv, 1e-6)  # 1e6: as good as Poisson


def _dirichlet_scale(X: np.ndarray, years: np.ndarray, grid: np.ndarray, bandwidth: float) -> float:
    """Dirichlet precision of document shares around the year profile (method of moments)."""
    pi = _kernel_profile(X, None, years, np.ones(len(years)), grid, bandwidth)[np.searchsorted(grid, years)]
    var = ((X - pi) ** 2).mean(axis=0)
    m = pi.mean(axis=0)
    ok = var > 1e-12
    s = np.median(m[ok] * (1 - m[ok]) / var[ok] - 1) if ok.any() else 1e3
    return float(np.clip(s, 1.0, 1e4))


def _text_loglik(kind: str, X: np.ndarray, L: np.ndarray | None, prof: np.ndarray, disp) -> np.ndarray:
    """Log-likelihood (docs x grid years) of each document's features under the year profiles."""
    from scipy.special import gammaln

    out = np.empty((X.shape[0], prof.shape[0]))
    for s in range(0, X.shape[0], 1000):
        x = X[s:s + 1000]
        if kind == "counts":
            mu = np.maximum(L[s:s + 1000, None, None] * prof[None, :, :], 1e-12)
            r = disp[None, None, :]
            ll = r * np.log(r / (r + mu)) + x[:, None, :] * np.log(mu / (r + mu))
            out[s:s + 1000] = ll.sum(axis=2)
        else:
            alpha = np.maximum(disp * prof, 1e-6)
            lx = np.log(np.clip(x, 1e-6, None))
            out[s:s + 1000] = (gammaln(alpha.sum(axis=1))[None, :] - gammaln(alpha).sum(axis=1)[None, :]
                               + lx @ (alpha - 1).T)
    return out


def _calibrate_temper(kind, X, L, years, grid, bandwidth, disp, seed, folds: int = 5,
                      tempers=(0.0, 0.1, 0.25, 0.5, 0.75, 1.0)) -> tuple[float, dict]:
    """The tempering of the text likelihood that best predicts the known years of dated documents.

    ``folds``-fold cross-validation on the point-dated documents: profiles from the
    other folds, each held-out document's year scored under a uniform prior over the
    grid. 0 means the text tells nothing about the year beyond the evidence.
    """
    n = len(years)
    if n < 2 * folds:
        return 0.0, {}
    fold = np.random.default_rng([int(seed), 3]).permutation(n) % folds
    score = np.zeros(len(tempers))
    for f in range(folds):
        tr, te = fold != f, fold == f
        prof = _kernel_profile(X[tr], None if L is None else L[tr], years[tr], np.ones(tr.sum()), grid, bandwidth)
        ll = _text_loglik(kind, X[te], None if L is None else L[te], prof, disp)
        idx = np.searchsorted(grid, years[te])
        for t, tau in enumerate(tempers):
            z = tau * ll
            z = z - z.max(axis=1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
            score[t] += logp[np.arange(te.sum()), idx].sum()
    best = int(np.argmax(score))
    return float(tempers[best]), {f"{t:g}": round(float(v), 3) for t, v in zip(tempers, score)}


def draw_years(docs: pd.DataFrame, m: int = DEFAULT_M, seed: int = 0, *, prior: str = "corpus",
               prior_floor: float = 0.05, collection_year: int | None = None,
               earliest: int | Mapping[str, int] = EARLIEST_YEAR, outcome: pd.DataFrame | None = None,
               outcome_kind: str = "counts", bandwidth: float = 2.0, temper: float | str = "cv",
               evidence_weights: bool = True, text_col: str = "text") -> pd.DataFrame:
    """Draw ``m`` years for every document from its year distribution, optionally informed by its text.

    Without ``outcome`` each undated document's years are drawn from
    :func:`year_distribution` (the dating evidence alone). That leaves out what the
    document says, and multiple imputation that leaves the analysed quantity out of
    the imputation model pulls every trend towards flat (documents placed at random in
    a wide interval carry the rhetoric of their true year into others). With
    ``outcome`` (the quantities the analysis estimates: phrase counts, or topic
    shares), the evidence is multiplied by the likelihood of the document's outcome in
    each year under year profiles learnt from the point-dated documents (Gaussian
    kernel over the years, ``bandwidth``; negative binomial counts with an
    overdispersion estimated from the data, or Dirichlet shares), raised to a power
    ``temper`` in [0, 1]. Each imputation refits the profiles on a Bayesian bootstrap
    of the dated documents, so the draws carry the uncertainty of the profiles
    (proper multiple imputation). ``temper="cv"`` picks the power that best predicts
    the known years of held-out dated documents (5-fold): 0 when the text tells
    nothing about the year, less than 1 when words that travel together would
    otherwise make the likelihood overconfident.

    Parameters
    ----------
    docs : DataFrame
        A dated corpus (see :func:`year_distribution`); ``n_chars`` (or ``text``) when
        ``outcome`` holds counts.
    m : int, default :data:`DEFAULT_M`
        Number of imputations.
    seed : int, default 0
        Same seed, same draws.
    prior, prior_floor, collection_year, earliest
        As in :func:`year_distribution`.
    outcome : DataFrame, optional
        Index ``doc_id``, one column per feature: counts (``outcome_kind="counts"``) or
        proportions summing to 1 per row (``"shares"``). Documents missing from it get
        zero counts / are drawn from the evidence alone.
    outcome_kind : {"counts", "shares"}, default "counts"
    bandwidth : float, default 2.0
        Kernel bandwidth in years of the year profiles.
    temper : float or "cv", default "cv"
    evidence_weights : bool, default True
        Inside its interval, weight each year by ``exp(score)``, the dating evidence's
        score of that year (:func:`evidence_scores`, from ``year_evidence``): a hard bound
        already shaped the interval, a soft clue (a faded term, a weak cap) shifts weight
        within it. False: the interval alone.

    Returns
    -------
    DataFrame
        Index ``doc_id`` (str), columns ``0 .. m-1``, int64 years; a point-dated
        document has its year in every column. ``attrs``: ``m``, ``seed``, ``prior``,
        ``closing_rule``, ``collection_year``, ``n_imputed``, ``model`` (what placed the
        documents, in words) and ``temper``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import draw_years
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "genre": ["工作总结", "述职报告"], "year": [2015, None],
    ...     "year_lo": [2015, 2010], "year_hi": [2015, 2019]})
    >>> d1 = draw_years(docs, m=5, seed=3); d2 = draw_years(docs, m=5, seed=3)
    >>> d1.equals(d2), d1.shape, d1.attrs["n_imputed"]
    (True, (2, 5), 1)
    """
    if int(m) < 1:
        raise ValueError(f"m must be >= 1, got {m}")
    if outcome_kind not in ("counts", "shares"):
        raise ValueError(f"outcome_kind must be 'counts' or 'shares', got {outcome_kind!r}")
    if prior not in _PRIORS:
        raise ValueError(f"prior must be one of {_PRIORS}, got {prior!r}")
    ids = docs["doc_id"].astype(str).to_numpy()
    if len(set(ids)) != len(ids):
        dup = pd.Series(ids)[pd.Series(ids).duplicated()].iloc[0]
        raise ValueError(f"doc_id {dup!r} occurs twice: draw_years needs one row per document")
    closed = close_year_bounds(docs, collection_year=collection_year, earliest=earliest)
    lo = closed["year_lo_closed"].to_numpy()
    hi = closed["year_hi_closed"].to_numpy()
    M = int(m)
    rng = np.random.default_rng(seed)
    u = rng.random((len(ids), M))
    out = np.repeat(lo[:, None], M, axis=1).astype("int64")
    attrs = {"m": M, "seed": int(seed), "closing_rule": closed.attrs.get("closing_rule", ""),
             "collection_year": closed.attrs.get("collection_year"),
             "n_imputed": int(docs["year"].isna().sum()) if "year" in docs.columns else int((lo != hi).sum()),
             "temper": None}
    attrs["prior"] = prior if prior == "uniform" else f"corpus (Turnbull), floor {prior_floor:g}"
    open_ = np.flatnonzero(lo != hi)
    model = "the dating evidence alone"
    if len(open_):
        grid = np.arange(lo.min(), hi.max() + 1)
        weight = _corpus_prior(lo, hi, grid, prior_floor) if prior == "corpus" else np.ones(len(grid))
        inside = (grid[None, :] >= lo[open_, None]) & (grid[None, :] <= hi[open_, None])
        base = np.where(inside, np.log(weight)[None, :], -np.inf)
        if evidence_weights and "year_evidence" in docs.columns:
            ev = docs["year_evidence"].to_numpy()[open_]
            sc = np.vstack([evidence_scores(e, grid) for e in ev])
            sc = np.where(inside, sc, -np.inf)
            base = base + (sc - sc.max(axis=1, keepdims=True))
            attrs["evidence_weights"] = True
        point = docs["year"].notna().to_numpy() if "year" in docs.columns else lo == hi
        dated = np.flatnonzero(point & (lo == hi))
        text = None
        if outcome is not None and len(dated) >= 10:
            X = outcome.reindex(ids).to_numpy(dtype=float)
            if outcome_kind == "counts":
                X = np.nan_to_num(X)
                keep = X[dated].sum(axis=0) > 0
                X = X[:, keep]
                L = _ph._doc_chars(docs, text_col)
                L = np.where(np.isfinite(L), L, np.nanmedian(L))
                disp = _nb_size(X[dated], L[dated], lo[dated], grid, bandwidth) if X.shape[1] else None
            else:
                has = np.isfinite(X).all(axis=1)
                X = np.where(has[:, None], X, 1.0 / max(X.shape[1], 1))
                L = None
                disp = _dirichlet_scale(X[dated], lo[dated], grid, bandwidth)
            if X.shape[1]:
                tau = temper
                scores = {}
                if temper == "cv":
                    tau, scores = _calibrate_temper(outcome_kind, X[dated], None if L is None else L[dated],
                                                    lo[dated], grid, bandwidth, disp, seed)
                tau = float(tau)
                if not 0 <= tau <= 1:
                    raise ValueError(f"temper must be in 0..1 or 'cv', got {temper!r}")
                attrs["temper"], attrs["temper_scores"] = tau, scores
                if tau == 0:
                    model = ("the dating evidence alone (the document's "
                             f"{'phrase counts' if outcome_kind == 'counts' else 'topic shares'} did not predict "
                             f"the known years of dated documents {'in cross-validation' if temper == 'cv' else ''})"
                             ).replace(" )", ")")
                if tau > 0:
                    text = (X, L, disp, tau)
                    what = "phrase counts (negative binomial)" if outcome_kind == "counts" else "topic shares (Dirichlet)"
                    model = (f"the dating evidence x the document's {what} by year, kernel {bandwidth:g} years, "
                             f"likelihood tempered {tau:g} (chosen by {'cross-validation' if temper == 'cv' else 'the user'})")
        for j in range(M):
            logp = base
            if text is not None:
                X, L, disp, tau = text
                w = rng.dirichlet(np.ones(len(dated))) * len(dated)
                prof = _kernel_profile(X[dated], None if L is None else L[dated], lo[dated], w, grid, bandwidth)
                logp = base + tau * _text_loglik(outcome_kind, X[open_], None if L is None else L[open_], prof, disp)
            z = logp - logp.max(axis=1, keepdims=True)
            cum = np.cumsum(np.exp(z), axis=1)
            k = (cum < (u[open_, j] * cum[:, -1])[:, None]).sum(axis=1)
            out[open_, j] = grid[np.minimum(k, len(grid) - 1)]
    attrs["model"] = model
    res = pd.DataFrame(out, index=pd.Index(ids, name="doc_id"), columns=range(M))
    res.attrs = attrs
    return res


def period_of_years(years: np.ndarray) -> np.ndarray:
    """Map an array of years to Five-Year-Plan periods (object array; None outside every plan).

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.imputation import period_of_years
    >>> period_of_years(np.array([[2010, 2011], [2016, 2015]])).tolist()
    [['十一五', '十二五'], ['十三五', '十二五']]
    """
    years = np.asarray(years)
    uniq = np.unique(years)
    lut = {int(y): fyp_period(int(y)) for y in uniq}
    return np.vectorize(lambda y: lut[int(y)], otypes=[object])(years)


def _sorted_levels(levels: Iterable, by: str) -> list:
    levels = [lv for lv in levels if lv is not None and not (isinstance(lv, float) and math.isnan(lv))]
    # plans in time order (fyp.csv, the one definition), other labels after them
    return sorted(levels) if by == "year" else period_order(sorted(set(levels), key=str))


def _grouping(draws: pd.DataFrame, ids: np.ndarray, by: str) -> np.ndarray:
    """The ``by`` value of every document (rows: ``ids``) in every imputation (columns)."""
    if by not in ("year", "fyp_period"):
        raise ValueError(f"by must be 'year' or 'fyp_period' (the columns that follow from the year), got {by!r}")
    missing = [d for d in ids if d not in draws.index]
    if missing:
        raise ValueError(f"the draws hold no years for doc_id {missing[0]!r} ({len(missing)} documents)")
    Y = draws.loc[ids].to_numpy()
    return Y if by == "year" else period_of_years(Y)


def _prepare_draws(docs, draws, m, seed, prior, prior_floor, collection_year, earliest, outcome=None,
                   kind="counts", text_col="text"):
    if draws is None:
        draws = draw_years(docs, m=m, seed=seed, prior=prior, prior_floor=prior_floor,
                           collection_year=collection_year, earliest=earliest, outcome=outcome,
                           outcome_kind=kind, text_col=text_col)
    return draws


def _top_features(C: np.ndarray, ids: np.ndarray, n: int) -> pd.DataFrame:
    """The ``n`` most frequent columns of a count matrix, as an outcome table for :func:`draw_years`."""
    top = np.argsort(-C.sum(axis=0), kind="stable")[:n]
    return pd.DataFrame(C[:, top], index=pd.Index(ids, name="doc_id"))


def imputation_params(draws: pd.DataFrame) -> dict:
    """The facts a figure sidecar records about an imputation: M, seed, prior and closing rule.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import draw_years, imputation_params
    >>> docs = pd.DataFrame({"doc_id": ["a"], "year": [None], "year_lo": [2010], "year_hi": [2012]})
    >>> sorted(imputation_params(draw_years(docs, m=3, seed=2)))
    ['closing_rule', 'collection_year', 'imputation_model', 'm_imputations', 'n_imputed', 'prior', 'seed_imputation', 'temper']
    """
    a = draws.attrs
    return {"m_imputations": a.get("m", draws.shape[1]), "seed_imputation": a.get("seed"),
            "prior": a.get("prior"), "closing_rule": a.get("closing_rule"),
            "collection_year": a.get("collection_year"), "n_imputed": a.get("n_imputed"),
            "imputation_model": a.get("model"), "temper": a.get("temper")}


def _mc_share(point_draws: list[np.ndarray], width: np.ndarray) -> tuple[np.ndarray, float]:
    """Monte-Carlo standard error of the mean over imputations, and its median share of the width."""
    P = np.vstack(point_draws)
    mc = P.std(axis=0, ddof=1) / np.sqrt(P.shape[0]) if P.shape[0] > 1 else np.full(P.shape[1], np.nan)
    ok = np.isfinite(width) & (width > 0) & np.isfinite(mc)
    share = float(np.median(mc[ok] / width[ok])) if ok.any() else float("nan")
    return mc, share


# --------------------------------------------------------------------------- phrase rates
def phrase_rates_imputed(counts: pd.DataFrame, docs: pd.DataFrame, *, by: str = "year", level: str = "phrase",
                         weighting: str = "length", m: int = DEFAULT_M, n_boot: int = 1000, ci: float = 0.95,
                         seed: int = 0, include_duplicates: bool = False, include_off_topic: bool = False,
                         min_docs_ci: int = 2, lexicon=None, text_col: str = "text",
                         draws: pd.DataFrame | None = None, use_text: bool = True, min_share_draws: float = 0.5,
                         prior: str = "corpus", prior_floor: float = 0.05, collection_year: int | None = None,
                         earliest: int | Mapping[str, int] = EARLIEST_YEAR) -> pd.DataFrame:
    """Compute phrase rates and shares of documents mentioning them, every document's year imputed.

    :func:`phrases.phrase_rates` runs on each of ``m`` draws of the years
    (:func:`draw_years`); within each draw documents are bootstrapped within each
    group (``ceil(n_boot / m)`` replicates), and the replicates of all draws are
    pooled into one percentile interval (nested bootstrap: see the module doc for why
    not Rubin's rules here).

    Parameters
    ----------
    counts, docs, level, weighting, ci, include_duplicates, include_off_topic, min_docs_ci, lexicon, text_col
        As in :func:`phrases.phrase_rates`; ``docs`` needs the dating columns.
    by : {"year", "fyp_period"}, default "year"
        Groups follow from the imputed year.
    m : int, default :data:`DEFAULT_M`
        Imputations (ignored when ``draws`` is given).
    n_boot : int, default 1000
        Bootstrap replicates in all, spread over the imputations.
    seed : int, default 0
        Seeds the draws (``seed``) and the bootstrap (``[seed, 1]``).
    draws : DataFrame, optional
        Years drawn by :func:`draw_years` (to share one set of draws between analyses).
    use_text : bool, default True
        Place undated documents also by their counts of the analysed phrases
        (:func:`draw_years` with ``outcome``): the imputation model then contains the
        quantity analysed, which keeps trends from flattening. False: the dating
        evidence alone.
    min_share_draws : float, default 0.5
        Leave out groups (years) that hold a document in fewer than this share of the
        draws: a year only a stray draw reaches has no estimate worth drawing (logged).
    prior, prior_floor, collection_year, earliest
        As in :func:`year_distribution`.

    Returns
    -------
    DataFrame
        The columns of :func:`phrases.phrase_rates` (``n_docs`` is the mean over all
        draws, counting a draw without the group as 0; ``n_chars`` and ``count`` are
        means over the draws that have the group) plus ``n_docs_dated`` (point-dated documents
        in the group), ``share_draws`` (share of the draws in which the group has any
        document), ``rate_mc_error`` and ``prevalence_mc_error`` (Monte-Carlo standard
        errors of the estimates). ``attrs``: ``params`` (with M, seeds, prior, closing
        rule), ``mc_error_share`` (median Monte-Carlo error / interval width of the
        rates), ``filter_log``, ``lexicons``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_phrases
    >>> from bureau_rhetoric.imputation import phrase_rates_imputed
    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "year": [2015, 2016, 2016, None],
    ...     "year_lo": [2015, 2016, 2016, 2015], "year_hi": [2015, 2016, 2016, 2016],
    ...     "text": ["推进大众创业万众创新" * 2, "推进双创", "建设众创空间", "推进双创工作"]})
    >>> r = phrase_rates_imputed(count_phrases(docs), docs, level="family", m=10, n_boot=200, seed=1)
    >>> r = r[r.key == "大众创业、万众创新"]
    >>> r["year"].tolist(), r["n_docs_dated"].tolist(), r["share_draws"].tolist()
    ([2015, 2016], [1, 2], [1.0, 1.0])
    >>> bool((r["n_docs"] > r["n_docs_dated"]).all())
    True
    """
    if weighting not in ("length", "equal"):
        raise ValueError(f"weighting must be 'length' or 'equal', got {weighting!r}")
    if level not in ("phrase", "family", "category"):
        raise ValueError(f"level must be 'phrase', 'family' or 'category', got {level!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci}")
    if n_boot < 0:
        raise ValueError(f"n_boot must be >= 0, got {n_boot}")
    lex = _ph.read_phrases(lexicon)
    kept = _ph.select_docs(docs, include_duplicates=include_duplicates, include_off_topic=include_off_topic)
    log = list(kept.attrs["filter_log"])
    L = _ph._doc_chars(kept, text_col)
    bad = np.isnan(L)
    if bad.any():
        log.append(f"dropped {int(bad.sum())} of {len(kept)} documents with no text")
        kept, L = kept[~bad], L[~bad]
    keys, labels, glosses, C = _ph._phrase_matrix(counts, kept, level, lex)
    ids = kept["doc_id"].astype(str).to_numpy()
    outcome = pd.DataFrame(C, index=pd.Index(ids, name="doc_id")) if use_text else None
    draws = _prepare_draws(kept, draws, m, seed, prior, prior_floor, collection_year, earliest, outcome,
                           "counts", text_col)
    M = draws.shape[1]
    G = _grouping(draws, ids, by)
    dated = kept["year"].notna().to_numpy()
    dated_group = (kept["year"].astype("Int64").to_numpy(dtype=float, na_value=np.nan) if by == "year" else
                   np.array([fyp_period(y) for y in kept["year"]], dtype=object))
    b_per = int(math.ceil(n_boot / M)) if n_boot > 0 else 0
    rng = np.random.default_rng([int(seed), 1])
    acc: dict = {}
    for j in range(M):
        g_j = G[:, j]
        for g in _sorted_levels(pd.unique(g_j), by):
            idx = np.flatnonzero(g_j == g)
            Cg, Lg = C[idx], L[idx]
            rate, prev = _ph._boot_stats(Cg, Lg, None, weighting)
            a = acc.setdefault(g, {"rate": [], "prev": [], "brate": [], "bprev": [], "n": [], "chars": [],
                                   "count": []})
            a["rate"].append(rate), a["prev"].append(prev)
            a["n"].append(len(idx)), a["chars"].append(Lg.sum()), a["count"].append(Cg.sum(0))
            if b_per > 0 and len(idx) >= min_docs_ci:
                W = rng.multinomial(len(idx), np.full(len(idx), 1 / len(idx)), size=b_per).astype(float)
                br, bp = _ph._boot_stats(Cg, Lg, W, weighting)
                a["brate"].append(br), a["bprev"].append(bp)
    alpha = (1 - ci) / 2
    frames, shares = [], []
    rare = [g for g in acc if len(acc[g]["rate"]) / M < min_share_draws]
    if rare:
        log.append(f"left out {len(rare)} {by} value(s) that hold a document in fewer than {min_share_draws:.0%} "
                   f"of the {M} draws (e.g. {_sorted_levels(rare, by)[0]})")
    for g in _sorted_levels([g for g in acc if g not in rare], by):
        a = acc[g]
        rate, prev = np.mean(a["rate"], axis=0), np.mean(a["prev"], axis=0)
        nan = np.full(len(keys), np.nan)
        if a["brate"]:
            lo, hi = np.quantile(np.vstack(a["brate"]), [alpha, 1 - alpha], axis=0)
            plo, phi = np.quantile(np.vstack(a["bprev"]), [alpha, 1 - alpha], axis=0)
        else:
            lo = hi = plo = phi = nan
        rmc, share = _mc_share(a["rate"], hi - lo)
        pmc, _ = _mc_share(a["prev"], phi - plo)
        shares.append(share)
        n_dated = int(((dated_group == g) & dated).sum())
        frames.append(pd.DataFrame({
            by: g, "key": keys, "label": [labels[k] for k in keys], "gloss_en": [glosses[k] for k in keys],
            "n_docs": round(float(np.sum(a["n"]) / M), 2), "n_docs_dated": n_dated,
            "n_chars": round(float(np.mean(a["chars"])), 1), "count": np.round(np.mean(a["count"], axis=0), 2),
            "rate": rate, "rate_lo": lo, "rate_hi": hi, "prevalence": prev, "prevalence_lo": plo,
            "prevalence_hi": phi, "share_draws": len(a["rate"]) / M, "rate_mc_error": rmc,
            "prevalence_mc_error": pmc}))
    cols = [by, "key", "label", "gloss_en", "n_docs", "n_docs_dated", "n_chars", "count", "rate", "rate_lo",
            "rate_hi", "prevalence", "prevalence_lo", "prevalence_hi", "share_draws", "rate_mc_error",
            "prevalence_mc_error"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    if by == "year" and len(out):
        out["year"] = out["year"].astype("int64")
    width = (out["rate_hi"] - out["rate_lo"]).to_numpy(dtype=float) if len(out) else np.array([])
    mc = out["rate_mc_error"].to_numpy(dtype=float) if len(out) else np.array([])
    ok = np.isfinite(width) & (width > 0) & np.isfinite(mc)
    out.attrs["lexicons"] = {**counts.attrs.get("lexicons", {}), **lex.attrs["lexicons"]}
    out.attrs["filter_log"] = log
    out.attrs["mc_error_share"] = float(np.median(mc[ok] / width[ok])) if ok.any() else float("nan")
    out.attrs["params"] = {"by": by, "level": level, "weighting": weighting, "n_boot": n_boot,
                           "n_boot_per_imputation": b_per, "ci": ci, "seed": seed,
                           "years_from": "imputed", "combine": "nested bootstrap (imputations x documents)",
                           "include_duplicates": include_duplicates, "include_off_topic": include_off_topic,
                           **imputation_params(draws)}
    return out


def share_mentioning_imputed(counts: pd.DataFrame, docs: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """Compute the share of documents mentioning each phrase by year or period, years imputed.

    A view of :func:`phrase_rates_imputed` (same arguments): the share is its
    ``prevalence``, with the same nested-bootstrap interval.

    Returns
    -------
    DataFrame
        ``by`` column, ``key``, ``label``, ``gloss_en``, ``n_docs``, ``n_docs_dated``,
        ``share``, ``share_lo``, ``share_hi``, ``share_mc_error``, ``share_draws``.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_phrases
    >>> from bureau_rhetoric.imputation import share_mentioning_imputed
    >>> docs = pd.DataFrame({"doc_id": list("abc"), "year": [2015, None, None],
    ...     "year_lo": [2015, 2015, 2015], "year_hi": [2015, 2015, 2015],
    ...     "text": ["推进双创", "开展科普活动", "推进双创工作"]})
    >>> s = share_mentioning_imputed(count_phrases(docs), docs, level="family", m=5, n_boot=50)
    >>> s.loc[s.key == "大众创业、万众创新", ["n_docs", "share"]].round(3).values.tolist()
    [[3.0, 0.667]]
    """
    r = phrase_rates_imputed(counts, docs, **kwargs)
    by = r.attrs["params"]["by"]
    out = r[[by, "key", "label", "gloss_en", "n_docs", "n_docs_dated", "prevalence", "prevalence_lo",
             "prevalence_hi", "prevalence_mc_error", "share_draws"]].rename(columns={
                 "prevalence": "share", "prevalence_lo": "share_lo", "prevalence_hi": "share_hi",
                 "prevalence_mc_error": "share_mc_error"})
    out.attrs = dict(r.attrs)
    return out


# --------------------------------------------------------------------------- keyness
def _as_values(v) -> list:
    return list(v) if isinstance(v, (list, tuple, set, range, np.ndarray, pd.Index)) else [v]


def keyness_imputed(toks_or_counts: pd.DataFrame, docs: pd.DataFrame, early, late, *, by: str = "year",
                    m: int = DEFAULT_M, seed: int = 0, ci: float = 0.95, min_freq: int = 5, min_docs: int = 2,
                    sort: str = "g2", include_duplicates: bool = False, include_off_topic: bool = False,
                    draws: pd.DataFrame | None = None, use_text: bool = True, max_text_features: int = 50,
                    prior: str = "corpus", prior_floor: float = 0.05, collection_year: int | None = None,
                    earliest: int | Mapping[str, int] = EARLIEST_YEAR) -> pd.DataFrame:
    """Find the terms key to one era against another with every document's year imputed.

    :func:`phrases.keyness` runs on each draw of the years (the eras are the
    documents whose drawn ``by`` value is in ``early`` / ``late``); the log ratio is
    combined by Rubin's rules (module doc), G² by its mean and the median p-value.

    Parameters
    ----------
    toks_or_counts : DataFrame
        As in :func:`phrases.keyness`.
    docs : DataFrame
        Dated corpus table (``doc_id``, dating columns, filter columns).
    early, late : value or list of values
        Values of ``by`` forming the two eras, e.g. ``range(1978, 2013)`` and
        ``range(2013, 2031)`` with ``by="year"``, or ``"十一五"`` with ``by="fyp_period"``.
    by : {"year", "fyp_period"}, default "year"
    m, seed, draws, use_text, prior, prior_floor, collection_year, earliest
        As in :func:`phrase_rates_imputed`.
    max_text_features : int, default 50
        With ``use_text``, the documents are placed by their counts of the this many
        most frequent terms (thousands of correlated words would make the likelihood
        slow and overconfident; the tempering then shrinks it anyway).
    ci : float, default 0.95
        Level of the log ratio's interval.
    min_freq, min_docs, sort
        As in :func:`phrases.keyness`, applied to the mean frequencies over the draws.

    Returns
    -------
    DataFrame
        The columns of :func:`phrases.keyness` (frequencies are means over the draws,
        ``g2`` the mean, ``p_value`` the median) plus ``log_ratio_se`` (Rubin's total
        standard error), ``log_ratio_lo``, ``log_ratio_hi`` and ``fmi`` (the fraction of
        missing information: how much of the variance comes from not knowing the years).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import keyness_imputed
    >>> toks = pd.DataFrame({"doc_id": list("abcd"), "tokens": [["自主创新"] * 6 + ["科技"] * 10,
    ...     ["自主创新"] * 4 + ["科技"] * 10, ["新质生产力"] * 8 + ["科技"] * 20, ["新质生产力"] * 3 + ["科技"] * 5]})
    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "year": [2008, 2009, 2023, None],
    ...     "year_lo": [2008, 2009, 2023, 2021], "year_hi": [2008, 2009, 2023, 2024]})
    >>> k = keyness_imputed(toks, docs, range(2000, 2013), range(2013, 2030), m=5, min_docs=1)
    >>> k[["term", "freq_b", "key_for"]].values.tolist()
    [['自主创新', 0.0, 'a'], ['新质生产力', 11.0, 'b'], ['科技', 25.0, 'b']]
    """
    from scipy import stats

    counts, _ = _ph._as_term_counts(toks_or_counts)
    kept = _ph.select_docs(docs, include_duplicates=include_duplicates, include_off_topic=include_off_topic)
    ids = kept["doc_id"].astype(str).to_numpy()
    outcome = None
    if use_text and draws is None:
        tc = counts[counts["doc_id"].isin(set(ids))]
        top = tc.groupby("term")["count"].sum().sort_values(ascending=False, kind="stable").index[:max_text_features]
        outcome = (tc[tc["term"].isin(top)].pivot_table(index="doc_id", columns="term", values="count",
                                                        aggfunc="sum", fill_value=0).reindex(ids, fill_value=0))
    if outcome is not None and "n_chars" not in kept.columns and "text" not in kept.columns:
        kept = kept.assign(n_chars=counts.groupby("doc_id")["count"].sum().reindex(ids, fill_value=0).to_numpy())
    draws = _prepare_draws(kept, draws, m, seed, prior, prior_floor, collection_year, earliest, outcome)
    M = draws.shape[1]
    G = _grouping(draws, ids, by)
    ev, lv = set(_as_values(early)), set(_as_values(late))
    if ev & lv:
        raise ValueError(f"early and late share values: {sorted(ev & lv, key=str)[:3]}")
    tabs = []
    for j in range(M):
        a = ids[np.isin(G[:, j], list(ev))]
        b = ids[np.isin(G[:, j], list(lv))]
        if not len(a) or not len(b):
            raise ValueError(f"imputation {j}: an era has no documents ({len(a)} early, {len(b)} late); "
                             "widen the eras or use by='fyp_period'")
        t = _ph.keyness(counts, a, b, min_freq=0, min_docs=0).set_index("term")
        na = counts.loc[counts["doc_id"].isin(set(a)), "count"].sum()
        nb = counts.loc[counts["doc_id"].isin(set(b)), "count"].sum()
        o1 = np.where(t["freq_a"] == 0, 0.5, t["freq_a"])
        o2 = np.where(t["freq_b"] == 0, 0.5, t["freq_b"])
        t["_var"] = (1 / o1 + 1 / o2) / math.log(2) ** 2
        t["_na"], t["_nb"] = float(na), float(nb)
        tabs.append(t)
    terms = sorted(set().union(*[t.index for t in tabs]))
    cols = ["freq_a", "freq_b", "docs_a", "docs_b", "g2", "p_value", "log_ratio", "_var", "per10k_a", "per10k_b"]
    arr = {c: np.vstack([t[c].reindex(terms).to_numpy(dtype=float) for t in tabs]) for c in cols}
    # a term absent from one era's documents in a draw: zero counts there (keyness keeps every term seen)
    for c in ("freq_a", "freq_b", "docs_a", "docs_b", "per10k_a", "per10k_b"):
        arr[c] = np.nan_to_num(arr[c])
    for j, t in enumerate(tabs):
        miss = ~np.isfinite(arr["log_ratio"][j])
        if miss.any():  # the term occurs in neither era in this draw: log ratio of 0.5 / 0.5
            arr["log_ratio"][j, miss] = np.log2((0.5 / t["_na"].iloc[0]) / (0.5 / t["_nb"].iloc[0]))
            arr["_var"][j, miss] = 4 / math.log(2) ** 2
            arr["g2"][j, miss], arr["p_value"][j, miss] = 0.0, 1.0
    q = arr["log_ratio"]
    qbar, ubar = q.mean(0), arr["_var"].mean(0)
    bvar = q.var(0, ddof=1) if M > 1 else np.zeros(len(terms))
    total = ubar + (1 + 1 / M) * bvar
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (1 + 1 / M) * bvar / ubar
        dfree = np.where(bvar > 0, (M - 1) * (1 + 1 / r) ** 2, np.inf)
        fmi = np.where(total > 0, (1 + 1 / M) * bvar / total, 0.0)
    tq = stats.t.ppf(1 - (1 - ci) / 2, np.minimum(dfree, 1e6))
    out = pd.DataFrame({"term": terms, "freq_a": arr["freq_a"].mean(0), "freq_b": arr["freq_b"].mean(0),
                        "docs_a": arr["docs_a"].mean(0), "docs_b": arr["docs_b"].mean(0),
                        "per10k_a": arr["per10k_a"].mean(0), "per10k_b": arr["per10k_b"].mean(0),
                        "g2": arr["g2"].mean(0), "p_value": np.median(arr["p_value"], axis=0),
                        "log_ratio": qbar, "log_ratio_se": np.sqrt(total),
                        "log_ratio_lo": qbar - tq * np.sqrt(total), "log_ratio_hi": qbar + tq * np.sqrt(total),
                        "fmi": fmi})
    out["key_for"] = np.where(out["log_ratio"] >= 0, "a", "b")
    out = out[(out.freq_a + out.freq_b >= min_freq) & (out.docs_a + out.docs_b >= min_docs)]
    if sort not in ("g2", "log_ratio"):
        raise ValueError(f"sort must be 'g2' or 'log_ratio', got {sort!r}")
    key = out["g2"] if sort == "g2" else out["log_ratio"].abs()
    out = out.assign(_k=key).sort_values(["_k", "term"], ascending=[False, True]).drop(columns="_k")
    out = out.reset_index(drop=True)
    out.attrs["params"] = {"by": by, "early": sorted(ev, key=str), "late": sorted(lv, key=str), "ci": ci,
                           "min_freq": min_freq, "min_docs": min_docs, "years_from": "imputed",
                           "combine": "Rubin's rules (log ratio); mean G², median p", **imputation_params(draws)}
    return out


# --------------------------------------------------------------------------- emerging terms
def emerging_terms_imputed(counts: pd.DataFrame, docs: pd.DataFrame, early, late, *, by: str = "fyp_period",
                           m: int = DEFAULT_M, n_boot: int = 1000, ci: float = 0.95, seed: int = 0,
                           weighting: str = "length", min_freq: int = 5, include_duplicates: bool = False,
                           include_off_topic: bool = False, text_col: str = "text",
                           draws: pd.DataFrame | None = None, use_text: bool = True, max_text_features: int = 50,
                           prior: str = "corpus", prior_floor: float = 0.05, collection_year: int | None = None,
                           earliest: int | Mapping[str, int] = EARLIEST_YEAR) -> pd.DataFrame:
    """Rank terms by the change of their rate between two eras, every document's year imputed.

    :func:`phrases.rank_emerging_terms` on each draw of the years, combined by the
    nested bootstrap (module doc). Terms are those reaching ``min_freq`` in the two
    eras in at least one draw.

    Parameters
    ----------
    counts, early, late, by, ci, weighting, min_freq, include_duplicates, include_off_topic, text_col
        As in :func:`phrases.rank_emerging_terms` (``by`` is "year" or "fyp_period").
    docs : DataFrame
        Dated corpus table.
    m, n_boot, seed, draws, use_text, prior, prior_floor, collection_year, earliest
        As in :func:`phrase_rates_imputed`.
    max_text_features : int, default 50
        As in :func:`keyness_imputed`.

    Returns
    -------
    DataFrame
        The columns of :func:`phrases.rank_emerging_terms` plus ``diff_mc_error``;
        ``attrs["n_docs"]`` holds the mean documents per era over the draws.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.phrases import count_phrases
    >>> from bureau_rhetoric.imputation import emerging_terms_imputed
    >>> docs = pd.DataFrame({"doc_id": list("abcdefg"),
    ...     "year": [2007, 2008, 2009, 2016, 2017, 2018, None],
    ...     "year_lo": [2007, 2008, 2009, 2016, 2017, 2018, 2015], "year_hi": [2007, 2008, 2009, 2016, 2017, 2018, 2019],
    ...     "text": ["落实科学发展观", "提高自主创新能力", "落实科学发展观，自主创新",
    ...              "推进大众创业万众创新", "自主创新", "推进双创和自主创新", "推进双创"]})
    >>> r = emerging_terms_imputed(count_phrases(docs), docs, "十一五", "十三五", m=5, n_boot=200, min_freq=1)
    >>> row = r.set_index("term").loc["scientific_outlook"]
    >>> float(round(row["rate_early"], 1)), float(row["rate_late"])
    (740.7, 0.0)
    """
    if weighting not in ("length", "equal"):
        raise ValueError(f"weighting must be 'length' or 'equal', got {weighting!r}")
    term_counts, _ = _ph._as_term_counts(counts)
    kept = _ph.select_docs(docs, include_duplicates=include_duplicates, include_off_topic=include_off_topic)
    L_all = _ph._doc_chars(kept, text_col)
    kept, L_all = kept[~np.isnan(L_all)], L_all[~np.isnan(L_all)]
    ids = kept["doc_id"].astype(str).to_numpy()
    outcome = None
    if use_text and draws is None:
        tc0 = term_counts[term_counts["doc_id"].isin(set(ids))]
        top = tc0.groupby("term")["count"].sum().sort_values(ascending=False, kind="stable").index[:max_text_features]
        outcome = _top_features(_ph._term_matrix(tc0, ids, {t: i for i, t in enumerate(top)}), ids, len(top))
    draws = _prepare_draws(kept, draws, m, seed, prior, prior_floor, collection_year, earliest, outcome,
                           "counts", text_col)
    M = draws.shape[1]
    G = _grouping(draws, ids, by)
    ev, lv = _as_values(early), _as_values(late)
    sels = []
    terms_set: set = set()
    for j in range(M):
        se, sl = np.isin(G[:, j], ev), np.isin(G[:, j], lv)
        if not se.any() or not sl.any():
            raise ValueError(f"imputation {j}: no documents in the {'early' if not se.any() else 'late'} era "
                             f"({by} in {ev if not se.any() else lv})")
        sels.append((se, sl))
        tc = term_counts[term_counts["doc_id"].isin(set(ids[se | sl]))]
        tot = tc.groupby("term")["count"].sum()
        terms_set |= set(tot[tot >= min_freq].index)
    terms = sorted(terms_set)
    tpos = {t: i for i, t in enumerate(terms)}
    tc = term_counts[term_counts["term"].isin(tpos)]
    C_all = _ph._term_matrix(tc, ids, tpos)
    b_per = max(1, int(math.ceil(n_boot / M)))
    rng = np.random.default_rng([int(seed), 1])
    pts = {"early": [], "late": []}
    bdiffs, n_docs, floors = [], {"early": [], "late": []}, []
    for se, sl in sels:
        boots = {}
        for name, s in (("early", se), ("late", sl)):
            C, L = C_all[s], L_all[s]
            rate, _ = _ph._boot_stats(C, L, None, weighting)
            n = len(C)
            W = rng.multinomial(n, np.full(n, 1 / n), size=b_per).astype(float)
            boots[name], _ = _ph._boot_stats(C, L, W, weighting)
            pts[name].append(rate)
            n_docs[name].append(n)
        bdiffs.append(boots["late"] - boots["early"])
        floors.append(0.5 / max(L_all[se].sum(), L_all[sl].sum()) * _ph._PER)
    re_, rl = np.mean(pts["early"], axis=0), np.mean(pts["late"], axis=0)
    out = _ph._emerging_frame(terms, re_, rl, np.vstack(bdiffs), ci, float(np.mean(floors)))
    d_draws = [b - a for a, b in zip(pts["early"], pts["late"])]
    mc, _ = _mc_share(d_draws, np.ones(len(terms))) if len(terms) else (np.array([]), None)
    out["diff_mc_error"] = out["term"].map(dict(zip(terms, mc)))
    w = (out["diff_hi"] - out["diff_lo"]).to_numpy(dtype=float)
    ok = np.isfinite(w) & (w > 0)
    out.attrs["mc_error_share"] = float(np.median(out["diff_mc_error"].to_numpy()[ok] / w[ok])) if ok.any() else float("nan")
    out.attrs["n_docs"] = {k: round(float(np.mean(v)), 2) for k, v in n_docs.items()}
    out.attrs["lexicons"] = dict(counts.attrs.get("lexicons", {}))
    out.attrs["params"] = {"by": by, "early": ev, "late": lv, "n_boot": n_boot, "n_boot_per_imputation": b_per,
                           "ci": ci, "seed": seed, "weighting": weighting, "min_freq": min_freq,
                           "years_from": "imputed", "combine": "nested bootstrap (imputations x documents)",
                           **imputation_params(draws)}
    return out


# --------------------------------------------------------------------------- topic prevalence
def _doc_topic_shares(model) -> pd.DataFrame:
    """Each document's expected topic shares (posterior means, paragraphs aggregated by tokens)."""
    from .topics import _aggregate_to_docs

    gamma = np.asarray(model.gamma_, dtype=float)
    ids, agg = _aggregate_to_docs(model.units_.reset_index(drop=True), gamma / gamma.sum(axis=1, keepdims=True))
    return pd.DataFrame(agg, index=pd.Index(ids, name="doc_id"))


def topic_prevalence_imputed(model, meta: pd.DataFrame, *, by: str = "year", time: str = "categorical",
                             df: int = 4, m: int = DEFAULT_M, nsims: int = 100, ci: float = 0.95, seed: int = 0,
                             draws: pd.DataFrame | None = None, use_text: bool = True,
                             min_share_draws: float = 0.5, prior: str = "corpus",
                             prior_floor: float = 0.05, collection_year: int | None = None,
                             earliest: int | Mapping[str, int] = EARLIEST_YEAR,
                             scale: str = "logit") -> pd.DataFrame:
    """Estimate topic shares over time with every document's year imputed.

    :func:`topics.topic_prevalence` (method of composition) runs on each of ``m``
    draws of the years with ``ceil(nsims / m)`` simulations each; the simulations of
    all draws are pooled (the composition extended by one more level: year, then
    topic proportions, then coefficients), estimates are their mean and intervals
    their quantiles.

    Parameters
    ----------
    model : TopicModel
        Fitted.
    meta : DataFrame
        ``doc_id`` and the dating columns (``year``, ``year_lo``, ``year_hi``).
    by : {"year", "fyp_period"}, default "year"
    time, df, ci, scale
        As in :func:`topics.topic_prevalence` (``df="auto"`` is chosen again in every imputation;
        pass the df chosen on the dated documents to keep one).
    m, seed, draws, prior, prior_floor, collection_year, earliest
        As in :func:`phrase_rates_imputed`.
    use_text : bool, default True
        Place undated documents also by their topic shares (:func:`topics.document_topics`,
        Dirichlet likelihood in :func:`draw_years`).
    min_share_draws : float, default 0.5
        As in :func:`phrase_rates_imputed` (categorical time: also, a level that a draw
        gives a single document sits out that draw, counted in
        ``attrs["n_lone_documents"]``; a spline is reported from
        the first to the last year that holds half a document on average, not out into
        years only stray draws reach).
    nsims : int, default 100
        Simulations in all, spread over the imputations (at least one each).

    Returns
    -------
    DataFrame
        ``topic``, ``<by>``, ``estimate``, ``lo``, ``hi``, ``n_docs`` (mean over draws),
        ``share_draws``, ``mc_error``, ``method``. ``attrs``: ``params``, ``mc_error_share``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bureau_rhetoric.topics import TopicModel
    >>> from bureau_rhetoric.imputation import topic_prevalence_imputed
    >>> m = TopicModel(2); m.lda_ = None
    >>> m.units_ = pd.DataFrame({"doc_id": list("abcdefg"), "para_id": 0, "n_tokens": 50})
    >>> m.gamma_ = np.array([[40., 10], [38, 12], [42, 8], [10, 40], [12, 38], [9, 41], [11, 39]])
    >>> meta = pd.DataFrame({"doc_id": list("abcdefg"), "year": [2007, 2008, 2009, 2016, 2017, 2018, None],
    ...     "year_lo": [2007, 2008, 2009, 2016, 2017, 2018, 2016], "year_hi": [2007, 2008, 2009, 2016, 2017, 2018, 2019]})
    >>> prev = topic_prevalence_imputed(m, meta, by="fyp_period", m=5, nsims=50, seed=1)
    >>> prev[prev.topic == 1][["fyp_period", "n_docs"]].values.tolist()
    [['十一五', 3.0], ['十三五', 4.0]]
    """
    from .topics import _prevalence_draws

    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    if "doc_id" not in meta.columns:
        raise ValueError(f"meta needs a doc_id column (has {list(meta.columns)})")
    ids = meta["doc_id"].astype(str).to_numpy()
    outcome = None
    if use_text and draws is None:
        dt = _doc_topic_shares(model)
        outcome = dt.reindex(ids)
    draws = _prepare_draws(meta, draws, m, seed, prior, prior_floor, collection_year, earliest, outcome, "shares")
    M = draws.shape[1]
    G = _grouping(draws, ids, by)
    per = max(1, int(math.ceil(nsims / M)))
    n_lone = 0
    pooled: dict = {}
    means: dict = {}
    n_at: dict = {}
    method = ""
    for j in range(M):
        mj = pd.DataFrame({"doc_id": ids, by: G[:, j]})
        if by == "year":
            mj[by] = mj[by].astype("int64")
        if time == "categorical":
            # a level a draw gives one document has no estimate of its own, and in the pooled
            # dispersion of the topic model it would widen every other level's interval: it sits out
            # that draw (with categories, no other level's estimate depends on its document)
            size = mj[by].map(mj[by].value_counts())
            lone = (size < 2).to_numpy()
            n_lone += int(lone.sum())
            mj[by] = mj[by].astype(object).where(~lone, None)
        levels, dr, nat, method, _ = _prevalence_draws(model, mj, by=by, time=time, df=df, nsims=per,
                                                        min_confidence=None, seed=int(seed) * 100003 + j,
                                                        scale=scale)
        for i, lev in enumerate(levels):
            pooled.setdefault(lev, []).append(dr[:, i, :])
            means.setdefault(lev, []).append(dr[:, i, :].mean(axis=0))
            n_at.setdefault(lev, []).append(nat[i])
    a = (1 - ci) / 2
    rows = []
    levels = _sorted_levels(pooled, by)
    if time == "categorical":
        rare = [lv for lv in levels if len(pooled[lv]) / M < min_share_draws]
    else:  # a spline: only between the first and last year holding half a document on average
        held = [lv for lv in levels if np.sum(n_at[lv]) / M >= 0.5]
        rare = [lv for lv in levels if not held or lv < held[0] or lv > held[-1]]
    levels = [lv for lv in levels if lv not in rare]
    K = None
    mc_all, width_all = [], []
    for lev in levels:
        D = np.vstack(pooled[lev])
        K = D.shape[1]
        est, lo, hi = D.mean(axis=0), np.quantile(D, a, axis=0), np.quantile(D, 1 - a, axis=0)
        mc, _ = _mc_share(means[lev], hi - lo)
        mc_all.append(mc), width_all.append(hi - lo)
        for k in range(K):
            rows.append((k + 1, lev, est[k], lo[k], hi[k], round(float(np.sum(n_at[lev]) / M), 2),
                         len(pooled[lev]) / M, mc[k]))
    out = pd.DataFrame(rows, columns=["topic", by, "estimate", "lo", "hi", "n_docs", "share_draws", "mc_error"])
    out = out.sort_values(["topic"], kind="stable").reset_index(drop=True)
    out["method"] = f"{method.split(',')[0]}, years imputed (M={M}), {per * M} simulations pooled"
    mc, w = np.concatenate(mc_all) if mc_all else np.array([]), np.concatenate(width_all) if width_all else np.array([])
    ok = np.isfinite(mc) & np.isfinite(w) & (w > 0)
    out.attrs = {"nsims": per * M, "ci": ci, "seed": seed, "by": by, "time": time, "n_levels_left_out": len(rare),
                 "n_lone_documents": n_lone,
                 "mc_error_share": float(np.median(mc[ok] / w[ok])) if ok.any() else float("nan"),
                 "params": {"by": by, "time": time, "df": df, "nsims": nsims, "nsims_per_imputation": per,
                            "years_from": "imputed", "combine": "pooled simulations (imputations x posterior)",
                            **imputation_params(draws)}}
    return out


def compare_estimates(dated: pd.DataFrame, imputed: pd.DataFrame, *, value: str | None = None) -> pd.DataFrame:
    """Set the dated-only and the imputed estimates side by side and flag where they differ.

    Parameters
    ----------
    dated, imputed : DataFrame
        The same analysis on point-dated documents and with imputed years: two
        ``phrases.phrase_rates`` / :func:`phrase_rates_imputed` tables (``key`` + time
        column) or two ``topics.topic_prevalence`` / :func:`topic_prevalence_imputed`
        tables (``topic`` + time column).
    value : str, optional
        ``"rate"`` or ``"prevalence"`` for phrase tables (default ``"rate"``); topic
        tables use ``estimate``.

    Returns
    -------
    DataFrame
        The id columns, ``n_dated``, ``n_all``, ``dated``, ``dated_lo``, ``dated_hi``,
        ``imputed``, ``imputed_lo``, ``imputed_hi`` and ``differ``: True where one
        estimate lies outside the other's interval (or only one of them exists), the
        rows a reader should look at twice.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import compare_estimates
    >>> d = pd.DataFrame({"year": [2015, 2016], "key": "x", "n_docs": [3, 1], "rate": [2.0, 9.0],
    ...                   "rate_lo": [1.0, None], "rate_hi": [3.0, None]})
    >>> i = pd.DataFrame({"year": [2015, 2016, 2017], "key": "x", "n_docs": [4.0, 3.0, 2.0],
    ...                   "rate": [2.2, 3.0, 2.5], "rate_lo": [1.5, 2.0, 1.0], "rate_hi": [3.1, 4.0, 4.0]})
    >>> compare_estimates(d, i)[["year", "dated", "imputed", "differ"]].values.tolist()
    [[2015, 2.0, 2.2, False], [2016, 9.0, 3.0, True], [2017, nan, 2.5, True]]
    """
    if "key" in dated.columns:
        v = value or "rate"
        ident, lo, hi = "key", f"{v}_lo", f"{v}_hi"
    elif "topic" in dated.columns:
        v, ident, lo, hi = "estimate", "topic", "lo", "hi"
    else:
        raise ValueError(f"expected a phrase-rate table (key) or a topic-prevalence table (topic), got "
                         f"{list(dated.columns)}")
    skip = {ident, v, lo, hi, "n_docs", "method", "label", "gloss_en", "n_chars", "count", "rate", "rate_lo",
            "rate_hi", "prevalence", "prevalence_lo", "prevalence_hi", "estimate", "n_docs_dated", "share_draws",
            "rate_mc_error", "prevalence_mc_error", "mc_error"}
    by = [c for c in dated.columns if c not in skip][0]
    a = dated[[by, ident, "n_docs", v, lo, hi]].rename(columns={"n_docs": "n_dated", v: "dated", lo: "dated_lo",
                                                                hi: "dated_hi"})
    b = imputed[[by, ident, "n_docs", v, lo, hi]].rename(columns={"n_docs": "n_all", v: "imputed",
                                                                  lo: "imputed_lo", hi: "imputed_hi"})
    out = b.merge(a, on=[by, ident], how="outer")
    order = _sorted_levels(pd.unique(out[by]), by if by == "year" else "fyp_period")
    out["_o"] = out[by].map({lv: i for i, lv in enumerate(order)})
    out = out.sort_values([ident, "_o"], kind="stable").drop(columns="_o").reset_index(drop=True)
    d, i = out["dated"].to_numpy(float), out["imputed"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        outside = (((d < out["imputed_lo"]) | (d > out["imputed_hi"])).to_numpy()
                   | ((i < out["dated_lo"]) | (i > out["dated_hi"])).to_numpy())
    out["differ"] = outside | (np.isfinite(d) != np.isfinite(i))
    cols = [by, ident, "n_dated", "n_all", "dated", "dated_lo", "dated_hi", "imputed", "imputed_lo", "imputed_hi",
            "differ"]
    return out[cols]


def describe_imputation(docs: pd.DataFrame, draws) -> str:
    """Say in a few lines what the imputation rests on: documents by dating, the closing rule, M, the model.

    ``draws`` is a :func:`draw_years` table or the ``attrs["params"]`` of an imputed table.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.imputation import describe_imputation, draw_years
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2015, None, None],
    ...     "year_lo": [2015, 2012, None], "year_hi": [2015, 2016, None]})
    >>> print(describe_imputation(docs, draw_years(docs, m=5, collection_year=2020)))
    3 documents: 1 with a point year, 1 with an evidence interval, 1 with no dating evidence.
    Open bounds closed: open lower bound -> earliest plausible year (1978); open upper bound -> collection year 2020 (given).
    M = 5 imputations (seed 0); years spread by corpus (Turnbull), floor 0.05; placed by the dating evidence alone.
    """
    point = docs["year"].notna()
    none = docs["year"].isna() & docs["year_lo"].isna() & docs["year_hi"].isna()
    a = imputation_params(draws) if isinstance(draws, pd.DataFrame) else dict(draws)
    return (f"{len(docs)} documents: {int(point.sum())} with a point year, {int((~point & ~none).sum())} with an "
            f"evidence interval, {int(none.sum())} with no dating evidence.\n"
            f"Open bounds closed: {a.get('closing_rule', '')}.\n"
            f"M = {a.get('m_imputations')} imputations (seed {a.get('seed_imputation')}); years spread by "
            f"{a.get('prior')}; placed by {a.get('imputation_model')}.")
