"""Sidecar provenance: corpus identity, code identity, and a reproduce command that reads back."""

from __future__ import annotations

import json
import shlex

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bureau_rhetoric.cli import format_value, parse_value
from bureau_rhetoric.provenance import code_identity, corpus_identity, reproduce_command


def _corpus(d, build_id=None, where="column"):
    d.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame({"doc_id": ["杭州-1", "宁波-2", "温州-3"], "text": ["科技创新", "创新驱动", "高质量发展"]})
    if build_id and where == "column":
        df["build_id"] = build_id
    table = pa.Table.from_pandas(df, preserve_index=False)
    if build_id and where == "metadata":
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"build_id": build_id.encode()})
    pq.write_table(table, d / "corpus.parquet")
    if build_id and where == "summary":
        (d / "build_summary.json").write_text(json.dumps({"build_id": build_id}), encoding="utf-8")
    return d


@pytest.mark.parametrize("where", ["column", "metadata", "summary"])
def test_corpus_identity_reads_the_build_id_wherever_the_build_put_it(tmp_path, where):
    ident = corpus_identity(_corpus(tmp_path / "c", "b-2026-1", where))
    assert ident["build_id"] == "b-2026-1" and ident["n_docs"] == 3 and len(ident["sha256"]) == 64


def test_corpus_identity_changes_with_the_corpus_and_is_none_without_one(tmp_path):
    a = corpus_identity(_corpus(tmp_path / "a"))
    b = _corpus(tmp_path / "b")
    pd.DataFrame({"doc_id": ["x"], "text": ["新质生产力"]}).to_parquet(b / "corpus.parquet")
    assert corpus_identity(b)["sha256"] != a["sha256"]
    assert corpus_identity(tmp_path / "empty") is None


def test_code_identity_separates_commit_and_dirty_flag():
    ident = code_identity()
    assert ident["commit"] is None or (len(ident["commit"]) == 40 and "+" not in ident["commit"])
    assert ident["dirty"] in (True, False, None)


@given(st.one_of(st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False),
                 st.text(min_size=1, max_size=12), st.lists(st.text(max_size=6), max_size=4)))
def test_a_formatted_value_reads_back_through_the_shell(value):
    word = shlex.split(reproduce_command("01-x.ipynb", {"P": value}))[-1]
    assert parse_value(word) == value


def test_reproduce_command_names_the_notebook_corpus_labels_and_parameters():
    cmd = reproduce_command("03-topics.ipynb", {"CORPUS_DIR": "/d/语料", "FIGURES_DIR": "/f", "CACHE_DIR": "/c",
                                                "LABELS_FILE": "/l.csv", "K": 8, "ENGINE": "gensim"})
    assert shlex.split(cmd) == ["bureau-rhetoric", "notebooks", "03-topics", "--out", "rerun", "--corpus",
                                "/d/语料", "--labels", "/l.csv", "-p", "K", "8", "-p", "ENGINE", "gensim"]
    assert format_value("None") == '"None"' and parse_value(format_value("None")) == "None"
