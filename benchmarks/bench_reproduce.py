"""Benchmark: wall time of ``textkit reproduce`` on the seeds beside its floor.

The floor is what any headless run of N notebooks must pay: start a kernel and
execute an empty notebook, N times (N = the number of notebooks).  Also shown:
``reproduce`` on N notebooks holding only a parameters cell, i.e. the floor
plus this machinery's own overhead (staging, hashing, provenance).

Target (issue 7): reproduce <= 2 x floor + 30 s.

Run from the repository root::

    .venv/bin/python benchmarks/bench_reproduce.py [--repeat 1] [--corpus seeds]

Nothing is written to ``figures/``: every run goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from textkit.notebook import KERNEL_NAME, find_notebooks
from textkit.reproduce import reproduce

ROOT = Path(__file__).resolve().parents[1]


def empty_notebook(path: Path, *, parameters: bool) -> Path:
    cells = []
    if parameters:
        cell = nbformat.v4.new_code_cell("corpus_dir = None\nfigures_dir = None")
        cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, str(path))
    return path


def floor_seconds(n: int, work: Path) -> float:
    """Start a kernel and execute an empty notebook, ``n`` times (papermill, no textkit)."""
    source = empty_notebook(work / "empty.ipynb", parameters=False)
    started = time.perf_counter()
    for i in range(n):
        papermill.execute_notebook(
            str(source),
            str(work / f"empty-out-{i}.ipynb"),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    return time.perf_counter() - started


def machinery_seconds(n: int, work: Path, corpus: Path) -> float:
    """``reproduce`` on ``n`` notebooks that only hold a parameters cell."""
    folder = work / "empty-notebooks"
    folder.mkdir()
    for i in range(n):
        empty_notebook(folder / f"{i + 1:02d}-empty.ipynb", parameters=True)
    started = time.perf_counter()
    reproduce(
        corpus_dir=corpus,
        figures_dir=work / "empty-figures",
        notebooks_dir=folder,
        build_dir=work / "empty-build",
        progress=False,
    )
    return time.perf_counter() - started


def reproduce_seconds(
    work: Path,
    corpus: Path,
    notebooks: list[str] | None,
    params: list[list[str]] | None = None,
) -> float:
    """Wall time of the ``textkit reproduce`` command (a fresh process) on ``corpus``.

    The executed notebooks go to ``work / "build"``, figures to ``work / "figures"``;
    ``params`` are ``[name, value]`` pairs passed as ``-p name value``.
    """
    command = [
        sys.executable,
        "-m",
        "textkit",
        "reproduce",
        "--no-progress",
        "--corpus",
        str(corpus),
        "--figures",
        str(work / "figures"),
        "--build",
        str(work / "build"),
        *(["--notebooks", *notebooks] if notebooks else []),
        *[arg for name, value in params or [] for arg in ("-p", name, value)],
    ]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measure (median)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    parser.add_argument("--notebooks", nargs="+", metavar="NAME", help="default: all")
    args = parser.parse_args(argv)
    n = len(find_notebooks(args.notebooks))
    floors, overheads, fulls = [], [], []
    per_notebook: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            floors.append(floor_seconds(n, work))
            overheads.append(machinery_seconds(n, work, args.corpus))
            fulls.append(reproduce_seconds(work, args.corpus, args.notebooks))
            for path in sorted((work / "build").glob("*.ipynb")):
                duration = nbformat.read(str(path), as_version=4).metadata["papermill"]["duration"]
                per_notebook.setdefault(path.stem, []).append(duration)
    floor, machinery, full = (statistics.median(x) for x in (floors, overheads, fulls))
    target = 2 * floor + 30
    print(f"notebooks: {n}; corpus: {args.corpus}; repeats: {args.repeat} (medians)")
    print(f"floor: kernel start + empty notebook, x{n}        {floor:7.1f} s")
    print(
        f"reproduce on {n} parameters-only notebooks         {machinery:7.1f} s"
        f"  ({machinery / floor:.2f} x floor)"
    )
    print(
        f"textkit reproduce on the corpus                {full:7.1f} s"
        f"  ({full / floor:.2f} x floor)"
    )
    for name, seconds in per_notebook.items():
        print(f"  {name:<20} {statistics.median(seconds):7.1f} s (papermill duration)")
    verdict = "met" if full <= target else "NOT met"
    print(f"target: <= 2 x floor + 30 s = {target:.1f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
