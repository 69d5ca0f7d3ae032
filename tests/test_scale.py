"""The scale-out path: partitioned build, a 2-worker Dask cluster, streaming tokens, phrases and LDA.

The contract users rely on: whatever runs the partitions (this process, a
process pool, a Dask cluster) and however the raw files are cut into
partitions, the tables are the same as the single-process path's.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

from bureau_rhetoric import scale, synth
from bureau_rhetoric.config import RAW_DIR
from bureau_rhetoric.corpus import build_corpus, write_corpus
from bureau_rhetoric.phrases import count_phrases
from bureau_rhetoric.tokens import tokenize_docs

N_FILES, DOCS_PER_FILE = 8, 40  # 320 documents: above all_pairs_up_to, so duplicates go through LSH


@pytest.fixture(scope="module")
def raw_many(tmp_path_factory):
    """Eight dirty compilation files; four documents are copies (two truncated) of documents in other files."""
    seeds = build_corpus(RAW_DIR)
    seeds = seeds[seeds["duplicate_of"].isna() & ~seeds["text"].str.contains("〓")]
    sentences = [s for t in seeds["text"] for s in re.split(r"(?<=。)", t) if len(s) > 12]
    rng = random.Random(7)
    texts = ["".join(rng.choice(sentences) for _ in range(rng.randint(8, 20))) for _ in range(N_FILES * DOCS_PER_FILE)]
    titles = [f"某县科技局{2006 + i % 18}年工作总结第{i}号" for i in range(len(texts))]
    copies = {5: 100, 47: 210, 130: 301, 250: 12}  # copy -> original, in another file
    for dst, src in copies.items():
        texts[dst] = texts[src] if dst % 2 else texts[src][: int(len(texts[src]) * 0.95)]
    d = tmp_path_factory.mktemp("raw_many")
    for k in range(N_FILES):
        sl = slice(k * DOCS_PER_FILE, (k + 1) * DOCS_PER_FILE)
        kinds = ("watermark", "traditional_pinyin") if k % 2 else ()
        comp = synth.make_dirty_compilation(texts[sl], titles[sl], seed=k, kinds=kinds)
        (d / f"{k:03d}_gen.txt").write_bytes(synth.encode_text(comp, "utf-8" if k % 3 else "gb18030"))
    return d, copies


@pytest.fixture(scope="module")
def local_build(raw_many, tmp_path_factory):
    return write_corpus(raw_many[0], tmp_path_factory.mktemp("local"))


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        yield client


def _same_files(a: dict, b: dict):
    for key in ("corpus", "audit"):
        pd.testing.assert_frame_equal(pd.read_parquet(a[key]), pd.read_parquet(b[key]))


def test_partitioned_build_equals_the_in_memory_build(raw_many, local_build):
    built = pd.read_parquet(local_build["corpus"])
    assert len(built) == N_FILES * DOCS_PER_FILE
    pd.testing.assert_frame_equal(built, build_corpus(raw_many[0]), check_dtype=False)


def test_build_does_not_depend_on_partitioning_or_workers(raw_many, local_build, tmp_path):
    small = write_corpus(raw_many[0], tmp_path / "small", partition_mb=0.05)  # one file a partition
    _same_files(local_build, small)
    pool = write_corpus(raw_many[0], tmp_path / "pool", n_jobs=2, partition_mb=0.1)
    _same_files(local_build, pool)


def test_near_duplicates_across_partitions_found_by_lsh(raw_many, local_build):
    _, copies = raw_many
    docs = pd.read_parquet(local_build["corpus"])
    ids = docs["doc_id"].tolist()
    found = {ids.index(i): ids.index(j) for i, j in zip(docs["doc_id"], docs["duplicate_of"]) if j}
    # which member of a pair is kept depends on length; the pairs themselves are the contract
    pairs = {frozenset(p) for p in found.items()}
    assert pairs == {frozenset(p) for p in copies.items()}


def test_dask_cluster_gives_the_same_tables(raw_many, local_build, dask_client, tmp_path):
    on_dask = write_corpus(raw_many[0], tmp_path / "dask", scheduler=dask_client, partition_mb=0.1)
    _same_files(local_build, on_dask)
    corpus = pd.read_parquet(local_build["corpus"])

    info = scale.tokenize_corpus(on_dask["corpus"], tmp_path / "tokens", scheduler=dask_client)
    assert info["n_docs"] == len(corpus) and len(info["parts"]) > 1
    expected = tokenize_docs(corpus, cache_dir=False, n_jobs=1)
    got = scale.read_tokens(tmp_path / "tokens")
    pd.testing.assert_frame_equal(got, expected[["doc_id", "para_id", "tokens"]])
    assert info["lexicons"] == expected.attrs["lexicons"]

    counts = scale.count_corpus_phrases(on_dask["corpus"], scheduler=dask_client)
    pd.testing.assert_frame_equal(counts, count_phrases(corpus))
    assert counts.attrs["doc_ids"] == corpus["doc_id"].tolist()


def test_meta_without_text_gives_the_same_rates(local_build):
    from bureau_rhetoric.phrases import phrase_rates

    corpus = pd.read_parquet(local_build["corpus"])
    counts = scale.count_corpus_phrases(local_build["corpus"])
    meta = scale.read_corpus_meta(local_build["corpus"])
    assert "text" not in meta.columns
    a = phrase_rates(counts, corpus, n_boot=50, seed=1)
    b = phrase_rates(counts, meta, n_boot=50, seed=1)
    pd.testing.assert_frame_equal(a, b)


def test_streaming_lda_is_reproducible_and_sees_every_unit(local_build, tmp_path):
    from gensim.corpora import Dictionary

    scale.tokenize_corpus(local_build["corpus"], tmp_path / "tok", unit="paragraph")
    toks = scale.read_tokens(tmp_path / "tok")
    dct = scale.stream_dictionary(tmp_path / "tok", no_below=3, no_above=0.5, keep_n=2000)
    ref = Dictionary(toks["tokens"])
    ref.filter_extremes(no_below=3, no_above=0.5, keep_n=2000)
    assert dct.token2id == ref.token2id
    bow = scale.ParquetBow(tmp_path / "tok", dct)
    assert len(bow) == sum(1 for t in toks["tokens"] if dct.doc2bow(t))
    m1, _ = scale.fit_lda_stream(tmp_path / "tok", 5, dictionary=dct, chunksize=500, seed=3)
    m2, _ = scale.fit_lda_stream(tmp_path / "tok", 5, dictionary=dct, chunksize=500, seed=3)
    np.testing.assert_array_equal(m1.get_topics(), m2.get_topics())
    assert m1.get_topics().shape == (5, len(dct))


def test_unknown_scheduler_and_missing_corpus_say_what_to_do(tmp_path):
    with pytest.raises(ValueError, match="tcp://host:8786"):
        with scale.executor("yarn"):
            pass
    with pytest.raises(FileNotFoundError, match="bureau-rhetoric build"):
        scale.corpus_partitions(tmp_path)


def test_command_line_tokens_and_phrases(local_build, tmp_path):
    from bureau_rhetoric.cli import main

    corpus_dir = local_build["corpus"].parent
    assert main(["tokens", "--corpus", str(corpus_dir), "--out", str(tmp_path / "tok")]) == 0
    assert (tmp_path / "tok" / "tokens.json").is_file()
    assert main(["phrases", "--corpus", str(corpus_dir), "--out", str(tmp_path), "--by", "fyp_period",
                 "--n-boot", "20"]) == 0
    rates = pd.read_csv(tmp_path / "phrase_rates_by_fyp_period.csv", encoding="utf-8-sig")
    assert {"fyp_period", "label", "rate", "rate_lo", "rate_hi"} <= set(rates.columns)
    assert main(["tokens", "--corpus", str(tmp_path / "nowhere")]) == 2


def test_report_of_a_large_corpus_lists_a_capped_sample(raw_many, tmp_path, monkeypatch):
    from bureau_rhetoric import corpus

    monkeypatch.setattr(corpus, "MAX_REPORT_DOCS", 5)
    paths = write_corpus(raw_many[0], tmp_path, partition_mb=0.1)
    page = paths["report"].read_text(encoding="utf-8")
    assert f"{N_FILES * DOCS_PER_FILE} leaf documents" in page
    assert f"The first 5 of {N_FILES * DOCS_PER_FILE} documents" in page
    listed = page.split("<h2>Documents</h2>")[1].split("<h2>")[0]
    assert listed.count("<tr>") == 1 + 5  # header + five documents
