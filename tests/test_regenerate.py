"""`scripts/regenerate.py --check`: generated/ is byte for byte what specs/ produce.

One copy of specs/ and generated/ serves the module; each test that damages it puts the file
back afterwards, so every run sees the untouched copy plus exactly one change. Each run of the
script takes a few seconds (two generators per vendor), hence four runs in all.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from spec_documents import ROOT

SCRIPT = ROOT / "scripts" / "regenerate.py"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project folder holding copies of specs/ and generated/."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("specs", "generated"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def check(root: Path) -> subprocess.CompletedProcess[str]:
    # sys.executable: the script finds the pinned generators beside the running interpreter.
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def listed_problems(stderr: str) -> list[str]:
    """The indented lines the script prints under its 'is not what specs/ produce' heading."""
    return [line.strip() for line in stderr.splitlines() if line.startswith("  ")]


@contextmanager
def restored(path: Path) -> Iterator[None]:
    original = path.read_bytes()
    try:
        yield
    finally:
        path.write_bytes(original)


def test_check_passes_on_an_untouched_copy(project: Path) -> None:
    """Regenerating every vendor into scratch gives exactly the committed generated/."""
    result = check(project)
    assert result.returncode == 0, result.stderr
    assert "generated/ is up to date with specs/" in result.stdout


def test_check_fails_naming_a_hand_edited_file(project: Path) -> None:
    """A line added by hand to a generated file fails the check, which names only that file."""
    edited = project / "generated" / "mastercard-send" / "mastercard_send_client" / "wire.py"
    with restored(edited):
        edited.write_text(edited.read_text(encoding="utf-8") + "# edited by hand\n")
        result = check(project)
        # --check changes nothing: the edit is still there.
        assert edited.read_text(encoding="utf-8").endswith("# edited by hand\n")
    assert result.returncode == 1, result.stderr
    (problem,) = listed_problems(result.stderr)
    assert "differs" in problem
    assert "generated/mastercard-send/" in problem
    assert problem.endswith("mastercard_send_client/wire.py")


def test_check_fails_naming_a_deleted_file(project: Path) -> None:
    """A generated file that was deleted fails the check, which names it as missing."""
    deleted = project / "generated" / "token-io" / "token_io_client" / "models" / "money.py"
    with restored(deleted):
        deleted.unlink()
        result = check(project)
        assert not deleted.exists()
    assert result.returncode == 1, result.stderr
    (problem,) = listed_problems(result.stderr)
    assert "missing" in problem
    assert "generated/token-io/" in problem
    assert problem.endswith("token_io_client/models/money.py")


def test_check_fails_naming_a_stale_canonical_schema(project: Path) -> None:
    """The published record schema is checked like generated/: a field missing from it
    (the record gained a field and nobody regenerated) fails --check, naming the field."""
    schema = project / "specs" / "canonical" / "balance-record.schema.json"
    with restored(schema):
        document = json.loads(schema.read_text(encoding="utf-8"))
        del document["properties"]["amount_text"]
        schema.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        result = check(project)
    assert result.returncode == 1, result.stderr
    assert "the canonical record's schema is stale; run scripts/regenerate:" in result.stderr
    assert (
        "specs/canonical/balance-record.schema.json: field 'amount_text' is not in the"
        " published schema"
    ) in result.stderr
    assert listed_problems(result.stderr) == [
        "specs/canonical/balance-record.schema.json: field 'amount_text' is not in the"
        " published schema"
    ]
