"""Collapse bodies pasted twice; find exact and near-duplicate documents (MinHash on character shingles).

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric.dedupe import find_duplicates
>>> body = "今年我局认真贯彻落实科技创新驱动发展战略,高新技术企业数量稳步增长,专利申请量大幅提升。" * 3
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
...                      "text": [body, body + "完", "明年工作计划:加强科普宣传,推进产学研合作,建设孵化器。"]})
>>> find_duplicates(docs)[["doc_id", "duplicate_of", "near_duplicate_group"]].values.tolist()
[['a', 'b', 'ndg-a'], ['b', None, 'ndg-a'], ['c', None, None]]
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from ._trace import Edit

__all__ = ["repeated_body_edits", "collapse_repeated_body", "minhash_signatures", "find_duplicates",
           "dedupe_keys", "link_duplicates"]

_MERSENNE = np.uint64((1 << 61) - 1)


def repeated_body_edits(text: str, *, min_lines: int = 1, min_chars: int = 200,
                        min_equal: float = 0.8, max_gap_lines: int = 2) -> list[Edit]:
    """Return the deletion of a body pasted twice at the end of a document.

    If the last ``m`` lines (``m >= min_lines``, ``>= min_chars`` characters)
    repeat the ``m`` lines before them (at least ``min_equal`` of the lines
    identical, or, when damage differs between the copies, lengths within 5 %
    and 97 % of their characters shared), with at most
    ``max_gap_lines`` lines between the copies (a repeated title), the gap and
    the second copy are deleted; the longest such ``m`` wins.
    Only plausible ``m`` are tried (offset votes of identical lines, the shortest and
    the longest copies; :func:`_candidate_lengths`), so a 100,000-line file takes
    seconds, not hours; a long copy whose every line is damaged is not found.

    Parameters
    ----------
    text : str
    min_lines, min_chars : int, default 1 and 200
    min_equal : float, default 0.8
    max_gap_lines : int, default 2

    Returns
    -------
    list of Edit
        Empty, or one deletion with reason ``repeated_body``.

    Examples
    --------
    >>> from bureau_rhetoric.dedupe import repeated_body_edits
    >>> body = "一、科技工作\\n今年科技创新成效显著。\\n明年继续努力。"
    >>> repeated_body_edits("报告\\n" + body + "\\n" + body, min_chars=10)
    [Edit(start=29, end=56, replacement='', reason='repeated_body', count=1)]
    """
    lines = text.split("\n")
    n = len(lines)
    if n < 2 * min_lines:
        return []
    cum = np.concatenate([[0], np.cumsum([len(x) for x in lines])])  # characters before line i

    def chars(i: int, j: int) -> int:  # characters in lines[i:j], without the line breaks
        return int(cum[j] - cum[i])

    for m in _candidate_lengths(lines, min_lines=min_lines, min_equal=min_equal, max_gap_lines=max_gap_lines):
        for gap in range(0, max_gap_lines + 1):
            lo = n - 2 * m - gap
            if lo < 0:
                continue
            n_second = chars(n - m, n)
            if n_second < min_chars:
                continue
            first = lines[lo:n - m - gap]
            second = lines[n - m:]
            same = sum(a == b for a, b in zip(first, second)) / m
            if same < min_equal:
                # few lines: one damaged line decides; compare characters instead (a long copy
                # must share at least half its lines: a character comparison of two unrelated
                # halves of a long file costs seconds and proves nothing)
                if m > _FEW_LINES and same < 0.5:
                    continue
                n_first = chars(lo, n - m - gap)
                if abs(n_first - n_second) > 0.05 * n_second:
                    continue
                import difflib

                if difflib.SequenceMatcher(None, "\n".join(first), "\n".join(second),
                                           autojunk=False).quick_ratio() < 0.97:
                    continue
            # delete the line break before the gap/copy and everything after it
            start = int(cum[n - m - gap]) + (n - m - gap) - 1
            return [Edit(start, len(text), "", "repeated_body")]
    return []


#: Copies of at most this many lines are always tried (a damaged line decides little there).
_FEW_LINES = 8

#: Earlier occurrences of a line remembered for the offset votes (bounds the work per line).
_VOTES_PER_LINE = 8


def _candidate_lengths(lines: list[str], *, min_lines: int, min_equal: float, max_gap_lines: int) -> list[int]:
    """Copy lengths ``m`` worth checking, longest first: near-linear in the number of lines.

    A second copy of the last ``m`` lines sits at offset ``d = m + gap`` from the first;
    every identical line pair in the tail votes for its offset (each line remembers its
    last few occurrences, so repeated lines cost a bounded amount). Offsets with enough
    votes to reach ``min_equal``, the shortest copies (up to :data:`_FEW_LINES` lines, where
    one damaged line can sink the share) and the longest possible ones are checked; each
    check is linear in ``m`` and the voted ones are bounded by the votes, so the whole
    search stays near-linear instead of trying every ``m`` (cubic with the comparisons).
    """
    from collections import defaultdict, deque

    n = len(lines)
    half = n // 2
    recent: dict[str, deque] = defaultdict(lambda: deque(maxlen=_VOTES_PER_LINE))
    votes: dict[int, int] = defaultdict(int)
    tail_from = n - half
    for i, ln in enumerate(lines):
        prev = recent[ln]
        if i >= tail_from:
            for j in prev:
                votes[i - j] += 1
        prev.append(i)
    cands = set(range(min_lines, min(half, _FEW_LINES) + 1))
    cands |= {m for m in range(max(min_lines, half - max_gap_lines), half + 1)}
    for d, v in votes.items():
        for gap in range(0, max_gap_lines + 1):
            m = d - gap
            if min_lines <= m <= half and v >= 0.5 * min_equal * m:
                cands.add(m)
    return sorted(cands, reverse=True)


def collapse_repeated_body(text: str) -> str:
    """Delete a second copy of the body pasted at the end; see :func:`repeated_body_edits`.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from bureau_rhetoric.dedupe import collapse_repeated_body
    >>> body = "科技创新成效显著,高新技术企业增加。" * 5
    >>> collapse_repeated_body("\\n".join([body] * 6)) == "\\n".join([body] * 3)
    True
    """
    edits = repeated_body_edits(text)
    return text[:edits[0].start] if edits else text


def _shingle_hashes(text: str, k: int) -> np.ndarray:
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    cps = cps[cps > 0x2000]  # drop ASCII/space/punctuation-ish noise: compare Chinese content
    if len(cps) < k:  # too short for one shingle: the whole text is its only shingle (stable hash)
        return np.array([int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:4], "little")],
                        dtype=np.uint64)
    h = np.zeros(len(cps) - k + 1, dtype=np.uint64)
    for i in range(k):
        h = h * np.uint64(1000003) + cps[i:len(cps) - k + 1 + i]
    return np.unique(h & np.uint64(0xFFFFFFFF))


def minhash_signatures(texts, *, num_perm: int = 64, k: int = 5, seed: int = 1) -> np.ndarray:
    """Return MinHash signatures of character ``k``-shingles, one row per text.

    Parameters
    ----------
    texts : iterable of str
    num_perm : int, default 64
    k : int, default 5
    seed : int, default 1
        Seeds the hash permutations; same seed, same signatures.

    Returns
    -------
    numpy.ndarray of shape (n_texts, num_perm)

    Examples
    --------
    >>> from bureau_rhetoric.dedupe import minhash_signatures
    >>> s = minhash_signatures(["科技创新驱动发展", "科技创新驱动发展", "文物保护工作"])
    >>> bool((s[0] == s[1]).all()), bool((s[0] == s[2]).mean() < 0.5)
    (True, True)
    """
    return _signatures((_shingle_hashes(t, k) for t in texts), num_perm=num_perm, seed=seed)


def _signatures(shingle_sets, *, num_perm: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    rows = []
    for h in shingle_sets:
        # (a*h + b) mod p with h < 2**32 and a < 2**61 may overflow uint64; wrap is fine for hashing
        v = (np.outer(h, a) + b) % _MERSENNE
        rows.append(v.min(axis=0))
    return np.vstack(rows) if rows else np.zeros((0, num_perm), dtype=np.uint64)


def dedupe_keys(doc_ids, texts, *, num_perm: int = 64, k: int = 5, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Everything duplicate detection needs to know of a batch of documents, without their texts.

    Computed per partition (in parallel, or on a cluster) and concatenated in
    document order before :func:`link_duplicates`: about 600 bytes per document.

    Parameters
    ----------
    doc_ids, texts : sequences of str
    num_perm, k, seed : int
        MinHash size, shingle length, hash seed (as :func:`minhash_signatures`).

    Returns
    -------
    tuple of (DataFrame, numpy.ndarray)
        ``doc_id``, ``sha1`` (of the text), ``n_text`` (characters), ``n_shingles``;
        and the MinHash signatures, one row per document.

    Examples
    --------
    >>> from bureau_rhetoric.dedupe import dedupe_keys
    >>> keys, sig = dedupe_keys(["a", "b"], ["科技创新驱动发展", "科技创新驱动发展"])
    >>> keys[["doc_id", "n_text", "n_shingles"]].values.tolist(), sig.shape
    ([['a', 8, 4], ['b', 8, 4]], (2, 64))
    """
    texts = list(texts)
    shingles = [_shingle_hashes(t, k) for t in texts]  # once, for the sizes and the signatures
    keys = pd.DataFrame({
        "doc_id": list(doc_ids),
        "sha1": [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts],
        "n_text": np.array([len(t) for t in texts], dtype="int64"),
        "n_shingles": np.array([len(h) for h in shingles], dtype="int64"),
    })
    return keys, _signatures(shingles, num_perm=num_perm, seed=seed)


