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

__all__ = ["repeated_body_edits", "collapse_repeated_body", "minhash_signatures", "find_duplicates"]

_MERSENNE = np.uint64((1 << 61) - 1)


def repeated_body_edits(text: str, *, min_lines: int = 3, min_chars: int = 200) -> list[Edit]:
    """Return the deletion of a body pasted twice at the end of a document.

    If the last ``m`` lines repeat the ``m`` lines just before them exactly
    (``m >= min_lines``, ``>= min_chars`` characters), the second copy is deleted.

    Parameters
    ----------
    text : str
    min_lines, min_chars : int, default 3 and 200

    Returns
    -------
    list of Edit
        Empty, or one deletion with reason ``repeated_body``.

    Examples
    --------
    >>> from bureau_rhetoric.dedupe import repeated_body_edits
    >>> body = "一、科技工作\\n今年科技创新成效显著。\\n明年继续努力。"
    >>> repeated_body_edits("报告\\n" + body + "\\n" + body, min_chars=10)
    [Edit(start=29, end=56, replacement='', reason='repeated_body')]
    """
    lines = text.split("\n")
    n = len(lines)
    for m in range(n // 2, min_lines - 1, -1):
        if lines[n - m:] == lines[n - 2 * m:n - m]:
            second = "\n".join(lines[n - m:])
            if len(second) < min_chars:
                return []
            start = len(text) - len(second) - 1  # include the line break before the copy
            return [Edit(start, len(text), "", "repeated_body")]
    return []


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
    if len(cps) < k:
        return np.array([hash(text) & 0xFFFFFFFF], dtype=np.uint64)
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
    rng = np.random.default_rng(seed)
    a = rng.integers(1, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
    rows = []
    for t in texts:
        h = _shingle_hashes(t, k)
        # (a*h + b) mod p with h < 2**32 and a < 2**61 may overflow uint64; wrap is fine for hashing
        v = (np.outer(h, a) + b) % _MERSENNE
        rows.append(v.min(axis=0))
    return np.vstack(rows) if rows else np.zeros((0, num_perm), dtype=np.uint64)


def find_duplicates(docs: pd.DataFrame, *, threshold: float = 0.9, num_perm: int = 64,
                    bands: int = 16, seed: int = 1) -> pd.DataFrame:
    """Mark exact and near-duplicate documents.

    Exact duplicates share the SHA-1 of their text. Near duplicates have an
    containment (shared character 5-shingles / shingles of the shorter
    text, computed exactly for each candidate pair) >= ``threshold``: a
    truncated copy is still a copy. Up to 2,000 documents every pair is
    compared; above, LSH with ``bands`` bands proposes the pairs. In each group the longest text is kept
    (a copy is often truncated); the others get ``duplicate_of`` = its doc_id.
    ``near_duplicate_group`` is ``"ndg-"`` + the first doc_id of the group.

    Parameters
    ----------
    docs : DataFrame
        With ``doc_id`` and ``text``.
    threshold : float, default 0.9
    num_perm, bands, seed : int
        MinHash size, LSH bands, hash seed.

    Returns
    -------
    DataFrame
        ``docs`` with ``duplicate_of``, ``near_duplicate_group`` and
        ``duplicate_similarity`` (estimated containment in the kept document).
    """
    out = docs.copy()
    n = len(out)
    ids = out["doc_id"].tolist()
    texts = out["text"].tolist()
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    by_hash: dict[str, int] = {}
    for i, t in enumerate(texts):
        h = hashlib.sha1(t.encode("utf-8")).hexdigest()
        if h in by_hash:
            union(by_hash[h], i)
        else:
            by_hash[h] = i
    sig = minhash_signatures(texts, num_perm=num_perm, seed=seed)
    shingles = [_shingle_hashes(t, 5) for t in texts]
    sizes = [len(x) for x in shingles]
    rows = num_perm // bands
    candidates = set()
    if n <= 2000:  # small corpora: compare every pair (a truncated copy has low Jaccard)
        candidates = {(i, j) for i in range(n) for j in range(i + 1, n)}
    for bnd in range(bands if n > 2000 else 0):
        buckets: dict[bytes, list[int]] = {}
        for i in range(n):
            buckets.setdefault(sig[i, bnd * rows:(bnd + 1) * rows].tobytes(), []).append(i)
        for members in buckets.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    candidates.add((members[x], members[y]))
    def containment(i, j):
        # exact on the candidate pair (MinHash only proposes pairs)
        inter = len(np.intersect1d(shingles[i], shingles[j], assume_unique=True))
        return inter / max(1, min(sizes[i], sizes[j]))

    for i, j in sorted(candidates):
        if containment(i, j) >= threshold:
            union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    dup_of = [None] * n
    group = [None] * n
    sim = [np.nan] * n
    for members in groups.values():
        if len(members) < 2:
            continue
        keep = max(members, key=lambda i: (len(texts[i]), -i))
        name = "ndg-" + ids[min(members)]
        for i in members:
            group[i] = name
            sim[i] = round(float(containment(i, keep)) if i != keep else 1.0, 3)
            if i != keep:
                dup_of[i] = ids[keep]
    out["duplicate_of"] = pd.Series(dup_of, index=out.index, dtype=object)
    out["near_duplicate_group"] = pd.Series(group, index=out.index, dtype=object)
    out["duplicate_similarity"] = sim
    return out
