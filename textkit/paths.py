"""Where the project's folders are: the corpus (``seeds/``) and the figures.

Notebooks call these so that they run unchanged from the repository root, from
``notebooks/`` or from anywhere else inside the checkout.
"""

from __future__ import annotations

from pathlib import Path

from textkit.errors import TextkitError

__all__ = ["project_root", "default_corpus_dir", "default_figures_dir", "notebooks_dir"]


def _is_root(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "textkit").is_dir()


def project_root(start: str | Path | None = None) -> Path:
    """Return the root folder of the textkit checkout.

    The root is the folder holding ``pyproject.toml`` and the ``textkit``
    package.  It is looked for above ``start`` (default: the working
    directory), then above the installed package itself.

    Parameters
    ----------
    start : str or Path, optional
        Folder to search upward from.

    Returns
    -------
    Path
        Absolute path of the checkout's root.

    Raises
    ------
    TextkitError
        If no checkout is found (textkit installed without its repository);
        pass ``corpus_dir`` and ``figures_dir`` explicitly then.

    Examples
    --------
    >>> (project_root() / "pyproject.toml").is_file()
    True
    """
    here = Path(start) if start is not None else Path.cwd()
    candidates = [here.resolve(), *here.resolve().parents]
    package_parent = Path(__file__).resolve().parents[1]
    candidates += [package_parent, *package_parent.parents]
    for folder in candidates:
        if _is_root(folder):
            return folder
    raise TextkitError(
        f"Cannot find the textkit project folder above {str(here)!r}. "
        "Pass corpus_dir and figures_dir explicitly."
    )


def default_corpus_dir() -> Path:
    """Return the project's default corpus folder, ``<root>/seeds``.

    Examples
    --------
    >>> default_corpus_dir().name
    'seeds'
    """
    return project_root() / "seeds"


def default_figures_dir() -> Path:
    """Return the project's figures folder, ``<root>/figures``.

    Examples
    --------
    >>> default_figures_dir().name
    'figures'
    """
    return project_root() / "figures"


def notebooks_dir() -> Path:
    """Return the folder of the numbered analysis notebooks, ``<root>/notebooks``.

    Examples
    --------
    >>> notebooks_dir().name
    'notebooks'
    """
    return project_root() / "notebooks"
