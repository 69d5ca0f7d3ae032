"""Describe where an output came from: code version, commit, parameters, lexicons.

Examples
--------
>>> from bureau_rhetoric.provenance import collect_provenance
>>> prov = collect_provenance(params={"seed": 7}, lexicons=["README.md"])
>>> prov["params"], sorted(prov["lexicons"])
({'seed': 7}, ['README.md'])
"""

from __future__ import annotations

import datetime as _dt
import platform
import subprocess
import sys
from typing import Any, Iterable, Mapping

from . import __version__
from .config import PROJECT_ROOT
from .lexicons import lexicon_hashes

__all__ = ["collect_provenance", "git_commit", "package_versions"]

_CORE_PACKAGES = ("numpy", "pandas", "jieba", "rjieba", "opencc", "gensim",
                  "matplotlib", "seaborn", "pyarrow")


def git_commit() -> str | None:
    """Return the commit of the project checkout (``+dirty`` if modified), or None.

    Returns
    -------
    str or None
        None when the project is not a git checkout or git is missing.
    """
    try:
        sha = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return sha + ("+dirty" if dirty else "") if sha else None


def package_versions(names: Iterable[str] = _CORE_PACKAGES) -> dict[str, str]:
    """Return installed versions of the named distributions (missing ones omitted).

    Parameters
    ----------
    names : iterable of str, default the core analysis packages

    Returns
    -------
    dict of str to str
    """
    from importlib import metadata

    out = {}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            continue
    return out


def collect_provenance(*, params: Mapping[str, Any] | None = None,
                       lexicons: Iterable[str] | Mapping[str, str] | None = None,
                       **extra: Any) -> dict[str, Any]:
    """Return a JSON-ready record of what produced an output.

    Parameters
    ----------
    params : mapping, optional
        Analysis parameters (seed, K, years, filters ...).
    lexicons : iterable of str or mapping of str to str, optional
        Names of shipped lexicons (hashed here) or a ready ``{name: sha256}``.
    **extra
        Further fields stored as given (e.g. ``notebook="02-phrase-rates.ipynb"``).

    Returns
    -------
    dict
        ``package``, ``version``, ``git_commit``, ``created_utc``, ``python``,
        ``platform``, ``packages``, ``params``, ``lexicons`` and the extras.
    """
    if lexicons is None:
        lex = {}
    elif isinstance(lexicons, Mapping):
        lex = dict(lexicons)
    else:
        lex = lexicon_hashes(lexicons)
    record = {
        "package": "bureau_rhetoric",
        "version": __version__,
        "git_commit": git_commit(),
        "created_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(),
        "params": dict(params or {}),
        "lexicons": lex,
    }
    record.update(extra)
    return record
