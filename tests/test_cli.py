"""``python -m normalize convert --vendor V [FILE ...]`` and the example payloads that ship.

The command prints one JSON object per record (JSON Lines), reads standard input when given
no file, and keeps going past a bad file: it names the file, vendor, field and value on
standard error and exits 1.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from normalize import VENDORS, normalize_response

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "normalize" / "examples"
SHIPPED = sorted(path for path in EXAMPLES.glob("*/*") if path.is_file())
# The vendors that ship documented examples (a vendor ships them where it has some).
SHIPPING = sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir())

SEND = "mastercard-send"
TOKEN = "token-io"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "normalize", "convert", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def lines(stdout: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.decode().splitlines()]


def content_type(path: Path) -> str:
    return "application/xml" if path.suffix == ".xml" else "application/json"


def expected(vendor: str, *paths: Path) -> list[dict[str, str | None]]:
    return [
        record.to_dict()
        for path in paths
        for record in normalize_response(vendor, path.read_bytes(), content_type=content_type(path))
    ]


@pytest.mark.parametrize(
    "path",
    [
        EXAMPLES / TOKEN / "BalanceSuccessful.json",
        EXAMPLES / SEND / "PartnerAccountBalances.json",
        EXAMPLES / SEND / "PartnerAccountBalancesXml.xml",
    ],
    ids=lambda path: path.name,
)
def test_convert_prints_json_lines_of_the_records(path: Path) -> None:
    vendor = path.parent.name
    done = run("--vendor", vendor, str(path))
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.endswith(b"\n")
    assert lines(done.stdout) == expected(vendor, path)


def test_convert_prints_the_token_documented_example_exactly() -> None:
    done = run("--vendor", TOKEN, str(EXAMPLES / TOKEN / "BalanceSuccessful.json"))
    current, available = lines(done.stdout)
    assert (current["balance_type"], current["amount"], current["currency"]) == (
        "INTERIM_BOOKED",
        "12009.1000",
        "USD",
    )
    assert (available["balance_type"], available["amount"]) == ("INTERIM_AVAILABLE", "12009.1000")


def test_convert_reads_standard_input_when_given_no_file() -> None:
    path = EXAMPLES / SEND / "SingleAccountBalance.json"
    done = run("--vendor", SEND, stdin=path.read_bytes())
    assert (done.returncode, done.stderr) == (0, b"")
    assert lines(done.stdout) == expected(SEND, path)
    assert [(r["amount"], r["currency"]) for r in lines(done.stdout)] == [("10.00", "GBP")]


def test_convert_reads_xml_on_standard_input() -> None:
    path = EXAMPLES / SEND / "SingleAccountBalanceXml.xml"
    done = run("--vendor", SEND, stdin=path.read_bytes())
    assert (done.returncode, done.stderr) == (0, b"")
    assert lines(done.stdout) == expected(SEND, path)


def test_convert_keeps_going_past_a_bad_file(tmp_path: Path) -> None:
    """Good records still come out; the bad file is named with vendor, field and value."""
    first = EXAMPLES / SEND / "SingleAccountBalance.json"
    last = EXAMPLES / SEND / "PartnerAccountBalances.json"
    bad = tmp_path / "decimal-comma.json"
    document = json.loads(first.read_text())
    document["account_balances"]["account_balance"]["balance"]["amount"] = "12,50"
    bad.write_text(json.dumps(document))

    done = run("--vendor", SEND, str(first), str(bad), str(last))

    assert done.returncode == 1
    assert lines(done.stdout) == expected(SEND, first, last)
    stderr = done.stderr.decode()
    assert len(stderr.splitlines()) == 1
    assert str(bad) in stderr
    assert SEND in stderr
    assert "$.account_balances.account_balance.balance.amount" in stderr
    assert "'12,50'" in stderr
    assert str(first) not in stderr
    assert str(last) not in stderr


def test_convert_reports_a_vendor_error_body(tmp_path: Path) -> None:
    error = tmp_path / "error.json"
    error.write_text('{"error": {"message": "Missing header", "tokenTraceId": "7c1e4b9a"}}')
    done = run("--vendor", TOKEN, str(error))
    assert done.returncode == 1
    assert done.stdout == b""
    assert str(error) in done.stderr.decode()
    assert "VendorError" in done.stderr.decode()


def test_convert_reports_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    good = EXAMPLES / TOKEN / "BalanceSuccessful.json"
    done = run("--vendor", TOKEN, str(missing), str(good))
    assert done.returncode == 1
    assert lines(done.stdout) == expected(TOKEN, good)
    assert str(missing) in done.stderr.decode()


def test_convert_refuses_an_unknown_vendor() -> None:
    done = run("--vendor", "mastercard-sned", str(SHIPPED[0]))
    assert done.returncode == 2
    assert done.stdout == b""
    assert b"mastercard-sned" in done.stderr


# --- The shipped examples ------------------------------------------------------------------


def test_every_examples_folder_is_a_vendors_and_ships_examples() -> None:
    """normalize/examples/<vendor>/ is optional for a vendor; where it is, it is a known
    vendor's and holds examples. The five real vendors ship theirs."""
    assert set(SHIPPING) <= set(VENDORS)
    assert {path.parent.name for path in SHIPPED} == set(SHIPPING)
    assert {
        "mastercard-open-banking-connect",
        "mastercard-open-finance-au",
        "mastercard-open-finance-us",
        "mastercard-send",
        "token-io",
    } <= set(SHIPPING)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_shipped_example_converts(path: Path) -> None:
    records = normalize_response(
        path.parent.name, path.read_bytes(), content_type=content_type(path)
    )
    assert records
    assert {record.vendor for record in records} == {path.parent.name}


