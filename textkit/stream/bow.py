"""Re-iterable bag-of-words corpora for gensim, streamed from a folder or from disk."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textkit.corpus import Document, document_table

if TYPE_CHECKING:
    from gensim.corpora import Dictionary, MmCorpus
from textkit.stream.records import Analyzer, _resolve, iter_documents

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# Re-iterable corpora and gensim on disk


class _Reiterable:
    """Calls ``factory()`` afresh on every iteration (gensim iterates several times)."""

    def __init__(self, factory: Callable[[], Iterator[Any]], length: int) -> None:
        self._factory = factory
        self._length = length

    def __iter__(self) -> Iterator[Any]:
        return self._factory()

    def __len__(self) -> int:
        return self._length


class StreamedCorpus:
    """A corpus folder read lazily and re-iterably, one file at a time.

    Iterating yields :class:`~textkit.corpus.Document` objects; :meth:`tokens`
    and :meth:`bow` return re-iterable streams of token lists and gensim
    bag-of-words vectors.  Each pass reads the files again, so memory does not
    grow with the corpus.

    Parameters
    ----------
    path : str or PathLike
        The corpus folder.
    analyzer : callable, optional
        Text -> tokens; :class:`textkit.features.Analyzer` with default options
        if omitted.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> corpus = StreamedCorpus(default_corpus_dir(), analyzer=str.split)
    >>> len(corpus), [d.year for d in corpus]
    (5, [2000, 2006, 2007, 2008, None])
    >>> sum(1 for _ in corpus.tokens())  # a second pass over the files
    5
    """

    def __init__(self, path: str | PathLike[str], *, analyzer: Analyzer | None = None) -> None:
        self.path = Path(path)
        self._table = document_table(self.path)
        self.analyzer = _resolve(analyzer)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"<StreamedCorpus: {len(self)} documents in {self.path.name!r}>"

    def __iter__(self) -> Iterator[Document]:
        return iter_documents(self.path)

    @property
    def doc_ids(self) -> list[str]:
        """Document ids in stream order (read from the metadata, no text loaded)."""
        return self._table["doc_id"].astype(str).tolist()

    def tokens(self) -> Iterable[list[str]]:
        """A re-iterable stream of token lists, one per document."""
        analyzer = self.analyzer
        return _Reiterable(lambda: (analyzer(d.text) for d in iter_documents(self.path)), len(self))

    def bow(self, dictionary: Dictionary) -> Iterable[list[tuple[int, int]]]:
        """A re-iterable stream of gensim bag-of-words vectors.

        Parameters
        ----------
        dictionary : gensim.corpora.Dictionary
            E.g. ``textkit.count_terms(path).to_dictionary()``.
        """
        tokens = self.tokens()
        return _Reiterable(lambda: (dictionary.doc2bow(t) for t in tokens), len(self))


def serialize_corpus(
    bow: Iterable[list[tuple[int, int]]],
    path: str | PathLike[str],
    *,
    dictionary: Dictionary,
) -> MmCorpus:
    """Write a bag-of-words stream to a Matrix Market file and stream it back.

    The stream is consumed once, document by document; the returned corpus
    reads the file on every pass, so gensim models (``LdaModel``,
    ``TfidfModel``, ...) train on corpora larger than memory.  The dictionary is
    saved beside it as ``<path>.dict``.

    Parameters
    ----------
    bow : iterable of list of (int, int)
        E.g. :meth:`StreamedCorpus.bow`.
    path : str or PathLike
        The ``.mm`` file to write (an index ``.mm.index`` is written too).
    dictionary : gensim.corpora.Dictionary
        Maps ids to terms.

    Returns
    -------
    gensim.corpora.MmCorpus

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from textkit.paths import default_corpus_dir
    >>> corpus = StreamedCorpus(default_corpus_dir(), analyzer=str.split)
    >>> from textkit.parallel import count_terms
    >>> dictionary = count_terms(default_corpus_dir(), analyzer=str.split).to_dictionary()
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "corpus.mm"
    >>> mm = serialize_corpus(corpus.bow(dictionary), out, dictionary=dictionary)
    >>> len(mm), mm.num_terms == len(dictionary)
    (5, True)
    """
    from gensim.corpora import MmCorpus

    path = Path(path)
    MmCorpus.serialize(str(path), bow, id2word=dictionary, progress_cnt=10**9)
    dictionary.save(str(path) + ".dict")
    logger.info("serialised corpus to %s", path)
    return MmCorpus(str(path))
