"""A vendor's spec change, as a maintainer meets it: scripts/regenerate in a clone.

Each test clones this repository (its committed state) into a temporary folder, makes one
of the three Token edits a maintainer tried (a new ``RequestStatus`` value, ``current``
renamed ``currentBalance``, ``Money.value`` from string to number) in the clone's
specs/token-io/openapi.yaml, and runs the clone's scripts/regenerate. It must exit 1,
say what changed in the wire models, and name each broken mapping as
``module : function : spec location : what changed``. With the rename, the clone's test
suite must still collect every test, and its spec check test must fail naming the mapping.

Slow by nature: one regeneration per edit (two generators per vendor), plus two pytest
collections of the clone.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "normalize.vendors.token_io"
TOKEN_SPEC = "specs/token-io/openapi.yaml#/components/schemas"


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def new_request_status(document: dict[str, Any]) -> None:
    schemas(document)["RequestStatus"]["enum"].append("CONSENT_REVOKED")


def rename_current(document: dict[str, Any]) -> None:
    balance = schemas(document)["Balance"]
    balance["properties"] = {
        ("currentBalance" if name == "current" else name): value
        for name, value in balance["properties"].items()
    }


def money_value_to_number(document: dict[str, Any]) -> None:
    schemas(document)["Money"]["properties"]["value"] = {
        "type": "number",
        "description": "Amount as a JSON number.",
    }


RENAME_BREAKS = [
    f"{TOKEN} : {function} : {TOKEN_SPEC}/Balance/properties/current :"
    " property 'current' is gone (renamed? now there: 'currentBalance')"
    for function in ("_entry", "_money_record")
]

# edit -> (function applying it, wire model changes reported, mapping breaks reported),
# each written out by hand from the edit and token_io.py's SPEC_READS.
EDITS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str], list[str]]] = {
    "new-request-status": (
        new_request_status,
        ["enum RequestStatus: value(s) added: 'CONSENT_REVOKED'"],
        [
            f"{TOKEN} : _entry : {TOKEN_SPEC}/RequestStatus/enum :"
            " enum value 'CONSENT_REVOKED' of status is not handled"
        ],
    ),
    "current-renamed-currentBalance": (
        rename_current,
        [
            "model Balance: field current removed (was Money | None)",
            "model Balance: field current_balance added: Money | None (as 'currentBalance')",
        ],
        RENAME_BREAKS,
    ),
    "money-value-string-to-number": (
        money_value_to_number,
        ["model Money: field value: str -> Decimal"],
        [
            f"{TOKEN} : _money_record : {TOKEN_SPEC}/Money/properties/value :"
            f" {name}.value: type changed: the mapping expects string, the spec says number"
            for name in ("available", "current")
        ]
        + [
            f"{TOKEN} : _other_record : {TOKEN_SPEC}/Money/properties/value :"
            " amount.value: type changed: the mapping expects string, the spec says number"
        ],
    ),
}


def clone(tmp_path: Path) -> Path:
    target = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(target)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def edit_spec(root: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = root / "specs" / "token-io" / "openapi.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def environment(root: Path) -> dict[str, str]:
    """The clone's normalize and generated clients ahead of this checkout's install."""
    paths = [str(root), *(str(p) for p in sorted((root / "generated").glob("*/")))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=environment(root),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def indented(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.startswith("    ")]


def collected(root: Path) -> tuple[int, str]:
    result = run(root, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider")
    output = result.stdout + result.stderr
    found = re.search(r"^(\d+) tests? collected", output, re.MULTILINE)
    assert found is not None, output[-3000:]
    # (Not the exit status: syrupy reports every snapshot unused when nothing runs.)
    assert "Interrupted" not in output, output[-3000:]
    assert "ERROR collecting" not in output, output[-3000:]
    assert not re.search(r"collected.* \d+ errors?", output), output[-3000:]
    return int(found.group(1)), output


@pytest.mark.parametrize("name", list(EDITS))
def test_regenerate_names_the_mappings_a_token_edit_breaks(tmp_path: Path, name: str) -> None:
    edit, model_changes, breaks = EDITS[name]
    root = clone(tmp_path)
    if name == "current-renamed-currentBalance":
        baseline, _ = collected(root)
    edit_spec(root, edit)

    result = run(root, "scripts/regenerate.py")

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    assert "token-io: wire models changed (old generated/ -> new):" in result.stdout
    assert [line for line in indented(result.stdout) if not line.startswith("+")] == model_changes
    heading = "mappings broken by the specs (module : function : spec location : what changed)"
    assert heading in result.stderr
    assert [line for line in indented(result.stderr) if line.startswith(TOKEN)] == breaks
    # generated/ was rewritten from the edited spec all the same.
    assert (root / "generated" / "token-io").is_dir()

    if name == "current-renamed-currentBalance":
        # No spec change can abort collection: every test is still collected...
        count, _ = collected(root)
        assert count == baseline
        # ...and the suite's spec check fails naming the broken mapping.
        check = run(
            root,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_contract_spec_check.py::test_declarations_hold_against_the_specs",
        )
        assert check.returncode == 1, check.stdout[-3000:]
        for line in RENAME_BREAKS:
            assert line in check.stdout
