"""Phrase frequencies and topic models of local S&T bureau (科技局) reports over the years.

The stages, each a module with a verb_noun API::

    ingest -> repair -> segment -> dedupe -> describe -> dating -> corpus
           -> tokens -> phrases -> topics -> figures

The functions the notebooks use are available at the top level (loaded on
first use, so ``import bureau_rhetoric`` stays light); each has a docstring
with a runnable example on Chinese text (``help(br.phrase_rates)``):

Corpus
    load_corpus(corpus_dir)          read a built corpus.parquet
    build_corpus(raw_dir)            build the corpus table from raw files (in memory)
    write_corpus(raw_dir, out_dir)   build and write corpus, audit and build report
    infer_year(text, title=...)      the year one document reports, with evidence
    date_corpus(docs)                add the dating columns to a document table
Words
    tokenize_docs(docs)              jieba segmentation with the project's dictionary
    count_phrases(docs)              policy phrases per document (exact match)
    select_docs(docs)                the default analysis filters, logged
    phrase_rates(counts, docs)       rates per 10,000 characters with bootstrap intervals
    phrase_rates_imputed(...)        the same, undated documents counted by imputation
    share_mentioning_imputed(...)    share of documents mentioning a phrase, years imputed
    keyness_imputed(...)             keyness between eras, years imputed (Rubin's rules)
    emerging_terms_imputed(...)      rising and falling terms, years imputed
    draw_years(docs, m, seed)        M draws of every document's year (evidence x text)
    kwic(docs, keyword)              keyword-in-context lines
    keyness(toks, a, b)              log-likelihood keyness between two groups
    find_collocations(toks)          multi-word term candidates
    rank_emerging_terms(...)         terms rising or falling between periods
Topics
    TopicModel(n_topics).fit(...)    reproducible LDA
    fit_topics(toks, n_topics)       bag of words + one model
    select_topics(toks, ks, seeds)   compare K (coherence, perplexity, stability)
    label_topics(model)              top words by probability and FREX
    document_topics(model)           each document's topic shares
    find_passages(model, docs)       representative passages per topic
    topic_prevalence(model, meta)    topic shares over time with intervals
    topic_prevalence_imputed(...)    the same, undated documents counted by imputation
Figures
    set_paper_theme()                seaborn theme in which Chinese renders
    new_figure(width)                a figure at a journal column width
    save_figure(fig, name)           PDF/SVG/PNG + CSV + provenance sidecar

The modules themselves are attributes too (``br.phrases``, ``br.topics``,
``br.figures``, ``br.config`` ...). Paths come from ``br.config``.

Examples
--------
>>> import bureau_rhetoric as br
>>> br.__version__
'0.1.0'
>>> br.count_phrases is br.phrases.count_phrases
True
"""

from importlib import import_module as _import_module
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("bureau-rhetoric")
except _metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.1.0"

from . import config  # noqa: E402,F401

#: Top-level name -> module that defines it (imported on first use).
_EXPORTS = {
    "load_corpus": "corpus", "build_corpus": "corpus", "write_corpus": "corpus",
    "infer_year": "dating", "date_corpus": "dating",
    "tokenize_docs": "tokens",
    "count_phrases": "phrases", "select_docs": "phrases", "phrase_rates": "phrases", "kwic": "phrases",
    "keyness": "phrases", "find_collocations": "phrases", "rank_emerging_terms": "phrases",
    "phrase_rates_imputed": "imputation", "share_mentioning_imputed": "imputation",
    "keyness_imputed": "imputation", "emerging_terms_imputed": "imputation", "draw_years": "imputation",
    "topic_prevalence_imputed": "imputation",
    "TopicModel": "topics", "fit_topics": "topics", "select_topics": "topics", "label_topics": "topics",
    "document_topics": "topics", "find_passages": "topics", "topic_prevalence": "topics",
    "set_paper_theme": "figures", "new_figure": "figures", "save_figure": "figures",
}
_MODULES = {
    "cache", "cli", "config", "corpus", "dating", "dedupe", "describe", "figures", "imputation", "ingest",
    "lexicons", "notebooks", "phrases", "provenance", "repair", "scale", "segment", "synth", "tokens", "topics",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    # lazy: pandas, jieba, gensim and matplotlib load only when a function needs them
    if name in _EXPORTS:
        value = getattr(_import_module(f".{_EXPORTS[name]}", __name__), name)
    elif name in _MODULES:
        value = _import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'bureau_rhetoric' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS) | _MODULES)
