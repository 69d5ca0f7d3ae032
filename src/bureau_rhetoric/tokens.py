"""Segment documents into words: jieba's segmentation, done by rjieba, cached on disk.

jieba is the reference segmenter. ``rjieba`` (a Rust port of jieba with a Python
binding) gives the same tokens about 10-15 times faster on one core. The two agree
token for token on runs of Chinese characters, with the domain dictionary loaded
and the HMM for unknown words on (tested on the seed reports). They do *not* agree
on ASCII material: jieba's HMM splits ``www.example.com``, ``2014-2015`` and
``x.x%`` at ``.``, ``-`` and ``_``, rjieba keeps them whole. So the tokenizer feeds
the segmenter only maximal runs of Chinese characters (U+4E00..U+9FD5, jieba's own
definition of a Han character) and drops everything else (Latin letters, digits,
punctuation). On that input the tokens are jieba's tokens. Terms that contain
digits or Latin letters (中国制造2025, 互联网+) are counted by ``phrases``, which
matches on the text, not on tokens.

The :class:`Tokenizer` owns its ``rjieba.Jieba`` instance and dictionary: it
never touches ``jieba.dt`` (jieba's global default tokenizer) or rjieba's module
default, so loading the domain dictionary does not leak into a user's other code.

:func:`tokenize_docs` segments a corpus table in threads over documents (rjieba
releases the GIL while it segments; results identical to a serial run, in input
order) and caches each document's tokens on
disk under a key made of the SHA-256 of its text, of the dictionary, of the
stopwords and of the options. A rerun on an unchanged corpus reads the cache; a
changed document is recomputed alone; a changed dictionary or stopword list
recomputes everything.

Examples
--------
>>> import pandas as pd
>>> from bureau_rhetoric.tokens import Tokenizer, tokenize_docs
>>> tok = Tokenizer()
>>> tok.cut("我市科技特派员深入基层，推动大众创业万众创新。")
['科技特派员', '深入基层', '推动', '大众创业万众创新']
>>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"],
...                      "text": ["建设众创空间和星创天地。",
...                               "实施创新驱动发展战略。\\n培育高新技术企业。",
...                               "加强党风廉政建设。"]})
>>> toks = tokenize_docs(docs, cache_dir=False, n_jobs=1)
>>> toks["tokens"].tolist()
[['建设', '众创空间', '星创天地'], ['实施', '创新驱动发展战略', '培育', '高新技术企业'], ['党风廉政建设']]
>>> sorted(toks.attrs["lexicons"])
['domain_dict.txt', 'stopwords.txt']
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from itertools import chain, filterfalse
from pathlib import Path
from typing import Iterable

import pandas as pd

from .lexicons import hash_file, lexicon_path

__all__ = [
    "Tokenizer",
    "tokenize_docs",
    "read_dictionary",
    "read_stopwords",
    "build_jieba_tokenizer",
    "general_jieba_tokenizer",
    "split_paragraphs",
    "CJK_RUN",
    "DEFAULT_DICTIONARY",
    "DEFAULT_STOPWORDS",
]

#: Shipped lexicons used when none is given.
DEFAULT_DICTIONARY = "domain_dict.txt"
DEFAULT_STOPWORDS = "stopwords.txt"

#: A maximal run of Han characters as jieba defines them (``jieba.re_han_default``
#: without its ASCII part). Only these runs are segmented.
CJK_RUN = re.compile(r"[\u4e00-\u9fd5]+")
_NON_CJK = re.compile(r"[^\u4e00-\u9fd5\n]+")  # within a document whose paragraphs are joined by "\n"
_NON_CJK_LINES = re.compile(r"[^\u4e00-\u9fd5]+")
#: What a non-Han stretch becomes before segmentation: one character that is neither
#: Han nor whitespace, so the segmenter returns it as a token of its own (NUL is the
#: fastest of those tried, and never part of a word).
_SEP = "\x00"
_SEPARATORS = frozenset({_SEP, "\n"})
_SINGLE_HAN = frozenset(chr(c) for c in range(0x4E00, 0x9FD6))

#: Bump when the segmentation logic changes, so old cache entries are not reused.
_CODE_VERSION = "tokens-1"

#: Below this many characters still to segment, work stays in one thread (about
#: 20 ms of segmentation: less than threads save).
PARALLEL_MIN_CHARS = 100_000

_UNITS = ("document", "paragraph")


# --------------------------------------------------------------------------- lexicons
def read_dictionary(dictionary: str | Path | Iterable | None = None) -> list[tuple[str, int | None, str | None]]:
    """Read a jieba user dictionary (``word [freq] [tag]`` per line, ``#`` comments).

    Parameters
    ----------
    dictionary : str, Path, iterable or None, default None
        None for the shipped ``domain_dict.txt``; a shipped name or a path to a
        file in jieba's user-dictionary format; or an iterable of words or of
        ``(word, freq, tag)`` tuples. An empty list means no domain dictionary.

    Returns
    -------
    list of tuple
        ``(word, freq or None, tag or None)`` in file order.

    Raises
    ------
    ValueError
        On a malformed line, naming the file and line number.

    Examples
    --------
    >>> from bureau_rhetoric.tokens import read_dictionary
    >>> entries = read_dictionary()
    >>> len(entries) >= 300, ("科技特派员" in {w for w, _, _ in entries})
    (True, True)
    >>> read_dictionary(["众创空间", ("星创天地", 500, "nz")])
    [('众创空间', None, None), ('星创天地', 500, 'nz')]
    """
    if dictionary is None:
        dictionary = DEFAULT_DICTIONARY
    if isinstance(dictionary, (str, Path)):
        path = lexicon_path(dictionary)
        out = []
        for i, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) > 3:
                raise ValueError(f"{path}:{i}: expected 'word [freq] [tag]', got {line!r}")
            word = parts[0]
            freq = None
            tag = None
            if len(parts) >= 2:
                if not parts[1].isdigit():
                    raise ValueError(f"{path}:{i}: frequency must be a non-negative integer, got {parts[1]!r}")
                freq = int(parts[1])
            if len(parts) == 3:
                tag = parts[2]
            out.append((word, freq, tag))
        return out
    out = []
    for item in dictionary:
        if isinstance(item, str):
            out.append((item, None, None))
        else:
            word, freq, tag = (tuple(item) + (None, None))[:3]
            out.append((str(word), None if freq is None else int(freq), tag))
    return out


def read_stopwords(stopwords: str | Path | Iterable[str] | None = None) -> frozenset[str]:
    """Read a stopword list (one word a line, ``#`` comments).

    Parameters
    ----------
    stopwords : str, Path, iterable of str or None, default None
        None for the shipped ``stopwords.txt``; a shipped name or path; or the
        words themselves (``[]`` for none).

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> from bureau_rhetoric.tokens import read_stopwords
    >>> sw = read_stopwords()
    >>> {"的", "进一步", "积极", "认真", "切实"} <= sw
    True
    """
    if stopwords is None:
        stopwords = DEFAULT_STOPWORDS
    if isinstance(stopwords, (str, Path)):
        lines = lexicon_path(stopwords).read_text(encoding="utf-8-sig").splitlines()
        return frozenset(s.strip() for s in lines if s.strip() and not s.strip().startswith("#"))
    return frozenset(str(s).strip() for s in stopwords if str(s).strip())


_FILE_HASHES: dict = {}


def _hash_file_cached(path: Path) -> str:
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)  # a changed file is hashed afresh
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = hash_file(path)
    return _FILE_HASHES[key]


def _read_cached(reader, value, default: str):
    """``reader(value)``, read once per process for a lexicon file (until the file changes)."""
    if value is not None and not isinstance(value, (str, Path)):
        return reader(value)
    path = lexicon_path(default if value is None else value)
    st = path.stat()
    key = (reader.__name__, str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _FILE_HASHES:
        out = reader(path)
        _FILE_HASHES[key] = tuple(out) if isinstance(out, list) else out
    out = _FILE_HASHES[key]
    return list(out) if isinstance(out, tuple) else out


def _lexicon_record(value, default: str, kind: str) -> tuple[str, str]:
    """Return ``(name, sha256)`` of a lexicon given as None, a name/path or in-memory."""
    if value is None:
        value = default
    if isinstance(value, (str, Path)):
        path = lexicon_path(value)
        shipped = lexicon_path(default).parent
        name = path.name if path.parent == shipped else str(path)
        return name, _hash_file_cached(path)
    items = [value] if isinstance(value, str) else list(value)
    blob = json.dumps([list(x) if isinstance(x, (tuple, list)) else x for x in items],
                      ensure_ascii=False, sort_keys=True, default=str)
    return f"{kind} (in memory, {len(items)} entries)", hashlib.sha256(blob.encode("utf-8")).hexdigest()


def general_jieba_tokenizer():
    """Return a fresh, initialised ``jieba.Tokenizer`` with jieba's general dictionary only.

    jieba's default tokenizer is never touched, and its "Building prefix dict"
    messages are kept off the terminal.

    Returns
    -------
    jieba.Tokenizer

    Examples
    --------
    >>> jt = general_jieba_tokenizer()
    >>> "科技" in jt.FREQ
    True
    """
    import logging

    import jieba

    jt = jieba.Tokenizer()
    level = jieba.default_logger.level
    jieba.default_logger.setLevel(logging.WARNING)  # silence "Building prefix dict" for this call only
    try:
        jt.initialize()
    finally:
        jieba.default_logger.setLevel(level)
    return jt


def build_jieba_tokenizer(dictionary: str | Path | Iterable | None = None):
    """Build the reference: a fresh ``jieba.Tokenizer`` with the domain dictionary added.

    Used by the tests and the benchmark to check and time rjieba against jieba.
    jieba's global ``jieba.dt`` is left untouched.

    Parameters
    ----------
    dictionary : str, Path, iterable or None, default None
        As in :func:`read_dictionary`.

    Returns
    -------
    jieba.Tokenizer

    Examples
    --------
    >>> from bureau_rhetoric.tokens import build_jieba_tokenizer
    >>> jt = build_jieba_tokenizer(["星创天地"])
    >>> jt.lcut("建设星创天地")
    ['建设', '星创天地']
    """
    jt = general_jieba_tokenizer()
    for word, freq, tag in read_dictionary(dictionary):
        jt.add_word(word, freq, tag)
    return jt


# --------------------------------------------------------------------------- tokenizer
#: Built segmenters by dictionary hash. Building one (rjieba's main dictionary plus
#: the domain entries) takes about 0.3 s, as long as segmenting 2 M characters, so
#: Tokenizers with the same dictionary share it within a process. It is private to
#: this module (never rjieba's module default) and read-only once built.
_SEGMENTERS: dict = {}
_DROP_SETS: dict = {}


def _rjieba_version() -> str:
    if "rjieba" not in _FILE_HASHES:
        from importlib.metadata import version

        _FILE_HASHES["rjieba"] = version("rjieba")
    return _FILE_HASHES["rjieba"]
_SEGMENTERS_MAX = 4


def _segmenter_for(dict_hash: str, entries) -> "object":
    jb = _SEGMENTERS.get(dict_hash)
    if jb is None:
        import rjieba

        jb = rjieba.Jieba()  # a private instance: rjieba's module default stays untouched
        for word, freq, tag in entries:
            jb.add_word(word, freq, tag)
        while len(_SEGMENTERS) >= _SEGMENTERS_MAX:
            _SEGMENTERS.pop(next(iter(_SEGMENTERS)))
        _SEGMENTERS[dict_hash] = jb
    return jb


class Tokenizer:
    """jieba segmentation (by rjieba) of Chinese-character runs, with its own dictionary.

    Parameters
    ----------
    dictionary : str, Path, iterable or None, default None
        Domain dictionary (see :func:`read_dictionary`); None is the shipped
        ``domain_dict.txt``, ``[]`` plain jieba.
    stopwords : str, Path, iterable of str or None, default None
        Stopwords (see :func:`read_stopwords`); None is the shipped list.
    drop_stopwords : bool, default True
        Remove stopwords from :meth:`cut` output.
    min_len : int, default 2
        Drop tokens shorter than this many characters. Single characters are
        mostly function words, measure words and place-name fragments in these
        reports; set 1 to keep them.
    hmm : bool, default True
        Use jieba's HMM for words not in the dictionary (jieba's default).

    Attributes
    ----------
    lexicons : dict of str to str
        ``{name: sha256}`` of dictionary and stopwords.
    fingerprint : str
        SHA-256 of everything besides the text that decides the tokens
        (lexicon hashes, options, rjieba version); part of every cache key.

    Examples
    --------
    >>> from bureau_rhetoric.tokens import Tokenizer
    >>> tok = Tokenizer(stopwords=[], min_len=1)
    >>> tok.cut("2015年推进双创示范基地")
    ['年', '推进', '双创示范基地']
    >>> tok.segment("星创天地")
    ['星创天地']
    """

    def __init__(self, dictionary=None, stopwords=None, *, drop_stopwords: bool = True,
                 min_len: int = 2, hmm: bool = True):
        if int(min_len) < 1:
            raise ValueError(f"min_len must be >= 1, got {min_len}")
        self.dictionary = dictionary
        self.stopwords = stopwords
        self.drop_stopwords = bool(drop_stopwords)
        self.min_len = int(min_len)
        self.hmm = bool(hmm)
        self._entries = _read_cached(read_dictionary, dictionary, DEFAULT_DICTIONARY)
        self._stop = _read_cached(read_stopwords, stopwords, DEFAULT_STOPWORDS) if self.drop_stopwords else frozenset()
        self._jieba = None  # built on first use: a fully cached run never needs it
        self._drop = None
        d_name, d_hash = _lexicon_record(dictionary, DEFAULT_DICTIONARY, "dictionary")
        self._dict_hash = d_hash
        s_name, s_hash = _lexicon_record(stopwords, DEFAULT_STOPWORDS, "stopwords")
        self.lexicons = {d_name: d_hash, s_name: s_hash}
        spec = {"code": _CODE_VERSION, "rjieba": _rjieba_version(), "dictionary": d_hash,
                "stopwords": s_hash if self.drop_stopwords else None,
                "min_len": self.min_len, "hmm": self.hmm}
        self.fingerprint = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()

    def __repr__(self) -> str:
        return (f"Tokenizer(entries={len(self._entries)}, stopwords={len(self._stop)}, "
                f"min_len={self.min_len}, hmm={self.hmm})")

    def _segmenter(self):
        if self._jieba is None:
            self._jieba = _segmenter_for(self._dict_hash, self._entries)
        return self._jieba

    def _drop_set(self) -> frozenset:
        # Everything cut() drops, as one set, so that filtering is a single C-level
        # pass (filterfalse(drop.__contains__, ...)) instead of a Python test per token.
        # The segmenter only ever returns Han words, the separator and "\n", so
        # "shorter than min_len" is a finite set for min_len <= 2: every single Han
        # character (U+4E00..U+9FD5, 20,950 of them).
        if self._drop is None:
            key = (self.fingerprint, self.min_len)
            drop = _DROP_SETS.get(key)
            if drop is None:
                drop = set(self._stop) | {_SEP}
                if self.min_len == 2:
                    drop |= _SINGLE_HAN
                drop = frozenset(drop)
                _DROP_SETS.clear()  # one at a time: a new stopword list replaces the old set
                _DROP_SETS[key] = drop
            self._drop = drop
        return self._drop

    def _keep(self, toks: list[str]) -> list[str]:
        kept = list(filterfalse(self._drop_set().__contains__, toks))
        if self.min_len > 2:  # rare: the set cannot hold every short word
            n = self.min_len
            kept = [t for t in kept if len(t) >= n or t == "\n"]
        return kept

    def segment(self, text: str) -> list[str]:
        """Return jieba's tokens of each Chinese-character run, nothing dropped.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of str
        """
        # Every non-Han stretch becomes one separator character: jieba (and rjieba)
        # segment each Han block on its own and emit the separator as a token, so one
        # call gives the concatenation of the per-run segmentations.
        toks = self._segmenter().cut(_NON_CJK_LINES.sub(_SEP, text or ""), self.hmm)
        return list(filterfalse(_SEPARATORS.__contains__, toks))

    def cut(self, text: str) -> list[str]:
        """Return the tokens of a text, stopwords and short tokens dropped.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of str
        """
        toks = self._segmenter().cut(_NON_CJK_LINES.sub(_SEP, text or ""), self.hmm)
        return self._keep(toks)

    def cut_paragraphs(self, text: str) -> list[list[str]]:
        """Return one token list per non-empty paragraph (see :func:`split_paragraphs`).

        Parameters
        ----------
        text : str

        Returns
        -------
        list of list of str
        """
        paras = split_paragraphs(text)
        if not paras:
            return []
        # One call for the whole document: paragraphs joined by "\n", which the
        # segmenter returns as a token of its own (Han blocks never span it); the
        # kept tokens are then cut at the "\n" tokens with list.index (C), so no
        # Python code runs per token.
        kept = self._keep(self._segmenter().cut(_NON_CJK.sub(_SEP, "\n".join(paras)), self.hmm))
        out: list[list[str]] = []
        start = 0
        index = kept.index
        while True:
            try:
                j = index("\n", start)
            except ValueError:
                out.append(kept[start:])
                break
            out.append(kept[start:j])
            start = j + 1
        if len(out) != len(paras):  # defensive: never trust an assumption about the binding
            return [self.cut(p) for p in paras]
        return out


def split_paragraphs(text: str) -> list[str]:
    """Split a text into paragraphs at line breaks, dropping blank lines.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str
        Paragraph ``i`` here is ``para_id == i`` in :func:`tokenize_docs`.

    Examples
    --------
    >>> from bureau_rhetoric.tokens import split_paragraphs
    >>> split_paragraphs("一、总体情况\\r\\n\\n  二、主要做法\\n")
    ['一、总体情况', '  二、主要做法']
    """
    return [p for p in re.split(r"\r\n|\r|\n", text or "") if p.strip()]


# --------------------------------------------------------------------------- cache
def _cache_key(fingerprint: str, text: str) -> str:
    h = hashlib.sha256(fingerprint.encode())
    h.update(b"\0")
    h.update((text or "").encode("utf-8"))
    return h.hexdigest()


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.pkl"


def _cache_read(cache_dir: Path, key: str):
    try:
        with open(_cache_file(cache_dir, key), "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None


def _cache_write(cache_dir: Path, key: str, value) -> None:
    path = _cache_file(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # atomic: a crashed run never leaves a half-written entry


# --------------------------------------------------------------------------- workers
def _resolve_jobs(n_jobs: int | None) -> int:
    from .scale import _default_workers

    cpus = _default_workers()  # the cores this process may use, as the scale-out executor counts them
    if n_jobs is None or n_jobs == -1:
        return cpus
    n = int(n_jobs)
    if n == 0 or n < -1:
        raise ValueError(f"n_jobs must be a positive int, -1 or None (all cores), got {n_jobs}")
    return n


def tokenize_docs(docs: pd.DataFrame, *, unit: str = "document", dictionary=None, stopwords=None,
                  drop_stopwords: bool = True, min_len: int = 2, hmm: bool = True,
                  cache_dir: str | Path | bool | None = None, n_jobs: int | None = None,
                  text_col: str = "text", progress: bool | None = None) -> pd.DataFrame:
    """Segment every document (or paragraph) of a corpus table into tokens.

    Parameters
    ----------
    docs : DataFrame
        At least ``doc_id`` and ``text`` (Simplified Chinese); other columns are ignored.
    unit : {"document", "paragraph"}, default "document"
        One row per document (``para_id`` 0), or one row per non-empty paragraph
        (lines split at line breaks, blank lines dropped, ``para_id`` 0..n-1).
    dictionary : str, Path, iterable or None, default None
        Domain dictionary; None is the shipped ``domain_dict.txt``.
    stopwords : str, Path, iterable of str or None, default None
        Stopwords; None is the shipped ``stopwords.txt``.
    drop_stopwords : bool, default True
    min_len : int, default 2
        Shortest token kept, in characters.
    hmm : bool, default True
        jieba's HMM for unknown words.
    cache_dir : str, Path, False or None, default None
        Token cache; None is ``config.CACHE_DIR / "tokens"``, False disables it.
        Entries are keyed by the SHA-256 of text + dictionary + stopwords + options
        and may be deleted at any time.
    n_jobs : int or None, default None
        Threads; None or -1 for all cores. Small workloads (under
        ``PARALLEL_MIN_CHARS`` characters to segment) stay in one thread.
        Output is identical, and in input order, whatever the value.
    text_col : str, default "text"
    progress : bool, optional
        Show a progress bar; default per ``BUREAU_RHETORIC_PROGRESS``.

    Returns
    -------
    DataFrame
        Columns ``doc_id``, ``para_id`` (int), ``tokens`` (list of str), in the
        order of ``docs``. ``attrs["lexicons"]`` holds ``{name: sha256}`` of the
        dictionary and stopwords; ``attrs["tokenizer"]`` the options;
        ``attrs["cache"]`` the hits, misses and the doc_ids segmented afresh.

    Raises
    ------
    ValueError
        If ``unit`` is unknown, a column is missing or ``doc_id`` repeats.

    Examples
    --------
    >>> import pandas as pd
    >>> from bureau_rhetoric.tokens import tokenize_docs
    >>> docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"],
    ...     "text": ["推进产学研合作。\\n\\n发展新质生产力。", "科技企业孵化器", "实现高质量发展"]})
    >>> toks = tokenize_docs(docs, unit="paragraph", cache_dir=False, n_jobs=1)
    >>> toks[["doc_id", "para_id"]].values.tolist()
    [['d1', 0], ['d1', 1], ['d2', 0], ['d3', 0]]
    >>> toks["tokens"].tolist()
    [['推进', '产学研合作'], ['发展', '新质生产力'], ['科技企业孵化器'], ['实现', '高质量发展']]
    """
    from .progress import progress as _progress

    if unit not in _UNITS:
        raise ValueError(f"unit must be one of {_UNITS}, got {unit!r}")
    for col in ("doc_id", text_col):
        if col not in docs.columns:
            raise ValueError(f"docs has no column {col!r} (columns: {list(docs.columns)})")
    if docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise ValueError(f"doc_id must be unique, {dup!r} occurs more than once")
    kwargs = dict(dictionary=dictionary, stopwords=stopwords, drop_stopwords=drop_stopwords,
                  min_len=min_len, hmm=hmm)
    tok = Tokenizer(**kwargs)
    doc_ids = docs["doc_id"].astype(str).tolist()
    texts = ["" if (isinstance(t, float) and pd.isna(t)) or t is None else str(t)
             for t in docs[text_col].tolist()]

    if cache_dir is False:
        cache = None
    else:
        from .config import CACHE_DIR

        cache = Path(cache_dir) if cache_dir not in (None, True) else CACHE_DIR / "tokens"
        cache.mkdir(parents=True, exist_ok=True)

    results: list = [None] * len(texts)
    keys = [_cache_key(tok.fingerprint, t) for t in texts] if cache is not None else []
    if cache is not None:
        for i, key in enumerate(keys):
            results[i] = _cache_read(cache, key)
    todo = [i for i, r in enumerate(results) if r is None]
    # Without a cache, documents as units need no paragraph split: one cut per text gives
    # the same tokens as the paragraphs' concatenated (each line break is a separator).
    whole = cache is None and unit == "document"
    work = tok.cut if whole else tok.cut_paragraphs
    hits = len(texts) - len(todo)

    jobs = min(_resolve_jobs(n_jobs), max(len(todo), 1))
    n_chars = sum(len(texts[i]) for i in todo)
    disable = None if progress is None else not progress
    if jobs > 1 and n_chars >= PARALLEL_MIN_CHARS:
        # Threads, not processes: rjieba releases the GIL while it segments (about 80 %
        # of the time here), so threads scale on the cores without starting processes
        # or pickling token lists back. The tokenizer is shared read-only.
        from concurrent.futures import ThreadPoolExecutor

        tok.segment("")  # build the segmenter once, before the threads share it
        with ThreadPoolExecutor(jobs) as ex:
            it = ex.map(work, [texts[i] for i in todo])  # ordered
            for i, paras in zip(todo, _progress(it, desc="segmenting", total=len(todo), disable=disable,
                                                unit="doc")):
                results[i] = paras
    else:
        for i in _progress(todo, desc="segmenting", disable=disable, unit="doc"):
            results[i] = work(texts[i])
    if cache is not None:
        for i in todo:
            _cache_write(cache, keys[i], results[i])

    if whole:
        out = pd.DataFrame({"doc_id": doc_ids, "para_id": 0, "tokens": results})
    elif unit == "document":
        out = pd.DataFrame({"doc_id": doc_ids, "para_id": 0,
                            "tokens": [list(chain.from_iterable(paras)) for paras in results]})
    else:
        rows_doc, rows_para, rows_tok = [], [], []
        for d, paras in zip(doc_ids, results):
            for j, p in enumerate(paras):
                rows_doc.append(d)
                rows_para.append(j)
                rows_tok.append(p)
        out = pd.DataFrame({"doc_id": rows_doc, "para_id": rows_para, "tokens": rows_tok})
    out["para_id"] = out["para_id"].astype("int64")
    out.attrs["lexicons"] = dict(tok.lexicons)
    out.attrs["tokenizer"] = {"unit": unit, "min_len": tok.min_len, "hmm": tok.hmm,
                              "drop_stopwords": tok.drop_stopwords, "fingerprint": tok.fingerprint}
    out.attrs["cache"] = {"dir": None if cache is None else str(cache), "hits": hits, "misses": len(todo),
                          "recomputed": [doc_ids[i] for i in todo]}
    return out
