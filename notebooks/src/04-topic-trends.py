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
# # 04 · How do topic shares and vocabulary move over time?
#
# **Question.** Do the themes found in notebook 03 take up more or less of the reports over
# the years and across Five-Year-Plan periods (十一五 … 十四五), and does the vocabulary
# *within* a theme change (e.g. 科技创新 talk shifting from 自主创新 to 创新驱动)?
#
# **Method.**
#
# * *Prevalence with uncertainty*, in the manner of stm's `estimateEffect` (method of
#   composition): each document's topic proportions are uncertain (the model gives a
#   posterior Dirichlet(γ) per unit, not a number). We draw proportions from it `NSIMS`
#   times, aggregate paragraphs to documents (token-weighted), regress each topic's share on
#   time (on the logit scale, so that shares stay in [0, 1]), draw the regression
#   coefficients from their sampling distribution, and pool. The
#   intervals therefore carry both the topic-model uncertainty and the small number of
#   documents per year. These are not bare averages of point estimates.
# * Time enters as Five-Year-Plan period (categories) and as year (a smooth B-spline: with
#   one or two reports per year, a separate mean per year would have almost no residual
#   degrees of freedom).
# * *Vocabulary drift*: gensim's dynamic topic model (`LdaSeqModel`) over periods, started
#   from the notebook-03 model so that topic numbers and labels carry over, on a bounded
#   vocabulary; and a fast check that re-weights each static topic's words per period.
#
# * *Every document counts*: with `YEARS_FROM = "imputed"` (the default) documents without a
#   point year enter with `M_IMPUTATIONS` draws of their year (multiple imputation,
#   `bureau_rhetoric.imputation`), and each figure shows the dated-only estimate with the
#   imputed uncertainty as a lighter band or box around it.
#
# The model is the one of notebook 03 (same parameters and seed give the identical model;
# with the same `CACHE_DIR` it is read from the cache).

# %% tags=["parameters"]
from bureau_rhetoric import config

CORPUS_DIR = str(config.PROCESSED_DIR)  # folder with corpus.parquet (bureau-rhetoric build)
FIGURES_DIR = str(config.FIGURES_DIR)   # figures (PDF/SVG/PNG + CSV + JSON)
SEED = config.DEFAULT_SEED              # seed of the topic model and of the simulations
CACHE_DIR = str(config.CACHE_DIR)       # tokens and fitted models are cached here (safe to delete)
K = 8                                   # number of topics (as chosen in notebook 03)
K_VALUES = [4, 6, 8, 10, 12]            # (used in notebook 03; kept so both share parameters)
SEEDS = [1, 2, 3]                       # (used in notebook 03)
UNIT = "paragraph"                      # "paragraph" or "document" (see notebook 03)
NO_BELOW = 3                            # dictionary filters, as notebook 03
NO_ABOVE = 0.5
KEEP_N = 5000
MIN_TOKENS = 5
PASSES = 20
TOL = 0.01                              # convergence of the passes, as notebook 03
ENGINE = "gensim"                       # "gensim" (variational EM) or "tomotopy" (Gibbs sampling, faster; see benchmarks)
SWEEP_UNITS = 1000                      # sample for the Gibbs start of the model, as notebook 03
GIBBS_ITERATIONS = 300                  # as notebook 03
NSIMS = 200                             # simulations from the posterior for the intervals
INCLUDE_DUPLICATES = False              # keep documents marked duplicate_of / off-topic?
MIN_CONFIDENCE = "low"                  # leave out documents dated with less confidence ("low", "medium", "high" or None)
SPLINE_DF = "auto"                      # flexibility of the year trend: "auto" (cross-validated) or a number (2: a line)
SHARE_SCALE = "logit"                   # "logit": shares modelled on a bounded scale, never outside [0, 1]; "linear" as stm
DTM_VOCAB = 100                         # vocabulary bound of the dynamic topic model (its cost grows with it)
DTM_EM_ITER = 2                         # EM iterations of the dynamic topic model
DTM_MAX_DOCS = 50                       # documents per period the dynamic model sees at most (seeded sample; None: all)
LABELS_FILE = str(config.PROJECT_ROOT / "notebooks" / "topic-labels.csv")  # edited labels, if any
YEARS_FROM = "imputed"                  # "imputed": every document, its year drawn M times; "dated": point-dated only
M_IMPUTATIONS = 20                      # imputations (their Monte-Carlo error is printed below)
COLLECTION_YEAR = None                  # year the corpus was collected: closes open upper bounds (None: latest upload)
EARLIEST_YEAR = 1978                    # earliest plausible reporting year: closes open lower bounds
MIN_UNITS = 10                          # fewer units left for the topic model: its sections are skipped, saying why

