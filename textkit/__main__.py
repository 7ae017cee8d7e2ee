"""The ``textkit`` command line (also ``python -m textkit``).

Commands
--------
``textkit reproduce [--corpus DIR] [--figures DIR] [--notebooks NAME ...] [-p NAME VALUE ...]``
    Execute the numbered notebooks headless and rebuild every figure.
``textkit verify [--figures DIR]``
    Check the files in a figures folder against its ``provenance.json``.
``textkit check-notebooks [NOTEBOOK ...]``
    Check that stored notebooks have no outputs and a proper parameters cell.

Examples
--------
>>> parser = build_parser()
>>> args = parser.parse_args(["reproduce", "-p", "k_max", "12", "-p", "terms", "[peace, war]"])
>>> args.parameters
[['k_max', '12'], ['terms', '[peace, war]']]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from textkit.errors import TextkitError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``textkit`` command.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> build_parser().parse_args(["reproduce", "--notebooks", "01", "03"]).notebooks
    ['01', '03']
    """
    parser = argparse.ArgumentParser(
        prog="textkit",
        description="textkit: rebuild the paper figures from the notebooks, reproducibly.",
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv: debug)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "reproduce",
        help="execute the notebooks and write every figure",
        description=(
            "Execute the numbered notebooks in order, headless, and write their figures, "
            "all or nothing, with provenance.json. Works from any folder."
        ),
    )
    run.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the repo's seeds/)")
    run.add_argument(
        "--figures", metavar="DIR", help="output folder (default: the repo's figures/)"
    )
    run.add_argument(
        "--notebooks",
        nargs="+",
        metavar="NAME",
        help="run only these notebooks: '02-topics', '02' or 'topics' (default: all, in order)",
    )
    run.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter; VALUE is YAML: -p k_max 12, -p terms '[peace, war]'",
    )
    run.add_argument(
        "--build",
        metavar="DIR",
        help="folder for the executed notebooks (default: the repo's build/notebooks/)",
    )
    run.add_argument(
        "--notebooks-dir", metavar="DIR", help="folder of the notebooks (default: notebooks/)"
    )
    run.add_argument(
        "--prune",
        action="store_true",
        help="delete files an earlier run of these notebooks made that this run no longer makes",
    )
    run.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop if one cell runs longer than this"
    )
    run.add_argument("--no-progress", action="store_true", help="no progress bars")

    verify = commands.add_parser(
        "verify", help="check a figures folder against its provenance.json"
    )
    verify.add_argument("--figures", metavar="DIR", help="figures folder (default: figures/)")

    check = commands.add_parser(
        "check-notebooks", help="check stored notebooks: no outputs, parameters cell, python3"
    )
    check.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="default: notebooks/")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``textkit`` command and return its exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success, 1 when the command failed (the reason is printed on
        stderr), 2 for a usage error.

    Examples
    --------
    >>> main(["reproduce", "-p", "figures_dir", "x"])
    1
    """
    args = build_parser().parse_args(argv)
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if args.verbose < 2:
        # jupyter_client warns at exit about zmq contexts of finished kernels; harmless noise.
        logging.getLogger("traitlets").setLevel(logging.ERROR)
    try:
        if args.command == "reproduce":
            return _reproduce(args)
        if args.command == "verify":
            return _verify(args)
        return _check_notebooks(args)
    except TextkitError as error:
        print(f"textkit {args.command}: error: {error}", file=sys.stderr)
        return 1


def _shown(path: Path) -> str:
    """A path relative to the working directory when below it, else absolute."""
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _reproduce(args: argparse.Namespace) -> int:
    from textkit.notebook import parse_parameter
    from textkit.reproduce import reproduce

    parameters = {name: parse_parameter(value) for name, value in args.parameters}
    progress = not args.no_progress and sys.stderr.isatty()
    if not progress and args.verbose == 0:
        # No bars (a log file, CI): say which notebook ran, one line each.
        logging.getLogger("textkit.reproduce").setLevel(logging.INFO)
    result = reproduce(
        corpus_dir=args.corpus,
        figures_dir=args.figures,
        notebooks=args.notebooks,
        parameters=parameters,
        notebooks_dir=args.notebooks_dir,
        build_dir=args.build,
        prune=args.prune,
        timeout=args.timeout,
        progress=progress,
    )
    n_files = len(result.outputs)
    print(f"Ran {_count(len(result.runs), 'notebook')} in {result.seconds:.1f} s:")
    width = max(len(run.name) for run in result.runs)
    for run in result.runs:
        print(f"  {run.name:<{width}}  {run.seconds:6.1f} s  {_count(len(run.outputs), 'file')}")
    print(f"Figures:             {_shown(result.figures_dir)}{os.sep} ({_count(n_files, 'file')})")
    print(f"Provenance:          {_shown(result.provenance)}")
    print(f"Executed notebooks:  {_shown(result.build_dir)}{os.sep}")
    if result.stale:
        print(
            f"Stale ({len(result.stale)} files an earlier run made, this one did not; "
            f"--prune deletes them): {', '.join(result.stale)}"
        )
    if result.kept:
        print(f"Kept ({len(result.kept)} files not made by textkit): {', '.join(result.kept)}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from textkit import paths
    from textkit.provenance import verify_outputs

    folder = Path(args.figures) if args.figures else paths.default_figures_dir()
    report = verify_outputs(folder)
    problems = 0
    for kind, names in report.items():
        for name in names:
            print(f"{kind}: {name}")
            problems += 1
    if problems:
        print(f"{problems} files of {_shown(folder)} differ from its provenance.json.")
        return 1
    print(f"All files of {_shown(folder)} match its provenance.json.")
    return 0


def _check_notebooks(args: argparse.Namespace) -> int:
    from textkit import paths
    from textkit.notebook import notebook_problems

    targets = [Path(n) for n in args.notebooks] or sorted(paths.notebooks_dir().glob("*.ipynb"))
    failed = 0
    for target in targets:
        for problem in notebook_problems(target):
            print(f"{_shown(target.resolve())}: {problem}")
            failed += 1
    if failed:
        print(f"{failed} problems; strip outputs with `nbstripout notebooks/*.ipynb`.")
        return 1
    print(f"{_count(len(targets), 'notebook')} clean.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
