"""Topic models of the reports: gensim LDA with honest diagnostics, labels and trends.

The analysis follows R's ``stm`` workflow, with gensim's ``LdaModel`` as the engine:

* :func:`build_bow` turns a token table (``tokens.tokenize_docs``) into a gensim
  dictionary and bag-of-words corpus. Every ``filter_extremes`` argument is given
  explicitly, and what was removed (terms and emptied units) is returned and logged.
* :class:`TopicModel` wraps ``gensim.models.LdaModel`` in the scikit-learn manner:
  settings in the constructor, work in ``fit``, learned attributes end in ``_``.
  It is single-process and bit-reproducible for a given seed. ``LdaMulticore`` is
  not used: its workers update the model in whatever order they finish, so two runs
  with one seed differ (gensim PR #2953); we parallelise across (K, seed) instead.
* :func:`select_topics` is ``searchK``: for each (K, seed) it reports c_v and NPMI
  coherence, held-out perplexity (document completion, as ``searchK``: half the
  tokens of a fixed 10 % of units are held out of the fit and predicted from the
  topic mix learnt on the other half), exclusivity and stability across seeds
  (Hungarian matching of topic-word distributions). Fits run in worker processes;
  the table is identical to a serial run.
* :func:`align_topics` / :func:`topic_stability` match topics between runs.
* :func:`label_topics` gives top words by probability and by FREX (``stm``'s
  ``calcfrex``, weight 0.5); :func:`find_passages` gives representative documents
  and paragraphs; :func:`write_label_template` / :func:`read_labels` manage an
  editable CSV of short Chinese and English labels used by the figures.
* :func:`topic_prevalence` is ``estimateEffect`` by the method of composition:
  document-topic proportions are drawn from the variational posterior
  (Dirichlet(gamma)), regressed on time (year or Five-Year-Plan period as
  categories, or a B-spline of the year), and coefficients drawn from their
  sampling distribution; the intervals carry both sources of uncertainty.
* :func:`fit_dynamic_topics` fits gensim's ``LdaSeqModel`` over periods on a
  bounded vocabulary, started from a static model so that topic numbers agree.
* :func:`write_ldavis` writes a pyLDAvis page with d3 and LDAvis inlined (offline).

Units. ``unit="paragraph"`` fits LDA on paragraphs (the reports are few and long,
and one report covers many themes); everything reported per document aggregates
the paragraphs of a document weighted by their token counts, which is the share
of the document's (kept) tokens expected to come from each topic. Topic ids in
every table are 1-based (``topic`` 1..K), as in ``stm``.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric.topics import build_bow, TopicModel
>>> toks = pd.DataFrame({"doc_id": ["a", "b", "c"], "para_id": [0, 0, 0], "tokens": [
...     ["科技", "创新", "企业", "创新", "孵化器"],
...     ["廉政", "党风", "监督", "廉政", "科技"],
...     ["创新", "企业", "孵化器", "廉政", "监督"]]})
>>> corpus = build_bow(toks, no_below=1, no_above=1.0, keep_n=100)
>>> model = TopicModel(2, passes=5, seed=1).fit(corpus)
>>> model.topic_word_.shape, model.gamma_.shape
((2, 7), (3, 2))
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing as mp
import os
import time
import warnings
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

__all__ = [
    "BowCorpus",
    "TopicModel",
    "TopicSelection",
    "DynamicTopics",
    "filter_docs",
    "build_bow",
    "fit_topics",
    "sample_units",
    "select_topics",
    "align_topics",
    "topic_stability",
    "topic_similarity",
    "label_topics",
    "frex_scores",
    "document_topics",
    "find_passages",
    "topic_spread",
    "write_label_template",
    "read_labels",
    "resolve_labels",
    "topic_prevalence",
    "fit_dynamic_topics",
    "topic_words_by_period",
    "write_ldavis",
    "DEFAULT_NO_BELOW",
    "DEFAULT_NO_ABOVE",
    "DEFAULT_KEEP_N",
    "DEFAULT_MIN_TOKENS",
]

#: Dictionary filtering used by the convenience functions (passed explicitly to gensim).
DEFAULT_NO_BELOW = 3
DEFAULT_NO_ABOVE = 0.5
DEFAULT_KEEP_N = 5000
#: Units (paragraphs/documents) with fewer kept tokens than this are dropped (and reported).
DEFAULT_MIN_TOKENS = 5

_CONFIDENCE_ORDER = {"none": 0, "low": 1, "medium": 2, "high": 3}
_UNITS = ("document", "paragraph")


# --------------------------------------------------------------------------- documents
def filter_docs(docs: pd.DataFrame, *, include_duplicates: bool = False,
                include_off_topic: bool = False) -> pd.DataFrame:
    """Drop duplicate and off-topic documents from a corpus table, saying which.

    Parameters
    ----------
    docs : DataFrame
        Corpus table (``corpus.parquet``); ``duplicate_of`` and ``on_topic`` are
        used when present.
    include_duplicates : bool, default False
        Keep rows whose ``duplicate_of`` is set.
    include_off_topic : bool, default False
        Keep rows whose ``on_topic`` is False.

    Returns
    -------
    DataFrame
        The kept rows, in input order. ``attrs["removed"]`` maps each dropped
        ``doc_id`` to the reason (a plain dict, so that ``pd.concat`` still works).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.topics import filter_docs
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["科技创新", "科技创新", "天气预报"],
    ...                      "duplicate_of": [None, "a", None], "on_topic": [True, True, False]})
    >>> kept = filter_docs(docs)
    >>> kept["doc_id"].tolist(), kept.attrs["removed"]
    (['a'], {'b': 'duplicate of a', 'c': 'off-topic'})
    """
    keep = pd.Series(True, index=docs.index)
    reasons = pd.Series("", index=docs.index, dtype=object)
    if not include_duplicates and "duplicate_of" in docs.columns:
        dup = docs["duplicate_of"].notna()
        reasons[dup] = "duplicate of " + docs.loc[dup, "duplicate_of"].astype(str)
        keep &= ~dup
    if not include_off_topic and "on_topic" in docs.columns:
        off = ~docs["on_topic"].fillna(True).astype(bool)
        reasons[off & keep] = "off-topic"
        keep &= ~off
    out = docs.loc[keep].copy()
    removed = pd.DataFrame({"doc_id": docs.loc[~keep, "doc_id"].astype(str).tolist(),
                            "reason": reasons[~keep].tolist()})
    if len(removed):
        logger.info("filter_docs: removed %d of %d documents (%s)", len(removed), len(docs),
                    ", ".join(f"{d}: {r}" for d, r in zip(removed["doc_id"], removed["reason"])))
    out.attrs = {"removed": dict(zip(removed["doc_id"], removed["reason"]))}
    return out


# --------------------------------------------------------------------------- bag of words
class BowCorpus(NamedTuple):
    """A dictionary, its bag-of-words corpus and the units behind each row.

    Attributes
    ----------
    dct : gensim.corpora.Dictionary
        Filtered and compacted; ``bow`` ids index it.
    bow : list of list of (int, int)
        One bag of words per kept unit.
    units : DataFrame
        ``doc_id``, ``para_id``, ``n_tokens`` (kept tokens), row-aligned with ``bow``.
    removed : DataFrame
        What was removed: ``kind`` ("term"/"unit"), ``item``, ``reason``,
        ``n_units`` (document frequency for terms), ``n_tokens``.
    summary : dict
        Counts before and after, the filter settings and a one-line message.
    """

    dct: Any
    bow: list
    units: pd.DataFrame
    removed: pd.DataFrame
    summary: dict


def _check_toks(toks: pd.DataFrame) -> None:
    for col in ("doc_id", "tokens"):
        if col not in toks.columns:
            raise ValueError(f"token table has no column {col!r} (columns: {list(toks.columns)}); "
                             "make it with bureau_rhetoric.tokens.tokenize_docs")


def build_bow(toks: pd.DataFrame, *, no_below: int, no_above: float, keep_n: int | None,
              keep_tokens: Iterable[str] | None = None, min_tokens: int = 1) -> BowCorpus:
    """Build a filtered gensim dictionary and bag-of-words corpus from a token table.

    Parameters
    ----------
    toks : DataFrame
        ``doc_id``, ``para_id`` (optional, default 0), ``tokens`` (list of str),
        as returned by ``tokens.tokenize_docs``. One row is one unit.
    no_below : int
        Drop terms found in fewer than this many units (gensim ``no_below``).
    no_above : float
        Drop terms found in more than this fraction of units (gensim ``no_above``).
    keep_n : int or None
        Then keep only this many most frequent terms (by unit frequency); None keeps all.
    keep_tokens : iterable of str, optional
        Terms kept whatever their frequency (gensim ``keep_tokens``).
    min_tokens : int, default 1
        Units left with fewer kept tokens are dropped (and reported), as stm's
        ``prepDocuments`` drops emptied documents.

    Returns
    -------
    BowCorpus
        ``(dct, bow, units, removed, summary)``; the message in
        ``summary["message"]`` is also logged.

    Raises
    ------
    ValueError
        On missing columns, bad settings, or when nothing is left.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.topics import build_bow
    >>> toks = pd.DataFrame({"doc_id": ["a", "b", "c"], "tokens": [
    ...     ["科技", "创新", "企业"], ["科技", "创新", "廉政"], ["科技", "监督"]]})
    >>> dct, bow, units, removed, summary = build_bow(toks, no_below=2, no_above=0.9, keep_n=None)
    >>> sorted(dct.token2id), units["doc_id"].tolist()
    (['创新'], ['a', 'b'])
    >>> removed[["kind", "item", "reason"]].values.tolist()[:2]
    [['term', '科技', 'in more than 90% of units'], ['term', '企业', 'in fewer than 2 units']]
    """
    from gensim.corpora import Dictionary

    _check_toks(toks)
    if int(no_below) < 1:
        raise ValueError(f"no_below must be >= 1, got {no_below}")
    if not 0 < float(no_above) <= 1:
        raise ValueError(f"no_above must be in (0, 1], got {no_above}")
    if keep_n is not None and int(keep_n) < 1:
        raise ValueError(f"keep_n must be >= 1 or None, got {keep_n}")
    if int(min_tokens) < 1:
        raise ValueError(f"min_tokens must be >= 1, got {min_tokens}")
    doc_ids = toks["doc_id"].astype(str).tolist()
    para_ids = (toks["para_id"].astype("int64").tolist() if "para_id" in toks.columns
                else [0] * len(toks))
    texts = [list(t) for t in toks["tokens"]]
    n_units = len(texts)
    if n_units == 0:
        raise ValueError("token table is empty: no units to model")
    dct = Dictionary(texts)
    n_terms0 = len(dct)
    dfs0 = {dct[i]: dct.dfs[i] for i in dct.keys()}
    cfs0 = {dct[i]: dct.cfs[i] for i in dct.keys()}
    n_tok0 = int(sum(cfs0.values()))
    keep_set = set(keep_tokens or [])
    dct.filter_extremes(no_below=int(no_below), no_above=float(no_above),
                        keep_n=None if keep_n is None else int(keep_n),
                        keep_tokens=list(keep_set) or None)
    kept_terms = set(dct.token2id)
    max_df = float(no_above) * n_units
    rows = []
    # why each term went: gensim's order (rare/common first, then beyond keep_n)
    for term in sorted(set(dfs0) - kept_terms, key=lambda t: (-cfs0[t], t)):
        df = dfs0[term]
        if df < no_below:
            reason = f"in fewer than {no_below} units"
        elif df > max_df:
            reason = f"in more than {no_above:.0%} of units"
        else:
            reason = f"beyond the {keep_n} most frequent terms"
        rows.append(("term", term, reason, df, cfs0[term]))
    bow_all = [dct.doc2bow(t) for t in texts]
    keep_units, bow = [], []
    unit_rows = []
    for i, b in enumerate(bow_all):
        n = int(sum(c for _, c in b))
        if n < min_tokens:
            rows.append(("unit", f"{doc_ids[i]}#{para_ids[i]}", f"fewer than {min_tokens} kept tokens",
                         1, n))
        else:
            keep_units.append(i)
            bow.append(b)
            unit_rows.append((doc_ids[i], para_ids[i], n))
    if not bow:
        raise ValueError(f"no unit has {min_tokens} or more tokens after filtering "
                         f"(no_below={no_below}, no_above={no_above}, keep_n={keep_n}); loosen the filters")
    units = pd.DataFrame(unit_rows, columns=["doc_id", "para_id", "n_tokens"])
    units["para_id"] = units["para_id"].astype("int64")
    removed = pd.DataFrame(rows, columns=["kind", "item", "reason", "n_units", "n_tokens"])
    n_tok1 = int(units["n_tokens"].sum())
    n_term_removed = int((removed["kind"] == "term").sum())
    n_unit_removed = int((removed["kind"] == "unit").sum())
    msg = (f"removed {n_term_removed:,} of {n_terms0:,} terms ({1 - n_tok1 / max(n_tok0, 1):.1%} of "
           f"{n_tok0:,} tokens) and {n_unit_removed:,} of {n_units:,} units; kept {len(dct):,} terms, "
           f"{len(bow):,} units, {units['doc_id'].nunique():,} documents")
    logger.info("build_bow: %s", msg)
    summary = {"no_below": int(no_below), "no_above": float(no_above),
               "keep_n": None if keep_n is None else int(keep_n), "min_tokens": int(min_tokens),
               "n_terms_before": n_terms0, "n_terms": len(dct), "n_tokens_before": n_tok0,
               "n_tokens": n_tok1, "n_units_before": n_units, "n_units": len(bow),
               "n_docs": int(units["doc_id"].nunique()), "message": msg}
    return BowCorpus(dct, bow, units, removed, summary)


def _hash_bow(bow: Sequence, vocab: Sequence[str]) -> str:
    h = hashlib.sha256()
    h.update(json.dumps(list(vocab), ensure_ascii=False).encode("utf-8"))
    for doc in bow:
        h.update(np.asarray(doc, dtype=np.int64).tobytes())
        h.update(b"|")
    return h.hexdigest()


# --------------------------------------------------------------------------- the model
class TopicModel:
    """Latent Dirichlet allocation (gensim ``LdaModel``), reproducible, scikit-learn style.

    Parameters
    ----------
    n_topics : int, default 10
        Number of topics K (>= 2).
    passes : int, default 20
        Passes over the corpus.
    iterations : int, default 200
        Maximum variational iterations per document and pass.
    alpha : {"auto", "symmetric", "asymmetric"} or float, default "auto"
        Document-topic prior; "auto" learns an asymmetric prior from the data.
    eta : {"symmetric", "auto"} or float, optional
        Topic-word prior; None is gensim's symmetric 1/K.
    chunksize : int, optional
        Units per update. None (default) puts the whole corpus in one chunk: each
        pass is then one step of *batch* variational EM (Blei et al. 2003; sklearn's
        ``learning_method="batch"``), and the fit does not depend on the order of
        units. An int gives online LDA (Hoffman et al. 2010), for corpora too large
        for memory.
    decay : float, optional
        gensim's learning-rate exponent: the step at update t is
        ``(1 + t) ** -decay``. None means 0 (step 1: exact batch EM) with one chunk
        and gensim's 0.5 with online chunks. gensim's default 0.5 with a single chunk
        shrinks every batch step and converges very slowly: on the planted-topic
        test, 15 passes recover the planted topics with matched similarity
        0.79-0.85 that way, 0.92-0.95 with decay 0 (0.97-0.98 with 30 passes); on the
        seed reports, 20 batch passes with decay 0 also reach a better variational
        bound (-6.76 vs -6.79 per token) and higher c_v than gensim's defaults or
        online chunks of 50-100 paragraphs (which were the least stable across
        seeds).
    engine : {"gensim", "tomotopy"}, default "gensim"
        ``"tomotopy"`` fits by collapsed Gibbs sampling in C++ (``tomotopy.LDAModel``,
        one worker, so the same seed gives the same topics; ``alpha="auto"`` turns
        on its hyper-parameter optimisation, ``eta=None`` is 1/K as in gensim).
        ``gamma_`` is then ``alpha + n_dk`` (the unit's topic counts in the last
        sample): the Dirichlet posterior of its proportions given the assignments.
        On the seed reports a fit takes about 1 s instead of 2.5 s (a Gibbs sweep
        is ~100x cheaper than a VB pass, but needs hundreds of sweeps), with c_v
        coherence comparable to gensim's (0.43-0.48 either way, depending on seed;
        ``benchmarks/bench_topics.py``). ``passes``, ``iterations``, ``chunksize``
        and ``decay`` are gensim's; ``gibbs_iterations`` is tomotopy's.
    gibbs_iterations : int, default 1000
        Gibbs sweeps (tomotopy engine only).
    tol : float, optional
        Stop the batch passes early (gensim engine): once no topic's word
        distribution moves by more than ``tol`` (L1 distance) in a pass, the fit has
        converged and the remaining passes are skipped; ``passes`` is then the most
        run, and ``passes_`` says how many were. None runs every pass.
    seed : int, default 0
        Random seed; the same seed and input give identical topics.

    Attributes
    ----------
    lda_ : gensim.models.LdaModel
    dct_ : gensim.corpora.Dictionary
    vocab_ : ndarray of str
        Term of each column of ``topic_word_``.
    topic_word_ : ndarray, shape (K, V)
        Topic-word distributions (rows sum to 1).
    gamma_ : ndarray, shape (n_units, K)
        Variational Dirichlet parameters of each unit's topic proportions.
    theta_ : ndarray, shape (n_units, K)
        Their means (``gamma_`` normalised).
    units_ : DataFrame
        ``doc_id``, ``para_id``, ``n_tokens`` per row of ``gamma_``.
    term_frequency_ : ndarray, shape (V,)
        Corpus count of each term.
    input_sha256_ : str
        Hash of the vocabulary and the bag-of-words corpus fitted.
    fit_seconds_ : float
    passes_ : int
        Passes run (gensim; fewer than ``passes`` when ``tol`` stopped the fit).
    init_ : str or None
        What the fit started from: None for gensim's seeded random start, else a
        description of the starting topics (see :meth:`fit`).

    Notes
    -----
    ``gensim.models.LdaMulticore`` is deliberately not used: its workers' updates
    are merged in completion order, so runs with one seed differ (gensim PR
    #2953). Parallelism comes from fitting several (K, seed) at once
    (:func:`select_topics`).

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.topics import build_bow, TopicModel
    >>> toks = pd.DataFrame({"doc_id": ["a", "b", "c"], "tokens": [
    ...     ["科技", "创新", "企业", "创新"], ["廉政", "党风", "监督", "廉政"], ["创新", "企业", "廉政", "监督"]]})
    >>> corpus = build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    >>> m1 = TopicModel(2, passes=3, seed=7).fit(corpus)
    >>> m2 = TopicModel(2, passes=3, seed=7).fit(corpus)
    >>> bool((m1.topic_word_ == m2.topic_word_).all())
    True
    """

    _PARAMS = ("n_topics", "passes", "iterations", "alpha", "eta", "chunksize", "decay", "engine",
               "gibbs_iterations", "tol", "seed")

    def __init__(self, n_topics: int = 10, *, passes: int = 20, iterations: int = 200,
                 alpha: str | float = "auto", eta: str | float | None = None,
                 chunksize: int | None = None, decay: float | None = None, engine: str = "gensim",
                 gibbs_iterations: int = 1000, tol: float | None = None, seed: int = 0):
        self.n_topics = n_topics
        self.tol = tol
        self.engine = engine
        self.gibbs_iterations = gibbs_iterations
        self.decay = decay
        self.passes = passes
        self.iterations = iterations
        self.alpha = alpha
        self.eta = eta
        self.chunksize = chunksize
        self.seed = seed

    def __getstate__(self) -> dict:
        # tomotopy models do not pickle; they serialise to bytes (worker processes
        # of select_topics send fitted models back)
        state = dict(self.__dict__)
        if self.engine == "tomotopy" and "lda_" in state and not isinstance(state["lda_"], bytes):
            state["lda_"] = state["lda_"].saves(full=True)
        return state

    def __setstate__(self, state: dict) -> None:
        if state.get("engine") == "tomotopy" and isinstance(state.get("lda_"), bytes):
            import tomotopy as tp

            state["lda_"] = tp.LDAModel.loads(state["lda_"])
        self.__dict__.update(state)

    def get_params(self) -> dict:
        """Return the constructor settings as a dict."""
        return {k: getattr(self, k) for k in self._PARAMS}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"TopicModel({args})"

    def _validate(self) -> None:
        if int(self.n_topics) < 2:
            raise ValueError(f"n_topics must be >= 2, got {self.n_topics}")
        if int(self.passes) < 1:
            raise ValueError(f"passes must be >= 1, got {self.passes}")
        if int(self.iterations) < 1:
            raise ValueError(f"iterations must be >= 1, got {self.iterations}")
        if self.chunksize is not None and int(self.chunksize) < 1:
            raise ValueError(f"chunksize must be >= 1 or None, got {self.chunksize}")
        if self.tol is not None and not float(self.tol) > 0:
            raise ValueError(f"tol must be > 0 or None, got {self.tol}")

    def _fit_tomotopy(self, bow: list, dct, vocab: np.ndarray) -> None:
        import tomotopy as tp

        K = int(self.n_topics)
        eta = 1.0 / K if self.eta is None else float(self.eta)
        auto = self.alpha == "auto"
        alpha = 1.0 / K if isinstance(self.alpha, str) else float(self.alpha)
        mdl = tp.LDAModel(k=K, alpha=alpha, eta=eta, seed=int(self.seed))
        mdl.optim_interval = 10 if auto else 0
        for d in bow:
            mdl.add_doc([dct[i] for i, c in d for _ in range(c)])
        mdl.train(int(self.gibbs_iterations), workers=1)
        pos = {w: j for j, w in enumerate(mdl.used_vocabs)}
        # a term of the dictionary that the fitted units never use (a sample) gets the
        # probability of a zero count, eta / (n_k + V eta), as tomotopy gives a used one
        n_k = np.asarray(mdl.get_count_by_topics(), dtype=np.float64)
        n_used = len(mdl.used_vocabs)
        tw = np.repeat((eta / (n_k + n_used * eta))[:, None], len(vocab), axis=1)
        have = [i for i, w in enumerate(vocab) if w in pos]
        for k in range(K):
            dist = np.asarray(mdl.get_topic_word_dist(k), dtype=np.float64)
            tw[k, have] = dist[[pos[vocab[i]] for i in have]]
        self.lda_ = mdl
        self.topic_word_ = tw / tw.sum(axis=1, keepdims=True)
        a = np.asarray(mdl.alpha, dtype=np.float64).reshape(-1)
        self.alpha_ = np.full(K, a[0]) if a.size == 1 else a
        self.gamma_ = np.vstack([self.alpha_ + np.bincount(np.asarray(doc.topics), minlength=K)
                                 for doc in mdl.docs])

    def fit(self, bow, dct=None, *, init=None) -> "TopicModel":
        """Fit LDA to a bag-of-words corpus.

        Parameters
        ----------
        bow : BowCorpus or list of list of (int, int)
            From :func:`build_bow` (then ``dct`` comes with it), or a plain corpus.
        dct : gensim.corpora.Dictionary, optional
            Required with a plain corpus.
        init : TopicModel, optional
            Start the batch passes (gensim engine) from this model's topics instead
            of gensim's random start: its topic-word rows, matched to this
            vocabulary by word, become the first expected counts (the corpus's
            tokens split equally over topics). Topic k of the result continues
            topic k of ``init``. A good start (e.g. a Gibbs fit on a sample of the
            units) needs a fraction of the passes to converge (see ``tol``).

        Returns
        -------
        TopicModel
            self, fitted.
        """
        from gensim.models import LdaModel

        self._validate()
        units = None
        if isinstance(bow, BowCorpus):
            dct = bow.dct if dct is None else dct
            units = bow.units.copy()
            bow = bow.bow
        if dct is None:
            raise ValueError("dct is required when bow is not a BowCorpus")
        bow = [list(d) for d in bow]
        if not bow:
            raise ValueError("bow is empty: nothing to fit")
        if units is None:
            units = pd.DataFrame({"doc_id": [str(i) for i in range(len(bow))], "para_id": 0,
                                  "n_tokens": [int(sum(c for _, c in d)) for d in bow]})
        if len(units) != len(bow):
            raise ValueError(f"units has {len(units)} rows but bow has {len(bow)}")
        vocab = np.array([dct[i] for i in range(len(dct))], dtype=object)
        if self.engine not in ("gensim", "tomotopy"):
            raise ValueError(f"engine must be 'gensim' or 'tomotopy', got {self.engine!r}")
        if self.engine == "tomotopy":
            t0 = time.perf_counter()
            self._fit_tomotopy(bow, dct, vocab)
            self.fit_seconds_ = time.perf_counter() - t0
            self.dct_, self.vocab_ = dct, vocab
            self.theta_ = self.gamma_ / self.gamma_.sum(axis=1, keepdims=True)
            self.units_ = units.reset_index(drop=True)
            self.term_frequency_ = np.bincount([i for d in bow for i, c in d for _ in range(c)],
                                               minlength=len(vocab)).astype(np.float64)
            self.input_sha256_ = _hash_bow(bow, vocab)
            self.passes_, self.init_ = int(self.gibbs_iterations), None
            return self
        t0 = time.perf_counter()
        kw = dict(id2word=dct, num_topics=int(self.n_topics), iterations=int(self.iterations), alpha=self.alpha,
                  eta=self.eta, chunksize=self._chunksize(len(bow)), decay=self._decay(), update_every=1,
                  eval_every=None, minimum_probability=0.0, random_state=np.random.RandomState(int(self.seed)),
                  dtype=np.float64)
        self.init_ = None
        if self.tol is None and init is None:
            lda = LdaModel(corpus=bow, passes=int(self.passes), **kw)
            self.passes_ = int(self.passes)
        else:
            lda = LdaModel(corpus=None, **kw)
            if init is not None:
                lda.state.sstats[...] = self._initial_sstats(init, vocab, bow)
                lda.sync_state()
                self.init_ = (f"{getattr(init, 'engine', 'gensim')} K={init.topic_word_.shape[0]} "
                              f"seed={getattr(init, 'seed', None)} on {len(init.units_)} units, "
                              f"model {init.model_sha256_[:12]}")
            prev = lda.get_topics()
            for done in range(1, int(self.passes) + 1):
                lda.update(bow, passes=1)  # one step of batch EM (decay 0: the step is the full update)
                cur = lda.get_topics()
                moved = float(np.abs(cur - prev).sum(axis=1).max())
                prev = cur
                if self.tol is not None and moved < float(self.tol):
                    break
            self.passes_ = done
            logger.info("TopicModel: K=%s, %d of at most %d passes (topics moved %.4g in the last)%s",
                        self.n_topics, done, self.passes, moved, f", started from {self.init_}" if init else "")
        self.fit_seconds_ = time.perf_counter() - t0
        self.lda_ = lda
        self.dct_ = dct
        self.vocab_ = vocab
        tw = lda.get_topics().astype(np.float64)
        self.topic_word_ = tw / tw.sum(axis=1, keepdims=True)
        self.gamma_ = self.transform(bow)
        self.theta_ = self.gamma_ / self.gamma_.sum(axis=1, keepdims=True)
        self.units_ = units.reset_index(drop=True)
        tf = np.zeros(len(vocab), dtype=np.float64)
        for d in bow:
            for i, c in d:
                tf[i] += c
        self.term_frequency_ = tf
        self.alpha_ = np.asarray(lda.alpha, dtype=np.float64)
        self.input_sha256_ = _hash_bow(bow, vocab)
        return self

    def _initial_sstats(self, init, vocab: np.ndarray, bow: list) -> np.ndarray:
        tw = np.asarray(init.topic_word_, dtype=np.float64)
        K = int(self.n_topics)
        if tw.shape[0] != K:
            raise ValueError(f"init has {tw.shape[0]} topics, this model {K}")
        col = {w: j for j, w in enumerate(init.vocab_)}
        out = np.full((K, len(vocab)), 1e-12)
        have = [i for i, w in enumerate(vocab) if w in col]
        out[:, have] = tw[:, [col[vocab[i]] for i in have]]
        out /= out.sum(axis=1, keepdims=True)
        n_tokens = float(sum(c for d in bow for _, c in d))
        return out * n_tokens / K

    def _chunksize(self, n_units: int) -> int:
        return n_units if self.chunksize is None else int(self.chunksize)

    def _decay(self) -> float:
        if self.decay is not None:
            return float(self.decay)
        return 0.0 if self.chunksize is None else 0.5

    def _check_fitted(self) -> None:
        if not hasattr(self, "lda_"):
            raise ValueError("this TopicModel is not fitted yet; call .fit(bow) first")

    def transform(self, bow) -> np.ndarray:
        """Return variational Dirichlet parameters (gamma) of units' topic proportions.

        Parameters
        ----------
        bow : BowCorpus or list of list of (int, int)

        Returns
        -------
        ndarray, shape (n_units, K)
            Same input, same output (the inference starts from a fresh seeded state).
        """
        self._check_fitted()
        if isinstance(bow, BowCorpus):
            bow = bow.bow
        if self.engine == "tomotopy":
            mdl = self.lda_
            docs = [mdl.make_doc([self.dct_[i] for i, c in d for _ in range(c)]) for d in bow]
            mdl.infer(docs, iter=100, workers=1, together=False)
            return np.vstack([self.alpha_ + np.bincount(np.asarray(doc.topics), minlength=len(self.alpha_))
                              for doc in docs])
        lda = self.lda_
        saved = lda.random_state
        lda.random_state = np.random.RandomState(int(self.seed) + 1)
        try:
            gamma, _ = lda.inference([list(d) for d in bow])
        finally:
            lda.random_state = saved
        return np.asarray(gamma, dtype=np.float64)

    @property
    def model_sha256_(self) -> str:
        """Hash of the fitted topic-word matrix (identifies a model for label files)."""
        self._check_fitted()
        h = hashlib.sha256(np.ascontiguousarray(self.topic_word_).tobytes())
        h.update(json.dumps(list(self.vocab_), ensure_ascii=False).encode("utf-8"))
        return h.hexdigest()

    def top_words(self, n: int = 10) -> list[list[str]]:
        """Return the n most probable words of each topic."""
        self._check_fitted()
        order = np.argsort(-self.topic_word_, axis=1, kind="stable")[:, :n]
        return [[str(self.vocab_[j]) for j in row] for row in order]

    def save(self, path: str | Path) -> Path:
        """Save the model, its dictionary, settings and input hash in a folder.

        Parameters
        ----------
        path : str or Path
            Folder (created).

        Returns
        -------
        Path
        """
        self._check_fitted()
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.engine == "tomotopy":
            self.lda_.save(str(path / "lda.tomotopy"))
        else:
            self.lda_.save(str(path / "lda.gensim"))
        self.dct_.save(str(path / "dictionary.gensim"))
        np.savez(path / "arrays.npz", topic_word=self.topic_word_, gamma=self.gamma_,
                 term_frequency=self.term_frequency_, alpha=self.alpha_)
        self.units_.to_csv(path / "units.csv", index=False)
        from .provenance import package_versions

        meta = {"params": self.get_params(), "input_sha256": self.input_sha256_,
                "model_sha256": self.model_sha256_, "fit_seconds": self.fit_seconds_,
                "passes_run": getattr(self, "passes_", None), "init": getattr(self, "init_", None),
                "n_units": int(len(self.units_)), "n_terms": int(len(self.vocab_)),
                "packages": package_versions()}
        (path / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2, default=str) + "\n",
                                         encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> "TopicModel":
        """Load a model written by :meth:`save`.

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        TopicModel
        """
        from gensim.corpora import Dictionary
        from gensim.models import LdaModel

        path = Path(path)
        if not (path / "model.json").is_file():
            raise FileNotFoundError(f"no saved TopicModel in {path} (model.json missing)")
        meta = json.loads((path / "model.json").read_text(encoding="utf-8"))
        self = cls(**meta["params"])
        if self.engine == "tomotopy":
            import tomotopy as tp

            self.lda_ = tp.LDAModel.load(str(path / "lda.tomotopy"))
        else:
            self.lda_ = LdaModel.load(str(path / "lda.gensim"))
        self.dct_ = Dictionary.load(str(path / "dictionary.gensim"))
        self.vocab_ = np.array([self.dct_[i] for i in range(len(self.dct_))], dtype=object)
        arr = np.load(path / "arrays.npz")
        self.topic_word_ = arr["topic_word"]
        self.gamma_ = arr["gamma"]
        self.theta_ = self.gamma_ / self.gamma_.sum(axis=1, keepdims=True)
        self.term_frequency_ = arr["term_frequency"]
        self.alpha_ = arr["alpha"]
        self.units_ = pd.read_csv(path / "units.csv", dtype={"doc_id": str})
        self.input_sha256_ = meta["input_sha256"]
        self.fit_seconds_ = meta["fit_seconds"]
        self.passes_ = meta.get("passes_run")
        self.init_ = meta.get("init")
        return self


#: Bump when fitting changes, so that cached models are not reused.
_MODEL_VERSION = "lda-2"


def _cache_path(cache_dir, corpus: BowCorpus, params: dict, extra: str = "") -> Path | None:
    if cache_dir is None or cache_dir is False:
        return None
    from importlib import metadata

    vocab = [corpus.dct[i] for i in range(len(corpus.dct))]
    engine = str(params.get("engine") or "gensim")
    try:  # a model fitted by another version of the engine is not reused
        engine += "-" + metadata.version(engine)
    except metadata.PackageNotFoundError:
        pass
    if extra and engine.startswith("gensim"):  # the Gibbs start is tomotopy's
        try:
            extra += "-tomotopy-" + metadata.version("tomotopy")
        except metadata.PackageNotFoundError:
            pass
    key = hashlib.sha256((_MODEL_VERSION + engine + _hash_bow(corpus.bow, vocab)
                          + json.dumps(params, sort_keys=True, default=str)
                          + json.dumps(corpus.units["doc_id"].tolist()) + extra).encode()).hexdigest()[:24]
    return Path(cache_dir) / "topic-models" / key


def _fit_or_load(corpus: BowCorpus, params: dict, cache_dir, *, init_sample: int | None = None,
                 init_iterations: int = 500) -> TopicModel:
    extra = "" if init_sample is None else f"|init_sample={int(init_sample)},{int(init_iterations)}"
    cpath = _cache_path(cache_dir, corpus, params, extra)
    if cpath is not None and (cpath / "model.json").is_file():
        try:
            return TopicModel.load(cpath)
        except Exception as err:  # a broken cache entry is refitted, not fatal
            logger.warning("could not read cached model %s (%s); refitting", cpath, err)
    init = None
    if init_sample is not None and params.get("engine", "gensim") == "gensim":
        start = sample_units(corpus, init_sample, seed=int(params.get("seed", 0)))
        init = TopicModel(params["n_topics"], engine="tomotopy", alpha=params.get("alpha", "auto"),
                          eta=params.get("eta"), gibbs_iterations=int(init_iterations),
                          seed=int(params.get("seed", 0))).fit(start)
    model = TopicModel(**params).fit(corpus, init=init)
    if cpath is not None:
        model.save(cpath)
    return model


def sample_units(corpus: BowCorpus, n: int | None, *, seed: int = 0) -> BowCorpus:
    """Return a seeded random sample of ``n`` units of a bag-of-words corpus (all if fewer).

    The dictionary is kept whole, so models fitted on the sample share the
    vocabulary (and column order) of models fitted on every unit. The sample keeps
    the corpus order; ``summary["n_units_sampled"]`` records its size.

    Parameters
    ----------
    corpus : BowCorpus
    n : int or None
        Units to draw; None (or at least the number of units) keeps all.
    seed : int, default 0

    Returns
    -------
    BowCorpus

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.topics import build_bow, sample_units
    >>> toks = pd.DataFrame({"doc_id": list("abcdef"), "tokens": [["科技", "创新"]] * 6})
    >>> corpus = build_bow(toks, no_below=1, no_above=1.0, keep_n=None)
    >>> sample_units(corpus, 3, seed=1).units["doc_id"].tolist()
    ['b', 'c', 'e']
    >>> len(sample_units(corpus, 10).bow)
    6
    """
    n_units = len(corpus.bow)
    if n is None or int(n) >= n_units:
        return corpus._replace(summary=dict(corpus.summary, n_units_sampled=n_units))
    if int(n) < 1:
        raise ValueError(f"sample size must be >= 1 or None, got {n}")
    idx = np.sort(np.random.RandomState(int(seed)).choice(n_units, int(n), replace=False))
    return BowCorpus(corpus.dct, [corpus.bow[i] for i in idx], corpus.units.iloc[idx].reset_index(drop=True),
                     corpus.removed, dict(corpus.summary, n_units_sampled=int(n)))


def fit_topics(toks: pd.DataFrame, n_topics: int, *, no_below: int = DEFAULT_NO_BELOW,
               no_above: float = DEFAULT_NO_ABOVE, keep_n: int | None = DEFAULT_KEEP_N,
               min_tokens: int = DEFAULT_MIN_TOKENS, passes: int = 20, iterations: int = 200,
               alpha: str | float = "auto", eta: str | float | None = None, engine: str = "gensim",
               gibbs_iterations: int = 1000, tol: float | None = None, init_sample: int | None = None,
               init_iterations: int = 500, seed: int = 0,
               cache_dir: str | Path | None = None) -> TopicModel:
    """Build the bag of words from a token table and fit one topic model.

    Parameters
    ----------
    toks : DataFrame
        Token table (``doc_id``, ``para_id``, ``tokens``).
    n_topics : int
        K.
    no_below, no_above, keep_n, min_tokens
        Passed to :func:`build_bow`.
    passes, iterations, alpha, eta, engine, gibbs_iterations, tol, seed
        Passed to :class:`TopicModel`.
    init_sample : int, optional
        Start the gensim fit from a Gibbs fit (tomotopy, ``init_iterations``
        sweeps, same seed) on a seeded sample of this many units
        (:func:`sample_units`); with ``tol`` the batch passes then stop after a
        fraction of ``passes``. None starts from gensim's random topics.
    init_iterations : int, default 500
    cache_dir : str or Path, optional
        Reuse a model fitted on the same input with the same settings (saved under
        ``cache_dir/topic-models``); None fits afresh.

    Returns
    -------
    TopicModel
        Fitted; ``model.corpus_`` is the :class:`BowCorpus` it was fitted on.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.topics import fit_topics
    >>> toks = pd.DataFrame({"doc_id": ["a", "b", "c"], "tokens": [
    ...     ["科技", "创新", "企业"] * 3, ["廉政", "党风", "监督"] * 3, ["创新", "企业", "监督"] * 3]})
    >>> model = fit_topics(toks, 2, no_below=1, no_above=1.0, min_tokens=1, passes=5, seed=3)
    >>> len(model.top_words(3)), model.corpus_.summary["n_units"]
    (2, 3)
    """
    corpus = build_bow(toks, no_below=no_below, no_above=no_above, keep_n=keep_n, min_tokens=min_tokens)
    params = dict(n_topics=int(n_topics), passes=passes, iterations=iterations, alpha=alpha, eta=eta,
                  chunksize=None, seed=int(seed))
    if engine != "gensim":
        params["engine"] = engine
        params["gibbs_iterations"] = int(gibbs_iterations)
    if tol is not None:
        params["tol"] = float(tol)
    model = _fit_or_load(corpus, params, cache_dir, init_sample=init_sample, init_iterations=init_iterations)
    model.corpus_ = corpus
    return model


# --------------------------------------------------------------------------- similarity & alignment
def _as_topic_word(m) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(m, TopicModel):
        return m.topic_word_, np.asarray(m.vocab_, dtype=object)
    tw, vocab = m
    return np.asarray(tw, dtype=np.float64), np.asarray(vocab, dtype=object)


def _common_space(a, b) -> tuple[np.ndarray, np.ndarray]:
    tw_a, v_a = _as_topic_word(a)
    tw_b, v_b = _as_topic_word(b)
    if len(v_a) == len(v_b) and (v_a == v_b).all():
        return tw_a, tw_b
    vocab = sorted(set(v_a.tolist()) | set(v_b.tolist()))
    pos = {w: i for i, w in enumerate(vocab)}
    A = np.zeros((tw_a.shape[0], len(vocab)))
    B = np.zeros((tw_b.shape[0], len(vocab)))
    A[:, [pos[w] for w in v_a]] = tw_a
    B[:, [pos[w] for w in v_b]] = tw_b
    return A, B


def topic_similarity(a, b, *, metric: str = "jsd") -> np.ndarray:
    """Return the similarity of every topic of ``a`` to every topic of ``b``.

    Parameters
    ----------
    a, b : TopicModel or (topic_word, vocab)
        Vocabularies may differ: distributions are compared over their union.
    metric : {"jsd", "cosine"}, default "jsd"
        ``"jsd"`` is 1 - Jensen-Shannon divergence (base 2, in [0, 1]);
        ``"cosine"`` the cosine of the topic-word vectors.

    Returns
    -------
    ndarray, shape (K_a, K_b)

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.topics import topic_similarity
    >>> tw = np.array([[0.9, 0.1, 0.0], [0.0, 0.1, 0.9]])
    >>> topic_similarity((tw, ["创新", "科技", "廉政"]), (tw[::-1], ["创新", "科技", "廉政"])).round(2)
    array([[0.1, 1. ],
           [1. , 0.1]])
    """
    A, B = _common_space(a, b)
    A = A / A.sum(axis=1, keepdims=True)
    B = B / B.sum(axis=1, keepdims=True)
    if metric == "cosine":
        na = np.linalg.norm(A, axis=1, keepdims=True)
        nb = np.linalg.norm(B, axis=1, keepdims=True)
        return np.clip((A / na) @ (B / nb).T, 0.0, 1.0)
    if metric != "jsd":
        raise ValueError(f"metric must be 'jsd' or 'cosine', got {metric!r}")
    out = np.empty((A.shape[0], B.shape[0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(A.shape[0]):
            M = 0.5 * (A[i][None, :] + B)
            ka = np.where(A[i] > 0, A[i] * np.log2(A[i] / M), 0.0).sum(axis=1)
            kb = np.where(B > 0, B * np.log2(B / M), 0.0).sum(axis=1)
            out[i] = 1.0 - 0.5 * (ka + kb)
    return np.clip(out, 0.0, 1.0)


def align_topics(model_a, model_b, *, metric: str = "jsd") -> pd.DataFrame:
    """Match each topic of one model to a topic of another (Hungarian algorithm).

    Parameters
    ----------
    model_a, model_b : TopicModel or (topic_word, vocab)
    metric : {"jsd", "cosine"}, default "jsd"

    Returns
    -------
    DataFrame
        ``topic_a``, ``topic_b`` (1-based) and ``similarity``, one row per topic of
        ``model_a`` (matched one-to-one, maximising total similarity; with unequal K
        the extra topics are left unmatched, ``topic_b`` NA).

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.topics import align_topics
    >>> tw = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    >>> vocab = ["创新", "廉政", "企业"]
    >>> align_topics((tw, vocab), (tw[[2, 0, 1]], vocab))["topic_b"].tolist()
    [2, 3, 1]
    """
    from scipy.optimize import linear_sum_assignment

    S = topic_similarity(model_a, model_b, metric=metric)
    rows, cols = linear_sum_assignment(-S)
    topic_b = pd.array([pd.NA] * S.shape[0], dtype="Int64")
    sim = np.full(S.shape[0], np.nan)
    for r, c in zip(rows, cols):
        topic_b[r] = c + 1
        sim[r] = S[r, c]
    return pd.DataFrame({"topic_a": np.arange(1, S.shape[0] + 1), "topic_b": topic_b, "similarity": sim})


def topic_stability(models: Sequence, *, reference: int = 0, metric: str = "jsd") -> pd.DataFrame:
    """Per-topic stability: how well each topic of one run is found in the other runs.

    Parameters
    ----------
    models : sequence of TopicModel or (topic_word, vocab)
        Runs with the same K (e.g. different seeds).
    reference : int, default 0
        Index of the run whose topics are reported.
    metric : {"jsd", "cosine"}, default "jsd"

    Returns
    -------
    DataFrame
        ``topic`` (of the reference run), ``stability`` (mean matched similarity over
        the other runs), ``min_similarity``, ``n_runs``; a topic near 1 recurs in every
        run, a low one is seed noise.

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.topics import topic_stability
    >>> tw = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1]])
    >>> v = ["创新", "廉政", "企业"]
    >>> topic_stability([(tw, v), (tw[::-1], v)])["stability"].round(3).tolist()
    [1.0, 1.0]
    """
    models = list(models)
    if len(models) < 2:
        raise ValueError(f"topic_stability needs at least 2 runs, got {len(models)}")
    if not 0 <= reference < len(models):
        raise ValueError(f"reference must index models (0..{len(models) - 1}), got {reference}")
    ref = models[reference]
    sims = [align_topics(ref, m, metric=metric)["similarity"].to_numpy()
            for i, m in enumerate(models) if i != reference]
    S = np.vstack(sims)
    return pd.DataFrame({"topic": np.arange(1, S.shape[1] + 1), "stability": np.nanmean(S, axis=0),
                         "min_similarity": np.nanmin(S, axis=0), "n_runs": len(models)})


# --------------------------------------------------------------------------- labels
def frex_scores(topic_word: np.ndarray, *, w: float = 0.5) -> np.ndarray:
    """Return FREX scores (stm's ``calcfrex``): harmonic mean of frequency and exclusivity ranks.

    Parameters
    ----------
    topic_word : ndarray, shape (K, V)
    w : float, default 0.5
        Weight on frequency (stm's ``frexw``); exclusivity gets ``1 - w``.

    Returns
    -------
    ndarray, shape (K, V)
        ``1 / (w / F + (1 - w) / E)`` with F, E the empirical CDF (rank / V)
        within the topic of the word's probability and of its exclusivity
        ``beta_kv / sum_k beta_kv``. Without stm's James-Stein shrinkage of
        exclusivity.

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.topics import frex_scores
    >>> frex_scores(np.array([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]])).round(2)
    array([[1.  , 0.67, 0.33],
           [0.33, 0.67, 1.  ]])
    """
    from scipy.stats import rankdata

    if not 0 <= w <= 1:
        raise ValueError(f"w must be in [0, 1], got {w}")
    tw = np.asarray(topic_word, dtype=np.float64)
    V = tw.shape[1]
    excl = tw / tw.sum(axis=0, keepdims=True)
    F = rankdata(tw, axis=1) / V
    E = rankdata(excl, axis=1) / V
    return 1.0 / (w / F + (1 - w) / E)


def label_topics(model: TopicModel, *, n: int = 10, frexw: float = 0.5) -> pd.DataFrame:
    """Return each topic's top words by probability and by FREX (stm's ``labelTopics``).

    Parameters
    ----------
    model : TopicModel
    n : int, default 10
        Words per list.
    frexw : float, default 0.5
        FREX weight on frequency.

    Returns
    -------
    DataFrame
        One row per (``topic``, ``rank``): ``prob_word``, ``prob``, ``frex_word``,
        ``frex`` (score) and ``frex_prob`` (that word's probability in the topic).

    Examples
    --------
    >>> import numpy as np
    >>> from bureau_rhetoric.topics import TopicModel, label_topics
    >>> m = TopicModel(2)
    >>> m.lda_, m.vocab_ = None, np.array(["科技", "创新", "廉政", "企业"], dtype=object)
    >>> m.topic_word_ = np.array([[0.4, 0.3, 0.1, 0.2], [0.4, 0.05, 0.5, 0.05]])
    >>> label_topics(m, n=2)[["topic", "prob_word", "frex_word"]].values.tolist()
    [[1, '科技', '创新'], [1, '创新', '科技'], [2, '廉政', '廉政'], [2, '科技', '科技']]
    """
    model._check_fitted()
    tw = model.topic_word_
    fx = frex_scores(tw, w=frexw)
    n = min(int(n), tw.shape[1])
    rows = []
    for k in range(tw.shape[0]):
        p_order = np.argsort(-tw[k], kind="stable")[:n]
        f_order = np.lexsort((-tw[k], -fx[k]))[:n]
        for r in range(n):
            rows.append((k + 1, r + 1, str(model.vocab_[p_order[r]]), float(tw[k, p_order[r]]),
                         str(model.vocab_[f_order[r]]), float(fx[k, f_order[r]]), float(tw[k, f_order[r]])))
    return pd.DataFrame(rows, columns=["topic", "rank", "prob_word", "prob", "frex_word", "frex", "frex_prob"])


def _doc_index(units: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Documents in order of first appearance, each unit's document, unit weights, document totals."""
    doc_ids = units["doc_id"].astype(str).to_numpy()
    first = pd.unique(doc_ids)
    idx = pd.Index(first).get_indexer(doc_ids)
    w = units["n_tokens"].to_numpy(dtype=np.float64)
    tot = np.zeros(len(first))
    np.add.at(tot, idx, w)
    return list(first), idx, w, tot


def _aggregate_to_docs(units: pd.DataFrame, theta: np.ndarray, index=None) -> tuple[list[str], np.ndarray]:
    """Token-weighted mean of unit proportions within each document (order of first appearance).

    ``index`` is :func:`_doc_index` of ``units``, computed once when aggregating many draws.
    """
    first, idx, w, tot = _doc_index(units) if index is None else index
    agg = np.zeros((len(first),) + theta.shape[1:])
    np.add.at(agg, idx, theta * w.reshape((-1,) + (1,) * (theta.ndim - 1)))
    return list(first), agg / tot.reshape((-1,) + (1,) * (theta.ndim - 1))


def document_topics(model: TopicModel) -> pd.DataFrame:
    """Return each document's topic proportions (paragraphs aggregated by token count).

    Parameters
    ----------
    model : TopicModel
        Fitted on documents or paragraphs.

    Returns
    -------
    DataFrame
        ``doc_id``, ``n_tokens``, ``n_units`` and ``topic_1`` .. ``topic_K`` (rows sum to 1).
        For a paragraph model, a document's share of topic k is the token-weighted
        mean of its paragraphs' shares: the expected fraction of its kept tokens
        drawn from topic k.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bureau_rhetoric.topics import TopicModel, document_topics
    >>> m = TopicModel(2)
    >>> m.lda_ = None
    >>> m.units_ = pd.DataFrame({"doc_id": ["杭州", "杭州", "宁波"], "para_id": [0, 1, 0], "n_tokens": [30, 10, 5]})
    >>> m.theta_ = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    >>> document_topics(m)[["doc_id", "topic_1", "topic_2"]].values.tolist()
    [['杭州', 0.75, 0.25], ['宁波', 0.5, 0.5]]
    """
    model._check_fitted()
    ids, agg = _aggregate_to_docs(model.units_, model.theta_)
    g = model.units_.groupby("doc_id", sort=False)
    out = pd.DataFrame({"doc_id": ids})
    out["n_tokens"] = g["n_tokens"].sum().reindex(ids).to_numpy()
    out["n_units"] = g.size().reindex(ids).to_numpy()
    for k in range(agg.shape[1]):
        out[f"topic_{k + 1}"] = agg[:, k]
    return out


def topic_spread(model: TopicModel) -> pd.DataFrame:
    """Say over how many documents each topic's tokens are spread.

    A theme of the corpus recurs across reports; a topic whose tokens all come
    from one report describes that report. With few long documents fitted as
    units, LDA tends to learn the latter.

    Parameters
    ----------
    model : TopicModel

    Returns
    -------
    DataFrame
        ``topic``, ``effective_docs`` (exp of the entropy of the distribution of the
        topic's expected tokens over documents: 1 = a single document, n = spread
        evenly over n), ``top_doc`` and ``top_doc_share`` (share of the topic's
        tokens in its main document).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bureau_rhetoric.topics import TopicModel, topic_spread
    >>> m = TopicModel(2)
    >>> m.lda_ = None
    >>> m.units_ = pd.DataFrame({"doc_id": ["a", "b"], "para_id": 0, "n_tokens": [10, 10]})
    >>> m.theta_ = np.array([[1.0, 0.5], [0.0, 0.5]])
    >>> topic_spread(m)[["topic", "effective_docs", "top_doc"]].values.tolist()
    [[1, 1.0, 'a'], [2, 2.0, 'a']]
    """
    dt = document_topics(model)
    w = dt.filter(like="topic_").to_numpy() * dt["n_tokens"].to_numpy()[:, None]
    p = w / w.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=0)
    top = p.argmax(axis=0)
    return pd.DataFrame({"topic": np.arange(1, p.shape[1] + 1), "effective_docs": np.exp(ent),
                         "top_doc": dt["doc_id"].to_numpy()[top], "top_doc_share": p.max(axis=0)})


