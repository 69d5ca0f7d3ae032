# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (bureau-rhetoric)
#     language: python
#     name: bureau-rhetoric
# ---

# %% [markdown]
# # 03 · Which themes structure the reports?
#
# **Question.** Local science & technology bureau (科技局) reports mix many duties: project
# management, enterprise support, intellectual property, party discipline (廉政), rural
# science work ... Which recurring themes organise the texts, and how sure can we be that a
# "topic" is a theme of the corpus and not an artefact of one model run?
#
# **Method.** Latent Dirichlet allocation (gensim `LdaModel`, batch variational EM in one
# process, seeded: the same seed gives the same topics bit for bit) on the token table of the
# project's tokenizer (`bureau_rhetoric.tokens`). The K sweep uses tomotopy (below). `ENGINE = "tomotopy"` fits the reported model by
# collapsed Gibbs sampling in C++ (one worker, also bit-reproducible): about 2.5 times faster
# per fit on the seed reports, with comparable coherence (`benchmarks/bench_topics.py`);
# gensim stays the default because its variational posterior (gamma) is what the prevalence
# intervals of notebook 04 draw from, as in `stm`.
# We follow the workflow of R's `stm`:
#
# 1. choose the unit of analysis (documents or paragraphs) and show why;
# 2. a K sweep in the manner of `searchK`: semantic coherence (c_v, NPMI), held-out
#    perplexity, exclusivity and stability across seeds, for several seeds per K;
# 3. fit the chosen K; show per-topic stability (which topics recur under other seeds);
# 4. label topics with probability and FREX words (`labelTopics`) and representative
#    passages (`findThoughts`); an editable label file gives each topic a short Chinese and
#    English name used by every figure;
# 5. an interactive pyLDAvis page (works offline).
#
# How topic shares move over time is notebook 04.

# %% tags=["parameters"]
from bureau_rhetoric import config

CORPUS_DIR = str(config.PROCESSED_DIR)  # folder with corpus.parquet (bureau-rhetoric build)
FIGURES_DIR = str(config.FIGURES_DIR)   # figures (PDF/SVG/PNG + CSV + JSON) and the pyLDAvis page
SEED = config.DEFAULT_SEED              # seed of the model that is reported
CACHE_DIR = str(config.CACHE_DIR)       # tokens and fitted models are cached here (safe to delete)
K = 8                                   # number of topics reported (see the K sweep below)
K_VALUES = [4, 6, 8, 10, 12]            # Ks compared in the sweep
SEEDS = [1, 2, 3]                       # seeds per K in the sweep (stability needs two or more)
UNIT = "paragraph"                      # "paragraph" or "document": what LDA sees as a document
NO_BELOW = 3                            # drop terms found in fewer units than this
NO_ABOVE = 0.5                          # drop terms found in more than this share of units
KEEP_N = 5000                           # then keep at most this many terms
MIN_TOKENS = 5                          # drop units with fewer kept tokens (headings, stubs)
PASSES = 20                             # most passes over the corpus for the reported model
TOL = 0.01                              # ... which stop once no topic's word distribution moves more than this (L1) in a pass
ENGINE = "gensim"                       # reported model: "gensim" (variational EM) or "tomotopy" (Gibbs sampling)
SWEEP_UNITS = 1000                      # the K sweep and the unit check fit a seeded sample of this many units (None: all)
SWEEP_ENGINE = "tomotopy"               # engine of the sweep fits (and of the start of the reported model)
GIBBS_ITERATIONS = 300                  # Gibbs sweeps per tomotopy fit (the likelihood levels off after about 200)
NSIMS = 100                             # simulations for intervals (used in notebook 04)
INCLUDE_DUPLICATES = False              # keep documents marked duplicate_of / off-topic?
MIN_CONFIDENCE = None                   # dating confidence filter: not used here (topics do not use dates); see 04
LABELS_FILE = str(config.PROJECT_ROOT / "notebooks" / "topic-labels.csv")  # edited labels, if any
MIN_UNITS = 10                          # fewer units left for the topic model: its sections are skipped, saying why

# %%
import logging
import sys
from pathlib import Path

import pandas as pd

import matplotlib.pyplot as plt

from bureau_rhetoric import figures, needs, report, tokens, topics
from bureau_rhetoric.corpus import load_corpus
from bureau_rhetoric.provenance import package_versions

logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stdout, force=True)
logging.getLogger("bureau_rhetoric").setLevel(logging.INFO)  # what the filters removed
logging.getLogger("gensim").setLevel(logging.ERROR)  # e.g. "updated prior is not positive" (alpha then kept)
figures.set_paper_theme()
pd.set_option("display.width", 160, "display.max_colwidth", 80)
PARAMS = dict(SEED=SEED, K=K, K_VALUES=K_VALUES, SEEDS=SEEDS, UNIT=UNIT, NO_BELOW=NO_BELOW, NO_ABOVE=NO_ABOVE,
              KEEP_N=KEEP_N, MIN_TOKENS=MIN_TOKENS, PASSES=PASSES, TOL=TOL, ENGINE=ENGINE, SWEEP_UNITS=SWEEP_UNITS,
              SWEEP_ENGINE=SWEEP_ENGINE, GIBBS_ITERATIONS=GIBBS_ITERATIONS, INCLUDE_DUPLICATES=INCLUDE_DUPLICATES)
LEXICONS = [tokens.DEFAULT_DICTIONARY, tokens.DEFAULT_STOPWORDS]

# %% [markdown]
# ## The documents
#
# Duplicates (`duplicate_of` set) and off-topic items (`on_topic` False) are left out by
# default: a report pasted twice would count its themes twice. `INCLUDE_DUPLICATES = True`
# keeps them.

# %%
corpus = load_corpus(CORPUS_DIR)  # refuses a folder mixing two builds (or an unfinished one)
docs = topics.filter_docs(corpus, include_duplicates=INCLUDE_DUPLICATES, include_off_topic=INCLUDE_DUPLICATES)
print(f"{len(corpus)} documents in the corpus, {len(docs)} analysed")
print(report.describe_corpus(docs))
print("\n".join(f"  removed {d}: {r}" for d, r in docs.attrs["removed"].items()) or "nothing removed")
needs.watch(docs)  # a cell starting "# needs: ..." runs only when the corpus has that, else says why

# %% [markdown]
# ## Unit of analysis: documents or paragraphs?
#
# A long report walks through many duties in numbered sections (一、二、三 …), one theme per
# paragraph or section. LDA assumes a document is a
# mixture of topics and learns topics from words that co-occur *within* documents. With a
# few dozen documents, every word co-occurs with nearly every other and topics blur into
# "the report", or a topic becomes one report; with paragraphs, co-occurrence is local and a
# topic is a theme. The table compares the two units; below, the same K is fitted on both
# (with every seed, by `SWEEP_ENGINE`, on seeded samples of about the same number of tokens:
# `SWEEP_UNITS` paragraphs or as many documents as hold them) and compared on coherence,
# stability and *spread*: over how many
# documents a topic's tokens are spread (`effective_docs`, 1 = a single report). Paragraph results are aggregated back to documents wherever a document-level
# number is needed (a document's share of a topic is the token-weighted mean of its
# paragraphs' shares, i.e. the expected fraction of its tokens drawn from that topic).
# Change `UNIT` to fit on documents.

# %%
# needs: docs >= 1
tok_cache = Path(CACHE_DIR) / "tokens"
toks_by_unit = {u: tokens.tokenize_docs(docs, unit=u, cache_dir=tok_cache) for u in ("document", "paragraph")}
unit_table = pd.DataFrame([
    {"unit": u, "units": len(t), "median tokens": int(t["tokens"].map(len).median()),
     "units with >= MIN_TOKENS tokens": int((t["tokens"].map(len) >= MIN_TOKENS).sum())}
    for u, t in toks_by_unit.items()])
needs.update(**needs.model_units(toks_by_unit[UNIT], no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=KEEP_N,
                                 min_tokens=MIN_TOKENS),
             document_units=needs.model_units(toks_by_unit["document"], no_below=2, no_above=0.9, keep_n=KEEP_N,
                                              min_tokens=MIN_TOKENS)["units"])
unit_table

# %%
# needs: units >= MIN_UNITS, document_units >= MIN_UNITS
unit_rows = []
# both samples hold about the same number of tokens: SWEEP_UNITS paragraphs, or as many documents as hold them
unit_sample = {"paragraph": SWEEP_UNITS, "document": None if SWEEP_UNITS is None else max(
    2 * K, round(SWEEP_UNITS * len(toks_by_unit["document"]) / len(toks_by_unit["paragraph"])))}
