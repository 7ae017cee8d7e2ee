"""Use every core: tokenise and count a corpus in parallel, identically to the serial path.

Work is cut into *batches* of documents (``chunksize`` documents per task, not one
task per document) and run by joblib's ``loky`` backend, which starts fresh
worker processes and works the same in a script, in Jupyter, on Linux and on
macOS.  Every function the workers run is a module-level function and the
analyzer is a picklable object, so nothing depends on the notebook's globals.

Results come back in input order and are merged in that order, so the output of
``n_jobs=2`` is *identical* to ``n_jobs=1`` (the test suite checks it).  When the
source is a corpus folder, workers receive file paths and read the files
themselves: the parent process never holds the texts.

LDA on many cores is available through :func:`fit_lda_multicore` (gensim's
``LdaMulticore``); it is not reproducible run to run, so the paper figures use the
single-process model of :mod:`textkit.topics`.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import TYPE_CHECKING, Any, TypeVar

from joblib import Parallel, cpu_count, delayed
from tqdm.auto import tqdm

from textkit.errors import ConfigError, shorten
from textkit.stream.counts import TermCounts, count_record_batch
from textkit.stream.records import Analyzer, _resolve, records_with_total

if TYPE_CHECKING:
    from gensim.corpora import Dictionary
    from gensim.models import LdaMulticore

    from textkit.topics import LdaConfig

__all__ = [
    "count_terms",
    "fit_lda_multicore",
    "iter_tokenized",
    "map_batches",
    "tokenize_corpus",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Batches per worker when the number of documents is known (load balancing).
_BATCHES_PER_WORKER = 4
_MAX_CHUNK = 512
_DEFAULT_CHUNK = 128
# Seconds an idle loky worker waits for more work before it exits.  Workers are
# reused by the calls of one session, but joblib's default (300 s) kept them
# alive long after a headless notebook run ended, holding its output pipe open.
_IDLE_WORKER_TIMEOUT = 10


def _check_n_jobs(n_jobs: int) -> int:
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0:
        raise ConfigError(
            f"'n_jobs' must be a positive int, or -1 for all cores (got {shorten(n_jobs)})"
        )
    return cpu_count() if n_jobs < 0 else n_jobs


def _chunk_size(chunksize: int | None, n_items: int | None, n_jobs: int) -> int:
    if chunksize is not None:
        if not isinstance(chunksize, int) or isinstance(chunksize, bool) or chunksize < 1:
            raise ConfigError(f"'chunksize' must be a positive int (got {shorten(chunksize)})")
        return chunksize
    if n_items is None:
        return _DEFAULT_CHUNK
    return max(1, min(_MAX_CHUNK, math.ceil(n_items / (n_jobs * _BATCHES_PER_WORKER))))


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def map_batches(
    func: Callable[[list[T]], R],
    items: Iterable[T],
    *,
    n_jobs: int = 1,
    chunksize: int | None = None,
    progress: bool = False,
    total: int | None = None,
    desc: str | None = None,
) -> Iterator[R]:
    """Apply ``func`` to batches of ``items`` on ``n_jobs`` processes, results in order.

    Items are consumed lazily (a few batches ahead of the workers), so a stream
    of documents is never held in memory whole.

    Parameters
    ----------
    func : callable
        ``list of items -> result``; must pickle (a module-level function or a
        :func:`functools.partial` of one) when ``n_jobs != 1``.
    items : iterable
        The work.
    n_jobs : int, default 1
        Worker processes; 1 runs in this process, -1 uses every core.
    chunksize : int, optional
        Items per batch.  By default about four batches per worker when the
        number of items is known (at most 512 items a batch), else 128.
    progress : bool, default False
        Show a progress bar of batches (tqdm; notebook-aware).
    total : int, optional
        Number of items, for the progress bar and the default chunk size
        (taken from ``len(items)`` when available).
    desc : str, optional
        Label of the progress bar.

    Yields
    ------
    object
        ``func(batch)`` for each batch, in input order.

    Raises
    ------
    ConfigError
        If ``n_jobs`` or ``chunksize`` is invalid.

    Examples
    --------
    >>> list(map_batches(len, range(10), chunksize=4))
    [4, 4, 2]
    """
    n_workers = _check_n_jobs(n_jobs)
    if total is None and isinstance(items, Sized):
        total = len(items)
    size = _chunk_size(chunksize, total, n_workers)
    batches = _batches(items, size)
    results: Iterator[R]
    if n_workers == 1:
        results = (func(batch) for batch in batches)
    else:
        parallel = Parallel(
            n_jobs=n_workers,
            backend="loky",
            return_as="generator",
            pre_dispatch="2*n_jobs",
            idle_worker_timeout=_IDLE_WORKER_TIMEOUT,
        )
        results = iter(parallel(delayed(func)(batch) for batch in batches))
    n_batches = None if total is None else math.ceil(total / size)
    if progress:
        results = iter(tqdm(results, total=n_batches, desc=desc, unit="batch"))
    logger.debug("map_batches: %s items in batches of %d on %d process(es)", total, size, n_workers)
    return results


def _tokenize_batch(texts: list[str], analyzer: Analyzer) -> list[list[str]]:
    return [analyzer(text) for text in texts]


def iter_tokenized(
    texts: Iterable[str],
    *,
    analyzer: Analyzer | None = None,
    n_jobs: int = 1,
    chunksize: int | None = None,
    progress: bool = True,
) -> Iterator[list[str]]:
    """Stream token lists for a stream of texts, on ``n_jobs`` processes, in order.

    Like :func:`tokenize_corpus` but lazy: memory holds only the batches in
    flight.  Parameters are those of :func:`tokenize_corpus`.

    Examples
    --------
    >>> next(iter_tokenized(["Peace-building in Timor-Leste"], progress=False))
    ['peace-building', 'timor-leste']
    """
    func = functools.partial(_tokenize_batch, analyzer=_resolve(analyzer))
    total = len(texts) if isinstance(texts, Sized) else None
    batches = map_batches(
        func,
        texts,
        n_jobs=n_jobs,
        chunksize=chunksize,
        progress=progress,
        total=total,
        desc="tokenising",
    )
    return itertools.chain.from_iterable(batches)


def tokenize_corpus(
    texts: Iterable[str],
    *,
    analyzer: Analyzer | None = None,
    n_jobs: int = 1,
    chunksize: int | None = None,
    progress: bool = True,
) -> list[list[str]]:
    """Tokenise many texts on all cores; the same tokens as the serial path, in order.

    Parameters
    ----------
    texts : iterable of str
        Raw texts (e.g. ``corpus.texts``); cleaning is the analyzer's job.
    analyzer : callable, optional
        Text -> tokens, picklable; :class:`textkit.features.Analyzer` with
        default options (clean, then tokenise) if omitted.
    n_jobs : int, default 1
        Worker processes; -1 uses every core.  With ``n_jobs=1`` no process is
        started.  Parallelism pays off from a few MB of text on: starting the
        workers costs about a second.
    chunksize : int, optional
        Texts per task (see :func:`map_batches`).
    progress : bool, default True
        Show a progress bar.

    Returns
    -------
    list of list of str
        One token list per text, in input order.

    Raises
    ------
    ConfigError
        If ``n_jobs`` or ``chunksize`` is invalid.

    Examples
    --------
    >>> tokenize_corpus(["Japan's Self-Defense Forces", "Human security"], progress=False)
    [['japan', 'self-defense', 'forces'], ['human', 'security']]
    """
    return list(
        iter_tokenized(
            texts, analyzer=analyzer, n_jobs=n_jobs, chunksize=chunksize, progress=progress
        )
    )


def count_terms(
    source: Any,
    *,
    analyzer: Analyzer | None = None,
    per_document: bool = True,
    n_jobs: int = 1,
    chunksize: int | None = None,
    progress: bool = True,
) -> TermCounts:
    """Count terms per document and per year in one streamed pass, on ``n_jobs`` cores.

    Parameters
    ----------
    source : str, PathLike, Corpus or iterable
        A corpus folder (streamed one file at a time; workers read the files),
        a :class:`~textkit.Corpus`, an iterable of documents or ``(doc_id, year,
        text)`` tuples, or of plain texts (see :func:`textkit.stream.iter_records`).
    analyzer : callable, optional
        Text -> tokens, picklable; :class:`textkit.features.Analyzer` with
        default options if omitted.
    per_document : bool, default True
        Keep per-document counts (for :meth:`~textkit.stream.TermCounts.by_document`
        and the document-term matrix).  They grow with the corpus; with
        ``False`` memory grows only with the vocabulary.
    n_jobs : int, default 1
        Worker processes; -1 uses every core.  The counts are identical for
        every value.
    chunksize : int, optional
        Documents per task (see :func:`map_batches`).
    progress : bool, default True
        Show a progress bar.

    Returns
    -------
    TermCounts
        Per-year counts (:meth:`~textkit.stream.TermCounts.by_year`), the
        vocabulary, and per-document counts and the document-term matrix.

    Raises
    ------
    ConfigError
        If ``n_jobs`` or ``chunksize`` is invalid.
    CorpusError
        If the source cannot be read as a corpus.

    Examples
    --------
    >>> docs = [("a", 2001, "Peace and aid; peace."), ("b", 2002, "Aid.")]
    >>> counts = count_terms(docs, progress=False)
    >>> counts.by_year()
       year   term  n_docs  count  tokens
    0  2001    aid       1      1       3
    1  2001  peace       1      2       3
    2  2002    aid       1      1       1
    """
    if not isinstance(per_document, bool):
        raise ConfigError(f"'per_document' must be a bool (got {shorten(per_document)})")
    func = functools.partial(
        count_record_batch, analyzer=_resolve(analyzer), per_document=per_document
    )
    records, total = records_with_total(source)
    counts = TermCounts(per_document=per_document)
    for part in map_batches(
        func,
        records,
        n_jobs=n_jobs,
        chunksize=chunksize,
        progress=progress,
        total=total,
        desc="counting terms",
    ):
        counts.merge(part)
    logger.info(
        "counted %d tokens in %d documents (%d terms)",
        counts.n_tokens,
        counts.n_documents,
        len(counts.doc_freq),
    )
    return counts


def fit_lda_multicore(
    bow: Iterable[list[tuple[int, int]]],
    *,
    dictionary: Dictionary,
    config: LdaConfig | None = None,
    workers: int | None = None,
) -> LdaMulticore:
    """Fit gensim's ``LdaMulticore`` on a (streamed) bag-of-words corpus.

    For large corpora only: the paper figures use the single-process model of
    :func:`textkit.topics.fit_lda`, which is reproducible.

    Parameters
    ----------
    bow : iterable of list of (int, int)
        A re-iterable corpus, e.g. the result of
        :func:`textkit.stream.serialize_corpus` (streamed from disk).
    dictionary : gensim.corpora.Dictionary
        Id -> term mapping of ``bow``.
    config : textkit.topics.LdaConfig, optional
        Number of topics, passes, iterations, priors, chunk size and seed, as
        for :func:`textkit.topics.fit_lda` (``alpha="auto"`` is not available
        in ``LdaMulticore``).
    workers : int, optional
        Worker processes (default: gensim's, cores - 1).  **Not deterministic**:
        even with a fixed ``random_state`` the order in which the workers'
        updates are merged changes from run to run, so topics (and their order)
        differ slightly between runs and between values of ``workers``.  Use the
        single-process model for results that must reproduce byte for byte.

    Returns
    -------
    gensim.models.LdaMulticore

    Raises
    ------
    ConfigError
        If ``workers`` is not a positive int or ``config.alpha`` is ``"auto"``.

    Examples
    --------
    >>> from gensim.corpora import Dictionary
    >>> from textkit.topics import LdaConfig
    >>> texts = [["peace", "aid"], ["peace", "security"], ["aid", "security"]] * 5
    >>> d = Dictionary(texts)
    >>> lda = fit_lda_multicore([d.doc2bow(t) for t in texts], dictionary=d,
    ...                         config=LdaConfig(n_topics=2, passes=1), workers=1)
    >>> lda.num_topics
    2
    """
    from gensim.models import LdaMulticore

    from textkit.topics import LdaConfig

    cfg = LdaConfig() if config is None else config
    if not isinstance(cfg, LdaConfig):
        raise ConfigError(f"'config' must be an LdaConfig (got {shorten(cfg)})")
    if workers is not None and (
        not isinstance(workers, int) or isinstance(workers, bool) or workers < 1
    ):
        raise ConfigError(f"'workers' must be a positive int (got {shorten(workers)})")
    if cfg.alpha == "auto":
        raise ConfigError(
            "LdaMulticore cannot learn alpha ('alpha' = 'auto'); use 'symmetric', "
            "'asymmetric' or a number, or the single-process textkit.topics.fit_lda"
        )
    logger.warning(
        "LdaMulticore with %s workers: topics are not reproducible run to run", workers or "default"
    )
    return LdaMulticore(
        corpus=bow,
        id2word=dictionary,
        num_topics=cfg.n_topics,
        workers=workers,
        passes=cfg.passes,
        iterations=cfg.iterations,
        alpha=cfg.alpha,
        eta=cfg.eta,
        chunksize=cfg.chunksize,
        random_state=cfg.random_state,
    )
