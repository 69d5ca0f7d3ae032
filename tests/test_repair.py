"""Repairs undo the sites' damage and leave clean text and legitimate parentheses alone."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from bureau_rhetoric import repair
from bureau_rhetoric.synth import add_pinyin, shift_gbk

LEGIT = ["(一)", "(试行)", "(2015)", "(x)", "(市、区)", "(http)", "(二〇一五)"]
CLEAN_CHARS = "科技局工作总结计划创新发展加强推进企业项目服务管理建设我市区县年度一二三四五六七八九十" \
              "，。、；：“”《》（）,.:;0123456789xX\n"


def test_issue_examples_are_repaired():
    assert repair.fix_gbk_shift("。ㄎ澹﹨^(qū)科技局") == "（五）區(qū)科技局"
    assert repair.strip_pinyin("總結(jié)") == "總結"
    out, _ = repair.repair_text("。ㄎ澹﹨^(qū)科技局將借鑒兄弟縣區(qū)的先進(jìn)經(jīng)驗(yàn)")
    assert out == "（五）区科技局将借鉴兄弟县区的先进经验"


def test_legitimate_parentheses_are_kept():
    for p in LEGIT:
        assert repair.strip_pinyin("加強(qiáng)管理" + p + "辦法") == "加強管理" + p + "辦法"
        assert repair.repair_text("管理" + p + "办法")[0] == "管理" + p + "办法"


def test_lost_bytes_are_marked_not_guessed():
    # '?' + shifted run: the sites destroyed the first character's lead byte
    out = repair.fix_gbk_shift("方案78份?,F(xiàn)場賽")
    assert out.startswith("方案78份" + repair.LOST_CHAR + "現")
    assert [e.reason for e in repair.gbk_shift_edits("份?,F(xiàn)場")] == ["gbk_unrecoverable"]


def test_script_is_detected_and_converted():
    assert repair.detect_script("科學技術局工作總結") == "traditional"
    assert repair.detect_script("科学技术局工作总结") == "simplified"
    assert repair.convert_script("創業服務") == "创业服务"


def test_whitespace_keeps_paragraphs_and_rejoins_cut_sentences():
    text = "一、工作情况\n\n\n今年我局认真贯彻落实科技创新驱动发展战略,\n高新技术企业数量增长。\n(二)下一步"
    out = repair.normalize_whitespace(text)
    assert out == "一、工作情况\n今年我局认真贯彻落实科技创新驱动发展战略,高新技术企业数量增长。\n(二)下一步"


def test_edits_carry_offsets_into_the_input():
    text = "加強(qiáng)科技"
    out, rows = repair.repair_text(text)
    pin = [r for r in rows if r["reason"] == "pinyin"][0]
    assert text[pin["start"]:pin["end"]].startswith("(qiáng)") and pin["n_changes"] == 1
    fine = repair.pinyin_edits(text, per_line=False)
    assert [text[e.start:e.end] for e in fine] == ["(qiáng)"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=CLEAN_CHARS, max_size=200), st.lists(st.sampled_from(LEGIT), max_size=4))
def test_repair_leaves_clean_simplified_text_alone(body, parens):
    text = body + "".join(parens)
    assert repair.strip_pinyin(text) == text
    assert repair.fix_gbk_shift(text) == text
    once = repair.repair_text(text)[0]
    assert repair.repair_text(once)[0] == once, "repair is not idempotent"
    for p in parens:
        assert p in once


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="科技局工作总结计划创新发展加强推进企业项目服务管理建设", min_size=5, max_size=60),
       st.sampled_from(["（五）区", "（七）召开", "科技产", "关于"]))
def test_gbk_shift_round_trip(prefix, damaged_word):
    trad = add_pinyin(prefix + damaged_word + "工作。")
    start = len(add_pinyin(prefix))
    # damage from the damaged word up to the first character with an ASCII trail byte
    end = next((k for k in range(start, len(trad)) if len(trad[k].encode("gbk", "replace")) == 2
                and 0x40 <= trad[k].encode("gbk")[1] <= 0x7E), None)
    if end is None or "(" in trad[start:end]:
        return
    dirty = shift_gbk(trad, start, end)
    if dirty is None:
        return
    assert repair.repair_text(dirty)[0] == repair.repair_text(trad)[0]
