"""``normalize.spark``: the batch job's per-response function on Spark, in ``local[2]``.

One Spark session for the whole test run (started and stopped by a session fixture), small
data; the rows must be exactly those of ``python -m normalize batch``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from batch_support import CAP, ROOT, TOKEN, read_tables, write_inputs
from pyspark.sql import SparkSession

from normalize import spark as normalize_spark


def _rows(frame: Any) -> list[dict[str, Any]]:
    table = frame.toArrow()
    return table.to_pylist()


def _in_line_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Spark gives no order across tasks; within a line the rows keep the function's order.
    return sorted(rows, key=lambda row: (row["source_file"], row["source_line"] or 0))


def test_spark_gives_the_rows_of_the_batch_command(spark: SparkSession, tmp_path: Path) -> None:
    captures = [path for path in write_inputs(tmp_path / "in", CAP) if path.is_file()]
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalize",
            "batch",
            *map(str, captures),
            "--out",
            str(out),
            "--to",
            "parquet",
            "--jobs",
            "2",
            "--max-body-bytes",
            str(CAP),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    expected = read_tables(out)

    tables = normalize_spark.from_capture_files(
        spark, [str(path) for path in captures], max_body_bytes=CAP
    )
    try:
        for name, frame in zip(("balances", "rejects", "vendor_errors"), tables[:3], strict=True):
            got = _rows(frame)
            assert len(got) == len(expected[name]), name
            assert _in_line_order(got) == _in_line_order(expected[name]), name
    finally:
        tables.unpersist()


def test_spark_takes_a_dataframe_of_envelopes(spark: SparkSession) -> None:
    body = (ROOT / "normalize/examples/token-io/BalanceSuccessful.json").read_text()
    frame = spark.createDataFrame(
        [
            {"vendor": TOKEN, "body": body, "id": "e-1", "captured_at": "2026-01-02T03:04:05Z"},
            {"vendor": TOKEN, "body": '{"balance": ', "id": "e-2", "captured_at": None},
            {"vendor": "acme", "body": "{}", "id": "e-3", "captured_at": None},
        ],
        schema="vendor string, body string, id string, captured_at string",
    )
    tables = normalize_spark.from_envelopes(frame)
    try:
        balances = _rows(tables.balances)
        assert [(r["envelope_id"], r["amount_text"], r["balance_type"]) for r in balances] == [
            ("e-1", "12009.1000", "INTERIM_BOOKED"),
            ("e-1", "12009.1000", "INTERIM_AVAILABLE"),
        ]
        assert {r["captured_at"].isoformat() for r in balances} == {"2026-01-02T03:04:05+00:00"}
        rejects = sorted(_rows(tables.rejects), key=lambda row: row["envelope_id"])
        assert [(r["envelope_id"], r["error_class"], r["body"]) for r in rejects] == [
            ("e-2", "MalformedPayload", b'{"balance": '),
            ("e-3", "UnknownVendor", b"{}"),
        ]
        assert _rows(tables.vendor_errors) == []
    finally:
        tables.unpersist()


def test_envelope_json_matches_what_spark_is_given() -> None:
    # The envelope keys Spark reads are the envelope schema's, plus provenance.
    schema = json.loads((ROOT / "specs/capture/envelope.schema.json").read_text())
    assert set(schema["properties"]) | {"source_file", "source_line"} == set(
        normalize_spark._ENVELOPE_COLUMNS
    )


def test_without_the_spark_extra_the_import_names_it() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.modules['pyspark'] = None\n"
            "try:\n    import normalize.spark\n"
            "except ImportError as exc:\n    print(type(exc).__name__, exc)",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert done.stdout.decode().splitlines() == [
        "MissingExtra this needs the 'spark' extra (pyspark is not installed): "
        "pip install 'balance-normalize[spark]'"
    ]
