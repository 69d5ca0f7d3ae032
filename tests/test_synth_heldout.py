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


def _sim(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pytest.fixture(scope="module")
def heldout_built(tmp_path_factory):
    from bureau_rhetoric.corpus import build_corpus_tables

    files, truth = make_heldout_corpus(seed=0)
    d = tmp_path_factory.mktemp("heldout")
    for name, data in files.items():
        (d / name).write_bytes(data)
    out, audit, _ = build_corpus_tables(d)
    return truth, out, audit


def test_heldout_files_build_back_into_their_reports(heldout_built):
    truth, out, audit = heldout_built
    assert len(out) == len(truth)
    sims = []
    for f, g in truth.groupby("file", sort=True):
        o = out[out["source_file"].astype(str).str.endswith(f)].reset_index(drop=True)
        assert o["title"].tolist() == g["title"].tolist(), f
        sims += [_sim(a, b) for a, b in zip(g["text"], o["text"])]
    assert sum(sims) / len(sims) >= 0.995 and sum(s >= 0.99 for s in sims) >= 0.95 * len(sims), sims
    # nothing of the sites' dirt is left
    for junk in ("www.", ".com", "发布时间", "上一篇", "免责声明", "相关推荐", "更多相关", "(zh"):
        assert not out["text"].str.contains(junk, regex=False).any(), junk
    assert set(audit["reason"]) >= {"watermark", "lead_in", "footer", "pinyin", "t2s"}


def test_upload_time_of_a_page_info_line_is_kept_as_published(heldout_built):
    truth, out, _ = heldout_built
    with_lead = truth.loc[truth["kinds"].str.contains("lead_in"), "doc_id"]
    assert len(with_lead) and out["published"].notna().sum() >= 1


def test_gbk_repair_thresholds_hold_on_held_out_text():
    """Thresholds of repair.gbk_shift_edits checked on text they were not set on."""
    import random

    import opencc

    from bureau_rhetoric import repair
    from bureau_rhetoric.dating_calibration import mask_years
    from bureau_rhetoric.synth import _shift_candidates, shift_gbk

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(7)
    shifted = undone = 0
    for text in load_clean_reports()["text"]:
        trad = s2t.convert(text)
        assert repair.gbk_shift_edits(text) == [] and repair.gbk_shift_edits(trad) == []  # no false repair
        for style in ("XX", "20xx"):  # masked numbers are ASCII after Chinese text: the usual false candidate
            masked = mask_years(text, style).replace("市", "XX市", 1)
            assert repair.gbk_shift_edits(masked) == [] and repair.gbk_shift_edits(s2t.convert(masked)) == []
        for i, j in rng.sample(_shift_candidates(trad), min(4, len(_shift_candidates(trad)))):
            bad = shift_gbk(trad, i, j, stray=rng.randint(0x81, 0xFE))
            if bad is not None:
                shifted += 1
                undone += repair.fix_gbk_shift(bad) == trad
    assert shifted >= 40 and undone / shifted >= 0.8, (undone, shifted)


def test_hong_kong_and_taiwan_forms_convert_back():
    import opencc

    from bureau_rhetoric.repair import convert_script

    for config in ("s2t", "s2tw", "s2hk"):
        conv = opencc.OpenCC(config)
        for text in load_clean_reports()["text"]:
            back = convert_script(conv.convert(text))
            # Taiwan's 著 writes both 着 and 著: no conversion can tell them apart
            assert back == text or (config == "s2tw" and back.replace("著", "着") == text.replace("著", "着")), config


def test_neutral_tone_pinyin_is_stripped_only_where_the_sites_put_it():
    from bureau_rhetoric.repair import strip_pinyin

    assert strip_pinyin("同志們(men)：目標(biāo)") == "同志們：目標"
    assert strip_pinyin("建設(shè)創(chuàng)新的(de)城市") == "建設創新的城市"
    assert strip_pinyin("附件(a)和(x)說明") == "附件(a)和(x)說明"  # no toned neighbours, no Traditional before
