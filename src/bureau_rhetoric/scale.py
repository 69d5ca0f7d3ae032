"""Run the stages over partitions of a large corpus: here, on a local Dask cluster, or on a named scheduler.

Every stage is a pure function of one partition (see the README), so scaling out is
only a question of where the partitions run. :func:`executor` hides that:

- ``None`` (default): one after another in this process;
- ``"processes"``: a pool of worker processes on this machine;
- ``"dask"``: a local Dask cluster (``distributed.LocalCluster``), one
  single-threaded worker process per core unless ``n_workers`` says otherwise;
- ``"tcp://host:8786"`` (any scheduler address) or a ``distributed.Client``: a
  cluster that is already running (dask-jobqueue on SLURM, dask-kubernetes ...;
  see the README). Its workers need this package installed and must see the
  input and output folders at the same paths (a shared file system).

Results come back in partition order and partitions are written to numbered
files, so the tables do not depend on where or in what order the work ran.

Stages over a built corpus, streaming row group by row group of ``corpus.parquet``:
:func:`tokenize_corpus` (token table as a folder of Parquet parts),
:func:`count_corpus_phrases` (phrase counts), :func:`read_corpus_meta` (every
column but the text, for rates), and :class:`ParquetBow` with
:func:`fit_lda_stream` (gensim LDA over a corpus that never sits in memory).

Examples
--------
>>> from bureau_rhetoric.scale import executor
>>> with executor(None) as run:
...     run(divmod, [7, 9], [2, 4])
[(3, 1), (2, 1)]
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pandas as pd

__all__ = ["executor", "tokenize_corpus", "read_tokens", "count_corpus_phrases", "read_corpus_meta",
           "corpus_partitions", "ParquetBow", "stream_dictionary", "fit_lda_stream"]


def _default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS
        return max(1, os.cpu_count() or 1)


@contextmanager
def executor(scheduler=None, *, n_workers: int | None = None):
    """Yield ``run(func, *iterables, **kwargs) -> list``: ``func`` mapped over partitions, in order.

    Parameters
    ----------
    scheduler : None, "processes", "dask", str address or distributed.Client
        See the module docstring.
    n_workers : int, optional
        Worker processes for ``"processes"`` and ``"dask"``; default one per core.

    Raises
    ------
    ValueError
        For a scheduler this module does not know.
    """
    if scheduler in (None, "local", "sync", "synchronous"):
        yield lambda func, *its, **kw: [func(*a, **kw) for a in zip(*its)]
        return
    if scheduler == "processes":
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=n_workers or _default_workers()) as pool:
            yield lambda func, *its, **kw: list(pool.map(partial(func, **kw), *its))
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - dask is a dependency
        raise ImportError("scheduler='dask' needs dask[distributed]: pip install 'dask[distributed]'") from err
    if isinstance(scheduler, Client):
        yield partial(_dask_map, scheduler)
        return
    if scheduler == "dask":
        with LocalCluster(n_workers=n_workers or _default_workers(), threads_per_worker=1,
                          processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
            yield partial(_dask_map, client)
        return
    if isinstance(scheduler, str) and "://" in scheduler:
        with Client(scheduler) as client:
            yield partial(_dask_map, client)
        return
    raise ValueError(f"unknown scheduler {scheduler!r}: use None, 'processes', 'dask', "
                     f"a scheduler address such as 'tcp://host:8786', or a distributed.Client")


def _dask_map(client, func, *its, **kw):
    futures = client.map(partial(func, **kw), *its, pure=False)
    return client.gather(futures)  # in submission order


# ----------------------------------------------------------------------------- corpus partitions


def corpus_partitions(corpus_path: str | Path) -> list[tuple[str, int]]:
    """The partitions of a built corpus: ``(path, row_group)`` pairs of ``corpus.parquet``.

    ``write_corpus`` writes one row group per build partition (about 4 MB of
    raw text), so a partition always fits in a worker's memory.
    """
    import pyarrow.parquet as pq

    path = Path(corpus_path)
    if path.is_dir():
        path = path / "corpus.parquet"
    if not path.is_file():
        raise FileNotFoundError(f"no corpus at {path}; build one with `bureau-rhetoric build --out {path.parent}`")
    n = pq.ParquetFile(path).num_row_groups
    return [(str(path), k) for k in range(n)]


def _read_partition(part: tuple[str, int], columns: list[str]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    path, k = part
    return pq.ParquetFile(path).read_row_group(k, columns=columns).to_pandas()


def read_corpus_meta(corpus_path: str | Path) -> pd.DataFrame:
    """Every column of ``corpus.parquet`` except ``text``: what rates and filters need, small in memory."""
    import pyarrow.parquet as pq

    path = Path(corpus_path)
    if path.is_dir():
        path = path / "corpus.parquet"
    cols = [c for c in pq.read_schema(path).names if c != "text"]
    return pd.read_parquet(path, columns=cols)


# ----------------------------------------------------------------------------- tokens


def _tokenize_partition(part, out_dir, index, tokenizer_kwargs, unit):
    from .tokens import tokenize_docs

    docs = _read_partition(part, ["doc_id", "text"])
    toks = tokenize_docs(docs, unit=unit, cache_dir=False, n_jobs=1, progress=False, **tokenizer_kwargs)
    path = Path(out_dir) / f"part-{index:05d}.parquet"
    toks.to_parquet(path, index=False)
    return {"path": str(path), "n_docs": len(docs), "n_units": len(toks),
            "n_chars": int(docs["text"].str.len().sum()), "lexicons": toks.attrs["lexicons"],
            "tokenizer": toks.attrs["tokenizer"]}


def tokenize_corpus(corpus_path: str | Path, out_dir: str | Path, *, unit: str = "document",
                    scheduler=None, n_workers: int | None = None, dictionary=None, stopwords=None,
                    drop_stopwords: bool = True, min_len: int = 2, hmm: bool = True) -> dict:
    """Segment a built corpus partition by partition into a folder of token Parquet files.

    Same tokens as :func:`bureau_rhetoric.tokens.tokenize_docs` (and so as jieba);
    the per-document cache is not used (the folder is the cache of a large run).

    Parameters
    ----------
    corpus_path : str or Path
        ``corpus.parquet`` or the folder holding it.
    out_dir : str or Path
        Receives ``part-NNNNN.parquet`` (``doc_id``, ``para_id``, ``tokens``) and
        ``tokens.json`` (lexicon hashes, tokenizer options, counts).
    unit : {"document", "paragraph"}, default "document"
    scheduler, n_workers
        See :func:`executor`.
    dictionary, stopwords, drop_stopwords, min_len, hmm
        As :class:`bureau_rhetoric.tokens.Tokenizer`.

    Returns
    -------
    dict
        The content of ``tokens.json``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.parquet"):
        old.unlink()
    parts = corpus_partitions(corpus_path)
    kw = dict(dictionary=dictionary, stopwords=stopwords, drop_stopwords=drop_stopwords,
              min_len=min_len, hmm=hmm)
    with executor(scheduler, n_workers=n_workers) as run:
        res = run(_tokenize_partition, parts, [out] * len(parts), range(len(parts)),
                  tokenizer_kwargs=kw, unit=unit)
    info = {"unit": unit, "n_docs": sum(r["n_docs"] for r in res), "n_units": sum(r["n_units"] for r in res),
            "n_chars": sum(r["n_chars"] for r in res), "parts": [Path(r["path"]).name for r in res],
            "lexicons": res[0]["lexicons"] if res else {}, "tokenizer": res[0]["tokenizer"] if res else {}}
    (out / "tokens.json").write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return info


