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
# # 02 · How does bureau rhetoric shift over the years?
#
# **Question.** Local science & technology bureaus (科技局) write their annual reports in the
# vocabulary of national policy. Which policy phrases rise and fall over the years — 科学发展观
# (Scientific Outlook on Development), 自主创新 (indigenous innovation), 创新驱动 (innovation-driven
# development), 大众创业、万众创新 (mass entrepreneurship and innovation), 高质量发展 (high-quality
# development), 科技自立自强 (S&T self-reliance), 新质生产力 (new quality productive forces) — and
# which words mark one era against another?
#
# **Method, in brief.**
# 1. Count the phrases of a curated lexicon (`phrases.csv`: canonical form, variant spellings,
#    family, English gloss) by *exact match on the normalised text* — not on tokens, so that a
#    segmentation error cannot hide a phrase. Overlapping forms count once (longest match):
#    创新驱动发展战略 counts for that phrase, not also for 创新驱动.
# 2. Turn counts into **rates per 10,000 characters** by year and by Five-Year-Plan period, with
#    **bootstrap confidence intervals over documents**, and the share of documents mentioning a
#    phrase. Figures aggregate phrases into *families* (a slogan with its close relatives).
# 3. Segment the texts with jieba (run by rjieba, with the project's domain dictionary and
#    stopwords) and compare eras with **log-likelihood keyness (G²)** and the log ratio.
# 4. Read phrases in context (KWIC) and list collocations the lexicon does not yet have.
# 5. **Every document counts.** Most scraped reports carry no year one can read; a trend from the
#    point-dated ones alone rests on whichever documents kept their dates. With
#    `YEARS_FROM = "imputed"` (the default) every document enters with `M_IMPUTATIONS` draws of its
#    year (multiple imputation, `bureau_rhetoric.imputation`) and the figures show the dated-only
#    estimate with the imputed uncertainty as a lighter band around it.
#
# Every choice is a parameter in the next cell; change it there and rerun.

# %% tags=["parameters"]
from bureau_rhetoric import config

CORPUS_DIR = str(config.PROCESSED_DIR)   # folder with corpus.parquet (bureau-rhetoric build)
FIGURES_DIR = str(config.FIGURES_DIR)    # where figures are exported
SEED = config.DEFAULT_SEED               # seed of every bootstrap
CACHE_DIR = str(config.CACHE_DIR)       # caches tokens in CACHE_DIR/tokens (delete any time)
PHRASES = None              # phrase lexicon: None for the shipped phrases.csv, or a path to your own CSV
MIN_CONFIDENCE = None       # keep documents whose year_confidence is at least this ("low"/"medium"/"high")
INCLUDE_DUPLICATES = False  # keep documents flagged duplicate_of
INCLUDE_OFF_TOPIC = False   # keep documents flagged off topic (on_topic False)
N_BOOT = 1000               # bootstrap replicates for intervals
WEIGHTING = "length"        # "length" (pooled rate, default) or "equal" (mean of per-document rates)
ERA_SPLIT = 2013            # keyness: documents before this year vs from this year on
FAMILIES = ["科学发展观", "自主创新", "创新驱动", "大众创业、万众创新", "高质量发展", "科技自立自强", "新质生产力"]
KWIC_TERMS = ["创新驱动", "科学发展观", "新质生产力"]
SHARE_Y = False             # phrase panels: one y scale for all phrases (True) or one per panel (False)
YEARS_FROM = "imputed"      # "imputed": every document, its year drawn M times; "dated": point-dated documents only
M_IMPUTATIONS = 20          # imputations (their Monte-Carlo error is printed below; raise M if it is large)
COLLECTION_YEAR = None      # year the corpus was collected: closes open upper bounds (None: latest upload date)
EARLIEST_YEAR = 1978        # earliest plausible reporting year: closes open lower bounds
HEATMAP_ROWS = 18           # period heatmap: the most mentioned families shown (the figure grows with them)

# %%
import sys
from pathlib import Path

from IPython.display import display

import matplotlib.pyplot as plt
import pandas as pd

from bureau_rhetoric import figures, imputation, needs, phrases, report, tokens
from bureau_rhetoric.corpus import load_corpus
from bureau_rhetoric.lexicons import lexicon_hashes

figures.set_paper_theme()
pd.set_option("display.width", 160, "display.max_colwidth", 60)
docs_all = load_corpus(CORPUS_DIR)  # refuses a folder mixing two builds (or an unfinished one)
docs = phrases.select_docs(docs_all, include_duplicates=INCLUDE_DUPLICATES, include_off_topic=INCLUDE_OFF_TOPIC,
                           min_confidence=MIN_CONFIDENCE)
