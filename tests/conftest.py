"""Shared fixtures: the seed corpus, built once per test session."""

from __future__ import annotations

import os
import tempfile

import matplotlib
import pytest
from hypothesis import settings

# property tests draw the same examples on every run: a CI result never depends on luck
settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.load_profile("deterministic")

matplotlib.use("Agg")
os.environ.setdefault("BUREAU_RHETORIC_PROGRESS", "0")


@pytest.fixture(scope="session")
def built_corpus_dir(tmp_path_factory):
    """Folder with corpus.parquet, audit.parquet and build_report.html from data/raw."""
    from bureau_rhetoric.config import RAW_DIR
    from bureau_rhetoric.corpus import write_corpus

    out = tmp_path_factory.mktemp("processed")
    write_corpus(RAW_DIR, out)
    return out

# caches go to a throw-away folder, never into the user's cache (config reads this on import)
os.environ.setdefault("BUREAU_RHETORIC_CACHE", tempfile.mkdtemp(prefix="bureau-rhetoric-test-cache-"))
