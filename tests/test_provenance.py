"""Tests of textkit.provenance against independently known answers."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from textkit.errors import TextkitError
from textkit.provenance import (
    PROVENANCE_FILE,
    environment_record,
    file_hashes,
    git_state,
    package_versions,
    read_provenance,
    reproducible_part,
    sha256_file,
    verify_outputs,
    write_provenance,
)


@pytest.mark.parametrize(
    ("data", "digest"),
    [
        # FIPS 180-2 test vectors
        (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ],
)
def test_sha256_file_matches_test_vectors(tmp_path, data, digest):
    path = tmp_path / "f"
    path.write_bytes(data)
    assert sha256_file(path) == digest


def test_sha256_file_reads_large_files_in_chunks(tmp_path):
    data = bytes(range(256)) * 20_000  # 5 MB, several chunks
    path = tmp_path / "big"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_file_hashes_is_sorted_posix_and_skips_hidden_and_excluded(tmp_path):
    (tmp_path / "b.csv").write_bytes(b"b")
    (tmp_path / "a.pdf").write_bytes(b"a")
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_bytes(b"t")
    (tmp_path / ".staging").mkdir()
    (tmp_path / ".staging" / "x.csv").write_bytes(b"x")
    (tmp_path / ".DS_Store").write_bytes(b"junk")
    (tmp_path / PROVENANCE_FILE).write_bytes(b"{}")
    found = file_hashes(tmp_path, exclude=[PROVENANCE_FILE])
    assert list(found) == ["a.pdf", "b.csv", "tables/t.csv"]
    assert found["tables/t.csv"] == hashlib.sha256(b"t").hexdigest()


def test_file_hashes_of_missing_folder_is_empty(tmp_path):
    assert file_hashes(tmp_path / "nope") == {}


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "code.py").write_text("x = 1\n")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.csv").write_text("1\n")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_git_state_of_clean_tree(repo):
    state = git_state(repo)
    assert state == {"changed": [], "commit": _git(repo, "rev-parse", "HEAD"), "dirty": False}
    assert len(state["commit"]) == 40


def test_git_state_sees_modified_tracked_files_but_not_untracked(repo):
    (repo / "new.py").write_text("untracked\n")
    assert git_state(repo)["dirty"] is False
    (repo / "code.py").write_text("x = 2\n")
    state = git_state(repo / "figures")  # any folder inside the tree
    assert state["dirty"] is True
    assert state["changed"] == ["code.py"]


def test_git_state_ignores_the_output_folder(repo):
    (repo / "figures" / "a.csv").write_text("2\n")
    assert git_state(repo)["changed"] == ["figures/a.csv"]
    assert git_state(repo, ignore=[repo / "figures"])["dirty"] is False


def test_git_state_outside_a_repository(tmp_path):
    assert git_state(tmp_path) == {"changed": [], "commit": None, "dirty": None}


def test_package_versions_match_importlib_metadata():
    versions = package_versions(["scipy", "pandas", "no-such-dist-textkit"])
    assert versions == {
        "no-such-dist-textkit": None,
        "pandas": metadata.version("pandas"),
        "scipy": metadata.version("scipy"),
    }


def test_environment_record_names_python_and_tracked_packages():
    record = environment_record()
    assert record["python"] == platform.python_version()
    for name in ["numpy", "scipy", "pandas", "scikit-learn", "gensim", "nltk", "matplotlib"]:
        assert record["packages"][name] == metadata.version(name)
    assert list(record["packages"]) == sorted(record["packages"])


def test_write_provenance_is_byte_stable_whatever_the_insertion_order(tmp_path):
    one = {"b": {"y": 1, "x": [1, 2]}, "a": "é"}
    two = {"a": "é", "b": {"x": [1, 2], "y": 1}}
    first = write_provenance(one, tmp_path / "1.json").read_bytes()
    second = write_provenance(two, tmp_path / "2.json").read_bytes()
    assert first == second
    expected = (
        '{\n  "a": "é",\n  "b": {\n    "x": [\n      1,\n      2\n    ],\n    "y": 1\n  }\n}\n'
    )
    assert first == expected.encode()


def test_write_provenance_refuses_nan(tmp_path):
    with pytest.raises(TextkitError, match="cannot be written as JSON"):
        write_provenance({"x": float("nan")}, tmp_path / PROVENANCE_FILE)


def test_read_provenance_errors(tmp_path):
    with pytest.raises(TextkitError, match="No provenance record .* run `textkit reproduce`"):
        read_provenance(tmp_path)
    (tmp_path / PROVENANCE_FILE).write_text("{not json")
    with pytest.raises(TextkitError, match="is not valid JSON"):
        read_provenance(tmp_path)
    (tmp_path / PROVENANCE_FILE).write_text("[1, 2]")
    with pytest.raises(TextkitError, match="does not hold a JSON object"):
        read_provenance(tmp_path / PROVENANCE_FILE)


def test_reproducible_part_drops_machine_and_checkout():
    record = {"git": {}, "environment": {}, "outputs": {"a": 1}, "corpus": {"files": {}}}
    assert reproducible_part(record) == {"outputs": {"a": 1}, "corpus": {"files": {}}}


def test_verify_outputs_names_changed_missing_and_unrecorded(tmp_path):
    (tmp_path / "same.csv").write_text("same\n")
    (tmp_path / "edited.csv").write_text("after\n")
    (tmp_path / "extra.csv").write_text("extra\n")
    record = {
        "outputs": {
            "same.csv": {"notebook": "01", "sha256": hashlib.sha256(b"same\n").hexdigest()},
            "edited.csv": {"notebook": "01", "sha256": hashlib.sha256(b"before\n").hexdigest()},
            "gone.csv": {"notebook": "02", "sha256": hashlib.sha256(b"gone\n").hexdigest()},
        }
    }
    write_provenance(record, tmp_path / PROVENANCE_FILE)
    assert verify_outputs(tmp_path) == {
        "changed": ["edited.csv"],
        "missing": ["gone.csv"],
        "unrecorded": ["extra.csv"],
    }