print(f"{len(docs_all)} documents in the corpus, {len(docs)} analysed")
print("\n".join(docs.attrs["filter_log"]) or "no document dropped by the filters")
needs.watch(docs)  # a cell starting "# needs: ..." runs only when the corpus has that, else says why
LEXICONS = lexicon_hashes(["phrases.csv", "domain_dict.txt", "stopwords.txt"]) if PHRASES is None else None
if YEARS_FROM not in imputation.YEARS_FROM:
    raise ValueError(f"YEARS_FROM must be one of {imputation.YEARS_FROM}, got {YEARS_FROM!r}")
IMPUTED = YEARS_FROM == "imputed"
IMP = dict(m=M_IMPUTATIONS, n_boot=N_BOOT, seed=SEED, weighting=WEIGHTING, collection_year=COLLECTION_YEAR,
           earliest=EARLIEST_YEAR, include_duplicates=True, include_off_topic=True, lexicon=PHRASES)
PARAMS = dict(seed=SEED, n_boot=N_BOOT, weighting=WEIGHTING, min_confidence=MIN_CONFIDENCE,
              include_duplicates=INCLUDE_DUPLICATES, include_off_topic=INCLUDE_OFF_TOPIC, phrases=PHRASES,
              years_from=YEARS_FROM, m_imputations=M_IMPUTATIONS, collection_year=COLLECTION_YEAR,
              earliest_year=EARLIEST_YEAR)

# %% [markdown]
# ## How much text do we have per year?
#
# Everything below rests on this table: the number of documents and characters behind each
# year, and how many of them are dated with high confidence (`year_confidence` says how sure
# the dating step is about each year). The summary under it is computed from the corpus.

# %%
# needs: docs >= 1
print(report.describe_corpus(docs))
print(report.describe_size(int(docs["year"].notna().sum()), int(docs["year"].nunique())))
per_year = (docs.assign(year=docs["year"].astype("Int64"))
            .groupby("year", dropna=False)
            .agg(n_docs=("doc_id", "size"), n_chars=("n_chars", "sum"),
                 high_confidence=("year_confidence", lambda s: int((s == "high").sum()))))
per_year

# %% [markdown]
# ## Every document counts: years imputed
#
# A document without a point year still has evidence: an interval from its dated vocabulary
# (a policy term cannot predate its launch), its plan period, an upload date. Open bounds are
# closed by the collection year (`COLLECTION_YEAR`) and the earliest plausible year
# (`EARLIEST_YEAR`); the rule is written into each document's `year_evidence`. Each of
# `M_IMPUTATIONS` imputations then draws a year for every undated document, from its interval
# weighted by the corpus's own distribution of years **and by how well its phrase counts fit
# each year** (learnt from the dated documents; leaving the text out would flatten every
# trend), and reruns the analysis; the draws are pooled with the document bootstrap into one
# interval (nested bootstrap). Keyness combines its log ratios by Rubin's rules.
#
# **What it assumes.** That a year is *missing at random given the evidence and the text*:
# among documents with the same evidence, those that lost their year write like those that kept
# it. It misleads when the reports that hide their year are unusual for their year (a genre
# that is both undated and different is only corrected if its text shows it), and when few
# documents keep their year: the year profiles are then learnt from few reports, imputed
# documents are placed mostly by their interval, and trends flatten. On generated corpora
# with known truth (`benchmarks/results/imputation.md`) imputation removes the bias of the
# dated-only sample and keeps 95 % intervals at nominal coverage, but with 90 % of years
# masked phrase trends were still flattened by about a third: read them by plan period and
# beside the dated-only points.

# %%
# needs: docs >= 1
counts = phrases.count_phrases(docs, PHRASES)
rates_fyp_imp = imputation.phrase_rates_imputed(counts, docs, by="fyp_period", level="family", **IMP)
print(imputation.describe_imputation(docs, rates_fyp_imp.attrs["params"]))
mc = rates_fyp_imp.attrs["mc_error_share"]
print(f"Monte-Carlo error of the imputed rates: {mc:.1%} of the interval width (median) with M = {M_IMPUTATIONS}"
      + ("" if not mc > 0.1 else "; raise M_IMPUTATIONS"))
