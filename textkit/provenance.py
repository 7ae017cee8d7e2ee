"""Provenance of a figures folder: which code, data and parameters made each file.

:func:`textkit.reproduce.reproduce` writes ``provenance.json`` into the figures
folder after every run.  The record holds the git commit (and whether the
working tree differed from it), the Python and package versions, the corpus
files with their SHA-256, every notebook parameter and seed, the environment
pinned for the kernel, and for each output file its SHA-256 and the notebook
that wrote it.  It holds no timestamp, and its keys are sorted, so two runs of
the same code on the same data write the same bytes.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.csv").write_text("x\\n1\\n")
>>> file_hashes(folder)
{'a.csv': 'daff832f802000e645771a60983c76c963f6ee602a6230e45237bd360e91cc1a'}
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import subprocess
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from textkit.errors import TextkitError

__all__ = [
    "PROVENANCE_FILE",
    "TRACKED_PACKAGES",
    "sha256_file",
    "file_hashes",
    "git_state",
    "package_versions",
    "environment_record",
    "write_provenance",
    "read_provenance",
    "reproducible_part",
    "verify_outputs",
]

logger = logging.getLogger(__name__)

#: Name of the provenance record written into every figures folder.
PROVENANCE_FILE = "provenance.json"

#: Distributions whose versions are recorded (the ones that can change a figure).
TRACKED_PACKAGES: tuple[str, ...] = (
    "numpy",
    "scipy",
    "pandas",
    "scikit-learn",
    "gensim",
    "nltk",
    "matplotlib",
    "statsmodels",
    "papermill",
    "ipykernel",
)

#: Top-level sections of a record that describe the machine and checkout rather
#: than the results; they may differ between two runs that made identical files.
CONTEXT_KEYS: tuple[str, ...] = ("environment", "git")

_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes.

    Parameters
    ----------
    path : str or Path
        File to hash (read in 1 MiB chunks, so large files are fine).

    Returns
    -------
    str
        64 lowercase hex digits.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "abc.txt"
    >>> _ = path.write_bytes(b"abc")
    >>> sha256_file(path)
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_hashes(folder: str | Path, *, exclude: Iterable[str] = ()) -> dict[str, str]:
    """Return ``{relative path: SHA-256}`` for every file below ``folder``.

    Paths use ``/`` whatever the platform and are sorted, so the mapping does
    not depend on file-system order.  Hidden files and folders (name starting
    with ``.``) are skipped, as are the relative paths in ``exclude``.

    Parameters
    ----------
    folder : str or Path
        Folder to walk (recursively).  A missing folder gives ``{}``.
    exclude : iterable of str, optional
        Relative paths to leave out (e.g. ``["provenance.json"]``).

    Returns
    -------
    dict of str to str
        Sorted by path.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "b.txt").write_bytes(b"abc")
    >>> _ = (folder / ".hidden").write_bytes(b"x")
    >>> list(file_hashes(folder))
    ['b.txt']
    """
    root = Path(folder)
    if not root.is_dir():
        return {}
    skip = set(exclude)
    found: dict[str, str] = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        key = rel.as_posix()
        if key not in skip:
            found[key] = sha256_file(path)
    return dict(sorted(found.items()))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def git_state(root: str | Path, *, ignore: Iterable[str | Path] = ()) -> dict[str, Any]:
    """Return the commit checked out in ``root`` and whether tracked files differ from it.

    Parameters
    ----------
    root : str or Path
        A folder inside a git working tree.
    ignore : iterable of str or Path, optional
        Folders whose changes do not make the tree dirty (the figures folder
        the run is about to rewrite).

    Returns
    -------
    dict
        ``commit`` (hex or ``None`` outside git), ``dirty`` (bool, or ``None``
        outside git) and ``changed`` (sorted paths of modified tracked files,
        relative to the repository root).  Untracked files are not counted.

    Examples
    --------
    >>> import tempfile
    >>> git_state(tempfile.mkdtemp())
    {'changed': [], 'commit': None, 'dirty': None}
    """
    folder = Path(root)
    top = _git(folder, "rev-parse", "--show-toplevel")
    commit = _git(folder, "rev-parse", "--verify", "HEAD")
    if top is None or commit is None:
        return {"changed": [], "commit": None, "dirty": None}
    top_path = Path(top.strip()).resolve()
    prefixes = []
    for item in ignore:
        try:
            prefixes.append(Path(item).resolve().relative_to(top_path).as_posix().rstrip("/") + "/")
        except ValueError:
            continue
    status = _git(folder, "status", "--porcelain", "--untracked-files=no") or ""
    changed = sorted(
        {line[3:].split(" -> ")[-1].strip('"') for line in status.splitlines() if len(line) > 3}
    )
    changed = [path for path in changed if not any(path.startswith(p) for p in prefixes)]
    return {"changed": changed, "commit": commit.strip(), "dirty": bool(changed)}


def package_versions(names: Iterable[str] = TRACKED_PACKAGES) -> dict[str, str | None]:
    """Return the installed version of each distribution (``None`` when not installed).

    Parameters
    ----------
    names : iterable of str, optional
        Distribution names as on PyPI (default :data:`TRACKED_PACKAGES`).

    Returns
    -------
    dict of str to str or None
        Sorted by name.

    Examples
    --------
    >>> import numpy
    >>> package_versions(["numpy"]) == {"numpy": numpy.__version__}
    True
    >>> package_versions(["no-such-distribution-xyz"])
    {'no-such-distribution-xyz': None}
    """
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return dict(sorted(versions.items()))


def environment_record() -> dict[str, Any]:
    """Return the Python implementation and version, platform and package versions.

    ``textkit`` is included from the imported package (it need not be
    installed as a distribution).

    Returns
    -------
    dict
        Keys ``machine``, ``packages``, ``python``, ``system``.

    Examples
    --------
    >>> import sys, textkit
    >>> record = environment_record()
    >>> record["packages"]["textkit"] == textkit.__version__
    True
    >>> record["python"].startswith(f"{sys.version_info.major}.{sys.version_info.minor}.")
    True
    """
    import textkit

    packages = package_versions()
    packages["textkit"] = textkit.__version__
    return {
        "machine": platform.machine(),
        "packages": dict(sorted(packages.items())),
        "python": platform.python_version(),
        "system": platform.system(),
    }


def write_provenance(record: Mapping[str, Any], path: str | Path) -> Path:
    """Write a provenance record as stable JSON (sorted keys, 2-space indent, final newline).

    Parameters
    ----------
    record : mapping
        JSON-serialisable record.
    path : str or Path
        File to write; its folder must exist.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    TextkitError
        If the record holds a value JSON cannot represent.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / PROVENANCE_FILE
    >>> print(write_provenance({"b": 1, "a": [2]}, path).read_text(), end="")
    {
      "a": [
        2
      ],
      "b": 1
    }
    """
    try:
        text = json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise TextkitError(f"The provenance record cannot be written as JSON: {error}") from error
    target = Path(path)
    target.write_text(text + "\n", encoding="utf-8")
    return target


def read_provenance(path: str | Path) -> dict[str, Any]:
    """Read a provenance record written by :func:`write_provenance`.

    Parameters
    ----------
    path : str or Path
        A ``provenance.json`` file, or the figures folder holding one.

    Returns
    -------
    dict
        The record.

    Raises
    ------
    TextkitError
        If the file is missing or is not a JSON object.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = write_provenance({"outputs": {}}, folder / PROVENANCE_FILE)
    >>> read_provenance(folder)
    {'outputs': {}}
    """
    source = Path(path)
    if source.is_dir():
        source = source / PROVENANCE_FILE
    try:
        record = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise TextkitError(
            f"No provenance record at {str(source)!r}; run `textkit reproduce` to make one."
        ) from error
    except json.JSONDecodeError as error:
        raise TextkitError(f"{str(source)!r} is not valid JSON: {error}") from error
    if not isinstance(record, dict):
        raise TextkitError(f"{str(source)!r} does not hold a JSON object.")
    return record


def reproducible_part(record: Mapping[str, Any]) -> dict[str, Any]:
    """Return the record without the sections that describe the machine and checkout.

    Two runs that made byte-identical files from the same corpus and parameters
    have equal reproducible parts, even on different commits or machines.

    Parameters
    ----------
    record : mapping
        A provenance record.

    Returns
    -------
    dict
        The record minus ``environment`` and ``git``.

    Examples
    --------
    >>> reproducible_part({"git": {"commit": "abc"}, "outputs": {"a.csv": {}}})
    {'outputs': {'a.csv': {}}}
    """
    return {key: value for key, value in record.items() if key not in CONTEXT_KEYS}


def verify_outputs(figures_dir: str | Path) -> dict[str, list[str]]:
    """Compare the files in a figures folder with the hashes its provenance records.

    Parameters
    ----------
    figures_dir : str or Path
        A folder written by :func:`textkit.reproduce.reproduce`.

    Returns
    -------
    dict of str to list of str
        ``changed`` (hash differs), ``missing`` (recorded, not on disk) and
        ``unrecorded`` (on disk, not in the record); all empty when the folder
        is exactly what the recorded run made.

    Raises
    ------
    TextkitError
        If the folder has no provenance record.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x\\n")
    >>> digest = sha256_file(folder / "a.csv")
    >>> record = {"outputs": {"a.csv": {"notebook": "01", "sha256": digest}}}
    >>> _ = write_provenance(record, folder / PROVENANCE_FILE)
    >>> verify_outputs(folder)
    {'changed': [], 'missing': [], 'unrecorded': []}
    >>> _ = (folder / "a.csv").write_text("y\\n")
    >>> verify_outputs(folder)["changed"]
    ['a.csv']
    """
    folder = Path(figures_dir)
    recorded = {
        name: entry["sha256"] for name, entry in read_provenance(folder).get("outputs", {}).items()
    }
    present = file_hashes(folder, exclude=[PROVENANCE_FILE])
    return {
        "changed": sorted(n for n in recorded if n in present and present[n] != recorded[n]),
        "missing": sorted(n for n in recorded if n not in present),
        "unrecorded": sorted(n for n in present if n not in recorded),
    }
