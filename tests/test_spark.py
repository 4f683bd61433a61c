"""``normalize.spark``: the batch job's per-response function on Spark, in ``local[2]``.

One Spark session for the whole test run (started and stopped by a session fixture), small
data; the rows must be exactly those of ``python -m normalize batch``. Each capture file is
read on an executor in chunks, its rows given only once it has been read to its end: a file
that cannot be read whole is one ``UnreadableInput`` reject and nothing else.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import zstandard
from batch_support import (
    CAP,
    ROOT,
    TABLE_NAMES,
    TOKEN,
    generated_lines,
    read_tables,
    write_inputs,
)
from pyspark.sql import SparkSession

from normalize import spark as normalize_spark
from normalize._capture import discover, read_capture, read_raw
from normalize.batch._convert import convert
from normalize.batch._schema import TABLES


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


# --- Each file read on its executor in chunks; a file not read whole is all out ---------------


def _batch_function_rows(paths: list[Path], cap: int) -> dict[str, list[dict[str, Any]]]:
    """The rows the batch job's reader and per-response function give for these files."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    found, refused = discover([str(path) for path in paths], None)
    assert refused == []
    for entry in found:
        if entry.kind == "raw":
            converted = [convert([read_raw(entry, max_bytes=cap)], cap)]
        else:
            chunks = read_capture(entry, max_bytes=cap, chunk_lines=5_000)
            converted = [convert(chunk, cap) for chunk in chunks]
        for item in converted:
            for name in TABLE_NAMES:
                rows[name] += getattr(item, name).to_pylist()
    return rows


def _spark_rows(tables: normalize_spark.Tables) -> dict[str, list[dict[str, Any]]]:
    try:
        return {name: _rows(frame) for name, frame in zip(TABLE_NAMES, tables[:3], strict=True)}
    finally:
        tables.unpersist()


def _several_chunks() -> bytes:
    """The generated capture lines (every kind of line) six times over: many chunks of a
    few lines, and more than one zstd block."""
    return b"\n".join(generated_lines(CAP) * 6) + b"\n"


