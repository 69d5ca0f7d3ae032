"""Keep a term or phrase match only where it starts and ends on a word boundary.

Matching a lexicon by substring finds 新发展理念 (2015) inside 创新发展理念 (a 2013
report about the idea of innovation-led development) and 高企 (高新技术企业) inside
提高企业. A hit is rejected when the words around it say it is cut out of other
words: under jieba's unigram model (its general dictionary, word frequencies as
probabilities), the best segmentation of the Chinese-character run around the hit
is compared with the best segmentation that has word boundaries at both ends of
the hit. If the unconstrained reading is more than :data:`MAX_RATIO` (1000) times
likelier, the hit is rejected: 创新发展理念 reads 创新 | 发展 | 理念 about 1,600 times
likelier than 创 | 新发展理念 (rejected); 贯彻新发展理念 costs nothing (kept); 全面实施
创新驱动发展战略 costs a factor 1.8 (kept: 全面实施 is a word, but so are 全面 and 实施).

The threshold is a round factor chosen before looking at any corpus, not fitted:
a factor of 1000 rejects only readings that jieba's own statistics make clearly
wrong, and keeps compound nouns where both readings are plausible (科普知识,
知识产权局). ``scripts/heldout_check.py`` reports the share of substring hits
rejected on the seeds and on the held-out reports, with examples.

The check uses jieba's own dictionary, deliberately without the project's domain
dictionary: that dictionary holds the lexicon terms themselves and would make any
hit look like a word. An end next to a non-Chinese character (a digit, a quote mark,
the start of the text) is always a boundary.

:func:`accept_match` is what :mod:`dating` (dated terms) and :mod:`phrases` (phrase
counts) call; :func:`substring_hit_table` lists every substring hit of both lexicons
with the decision.

Examples
--------
>>> from bureau_rhetoric.boundaries import accept_match
>>> docs = ["坚持创新发展理念", "贯彻新发展理念", "以新发展理念引领"]
>>> [accept_match(d, d.index("新发展理念"), d.index("新发展理念") + 5) for d in docs]
[False, True, True]
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

__all__ = ["accept_match", "boundary_cost", "substring_hit_table", "WINDOW", "MAX_RATIO"]

#: Chinese characters of context on each side that the segmenter sees.
WINDOW = 8
#: A hit is rejected when the text is more than this many times likelier read across its ends.
MAX_RATIO = 1000.0
_MAX_WORD = 16


def _han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


@lru_cache(maxsize=1)
def _model() -> tuple[dict, float]:
    """jieba's general dictionary: word -> frequency (0 for prefixes only), and log of the total."""
    from .tokens import general_jieba_tokenizer

    jt = general_jieba_tokenizer()  # a fresh instance: jieba's default tokenizer is never touched
    return jt.FREQ, math.log(jt.total)


def _best_logprob(w: str, forced: tuple[int, ...] = ()) -> float:
    """Log-probability of the best segmentation of ``w`` with no word across a ``forced`` offset."""
    freq, log_total = _model()
    n = len(w)
    neg = -math.inf
    dp = [neg] * (n + 1)
    dp[0] = 0.0
    for i in range(n):
        if dp[i] == neg:
            continue
        for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
            if any(i < f < j for f in forced):
                break
            f = freq.get(w[i:j])
            if j == i + 1:
                lp = math.log(f or 1) - log_total  # jieba's own floor for unknown characters
            elif f is None:
                break  # not even a prefix of a dictionary word
            elif f == 0:
                continue
            else:
                lp = math.log(f) - log_total
            if dp[i] + lp > dp[j]:
                dp[j] = dp[i] + lp
    return dp[n]


@lru_cache(maxsize=65536)
def _cost(window: str, forced: tuple[int, ...]) -> float:
    return _best_logprob(window) - _best_logprob(window, forced)


