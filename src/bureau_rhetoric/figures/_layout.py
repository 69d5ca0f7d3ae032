"""A layout check for exported figures: what a production editor would flag.

``check_layout(fig)`` draws the figure at its current (export) size and returns
one line per problem: text boxes that overlap, text that runs off the canvas,
text smaller than the minimum point size, a title smaller than its axis labels
or axis labels smaller than their tick labels, and tick labels written with a
hyphen where a minus sign belongs. ``save_figure`` runs it and stores the result
in the sidecar; the test suite asserts it is empty for every exported figure.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from bureau_rhetoric import figures
>>> fig, ax = figures.new_figure("single")
>>> _ = ax.plot([0, 1], [0, 1]); _ = ax.set_title("科技创新")
>>> figures.check_layout(fig)
[]
>>> _ = ax.text(0.5, 0.5, "小字 tiny", fontsize=4)
>>> figures.check_layout(fig)
["text '小字 tiny' is 4.0 pt, under the 6 pt minimum"]
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import numpy as np

__all__ = ["check_layout", "MIN_FONT_PT"]

#: Smallest type size allowed at the exported size (most journals ask for 5-7 pt; 6 is the common floor).
MIN_FONT_PT = 6.0

_HYPHEN_NUMBER = re.compile(r"(^|[\s(])-\d")


@contextmanager
def _recording_texts():
    """Record every Text actually drawn (tick labels outside the view are not drawn)."""
    from matplotlib.text import Text

    drawn: list = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    Text.draw = draw
    try:
        yield drawn
    finally:
        Text.draw = original


def _polygon(t, bb, renderer) -> np.ndarray:
    """Corners of a text's box: the window extent, or for text turned by an angle that is not a
    multiple of 90 degrees the turned rectangle (same centre as its extent, unturned size)."""
    rot = float(t.get_rotation()) % 180
    if min(rot % 90, 90 - rot % 90) < 1e-6:
        return np.array([[bb.x0, bb.y0], [bb.x1, bb.y0], [bb.x1, bb.y1], [bb.x0, bb.y1]])
    t.set_rotation(0)
    try:
        flat = t.get_window_extent(renderer)
    finally:
        t.set_rotation(rot)
    w, h = flat.width / 2, flat.height / 2
    a = np.deg2rad(rot)
    c, s = np.cos(a), np.sin(a)
    corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) @ np.array([[c, s], [-s, c]])
    return corners + [(bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2]


def _polygons_overlap(p: np.ndarray, q: np.ndarray, tol: float) -> bool:
    """Separating-axis test for two convex quadrilaterals; a gap or overlap under ``tol`` counts as none."""
    for poly in (p, q):
        for i in range(4):
            edge = poly[(i + 1) % 4] - poly[i]
            axis = np.array([-edge[1], edge[0]])
            norm = np.hypot(*axis)
            if norm == 0:
                continue
            axis /= norm
            a, b = p @ axis, q @ axis
            if min(a.max(), b.max()) - max(a.min(), b.min()) <= tol:
                return False
    return True


def _short(text: str, n: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def check_layout(fig, *, min_font: float = MIN_FONT_PT, tolerance: float = 0.5) -> list[str]:
    """Return the layout problems of a figure at its current size (empty list: none).

    Parameters
    ----------
    fig : matplotlib Figure
        Checked at its current size, i.e. call it at the exported size.
    min_font : float, default :data:`MIN_FONT_PT`
        Smallest allowed text size in points.
    tolerance : float, default 0.5
        Overlaps and overhangs up to this many points are ignored (anti-aliasing,
        glyph side bearings).

    Returns
    -------
    list of str
        One readable line per problem: overlapping text boxes (naming both
        texts), text outside the canvas, text under ``min_font``, a title smaller
        than its axis labels or axis labels smaller than their tick labels, and a
        hyphen used as a minus sign in a tick label.

    Notes
    -----
    Only text that is drawn counts (hidden tick labels, ticks outside the view and
    empty strings are skipped). Boxes are the text's window extent (the glyphs'
    bounding box, rotation included).
    """
    with _recording_texts() as drawn:
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    px_per_pt = fig.dpi / 72.0
    tol = tolerance * px_per_pt
    problems: list[str] = []
    W, H = fig.bbox.width, fig.bbox.height
    seen_small: set[str] = set()
    boxes, names, polys = [], [], []
    for t, bb in drawn:
        s = _short(t.get_text())
        size = float(t.get_fontsize())
        if size < min_font - 1e-6 and s not in seen_small:
            seen_small.add(s)
            problems.append(f"text {s!r} is {size:.1f} pt, under the {min_font:g} pt minimum")
        if bb.x0 < -tol or bb.y0 < -tol or bb.x1 > W + tol or bb.y1 > H + tol:
            problems.append(f"text {s!r} runs outside the canvas")
        boxes.append((bb.x0, bb.y0, bb.x1, bb.y1))
        names.append(s)
        polys.append(_polygon(t, bb, renderer))
    if boxes:
        b = np.asarray(boxes)
        w = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
        h = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
        hit = (w > tol) & (h > tol)
        for i, j in zip(*np.nonzero(np.triu(hit, 1))):
            # turned text: its extent is larger than the text; test the turned rectangles
            if _polygons_overlap(polys[i], polys[j], tol):
                problems.append(f"texts {names[i]!r} and {names[j]!r} overlap")
    drawn_set = {id(t) for t, _ in drawn}
    for ax in fig.get_axes():
        if not ax.get_visible():
            continue
        title = [t for t in (ax.title, ax._left_title, ax._right_title) if id(t) in drawn_set]
        labels = [t for t in (ax.xaxis.label, ax.yaxis.label) if id(t) in drawn_set]
        ticks = [t for t in ax.get_xticklabels() + ax.get_yticklabels() if id(t) in drawn_set]
        t_min = min((t.get_fontsize() for t in title), default=None)
        l_max = max((t.get_fontsize() for t in labels), default=None)
        l_min = min((t.get_fontsize() for t in labels), default=None)
        k_max = max((t.get_fontsize() for t in ticks), default=None)
        if t_min is not None and l_max is not None and t_min + 1e-6 < l_max:
            problems.append(f"title {_short(title[0].get_text())!r} ({t_min:.1f} pt) is smaller than its "
                            f"axis labels ({l_max:.1f} pt)")
        if l_min is not None and k_max is not None and l_min + 1e-6 < k_max:
            problems.append(f"axis label {_short(labels[0].get_text())!r} ({l_min:.1f} pt) is smaller than its "
                            f"tick labels ({k_max:.1f} pt)")
        for t in ticks:
            if _HYPHEN_NUMBER.search(t.get_text()):
                problems.append(f"tick label {t.get_text()!r} uses a hyphen for a minus sign")
                break
    return problems
