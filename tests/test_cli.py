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
