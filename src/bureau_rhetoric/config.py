"""Project paths, derived from the repository root, never typed in a notebook.

The root is found in this order: the ``BUREAU_RHETORIC_ROOT`` environment
variable; the repository that holds this package (editable install, the normal
case); the current working directory.

Caches (segmented tokens, fitted topic models) are kept outside the repository:
in ``$BUREAU_RHETORIC_CACHE`` if set, else in the platform's user cache folder
(``~/.cache/bureau-rhetoric`` on Linux, ``~/Library/Caches/bureau-rhetoric`` on
macOS, ``%LOCALAPPDATA%\\bureau-rhetoric\\Cache`` on Windows). Entries are keyed by
hashes of their inputs, so a stale entry is never read; delete the folder at any
time (``bureau-rhetoric cache --clear``).

Examples
--------
>>> from bureau_rhetoric import config
>>> config.RAW_DIR.name, config.PROCESSED_DIR.name
('raw', 'processed')
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PROJECT_ROOT",
    "DATA_DIR",
    "RAW_DIR",
    "PROCESSED_DIR",
    "FIGURES_DIR",
    "REPORTS_DIR",
    "NOTEBOOKS_DIR",
    "CACHE_DIR",
    "PACKAGE_DATA_DIR",
    "DEFAULT_SEED",
]


def _find_root() -> Path:
    env = os.environ.get("BUREAU_RHETORIC_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "bureau_rhetoric").is_dir():
            return parent
    return Path.cwd().resolve()


def _find_cache() -> Path:
    env = os.environ.get("BUREAU_RHETORIC_CACHE")
    if env:
        return Path(env).expanduser().resolve()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bureau-rhetoric", appauthor=False))


PROJECT_ROOT: Path = _find_root()
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
FIGURES_DIR: Path = PROJECT_ROOT / "figures"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
CACHE_DIR: Path = _find_cache()
PACKAGE_DATA_DIR: Path = Path(__file__).resolve().parent / "data"

#: The seed used by every notebook unless its parameters cell says otherwise.
DEFAULT_SEED: int = 20240607
