"""Execute a project notebook headless for the tests (papermill, kernel ``python3``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import papermill as pm

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_notebook(
    name: str,
    *,
    corpus_dir: str | Path,
    figures_dir: str | Path,
    output_dir: str | Path | None = None,
    **params: Any,
) -> nbformat.NotebookNode:
    """Execute ``notebooks/<name>.ipynb`` with injected parameters and return the executed notebook.

    ``name`` may be given with or without ``.ipynb``.  The executed copy is written
    to ``output_dir`` (default: beside ``figures_dir``), never into ``notebooks/``.
    """
    stem = name[:-6] if name.endswith(".ipynb") else name
    source = NOTEBOOKS / f"{stem}.ipynb"
    out_dir = Path(output_dir) if output_dir is not None else Path(figures_dir).parent / "executed"
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"{stem}.ipynb"
    parameters = {"corpus_dir": str(corpus_dir), "figures_dir": str(figures_dir), **params}
    pm.execute_notebook(
        str(source),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOKS),
        progress_bar=False,
    )
    return nbformat.read(str(output), as_version=4)


def notebook_text_output(nb: nbformat.NotebookNode) -> str:
    """All stream and text/plain outputs of an executed notebook, joined (for assertions)."""
    parts: list[str] = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            data = out.get("data", {})
            for key in ("text/plain", "text/markdown"):
                if key in data:
                    parts.append(data[key])
    return "\n".join(parts)
