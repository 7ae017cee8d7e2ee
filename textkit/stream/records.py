"""Read a corpus one document at a time: records for workers, documents, passages."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sized
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from textkit.corpus import CorpusWarning, Document, document_table, read_text
from textkit.errors import ConfigError, CorpusError, shorten

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
