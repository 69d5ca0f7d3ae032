"""Dirty variants made from clean text come back to that text; the coverage invariant holds on them."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bureau_rhetoric import synth
from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.corpus import build_corpus, build_corpus_tables, process_file
from bureau_rhetoric.ingest import RawFile

ENCODINGS = {  # Big5 files cannot carry pinyin tone marks or GBK damage
    "utf-8": set(synth.DAMAGE_KINDS),
    "gb18030": set(synth.DAMAGE_KINDS),
    "utf-16": set(synth.DAMAGE_KINDS),
    "big5": set(synth.DAMAGE_KINDS) - {"traditional_pinyin", "gbk_shift"},
}


@pytest.fixture(scope="module")
def clean_docs():
    docs = build_corpus(RAW_DIR)
    keep = docs["duplicate_of"].isna() & ~docs["text"].str.contains("〓") & (docs["n_chars"] > 600)
    return docs[keep].reset_index(drop=True)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def test_same_seed_same_variant(clean_docs):
    t = clean_docs["text"][0]
    assert synth.make_dirty_variant(t, seed=5) == synth.make_dirty_variant(t, seed=5)
    assert synth.make_dirty_variant(t, seed=5) != synth.make_dirty_variant(t, seed=6)
    with pytest.raises(ValueError, match="unknown damage kinds"):
        synth.make_dirty_variant(t, seed=1, kinds=("bogus",))


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_dirty_variants_round_trip(clean_docs, encoding, tmp_path):
    picks = clean_docs.sample(n=4, random_state=len(encoding))
    for k, row in enumerate(picks.itertuples()):
        dirty = row.title + "\n" + synth.make_dirty_variant(
            row.text, seed=100 + k, title=row.title, kinds=ENCODINGS[encoding])
        (tmp_path / f"{k:03d}_v.txt").write_bytes(synth.encode_text(dirty, encoding))
    out, audit, _ = build_corpus_tables(tmp_path)
    assert len(out) == len(picks)
    assert set(out["encoding"]) <= {encoding, "gb18030"} if encoding == "gbk" else set(out["encoding"]) == {encoding}
    sims = [_similarity(a, b) for a, b in zip(picks["text"], out["text"])]
    assert min(sims) >= 0.99, f"round-trip similarity {sims}"
    assert out["published"].notna().all()
    assert audit.loc[audit["reason"] == "repeated_body", "n_changes"].sum() == len(picks)


def test_compilation_splits_back_into_its_documents(clean_docs, tmp_path):
    picks = clean_docs.head(5)
    comp = synth.make_dirty_compilation(picks["text"].tolist(), picks["title"].tolist(), seed=3)
    (tmp_path / "000_c.txt").write_bytes(comp.encode("gb18030"))
    out = build_corpus(tmp_path)
    assert out["title"].tolist() == picks["title"].tolist()
    assert min(map(_similarity, picks["text"], out["text"])) >= 0.99


def _assert_tiles(docs, rows, n_chars):
    spans = [(d["span_start"], d["span_end"]) for d in docs]
    removed = [(r["start"], r["end"]) for r in rows if r["replacement"] == ""
               and not any(a <= r["start"] and r["end"] <= b for a, b in spans)]
    pos = 0
    for a, b in sorted(spans + removed):
        assert a == pos, f"gap or overlap at {pos}..{a}"
        pos = b
    assert pos == n_chars


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 4),
       kinds=st.sets(st.sampled_from(synth.DAMAGE_KINDS)))
def test_coverage_invariant_on_generated_compilations(clean_docs, seed, n, kinds):
    picks = clean_docs.sample(n=n, random_state=seed)
    text = synth.make_dirty_compilation(picks["text"].tolist(), picks["title"].tolist(),
                                        seed=seed, kinds=tuple(sorted(kinds)))
    raw = RawFile(path=RAW_DIR / "999_gen.txt", sha256="0" * 64, n_bytes=0, encoding="utf-8", text=text)
    docs, rows, info = process_file(raw)
    assert len(docs) == n
    _assert_tiles(docs, rows, len(text))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="科技局第一篇:文章标题\n总结(一)[找文章到x.com]时间2022-01-01 ,。篇二", max_size=300))
def test_coverage_invariant_on_arbitrary_text(text):
    raw = RawFile(path=RAW_DIR / "998_any.txt", sha256="0" * 64, n_bytes=0, encoding="utf-8", text=text)
    docs, rows, _ = process_file(raw)
    _assert_tiles(docs, rows, len(text))