def _unreadable_row(path: Path) -> dict[str, Any]:
    return {
        "source_file": str(path),
        "source_line": None,
        "error_class": "UnreadableInput",
        "outcome": "rejected",
        "path": "$",
        "body": None,
        "body_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def test_a_cut_gzip_or_zstd_file_gives_one_unreadable_row_and_none_of_its_lines(
    spark: SparkSession, tmp_path: Path
) -> None:
    good = write_inputs(tmp_path / "in", CAP)
    content = _several_chunks()
    cut_gzip = tmp_path / "in" / "cut.jsonl.gz"
    compressed = gzip.compress(content, mtime=0)
    cut_gzip.write_bytes(compressed[: len(compressed) * 2 // 3])
    cut_zstd = tmp_path / "in" / "cut.jsonl.zst"
    compressed = zstandard.ZstdCompressor().compress(content)
    cut_zstd.write_bytes(compressed[: len(compressed) * 2 // 3])
    expected = _batch_function_rows(good, CAP)
    assert len(expected["balances"]) > 0
    # Chunks of three lines: the cut files' first chunks are read (and converted) long
    # before the cut is found.
    got = _spark_rows(
        normalize_spark.from_capture_files(
            spark, str(tmp_path / "in"), max_body_bytes=CAP, chunk_lines=3
        )
    )
    cut = {str(cut_gzip), str(cut_zstd)}
    for name in TABLE_NAMES:
        mine = [row for row in got[name] if row["source_file"] not in cut]
        assert _in_line_order(mine) == _in_line_order(expected[name]), name
    assert [
        row for row in got["balances"] + got["vendor_errors"] if row["source_file"] in cut
    ] == []
    unreadable = sorted(
        (row for row in got["rejects"] if row["source_file"] in cut),
        key=lambda row: row["source_file"],
    )
    assert [{key: row[key] for key in _unreadable_row(cut_gzip)} for row in unreadable] == [
        _unreadable_row(cut_gzip),
        _unreadable_row(cut_zstd),
    ]
    assert "read failed" in unreadable[0]["message"]


def test_a_file_gone_between_listing_and_reading_is_one_unreadable_row(
    spark: SparkSession, tmp_path: Path
) -> None:
    capture = tmp_path / "in" / "gone.jsonl.gz"
    raw = tmp_path / "in" / TOKEN / "gone.json"
    kept = tmp_path / "in" / "kept.jsonl"
    raw.parent.mkdir(parents=True)
    capture.write_bytes(gzip.compress(_several_chunks()))
    raw.write_bytes(b"{}")
    kept.write_bytes(_several_chunks())
    # Listed now, read when the DataFrames are.
    tables = normalize_spark.from_capture_files(spark, str(tmp_path / "in"), max_body_bytes=CAP)
    capture.unlink()
    raw.unlink()
    got = _spark_rows(tables)
    gone = sorted(
        (row for row in got["rejects"] if row["source_file"] in {str(capture), str(raw)}),
        key=lambda row: row["source_file"],
    )
    empty = hashlib.sha256(b"").hexdigest()
    assert [
        (row["source_file"], row["source_line"], row["error_class"], row["vendor"]) for row in gone
    ] == [(str(capture), None, "UnreadableInput", None), (str(raw), None, "UnreadableInput", TOKEN)]
    assert {row["body_sha256"] for row in gone} == {empty}
    assert all(row["source_file"] not in {str(capture), str(raw)} for row in got["balances"])
    assert _in_line_order(got["balances"]) == _in_line_order(
        _batch_function_rows([kept], CAP)["balances"]
    )


def _table_rows(batches: Any) -> dict[str, list[dict[str, Any]]]:
    """The executor function's batches (all columns of the three tables) as each table's
    rows."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for batch in batches:
        for row in batch.to_pylist():
            name = row.pop("_table")
            rows[name].append({key: row[key] for key in TABLES[name].names})
    return rows


def test_files_of_other_file_systems_are_read_through_pyarrow(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URI that is not a local file is opened by ``pyarrow.fs`` (here a scheme taken as
    ``file``), as stored: not decompressed by pyarrow, the capture reader telling gzip by
    its first bytes; a scheme pyarrow cannot reach is one UnreadableInput row."""
    monkeypatch.setitem(normalize_spark._SCHEMES, "elsewhere", "file")
    good = tmp_path / "in" / "a capture.jsonl.gz"
    good.parent.mkdir()
    good.write_bytes(gzip.compress(_several_chunks()))
    cut = tmp_path / "in" / "cut.jsonl.gz"
    cut.write_bytes(good.read_bytes()[:-100])

    def uri(path: Path) -> str:
        return "elsewhere://" + path.as_uri().removeprefix("file://")

    expected = _batch_function_rows([good], CAP)
    got = _table_rows(normalize_spark.file_batches(uri(good), max_body_bytes=CAP, chunk_lines=7))
    for name in TABLE_NAMES:
        assert [row.pop("source_file") for row in got[name]] == [f"elsewhere://{good}"] * len(
            got[name]
        )
        assert got[name] == [
            {key: value for key, value in row.items() if key != "source_file"}
            for row in expected[name]
        ], name
    got = _table_rows(normalize_spark.file_batches(uri(cut), max_body_bytes=CAP, chunk_lines=7))
    assert [
        (row["source_file"], row["error_class"], row["body_sha256"]) for row in got["rejects"]
    ] == [(f"elsewhere://{cut}", "UnreadableInput", hashlib.sha256(cut.read_bytes()).hexdigest())]
    assert got["balances"] == []
    got = _table_rows(normalize_spark.file_batches("nowhere://host/x/a%20b.jsonl"))
    assert [
        (row["source_file"], row["source_line"], row["error_class"]) for row in got["rejects"]
    ] == [("nowhere://host/x/a b.jsonl", None, "UnreadableInput")]
    assert "open failed" in got["rejects"][0]["message"]


def test_a_small_chunk_gives_the_rows_of_the_default_chunk(
    spark: SparkSession, tmp_path: Path
) -> None:
    inputs = write_inputs(tmp_path / "in", CAP)
    (tmp_path / "in" / "long.jsonl.zst").write_bytes(
        zstandard.ZstdCompressor().compress(_several_chunks())
    )
    inputs.append(tmp_path / "in" / "long.jsonl.zst")
    paths = [str(path) for path in inputs]
    default = _spark_rows(normalize_spark.from_capture_files(spark, paths, max_body_bytes=CAP))
    # Spark itself never loads a file's content (it lists, the executors read), so a file
    # longer than binaryFile's limit is read too.
    spark.conf.set("spark.sql.sources.binaryFile.maxLength", "1024")
    try:
        small = _spark_rows(
            normalize_spark.from_capture_files(spark, paths, max_body_bytes=CAP, chunk_lines=2)
        )
    finally:
        spark.conf.unset("spark.sql.sources.binaryFile.maxLength")
    assert len(default["balances"]) > 0
    for name in TABLE_NAMES:
        assert _in_line_order(small[name]) == _in_line_order(default[name]), name
    expected = _batch_function_rows(inputs, CAP)
    for name in TABLE_NAMES:
        assert _in_line_order(default[name]) == _in_line_order(expected[name]), name


def test_chunk_lines_must_be_at_least_one(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="chunk_lines"):
        normalize_spark.from_capture_files(spark, str(tmp_path), chunk_lines=0)


def _large_capture(path: Path, target: int) -> tuple[int, int]:
    """A capture file of about ``target`` bytes uncompressed (answers with balances, and
    lines of 16 KB that are not JSON, each kept whole in its reject row); its size and line
    count."""
    body = (ROOT / "normalize/examples/token-io/BalanceSuccessful.json").read_text()
    good = json.dumps({"vendor": TOKEN, "body": body}).encode()
    bad = b"not json " + b"x" * 16_000
    lines = [good, bad] * (target // (len(good) + len(bad) + 2) + 1)
    data = b"\n".join(lines) + b"\n"
    path.write_bytes(gzip.compress(data, compresslevel=1) if path.suffix == ".gz" else data)
    return len(data), len(lines)


@pytest.mark.parametrize("name", ["large.jsonl", "large.jsonl.gz"])
def test_a_capture_file_larger_than_a_chunk_is_read_in_bounded_memory(
    tmp_path: Path, name: str
) -> None:
    """The executor's function on a file of 24 MB (uncompressed) in chunks of 50 lines
    (800 KB): Python's and Arrow's peak stay far below the file, every line gives its rows."""
    warm = tmp_path / "warm.jsonl"  # the parsers' first use, outside the measure
    _large_capture(warm, 100_000)
    list(normalize_spark.file_batches(warm.as_uri(), max_body_bytes=CAP))
    path = tmp_path / name
    size, lines = _large_capture(path, 24 * 1024 * 1024)
    counts = dict.fromkeys(TABLE_NAMES, 0)
    arrow_peak = 0
    base = pa.total_allocated_bytes()
    tracemalloc.start()
    try:
        for batch in normalize_spark.file_batches(
            path.as_uri(), max_body_bytes=CAP, chunk_lines=50
        ):
            arrow_peak = max(arrow_peak, pa.total_allocated_bytes() - base)
            counts[batch.column("_table")[0].as_py()] += batch.num_rows
            del batch
        python_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Two balances in each answer, one reject for each line that is not JSON.
    assert counts == {"balances": lines, "rejects": lines // 2, "vendor_errors": 0}
    assert python_peak < size // 4, (python_peak, size)
    assert arrow_peak < size // 4, (arrow_peak, size)


def test_the_executors_run_the_interpreter_of_the_tests(spark: SparkSession) -> None:
    def interpreter(batches: Any) -> Any:
        import sys

        for batch in batches:
            yield pa.record_batch([pa.array([sys.executable] * batch.num_rows)], names=["python"])

    found = spark.range(4, numPartitions=2).mapInArrow(interpreter, "python string").collect()
    assert {row["python"] for row in found} == {sys.executable}
