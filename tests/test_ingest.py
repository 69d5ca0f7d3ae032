"""Raw files in any supported encoding decode; bad files are skipped with a reason."""

from __future__ import annotations

import pytest

from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.ingest import UndecodableError, decode_bytes, list_raw_files, read_raw_file

TEXT = "科学技术局二〇一五年工作总结：加强科技创新，推进高新技术企业发展。"


@pytest.mark.parametrize("enc,name", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                      ("utf-16", "utf-16"), ("gb18030", "gb18030"), ("gbk", "gb18030")])
def test_simplified_encodings(enc, name):
    assert decode_bytes(TEXT.encode(enc)) == (TEXT, name)


def test_big5_is_told_from_gb18030():
    trad = "科學技術局年終總結：加強科技創新，推進高新技術企業發展。"
    assert decode_bytes(trad.encode("big5")) == (trad, "big5")
    assert decode_bytes(trad.encode("gb18030")) == (trad, "gb18030")


@pytest.mark.parametrize("data,reason", [(b"", "empty"), (b"%PDF-1.7\n...", "PDF"),
                                         (b"PK\x03\x04zip", "ZIP"), (b"\x89PNG\r\n", "PNG"),
                                         (b"ab\x00cd\x00", "NUL")])
def test_binary_and_empty_are_refused(data, reason):
    with pytest.raises(UndecodableError, match=reason):
        decode_bytes(data)


def test_seed_files_are_utf8_and_non_corpus_files_ignored():
    files, ignored = list_raw_files(RAW_DIR)
    assert len(files) == 5
    assert {p.name for p, _ in ignored} >= {"README.md", "SHA256SUMS"}
    raw = read_raw_file(files[0])
    assert raw.encoding == "utf-8" and raw.skipped is None and len(raw.sha256) == 64