print(f"figures and tables below use: {'every document, years imputed' if IMPUTED else 'point-dated documents only'}")
PARAMS.update({k: v for k, v in rates_fyp_imp.attrs["params"].items()
               if k in ("m_imputations", "seed_imputation", "prior", "closing_rule", "imputation_model", "temper")})

# %% [markdown]
# ## Phrase rates by Five-Year-Plan period (headline figure)
#
# **Why periods, not years.** Few documents carry a year, and most years hold a single document,
# with decades between them. A year-by-year line would join 2005 to 2015 as if we knew what
# happened in between, and would give a single report the weight of a trend. The plan period
# (`fyp_period`, from the dating step) is the unit the bureaus themselves plan and report in; it
# is known for more documents than the exact year (a report can name its plan without a date),
# and it pools neighbouring years. So the headline figure is by period; the year figure follows.
#
# **How to read it.** One panel per phrase family (Chinese with an English gloss), rates per
# 10,000 characters. With `WEIGHTING = "length"` (the default) a period's rate is its total
# mentions over its total characters; `"equal"` averages per-document rates instead, so that a
# long compilation does not dominate. Filled points with whiskers: periods with two or more
# documents and their 95% bootstrap interval (documents resampled within the period). Hollow
# points: a single document, which has no sampling interval — an anecdote, not a trend. The
# grey strip under each column of panels gives each period's number of documents. Periods
# run in plan order (from `fyp.csv`), empty periods between the first and the last left as
# gaps. Lines join adjacent periods only. Each panel has its own y scale (`SHARE_Y = True`
# puts all phrases on one scale to compare magnitudes).
# With `YEARS_FROM = "imputed"` the light boxes are the 95 % intervals from every document with
# imputed years (light tick: their estimate), and the strip shows all documents (light) behind
# the dated ones: where a box and a point disagree, the documents without a point year tell a
# different story.

# %%
# needs: docs >= 1, periods >= 1
rates_fyp = phrases.phrase_rates(counts, docs, by="fyp_period", level="family", weighting=WEIGHTING, n_boot=N_BOOT,
                                 seed=SEED, include_duplicates=True, include_off_topic=True, lexicon=PHRASES)
print("\n".join(rates_fyp.attrs["filter_log"]))
shown_fyp = [f for f in FAMILIES if f in set(rates_fyp["key"])]
if len(rates_fyp):
    axes = figures.plot_phrase_panels(rates_fyp, keys=shown_fyp, x="fyp_period", sharey=SHARE_Y,
                                      band=rates_fyp_imp if IMPUTED else None)
    fig = axes[0].figure
    fig.suptitle("政策话语的频率 Policy phrases per 10,000 characters, by Five-Year-Plan period")
    shown_data = pd.concat([rates_fyp.assign(years_from="dated")]
                           + ([rates_fyp_imp.assign(years_from="imputed")] if IMPUTED else []))
    figures.save_figure(fig, "02-phrase-rates-period", data=shown_data[shown_data["key"].isin(shown_fyp)],
                        out_dir=FIGURES_DIR, params={**PARAMS, "by": "fyp_period", "level": "family",
                                                     "share_y": SHARE_Y},
                        lexicons=LEXICONS or rates_fyp.attrs["lexicons"], notebook="02-phrase-rates.ipynb")
    plt.show()
else:
    print("no document has a Five-Year-Plan period: period figure skipped")

# %% [markdown]
# Where do the two estimates disagree? Rows where one estimate lies outside the other's
# interval (or only one exists):

# %%
# needs: docs >= 1, periods >= 1
diff_fyp = imputation.compare_estimates(rates_fyp[rates_fyp["key"].isin(shown_fyp)],
                                        rates_fyp_imp[rates_fyp_imp["key"].isin(shown_fyp)])
print(f"{int(diff_fyp['differ'].sum())} of {len(diff_fyp)} family x period cells differ")
diff_fyp[diff_fyp["differ"]].round(2).head(20)

# %% [markdown]
# ## Phrase rates by year
#
# The same measure by calendar year. Points: documents whose year is known; light boxes (with
# `YEARS_FROM = "imputed"`): every document, years imputed. The x axis is a plain time axis (a
# few year ticks, however many years there are); the grey strip under the panels gives the
# documents per year, so a year without a bar has no data, and no line crosses such a gap.

# %%
# needs: dated_docs >= 1
rates_year = phrases.phrase_rates(counts, docs, by="year", level="family", weighting=WEIGHTING, n_boot=N_BOOT,
                                  seed=SEED, include_duplicates=True, include_off_topic=True, lexicon=PHRASES)
