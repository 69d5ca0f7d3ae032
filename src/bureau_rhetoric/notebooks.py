"""Execute the analysis notebooks with papermill, render them to offline HTML, keep pairs in step.

Each notebook has one source of truth in two files, paired by jupytext
(``notebooks/jupytext.toml``): ``notebooks/NN-name.ipynb`` and the percent-format
script ``notebooks/src/NN-name.py``. JupyterLab (with jupytext, installed with
the project) saves both; after editing the script elsewhere run ``make sync``
(``sync_notebooks``), which brings each pair in step and stores the ``.ipynb``
without outputs. ``pair_differences`` says where a pair has diverged.

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
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping

from .config import NOTEBOOKS_DIR, PROCESSED_DIR, REPORTS_DIR

__all__ = ["list_notebooks", "run_notebook", "run_notebooks", "render_html", "error_outputs",
           "strip_outputs", "has_outputs", "count_images", "count_html_images", "pair_differences",
           "sync_notebooks", "notebook_parameters", "plan_parameters"]

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


def _script_path(ipynb: Path) -> Path:
    return ipynb.parent / "src" / (ipynb.stem + ".py")


def _cell_inputs(nb) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.cell_type, c.source.rstrip(), tuple(c.get("metadata", {}).get("tags", [])))
            for c in nb.cells]


def pair_differences(ipynb: str | Path) -> list[str]:
    """Return how a notebook and its paired script ``src/<name>.py`` differ (empty if in step).

    Compares cell by cell the type, the source and the tags, i.e. everything a
    run depends on; outputs and notebook metadata are not compared.

    Parameters
    ----------
    ipynb : str or Path
        A notebook in ``notebooks/``; its pair is ``notebooks/src/<name>.py``.

    Returns
    -------
    list of str
        One line per difference, naming both files and the first differing cell.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp()); (d / "src").mkdir()
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("年份 = 2015")]),
    ...                str(d / "01-toy.ipynb"))
    >>> _ = (d / "src" / "01-toy.py").write_text("# %%\\n年份 = 2016\\n", encoding="utf-8")
    >>> print(*pair_differences(d / "01-toy.ipynb"))
    01-toy.ipynb and src/01-toy.py differ at cell 0 (code): '年份 = 2015' vs '年份 = 2016'; run `make sync`
    """
    import jupytext

    ipynb = Path(ipynb)
    script = _script_path(ipynb)
    if not script.is_file():
        return [f"{ipynb.name} has no paired script src/{script.name}; run `make sync`"]
    if not ipynb.is_file():
        return [f"src/{script.name} has no paired notebook {ipynb.name}; run `make sync`"]
    try:
        a = _cell_inputs(jupytext.read(str(ipynb)))
    except Exception as err:  # a merge conflict leaves invalid JSON
        return [f"{ipynb.name} cannot be read ({type(err).__name__}); run `make sync` to rebuild it "
                f"from src/{script.name}"]
    b = _cell_inputs(jupytext.read(str(script), fmt="py:percent"))
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return [f"{ipynb.name} and src/{script.name} differ at cell {i} ({x[0]}): "
                    f"{x[1][:60]!r} vs {y[1][:60]!r}; run `make sync`"]
    if len(a) != len(b):
        return [f"{ipynb.name} has {len(a)} cells, src/{script.name} {len(b)}; run `make sync`"]
    return []


def _normalise_stored(path: Path) -> bool:
    """Store a notebook without outputs and with position-based cell ids (clean diffs)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    before = json.dumps(nb, sort_keys=True)
    nb["metadata"].setdefault("language_info", {"name": "python"})
    for i, c in enumerate(nb["cells"]):
        c["id"] = f"cell-{i:02d}"
        if c.get("cell_type") == "code":
            c["outputs"] = []
            c["execution_count"] = None
    if json.dumps(nb, sort_keys=True) == before:
        return False
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return True


#: Notebook metadata given to a notebook created from a script (``make sync`` on a new script).
KERNELSPEC = {"name": "bureau-rhetoric", "display_name": "Python (bureau-rhetoric)", "language": "python"}


