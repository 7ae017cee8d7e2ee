"""Execute the analysis notebooks headless and rebuild every figure, byte for byte.

:func:`reproduce` runs the numbered notebooks (``notebooks/01-corpus.ipynb``,
``02-topics``, ...) in order with papermill, injecting ``corpus_dir``,
``figures_dir`` and any other parameters into each notebook's cell tagged
``parameters``.  It is what ``textkit reproduce`` and ``make figures`` call.

How a run works
---------------
* Every notebook executes in a fresh kernel started from *this* Python
  interpreter (so the project's environment, never whatever ``python3``
  kernelspec a machine happens to have), with an environment pinned for
  byte-identical results (:data:`KERNEL_ENV`: one BLAS/OpenMP thread,
  ``PYTHONHASHSEED=0``, a fixed ``SOURCE_DATE_EPOCH``, ``MPLBACKEND=Agg``), set
  before the kernel imports numpy.
* Notebooks write into a hidden staging folder beside the figures folder.  The
  files are moved into the figures folder only when every notebook succeeded,
  so a failed run leaves the figures folder exactly as it was.
* Files already in the figures folder that the run does not produce are kept
  (a partial run, ``notebooks=["02-topics"]``, must not delete the other
  notebooks' figures).  Files that the previous run attributed to a notebook
  run again but which it no longer makes are reported as *stale* (and stay
  listed as such in ``provenance.json``), and are deleted only with
  ``prune=True``.  Files textkit never made are never deleted.
* The executed notebooks, with their outputs, go to a build folder (default
  ``build/notebooks/``), never into ``notebooks/``.
* ``provenance.json`` in the figures folder records the commit, versions,
  corpus hashes, parameters, seeds and, per output file, its SHA-256 and the
  notebook that made it (:mod:`textkit.provenance`).

Finding the notebooks and reading their parameters is :mod:`textkit.notebook`.

Examples
--------
>>> KERNEL_ENV["PYTHONHASHSEED"]
'0'
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import nbformat
from tqdm.auto import tqdm

import textkit
from textkit import paths
from textkit.errors import ConfigError, TextkitError
from textkit.notebook import (
    KERNEL_NAME,
    PATH_PARAMETERS,
    find_notebooks,
    notebook_parameters,
)
from textkit.provenance import (
    PROVENANCE_FILE,
    environment_record,
    file_hashes,
    git_state,
    read_provenance,
    write_provenance,
)

__all__ = [
    "KERNEL_ENV",
    "NotebookError",
    "NotebookRun",
    "ReproduceResult",
    "kernel_environment",
    "reproduce",
]

logger = logging.getLogger(__name__)

#: Fixed ``SOURCE_DATE_EPOCH`` (2000-01-01T00:00:00Z): any date a file format
#: insists on is this one, so it never changes between runs or commits.
SOURCE_DATE_EPOCH = "946684800"

#: Environment every notebook kernel starts with (set before numpy loads).
KERNEL_ENV: Mapping[str, str] = MappingProxyType(
    {
        "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "NUMEXPR_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONHASHSEED": "0",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "VECLIB_MAXIMUM_THREADS": "1",
    }
)

_SEED_NAME = re.compile(r"(^|_)(seed|seeds|random_state)$")

# Run inside each kernel before the first cell: make ``tqdm.auto`` draw text
# bars (on stderr, relayed to the terminal) instead of widgets nobody sees.
_KERNEL_STARTUP = (
    "import tqdm.auto as _tk_auto, tqdm.std as _tk_std\n"
    "_tk_auto.tqdm, _tk_auto.trange = _tk_std.tqdm, _tk_std.trange\n"
    "del _tk_auto, _tk_std"
)


class NotebookError(TextkitError):
    """A notebook failed while :func:`reproduce` executed it.

    Attributes
    ----------
    notebook : str
        Notebook name (``"02-topics"``).
    cell_index : int or None
        0-based index of the failing cell in the source notebook (``None``
        when the kernel died or timed out outside a cell).
    source : str
        Source of the failing cell.
    ename, evalue : str
        Exception class name and message raised in the kernel.
    traceback : str
        Full traceback without colour codes.
    executed : Path
        The partly executed notebook, with the traceback in its outputs.
    """

    def __init__(
        self,
        notebook: str,
        *,
        cell_index: int | None,
        source: str,
        ename: str,
        evalue: str,
        traceback: str,
        executed: Path,
        figures_dir: Path,
    ) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.source = source
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
        self.executed = executed
        where = "" if cell_index is None else f" in cell {cell_index} (0-based, counting all cells)"
        lines = [f"Notebook {notebook!r} failed{where}."]
        if source.strip():
            head = source.strip("\n").splitlines()
            lines += ["    " + line for line in head[:6]]
            if len(head) > 6:
                lines.append(f"    ... ({len(head) - 6} more lines)")
        lines.append(f"{ename}: {evalue}" if evalue else ename)
        lines.append(f"The executed notebook with the full traceback is {str(executed)!r}.")
        lines.append(f"{str(figures_dir)!r} was left unchanged.")
        super().__init__("\n".join(lines))


@dataclasses.dataclass(frozen=True)
class NotebookRun:
    """One executed notebook: where it is, what it was given, what it wrote."""

    name: str
    source: Path
    executed: Path
    parameters: Mapping[str, Any]
    outputs: tuple[str, ...]
    seconds: float


@dataclasses.dataclass(frozen=True)
class ReproduceResult:
    """What a :func:`reproduce` run did.

    Attributes
    ----------
    figures_dir, build_dir : Path
        Where the outputs and the executed notebooks went.
    provenance : Path
        The ``provenance.json`` written.
    runs : tuple of NotebookRun
        One per notebook, in execution order.
    kept : tuple of str
        Files in ``figures_dir`` this run neither made nor carried over from
        an earlier run of another notebook (left in place).
    stale : tuple of str
        Files an earlier run made that no notebook makes any more (deleted
        when ``prune=True``, else kept and listed here and in the record).
    """

    figures_dir: Path
    build_dir: Path
    provenance: Path
    runs: tuple[NotebookRun, ...]
    kept: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def outputs(self) -> dict[str, str]:
        """``{relative path: notebook name}`` for every file this run wrote."""
        return {name: run.name for run in self.runs for name in run.outputs}


def kernel_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the environment variables the notebook kernels get on top of the caller's.

    :data:`KERNEL_ENV` pins threads, hashing, dates and the matplotlib backend;
    ``PYTHONPATH`` is extended so that the kernel imports the same ``textkit``
    as the caller, also from a source checkout that is not installed.

    Parameters
    ----------
    extra : mapping, optional
        More variables, overriding the pinned ones (at the cost of
        byte-identical results, e.g. another ``SOURCE_DATE_EPOCH``).

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> env = kernel_environment({"SOURCE_DATE_EPOCH": "0"})
    >>> env["OMP_NUM_THREADS"], env["SOURCE_DATE_EPOCH"]
    ('1', '0')
    """
    env = dict(KERNEL_ENV)
    package_parent = str(Path(textkit.__file__).resolve().parents[1])
    site_dirs = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    if package_parent not in site_dirs:
        current = os.environ.get("PYTHONPATH", "")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, current) if p)
    env.update(extra or {})
    return env


