"""Notebooks are stored clean and in step with their paired scripts, the runner injects
parameters and catches errors, and every notebook runs top to bottom on the bundled corpus."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import bureau_rhetoric

from bureau_rhetoric.config import NOTEBOOKS_DIR
from bureau_rhetoric.notebooks import (count_html_images, count_images, error_outputs, has_outputs, list_notebooks,
                                      notebook_parameters, pair_differences, plan_parameters, run_notebook,
                                      sync_notebooks)

NOTEBOOKS = list_notebooks(NOTEBOOKS_DIR)


def test_there_are_notebooks_and_all_are_numbered():
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    stray = [p.name for p in NOTEBOOKS_DIR.glob("*.ipynb") if p not in NOTEBOOKS]
    assert not stray, f"notebooks must be named NN-question.ipynb: {stray}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs_and_has_parameters(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert not has_outputs(nb), f"{path.name} carries outputs; clear them before committing"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    src = "".join(tagged[0]["source"])
    for name in ("CORPUS_DIR", "FIGURES_DIR", "SEED"):
        assert re.search(rf"^{name}\s*=", src, re.M), f"{path.name}: parameters cell lacks {name}"
    assert code[0] is tagged[0] or code.index(tagged[0]) <= 1, "parameters belong at the top"
    for c in code:
        assert not re.search(r"^\s*def\s", "".join(c["source"]), re.M), (
            f"{path.name} defines a function; move it to src/bureau_rhetoric")
    assert "version" in "".join(code[-1]["source"]).lower(), "last cell should print versions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_in_step_with_its_script(path):
    assert not pair_differences(path), "\n".join(pair_differences(path))


def test_every_script_has_its_notebook():
    scripts = {p.stem for p in (NOTEBOOKS_DIR / "src").glob("*.py")}
    assert scripts == {p.stem for p in NOTEBOOKS}, "run `make sync` to pair notebooks/src/*.py"


def _toy_pair(tmp_path, code="年份 = 2015"):
    (tmp_path / "src").mkdir()
    (tmp_path / "jupytext.toml").write_text((NOTEBOOKS_DIR / "jupytext.toml").read_text(encoding="utf-8"),
                                            encoding="utf-8")
    script = tmp_path / "src" / "01-toy.py"
    script.write_text(f"# %% [markdown]\n# # 标题\n\n# %% tags=[\"parameters\"]\nSEED = 1\n\n# %%\n{code}\n",
                      encoding="utf-8")
    sync_notebooks(tmp_path)
    return tmp_path / "01-toy.ipynb", script


def test_sync_creates_a_clean_notebook_from_a_new_script(tmp_path):
    ipynb, script = _toy_pair(tmp_path)
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    assert [c["cell_type"] for c in nb["cells"]] == ["markdown", "code", "code"]
    assert nb["cells"][1]["metadata"]["tags"] == ["parameters"]
    assert nb["metadata"]["kernelspec"]["name"] == "bureau-rhetoric"
    assert not pair_differences(ipynb)
    assert sync_notebooks(tmp_path) == [], "a second sync must change nothing"


def test_a_diverged_pair_is_reported_and_sync_takes_the_edited_script(tmp_path):
    ipynb, script = _toy_pair(tmp_path)
    script.write_text(script.read_text(encoding="utf-8").replace("2015", "2016"), encoding="utf-8")
    os.utime(script, (time.time() + 5, time.time() + 5))  # edited after the notebook
    (diff,) = pair_differences(ipynb)
    assert "differ at cell 2" in diff and "2016" in diff
    assert ipynb in sync_notebooks(tmp_path)
    assert "年份 = 2016" in ipynb.read_text(encoding="utf-8") and not pair_differences(ipynb)


def test_sync_never_overwrites_uncommitted_edits_on_both_sides(tmp_path):
    ipynb, script = _toy_pair(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "pair"],
                   cwd=tmp_path, check=True)
    script.write_text(script.read_text(encoding="utf-8").replace("2015", "2016"), encoding="utf-8")
    ipynb.write_text(ipynb.read_text(encoding="utf-8").replace("2015", "2017"), encoding="utf-8")
    with pytest.raises(ValueError, match="both have uncommitted edits.*PREFER=script"):
        sync_notebooks(tmp_path)
    assert "2016" in script.read_text(encoding="utf-8") and "2017" in ipynb.read_text(encoding="utf-8")
    sync_notebooks(tmp_path, prefer="script")
    assert "年份 = 2016" in ipynb.read_text(encoding="utf-8") and not pair_differences(ipynb)


def test_sync_strips_outputs_and_rebuilds_a_conflicted_notebook(tmp_path):
    ipynb, script = _toy_pair(tmp_path)
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "2015\n"}]
    nb["cells"][2]["execution_count"] = 3
    ipynb.write_text(json.dumps(nb), encoding="utf-8")
    assert has_outputs(json.loads(ipynb.read_text(encoding="utf-8")))
    sync_notebooks(tmp_path)
    assert not has_outputs(json.loads(ipynb.read_text(encoding="utf-8")))
    clean = ipynb.read_text(encoding="utf-8")
    ipynb.write_text("<<<<<<< HEAD\n" + clean + "=======\n" + clean + ">>>>>>> other\n", encoding="utf-8")
    assert "cannot be read" in pair_differences(ipynb)[0]
    sync_notebooks(tmp_path)
    assert ipynb.read_text(encoding="utf-8") == clean


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_reads_every_parameter_without_a_warning(path):
    params = notebook_parameters(path)  # raises on a line papermill cannot parse
    assert {"CORPUS_DIR", "FIGURES_DIR", "SEED"} <= set(params)


def test_a_trailing_comment_with_an_equals_sign_is_reported(tmp_path):
    path = _toy_notebook(tmp_path / "01-toy.ipynb", "print(1)")
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[0].source += "\nMIN_CONFIDENCE = None  # keep year_confidence >= this"
    nbformat.write(nb, str(path))
    with pytest.raises(ValueError, match="01-toy.ipynb: papermill cannot read the parameters cell"):
        notebook_parameters(path)


def _toy_notebook(path, body):
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell("CORPUS_DIR = 'x'\nFIGURES_DIR = 'y'\nSEED = 0")
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def test_runner_injects_parameters_and_renders_offline_html(tmp_path):
    src = _toy_notebook(tmp_path / "01-toy.ipynb", "print('seed is', SEED, '科技')")
    out = run_notebook(src, tmp_path / "out", parameters={"SEED": 42})
    nb = nbformat.read(str(out), as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "seed is 42 科技" in text
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "seed is 42" in html
    assert not re.search(r"<script[^>]*src=[\"']https?://", html), "HTML would fetch scripts from the web"
    assert not has_outputs(json.loads(src.read_text(encoding="utf-8"))), "source notebook was modified"


def test_two_notebooks_run_side_by_side_in_one_folder_without_crossing_kernels(tmp_path):
    # kernels started in the same folder at once once shared socket names there
    # ("Invalid Signature", "Kernel didn't respond"); each kernel now has its own
    from concurrent.futures import ThreadPoolExecutor

    srcs = [_toy_notebook(tmp_path / f"0{i}-toy.ipynb", f"print('notebook', {i} * SEED)") for i in (1, 2)]
    with ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(lambda s: run_notebook(s, tmp_path / "out", parameters={"SEED": 7}, html=False),
                             srcs))
    for i, out in zip((1, 2), outs):
        nb = nbformat.read(str(out), as_version=4)
        assert f"notebook {7 * i}" in "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert not list(tmp_path.glob("kernel-ipc-*")), "kernel sockets were left beside the notebooks"


def test_runner_reports_the_failing_cell(tmp_path):
    src = _toy_notebook(tmp_path / "01-bad.ipynb", "raise ValueError('corpus dir is empty')")
    with pytest.raises(RuntimeError, match=r"01-bad.ipynb failed .*ValueError: corpus dir is empty"):
        run_notebook(src, tmp_path / "out", html=False)


def test_error_outputs_lists_each_error():
    nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "stream", "text": "ok"}]},
                    {"cell_type": "code", "outputs": [{"output_type": "error", "ename": "KeyError",
                                                       "evalue": "'year'"}]}]}
    assert error_outputs(nb) == ["cell 1: KeyError: 'year'"]


def _check_run(path, corpus_dir, tmp_path):
    """Run a notebook on a corpus; check errors, exported files and the figures shown inline."""
    figures_dir = tmp_path / "figures"
    params = plan_parameters([path], {"CORPUS_DIR": str(corpus_dir), "FIGURES_DIR": str(figures_dir),
                                      "CACHE_DIR": str(tmp_path / "cache")})[path]
    out = run_notebook(path, tmp_path / "executed", html=True, parameters=params)
    nb = nbformat.read(str(out), as_version=4)
    assert not error_outputs(nb)
    pdfs = sorted(figures_dir.glob("*.pdf"))
    assert pdfs, f"{path.name} exported no figure"
    for pdf in pdfs:
        for ext in (".svg", ".png", ".csv", ".json"):
            assert pdf.with_suffix(ext).is_file(), f"{pdf.stem}{ext} missing"
    # the reader of the executed notebook and of its HTML sees every figure the notebook saved
    # (MPLBACKEND=Agg inherited from make must not hide them), each once
    n_saved = len(list(figures_dir.glob("*.png")))
    assert count_images(nb) == n_saved, f"{path.name}: {count_images(nb)} figures shown inline, {n_saved} saved"
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert count_html_images(html) == n_saved, f"{path.name}.html shows {count_html_images(html)} of {n_saved} figures"
    # every exported figure passed the layout check at its exported size (recorded by save_figure)
    problems = {p.stem: json.loads(p.read_text(encoding="utf-8"))["figure"]["layout"]
                for p in sorted(figures_dir.glob("*.json")) if p.with_suffix(".png").is_file()}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}
    # cells print what a reader needs: no dict of paths from save_figure
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
                    for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "PosixPath(" not in shown, f"{path.name} prints raw paths"
    return nb


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_the_bundled_corpus(path, built_corpus_dir, tmp_path):
    nb = _check_run(path, built_corpus_dir, tmp_path)
    if path.stem in ("03-topics", "04-topic-trends"):
        # the shipped notebooks/topic-labels.csv must fit the model the bundled corpus gives;
        # when a change to the corpus or tokens moves the topics, relabel (see notebook 03)
        shown = "".join("".join(o.get("text", "")) for c in nb.cells if c.cell_type == "code"
                        for o in c.get("outputs", []))
        assert "labels read from" in shown, "notebooks/topic-labels.csv no longer fits the bundled model"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_on_a_multidecade_synthetic_corpus(path, synthetic_corpus_dir, tmp_path):
    """60 documents over 40 years: many sparse years, plans from 六五 on, no seed text layout."""
    _check_run(path, synthetic_corpus_dir, tmp_path)


def test_the_bureau_rhetoric_kernel_runs_a_notebook_through_jupyter_execute(tmp_path):
    """What `make kernel` registers: a kernel by name that imports the package, hash seed fixed."""
    prefix = tmp_path / "prefix"
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name",
                    "bureau-rhetoric", "--env", "PYTHONHASHSEED", "0"], check=True, capture_output=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, bureau_rhetoric as br\nprint('科技局', br.__version__, os.environ['PYTHONHASHSEED'])")])
    nb.metadata["kernelspec"] = {"name": "bureau-rhetoric", "display_name": "x", "language": "python"}
    nbformat.write(nb, str(tmp_path / "toy.ipynb"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run([str(jupyter), "execute", "--output=out", "toy.ipynb"], cwd=tmp_path, env=env,
                   check=True, capture_output=True)
    out = nbformat.read(str(tmp_path / "out.ipynb"), as_version=4)
    assert out.cells[0].outputs[0]["text"].split() == ["科技局", bureau_rhetoric.__version__, "0"]


@pytest.mark.notebooks
def test_a_run_on_another_corpus_writes_only_its_run_folder_and_a_figure_reproduces(built_corpus_dir, tmp_path,
                                                                                     capsys):
    """`notebooks --corpus ... --out RUN -p ...` leaves the repository as it was; the sidecar replays."""
    from bureau_rhetoric.cli import main
    from bureau_rhetoric.config import CACHE_DIR, PROJECT_ROOT

    def repo_state():
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--ignored"],
                                cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
        return sorted(ln for ln in status.splitlines() if "/.venv/" not in ln and not ln.endswith(".venv/"))

    before = repo_state()
    run = tmp_path / "run"
    assert main(["notebooks", "01-corpus", "--corpus", str(built_corpus_dir), "--out", str(run),
                 "-p", "INCLUDE_DUPLICATES", "True", "--cache", str(tmp_path / "cache")]) == 0
    listed = capsys.readouterr().out
    assert str(run / "01-corpus.html") in listed and str(run / "figures" / "01-year-intervals.png") in listed
    assert repo_state() == before, "the run wrote inside the repository"
    assert not str(CACHE_DIR).startswith(str(PROJECT_ROOT))
    side = json.loads((run / "figures" / "01-year-intervals.json").read_text(encoding="utf-8"))
    assert side["parameters"]["INCLUDE_DUPLICATES"] is True and "SEED" in side["parameters"]
    assert side["corpus"]["path"] == str(built_corpus_dir.resolve()) and side["corpus"]["n_docs"] > 0
    assert len(side["corpus"]["sha256"]) == 64 and set(side["code"]) == {"version", "commit", "dirty"}
    assert side["reproduce"].startswith("bureau-rhetoric notebooks 01-corpus ")
    assert "-p INCLUDE_DUPLICATES True" in side["reproduce"]
    assert main(["reproduce", str(run / "figures" / "01-year-intervals.json")]) == 0
    out = capsys.readouterr().out
    assert "01-year-intervals.pdf: identical" in out and "reproduced byte for byte" in out
