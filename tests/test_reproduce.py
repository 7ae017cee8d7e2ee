"""Tests of textkit.reproduce and the ``textkit`` command on tiny notebooks built here.

Each notebook execution starts a kernel (a few seconds), so the runs are shared
through module-scoped fixtures and the tests check several facts per run.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import textkit
from textkit.errors import ConfigError, TextkitError
from textkit.notebook import (
    find_notebooks,
    notebook_parameters,
    notebook_problems,
    parse_parameter,
)
from textkit.provenance import PROVENANCE_FILE, read_provenance
from textkit.reproduce import KERNEL_ENV, NotebookError, kernel_environment, reproduce

PARAMETERS_CELL = "corpus_dir = None\nfigures_dir = None\nseed = 42\n"

# 01: writes a file from the corpus and the parameters, and one into a subfolder.
FIRST = [
    "import json, pathlib\n"
    "corpus = pathlib.Path(corpus_dir)\n"
    "out = pathlib.Path(figures_dir)\n"
    "names = sorted(p.name for p in corpus.glob('*.txt'))\n"
    "(out / 'first.json').write_text(json.dumps({'names': names, 'seed': seed, 'terms': terms}))\n"
    "(out / 'tables').mkdir(exist_ok=True)\n"
    "(out / 'tables' / 'sizes.csv').write_text('n\\n%d\\n' % len(names))",
]
# 02: records what the kernel saw (environment, interpreter, tqdm class, cwd).
SECOND = [
    "import os, sys, pathlib, tqdm.auto, tqdm.std\n"
    "keys = " + repr(sorted(KERNEL_ENV)) + "\n"
    "seen = {k: os.environ.get(k) for k in keys}\n"
    "seen['executable'] = sys.executable\n"
    "seen['text_tqdm'] = tqdm.auto.tqdm is tqdm.std.tqdm\n"
    "seen['cwd'] = os.getcwd()\n"
    "seen['hash'] = hash('textkit')\n"
    "import textkit; seen['textkit'] = textkit.__file__\n"
    "for _ in tqdm.auto.tqdm(range(3), desc='inner'):\n"
    "    pass\n"
    "import json; (pathlib.Path(figures_dir) / 'second.json').write_text(json.dumps(seen))",
]
FAILING = ["x = 1", "y = 2\nraise ValueError('broken on purpose')\nz = 3"]


def make_notebook(
    path: Path,
    cells: list[str],
    *,
    parameters: str = PARAMETERS_CELL,
    kernel: str = "python3",
) -> Path:
    """Write a notebook: a markdown title, the parameters cell, then ``cells``."""
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A test notebook"),
            params,
            *[nbformat.v4.new_code_cell(c) for c in cells],
        ]
    )
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (hidden ones included) with its SHA-256."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("project")
    notebooks = base / "notebooks"
    make_notebook(notebooks / "01-first.ipynb", FIRST, parameters=PARAMETERS_CELL + "terms = []\n")
    make_notebook(notebooks / "02-second.ipynb", SECOND)
    (notebooks / "scratch.ipynb").write_text("not a notebook the run may touch")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "b.txt").write_text("beta\n")
    (corpus / "a.txt").write_text("alpha\n")
    figures = base / "figures"
    figures.mkdir()
    (figures / "notes.txt").write_text("mine, keep it\n")
    return {"base": base, "notebooks": notebooks, "corpus": corpus, "figures": figures}


@pytest.fixture(scope="module")
def first_run(project: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    sources_before = tree(project["notebooks"])
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    cwd = os.getcwd()
    os.chdir(elsewhere)  # the run must not depend on the working directory
    try:
        result = reproduce(
            corpus_dir=project["corpus"],
            figures_dir=project["figures"],
            notebooks_dir=project["notebooks"],
            build_dir=project["base"] / "build",
            parameters={"terms": parse_parameter('[peace, "human security"]')},
            progress=False,
        )
    finally:
        os.chdir(cwd)
    return result, sources_before


def test_outputs_land_in_figures_with_parameters_injected(first_run, project):
    result, _ = first_run
    first = json.loads((project["figures"] / "first.json").read_text())
    assert first == {"names": ["a.txt", "b.txt"], "seed": 42, "terms": ["peace", "human security"]}
    assert (project["figures"] / "tables" / "sizes.csv").read_text() == "n\n2\n"
    assert result.outputs == {
        "first.json": "01-first",
        "tables/sizes.csv": "01-first",
        "second.json": "02-second",
    }
    assert [run.name for run in result.runs] == ["01-first", "02-second"]


def test_kernel_gets_pinned_environment_and_this_interpreter(first_run, project):
    seen = json.loads((project["figures"] / "second.json").read_text())
    for key, value in KERNEL_ENV.items():
        assert seen[key] == value, key
    assert Path(seen["executable"]).resolve() == Path(sys.executable).resolve()
    assert seen["text_tqdm"] is True
    assert Path(seen["cwd"]).resolve() == project["notebooks"].resolve()
    assert Path(seen["textkit"]).resolve() == Path(textkit.__file__).resolve()
    # PYTHONHASHSEED=0 reaches the kernel: str hashes equal a child Python's with the same seed.
    child = subprocess.run(
        [sys.executable, "-c", "print(hash('textkit'))"],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert seen["hash"] == int(child.stdout)


def test_executed_notebooks_go_to_build_and_sources_stay_clean(first_run, project):
    result, sources_before = first_run
    assert tree(project["notebooks"]) == sources_before
    executed = project["base"] / "build" / "01-first.ipynb"
    assert result.runs[0].executed == executed.resolve()
    nb = nbformat.read(str(executed), as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)
    assert notebook_problems(project["notebooks"] / "01-first.ipynb") == []
    assert not list(project["base"].glob(".figures-partial-*")), "staging folder left behind"


def test_unproduced_files_are_kept_and_reported(first_run, project):
    result, _ = first_run
    assert (project["figures"] / "notes.txt").read_text() == "mine, keep it\n"
    assert result.kept == ("notes.txt",)


def test_provenance_records_corpus_parameters_and_outputs(first_run, project):
    result, _ = first_run
    record = read_provenance(project["figures"])
    assert result.provenance == (project["figures"] / PROVENANCE_FILE).resolve()
    digest = hashlib.sha256(b"alpha\n").hexdigest()
    assert record["corpus"]["files"]["a.txt"] == digest
    assert list(record["corpus"]["files"]) == ["a.txt", "b.txt"]
    for name, entry in record["outputs"].items():
        data = (project["figures"] / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["outputs"]["tables/sizes.csv"]["notebook"] == "01-first"
    assert "notes.txt" not in record["outputs"]
    first = record["notebooks"]["01-first"]
    assert first["parameters"] == {"seed": 42, "terms": ["peace", "human security"]}
    assert first["seeds"] == {"seed": 42}
    assert first["outputs"] == ["first.json", "tables/sizes.csv"]
    assert record["kernel_environment"] == dict(KERNEL_ENV)
    assert record["environment"]["packages"]["textkit"] == textkit.__version__
    text = (project["figures"] / PROVENANCE_FILE).read_text()
    assert text == json.dumps(record, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)

    stamps = [k for k in keys(record) if "time" in k.lower() or "date" in k.lower()]
    assert stamps == ["SOURCE_DATE_EPOCH"]  # the fixed epoch, not a timestamp


def test_partial_run_keeps_other_notebooks_outputs_and_provenance(first_run, project):
    before = read_provenance(project["figures"])
    result = reproduce(
        corpus_dir=project["corpus"],
        figures_dir=project["figures"],
        notebooks_dir=project["notebooks"],
        build_dir=project["base"] / "build",
        notebooks=["02"],
        progress=False,
    )
    assert [run.name for run in result.runs] == ["02-second"]
    after = read_provenance(project["figures"])
    assert after["outputs"] == before["outputs"]  # 01's files carried over, same hashes
    assert after["notebooks"]["01-first"]["previous_run"]["corpus"] == before["corpus"]
    assert "previous_run" not in after["notebooks"]["02-second"]
    assert result.kept == ("notes.txt",)


def test_failing_notebook_stops_run_and_leaves_figures_untouched(project, tmp_path):
    notebooks = tmp_path / "notebooks"
    make_notebook(notebooks / "01-first.ipynb", FIRST, parameters=PARAMETERS_CELL + "terms = []\n")
    make_notebook(notebooks / "02-broken.ipynb", FAILING)
    make_notebook(notebooks / "03-never.ipynb", ["open('never-run', 'w')"])
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "first.json").write_text("old")
    before = tree(figures)
    with pytest.raises(NotebookError, match="'02-broken' failed in cell 3") as caught:
        reproduce(
            corpus_dir=project["corpus"],
            figures_dir=figures,
            notebooks_dir=notebooks,
            build_dir=tmp_path / "build",
            progress=False,
        )
    error = caught.value
    assert error.notebook == "02-broken"
    assert error.cell_index == 3  # markdown, parameters, "x = 1", then the failing cell
    assert error.ename == "ValueError" and error.evalue == "broken on purpose"
    message = str(error)
    assert "raise ValueError('broken on purpose')" in message
    assert "ValueError: broken on purpose" in message
    assert str(tmp_path / "build" / "02-broken.ipynb") in message
    assert tree(figures) == before
    assert not (notebooks / "never-run").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "figures", "notebooks"]


def test_cli_reports_a_failing_notebook(project, tmp_path, monkeypatch, capsys):
    from textkit.__main__ import main

    notebooks = tmp_path / "notebooks"
    make_notebook(notebooks / "01-broken.ipynb", FAILING)
    monkeypatch.chdir(tmp_path)
    argv = ["reproduce", "--no-progress", "--corpus", str(project["corpus"])]
    argv += ["--figures", "figures", "--notebooks-dir", "notebooks", "--build", "build"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Notebook '01-broken' failed in cell 3" in err
    assert "ValueError: broken on purpose" in err
    assert not (tmp_path / "figures").exists()


def test_cli_success_prints_where_outputs_went(project, tmp_path):
    notebooks = tmp_path / "notebooks"
    make_notebook(notebooks / "01-first.ipynb", FIRST, parameters=PARAMETERS_CELL + "terms = []\n")
    env = {**os.environ, "PYTHONPATH": str(Path(textkit.__file__).resolve().parents[1])}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "textkit",
            "reproduce",
            "--no-progress",
            "--corpus",
            str(project["corpus"]),
            "--figures",
            "out",
            "--notebooks-dir",
            str(notebooks),
            "--build",
            "build",
            "-p",
            "terms",
            "[war, 'peace process']",
            "-p",
            "seed",
            "7",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "(2 files)" in done.stdout and "Ran 1 notebook in" in done.stdout
    assert f"out{os.sep}" in done.stdout and f"build{os.sep}" in done.stdout
    first = json.loads((tmp_path / "out" / "first.json").read_text())
    assert first["terms"] == ["war", "peace process"] and first["seed"] == 7


# --- no kernel needed below -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0.25", 0.25),
        ("true", True),
        ("null", None),
        ("peace", "peace"),
        ('[peace, "human security"]', ["peace", "human security"]),
        ("{k_min: 2, k_max: 12}", {"k_min": 2, "k_max": 12}),
        ("2004-05-06", "2004-05-06"),  # YAML date: kept as the string given
        ("'12'", "12"),
    ],
)
def test_parse_parameter(text, expected):
    assert parse_parameter(text) == expected


def test_parse_parameter_rejects_invalid_yaml():
    with pytest.raises(ConfigError, match="is not valid YAML"):
        parse_parameter("[unclosed")


def test_find_notebooks_by_stem_number_or_topic(tmp_path):
    for name in ["03-trends", "01-corpus", "02-topics", "10-later"]:
        make_notebook(tmp_path / f"{name}.ipynb", [])
    (tmp_path / "untitled.ipynb").write_text("{}")
    every = [p.stem for p in find_notebooks(notebooks_dir=tmp_path)]
    assert every == ["01-corpus", "02-topics", "03-trends", "10-later"]
    picked = find_notebooks(["trends", "01", "02-topics.ipynb"], notebooks_dir=tmp_path)
    assert [p.stem for p in picked] == ["01-corpus", "02-topics", "03-trends"]
    with pytest.raises(ConfigError, match="'topic' matches no notebook; choose from: 01-corpus"):
        find_notebooks(["topic"], notebooks_dir=tmp_path)


def test_find_notebooks_in_empty_folder(tmp_path):
    with pytest.raises(TextkitError, match="No numbered notebooks"):
        find_notebooks(notebooks_dir=tmp_path)


def test_notebook_parameters_reads_defaults(tmp_path):
    path = make_notebook(
        tmp_path / "01-x.ipynb",
        [],
        parameters="corpus_dir = None\nfigures_dir = None\nk_max = 12  # largest k\n"
        "terms = ['peace']\nout = Path('x')\n",
    )
    assert notebook_parameters(path) == {
        "corpus_dir": None,
        "figures_dir": None,
        "k_max": 12,
        "terms": ["peace"],
        "out": "Path('x')",
    }


def test_unknown_parameter_is_refused_before_running(project, tmp_path):
    with pytest.raises(ConfigError, match=r"'k_maxx' is not declared by any of the notebooks"):
        reproduce(
            corpus_dir=project["corpus"],
            figures_dir=tmp_path / "figures",
            notebooks_dir=project["notebooks"],
            build_dir=tmp_path / "build",
            parameters={"k_maxx": 3},
            progress=False,
        )
    assert not (tmp_path / "figures").exists()


@pytest.mark.parametrize("name", ["corpus_dir", "figures_dir"])
def test_path_parameters_are_refused(name):
    with pytest.raises(ConfigError, match=f"'{name}' is set by reproduce itself"):
        reproduce(parameters={name: "x"})


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(TextkitError, match="Corpus folder .* does not exist"):
        reproduce(corpus_dir=tmp_path / "nope", figures_dir=tmp_path / "f")


def test_notebook_without_figures_dir_parameter_is_refused(project, tmp_path):
    make_notebook(tmp_path / "01-x.ipynb", [], parameters="corpus_dir = None\n")
    with pytest.raises(TextkitError, match="does not declare 'figures_dir'"):
        reproduce(
            corpus_dir=project["corpus"],
            figures_dir=tmp_path / "figures",
            notebooks_dir=tmp_path,
            build_dir=tmp_path / "build",
            progress=False,
        )


def test_kernel_environment_pins_and_finds_this_textkit():
    env = kernel_environment()
    assert {k: env[k] for k in KERNEL_ENV} == dict(KERNEL_ENV)
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "1"
    parent = str(Path(textkit.__file__).resolve().parents[1])
    assert parent in env.get("PYTHONPATH", parent).split(os.pathsep)


def test_cli_verify_reports_edited_figures(tmp_path, capsys):
    from textkit.__main__ import main
    from textkit.provenance import sha256_file, write_provenance

    (tmp_path / "a.csv").write_text("x\n")
    record = {"outputs": {"a.csv": {"notebook": "01", "sha256": sha256_file(tmp_path / "a.csv")}}}
    write_provenance(record, tmp_path / PROVENANCE_FILE)
    assert main(["verify", "--figures", str(tmp_path)]) == 0
    assert "All files of" in capsys.readouterr().out
    (tmp_path / "a.csv").write_text("edited\n")
    assert main(["verify", "--figures", str(tmp_path)]) == 1
    assert "changed: a.csv" in capsys.readouterr().out
    assert main(["verify", "--figures", str(tmp_path / "none")]) == 1
    assert "No provenance record" in capsys.readouterr().err


def test_cli_check_notebooks(tmp_path, capsys):
    from textkit.__main__ import main

    clean = make_notebook(tmp_path / "01-clean.ipynb", ["1 + 1"])
    dirty = make_notebook(tmp_path / "02-dirty.ipynb", ["1 + 1"], kernel="python3.11")
    assert main(["check-notebooks", str(clean)]) == 0
    assert "1 notebook clean" in capsys.readouterr().out
    assert main(["check-notebooks", str(clean), str(dirty)]) == 1
    out = capsys.readouterr().out
    assert "02-dirty.ipynb: kernelspec is 'python3.11', not 'python3'" in out
    assert "01-clean" not in out


def test_stale_outputs_are_listed_then_pruned(project, tmp_path):
    notebooks = tmp_path / "notebooks"
    make_notebook(
        notebooks / "01-named.ipynb",
        ["import pathlib\n(pathlib.Path(figures_dir) / f'{name}.txt').write_text(name)"],
        parameters=PARAMETERS_CELL + "name = 'old'\n",
    )
    figures = tmp_path / "figures"

    def run(name: str, *, prune: bool = False):
        return reproduce(
            corpus_dir=project["corpus"],
            figures_dir=figures,
            notebooks_dir=notebooks,
            build_dir=tmp_path / "build",
            parameters={"name": name},
            prune=prune,
            progress=False,
        )

    run("old")
    second = run("new")
    assert second.stale == ("old.txt",) and second.kept == ()
    assert (figures / "old.txt").exists()
    assert set(read_provenance(figures)["outputs"]) == {"new.txt"}
    assert read_provenance(figures)["stale"] == ["old.txt"]
    third = run("newer")  # still known as stale one run later
    assert third.stale == ("new.txt", "old.txt") and third.kept == ()
    fourth = run("newest", prune=True)
    assert fourth.stale == () and fourth.kept == ()
    assert sorted(p.name for p in figures.iterdir()) == ["newest.txt", PROVENANCE_FILE]
    assert read_provenance(figures)["stale"] == []
