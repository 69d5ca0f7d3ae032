"""The seed corpus builds into 28 clean, traceable leaf documents (issue 3, Done when)."""

from __future__ import annotations

import re

import opencc
import pandas as pd
import pytest

from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.corpus import CORPUS_COLUMNS, CorpusBuildError, build_corpus_tables, write_corpus
from bureau_rhetoric.repair import PINYIN_RE


@pytest.fixture(scope="module")
def built():
    return build_corpus_tables(RAW_DIR)


def test_seeds_give_28_leaf_documents_per_file(built):
    docs, _, _ = built
    assert docs.groupby("source_file").size().tolist() == [9, 1, 16, 1, 1]
    assert docs["doc_id"].is_unique
    assert list(docs.columns[:len(CORPUS_COLUMNS)]) == CORPUS_COLUMNS
    assert (docs["title"].str.len() > 0).all()
    assert docs.loc[docs.doc_id == "000-03-5", "title"].item() == "市科技局工作自查报告5"


def test_text_is_clean_simplified(built):
    docs, _, _ = built
    t2s = opencc.OpenCC("t2s")
    for row in docs.itertuples():
        assert not PINYIN_RE.search(row.text), row.doc_id
        assert "xiexiebang" not in row.text and "找文章" not in row.text
        assert "相关文章" not in row.text and "小编" not in row.text and "导语" not in row.text
        assert "content_" not in row.text and "</p>" not in row.text and "http" not in row.text
        assert t2s.convert(row.text) == row.text, f"Traditional-only characters left in {row.doc_id}"
        assert not re.match(r"(发布)?时间[:：]", row.text)


def test_gbk_damage_reads_as_chinese(built):
    docs, audit, _ = built
    d4 = docs.loc[docs.doc_id == "004-01", "text"].item()
    assert "（五）区科技局" in d4 and "（七）召开全区" in d4
    assert "ㄎ" not in d4 and "澹" not in d4
    kinds = audit.groupby(["source_file", "reason"])["n_changes"].sum()
    assert kinds[("002_0d80e4d34c487784.txt", "gbk_shift")] >= 15
    assert kinds[("002_0d80e4d34c487784.txt", "pinyin")] > 8000


def test_003_body_once_and_published_kept(built):
    docs, audit, _ = built
    row = docs[docs.doc_id == "003-01"].iloc[0]
    assert row.text.count("一年来,我在市委、市政府的坚强领导下") == 1
    assert row.published == "2024-08-10 18:57:23"
    assert audit.loc[audit.reason == "repeated_body", "n_changes"].sum() == 1


def test_near_duplicate_and_off_topic_flagged(built):
    docs, _, _ = built
    d = docs.set_index("doc_id")
    assert d.loc["000-01", "duplicate_of"] == "000-02"
    assert d.loc["000-01", "near_duplicate_group"] == d.loc["000-02", "near_duplicate_group"]
    assert not d.loc["000-03-2", "on_topic"]   # transport bureau
    assert not d.loc["000-03-4", "on_topic"]   # planning bureau
    assert not d.loc["002-16", "on_topic"]     # cultural relics
    # 000-04 is the city people's congress's speech opening its review of the S&T bureau: the
    # congress oversees every field (mixed in bureaus.csv), so its subject, S&T work, decides
    assert d.loc["000-04", "bureau"] == "人大常委会" and d.loc["000-04", "on_topic"]
    assert set(docs.loc[~docs["on_topic"], "doc_id"]) == {"000-03-2", "000-03-4", "002-16"}
    assert set(docs["bureau"].dropna()) <= {"科学技术局", "人大常委会"}
    assert d["on_topic_reason"].str.len().gt(0).all()


def test_documents_and_removed_spans_tile_each_source(built):
    docs, audit, summary = built
    for info in summary["files"]:
        f = info["source_file"]
        spans = [(r.span_start, r.span_end) for r in docs[docs.source_file == f].itertuples()]
        removed = audit[(audit.source_file == f) & (audit.replacement == "")]
        outside = [(r.start, r.end) for r in removed.itertuples()
                   if not any(a <= r.start and r.end <= b for a, b in spans)]
        pieces = sorted(spans + outside)
        pos = 0
        for a, b in pieces:
            assert a == pos, f"{f}: gap or overlap at {pos}..{a}"
            pos = b
        assert pos == info["n_chars"], f"{f}: coverage ends at {pos} of {info['n_chars']}"


def test_report_escapes_text_and_build_skips_bad_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "000_x.txt").write_text("科技局工作总结\n加强科技创新<script>alert(1)</script>。\n", encoding="utf-8")
    (raw / "001_y.txt").write_bytes(b"%PDF-1.4 binary")
    (raw / "002_z.txt").write_bytes(b"")
    (raw / "README.md").write_text("x")
    paths = write_corpus(raw, tmp_path / "out")
    page = paths["report"].read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "binary file (PDF document)" in page and "empty file" in page
    assert len(pd.read_parquet(paths["corpus"])) == 1


def test_build_fails_with_one_line_reason_when_nothing_builds(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(CorpusBuildError, match="no document could be built") as err:
        write_corpus(tmp_path, tmp_path / "out")
    assert "\n" not in str(err.value)
    from bureau_rhetoric.cli import main
    assert main(["build", "--raw", str(tmp_path), "--out", str(tmp_path / "o")]) == 2


def test_build_is_deterministic(built):
    docs2, audit2, _ = build_corpus_tables(RAW_DIR)
    pd.testing.assert_frame_equal(built[0], docs2)
    pd.testing.assert_frame_equal(built[1], audit2)


def test_written_files_match_the_in_memory_build_and_parallel_is_identical(built, tmp_path):
    paths = write_corpus(RAW_DIR, tmp_path / "one")
    pd.testing.assert_frame_equal(pd.read_parquet(paths["corpus"]), built[0], check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(paths["audit"]), built[1], check_dtype=False)
    par = write_corpus(RAW_DIR, tmp_path / "two", n_jobs=2)
    assert par["corpus"].read_bytes() == paths["corpus"].read_bytes()
    assert par["audit"].read_bytes() == paths["audit"].read_bytes()
    page = paths["report"].read_text(encoding="utf-8")
    for needle in ("gbk_shift", "repeated_body", "000-01", "SHA256SUMS", "reads as 交通"):
        assert needle in page