def link_duplicates(keys: pd.DataFrame, sig: np.ndarray, shingles_of, *, threshold: float = 0.9,
                    bands: int = 16, all_pairs_up_to: int = 300) -> pd.DataFrame:
    """Group exact and near-duplicate documents from their keys; texts are fetched only for candidates.

    Exact duplicates share ``sha1``. Up to ``all_pairs_up_to`` documents every
    pair whose MinHash estimate of containment comes near ``threshold`` is a
    candidate; above, LSH with ``bands`` bands proposes candidates (sub-quadratic:
    each band is one pass of hashing). Candidates are confirmed by exact
    containment of character 5-shingles (shared / shingles of the shorter text).
    Groups are not transitive closures: taking documents longest first, a
    document is a copy of the kept document it overlaps most (containment >=
    ``threshold``), never of another copy, so every copy resembles its kept
    document directly (on a large corpus, closures chain unrelated documents).

    Parameters
    ----------
    keys : DataFrame
        From :func:`dedupe_keys`, in document order.
    sig : numpy.ndarray
        MinHash signatures, one row per row of ``keys``.
    shingles_of : callable
        ``shingles_of(list_of_row_positions) -> {position: shingle hashes}``
        (``_shingle_hashes(text, 5)``); on a large corpus it reads only those texts.
    threshold : float, default 0.9
    bands, all_pairs_up_to : int, default 16 and 300

    Returns
    -------
    DataFrame
        ``doc_id``, ``duplicate_of``, ``near_duplicate_group``, ``duplicate_similarity``,
        in the order of ``keys``.
    """
    n = len(keys)
    ids = keys["doc_id"].tolist()
    lengths = keys["n_text"].to_numpy()
    sizes = keys["n_shingles"].to_numpy()
    # exact copies collapse onto their first occurrence; near-duplicates are judged between those
    rep = list(range(n))
    first: dict[str, int] = {}
    for i, h in enumerate(keys["sha1"]):
        rep[i] = first.setdefault(h, i)
    reps = [i for i in range(n) if rep[i] == i]
    num_perm = sig.shape[1] if n else 0
    rows = num_perm // bands if n else 0
    candidates = set()
    if 0 < len(reps) <= all_pairs_up_to:  # small corpora: every pair (a truncated copy has low Jaccard)
        # keep pairs whose MinHash estimate of containment is anywhere near the threshold
        r = np.asarray(reps)
        jac = (sig[r][:, None, :] == sig[r][None, :, :]).mean(axis=2)
        sz = sizes[r].astype(float)
        est = jac / (1 + jac) * (sz[:, None] + sz[None, :]) / np.maximum(1, np.minimum.outer(sz, sz))
        ii, jj = np.nonzero(np.triu(est >= threshold - 0.3, k=1))
        candidates = set(zip(r[ii].tolist(), r[jj].tolist()))
    for bnd in range(bands if len(reps) > all_pairs_up_to else 0):
        buckets: dict[bytes, list[int]] = {}
        block = np.ascontiguousarray(sig[:, bnd * rows:(bnd + 1) * rows])
        for i in reps:
            buckets.setdefault(block[i].tobytes(), []).append(i)
        for members in buckets.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    candidates.add((members[x], members[y]))

    if candidates and len(reps) > all_pairs_up_to:
        # LSH buckets also hold pairs that share a band by chance: keep those whose MinHash
        # estimate of containment comes near the threshold before reading texts
        pairs = np.array(sorted(candidates), dtype=np.int64)
        keep = np.zeros(len(pairs), dtype=bool)
        sz = sizes.astype(float)
        for a in range(0, len(pairs), 65536):
            i, j = pairs[a:a + 65536, 0], pairs[a:a + 65536, 1]
            jac = (sig[i] == sig[j]).mean(axis=1)
            est = jac / (1 + jac) * (sz[i] + sz[j]) / np.maximum(1, np.minimum(sz[i], sz[j]))
            keep[a:a + 65536] = est >= threshold - 0.3
        candidates = set(map(tuple, pairs[keep].tolist()))
    shingles = shingles_of(sorted({i for pair in candidates for i in pair})) if candidates else {}
    neighbours: dict[int, list[tuple[float, int]]] = {}
    for i, j in sorted(candidates):
        # exact on the candidate pair (MinHash only proposes pairs)
        inter = len(np.intersect1d(shingles[i], shingles[j], assume_unique=True))
        c = inter / max(1, min(sizes[i], sizes[j]))
        if c >= threshold:
            neighbours.setdefault(i, []).append((c, j))
            neighbours.setdefault(j, []).append((c, i))
    # longest first: a document becomes a copy of an already kept document it is itself contained
    # in or contains (never of another copy: no chains A~B~C with C unlike A)
    order = sorted(reps, key=lambda i: (-lengths[i], i))
    rank = {i: k for k, i in enumerate(order)}
    dup_of: list = [None] * n
    sim = np.full(n, np.nan)
    kept: set[int] = set()
    for i in order:
        best = max(((c, -rank[j], j) for c, j in neighbours.get(i, ()) if j in kept), default=None)
        if best is None:
            kept.add(i)
        else:
            dup_of[i], sim[i] = best[2], round(best[0], 3)
    for i in range(n):
        r = rep[i]
        if r != i:  # an exact copy of r: r's representative if r is a copy, else r itself
            dup_of[i], sim[i] = (r, 1.0) if dup_of[r] is None else (dup_of[r], sim[r])
    members: dict[int, list[int]] = {}
    for i in range(n):
        if dup_of[i] is not None:
            members.setdefault(dup_of[i], []).append(i)
    group: list = [None] * n
    for keep, copies in members.items():
        name = "ndg-" + ids[min([keep] + copies)]
        sim[keep] = 1.0
        for i in [keep] + copies:
            group[i] = name
    return pd.DataFrame({"doc_id": ids, "duplicate_of": pd.Series([None if d is None else ids[d] for d in dup_of],
                                                                   dtype=object),
                         "near_duplicate_group": pd.Series(group, dtype=object),
                         "duplicate_similarity": sim.astype(float)})


