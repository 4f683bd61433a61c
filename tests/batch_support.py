"""Generated capture sets for the batch tests, and reading the batch tables back."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import zstandard

from normalize import NormalizeError, Outcome, Problem, Scope, parse_response
from normalize._envelope import envelope_from_line
from normalize.batch._schema import STORED

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "normalize" / "examples"
FIXTURES = ROOT / "tests" / "fixtures"
TABLE_NAMES = ("balances", "rejects", "vendor_errors")
# The body cap the generated sets are run with (one line of each set is larger).
CAP = 64 * 1024

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"


def _token(value: str, currency: str = "USD") -> str:
    return json.dumps(
        {
            "balance": {
                "accountId": "a:gen:1",
                "current": {"currency": currency, "value": value},
            },
            "status": "SUCCESSFUL_REQUEST",
        }
    )


def envelope(vendor: str, path: Path, **extra: Any) -> dict[str, Any]:
    content_type = "application/xml" if path.suffix == ".xml" else "application/json"
    return {"vendor": vendor, "body": path.read_text(), "content_type": content_type, **extra}


# Each reject class the library and the batch job have, and a response that gives it.
REJECT_CLASSES: dict[str, dict[str, Any]] = {
    "MalformedPayload": {"vendor": TOKEN, "body": '{"balance": {"accountId": '},
    "MissingField": {
        "vendor": TOKEN,
        "body": json.dumps(
            {
                "balance": {"accountId": "a:gen:2", "current": {"value": "1.00"}},
                "status": "SUCCESSFUL_REQUEST",
            }
        ),
    },
    "InvalidField": {
        "vendor": TOKEN,
        "body": _token("1.00"),
        "operation": "getBalanceEverywhere",
    },
    "InvalidAmount": {"vendor": TOKEN, "body": _token("12,50")},
    "UnknownCurrency": {"vendor": TOKEN, "body": _token("1.00", currency="USX")},
    "InvalidTimestamp": envelope(SEND, FIXTURES / SEND / "account-balance-invalid-timestamp.json"),
    "UnknownEnumValue": envelope(SEND, FIXTURES / SEND / "account-balance-unknown-state.json"),
    "SignConflict": envelope(
        CONNECT, FIXTURES / CONNECT / "balances-negative-amount-sign-conflict.json"
    ),
    "UnknownVendor": {"vendor": "acme-bank", "body": "{}"},
}


def generated_lines(max_body_bytes: int) -> list[bytes]:
    """Capture lines covering every vendor, XML and JSON, vendor errors, partial responses,
    each reject class (InvalidEnvelope and BodyTooLarge included) and a blank line."""
    envelopes: list[dict[str, Any] | bytes] = []
    for number, path in enumerate(sorted(EXAMPLES.glob("*/*"))):
        envelopes.append(
            envelope(
                path.parent.name,
                path,
                id=f"example-{number}",
                status=200,
                captured_at=f"2026-02-0{1 + number % 9}T10:00:0{number % 10}.123456789+02:00",
            )
        )
    envelopes += [
        envelope(
            AU,
            FIXTURES / AU / "cached-balance-not-cached.json",
            status=404,
            operation="GetAvailableBalance",
            trace_id="t-404",
        ),
        envelope(US, FIXTURES / US / "invalid-credentials.json", status=401),
        envelope(CONNECT, FIXTURES / CONNECT / "error-consent-expired.json", status=401),
        envelope(SEND, FIXTURES / SEND / "error-server-error.xml", status=500, trace_id="c-1"),
        envelope(TOKEN, FIXTURES / TOKEN / "balance-more-signatures-needed.json", status=200),
        # Partial: one account fails, the other gives records.
        envelope(TOKEN, FIXTURES / TOKEN / "balances-several-accounts-one-needs-consent.json"),
        envelope(TOKEN, FIXTURES / TOKEN / "balance-invalid-amount.json"),
        envelope(SEND, FIXTURES / SEND / "account-balance-in-debit.xml"),
    ]
    for name, case in REJECT_CLASSES.items():
        envelopes.append({**case, "id": f"reject-{name}"})
    envelopes += [
        b"not json at all",
        b'{"vendor": "token-io", "body": "{}", "status": "200"}',
        b'{"vendor": "token-io", "body": "{}", "colour": "blue"}',
        b'{"vendor": "token-io", "body": "{}", "captured_at": "yesterday"}',
        b'{"vendor": "token-io", "vendor": "mastercard-send", "body": "{}"}',
        b"",
        # Larger than the cap: a BodyTooLarge reject, never held whole.
        json.dumps({"vendor": TOKEN, "body": _token("1." + "0" * max_body_bytes)}).encode(),
    ]
    return [
        item if isinstance(item, bytes) else json.dumps(item, ensure_ascii=False).encode()
        for item in envelopes
    ]


def write_inputs(folder: Path, max_body_bytes: int) -> list[Path]:
    """The generated lines split over a plain, a gzip and a zstd capture file, plus a folder
    of raw response files named for their vendors; returns the inputs to give the job."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = generated_lines(max_body_bytes)
    third = len(lines) // 3
    plain = folder / "capture-1.jsonl"
    plain.write_bytes(b"\n".join(lines[:third]) + b"\n")
    gzipped = folder / "capture-2.jsonl.gz"
    gzipped.write_bytes(gzip.compress(b"\n".join(lines[third : 2 * third]) + b"\n", mtime=0))
    zstd = folder / "capture-3.jsonl.zst"
    zstd.write_bytes(zstandard.ZstdCompressor().compress(b"\n".join(lines[2 * third :])))
    raw = folder / "raw"
    for vendor in (SEND, TOKEN):
        shutil.copytree(EXAMPLES / vendor, raw / "captured" / vendor)
    shutil.copy(
        FIXTURES / SEND / "error-server-error.xml", raw / "captured" / SEND / "zz-error.xml"
    )
    return [plain, gzipped, zstd, raw]


