"""Tests for textkit.corpus: loading folders, metadata validation, errors."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from textkit import Corpus, CorpusError, MetadataError, TextkitError, load_corpus
from textkit.corpus import CorpusWarning, MetadataWarning, doc_labels, document_table, read_text


def _folder_digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _write(folder: Path, files: dict[str, str | bytes], metadata: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    if metadata is not None:
        (folder / "metadata.csv").write_text(metadata, encoding="utf-8")
    return folder


# --- the seeds -----------------------------------------------------------------------------


def test_seeds_load_with_metadata(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    docs = corpus.docs
    assert len(corpus) == 5
    assert list(docs.columns[:3]) == ["doc_id", "year", "text"]
    assert {"file", "title", "short_title", "date", "source", "year_basis"} <= set(docs.columns)
    years = dict(zip(docs["doc_id"], docs["year"], strict=True))
    assert years["blue-book-2000"] == 2000
    assert years["nato-japan"] == 2008
    assert years["mofa-peacebuilding"] == 2007
    assert years["central-asia-plus-japan"] == 2006
    assert pd.isna(years["ne-asia-cooperative-security"])
    assert corpus.undated_ids == ["ne-asia-cooperative-security"]
    # every text equals the file's bytes decoded (seeds have LF endings and no BOM)
    for row in docs.itertuples():
        assert row.text == (seeds_dir / row.file).read_text(encoding="utf-8")


def test_seeds_order_is_by_year_then_id(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    assert corpus.doc_ids == [
        "blue-book-2000",
        "central-asia-plus-japan",
        "mofa-peacebuilding",
        "nato-japan",
        "ne-asia-cooperative-security",
    ]


def test_loading_never_writes_into_the_folder(seeds_dir: Path) -> None:
    before = _folder_digest(seeds_dir)
    load_corpus(seeds_dir)
    assert _folder_digest(seeds_dir) == before


def test_summary_and_stream(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    n_words = sum(len(p.read_text(encoding="utf-8").split()) for p in seeds_dir.glob("*.txt"))
    assert repr(corpus) == (
        f"<Corpus: 5 documents, {n_words:,} words, years 2000-2008, 1 undated; from seeds>"
    )
    docs = list(corpus)
    assert [d.doc_id for d in docs] == corpus.doc_ids
    assert docs[0].year == 2000 and docs[-1].year is None
    assert docs[0].meta["short_title"] == "Blue Book draft"


def test_labels_are_short_titles_with_years(seeds_dir: Path) -> None:
    labels = load_corpus(seeds_dir).labels
    assert labels["blue-book-2000"] == "Blue Book draft (2000)"
    assert labels["ne-asia-cooperative-security"] == "NE Asia security essay (undated)"


def test_labels_are_built_once_and_cannot_change_the_corpus(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    first = corpus.labels
    first["blue-book-2000"] = "changed"
    assert corpus.labels["blue-book-2000"] == "Blue Book draft (2000)"
    pd.testing.assert_series_equal(corpus.labels, doc_labels(corpus.docs))


def test_doc_labels_fall_back_to_title_then_id_and_stay_unique() -> None:
    frame = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "year": [2000, 2000, 2001],
            "title": ["Same", "Same", "A very long title that goes on and on and on"],
        }
    )
    labels = doc_labels(frame)
    assert labels["a"] == "Same (2000) [a]" and labels["b"] == "Same (2000) [b]"
    assert labels["c"].endswith("… (2001)") and len(labels["c"]) < 40
    assert doc_labels(frame.drop(columns="title"))["a"] == "a (2000)"


def test_corpus_is_immutable_through_docs(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    frame = corpus.docs
    frame.loc[0, "text"] = "changed"
    assert corpus.docs.loc[0, "text"] != "changed"


def test_dated_subset_with_texts(seeds_dir: Path) -> None:
    corpus = load_corpus(seeds_dir)
    assert corpus.dated().undated_ids == []
    assert len(corpus.dated()) == 4
    sub = corpus.subset(["nato-japan"])
    assert sub.doc_ids == ["nato-japan"]
    lowered = sub.map_texts(str.lower)
    assert next(lowered.texts) == next(sub.texts).lower()
    with pytest.raises(CorpusError, match="Unknown doc_id"):
        corpus.subset(["nope"])
    with pytest.raises(CorpusError, match="No new text"):
        corpus.with_texts({})


# --- folders without metadata --------------------------------------------------------------


def test_without_metadata_infers_ids_and_years(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "c",
        {"2004_speech.txt": "Peace.", "notes.txt": "Aid.", "19999_x.txt": "No year here."},
    )
    with pytest.warns(MetadataWarning, match="no metadata.csv"):
        corpus = load_corpus(folder)
    years = dict(zip(corpus.docs["doc_id"], corpus.docs["year"], strict=True))
    assert years["2004_speech"] == 2004
    assert pd.isna(years["notes"]) and pd.isna(years["19999_x"])


def test_unlisted_files_are_kept_with_a_warning(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "c",
        {"a.txt": "Peace.", "2001_b.txt": "Aid."},
        metadata="file,year\na.txt,2000\n",
    )
    with pytest.warns(MetadataWarning, match="2001_b.txt"):
        corpus = load_corpus(folder)
    assert corpus.doc_ids == ["a", "2001_b"]


# --- encodings, BOM, line endings, empty files ---------------------------------------------


def test_bom_and_crlf_are_read_correctly(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "c",
        {"a.txt": "\ufeffFirst line\r\nsecond line\r\n\r\nThird"},
    )
    (folder / "metadata.csv").write_bytes("\ufefffile,year,title\r\na.txt,2003,Tïtle\r\n".encode())
    corpus = load_corpus(folder)
    assert corpus.docs.loc[0, "text"] == "First line\nsecond line\n\nThird"
    assert corpus.docs.loc[0, "year"] == 2003
    assert corpus.docs.loc[0, "title"] == "Tïtle"


def test_cp1252_file_is_an_error_naming_file_and_fix(tmp_path: Path) -> None:
    folder = _write(tmp_path / "c", {"win.txt": "Japan’s aid".encode("cp1252")})
    with pytest.raises(CorpusError, match=r"win\.txt.*not valid UTF-8.*iconv"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MetadataWarning)
            load_corpus(folder)


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    folder = _write(tmp_path / "c", {"img.txt": b"\x89PNG\x00\x00\x01"})
    with pytest.raises(CorpusError, match=r"img\.txt.*binary"):
        read_text(folder / "img.txt")


def test_empty_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "c",
        {"a.txt": "Text.", "empty.txt": "  \n"},
        metadata="file,year\na.txt,2000\nempty.txt,2001\n",
    )
    with pytest.warns(CorpusWarning, match=r"empty\.txt.*empty"):
        corpus = load_corpus(folder)
    assert corpus.doc_ids == ["a"] and corpus.skipped == ("empty.txt",)


# --- documented errors ---------------------------------------------------------------------


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"does not exist.*\.txt"):
        load_corpus(tmp_path / "nowhere")


def test_folder_without_documents(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "readme.md").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="has no .txt documents"):
        load_corpus(tmp_path / "c")


def test_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="is a file, not a folder"):
        load_corpus(path)


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ("file,year\nmissing.txt,2000\n", r"line 2 \(file 'missing.txt'\): no such file"),
        ("file,year\n../outside.txt,2000\n", r"'../outside.txt'.*outside the corpus folder"),
        ("file,year\na.txt,20o0\n", r"year '20o0' is not a whole year.*integer"),
        ("file,year\na.txt,2000.5\n", r"year '2000.5' is not a whole year"),
        ("file,doc_id,year\na.txt,x,2000\nb.txt,x,2001\n", r"doc_id 'x' appears more than once"),
        ("file,year\na.txt,2000\na.txt,2001\n", r"file 'a.txt' appears more than once"),
        ("file,date\na.txt,2000-01-01\n", r"lacks the required column\(s\) year"),
        ("file,year\n,2000\n", r"'file' cell is empty"),
    ],
)
def test_metadata_errors_name_the_value_and_the_fix(
    tmp_path: Path, metadata: str, message: str
) -> None:
    (tmp_path / "outside.txt").write_text("outside", encoding="utf-8")
    folder = _write(tmp_path / "c", {"a.txt": "A.", "b.txt": "B."}, metadata=metadata)
    with pytest.raises(MetadataError, match=message):
        load_corpus(folder)


def test_absolute_path_in_metadata_is_rejected(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("outside", encoding="utf-8")
    folder = _write(tmp_path / "c", {"a.txt": "A."}, metadata=f"file,year\n{outside},2000\n")
    with pytest.raises(MetadataError, match="outside the corpus folder"):
        load_corpus(folder)


def test_a_link_out_of_the_folder_is_rejected(tmp_path: Path) -> None:
    # a link inside the folder is checked where it points, like any path
    outside = tmp_path / "outside.txt"
    outside.write_text("outside", encoding="utf-8")
    folder = _write(tmp_path / "c", {"a.txt": "A."}, metadata="file,year\nlink.txt,2000\n")
    (folder / "link.txt").symlink_to(outside)
    with pytest.raises(MetadataError, match=r"'link.txt'.*outside the corpus folder"):
        load_corpus(folder)


def test_files_in_a_subfolder_are_found(tmp_path: Path) -> None:
    folder = _write(tmp_path / "c", {"a.txt": "A."}, metadata="file,year\nsub/b.txt,2001\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_text("Bee.", encoding="utf-8")
    with pytest.warns(MetadataWarning, match="a.txt"):  # a.txt is not listed
        corpus = load_corpus(folder)
    assert corpus.docs.set_index("doc_id").loc["b", "text"] == "Bee."


def test_every_error_is_a_textkit_error() -> None:
    assert issubclass(MetadataError, CorpusError)
    assert issubclass(CorpusError, TextkitError)


def test_corpus_table_needs_core_columns() -> None:
    with pytest.raises(CorpusError, match="doc_id, year and text"):
        Corpus(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}))
    with pytest.raises(CorpusError, match="appears more than once"):
        Corpus(pd.DataFrame({"doc_id": ["a", "a"], "year": [1, 2], "text": ["x", "y"]}))


def test_synthetic_corpus_fixture_has_the_promised_shape(synthetic_corpus_dir: Path) -> None:
    corpus = load_corpus(synthetic_corpus_dir)
    years = corpus.docs["year"].dropna().astype(int)
    assert years.value_counts().max() >= 2
    assert years.min() < 2000 and years.max() > 2008
    assert len(corpus.undated_ids) == 1


# --- document_table: the corpus without its texts ---------------------------------------------


def test_document_table_is_the_corpus_without_texts(seeds_dir: Path) -> None:
    table = document_table(seeds_dir)
    docs = load_corpus(seeds_dir).docs
    assert "text" not in table.columns
    pd.testing.assert_frame_equal(table, docs.drop(columns="text")[table.columns])
    # the metadata.csv rows, sorted by year with the undated document last
    meta = pd.read_csv(seeds_dir / "metadata.csv", dtype=str, keep_default_na=False)
    assert sorted(table["file"]) == sorted(meta["file"])
    assert table["year"].iloc[-1] is pd.NA and table["year"].iloc[:-1].is_monotonic_increasing


def test_document_table_reads_no_text(tmp_path: Path) -> None:
    # a binary file is only found out when its text is read, by load_corpus
    (tmp_path / "2001_a.txt").write_bytes(b"\x00\xff\xfe binary")
    (tmp_path / "1999_b.txt").write_text("Peace.", encoding="utf-8")
    with pytest.warns(MetadataWarning, match="no metadata.csv"):
        table = document_table(tmp_path)
    assert table[["doc_id", "year"]].values.tolist() == [["1999_b", 1999], ["2001_a", 2001]]
    with pytest.warns(MetadataWarning), pytest.raises(CorpusError, match="2001_a.txt"):
        load_corpus(tmp_path)


def test_document_table_errors(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        document_table(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="has no .txt documents"):
        document_table(tmp_path)