def _token_parts(tokens_dir: str | Path) -> list[Path]:
    d = Path(tokens_dir)
    meta = d / "tokens.json"
    if not meta.is_file():
        raise FileNotFoundError(f"{d} holds no token table (tokens.json); run tokenize_corpus first")
    return [d / name for name in json.loads(meta.read_text(encoding="utf-8"))["parts"]]


def read_tokens(tokens_dir: str | Path) -> pd.DataFrame:
    """The whole token table of :func:`tokenize_corpus` in memory (for corpora that fit)."""
    parts = _token_parts(tokens_dir)
    if not parts:
        return pd.DataFrame({"doc_id": [], "para_id": [], "tokens": []})
    out = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    out["tokens"] = [list(t) for t in out["tokens"]]
    return out


# ----------------------------------------------------------------------------- phrases


def _count_partition(part, lexicon):
    from .phrases import count_phrases

    return count_phrases(_read_partition(part, ["doc_id", "text"]), lexicon)


def count_corpus_phrases(corpus_path: str | Path, *, lexicon=None, scheduler=None,
                         n_workers: int | None = None) -> pd.DataFrame:
    """:func:`bureau_rhetoric.phrases.count_phrases` over a built corpus, partition by partition.

    The result is the same table as ``count_phrases(pd.read_parquet(corpus_path))``
    (one row per document and phrase found), without the texts ever being in
    memory together; pass it with :func:`read_corpus_meta` to ``phrase_rates``.
    """
    parts = corpus_partitions(corpus_path)
    with executor(scheduler, n_workers=n_workers) as run:
        res = run(_count_partition, parts, lexicon=lexicon)
    out = pd.concat(res, ignore_index=True)
    out.attrs["lexicons"] = dict(res[0].attrs["lexicons"])
    out.attrs["doc_ids"] = [d for r in res for d in r.attrs["doc_ids"]]
    return out


