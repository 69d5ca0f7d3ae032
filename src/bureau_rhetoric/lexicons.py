"""Locate, hash and read the lexicons: the shipped ones, or a user's own for one build.

Every lexicon (domain dictionary, stopwords, dated policy terms, boilerplate
patterns, gazetteer, bureau names ...) is a plain-text or CSV file in
``bureau_rhetoric/data/``. A build can replace any of them: :func:`use_lexicons`
takes a folder of same-named files and/or ``{name: path}`` and makes every
loader read those while it is active. Loaders cache by (path, SHA-256 of the
content) (:func:`lexicon_key`, :func:`keyed_cache`), never by a fixed file
name, so editing a file or swapping the folder is seen by the next build.
Outputs record the SHA-256 of each lexicon they used, so a figure or table can
be traced to the exact word lists behind it.

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

import contextlib
import contextvars
import functools
import hashlib
import os
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .config import PACKAGE_DATA_DIR

__all__ = ["lexicon_path", "hash_file", "lexicon_hashes", "list_lexicons", "resolve_lexicons",
           "use_lexicons", "active_lexicons", "lexicon_key", "keyed_cache", "corpus_lexicon_hashes"]

#: ``{shipped name: user path}`` in force (empty: the shipped files); set by :func:`use_lexicons`
_ACTIVE: contextvars.ContextVar[dict] = contextvars.ContextVar("bureau_rhetoric_lexicons", default={})
#: (path, mtime_ns, size) -> sha256, so a key costs one stat, not a read
_HASHES: dict[tuple, str] = {}
#: (name, replacements in force) -> (path, sha256); emptied when a build starts (use_lexicons),
#: so a build reads each lexicon as it is when the build starts, edited or not
_KEYS: dict[tuple, tuple[str, str]] = {}


def resolve_lexicons(folder: str | Path | None = None,
                     paths: Mapping[str, str | Path] | None = None) -> dict[str, Path]:
    """Return ``{shipped lexicon name: user file}`` for a folder and/or per-lexicon paths.

    Parameters
    ----------
    folder : str or Path, optional
        A folder whose files replace the shipped lexicons of the same name
        (``my_lexicons/on_topic.csv`` replaces ``on_topic.csv``). Files with
        other names are an error, so a typo is not silently ignored.
    paths : mapping of str to str or Path, optional
        ``{"bureaus.csv": "/path/my_bureaus.csv"}``; wins over ``folder``.

    Returns
    -------
    dict of str to Path
        Only the replaced lexicons; the rest stay the shipped ones.

    Raises
    ------
    FileNotFoundError
        If the folder or a path does not exist.
    ValueError
        If a name is not one of the shipped lexicons.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.lexicons import resolve_lexicons
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "on_topic.csv").write_text("term,domain,weight\\n科技,科技,1\\n", encoding="utf-8")
    >>> list(resolve_lexicons(d))
    ['on_topic.csv']
    """
    shipped = set(list_lexicons())
    out: dict[str, Path] = {}
    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"lexicon folder {folder} does not exist")
        for f in sorted(folder.iterdir()):
            if f.is_file() and not f.name.startswith("."):
                if f.name not in shipped:
                    raise ValueError(f"lexicon folder {folder}: {f.name} is not a shipped lexicon name "
                                     f"(one of {', '.join(sorted(shipped))}); rename or remove it")
                out[f.name] = f.resolve()
    for name, path in (paths or {}).items():
        if name not in shipped:
            raise ValueError(f"lexicon {name!r} is not a shipped lexicon name "
                             f"(one of {', '.join(sorted(shipped))})")
        if not Path(path).is_file():
            raise FileNotFoundError(f"lexicon file {path} (for {name}) does not exist")
        out[name] = Path(path).resolve()
    return out


@contextlib.contextmanager
def use_lexicons(folder: str | Path | Mapping[str, str | Path] | None = None,
                 paths: Mapping[str, str | Path] | None = None):
    """Make every loader read the given lexicons instead of the shipped ones, inside a ``with``.

    Parameters
    ----------
    folder : str, Path or mapping, optional
        As for :func:`resolve_lexicons`; a mapping is taken as ``paths``
        already resolved (what :func:`active_lexicons` returns, to pass to a
        worker process).
    paths : mapping, optional

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.lexicons import use_lexicons, lexicon_path
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "stopwords.txt").write_text("的\\n", encoding="utf-8")
    >>> with use_lexicons(d):
    ...     lexicon_path("stopwords.txt") == (d / "stopwords.txt").resolve()
    True
    >>> lexicon_path("stopwords.txt").parent.name
    'data'
    """
    if isinstance(folder, Mapping):
        mapping = {**resolve_lexicons(None, folder), **resolve_lexicons(None, paths)}
    else:
        mapping = resolve_lexicons(folder, paths)
    _KEYS.clear()
    token = _ACTIVE.set({**_ACTIVE.get(), **mapping})
    try:
        yield mapping
    finally:
        _ACTIVE.reset(token)


def active_lexicons() -> dict[str, Path]:
    """Return the ``{name: path}`` replacements in force (empty when all are shipped)."""
    return dict(_ACTIVE.get())


def lexicon_key(name: str | Path) -> tuple[str, str]:
    """Return ``(path, sha256)`` of the lexicon a loader would read now: the key to cache on.

    Hashed once per build (:func:`use_lexicons` starts afresh), so a file
    edited between two builds is read again, without a stat per call.

    Examples
    --------
    >>> from bureau_rhetoric.lexicons import lexicon_key
    >>> path, sha = lexicon_key("on_topic.csv")
    >>> path.endswith("on_topic.csv"), len(sha)
    (True, 64)
    """
    active = _ACTIVE.get()
    name = str(name)
    k = (name, tuple(sorted((a, str(b)) for a, b in active.items())) if active else ())
    if k in _KEYS:
        return _KEYS[k]
    path = str(lexicon_path(name))
    st = os.stat(path)
    memo = (path, st.st_mtime_ns, st.st_size)
    sha = _HASHES.get(memo)
    if sha is None:
        sha = _HASHES[memo] = hash_file(path)
    if name in active or name in _shipped_names():
        _KEYS[k] = (path, sha)
    return path, sha


@functools.lru_cache(maxsize=1)
def _shipped_names() -> frozenset:
    return frozenset(list_lexicons())


def keyed_cache(*names: str) -> Callable:
    """Cache a zero-argument loader of the lexicons ``names`` by their (path, content hash).

    The decorated loader re-reads when another file is in force
    (:func:`use_lexicons`) or a file's content changed; results for earlier
    keys are kept (a few small tables).

    Examples
    --------
    >>> from bureau_rhetoric.lexicons import keyed_cache, lexicon_path
    >>> @keyed_cache("on_topic.csv")
    ... def n_lines():
    ...     return len(lexicon_path("on_topic.csv").read_text(encoding="utf-8").splitlines())
    >>> n_lines() == n_lines() > 0
    True
    """
    def deco(fn):
        cache: dict = {}

        @functools.wraps(fn)
        def wrapper():
            key = tuple(lexicon_key(n) for n in names)
            if key not in cache:
                cache[key] = fn()
            return cache[key]

        wrapper.cache_clear = cache.clear
        return wrapper

    return deco


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
    active = _ACTIVE.get()
    if active and str(name) in active:
        return active[str(name)]
    p = Path(name)
    if len(p.parts) > 1 and p.is_file():
        return p.resolve()
    shipped = PACKAGE_DATA_DIR / p
    if shipped.is_file():
        return shipped
    if p.is_file():
        return p.resolve()
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

    The hashes are of the files in force (:func:`use_lexicons`), so a build
    with the user's own lexicons records theirs.

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
    return {str(n): lexicon_key(n)[1] for n in names}


def corpus_lexicon_hashes(corpus_dir: str | Path) -> dict[str, str]:
    """Return ``{lexicon: sha256}`` a built corpus was made with (from its ``build_summary.json``).

    For figure sidecars: pass the result as ``lexicons=`` to
    :func:`bureau_rhetoric.provenance.collect_provenance`, so a figure names the
    lexicons of the build it was drawn from, the user's own included.

    Parameters
    ----------
    corpus_dir : str or Path
        The folder ``write_corpus`` / ``bureau-rhetoric build`` wrote.

    Returns
    -------
    dict of str to str
        Empty when the folder has no summary (a corpus built before summaries existed).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bureau_rhetoric.corpus import write_corpus
    >>> from bureau_rhetoric.lexicons import corpus_lexicon_hashes
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "000_a.txt").write_text("科技局工作总结\\n科技创新成效显著。", encoding="utf-8")
    >>> _ = write_corpus(d, d / "out")
    >>> len(corpus_lexicon_hashes(d / "out")["bureaus.csv"])
    64
    """
    import json

    path = Path(corpus_dir) / "build_summary.json"
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("lexicons", {}))
