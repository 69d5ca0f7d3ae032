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

@pytest.fixture(scope="session")
def synthetic_corpus_dir(tmp_path_factory):
    """A built synthetic corpus of 60 documents over 40 years (1982-2021), unlike the seeds.

    Many distinct years (most with one or two documents), nine plan periods from 六五 on,
    a fifth of the raw files damaged: the sizes at which figures and prose must still hold.
    """
    import pandas as pd

    from bureau_rhetoric.corpus import write_corpus
    from bureau_rhetoric.synth import generate_corpus, write_raw_corpus

    root = tmp_path_factory.mktemp("synthetic60")
    trends = pd.DataFrame({"phrase": ["科学发展观", "自主创新", "创新驱动", "高质量发展", "产学研合作"],
                           "rate_start": [3.0, 2.0, 0.0, 0.0, 2.0], "rate_end": [0.5, 2.0, 5.0, 4.0, 6.0]})
    docs, _ = generate_corpus(60, seed=3, years=(1982, 2021), trends=trends, mean_chars=1500)
    write_raw_corpus(docs, root / "raw", docs_per_file=20, damage=0.2, seed=3)
    write_corpus(root / "raw", root / "processed")
    return root / "processed"