# %%
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import matplotlib.pyplot as plt

from bureau_rhetoric import figures, imputation, needs, report, tokens, topics
from bureau_rhetoric.corpus import load_corpus
from bureau_rhetoric.dating import period_order
from bureau_rhetoric.provenance import package_versions

logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stdout, force=True)
logging.getLogger("bureau_rhetoric").setLevel(logging.INFO)
logging.getLogger("gensim").setLevel(logging.ERROR)
figures.set_paper_theme()
pd.set_option("display.width", 160, "display.max_colwidth", 80)
PARAMS = dict(SEED=SEED, K=K, UNIT=UNIT, NO_BELOW=NO_BELOW, NO_ABOVE=NO_ABOVE, KEEP_N=KEEP_N,
              MIN_TOKENS=MIN_TOKENS, PASSES=PASSES, TOL=TOL, ENGINE=ENGINE, SWEEP_UNITS=SWEEP_UNITS,
              GIBBS_ITERATIONS=GIBBS_ITERATIONS, NSIMS=NSIMS, INCLUDE_DUPLICATES=INCLUDE_DUPLICATES,
              MIN_CONFIDENCE=MIN_CONFIDENCE, SPLINE_DF=SPLINE_DF, SHARE_SCALE=SHARE_SCALE, DTM_VOCAB=DTM_VOCAB, DTM_EM_ITER=DTM_EM_ITER,
              DTM_MAX_DOCS=DTM_MAX_DOCS, YEARS_FROM=YEARS_FROM, M_IMPUTATIONS=M_IMPUTATIONS,
              COLLECTION_YEAR=COLLECTION_YEAR, EARLIEST_YEAR=EARLIEST_YEAR)
if YEARS_FROM not in imputation.YEARS_FROM:
    raise ValueError(f"YEARS_FROM must be one of {imputation.YEARS_FROM}, got {YEARS_FROM!r}")
IMPUTED = YEARS_FROM == "imputed"
IMP = dict(m=M_IMPUTATIONS, nsims=NSIMS, seed=SEED, scale=SHARE_SCALE, collection_year=COLLECTION_YEAR, earliest=EARLIEST_YEAR)
LEXICONS = [tokens.DEFAULT_DICTIONARY, tokens.DEFAULT_STOPWORDS]

# %%
corpus = load_corpus(CORPUS_DIR)  # refuses a folder mixing two builds (or an unfinished one)
docs = topics.filter_docs(corpus, include_duplicates=INCLUDE_DUPLICATES, include_off_topic=INCLUDE_DUPLICATES)
needs.watch(docs)  # a cell starting "# needs: ..." runs only when the corpus has that, else says why
toks = tokens.tokenize_docs(docs, unit=UNIT, cache_dir=Path(CACHE_DIR) / "tokens")
needs.update(**needs.model_units(toks, no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=KEEP_N, min_tokens=MIN_TOKENS))

# %%
# needs: units >= MIN_UNITS
model = topics.fit_topics(toks, K, no_below=NO_BELOW, no_above=NO_ABOVE, keep_n=KEEP_N, min_tokens=MIN_TOKENS,
                          passes=PASSES, tol=TOL, engine=ENGINE, gibbs_iterations=GIBBS_ITERATIONS,
                          init_sample=SWEEP_UNITS, init_iterations=GIBBS_ITERATIONS, seed=SEED, cache_dir=CACHE_DIR)
labels = topics.resolve_labels(model, LABELS_FILE, template_path=Path(FIGURES_DIR) / "04-topic-labels-template.csv")
print(f"{len(docs)} documents, K={K}, model {model.model_sha256_[:12]}; {labels.attrs['note']}")

# %% [markdown]
# ## What the time axis rests on
#
# Years come from the corpus build (notebook 01), each with a confidence. Documents without
# a year, or dated with less confidence than `MIN_CONFIDENCE`, are left out of the trends
# (they still shaped the topics). The counts below are the denominators of everything that
# follows: a period or a year with one or two reports cannot show a reliable share.

# %%
# needs: docs >= 1
meta = docs[["doc_id", "year", "year_confidence", "fyp_period"]].copy()
print(report.describe_corpus(meta))
dating = pd.crosstab(meta["fyp_period"].fillna("(none)"), meta["year_confidence"].fillna("none"), margins=True)
dating.reindex(period_order(dating.index.drop(["(none)", "All"], errors="ignore"))
               + [p for p in ["(none)", "All"] if p in dating.index])