def reproduce(
    *,
    corpus_dir: str | Path | None = None,
    figures_dir: str | Path | None = None,
    notebooks: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    notebooks_dir: str | Path | None = None,
    build_dir: str | Path | None = None,
    prune: bool = False,
    timeout: float | None = None,
    progress: bool = True,
    env: Mapping[str, str] | None = None,
) -> ReproduceResult:
    """Execute the notebooks in order and write their figures, all or nothing.

    Slow: each notebook runs in its own fresh kernel (a few seconds to start)
    plus the analysis itself.

    Parameters
    ----------
    corpus_dir : str or Path, optional
        Corpus folder (default: the project's ``seeds/``).
    figures_dir : str or Path, optional
        Where the outputs go (default: the project's ``figures/``).
    notebooks : sequence of str, optional
        Subset of notebooks to run (see :func:`textkit.notebook.find_notebooks`); default all.
    parameters : mapping, optional
        More notebook parameters, each injected into the notebooks that
        declare it (``{"k_max": 12}``).
    notebooks_dir : str or Path, optional
        Folder of the notebooks (default: the project's ``notebooks/``).
    build_dir : str or Path, optional
        Where the executed notebooks go (default ``build/notebooks/``).
    prune : bool, default False
        Delete stale files: made by an earlier run of a notebook run now, but
        no longer made by it.
    timeout : float, optional
        Seconds one cell may run before the run is stopped.
    progress : bool, default True
        Show a progress bar per notebook, with the analyses' own bars.
    env : mapping, optional
        Extra kernel environment variables (see :func:`kernel_environment`).

    Returns
    -------
    ReproduceResult

    Raises
    ------
    NotebookError
        If a notebook fails; nothing is written to ``figures_dir``.
    ConfigError
        If a notebook or parameter name is unknown, or a parameter is one
        ``reproduce`` sets itself.
    TextkitError
        If the corpus folder does not exist, or a notebook lacks a parameters
        cell declaring ``corpus_dir`` and ``figures_dir``.

    Examples
    --------
    >>> reproduce(parameters={"figures_dir": "elsewhere"})
    Traceback (most recent call last):
    ...
    textkit.errors.ConfigError: 'figures_dir' is set by reproduce itself; use figures_dir=... \
(--figures on the command line)
    """
    started = time.perf_counter()
    extra = dict(parameters or {})
    for name in PATH_PARAMETERS:
        if name in extra:
            option = "--corpus" if name == "corpus_dir" else "--figures"
            raise ConfigError(
                f"{name!r} is set by reproduce itself; "
                f"use {name}=... ({option} on the command line)"
            )
    corpus = Path(corpus_dir) if corpus_dir is not None else paths.default_corpus_dir()
    corpus = corpus.resolve()
    if not corpus.is_dir():
        raise TextkitError(f"Corpus folder {str(corpus)!r} does not exist or is not a folder.")
    target = Path(figures_dir) if figures_dir is not None else paths.default_figures_dir()
    target = target.resolve()
    build = Path(build_dir) if build_dir is not None else _default_build_dir()
    build = build.resolve()
    sources = find_notebooks(notebooks, notebooks_dir=notebooks_dir)
    plans = _plan(sources, extra)

    kernel_env = kernel_environment(env)
    root = _project_root_or_none()
    git = git_state(root if root is not None else sources[0].parent, ignore=[target, build])
    build.mkdir(parents=True, exist_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-partial-", dir=target.parent))
    runs: list[NotebookRun] = []
    try:
        with _Progress(len(plans), enabled=progress) as bar:
            before: dict[str, str] = {}
            for number, (source, params) in enumerate(plans, start=1):
                logger.info("running %s (%d of %d)", source.stem, number, len(plans))
                run = _run_one(
                    source,
                    {"corpus_dir": str(corpus), "figures_dir": str(staging), **params},
                    build=build,
                    target=target,
                    env=kernel_env,
                    timeout=timeout,
                    bar=bar,
                )
                after = file_hashes(staging)
                made = tuple(k for k, v in after.items() if before.get(k) != v)
                runs.append(dataclasses.replace(run, outputs=made))
                before = after
                logger.info("%s: %d files in %.1f s", run.name, len(made), run.seconds)
        produced = {name: run.name for run in runs for name in run.outputs}
        produced.pop(PROVENANCE_FILE, None)
        hashes = file_hashes(staging)
        previous = _previous_record(target)
        record, stale = _provenance(
            runs,
            produced,
            hashes,
            previous,
            corpus=corpus,
            target=target,
            git=git,
            kernel_env=kernel_env,
            root=root,
        )
        if prune:
            record["stale"] = []
        write_provenance(record, staging / PROVENANCE_FILE)
        _move_into_place(staging, target, [*produced, PROVENANCE_FILE])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if prune:
        for name in stale:
            (target / name).unlink()
            logger.info("deleted stale %s", name)
    recorded = set(record["outputs"]) | {PROVENANCE_FILE}
    present = file_hashes(target)
    kept = tuple(n for n in present if n not in recorded and n not in stale)
    if stale and not prune:
        logger.warning(
            "%d stale files kept in %s (made by an earlier run of these notebooks, not by this "
            "one; prune=True / --prune deletes them): %s",
            len(stale),
            target,
            ", ".join(stale),
        )
    return ReproduceResult(
        figures_dir=target,
        build_dir=build,
        provenance=target / PROVENANCE_FILE,
        runs=tuple(runs),
        kept=kept,
        stale=tuple(stale) if not prune else (),
        seconds=time.perf_counter() - started,
    )


def _default_build_dir() -> Path:
    return paths.project_root() / "build" / "notebooks"


def _project_root_or_none() -> Path | None:
    try:
        return paths.project_root()
    except TextkitError:
        return None


def _plan(sources: list[Path], extra: Mapping[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    """Pair each notebook with the parameters it declares and is given."""
    plans = []
    used: set[str] = set()
    declared_anywhere: set[str] = set()
    for source in sources:
        declared = notebook_parameters(source)
        declared_anywhere |= set(declared)
        missing = [name for name in PATH_PARAMETERS if name not in declared]
        if missing:
            raise TextkitError(
                f"Notebook {source.stem!r} does not declare {', '.join(map(repr, missing))} in a "
                "cell tagged 'parameters'; add `corpus_dir = None` and `figures_dir = None` "
                "to its first code cell and tag the cell 'parameters'."
            )
        given = {name: value for name, value in extra.items() if name in declared}
        used |= set(given)
        plans.append((source, given))
    unknown = sorted(set(extra) - used)
    if unknown:
        known = ", ".join(sorted(declared_anywhere - set(PATH_PARAMETERS)))
        raise ConfigError(
            f"parameter {', '.join(map(repr, unknown))} is not declared by any of the notebooks "
            f"{', '.join(p.stem for p in sources)}; they declare: {known}"
        )
    return plans


def _run_one(
    source: Path,
    parameters: dict[str, Any],
    *,
    build: Path,
    target: Path,
    env: Mapping[str, str],
    timeout: float | None,
    bar: _Progress,
) -> NotebookRun:
    import papermill
    from jupyter_client.manager import KernelManager
    from papermill.exceptions import PapermillExecutionError

    name = source.stem
    executed = build / source.name
    nb = nbformat.read(str(source), as_version=4)
    n_cells = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip()) + 1
    km = KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=_kernel_specs(env))
    bar.start(name, n_cells)
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            km=km,
            cwd=str(source.parent),
            progress_bar=False,
            stderr_file=bar,
            start_timeout=120,
            execution_timeout=timeout,
            on_cell_executed=bar.cell_done,
        )
    except PapermillExecutionError as error:
        raise NotebookError(
            name,
            cell_index=_source_index(nb, error.cell_index),
            source=error.source,
            ename=error.ename,
            evalue=error.evalue,
            traceback=_strip_ansi("\n".join(error.traceback)),
            executed=executed,
            figures_dir=target,
        ) from None
    except Exception as error:  # dead kernel, cell timeout, kernel that never started
        raise NotebookError(
            name,
            cell_index=None,
            source="",
            ename=type(error).__name__,
            evalue=_strip_ansi(str(error)).strip().splitlines()[-1] if str(error) else "",
            traceback=_strip_ansi(str(error)),
            executed=executed,
            figures_dir=target,
        ) from error
    finally:
        bar.finish()
    seconds = time.perf_counter() - started
    return NotebookRun(name, source, executed, parameters, (), seconds)


