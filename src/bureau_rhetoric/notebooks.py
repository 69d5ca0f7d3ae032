"""Execute the analysis notebooks with papermill and render them to offline HTML.

The notebooks in ``notebooks/`` are stored without outputs. Each has a cell
tagged ``parameters`` (papermill's convention) that sets at least
``CORPUS_DIR``, ``FIGURES_DIR`` and ``SEED``; ``run_notebooks`` injects new
values, so the same notebooks run on a user's own corpus.

Examples
--------
>>> from bureau_rhetoric.notebooks import error_outputs
>>> nb = {"cells": [{"cell_type": "code", "outputs": [
...     {"output_type": "error", "ename": "ValueError", "evalue": "bad"}]}]}
>>> error_outputs(nb)
['cell 0: ValueError: bad']
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from .config import FIGURES_DIR, NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR, DEFAULT_SEED

__all__ = ["list_notebooks", "run_notebook", "run_notebooks", "render_html", "error_outputs",
           "strip_outputs", "has_outputs", "count_images", "count_html_images"]

_NB_NAME = re.compile(r"^\d{2}-[a-z0-9-]+\.ipynb$")


def list_notebooks(nb_dir: str | Path = NOTEBOOKS_DIR) -> list[Path]:
    """Return the numbered notebooks (``NN-question.ipynb``) in run order.

    Parameters
    ----------
    nb_dir : str or Path, default ``config.NOTEBOOKS_DIR``

    Returns
    -------
    list of Path
    """
    return sorted(p for p in Path(nb_dir).glob("*.ipynb") if _NB_NAME.match(p.name))


def error_outputs(nb: Mapping[str, Any]) -> list[str]:
    """Return a line per error output (``output_type == "error"``) in a notebook.

    Parameters
    ----------
    nb : mapping
        A notebook as loaded JSON or an ``nbformat`` node.

    Returns
    -------
    list of str
        ``"cell N: Name: message"``; empty when the notebook ran cleanly.
    """
    found = []
    for i, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
    return found


def count_images(nb: Mapping[str, Any], mime: str = "image/png") -> int:
    """Return how many outputs of a notebook carry an image (figures shown inline).

    Parameters
    ----------
    nb : mapping
        A notebook as loaded JSON or an ``nbformat`` node.
    mime : str, default "image/png"

    Returns
    -------
    int

    Examples
    --------
    >>> from bureau_rhetoric.notebooks import count_images
    >>> count_images({"cells": [{"cell_type": "code", "outputs": [
    ...     {"output_type": "display_data", "data": {"image/png": "iVBO", "text/plain": "<Figure>"}},
    ...     {"output_type": "stream", "text": "ok"}]}]})
    1
    """
    return sum(1 for c in nb.get("cells", []) for out in c.get("outputs", []) or []
               if mime in (out.get("data") or {}))


_HTML_IMG = re.compile(r"<img\b[^>]*\bsrc=[\"']data:image/(?:png|jpeg|svg\+xml)", re.I)


def count_html_images(html: str) -> int:
    """Return how many images are embedded (``data:`` URIs) in a rendered notebook page.

    Examples
    --------
    >>> from bureau_rhetoric.notebooks import count_html_images
    >>> count_html_images('<p>x</p><img alt="" src="data:image/png;base64,iVBO"><img src="a.png">')
    1
    """
    return len(_HTML_IMG.findall(html))


def has_outputs(nb: Mapping[str, Any]) -> bool:
    """Return True if any code cell carries outputs or an execution count."""
    return any(c.get("cell_type") == "code" and (c.get("outputs") or c.get("execution_count"))
               for c in nb.get("cells", []))


def strip_outputs(path: str | Path) -> bool:
    """Remove outputs and execution counts from a stored notebook, in place.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    bool
        True if the file changed.
    """
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    if not has_outputs(nb):
        return False
    for c in nb["cells"]:
        if c.get("cell_type") == "code":
            c["outputs"] = []
            c["execution_count"] = None
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return True


def render_html(executed: str | Path, html_path: str | Path) -> Path:
    """Render an executed notebook to a self-contained HTML page that works offline.

    Images are embedded; script tags that would load code from the web
    (RequireJS, MathJax, widget managers) are removed, so nothing is fetched.

    Parameters
    ----------
    executed : str or Path
        An executed ``.ipynb``.
    html_path : str or Path

    Returns
    -------
    Path
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(template_name="lab", embed_images=True)
    body, _ = exporter.from_notebook_node(nb)
    body = re.sub(r"<script[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>", "", body)
    html_path = Path(html_path)
    html_path.write_text(body, encoding="utf-8")
    return html_path


