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
# # 01 · What is in the corpus?
#
# **Question.** Before counting a single phrase we need to know what the corpus is: how
# many documents each scraped file really holds, what kind of report each is (genre),
# where it comes from (place, administrative level), which are copies or another
# bureau's report filed under 科技局, what the cleaning did to every file, and — for the
# later notebooks — which year each document reports on and how sure we are.
#
# **Method.** `bureau-rhetoric build` (module `bureau_rhetoric.corpus`) decoded each raw
# file, undid the content farms' damage (GBK byte-shift mojibake, pinyin annotations,
# Traditional script, watermarks, lead-ins, footers, HTML debris, bodies pasted twice),
# split compilations into leaf documents and flagged duplicates and off-topic reports.
# Every change is a row of `audit.parquet` with offsets into the decoded source; the
# document spans and the removed spans tile each source exactly. This notebook only
# reads those tables (`CORPUS_DIR`); change the build by editing the lexicons in
# `src/bureau_rhetoric/data/` (boilerplate.csv, headings.csv, genres.csv, on_topic.csv)
# and rebuilding.

# %% tags=["parameters"]
from bureau_rhetoric import config

CORPUS_DIR = str(config.PROCESSED_DIR)
FIGURES_DIR = str(config.FIGURES_DIR)
SEED = config.DEFAULT_SEED
INCLUDE_DUPLICATES = False  # analyses drop copies unless this is True
INCLUDE_OFF_TOPIC = False  # ... and other bureaus' reports unless this is True

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from bureau_rhetoric import figures, report
from bureau_rhetoric.corpus import load_corpus

pd.set_option("display.max_colwidth", 60)
pd.set_option("display.width", 160)
corpus_dir = Path(CORPUS_DIR)
docs = load_corpus(corpus_dir)  # refuses a folder mixing two builds (or an unfinished one)
audit = pd.read_parquet(corpus_dir / "audit.parquet")
summary_path = corpus_dir / "build_summary.json"
summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
print(f"{len(docs)} leaf documents from {docs['source_file'].nunique()} files; {len(audit)} audit rows")

# %% [markdown]
# ## Files: encodings, scripts, and what was skipped
#
# Each raw file's encoding is detected (strict UTF-8 first, then GB18030 vs Big5 by which
# reads as common Chinese) and recorded. Files that are binary, empty or undecodable are
# listed as skipped; checksum lists and READMEs are ignored, not errors.

# %%
files = (docs.groupby("source_file")
         .agg(documents=("doc_id", "size"), encoding=("encoding", "first"),
              script_original=("script_original", "first"), characters=("n_chars", "sum"),
              published=("published", "first"))
         .reset_index())
files

# %%
print("skipped:", summary.get("skipped") or "none")
print("ignored:", summary.get("ignored") or "none")

# %% [markdown]
# ## Documents by genre and place
#
# Genre comes from the title (`genres.csv`). The place is a division of the official
# gazetteer (`gazetteer.csv`: every province, prefecture and county with its parents) that
# the text, the title or the file's folders name: the one written before the bureau's
# name (`包河区科技局`), else the one named most (twice at least) at the level the text
# calls itself (`我市`, `全区`). A name shared by several divisions (朝阳区, 鼓楼区) is
# resolved only when a parent is named; otherwise it stays ambiguous and `place_evidence`
# says so. Many content-farm copies mask names as `XX市`, so `place` is often empty: that
# is honest, not a bug. `bureau` is the department that names itself in the signature or
# opening (else the title) (`bureaus.csv`).

# %%
pd.crosstab(docs["genre"], docs["admin_level"].fillna("?"), margins=True)

# %%
docs.reindex(columns=["doc_id", "title", "genre", "bureau", "admin_level", "place", "province",
                     "prefecture", "county", "n_chars"])

# %% [markdown]
# ## Duplicates and off-topic reports
#
# Exact and near duplicates are found on character 5-shingles (MinHash proposes pairs; the
# containment of the shorter text in the longer is computed exactly, threshold 0.9). In a
# group the longest text is kept and the others point to it in `duplicate_of`. `on_topic`
# follows from the bureau when a department names itself in the signature or opening (a
# science bureau's report on its website or on roads to its science park stays on topic;
# a transport bureau's report filed under 科技局 does not), otherwise from the subject:
# weighted keywords of science & technology against those of other departments
# (`on_topic.csv`); the reason says which bureau or words decided. Set `INCLUDE_DUPLICATES` /
# `INCLUDE_OFF_TOPIC` to keep them in later analyses.

# %%
flags = docs[docs["duplicate_of"].notna() | ~docs["on_topic"]]
flags[["doc_id", "title", "duplicate_of", "near_duplicate_group", "duplicate_similarity",
       "on_topic", "on_topic_score", "on_topic_reason"]]

# %%
keep = pd.Series(True, index=docs.index)
if not INCLUDE_DUPLICATES:
    keep &= docs["duplicate_of"].isna()
if not INCLUDE_OFF_TOPIC:
    keep &= docs["on_topic"]
print(f"analyses will use {int(keep.sum())} of {len(docs)} documents "
      f"({int(docs['duplicate_of'].notna().sum())} duplicates, {int((~docs['on_topic']).sum())} off-topic)")

