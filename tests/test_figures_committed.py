"""The committed ``figures/`` is exactly what the code makes from the seeds, byte for byte.

One session-scoped run of every notebook on the seeds (through
:func:`textkit.reproduce.reproduce`, into a temporary folder) is shared by the
tests here: the committed files are compared with it, and the quickest notebook
is run once more to check that two runs write identical bytes.

When the first test fails after an intended change: run ``make figures`` and
commit ``figures/``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from textkit.notebook import find_notebooks
from textkit.provenance import PROVENANCE_FILE, file_hashes, read_provenance
from textkit.reproduce import ReproduceResult, reproduce

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIGURES = ROOT / "figures"
DELETED = "<committed, deleted in the working tree>"


def committed_figures() -> dict[str, str]:
    """SHA-256 of the files of ``figures/`` that git tracks (all files outside git)."""
    present = file_hashes(FIGURES)
    try:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--", "figures"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return present
    tracked = {name.removeprefix("figures/") for name in listed.split("\0") if name}
    deleted = {name: DELETED for name in tracked - set(present)}
    return {name: digest for name, digest in present.items() if name in tracked} | deleted


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> ReproduceResult:
    """Every notebook run on the seeds into a temporary figures folder (slow: minutes)."""
    find_notebooks()  # fails clearly if there are no notebooks
    base = tmp_path_factory.mktemp("regenerated")
    return reproduce(
        corpus_dir=SEEDS,
        figures_dir=base / "figures",
        build_dir=base / "build",
        progress=False,
    )


def test_committed_figures_are_what_the_code_makes(regenerated: ReproduceResult) -> None:
    made = file_hashes(regenerated.figures_dir, exclude=[PROVENANCE_FILE])
    committed = committed_figures()
    committed.pop(PROVENANCE_FILE, None)
    deleted = sorted(n for n in made if committed.get(n) == DELETED)
    differ = sorted(n for n in made if n in committed and committed[n] not in (made[n], DELETED))
    not_committed = sorted(set(made) - set(committed))
    no_longer_made = sorted(set(committed) - set(made))
    problems = [
        f"{label}: {', '.join(names)}"
        for label, names in [
            ("differ from what the code makes", differ),
            ("committed but deleted from the working tree", deleted),
            ("made but not committed", not_committed),
            ("committed but no longer made", no_longer_made),
        ]
        if names
    ]
    assert not problems, "figures/ is out of date (run `make figures`, commit figures/):\n" + (
        "\n".join(problems)
    )


def test_committed_provenance_describes_the_committed_figures(
    regenerated: ReproduceResult,
) -> None:
    committed = read_provenance(FIGURES)
    fresh = read_provenance(regenerated.figures_dir)
    assert committed["outputs"] == fresh["outputs"]
    assert committed["corpus"] == fresh["corpus"]
    for name, entry in fresh["notebooks"].items():
        assert committed["notebooks"][name]["parameters"] == entry["parameters"], name
        assert committed["notebooks"][name]["outputs"] == entry["outputs"], name


def test_committed_figures_come_from_committed_code() -> None:
    """The commit recorded in provenance.json is the code that made the figures.

    Only changes that can alter a figure count (the package, the notebooks, the
    corpus, the pinned environment); edited tests or docs do not.
    """
    git = read_provenance(FIGURES)["git"]
    assert git["commit"], "figures/ was not made inside a git checkout"
    relevant = [
        path
        for path in git["changed"]
        if path.startswith(("textkit/", "notebooks/", "seeds/"))
        or path in {"pyproject.toml", "requirements.lock"}
    ]
    assert not relevant, (
        "figures/ was made from uncommitted changes to "
        + ", ".join(relevant)
        + "; commit the code first, then run `make figures` and commit figures/"
    )


def test_two_runs_write_identical_bytes(regenerated: ReproduceResult, tmp_path: Path) -> None:
    runs_with_files = [run for run in regenerated.runs if run.outputs]
    assert runs_with_files, "no notebook wrote a file"
    quickest = min(runs_with_files, key=lambda run: run.seconds)
    again = reproduce(
        corpus_dir=SEEDS,
        figures_dir=tmp_path / "figures",
        build_dir=tmp_path / "build",
        notebooks=[quickest.name],
        progress=False,
    )
    assert again.outputs == {name: quickest.name for name in quickest.outputs}
    first = file_hashes(regenerated.figures_dir)
    second = file_hashes(again.figures_dir)
    differ = sorted(n for n in quickest.outputs if first[n] != second[n])
    assert not differ, f"{quickest.name} wrote different bytes on a second run: {differ}"
    record = read_provenance(again.figures_dir)
    assert (
        record["notebooks"][quickest.name]
        == read_provenance(regenerated.figures_dir)["notebooks"][quickest.name]
    )
