"""Term and phrase matches respect word boundaries, on seed text and on text no rule was chosen from."""

from __future__ import annotations

import pandas as pd

from bureau_rhetoric.boundaries import accept_match, boundary_cost, substring_hit_table
from bureau_rhetoric.dating import infer_year
from bureau_rhetoric.phrases import count_phrases


def _at(text: str, form: str) -> tuple[int, int]:
    s = text.index(form)
    return s, s + len(form)


def test_hits_cut_out_of_other_words_are_rejected():
    for text, form in [("坚持创新发展理念", "新发展理念"), ("提高企业核心竞争力", "高企"), ("建设六大数据库", "大数据")]:
        assert not accept_match(text, *_at(text, form)), text


def test_hits_on_word_boundaries_are_kept():
    for text, form in [("贯彻新发展理念", "新发展理念"), ("全面实施创新驱动发展战略", "实施创新驱动发展战略"),
                       ("加快农业科技成果转化", "成果转化"), ("“新发展理念”", "新发展理念"),
                       ("认定高企30家", "高企"), ("推进双创工作", "双创"), ("市知识产权局", "知识产权")]:
        assert accept_match(text, *_at(text, form)), text
    assert boundary_cost("新发展理念", 0, 5) == 0.0


def test_dated_term_inside_a_longer_word_does_not_bound_the_year():
    # a 2013 report: 创新发展理念 is not the 2015 slogan 新发展理念
    est = infer_year("2013年述职报告", "2013年，我局坚持创新发展理念，推动块状经济转型升级。")
    assert "新发展理念" not in est.describe()
    assert est.year == 2013 and (est.year_lo or 0) <= 2013
    assert "新发展理念" in infer_year("报告", "我局贯彻新发展理念。").describe()


def test_phrase_counts_skip_hits_inside_words():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
                         "text": ["提高企业自主创新能力。", "全年新认定高企12家。", "坚持创新发展理念，贯彻新发展理念。"]})
    got = {(r.doc_id, r.phrase): r.count for r in count_phrases(docs).itertuples()}
    assert ("a", "高新技术企业") not in got and got.get(("b", "高新技术企业")) == 1
    assert got.get(("c", "新发展理念")) == 1


def test_share_rejected_is_small_on_seeds_and_held_out(built_corpus_dir):
    from bureau_rhetoric.dating_calibration import heldout_reports

    corpus = pd.read_parquet(built_corpus_dir / "corpus.parquet")
    for texts in (corpus["text"].tolist(), heldout_reports()["text"].tolist()):
        t = substring_hit_table(texts)
        assert len(t) > 50
        share = float((~t["kept"]).mean())
        assert 0.0 < share < 0.05, share  # some hits are cut out of words; most are not
    held = substring_hit_table(heldout_reports()["text"].tolist())
    assert held.loc[~held["kept"], "form"].tolist().count("新发展理念") == 2  # once per lexicon
