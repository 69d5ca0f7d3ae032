"""Describe where an output came from: code, corpus, notebook parameters, lexicons, and how to redo it.

A figure drawn in a notebook (``save_figure(..., notebook="02-phrase-rates.ipynb")``)
gets a sidecar that can be replayed without guessing:

- ``code``: package version, git commit and whether the checkout had uncommitted changes;
- ``corpus``: the ``CORPUS_DIR`` the notebook read, the SHA-256 of its
  ``corpus.parquet``, the number of documents, the build id (if the build wrote
  one) and the lexicons the build used;
- ``notebook`` and ``parameters``: the notebook and every parameter of its
  parameters cell under the notebook's own names (``SEED``, ``N_BOOT``,
  ``FAMILIES`` ...), with the values in force when the figure was saved;
- ``lexicons``: name and SHA-256 of each lexicon the figure depends on;
- ``reproduce``: the command that redraws it (``bureau-rhetoric notebooks ...``);
  ``bureau-rhetoric reproduce <sidecar>.json`` runs it and compares the bytes.

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
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import __version__
from .config import PROJECT_ROOT
from .lexicons import lexicon_hashes

__all__ = ["collect_provenance", "git_commit", "package_versions", "code_identity", "corpus_identity",
           "notebook_context", "reproduce_command"]

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


def code_identity() -> dict[str, Any]:
    """Return ``{"version", "commit", "dirty"}`` of the running code (commit/dirty None outside git).

    Examples
    --------
    >>> sorted(code_identity())
    ['commit', 'dirty', 'version']
    """
    commit = git_commit()
    return {"version": __version__, "commit": commit.removesuffix("+dirty") if commit else None,
            "dirty": commit.endswith("+dirty") if commit else None}


_CORPUS_HASHES: dict[tuple, str] = {}


def corpus_identity(corpus_dir: str | Path) -> dict[str, Any] | None:
    """Return what identifies a built corpus: path, SHA-256 of ``corpus.parquet``, documents, build id.

    Parameters
    ----------
    corpus_dir : str or Path
        Folder holding ``corpus.parquet``.

    Returns
    -------
    dict or None
        ``path``, ``sha256``, ``n_docs``, ``build_id`` (None if the build wrote
        none) and ``lexicons`` (those of its ``build_summary.json``); None when
        there is no ``corpus.parquet``. The hash is computed once per file
        version in a process.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"doc_id": ["a", "b"], "text": ["科技创新", "创新驱动"]}).to_parquet(d / "corpus.parquet")
    >>> ident = corpus_identity(d)
    >>> ident["n_docs"], len(ident["sha256"]), ident["build_id"]
    (2, 64, None)
    """
    import pyarrow.parquet as pq

    from .lexicons import corpus_lexicon_hashes, hash_file

    path = Path(corpus_dir) / "corpus.parquet"
    if not path.is_file():
        return None
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _CORPUS_HASHES:
        _CORPUS_HASHES[key] = hash_file(path)
    pf = pq.ParquetFile(path)
    build_id = None
    meta = pf.schema_arrow.metadata or {}
    if b"build_id" in meta:
        build_id = meta[b"build_id"].decode()
    elif "build_id" in pf.schema_arrow.names and pf.metadata.num_rows:
        build_id = pf.read_row_group(0, columns=["build_id"]).column(0)[0].as_py()
    elif (Path(corpus_dir) / "build_summary.json").is_file():
        import json

        summary = json.loads((Path(corpus_dir) / "build_summary.json").read_text(encoding="utf-8"))
        build_id = summary.get("build_id") if isinstance(summary, dict) else None
    return {"path": str(Path(corpus_dir).resolve()), "sha256": _CORPUS_HASHES[key],
            "n_docs": pf.metadata.num_rows, "build_id": build_id,
            "lexicons": corpus_lexicon_hashes(corpus_dir)}


def notebook_context(notebook: str) -> dict[str, Any] | None:
    """Return the parameters of the running notebook, under its own names, as now set.

    Reads the parameter names from the notebook's ``parameters`` cell (the file
    ``notebook`` in the working directory, else in ``notebooks/``) and their
    values from the IPython kernel's namespace.

    Parameters
    ----------
    notebook : str
        File name, e.g. ``"02-phrase-rates.ipynb"``.

    Returns
    -------
    dict or None
        ``{NAME: value}``; None outside a kernel or when the notebook file is not found.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return None
    shell = get_ipython()
    if shell is None:
        return None
    from .config import NOTEBOOKS_DIR
    from .notebooks import notebook_parameters

    for folder in (Path.cwd(), NOTEBOOKS_DIR):
        if (folder / notebook).is_file():
            names = notebook_parameters(folder / notebook)
            return {n: _jsonable(shell.user_ns[n]) for n in names if n in shell.user_ns}
    return None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


#: Parameters the reproduce command passes as options or leaves out (a cache does not change results).
_AS_OPTIONS = {"CORPUS_DIR": "--corpus", "LABELS_FILE": "--labels"}
_NOT_PASSED = {"FIGURES_DIR", "CACHE_DIR"}


def reproduce_command(notebook: str, parameters: Mapping[str, Any], out: str = "rerun") -> str:
    """Return the shell command that reruns a notebook with the given parameters.

    Parameters
    ----------
    notebook : str
        ``"02-phrase-rates.ipynb"``.
    parameters : mapping
        The notebook's parameters under its own names.
    out : str, default "rerun"
        Run folder of the command.

    Returns
    -------
    str

    Examples
    --------
    >>> print(reproduce_command("02-phrase-rates.ipynb", {"CORPUS_DIR": "/data/杭州", "SEED": 7,
    ...       "MIN_CONFIDENCE": "high", "FIGURES_DIR": "/f", "FAMILIES": ["创新驱动", "自主创新"]}))
    bureau-rhetoric notebooks 02-phrase-rates --out rerun --corpus '/data/杭州' -p SEED 7 -p MIN_CONFIDENCE high -p FAMILIES '["创新驱动", "自主创新"]'
    """
    import shlex

    from .cli import format_value

    argv = ["bureau-rhetoric", "notebooks", Path(notebook).stem, "--out", out]
    for name, value in parameters.items():
        if name in _AS_OPTIONS:
            argv += [_AS_OPTIONS[name], str(value)]
        elif name not in _NOT_PASSED:
            argv += ["-p", name, format_value(value)]
    return " ".join(shlex.quote(a) for a in argv)


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
    record["code"] = code_identity()
    notebook = extra.get("notebook")
    if isinstance(notebook, str) and "parameters" not in extra:
        parameters = notebook_context(notebook)
        if parameters is not None:
            record["parameters"] = parameters
            if "CORPUS_DIR" in parameters:
                record["corpus"] = corpus_identity(parameters["CORPUS_DIR"])
            record["reproduce"] = reproduce_command(notebook, parameters)
    record.update(extra)
    return record
