"""Segmentation: jieba's tokens (by rjieba), private state, parallel and cached runs."""

from __future__ import annotations

import re

import jieba
import pandas as pd
import pytest
import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from bureau_rhetoric import tokens
from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.tokens import (CJK_RUN, Tokenizer, build_jieba_tokenizer, read_dictionary,
                                    read_stopwords, tokenize_docs)

_PINYIN = re.compile(r"\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\s*)+\)")


@pytest.fixture(scope="module")
def seed_texts():
    import opencc

    cc = opencc.OpenCC("t2s")
    return [cc.convert(_PINYIN.sub("", p.read_text(encoding="utf-8"))) for p in sorted(RAW_DIR.glob("*.txt"))]


@pytest.fixture(scope="module")
def jt():
    return build_jieba_tokenizer()  # jieba.Tokenizer + the shipped domain dictionary


@pytest.fixture(scope="module")
def tok():
    return Tokenizer()


def test_rjieba_equals_jieba_on_the_seed_reports_with_the_domain_dictionary(seed_texts, jt, tok):
    runs = [r for t in seed_texts for r in CJK_RUN.findall(t)]
    assert sum(map(len, runs)) > 20_000, "seed texts missing"
    diffs = [(r, jt.lcut(r), tok.segment(r)) for r in runs if jt.lcut(r) != tok.segment(r)]
    assert not diffs, f"{len(diffs)} runs segment differently, first: {diffs[0]}"
    # whole texts: the segmentation is jieba's, run by run, with non-Chinese material dropped
    for t in seed_texts:
        assert tok.segment(t) == [w for r in CJK_RUN.findall(t) for w in jt.lcut(r)]
    # the one-call-per-document paragraph path gives the same as cutting paragraph by paragraph
    for t in seed_texts:
        assert tok.cut_paragraphs(t) == [tok.cut(p) for p in tokens.split_paragraphs(t)]
    # and the domain dictionary was actually in play
    assert any("科技特派员" in tok.segment(r) or "科技局" in tok.segment(r) for r in runs)


_ALPHABET = "科技局创新驱动发展战略大众创业万众创新高质量新质生产力众创空间星创天地特派员党风廉政建设的了和在推进加强农业人才专利十三五"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=40))
def test_rjieba_equals_jieba_on_generated_chinese(jt, tok, s):
    assert tok.segment(s) == jt.lcut(s)


def test_ascii_material_is_where_jieba_and_rjieba_differ_and_it_is_not_segmented(jt):
    # Documented divergence: jieba's HMM splits ASCII at . - _ ; rjieba keeps it whole.
    raw = rjieba.Jieba()
    assert jt.lcut("www.xiexiebang.com") != raw.cut("www.xiexiebang.com")
    assert jt.lcut("2014-2015") == ["2014", "-", "2015"] and raw.cut("2014-2015") == ["2014-2015"]
    # so only Chinese-character runs reach the segmenter
    tok = Tokenizer(stopwords=[], min_len=1)
    assert tok.segment("2014-2015年www.xiexiebang.com科技局") == ["年", "科技局"]


def test_every_dictionary_entry_survives_segmentation_alone(tok):
    entries = read_dictionary()
    assert len(entries) >= 300
    split = [w for w, _, _ in entries if tok.segment(w) != [w]]
    assert not split, f"split by the tokenizer: {split[:10]}"
    words = {w for w, _, _ in entries}
    for w in ["科技特派员", "众创空间", "高新技术企业", "科技企业孵化器", "产学研合作", "星创天地",
              "国家可持续发展实验区", "大众创业万众创新", "创新驱动发展战略", "十三五", "专精特新", "新质生产力"]:
        assert w in words


def test_plain_jieba_splits_what_the_domain_dictionary_keeps(tok):
    plain = Tokenizer(dictionary=[], stopwords=[], min_len=1)
    assert plain.segment("星创天地") != ["星创天地"]
    assert tok.segment("星创天地") == ["星创天地"]


