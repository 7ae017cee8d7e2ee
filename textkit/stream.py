"""Stream a corpus folder in bounded memory: documents, counts, vocabulary, matrix.

A large archive (tens of thousands to millions of files) does not fit in memory
as one table of texts.  This module reads it one file at a time and builds the
results every analysis needs *incrementally*:

* :func:`iter_documents` -- yields one :class:`~textkit.corpus.Document` at a
  time from a corpus folder (same folder format, metadata rules and document
  order as :func:`textkit.load_corpus`);
* :class:`StreamedCorpus` -- a re-iterable view of a folder: documents, token
  lists or gensim bag-of-words vectors, computed afresh on every pass (gensim
  models iterate a corpus several times);
* :class:`TermCounts` -- a mergeable accumulator of term counts per year,
  document frequencies, the vocabulary and (optionally) the document-term matrix,
  built chunk-wise as sparse arrays.  :func:`textkit.count_terms` fills it
  serially or on all cores, :func:`textkit.count_terms_dask` on a Dask cluster;
  the results are identical;
* :func:`serialize_corpus` -- writes a streamed bag-of-words corpus to a Matrix
  Market file that gensim models read back from disk, pass after pass.

Memory: per-year counts, document frequencies and the vocabulary grow with the
vocabulary (times the number of years), not with the number of documents.  The
per-document counts (``per_document=True``) grow with the corpus -- about 8 bytes
per distinct (document, term) pair; switch them off, or serialise to disk, for
archives larger than memory.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from textkit.corpus import CorpusWarning, Document, document_table, read_text
from textkit.errors import ConfigError, CorpusError, shorten

if TYPE_CHECKING:
    from gensim.corpora import Dictionary, MmCorpus

__all__ = [
    "DocumentTermMatrix",
    "StreamedCorpus",
    "TermCounts",
    "iter_documents",
    "iter_units",
    "iter_records",
    "serialize_corpus",
]

logger = logging.getLogger(__name__)

#: A text -> tokens callable, e.g. :class:`textkit.features.Analyzer`.
Analyzer = Callable[[str], list[str]]

#: What the workers receive: ``(doc_id, year, text, path)``; exactly one of
#: ``text`` and ``path`` is set (a path is read by the worker itself).
Record = tuple[str, "int | None", "str | None", "str | None"]


def default_analyzer() -> Analyzer:
    """Return textkit's default analyzer (cleaning + tokenising, default options).

    Examples
    --------
    >>> default_analyzer()("Japan's Self-Defense Forces")
    ['japan', 'self-defense', 'forces']
    """
    from textkit.features import Analyzer as _Analyzer

    return _Analyzer()


def _resolve(analyzer: Analyzer | None) -> Analyzer:
    if analyzer is None:
        return default_analyzer()
    if not callable(analyzer):
        raise ConfigError(
            f"'analyzer' must be a callable text -> list of tokens (got {shorten(analyzer)})"
        )
    return analyzer


# ---------------------------------------------------------------------------
# Reading a folder one file at a time


def iter_records(source: Any) -> Iterator[Record]:
    """Turn a corpus source into ``(doc_id, year, text, path)`` records, lazily.

    Parameters
    ----------
    source : str, PathLike, Corpus or iterable
        A corpus folder (records carry the file path, not the text: whoever
        processes the record reads the file), a :class:`~textkit.Corpus`, an
        iterable of :class:`~textkit.corpus.Document` (or of ``(doc_id, year,
        text)`` tuples), or an iterable of plain texts (ids ``"0"``, ``"1"``,
        ... and no year).

    Yields
    ------
    tuple
        ``(doc_id, year, text, path)``: ``year`` is an int or None; one of
        ``text`` and ``path`` is None.

    Examples
    --------
    >>> list(iter_records(["peace talks", "aid"]))
    [('0', None, 'peace talks', None), ('1', None, 'aid', None)]
    """
    if isinstance(source, (str, PathLike)):
        yield from _folder_records(Path(source), document_table(Path(source)))
        return
    for i, item in enumerate(source):
        if isinstance(item, str):
            yield (str(i), None, item, None)
        elif isinstance(item, Document):
            yield (item.doc_id, item.year, item.text, None)
        elif isinstance(item, tuple) and len(item) == 3:
            doc_id, year, text = item
            yield (str(doc_id), None if year is None or pd.isna(year) else int(year), text, None)
        else:
            raise CorpusError(
                f"Item {i} of the corpus source is a {type(item).__name__}; expected a text, "
                "a Document or a (doc_id, year, text) tuple. Pass a folder or a Corpus instead."
            )


def _folder_records(folder: Path, table: pd.DataFrame) -> Iterator[Record]:
    for doc_id, year, name in zip(table["doc_id"], table["year"], table["file"], strict=True):
        yield (str(doc_id), None if pd.isna(year) else int(year), None, str(folder / name))


def records_with_total(source: Any) -> tuple[Iterator[Record], int | None]:
    """:func:`iter_records` and the number of documents, when known without reading texts.

    Examples
    --------
    >>> records, total = records_with_total(["a", "b"])
    >>> total, next(records)
    (2, ('0', None, 'a', None))
    """
    if isinstance(source, (str, PathLike)):
        table = document_table(Path(source))
        return _folder_records(Path(source), table), len(table)
    total = len(source) if isinstance(source, Sized) else None
    return iter_records(source), total


def _record_text(record: Record) -> str:
    _, _, text, path = record
    if text is not None:
        return text
    assert path is not None
    return read_text(path)


def iter_documents(path: str | PathLike[str]) -> Iterator[Document]:
    """Yield the documents of a corpus folder one at a time.

    Only one text is in memory at a time; ``metadata.csv`` is read (and
    validated) once, up front, by :func:`textkit.corpus.read_metadata`.  The
    order is that of :func:`textkit.load_corpus` (by year, undated last, then
    ``doc_id``).  An empty file is skipped with a
    :class:`~textkit.corpus.CorpusWarning`, as in :func:`~textkit.load_corpus`.

    Parameters
    ----------
    path : str or PathLike
        The corpus folder.

    Yields
    ------
    Document
        ``(doc_id, year, text, meta)``.

    Raises
    ------
    CorpusError
        If the folder is missing or holds no documents, or a file is binary or
        not UTF-8 (raised when that file is reached).
    MetadataError
        If ``metadata.csv`` is malformed.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> docs = iter_documents(default_corpus_dir())
    >>> first = next(docs)
    >>> first.doc_id, first.year, first.meta["short_title"]
    ('blue-book-2000', 2000, 'Blue Book draft')
    """
    folder = Path(path)
    table = document_table(folder)
    meta_cols = [c for c in table.columns if c not in ("doc_id", "year")]
    for row in table.itertuples(index=False):
        record = row._asdict()
        text = read_text(folder / record["file"])
        if not text.strip():
            warnings.warn(
                f"File {str(folder / record['file'])!r} is empty and was left out.",
                CorpusWarning,
                stacklevel=2,
            )
            continue
        year = record["year"]
        yield Document(
            doc_id=str(record["doc_id"]),
            year=None if pd.isna(year) else int(year),
            text=text,
            meta={c: record[c] for c in meta_cols},
        )


def iter_units(
    path: str | PathLike[str],
    *,
    unit: Literal["passage", "paragraph", "sentence"] = "passage",
    size: int = 150,
    clean: bool = False,
) -> Iterator[tuple[str, int | None, str]]:
    """Yield the passages (or paragraphs, sentences) of a corpus folder, streamed.

    The units of :func:`textkit.segment` -- same ids ``"<doc_id>:<index>"``, same
    splitting -- one document at a time, as ``(unit_id, year, text)`` tuples that
    :func:`textkit.count_terms` and :func:`textkit.count_terms_dask` accept.

    Parameters
    ----------
    path : str or PathLike
        The corpus folder.
    unit : {"passage", "paragraph", "sentence"}, default "passage"
        What to split documents into.
    size : int, default 150
        Words per passage (``unit="passage"`` only).
    clean : bool, default False
        Clean each document with :func:`textkit.clean.clean` before splitting
        (as ``segment(corpus.map_texts(textkit.clean))`` does).

    Yields
    ------
    tuple
        ``(unit_id, year, text)``.

    Raises
    ------
    ConfigError
        If ``unit`` or ``size`` is invalid.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> unit_id, year, text = next(iter_units(default_corpus_dir(), size=50))
    >>> unit_id, year, len(text.split()) >= 25
    ('blue-book-2000:0', 2000, True)
    """
    from textkit.segment import split_paragraphs, split_passages, split_sentences

    if unit not in ("passage", "paragraph", "sentence"):
        raise ConfigError(
            f"'unit' must be one of ['paragraph', 'passage', 'sentence'] (got {shorten(unit)})"
        )
    if unit == "passage":
        split_passages("", size=size)  # validates size before any file is read
    cleaner: Callable[[str], str] | None = None
    if clean:
        from textkit.clean import clean as cleaner
    for doc in iter_documents(path):
        text = cleaner(doc.text) if cleaner is not None else doc.text
        if unit == "passage":
            pieces = split_passages(text, size=size)
        elif unit == "paragraph":
            pieces = split_paragraphs(text)
        else:
            pieces = split_sentences(text)
        for index, piece in enumerate(pieces):
            yield (f"{doc.doc_id}:{index}", doc.year, piece)


# ---------------------------------------------------------------------------
# Counting


@dataclass(frozen=True)
class DocumentTermMatrix:
    """A sparse document-term matrix that carries its labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Counts, one row per document, one column per term (int64).
    doc_ids : pandas.Index
        Row labels.
    terms : pandas.Index
        Column labels (sorted alphabetically unless a vocabulary was given).
    years : pandas.Series
        Year of each document (nullable ``Int64``), indexed by ``doc_id``.

    Examples
    --------
    >>> counts = TermCounts.from_tokens([("a", 2001, ["peace", "aid", "peace"])])
    >>> counts.document_term_matrix().to_frame()
           aid  peace
    doc_id
    a        1      2
    """

    matrix: sp.csr_matrix
    doc_ids: pd.Index
    terms: pd.Index
    years: pd.Series

    @property
    def shape(self) -> tuple[int, int]:
        """``(n_documents, n_terms)``."""
        return (int(self.matrix.shape[0]), int(self.matrix.shape[1]))

    def to_frame(self) -> pd.DataFrame:
        """Return the matrix as a DataFrame (dense: only for small matrices)."""
        return pd.DataFrame(
            self.matrix.toarray(),
            index=self.doc_ids.rename("doc_id"),
            columns=self.terms.rename(None),
        )


_EMPTY_BY_YEAR = pd.DataFrame(
    {
        "year": pd.array([], dtype="Int64"),
        "term": pd.Series([], dtype=object),
        "n_docs": np.array([], dtype=np.int64),
        "count": np.array([], dtype=np.int64),
        "tokens": np.array([], dtype=np.int64),
    }
)


def _year_key(year: int | None) -> tuple[bool, int]:
    return (year is None, 0 if year is None else year)


@dataclass
class TermCounts:
    """Term counts from a stream of documents, mergeable chunk by chunk.

    Build one with :func:`textkit.count_terms` (serial or all cores),
    :func:`textkit.count_terms_dask` or :meth:`from_tokens`; combine partial
    counts with :meth:`merge`.  Merging in document order gives exactly the
    counts of a single pass.

    Attributes
    ----------
    year_counts : dict
        ``{year: Counter(term -> count)}``; the key ``None`` holds undated documents.
    year_tokens, year_documents : Counter
        Tokens and documents per year (key ``None`` for undated).
    doc_freq : Counter
        Number of documents each term occurs in.
    per_document : bool
        Whether per-document counts (:meth:`by_document`,
        :meth:`document_term_matrix`) are kept; they grow with the corpus.

    Examples
    --------
    >>> counts = TermCounts.from_tokens([
    ...     ("a", 2001, ["peace", "aid", "peace"]),
    ...     ("b", 2002, ["aid"]),
    ...     ("c", None, ["peace"]),
    ... ])
    >>> counts.by_year()
       year   term  n_docs  count  tokens
    0  2001    aid       1      1       3
    1  2001  peace       1      2       3
    2  2002    aid       1      1       1
    >>> counts.vocabulary()
           count  doc_freq
    term
    peace      3         2
    aid        2         2
    """

    per_document: bool = True
    year_counts: dict[int | None, Counter[str]] = field(default_factory=dict)
    year_tokens: Counter[int | None] = field(default_factory=Counter)
    year_documents: Counter[int | None] = field(default_factory=Counter)
    doc_freq: Counter[str] = field(default_factory=Counter)
    # Per-document counts as a growing CSR matrix over a first-seen vocabulary.
    _doc_ids: list[str] = field(default_factory=list, init=False, repr=False)
    _doc_years: list[int | None] = field(default_factory=list, init=False, repr=False)
    _doc_tokens: array[int] = field(default_factory=lambda: array("q"), init=False, repr=False)
    _vocab: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _indices: array[int] = field(default_factory=lambda: array("i"), init=False, repr=False)
    _data: array[int] = field(default_factory=lambda: array("i"), init=False, repr=False)
    _indptr: array[int] = field(default_factory=lambda: array("q", [0]), init=False, repr=False)

    @classmethod
    def from_tokens(
        cls, documents: Iterable[tuple[str, int | None, list[str]]], *, per_document: bool = True
    ) -> TermCounts:
        """Count already tokenised documents ``(doc_id, year, tokens)``.

        Examples
        --------
        >>> TermCounts.from_tokens([("a", 2001, ["x", "y", "x"])]).n_tokens
        3
        """
        counts = cls(per_document=per_document)
        for doc_id, year, tokens in documents:
            counts.add(doc_id, year, tokens)
        return counts

    @property
    def n_documents(self) -> int:
        """Number of documents counted (dated and undated)."""
        return sum(self.year_documents.values())

    @property
    def n_tokens(self) -> int:
        """Number of tokens counted."""
        return sum(self.year_tokens.values())

    @property
    def n_undated(self) -> int:
        """Number of undated documents (left out of :meth:`by_year`)."""
        return self.year_documents.get(None, 0)

    def add(self, doc_id: str, year: int | None, tokens: list[str]) -> None:
        """Add one tokenised document.

        Examples
        --------
        >>> c = TermCounts()
        >>> c.add("a", 2001, ["peace", "peace"])
        >>> c.year_counts[2001]["peace"]
        2
        """
        counter = Counter(tokens)
        year_counter = self.year_counts.get(year)
        if year_counter is None:
            year_counter = self.year_counts[year] = Counter()
        year_counter.update(tokens)
        self.year_tokens[year] += len(tokens)
        self.year_documents[year] += 1
        self.doc_freq.update(counter.keys())
        if self.per_document:
            vocab = self._vocab
            new_terms = counter.keys() - vocab.keys()
            if new_terms:
                # Column ids in first-seen order; the matrix is sorted by term at the end.
                vocab.update(zip(sorted(new_terms), itertools.count(len(vocab))))
            self._indices.extend(map(vocab.__getitem__, counter))
            self._data.extend(counter.values())
            self._indptr.append(len(self._indices))
            self._doc_ids.append(doc_id)
            self._doc_years.append(year)
            self._doc_tokens.append(len(tokens))

    def merge(self, other: TermCounts) -> TermCounts:
        """Add ``other``'s counts to these (in place) and return ``self``.

        ``other``'s documents come after this object's documents.

        Examples
        --------
        >>> a = TermCounts.from_tokens([("a", 2001, ["x"])])
        >>> b = TermCounts.from_tokens([("b", 2001, ["x", "y"])])
        >>> a.merge(b).year_counts[2001]
        Counter({'x': 2, 'y': 1})
        """
        if other.per_document != self.per_document:
            raise ValueError("cannot merge counts with and without per-document counts")
        for year, counter in other.year_counts.items():
            mine = self.year_counts.get(year)
            if mine is None:
                self.year_counts[year] = Counter(counter)
            else:
                mine.update(counter)
        self.year_tokens.update(other.year_tokens)
        self.year_documents.update(other.year_documents)
        self.doc_freq.update(other.doc_freq)
        if self.per_document:
            vocab = self._vocab
            mapping = np.array(
                [vocab.setdefault(t, len(vocab)) for t in other._vocab], dtype=np.int64
            )
            offset = self._indptr[-1]
            other_indices = np.frombuffer(other._indices, dtype=np.int32)
            self._indices.frombytes(mapping[other_indices].astype(np.int32).tobytes())
            self._data.extend(other._data)
            other_indptr = np.frombuffer(other._indptr, dtype=np.int64)[1:] + offset
            self._indptr.frombytes(other_indptr.tobytes())
            self._doc_ids.extend(other._doc_ids)
            self._doc_years.extend(other._doc_years)
            self._doc_tokens.extend(other._doc_tokens)
        return self

    # -- results -----------------------------------------------------------

    def by_year(self, *, include_undated: bool = False) -> pd.DataFrame:
        """Term counts per year, one row per (year, term) that occurs.

        Parameters
        ----------
        include_undated : bool, default False
            Keep undated documents as a row group with year ``<NA>``; by default
            they are left out (``df.attrs["n_undated"]`` says how many).

        Returns
        -------
        pandas.DataFrame
            Columns ``year`` (``Int64``), ``term``, ``n_docs`` (documents of
            that year), ``count`` (occurrences of the term in that year) and
            ``tokens`` (all tokens of that year), sorted by year then term.
            ``10_000 * count / tokens`` is the rate per 10,000 tokens, as in
            :func:`textkit.trends.yearly_rates`.
        """
        years = sorted(
            (y for y in self.year_counts if include_undated or y is not None), key=_year_key
        )
        frames = [_EMPTY_BY_YEAR]
        for year in years:
            counter = self.year_counts[year]
            terms = sorted(counter)
            n = len(terms)
            frames.append(
                pd.DataFrame(
                    {
                        "year": pd.array([year] * n, dtype="Int64"),
                        "term": pd.Series(terms, dtype=object),
                        "n_docs": np.full(n, self.year_documents[year], dtype=np.int64),
                        "count": np.fromiter((counter[t] for t in terms), np.int64, n),
                        "tokens": np.full(n, self.year_tokens[year], dtype=np.int64),
                    }
                )
            )
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else _EMPTY_BY_YEAR.copy()
        out.attrs["n_undated"] = 0 if include_undated else self.n_undated
        if self.n_undated and not include_undated:
            logger.info("by_year: %d undated document(s) left out", self.n_undated)
        return out

    def vocabulary(
        self, *, min_count: int = 1, min_df: int = 1, max_terms: int | None = None
    ) -> pd.DataFrame:
        """The vocabulary with corpus frequency and document frequency.

        Parameters
        ----------
        min_count : int, default 1
            Keep terms occurring at least this many times in the corpus.
        min_df : int, default 1
            Keep terms occurring in at least this many documents.
        max_terms : int, optional
            Keep only the most frequent terms (ties broken alphabetically).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``term``; columns ``count`` and ``doc_freq``; sorted by
            count (descending) then term.

        Raises
        ------
        ConfigError
            If an option is not a positive int.
        """
        for name, value in (("min_count", min_count), ("min_df", min_df), ("max_terms", max_terms)):
            if value is None and name == "max_terms":
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"'{name}' must be a positive int (got {shorten(value)})")
        total: Counter[str] = Counter()
        for counter in self.year_counts.values():
            total.update(counter)
        terms = sorted(total)
        frame = pd.DataFrame(
            {
                "count": np.fromiter((total[t] for t in terms), np.int64, len(terms)),
                "doc_freq": np.fromiter((self.doc_freq[t] for t in terms), np.int64, len(terms)),
            },
            index=pd.Index(terms, name="term", dtype=object),
        )
        frame = frame[(frame["count"] >= min_count) & (frame["doc_freq"] >= min_df)]
        frame = frame.sort_values("count", ascending=False, kind="mergesort")
        if max_terms is not None:
            frame = frame.head(max_terms)
        return frame

    def _require_documents(self, what: str) -> None:
        if not self.per_document:
            raise ConfigError(
                f"{what} needs per-document counts, which were not kept. "
                "Count again with per_document=True (memory grows with the corpus), "
                "or use by_year() and vocabulary()."
            )

    def documents(self) -> pd.DataFrame:
        """One row per document: ``doc_id``, ``year`` and its number of ``tokens``.

        Examples
        --------
        >>> TermCounts.from_tokens([("a", None, ["x"])]).documents()
          doc_id  year  tokens
        0      a  <NA>       1
        """
        self._require_documents("documents()")
        return pd.DataFrame(
            {
                "doc_id": pd.Series(self._doc_ids, dtype=object),
                "year": pd.array(self._doc_years, dtype="Int64"),
                "tokens": np.asarray(self._doc_tokens, dtype=np.int64),
            }
        )

    def document_term_matrix(
        self, *, vocabulary: Iterable[str] | None = None
    ) -> DocumentTermMatrix:
        """The document-term matrix, rows in document order.

        Parameters
        ----------
        vocabulary : iterable of str, optional
            Columns to keep, in this order (e.g. ``vocabulary().index`` to cap
            the vocabulary); terms of the vocabulary that never occur give empty
            columns.  By default every term, sorted alphabetically.

        Returns
        -------
        DocumentTermMatrix

        Raises
        ------
        ConfigError
            If per-document counts were not kept.
        """
        self._require_documents("document_term_matrix()")
        local_terms = list(self._vocab)
        n_docs = len(self._doc_ids)
        matrix = sp.csr_matrix(
            (
                np.asarray(self._data, dtype=np.int64),
                np.asarray(self._indices, dtype=np.int64),
                np.asarray(self._indptr, dtype=np.int64),
            ),
            shape=(n_docs, len(local_terms)),
        )
        terms = sorted(local_terms) if vocabulary is None else list(vocabulary)
        position = {t: i for i, t in enumerate(local_terms)}
        keep = [i for i, t in enumerate(terms) if t in position]
        select = sp.csr_matrix(
            (
                np.ones(len(keep), dtype=np.int64),
                (np.array([position[terms[i]] for i in keep], dtype=np.int64), np.array(keep)),
            ),
            shape=(len(local_terms), len(terms)),
        )
        out = (matrix @ select).tocsr()
        out.sort_indices()
        doc_ids = pd.Index(self._doc_ids, name="doc_id", dtype=object)
        return DocumentTermMatrix(
            matrix=out,
            doc_ids=doc_ids,
            terms=pd.Index(terms, name="term", dtype=object),
            years=pd.Series(pd.array(self._doc_years, dtype="Int64"), index=doc_ids, name="year"),
        )

    def by_document(self) -> pd.DataFrame:
        """Term counts per document, one row per (document, term) that occurs.

        Returns
        -------
        pandas.DataFrame
            Columns ``doc_id``, ``year``, ``term``, ``count`` and ``tokens``
            (all tokens of that document), documents in input order, terms
            sorted within each document.

        Examples
        --------
        >>> TermCounts.from_tokens([("a", 2001, ["y", "x", "y"])]).by_document()
          doc_id  year term  count  tokens
        0      a  2001    x      1       3
        1      a  2001    y      2       3
        """
        dtm = self.document_term_matrix()
        coo = dtm.matrix.tocoo()
        rows = coo.row
        tokens = np.asarray(self._doc_tokens, dtype=np.int64)
        return pd.DataFrame(
            {
                "doc_id": dtm.doc_ids.to_numpy()[rows],
                "year": pd.array(np.asarray(self._doc_years, dtype=object)[rows], dtype="Int64"),
                "term": dtm.terms.to_numpy()[coo.col],
                "count": coo.data.astype(np.int64),
                "tokens": tokens[rows],
            }
        )

    def term_table(self, terms: Iterable[str]) -> pd.DataFrame:
        """Counts of chosen terms in every dated document, zeros included.

        The table of :func:`textkit.trends.term_counts` (with ``years=``), so
        :func:`textkit.trends.term_rates` and the trend tests run on a streamed
        archive.  Terms are matched as single tokens: normalise them first with
        the analyzer that made the counts (``analyzer.normalize_term``).

        Parameters
        ----------
        terms : iterable of str
            Normalised terms; a term that never occurs gets zero counts.

        Returns
        -------
        pandas.DataFrame
            Columns ``term``, ``doc_id``, ``year``, ``count``, ``tokens``; one
            row per term and dated document, sorted by term then document
            order; ``attrs["undated"]`` lists the documents left out.

        Raises
        ------
        ConfigError
            If per-document counts were not kept.

        Examples
        --------
        >>> c = TermCounts.from_tokens([("a", 2001, ["x", "y", "x"]), ("b", None, ["x"])])
        >>> c.term_table(["x", "never"])
            term doc_id  year  count  tokens
        0  never      a  2001      0       3
        1      x      a  2001      2       3
        """
        if isinstance(terms, str):
            raise ConfigError(f"'terms' must be a list of terms, not one string (got {terms!r})")
        term_list = sorted(dict.fromkeys(terms))
        dtm = self.document_term_matrix(vocabulary=term_list)
        dated = dtm.years.notna().to_numpy()
        doc_ids = dtm.doc_ids.to_numpy()[dated]
        dense = dtm.matrix[np.flatnonzero(dated)].toarray().T  # terms x dated documents
        n_docs = len(doc_ids)
        years = dtm.years.to_numpy()[dated]
        tokens = np.asarray(self._doc_tokens, dtype=np.int64)[dated]
        out = pd.DataFrame(
            {
                "term": pd.Series(np.repeat(np.array(term_list, dtype=object), n_docs)),
                "doc_id": pd.Series(np.tile(doc_ids, len(term_list)), dtype=object),
                "year": pd.array(np.tile(years, len(term_list)), dtype="Int64"),
                "count": dense.reshape(-1).astype(np.int64),
                "tokens": np.tile(tokens, len(term_list)),
            }
        )
        out.attrs["undated"] = dtm.doc_ids[~dated].tolist()
        return out

    def to_dictionary(self) -> Dictionary:
        """A gensim :class:`~gensim.corpora.Dictionary` with these counts.

        Term ids follow the alphabetical order of terms, so they do not depend
        on the order documents were read in.

        Examples
        --------
        >>> d = TermCounts.from_tokens([("a", 2001, ["peace", "aid", "peace"])]).to_dictionary()
        >>> d.token2id, d.dfs, d.cfs
        ({'aid': 0, 'peace': 1}, {0: 1, 1: 1}, {0: 1, 1: 2})
        """
        from gensim.corpora import Dictionary

        vocab = self.vocabulary().sort_index()
        dictionary = Dictionary()
        dictionary.token2id = {t: i for i, t in enumerate(vocab.index)}
        dictionary.dfs = {i: int(v) for i, v in enumerate(vocab["doc_freq"])}
        dictionary.cfs = {i: int(v) for i, v in enumerate(vocab["count"])}
        dictionary.num_docs = self.n_documents
        dictionary.num_pos = self.n_tokens
        dictionary.num_nnz = int(vocab["doc_freq"].sum())
        dictionary.id2token = {}
        return dictionary


def count_record_batch(
    records: Iterable[Record], analyzer: Analyzer, per_document: bool = True
) -> TermCounts:
    """Count one batch of records (the unit of work of every backend).

    A module-level function, so that it pickles to joblib and Dask workers.

    Examples
    --------
    >>> c = count_record_batch([("a", 2001, "peace, aid", None)], str.split)
    >>> c.year_counts
    {2001: Counter({'peace,': 1, 'aid': 1})}
    """
    counts = TermCounts(per_document=per_document)
    for record in records:
        counts.add(record[0], record[1], analyzer(_record_text(record)))
    return counts


def merge_counts(parts: Iterable[TermCounts], *, per_document: bool = True) -> TermCounts:
    """Merge partial counts in order into one :class:`TermCounts`.

    Examples
    --------
    >>> parts = [TermCounts.from_tokens([(d, 1, ["x"])]) for d in ("a", "b")]
    >>> merge_counts(parts).year_counts
    {1: Counter({'x': 2})}
    """
    total = TermCounts(per_document=per_document)
    for part in parts:
        total.merge(part)
    return total


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