print("\n".join(rates_year.attrs["filter_log"]))
rates_year_imp = imputation.phrase_rates_imputed(counts, docs, by="year", level="family", **IMP)
print("\n".join(rates_year_imp.attrs["filter_log"]))
shown = [f for f in FAMILIES if f in set(rates_year["key"])]
axes = figures.plot_phrase_panels(rates_year, keys=shown, sharey=SHARE_Y, band=rates_year_imp if IMPUTED else None)
fig = axes[0].figure
fig.suptitle("政策话语的频率 Policy phrases per 10,000 characters, by year")
year_data = pd.concat([rates_year.assign(years_from="dated")]
                      + ([rates_year_imp.assign(years_from="imputed")] if IMPUTED else []))
figures.save_figure(fig, "02-phrase-rates", data=year_data[year_data["key"].isin(shown)], out_dir=FIGURES_DIR,
                    params={**PARAMS, "by": "year", "level": "family", "share_y": SHARE_Y},
                    lexicons=LEXICONS or rates_year.attrs["lexicons"], notebook="02-phrase-rates.ipynb")
plt.show()

# %% [markdown]
# ### Share of documents mentioning each phrase
#
# Prevalence is robust to one document repeating a phrase many times: it counts documents,
# not mentions. (With imputed years `n_docs` is the mean number of documents a year holds over
# the imputations.)

# %%
# needs: dated_docs >= 1
rates_main = rates_year_imp if IMPUTED else rates_year
prev = (rates_main[rates_main["key"].isin(shown)]
        .pivot_table(index="year", columns="label", values="prevalence").round(2))
prev.insert(0, "n_docs", rates_main.drop_duplicates("year").set_index("year")["n_docs"])
prev

# %% [markdown]
# ## Sensitivity: all dated documents vs confidently dated documents only
#
# A year inferred from weak evidence can put a document in the wrong year. Each panel shows both
# samples side by side: blue, all dated documents; orange, only documents whose year is known
# with high confidence. Where the orange point is missing the year has no confidently dated
# document; where the two agree, dating uncertainty does not drive that point. The strip under
# the panels gives the documents per year of both samples (grey: all dated; orange, inside:
# confidently dated). (If too few
# documents are dated with high confidence the check falls back to medium, and says so.)

# %%
# needs: dated_docs >= 2, years >= 2
n_dated = {lvl: int(phrases.select_docs(docs, include_duplicates=True, include_off_topic=True,
                                        min_confidence=lvl)["year"].notna().sum())
           for lvl in ("high", "medium", "low")}
sens_level = next((lvl for lvl in ("high", "medium", "low") if n_dated[lvl] >= 2), "none")
print("dated documents by minimum confidence:", n_dated)
print(f"sensitivity check keeps documents with year_confidence >= {sens_level!r}")
rates_conf = phrases.phrase_rates(counts, docs, by="year", level="family", weighting=WEIGHTING, n_boot=N_BOOT,
                                  seed=SEED, min_confidence=sens_level, include_duplicates=True,
                                  include_off_topic=True, lexicon=PHRASES)
shown_sens = [f for f in shown if f in set(rates_conf["key"])]
axes = figures.plot_phrase_panels(rates_year, compare=rates_conf, keys=shown_sens, sharey=SHARE_Y,
                                  names=("所有已定年 all dated", f"仅 confidence ≥ {sens_level}"))
fig = axes[0].figure
fig.suptitle(f"敏感性检验 Sensitivity: all dated documents vs year_confidence ≥ {sens_level} (per 10,000 chars)")
sens = pd.concat([rates_year.assign(sample="all"), rates_conf.assign(sample=f">= {sens_level}")])
figures.save_figure(fig, "02-phrase-rates-sensitivity", data=sens[sens["key"].isin(shown_sens)], out_dir=FIGURES_DIR,
                    params={**PARAMS, "sensitivity_min_confidence": sens_level, "share_y": SHARE_Y},
                    lexicons=LEXICONS or rates_year.attrs["lexicons"], notebook="02-phrase-rates.ipynb")
plt.show()

# %% [markdown]
# ## Phrase families by Five-Year-Plan period
#
# Plans structure the bureaus' calendar and vocabulary, so the Five-Year-Plan period
# (`fyp_period`, from the dating step) is a natural coarser unit than the year, with more
# documents per cell. Cells are rates per 10,000 characters for every family with any mention
# (the headline figure shows the seven main slogans with intervals); columns show the period's
# years and document count. **A column marked "单篇 single" (n=1) is one document**: its
# cells describe that report, not the period. The colour scale stops at the 98th percentile of
# the cells so that one extreme cell does not wash out the rest; the numbers in the cells are
# exact, and an arrow on the colour bar says that some cells lie above its top.

