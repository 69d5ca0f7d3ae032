"""Text that remembers where each character came from in the decoded source.

Every repair stage returns *edits* ``(start, end, replacement, reason)`` in the
coordinates of the text it was given. :class:`TracedText` applies them and keeps,
for every character of the current text, the span ``[src_start, src_end)`` of the
decoded source it derives from. That is what lets ``audit.parquet`` give source
offsets for a change made after other changes had already moved the text, and
lets document spans and removed spans tile the decoded source exactly.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement``; ``reason`` is the kind of change."""

    start: int
    end: int
    replacement: str
    reason: str


class TracedText:
    """A text plus, per character, the source span it derives from."""

    def __init__(self, source: str):
        self.source = source
        self.text = source
        n = len(source)
        self.src_start = np.arange(n, dtype=np.int64)
        self.src_end = np.arange(1, n + 1, dtype=np.int64)

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Return the source span of ``text[a:b]`` (``a < b``), or a zero-width one."""
        if b > a:
            return int(self.src_start[a]), int(self.src_end[b - 1])
        if a < len(self.text):
            p = int(self.src_start[a])
        elif len(self.text):
            p = int(self.src_end[-1])
        else:
            p = 0
        return p, p

    def apply(self, edits: list[Edit], stage: str) -> list[dict]:
        """Apply non-overlapping edits (any order); return one audit row per edit."""
        if not edits:
            return []
        edits = sorted(edits, key=lambda e: (e.start, e.end))
        rows: list[dict] = []
        parts: list[str] = []
        starts: list[np.ndarray] = []
        ends: list[np.ndarray] = []
        pos = 0
        t = self.text
        for e in edits:
            if e.start < pos or e.end < e.start or e.end > len(t):
                raise ValueError(f"overlapping or out-of-range edit {e!r} in stage {stage!r}")
            parts.append(t[pos:e.start])
            starts.append(self.src_start[pos:e.start])
            ends.append(self.src_end[pos:e.start])
            s0, s1 = self.source_span(e.start, e.end)
            m = len(e.replacement)
            parts.append(e.replacement)
            if m == e.end - e.start:  # one-for-one (script, width): keep per-character spans
                starts.append(self.src_start[e.start:e.end])
                ends.append(self.src_end[e.start:e.end])
            else:
                starts.append(np.full(m, s0, dtype=np.int64))
                ends.append(np.full(m, s1, dtype=np.int64))
            if e.replacement or e.end == e.start:
                rows.append({"start": s0, "end": s1, "original": t[e.start:e.end],
                             "replacement": e.replacement, "reason": e.reason, "stage": stage})
            else:  # a deletion: one row per source-contiguous piece, so removed spans never overlap
                for a, b, p0, p1 in self.source_pieces(e.start, e.end):
                    rows.append({"start": p0, "end": p1, "original": t[a:b], "replacement": "",
                                 "reason": e.reason, "stage": stage})
            pos = e.end
        parts.append(t[pos:])
        starts.append(self.src_start[pos:])
        ends.append(self.src_end[pos:])
        self.text = "".join(parts)
        self.src_start = np.concatenate(starts)
        self.src_end = np.concatenate(ends)
        return rows

    def source_pieces(self, a: int, b: int) -> list[tuple[int, int, int, int]]:
        """Split ``text[a:b]`` into runs whose source spans are contiguous.

        Returns ``(a_i, b_i, src_start_i, src_end_i)`` per run.
        """
        if b <= a:
            return []
        st = self.src_start[a:b]
        en = self.src_end[a:b]
        breaks = np.nonzero(st[1:] != en[:-1])[0] + 1
        # characters sharing one replacement span also count as contiguous
        same = (st[1:] == st[:-1]) & (en[1:] == en[:-1])
        breaks = np.array([k for k in breaks if not same[k - 1]], dtype=np.int64)
        bounds = [0, *breaks.tolist(), b - a]
        out = []
        for i, j in zip(bounds[:-1], bounds[1:]):
            out.append((a + i, a + j, int(st[i]), int(en[j - 1])))
        return out
