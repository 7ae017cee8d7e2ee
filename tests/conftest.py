"""Shared fixtures: the seeds and a synthetic corpus folder built by the tests."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from textkit.corpus import read_text
from textkit.segment import split_paragraphs

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# (doc_id, year or None, number of seed paragraphs) for the synthetic corpus: several documents
# per year, years outside 2000-2008 (1998, 2010), one undated, lengths from 2 to 120 paragraphs.
SYNTHETIC_LAYOUT: tuple[tuple[str, int | None, int], ...] = (
    ("early-1998", 1998, 12),
    ("report-2000a", 2000, 6),
    ("report-2000b", 2000, 20),
    ("speech-2002a", 2002, 8),
    ("speech-2002b", 2002, 3),
    ("report-2004a", 2004, 15),
    ("report-2004b", 2004, 120),
    ("brief-2006a", 2006, 10),
    ("brief-2006b", 2006, 2),
    ("review-2008a", 2008, 18),
    ("review-2008b", 2008, 7),
    ("late-2010", 2010, 25),
    ("essay-undated", None, 9),
)


def build_synthetic_corpus(folder: Path, *, seed: int = 0) -> Path:
    """Write a corpus folder made of seed paragraphs drawn with a fixed seed, plus metadata.csv."""
    rng = random.Random(seed)
    paragraphs = [
        p
        for path in sorted(SEEDS.glob("*.txt"))
        for p in split_paragraphs(read_text(path))
        if len(p.split()) >= 12
    ]
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i, (doc_id, year, n_paragraphs) in enumerate(SYNTHETIC_LAYOUT):
        picked = [paragraphs[rng.randrange(len(paragraphs))] for _ in range(n_paragraphs)]
        name = f"{i:02d}_{doc_id}.txt"
        (folder / name).write_text("\n\n".join(picked) + "\n", encoding="utf-8")
        rows.append(
            {
                "file": name,
                "doc_id": doc_id,
                "title": f"Synthetic {doc_id.replace('-', ' ')}",
                "short_title": doc_id.rsplit("-", 1)[0].capitalize(),
                "year": "" if year is None else str(year),
            }
        )
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["file", "doc_id", "title", "short_title", "year"]
        )
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's seed corpus folder (never written to)."""
    return SEEDS


@pytest.fixture(scope="session")
def synthetic_corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus folder of 13 documents: several per year, 1998 and 2010, one undated."""
    return build_synthetic_corpus(tmp_path_factory.mktemp("synthetic") / "corpus")