# %%
# needs: docs >= 1, periods >= 1
rates_fyp_main = rates_fyp_imp if IMPUTED else rates_fyp
fams = rates_fyp_main.groupby("key")["count"].sum().sort_values(ascending=False)
fams = fams[fams > 0].index[:HEATMAP_ROWS].tolist()
print(f"{rates_fyp_main['fyp_period'].nunique()} periods; {len(fams)} families with any mention shown "
      f"({'years imputed' if IMPUTED else 'dated documents'})")
if fams:
    ax = figures.plot_period_heatmap(rates_fyp_main, keys=fams)  # the figure's height follows the rows
    fig = ax.figure
    ax.set_title("话语家族 × 五年规划时期 Phrase families by Five-Year-Plan period (per 10,000 chars)\n"
                 + ("n = 插补后的平均文档数 mean documents over the imputations" if IMPUTED else
                    "n=1 的列为单篇文档 columns with n=1 are single documents"))
    figures.save_figure(fig, "02-period-heatmap", data=rates_fyp_main[rates_fyp_main["key"].isin(fams)],
                        out_dir=FIGURES_DIR, params={**PARAMS, "by": "fyp_period", "level": "family"},
                        lexicons=LEXICONS or rates_fyp.attrs["lexicons"], notebook="02-phrase-rates.ipynb")
    plt.show()
else:
    print("no document has both a Five-Year-Plan period and a lexicon phrase: heatmap skipped")

# %% [markdown]
# ## Which words are key to each era?
#
# Keyness compares word frequencies between two groups of documents: here documents dated
# before `ERA_SPLIT` against those from `ERA_SPLIT` on (2013: the first reporting year after the
# 18th Party Congress). G² is the log-likelihood statistic (3.84 ≈ p < .05, 10.83 ≈ p < .001,
# dotted lines); the log ratio is the effect size (1 = twice as frequent). Words must occur at
# least 5 times in at least 2 documents. Tokens come from jieba segmentation (rjieba) with the
# domain dictionary, stopwords (function words and bureaucratic filler) removed. With imputed
# years keyness runs once per imputation and the log ratios are combined by Rubin's rules (a
# statistic with a known standard error, unlike a rate, which is bootstrapped); `fmi` is the
# share of its variance that comes from not knowing the years, G² the mean over imputations.

# %%
# needs: docs >= 2
toks = tokens.tokenize_docs(docs, cache_dir=Path(CACHE_DIR) / "tokens")
print(f"{len(toks)} documents segmented; cache: {toks.attrs['cache']['hits']} hits, "
      f"{toks.attrs['cache']['misses']} segmented afresh")
dated = docs[docs["year"].notna()]
early_ids = dated.loc[dated["year"] < ERA_SPLIT, "doc_id"]
late_ids = dated.loc[dated["year"] >= ERA_SPLIT, "doc_id"]
print(f"era A (< {ERA_SPLIT}): {len(early_ids)} documents; era B (>= {ERA_SPLIT}): {len(late_ids)} documents")
early_years, late_years = range(EARLIEST_YEAR, ERA_SPLIT), range(ERA_SPLIT, 2100)  # the eras as year ranges
key = None
if IMPUTED:
    try:
        key = imputation.keyness_imputed(toks, docs, early_years, late_years, m=M_IMPUTATIONS, seed=SEED, min_freq=5,
                                         min_docs=2, collection_year=COLLECTION_YEAR, earliest=EARLIEST_YEAR,
                                         include_duplicates=True, include_off_topic=True)
    except ValueError as err:  # an era empty in some imputation
        print(f"keyness with imputed years skipped: {err}")
elif len(early_ids) and len(late_ids):
    key = phrases.keyness(toks, early_ids, late_ids, min_freq=5, min_docs=2)
if key is not None:
    ax = figures.plot_keyness(key, n=12, label_a=f"< {ERA_SPLIT}", label_b=f"≥ {ERA_SPLIT}")  # earlier era left
    fig = ax.figure
    ax.set_title(f"关键词 Keywords of each era (G², documents before vs from {ERA_SPLIT})")
    figures.save_figure(fig, "02-keyness-eras", data=key, out_dir=FIGURES_DIR,
                        params={**PARAMS, "era_split": ERA_SPLIT, "min_freq": 5, "min_docs": 2},
                        lexicons=toks.attrs["lexicons"], notebook="02-phrase-rates.ipynb")
    plt.show()
    display(key.head(15))
