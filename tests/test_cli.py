"""The command line says what to fix when its input is unusable."""

from __future__ import annotations

import subprocess
import sys


def _run(*args):
    return subprocess.run([sys.executable, "-m", "bureau_rhetoric", *args], capture_output=True, text=True)


def test_notebooks_without_a_corpus_exits_with_a_one_line_reason(tmp_path):
    res = _run("notebooks", "--corpus", str(tmp_path))
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0
    assert "no corpus.parquet" in res.stderr and "bureau-rhetoric build" in res.stderr


def test_help_lists_the_commands():
    res = _run("--help")
    assert res.returncode == 0 and "build" in res.stdout and "notebooks" in res.stdout


def test_synth_writes_raw_files_truth_and_metadata(tmp_path):
    import pandas as pd

    from bureau_rhetoric.corpus import build_corpus

    res = _run("synth", "--n-docs", "12", "--out", str(tmp_path), "--seed", "3", "--docs-per-file", "5",
               "--batch-size", "5")
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["00000_syn.txt", "00001_syn.txt", "00002_syn.txt"]
    truth = pd.read_csv(tmp_path / "truth.csv")
    assert set(truth["kind"]) == {"phrase", "theme"} and set(truth["seed"]) == {3}
    meta = pd.read_parquet(tmp_path / "docs_meta.parquet")
    assert len(meta) == 12 and "text" not in meta.columns
    assert {"doc_id", "title", "year", "theme_general"} <= set(meta.columns)
    built = build_corpus(tmp_path / "raw")
    assert built["title"].tolist() == meta["title"].tolist()
    assert built["year"].tolist() == meta["year"].tolist()


def test_synth_rejects_a_bad_damage_share(tmp_path):
    res = _run("synth", "--n-docs", "2", "--out", str(tmp_path), "--damage", "2")
    assert res.returncode == 2 and "damage must be in 0..1" in res.stderr


def test_synth_plants_copies_the_build_finds(tmp_path):
    import pandas as pd

    from bureau_rhetoric.corpus import build_corpus

    res = _run("synth", "--n-docs", "30", "--out", str(tmp_path), "--seed", "2", "--docs-per-file", "10",
               "--batch-size", "4", "--duplicate-share", "0.3")
    assert res.returncode == 0, res.stderr
    meta = pd.read_parquet(tmp_path / "docs_meta.parquet")
    copies = meta[meta["copy_of"].notna()]
    assert len(copies) >= 3 and set(copies["copy_of"]) <= set(meta["doc_id"])
    built = build_corpus(tmp_path / "raw")
    assert built["title"].tolist() == meta["title"].tolist()
    assert built["year"].tolist() == meta["year"].tolist()
    assert built["duplicate_of"].notna().to_numpy()[meta["copy_of"].notna().to_numpy()].all()
    res = _run("synth", "--n-docs", "2", "--out", str(tmp_path / "x"), "--duplicate-share", "-0.1")
    assert res.returncode == 2 and "duplicate_share must be in 0..1" in res.stderr


def test_build_takes_a_lexicon_folder_and_reports_a_bad_one(tmp_path):
    import json

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "000_a.txt").write_text("县科技局工作总结\n全县推进科技创新。\n缙云县科技局", encoding="utf-8")
    lex = tmp_path / "lex"
    lex.mkdir()
    (lex / "bureaus.csv").write_text("surface,bureau,domain,science\n科技局,科技局,科技,no\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "bureau_rhetoric", "build", "--raw", str(raw),
                          "--out", str(tmp_path / "out"), "--lexicons", str(lex)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    summary = json.loads((tmp_path / "out" / "build_summary.json").read_text(encoding="utf-8"))
    assert summary["lexicon_paths"] == {"bureaus.csv": str((lex / "bureaus.csv").resolve())}
    import pandas as pd

    docs = pd.read_parquet(tmp_path / "out" / "corpus.parquet")
    assert not docs.loc[0, "on_topic"] and docs.loc[0, "place"] == "缙云县"
    (lex / "typo.csv").write_text("x\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "bureau_rhetoric", "build", "--raw", str(raw),
                          "--out", str(tmp_path / "out2"), "--lexicons", str(lex)], capture_output=True, text=True)
    assert res.returncode == 2 and "typo.csv is not a shipped lexicon" in res.stderr


def _fake_corpus(tmp_path):
    import pandas as pd

    d = tmp_path / "processed"
    d.mkdir()
    pd.DataFrame({"doc_id": ["a"], "text": ["科技局工作总结"]}).to_parquet(d / "corpus.parquet")
    return d


def test_notebooks_on_another_corpus_needs_a_run_folder(tmp_path):
    res = _run("notebooks", "--corpus", str(_fake_corpus(tmp_path)))
    assert res.returncode == 2 and res.stderr.strip().count("\n") == 0
    assert "--out" in res.stderr


def test_a_parameter_no_notebook_has_is_an_error_naming_the_notebooks(tmp_path):
    res = _run("notebooks", "--corpus", str(_fake_corpus(tmp_path)), "--out", str(tmp_path / "run"),
               "-p", "MIN_CONFIDENCES", "high")
    assert res.returncode == 2 and res.stderr.strip().count("\n") == 0
    assert "no notebook has a parameter MIN_CONFIDENCES" in res.stderr
    assert "02-phrase-rates.ipynb" in res.stderr and "did you mean MIN_CONFIDENCE" in res.stderr
    assert not (tmp_path / "run").exists(), "nothing runs when a parameter is wrong"


def test_a_missing_labels_file_is_an_error(tmp_path):
    res = _run("notebooks", "--corpus", str(_fake_corpus(tmp_path)), "--out", str(tmp_path / "run"),
               "--labels", str(tmp_path / "labels.csv"))
    assert res.returncode == 2 and "labels file not found" in res.stderr


def test_cache_shows_and_clears_a_cache_folder(tmp_path):
    (tmp_path / "tokens" / "ab").mkdir(parents=True)
    (tmp_path / "tokens" / "ab" / "x.pkl").write_bytes(b"0" * 3000)
    res = _run("cache", "--cache", str(tmp_path))
    assert res.returncode == 0 and "tokens: 1 files, 3.0 kB" in res.stdout
    res = _run("cache", "--cache", str(tmp_path), "--clear")
    assert res.returncode == 0 and "freed 3.0 kB" in res.stdout
    assert not list(tmp_path.iterdir())


def test_reproduce_refuses_a_sidecar_without_notebook_parameters(tmp_path):
    (tmp_path / "x.json").write_text('{"notebook": "01-corpus.ipynb", "params": {"seed": 1}}', encoding="utf-8")
    res = _run("reproduce", str(tmp_path / "x.json"))
    assert res.returncode == 2 and "records no notebook parameters" in res.stderr
