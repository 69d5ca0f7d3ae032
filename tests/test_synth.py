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


# ----------------------------------------------------------------------------- synthetic corpora

import re  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from bureau_rhetoric.dating import infer_year  # noqa: E402
from bureau_rhetoric.phrases import count_phrases  # noqa: E402


@pytest.fixture(scope="module")
def synth_400():
    return synth.generate_corpus(400, seed=7)


def test_same_seed_same_corpus_whatever_the_batch_size():
    a, truth_a = synth.generate_corpus(30, seed=4, mean_chars=500)
    b, truth_b = synth.generate_corpus(30, seed=4, mean_chars=500)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(truth_a, truth_b)
    batches = list(synth.iter_corpus(30, batch_size=7, seed=4, mean_chars=500))
    assert [len(x) for x in batches] == [7, 7, 7, 7, 2]
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), a)
    c, _ = synth.generate_corpus(30, seed=5, mean_chars=500)
    assert c["text"].tolist() != a["text"].tolist()


def test_documents_state_their_year_first():
    docs, _ = synth.generate_corpus(40, seed=2, mean_chars=400)
    assert docs["doc_id"].tolist() == [f"syn-{i:06d}" for i in range(1, 41)]
    assert all(t.startswith(f"{y}年，") for t, y in zip(docs["text"], docs["year"]))
    assert all(f"{y}年" in t for t, y in zip(docs["title"], docs["year"]))
    assert docs["n_chars"].tolist() == docs["text"].str.len().tolist()
    shares = docs[[c for c in docs.columns if c.startswith("theme_")]]
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_pool_has_no_dating_evidence_nor_planted_phrases():
    pool = synth.paragraph_pool()
    assert len(pool) > 100 and set(pool["theme"]) == {t for t, _, _ in synth.DEFAULT_THEMES}
    text = "\n".join(pool["text"])
    for pat in [r"\d{4}\s*年", r"20\d\d", r"[Xx×]{2}年", r"十[一二三四五]五", r"十[六七八九]大", r"二十大",
                r"届.中全会", "〓", r"\?"]:
        assert not re.search(pat, text), pat
    assert not [t for t in pool["text"] if infer_year("", t).evidence]
    forms = [f for p, _, _ in synth.DEFAULT_TRENDS for f in synth._phrase_forms([p])[p][1]]
    from bureau_rhetoric.phrases import normalize_text

    assert not [f for f in forms if f in normalize_text(text)]
    assert sum(pool.attrs["removed"].values()) > 0


def _wls_line(x, y, w):
    """Weighted least squares y ~ a + b x with known inverse variances w: (coef, covariance)."""
    X = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    return cov @ X.T @ (w * y), cov


def test_planted_phrase_rates_are_recovered(synth_400):
    docs, truth = synth_400
    counts = count_phrases(docs)
    wide = counts.pivot_table(index="doc_id", columns="phrase", values="count", aggfunc="sum",
                              fill_value=0).reindex(docs["doc_id"], fill_value=0)
    y0, y1 = 2006, 2025
    chars = docs.groupby("year")["n_chars"].sum()
    for phrase, r0, r1 in synth.DEFAULT_TRENDS:
        # the pool holds none of the phrase, so the counter finds exactly what was planted
        assert wide[phrase].tolist() == docs[f"planted_{phrase}"].tolist()
        per_year = wide[phrase].groupby(docs["year"].to_numpy()).sum()
        rate = per_year / chars * 10_000
        true_rate = truth.query("kind == 'phrase' and name == @phrase").set_index("year")["value"]
        # Poisson: var(rate_y) = true rate_y * 10,000 / chars_y
        w = (chars / (10_000 * true_rate.reindex(chars.index).clip(lower=0.1))).to_numpy()
        coef, cov = _wls_line((chars.index - y0).to_numpy(float), rate.to_numpy(), w)
        se = np.sqrt(np.diag(cov))
        want = np.array([r0, (r1 - r0) / (y1 - y0)])
        assert np.all(np.abs(coef - want) < 4 * se), (phrase, coef, want, se)


