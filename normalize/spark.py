"""The batch job on Spark, for captures that outgrow one machine (extra ``spark``).

``from_capture_files(spark, paths)`` reads files as ``python -m normalize batch`` does
(``normalize._capture``: capture files by name, JSON Lines envelopes, plain, gzip or zstd,
each file whole on one executor; any other file one raw response body of ``vendor`` or of
its folder). ``from_envelopes(df)`` takes a DataFrame with the envelope's columns
(``vendor``, ``body`` or ``body_base64``, and optionally ``content_type``, ``operation``,
``status``, ``trace_id``, ``captured_at``, ``id``, ``request``, ``source_file``,
``source_line``); each row is checked by the same validator as a capture line, with the same
error classes. Both return ``Tables(balances, rejects, vendor_errors)``: DataFrames with the
batch tables' columns (``normalize.batch._schema``), made by ``mapInArrow`` running the same
per-response function as ``python -m normalize batch`` on the executors, so the rows are
the same. Spark has no dictionary type: those columns are plain strings.

What a DataFrame row cannot carry, and a capture line can: an absent key apart from a null
one (a null is read as absent, so ``"status": null`` is no status there, where a capture
line refuses it), a key of its own (a column the envelope does not have refuses the call),
duplicate keys, a line that is not JSON, and its line number unless given as
``source_line``. A file that cannot be read (a cut gzip stream) fails the Spark job: Spark
has no manifest to list it in.

The three DataFrames come from one pass over the input: its result is persisted (call
``Tables.unpersist()`` when done).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ._capture import RawFile, capture_chunks, folder_vendor, held, is_capture
from ._envelope import DEFAULT_MAX_BODY_BYTES, LINE_KEYS
from ._errors import MissingExtra

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession, functions
    from pyspark.sql.pandas.types import from_arrow_schema
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise MissingExtra("spark", (exc.name or "pyspark").split(".")[0]) from None

from .batch._convert import Converted, convert, convert_envelopes
from .batch._schema import TABLES, plain

if TYPE_CHECKING:
    from pyspark import StorageLevel

__all__ = ["Tables", "from_capture_files", "from_envelopes"]

_TABLE = "_table"
_CHUNK = 5_000


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


def _row(row: dict[str, Any]) -> dict[str, Any]:
    """A DataFrame row as an envelope mapping: a ``request`` map (a list of key-value pairs
    in Arrow) or struct as a dict."""
    request = row.get("request")
    if isinstance(request, list):
        request = dict(request)
    if isinstance(request, dict):
        # A struct column holds every row's keys; a null field is a key this row lacks.
        row["request"] = {key: value for key, value in request.items() if value is not None}
    return row


def _local_path(path: str) -> str:
    # binaryFile names local files "file:/tmp/x.jsonl"; the batch job names them "/tmp/x.jsonl".
    return path[len("file:") :] if path.startswith("file:/") else path


def from_capture_files(
    spark: SparkSession,
    paths: str | Sequence[str],
    *,
    vendor: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    storage: StorageLevel | None = None,
) -> Tables:
    """The batch tables of files read as ``python -m normalize batch`` reads them (each file
    whole by one task): capture files by name, any other file one raw response body of
    ``vendor`` or of its folder. Folders are read recursively."""
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load([paths] if isinstance(paths, str) else list(paths))
    )

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for row in batch.select(["path", "content"]).to_pylist():
                path = _local_path(row["path"])
                content: bytes = row["content"]
                if is_capture(path.rsplit("/", 1)[-1]):
                    for chunk in capture_chunks(
                        path, content, max_bytes=max_body_bytes, chunk_lines=_CHUNK
                    ):
                        yield from _union_batch(convert(chunk, max_body_bytes))
                else:
                    raw = RawFile(
                        path, vendor or folder_vendor(path), held(content, max_body_bytes)
                    )
                    yield from _union_batch(convert([raw], max_body_bytes))

    schema = from_arrow_schema(UNION)
    return _split(files.select("path", "content").mapInArrow(run, schema), storage)


_ENVELOPE_COLUMNS = (*LINE_KEYS, "source_file", "source_line")


def from_envelopes(
    envelopes: DataFrame,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    storage: StorageLevel | None = None,
) -> Tables:
    """The batch tables of a DataFrame of envelopes, one row each, checked as capture lines
    are (``captured_at`` a timestamp or an RFC 3339 string; ``request`` a map or struct of
    integers); a null, or a column the DataFrame lacks, is an absent key. ValueError when a
    column is not an envelope's, or neither ``vendor`` nor a body column is there."""
    present = list(envelopes.columns)
    unknown = [name for name in present if name not in _ENVELOPE_COLUMNS]
    if unknown:
        raise ValueError(
            f"the envelope DataFrame has columns no envelope has: {', '.join(unknown)} "
            f"(an envelope's: {', '.join(_ENVELOPE_COLUMNS)}); select the envelope's columns"
        )
    if "vendor" not in present or not {"body", "body_base64"} & set(present):
        raise ValueError("the envelope DataFrame needs a 'vendor' and a 'body' column")
    selected = envelopes.select(*present)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows: list[dict[str, Any]] = batch.to_pylist()
            for start in range(0, len(rows), _CHUNK):
                chunk = [_row(row) for row in rows[start : start + _CHUNK]]
                yield from _union_batch(convert_envelopes(chunk, max_body_bytes))

    schema = from_arrow_schema(UNION)
    return _split(selected.mapInArrow(run, schema), storage)
