"""The held-out dirty-text generator: frozen bytes, general pinyin, and the build's round trip on it.

The generator was frozen (hashes below) before any repair or segmentation rule was
changed against it; a change of these hashes means the held-out set changed and the
figures in the README/report are no longer comparable.
"""

from __future__ import annotations

import difflib
import hashlib

import pytest

from bureau_rhetoric import synth_heldout
from bureau_rhetoric.synth_heldout import HELDOUT_DAMAGE, damage_text, load_clean_reports, make_heldout_corpus

FROZEN = {
    0: "bf9cb0bf9cec42e682832e6ffb2df28644e4a34de25702a46bddf5e9682fa7f6",
    1: "a60f149dd9e16b4e06a33a172205a6711a6d973e9cb83afa2f991e1908e6c52e",
    2: "30eef81abcbd0266a7e373fb7e84db02a639d9d50c912cb92e287887c716edbb",
}


def _digest(files: dict) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode())
        h.update(files[name])
    return h.hexdigest()


@pytest.mark.parametrize("seed", sorted(FROZEN))
def test_generator_is_frozen_byte_for_byte(seed):
    files, truth = make_heldout_corpus(seed=seed)
    assert _digest(files) == FROZEN[seed]
    assert len(truth) == len(load_clean_reports())


def test_clean_reports_span_decades_bureaus_and_levels():
    r = load_clean_reports()
    assert len(r) >= 30
    assert r["true_year"].min() <= 1986 and r["true_year"].max() >= 2024
    assert r["bureau"].nunique() >= 8 and r["level"].nunique() >= 4
    assert r["doc_id"].is_unique


def test_clean_reports_share_no_sentence_with_the_seeds():
    from bureau_rhetoric.config import RAW_DIR

    seeds = "".join(p.read_bytes().decode("utf-8", "ignore") for p in RAW_DIR.glob("*.txt"))
    for text in load_clean_reports()["text"]:
        for sent in text.replace("\n", "。").split("。"):
            if len(sent) >= 12:
                assert sent not in seeds, sent


def test_clean_reports_avoid_the_dating_rules_cue_phrases():
    import re

    cues = re.compile(r"截[至止][^。]{0,8}年底|比[^。]{0,6}年增长|力争到|自[^。]{0,8}以来|收官之年")
    assert not any(cues.search(t) for t in load_clean_reports()["text"])


def test_pinyin_table_agrees_with_pypinyin():
    from pypinyin import Style, pinyin

    table = synth_heldout._pinyin()
    assert len(table) > 4000
    for ch in list(table)[::50]:
        assert table[ch] == pinyin(ch, style=Style.TONE)[0][0]


def test_same_seed_same_damage_and_unknown_kinds_are_refused():
    t = load_clean_reports()["text"][5]
    assert damage_text(t, seed=3) == damage_text(t, seed=3)
    assert damage_text(t, seed=3) != damage_text(t, seed=4)
    with pytest.raises(ValueError, match="unknown damage kinds"):
        damage_text(t, seed=1, kinds=("bogus",))


def test_damage_uses_no_seed_string():
    """No watermark, lead-in or footer string of the seed-derived generator appears."""
    from bureau_rhetoric import synth

    files, _ = make_heldout_corpus(seed=0, damage=1.0)
    text = "".join(b.decode("utf-8", "ignore") for b in files.values())
    for s in ("xiexiebang", "导语", ":26:00", "酒店年终总结", "英语教师", "一站在手"):
        assert s not in text
    assert synth.WATERMARK not in text