@pytest.mark.parametrize("vendor", SHIPPING)
def test_convert_takes_all_of_a_vendors_examples_at_once(vendor: str) -> None:
    paths = sorted((EXAMPLES / vendor).iterdir())
    done = run("--vendor", vendor, *map(str, paths))
    assert (done.returncode, done.stderr) == (0, b"")
    assert lines(done.stdout) == expected(vendor, *paths)


class _ExactLoader(yaml.SafeLoader):
    """YAML floats as the Decimal of their own text."""


_ExactLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)


@functools.cache
def spec_examples(vendor: str) -> dict[str, Any]:
    text = (ROOT / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8")
    examples = yaml.load(text, Loader=_ExactLoader)["components"]["examples"]
    return {name: example["value"] for name, example in examples.items()}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_shipped_example_is_the_spec_example_of_the_same_name(path: Path) -> None:
    """normalize/examples/V/NAME.* is specs/V/openapi.yaml components.examples.NAME, with
    every number's digits as written (801.39 and 102.56 compared as Decimals)."""
    documented = spec_examples(path.parent.name)
    assert path.stem in documented
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".xml":
        assert text.strip() == documented[path.stem].strip()
    else:
        assert path.suffix == ".json"
        assert json.loads(text, parse_float=Decimal) == documented[path.stem]


# --- Outcomes: partial responses, --status, hostile inputs -----------------------------------

FIXTURES = ROOT / "tests" / "fixtures"


def test_convert_prints_the_good_accounts_of_a_partly_failed_response() -> None:
    """Token's several-accounts body with one account needing consent again: the other
    account's records on standard output, one problem line naming the failed account."""
    path = FIXTURES / TOKEN / "balances-several-accounts-one-needs-consent.json"
    done = run("--vendor", TOKEN, str(path))
    assert done.returncode == 1
    records = lines(done.stdout)
    assert [(r["account_id"], r["balance_type"], r["amount"]) for r in records] == [
        ("a:firstAccount:5zKcENq1", "INTERIM_BOOKED", "100.0000"),
        ("a:firstAccount:5zKcENq1", "INTERIM_AVAILABLE", "90.0000"),
    ]
    (problem,) = done.stderr.decode().splitlines()
    assert problem.startswith(f"{path} at $.response[1]: VendorError: token-io: consent_invalid")


def test_convert_status_refines_the_vendor_error_code(tmp_path: Path) -> None:
    error = tmp_path / "error.json"
    error.write_text('{"error": {"message": "Too many requests", "tokenTraceId": "7c1e4b9a"}}')
    limited = run("--vendor", TOKEN, "--status", "429", str(error))
    assert limited.returncode == 1
    assert "VendorError: token-io: rate_limited (HTTP 429" in limited.stderr.decode()
    unauthorized = run("--vendor", TOKEN, "--status", "401", str(error))
    assert "VendorError: token-io: unauthorized (HTTP 401" in unauthorized.stderr.decode()


def test_convert_refuses_a_fifo_and_a_device_and_goes_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    good = EXAMPLES / TOKEN / "BalanceSuccessful.json"
    done = run("--vendor", TOKEN, str(fifo), "/dev/zero", str(good))
    assert done.returncode == 1
    assert lines(done.stdout) == expected(TOKEN, good)
    first, second = done.stderr.decode().splitlines()
    assert first.startswith(f"{fifo}: cannot read: not a regular file")
    assert second.startswith("/dev/zero: cannot read: not a regular file")


def test_convert_refuses_a_body_larger_than_the_cap() -> None:
    path = EXAMPLES / TOKEN / "BalanceSuccessful.json"
    done = run("--vendor", TOKEN, "--max-body-bytes", "100", str(path))
    assert done.returncode == 1
    assert done.stdout == b""
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith(f"{path}: BodyTooLarge: token-io: $: larger than the body size cap:")


def test_convert_to_a_closed_or_full_standard_output_is_one_line_and_exit_1() -> None:
    import os

    path = EXAMPLES / TOKEN / "BalanceSuccessful.json"
    command = [sys.executable, "-m", "normalize", "convert", "--vendor", TOKEN, str(path)]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        closed = subprocess.run(
            command, stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT, timeout=60, check=False
        )
    finally:
        os.close(write_end)
    assert closed.returncode == 1
    assert closed.stderr.decode().splitlines() == [
        "python -m normalize convert: cannot write standard output: closed"
    ]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            command, stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=60, check=False
        )
    assert done.returncode == 1
    (line,) = done.stderr.decode().splitlines()
    assert "cannot write standard output: No space left on device" in line


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_convert_leaves_a_cut_capture_file_all_out_and_goes_on(
    tmp_path: Path, compression: str
) -> None:
    """A capture file cut part way (its first lines whole and valid) gives no record at
    all: one line naming it; the next file is still converted; exit 1."""
    import gzip

    import zstandard

    example = (ROOT / "specs" / "capture" / "example.jsonl").read_bytes()
    packed = (
        gzip.compress(example)
        if compression == "gzip"
        else zstandard.ZstdCompressor().compress(example)
    )
    cut = tmp_path / ("cut.jsonl.gz" if compression == "gzip" else "cut.jsonl.zst")
    cut.write_bytes(packed[: len(packed) * 3 // 4])
    whole = tmp_path / "whole.jsonl"
    whole.write_bytes(example)
    alone = run(str(whole))
    done = run(str(cut), str(whole))
    assert done.returncode == 1
    # Exactly the whole file's records: none from the cut one's first lines.
    assert done.stdout == alone.stdout
    assert done.stdout.count(b"\n") == 28
    first = done.stderr.decode().splitlines()[0]
    assert first.startswith(f"{cut}: cannot read: read failed: ")
