"""Notebooks on small and odd corpora: each section runs or says in one sentence why it is skipped.

Four corpora generated here (one document, two documents, none dated, all off-topic), each
built with write_corpus. Only the notebook runs that exercise a different gap are made (a
notebook run costs seconds): 02 on two / undated / off-topic, 03 on one, 04 on one and undated.
"""

from __future__ import annotations

import nbformat
import pytest

from bureau_rhetoric.config import NOTEBOOKS_DIR
from bureau_rhetoric.notebooks import error_outputs, run_notebook

from test_bad_input import body

RELIC = ("县文物局{y}年工作总结\n今年我局加强文物保护单位安全巡查，开展文物普查和非物质文化遗产保护，"
         "组织博物馆陈列展览{n}场，文物保护员培训{n}人次。\n")
CORPORA = {
    "one": [("000_a.txt", "市科技局2016年工作总结\n2016年，" + body(1, 12))],
    "two": [("000_a.txt", "市科技局2012年工作总结\n2012年，" + body(2, 12)),
            ("001_b.txt", "县科技局2019年工作总结\n2019年，" + body(3, 12))],
    "undated": [(f"00{i}_u.txt", "市科技局工作总结\n" + body(10 + i, 12)) for i in range(3)],
    "offtopic": [(f"00{i}_r.txt", RELIC.format(y=2010 + i, n=3 + i) * 3) for i in range(3)],
}
# (corpus, notebook, some section must be skipped): two dated documents in two plan periods run everything
RUNS = [("two", "02-phrase-rates", False), ("undated", "02-phrase-rates", True), ("offtopic", "02-phrase-rates", True),
        ("one", "03-topics", True), ("one", "04-topic-trends", True), ("undated", "04-topic-trends", True)]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    from bureau_rhetoric.corpus import write_corpus

    root = tmp_path_factory.mktemp("small")
    out = {}
    for name, files in CORPORA.items():
        raw = root / name / "raw"
        raw.mkdir(parents=True)
        for f, text in files:
            (raw / f).write_text(text, encoding="utf-8")
        write_corpus(raw, root / name / "processed")
        out[name] = root / name / "processed"
    return out


def test_the_corpora_are_what_their_names_say(corpora):
    import pandas as pd

    docs = {k: pd.read_parquet(v / "corpus.parquet") for k, v in corpora.items()}
    assert [len(docs[k]) for k in ("one", "two")] == [1, 2]
    assert docs["undated"]["year"].isna().all() and docs["two"]["year"].notna().all()
    assert not docs["offtopic"]["on_topic"].any()


@pytest.mark.notebooks
@pytest.mark.parametrize("corpus,notebook,skips_some", RUNS, ids=[f"{c}-{n[:2]}" for c, n, _ in RUNS])
def test_notebook_runs_or_skips_sections_with_a_reason(corpora, tmp_path, corpus, notebook, skips_some):
    out = run_notebook(NOTEBOOKS_DIR / f"{notebook}.ipynb", tmp_path / "run", html=False,
                       parameters={"CORPUS_DIR": str(corpora[corpus]), "FIGURES_DIR": str(tmp_path / "fig"),
                                   "CACHE_DIR": str(tmp_path / "cache")})
    nb = nbformat.read(str(out), as_version=4)
    assert not error_outputs(nb)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    skips = [ln for ln in printed.splitlines() if ln.startswith("Skipped:")]
    assert bool(skips) == skips_some, skips or "expected at least one section to say why it is skipped"
    assert all(ln.count("needs at least") == 1 and ln.endswith(".") for ln in skips)