# %% [markdown]
# ## Every document counts: years imputed
#
# Documents without a point year still carry evidence (an interval from dated vocabulary, a
# plan name, an upload date); open bounds are closed by `COLLECTION_YEAR` and `EARLIEST_YEAR`
# (the rule is written into `year_evidence`). Each of `M_IMPUTATIONS` imputations draws a year
# for every undated document, from its interval weighted by the corpus's distribution of years
# **and by how well its topic shares fit each year** (learnt from the dated documents; leaving
# the shares out of the imputation would flatten every trend), and reruns the prevalence
# model; the simulations of all imputations are pooled (the method of composition with one
# more level: year, then topic proportions, then coefficients).
#
# **What it assumes.** Years *missing at random given the evidence and the topic shares*: among
# documents with the same evidence, those that lost their year are like those that kept it.
# It misleads when the reports that hide their year are unusual for their year, and when few
# documents keep their year (the year profiles then rest on few reports and imputed documents
# are placed mostly by their intervals, which flattens trends). On generated corpora with known
# truth (`benchmarks/results/imputation.md`) it kept 95 % intervals at nominal coverage and
# narrowed them; topic trends were flattened by about a tenth with 90 % of years masked.

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3
meta_all = docs[[c for c in ("doc_id", "year", "year_lo", "year_hi", "year_confidence", "year_evidence", "genre",
                             "published", "fyp_period") if c in docs.columns]]
prev_period_imp = imputation.topic_prevalence_imputed(model, meta_all, by="fyp_period", **IMP)
print(imputation.describe_imputation(meta_all, prev_period_imp.attrs["params"]))
print(f"Monte-Carlo error: {prev_period_imp.attrs['mc_error_share']:.1%} of the interval width (median), "
      f"M = {M_IMPUTATIONS}; trends below use "
      f"{'every document, years imputed' if IMPUTED else 'point-dated documents only'}")
PARAMS.update({k: v for k, v in prev_period_imp.attrs["params"].items()
               if k in ("seed_imputation", "prior", "closing_rule", "imputation_model", "temper")})

# %% [markdown]
# ## Topic shares by Five-Year-Plan period

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
prev_period = topics.topic_prevalence(model, meta, by="fyp_period", time="categorical", nsims=NSIMS, seed=SEED,
                                      min_confidence=MIN_CONFIDENCE, scale=SHARE_SCALE)
print(f"{prev_period.attrs['n_docs_used']} documents used, {prev_period.attrs['n_docs_dropped']} without a "
      f"period or below the confidence threshold")
(prev_period.merge(labels[["topic", "label"]], on="topic")
 .pivot(index="label", columns="fyp_period", values="estimate")
 .reindex(columns=period_order(prev_period["fyp_period"])).round(3))

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
axes = figures.plot_topic_prevalence(prev_period, labels=labels, ncols=4, band=prev_period_imp if IMPUTED else None)
period_data = pd.concat([prev_period.assign(years_from="dated")]
                        + ([prev_period_imp.assign(years_from="imputed")] if IMPUTED else []))
figures.save_figure(axes[0].figure, "04-topic-prevalence-period", data=period_data, out_dir=FIGURES_DIR,
                    params=PARAMS, lexicons=LEXICONS, notebook="04-topic-trends.ipynb",
                    labels_sha256=labels.attrs["sha256"])
plt.show()

# %% [markdown]
# **Figure 04-topic-prevalence-period.** Estimated share of each topic in the reports of a
# period (point) with a 95 % interval (bars) from `NSIMS` simulations (method of
# composition); `n` under each period is the number of reports. Intervals that overlap
# heavily do not support a change between periods. With imputed years, the light boxes are
# the 95 % intervals from every document and `n` reads dated/all (the second a mean over the
# imputations). Where they disagree with the points:

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
diff_period = imputation.compare_estimates(prev_period, prev_period_imp)
print(f"{int(diff_period['differ'].sum())} of {len(diff_period)} topic x period cells differ")
diff_period[diff_period["differ"]].round(3).head(16)

# %% [markdown]
# How much do the intervals matter?
#  The table compares, for each topic and period, the bare average of point
# estimates (dated documents) with the interval's width.

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
bare = topics.document_topics(model).merge(meta, on="doc_id")
bare = bare[bare["fyp_period"].notna()]
bare_means = (bare.groupby("fyp_period")[[f"topic_{k}" for k in range(1, K + 1)]].mean()
              .rename(columns=lambda c: int(c.split("_")[1])).stack().rename("bare_mean").reset_index()
              .rename(columns={"level_1": "topic"}))
