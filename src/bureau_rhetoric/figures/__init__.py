"""Paper figures: a seaborn theme in which Chinese renders, and a faithful exporter.

``set_paper_theme()`` registers the CJK font shipped by the PyPI package
``paperang-p2-fonts-cjk`` (WenQuanYi Micro Hei, TrueType outlines) and puts it
first in the sans-serif and serif font lists. Seaborn's ``set_theme`` and
``set_style`` reset ``font.sans-serif`` (seaborn issues #1733, #913); the theme
survives them because the font is re-inserted whenever matplotlib validates a
new font list.

TrueType outlines matter: matplotlib writes broken Type 42 PDFs from CFF-outline
(``.otf``) CJK fonts (matplotlib issue #20870). With a ``glyf`` font, PDFs embed
a CIDFontType2 subset and the Chinese text can be searched and copied.

``save_figure(fig, name)`` writes ``name.pdf``, ``name.svg``, ``name.png``
(300 dpi or more) at a journal width, the plotted data as ``name.csv`` and a
provenance sidecar ``name.json``.

Plotting functions (``plot_*``) take a tidy table and ``ax=``, return the Axes
and never call ``plt.show()``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import seaborn as sns
>>> from bureau_rhetoric import figures
>>> family = figures.set_paper_theme()
>>> sns.set_theme(style="white")
>>> import matplotlib.pyplot as plt
>>> plt.rcParams["font.sans-serif"][0] == family
True
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping

import matplotlib
import pandas as pd

__all__ = [
    "FONT_SIZES",
    "OKABE_ITO",
    "series_styles",
    "set_paper_theme",
    "cjk_font_path",
    "cjk_font_family",
    "figure_size",
    "new_figure",
    "save_figure",
    "SavedFigure",
    "JOURNAL_WIDTHS_MM",
]

#: Type sizes in points at the exported size: nothing under 6 pt, titles >= axis labels >= ticks.
#: Every plotting function takes its sizes from here (``FONT_SIZES["tick"]`` ...), never "x-small".
FONT_SIZES: dict[str, float] = {"figure_title": 8.0, "title": 7.0, "label": 7.0, "tick": 6.0, "legend": 6.0,
                                "annotation": 6.0}

#: Okabe & Ito's colour-blind-safe palette, ordered so that neighbours also differ in grey:
#: blue (grey 0.43), orange (0.67), black, green (0.54), purple (0.57), sky blue (0.66),
#: vermillion (0.50), yellow (0.87). Series beyond two also differ by marker and dash
#: (:func:`series_styles`), so a greyscale print still tells them apart.
OKABE_ITO: tuple[str, ...] = ("#0072B2", "#E69F00", "#000000", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                              "#F0E442")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_DASHES = ("-", "--", "-.", ":")


def series_styles(n: int) -> list[dict[str, Any]]:
    """Return ``n`` line styles (colour, marker, dash) that survive colour blindness and greyscale.

    Parameters
    ----------
    n : int

    Returns
    -------
    list of dict
        ``color``, ``marker`` and ``ls`` per series: Okabe-Ito colours in
        :data:`OKABE_ITO` order, with markers and dashes cycling independently, so
        no two of the first 64 series share colour and marker.

    Examples
    --------
    >>> from bureau_rhetoric.figures import series_styles
    >>> [tuple(s.values()) for s in series_styles(3)]
    [('#0072B2', 'o', '-'), ('#E69F00', 's', '--'), ('#000000', '^', '-.')]
    """
    n_col = len(OKABE_ITO)
    return [{"color": OKABE_ITO[i % n_col], "marker": _MARKERS[(i + i // n_col) % len(_MARKERS)],
             "ls": _DASHES[(i + i // n_col) % len(_DASHES)]} for i in range(max(0, int(n)))]


#: Column widths of common journals (Nature, Science, Elsevier, APSR ...).
JOURNAL_WIDTHS_MM: dict[str, float] = {"single": 89.0, "onehalf": 136.0, "double": 183.0}
_MM_PER_INCH = 25.4

_FONT_PACKAGE = "paperang_p2_fonts_cjk"
_FONT_FILE = "wqy-microhei.ttc"
_state: dict[str, Any] = {"family": None, "patched": False}


def cjk_font_path() -> Path:
    """Return the path of the bundled TrueType CJK font.

    Returns
    -------
    Path

    Raises
    ------
    RuntimeError
        If the font package is not installed (with the command that fixes it).
    """
    try:
        import importlib.resources as ir

        path = Path(str(ir.files(_FONT_PACKAGE) / "fonts" / _FONT_FILE))
    except ModuleNotFoundError as err:
        raise RuntimeError(
            "the CJK font package 'paperang-p2-fonts-cjk' is not installed; run `make setup` "
            "or `pip install -r requirements.lock`"
        ) from err
    if not path.is_file():
        raise RuntimeError(f"CJK font file missing from the installed package: {path}")
    return path


def cjk_font_family() -> str:
    """Register the bundled CJK font with matplotlib and return its family name.

    Returns
    -------
    str
        ``'WenQuanYi Micro Hei'``.
    """
    if _state["family"] is None:
        from matplotlib import font_manager

        path = cjk_font_path()
        font_manager.fontManager.addfont(str(path))
        _state["family"] = font_manager.FontProperties(fname=str(path)).get_name()
    return _state["family"]


def _prepend_family(validator, family: str):
    def validate(value):
        fonts = list(validator(value))
        return [family] + [f for f in fonts if f != family]

    validate.__wrapped__ = validator  # type: ignore[attr-defined]
    return validate


def _keep_cjk_first(family: str) -> None:
    """Make every later assignment of a font list keep the CJK family first."""
    if _state["patched"]:
        return
    validators = matplotlib.RcParams.validate
    for key in ("font.sans-serif", "font.serif"):
        validators[key] = _prepend_family(validators[key], family)
    _state["patched"] = True


def _inline_in_kernel() -> bool:
    """In a Jupyter kernel, switch to the inline backend; return True if figures now show inline.

    ``make`` exports ``MPLBACKEND=Agg`` (headless saving) and kernels inherit it, so
    ``plt.show()`` would draw nothing and executed notebooks and their HTML would
    carry no figure. Saving does not depend on the backend (``savefig`` renders
    with Agg, PDF or SVG whatever the backend is), so the inline backend costs the
    exports nothing. Outside a kernel (scripts, tests) the backend is left alone.
    """
    import sys

    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel depends on IPython
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    if "inline" not in matplotlib.get_backend():
        shell.run_line_magic("matplotlib", "inline")
    return True


def set_paper_theme(context: str = "paper", style: str = "ticks", *, font_scale: float = 1.0,
                    palette: str | Iterable = OKABE_ITO, rc: Mapping[str, Any] | None = None) -> str:
    """Set a seaborn theme for journal figures in which Chinese text renders.

    Parameters
    ----------
    context : str, default "paper"
        Seaborn context (sizes of text and lines).
    style : str, default "ticks"
        Seaborn style.
    font_scale : float, default 1.0
        Multiplies :data:`FONT_SIZES` (keep it at 1 for print: 6 pt is the floor).
    palette : str or sequence, default :data:`OKABE_ITO`
        Colour-blind-safe and ordered for greyscale by default.
    rc : mapping, optional
        Further rcParams, applied last.

    Returns
    -------
    str
        The CJK font family now first in ``font.sans-serif`` and ``font.serif``.

    Notes
    -----
    In a Jupyter kernel the inline backend is switched on (an inherited
    ``MPLBACKEND=Agg`` would otherwise hide every figure from the executed
    notebook and its HTML). Fonts are embedded in PDFs as TrueType
    (``pdf.fonttype = 42``); SVG text is drawn as paths (``svg.fonttype = 'path'``)
    so that it renders on a machine without the CJK font (``save_figure(...,
    editable_text=True)`` keeps it as text). Negative numbers get a true minus
    sign (U+2212, which the bundled font has). Type sizes come from
    :data:`FONT_SIZES`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from matplotlib.font_manager import FontProperties, findfont
    >>> from bureau_rhetoric.figures import cjk_font_path, set_paper_theme
    >>> family = set_paper_theme()
    >>> # "科技自立自强" is drawn with the bundled CJK font, not as boxes
    >>> findfont(FontProperties(family=family)) == str(cjk_font_path())
    True
    """
    import seaborn as sns

    _inline_in_kernel()
    family = cjk_font_family()
    _keep_cjk_first(family)
    fs = {k: v * font_scale for k, v in FONT_SIZES.items()}
    base_rc = {
        "font.family": "sans-serif",
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
        "axes.unicode_minus": True,
        "savefig.dpi": 300,
        "figure.dpi": 110,
        # no bbox="tight": the saved file keeps the exact journal width
        "figure.constrained_layout.use": True,
        "font.size": fs["label"],
        "axes.titlesize": fs["title"],
        "axes.labelsize": fs["label"],
        "xtick.labelsize": fs["tick"],
        "ytick.labelsize": fs["tick"],
        "legend.fontsize": fs["legend"],
        "legend.title_fontsize": fs["legend"],
        "figure.titlesize": fs["figure_title"],
        "legend.frameon": False,
    }
    base_rc.update(rc or {})
    sns.set_theme(context=context, style=style, palette=list(palette) if not isinstance(palette, str) else palette,
                  font_scale=font_scale, rc=base_rc)
    # set_theme resets font lists; the validator patch puts the CJK font back first.
    matplotlib.rcParams["font.sans-serif"] = list(matplotlib.rcParams["font.sans-serif"])
    matplotlib.rcParams["font.serif"] = list(matplotlib.rcParams["font.serif"])
    return family


def figure_size(width: str | float = "single", aspect: float = 0.62) -> tuple[float, float]:
    """Return ``(width, height)`` in inches for a journal column width.

    Parameters
    ----------
    width : {"single", "onehalf", "double"} or float, default "single"
        A named width (89, 136 or 183 mm) or millimetres.
    aspect : float, default 0.62
        Height divided by width.

    Returns
    -------
    tuple of float

    Examples
    --------
    >>> from bureau_rhetoric.figures import figure_size
    >>> [round(x, 2) for x in figure_size("double", aspect=0.5)]
    [7.2, 3.6]
    """
    if isinstance(width, str):
        try:
            mm = JOURNAL_WIDTHS_MM[width]
        except KeyError:
            raise ValueError(
                f"width must be one of {sorted(JOURNAL_WIDTHS_MM)} or millimetres, got {width!r}"
            ) from None
    else:
        mm = float(width)
        if not 20 <= mm <= 300:
            raise ValueError(f"width must be between 20 and 300 mm, got {mm}")
    if aspect <= 0:
        raise ValueError(f"aspect must be positive, got {aspect}")
    inches = mm / _MM_PER_INCH
    return inches, inches * aspect


def new_figure(width: str | float = "single", aspect: float = 0.62, **subplots_kw: Any):
    """Create a figure at a journal width with the paper theme applied.

    Parameters
    ----------
    width : {"single", "onehalf", "double"} or float, default "single"
    aspect : float, default 0.62
    **subplots_kw
        Passed to ``plt.subplots`` (``nrows``, ``ncols``, ``sharex`` ...).

    Returns
    -------
    fig, ax

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from bureau_rhetoric.figures import new_figure
    >>> fig, ax = new_figure("single")
    >>> _ = ax.set_title("创新驱动 · 每万字出现次数")
    >>> round(fig.get_size_inches()[0] * 25.4)  # a single journal column, in mm
    89
    """
    import matplotlib.pyplot as plt

    if _state["family"] is None or matplotlib.rcParams["font.sans-serif"][0] != _state["family"]:
        set_paper_theme()
    subplots_kw.setdefault("layout", "constrained")
    return plt.subplots(figsize=figure_size(width, aspect), **subplots_kw)


_SVG_CLIP_ID = re.compile(r"\bp[0-9a-f]{10}\b")


def _stabilise_svg_ids(path: Path) -> None:
    """Number SVG clip-path ids in order of appearance.

    Matplotlib derives them from ``id()`` of Python objects, so the same figure
    saved twice differs; sequential ids make reruns byte-identical.
    """
    text = path.read_text(encoding="utf-8")
    mapping: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        return mapping.setdefault(m.group(0), f"clip{len(mapping):04d}")

    path.write_text(_SVG_CLIP_ID.sub(sub, text), encoding="utf-8")


class SavedFigure(dict):
    """The paths ``save_figure`` wrote, by kind; shown in a notebook as one readable line."""

    def __repr__(self) -> str:
        first = next(iter(self.values()), None)
        where = f" in {first.parent}" if first is not None else ""
        return (f"saved {self.name}: {', '.join(self)}{where}"
                + (f"; {len(self.layout)} layout problem(s), see the sidecar" if self.layout else ""))

    name: str = ""
    layout: list = []


_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def save_figure(fig, name: str, *, data: pd.DataFrame | None = None, out_dir: str | Path | None = None,
                width: str | float | None = None, aspect: float | None = None,
                params: Mapping[str, Any] | None = None, lexicons: Iterable[str] | Mapping[str, str] | None = None,
                dpi: int = 300, formats: Iterable[str] = ("pdf", "svg", "png"), editable_text: bool = False,
                **provenance: Any) -> dict[str, Path]:
    """Write a figure as PDF, SVG and PNG, its data as CSV and a provenance sidecar.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File stem: ASCII letters, digits, ``.``, ``_`` and ``-`` (``"02-phrase-rates"``).
    data : DataFrame, optional
        The tidy table plotted, written as ``name.csv`` (UTF-8 with BOM so that
        Excel shows the Chinese). Strongly recommended: a reader can redraw or
        check the figure from it.
    out_dir : str or Path, optional
        Default ``config.FIGURES_DIR``.
    width : {"single", "onehalf", "double"} or float, optional
        Resize to this journal width before saving; default keep the size.
    aspect : float, optional
        Height/width when resizing; default keep the current aspect.
    params : mapping, optional
        Analysis parameters (seed, K, filters) stored in the sidecar.
    lexicons : iterable of str or mapping, optional
        Lexicons used; their SHA-256 go in the sidecar.
    dpi : int, default 300
        PNG resolution; at least 300.
    formats : iterable of str, default ("pdf", "svg", "png")
    editable_text : bool, default False
        Keep SVG text as text (editable in Illustrator or Inkscape, but it needs the
        CJK font installed to render); by default SVG text is drawn as paths, which
        render anywhere. PDFs embed the font either way.
    **provenance
        Further sidecar fields (``notebook=...``, ``source=...``).

    Returns
    -------
    dict of str to Path
        Written paths by kind (``pdf``, ``svg``, ``png``, ``csv``, ``json``).

    Notes
    -----
    The figure is checked at the saved size with :func:`check_layout`
    (overlapping text, text off the canvas, type under 6 pt ...); the problems
    found are listed in the sidecar under ``figure.layout`` (empty when none)
    and raised as one warning.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from bureau_rhetoric.figures import new_figure, save_figure
    >>> df = pd.DataFrame({"year": [2010, 2015, 2020], "rate": [1.0, 2.5, 4.0]})
    >>> fig, ax = new_figure("single")
    >>> _ = ax.plot(df["year"], df["rate"]); _ = ax.set_title("创新驱动 per 10,000 chars")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = save_figure(fig, "toy", data=df, out_dir=d, params={"seed": 1})
    ...     sorted(paths)
    ['csv', 'json', 'pdf', 'png', 'svg']
    """
    from ..config import FIGURES_DIR
    from ..provenance import collect_provenance

    if not _SAFE_NAME.match(name):
        raise ValueError(f"figure name must be ASCII letters, digits, '.', '_' or '-', got {name!r}")
    if dpi < 300:
        raise ValueError(f"dpi must be at least 300 for print, got {dpi}")
    formats = tuple(formats)
    unknown = set(formats) - {"pdf", "svg", "png"}
    if unknown:
        raise ValueError(f"formats must be among pdf, svg, png; got {sorted(unknown)}")
    out = Path(out_dir) if out_dir is not None else FIGURES_DIR
    out.mkdir(parents=True, exist_ok=True)
    if width is not None:
        w_in, h_in = fig.get_size_inches()
        fig.set_size_inches(*figure_size(width, aspect if aspect is not None else h_in / w_in))

    from ._layout import check_layout

    layout = check_layout(fig)
    if layout:
        import warnings

        warnings.warn(f"figure {name}: {len(layout)} layout problem(s): " + "; ".join(layout[:5])
                      + (" ..." if len(layout) > 5 else ""), stacklevel=2)
    paths: dict[str, Path] = {}
    # Fixed metadata keeps PDF/SVG bytes stable across reruns (no timestamps inside).
    meta = {
        "pdf": {"Creator": "bureau_rhetoric", "Producer": "matplotlib", "CreationDate": None},
        "svg": {"Creator": "bureau_rhetoric", "Date": None},
        "png": {"Software": "bureau_rhetoric"},
    }
    with matplotlib.rc_context({"svg.hashsalt": name, "svg.fonttype": "none" if editable_text else "path"}):
        for fmt in formats:
            p = out / f"{name}.{fmt}"
            fig.savefig(p, format=fmt, dpi=dpi, metadata=meta[fmt])
            if fmt == "svg":
                _stabilise_svg_ids(p)
            paths[fmt] = p
    if data is not None:
        p = out / f"{name}.csv"
        pd.DataFrame(data).to_csv(p, index=False, encoding="utf-8-sig")
        paths["csv"] = p
    w_in, h_in = fig.get_size_inches()
    record = collect_provenance(
        params=params, lexicons=lexicons,
        figure={"name": name, "width_mm": round(w_in * _MM_PER_INCH, 1),
                "height_mm": round(h_in * _MM_PER_INCH, 1), "dpi": dpi,
                "files": sorted(p.name for p in paths.values()), "editable_text": bool(editable_text),
                "layout": layout},
        **provenance,
    )
    if "csv" in paths:
        from ..lexicons import hash_file

        record["data_sha256"] = hash_file(paths["csv"])
    p = out / f"{name}.json"
    p.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    paths["json"] = p
    saved = SavedFigure(paths)
    saved.name, saved.layout = name, layout
    return saved
from ._layout import *  # noqa: E402,F401,F403
from ._corpus import *  # noqa: E402,F401,F403
from ._dating import *  # noqa: E402,F401,F403
from ._phrases import *  # noqa: E402,F401,F403
from ._topics import *  # noqa: E402,F401,F403