def boundary_cost(text: str, start: int, end: int, *, window: int = WINDOW) -> float:
    """Return how much likelier (log, nats) the text around ``text[start:end]`` reads across its ends.

    Parameters
    ----------
    text : str
    start, end : int
        The match (``end`` exclusive).
    window : int, default :data:`WINDOW`
        Chinese characters on each side given to the segmenter.

    Returns
    -------
    float
        0 when the best reading already has boundaries at both ends.

    Examples
    --------
    >>> from bureau_rhetoric.boundaries import boundary_cost
    >>> round(boundary_cost("坚持创新发展理念", 3, 8), 1), boundary_cost("贯彻新发展理念", 2, 7)
    (7.4, 0.0)
    """
    n = len(text)
    need_start = 0 < start < n and _han(text[start - 1]) and _han(text[start])
    need_end = 0 < end < n and _han(text[end - 1]) and _han(text[end])
    if not (need_start or need_end):
        return 0.0
    a = start
    while a > 0 and start - a < window and _han(text[a - 1]):
        a -= 1
    b = end
    while b < n and b - end < window and _han(text[b]):
        b += 1
    cost = 0.0
    if need_start:  # the hit's own non-Chinese characters (中国制造2025) end the window
        k = start
        while k < end and _han(text[k]):
            k += 1
        cost += _cost(text[a:k], (start - a,))
    if need_end:
        k = end
        while k > start and _han(text[k - 1]):
            k -= 1
        cost += _cost(text[k:b], (end - k,))
    return cost


def accept_match(text: str, start: int, end: int, *, window: int = WINDOW, max_ratio: float = MAX_RATIO) -> bool:
    """Return True unless ``text[start:end]`` is cut out of other words (see the module docstring).

    Parameters
    ----------
    text : str
    start, end : int
        The match (``end`` exclusive).
    window : int, default :data:`WINDOW`
    max_ratio : float, default :data:`MAX_RATIO`
        Reject when the reading across the hit's ends is more than this many times likelier.

    Returns
    -------
    bool

    Examples
    --------
    >>> from bureau_rhetoric.boundaries import accept_match
    >>> docs = ["提高企业效益", "“新发展理念”", "推进双创工作"]
    >>> accept_match(docs[0], 1, 3), accept_match(docs[1], 1, 6), accept_match(docs[2], 2, 4)
    (False, True, True)
    """
    return boundary_cost(text, start, end, window=window) <= math.log(max_ratio)


def substring_hit_table(texts, *, phrases_lexicon=None) -> pd.DataFrame:
    """List every substring hit of the dated terms and the phrases, with the boundary decision.

    Parameters
    ----------
    texts : iterable of str
    phrases_lexicon : optional
        Phrase lexicon for :func:`phrases.read_phrases` (default the shipped one).

    Returns
    -------
    DataFrame
        ``kind`` (``"dated_terms"`` or ``"phrases"``), ``doc``, ``form``, ``start``,
        ``kept`` (bool) and ``context`` (the hit in brackets with 6 characters each side).

    Examples
    --------
    >>> from bureau_rhetoric.boundaries import substring_hit_table
    >>> t = substring_hit_table(["坚持创新发展理念", "贯彻新发展理念", "推进双创工作"])
    >>> t.loc[t["kind"] == "dated_terms", ["form", "kept"]].values.tolist()
    [['新发展理念', False], ['新发展理念', True], ['双创', True]]
    """
    from .dating import _lexicons
    from .phrases import _matcher, normalize_text, read_phrases

    term_re = _lexicons()["term_re"]
    phrase_re, _ = _matcher(read_phrases(phrases_lexicon))
    rows = []
    for d, text in enumerate(texts):
        text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
        for kind, rx, t in (("dated_terms", term_re, text), ("phrases", phrase_re, normalize_text(text))):
            for m in rx.finditer(t):
                s, e = m.span()
                rows.append({"kind": kind, "doc": d, "form": m.group(0), "start": s,
                             "kept": accept_match(t, s, e),
                             "context": t[max(0, s - 6):s] + "[" + m.group(0) + "]" + t[e:e + 6]})
    return pd.DataFrame(rows, columns=["kind", "doc", "form", "start", "kept", "context"])
