"""The analysis notebooks: find them, read their parameters, check their hygiene.

The notebooks are numbered (``01-corpus.ipynb``, ``02-topics.ipynb`` ...) and
each declares its parameters in a first cell tagged ``parameters``, which
:func:`textkit.reproduce.reproduce` overrides (papermill).  This module reads
them without running them: :func:`find_notebooks` picks them by name or number,
:func:`notebook_parameters` reads the defaults of the parameters cell,
:func:`parse_parameter` turns a command-line value into one, and
:func:`notebook_problems` lists what keeps a stored notebook from being clean
(outputs, execution counts, a wrong kernel, a missing parameter).

Examples
--------
>>> parse_parameter('[peace, "human security"]')
['peace', 'human security']
>>> parse_parameter("12")
12
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat
import yaml

from textkit import paths
from textkit.errors import ConfigError, TextkitError, shorten

__all__ = [
    "KERNEL_NAME",
    "PATH_PARAMETERS",
    "find_notebooks",
    "notebook_parameters",
    "notebook_problems",
    "parse_parameter",
]

#: Kernel name used for every notebook (the only one notebooks may declare).
KERNEL_NAME = "python3"

#: Parameters every notebook must declare; ``reproduce`` sets them itself.
PATH_PARAMETERS = ("corpus_dir", "figures_dir")

_NOTEBOOK_NAME = re.compile(r"^\d+[-_].*\.ipynb$")
_PLAIN_TYPES = (str, int, float, bool, type(None))


def parse_parameter(value: str) -> Any:
    """Parse a command-line parameter value as YAML (``-p NAME VALUE``).

    Numbers, booleans, ``null``, lists and mappings become Python values;
    anything YAML reads as another type (a date, say) stays the string given.

    Parameters
    ----------
    value : str
        The text after the parameter name.

    Returns
    -------
    object
        The parsed value.

    Raises
    ------
    ConfigError
        If ``value`` is not valid YAML.

    Examples
    --------
    >>> parse_parameter("12"), parse_parameter("0.5"), parse_parameter("null")
    (12, 0.5, None)
    >>> parse_parameter("{min_df: 2}")
    {'min_df': 2}
    >>> parse_parameter("2004-01-01")
    '2004-01-01'
    """
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError as error:
        detail = str(error).splitlines()[0]
        raise ConfigError(
            f"parameter value {shorten(value)} is not valid YAML ({detail}); "
            "quote strings that contain ':', '#' or brackets"
        ) from error
    return parsed if _is_plain(parsed) else value


def _is_plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(_is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return isinstance(value, _PLAIN_TYPES)


def find_notebooks(
    names: Iterable[str] | None = None, *, notebooks_dir: str | Path | None = None
) -> list[Path]:
    """Return the numbered notebooks to run, in run order.

    Parameters
    ----------
    names : iterable of str, optional
        Notebooks to pick, each as its file name, its stem (``"02-topics"``),
        its number (``"02"``) or the part after the number (``"topics"``).
        Default: every notebook whose name starts with digits and a dash.
    notebooks_dir : str or Path, optional
        Folder of the notebooks (default ``notebooks/`` of the project).

    Returns
    -------
    list of Path
        Sorted by name, which is run order.

    Raises
    ------
    TextkitError
        If the folder holds no numbered notebook.
    ConfigError
        If a name matches no notebook, or several.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ["02-topics.ipynb", "01-corpus.ipynb", "scratch.ipynb"]:
    ...     _ = (folder / name).write_text("{}")
    >>> [p.name for p in find_notebooks(notebooks_dir=folder)]
    ['01-corpus.ipynb', '02-topics.ipynb']
    >>> [p.name for p in find_notebooks(["topics"], notebooks_dir=folder)]
    ['02-topics.ipynb']
    """
    folder = Path(notebooks_dir) if notebooks_dir is not None else paths.notebooks_dir()
    available = sorted(p for p in folder.glob("*.ipynb") if _NOTEBOOK_NAME.match(p.name))
    if not available:
        raise TextkitError(f"No numbered notebooks (like '01-corpus.ipynb') in {str(folder)!r}.")
    if names is None:
        return available
    chosen: set[Path] = set()
    for name in names:
        stem = name[:-6] if name.endswith(".ipynb") else name
        matches = [p for p in available if p.stem == stem] or [
            p
            for p in available
            if re.split(r"[-_]", p.stem, maxsplit=1)[0] == stem
            or re.split(r"[-_]", p.stem, maxsplit=1)[-1] == stem
        ]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in available)
            what = "matches no notebook" if not matches else "matches several notebooks"
            raise ConfigError(f"notebook {name!r} {what}; choose from: {known}")
        chosen.add(matches[0])
    return sorted(chosen)


def notebook_parameters(path: str | Path) -> dict[str, Any]:
    """Return the parameters a notebook declares, with their default values.

    Defaults are read from the cell tagged ``parameters``; a default that is
    not a Python literal (``Path("x")``, say) is returned as its source text.

    Parameters
    ----------
    path : str or Path
        Notebook file.

    Returns
    -------
    dict
        ``{name: default}`` in the cell's order (empty if there is no
        parameters cell).

    Examples
    --------
    >>> import tempfile
    >>> cell = nbformat.v4.new_code_cell("corpus_dir = None\\nseed = 42  # random seed")
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb = nbformat.v4.new_notebook(cells=[cell])
    >>> path = Path(tempfile.mkdtemp()) / "01-x.ipynb"
    >>> nbformat.write(nb, str(path))
    >>> notebook_parameters(path)
    {'corpus_dir': None, 'seed': 42}
    """
    from papermill.translators import PythonTranslator

    nb = nbformat.read(str(path), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    values: dict[str, Any] = {}
    for parameter in PythonTranslator.inspect(tagged[0]) if tagged else []:
        try:
            values[parameter.name] = ast.literal_eval(parameter.default)
        except (ValueError, SyntaxError):
            values[parameter.name] = parameter.default
    return values


def notebook_problems(path: str | Path) -> list[str]:
    """Return what keeps a stored notebook from being clean and runnable by :func:`reproduce`.

    A clean notebook has no outputs, no execution counts and no execution
    metadata in any cell, the kernelspec ``python3``, and a first code cell
    tagged ``parameters`` that sets ``corpus_dir = None`` and
    ``figures_dir = None``.

    Parameters
    ----------
    path : str or Path
        Notebook file.

    Returns
    -------
    list of str
        One sentence per problem; empty when the notebook is clean.

    Examples
    --------
    >>> import tempfile
    >>> cell = nbformat.v4.new_code_cell("corpus_dir = None\\nfigures_dir = None")
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell("1 + 1")])
    >>> nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
    ...                              "language": "python"}
    >>> path = Path(tempfile.mkdtemp()) / "01-x.ipynb"
    >>> nbformat.write(nb, str(path))
    >>> notebook_problems(path)
    []
    >>> nb.cells[1].execution_count = 3
    >>> nbformat.write(nb, str(path))
    >>> notebook_problems(path)
    ['cell 1 has an execution count (store notebooks without outputs: nbstripout)']
    """
    nb = nbformat.read(str(path), as_version=4)
    problems: list[str] = []
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != KERNEL_NAME:
        problems.append(f"kernelspec is {kernel!r}, not {KERNEL_NAME!r}")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(
                f"cell {index} has outputs (store notebooks without outputs: nbstripout)"
            )
        if cell.get("execution_count") is not None:
            problems.append(
                f"cell {index} has an execution count (store notebooks without outputs: nbstripout)"
            )
        for key in ("execution", "papermill", "ExecuteTime"):
            if key in cell.metadata:
                problems.append(f"cell {index} carries execution metadata {key!r}")
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    if not code or "parameters" not in code[0][1].metadata.get("tags", []):
        problems.append("the first code cell is not tagged 'parameters'")
        return problems
    index, cell = code[0]
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as error:
        return [*problems, f"the parameters cell (cell {index}) is not valid Python: {error}"]
    defaults = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for name in PATH_PARAMETERS:
        value = defaults.get(name)
        if value is None:
            problems.append(f"the parameters cell does not set {name!r}")
        elif not (isinstance(value, ast.Constant) and value.value is None):
            problems.append(
                f"{name!r} must default to None in the parameters cell "
                "(resolved with textkit.paths so the notebook runs from anywhere)"
            )
    return problems


