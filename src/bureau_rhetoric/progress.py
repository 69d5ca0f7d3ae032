"""Progress bars for long steps, notebook-aware (``tqdm.auto``).

Set ``BUREAU_RHETORIC_PROGRESS=0`` to silence them (the test suite does).

Examples
--------
>>> from bureau_rhetoric.progress import progress
>>> sum(progress(range(3), desc="toy", disable=True))
3
"""

from __future__ import annotations

import os
from typing import Iterable, TypeVar

__all__ = ["progress"]

T = TypeVar("T")


def progress(iterable: Iterable[T], *, desc: str = "", total: int | None = None,
             disable: bool | None = None, unit: str = "it") -> Iterable[T]:
    """Wrap an iterable in a progress bar (widget in Jupyter, text in a terminal).

    Parameters
    ----------
    iterable : iterable
    desc : str, default ""
        Label shown before the bar.
    total : int, optional
        Length, when the iterable has none.
    disable : bool, optional
        Force on/off; default: off when ``BUREAU_RHETORIC_PROGRESS=0``.
    unit : str, default "it"

    Returns
    -------
    iterable
        Yields the same items.
    """
    try:  # widget bars in Jupyter when ipywidgets is there; text bars otherwise, no warning
        import ipywidgets  # noqa: F401
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    if disable is None:
        disable = os.environ.get("BUREAU_RHETORIC_PROGRESS", "1") == "0"
    return tqdm(iterable, desc=desc, total=total, disable=disable, unit=unit,
                dynamic_ncols=True, leave=False)