for u in ("document", "paragraph"):
    sel_u = topics.select_topics(toks_by_unit[u], [K], SEEDS, no_below=NO_BELOW if u == "paragraph" else 2,
                                 no_above=NO_ABOVE if u == "paragraph" else 0.9, keep_n=KEEP_N,
                                 min_tokens=MIN_TOKENS, passes=PASSES, engine=SWEEP_ENGINE,
                                 gibbs_iterations=GIBBS_ITERATIONS, sample_size=unit_sample[u], cache_dir=CACHE_DIR)
    spread = pd.concat([topics.topic_spread(m) for m in sel_u.models.values()])
    row = sel_u.table[["coherence_cv", "coherence_npmi", "stability", "exclusivity"]].mean()
    row["effective_docs"] = spread["effective_docs"].mean()
    row["topics mostly in one report"] = (spread["top_doc_share"] > 0.5).mean()
    unit_rows.append(row.rename(u))
unit_check = pd.DataFrame(unit_rows).round(3)
unit_check

# %% [markdown]
# How to read the table. On documents, `no_above` has to be loosened (with so few documents,
# 50 % of them is a handful). Coherence and stability alone do not settle the choice: a
# model whose topics each reproduce one report is very stable (the same reports come out
# whatever the seed) and coherent, yet says nothing about themes *shared* by reports. The
# decisive column is `effective_docs` and the share of topics drawing most of their tokens
# from a single report: where document-level topics concentrate on few reports and
# paragraph-level topics spread across many, paragraphs are the better unit for the question
# which themes structure the reports; `UNIT = "paragraph"` is the default for that reason. On
# a corpus of hundreds of documents, read this table again: document-level fits may then be
# the better choice.

# %%
# needs: units >= MIN_UNITS
toks = toks_by_unit.pop(UNIT)
toks_by_unit.clear()  # the other unit's tokens served only the comparison above (memory)
bow = topics.build_bow(toks, no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=KEEP_N, min_tokens=MIN_TOKENS)
print(bow.summary["message"])
print("most frequent terms removed:")
print(bow.removed.query("kind == 'term'").head(12).to_string(index=False))

# %% [markdown]
# ## Choosing K: a searchK-style sweep
#
# Every K in `K_VALUES` is fitted with every seed in `SEEDS` (in parallel worker processes;
# the table is identical to a serial run), on a seeded sample of `SWEEP_UNITS` units (all
# of them when the corpus has fewer), so that the sweep costs the same on 500 or 50,000
# documents; the vocabulary is the whole corpus's. The fits use `SWEEP_ENGINE`
# (tomotopy's collapsed Gibbs sampler, one worker, bit-reproducible per seed, several
# times cheaper than a gensim fit at equal coherence; `benchmarks/bench_topics.py`).
# For each fit:
#
# * **coherence** c_v and NPMI of each topic's 10 most probable words, counted in the
#   units' token lists (gensim `CoherenceModel`): do the top words co-occur?
# * **held-out perplexity** by *document completion* (as `searchK`): half the tokens of a
#   fixed 10 % of the units are hidden from every fit and predicted from the topic mix learnt
#   on the other half (lower is better);
# * **exclusivity** (stm's FREX-based measure): are top words particular to their topic?
# * **stability**: topics of one seed matched one-to-one to those of each other seed
#   (Hungarian algorithm, similarity 1 − Jensen-Shannon divergence); 1 means every topic
#   reappears exactly.
#
# No single number picks K: coherence tends to fall and perplexity to improve as K grows,
# and stability falls when K exceeds what the data support.

# %%
# needs: units >= MIN_UNITS
selection = topics.select_topics(
    toks, K_VALUES, SEEDS, no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=KEEP_N, min_tokens=MIN_TOKENS,
    passes=PASSES, engine=SWEEP_ENGINE, gibbs_iterations=GIBBS_ITERATIONS, sample_size=SWEEP_UNITS, cache_dir=CACHE_DIR)
sweep, sweep_models = selection.table, selection.models
print(f"{len(sweep)} fits ({SWEEP_ENGINE}) on {selection.bow_summary['n_units_sampled']:,} of "
      f"{selection.bow_summary['n_units']:,} units; held-out: {selection.bow_summary['n_heldout_tokens']} tokens in "
      f"{selection.bow_summary['n_heldout_units']} units; fitting took {sweep['seconds'].sum():.0f} s of CPU")
