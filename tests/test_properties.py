"""Property tests (hypothesis): the decoder never crashes and round-trips; compilations split back.

The alphabet is drawn from the shipped character-frequency table and made-up bureau prose
(tests/test_bad_input.py), nothing from ``data/raw``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bureau_rhetoric import ingest
from bureau_rhetoric.corpus import process_file
from bureau_rhetoric.ingest import UndecodableError, decode_file

from test_bad_input import body, related_box


@lru_cache(maxsize=1)
def _common_han() -> list[str]:
    """The 1,500 commonest Han characters of the shipped frequency table, encodable in GB2312."""
    ranked = sorted(ingest._char_logfreq().items(), key=lambda kv: -kv[1])
    out = []
    for ch, _ in ranked:
        if "\u4e00" <= ch <= "\u9fff":
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                continue
            out.append(ch)
        if len(out) == 1500:
            break
    return out


@lru_cache(maxsize=1)
def _big5_han() -> list[str]:
    import opencc

    s2t = opencc.OpenCC("s2t")
    out = []
    for ch in _common_han():
        t = s2t.convert(ch)
        try:
            t.encode("big5")
        except UnicodeEncodeError:
            continue
        out.append(t)
    return out


def _texts(alphabet):
    line = st.lists(st.sampled_from(alphabet), min_size=6, max_size=30).map("".join)
    punct = st.sampled_from(["，", "。", "", "2015年", "（一）"])
    sentence = st.tuples(line, punct).map("".join)
    return st.lists(sentence, min_size=2, max_size=12).map("\n".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=3000))
def test_decoder_never_crashes_on_random_bytes(data):
    try:
        dec = decode_file(data)
    except UndecodableError as err:
        assert str(err) and "\n" not in str(err)
        return
    assert isinstance(dec.text, str) and dec.encoding
    for c, off, raw in dec.bad:  # every recorded bad run is a U+FFFD at that offset, from those bytes
        assert dec.text[c] == "\ufffd" and data[off:off + len(raw)] == raw


@settings(max_examples=60, deadline=None)
@given(text=st.deferred(lambda: _texts(_common_han())),
       enc=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "utf-16-le", "utf-16-be"]))
def test_valid_simplified_text_round_trips_in_every_encoding(text, enc):
    dec = decode_file(text.encode(enc))
    assert dec.text == text and not dec.bad, (enc, dec.encoding)


@settings(max_examples=40, deadline=None)
@given(text=st.deferred(lambda: _texts(_big5_han())), enc=st.sampled_from(["big5", "big5hkscs"]))
def test_valid_traditional_text_round_trips_in_big5(text, enc):
    dec = decode_file(text.encode(enc))
    assert dec.text == text and dec.encoding.startswith("big5")


@settings(max_examples=60, deadline=None)
@given(text=st.deferred(lambda: _texts(_common_han())), cut=st.integers(1, 3),
       enc=st.sampled_from(["utf-8", "gb18030"]))
def test_a_few_bad_bytes_cost_only_themselves(text, cut, enc):
    k = len(text) // 2
    damaged = text[:k].encode(enc) + b"\xff" * cut + text[k:].encode(enc)
    dec = decode_file(damaged)
    assert dec.text.replace("\ufffd", "") == text and len(dec.bad) >= 1
    assert sum(len(b) for _, _, b in dec.bad) == cut


NUMERALS = "一二三四五六七八九十"
LEAD_INS = ["时间:2021-05-06 10:20:00", "時間:2021-05-06 10:20:00\n導語:本文來源于網友上傳,不代表本站觀點,歡迎參考。",
            "发布时间:2020年3月4日 来源:某某网 作者:佚名", "导语:本文来源于网友上传,不代表本站观点,欢迎参考。"]
FOOTERS = ["上一篇:某某工作总结\n下一篇:某某工作计划", "免责声明:本站文章仅供参考", None]
WATERMARKS = ["[找文章到某某网-一站在手]", "(本文来自某某网整理)", ""]


@st.composite
def compilations(draw):
    n = draw(st.integers(2, 6))
    pieces, parts = [], []
    for k in range(n):
        title = f"{draw(st.sampled_from(['市', '县', '区']))}科技局{2000 + draw(st.integers(0, 24))}年" \
                f"{draw(st.sampled_from(['工作总结', '工作计划', '工作汇报', '自查报告']))}"
        text = body(draw(st.integers(0, 10_000)), draw(st.integers(2, 8)))
        lead = draw(st.sampled_from(LEAD_INS + [None]))
        foot = draw(st.sampled_from(FOOTERS + [related_box(title, k)]))
        mark = draw(st.sampled_from(WATERMARKS))
        lines = text.split("\n")
        j = draw(st.integers(0, len(lines) - 1))
        marked = lines[:]
        marked[j] = marked[j][:3] + mark + marked[j][3:]
        parts.append(f"第{NUMERALS[k]}篇:{title}")
        if lead:
            parts.append(lead)
        parts += marked
        if foot:
            parts.append(foot)
        pieces.append((title, text))
    sep = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return sep.join("\n".join(parts).split("\n")), pieces


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(compilations())
def test_compilations_split_back_into_their_pieces(case):
    text, pieces = case
    raw = ingest.RawFile(path=Path("001_comp.txt"), sha256="-", n_bytes=len(text), encoding="utf-8", text=text,
                         rel_path="001_comp.txt")
    docs, _, _ = process_file(raw)
    assert [(d["title"], d["text"]) for d in docs] == pieces

