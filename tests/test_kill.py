"""Ctrl-C or a hard kill at any stage of a build never leaves a corpus that reads as complete but is not.

Each test builds a synthetic corpus once (the previous, complete set), adds files, starts a
second build that pauses at a stage (``BUREAU_RHETORIC_PAUSE_AT``: after listing, after the
partitions, while corpus.parquet is written, before the report, between the moves into
place), sends SIGINT or SIGKILL there and checks the folder: the previous complete set, or
one the notebooks refuse; never a mix that passes the check.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bureau_rhetoric.corpus import check_corpus_folder

STAGES = ["listed", "partitions", "corpus", "audit", "publish"]


def _default_sigint() -> None:
    # A child inherits an ignored SIGINT (a test runner's worker, a shell's background job),
    # and Python then installs no Ctrl-C handler: give the build the terminal's default.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cli(*args, env=None, **kw):
    return subprocess.Popen([sys.executable, "-m", "bureau_rhetoric", *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_default_sigint, **kw)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A synthetic raw folder (several partitions) and a complete previous build of part of it."""
    root = tmp_path_factory.mktemp("kill")
    p = _cli("synth", "--n-docs", "120", "--out", root / "syn", "--seed", "4", "--docs-per-file", "6",
             "--damage", "0.3")
    assert p.wait(300) == 0, p.stderr.read()
    raw = root / "raw"
    files = sorted((root / "syn" / "raw").iterdir())
    raw.mkdir()
    for f in files[:10]:
        shutil.copy(f, raw / f.name)
    prev = root / "prev"
    p = _cli("build", "--raw", raw, "--out", prev, "--partition-mb", "0.01")
    assert p.wait(600) == 0, p.stderr.read()
    for f in files[10:]:  # the second build reads more files: another build id
        shutil.copy(f, raw / f.name)
    return raw, prev, check_corpus_folder(prev)


def _complete_set_is_true(out: Path, build: str) -> None:
    """A folder that passes the check holds one whole build: every row of its summary's count."""
    summary = json.loads((out / "build_summary.json").read_text(encoding="utf-8"))
    assert summary["build_id"] == build
    assert len(pd.read_parquet(out / "corpus.parquet", columns=["doc_id"])) == summary["n_docs"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_build_leaves_the_previous_set_or_none(corpus, tmp_path, stage, sig):
    raw, prev, prev_id = corpus
    out = tmp_path / "out"
    shutil.copytree(prev, out)
    # Ctrl-C is held back while files move into place: keep that pause short
    wait = "3" if stage == "publish" and sig == signal.SIGINT else "60"
    env = {**os.environ, "BUREAU_RHETORIC_PAUSE_AT": stage, "BUREAU_RHETORIC_PAUSE_SECONDS": wait}
    p = _cli("build", "--raw", raw, "--out", out, "--partition-mb", "0.01", env=env)
    line = p.stderr.readline()
    assert line.strip() == f"paused at {stage}", line
    os.kill(p.pid, sig)
    p.wait(120)
    err = p.stderr.read()
    if sig == signal.SIGINT:
        assert p.returncode == 130 and "Traceback" not in err and err.strip().count("\n") == 0, err
        assert not list(out.glob(".bureau-rhetoric-build-*")), "the work folder was left behind"
    try:
        build = check_corpus_folder(out)
    except ValueError as refused:  # an incomplete folder: refused in one line, never read as complete
        assert stage == "publish" and sig == signal.SIGKILL, f"{stage}: {refused}"
        assert str(refused).count("\n") == 0
        return
    if stage != "publish":
        assert build == prev_id, "an interrupted build replaced the outputs"
    _complete_set_is_true(out, build)  # at publish Ctrl-C waits for the moves: the old set or the new one


def test_a_killed_build_without_previous_outputs_leaves_none_and_the_next_build_cleans_up(corpus, tmp_path):
    raw, _, _ = corpus
    out = tmp_path / "fresh"
    env = {**os.environ, "BUREAU_RHETORIC_PAUSE_AT": "corpus"}
    p = _cli("build", "--raw", raw, "--out", out, "--partition-mb", "0.01", env=env)
    assert p.stderr.readline().strip() == "paused at corpus"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(60)
    assert not any((out / n).exists() for n in ("corpus.parquet", "audit.parquet", "build_summary.json"))
    with pytest.raises(ValueError, match="no corpus.parquet"):
        check_corpus_folder(out)
    assert list(out.glob(".bureau-rhetoric-build-*")), "expected the killed build's hidden work folder"
    p = _cli("build", "--raw", raw, "--out", out, "--partition-mb", "0.01")
    assert p.wait(600) == 0, p.stderr.read()
    assert not list(out.glob(".bureau-rhetoric-build-*"))
    _complete_set_is_true(out, check_corpus_folder(out))
