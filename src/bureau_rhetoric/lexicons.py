"""Locate, hash and read the lexicons shipped as package data.

Every lexicon (domain dictionary, stopwords, dated policy terms, boilerplate
patterns ...) is a plain-text or CSV file in ``bureau_rhetoric/data/``. Outputs
record the SHA-256 of each lexicon they used, so a figure or table can be traced
to the exact word lists behind it.

Examples
--------
>>> from bureau_rhetoric import lexicons
>>> p = lexicons.lexicon_path("README.md")
>>> p.name
'README.md'
>>> len(lexicons.hash_file(p))
64
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

from .config import PACKAGE_DATA_DIR

__all__ = ["lexicon_path", "hash_file", "lexicon_hashes", "list_lexicons"]


def lexicon_path(name: str | Path) -> Path:
    """Return the path of a lexicon file, shipped or user-supplied.

    Parameters
    ----------
    name : str or Path
        A file name inside the package's ``data/`` folder (``"stopwords.txt"``),
        or a path to a user's own file, which is returned unchanged.

    Returns
    -------
    Path

    Raises
    ------
    FileNotFoundError
        If neither a shipped lexicon nor an existing file has that name; the
        message lists the shipped lexicons.
    """
    p = Path(name)
    if p.is_file():
        return p.resolve()
    shipped = PACKAGE_DATA_DIR / p
    if shipped.is_file():
        return shipped
    raise FileNotFoundError(
        f"no lexicon {str(name)!r}: not a file, and not one of the shipped lexicons "
        f"{', '.join(list_lexicons())} in {PACKAGE_DATA_DIR}"
    )


def list_lexicons() -> list[str]:
    """Return the names of the lexicon files shipped with the package.

    Returns
    -------
    list of str
        Relative paths inside ``bureau_rhetoric/data/``, sorted.
    """
    return sorted(
        str(p.relative_to(PACKAGE_DATA_DIR))
        for p in PACKAGE_DATA_DIR.rglob("*")
        if p.is_file() and p.name != "__init__.py"
    )


def hash_file(path: str | Path) -> str:
    """Return the hex SHA-256 of a file's bytes.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
        64 hex digits.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def lexicon_hashes(names: Iterable[str | Path] | None = None) -> dict[str, str]:
    """Return ``{lexicon name: sha256}`` for the given (default: all shipped) lexicons.

    Parameters
    ----------
    names : iterable of str or Path, optional
        Lexicons to hash; default every shipped lexicon.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> from bureau_rhetoric.lexicons import lexicon_hashes
    >>> h = lexicon_hashes(["README.md"])
    >>> list(h)
    ['README.md']
    """
    names = list_lexicons() if names is None else list(names)
    return {str(n): hash_file(lexicon_path(n)) for n in names}
