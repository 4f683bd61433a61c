"""``python -m normalize batch``: captured responses to tables, every input accounted for.

Each response lands in exactly one of records / partial / vendor_error / rejected; each of
its problems is one row (NormalizeError -> rejects, VendorError -> vendor_errors); every
record is what ``parse_response`` gives for the body.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_support import (
    CAP,
    REJECT_CLASSES,
    ROOT,
    TOKEN,
    expected_outcome,
    manifest,
    read_input_lines,
    read_tables,
    write_inputs,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import normalize
from normalize import BalanceRecord, NormalizeError, parse_response
from normalize.__main__ import main as cli_main
from normalize._capture import CaptureChunk
from normalize._envelope import envelope_from_line
from normalize.batch import _convert, _parts, _run, _store
from normalize.batch._schema import BALANCES, REJECTS, VENDOR_ERRORS


def batch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "normalize", "batch", *args],
        capture_output=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """The generated set, converted once to DuckDB with --jobs 1."""
    folder = tmp_path_factory.mktemp("generated")
    inputs = write_inputs(folder / "in", CAP)
    out = folder / "duckdb-1"
    done = batch(
        *map(str, inputs), "--out", str(out), "--jobs", "1", "--max-body-bytes", str(CAP), "--quiet"
    )
    assert (done.returncode, done.stderr) == (0, b"")
    return inputs, out


def _record_row(record: BalanceRecord) -> dict[str, Any]:
    return {field.name: getattr(record, field.name) for field in attrs.fields(BalanceRecord)}


def _same_record(row: dict[str, Any], record: BalanceRecord) -> None:
    expected = _record_row(record)
    for name, value in expected.items():
        # decimal(38, 18) keeps the amount's value (equal Decimals); amount_text its scale.
        if hasattr(value, "value") and not isinstance(value, str | Decimal):
            assert row[name] == value.value
        else:
            assert row[name] == value, name


# --- Must show 1: the generated set ---------------------------------------------------------


def test_every_input_lands_in_exactly_one_place_and_the_counts_add_up(
    generated: tuple[list[Path], Path],
) -> None:
    inputs, out = generated
    tables = read_tables(out)
    facts = manifest(out)
    landed = facts["landed"]
    assert facts["responses"] == sum(landed.values())
    assert facts["rows"] == {name: len(rows) for name, rows in tables.items()}
    assert facts["records"] == len(tables["balances"])

    # Count by hand from the inputs: one response per non-blank line, one per raw file.
    captures = [path for path in inputs if path.is_file()]
    lines = [line for path in captures for line in read_input_lines(path) if line.strip()]
    raw_files = [path for path in inputs[3].rglob("*") if path.is_file()]
    assert facts["responses"] == len(lines) + len(raw_files)

    expected = Counter()
    for line in lines:
        outcome = expected_outcome(line) if len(line) <= CAP else None
        expected[outcome.kind.value if outcome else "rejected"] += 1
    for path in raw_files:
        outcome = parse_response(
            path.parent.name,
            path.read_bytes(),
            content_type="application/xml" if path.suffix == ".xml" else "application/json",
        )
        expected[outcome.kind.value] += 1
    assert landed == {kind: expected[kind] for kind in landed}
    # The set is what it claims to be: every landing is there.
    assert all(count > 0 for count in landed.values())

    # Each file: its SHA-256 and line count.
    import hashlib

    by_path = {item["path"]: item for item in facts["inputs"]}
    for path in captures:
        item = by_path[str(path)]
        assert item["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert item["lines"] == len(read_input_lines(path))
    assert {item["kind"] for item in facts["inputs"]} == {"capture", "raw"}
    assert facts["library"]["version"]
    # Every vendor's spec version, the five real vendors' among them.
    from normalize import VENDORS

    assert set(facts["spec_versions"]) == set(VENDORS)
    assert set(facts["spec_versions"]) >= {
        "mastercard-open-finance-au",
        "mastercard-open-finance-us",
        "mastercard-open-banking-connect",
        "mastercard-send",
        "token-io",
    }


def test_every_record_is_what_parse_response_gives_for_its_body(
    generated: tuple[list[Path], Path],
) -> None:
    inputs, out = generated
    tables = read_tables(out)
    rows_by_line: dict[tuple[str, int | None], list[dict[str, Any]]] = defaultdict(list)
    for row in tables["balances"]:
        rows_by_line[(row["source_file"], row["source_line"])].append(row)
    checked = 0
    for path in inputs[:3]:
        for number, line in enumerate(read_input_lines(path), 1):
            outcome = expected_outcome(line) if line.strip() and len(line) <= CAP else None
            rows = rows_by_line.pop((str(path), number), [])
            records = outcome.records if outcome else ()
            assert len(rows) == len(records), (path, number)
            for row, record in zip(rows, records, strict=True):
                _same_record(row, record)
                document = json.loads(line)
                assert row["envelope_id"] == document.get("id")
                checked += 1
    for path in sorted(p for p in inputs[3].rglob("*") if p.is_file()):
        rows = rows_by_line.pop((str(path), None), [])
        content_type = "application/xml" if path.suffix == ".xml" else "application/json"
        records = parse_response(
            path.parent.name, path.read_bytes(), content_type=content_type
        ).records
        assert len(rows) == len(records)
        for row, record in zip(rows, records, strict=True):
            _same_record(row, record)
            checked += 1
    assert not rows_by_line
    assert checked == len(tables["balances"]) > 40


def test_every_reject_row_names_its_source_line_and_carries_its_body(
    generated: tuple[list[Path], Path],
) -> None:
    inputs, out = generated
    rejects = read_tables(out)["rejects"]
    lines = {
        (str(path), number): line
        for path in inputs[:3]
        for number, line in enumerate(read_input_lines(path), 1)
    }
    import hashlib

    for row in rejects:
        line = lines[(row["source_file"], row["source_line"])]
        if row["error_class"] == "BodyTooLarge":
            assert row["body"] is None
            assert row["body_sha256"] == hashlib.sha256(line).hexdigest()
            assert int(row["value"]) > CAP
            continue
        if row["error_class"] == "InvalidEnvelope":
            assert row["body"] == line
        else:
            assert row["body"] == json.loads(line)["body"].encode()
        assert row["body_sha256"] == hashlib.sha256(row["body"]).hexdigest()
        assert row["message"]
        assert row["path"]

    classes = {row["error_class"] for row in rejects}
    assert classes == {*REJECT_CLASSES, "InvalidEnvelope", "BodyTooLarge"}
    # A partial response's bad balance is a reject row of a response that also gave records.
    assert any(row["outcome"] == "partial" for row in rejects)
    by_class = {row["error_class"]: row for row in rejects}
    assert by_class["InvalidAmount"]["value"] == "12,50"
    assert by_class["InvalidAmount"]["path"] == "$.balance.current.value"
    assert by_class["UnknownVendor"]["vendor"] == "acme-bank"
    envelope_errors = sorted(
        (row["path"], row["value"]) for row in rejects if row["error_class"] == "InvalidEnvelope"
    )
    assert envelope_errors == [
        ("$", "not json at all"),
        ("$", '{"vendor": "token-io", "vendor": "mastercard-send", "body": "{}"}'),
        ("captured_at", "yesterday"),
        ("colour", None),
        ("status", "200"),
    ]


def test_vendor_errors_keep_code_status_trace_and_account(
    generated: tuple[list[Path], Path],
) -> None:
    _, out = generated
    rows = read_tables(out)["vendor_errors"]
    assert {row["code"] for row in rows} >= {
        "not_cached",
        "unauthorized",
        "consent_invalid",
        "provider_error",
    }
    not_cached = next(row for row in rows if row["code"] == "not_cached")
    assert (not_cached["status"], not_cached["trace_id"], not_cached["operation"]) == (
        404,
        "t-404",
        "GetAvailableBalance",
    )
    partial = [row for row in rows if row["outcome"] == "partial"]
    assert [(row["vendor"], row["scope"], row["path"]) for row in partial] == [
        (TOKEN, "account", "$.response[1]")
    ]
    # A raw file under a folder named for its vendor: the vendor comes from the folder.
    raw = [row for row in rows if row["source_line"] is None]
    assert [(row["vendor"], Path(row["source_file"]).name) for row in raw] == [
        ("mastercard-send", "zz-error.xml")
    ]


def test_captured_at_is_utc_microseconds_truncated(generated: tuple[list[Path], Path]) -> None:
    _, out = generated
    rows = [row for row in read_tables(out)["balances"] if row["envelope_id"] == "example-0"]
    assert rows
    # 2026-02-01T10:00:00.123456789+02:00: digits past microseconds dropped, not rounded.
    assert {row["captured_at"].isoformat() for row in rows} == {"2026-02-01T08:00:00.123456+00:00"}


# --- Must show 2 (without Spark): the same rows whatever the output and the jobs --------------


def test_duckdb_parquet_jobs_1_and_jobs_2_give_identical_rows(
    generated: tuple[list[Path], Path], tmp_path: Path
) -> None:
    inputs, reference = generated
    expected = read_tables(reference)
    for to, jobs in (("parquet", "1"), ("parquet", "2"), ("duckdb", "2")):
        out = tmp_path / f"{to}-{jobs}"
        done = batch(
            *map(str, inputs),
            "--out",
            str(out),
            "--to",
            to,
            "--jobs",
            jobs,
            "--max-body-bytes",
            str(CAP),
            "--quiet",
        )
        assert (done.returncode, done.stderr) == (0, b""), (to, jobs)
        assert read_tables(out) == expected, (to, jobs)
        assert manifest(out)["landed"] == manifest(reference)["landed"]


# --- Must show 3: decimal(38, 18) round trip ------------------------------------------------

EXACT = ("12345678901234567.89", "0.000000000000000001", "-0.01", "12009.1000")


@pytest.mark.parametrize("to", ["duckdb", "parquet"])
def test_decimal_38_18_round_trip_and_exact_sum(tmp_path: Path, to: str) -> None:
    capture = tmp_path / "amounts.jsonl"
    capture.write_text(
        "".join(
            json.dumps(
                {
                    "vendor": TOKEN,
                    "body": json.dumps(
                        {
                            "balance": {
                                "accountId": f"a:exact:{number}",
                                "current": {"currency": "USD", "value": value},
                            },
                            "status": "SUCCESSFUL_REQUEST",
                        }
                    ),
                }
            )
            + "\n"
            for number, value in enumerate(EXACT)
        )
    )
    out = tmp_path / "out"
    done = batch(str(capture), "--out", str(out), "--to", to, "--quiet")
    assert (done.returncode, done.stderr) == (0, b"")
    rows = read_tables(out)["balances"]
    assert [row["amount"] for row in rows] == [Decimal(value) for value in EXACT]
    assert [row["amount_text"] for row in rows] == list(EXACT)

    import duckdb

    if to == "duckdb":
        connection = duckdb.connect(str(out / "balances.duckdb"), read_only=True)
        source = "balances"
    else:
        connection = duckdb.connect()
        source = f"read_parquet('{out / 'balances'}/**/*.parquet')"
    ((total, kind),) = connection.sql(
        f"SELECT SUM(amount), typeof(SUM(amount)) FROM {source}"
    ).fetchall()
    # By hand: 12345678901234567.89 + 0.000000000000000001 - 0.01 + 12009.1000
    assert total == Decimal("12345678901246576.980000000000000001")
    assert kind == "DECIMAL(38,18)"
    connection.close()


def test_zeros_past_the_18th_decimal_land_as_parse_response_gives_them() -> None:
    """The canonical range allows up to 36 decimals when those past the 18th are zeros;
    the batch stores the same numbers at decimal(38, 18), not as rejects."""
    values = [
        "12345678901234567890.000000000000000000000000000000000000",
        "1.50000000000000000000",
        "-0.000000000000000001000",
    ]

    def line(value: str) -> bytes:
        body = json.dumps(
            {
                "balance": {
                    "accountId": "a:x",
                    "current": {"currency": "USD", "value": value},
                },
                "status": "SUCCESSFUL_REQUEST",
            }
        )
        assert parse_response(TOKEN, body).kind.value == "records"
        return json.dumps({"vendor": TOKEN, "body": body}).encode()

    done = _convert.convert(CaptureChunk("f", 1, [line(value) for value in values]))
    assert done.counts["records"] == 3
    assert done.rejects.num_rows == 0
    assert done.balances.column("amount").to_pylist() == [Decimal(value) for value in values]
    assert done.balances.column("amount_text").to_pylist() == values


# --- Must show 4: an interrupted run, then a rerun ------------------------------------------


def test_an_interrupted_run_leaves_no_partial_table_and_a_rerun_gives_the_full_result(
    tmp_path: Path,
) -> None:
    example = json.dumps(
        {
            "vendor": TOKEN,
            "body": (ROOT / "normalize/examples/token-io/BalanceSuccessful.json").read_text(),
        }
    )
    capture = tmp_path / "big.jsonl"
    capture.write_text((example + "\n") * 50_000)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "normalize",
            "batch",
            str(capture),
            "--out",
            str(out),
            "--to",
            "parquet",
            "--jobs",
            "1",
            "--quiet",
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        # Part way: once the partial folder holds some written rows.
        while time.monotonic() < deadline:
            partial = list(out.glob(".partial-*/balances/*.parquet"))
            if partial and partial[0].stat().st_size > 10_000:
                break
            assert process.poll() is None, "finished before it could be interrupted"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    # Nothing half-written in DIR: no table, no manifest (only the hidden partial folder).
    assert sorted(path.name for path in out.iterdir() if not path.name.startswith(".")) == []
    # What a reader's glob over DIR's tables finds: nothing (the partial folder is hidden,
    # outside them).
    import duckdb

    with pytest.raises(duckdb.IOException, match="No files found"):
        duckdb.sql(f"SELECT * FROM read_parquet('{out}/balances/**/*.parquet')")

    done = batch(str(capture), "--out", str(out), "--to", "parquet", "--jobs", "1", "--quiet")
    assert done.returncode == 0
    # The dead run's partial folder is gone, and its lock was taken over.
    assert sorted(path.name for path in out.iterdir()) == [
        "balances",
        "manifest.json",
        "rejects",
        "vendor_errors",
    ]
    clean = tmp_path / "clean"
    assert batch(str(capture), "--out", str(clean), "--to", "parquet", "--quiet").returncode == 0
    assert read_tables(out) == read_tables(clean)
    assert manifest(out)["responses"] == 50_000
    assert manifest(out)["records"] == 100_000


@pytest.mark.parametrize("to", ["parquet", "duckdb"])
def test_a_failed_write_in_a_task_ends_the_run_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str
) -> None:
    """A task that cannot write its part files (a full disk) fails the run, which leaves
    no table, no manifest, no partial folder and no lock."""
    example = json.dumps(
        {
            "vendor": TOKEN,
            "body": (ROOT / "normalize/examples/token-io/BalanceSuccessful.json").read_text(),
        }
    )
    capture = tmp_path / "capture.jsonl"
    capture.write_text((example + "\n") * 3_000)
    real_flush = _parts.Parts.flush
    calls: list[int] = []

    def failing_flush(self: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_flush(self)

    monkeypatch.setattr(_parts.Parts, "flush", failing_flush)
    monkeypatch.setattr(_parts, "FLUSH_ROWS", 500)
    out = tmp_path / "out"
    with pytest.raises(OSError, match="No space left"):
        _run.run([str(capture)], out, to=to, jobs=1, chunk_lines=250)
    assert len(calls) == 3
    assert list(out.iterdir()) == []


def test_a_duckdb_error_while_loading_is_an_os_error(tmp_path: Path) -> None:
    """DuckDB raises its own errors (duckdb.Error, not OSError) when it cannot write; the
    load hands them on as the OSError the command reports in one line."""
    partial = tmp_path / "partial"
    (partial / "balances").mkdir(parents=True)
    pq.write_table(pa.table({"not_a_column": [1]}), partial / "balances" / "part.parquet")
    part = _parts.PartFile(
        task=1, sequence=1, table="balances", path="balances/part.parquet", rows=1
    )
    with pytest.raises(OSError, match=r"^DuckDB: "):
        _store.build_duckdb(tmp_path, partial, copy=False, append=False, parts=[part], load={})


def test_a_failed_write_is_one_line_and_exit_1_from_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full_disk(self: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_parts.Parts, "flush", full_disk)
    capture = ROOT / "specs" / "capture" / "example.jsonl"
    out = tmp_path / "out"
    # --jobs 1: this test process has threads already (Arrow's), so no forked workers.
    code = cli_main(
        ["batch", str(capture), "--out", str(out), "--to", "parquet", "--jobs", "1", "--quiet"]
    )
    assert code == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.splitlines() == [
        f"python -m normalize batch: cannot write {out}: [Errno 28] No space left on device;"
        " nothing was written"
    ]
    assert list(out.iterdir()) == []


# --- Hostile inputs, exit codes -------------------------------------------------------------


def test_a_fifo_and_a_device_are_refused_and_the_rest_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps(
            {
                "vendor": TOKEN,
                "body": (ROOT / "normalize/examples/token-io/BalanceSuccessful.json").read_text(),
            }
        )
        + "\n"
    )
    out = tmp_path / "out"
    # By default an input that cannot be read fails the run: one line, nothing written.
    done = batch(str(fifo), "/dev/zero", str(good), "--out", str(out), "--quiet", timeout=30)
    assert done.returncode == 1
    (line,) = done.stderr.decode().splitlines()
    assert str(fifo) in line
    assert "not a regular file" in line
    assert list(out.iterdir()) == []
    # --allow-unreadable commits the rest and names each one left out.
    done = batch(
        str(fifo),
        "/dev/zero",
        str(good),
        "--out",
        str(out),
        "--quiet",
        "--allow-unreadable",
        timeout=30,
    )
    assert done.returncode == 0
    stderr = done.stderr.decode().splitlines()
    assert len(stderr) == 2
    assert str(fifo) in stderr[0]
    assert "not a regular file" in stderr[0]
    assert "/dev/zero" in stderr[1]
    facts = manifest(out)
    assert [item["path"] for item in facts["unreadable"]] == [str(fifo), "/dev/zero"]
    assert [item["responses"] for item in facts["unreadable"]] == [0, 0]
    assert facts["responses"] == 1
    assert facts["records"] == 2


def test_a_raw_file_larger_than_the_cap_is_a_reject(tmp_path: Path) -> None:
    folder = tmp_path / "token-io"
    folder.mkdir()
    (folder / "big.json").write_bytes(b" " * 5000 + b"{}")
    out = tmp_path / "out"
    done = batch(
        str(tmp_path / "token-io"), "--out", str(out), "--max-body-bytes", "4096", "--quiet"
    )
    assert done.returncode == 0
    (row,) = read_tables(out)["rejects"]
    assert (row["error_class"], row["value"], row["body"]) == ("BodyTooLarge", "5002", None)
    assert manifest(out)["landed"]["rejected"] == 1


def test_a_corrupt_gzip_input_is_an_input_that_could_not_be_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 40)
    done = batch(str(broken), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 1
    assert str(broken) in done.stderr.decode()
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("cut", ["whole", "mid-frame", "second-frame-cut"])
def test_a_cut_zstd_capture_is_unreadable_and_two_frames_read_whole(
    tmp_path: Path, cut: str
) -> None:
    """zstd's stream reader ends quietly where a cut file ends; the job must not take the
    lines before the cut for the whole file."""
    import zstandard

    example = (ROOT / "specs" / "capture" / "example.jsonl").read_bytes()
    lines = example.splitlines(keepends=True)
    first = zstandard.ZstdCompressor().compress(b"".join(lines[:10]))
    second = zstandard.ZstdCompressor().compress(b"".join(lines[10:]))
    data = {
        "whole": first + second,
        "mid-frame": first[: len(first) * 2 // 3],
        "second-frame-cut": first + second[: len(second) // 2],
    }[cut]
    capture = tmp_path / "capture.jsonl.zst"
    capture.write_bytes(data)
    out = tmp_path / "out"
    done = batch(str(capture), "--out", str(out), "--quiet")
    if cut == "whole":
        assert done.returncode == 0, done.stderr.decode()
        assert manifest(out)["responses"] == len(lines)
        assert manifest(out)["inputs"][0]["lines"] == len(lines)
    else:
        assert done.returncode == 1
        assert f"{capture}: cannot read: read failed: the zstd stream ends inside a frame" in (
            done.stderr.decode()
        )


@pytest.mark.parametrize(
    "args",
    [
        ["--out"],  # no DIR
        ["in.jsonl"],  # no --out
        ["in.jsonl", "--out", "o", "--jobs", "0"],
        ["in.jsonl", "--out", "o", "--to", "csv"],
    ],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "normalize", "batch", *args],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert not (tmp_path / "o").exists()


def test_closed_standard_output_is_one_line_and_exit_1(tmp_path: Path) -> None:
    capture = tmp_path / "in.jsonl"
    capture.write_text(json.dumps({"vendor": TOKEN, "body": "{}"}) + "\n")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "normalize",
                "batch",
                str(capture),
                "--out",
                str(tmp_path / "out"),
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == [
        "python -m normalize batch: cannot write standard output: closed"
    ]


def test_full_standard_output_is_one_line_and_exit_1(tmp_path: Path) -> None:
    capture = tmp_path / "in.jsonl"
    capture.write_text(json.dumps({"vendor": TOKEN, "body": "{}"}) + "\n")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "normalize",
                "batch",
                str(capture),
                "--out",
                str(tmp_path / "out"),
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    (line,) = done.stderr.decode().splitlines()
    assert line.startswith("python -m normalize batch: cannot write standard output: ")
    assert "No space left on device" in line


def test_without_the_batch_extra_the_command_names_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['pyarrow'] = None; from normalize.__main__ import main; "
            f"sys.exit(main(['batch', 'x.jsonl', '--out', {str(tmp_path / 'o')!r}]))",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "python -m normalize batch: this needs the 'batch' extra (pyarrow is not installed): "
        "pip install 'balance-normalize[batch]'"
    ]


def test_log_lines_without_a_terminal_and_nothing_with_quiet(tmp_path: Path) -> None:
    capture = tmp_path / "in.jsonl"
    capture.write_text(json.dumps({"vendor": TOKEN, "body": "{}"}) + "\n")
    done = batch(str(capture), "--out", str(tmp_path / "out"))
    assert done.returncode == 0
    assert b"1 responses = 0 records only + 0 partial + 0 vendor errors + 1 rejected" in (
        done.stdout
    )
    quiet = batch(str(capture), "--out", str(tmp_path / "out"), "--quiet")
    assert (quiet.stdout, quiet.stderr) == (b"", b"")


# --- The schema is the record's -------------------------------------------------------------


def test_balances_columns_are_the_record_fields_then_provenance() -> None:
    names = [field.name for field in attrs.fields(BalanceRecord)]
    assert BALANCES.names == [*names, "source_file", "source_line", "envelope_id", "captured_at"]
    assert BALANCES.field("amount").type == pa.decimal128(38, 18)
    assert BALANCES.field("as_of").type == pa.timestamp("us", tz="UTC")
    for name in ("currency", "balance_type", "credit_debit", "freshness"):
        assert pa.types.is_dictionary(BALANCES.field(name).type), name
    assert BALANCES.field("vendor_balance_type").nullable
    assert not BALANCES.field("amount").nullable
    assert "body" in REJECTS.names
    assert "code" in VENDOR_ERRORS.names


def test_spec_versions_match_the_spec_files() -> None:
    import yaml

    from normalize.batch._specs import SPEC_VERSIONS

    found = {
        path.parent.name: str(yaml.safe_load(path.read_text())["info"]["version"])
        for path in (ROOT / "specs").glob("*/openapi.yaml")
    }
    assert found == SPEC_VERSIONS


def test_envelope_schema_accepts_the_example_capture_and_refuses_what_the_job_refuses() -> None:
    import jsonschema

    schema = json.loads((ROOT / "specs/capture/envelope.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    lines = (ROOT / "specs/capture/example.jsonl").read_bytes().splitlines()
    valid = [json.loads(line) for line in lines if not _refused(line)]
    assert len(valid) == len(lines) - 1
    for document in valid:
        validator.validate(document)
    for bad in (
        {"vendor": TOKEN},
        {"vendor": TOKEN, "body": "{}", "status": "200"},
        {"vendor": TOKEN, "body": "{}", "colour": "blue"},
    ):
        assert not validator.is_valid(bad)
        with pytest.raises(NormalizeError):
            envelope_from_line(json.dumps(bad).encode())


def _refused(line: bytes) -> bool:
    try:
        envelope_from_line(line)
    except NormalizeError:
        return True
    return False


def test_the_example_capture_covers_every_landing_vendor_and_xml(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = batch(str(ROOT / "specs/capture/example.jsonl"), "--out", str(out), "--quiet")
    assert done.returncode == 0
    facts = manifest(out)
    assert all(count > 0 for count in facts["landed"].values())
    tables = read_tables(out)
    # Each vendor that ships documented examples (normalize/examples/<vendor>/, the five real
    # vendors among them) lands records from the capture.
    shipping = {path.name for path in (ROOT / "normalize" / "examples").iterdir() if path.is_dir()}
    assert shipping >= {
        "mastercard-open-finance-au",
        "mastercard-open-finance-us",
        "mastercard-open-banking-connect",
        "mastercard-send",
        "token-io",
    }
    assert {row["vendor"] for row in tables["balances"]} == shipping
    lines = (ROOT / "specs/capture/example.jsonl").read_bytes().splitlines()
    xml_lines = {
        number
        for number, line in enumerate(lines, 1)
        if json.loads(line).get("content_type") == "application/xml"
    }
    assert {row["source_line"] for row in tables["balances"]} & xml_lines
    assert {row["source_line"] for row in tables["vendor_errors"]} & xml_lines


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pty

    capture = tmp_path / "in.jsonl"
    capture.write_text(json.dumps({"vendor": TOKEN, "body": "{}"}) + "\n")
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "normalize",
                "batch",
                str(capture),
                "--out",
                str(tmp_path / "out"),
            ],
            stdout=subprocess.PIPE,
            stderr=terminal,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                part = os.read(controller, 65536)
            except OSError:
                break
            if not part:
                break
            shown += part
    finally:
        os.close(controller)
    assert done.returncode == 0
    # rich draws the bar with terminal control sequences, then clears it (transient).
    assert b"\x1b[" in shown
    assert b"responses" in shown
    assert b"%" in shown  # the share of the input's bytes done


def test_log_progress_names_the_share_done_and_the_time_left() -> None:
    import io

    stream = io.StringIO()
    log = _run.LogProgress(stream, every=0)
    log.started -= 10  # ten seconds in
    log(
        {
            "responses": 500,
            "balances": 900,
            "rejects": 1,
            "vendor_errors": 2,
            "bytes_done": 25_000_000,
            "bytes_total": 100_000_000,
        }
    )
    # A quarter done in ten seconds: about thirty left.
    assert stream.getvalue().endswith(
        "900 records, 1 rejects, 2 vendor errors, 25% of 100 MB, about 30 s left\n"
    )


def test_version_and_help_name_the_command_as_it_was_started() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "normalize", "--version"], capture_output=True, check=False
    )
    assert done.stdout.decode() == f"python -m normalize {normalize.__version__}\n"
    script = Path(sys.executable).parent / "balance-normalize"
    done = subprocess.run([str(script), "batch", "--help"], capture_output=True, check=False)
    assert done.returncode == 0
    assert done.stdout.decode().startswith("usage: balance-normalize batch ")
    assert "--append" in done.stdout.decode()


# --- Pieces of a plain capture file ----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    content=st.lists(
        st.sampled_from([b"a", b"bb", b"\n", b"\r\n", b"x" * 50, b"\n\n"]), max_size=40
    ).map(b"".join),
    target=st.integers(min_value=1, max_value=70),
)
def test_line_ranges_cut_a_file_at_line_ends_and_number_each_piece(
    tmp_path_factory: pytest.TempPathFactory, content: bytes, target: int
) -> None:
    path = tmp_path_factory.mktemp("ranges") / "c.jsonl"
    path.write_bytes(content)
    pieces = list(_run.line_ranges(str(path), len(content), target))
    # The pieces cover the file, in order, without gaps or overlaps.
    assert b"".join(content[start:end] for start, end, _ in pieces) == content
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    for start, end, first_line in pieces:
        assert end > start
        # A piece ends just after a line end (the last one at the end of the file), and is
        # at least the target long unless it is the last.
        assert content[end - 1 : end] == b"\n" or end == len(content)
        assert end - start >= target or end == len(content)
        # Its first line's number is one more than the line ends before it.
        assert first_line == content[:start].count(b"\n") + 1


@pytest.mark.parametrize("range_bytes", [1, 700, 5000])
def test_small_pieces_give_the_rows_of_one_piece(
    generated: tuple[list[Path], Path], tmp_path: Path, range_bytes: int
) -> None:
    inputs, _ = generated
    plain = [path for path in inputs if path.name.endswith(".jsonl")]
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    _run.run([str(p) for p in plain], whole, jobs=1, max_body_bytes=CAP, range_bytes=1 << 30)
    _run.run([str(p) for p in plain], cut, jobs=1, max_body_bytes=CAP, range_bytes=range_bytes)
    assert read_tables(cut) == read_tables(whole)
    assert manifest(cut)["inputs"] == [
        {**item, "load_id": manifest(cut)["loads"][0]["load_id"]}
        for item in manifest(whole)["inputs"]
    ]


def test_to_parquet_never_imports_duckdb(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from normalize.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "assert code == 0, code\n"
        "print('duckdb' in sys.modules)\n"
    )
    capture = ROOT / "specs" / "capture" / "example.jsonl"
    for to, imported in (("parquet", "False"), ("duckdb", "True")):
        done = subprocess.run(
            [
                *(sys.executable, "-c", script, "batch", str(capture)),
                *("--out", str(tmp_path / to), "--to", to, "--jobs", "1", "--quiet"),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        assert (done.returncode, done.stdout.strip()) == (0, imported), done.stderr


def test_a_spec_version_bump_is_written_by_regenerate_not_by_hand(tmp_path: Path) -> None:
    """``normalize/batch/_specs.py`` is what ``scripts/regenerate`` writes from the specs'
    ``info.version``: ``--check`` names it stale after a bump, a run rewrites it."""
    import importlib.util

    import yaml

    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "scripts/regenerate.py")
    assert spec is not None
    assert spec.loader is not None
    regenerate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regenerate)
    for vendor in (ROOT / "specs").iterdir():
        if (vendor / "generator.yaml").is_file():
            copy = tmp_path / "specs" / vendor.name
            copy.mkdir(parents=True)
            for name in ("openapi.yaml", "generator.yaml"):
                (copy / name).write_bytes((vendor / name).read_bytes())
    (tmp_path / "normalize" / "batch").mkdir(parents=True)
    target = tmp_path / "normalize" / "batch" / "_specs.py"
    target.write_bytes((ROOT / "normalize" / "batch" / "_specs.py").read_bytes())
    assert regenerate.spec_versions(tmp_path, check=True) == []
    bumped = tmp_path / "specs" / "token-io" / "openapi.yaml"
    document = yaml.safe_load(bumped.read_text())
    document["info"]["version"] = "1.1.0"
    bumped.write_text(yaml.safe_dump(document, sort_keys=False))
    assert regenerate.spec_versions(tmp_path, check=True) == [
        "normalize/batch/_specs.py: not the specs' info.version"
    ]
    assert regenerate.spec_versions(tmp_path, check=False) == []
    namespace: dict[str, Any] = {}
    exec(target.read_text(), namespace)
    assert namespace["SPEC_VERSIONS"]["token-io"] == "1.1.0"
    assert regenerate.spec_versions(tmp_path, check=True) == []
