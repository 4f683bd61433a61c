"""The batch job's tasks, run in its worker processes (or in the main process with
``--jobs 1``): each reads its own piece of the input, converts it with ``convert`` and
writes the rows to Parquet part files of its own in the run's partial folder. The main
process only plans tasks and keeps the books.

Tasks:

- ``RangeTask``: the lines of a plain capture file between two line boundaries (the main
  process finds them and numbers the first line), so one large file is read by many
  workers at once;
- ``StreamTask``: a gzip or zstd capture file, whole (a compressed stream is read from its
  start); if it turns out cut or corrupt, its part files are removed and it is reported
  unreadable, so none of its lines is used;
- ``RawTask``: raw response files, each one response;
- ``HashTask``: the SHA-256 of a plain capture file (the range tasks do not see it whole).

A part file holds one table's rows of one task (of one partition, when the dataset is
partitioned) with the stored schema (``load_id`` last) and the run's key-value metadata.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import io
import os
import time
import urllib.parse
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq

from .._capture import (
    CaptureChunk,
    InputFile,
    Unreadable,
    capture_lines,
    chunked,
    read_capture,
    read_raw,
)
from ._convert import Converted, convert
from ._schema import LOAD_ID, STORED

# Rows held per task before they are written as row groups (all tables and partitions).
FLUSH_ROWS = 16_384
# Part files a task keeps open at once (a partitioned dataset may have many partitions).
MAX_OPEN = 64
# The hive partition value of a null.
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
PARTITION_KEYS = ("vendor", "as_of")
_BLOCK = 1 << 20
_LONGEST_SEGMENT = 200  # bytes; file systems allow 255 for "vendor=" and the value
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


@attrs.frozen
class Setup:
    """What every task of a run shares."""

    partial: str
    parent: int  # the run's main process
    load_id: str
    max_bytes: int
    chunk_lines: int
    partition_by: tuple[str, ...]
    metadata: dict[bytes, bytes]


@attrs.frozen
class RangeTask:
    number: int
    file: int
    path: str
    start: int
    end: int
    first_line: int


@attrs.frozen
class StreamTask:
    number: int
    file: int
    path: str


@attrs.frozen
class RawTask:
    number: int
    files: tuple[tuple[int, str, str | None], ...]  # (file index, path, vendor)


@attrs.frozen
class HashTask:
    number: int
    files: tuple[tuple[int, str, int], ...]  # (file index, path, size)


Task = RangeTask | StreamTask | RawTask | HashTask


@attrs.frozen
class FileRead:
    """What a task read of one input file (a range task: of its range only)."""

    index: int
    sha256: str | None = None
    bytes: int = 0
    lines: int = 0
    responses: int = 0
    unreadable: str | None = None


@attrs.frozen(order=True)
class PartFile:
    """One part file, ordered as the rows it holds came in the input."""

    task: int
    sequence: int
    table: str
    path: str  # relative to the partial folder: <table>/[<partition>/]part-....parquet
    rows: int


@attrs.frozen
class Done:
    """A finished task: what it read, the part files it wrote, its counts, the input bytes
    it covered (for progress) and the CPU seconds it took."""

    task: int
    files: tuple[FileRead, ...]
    parts: tuple[PartFile, ...]
    counts: dict[str, int]
    input_bytes: int
    cpu_seconds: float


def _hive(value: str | None) -> str:
    """A partition value as a path segment: null as Hive's default partition; anything but
    letters, digits, ``-``, ``_`` and ``.`` percent-encoded (as Hive does)."""
    if value is None or value == "":
        return HIVE_NULL
    if all(char in _SAFE for char in value) and value not in (".", ".."):
        segment = value
    else:
        segment = urllib.parse.quote(value, safe="")
    # A value no folder name can hold (a hostile vendor id) is stored under the null
    # partition rather than failing the run: its row keeps the value in its message.
    return segment if len(segment.encode()) <= _LONGEST_SEGMENT else HIVE_NULL


def partition_columns(table: str, partition_by: tuple[str, ...]) -> tuple[str, ...]:
    """The hive partition columns of a stored table: ``vendor`` (every table) and
    ``as_of_date`` (balances only: the others have no ``as_of``), in that order."""
    columns = []
    if "vendor" in partition_by:
        columns.append("vendor")
    if "as_of" in partition_by and table == "balances":
        columns.append("as_of_date")
    return tuple(columns)


def file_schema(
    table: str, partition_by: tuple[str, ...], metadata: dict[bytes, bytes]
) -> pa.Schema:
    """The schema of a table's part files: the stored schema without the partition columns
    the path holds (``vendor``; ``as_of_date`` is no column), with the run's metadata."""
    schema = STORED[table]
    if "vendor" in partition_columns(table, partition_by):
        schema = schema.remove(schema.get_field_index("vendor"))
    return schema.with_metadata(metadata)