summary = sweep.groupby("K")[["coherence_cv", "coherence_npmi", "heldout_perplexity", "exclusivity",
                              "stability"]].agg(["mean", "std"]).round(3)
summary

# %%
# needs: units >= MIN_UNITS
axes = figures.plot_k_diagnostics(sweep, chosen_k=K)
figures.save_figure(axes[0].figure, "03-k-diagnostics", data=sweep.drop(columns=["fit_seconds", "seconds"]),
                    out_dir=FIGURES_DIR, params=PARAMS,
                    lexicons=LEXICONS, notebook="03-topics.ipynb")
plt.show()

# %% [markdown]
# **Figure 03-k-diagnostics.** One panel per diagnostic; grey points are single fits (one per
# seed), the blue line their mean; the dashed line marks the K reported below.
#
# **Choice of K.** We look for a K where coherence has not dropped, held-out perplexity has
# stopped improving, exclusivity is near its plateau and stability across seeds is still
# high, then we read the topics. A difference between neighbouring Ks that is no larger than
# the spread between seeds at one K (grey points) cannot pick K alone. What this sweep shows,
# computed from the table above:

# %%
# needs: units >= MIN_UNITS
print(report.describe_k_choice(sweep, K))

# %% [markdown]
# `K` (the parameter) is the number reported below: choose it where the measures above agree
# and the topics read as recognisable duties of a bureau, check substantive conclusions at
# the neighbouring Ks, and rerun the sweep when the corpus grows.
#
# ## The reported model
#
# K topics fitted on *every* unit with `ENGINE`. A gensim fit starts from a Gibbs fit
# (tomotopy, same K and seed) on the `SWEEP_UNITS` sample instead of random topics, and its
# batch passes stop once no topic's word distribution moves by more than `TOL` (L1) in a
# pass (at most `PASSES`): from a good start, a few passes reach what twenty reach from
# random topics, and topic k keeps the meaning it had in the start. Set `SWEEP_UNITS = None`
# and `TOL = None` for the plain fit: `PASSES` passes from random topics.

# %%
# needs: units >= MIN_UNITS
model = topics.fit_topics(toks, K, no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=KEEP_N, min_tokens=MIN_TOKENS,
                          passes=PASSES, tol=TOL, engine=ENGINE, gibbs_iterations=GIBBS_ITERATIONS,
                          init_sample=SWEEP_UNITS, init_iterations=GIBBS_ITERATIONS, seed=SEED, cache_dir=CACHE_DIR)
print(f"K={K}, seed={SEED}: {len(model.units_)} units, {len(model.vocab_)} terms, {model.passes_} passes, "
      f"model {model.model_sha256_[:12]}, input {model.input_sha256_[:12]}")
print(f"started from: {model.init_ or 'random topics'}")

# %% [markdown]
# ## Labels
#
# Each topic's most probable words, and its FREX words (stm's `labelTopics`, weight 0.5:
# the harmonic mean of a word's frequency rank and exclusivity rank in the topic: words both
# common in and particular to the topic). Short labels come from the label file
# `LABELS_FILE` (columns `topic`, `label_zh`, `label_en`). If it is missing or was written
# for another K, a template pre-filled with the two top FREX words is written to
# `FIGURES_DIR/03-topic-labels-template.csv`: edit the two label columns after reading the
# words and passages below, save it as `LABELS_FILE`, and rerun (from the command line:
# `bureau-rhetoric notebooks --corpus ... --out ... --labels my-labels.csv`).

# %%
# needs: units >= MIN_UNITS
labels = topics.resolve_labels(model, LABELS_FILE, template_path=Path(FIGURES_DIR) / "03-topic-labels-template.csv")
print(labels.attrs["note"])
words = topics.label_topics(model, n=10)
word_lists = words.groupby("topic").agg(prob=("prob_word", " ".join), frex=("frex_word", " ".join))
word_lists.join(labels.set_index("topic")["label"])

# %%
# needs: units >= MIN_UNITS
axes = figures.plot_topic_words(words, labels=labels, n=8)
figures.save_figure(axes[0].figure, "03-topic-words", data=words, out_dir=FIGURES_DIR, params=PARAMS,
                    lexicons=LEXICONS, notebook="03-topics.ipynb", labels_sha256=labels.attrs["sha256"])
plt.show()