def test_theme_weights_by_year_match_the_truth(synth_400):
    docs, truth = synth_400
    forms = [f for p, _, _ in synth.DEFAULT_TRENDS for f in synth._phrase_forms([p])[p][1]]
    rows = []
    for year, text in zip(docs["year"], docs["text"]):
        paras = text.split("\n")[1:]  # the first paragraph is the opening sentence
        for para in paras:
            for f in sorted(forms, key=len, reverse=True):  # planted clauses must not relabel a paragraph
                para = para.replace(f, "")
            rows.append((year, synth.label_theme(para), 1 / len(paras)))
    labels = pd.DataFrame(rows, columns=["year", "theme", "w"])
    per_doc = labels.groupby([np.repeat(np.arange(len(docs)), docs["text"].str.count("\n")), "theme"])["w"].sum()
    per_doc = per_doc.unstack(fill_value=0.0)
    x = docs["year"].to_numpy(float) - 2006
    for theme, w0, w1 in synth.DEFAULT_THEMES:
        y = per_doc.get(theme, pd.Series(0.0, index=per_doc.index)).to_numpy()
        coef, *_ = np.linalg.lstsq(np.column_stack([np.ones_like(x), x]), y, rcond=None)
        resid = y - coef[0] - coef[1] * x
        X = np.column_stack([np.ones_like(x), x])
        cov = np.linalg.inv(X.T @ X) * resid.var(ddof=2)
        ends = np.array([[1, 0], [1, 19]])
        fitted, se = ends @ coef, np.sqrt(np.einsum("ij,jk,ik->i", ends, cov, ends))
        want = truth.query("kind == 'theme' and name == @theme and year in (2006, 2025)")["value"].to_numpy()
        # 4 standard errors, plus 0.03 for the length rule (long paragraphs end documents more often)
        assert np.all(np.abs(fitted - want) < 4 * se + 0.03), (theme, fitted, want, se)


def test_raw_files_build_back_into_the_same_documents(tmp_path):
    docs, _ = synth.generate_corpus(60, seed=11)
    info = synth.write_raw_corpus(docs, tmp_path / "raw", docs_per_file=7)
    assert info["n_files"] == 9 and info["n_docs"] == 60
    assert sorted(p.name for p in (tmp_path / "raw").iterdir())[0] == "00000_syn.txt"
    built = build_corpus(tmp_path / "raw")
    assert len(built) == 60
    assert built["title"].tolist() == docs["title"].tolist()
    assert built["text"].tolist() == docs["text"].tolist()  # the generator writes build-normal text
    assert (built["year"].to_numpy() == docs["year"].to_numpy()).mean() >= 0.95


def test_damaged_raw_files_still_split_and_date(tmp_path):
    docs, _ = synth.generate_corpus(60, seed=12)
    synth.write_raw_corpus(docs, tmp_path, docs_per_file=7, damage=1.0, seed=3,
                           encodings=("utf-8", "gb18030", "utf-16", "big5"))
    built = build_corpus(tmp_path)
    assert len(built) == 60
    assert set(built["encoding"]) == {"utf-8", "gb18030", "utf-16", "big5"}
    assert (built["year"].to_numpy() == docs["year"].to_numpy()).mean() >= 0.90


def test_raw_files_do_not_depend_on_batching(tmp_path):
    docs, _ = synth.generate_corpus(25, seed=1, mean_chars=300)
    a = synth.write_raw_corpus(docs, tmp_path / "a", docs_per_file=10, damage=0.5, seed=9)
    b = synth.write_raw_corpus(synth.iter_corpus(25, batch_size=4, seed=1, mean_chars=300), tmp_path / "b",
                               docs_per_file=10, damage=0.5, seed=9)
    assert a == b
    for p in (tmp_path / "a").iterdir():
        assert p.read_bytes() == (tmp_path / "b" / p.name).read_bytes()
    with pytest.raises(ValueError, match="docs_per_file"):
        synth.write_raw_corpus(docs, tmp_path / "c", docs_per_file=100)


def test_custom_trends_and_themes():
    trends = pd.DataFrame({"phrase": ["科技特派员"], "rate_start": [10.0], "rate_end": [0.0]})
    themes = pd.DataFrame({"theme": ["enterprise", "general"], "weight_start": [1, 0], "weight_end": [0, 1]})
    docs, truth = synth.generate_corpus(50, seed=3, trends=trends, themes=themes, years=(2010, 2011))
    assert set(docs["year"]) == {2010, 2011}
    assert [c for c in docs.columns if c.startswith(("planted_", "theme_"))] == ["theme_enterprise", "theme_general", "planted_科技特派员"]
    found = count_phrases(docs).query("phrase == '科技特派员'").set_index("doc_id")["count"]
    assert found.reindex(docs["doc_id"], fill_value=0).tolist() == docs["planted_科技特派员"].tolist()
    assert truth.query("kind == 'theme' and year == 2010").set_index("name")["value"].to_dict() == \
        {"enterprise": 1.0, "general": 0.0}
    with pytest.raises(ValueError, match="no pool paragraph has theme"):
        synth.generate_corpus(1, themes=pd.DataFrame({"theme": ["nope"], "weight_start": [1], "weight_end": [1]}))



@pytest.mark.parametrize("theme", [t for t, _, _ in synth.DEFAULT_THEMES])
def test_paragraphs_made_of_sentences_keep_their_theme(theme):
    forms = sorted((f for p, _, _ in synth.DEFAULT_TRENDS for f in synth._phrase_forms([p])[p][1]),
                   key=len, reverse=True)
    themes = pd.DataFrame({"theme": [theme], "weight_start": [1], "weight_end": [1]})
    docs, _ = synth.generate_corpus(30, seed=8, themes=themes, concentration=0)
    paras = [p for t in docs["text"] for p in t.split("\n")[1:]]
    assert len(paras) >= 60
    for f in forms:  # planted clauses must not relabel a paragraph
        paras = [p.replace(f, "") for p in paras]
    assert {synth.label_theme(p) for p in paras} == {theme}