compare = prev_period.merge(bare_means, on=["fyp_period", "topic"], how="left")
compare["interval_width"] = compare["hi"] - compare["lo"]
compare[["topic", "fyp_period", "n_docs", "bare_mean", "estimate", "lo", "hi", "interval_width"]].round(3).head(12)

# %% [markdown]
# ## Topic shares by year (smooth trend)

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, years >= 3
prev_year = topics.topic_prevalence(model, meta, by="year", time="spline", df=SPLINE_DF, nsims=NSIMS, seed=SEED,
                                    min_confidence=MIN_CONFIDENCE, scale=SHARE_SCALE)
if "df_cv" in prev_year.attrs:
    cv = pd.DataFrame(prev_year.attrs["df_cv"])
    print(f"spline df chosen by 5-fold cross-validation: {prev_year.attrs['df_chosen']} "
          f"(CV error by df: {', '.join(f'{int(r.df)}: {r.cv_error:.3f}' for r in cv.itertuples())})")
else:
    print(f"spline df set by SPLINE_DF: {SPLINE_DF}")
DF_USED = prev_year.attrs.get("df_chosen", SPLINE_DF)  # the imputed band uses the same flexibility
prev_year_imp = (imputation.topic_prevalence_imputed(model, meta_all, by="year", time="spline", df=DF_USED, **IMP)
                 if IMPUTED else None)
axes = figures.plot_topic_prevalence(prev_year, labels=labels, ncols=4, band=prev_year_imp)
year_data = pd.concat([prev_year.assign(years_from="dated")]
                      + ([prev_year_imp.assign(years_from="imputed")] if IMPUTED else []))
figures.save_figure(axes[0].figure, "04-topic-prevalence-year", data=year_data, out_dir=FIGURES_DIR,
                    params={**PARAMS, "spline_df_used": DF_USED}, lexicons=LEXICONS,
                    notebook="04-topic-trends.ipynb", labels_sha256=labels.attrs["sha256"])
plt.show()

# %% [markdown]
# **Figure 04-topic-prevalence-year.** A B-spline of the year and a 95 % band; the strip
# under the panels gives the reports per year. Its flexibility (degrees of freedom; 2 is a
# straight line) is chosen from the data with `SPLINE_DF = "auto"`: each candidate is fitted
# on four fifths of the documents and scored on the fifth left out, and the df with the
# smallest error is used (printed above with the error of every candidate). A few dated
# reports support no more than a line; decades of reports may show a rise and a fall. Set
# `SPLINE_DF` to a number to override. Shares are modelled on the logit scale
# (`SHARE_SCALE`), so the line and its band stay inside [0, 1]. Where the strip has no bar the
# line is interpolation, not evidence. To treat each year separately use
# `time="categorical"` (it needs more reports than years).
# With imputed years the dashed line and light band are the same spline fitted to every
# document; it spans the years the imputed documents reach.
#
# Which topics move most? The change between the first and last period, against the
# width of the intervals:

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
first, last = prev_period["fyp_period"].iloc[0], prev_period["fyp_period"].iloc[-1]
ends = prev_period[prev_period["fyp_period"].isin([first, last])].pivot(index="topic", columns="fyp_period",
                                                                         values=["estimate", "lo", "hi"])
moves = pd.DataFrame({"change": ends[("estimate", last)] - ends[("estimate", first)],
                      "intervals_overlap": (ends[("lo", last)] <= ends[("hi", first)])
                      & (ends[("lo", first)] <= ends[("hi", last)])}).join(labels.set_index("topic")["label"])
moves = moves.reindex(moves["change"].abs().sort_values(ascending=False).index)
print(f"change in share from {first} to {last}")
moves.round(3)

# %% [markdown]
# ## Vocabulary drift: dynamic topic model
#
# gensim's `LdaSeqModel` lets each topic's word distribution follow a random walk across
# periods. It is slow (pure Python, one numerical optimisation per word, topic and
# iteration; gensim issues #1545, #3350), so here documents are the units, the vocabulary is
# bounded to `DTM_VOCAB` words (the static topics' top words), EM iterations are capped at
# `DTM_EM_ITER`, each period contributes at most `DTM_MAX_DOCS` documents (a seeded random
# sample; the prevalence trends above use every document), the topics' chains are fitted in
# parallel worker processes (the result is the serial one), and it starts from the
# notebook-03 model so topic k is still topic k. The fitting time is printed: it grows with
# vocabulary × topics × periods.

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
dyn = topics.fit_dynamic_topics(toks, meta, model=model, by="fyp_period", vocab_size=DTM_VOCAB,
                                em_max_iter=DTM_EM_ITER, max_docs_per_period=DTM_MAX_DOCS, n_jobs=None, seed=SEED)