# %% [markdown]
# ## Document lengths
#
# One bar per leaf document, coloured by whether the analyses keep it (a histogram of lengths
# when there are too many documents for one labelled bar each). Very short documents are
# often pieces of compilations or truncated copies: read them in `corpus.parquet` before
# trusting their rates.

# %%
figures.set_paper_theme()
fig, ax = figures.new_figure("double", aspect=0.4)
figures.plot_document_lengths(docs, ax=ax)
ax.set_title("文档长度 Document lengths")
lengths = docs[["doc_id", "source_file", "n_chars", "duplicate_of", "on_topic"]]
figures.save_figure(fig, "01-document-lengths", data=lengths, out_dir=FIGURES_DIR,
                    params={"seed": SEED}, notebook="01-corpus.ipynb")
plt.show()

# %% [markdown]
# ## What the cleaning did to each file
#
# Changes by kind and file (log colour scale; pinyin and script conversions are counted
# per annotation/character although `audit.parquet` records them one row per line). The
# GBK repairs re-encode a damaged run, drop the stray byte and decode; where the sites had
# destroyed a byte the character is marked `〓` (`gbk_unrecoverable`) rather than guessed.

# %%
changes = audit.groupby(["source_file", "reason"], as_index=False)["n_changes"].sum()
ax = figures.plot_repairs_by_file(changes)  # the 25 files with most changes, the rest summed
fig = ax.figure
ax.set_title("各文件的修复 Repairs by kind per file")
figures.save_figure(fig, "01-repairs-by-file", data=changes, out_dir=FIGURES_DIR,
                    params={"seed": SEED}, lexicons=["boilerplate.csv", "headings.csv", "char_freq.tsv"],
                    notebook="01-corpus.ipynb")
plt.show()

# %%
examples = audit[audit["reason"].isin(["gbk_shift", "gbk_unrecoverable", "watermark", "lead_in",
                                        "footer", "repeated_body"])]
examples.groupby("reason").head(3)[["source_file", "doc_id", "start", "end", "reason",
                                    "original", "replacement"]]

# %% [markdown]
# ## Years: interval and confidence per document
#
# `year` is **the year whose work the document reports**: a 工作总结 for 2015 (even if
# delivered in January 2016) is 2015; "2015年工作总结和2016年工作计划" is 2015; a pure plan is
# its plan year; a speech reviewing last year is the year reviewed. Scraped pages rarely
# carry a trustworthy date, so each year is *inferred* from evidence inside the text
# (`bureau_rhetoric.dating`): explicit years read in context (reviewed vs planned vs 截至 vs
# targets such as 到2020年, which only cap the year), the title year (evidence, not truth:
# the body overrules it), Five-Year-Plan names (a plan is named about two years before it
# starts; 开局/收官之年 mark its first/last year), dated slogans (科学发展观 2003–,
# 众创空间 2015–, 新质生产力 2023– …, see `dated_terms.csv`), party congresses and plenums
# (十九届五中全会 → written after Oct 2020), and office-holders named with their title.
# Upload timestamps (`published`) never set the year; they only mean "written before this".
#
# Each line below is one document's interval `[year_lo, year_hi]` of compatible years (with
# more than 80 documents the figure counts documents per year instead: point years stacked by
# confidence, interval-only documents spread evenly over their interval, dashed); the
# dot is the point year, shown only when the text supports it. Masked years (`XX年`) get an
# interval and no invented point. An arrow means nothing bounds the year on that side.
# Colour is confidence: **high** (the body states the year outright, nothing strong
# disagrees), **medium** (a point from weaker or partly contradicted claims), **low** (an
# interval only), **none** (no dating evidence). `year_evidence` lists every clue, the rule
# and what it implied. The analysis notebooks can keep only well-dated documents
# (`MIN_CONFIDENCE`) and compare with all documents, or bin by plan period
# (`dating.bin_by_period`), which assigns a period only when the whole interval falls in it.

# %%
from bureau_rhetoric.dating import DATING_LEXICONS

ax = figures.plot_year_intervals(docs)  # one row per document; counts per year beyond 80 documents
fig = ax.figure
intervals = docs[["doc_id", "title", "year", "year_lo", "year_hi", "year_confidence", "fyp_period"]]
figures.save_figure(fig, "01-year-intervals", data=intervals, out_dir=FIGURES_DIR,
                    params={"seed": SEED}, lexicons=list(DATING_LEXICONS), notebook="01-corpus.ipynb")
plt.show()
print(report.describe_corpus(docs))

# %%
docs[["doc_id", "title", "year", "year_lo", "year_hi", "year_confidence", "year_evidence",
      "fyp_period", "published"]]

# %%
docs["year_confidence"].value_counts()

# %% [markdown]
# ## Caveats
#
# - Titles of content-farm compilations are the site's, not the bureau's (the pieces of one
#   compilation often share its title); genres follow the titles.
# - `on_topic` is a keyword rule: read its reason before excluding a borderline document.
# - The build report (`build_report.html` beside the corpus) lists every file, document,
#   skipped file and the notable repairs; `audit.parquet` has all of them.

# %%
import platform

from bureau_rhetoric.provenance import package_versions

print("python", platform.python_version())
print(package_versions())