else:
    print(f"one era has no documents (ERA_SPLIT={ERA_SPLIT}): keyness skipped")

# %% [markdown]
# ## Emerging and declining policy phrases between the eras
#
# For each phrase, the change in rate from era A to era B with a 95% bootstrap interval
# (documents resampled within each era; with imputed years, within each era of each imputation,
# pooled). Blue filled circles: the interval lies above zero (emerging); orange squares: below
# zero (declining); grey open circles: the data cannot tell (the shapes keep them apart in
# greyscale).

# %%
# needs: docs >= 2, dated_docs >= 2
era_docs = dated.assign(era=(dated["year"] >= ERA_SPLIT).map({False: "A", True: "B"}))
emerging = None
if IMPUTED:
    try:
        emerging = imputation.emerging_terms_imputed(counts, docs, list(early_years), list(late_years), by="year",
                                                     min_freq=3, **{k: v for k, v in IMP.items() if k != "lexicon"})
    except ValueError as err:  # an era empty in some imputation
        print(f"emerging phrases with imputed years skipped: {err}")
elif len(early_ids) and len(late_ids):
    emerging = phrases.rank_emerging_terms(counts, era_docs, "A", "B", by="era", n_boot=N_BOOT, seed=SEED,
                                           weighting=WEIGHTING, min_freq=3, include_duplicates=True,
                                           include_off_topic=True)
if emerging is not None:
    ax = figures.plot_emerging_terms(emerging, n=8, lexicon=PHRASES)
    fig = ax.figure
    ax.set_title(f"话语的兴衰 Rising and falling phrases (era B ≥ {ERA_SPLIT} minus era A < {ERA_SPLIT})")
    figures.save_figure(fig, "02-emerging-phrases", data=emerging, out_dir=FIGURES_DIR,
                        params={**PARAMS, "era_split": ERA_SPLIT, "min_freq": 3},
                        lexicons=LEXICONS or counts.attrs["lexicons"], notebook="02-phrase-rates.ipynb")
    plt.show()
    display(emerging.head(10))
else:
    print("one era has no documents: emerging terms skipped")

# %% [markdown]
# ## Phrases in context (KWIC)
#
# Counting says *how often*; reading says *how*. A few lines per phrase (all variants of a
# lexicon phrase are searched).

# %%
# needs: docs >= 1
for term in KWIC_TERMS:
    lines = phrases.kwic(docs, term, window=20, lexicon=PHRASES)
    print(f"\n{term}: {len(lines)} occurrences")
    print(lines.head(6)[["doc_id", "year", "left", "keyword", "right"]].to_string(index=False))

# %% [markdown]
# ## Candidate phrases the lexicon lacks
#
# Adjacent word pairs that occur together far more than chance (normalised PMI, gensim
# `Phrases`), within paragraphs. These are *candidates*: read them in context before adding
# any to `phrases.csv` (and to `domain_dict.txt`).

# %%
# needs: docs >= 2
toks_para = tokens.tokenize_docs(docs, unit="paragraph", cache_dir=Path(CACHE_DIR) / "tokens")
cands = phrases.find_collocations(toks_para, min_count=5, threshold=0.5, lexicon=PHRASES)
cands.head(20)

# %% [markdown]
# ## Caveats
#
# * **Small corpus.** With a few documents per year the intervals are wide and a single report
#   can move a year's rate; the figures show document counts for that reason. Trends that
#   matter should survive the sensitivity check and be read in context.
# * **Dating.** Years are inferred (see notebook 01). With `YEARS_FROM = "dated"` undated
#   documents are left out of the time series; with `"imputed"` they enter with imputed years
#   (above: what that assumes). `MIN_CONFIDENCE` restricts the analysis to confidently dated
#   documents.
# * **Lexicon.** Only phrases in `phrases.csv` are counted; variants matter (大众创业、万众创新
#   is also written without the 、). Longest-match counting means a mention of
#   创新驱动发展战略 does not also count as 创新驱动; the *family* figures add them up.
# * **Genre.** Work reports, 述职 reports and plans differ in style; keyness between eras
#   partly reflects which genres each era happens to contain.

# %%
import platform

from bureau_rhetoric.provenance import package_versions

print("python", platform.python_version())
print(package_versions())
