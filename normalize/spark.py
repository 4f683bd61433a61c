"""The batch job on Spark, for captures that outgrow one machine (extra ``spark``).

``from_capture_files(spark, paths)`` reads capture files (JSON Lines envelopes, plain, gzip
or zstd; each file whole on one executor) and ``from_envelopes(df)`` takes a DataFrame with
the envelope's columns (``vendor``, ``body``, and optionally ``content_type``,
``operation``, ``status``, ``trace_id``, ``captured_at``, ``id``, ``source_file``,
``source_line``). Both return ``Tables(balances, rejects, vendor_errors)``: DataFrames
with the batch tables' columns (``normalize.batch._schema``), made by ``mapInArrow``
running the same per-response function as ``python -m normalize batch`` on the executors,
so the rows are the same. Spark has no dictionary type: those columns are plain strings.

The three DataFrames come from one pass over the input: its result is persisted (call
``Tables.unpersist()`` when done).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .batch._errors import MissingExtra
from .batch._read import ZstdFrames

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession, functions
    from pyspark.sql.pandas.types import from_arrow_schema
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise MissingExtra("spark", (exc.name or "pyspark").split(".")[0]) from None

from .batch._convert import (
    CaptureChunk,
    Converted,
    Oversized,
    convert,
    convert_envelopes,
)
from .batch._schema import TABLES, plain

if TYPE_CHECKING:
    from pyspark import StorageLevel

__all__ = ["Tables", "from_capture_files", "from_envelopes"]

_TABLE = "_table"
_CHUNK = 5_000
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


def _spark_type(arrow_type: pa.DataType) -> pa.DataType:
    # Spark reads binary, not large_binary.
    return pa.binary() if pa.types.is_large_binary(arrow_type) else arrow_type


def _union_schema() -> pa.Schema:
    """All columns of the three tables by name (nullable: a row holds one table's)."""
    fields: dict[str, pa.Field] = {}
    for schema in TABLES.values():
        for field in plain(schema):
            arrow_type = _spark_type(field.type)
            known = fields.get(field.name)
            if known is not None and known.type != arrow_type:
                raise TypeError(f"column {field.name} has two types: {known.type}, {arrow_type}")
            fields[field.name] = pa.field(field.name, arrow_type, nullable=True)
    return pa.schema([pa.field(_TABLE, pa.string(), nullable=False), *fields.values()])


UNION = _union_schema()


def _union_batch(converted: Converted) -> Iterator[pa.RecordBatch]:
    for name, batch in (
        ("balances", converted.balances),
        ("rejects", converted.rejects),
        ("vendor_errors", converted.vendor_errors),
    ):
        rows = batch.num_rows
        if not rows:
            continue
        columns = []
        for field in UNION:
            if field.name == _TABLE:
                columns.append(pa.array([name] * rows, pa.string()))
            elif field.name in batch.schema.names:
                columns.append(batch.column(field.name).cast(field.type))
            else:
                columns.append(pa.nulls(rows, field.type))
        yield pa.record_batch(columns, schema=UNION)


class Tables(NamedTuple):
    balances: DataFrame
    rejects: DataFrame
    vendor_errors: DataFrame
    mapped: DataFrame

    def unpersist(self) -> None:
        self.mapped.unpersist()


def _split(mapped: DataFrame, storage: StorageLevel | None) -> Tables:
    mapped = mapped.persist() if storage is None else mapped.persist(storage)
    frames = [
        mapped.filter(functions.col(_TABLE) == name).select(*plain(schema).names)
        for name, schema in TABLES.items()
    ]
    return Tables(frames[0], frames[1], frames[2], mapped)


def _file_chunks(path: str, content: bytes, max_bytes: int) -> Iterator[CaptureChunk]:
    if content.startswith(b"\x1f\x8b"):
        content = gzip.decompress(content)
    elif content.startswith(b"\x28\xb5\x2f\xfd"):
        content = io.BufferedReader(ZstdFrames(io.BytesIO(content))).read()
    lines: list[bytes | Oversized] = []
    first = 1
    for line in io.BytesIO(content):
        if len(line.rstrip(b"\r\n")) > max_bytes:
            import hashlib

            stripped = line[:-1] if line.endswith(b"\n") else line
            lines.append(Oversized(len(stripped), hashlib.sha256(stripped).hexdigest()))
        else:
            lines.append(line)
        if len(lines) >= _CHUNK:
            yield CaptureChunk(path, first, lines)
            first += len(lines)
            lines = []
    if lines:
        yield CaptureChunk(path, first, lines)


def _local_path(path: str) -> str:
    # binaryFile names local files "file:/tmp/x.jsonl"; the batch job names them "/tmp/x.jsonl".
    return path[len("file:") :] if path.startswith("file:/") else path


def from_capture_files(
    spark: SparkSession,
    paths: str | Sequence[str],
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    storage: StorageLevel | None = None,
) -> Tables:
    """The batch tables of capture files (each read whole by one task)."""
    files = spark.read.format("binaryFile").load([paths] if isinstance(paths, str) else list(paths))

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for row in batch.select(["path", "content"]).to_pylist():
                for chunk in _file_chunks(_local_path(row["path"]), row["content"], max_body_bytes):
                    yield from _union_batch(convert(chunk))

    schema = from_arrow_schema(UNION)
    return _split(files.select("path", "content").mapInArrow(run, schema), storage)


_ENVELOPE_COLUMNS = (
    "vendor",
    "body",
    "content_type",
    "operation",
    "status",
    "trace_id",
    "captured_at",
    "id",
    "source_file",
    "source_line",
)


def from_envelopes(envelopes: DataFrame, *, storage: StorageLevel | None = None) -> Tables:
    """The batch tables of a DataFrame of envelopes (``captured_at`` a timestamp or an RFC
    3339 string); a column it lacks is taken as null."""
    present = set(envelopes.columns)
    for required in ("vendor", "body"):
        if required not in present:
            raise ValueError(f"the envelope DataFrame has no {required!r} column")
    selected = envelopes.select(
        *[
            functions.col(name) if name in present else functions.lit(None).alias(name)
            for name in _ENVELOPE_COLUMNS
        ]
    )

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows: list[dict[str, Any]] = batch.to_pylist()
            for start in range(0, len(rows), _CHUNK):
                yield from _union_batch(convert_envelopes(rows[start : start + _CHUNK]))

    schema = from_arrow_schema(UNION)
    return _split(selected.mapInArrow(run, schema), storage)