def find_passages(model: TopicModel, docs: pd.DataFrame, *, n: int = 3, level: str = "unit",
                  max_chars: int = 160, min_tokens: int = 10, bow=None) -> pd.DataFrame:
    """Return the most representative passages (or documents) of each topic (stm's ``findThoughts``).

    Parameters
    ----------
    model : TopicModel
    docs : DataFrame
        Corpus table with ``doc_id`` and ``text`` (``title`` used when present).
    n : int, default 3
        Passages per topic.
    level : {"unit", "document"}, default "unit"
        Rank the fitted units (paragraphs of a paragraph model) or whole documents.
    max_chars : int, default 160
        Passages are cut to this many characters (with "…").
    min_tokens : int, default 10
        Ignore units with fewer kept tokens (headings score high on little evidence).
    bow : BowCorpus or list, optional
        The fitted corpus (default ``model.corpus_`` when the model came from
        :func:`fit_topics`). Units with equal share (to 2 decimals; many reach 1.00)
        are then ranked by how exclusive to the topic their words are.

    Returns
    -------
    DataFrame
        ``topic``, ``rank``, ``doc_id``, ``para_id`` (-1 for documents), ``share``,
        ``title``, ``passage``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bureau_rhetoric.topics import TopicModel, find_passages
    >>> m = TopicModel(2)
    >>> m.lda_ = None
    >>> m.units_ = pd.DataFrame({"doc_id": ["a", "b", "c"], "para_id": [0, 0, 0], "n_tokens": [20, 20, 20]})
    >>> m.theta_ = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["推动科技创新。", "加强廉政建设。", "创新与廉政。"]})
    >>> find_passages(m, docs, n=1)[["topic", "doc_id", "passage"]].values.tolist()
    [[1, 'a', '推动科技创新。'], [2, 'b', '加强廉政建设。']]
    """
    from .tokens import split_paragraphs

    model._check_fitted()
    if level not in ("unit", "document"):
        raise ValueError(f"level must be 'unit' or 'document', got {level!r}")
    text_of = dict(zip(docs["doc_id"].astype(str), docs["text"].fillna("").astype(str)))
    title_of = (dict(zip(docs["doc_id"].astype(str), docs["title"].fillna("").astype(str)))
                if "title" in docs.columns else {})
    if level == "unit":
        units = model.units_
        theta = model.theta_
        ok = units["n_tokens"].to_numpy() >= min_tokens
        if not ok.any():
            ok[:] = True
    else:
        dt = document_topics(model)
        units = dt[["doc_id", "n_tokens"]].assign(para_id=-1)
        theta = dt.filter(like="topic_").to_numpy()
        ok = np.ones(len(units), dtype=bool)
    K = theta.shape[1]
    typical = np.zeros((len(units), K))
    if bow is None and hasattr(model, "corpus_"):
        bow = model.corpus_.bow
    if isinstance(bow, BowCorpus):
        bow = bow.bow
    if bow is not None and level == "unit" and len(bow) == len(units) and getattr(model, "topic_word_", None) is not None:
        excl = model.topic_word_ / model.topic_word_.sum(axis=0, keepdims=True)  # (K, V)
        for i, d in enumerate(bow):
            if d:
                ids = np.array([w for w, _ in d])
                cnt = np.array([c for _, c in d], dtype=np.float64)
                typical[i] = (excl[:, ids] * cnt).sum(axis=1) / cnt.sum()
    rows = []
    multi_para = units["para_id"].max() > 0 if level == "unit" else False
    for k in range(theta.shape[1]):
        # ties (many paragraphs reach share 1.00) go to the unit whose words are most
        # particular to the topic (mean exclusivity beta_kw / sum_j beta_jw of its tokens)
        score = np.where(ok, np.round(theta[:, k], 2), -1.0)
        order = np.lexsort((np.arange(len(score)), -typical[:, k], -score))[:n]
        for r, i in enumerate(order):
            d = str(units["doc_id"].iloc[i])
            p = int(units["para_id"].iloc[i])
            text = text_of.get(d, "")
            if level == "unit" and multi_para:
                paras = split_paragraphs(text)
                text = paras[p] if 0 <= p < len(paras) else ""
            text = " ".join(text.split())
            if len(text) > max_chars:
                text = text[:max_chars] + "…"
            rows.append((k + 1, r + 1, d, p, float(theta[i, k]), title_of.get(d, ""), text))
    return pd.DataFrame(rows, columns=["topic", "rank", "doc_id", "para_id", "share", "title", "passage"])


