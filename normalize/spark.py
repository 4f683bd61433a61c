"""The batch job on Spark, for captures that outgrow one machine (extra ``spark``).

``from_capture_files(spark, paths)`` reads files as ``python -m normalize batch`` does
(``normalize._capture``: capture files by name, JSON Lines envelopes, plain, gzip or zstd;
any other file one raw response body of ``vendor`` or of its folder). Spark lists the files
on the driver (paths, folders read recursively, globs, as ``spark.read`` takes them) and
never loads their content; the files are spread round robin over at most
``spark.sql.shuffle.partitions`` tasks, and the executor running a file's task opens and
reads it: a local path or ``file:`` URI directly, any other URI through ``pyarrow.fs``
(``FileSystem.from_uri``), so ``hdfs://`` (libhdfs and a Hadoop client on the executors),
``s3://`` (Hadoop's ``s3a://`` and ``s3n://`` read as ``s3://``, with pyarrow's own S3
credentials: the environment, the AWS config files or the instance's role, not Hadoop's
``fs.s3a.*`` settings), ``gs://`` and the other file systems pyarrow reaches. A file is
read as stored (never decompressed by pyarrow: the capture reader tells gzip and zstd by
the first bytes). A capture file is read by the batch job's line reader in chunks of
``chunk_lines`` lines (a line longer than ``max_body_bytes`` is only hashed, never held);
a raw file whole up to the cap, and over it only its size and SHA-256, hashed as it
streams by.

A file is all in or all out. One that cannot be read whole (a cut or corrupt gzip or zstd
stream, a read error, a file gone or no longer a regular file between the listing and the
reading, a file system pyarrow cannot reach) never fails the job: none of its lines is in
the tables, and it is exactly one ``rejects`` row, ``error_class`` ``UnreadableInput``,
with no line number and no body, its ``body_sha256`` that of the bytes that could be read
(past a decompression error, the whole file's) and its ``message`` saying why. A cut is
found only at the end of the stream, after the earlier chunks have been converted, so a
capture file's rows are held until its end has been read: the first chunk's in memory,
from the second chunk on all of them in an Arrow stream in an unnamed temporary file on the
executor's local disk (``SPARK_LOCAL_DIRS``, that is ``spark.local.dir``); they go to Spark
once the file has been read to its end, and are dropped if it cannot be. The file is read
once: a first pass that only checks the stream would read every file twice (a remote one
twice over the network), and a file that changed between the two passes could still give
rows and then fail. Memory stays bounded by a chunk (its lines and its rows), whatever the
size of the file; the local disk holds, for each running task, the rows of one file (its
refused lines, kept whole in their reject rows, and a small row for each balance).

``from_envelopes(df)`` takes a DataFrame with the envelope's columns (``vendor``, ``body``
or ``body_base64``, and optionally ``content_type``, ``operation``, ``status``,
``trace_id``, ``captured_at``, ``id``, ``request``, ``source_file``, ``source_line``); each
row is checked by the same validator as a capture line, with the same error classes. Both
return ``Tables(balances, rejects, vendor_errors)``: DataFrames with the batch tables'
columns (``normalize.batch._schema``), made by ``mapInArrow`` running the same
per-response function as ``python -m normalize batch`` on the executors, so the rows are
the same. Spark has no dictionary type: those columns are plain strings.

What a DataFrame row cannot carry, and a capture line can: an absent key apart from a null
one (a null is read as absent, so ``"status": null`` is no status there, where a capture
line refuses it), a key of its own (a column the envelope does not have refuses the call),
duplicate keys, a line that is not JSON, and its line number unless given as
``source_line``.

The three DataFrames come from one pass over the input: its result is persisted (call
``Tables.unpersist()`` when done). The executors need the library with its ``spark``
extra: ``PYSPARK_PYTHON`` names their interpreter (one where it is installed, or a packed
environment shipped with ``spark.archives``).
"""

from __future__ import annotations

import os
import tempfile
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

import attrs

from ._capture import (
    EMPTY_SHA256,
    HashingStream,
    Unreadable,
    folder_vendor,
    is_capture,
    open_regular,
    stream_body,
    stream_capture,
)
from ._envelope import DEFAULT_MAX_BODY_BYTES, LINE_KEYS
from ._errors import MissingExtra

