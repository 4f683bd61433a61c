"""Snapshot of what every vendor payload on file normalizes to.

Each file under ``normalize/examples/<vendor>/`` (the documented examples that ship) and
``tests/fixtures/<vendor>/`` (one edge case per file, named for it) is normalized and its
outcome written one field per line: where the response lands (``kind``), each problem with
its scope, path and fields, then the records' canonical dicts. A snapshot is
``tests/__snapshots__/test_snapshots/<test id>.txt``; every value in them was checked by
hand once. Regenerate with ``pytest --snapshot-update`` and read the diff: it reads as
sentences (``amount: "-25.50"``).

A fixture whose call needs more than its body (the operation it answered, the HTTP status,
the request that decides its freshness) carries it in ``NAME.envelope`` beside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from normalize import (
    VENDORS,
    BalanceRecord,
    Envelope,
    Problem,
    VendorError,
    parse_envelope,
)
from normalize._envelope import envelope_from_mapping

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {
    "examples": ROOT / "normalize" / "examples",
    "fixtures": ROOT / "tests" / "fixtures",
}

ENVELOPE = ".envelope"
"""A fixture whose call needs more than its body has, beside it, ``NAME.envelope``: the
rest of its envelope (operation, status, trace id, request; JSON), read by the one envelope
validator, so each fixture carries its own call context."""


def envelope_of(vendor: str, path: Path) -> Envelope:
    """The fixture's envelope: its body, the content type its name says, and what its
    ``.envelope`` file adds."""
    context = path.with_name(path.name + ENVELOPE)
    given: dict[str, Any] = json.loads(context.read_text()) if context.exists() else {}
    content_type = "application/xml" if path.suffix == ".xml" else "application/json"
    return envelope_from_mapping(
        {
            "vendor": vendor,
            "body": path.read_text(encoding="utf-8"),
            "content_type": content_type,
            **given,
        }
    )


def payload_files() -> Iterator[Any]:
    for vendor in VENDORS:
        for origin, folder in FOLDERS.items():
            for path in sorted((folder / vendor).glob("*")):
                if path.suffix in (".json", ".xml"):
                    yield pytest.param(vendor, path, id=f"{vendor}.{origin}.{path.name}")


PAYLOADS = list(payload_files())


class OneLinePerField(SingleFileSnapshotExtension):
    """Plain text snapshots, one ``.txt`` file per test."""

    file_extension = "txt"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def snapshot_text(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(OneLinePerField)


def line(name: str, value: object) -> str:
    return f"{name}: {json.dumps(value, default=repr)}"


def record_block(record: BalanceRecord) -> str:
    return "\n".join(line(name, value) for name, value in record.to_dict().items())


def problem_block(problem: Problem) -> str:
    error = problem.error
    lines = [
        line("problem", type(error).__name__),
        line("scope", problem.scope.value),
        line("path", problem.path),
        line("account_id", problem.account_id),
    ]
    if isinstance(error, VendorError):
        lines += [
            line("code", error.code.value),
            line("vendor_code", error.vendor_code),
            line("vendor_message", error.vendor_message),
            line("status", error.status),
            line("trace_id", error.trace_id),
            line("error_account_id", error.account_id),
        ]
    else:
        lines += [
            line("vendor", error.vendor),
            line("field", error.field),
            line("value", error.value),
        ]
    return "\n".join(lines)


def outcome(vendor: str, path: Path) -> tuple[str, list[BalanceRecord]]:
    """The outcome of one file, as snapshot text (what its envelope gives beside the body,
    where it lands, its problems, then its records), and the records it gave."""
    envelope = envelope_of(vendor, path)
    context = envelope.to_json()
    del context["vendor"], context["body"]
    given = line("given", context)
    result = parse_envelope(envelope)
    head = [
        given,
        line("kind", result.kind.value),
        line("records", len(result.records)),
        line("problems", len(result.problems)),
    ]
    blocks = [
        "\n".join(head),
        *(problem_block(p) for p in result.problems),
        *(record_block(r) for r in result.records),
    ]
    return "\n\n".join(blocks) + "\n", list(result.records)


@pytest.mark.parametrize(("vendor", "path"), PAYLOADS)
def test_snapshot(vendor: str, path: Path, snapshot_text: SnapshotAssertion) -> None:
    """Records (or the error) a payload normalizes to are the ones checked by hand."""
    text, records = outcome(vendor, path)
    assert text == snapshot_text
    for record in records:
        assert BalanceRecord.from_dict(record.to_dict()) == record


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_vendor_has_fixtures_on_file(vendor: str) -> None:
    """Each vendor has edge-case fixtures to snapshot (tests/fixtures/<vendor>/); the
    examples that ship (normalize/examples/<vendor>/) are the vendor's documented ones,
    where it documents some."""
    folder = FOLDERS["fixtures"] / vendor
    names = [p.name for p in folder.glob("*") if p.suffix in (".json", ".xml")]
    assert names, f"no payloads in fixtures/{vendor}"


def test_fixtures_do_not_repeat_the_examples() -> None:
    """A fixture is an edge case of its own, not a copy of a shipped example."""
    for vendor in VENDORS:
        examples = {p.read_bytes().strip() for p in (FOLDERS["examples"] / vendor).glob("*")}
        for path in (FOLDERS["fixtures"] / vendor).glob("*"):
            assert path.read_bytes().strip() not in examples, path


def test_every_envelope_file_belongs_to_a_payload_on_file() -> None:
    """No stale call context: each ``.envelope`` file stands beside its payload."""
    found = list(FOLDERS["fixtures"].glob(f"*/*{ENVELOPE}"))
    assert found
    for context in found:
        assert context.with_name(context.name.removesuffix(ENVELOPE)).is_file(), context