def _uncommitted(path: Path) -> bool:
    """True if git sees uncommitted changes to ``path`` (False outside a repository)."""
    import subprocess

    try:
        out = subprocess.run(["git", "status", "--porcelain", "--", path.name], cwd=path.parent,
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return bool(out.strip())


def sync_notebooks(nb_dir: str | Path = NOTEBOOKS_DIR, *, prefer: str | None = None) -> list[Path]:
    """Bring every ``NN-name.ipynb`` / ``src/NN-name.py`` pair in step (``make sync``).

    Runs ``jupytext --sync`` on each pair (cell inputs come from the file
    modified last, as jupytext decides), creates the missing half of a pair,
    rebuilds a notebook that cannot be read (e.g. git conflict markers: resolve
    the script, then sync), and stores every notebook without outputs. When the
    two files of a pair differ and both have uncommitted edits, nothing is
    overwritten: ``prefer`` must say which one wins.

    Parameters
    ----------
    nb_dir : str or Path, default ``config.NOTEBOOKS_DIR``
        Folder holding ``jupytext.toml``, the notebooks and ``src/``.
    prefer : {"script", "notebook"}, optional
        Take the cells of this side of every diverged pair, whatever was modified last.

    Returns
    -------
    list of Path
        The files that changed.

    Raises
    ------
    ValueError
        If a diverged pair has uncommitted edits on both sides and ``prefer`` is not given.
    """
    import time

    if prefer not in (None, "script", "notebook"):
        raise ValueError(f"prefer must be 'script' or 'notebook', got {prefer!r}")
    from jupytext.cli import jupytext as jupytext_cli

    nb_dir = Path(nb_dir)
    stems = {p.stem for p in list_notebooks(nb_dir)}
    stems |= {p.stem for p in (nb_dir / "src").glob("*.py") if _NB_NAME.match(p.stem + ".ipynb")}
    changed = []
    for stem in sorted(stems):
        ipynb, script = nb_dir / f"{stem}.ipynb", nb_dir / "src" / f"{stem}.py"
        before = {p: p.read_bytes() if p.is_file() else None for p in (ipynb, script)}
        if ipynb.is_file() and script.is_file():
            try:
                json.loads(ipynb.read_text(encoding="utf-8"))
            except ValueError:  # conflict markers: the script is the source
                ipynb.unlink()
        if ipynb.is_file() and script.is_file() and pair_differences(ipynb):
            if prefer is None and _uncommitted(ipynb) and _uncommitted(script):
                raise ValueError(
                    f"{ipynb} and {script} differ and both have uncommitted edits; keep one with "
                    f"`make sync PREFER=script` or `make sync PREFER=notebook`")
            if prefer is not None:  # jupytext takes the cells of the file modified last
                now = time.time() + 1
                os.utime(script if prefer == "script" else ipynb, (now, now))
            newer = script if script.stat().st_mtime >= ipynb.stat().st_mtime else ipynb
            print(f"{ipynb.name}: cells taken from {newer.relative_to(nb_dir)} (modified last)"
                  if prefer is None else f"{ipynb.name}: cells taken from {newer.relative_to(nb_dir)}")
        jupytext_cli(["--sync", "--quiet", str(script if script.is_file() else ipynb)])
        nb = json.loads(ipynb.read_text(encoding="utf-8"))
        if "kernelspec" not in nb["metadata"]:  # a notebook just created from a header-less script
            nb["metadata"] = {"kernelspec": dict(KERNELSPEC)}
            ipynb.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            jupytext_cli(["--sync", "--quiet", str(ipynb)])  # the script gets its header (kernel)
            ipynb.unlink()  # and the notebook is rebuilt from it as a conflicted one would be
            jupytext_cli(["--sync", "--quiet", str(script)])
        _normalise_stored(ipynb)
        changed += [p for p, b in before.items() if (p.read_bytes() if p.is_file() else None) != b]
    return changed


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


def _parameters_cell(nb) -> Any:
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def notebook_parameters(path: str | Path) -> dict[str, str]:
    """Return the parameters of a notebook's ``parameters`` cell, as papermill reads them.

    Parameters
    ----------
    path : str or Path
        A notebook (``.ipynb``).

    Returns
    -------
    dict of str to str
        Parameter name to its default (source text), in cell order; empty if the
        notebook has no cell tagged ``parameters``.

    Raises
    ------
    ValueError
        If papermill cannot parse a line of the cell or misses an assigned name
        (e.g. a trailing comment holding ``=``): papermill would warn on every
        run and report the parameter as unknown. Comments belong on their own
        line or must not contain ``=``.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from pathlib import Path
    >>> nb = nbformat.v4.new_notebook()
    >>> cell = nbformat.v4.new_code_cell('SEED = 7  # 随机种子\\nPLACE = "杭州"')
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb.cells = [cell]
    >>> path = Path(tempfile.mkdtemp()) / "01-toy.ipynb"
    >>> nbformat.write(nb, str(path))
    >>> notebook_parameters(path)
    {'SEED': '7', 'PLACE': '"杭州"'}
    """
    import ast
    import logging

    import nbformat
    from papermill.translators import PythonTranslator

    path = Path(path)
    cell = _parameters_cell(nbformat.read(str(path), as_version=4))
    if cell is None:
        return {}

    class _Collect(logging.Handler):
        def __init__(self):
            super().__init__()
            self.messages: list[str] = []

        def emit(self, record):
            self.messages.append(record.getMessage())

    collect, log = _Collect(), logging.getLogger("papermill")
    log.addHandler(collect)
    try:
        found = {p.name: p.default for p in PythonTranslator.inspect(cell)}
    finally:
        log.removeHandler(collect)
    assigned = [t.id for node in ast.parse(cell.source).body if isinstance(node, (ast.Assign, ast.AnnAssign))
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(t, ast.Name)]
    missing = [n for n in assigned if n not in found]
    if collect.messages or missing:
        raise ValueError(f"{path.name}: papermill cannot read the parameters cell "
                         f"({'; '.join(collect.messages) or 'missed ' + ', '.join(missing)}); "
                         f"put comments on their own line or keep '=' out of them")
    return found


def _kernel_config(socket_dir: str | Path | None = None):
    """Kernel manager settings: local ipc sockets where available (no unencrypted-TCP warning).

    The sockets go into ``socket_dir`` (a private folder per kernel). Without it,
    jupyter_client names them ``kernel-ipc-1`` … in the working directory, and two
    kernels started there at once (two notebooks run side by side, or a test worker
    beside ``make run``) pick the same names and read each other's messages ("Invalid
    Signature", "Kernel didn't respond").
    """
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    km = {"transport": "ipc"}
    if socket_dir is not None:
        km["ip"] = str(Path(socket_dir) / "kernel")
    return Config({"KernelManager": km})


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
    sockets = tempfile.mkdtemp(prefix="bureau-rhetoric-kernel-")
    try:
        pm.execute_notebook(str(path), str(executed), parameters=dict(parameters or {}),
                            kernel_name=kernel_name, cwd=str(path.parent), progress_bar=False,
                            execution_timeout=timeout, log_output=False, config=_kernel_config(sockets))
    except pm.PapermillExecutionError as err:
        raise RuntimeError(
            f"{path.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue} "
            f"(executed copy with the traceback: {executed})"
        ) from None
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    errors = error_outputs(nbformat.read(str(executed), as_version=4))
    if errors:
        raise RuntimeError(f"{path.name} has error outputs: {'; '.join(errors)} (see {executed})")
    if html:
        render_html(executed, executed.with_suffix(".html"))
    return executed


def plan_parameters(paths: Iterable[str | Path], common: Mapping[str, Any],
                    chosen: Mapping[str, Any] | None = None) -> dict[Path, dict[str, Any]]:
    """Decide the parameters each notebook receives.

    ``common`` values (the corpus, figures and cache folders the runner sets)
    go to every notebook that has the parameter; so do ``chosen`` values (the
    user's ``-p NAME VALUE``), but a chosen name that no notebook has is an error.

    Parameters
    ----------
    paths : iterable of path
        The notebooks to run.
    common : mapping
    chosen : mapping, optional

    Returns
    -------
    dict of Path to dict

    Raises
    ------
    ValueError
        Naming the notebooks looked at and the closest parameter names.

    Examples
    --------
    >>> import tempfile, nbformat
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp())
    >>> for name, src in [("01-a", "SEED = 1"), ("02-b", "SEED = 1\\nN_BOOT = 100")]:
    ...     nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src)])
    ...     nb.cells[0].metadata["tags"] = ["parameters"]
    ...     nbformat.write(nb, str(d / f"{name}.ipynb"))
    >>> plan = plan_parameters(sorted(d.glob("*.ipynb")), {"SEED": 7}, {"N_BOOT": 50})
    >>> [(p.name, v) for p, v in plan.items()]
    [('01-a.ipynb', {'SEED': 7}), ('02-b.ipynb', {'SEED': 7, 'N_BOOT': 50})]
    >>> plan_parameters(sorted(d.glob("*.ipynb")), {}, {"N_BOOTS": 50})
    Traceback (most recent call last):
    ...
    ValueError: no notebook has a parameter N_BOOTS (looked in 01-a.ipynb, 02-b.ipynb); did you mean N_BOOT?
    """
    import difflib

    names = {Path(p): notebook_parameters(p) for p in paths}
    everything = sorted({n for params in names.values() for n in params})
    for name in chosen or {}:
        if not any(name in params for params in names.values()):
            close = difflib.get_close_matches(name, everything, n=3)
            raise ValueError(f"no notebook has a parameter {name} (looked in "
                             f"{', '.join(p.name for p in names)})"
                             + (f"; did you mean {' or '.join(close)}?" if close else ""))
    return {p: {k: v for k, v in {**common, **(chosen or {})}.items() if k in params}
            for p, params in names.items()}


def run_notebooks(notebooks: Iterable[str | Path] | None = None, out_dir: str | Path | None = None, *,
                  corpus_dir: str | Path = PROCESSED_DIR, figures_dir: str | Path | None = None,
                  seed: int | None = None, parameters: Mapping[str, Any] | None = None,
                  labels: str | Path | None = None, cache_dir: str | Path | None = None,
                  html: bool = True) -> list[Path]:
    """Execute the numbered notebooks in order on a built corpus, into one run folder.

    Parameters
    ----------
    notebooks : iterable of path, optional
        Default: every ``NN-*.ipynb`` in ``notebooks/``.
    out_dir : str or Path, optional
        The run folder for the executed notebooks and their HTML; default
        ``reports/notebooks``.
    corpus_dir : str or Path, default ``data/processed``
        Folder holding ``corpus.parquet`` (``bureau-rhetoric build --out``).
    figures_dir : str or Path, optional
        Default ``out_dir/figures``.
    seed : int, optional
        ``SEED`` of every notebook; default each notebook's own.
    parameters : mapping, optional
        Further values by parameter name, given to every notebook that has the
        parameter (``-p NAME VALUE``); a name no notebook has is an error.
    labels : str or Path, optional
        Topic labels CSV (``LABELS_FILE``); default the notebooks' own.
    cache_dir : str or Path, optional
        ``CACHE_DIR``; default the notebooks' own (``config.CACHE_DIR``).
    html : bool, default True

    Returns
    -------
    list of Path
        The executed notebooks.

    Raises
    ------
    ValueError
        If a chosen parameter is in no notebook, or the labels file is missing.
    RuntimeError
        If a notebook fails.
    """
    from .progress import progress

    paths = list_notebooks() if notebooks is None else [Path(p) for p in notebooks]
    out_dir = Path(out_dir) if out_dir is not None else REPORTS_DIR / "notebooks"
    figures_dir = Path(figures_dir) if figures_dir is not None else out_dir / "figures"
    common: dict[str, Any] = {"CORPUS_DIR": str(Path(corpus_dir).resolve()),
                              "FIGURES_DIR": str(figures_dir.resolve())}
    if cache_dir is not None:
        common["CACHE_DIR"] = str(Path(cache_dir).resolve())
    chosen = dict(parameters or {})
    if seed is not None:
        chosen["SEED"] = int(seed)
    if labels is not None:
        if not Path(labels).is_file():
            raise ValueError(f"labels file not found: {labels}")
        chosen["LABELS_FILE"] = str(Path(labels).resolve())
    plan = plan_parameters(paths, common, chosen)
    done = []
    for p in progress(paths, desc="notebooks", unit="nb"):
        done.append(run_notebook(p, out_dir, parameters=plan[Path(p)], html=html))
    return done


if __name__ == "__main__":  # ``make sync``
    import sys

    if sys.argv[1:] != ["sync"]:
        sys.exit("usage: python -m bureau_rhetoric.notebooks sync")
    try:
        files = sync_notebooks(prefer=os.environ.get("PREFER") or None)
    except ValueError as err:
        sys.exit(f"make sync: {err}")
    print("\n".join(f"updated {p}" for p in files) or "notebooks and notebooks/src in step")
    bad = [d for p in list_notebooks() for d in pair_differences(p)]
    sys.exit("\n".join(bad) if bad else 0)