# ----------------------------------------------------------------------------- streaming LDA


def _iter_tokens(tokens_dir):
    import pyarrow.parquet as pq

    for path in _token_parts(tokens_dir):
        f = pq.ParquetFile(path)
        for batch in f.iter_batches(columns=["tokens"], batch_size=2048):
            for toks in batch.column(0).to_pylist():
                yield toks


def stream_dictionary(tokens_dir: str | Path, *, no_below: int = 5, no_above: float = 0.5,
                      keep_n: int | None = 20000):
    """A gensim ``Dictionary`` built in one streaming pass over a token folder, then filtered.

    Parameters as :func:`bureau_rhetoric.topics.build_bow` (gensim's ``filter_extremes``).
    """
    from gensim.corpora import Dictionary

    dct = Dictionary()
    batch: list = []
    for toks in _iter_tokens(tokens_dir):
        batch.append(toks)
        if len(batch) == 10000:
            dct.add_documents(batch)
            batch = []
    dct.add_documents(batch)
    dct.filter_extremes(no_below=no_below, no_above=no_above, keep_n=keep_n)
    return dct


class ParquetBow:
    """A gensim corpus (bag of words, one unit at a time) read from a token folder on every pass.

    Memory holds one Parquet batch, whatever the corpus size. Units with no
    dictionary term are skipped, as ``build_bow`` drops them.
    """

    def __init__(self, tokens_dir: str | Path, dictionary):
        self.tokens_dir = Path(tokens_dir)
        self.dictionary = dictionary
        self._len = None

    def __iter__(self):
        n = 0
        for toks in _iter_tokens(self.tokens_dir):
            bow = self.dictionary.doc2bow(toks)
            if bow:
                n += 1
                yield bow
        self._len = n

    def __len__(self):
        if self._len is None:
            self._len = sum(1 for _ in self)
        return self._len


def fit_lda_stream(tokens_dir: str | Path, n_topics: int, *, passes: int = 1, chunksize: int = 2000,
                   iterations: int = 50, seed: int = 0, dictionary=None, no_below: int = 5,
                   no_above: float = 0.5, keep_n: int | None = 20000):
    """Fit gensim LDA (single process, so reproducible) on a token folder that need not fit in memory.

    Online variational Bayes over chunks of ``chunksize`` units; ``passes`` full
    passes over the folder. Same seed, same model. Returns ``(model, dictionary)``.
    """
    from gensim.models import LdaModel

    dct = dictionary or stream_dictionary(tokens_dir, no_below=no_below, no_above=no_above, keep_n=keep_n)
    bow = ParquetBow(tokens_dir, dct)
    model = LdaModel(corpus=bow, id2word=dct, num_topics=n_topics, passes=passes, chunksize=chunksize,
                     iterations=iterations, random_state=seed, alpha="symmetric", eta=None,
                     eval_every=None)
    return model, dct
