"""One envelope in, one outcome out, at every door.

One set of capture lines (every vendor, JSON and XML, vendor errors, a partial answer, and
each edge an envelope can have) goes through every door that reads it: ``batch --to
duckdb``, ``batch --to parquet``, ``normalize.spark.from_capture_files`` and
``from_envelopes`` (local[2]), and each body through ``convert`` and a live client that
reads it from a loopback server. Every line must land the same way through every door that
can carry it: the same records, the same reject classes and paths, the same vendor error
codes. The edges also have their landing written out by hand (``EXPECTED``), so that all
doors agreeing on a wrong answer fails too.

What a door cannot carry is left out of it, as documented: a DataFrame row cannot carry an
unknown key, a duplicate key, a line that is not JSON, the difference between null and
absent, or a line's length (the cap is on its body there); ``convert`` and the live client
read bodies, not envelopes.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from batch_support import read_tables
from live_support import ARGUMENTS, CREDENTIALS, TOKEN_PATH, example

import normalize.live
from normalize import Outcome, VendorError
from normalize.__main__ import main as cli_main

AU, US = "mastercard-open-finance-au", "mastercard-open-finance-us"
CONNECT, SEND, TOKEN = "mastercard-open-banking-connect", "mastercard-send", "token-io"
BOM = "\ufeff"

TOKEN_PARTIAL = json.dumps(
    {
        "response": [
            {
                "balance": {
                    "accountId": "a:1",
                    "current": {"currency": "USD", "value": "1.00"},
                },
                "status": "SUCCESSFUL_REQUEST",
            },
            {
                "balance": {
                    "accountId": "a:2",
                    "available": {"currency": "EUR", "value": "-2.50"},
                },
                "status": "SUCCESSFUL_REQUEST",
            },
            {"balance": {"accountId": "a:3"}, "status": "MORE_SIGNATURES_NEEDED"},
        ]
    }
)


def _text(vendor: str, name: str) -> str:
    return example(vendor, name).decode("utf-8")


# Each line: (name, envelope as a dict, or the raw line text when it is no JSON object).
LINES: list[tuple[str, dict[str, Any] | str]] = [
    (
        "au-live",
        {
            "vendor": AU,
            "body": _text(AU, "AvailableBalanceSample.json"),
            "content_type": "application/json",
            "operation": "GetAvailableBalanceLive",
            "status": 200,
        },
    ),
    (
        "au-not-cached",
        {
            "vendor": AU,
            "body": '{"code": "90004", "message": "No cached balance"}',
            "operation": "GetAvailableBalance",
            "status": 404,
        },
    ),
    (
        "us-live-request",
        {
            "vendor": US,
            "body": _text(US, "AvailableBalanceOverdrawn.json"),
            "operation": "GetAvailableBalanceLive",
            "status": 200,
            "request": {"balance_cache_interval": 0},
        },
    ),
    (
        "connect",
        {
            "vendor": CONNECT,
            "body": _text(CONNECT, "AccountBalancesDebit.json"),
            "operation": "getAccountBalances",
            "status": 200,
        },
    ),
    (
        "connect-error",
        {
            "vendor": CONNECT,
            "body": '{"Errors": {"Error": [{"ReasonCode": " INVALID_TOKEN ",'
            ' "Description": "expired"}]}}',
            "operation": "getAccountBalances",
            "status": 400,
        },
    ),
    (
        "send-xml",
        {
            "vendor": SEND,
            "body": _text(SEND, "PartnerAccountBalancesXml.xml"),
            "content_type": "application/xml",
            "operation": "getAccountBalances",
            "status": 200,
        },
    ),
    (
        "send-json",
        {
            "vendor": SEND,
            "body": _text(SEND, "SingleAccountBalance.json"),
            "operation": "getAccountBalance",
            "status": 200,
        },
    ),
    (
        "send-bom-xml",
        {
            "vendor": SEND,
            "body": BOM + _text(SEND, "SingleAccountBalanceXml.xml"),
            "operation": "getAccountBalance",
            "status": 200,
        },
    ),
    (
        "token",
        {
            "vendor": TOKEN,
            "body": _text(TOKEN, "BalanceSuccessful.json"),
            "operation": "getBalance",
            "status": 200,
        },
    ),
    (
        "token-partial",
        {"vendor": TOKEN, "body": TOKEN_PARTIAL, "operation": "getBalances", "status": 200},
    ),
    (
        "token-under-500",
        {
            "vendor": TOKEN,
            "body": _text(TOKEN, "BalanceSuccessful.json"),
            "operation": "getBalance",
            "status": 500,
        },
    ),
    ("text-status", {"vendor": TOKEN, "body": "{}", "status": "200"}),
    ("status-700", {"vendor": TOKEN, "body": "{}", "status": 700}),
    ("status-null", {"vendor": TOKEN, "body": "{}", "status": None}),
    ("unknown-key", {"vendor": TOKEN, "body": "{}", "colour": "blue"}),
    ("content-type-5", {"vendor": TOKEN, "body": "{}", "content_type": 5}),
    ("duplicate-key", '{"vendor": "token-io", "body": "{}", "body": "{}"}'),
    ("unknown-vendor", {"vendor": "acme-bank", "body": "{}"}),
    ("missing-body", {"vendor": TOKEN, "status": 200}),
    ("not-json", "this is not JSON"),
    (
        "cache-interval-text",
        {"vendor": US, "body": "{}", "request": {"balance_cache_interval": "0"}},
    ),
    ("token-at-cap-crlf", {"vendor": TOKEN, "body": _text(TOKEN, "BalanceSuccessful.json")}),
    ("token-over-cap", {"vendor": TOKEN, "body": _text(TOKEN, "BalanceSuccessful.json")}),
]
NAMES = [name for name, _ in LINES]

# Written by hand: where each edge lands (records count; reject classes and paths; vendor
# error codes), from the envelope's rules (docs/pages/batch.md) and the vendors' documents.
EXPECTED: dict[str, tuple[int, list[tuple[str, str]], list[str]]] = {
    "au-live": (2, [], []),
    "au-not-cached": (0, [], ["not_cached"]),
    "us-live-request": (2, [], []),
    # Connect's INVALID_TOKEN: the consent expired, was revoked or is invalid.
    "connect-error": (0, [], ["consent_invalid"]),
    "token-partial": (2, [], ["consent_invalid"]),
    "token-under-500": (0, [], ["provider_error"]),
    "send-bom-xml": (1, [], []),
    "text-status": (0, [("InvalidEnvelope", "status")], []),
    "status-700": (0, [("InvalidEnvelope", "status")], []),
    "status-null": (0, [("InvalidEnvelope", "status")], []),
    "unknown-key": (0, [("InvalidEnvelope", "colour")], []),
    "content-type-5": (0, [("InvalidEnvelope", "content_type")], []),
    "duplicate-key": (0, [("InvalidEnvelope", "$")], []),
    "unknown-vendor": (0, [("UnknownVendor", "vendor")], []),
    "missing-body": (0, [("InvalidEnvelope", "body")], []),
    "not-json": (0, [("InvalidEnvelope", "$")], []),
    "cache-interval-text": (0, [("InvalidEnvelope", "request.balance_cache_interval")], []),
    "token-at-cap-crlf": (2, [], []),
    "token-over-cap": (0, [("BodyTooLarge", "$")], []),
}
# Lines a DataFrame row cannot carry (see the module docstring).
NOT_IN_A_DATAFRAME = {
    "status-null",
    "unknown-key",
    "duplicate-key",
    "not-json",
    "token-over-cap",
}


def _line(envelope: dict[str, Any] | str) -> str:
    return envelope if isinstance(envelope, str) else json.dumps(envelope)


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The capture file (CRLF line ends) and the cap: the line ``token-at-cap-crlf`` is
    exactly the cap long without its CRLF, ``token-over-cap`` one byte longer."""
    texts = {name: _line(envelope) for name, envelope in LINES}
    cap = max(len(text.encode()) for text in texts.values()) + 64
    for name, extra in (("token-at-cap-crlf", 0), ("token-over-cap", 1)):
        text = texts[name]
        texts[name] = text + " " * (cap + extra - len(text.encode()))
    path = tmp_path_factory.mktemp("doors") / "doors.jsonl"
    path.write_bytes(b"".join(texts[name].encode() + b"\r\n" for name in NAMES))
    return path, cap