def _partition_values(
    table: str, batch: pa.RecordBatch, partition_by: tuple[str, ...]
) -> list[str]:
    """Each row's partition folder (``vendor=X/as_of_date=YYYY-MM-DD``)."""
    columns = partition_columns(table, partition_by)
    parts: list[list[str]] = []
    for column in columns:
        if column == "vendor":
            values = batch.column("vendor").to_pylist()
            parts.append([f"vendor={_hive(value)}" for value in values])
        else:
            moments = batch.column("as_of").to_pylist()
            parts.append(
                [
                    f"as_of_date={_hive(None if at is None else at.date().isoformat())}"
                    for at in moments
                ]
            )
    return ["/".join(row) for row in zip(*parts, strict=True)]


def _orphaned(setup: Setup) -> bool:
    """Whether this is a worker process whose run is gone (kill -9 of the run leaves its
    workers running): the next run may have removed the partial folder, and nothing will
    read what the task writes."""
    return os.getpid() != setup.parent and os.getppid() != setup.parent


def _folders(partial: Path, folder: Path) -> None:
    """``folder`` and the folders between it and the partial folder, never the partial
    folder itself (FileNotFoundError when it is gone: removed by the next run, as that of a
    dead run)."""
    if folder == partial or folder.is_dir():
        return
    _folders(partial, folder.parent)
    with contextlib.suppress(FileExistsError):
        folder.mkdir()


class Parts:
    """The part files of one task."""

    def __init__(self, setup: Setup, task: int) -> None:
        self.setup = setup
        self.task = task
        self.buffers: dict[tuple[str, str], list[pa.RecordBatch]] = collections.defaultdict(list)
        self.buffered = 0
        self.open: collections.OrderedDict[tuple[str, str], tuple[pq.ParquetWriter, str, list[int]]]
        self.open = collections.OrderedDict()
        self.closed: list[PartFile] = []
        self.sequence = 0
        self.schemas = {
            name: file_schema(name, setup.partition_by, setup.metadata) for name in STORED
        }

    def add(self, converted: Converted) -> None:
        load_id = self.setup.load_id
        for name, batch in (
            ("balances", converted.balances),
            ("rejects", converted.rejects),
            ("vendor_errors", converted.vendor_errors),
        ):
            rows = batch.num_rows
            if not rows:
                continue
            batch = batch.append_column(LOAD_ID, pa.array([load_id] * rows, pa.string()))
            if not partition_columns(name, self.setup.partition_by):
                self.buffers[(name, "")].append(batch)
            else:
                groups: dict[str, list[int]] = collections.defaultdict(list)
                for row, folder in enumerate(
                    _partition_values(name, batch, self.setup.partition_by)
                ):
                    groups[folder].append(row)
                for folder, rows_of in groups.items():
                    self.buffers[(name, folder)].append(batch.take(pa.array(rows_of)))
            self.buffered += rows
        if self.buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.buffers and _orphaned(self.setup):
            os._exit(1)  # its run was killed: write nothing more
        for key, batches in self.buffers.items():
            name = key[0]
            schema = self.schemas[name]
            table = pa.Table.from_batches(batches).select(schema.names).cast(schema)
            writer, _, rows = self._writer(key)
            writer.write_table(table)
            rows[0] += table.num_rows
        self.buffers.clear()
        self.buffered = 0

    def _writer(self, key: tuple[str, str]) -> tuple[pq.ParquetWriter, str, list[int]]:
        found = self.open.get(key)
        if found is not None:
            self.open.move_to_end(key)
            return found
        while len(self.open) >= MAX_OPEN:
            self._close(next(iter(self.open)))
        name, folder = key
        self.sequence += 1
        relative = "/".join(
            part
            for part in (
                name,
                folder,
                f"part-{self.setup.load_id}-{self.task:06d}-{self.sequence:04d}.parquet",
            )
            if part
        )
        path = Path(self.setup.partial) / relative
        _folders(Path(self.setup.partial), path.parent)
        writer = pq.ParquetWriter(path, self.schemas[name], compression="zstd")
        found = (writer, relative, [0])
        self.open[key] = found
        return found

    def _close(self, key: tuple[str, str]) -> None:
        writer, relative, rows = self.open.pop(key)
        sequence = int(relative.rsplit("-", 1)[1].split(".")[0])
        writer.close()
        self.closed.append(
            PartFile(task=self.task, sequence=sequence, table=key[0], path=relative, rows=rows[0])
        )

    def close(self) -> tuple[PartFile, ...]:
        self.flush()
        while self.open:
            self._close(next(iter(self.open)))
        return tuple(self.closed)

    def discard(self) -> None:
        """Remove every part file of the task (its input turned out unreadable, or the task
        failed)."""
        paths = [part.path for part in self.closed]
        for writer, relative, _ in self.open.values():
            with contextlib.suppress(Exception):
                writer.close()
            paths.append(relative)
        self.open.clear()
        self.closed.clear()
        self.buffers.clear()
        for relative in paths:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(Path(self.setup.partial) / relative)


class _Range(io.RawIOBase):
    """``size`` bytes of a file from its current position; Unreadable when it ends first."""

    def __init__(self, raw: io.FileIO, path: str, size: int) -> None:
        self.raw = raw
        self.path = path
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self.left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self.left)]
        try:
            count = self.raw.readinto(view) or 0
        except OSError as exc:  # only reading: a failed write is the run's to report
            raise Unreadable(self.path, f"read failed: {exc.strerror or exc}") from None
        if count == 0:
            raise Unreadable(self.path, "the file got shorter while it was read")
        self.left -= count
        return count


