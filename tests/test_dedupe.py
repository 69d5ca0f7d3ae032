"""Duplicate detection: copies resemble their kept document directly, at any corpus size."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from bureau_rhetoric.dedupe import find_duplicates

_CHARS = "科技创新企业项目服务管理建设推进加强发展成果转化人才引进培训专利知识产权农业农村示范基地平台"


def _sentences(n, seed=0):
    rng = random.Random(seed)
    return ["".join(rng.choice(_CHARS) for _ in range(30)) + "。" for _ in range(n)]


@pytest.mark.parametrize("all_pairs_up_to", [300, 0])  # all pairs, and LSH
def test_copies_do_not_chain(all_pairs_up_to):
    s = _sentences(40)
    x = "".join(s[0:20])                      # the longest
    y = "".join(s[2:20] + s[30:31])           # 18 of its 19 sentences are in x (0.95)
    z = "".join(s[5:20] + s[30:32])           # 16/17 in y (0.94) but only 15/17 in x (0.88)
    other = "".join(s[20:30])
    docs = pd.DataFrame({"doc_id": ["x", "y", "z", "o"], "text": [x, y, z, other]})
    out = find_duplicates(docs, all_pairs_up_to=all_pairs_up_to).set_index("doc_id")
    assert out.loc["y", "duplicate_of"] == "x" and out.loc["y", "duplicate_similarity"] >= 0.9
    # z resembles a copy (y), not the kept document: it is kept, not chained into x's group
    assert out.loc["z", "duplicate_of"] is None
    assert out.loc["z", "near_duplicate_group"] is None
    assert out.loc["x", "near_duplicate_group"] == out.loc["y", "near_duplicate_group"] == "ndg-x"


def test_exact_copies_follow_their_first_occurrence():
    s = _sentences(30, seed=1)
    long, short = "".join(s[:20]), "".join(s[:19])
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [short, long, short, "".join(s[20:])]})
    out = find_duplicates(docs).set_index("doc_id")
    assert out.loc["a", "duplicate_of"] == "b" and out.loc["c", "duplicate_of"] == "b"
    assert out.loc["c", "duplicate_similarity"] == out.loc["a", "duplicate_similarity"]
    assert out.loc["d", "duplicate_of"] is None
    assert set(out["near_duplicate_group"].dropna()) == {"ndg-a"}
