"""Stored notebooks carry no outputs, run on any machine and take their paths as parameters.

The check itself (:func:`textkit.notebook.notebook_problems`) is tested first on
notebooks built here, each with one known defect; then every notebook in
``notebooks/`` must pass it.  Fix a failure with ``nbstripout notebooks/*.ipynb``
(outputs, counts) or by editing the parameters cell.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from textkit.notebook import notebook_problems

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def build(
    path: Path,
    *,
    parameters: str | None = "corpus_dir = None\nfigures_dir = None\nseed = 42",
    kernel: str | None = "python3",
    body: str = "print('hello')",
) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell("# Title")]
    if parameters is not None:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    cells.append(nbformat.v4.new_code_cell(body))
    nb = nbformat.v4.new_notebook(cells=cells)
    if kernel is not None:
        nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, str(path))
    return nb


def test_clean_notebook_passes(tmp_path):
    build(tmp_path / "01-ok.ipynb")
    assert notebook_problems(tmp_path / "01-ok.ipynb") == []


def test_outputs_and_execution_counts_are_reported(tmp_path):
    path = tmp_path / "01-run.ipynb"
    nb = build(path)
    nb.cells[2].execution_count = 1
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    nb.cells[2].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    nbformat.write(nb, str(path))
    assert notebook_problems(path) == [
        "cell 2 has outputs (store notebooks without outputs: nbstripout)",
        "cell 2 has an execution count (store notebooks without outputs: nbstripout)",
        "cell 2 carries execution metadata 'execution'",
    ]


@pytest.mark.parametrize("kernel", ["python3.11", "conda-env-textkit-py", None])
def test_kernelspec_other_than_python3_is_reported(tmp_path, kernel):
    build(tmp_path / "01-k.ipynb", kernel=kernel)
    assert notebook_problems(tmp_path / "01-k.ipynb") == [
        f"kernelspec is {kernel!r}, not 'python3'"
    ]


def test_missing_parameters_cell_is_reported(tmp_path):
    build(tmp_path / "01-p.ipynb", parameters=None)
    assert notebook_problems(tmp_path / "01-p.ipynb") == [
        "the first code cell is not tagged 'parameters'"
    ]


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("figures_dir = None", "the parameters cell does not set 'corpus_dir'"),
        ("corpus_dir = None", "the parameters cell does not set 'figures_dir'"),
        (
            "corpus_dir = '../seeds'\nfigures_dir = None",
            "'corpus_dir' must default to None in the parameters cell "
            "(resolved with textkit.paths so the notebook runs from anywhere)",
        ),
    ],
)
def test_parameters_cell_must_set_both_paths_to_none(tmp_path, source, problem):
    build(tmp_path / "01-p.ipynb", parameters=source)
    assert notebook_problems(tmp_path / "01-p.ipynb") == [problem]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_repository_notebook_is_clean(path):
    problems = notebook_problems(path)
    assert not problems, f"{path.name}: " + "; ".join(problems)