def _kernel_specs(env: Mapping[str, str]) -> Any:
    """A kernelspec manager serving one ``python3`` spec: this interpreter, pinned env."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    argv = [
        sys.executable,
        "-Xfrozen_modules=off",
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
        "--IPKernelApp.log_level=ERROR",
        f"--IPKernelApp.exec_lines={_KERNEL_STARTUP}",
    ]

    class PinnedKernelSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=argv,
                env=dict(env),
                display_name="Python 3 (textkit reproduce)",
                language="python",
                name=kernel_name,
            )

    return PinnedKernelSpecs()


def _source_index(nb: nbformat.NotebookNode, executed_index: int) -> int:
    """Map a cell index of the executed notebook back to the source notebook.

    papermill inserts one cell of injected parameters after the cell tagged
    ``parameters`` (or first, when there is none).
    """
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    injected_at = tagged[0] + 1 if tagged else 0
    return executed_index - 1 if executed_index > injected_at else executed_index


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def _previous_record(target: Path) -> dict[str, Any]:
    try:
        return read_provenance(target)
    except TextkitError:
        return {}


def _display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def _provenance(
    runs: list[NotebookRun],
    produced: Mapping[str, str],
    hashes: Mapping[str, str],
    previous: Mapping[str, Any],
    *,
    corpus: Path,
    target: Path,
    git: Mapping[str, Any],
    kernel_env: Mapping[str, str],
    root: Path | None,
) -> tuple[dict[str, Any], list[str]]:
    """Build the record; carry over earlier entries of notebooks not run this time."""
    from textkit.provenance import sha256_file

    notebooks: dict[str, Any] = {}
    for run in runs:
        params = {k: v for k, v in run.parameters.items() if k not in PATH_PARAMETERS}
        defaults = notebook_parameters(run.source)
        effective = {k: params.get(k, v) for k, v in defaults.items() if k not in PATH_PARAMETERS}
        notebooks[run.name] = {
            "outputs": sorted(run.outputs),
            "parameters": effective,
            "seeds": {k: v for k, v in effective.items() if _SEED_NAME.search(k)},
            "source": _display_path(run.source, root),
            "source_sha256": sha256_file(run.source),
        }
    outputs = {name: {"notebook": nb, "sha256": hashes[name]} for name, nb in produced.items()}

    ran = set(notebooks)
    stale: list[str] = []
    context = {k: previous[k] for k in ("corpus", "git") if k in previous}
    for name, entry in previous.get("outputs", {}).items():
        if name in outputs or not (target / name).is_file():
            continue
        if entry.get("notebook") in ran:
            stale.append(name)
        elif sha256_file(target / name) == entry.get("sha256"):
            outputs[name] = entry
    stale += [
        name
        for name in previous.get("stale", [])
        if name not in outputs and name not in stale and (target / name).is_file()
    ]
    for name, entry in previous.get("notebooks", {}).items():
        if name not in ran and any(o.get("notebook") == name for o in outputs.values()):
            notebooks[name] = {"previous_run": context, **entry}
    record = {
        "corpus": {
            "files": file_hashes(corpus),
            "path": _display_path(corpus, root),
        },
        "environment": environment_record(),
        "format": "textkit-provenance/1",
        "git": dict(git),
        "kernel_environment": {k: v for k, v in kernel_env.items() if k != "PYTHONPATH"},
        "notebooks": notebooks,
        "outputs": outputs,
        "stale": sorted(stale),
    }
    return record, sorted(stale)


def _move_into_place(staging: Path, target: Path, names: Iterable[str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, destination)


class _Progress:
    """A bar over notebooks and, below it, one over the current notebook's cells.

    It is also the file papermill writes the kernel's stderr to: the last line
    of the analyses' own tqdm bars is shown beside the cell bar.
    """

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.enabled = enabled
        self.outer = tqdm(total=total, unit="notebook", disable=not enabled, position=0)
        self.cells: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.cells is not None:
            self.cells.close()
        self.outer.close()

    def start(self, name: str, n_cells: int) -> None:
        self.outer.set_description(name)
        self.cells = tqdm(
            total=n_cells,
            unit="cell",
            desc="cells",
            leave=False,
            position=1,
            disable=not self.enabled,
        )

    def cell_done(self, **_: Any) -> None:
        if self.cells is not None:
            self.cells.update()

    def finish(self) -> None:
        if self.cells is not None:
            self.cells.close()
            self.cells = None
        self.outer.update()

    def write(self, text: str) -> int:
        lines = [part.strip() for part in re.split(r"[\r\n]", text) if part.strip()]
        if lines and self.cells is not None:
            # "k grid:  40%|####      | 4/10 [00:02<00:03]" -> "k grid: 40% 4/10 [00:02<00:03]"
            status = re.sub(r"\s+", " ", re.sub(r"\|[^|]*\|", " ", lines[-1]))
            self.cells.set_postfix_str(status[:60], refresh=True)
        return len(text)

    def flush(self) -> None:
        return None
