"""Where caches live, how big they are, and how to empty them (``bureau-rhetoric cache``).

Two stages cache their results on disk: ``tokens.tokenize_docs`` (each
document's tokens, in ``tokens/``, keyed by the SHA-256 of the text and of the
tokenizer: dictionary, stopwords, options, rjieba version) and
``topics.fit_topics`` / ``select_topics`` (fitted models, in ``topic-models/``,
keyed by the hash of the bag of words, the vocabulary, the parameters and the
engine's version). A changed input changes the key, so a stale entry is never
read; deleting the cache only costs time.

The folder is ``config.CACHE_DIR``: ``$BUREAU_RHETORIC_CACHE`` if set, else the
platform's user cache folder (platformdirs). ``bureau-rhetoric notebooks --cache
DIR`` or ``--no-cache`` choose another for one run.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "tokens" / "ab").mkdir(parents=True)
>>> _ = (d / "tokens" / "ab" / "ab12.pkl").write_bytes(b"\\x00" * 2048)
>>> cache_usage(d)
{'tokens': {'files': 1, 'bytes': 2048}}
>>> clear_cache(d)
2048
>>> cache_usage(d)
{}
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["cache_usage", "clear_cache", "format_bytes"]


def cache_usage(cache_dir: str | Path | None = None) -> dict[str, dict[str, int]]:
    """Return the number of files and bytes under each top-level folder of a cache.

    Parameters
    ----------
    cache_dir : str or Path, optional
        Default ``config.CACHE_DIR``.

    Returns
    -------
    dict
        ``{folder: {"files": n, "bytes": b}}``; empty if the cache does not exist.
    """
    from .config import CACHE_DIR

    root = Path(cache_dir) if cache_dir is not None else CACHE_DIR
    usage: dict[str, dict[str, int]] = {}
    if not root.is_dir():
        return usage
    for sub in sorted(root.iterdir()):
        files = [p for p in (sub.rglob("*") if sub.is_dir() else [sub]) if p.is_file()]
        if files:
            usage[sub.name] = {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}
    return usage


def clear_cache(cache_dir: str | Path | None = None) -> int:
    """Delete a cache folder's contents; return the bytes freed.

    Parameters
    ----------
    cache_dir : str or Path, optional
        Default ``config.CACHE_DIR``.

    Returns
    -------
    int
    """
    from .config import CACHE_DIR

    root = Path(cache_dir) if cache_dir is not None else CACHE_DIR
    freed = sum(u["bytes"] for u in cache_usage(root).values())
    if root.is_dir():
        for sub in root.iterdir():
            shutil.rmtree(sub) if sub.is_dir() else sub.unlink()
    return freed


def format_bytes(n: int) -> str:
    """Return a byte count for people: ``'51.2 MB'``.

    Examples
    --------
    >>> format_bytes(0), format_bytes(2048), format_bytes(51_200_000)
    ('0 B', '2.0 kB', '51.2 MB')
    """
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"