Landing = tuple[
    tuple[tuple[tuple[str, Any], ...], ...], tuple[tuple[str, str], ...], tuple[str, ...]
]

_PROVENANCE = {"source_file", "source_line", "envelope_id", "captured_at", "_table"}


def _record(row: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """A record's fields, as a door gives them (a row or ``to_dict``), in one form."""
    out = {}
    for key, value in row.items():
        if key in _PROVENANCE:
            continue
        if isinstance(value, Decimal):
            value = str(value.normalize()) if value else "0"
        elif hasattr(value, "isoformat"):
            value = value.isoformat().replace("+00:00", "Z")
        out[key] = value
    if "amount_text" in out:  # the exact amount, as every door carries it
        out.pop("amount", None)
    return tuple(sorted(out.items()))


def _from_tables(
    balances: list[dict[str, Any]],
    rejects: list[dict[str, Any]],
    vendor_errors: list[dict[str, Any]],
) -> dict[str, Landing]:
    by_line: dict[int, tuple[list[Any], list[Any], list[Any]]] = {
        number: ([], [], []) for number in range(1, len(NAMES) + 1)
    }
    for row in balances:
        by_line[row["source_line"]][0].append(_record(row))
    for row in rejects:
        by_line[row["source_line"]][1].append((row["error_class"], row["path"]))
    for row in vendor_errors:
        by_line[row["source_line"]][2].append(row["code"])
    return {
        NAMES[number - 1]: (tuple(sorted(a)), tuple(sorted(b)), tuple(sorted(c)))
        for number, (a, b, c) in by_line.items()
    }


def _from_outcome(outcome: Outcome) -> Landing:
    records = tuple(sorted(_record(record.to_dict()) for record in outcome.records))
    rejects = tuple(
        sorted(
            (type(p.error).__name__, p.error.field)
            for p in outcome.problems
            if not isinstance(p.error, VendorError)
        )
    )
    codes = tuple(
        sorted(p.error.code.value for p in outcome.problems if isinstance(p.error, VendorError))
    )
    return records, rejects, codes


def _check_expected(landings: dict[str, Landing]) -> None:
    for name, (count, rejects, codes) in EXPECTED.items():
        if name not in landings:
            continue
        records, found_rejects, found_codes = landings[name]
        assert (len(records), list(found_rejects), list(found_codes)) == (count, rejects, codes), (
            name
        )


# --- the doors --------------------------------------------------------------------------------


def _batch(capture: tuple[Path, int], tmp_path: Path, to: str) -> dict[str, Landing]:
    path, cap = capture
    out = tmp_path / to
    status = cli_main(
        [
            *("batch", str(path), "--out", str(out), "--to", to, "--quiet"),
            *("--jobs", "1", "--max-body-bytes", str(cap)),
        ]
    )
    assert status == 0
    tables = read_tables(out)
    return _from_tables(tables["balances"], tables["rejects"], tables["vendor_errors"])


@pytest.fixture(scope="module")
def batch_landings(
    capture: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Landing]:
    return _batch(capture, tmp_path_factory.mktemp("duckdb"), "duckdb")


def test_batch_duckdb_lands_each_edge_as_written_by_hand(
    batch_landings: dict[str, Landing],
) -> None:
    _check_expected(batch_landings)
    # Every good line gave records, and the same count through parse_response itself.
    for name in ("connect", "send-xml", "send-json", "token"):
        assert batch_landings[name][0], name


def test_batch_parquet_lands_every_line_as_duckdb_does(
    capture: tuple[Path, int], tmp_path: Path, batch_landings: dict[str, Landing]
) -> None:
    assert _batch(capture, tmp_path, "parquet") == batch_landings


def test_open_finance_us_request_context_makes_captured_balances_live(
    batch_landings: dict[str, Landing],
) -> None:
    records = batch_landings["us-live-request"][0]
    assert {dict(record)["freshness"] for record in records} == {"LIVE"}


def test_convert_lands_every_line_of_the_capture_file_and_every_body_as_batch_does(
    capture: tuple[Path, int],
    tmp_path: Path,
    batch_landings: dict[str, Landing],
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, cap = capture
    # The capture file itself: convert reads it as batch does (by the one file rule).
    cli_main(["convert", str(path), "--max-body-bytes", str(cap)])
    printed = capsys.readouterr()
    found: dict[str, Landing] = {}
    records: list[Any] = [_record(json.loads(line)) for line in printed.out.splitlines()]
    assert sorted(records) == sorted(r for landing in batch_landings.values() for r in landing[0])
    problems = _problems_by_line(printed.err)
    for number, name in enumerate(NAMES, start=1):
        rejects, codes = problems.get(number, ([], []))
        found[name] = (batch_landings[name][0], tuple(sorted(rejects)), tuple(sorted(codes)))
    assert found == batch_landings
    # Each body, as a raw file of its vendor (content type from its name).
    for name, envelope in LINES:
        if not isinstance(envelope, dict) or name not in _BODY_DOOR:
            continue
        suffix = ".xml" if envelope.get("content_type") == "application/xml" else ".body"
        body_file = tmp_path / f"{name}{suffix}"
        body_file.write_text(envelope["body"], encoding="utf-8")
        argv = ["convert", "--vendor", envelope["vendor"], str(body_file)]
        for option in ("operation", "status"):
            if option in envelope:
                argv += [f"--{option}", str(envelope[option])]
        cli_main(argv)
        printed = capsys.readouterr()
        records = [_record(json.loads(line)) for line in printed.out.splitlines()]
        rejects, codes = _problems_by_line(printed.err, by_name=True).get(0, ([], []))
        landing = (tuple(sorted(records)), tuple(sorted(rejects)), tuple(sorted(codes)))
        expected = batch_landings[name]
        if name == "us-live-request":  # a raw body carries no request: freshness UNKNOWN
            expected = (_with_freshness(expected[0], "UNKNOWN"), expected[1], expected[2])
        assert landing == expected, name


def _with_freshness(records: Any, freshness: str) -> Any:
    return tuple(
        tuple((k, freshness if k == "freshness" else v) for k, v in record) for record in records
    )


def _problems_by_line(
    err: str, *, by_name: bool = False
) -> dict[int, tuple[list[tuple[str, str]], list[str]]]:
    """convert's problem lines (``NAME[:LINE][ at PATH][ (account A)]: Class: message``)
    by line number (0 for a body file)."""
    found: dict[int, tuple[list[tuple[str, str]], list[str]]] = {}
    for text in err.splitlines():
        where, _, rest = text.partition(": ")
        error_class, _, message = rest.partition(": ")
        number = 0 if by_name else int(where.split(" ", 1)[0].rsplit(":", 1)[1])
        rejects, codes = found.setdefault(number, ([], []))
        if error_class == "VendorError":
            codes.append(message.split(": ", 1)[1].split(" ", 1)[0])
        else:
            # "vendor: field: reason: value": the field is the second part.
            rejects.append((error_class, message.split(": ", 2)[1]))
    return found


# The lines that are one body of a vendor's operation (convert and live read bodies).
_BODY_DOOR = (
    "au-live",
    "au-not-cached",
    "us-live-request",
    "connect",
    "connect-error",
    "send-xml",
    "send-json",
    "send-bom-xml",
    "token",
    "token-partial",
    "token-under-500",
)


# --- Spark --------------------------------------------------------------------------------------


def test_spark_from_capture_files_lands_every_line_as_batch_does(
    spark: Any, capture: tuple[Path, int], batch_landings: dict[str, Landing]
) -> None:
    from normalize import spark as normalize_spark

    path, cap = capture
    tables = normalize_spark.from_capture_files(spark, str(path), max_body_bytes=cap)
    try:
        found = _from_tables(
            tables.balances.toArrow().to_pylist(),
            tables.rejects.toArrow().to_pylist(),
            tables.vendor_errors.toArrow().to_pylist(),
        )
    finally:
        tables.unpersist()
    assert found == batch_landings


def test_spark_from_envelopes_lands_every_line_a_dataframe_can_carry_as_batch_does(
    spark: Any, capture: tuple[Path, int], batch_landings: dict[str, Landing]
) -> None:
    """Rows of typed columns: each group of lines with the same column types is one
    DataFrame (a text status is a string column, 700 an integer one, ...)."""
    from pyspark.sql import types as sql

    from normalize import spark as normalize_spark

    _, cap = capture
    spark_types = {str: sql.StringType(), int: sql.LongType()}
    groups: dict[tuple[tuple[str, str], ...], list[tuple[int, dict[str, Any]]]] = {}
    for number, (name, envelope) in enumerate(LINES, start=1):
        if name in NOT_IN_A_DATAFRAME or not isinstance(envelope, dict):
            continue
        # Every frame has the vendor and body columns (null where a line has none).
        typed = {"vendor": "str", "body": "str"}
        typed.update((key, type(value).__name__) for key, value in envelope.items())
        signature = tuple(sorted(typed.items()))
        groups.setdefault(signature, []).append((number, envelope))
    balances: list[Any] = []
    rejects: list[Any] = []
    vendor_errors: list[Any] = []
    for signature, members in groups.items():
        fields = [sql.StructField("source_line", sql.LongType())]
        for key, type_name in signature:
            if key == "request":
                value_type = type(next(iter(members[0][1]["request"].values())))
                fields.append(
                    sql.StructField(key, sql.MapType(sql.StringType(), spark_types[value_type]))
                )
            else:
                fields.append(
                    sql.StructField(key, spark_types[{"str": str, "int": int}[type_name]])
                )
        rows = [{"source_line": number, **envelope} for number, envelope in members]
        frame = spark.createDataFrame(
            [tuple(row.get(f.name) for f in fields) for row in rows], sql.StructType(fields)
        )
        tables = normalize_spark.from_envelopes(frame, max_body_bytes=cap)
        try:
            balances += tables.balances.toArrow().to_pylist()
            rejects += tables.rejects.toArrow().to_pylist()
            vendor_errors += tables.vendor_errors.toArrow().to_pylist()
        finally:
            tables.unpersist()
    found = _from_tables(balances, rejects, vendor_errors)
    carried = {
        name: landing for name, landing in batch_landings.items() if name not in NOT_IN_A_DATAFRAME
    }
    assert {name: found[name] for name in carried} == carried


def test_a_dataframe_with_a_column_no_envelope_has_is_refused_at_once(spark: Any) -> None:
    from normalize import spark as normalize_spark

    frame = spark.createDataFrame(
        [("token-io", "{}", "blue")], "vendor string, body string, colour string"
    )
    with pytest.raises(ValueError, match="colour"):
        normalize_spark.from_envelopes(frame)


# --- live: each body read from a loopback server -----------------------------------------------


_FINICITY_TOKEN = b'{"token": "AwrzZ6CqQ3wz1Yv8xFo2Ks7d"}'


class _Answer(http.server.BaseHTTPRequestHandler):
    answer: tuple[int, str | None, bytes] = (200, None, b"")

    def _reply(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        if self.path.endswith(TOKEN_PATH):
            status, content_type, body = (
                200,
                "application/json",
                b'{"token": "AwrzZ6CqQ3wz1Yv8xFo2Ks7d"}',
            )
        else:
            status, content_type, body = type(self).answer
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _reply  # noqa: N815 - the names http.server calls

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _loopback() -> Iterator[tuple[str, type[_Answer]]]:
    handler = type("Handler", (_Answer,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _method(vendor: str, operation: str) -> str:
    for method, described in normalize.live.DESCRIPTIONS[vendor].operations.items():
        if described.operation_id == operation:
            return method
    raise AssertionError(f"{vendor} has no operation {operation}")


def _live_outcome(vendor: str, method: str, base_url: str, is_async: bool) -> Outcome:
    """``client.outcome.<method>`` of a client of ``vendor`` at ``base_url``."""
    args, kwargs = ARGUMENTS[(vendor, method)]
    client_kwargs: dict[str, Any] = {
        **CREDENTIALS[vendor](),
        "base_url": base_url,
        "retry": normalize.RetryPolicy(attempts=1),
    }
    sync_class, async_class = normalize.live.CLIENTS[vendor]
    if not is_async:
        with sync_class(**client_kwargs) as client:
            result: Outcome = getattr(client.outcome, method)(*args, **kwargs)
            return result

    async def call() -> Outcome:
        async with async_class(**client_kwargs) as client:
            found: Outcome = await getattr(client.outcome, method)(*args, **kwargs)
            return found

    return asyncio.run(call())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_live_client_reading_each_body_from_a_loopback_server_lands_it_as_batch_does(
    is_async: bool, batch_landings: dict[str, Landing]
) -> None:
    with _loopback() as (base_url, handler):
        for name, envelope in LINES:
            if not isinstance(envelope, dict) or name not in _BODY_DOOR:
                continue
            vendor = envelope["vendor"]
            method = _method(vendor, envelope["operation"])
            handler.answer = (
                envelope.get("status", 200),
                envelope.get("content_type"),
                envelope["body"].encode(),
            )
            outcome = _live_outcome(vendor, method, base_url, is_async)
            assert _from_outcome(outcome) == batch_landings[name], name


def test_the_doors_test_covers_every_vendor_json_and_xml() -> None:
    vendors = {envelope["vendor"] for _, envelope in LINES if isinstance(envelope, dict)}
    assert {AU, US, CONNECT, SEND, TOKEN} <= vendors
    assert any(isinstance(e, dict) and "<" in e.get("body", "")[:5] for _, e in LINES)
    assert set(_BODY_DOOR) <= set(NAMES)


# --- raw body files: the one file rule at every door that reads files --------------------------


def test_a_raw_body_file_lands_the_same_given_directly_in_a_vendor_folder_and_on_spark(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file not named *.jsonl is one response body (it was read as a capture file when
    named directly, giving an InvalidEnvelope per line); over the cap it is BodyTooLarge,
    without a vendor InvalidEnvelope, the same at every door."""
    from normalize import spark as normalize_spark

    body = example(TOKEN, "BalanceSuccessful.json")
    direct = tmp_path / "direct" / "answer.json"
    in_folder = tmp_path / "raw" / TOKEN / "answer.json"
    no_vendor = tmp_path / "loose" / "answer.json"
    too_big = tmp_path / "raw" / TOKEN / "big.json"
    for path, content in ((direct, body), (in_folder, body), (no_vendor, body)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    too_big.write_bytes(body + b" " * 64)
    cap = len(body) + 10

    def landing(rows: dict[str, list[dict[str, Any]]], path: Path) -> tuple[Any, ...]:
        mine = {name: [r for r in rows[name] if r["source_file"] == str(path)] for name in rows}
        return (
            len(mine["balances"]),
            sorted((r["error_class"], r["path"]) for r in mine["rejects"]),
        )

    expected = {
        direct: (2, []),
        in_folder: (2, []),
        no_vendor: (0, [("InvalidEnvelope", "vendor")]),
        too_big: (0, [("BodyTooLarge", "$")]),
    }
    # batch: the direct file with --vendor, the folders walked.
    out = tmp_path / "out"
    # --jobs 1: this test process runs Spark's threads, and forking it would be unsafe.
    argv = ["batch", str(direct), "--vendor", TOKEN, "--out", str(out), "--quiet", "--jobs", "1"]
    assert cli_main(argv) == 0
    rows = read_tables(out)
    assert landing(rows, direct) == expected[direct]
    out2 = tmp_path / "out2"
    argv = ["batch", str(tmp_path / "raw"), str(tmp_path / "loose"), "--out", str(out2)]
    assert cli_main([*argv, "--quiet", "--jobs", "1", "--max-body-bytes", str(cap)]) == 0
    rows = read_tables(out2)
    for path in (in_folder, no_vendor, too_big):
        assert landing(rows, path) == expected[path], path
    # Spark: the same files by the same rule.
    tables = normalize_spark.from_capture_files(
        spark, [str(tmp_path / "raw"), str(tmp_path / "loose")], max_body_bytes=cap
    )
    try:
        spark_rows = {
            "balances": tables.balances.toArrow().to_pylist(),
            "rejects": tables.rejects.toArrow().to_pylist(),
        }
    finally:
        tables.unpersist()
    for path in (in_folder, no_vendor, too_big):
        assert landing(spark_rows, path) == expected[path], path

    # The whole reject row of a file over the cap: no body, its size and SHA-256, both doors.
    def oversized(found: dict[str, list[dict[str, Any]]]) -> tuple[Any, ...]:
        [row] = [r for r in found["rejects"] if r["source_file"] == str(too_big)]
        return row["body"], row["body_sha256"], row["value"], row["vendor"]

    assert oversized(spark_rows) == oversized(rows)
    assert oversized(rows)[0] is None
    # convert: the same files, one line per problem.
    capsys.readouterr()
    for path, (count, rejects) in expected.items():
        vendor = ["--vendor", TOKEN] if path == direct else []
        cli_main(["convert", *vendor, str(path), "--max-body-bytes", str(cap)])
        printed = capsys.readouterr()
        found = _problems_by_line(printed.err, by_name=True).get(0, ([], []))[0]
        assert (len(printed.out.splitlines()), sorted(found)) == (count, rejects), path