def test_sentences_are_not_repeated_within_a_document():
    docs, _ = synth.generate_corpus(100, seed=8)
    pieces = [[s for s in synth._SENTENCE_RX.findall(t.replace("\n", "")) if len(s) >= 10] for t in docs["text"]]
    pieces = [[s for s in ss if not any(p in s for p, _, _ in synth.DEFAULT_TRENDS)] for ss in pieces]
    n_repeated = sum(len(ss) - len(set(ss)) for ss in pieces)
    assert n_repeated <= 0.01 * sum(map(len, pieces)), n_repeated

def test_accidental_near_duplicates_are_rare():
    from bureau_rhetoric.dedupe import find_duplicates

    docs = pd.concat(list(synth.iter_corpus(2000, batch_size=500, seed=21)), ignore_index=True)
    flagged = find_duplicates(docs[["doc_id", "text"]])["near_duplicate_group"].notna()
    assert flagged.mean() < 0.01, f"{flagged.sum()} of {len(docs)} generated documents look like copies"


# ----------------------------------------------------------------------------- planted duplicates


@pytest.fixture(scope="module")
def synth_copies():
    docs, _ = synth.generate_corpus(1000, seed=13, duplicate_share=0.05)
    return docs


def test_planted_copies_repost_an_earlier_original(synth_copies):
    docs = synth_copies.set_index("doc_id", drop=False)
    copies = docs[docs["copy_of"].notna()]
    # Binomial(999, 0.05) copies (the first document cannot be one): within 4 standard deviations
    mean, sd = 999 * 0.05, np.sqrt(999 * 0.05 * 0.95)
    assert abs(len(copies) - mean) < 4 * sd, len(copies)
    kinds = set()
    for c in copies.itertuples():
        o = docs.loc[c.copy_of]
        assert o["copy_of"] is None and o["doc_id"] < c.doc_id  # an earlier document that is no copy
        assert [c.year, c.genre, c.place] == [o["year"], o["genre"], o["place"]]
        assert c.title.startswith(o["title"])
        if c.text == o["text"]:
            kinds.add("exact")
        elif len(c.text) < len(o["text"]):
            assert o["text"].startswith(c.text) and 0.91 <= len(c.text) / len(o["text"]) <= 0.99
            kinds.add("truncated")
        else:
            diff = [k for k, (a, b) in enumerate(zip(c.text, o["text"])) if a != b]
            assert len(c.text) == len(o["text"]) and 1 <= len(diff) <= 4
            assert diff[0] > o["text"].index("\n")  # the opening, which states the year, is kept
            kinds.add("changed")
    assert kinds == set(synth.COPY_KINDS)
    # planted counts stay exact in cut and changed copies
    counts = count_phrases(synth_copies)
    wide = counts.pivot_table(index="doc_id", columns="phrase", values="count", aggfunc="sum",
                              fill_value=0).reindex(synth_copies["doc_id"], fill_value=0)
    for phrase, _, _ in synth.DEFAULT_TRENDS:
        assert wide[phrase].tolist() == synth_copies[f"planted_{phrase}"].tolist()


def test_planted_copies_are_found_by_find_duplicates(synth_copies):
    from bureau_rhetoric.dedupe import find_duplicates

    found = find_duplicates(synth_copies[["doc_id", "text", "copy_of"]]).set_index("doc_id")
    copies = found[found["copy_of"].notna()]
    group_of_original = found.loc[copies["copy_of"], "near_duplicate_group"].to_numpy()
    recall = np.mean([g is not None and g == h for g, h in zip(copies["near_duplicate_group"], group_of_original)])
    assert recall >= 0.95, recall
    planted = found["copy_of"].notna() | found.index.isin(found["copy_of"].dropna())
    false_flags = found["near_duplicate_group"].notna() & ~planted
    assert false_flags.sum() <= 0.005 * (~planted).sum(), found[false_flags]


def test_copies_do_not_depend_on_batching():
    kw = dict(seed=4, mean_chars=400, duplicate_share=0.3)
    docs, _ = synth.generate_corpus(40, **kw)
    assert 3 <= docs["copy_of"].notna().sum() <= 25
    batches = list(synth.iter_corpus(40, batch_size=7, **kw))
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), docs)
    plain, _ = synth.generate_corpus(40, seed=4, mean_chars=400)
    assert plain["copy_of"].isna().all()
    keep = docs["copy_of"].isna().to_numpy()
    pd.testing.assert_frame_equal(docs[keep], plain[keep])  # the other documents do not change
    with pytest.raises(ValueError, match="duplicate_share"):
        synth.generate_corpus(2, duplicate_share=1.5)