print(f"LdaSeqModel: {dyn.drift.attrs['n_docs']} of {dyn.drift.attrs['n_docs_available']} dated documents "
      f"(at most {DTM_MAX_DOCS} per period) in periods {dict(zip(dyn.periods, dyn.time_slice))}, "
      f"{dyn.drift.attrs['vocab_size']} terms, K={K}: {dyn.seconds:.1f} s")

# %% [markdown]
# **A fast check.** Without the random-walk smoothing, each static topic's words can be
# re-weighted per period from the tokens' expected topic assignments
# (`topics.topic_words_by_period`, a second instead of minutes). The figure puts the two side
# by side. Where both agree on a word's rise or fall, the drift is not an artefact of the
# dynamic model's prior (which, with gensim's default `chain_variance`, keeps topics close
# to the starting model); where only the unsmoothed version moves, it may be noise from
# periods with one or two reports.

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
fast = topics.topic_words_by_period(model, model.corpus_, meta, by="fyp_period", n_words=6)
drift_topics = moves.index[:2].tolist()
fig, axes = figures.new_figure("double", aspect=0.8, nrows=2, ncols=2)
for row, k in zip(axes, drift_topics):
    name = f"{k}. {labels.set_index('topic').loc[k, 'label_zh']}"
    figures.plot_topic_drift(dyn.drift, topic=k, n=6, ax=row[0], title=f"{name}\n动态主题模型 dynamic topic model")
    figures.plot_topic_drift(fast, topic=k, n=6, ax=row[1], title=f"{name}\n按时期重估 re-weighted per period")
drift_data = pd.concat([dyn.drift.assign(method="LdaSeqModel"), fast.assign(method="re-weighted static")])
figures.save_figure(fig, "04-topic-drift", data=drift_data[drift_data["topic"].isin(drift_topics)],
                    out_dir=FIGURES_DIR, params=PARAMS, lexicons=LEXICONS, notebook="04-topic-trends.ipynb",
                    labels_sha256=labels.attrs["sha256"], dtm_seconds=round(dyn.seconds, 1))
plt.show()

# %% [markdown]
# **Figure 04-topic-drift.** For the two topics whose share moved most between the first and
# last period, the probability of their leading words in each period: left, under the
# dynamic topic model; right, re-weighting the static topic per period. Lines that cross
# mark a change of emphasis inside a theme.

# %%
# needs: units >= MIN_UNITS, dated_docs >= 3, periods >= 2
for k in drift_topics:
    top = (fast[(fast["topic"] == k) & (fast["rank"] <= 6)].sort_values(["period", "rank"])
           .groupby("period", sort=False)["word"].apply(" ".join))
    print(f"\n{labels.set_index('topic').loc[k, 'label']}")
    print(top.reindex(period_order(top.index)).to_string())

# %% [markdown]
# ## Caveats
#
# * The number of reports per period and year is small; read intervals, not points. A
#   difference whose intervals overlap is not evidence of change.
# * Years inferred with low confidence can move a report between periods: rerun with
#   `MIN_CONFIDENCE = "medium"` or `"high"` and compare. Imputed years (`YEARS_FROM`) assume
#   years missing at random given the evidence and the topic shares (see above).
# * Topic shares are shares of *kept* tokens (after stopwords and dictionary filtering).
# * The regression is on the logit scale of the shares (`SHARE_SCALE = "logit"`), so no
#   estimate or interval leaves [0, 1]; with one or two reports in a period an interval is
#   wide instead. `SHARE_SCALE = "linear"` regresses the shares themselves, as stm's
#   `estimateEffect` does; its intervals can then reach below 0 (the figures cut the axis).
# * The dynamic model here is bounded for speed (vocabulary, iterations); on a larger
#   corpus raise `DTM_VOCAB` and `DTM_EM_ITER` and expect minutes to hours.

# %%
print("python", sys.version.split()[0])
print("versions:", package_versions(["numpy", "pandas", "scipy", "gensim", "matplotlib", "seaborn", "rjieba", "jieba"]))
