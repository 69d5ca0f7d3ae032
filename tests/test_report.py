"""Sentences about the corpus are computed from the tables, so they fit any corpus."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bureau_rhetoric.report import describe_corpus, describe_k_choice, describe_size


def test_describe_corpus_names_single_document_periods_in_plan_order():
    rng = np.random.default_rng(0)
    years = np.concatenate([rng.integers(1981, 1986, 1), rng.integers(1991, 2011, 40), [2023]])
    from bureau_rhetoric.dating import fyp_period

    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(years) + 2)],
                         "year": list(years) + [None, None]})
    docs["fyp_period"] = [fyp_period(y) for y in docs["year"]]
    text = describe_corpus(docs)
    assert text.startswith(f"{len(docs)} documents; {len(years)} dated, spanning {years.min()}–2023")
    assert "2 undated" in text
    assert "六五 and 十四五 rest on one document each" in text
    assert text.index("六五 (1)") < text.index("八五") < text.index("十一五") < text.index("十四五 (1)")
    assert "bundled" not in text and "seed" not in text


def test_describe_corpus_without_years_or_periods():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "year": [None, None], "fyp_period": [None, None]})
    assert "none has a year" in describe_corpus(docs)
    assert describe_corpus(docs.iloc[:0]) == "No document is left to analyse."


def test_describe_size_changes_with_documents_per_year():
    assert "single report" in describe_size(30, 25)
    assert "anecdote" in describe_size(60, 20)
    assert "well supported" in describe_size(2000, 40)


def test_describe_k_choice_follows_the_sweep_not_a_fixed_k():
    rng = np.random.default_rng(1)
    rows = []
    for k in (5, 10, 15, 20):
        for seed in (1, 2, 3):
            rows.append({"K": k, "seed": seed, "coherence_cv": 0.5 - abs(k - 15) / 100 + rng.normal(0, 0.002),
                         "heldout_perplexity": 900 - 10 * k + rng.normal(0, 1), "stability": 1 - k / 40})
    t = pd.DataFrame(rows)
    text = describe_k_choice(t, 15)
    assert "c_v coherence is highest at K = 15" in text
    assert "held-out perplexity is lowest at K = 20" in text
    assert "stability across seeds is highest at K = 5" in text
    assert "The reported K = 15 is the best K on 1 of 3 measures." in text
    assert "K = 8" not in describe_k_choice(t, 20)
    noisy = t.assign(coherence_cv=t["coherence_cv"] + rng.normal(0, 0.2, len(t)))
    assert "cannot pick K alone" in describe_k_choice(noisy, 15)
