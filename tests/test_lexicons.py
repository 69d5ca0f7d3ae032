"""The shipped lexicons agree with each other where they share a term."""

from __future__ import annotations

import pandas as pd

from bureau_rhetoric.lexicons import lexicon_hashes, lexicon_path, list_lexicons
from bureau_rhetoric.phrases import read_phrases


def _dated_terms() -> pd.DataFrame:
    return pd.read_csv(lexicon_path("dated_terms.csv"), comment="#", dtype=str, keep_default_na=False)


def _forms(canonical: str, variants: str) -> set[str]:
    return {canonical} | {v for v in variants.split("|") if v}


def test_a_surface_form_means_the_same_term_in_both_lexicons():
    """A form listed under phrase P in phrases.csv must not belong to another dated term."""
    dated = _dated_terms()
    owner = {}
    for row in dated.itertuples():
        for form in _forms(row.term, row.variants):
            owner[form] = row.term
    phrases = read_phrases()
    clashes = []
    for row in phrases.itertuples():
        variants = row.variants if isinstance(row.variants, str) else "|".join(row.variants or [])
        for form in _forms(row.phrase, variants):
            if form in owner and owner[form] != row.phrase:
                clashes.append(f"{form}: phrase {row.phrase!r} vs dated term {owner[form]!r}")
    assert not clashes, clashes


def test_shared_terms_agree_on_first_year():
    dated = _dated_terms().set_index("term")
    phrases = read_phrases()
    shared = phrases[phrases["phrase"].isin(dated.index)]
    assert len(shared) >= 30, "phrases.csv should reuse the dated terms' canonical strings"
    for row in shared.itertuples():
        fy = getattr(row, "first_year", None)
        if pd.notna(fy) and str(fy).strip():
            assert int(float(fy)) == int(dated.loc[row.phrase, "first_year"]), row.phrase


def test_every_shipped_lexicon_is_hashed():
    hashes = lexicon_hashes()
    assert set(hashes) == set(list_lexicons())
    for name in ("domain_dict.txt", "stopwords.txt", "phrases.csv", "dated_terms.csv"):
        assert len(hashes[name]) == 64
