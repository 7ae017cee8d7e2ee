"""Load a corpus folder: UTF-8 ``.txt`` documents plus an optional ``metadata.csv``.

A corpus folder holds one UTF-8 text file per document.  An optional
``metadata.csv`` (UTF-8, a BOM is fine) describes them, one row per file:

* ``file`` (required): the file name, relative to the folder;
* ``year`` (required column): a whole year such as ``2004``, or empty when the
  document cannot be dated (analyses that need a year leave it out and say so);
* ``doc_id`` (optional): a short readable id; defaults to the file stem;
* any other column (``title``, ``short_title``, ``date``, ``source`` ...) is
  kept as a document variable.

Without ``metadata.csv`` every ``.txt`` file is a document, ``doc_id`` is its
stem and ``year`` is read from a leading four-digit year in the file name
(``2004_speech.txt``), with a :class:`MetadataWarning` saying so.

Decisions, documented here once:

* a file that is not valid UTF-8 (e.g. saved as cp1252) is an error naming the
  file, the byte offset and how to convert it -- guessing an encoding would
  silently corrupt characters;
* an empty (or whitespace-only) file is left out with a :class:`CorpusWarning`
  naming it, and listed in :attr:`Corpus.skipped`;
* a ``.txt`` file not listed in ``metadata.csv`` is kept, with metadata
  inferred from its name and a warning naming it;
* CRLF and CR line endings are read as ``\\n``; a UTF-8 BOM is dropped;
* nothing is ever written into the corpus folder.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from textkit.errors import CorpusError, MetadataError, shorten

__all__ = [
    "Corpus",
    "CorpusWarning",
    "Document",
    "doc_labels",
    "document_table",
    "MetadataWarning",
    "load_corpus",
    "read_metadata",
    "read_text",
]

logger = logging.getLogger(__name__)

METADATA_FILE = "metadata.csv"
_YEAR_IN_NAME = re.compile(r"^(\d{4})(?!\d)")
_CORE_COLUMNS = ("doc_id", "year", "text")


class CorpusWarning(UserWarning):
    """A document was skipped or read with a caveat (e.g. an empty file)."""


class MetadataWarning(UserWarning):
    """Metadata was inferred rather than read from ``metadata.csv``."""


class Document(NamedTuple):
    """One document as yielded when iterating a :class:`Corpus`."""

    doc_id: str
    year: int | None
    text: str
    meta: dict[str, Any]


def read_text(path: str | Path) -> str:
    """Read one corpus file as UTF-8 text with ``\\n`` line endings.

    Parameters
    ----------
    path : str or Path
        The text file.

    Returns
    -------
    str
        The text, BOM removed, CRLF/CR turned into LF.

    Raises
    ------
    CorpusError
        If the file looks binary (contains NUL bytes) or is not valid UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_bytes("\\ufeffPeace\\r\\nbuilding".encode("utf-8"))
    >>> read_text(p)
    'Peace\\nbuilding'
    """
    path = Path(path)
    data = path.read_bytes()
    if b"\x00" in data:
        raise CorpusError(
            f"File {str(path)!r} looks binary (it contains NUL bytes). "
            "Remove it from the corpus folder or convert it to UTF-8 text."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"File {str(path)!r} is not valid UTF-8 (byte {exc.start}: "
            f"{data[exc.start : exc.start + 1]!r}). Re-save it as UTF-8, e.g. "
            f"`iconv -f cp1252 -t utf-8 {path.name} > fixed.txt`, if it came from Windows."
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _parse_year(value: str, *, where: str) -> int | None:
    value = value.strip()
    if value == "":
        return None
    if re.fullmatch(r"-?\d{1,4}", value):
        return int(value)
    raise MetadataError(
        f"{where}: year {shorten(value)} is not a whole year. "
        "Write it as an integer such as 2004, or leave the cell empty if the document is undated."
    )


def _year_from_name(name: str) -> int | None:
    match = _YEAR_IN_NAME.match(name)
    return int(match.group(1)) if match else None


def read_metadata(folder: str | Path) -> pd.DataFrame | None:
    """Read and validate ``metadata.csv`` of a corpus folder.

    Parameters
    ----------
    folder : str or Path
        The corpus folder.

    Returns
    -------
    pandas.DataFrame or None
        One row per listed file with columns ``file``, ``doc_id``, ``year``
        (nullable ``Int64``) and every other column as text; ``None`` when the
        folder has no ``metadata.csv``.

    Raises
    ------
    MetadataError
        If a required column is missing, a row names a missing file or a path
        outside the folder, a file or ``doc_id`` is listed twice, or a year is
        not an integer.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> meta = read_metadata(default_corpus_dir())
    >>> list(meta.columns[:3])
    ['file', 'doc_id', 'year']
    """
    folder = Path(folder)
    path = folder / METADATA_FILE
    if not path.is_file():
        return None
    try:
        raw = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skipinitialspace=False
        )
    except UnicodeDecodeError:
        raise MetadataError(f"{str(path)!r} is not valid UTF-8. Re-save it as UTF-8.") from None
    except pd.errors.ParserError as exc:
        raise MetadataError(f"{str(path)!r} is not a valid CSV file: {exc}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in ("file", "year") if c not in raw.columns]
    if missing:
        raise MetadataError(
            f"{str(path)!r} lacks the required column(s) {', '.join(missing)}. "
            f"Its columns are {list(raw.columns)}; add a 'file' and a 'year' column "
            "(leave a year empty when the document is undated)."
        )
    root = folder.resolve()
    # Plain files of the folder, listed once: a name found here is inside the folder
    # and exists, which spares resolving every path of a large archive.  Links and
    # paths into subfolders take the full check below.
    plain = {e.name for e in os.scandir(folder) if e.is_file(follow_symlinks=False)}
    doc_ids = raw["doc_id"] if "doc_id" in raw.columns else [""] * len(raw)
    files, ids, years = [], [], []
    rows = zip(raw["file"], doc_ids, raw["year"], strict=True)
    for offset, (cell, doc_cell, year) in enumerate(rows):
        line = offset + 2  # header is line 1
        name = cell.strip()
        where = f"{path.name} line {line} (file {shorten(name)})"
        if not name:
            raise MetadataError(
                f"{path.name} line {line}: the 'file' cell is empty. Name a .txt file."
            )
        if name not in plain:
            target = (folder / name).resolve()
            if Path(name).is_absolute() or root not in target.parents:
                raise MetadataError(
                    f"{where}: the path points outside the corpus folder. "
                    "Name files relative to the folder, without '..' or absolute paths."
                )
            if not target.is_file():
                raise MetadataError(
                    f"{where}: no such file in {str(folder)!r}. Fix the name or remove the row."
                )
        files.append(name)
        ids.append(doc_cell.strip() or Path(name).stem)
        years.append(_parse_year(year, where=where))
    meta = raw.drop(columns=[c for c in ("file", "doc_id", "year") if c in raw.columns])
    meta.insert(0, "file", files)
    meta.insert(1, "doc_id", ids)
    meta.insert(2, "year", pd.array(years, dtype="Int64"))
    for column, what in (("file", "file"), ("doc_id", "doc_id")):
        dup = meta[column][meta[column].duplicated()]
        if len(dup):
            raise MetadataError(
                f"{path.name}: {what} {shorten(dup.iloc[0])} appears more than once. "
                f"Give every document a unique {what}."
            )
    return meta


class Corpus:
    """A corpus: a thin, immutable wrapper over a table of documents.

    Parameters
    ----------
    docs : pandas.DataFrame
        One row per document with columns ``doc_id``, ``year`` and ``text``;
        other columns are document variables.
    source : str, optional
        Where the corpus came from (shown in the summary).

    Examples
    --------
    >>> import pandas as pd
    >>> c = Corpus(pd.DataFrame({"doc_id": ["a", "b"], "year": [2001, None],
    ...                          "text": ["peace talks", "aid"]}))
    >>> c
    <Corpus: 2 documents, 3 words, years 2001-2001, 1 undated>
    >>> [d.doc_id for d in c]
    ['a', 'b']
    """

    def __init__(
        self,
        docs: pd.DataFrame,
        *,
        source: str | None = None,
        skipped: tuple[str, ...] = (),
    ) -> None:
        missing = [c for c in _CORE_COLUMNS if c not in docs.columns]
        if missing:
            raise CorpusError(
                f"A corpus table needs the columns doc_id, year and text; {missing} missing."
            )
        if docs["doc_id"].duplicated().any():
            dup = docs["doc_id"][docs["doc_id"].duplicated()].iloc[0]
            raise CorpusError(f"doc_id {shorten(dup)} appears more than once; ids must be unique.")
        frame = docs.copy()
        frame["doc_id"] = frame["doc_id"].astype(str)
        frame["year"] = pd.array(frame["year"], dtype="Int64")
        others = [c for c in frame.columns if c not in _CORE_COLUMNS]
        self._docs = frame[[*_CORE_COLUMNS, *others]].reset_index(drop=True)
        self.source = source
        self.skipped = skipped
        self._labels: pd.Series | None = None  # built on first use: the table never changes

    @classmethod
    def from_frame(cls, docs: pd.DataFrame, *, source: str | None = None) -> Corpus:
        """Build a corpus from a DataFrame with ``doc_id``, ``year`` and ``text`` columns.

        Examples
        --------
        >>> import pandas as pd
        >>> len(Corpus.from_frame(pd.DataFrame({"doc_id": ["x"], "year": [2000], "text": ["t"]})))
        1
        """
        return cls(docs, source=source)

    @property
    def docs(self) -> pd.DataFrame:
        """The documents as a DataFrame (a copy: changing it leaves the corpus as it is)."""
        return self._docs.copy()

    @property
    def doc_ids(self) -> list[str]:
        """Document ids in corpus order."""
        return self._docs["doc_id"].tolist()

    @property
    def texts(self) -> Iterator[str]:
        """Stream the texts in corpus order."""
        return iter(self._docs["text"].tolist())

    @property
    def undated_ids(self) -> list[str]:
        """Ids of the documents without a year."""
        return self._docs.loc[self._docs["year"].isna(), "doc_id"].tolist()

    @property
    def labels(self) -> pd.Series:
        """Readable labels, ``"<short title> (<year>)"``, indexed by ``doc_id``.

        Uses the ``short_title`` column if present, else ``title`` (shortened),
        else the ``doc_id``; undated documents read ``"(undated)"``.  Built once per
        corpus (a copy is returned, so the corpus cannot be changed through it).
        """
        if self._labels is None:
            self._labels = doc_labels(self._docs)
        return self._labels.copy()

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[Document]:
        meta_cols = [c for c in self._docs.columns if c not in _CORE_COLUMNS]
        for row in self._docs.itertuples(index=False):
            record = row._asdict()
            year = record["year"]
            yield Document(
                doc_id=record["doc_id"],
                year=None if pd.isna(year) else int(year),
                text=record["text"],
                meta={c: record[c] for c in meta_cols},
            )

    def __repr__(self) -> str:
        n_words = int(self._docs["text"].str.split().str.len().sum())
        years = self._docs["year"].dropna()
        span = f"years {years.min()}-{years.max()}" if len(years) else "no years"
        parts = [f"{len(self)} documents", f"{n_words:,} words", span]
        if self.undated_ids:
            parts.append(f"{len(self.undated_ids)} undated")
        where = f"; from {self.source}" if self.source else ""
        return f"<Corpus: {', '.join(parts)}{where}>"

    def subset(self, doc_ids: list[str]) -> Corpus:
        """Return a new corpus with the given documents, in corpus order.

        Examples
        --------
        >>> import pandas as pd
        >>> c = Corpus(pd.DataFrame({"doc_id": ["a", "b"], "year": [1, 2], "text": ["x", "y"]}))
        >>> c.subset(["b"]).doc_ids
        ['b']
        """
        unknown = sorted(set(doc_ids) - set(self.doc_ids))
        if unknown:
            raise CorpusError(
                f"Unknown doc_id(s) {shorten(unknown)}; known ids: {shorten(self.doc_ids)}."
            )
        keep = self._docs["doc_id"].isin(doc_ids)
        return Corpus(self._docs[keep], source=self.source, skipped=self.skipped)

    def dated(self) -> Corpus:
        """Return a new corpus without the undated documents.

        Examples
        --------
        >>> import pandas as pd
        >>> c = Corpus(pd.DataFrame({"doc_id": ["a", "b"], "year": [2001, None],
        ...                          "text": ["x", "y"]}))
        >>> c.dated().doc_ids
        ['a']
        """
        return Corpus(self._docs[self._docs["year"].notna()], source=self.source)

    def with_texts(self, texts: Mapping[str, str] | pd.Series) -> Corpus:
        """Return a new corpus whose texts are replaced (e.g. by cleaned ones).

        Parameters
        ----------
        texts : mapping or Series
            New text per ``doc_id``; every document must be covered.

        Examples
        --------
        >>> import pandas as pd
        >>> c = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2001], "text": ["X"]}))
        >>> c.with_texts({"a": "x"}).docs.loc[0, "text"]
        'x'
        """
        mapping = dict(texts.items())
        missing = [d for d in self.doc_ids if d not in mapping]
        if missing:
            raise CorpusError(f"No new text for doc_id(s) {shorten(missing)}.")
        frame = self._docs.copy()
        frame["text"] = [mapping[d] for d in frame["doc_id"]]
        return Corpus(frame, source=self.source, skipped=self.skipped)

    def map_texts(self, func: Any) -> Corpus:
        """Return a new corpus with ``func`` applied to every text.

        Examples
        --------
        >>> import pandas as pd
        >>> c = Corpus(pd.DataFrame({"doc_id": ["a"], "year": [2001], "text": ["X"]}))
        >>> c.map_texts(str.lower).docs.loc[0, "text"]
        'x'
        """
        return self.with_texts({d: func(t) for d, t in zip(self.doc_ids, self.texts, strict=True)})


def doc_labels(docs: pd.DataFrame, *, width: int = 28) -> pd.Series:
    """Readable labels ``"<short title> (<year>)"`` for a table of documents.

    Parameters
    ----------
    docs : pandas.DataFrame
        Columns ``doc_id`` and ``year``, optionally ``short_title`` or ``title``.
    width : int
        Longest title kept before it is shortened with an ellipsis.

    Returns
    -------
    pandas.Series
        Labels indexed by ``doc_id``; made unique by appending the id if needed.

    Examples
    --------
    >>> import pandas as pd
    >>> doc_labels(pd.DataFrame({"doc_id": ["a", "b"], "year": [2000, None],
    ...                          "title": ["Blue Book", "Essay"]})).tolist()
    ['Blue Book (2000)', 'Essay (undated)']
    """
    labels = []
    for _, row in docs.iterrows():
        title = ""
        for column in ("short_title", "title"):
            if column in docs.columns and isinstance(row[column], str) and row[column].strip():
                title = row[column].strip()
                break
        title = title or str(row["doc_id"])
        if len(title) > width:
            title = title[: width - 1].rstrip() + "…"
        year = row["year"]
        labels.append(f"{title} ({'undated' if pd.isna(year) else int(year)})")
    series = pd.Series(labels, index=docs["doc_id"].astype(str).tolist(), name="label")
    dup = series.duplicated(keep=False)
    if dup.any():
        series[dup] = [
            f"{lab} [{i}]" for lab, i in zip(series[dup], series.index[dup], strict=True)
        ]
    return series


def _sort_docs(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame.assign(_undated=frame["year"].isna()).sort_values(
        ["_undated", "year", "doc_id"], kind="mergesort"
    )
    return order.drop(columns="_undated").reset_index(drop=True)


def document_table(path: str | Path) -> pd.DataFrame:
    """The documents of a corpus folder, without their texts, in corpus order.

    One row per ``.txt`` file: ``file``, ``doc_id``, ``year`` and every other
    ``metadata.csv`` column, sorted as :func:`load_corpus` sorts (by year,
    undated last, then ``doc_id``).  Files missing from ``metadata.csv`` are
    added with metadata inferred from their names, with a warning.  No text is
    read, so this is cheap on a large archive; :func:`load_corpus` and the
    streaming readers of :mod:`textkit.stream` both start from it.

    Parameters
    ----------
    path : str or Path
        A corpus folder (see the module docstring for the format).

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    CorpusError
        If the folder is missing, is a file, or holds no documents.
    MetadataError
        If ``metadata.csv`` is malformed (see :func:`read_metadata`), or an
        unlisted file's inferred ``doc_id`` is already taken.

    Warns
    -----
    MetadataWarning
        When metadata is inferred from file names.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> table = document_table(default_corpus_dir())
    >>> list(table.columns[:3]), len(table)
    (['file', 'doc_id', 'year'], 5)
    >>> table["year"].tolist()
    [2000, 2006, 2007, 2008, <NA>]
    """
    return _document_table(Path(path), stacklevel=3)


def _document_table(folder: Path, *, stacklevel: int) -> pd.DataFrame:
    if not folder.exists():
        raise CorpusError(
            f"Corpus folder {str(folder)!r} does not exist. "
            "Pass the folder that holds the .txt documents."
        )
    if not folder.is_dir():
        raise CorpusError(
            f"{str(folder)!r} is a file, not a folder. Pass the folder that holds it."
        )
    txt_files = sorted(
        p.name for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file()
    )
    meta = read_metadata(folder)
    if not txt_files and (meta is None or meta.empty):
        raise CorpusError(
            f"Corpus folder {str(folder)!r} has no .txt documents. "
            "Put one UTF-8 .txt file per document in it."
        )
    if meta is None:
        warnings.warn(
            f"{str(folder)!r} has no {METADATA_FILE}: doc_id taken from file names and year from a "
            "leading four-digit year in them where present. Add a metadata.csv to set them.",
            MetadataWarning,
            stacklevel=stacklevel,
        )
        meta = pd.DataFrame(
            {
                "file": txt_files,
                "doc_id": [Path(n).stem for n in txt_files],
                "year": pd.array([_year_from_name(n) for n in txt_files], dtype="Int64"),
            }
        )
    else:
        listed = set(meta["file"])  # once: a set per file made this quadratic in the files
        unlisted = [n for n in txt_files if n not in listed]
        if unlisted:
            warnings.warn(
                f"{len(unlisted)} .txt file(s) in {str(folder)!r} are not in {METADATA_FILE} "
                f"and were added with metadata inferred from their names: "
                f"{shorten(unlisted, 200)}.",
                MetadataWarning,
                stacklevel=stacklevel,
            )
            extra = pd.DataFrame(
                {
                    "file": unlisted,
                    "doc_id": [Path(n).stem for n in unlisted],
                    "year": pd.array([_year_from_name(n) for n in unlisted], dtype="Int64"),
                }
            )
            meta = pd.concat([meta, extra], ignore_index=True)
            if meta["doc_id"].duplicated().any():
                dup = meta["doc_id"][meta["doc_id"].duplicated()].iloc[0]
                raise MetadataError(
                    f"doc_id {shorten(dup)} is used twice (once for an unlisted file). "
                    f"Add the file to {METADATA_FILE} with its own doc_id."
                )
    return _sort_docs(meta)


def load_corpus(path: str | Path) -> Corpus:
    """Load a corpus folder into a :class:`Corpus`.

    Documents are sorted by year (undated last), then ``doc_id``, so the same
    folder always gives the same order whatever the file system says.

    Parameters
    ----------
    path : str or Path
        Folder of UTF-8 ``.txt`` files, optionally with ``metadata.csv``
        (see the module docstring for the format).

    Returns
    -------
    Corpus

    Raises
    ------
    CorpusError
        If the folder is missing or holds no documents, or a file is binary or
        not UTF-8.
    MetadataError
        If ``metadata.csv`` is malformed (see :func:`read_metadata`).

    Warns
    -----
    MetadataWarning
        When metadata is inferred from file names.
    CorpusWarning
        When an empty file is skipped.

    Examples
    --------
    >>> from textkit.paths import default_corpus_dir
    >>> corpus = load_corpus(default_corpus_dir())
    >>> len(corpus), corpus.undated_ids
    (5, ['ne-asia-cooperative-security'])
    """
    folder = Path(path)
    meta = _document_table(folder, stacklevel=4)
    texts, keep, skipped = [], [], []
    for i, name in enumerate(meta["file"]):
        text = read_text(folder / name)
        if not text.strip():
            warnings.warn(
                f"File {str(folder / name)!r} is empty and was left out of the corpus.",
                CorpusWarning,
                stacklevel=2,
            )
            skipped.append(name)
            continue
        texts.append(text)
        keep.append(i)
    if not keep:
        raise CorpusError(f"Every document in {str(folder)!r} is empty. Nothing to analyse.")
    frame = meta.iloc[keep].reset_index(drop=True)
    frame.insert(2, "text", texts)
    logger.info("loaded %d documents from %s", len(frame), folder)
    return Corpus(frame, source=folder.name, skipped=tuple(skipped))
