"""Snapshot of what every vendor payload on file normalizes to.

Each file under ``normalize/examples/<vendor>/`` (the documented examples that ship) and
``tests/fixtures/<vendor>/`` (one edge case per file, named for it) is normalized and its
outcome written one field per line: where the response lands (``kind``), each problem with
its scope, path and fields, then the records' canonical dicts. A snapshot is
``tests/__snapshots__/test_snapshots/<test id>.txt``; every value in them was checked by
hand once. Regenerate with ``pytest --snapshot-update`` and read the diff: it reads as
sentences (``amount: "-25.50"``).

A fixture whose call needs more than its body (the operation it answered, the HTTP status,
what the caller knows about freshness) says so in ``CALLS``.
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
    Freshness,
    Problem,
    VendorError,
    parse_response,
)

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {
    "examples": ROOT / "normalize" / "examples",
    "fixtures": ROOT / "tests" / "fixtures",
}

# (vendor, file name) -> keyword arguments of normalize_response beyond the body.
CALLS: dict[tuple[str, str], dict[str, Any]] = {
    ("mastercard-open-finance-au", "available-balance-live.json"): {
        "operation": "GetAvailableBalanceLive",
    },
    ("mastercard-open-finance-au", "available-balance-cached-zero.json"): {
        "operation": "GetAvailableBalance",
    },
    ("mastercard-open-finance-au", "cached-balance-not-cached.json"): {
        "operation": "GetAvailableBalance",
        "status": 404,
    },
    ("mastercard-open-finance-au", "customer-not-found.json"): {
        "operation": "GetAvailableBalance",
        "status": 404,
    },
    # The caller sent balance_cache_interval=0, so it knows the balance is live.
    ("mastercard-open-finance-us", "available-balance-live-interval-zero.json"): {
        "freshness": Freshness.LIVE,
    },
    ("mastercard-open-finance-us", "invalid-credentials.json"): {"status": 401},
    ("mastercard-open-finance-us", "account-type-not-supported.json"): {"status": 400},
    ("mastercard-open-finance-us", "institution-error-unknown-code.json"): {"status": 500},
    ("mastercard-open-banking-connect", "error-format-psu-ip-address-missing.json"): {
        "status": 400,
    },
    ("mastercard-open-banking-connect", "error-consent-expired.json"): {"status": 400},
    ("mastercard-open-banking-connect", "error-account-unlinked.json"): {"status": 400},
    ("mastercard-open-banking-connect", "error-unattended-limit-exceeded.json"): {"status": 400},
    ("mastercard-send", "error-not-found.json"): {
        "status": 404,
        "trace_id": "0f4c6e2a-correlation-id",
    },
    ("mastercard-send", "error-server-error.xml"): {"status": 500},
    ("token-io", "error-unauthorized.json"): {"status": 401},
}


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


def outcome(vendor: str, path: Path, call: dict[str, Any]) -> tuple[str, list[BalanceRecord]]:
    """The outcome of one file, as snapshot text (where it lands, its problems, then its
    records), and the records it gave."""
    content_type = "application/xml" if path.suffix == ".xml" else "application/json"
    given = line("given", {"content_type": content_type, **call})
    result = parse_response(vendor, path.read_bytes(), content_type=content_type, **call)
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
    text, records = outcome(vendor, path, CALLS.get((vendor, path.name), {}))
    assert text == snapshot_text
    for record in records:
        assert BalanceRecord.from_dict(record.to_dict()) == record


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("origin", sorted(FOLDERS))
def test_every_vendor_has_payloads_on_file(vendor: str, origin: str) -> None:
    """Each vendor has documented examples and edge-case fixtures to snapshot."""
    names = [p.name for p in (FOLDERS[origin] / vendor).glob("*") if p.suffix in (".json", ".xml")]
    assert names, f"no payloads in {origin}/{vendor}"


def test_fixtures_do_not_repeat_the_examples() -> None:
    """A fixture is an edge case of its own, not a copy of a shipped example."""
    for vendor in VENDORS:
        examples = {p.read_bytes().strip() for p in (FOLDERS["examples"] / vendor).glob("*")}
        for path in (FOLDERS["fixtures"] / vendor).glob("*"):
            assert path.read_bytes().strip() not in examples, path


def test_calls_name_files_on_file() -> None:
    """Every entry of CALLS belongs to a payload that exists (no stale call settings)."""
    on_file = {(vendor, path.name) for vendor, path in (p.values for p in PAYLOADS)}
    assert set(CALLS) <= on_file