def write_label_template(model: TopicModel, path: str | Path, *, n_words: int = 6,
                         overwrite: bool = False) -> Path:
    """Write an editable CSV of topic labels, pre-filled from the top FREX words.

    Parameters
    ----------
    model : TopicModel
    path : str or Path
        CSV file (UTF-8 with BOM so that Excel shows the Chinese).
    n_words : int, default 6
        Words shown per list to guide the labeller.
    overwrite : bool, default False
        Refuse to replace an existing (possibly hand-edited) file.

    Returns
    -------
    Path

    Notes
    -----
    Columns: ``topic`` (1..K), ``label_zh``, ``label_en`` (edit these two),
    ``prob_words``, ``frex_words`` (context) and ``model_sha256`` (which model the
    labels were written for; :func:`read_labels` warns when it differs).

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> from bureau_rhetoric.topics import TopicModel, write_label_template, read_labels
    >>> m = TopicModel(2)
    >>> m.lda_, m.vocab_ = None, np.array(["科技", "创新", "廉政", "企业"], dtype=object)
    >>> m.topic_word_ = np.array([[0.4, 0.3, 0.1, 0.2], [0.4, 0.05, 0.5, 0.05]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_label_template(m, Path(d) / "labels.csv", n_words=2)
    ...     read_labels(p, model=m)[["topic", "label_zh", "label_en"]].values.tolist()
    [[1, '创新·科技', 'Topic 1'], [2, '廉政·科技', 'Topic 2']]
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists (perhaps hand-edited); pass overwrite=True to replace it")
    lab = label_topics(model, n=n_words)
    rows = []
    for k, g in lab.groupby("topic", sort=True):
        rows.append({"topic": int(k), "label_zh": "·".join(g["frex_word"].head(2)),
                     "label_en": f"Topic {k}", "prob_words": " ".join(g["prob_word"]),
                     "frex_words": " ".join(g["frex_word"]), "model_sha256": model.model_sha256_})
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def read_labels(path: str | Path, *, model: TopicModel | None = None) -> pd.DataFrame:
    """Read an edited topic-label CSV (from :func:`write_label_template`).

    Parameters
    ----------
    path : str or Path
    model : TopicModel, optional
        Check that the file labels exactly topics 1..K of this model; warn when it
        was written for a different model (the topics may have moved).

    Returns
    -------
    DataFrame
        ``topic``, ``label_zh``, ``label_en`` and ``label`` ("中文 (English)"),
        sorted by topic; ``attrs["sha256"]`` is the file's hash.

    Raises
    ------
    ValueError
        On missing columns, repeated or missing topic ids.
    """
    from .lexicons import hash_file

    path = Path(path)
    lab = pd.read_csv(path, encoding="utf-8-sig", dtype={"label_zh": str, "label_en": str})
    for col in ("topic", "label_zh", "label_en"):
        if col not in lab.columns:
            raise ValueError(f"{path}: label file lacks column {col!r} (has {list(lab.columns)})")
    lab["topic"] = lab["topic"].astype(int)
    if lab["topic"].duplicated().any():
        raise ValueError(f"{path}: topic {int(lab.loc[lab['topic'].duplicated(), 'topic'].iloc[0])} "
                         "is labelled twice")
    if model is not None:
        want = set(range(1, model.topic_word_.shape[0] + 1))
        got = set(lab["topic"])
        if got != want:
            raise ValueError(f"{path}: labels topics {sorted(got)} but the model has topics 1..{len(want)}")
        if "model_sha256" in lab.columns and lab["model_sha256"].notna().any():
            if str(lab["model_sha256"].dropna().iloc[0]) != model.model_sha256_:
                warnings.warn(f"{path} was written for a different model; check that the labels still fit "
                              "the topics (or write a fresh template)", UserWarning, stacklevel=2)
    lab["label_zh"] = lab["label_zh"].fillna("").str.strip()
    lab["label_en"] = lab["label_en"].fillna("").str.strip()
    lab["label"] = [f"{k}. {zh} ({en})" if en else f"{k}. {zh}"
                    for k, zh, en in zip(lab["topic"], lab["label_zh"], lab["label_en"])]
    out = lab[["topic", "label_zh", "label_en", "label"]].sort_values("topic").reset_index(drop=True)
    out.attrs["sha256"] = hash_file(path)
    return out


def resolve_labels(model: TopicModel, path: str | Path | None, *, template_path: str | Path) -> pd.DataFrame:
    """Return the labels in ``path`` if they fit the model, else write and use a fresh template.

    Parameters
    ----------
    model : TopicModel
    path : str, Path or None
        An edited label file (see :func:`write_label_template`); None or a missing
        file means no hand-made labels yet. A file written for another fit is used
        only if every topic still shares at least half of the FREX words listed
        in it (topics renumbered or changed get the template instead).
    template_path : str or Path
        Where a template is written (overwritten) when ``path`` is unusable: edit it
        and pass it as ``path`` next time.

    Returns
    -------
    DataFrame
        As :func:`read_labels`; ``attrs["source"]`` is the file read and
        ``attrs["note"]`` says what happened.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> from bureau_rhetoric.topics import TopicModel, resolve_labels
    >>> m = TopicModel(2)
    >>> m.lda_, m.vocab_ = None, np.array(["科技", "创新", "廉政", "企业"], dtype=object)
    >>> m.topic_word_ = np.array([[0.4, 0.3, 0.1, 0.2], [0.4, 0.05, 0.5, 0.05]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     lab = resolve_labels(m, Path(d) / "missing.csv", template_path=Path(d) / "t.csv")
    ...     lab["label"].tolist()
    ['1. 创新·科技 (Topic 1)', '2. 廉政·科技 (Topic 2)']
    """
    if path is not None and Path(path).is_file():
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                lab = read_labels(path, model=model)
            note = f"labels read from {path}"
            if caught:
                # written for another fit: use the labels only if each topic's FREX words still
                # overlap those the labeller saw (robust to float noise, not to reordered topics)
                raw = pd.read_csv(path, encoding="utf-8-sig")
                if "frex_words" not in raw.columns:
                    raise ValueError("it was written for a different model and lists no frex_words to compare")
                now = label_topics(model, n=len(str(raw["frex_words"].iloc[0]).split()) or 6)
                now_words = now.groupby("topic")["frex_word"].apply(set)
                for k, words in zip(raw["topic"].astype(int), raw["frex_words"].astype(str)):
                    old_words = set(words.split())
                    if len(old_words & now_words[k]) < len(old_words) / 2:
                        raise ValueError(f"it was written for a different model and topic {k}'s FREX words "
                                         f"changed ({' '.join(sorted(old_words))} -> "
                                         f"{' '.join(sorted(now_words[k]))})")
                note += " (written for a slightly different fit; every topic's FREX words still match)"
            lab.attrs.update(source=str(path), note=note)
            return lab
        except ValueError as err:
            note = f"{path} does not fit this model ({err}); "
    else:
        note = "no label file yet; " if path is None else f"{path} not found; "
    tp = write_label_template(model, template_path, overwrite=True)
    lab = read_labels(tp, model=model)
    lab.attrs.update(source=str(tp), note=note + f"using automatic labels from the template {tp} (edit it)")
    return lab


# --------------------------------------------------------------------------- selection (searchK)
def _split_heldout(bow: list, frac: float, seed: int) -> tuple[list, dict[int, list]]:
    """Document completion: hold out half the tokens of a fraction of units."""
    rng = np.random.RandomState(seed)
    n = len(bow)
    eligible = [i for i, d in enumerate(bow) if sum(c for _, c in d) >= 4]
    n_hold = max(1, int(round(frac * n))) if eligible else 0
    chosen = sorted(rng.choice(eligible, size=min(n_hold, len(eligible)), replace=False).tolist()) \
        if eligible else []
    train = [list(d) for d in bow]
    held: dict[int, list] = {}
    for i in chosen:
        ids = np.repeat([t for t, _ in bow[i]], [c for _, c in bow[i]])
        perm = rng.permutation(len(ids))
        h = ids[perm[: len(ids) // 2]]
        k = ids[perm[len(ids) // 2:]]
        train[i] = sorted(zip(*np.unique(k, return_counts=True)))
        train[i] = [(int(a), int(b)) for a, b in train[i]]
        held[i] = [(int(a), int(b)) for a, b in zip(*np.unique(h, return_counts=True))]
    return train, held


class TopicSelection(NamedTuple):
    """Result of :func:`select_topics`: ``table``, ``topic_table``, ``models``, ``bow_summary``."""

    table: pd.DataFrame
    topic_table: pd.DataFrame
    models: dict
    bow_summary: dict


_WORKER: dict[str, Any] = {}


def _worker_context():
    """Start worker processes from a fresh server process, not by forking the caller.

    A forked worker shares the caller's whole heap (in a notebook kernel: the corpus,
    both token tables, figures) and copies whatever pages it touches; with a 10,000-
    document corpus two forked workers tripled the memory of notebook 03. A forkserver
    worker holds only the imported modules and what it is sent (here a sample of
    units, or one topic chain). ``spawn`` where there is no forkserver (Windows).
    """
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["bureau_rhetoric.topics", "gensim.models", "numpy", "pandas"])
        return ctx
    return mp.get_context("spawn")


def _init_worker(payload: dict) -> None:
    _WORKER.clear()
    _WORKER.update(payload)


def _exclusivity(topic_word: np.ndarray, m: int = 10, frexw: float = 0.7) -> float:
    """stm's ``exclusivity``: mean over topics of the summed FREX of its top-m words."""
    fx = frex_scores(topic_word, w=frexw)
    order = np.argsort(-topic_word, axis=1)[:, :m]
    return float(np.mean([fx[k, order[k]].sum() for k in range(topic_word.shape[0])]))


def _fit_one(job: tuple[int, int]) -> dict:
    from gensim.models import CoherenceModel

    k, seed = job
    p = _WORKER
    corpus: BowCorpus = p["corpus"]
    train = BowCorpus(corpus.dct, p["train"], corpus.units, corpus.removed, corpus.summary)
    params = dict(n_topics=int(k), passes=p["passes"], iterations=p["iterations"], alpha=p["alpha"],
                  eta=p["eta"], chunksize=None, seed=int(seed))
    if p["engine"] != "gensim":
        params["engine"] = p["engine"]
        params["gibbs_iterations"] = p["gibbs_iterations"]
    t0 = time.perf_counter()
    model = _fit_or_load(train, params, p["cache_dir"])
    fit_s = time.perf_counter() - t0
    # held-out log likelihood of the held-out halves, given theta learnt from the kept halves
    ll, n_tok = 0.0, 0
    for i, words in p["held"].items():
        th = model.theta_[i]
        for w, c in words:
            ll += c * np.log(float(th @ model.topic_word_[:, w]))
            n_tok += c
    tops = model.top_words(p["topn"])
    out = {"K": int(k), "seed": int(seed), "heldout_loglik": ll / max(n_tok, 1),
           "heldout_perplexity": float(np.exp(-ll / max(n_tok, 1))), "heldout_tokens": n_tok,
           "exclusivity": _exclusivity(model.topic_word_)}
    for name, measure in (("coherence_cv", "c_v"), ("coherence_npmi", "c_npmi")):
        cm = CoherenceModel(topics=tops, texts=p["texts"], dictionary=corpus.dct, coherence=measure,
                            topn=p["topn"], processes=1)
        per = np.asarray(cm.get_coherence_per_topic(), dtype=np.float64)
        out[name] = float(np.nanmean(per))
        out[name + "_per_topic"] = per.tolist()
    out["fit_seconds"] = fit_s
    out["seconds"] = time.perf_counter() - t0
    return {"row": out, "topic_word": model.topic_word_, "model": model}


def select_topics(toks: pd.DataFrame, k_values: Iterable[int], seeds: Iterable[int], *,
                  no_below: int = DEFAULT_NO_BELOW, no_above: float = DEFAULT_NO_ABOVE,
                  keep_n: int | None = DEFAULT_KEEP_N, min_tokens: int = DEFAULT_MIN_TOKENS,
                  passes: int = 20, iterations: int = 200, alpha: str | float = "auto",
                  eta: str | float | None = None, engine: str = "gensim", gibbs_iterations: int = 1000,
                  sample_size: int | None = None, heldout_frac: float = 0.1, split_seed: int = 0,
                  topn: int = 10, metric: str = "jsd", n_jobs: int | None = None,
                  cache_dir: str | Path | None = None) -> "TopicSelection":
    """Compare numbers of topics (stm's ``searchK``), with several seeds per K.

    Parameters
    ----------
    toks : DataFrame
        Token table (``doc_id``, ``para_id``, ``tokens``).
    k_values : iterable of int
        Numbers of topics to try.
    seeds : iterable of int
        Seeds fitted for every K (two or more for stability).
    no_below, no_above, keep_n, min_tokens
        Dictionary filtering, as :func:`build_bow`.
    passes, iterations, alpha, eta, engine, gibbs_iterations
        As :class:`TopicModel`.
    sample_size : int, optional
        Fit and score every (K, seed) on a seeded sample of this many units
        (:func:`sample_units`, seed ``split_seed``; the dictionary is built on all
        units). The cost of the sweep then stops growing with the corpus, while the
        chosen K is fitted on every unit. None uses all units.
    heldout_frac : float, default 0.1
        Fraction of units whose tokens are half held out (document completion,
        as ``searchK``): every fit sees the other half, and the held-out half is
        scored with the unit's fitted topic mix. One split (``split_seed``) for all
        (K, seed), so rows are comparable.
    split_seed : int, default 0
    topn : int, default 10
        Top words per topic for coherence.
    metric : {"jsd", "cosine"}, default "jsd"
        Topic similarity used for stability.
    n_jobs : int, optional
        Worker processes; None uses all cores (at most one per fit); 1 runs serially.
        The table is identical whatever the value.
    cache_dir : str or Path, optional
        Reuse fitted models from ``cache_dir/topic-models``.

    Returns
    -------
    TopicSelection
        ``table``: one row per (K, seed): ``coherence_cv``, ``coherence_npmi`` (means over
        topics of the top ``topn`` words, gensim ``CoherenceModel`` on the units'
        token lists), ``heldout_loglik`` (per token), ``heldout_perplexity``,
        ``exclusivity``, ``stability`` (mean Hungarian-matched similarity of this
        run's topics to each other seed's at the same K; NaN with one seed),
        ``fit_seconds``, ``seconds``. ``topic_table``: per-topic stability and
        coherence of each run (``K``, ``seed``, ``topic``). ``models``:
        ``{(K, seed): TopicModel}`` (fitted on the corpus with held-out tokens
        removed). ``bow_summary``: the dictionary filtering summary.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.topics import select_topics
    >>> toks = pd.DataFrame({"doc_id": list("abcdef"), "tokens": [
    ...     ["科技", "创新", "企业", "孵化器"] * 4, ["廉政", "党风", "监督", "纪律"] * 4,
    ...     ["创新", "企业", "孵化器", "科技"] * 4, ["监督", "纪律", "廉政", "党风"] * 4,
    ...     ["科技", "企业", "创新", "孵化器"] * 4, ["党风", "廉政", "纪律", "监督"] * 4]})
    >>> sel = select_topics(toks, [2, 3], [1, 2], no_below=1, no_above=1.0, passes=5,
    ...                     heldout_frac=0.34, topn=3, n_jobs=1)
    >>> tab = sel.table
    >>> tab[["K", "seed"]].values.tolist()
    [[2, 1], [2, 2], [3, 1], [3, 2]]
    >>> bool(tab["stability"].between(0, 1).all())
    True
    """
    k_values = [int(k) for k in k_values]
    seeds = [int(s) for s in seeds]
    if not k_values or not seeds:
        raise ValueError("k_values and seeds must not be empty")
    bad = [k for k in k_values if k < 2]
    if bad:
        raise ValueError(f"K must be >= 2, got {bad[0]}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds}")
    if not 0 < heldout_frac < 1:
        raise ValueError(f"heldout_frac must be in (0, 1), got {heldout_frac}")
    corpus = build_bow(toks, no_below=no_below, no_above=no_above, keep_n=keep_n, min_tokens=min_tokens)
    corpus = sample_units(corpus, sample_size, seed=split_seed)
    train, held = _split_heldout(corpus.bow, heldout_frac, split_seed)
    # coherence texts: the token lists of the kept units (full sequences, for c_v's sliding window)
    key = list(zip(toks["doc_id"].astype(str),
                   toks["para_id"].astype(int) if "para_id" in toks.columns else [0] * len(toks)))
    tok_of = dict(zip(key, toks["tokens"]))
    texts = [list(tok_of[(d, int(p))]) for d, p in zip(corpus.units["doc_id"], corpus.units["para_id"])]
    payload = {"corpus": corpus, "train": train, "held": held, "texts": texts, "passes": passes,
               "iterations": iterations, "alpha": alpha, "eta": eta, "topn": int(topn),
               "cache_dir": cache_dir, "engine": engine, "gibbs_iterations": int(gibbs_iterations)}
    jobs = [(k, s) for k in k_values for s in seeds]
    n_jobs = (os.cpu_count() or 1) if n_jobs in (None, -1) else int(n_jobs)
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be >= 1, -1 or None, got {n_jobs}")
    n_jobs = min(n_jobs, len(jobs))
    if n_jobs == 1:
        _init_worker(payload)
        results = [_fit_one(j) for j in jobs]
        _WORKER.clear()
    else:
        from concurrent.futures import ProcessPoolExecutor

        # longest fits first keeps both workers busy to the end
        order = sorted(range(len(jobs)), key=lambda i: -jobs[i][0])
        with ProcessPoolExecutor(n_jobs, mp_context=_worker_context(), initializer=_init_worker,
                                 initargs=(payload,)) as ex:
            done = list(ex.map(_fit_one, [jobs[i] for i in order], chunksize=1))
        results = [None] * len(jobs)
        for i, r in zip(order, done):
            results[i] = r
    rows = [r["row"] for r in results]
    coh_rows = []
    for r in rows:
        cv, npmi = r.pop("coherence_cv_per_topic"), r.pop("coherence_npmi_per_topic")
        for t, (a, b) in enumerate(zip(cv, npmi)):
            coh_rows.append((r["K"], r["seed"], t + 1, a, b))
    table = pd.DataFrame(rows)
    stab_rows = []
    table["stability"] = np.nan
    vocab = np.array([corpus.dct[i] for i in range(len(corpus.dct))], dtype=object)
    for k in k_values:
        idx = [i for i, (kk, _) in enumerate(jobs) if kk == k]
        if len(idx) < 2:
            continue
        tws = [(results[i]["topic_word"], vocab) for i in idx]
        for j, i in enumerate(idx):
            st = topic_stability(tws, reference=j, metric=metric)
            table.loc[i, "stability"] = float(st["stability"].mean())
            st.insert(0, "seed", jobs[i][1])
            st.insert(0, "K", k)
            stab_rows.append(st)
    per_topic = (pd.concat(stab_rows, ignore_index=True) if stab_rows
                 else pd.DataFrame(columns=["K", "seed", "topic", "stability", "min_similarity", "n_runs"]))
    cols = ["K", "seed", "coherence_cv", "coherence_npmi", "heldout_loglik", "heldout_perplexity",
            "exclusivity", "stability", "heldout_tokens", "fit_seconds", "seconds"]
    table = table[cols + [c for c in table.columns if c not in cols]]
    per_topic = per_topic.merge(pd.DataFrame(coh_rows, columns=["K", "seed", "topic", "coherence_cv",
                                                                "coherence_npmi"]),
                                on=["K", "seed", "topic"], how="right")
    summary = dict(corpus.summary, metric=metric, engine=engine, n_heldout_units=len(held),
                   n_heldout_tokens=int(table["heldout_tokens"].iloc[0]))
    return TopicSelection(table, per_topic, {jobs[i]: results[i]["model"] for i in range(len(jobs))}, summary)


# --------------------------------------------------------------------------- prevalence (estimateEffect)
def _sort_levels(levels) -> list:
    """Plan periods in time order (``dating.period_order``, from fyp.csv); other labels after, sorted."""
    from .dating import period_order

    return period_order(sorted(set(levels), key=str))


def _bspline_basis(x: np.ndarray, df: int, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Cubic B-spline basis with ``df`` columns (interior knots at quantiles of x)."""
    from scipy.interpolate import BSpline

    degree = 3 if df >= 4 else max(df - 1, 1)
    n_inner = df - degree - 1
    inner = np.quantile(x, np.linspace(0, 1, n_inner + 2)[1:-1]) if n_inner > 0 else np.array([])
    t = np.concatenate([[lo] * (degree + 1), inner, [hi] * (degree + 1)])
    return t, np.asarray(inner), degree


def _design_spline(t: np.ndarray, degree: int, x: np.ndarray) -> np.ndarray:
    from scipy.interpolate import BSpline

    x = np.clip(np.asarray(x, dtype=np.float64), t[0], t[-1] - 1e-9)
    return BSpline.design_matrix(x, t, degree).toarray()


#: Spline degrees of freedom tried when ``df="auto"`` (2 = a straight line).
SPLINE_DF_CANDIDATES = (2, 3, 4, 5, 6, 8, 10, 12)


def _pull_in(Y: np.ndarray, tokens: np.ndarray) -> np.ndarray:
    """Shares pulled off 0 and 1 by half a token (Smithson & Verkuilen 2006), so their logits are finite."""
    t = np.maximum(np.asarray(tokens, dtype=np.float64), 1.0)[:, None]
    return (Y * t + 0.5) / (t + 1.0)


def _expit(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _frac_logit(X: np.ndarray, Y: np.ndarray, *, max_iter: int = 50, tol: float = 1e-9):
    """Fractional logit (Papke & Wooldridge 1996) of every column of Y on X, by IRLS.

    A quasi-likelihood GLM with a Bernoulli variance and a logit link: E[y|x] =
    expit(x'b) models the *mean* share (not the mean of logits), so a category's
    fit is its sample mean, and predictions stay in (0, 1). Returns the
    coefficients ``(p, K)`` and their covariance ``(K, p, p)``.

    The covariance is the robust sandwich that Papke & Wooldridge recommend (HC2:
    squared residuals over ``1 - leverage``), not ``phi (X'WX)^-1`` with one
    dispersion ``phi`` for all documents: a topic's shares are far more spread where
    the topic is common than where it is rare, and a pooled ``phi`` applied to a
    level whose mean share is near 0 gives a logit-scale variance of ``phi / (n
    mu)``, i.e. an interval from 0 to nearly 1 around a share of 0.001. A document
    with leverage 1 (a level resting on that one document, or a spline's lone end
    point) shows no spread at all, so it alone gets the model-based variance
    ``phi mu (1 - mu)``, with ``phi`` from the other documents: a level of one
    document still gets an interval, and a wide one.
    """
    n, p = X.shape
    ridge = 1e-10 * np.eye(p)
    Z0 = np.log(Y) - np.log1p(-Y)
    B = np.linalg.lstsq(X, Z0, rcond=None)[0]                       # start from OLS on the logit scale
    for _ in range(max_iter):
        eta = np.clip(X @ B, -30, 30)
        mu = _expit(eta)
        W = np.maximum(mu * (1 - mu), 1e-12)                       # (n, K)
        Zw = eta + (Y - mu) / W
        XtWX = np.einsum("ni,nk,nj->kij", X, W, X) + ridge          # (K, p, p)
        XtWz = np.einsum("ni,nk->ki", X, W * Zw)                    # (K, p)
        B_new = np.linalg.solve(XtWX, XtWz[..., None])[..., 0].T   # (p, K)
        done = np.max(np.abs(B_new - B)) < tol
        B = B_new
        if done:
            break
    mu = _expit(np.clip(X @ B, -30, 30))
    W = np.maximum(mu * (1 - mu), 1e-12)
    XtWX = np.einsum("ni,nk,nj->kij", X, W, X) + ridge
    bread = np.linalg.inv(XtWX)                                     # (K, p, p)
    lev = W * np.einsum("ni,kij,nj->nk", X, bread, X)               # (n, K): leverage of each document
    alone = lev > 1 - 1e-6
    r2 = (Y - mu) ** 2
    n_free = np.maximum((~alone).sum(axis=0) - p + alone.sum(axis=0), 1)
    phi = np.where(alone, 0.0, r2 / W).sum(axis=0) / n_free         # (K,) from documents that show spread
    meat_w = np.where(alone, phi[None, :] * W, r2 / np.where(alone, 1.0, 1 - lev))
    meat = np.einsum("ni,nk,nj->kij", X, meat_w, X)
    cov = bread @ meat @ bread
    return B, cov


def _spline_cv(x: np.ndarray, Z: np.ndarray, candidates, *, lo: float, hi: float, folds: int = 5,
               seed: int = 0, scale: str = "logit") -> pd.DataFrame:
    """K-fold cross-validated error of B-spline fits of ``x`` for each df (rows of Z: documents' shares).

    Knots depend on ``x`` only (never on the shares), so they are computed once on all
    documents; folds are a seeded permutation of the documents. Each df is fitted as
    the prevalence is (fractional logit, or least squares for ``scale="linear"``); the
    error is the mean squared error of the predicted shares, summed over topics.
    """
    n = len(x)
    rng = np.random.default_rng(seed)
    fold = np.empty(n, dtype=int)
    fold[rng.permutation(n)] = np.arange(n) % folds
    rows = []
    n_distinct = len(np.unique(x))
    for df in candidates:
        if df > n_distinct or n - n // folds - df < 2:
            continue
        t, _, degree = _bspline_basis(x, int(df), lo, hi)
        X = _design_spline(t, degree, x)
        err = 0.0
        for f in range(folds):
            tr, te = fold != f, fold == f
            if not te.any():
                continue
            if scale == "logit":
                B = _frac_logit(X[tr], Z[tr])[0]
                pred = _expit(np.clip(X[te] @ B, -30, 30))
            else:
                B = np.linalg.lstsq(X[tr], Z[tr], rcond=None)[0]
                pred = X[te] @ B
            err += float(((Z[te] - pred) ** 2).sum())
        rows.append((int(df), err / n))
    return pd.DataFrame(rows, columns=["df", "cv_error"])


def _prevalence_draws(model: TopicModel, meta: pd.DataFrame, *, by: str, time: str, df: int | str, nsims: int,
                      min_confidence: str | None, seed: int, scale: str = "logit"):
    """Simulated topic shares of :func:`topic_prevalence`: ``(levels, draws (nsims x levels x K), n_at,
    method, info)``; the imputation (:mod:`imputation`) pools these over draws of the years."""
    model._check_fitted()
    if scale not in ("logit", "linear"):
        raise ValueError(f"scale must be 'logit' or 'linear', got {scale!r}")
    if int(nsims) < 1:
        raise ValueError(f"nsims must be >= 1, got {nsims}")
    if time not in ("categorical", "spline"):
        raise ValueError(f"time must be 'categorical' or 'spline', got {time!r}")
    if by not in meta.columns or "doc_id" not in meta.columns:
        raise ValueError(f"meta needs columns 'doc_id' and {by!r} (has {list(meta.columns)})")
    m = meta[["doc_id", by] + (["year_confidence"] if "year_confidence" in meta.columns else [])].copy()
    m["doc_id"] = m["doc_id"].astype(str)
    if m["doc_id"].duplicated().any():
        raise ValueError(f"meta has doc_id {m.loc[m['doc_id'].duplicated(), 'doc_id'].iloc[0]!r} twice")
    units = model.units_.reset_index(drop=True)
    doc_order = list(pd.unique(units["doc_id"].astype(str)))
    m = m.set_index("doc_id").reindex(doc_order)
    usable = m[by].notna()
    n_conf_dropped = 0
    if min_confidence is not None:
        if min_confidence not in _CONFIDENCE_ORDER:
            raise ValueError(f"min_confidence must be one of {list(_CONFIDENCE_ORDER)}, got {min_confidence!r}")
        if "year_confidence" not in m.columns:
            raise ValueError("min_confidence needs a year_confidence column in meta")
        conf = m["year_confidence"].map(_CONFIDENCE_ORDER).fillna(0)
        low = usable & (conf < _CONFIDENCE_ORDER[min_confidence])
        n_conf_dropped = int(low.sum())
        usable &= ~low
    keep_docs = [d for d, u in zip(doc_order, usable) if u]
    unit_doc = units["doc_id"].astype(str).to_numpy()
    keep_set = set(keep_docs)
    umask = np.array([d in keep_set for d in unit_doc])
    sub_units = units.loc[umask].reset_index(drop=True)
    gamma = model.gamma_[umask]
    doc_tokens = sub_units.groupby(sub_units["doc_id"].astype(str), sort=False)["n_tokens"].sum()
    doc_tokens = doc_tokens.reindex(keep_docs).to_numpy(dtype=np.float64)
    info_cv: dict = {}
    if time == "spline":
        x = pd.to_numeric(m.loc[keep_docs, by], errors="raise").to_numpy(dtype=np.float64)
        lo_x, hi_x = float(np.min(x)), float(np.max(x))
        if hi_x <= lo_x:
            raise ValueError(f"a spline needs at least two distinct values of {by!r}")
        if isinstance(df, str):
            if df != "auto":
                raise ValueError(f"df must be an integer >= 2 or 'auto', got {df!r}")
            # point shares (posterior means) on the modelling scale choose the flexibility
            ids0, Y0 = _aggregate_to_docs(sub_units, gamma / gamma.sum(axis=1, keepdims=True))
            Y0 = pd.DataFrame(Y0, index=ids0).reindex(keep_docs).to_numpy()
            Z0 = _pull_in(Y0, doc_tokens) if scale == "logit" else Y0
            cv = _spline_cv(x, Z0, SPLINE_DF_CANDIDATES, lo=lo_x, hi=hi_x + 1e-6, seed=seed, scale=scale)
            if cv.empty:
                raise ValueError(f"{len(x)} documents in {len(np.unique(x))} distinct values of {by!r} are too "
                                 "few to choose a spline by cross-validation; set df=2 (a line)")
            df = int(cv.loc[cv["cv_error"].idxmin(), "df"])
            info_cv = {"df_chosen": df, "df_cv": cv.to_dict("records")}
        tknots, _, degree = _bspline_basis(x, int(df), lo_x, hi_x + 1e-6)
        X = _design_spline(tknots, degree, x)
        grid = np.arange(np.floor(lo_x), np.floor(hi_x) + 1)
        G = _design_spline(tknots, degree, grid)
        levels = [int(g) if float(g).is_integer() else g for g in grid]
        counts = pd.Series(x).value_counts()
        n_at = [int(counts.get(float(g), 0)) for g in grid]
        method = (f"B-spline of {by} (df={df}{', chosen by 5-fold cross-validation' if info_cv else ''}), "
                  f"{scale} scale, {nsims} simulations")
    else:
        vals = m.loc[keep_docs, by]
        if by == "year":
            vals = vals.astype("int64")
        uniq = list(pd.unique(vals))
        levels = _sort_levels(uniq) if vals.dtype == object else sorted(uniq)
        pos = {v: i for i, v in enumerate(levels)}
        X = np.zeros((len(keep_docs), len(levels)))
        X[np.arange(len(keep_docs)), [pos[v] for v in vals]] = 1.0
        G = np.eye(len(levels))
        counts = vals.value_counts()
        n_at = [int(counts.get(v, 0)) for v in levels]
        method = f"{by} as categories, {scale} scale, {nsims} simulations"
    n, p = X.shape
    if n - p < 1:
        raise ValueError(f"{n} documents cannot estimate {p} coefficients with a residual variance "
                         f"(by={by!r}, time={time!r}); use by='fyp_period' or time='spline' with a smaller df")
    XtX_inv = np.linalg.pinv(X.T @ X)
    L = np.linalg.cholesky(XtX_inv + 1e-12 * np.eye(p))
    pinvX = XtX_inv @ X.T
    rng = np.random.default_rng(seed)
    K = gamma.shape[1]
    draws = np.empty((int(nsims), len(levels), K))
    index = _doc_index(sub_units)  # the same for every draw
    rows_of_keep = pd.Index(index[0]).get_indexer(keep_docs)
    for s in range(int(nsims)):
        g = rng.standard_gamma(gamma)
        theta = g / g.sum(axis=1, keepdims=True)
        _, Y = _aggregate_to_docs(sub_units, theta, index)
        Y = Y[rows_of_keep]
        if scale == "logit":  # fractional logit: the mean share, predictions inside (0, 1)
            B, cov = _frac_logit(X, _pull_in(Y, doc_tokens))
            z = rng.standard_normal((p, K))
            Lk = np.linalg.cholesky(cov + 1e-12 * np.eye(p))        # (K, p, p)
            coef = B + np.einsum("kij,jk->ik", Lk, z)
            draws[s] = _expit(np.clip(G @ coef, -30, 30))
            continue
        B = pinvX @ Y                                  # (p, K)
        resid = Y - X @ B
        sigma = np.sqrt((resid ** 2).sum(axis=0) / (n - p))  # (K,)
        z = rng.standard_normal((p, K))
        coef = B + (L @ z) * sigma[None, :]
        draws[s] = G @ coef
    info = {"n_docs_used": len(keep_docs), "n_docs_dropped": int(len(doc_order) - len(keep_docs)),
            "n_docs_dropped_confidence": n_conf_dropped, "scale": scale, **info_cv}
    return levels, draws, n_at, method, info


def topic_prevalence(model: TopicModel, meta: pd.DataFrame, *, by: str = "year", time: str = "categorical",
                     df: int | str = "auto", nsims: int = 100, ci: float = 0.95, min_confidence: str | None = None,
                     seed: int = 0, scale: str = "logit") -> pd.DataFrame:
    """Estimate topic shares over time with intervals (stm's ``estimateEffect``, method of composition).

    For each of ``nsims`` simulations: draw every unit's topic proportions from
    its variational posterior Dirichlet(gamma); aggregate paragraphs to documents
    (token-weighted mean); regress each topic's document shares on time by least
    squares, or by default as a fractional logit (a quasi-binomial GLM of the
    mean share with a logit link, Papke & Wooldridge 1996; shares pulled off 0 by
    half a token), so that every estimate and interval stays inside [0, 1]; draw
    the coefficients from their sampling distribution (N(b, s² (X'X)⁻¹), or
    N(b, phi (X'WX)⁻¹) with the dispersion pooled over documents); predict at
    each time point (and map back through the logit). Estimates are the
    means of the pooled draws and intervals their quantiles, so they carry the
    uncertainty of the topic proportions and of the regression (few documents per
    year give wide intervals).

    Parameters
    ----------
    model : TopicModel
        Fitted (on documents or paragraphs).
    meta : DataFrame
        ``doc_id`` and the ``by`` column (and ``year_confidence`` if
        ``min_confidence`` is given). Documents without a value are left out (counted
        in ``attrs["n_docs_dropped"]``).
    by : {"year", "fyp_period"} or str, default "year"
        Time column.
    time : {"categorical", "spline"}, default "categorical"
        Each level its own mean (no pooling), or a cubic B-spline of the (numeric)
        year with ``df`` degrees of freedom (smooth, borrows strength across years).
    df : int or "auto", default "auto"
        Spline degrees of freedom (2 is a straight line). ``"auto"`` chooses
        among :data:`SPLINE_DF_CANDIDATES` (those the number of distinct years
        and documents allow) by 5-fold cross-validation over documents on the
        point shares; the choice and the error per df are in ``attrs``.
    nsims : int, default 100
        Simulations (stm's default is 25).
    ci : float, default 0.95
        Interval coverage.
    min_confidence : {"low", "medium", "high"}, optional
        Leave out documents whose ``year_confidence`` is below this.
    seed : int, default 0
    scale : {"logit", "linear"}, default "logit"
        ``"logit"``: fractional logit (the mean share, bounded). ``"linear"``
        regresses the shares themselves (stm's ``estimateEffect``); its intervals
        can leave [0, 1] when few documents carry a time point.

    Returns
    -------
    DataFrame
        ``topic`` (1-based), ``<by>``, ``estimate``, ``lo``, ``hi``, ``n_docs`` (documents at
        that time point), ``method``. ``attrs`` record nsims, ci, seed, scale, the documents
        used and dropped, and with ``df="auto"`` ``df_chosen`` and ``df_cv`` (records of
        ``df``, ``cv_error``).

    Raises
    ------
    ValueError
        If too few documents are left to estimate the residual variance
        (fewer documents than coefficients + 1).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bureau_rhetoric.topics import TopicModel, topic_prevalence
    >>> m = TopicModel(2)
    >>> m.lda_ = None
    >>> m.units_ = pd.DataFrame({"doc_id": list("abcdef"), "para_id": 0, "n_tokens": 50})
    >>> m.gamma_ = np.array([[40., 10], [38, 12], [42, 8], [10, 40], [12, 38], [9, 41]])
    >>> meta = pd.DataFrame({"doc_id": list("abcdef"), "fyp_period": ["十一五"] * 3 + ["十二五"] * 3})
    >>> prev = topic_prevalence(m, meta, by="fyp_period", nsims=50, seed=1)
    >>> prev[prev.topic == 1][["fyp_period", "n_docs"]].values.tolist()
    [['十一五', 3], ['十二五', 3]]
    >>> bool(prev.query("topic == 1").estimate.is_monotonic_decreasing)
    True
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be in (0, 1), got {ci}")
    levels, draws, n_at, method, info = _prevalence_draws(model, meta, by=by, time=time, df=df, nsims=nsims,
                                                          min_confidence=min_confidence, seed=seed, scale=scale)
    K = draws.shape[2]
    a = (1 - ci) / 2
    est = draws.mean(axis=0)
    lo = np.quantile(draws, a, axis=0)
    hi = np.quantile(draws, 1 - a, axis=0)
    rows = []
    for k in range(K):
        for j, lev in enumerate(levels):
            rows.append((k + 1, lev, est[j, k], lo[j, k], hi[j, k], n_at[j]))
    out = pd.DataFrame(rows, columns=["topic", by, "estimate", "lo", "hi", "n_docs"])
    out["method"] = method
    out.attrs = {"nsims": int(nsims), "ci": ci, "seed": seed, "by": by, "time": time, **info}
    return out


# --------------------------------------------------------------------------- dynamic topics
class DynamicTopics(NamedTuple):
    """A fitted dynamic topic model and the words that drift.

    Attributes
    ----------
    model : gensim.models.LdaSeqModel
    dct : gensim.corpora.Dictionary
        The bounded vocabulary.
    periods : list
        Time slice labels, in order.
    time_slice : list of int
        Documents per slice.
    drift : DataFrame
        ``topic``, ``period``, ``word``, ``prob``, ``rank`` (rank within the period):
        the union of each topic's top words over periods, with their probability in
        every period.
    seconds : float
        Fitting time.
    """

    model: Any
    dct: Any
    periods: list
    time_slice: list
    drift: pd.DataFrame
    seconds: float


_DTM: dict[str, Any] = {}


def _fit_chain(job: tuple) -> tuple:
    from gensim.models.ldaseqmodel import sslm

    chain, sstats = job
    return chain, sslm.fit_sslm(chain, sstats)


def _ldaseq_class():
    from gensim.models import LdaSeqModel

    class _LdaSeqModel(LdaSeqModel):
        """LdaSeqModel whose M-step fits the K topic chains in worker processes.

        Each chain's fit (``sslm.fit_sslm``: one numerical optimisation per word) is
        deterministic and independent of the others given the sufficient
        statistics, so the result is the serial one; the bounds are summed in topic
        order as gensim does.
        """

        def fit_lda_seq_topics(self, topic_suffstats):
            pool = _DTM.get("pool")
            if pool is None:
                return super().fit_lda_seq_topics(topic_suffstats)
            done = list(pool.map(_fit_chain, zip(self.topic_chains, topic_suffstats)))
            self.topic_chains = [c for c, _ in done]
            lhood = 0
            for _, term in done:
                lhood += term
            return lhood

    return _LdaSeqModel


def fit_dynamic_topics(toks: pd.DataFrame, meta: pd.DataFrame, *, model: TopicModel | None = None,
                       n_topics: int | None = None, by: str = "fyp_period", vocab_size: int = 300,
                       n_words: int = 8, no_below: int = 2, em_min_iter: int = 2, em_max_iter: int = 4,
                       lda_inference_max_iter: int = 10, chain_variance: float = 0.005,
                       max_docs_per_period: int | None = None, n_jobs: int | None = 1,
                       seed: int = 0) -> DynamicTopics:
    """Fit gensim's dynamic topic model (``LdaSeqModel``) over periods, on a bounded vocabulary.

    ``LdaSeqModel`` is slow (pure Python, gensim issues #1545, #3350): its cost
    grows with vocabulary x time slices x topics x documents. Here documents (not
    paragraphs) are the units, the vocabulary is bounded to ``vocab_size`` terms
    (the top words of the static model's topics first, then the most frequent),
    and the EM iterations are capped. Started from a static :class:`TopicModel`
    (``model``), dynamic topic k continues static topic k, so labels carry over.

    Parameters
    ----------
    toks : DataFrame
        Token table (paragraphs are concatenated per document).
    meta : DataFrame
        ``doc_id`` and ``by``; documents without a period are left out.
    model : TopicModel, optional
        Static model to start from (its topic-word rows, restricted to the bounded
        vocabulary, are the initial sufficient statistics).
    n_topics : int, optional
        Needed when ``model`` is None (then gensim's own LDA initialises).
    by : str, default "fyp_period"
        Time column; Five-Year-Plan periods are sorted in time order.
    vocab_size : int, default 300
    n_words : int, default 8
        Top words per topic and period in ``drift``.
    no_below : int, default 2
        Minimum document frequency of a term.
    em_min_iter, em_max_iter, lda_inference_max_iter : int
        gensim's iteration limits (defaults 6, 20, 25 there; lower here for speed).
    chain_variance : float, default 0.005
        How far a topic may move between periods.
    max_docs_per_period : int, optional
        Fit on at most this many documents of each period (a seeded random sample;
        the rest are left out of the dynamic model only). The E-step runs per
        document in pure Python, so without a cap the fit grows with the corpus.
        None uses every document.
    n_jobs : int or None, default 1
        Worker processes for the M-step (one topic chain per task; the result is
        the serial one). None uses every core.
    seed : int, default 0

    Returns
    -------
    DynamicTopics
    """
    from gensim.corpora import Dictionary
    from gensim.models import LdaSeqModel

    _check_toks(toks)
    if model is None and n_topics is None:
        raise ValueError("give a static model to start from, or n_topics")
    if by not in meta.columns:
        raise ValueError(f"meta has no column {by!r}")
    per = meta.set_index(meta["doc_id"].astype(str))[by]
    doc_tokens: dict[str, list] = {}
    for d, t in zip(toks["doc_id"].astype(str), toks["tokens"]):
        doc_tokens.setdefault(d, []).extend(t)
    docs = [d for d in doc_tokens if d in per.index and pd.notna(per.get(d))]
    if not docs:
        raise ValueError(f"no document has a value of {by!r}")
    levels = _sort_levels(set(per.loc[docs])) if by != "year" else sorted(set(per.loc[docs]))
    if len(levels) < 2:
        raise ValueError(f"a dynamic model needs at least 2 periods, found {levels}")
    position = {d: i for i, d in enumerate(docs)}
    docs = sorted(docs, key=lambda d: (levels.index(per[d]), position[d]))
    n_available = len(docs)
    if max_docs_per_period is not None:
        if int(max_docs_per_period) < 1:
            raise ValueError(f"max_docs_per_period must be >= 1 or None, got {max_docs_per_period}")
        rng = np.random.RandomState(seed)
        kept = []
        for lev in levels:
            in_period = [d for d in docs if per[d] == lev]
            if len(in_period) > int(max_docs_per_period):
                pick = np.sort(rng.choice(len(in_period), int(max_docs_per_period), replace=False))
                in_period = [in_period[i] for i in pick]
            kept += in_period
        docs = kept
    texts = [doc_tokens[d] for d in docs]
    dct = Dictionary(texts)
    dct.filter_extremes(no_below=int(no_below), no_above=1.0, keep_n=None)
    if model is not None:
        K = model.topic_word_.shape[0]
        chosen: list[str] = []
        order = np.argsort(-model.topic_word_, axis=1)
        r = 0
        while len(chosen) < vocab_size and r < order.shape[1]:
            for k in range(K):
                w = str(model.vocab_[order[k, r]])
                if w in dct.token2id and w not in chosen and len(chosen) < vocab_size:
                    chosen.append(w)
            r += 1
        dct.filter_tokens(good_ids=[dct.token2id[w] for w in chosen])
    else:
        K = int(n_topics)
        dct.filter_extremes(no_below=1, no_above=1.0, keep_n=int(vocab_size))
    bow = [dct.doc2bow(t) for t in texts]
    time_slice = [sum(1 for d in docs if per[d] == lev) for lev in levels]
    kwargs = dict(corpus=bow, time_slice=time_slice, id2word=dct, num_topics=K, chain_variance=chain_variance,
                  em_min_iter=em_min_iter, em_max_iter=em_max_iter, lda_inference_max_iter=lda_inference_max_iter,
                  random_state=np.random.RandomState(seed), chunksize=len(bow))
    if model is not None:
        col = {w: i for i, w in enumerate(model.vocab_)}
        sstats = np.array([[model.topic_word_[k, col[dct[i]]] for k in range(K)] for i in range(len(dct))])
        sstats = sstats * model.term_frequency_.sum() / K
        kwargs.update(initialize="own", sstats=sstats)
    t0 = time.perf_counter()
    jobs = min((os.cpu_count() or 1) if n_jobs in (None, -1) else int(n_jobs), K)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if jobs > 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(jobs, mp_context=_worker_context()) as pool:
                _DTM["pool"] = pool
                try:
                    ldaseq = _ldaseq_class()(**kwargs)
                finally:
                    _DTM.clear()
        else:
            ldaseq = LdaSeqModel(**kwargs)
    seconds = time.perf_counter() - t0
    rows = []
    for k in range(K):
        # probabilities of all words per period: exp(e_log_prob) of the topic's chain
        probs = np.exp(ldaseq.topic_chains[k].e_log_prob)  # (V, T)
        probs = probs / probs.sum(axis=0, keepdims=True)
        top = set()
        for t in range(len(levels)):
            top |= set(np.argsort(-probs[:, t], kind="stable")[:n_words].tolist())
        for t, lev in enumerate(levels):
            ranks = pd.Series(-probs[:, t]).rank(method="first").astype(int)
            for w in sorted(top):
                rows.append((k + 1, lev, dct[w], float(probs[w, t]), int(ranks[w])))
    drift = pd.DataFrame(rows, columns=["topic", "period", "word", "prob", "rank"])
    drift.attrs = {"seconds": seconds, "time_slice": time_slice, "vocab_size": len(dct), "n_docs": len(docs),
                   "n_docs_available": n_available, "max_docs_per_period": max_docs_per_period}
    logger.info("fit_dynamic_topics: %d documents, %d periods, %d terms, K=%d: %.1f s",
                len(docs), len(levels), len(dct), K, seconds)
    return DynamicTopics(ldaseq, dct, levels, time_slice, drift, seconds)


def topic_words_by_period(model: TopicModel, bow, meta: pd.DataFrame, *, by: str = "fyp_period",
                          n_words: int = 8, smooth: float = 0.01) -> pd.DataFrame:
    """Re-estimate each topic's word distribution per period from the static model (fast drift).

    The fast alternative to :func:`fit_dynamic_topics`: every token of a unit is
    split over topics in proportion to ``theta_dk * beta_kw`` (its expected topic
    assignment under the fitted static model); summing these expected counts over
    the units of one period and normalising gives the topic's word distribution in
    that period. Topics are the static ones (same numbers and labels); only the
    words' weights within a topic move. Unlike a dynamic topic model, nothing
    smooths between periods, so periods with few documents are noisy.

    Parameters
    ----------
    model : TopicModel
    bow : BowCorpus or list of list of (int, int)
        The corpus the model was fitted on (row-aligned with ``model.units_``).
    meta : DataFrame
        ``doc_id`` and ``by``.
    by : str, default "fyp_period"
    n_words : int, default 8
        Top words per topic and period kept (their union is reported in every period).
    smooth : float, default 0.01
        Pseudo-count added to every word.

    Returns
    -------
    DataFrame
        ``topic``, ``period``, ``word``, ``prob``, ``rank``, as ``fit_dynamic_topics(...).drift``;
        ``attrs["n_docs"]`` documents per period.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from bureau_rhetoric.topics import TopicModel, topic_words_by_period
    >>> m = TopicModel(2)
    >>> m.lda_, m.vocab_ = None, np.array(["科技", "创新", "廉政"], dtype=object)
    >>> m.topic_word_ = np.array([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    >>> m.units_ = pd.DataFrame({"doc_id": ["a", "b"], "para_id": 0, "n_tokens": [4, 4]})
    >>> m.theta_ = np.array([[0.5, 0.5], [0.5, 0.5]])
    >>> bow = [[(0, 3), (1, 1)], [(1, 3), (0, 1)]]
    >>> meta = pd.DataFrame({"doc_id": ["a", "b"], "fyp_period": ["十一五", "十二五"]})
    >>> d = topic_words_by_period(m, bow, meta, n_words=1, smooth=0.001)
    >>> d.query("topic == 1 and rank == 1")[["period", "word"]].values.tolist()
    [['十一五', '科技'], ['十二五', '创新']]
    """
    model._check_fitted()
    if isinstance(bow, BowCorpus):
        bow = bow.bow
    if len(bow) != len(model.units_):
        raise ValueError(f"bow has {len(bow)} rows but the model was fitted on {len(model.units_)} units")
    per = meta.assign(doc_id=meta["doc_id"].astype(str)).set_index("doc_id")[by]
    unit_period = model.units_["doc_id"].astype(str).map(per)
    levels = (_sort_levels(unit_period.dropna().unique()) if by != "year"
              else sorted(unit_period.dropna().unique()))
    K, V = model.topic_word_.shape
    counts = {lev: np.full((K, V), float(smooth)) for lev in levels}
    beta = model.topic_word_
    for i, d in enumerate(bow):
        lev = unit_period.iloc[i]
        if pd.isna(lev) or not d:
            continue
        ids = np.array([w for w, _ in d])
        cnt = np.array([c for _, c in d], dtype=np.float64)
        phi = model.theta_[i][:, None] * beta[:, ids]          # (K, n_words_in_unit)
        phi /= phi.sum(axis=0, keepdims=True)
        counts[lev][:, ids] += phi * cnt[None, :]
    rows = []
    for k in range(K):
        probs = {lev: (counts[lev][k] / counts[lev][k].sum() if counts[lev][k].sum() > 0
                       else np.full(V, 1.0 / V)) for lev in levels}
        top = set()
        for lev in levels:
            top |= set(np.argsort(-probs[lev], kind="stable")[:n_words].tolist())
        for lev in levels:
            ranks = pd.Series(-probs[lev]).rank(method="first").astype(int)
            for w in sorted(top):
                rows.append((k + 1, lev, str(model.vocab_[w]), float(probs[lev][w]), int(ranks[w])))
    out = pd.DataFrame(rows, columns=["topic", "period", "word", "prob", "rank"])
    docs_per = model.units_.assign(p=unit_period).dropna(subset=["p"]).groupby("p")["doc_id"].nunique()
    out.attrs = {"n_docs": {str(k): int(v) for k, v in docs_per.items()}}
    return out


# --------------------------------------------------------------------------- pyLDAvis, offline
_LDAVIS_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
{css}
body {{ font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }}
</style>
<script type="text/javascript">
{d3}
</script>
<script type="text/javascript">
{ldavis}
</script>
</head>
<body>
<h3>{title}</h3>
<div id="{visid}" style="background-color:white;"></div>
<script type="text/javascript">
new LDAvis("#{visid}", {data});
</script>
</body>
</html>
"""


def _inline_js(text: str) -> str:
    return text.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def write_ldavis(model: TopicModel, path: str | Path, *, R: int = 30, title: str = "LDA topics",
                 lambda_step: float = 0.01) -> Path:
    """Write an interactive pyLDAvis page that works offline (d3 and LDAvis inlined).

    Parameters
    ----------
    model : TopicModel
    path : str or Path
        HTML file.
    R : int, default 30
        Terms shown per topic.
    title : str, default "LDA topics"
    lambda_step : float, default 0.01

    Returns
    -------
    Path

    Notes
    -----
    Topics keep the model's numbering (``sort_topics=False``), so "topic 3" on the
    page is topic 3 in the tables. The page embeds the JavaScript and CSS shipped
    inside the pyLDAvis package instead of linking to a CDN.
    """
    import pyLDAvis
    import pyLDAvis.urls as urls

    model._check_fitted()
    theta = model.theta_
    data = pyLDAvis.prepare(topic_term_dists=model.topic_word_, doc_topic_dists=theta,
                            doc_lengths=model.units_["n_tokens"].to_numpy(),
                            vocab=[str(v) for v in model.vocab_], term_frequency=model.term_frequency_,
                            R=int(R), lambda_step=lambda_step, n_jobs=1, sort_topics=False, start_index=1)
    js_dir = Path(urls.LDAVIS_LOCAL).parent
    css = Path(urls.LDAVIS_CSS_LOCAL).read_text(encoding="utf-8")
    d3 = Path(urls.D3_LOCAL).read_text(encoding="utf-8")
    ldavis = Path(urls.LDAVIS_LOCAL).read_text(encoding="utf-8")
    if not (js_dir / Path(urls.D3_LOCAL).name).is_file():
        raise FileNotFoundError(f"pyLDAvis ships no d3 at {urls.D3_LOCAL}")
    page = _LDAVIS_PAGE.format(title=title, css=css, d3=_inline_js(d3), ldavis=_inline_js(ldavis),
                               visid="ldavis_topics", data=_inline_js(data.to_json()))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