def test_the_tokenizer_never_touches_global_segmenters():
    before = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    Tokenizer(dictionary=["独一无二测试词"])
    build_jieba_tokenizer(["独一无二测试词"])
    if before is not None:
        assert jieba.dt.FREQ == before
    assert "独一无二测试词" not in jieba.dt.FREQ
    assert not rjieba.has_word("独一无二测试词")


def test_stopwords_drop_function_words_and_bureau_filler_and_are_configurable():
    sw = read_stopwords()
    assert {"的", "和", "进一步", "积极", "认真", "切实", "加强"} <= sw
    text = "进一步加强科技创新，积极推进产学研合作"
    assert Tokenizer().cut(text) == ["科技创新", "推进", "产学研合作"]
    assert "加强" in Tokenizer(stopwords=["进一步"]).cut(text)
    assert "积极" in Tokenizer(drop_stopwords=False).cut(text)


def _docs(n=6):
    base = ["实施创新驱动发展战略，建设创新型城市。\n推进大众创业万众创新。",
            "科技特派员深入农村，服务乡村振兴。",
            "加强知识产权保护，发明专利授权量增长。\n\n\n培育高新技术企业和科技型中小企业。",
            "建设众创空间、星创天地和科技企业孵化器。",
            "坚持全面从严治党，落实党风廉政建设主体责任。",
            "发展新质生产力，实现高水平科技自立自强。"]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "text": base[:n], "year": range(2010, 2010 + n)})


def test_output_shape_units_and_lexicon_hashes():
    docs = _docs()
    doc = tokenize_docs(docs, cache_dir=False, n_jobs=1)
    assert list(doc.columns) == ["doc_id", "para_id", "tokens"]
    assert doc["doc_id"].tolist() == docs["doc_id"].tolist() and (doc["para_id"] == 0).all()
    para = tokenize_docs(docs, unit="paragraph", cache_dir=False, n_jobs=1)
    assert para.loc[para.doc_id == "d2", "para_id"].tolist() == [0, 1]  # blank lines dropped
    # paragraphs concatenate to the document
    joined = para.groupby("doc_id", sort=False)["tokens"].sum()
    assert joined.tolist() == doc["tokens"].tolist()
    assert set(doc.attrs["lexicons"]) == {"domain_dict.txt", "stopwords.txt"}
    assert all(len(h) == 64 for h in doc.attrs["lexicons"].values())
    with pytest.raises(ValueError, match="unit must be one of"):
        tokenize_docs(docs, unit="sentence", cache_dir=False)
    with pytest.raises(ValueError, match="doc_id must be unique"):
        tokenize_docs(pd.concat([docs, docs]), cache_dir=False)


def test_parallel_equals_serial_in_input_order(monkeypatch):
    docs = pd.concat([_docs()] * 4, ignore_index=True)
    docs["doc_id"] = [f"x{i}" for i in range(len(docs))]
    serial = tokenize_docs(docs, cache_dir=False, n_jobs=1)
    monkeypatch.setattr(tokens, "PARALLEL_MIN_CHARS", 0)
    parallel = tokenize_docs(docs, cache_dir=False, n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)