def find_duplicates(docs: pd.DataFrame, *, threshold: float = 0.9, num_perm: int = 64,
                    bands: int = 16, seed: int = 1, all_pairs_up_to: int = 300) -> pd.DataFrame:
    """Mark exact and near-duplicate documents.

    Exact duplicates share the SHA-1 of their text. Near duplicates have an
    containment (shared character 5-shingles / shingles of the shorter
    text, computed exactly for each candidate pair) >= ``threshold``: a
    truncated copy is still a copy. Up to ``all_pairs_up_to`` documents every
    pair is compared; above, LSH with ``bands`` bands proposes the pairs (then a
    copy that keeps under about half of the original can be missed). In each group the longest text is kept
    (a copy is often truncated); the others get ``duplicate_of`` = its doc_id.
    ``near_duplicate_group`` is ``"ndg-"`` + the first doc_id of the group.
    The same steps run partition by partition on a large corpus
    (:func:`dedupe_keys`, then :func:`link_duplicates`), with the same result.

    Parameters
    ----------
    docs : DataFrame
        With ``doc_id`` and ``text``.
    threshold : float, default 0.9
    num_perm, bands, seed : int
        MinHash size, LSH bands, hash seed.
    all_pairs_up_to : int, default 300

    Returns
    -------
    DataFrame
        ``docs`` with ``duplicate_of``, ``near_duplicate_group`` and
        ``duplicate_similarity`` (estimated containment in the kept document).
    """
    out = docs.copy()
    texts = out["text"].tolist()
    keys, sig = dedupe_keys(out["doc_id"].tolist(), texts, num_perm=num_perm, seed=seed)
    links = link_duplicates(keys, sig, lambda pos: {i: _shingle_hashes(texts[i], 5) for i in pos},
                            threshold=threshold, bands=bands, all_pairs_up_to=all_pairs_up_to)
    for col in ("duplicate_of", "near_duplicate_group", "duplicate_similarity"):
        out[col] = links[col].to_numpy()
    out["duplicate_of"] = out["duplicate_of"].astype(object)
    out["near_duplicate_group"] = out["near_duplicate_group"].astype(object)
    return out