try:
    import pyarrow as pa
    import pyarrow.fs as pafs
    from pyspark.sql import DataFrame, SparkSession, functions
    from pyspark.sql.pandas.types import from_arrow_schema
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise MissingExtra("spark", (exc.name or "pyspark").split(".")[0]) from None

from .batch._convert import Converted, Rows, convert, convert_envelopes
from .batch._schema import TABLES, plain

if TYPE_CHECKING:
    from pyspark import StorageLevel

__all__ = ["Tables", "from_capture_files", "from_envelopes"]

_TABLE = "_table"
_CHUNK = 5_000
# Capture lines converted at a time: what an executor holds of a file.
DEFAULT_CHUNK_LINES = _CHUNK
# Tasks the files are spread over when spark.sql.shuffle.partitions does not say.
_DEFAULT_TASKS = 200


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


def _source_file(uri: str) -> str:
    """The name a listed file's rows give it: a local file its path (as the batch job names
    it), any other file its URI, both with the listing's percent escapes decoded."""
    parts = urllib.parse.urlsplit(uri)
    path = urllib.parse.unquote(parts.path)
    if parts.scheme in ("", "file"):
        return path
    return f"{parts.scheme}://{parts.netloc}{path}"


# Hadoop's names for S3, which pyarrow reads as s3.
_SCHEMES = {"s3a": "s3", "s3n": "s3"}


def _open(uri: str, source_file: str) -> Any:
    """A listed file opened for reading, not decompressed (the capture reader tells gzip and
    zstd by the first bytes): a local file directly, any other through ``pyarrow.fs``.
    Unreadable when it is gone, is not a regular file, or cannot be reached or opened."""
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme in ("", "file"):
        return open_regular(source_file)
    scheme = _SCHEMES.get(parts.scheme, parts.scheme)
    path = urllib.parse.quote(urllib.parse.unquote(parts.path), safe="/")
    try:
        filesystem, inner = pafs.FileSystem.from_uri(f"{scheme}://{parts.netloc}{path}")
        kind = filesystem.get_file_info(inner).type
        if kind == pafs.FileType.NotFound:
            raise Unreadable(source_file, "no such file")
        if kind != pafs.FileType.File:
            raise Unreadable(source_file, "not a regular file")
        return filesystem.open_input_stream(inner, compression=None)
    except (OSError, pa.ArrowException) as exc:
        raise Unreadable(source_file, f"open failed: {exc}") from None


def _spill_folder() -> str | None:
    # Spark gives its Python workers the executor's local folders (spark.local.dir).
    return os.environ.get("SPARK_LOCAL_DIRS", "").split(",")[0] or None


class _Held:
    """The rows of one capture file, held until the file is known to be whole: the first
    chunk's in memory, from the second chunk on all of them in an Arrow stream in a
    temporary file on the executor's local disk (unnamed: gone when closed, or when the
    worker ends however it ends)."""

    def __init__(self) -> None:
        self._chunks = 0
        self._memory: list[pa.RecordBatch] = []
        self._file: IO[bytes] | None = None
        self._writer: Any = None

    def add(self, converted: Converted) -> None:
        self._chunks += 1
        if self._chunks == 1:
            self._memory = list(_union_batch(converted))
            return
        if self._writer is None:
            self._file = tempfile.TemporaryFile(dir=_spill_folder())  # noqa: SIM115 - closed by close()
            self._writer = pa.ipc.new_stream(self._file, UNION)
            for batch in self._memory:
                self._writer.write_batch(batch)
            self._memory = []
        for batch in _union_batch(converted):
            self._writer.write_batch(batch)

    def replay(self) -> Iterator[pa.RecordBatch]:
        """The rows held, in input order, one record batch at a time."""
        yield from self._memory
        self._memory = []
        if self._file is not None:
            self._writer.close()
            self._file.seek(0)
            yield from pa.ipc.open_stream(self._file)

    def close(self) -> None:
        self._memory = []
        if self._file is not None:
            self._file.close()


def _unreadable(
    error: Unreadable, vendor: str | None, sha256: str, cap: int
) -> Iterator[pa.RecordBatch]:
    rows = Rows(cap)
    rows.unreadable(error, vendor, sha256)
    return _union_batch(Converted(*rows.batches(), rows.counts))