# %% [markdown]
# **Figure 03-topic-words.** For each topic, the 8 most probable words (left, bar length
# relative to the most probable word) and the 8 top FREX words (right, FREX score). Words
# on both sides carry the topic; words only on the left are common vocabulary of the genre.
#
# ## Stability of each topic
#
# The reported model (seed `SEED`) is matched topic by topic to the sweep's fits at the
# same K with the other seeds (which saw the `SWEEP_UNITS` sample, with 5 % of its tokens
# held out, and were fitted by `SWEEP_ENGINE`). A topic with high stability reappears whatever the seed; a low one is one way of
# splitting the remaining text and should not carry an argument.

# %%
# needs: units >= MIN_UNITS
others = [sweep_models[(K, s)] for s in SEEDS if (K, s) in sweep_models and s != SEED]
stab = topics.topic_stability([model] + others, reference=0)
stab = stab.merge(labels[["topic", "label"]], on="topic")
stab.sort_values("stability", ascending=False)

# %%
# needs: units >= MIN_UNITS
ax = figures.plot_topic_stability(stab, labels=labels, threshold=0.5)
figures.save_figure(ax.figure, "03-topic-stability", data=stab, out_dir=FIGURES_DIR, params=PARAMS,
                    lexicons=LEXICONS, notebook="03-topics.ipynb", labels_sha256=labels.attrs["sha256"])
plt.show()

# %% [markdown]
# **Figure 03-topic-stability.** Bars: mean similarity (1 − Jensen-Shannon divergence) of the
# topic to its Hungarian match in each other run; ticks: the worst match. The dashed line at
# 0.5 is a reading aid, not a test.
#
# ## Representative passages and documents
#
# The paragraphs (of at least 10 kept tokens) with the highest share of each topic
# (stm's `findThoughts`), and the documents with the highest share. Read them before
# naming a topic.

# %%
# needs: units >= MIN_UNITS
passages = topics.find_passages(model, docs, n=2, level="unit", max_chars=120)
for k, g in passages.merge(labels[["topic", "label"]], on="topic").groupby("topic"):
    print(f"\n== {g['label'].iloc[0]}")
    for row in g.itertuples():
        print(f"  [{row.doc_id} ¶{row.para_id}, share {row.share:.2f}] {row.passage}")

# %%
# needs: units >= MIN_UNITS
doc_shares = topics.document_topics(model)
top_docs = topics.find_passages(model, docs, n=2, level="document", max_chars=40)
top_docs[["topic", "rank", "doc_id", "share", "title"]]

# %% [markdown]
# ## Corpus-wide share of each topic
#
# Token-weighted mean of the document shares (point estimates; notebook 04 gives
# intervals and trends).

# %%
# needs: units >= MIN_UNITS
weights = doc_shares["n_tokens"] / doc_shares["n_tokens"].sum()
overall = pd.DataFrame({"topic": range(1, K + 1),
                        "share": [(doc_shares[f"topic_{k}"] * weights).sum() for k in range(1, K + 1)]})
overall.merge(labels[["topic", "label"]], on="topic").sort_values("share", ascending=False).round(3)

# %% [markdown]
# ## Explore: pyLDAvis
#
# An interactive page (topic map by Jensen-Shannon PCoA; relevance slider λ between
# probability and lift) with d3 and LDAvis bundled inline, so it opens offline. Topic
# numbers are the model's own (not re-sorted by size).

# %%
# needs: units >= MIN_UNITS
ldavis_path = topics.write_ldavis(model, Path(FIGURES_DIR) / "03-ldavis.html",
                                  title=f"科技局报告主题 LDA topics (K={K}, unit={UNIT}, seed={SEED})")
print(f"wrote {ldavis_path} ({ldavis_path.stat().st_size / 1e6:.1f} MB)")

# %% [markdown]
# ## Caveats
#
# * Topics describe *this* corpus; intervals in notebook 04 and the stability
#   above say how much the data support each topic. Several seeds, not one, are the evidence.
# * Tokenization choices (domain dictionary, stopwords) shape topics; their hashes are in
#   every figure's JSON sidecar.
# * FREX here omits stm's James-Stein shrinkage of exclusivity (it matters for rare words).

# %%
print("python", sys.version.split()[0])
print("versions:", package_versions(["numpy", "pandas", "scipy", "gensim", "pyLDAvis", "matplotlib", "seaborn",
                                     "rjieba", "jieba"]))
