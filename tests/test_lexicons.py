"""The shipped lexicons agree with each other where they share a term."""

from __future__ import annotations

import pandas as pd

from bureau_rhetoric.lexicons import lexicon_hashes, lexicon_path, list_lexicons
from bureau_rhetoric.phrases import read_phrases


def _dated_terms() -> pd.DataFrame:
    return pd.read_csv(lexicon_path("dated_terms.csv"), comment="#", dtype=str, keep_default_na=False)


def _forms(canonical: str, variants: str) -> set[str]:
    return {canonical} | {v for v in variants.split("|") if v}


def test_a_surface_form_means_the_same_term_in_both_lexicons():
    """A form listed under phrase P in phrases.csv must not belong to another dated term."""
    dated = _dated_terms()
    owner = {}
    for row in dated.itertuples():
        for form in _forms(row.term, row.variants):
            owner[form] = row.term
    phrases = read_phrases()
    clashes = []
    for row in phrases.itertuples():
        variants = row.variants if isinstance(row.variants, str) else "|".join(row.variants or [])
        for form in _forms(row.phrase, variants):
            if form in owner and owner[form] != row.phrase:
                clashes.append(f"{form}: phrase {row.phrase!r} vs dated term {owner[form]!r}")
    assert not clashes, clashes


def test_shared_terms_agree_on_first_year():
    dated = _dated_terms().set_index("term")
    phrases = read_phrases()
    shared = phrases[phrases["phrase"].isin(dated.index)]
    assert len(shared) >= 30, "phrases.csv should reuse the dated terms' canonical strings"
    for row in shared.itertuples():
        fy = getattr(row, "first_year", None)
        if pd.notna(fy) and str(fy).strip():
            assert int(float(fy)) == int(dated.loc[row.phrase, "first_year"]), row.phrase


def test_every_shipped_lexicon_is_hashed():
    hashes = lexicon_hashes()
    assert set(hashes) == set(list_lexicons())
    for name in ("domain_dict.txt", "stopwords.txt", "phrases.csv", "dated_terms.csv"):
        assert len(hashes[name]) == 64


# --------------------------------------------------------------------------- what each header says is checked
# Texts below are written for these tests (not from data/raw).

def _rows(name, delimiter=","):
    import csv

    from bureau_rhetoric.lexicons import lexicon_path

    with open(lexicon_path(name), encoding="utf-8") as fh:
        return list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter=delimiter))


def test_boilerplate_patterns_compile_and_spare_report_bodies():
    import json
    import re
    from pathlib import Path

    from bureau_rhetoric.segment import remove_boilerplate

    rows = _rows("boilerplate.csv")
    assert {r["kind"] for r in rows} <= {"watermark", "lead_in", "footer", "intro", "html", "url"}
    for r in rows:
        re.compile(r["pattern"], re.M)
    evalset = Path(__file__).parent / "data" / "bureau_reports.jsonl"
    for line in evalset.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        assert remove_boilerplate(text) == text


def test_headings_split_a_written_compilation():
    from bureau_rhetoric.segment import split_documents

    rows = _rows("headings.csv")
    assert {r["kind"] for r in rows} == {"piece", "title_repeat"}
    text = ("第一篇：县科技局2010年工作总结\n全年推进科技创新。\n"
            "第二篇：县科技局2011年工作计划\n明年实施星火计划项目。\n")
    assert [p["title"] for p in split_documents(text)] == ["县科技局2010年工作总结", "县科技局2011年工作计划"]


def test_genres_come_back_from_held_out_titles():
    """The held-out reports were annotated by hand and no genres.csv row was chosen from them."""
    import re

    from bureau_rhetoric.corpus import infer_genre
    from bureau_rhetoric.synth_heldout import load_clean_reports

    for r in _rows("genres.csv"):
        re.compile(r["pattern"])
    reports = load_clean_reports()
    assert len(reports) >= 30
    got = [infer_genre(t) for t in reports["title"]]
    assert got == list(reports["genre"])
    # a review wins over a plan; a title naming no genre is "其他"
    assert infer_genre("县科技局2015年工作总结和2016年工作计划") == "工作总结"
    assert infer_genre("科技创新大事记") == "其他"


def test_char_freq_ranks_common_characters_first():
    rows = _rows("char_freq.tsv", "\t")
    top = [r["char"] for r in sorted(rows, key=lambda r: -int(r["count"]))[:30]]
    assert {"的", "是", "在"} <= set(top)
    n = {r["char"]: int(r["count"]) for r in rows}
    assert n.get("澹", 0) * 100 < n["的"]


def test_pinyin_table_rows_are_a_character_and_a_toned_syllable():
    import re

    rows = _rows("pinyin_table.tsv", "\t")
    assert rows and all(len(r["char"]) == 1 and re.fullmatch(r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]+", r["pinyin"])
                        for r in rows)


def test_synthetic_report_phrases_have_writing_year_ranges():
    rows = _rows("synthetic_report_phrases.tsv", "\t")
    assert {r["kind"] for r in rows} <= {"era", "filler"}
    assert all(1949 <= int(r["lo"]) <= int(r["hi"]) <= 2035 for r in rows)