def file_batches(
    uri: str,
    vendor: str | None = None,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    chunk_lines: int = DEFAULT_CHUNK_LINES,
) -> Iterator[pa.RecordBatch]:
    """The rows of one listed file (``mapInArrow``'s schema, ``UNION``), read on the executor
    by the one file rule: a capture file in chunks of ``chunk_lines`` lines, its rows
    given only once the whole file has been read; a raw body whole (over the cap, hashed as
    it streams by). A file that cannot be read whole gives one ``UnreadableInput`` row and
    nothing else; no error of a file is raised."""
    source_file = _source_file(uri)
    capture = is_capture(source_file.rsplit("/", 1)[-1])
    file_vendor = None if capture else (vendor or folder_vendor(source_file))
    try:
        opened = _open(uri, source_file)
    except Unreadable as exc:
        yield from _unreadable(exc, file_vendor, EMPTY_SHA256, max_body_bytes)
        return
    if capture:
        yield from _capture_batches(source_file, opened, max_body_bytes, chunk_lines)
        return
    source = HashingStream(opened)
    try:
        with opened:
            raw = stream_body(source_file, file_vendor, source, max_bytes=max_body_bytes)
    except Unreadable as exc:
        yield from _unreadable(exc, file_vendor, source.sha256(), max_body_bytes)
        return
    yield from _union_batch(convert([raw], max_body_bytes))


def _capture_batches(
    source_file: str, opened: Any, max_body_bytes: int, chunk_lines: int
) -> Iterator[pa.RecordBatch]:
    """A capture file's rows once it has been read to its end; if it cannot be, only its
    ``UnreadableInput`` row.

    Each chunk is converted from a list of its lines that is emptied once converted: a line
    refused as an InvalidEnvelope leaves a reference cycle (the error's traceback holds the
    frame that read the chunk), which only Python's cycle collector frees, at its own pace,
    and the chunk's lines must not wait for it."""
    held = _Held()
    try:
        source = HashingStream(opened)
        try:
            with opened:
                for chunk in stream_capture(
                    source_file, source, max_bytes=max_body_bytes, chunk_lines=chunk_lines
                ):
                    lines = list(chunk.lines)
                    held.add(convert(attrs.evolve(chunk, lines=lines), max_body_bytes))
                    lines.clear()  # not left to the cycle collector (above)
        except Unreadable as exc:
            yield from _unreadable(exc, None, source.sha256(), max_body_bytes)
            return
        yield from held.replay()
    finally:
        held.close()


def from_capture_files(
    spark: SparkSession,
    paths: str | Sequence[str],
    *,
    vendor: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    chunk_lines: int = DEFAULT_CHUNK_LINES,
    storage: StorageLevel | None = None,
) -> Tables:
    """The batch tables of files read as ``python -m normalize batch`` reads them: capture
    files by name, read on the executors in chunks of ``chunk_lines`` lines, any other file
    one raw response body of ``vendor`` or of its folder. Spark lists the files (paths,
    folders read recursively, globs) without loading them; the executors open them, a local
    file directly and any other URI through ``pyarrow.fs`` (``hdfs://``, ``s3://``, Hadoop's
    ``s3a://`` read as ``s3://`` with pyarrow's own credentials, ``gs://``: wherever
    pyarrow can reach them from the executors). A file that cannot be read whole gives none
    of its lines and one ``UnreadableInput`` reject row, never a failed job. ValueError when
    ``chunk_lines`` is below 1."""
    if chunk_lines < 1:
        raise ValueError(f"chunk_lines must be at least 1, not {chunk_lines}")
    listed = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load([paths] if isinstance(paths, str) else list(paths))
        .inputFiles()
    )
    files = spark.createDataFrame(pa.table({"path": pa.array(listed, pa.string())}))
    tasks = max(1, min(len(listed), _shuffle_partitions(spark)))

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for uri in batch.column("path").to_pylist():
                yield from file_batches(
                    uri, vendor, max_body_bytes=max_body_bytes, chunk_lines=chunk_lines
                )

    schema = from_arrow_schema(UNION)
    return _split(files.repartition(tasks).mapInArrow(run, schema), storage)


def _shuffle_partitions(spark: SparkSession) -> int:
    try:
        return int(spark.conf.get("spark.sql.shuffle.partitions") or _DEFAULT_TASKS)
    except ValueError:
        return _DEFAULT_TASKS


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