def read_input_lines(path: Path) -> list[bytes]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    elif path.suffix == ".zst":
        data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return data.split(b"\n")[: data.count(b"\n") + (0 if data.endswith(b"\n") else 1)]


def expected_outcome(line: bytes) -> Outcome | None:
    """parse_response of the line's envelope (None when the line is not a readable one)."""
    try:
        envelope_from_line(line)
    except NormalizeError:
        return None
    document = json.loads(line)
    try:
        return parse_response(
            document["vendor"],
            document["body"],
            content_type=document.get("content_type"),
            operation=document.get("operation"),
            status=document.get("status"),
            trace_id=document.get("trace_id"),
        )
    except NormalizeError as exc:  # unknown vendor or operation
        return Outcome(
            vendor=document["vendor"], problems=(Problem(error=exc, scope=Scope.RESPONSE),)
        )


def _plain(table: pa.Table) -> pa.Table:
    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def read_tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The three tables of a batch output folder (DuckDB or Parquet) as rows of Python
    values, dictionary columns as plain strings, timestamps in UTC."""
    database = out / "balances.duckdb"
    tables: dict[str, pa.Table] = {}
    if database.exists():
        connection = duckdb.connect(str(database), read_only=True)
        connection.execute("SET TimeZone = 'UTC'")
        for name in TABLE_NAMES:
            tables[name] = connection.sql(f"SELECT * FROM {name}").to_arrow_table()
        connection.close()
    else:
        for name in TABLE_NAMES:
            tables[name] = read_dataset(out / name)
    return {
        name: sorted((_without_load_id(row) for row in _plain(table).to_pylist()), key=_input_order)
        for name, table in tables.items()
    }


def read_dataset(folder: Path) -> pa.Table:
    """One table of a Parquet dataset (hive partitions read back as columns, in the stored
    schema's order)."""
    import pyarrow.dataset as ds

    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    stored = [field.name for field in STORED[folder.name]]
    return table.select([name for name in stored if name in table.column_names])


def _without_load_id(row: dict[str, Any]) -> dict[str, Any]:
    row.pop("load_id", None)
    return row


def _input_order(row: dict[str, Any]) -> tuple[str, int]:
    """Rows in input order: row order is not kept across --jobs; the source is."""
    line = row["source_line"]
    return (row["source_file"], -1 if line is None else line)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text())
