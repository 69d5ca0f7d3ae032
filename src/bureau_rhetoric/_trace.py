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
    """Replace ``text[start:end]`` with ``replacement``; ``reason`` is the kind of change.

    ``count`` is how many changes of that kind the edit bundles (high-volume
    mechanical repairs, pinyin and script, are recorded one row per line).
    """

    start: int
    end: int
    replacement: str
    reason: str
    count: int = 1


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
        """Apply non-overlapping edits (any order); return one audit row per edit.

        A deletion whose characters come from separate parts of the source
        (earlier removals in between) gives one row per contiguous part, so
        removed spans never overlap. A one-for-one replacement (same length)
        keeps each character's own source span.
        """
        if not edits:
            return []
        edits = sorted(edits, key=lambda e: (e.start, e.end))
        t = self.text
        n = len(t)
        starts_l = [e.start for e in edits]
        ends_l = [e.end for e in edits]
        reps = [e.replacement for e in edits]
        starts = np.array(starts_l, dtype=np.int64)
        ends = np.array(ends_l, dtype=np.int64)
        lens = np.array([len(r) for r in reps], dtype=np.int64)
        if (ends < starts).any() or (starts[1:] < ends[:-1]).any() or ends[-1] > n or starts[0] < 0:
            raise ValueError(f"overlapping or out-of-range edits in stage {stage!r}")
        # source span of each edit
        nonempty = ends > starts
        s0 = np.empty(len(edits), dtype=np.int64)
        s1 = np.empty(len(edits), dtype=np.int64)
        last = int(self.src_end[-1]) if n else 0
        s0[nonempty] = self.src_start[starts[nonempty]]
        s1[nonempty] = self.src_end[ends[nonempty] - 1]
        if (~nonempty).any():
            z = starts[~nonempty]
            pos = np.where(z < n, self.src_start[np.minimum(z, max(n - 1, 0))] if n else 0, last)
            s0[~nonempty] = pos
            s1[~nonempty] = pos
        if (lens == ends - starts).all():  # one-for-one only (script, width): spans stay as they are
            new_start, new_end = self.src_start, self.src_end
        else:
            new_start, new_end = self._respan(starts, ends, lens, s0, s1, n)
        # audit rows (before the arrays change)
        rows: list[dict] = []
        simple = (((s1 - s0) == (ends - starts)) | (lens > 0) | (ends == starts)).tolist()
        s0_l, s1_l = s0.tolist(), s1.tolist()
        for k, e in enumerate(edits):
            if simple[k]:
                rows.append({"start": s0_l[k], "end": s1_l[k], "original": t[e.start:e.end],
                             "replacement": e.replacement, "reason": e.reason, "stage": stage,
                             "n_changes": e.count})
            else:
                for a, b, p0, p1 in self.source_pieces(e.start, e.end):
                    rows.append({"start": p0, "end": p1, "original": t[a:b], "replacement": "",
                                 "reason": e.reason, "stage": stage, "n_changes": e.count})
        bounds = [0, *ends_l]
        keeps = [t[p:q] for p, q in zip(bounds, starts_l)]
        parts = [x for pair in zip(keeps, reps) for x in pair]
        parts.append(t[ends_l[-1]:])
        self.text = "".join(parts)
        self.src_start = new_start
        self.src_end = new_end
        return rows

    def _respan(self, starts, ends, lens, s0, s1, n):
        """Per-character source spans after the edits: kept characters shift, replacements get theirs."""
        delta = np.bincount(starts, minlength=n + 1) - np.bincount(ends, minlength=n + 1)
        kept = np.nonzero(np.cumsum(delta)[:n] == 0)[0]
        total = int(lens.sum())
        owner = np.repeat(np.arange(len(starts)), lens)
        offset = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
        one_for_one = (lens == ends - starts)[owner]
        idx = np.minimum(starts[owner] + offset, max(n - 1, 0))
        rep_start = np.where(one_for_one, self.src_start[idx] if n else 0, s0[owner])
        rep_end = np.where(one_for_one, self.src_end[idx] if n else 0, s1[owner])
        # new positions without sorting: each kept segment / replacement moves by the
        # net length change of the edits before it
        net = lens - (ends - starts)
        shift_before = np.concatenate([[0], np.cumsum(net)])  # shift before edit j (j = 0..k)
        seg_len = np.diff(np.concatenate([[0], ends])) - (ends - starts)  # kept chars before edit j
        seg_len = np.append(seg_len, n - ends[-1])
        kept_new = kept + np.repeat(shift_before, seg_len)
        rep_new = np.repeat(starts + shift_before[:-1], lens) + offset
        size = n + int(net.sum())
        new_start = np.empty(size, dtype=np.int64)
        new_end = np.empty(size, dtype=np.int64)
        new_start[kept_new] = self.src_start[kept]
        new_end[kept_new] = self.src_end[kept]
        new_start[rep_new] = rep_start
        new_end[rep_new] = rep_end
        return new_start, new_end

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
        breaks = breaks[~same[breaks - 1]]
        bounds = [0, *breaks.tolist(), b - a]
        out = []
        for i, j in zip(bounds[:-1], bounds[1:]):
            out.append((a + i, a + j, int(st[i]), int(en[j - 1])))
        return out
