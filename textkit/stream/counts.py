"""Count terms incrementally: a mergeable accumulator and the sparse document-term matrix."""

from __future__ import annotations

import itertools
import logging
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.sparse as sp

from textkit.errors import ConfigError, shorten

if TYPE_CHECKING:
    from gensim.corpora import Dictionary
from textkit.stream.records import Analyzer, Record, _record_text

logger = logging.getLogger(__name__)


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