def test_cache_recomputes_exactly_what_changed(tmp_path):
    docs = _docs()
    first = tokenize_docs(docs, cache_dir=tmp_path, n_jobs=1)
    assert first.attrs["cache"]["misses"] == len(docs)
    again = tokenize_docs(docs, cache_dir=tmp_path, n_jobs=1)
    assert again.attrs["cache"]["hits"] == len(docs) and again.attrs["cache"]["recomputed"] == []
    pd.testing.assert_frame_equal(first, again)

    changed = docs.copy()
    changed.loc[2, "text"] = changed.loc[2, "text"] + "建设国家可持续发展实验区。"
    res = tokenize_docs(changed, cache_dir=tmp_path, n_jobs=1)
    assert res.attrs["cache"]["recomputed"] == ["d2"]
    assert "国家可持续发展实验区" in res.loc[2, "tokens"]

    res = tokenize_docs(docs, dictionary=read_dictionary()[:-1], cache_dir=tmp_path, n_jobs=1)
    assert res.attrs["cache"]["recomputed"] == docs["doc_id"].tolist()
    res = tokenize_docs(docs, stopwords=["科技"], cache_dir=tmp_path, n_jobs=1)
    assert res.attrs["cache"]["misses"] == len(docs)
    res = tokenize_docs(docs, min_len=1, cache_dir=tmp_path, n_jobs=1)
    assert res.attrs["cache"]["misses"] == len(docs)
    # a unit change reuses the per-document cache
    res = tokenize_docs(docs, unit="paragraph", cache_dir=tmp_path, n_jobs=1)
    assert res.attrs["cache"]["misses"] == 0


def test_a_corrupt_cache_entry_is_recomputed(tmp_path):
    docs = _docs(2)
    first = tokenize_docs(docs, cache_dir=tmp_path, n_jobs=1)
    for p in tmp_path.rglob("*.pkl"):
        p.write_bytes(b"garbage")
    again = tokenize_docs(docs, cache_dir=tmp_path, n_jobs=1)
    assert again.attrs["cache"]["misses"] == 2
    pd.testing.assert_frame_equal(first, again)


_MIXED = _ALPHABET + "，。、；：2015abc-_.% \t\r\n\u3000（）《》\x00"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_MIXED, max_size=80), st.sampled_from([1, 2, 3]), st.booleans())
def test_the_set_based_filter_keeps_exactly_what_the_rules_say(s, min_len, drop_stopwords):
    # cut() filters with one set lookup per token; the rule it stands for, written plainly
    tok = Tokenizer(min_len=min_len, drop_stopwords=drop_stopwords)
    stop = read_stopwords() if drop_stopwords else frozenset()
    words = [w for r in CJK_RUN.findall(s) for w in tok.segment(r)]
    assert tok.segment(s) == words
    assert tok.cut(s) == [w for w in words if len(w) >= min_len and w not in stop]
    # paragraphs: blank lines dropped, \r\n and \r are line breaks, a paragraph with no
    # Chinese gives an empty list; concatenated, they are the document's tokens
    paras = tokens.split_paragraphs(s)
    assert tok.cut_paragraphs(s) == [tok.cut(p) for p in paras]


def test_tokenizers_with_one_dictionary_share_one_segmenter_and_others_do_not():
    a, b = Tokenizer(), Tokenizer(stopwords=[])
    a.segment(""), b.segment("")
    assert a._jieba is b._jieba
    c = Tokenizer(dictionary=["独一无二测试词"])
    c.segment("")
    assert c._jieba is not a._jieba
    assert c.segment("独一无二测试词") == ["独一无二测试词"] and a.segment("独一无二测试词") != ["独一无二测试词"]


def test_documents_without_cache_take_the_one_cut_path_with_the_same_tokens(tmp_path):
    docs = pd.concat([_docs()] * 3, ignore_index=True)
    docs["doc_id"] = [f"y{i}" for i in range(len(docs))]
    docs.loc[0, "text"] = "第一段，科技创新。\r\n\r\n  \n第二段2015年推进产学研合作\r第三段"
    direct = tokenize_docs(docs, cache_dir=False, n_jobs=1)                 # tok.cut per document
    cached = tokenize_docs(docs, cache_dir=tmp_path, n_jobs=1)              # paragraphs, then joined
    para = tokenize_docs(docs, unit="paragraph", cache_dir=False, n_jobs=1)
    pd.testing.assert_frame_equal(direct, cached)
    assert para.groupby("doc_id", sort=False)["tokens"].sum().tolist() == direct["tokens"].tolist()
    assert all(isinstance(t, list) and all(len(w) >= 2 for w in t) for t in direct["tokens"])