def _add_counts(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def _range(task: RangeTask, setup: Setup, parts: Parts, counts: dict[str, int]) -> FileRead:
    lines = 0
    try:
        raw = open(task.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        raw.seek(task.start)
    except OSError as exc:
        raise Unreadable(task.path, f"read failed: {exc.strerror or exc}") from None
    with raw:
        stream = io.BufferedReader(_Range(raw, task.path, task.end - task.start), _BLOCK)
        for chunk in chunked(
            task.path, capture_lines(stream, max_bytes=setup.max_bytes), setup.chunk_lines
        ):
            numbered = CaptureChunk(
                chunk.source_file, chunk.first_line + task.first_line - 1, chunk.lines
            )
            lines += len(chunk.lines)
            converted = convert(numbered, setup.max_bytes)
            parts.add(converted)
            _add_counts(counts, converted.counts)
    return FileRead(
        index=task.file, bytes=task.end - task.start, lines=lines, responses=counts["responses"]
    )


def _stream(task: StreamTask, setup: Setup, parts: Parts, counts: dict[str, int]) -> FileRead:
    entry = InputFile(path=task.path, kind="capture")
    for chunk in read_capture(entry, max_bytes=setup.max_bytes, chunk_lines=setup.chunk_lines):
        converted = convert(chunk, setup.max_bytes)
        parts.add(converted)
        _add_counts(counts, converted.counts)
    return FileRead(
        index=task.file,
        sha256=entry.sha256,
        bytes=entry.bytes,
        lines=entry.lines,
        responses=counts["responses"],
    )


def _raw(task: RawTask, setup: Setup, parts: Parts, counts: dict[str, int]) -> list[FileRead]:
    reads: list[FileRead] = []
    bodies = []
    for index, path, vendor in task.files:
        entry = InputFile(path=path, kind="raw", vendor=vendor)
        try:
            bodies.append(read_raw(entry, max_bytes=setup.max_bytes))
        except Unreadable as exc:
            reads.append(FileRead(index=index, unreadable=exc.reason))
            continue
        reads.append(FileRead(index=index, sha256=entry.sha256, bytes=entry.bytes, responses=1))
    if bodies:
        converted = convert(bodies, setup.max_bytes)
        parts.add(converted)
        _add_counts(counts, converted.counts)
    return reads


def hash_file(path: str, size: int) -> str:
    """The SHA-256 of a file's first ``size`` bytes; Unreadable when it is shorter."""
    sha = hashlib.sha256()
    left = size
    try:
        with open(path, "rb", buffering=0) as file:
            while left > 0:
                block = file.read(min(_BLOCK, left))
                if not block:
                    raise Unreadable(path, "the file got shorter while it was read")
                sha.update(block)
                left -= len(block)
    except OSError as exc:
        raise Unreadable(path, f"read failed: {exc.strerror or exc}") from None
    return sha.hexdigest()


def run_task(task: Task, setup: Setup) -> Done:
    """Run one task (in a worker process, or in the main process with ``--jobs 1``)."""
    started = time.process_time()
    counts: dict[str, int] = collections.defaultdict(int)
    if isinstance(task, HashTask):
        hashed = []
        for index, path, size in task.files:
            try:
                hashed.append(FileRead(index=index, sha256=hash_file(path, size), bytes=size))
            except Unreadable as exc:
                hashed.append(FileRead(index=index, unreadable=exc.reason))
        return Done(task.number, tuple(hashed), (), {}, 0, time.process_time() - started)
    parts = Parts(setup, task.number)
    covered = 0
    try:
        if isinstance(task, RawTask):
            reads = tuple(_raw(task, setup, parts, counts))
            covered = sum(read.bytes for read in reads)
        else:
            try:
                one = (
                    _range(task, setup, parts, counts)
                    if isinstance(task, RangeTask)
                    else _stream(task, setup, parts, counts)
                )
            except Unreadable as exc:
                parts.discard()
                return Done(
                    task.number,
                    (FileRead(index=task.file, unreadable=exc.reason),),
                    (),
                    {},
                    0,
                    time.process_time() - started,
                )
            reads = (one,)
            covered = one.bytes
        written = parts.close()
    except BaseException:
        parts.discard()
        raise
    return Done(task.number, reads, written, dict(counts), covered, time.process_time() - started)


def empty_part(setup: Setup, table: str) -> PartFile:
    """A part file with no rows, for a table the run gave none (so a glob over the table's
    folder always finds a file and its schema): in the all-null partition when partitioned."""
    folder = "/".join(
        f"{column}={HIVE_NULL}" for column in partition_columns(table, setup.partition_by)
    )
    relative = "/".join(
        part for part in (table, folder, f"part-{setup.load_id}-empty.parquet") if part
    )
    path = Path(setup.partial) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = file_schema(table, setup.partition_by, setup.metadata)
    pq.write_table(schema.empty_table(), path, compression="zstd")
    return PartFile(task=0, sequence=0, table=table, path=relative, rows=0)
