"""Phrase frequencies and topic models of local S&T bureau (科技局) reports over the years.

The stages, each a module with a verb_noun API (see ``DESIGN.md``)::

    ingest -> repair -> segment -> dedupe -> dating -> corpus
           -> tokens -> phrases -> topics -> figures

Examples
--------
>>> import bureau_rhetoric as br
>>> br.__version__
'0.1.0'
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("bureau-rhetoric")
except _metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.1.0"

from . import config  # noqa: E402,F401

__all__ = ["config", "__version__", "build_corpus"]


def __getattr__(name: str):
    # lazy: `import bureau_rhetoric` stays light; pandas/opencc load on first use
    if name == "build_corpus":
        from .corpus import build_corpus

        return build_corpus
    raise AttributeError(f"module 'bureau_rhetoric' has no attribute {name!r}")