def run_notebook(path: str | Path, out_dir: str | Path, *, parameters: Mapping[str, Any] | None = None,
                 html: bool = True, kernel_name: str = "python3", timeout: int = 1800) -> Path:
    """Execute one notebook top to bottom and write the executed copy (and HTML).

    Parameters
    ----------
    path : str or Path
        Notebook to run (left untouched).
    out_dir : str or Path
        Folder for ``<name>.ipynb`` (executed) and ``<name>.html``.
    parameters : mapping, optional
        Values for the parameters cell.
    html : bool, default True
    kernel_name : str, default "python3"
        The kernel of the running interpreter.
    timeout : int, default 1800
        Seconds allowed per cell.

    Returns
    -------
    Path
        The executed notebook.

    Raises
    ------
    RuntimeError
        If a cell raised or left an error output; the message names the notebook
        and the cell and points at the executed copy.
    """
    import nbformat
    import papermill as pm

    path = Path(path).resolve()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / path.name
    os.environ.setdefault("BUREAU_RHETORIC_PROGRESS", "0")
    try:
        pm.execute_notebook(str(path), str(executed), parameters=dict(parameters or {}),
                            kernel_name=kernel_name, cwd=str(path.parent), progress_bar=False,
                            execution_timeout=timeout, log_output=False)
    except pm.PapermillExecutionError as err:
        raise RuntimeError(
            f"{path.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue} "
            f"(executed copy with the traceback: {executed})"
        ) from None
    errors = error_outputs(nbformat.read(str(executed), as_version=4))
    if errors:
        raise RuntimeError(f"{path.name} has error outputs: {'; '.join(errors)} (see {executed})")
    if html:
        render_html(executed, executed.with_suffix(".html"))
    return executed


def run_notebooks(notebooks: Iterable[str | Path] | None = None, out_dir: str | Path | None = None, *,
                  corpus_dir: str | Path = PROCESSED_DIR, figures_dir: str | Path = FIGURES_DIR,
                  seed: int = DEFAULT_SEED, extra: Mapping[str, Any] | None = None,
                  html: bool = True) -> list[Path]:
    """Execute the numbered notebooks in order on a built corpus.

    Parameters
    ----------
    notebooks : iterable of path, optional
        Default: every ``NN-*.ipynb`` in ``notebooks/``.
    out_dir : str or Path, optional
        Default ``reports/notebooks``.
    corpus_dir : str or Path, default ``data/processed``
        Folder holding ``corpus.parquet`` (``bureau-rhetoric build --out``).
    figures_dir : str or Path, default ``figures/``
    seed : int, default ``config.DEFAULT_SEED``
    extra : mapping, optional
        Further parameters for every notebook (a notebook ignores unknown ones).
    html : bool, default True

    Returns
    -------
    list of Path
        The executed notebooks.
    """
    from .progress import progress

    paths = list_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    out_dir = Path(out_dir) if out_dir is not None else REPORTS_DIR / "notebooks"
    params = {"CORPUS_DIR": str(Path(corpus_dir).resolve()),
              "FIGURES_DIR": str(Path(figures_dir).resolve()), "SEED": int(seed)}
    params.update(extra or {})
    done = []
    for p in progress(paths, desc="notebooks", unit="nb"):
        done.append(run_notebook(p, out_dir, parameters=params, html=html))
    return done
