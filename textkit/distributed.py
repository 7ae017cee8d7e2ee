"""Beyond one machine: the same counting on Dask, locally or on a cluster.

The unit of work is the one the serial and parallel paths use
(:func:`textkit.stream.count_record_batch` on a batch of documents, partial
results merged in order by :meth:`textkit.stream.TermCounts.merge`), mapped over
the partitions of a :class:`dask.bag.Bag` of documents and combined with a
tree reduction.  The counts are therefore identical to :func:`textkit.count_terms`.

By default the work runs on a :class:`~dask.distributed.LocalCluster` of 2
worker processes with one thread each (text processing is pure Python: threads
would contend for the GIL); pass ``address="tcp://scheduler:8786"`` to use an
existing distributed scheduler, or your own ``client``.  When the source is a
corpus folder, the bag holds file *paths* and the workers read the files, so the
folder must be visible to every worker (a shared or network file system).

Dask is imported only when these functions run: ``import textkit`` never needs it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from textkit.corpus import Document
from textkit.errors import ConfigError, CorpusError, shorten
from textkit.stream.counts import TermCounts, count_record_batch, merge_counts
from textkit.stream.records import Analyzer, Record, _resolve, iter_records

if TYPE_CHECKING:
    import dask.bag
    from dask.distributed import Client

__all__ = ["count_terms_dask", "dask_client", "documents_bag"]

logger = logging.getLogger(__name__)

_PARTITIONS_PER_WORKER = 2


@contextmanager
def dask_client(
    address: str | None = None,
    *,
    n_workers: int = 2,
    threads_per_worker: int = 1,
    **cluster_kwargs: Any,
) -> Iterator[Client]:
    """Connect to a Dask scheduler, or start a local cluster, for a ``with`` block.

    Parameters
    ----------
    address : str, optional
        Address of a running distributed scheduler (``"tcp://host:8786"``).
        Without it a :class:`~dask.distributed.LocalCluster` of worker
        *processes* is started, and shut down when the block ends.
    n_workers : int, default 2
        Worker processes of the local cluster.
    threads_per_worker : int, default 1
        Threads per local worker (1: tokenising holds the GIL).
    **cluster_kwargs
        Passed to :class:`~dask.distributed.LocalCluster` (e.g. ``memory_limit``).
        By default the workers import textkit when they start (``preload``), so
        the start-up cost is paid here and not by the first computation.

    Yields
    ------
    dask.distributed.Client

    Raises
    ------
    ConfigError
        If ``n_workers`` or ``threads_per_worker`` is not a positive int.

    Examples
    --------
    >>> with dask_client(n_workers=1) as client:  # doctest: +SKIP
    ...     counts = count_terms_dask("seeds", client=client)
    """
    from dask.distributed import Client, LocalCluster

    if address is not None:
        client = Client(address)
        try:
            yield client
        finally:
            client.close()
        return
    for name, value in (("n_workers", n_workers), ("threads_per_worker", threads_per_worker)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"'{name}' must be a positive int (got {shorten(value)})")
    cluster_kwargs.setdefault("dashboard_address", None)
    cluster_kwargs.setdefault("silence_logs", logging.ERROR)
    cluster_kwargs.setdefault("preload", ["textkit.stream"])  # import textkit once, at start
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads_per_worker,
            processes=True,
            **cluster_kwargs,
        ) as cluster,
        Client(cluster) as client,
    ):
        logger.info("started a local Dask cluster: %s", cluster)
        yield client


def _as_record(item: Any) -> Record:
    """One bag element -> ``(doc_id, year, text, path)``."""
    if isinstance(item, Document):
        return (item.doc_id, item.year, item.text, None)
    if isinstance(item, tuple) and len(item) == 4 and (item[3] is None or isinstance(item[3], str)):
        return item  # already a record
    if isinstance(item, tuple) and len(item) == 3 and isinstance(item[2], str):
        doc_id, year, text = item
        return (str(doc_id), None if year is None or pd.isna(year) else int(year), text, None)
    raise CorpusError(
        f"A bag element is a {type(item).__name__} ({shorten(item)}); expected a Document "
        "or a (doc_id, year, text) tuple. Build the bag with textkit.documents_bag()."
    )


def documents_bag(
    source: Any, *, npartitions: int | None = None, n_workers: int = 2
) -> dask.bag.Bag:
    """A :class:`dask.bag.Bag` of document records from a corpus source.

    Parameters
    ----------
    source : str, PathLike, Corpus, iterable or dask DataFrame
        A corpus folder (the bag holds paths; workers read the files), a
        :class:`~textkit.Corpus` or iterable of documents (texts are shipped to
        the workers), or a Dask DataFrame with columns ``doc_id``, ``year`` and
        ``text``.
    npartitions : int, optional
        Partitions of the bag (tasks); by default 2 per worker, at most one per
        document.
    n_workers : int, default 2
        Used only for the default ``npartitions``.

    Returns
    -------
    dask.bag.Bag
        Elements ``(doc_id, year, text, path)``, in corpus order.

    Raises
    ------
    ConfigError
        If ``npartitions`` is not a positive int.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> bag = documents_bag(default_corpus_dir())
    >>> bag.npartitions, bag.take(1)[0][:2]
    (3, ('blue-book-2000', 2000))
    """
    import dask.bag as db

    if npartitions is not None and (
        not isinstance(npartitions, int) or isinstance(npartitions, bool) or npartitions < 1
    ):
        raise ConfigError(f"'npartitions' must be a positive int (got {shorten(npartitions)})")
    if _is_dask_frame(source):
        missing = [c for c in ("doc_id", "year", "text") if c not in source.columns]
        if missing:
            raise CorpusError(
                f"The Dask DataFrame lacks the column(s) {missing}; it needs doc_id, year and text."
            )
        bag = source[["doc_id", "year", "text"]].to_bag(index=False)
        if npartitions is not None:
            bag = bag.repartition(npartitions)
        return bag.map(_as_record)
    records = list(iter_records(source))
    if not records:
        raise CorpusError("The corpus source holds no documents.")
    n = npartitions or min(len(records), n_workers * _PARTITIONS_PER_WORKER)
    return db.from_sequence(records, npartitions=n)


def _is_dask_frame(source: Any) -> bool:
    module = type(source).__module__
    return module.startswith("dask") and hasattr(source, "to_bag")


def count_terms_dask(
    source: Any,
    *,
    analyzer: Analyzer | None = None,
    per_document: bool = True,
    client: Client | None = None,
    address: str | None = None,
    n_workers: int = 2,
    npartitions: int | None = None,
    scheduler: Literal["synchronous", "threads", "processes"] | None = None,
) -> TermCounts:
    """Count terms per document and per year with Dask; identical to :func:`textkit.count_terms`.

    Parameters
    ----------
    source : str, PathLike, Corpus, iterable, dask Bag or dask DataFrame
        What :func:`documents_bag` accepts, or a bag it made.
    analyzer : callable, optional
        Text -> tokens, picklable; :class:`textkit.features.Analyzer` with
        default options if omitted.
    per_document : bool, default True
        Keep per-document counts (document-term matrix); they are gathered on
        the client, so switch them off when the corpus is larger than its
        memory -- per-year counts and the vocabulary grow only with the vocabulary.
    client : dask.distributed.Client, optional
        Run on this client's cluster.
    address : str, optional
        Connect to the distributed scheduler at this address (used when
        ``client`` is None).
    n_workers : int, default 2
        Workers of the local cluster started when neither ``client``,
        ``address`` nor ``scheduler`` is given (processes, one thread each;
        starting it takes a few seconds).
    npartitions : int, optional
        Partitions of the bag (see :func:`documents_bag`).
    scheduler : {"synchronous", "threads", "processes"}, optional
        Use one of Dask's single-machine schedulers instead of a cluster
        (``"synchronous"`` for debugging).

    Returns
    -------
    TermCounts

    Raises
    ------
    ConfigError
        If an option is invalid.

    Examples
    --------
    >>> docs = [("a", 2001, "Peace and aid; peace."), ("b", 2002, "Aid.")]
    >>> counts = count_terms_dask(docs, scheduler="synchronous")
    >>> counts.by_year()
       year   term  n_docs  count  tokens
    0  2001    aid       1      1       3
    1  2001  peace       1      2       3
    2  2002    aid       1      1       1
    """
    import dask.bag as db

    if not isinstance(per_document, bool):
        raise ConfigError(f"'per_document' must be a bool (got {shorten(per_document)})")
    if scheduler not in (None, "synchronous", "threads", "processes"):
        raise ConfigError(
            "'scheduler' must be None, 'synchronous', 'threads' or 'processes' "
            f"(got {shorten(scheduler)})"
        )
    if isinstance(source, db.Bag):
        bag = source.map(_as_record)
    else:
        bag = documents_bag(source, npartitions=npartitions, n_workers=n_workers)
    perpartition = functools.partial(
        count_record_batch, analyzer=_resolve(analyzer), per_document=per_document
    )
    aggregate = functools.partial(merge_counts, per_document=per_document)
    total = bag.reduction(perpartition, aggregate, split_every=8)
    if client is not None:
        result = client.compute(total).result()
    elif address is not None:
        with dask_client(address) as remote:
            result = remote.compute(total).result()
    elif scheduler is not None:
        result = total.compute(scheduler=scheduler)
    else:
        with dask_client(n_workers=n_workers) as local:
            result = local.compute(total).result()
    assert isinstance(result, TermCounts)
    return result
