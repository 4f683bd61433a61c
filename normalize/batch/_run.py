"""The batch job: inputs -> chunks -> the per-response function (in worker processes) ->
tables written in input order -> renamed into place -> manifest.json."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import attrs
import pyarrow as pa
import pyarrow.parquet as pq

from .._capture import (
    CaptureChunk,
    InputFile,
    RawFile,
    Unreadable,
    discover,
    read_capture,
    read_raw,
)
from .._envelope import DEFAULT_MAX_BODY_BYTES
from ._convert import LANDINGS, Converted, convert
from ._schema import TABLES
from ._specs import SPEC_VERSIONS

FORMATS = ("duckdb", "parquet")
DEFAULT_CHUNK = 5_000
DUCKDB_FILE = "balances.duckdb"
PARQUET_FILES = {name: f"{name}.parquet" for name in TABLES}
MANIFEST = "manifest.json"
# Where a run writes before renaming into place; a later run removes leftovers of a killed one.
PARTIAL_PREFIX = ".partial-"
# Row groups / DuckDB appends of about this many rows.
_FLUSH_ROWS = 65_536
_RAW_CHUNK = 1_000


@attrs.frozen
class Summary:
    """What a run did: the manifest as a dict, and whether every input was read."""

    manifest: dict[str, Any]
    unreadable: tuple[Unreadable, ...]

    @property
    def exit_code(self) -> int:
        return 1 if self.unreadable or self.manifest["internal_errors"] else 0


class _Sink:
    """Buffers record batches per table and writes them in order, on one writer thread:
    Parquet encoding and compression and DuckDB appends release the GIL, so writing one
    row group overlaps converting the next chunk. At most two writes are in flight."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pending: dict[str, list[pa.RecordBatch]] = {name: [] for name in TABLES}
        self.pending_rows = dict.fromkeys(TABLES, 0)
        self.rows = dict.fromkeys(TABLES, 0)
        self._writer = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="batch-writer"
        )
        self._in_flight: deque[concurrent.futures.Future[None]] = deque()

    def add(self, converted: Converted) -> None:
        for name, batch in (
            ("balances", converted.balances),
            ("rejects", converted.rejects),
            ("vendor_errors", converted.vendor_errors),
        ):
            if batch.num_rows:
                self.pending[name].append(batch)
                self.pending_rows[name] += batch.num_rows
                self.rows[name] += batch.num_rows
                if self.pending_rows[name] >= _FLUSH_ROWS:
                    self._flush(name)

    def _flush(self, name: str) -> None:
        batches = self.pending[name]
        if batches:
            self._submit(self.write, name, pa.Table.from_batches(batches, schema=TABLES[name]))
        self.pending[name] = []
        self.pending_rows[name] = 0

    def _submit(self, call: Callable[..., None], *args: Any) -> None:
        self._in_flight.append(self._writer.submit(call, *args))
        while len(self._in_flight) > 2:
            self._in_flight.popleft().result()  # a failed write raises here

    def close(self) -> None:
        """Write what is pending, finish the outputs and wait for all of it."""
        for name in TABLES:
            self._flush(name)
        self._submit(self.finish)
        while self._in_flight:
            self._in_flight.popleft().result()
        self._writer.shutdown()

    def abandon(self) -> None:
        """Stop writing (a failed or interrupted run): pending writes are dropped, the one
        under way is waited for, so nothing writes into the partial folder afterwards."""
        self._writer.shutdown(wait=True, cancel_futures=True)

    def write(self, name: str, table: pa.Table) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    def outputs(self) -> dict[str, str]:
        """Final file name in DIR -> its name in the partial folder."""
        raise NotImplementedError


class _ParquetSink(_Sink):
    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.writers = {
            name: pq.ParquetWriter(
                folder / f"{PARQUET_FILES[name]}.partial", schema, compression="zstd"
            )
            for name, schema in TABLES.items()
        }

    def write(self, name: str, table: pa.Table) -> None:
        self.writers[name].write_table(table)

    def finish(self) -> None:
        for writer in self.writers.values():
            writer.close()

    def outputs(self) -> dict[str, str]:
        return {final: f"{final}.partial" for final in PARQUET_FILES.values()}


_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "large_binary": "BLOB",
    "int64": "BIGINT",
    "int32": "INTEGER",
    "decimal128(38, 18)": "DECIMAL(38, 18)",
    "timestamp[us, tz=UTC]": "TIMESTAMPTZ",
}


def duckdb_columns(schema: pa.Schema) -> str:
    """The DuckDB column definitions of an Arrow schema (dictionary strings are VARCHAR)."""
    columns = []
    for field in schema:
        arrow_type = field.type
        if pa.types.is_dictionary(arrow_type):
            arrow_type = arrow_type.value_type
        sql = _DUCKDB_TYPES[str(arrow_type)]
        columns.append(f'"{field.name}" {sql}' + ("" if field.nullable else " NOT NULL"))
    return ", ".join(columns)


@contextlib.contextmanager
def _as_os_error() -> Iterator[None]:
    """DuckDB's own errors from writing DIR (a full disk, a file size limit) as the OSError
    every other failed write is."""
    import duckdb

    try:
        yield
    except duckdb.Error as exc:
        raise OSError(f"DuckDB: {exc}") from None


class _DuckDBSink(_Sink):
    def __init__(self, folder: Path) -> None:
        import duckdb

        super().__init__(folder)
        self.connection = duckdb.connect(str(folder / f"{DUCKDB_FILE}.partial"))
        # The workers have the cores; the parent appends.
        self.connection.execute("SET threads = 1")
        for name, schema in TABLES.items():
            self.connection.execute(f"CREATE TABLE {name} ({duckdb_columns(schema)})")

    def write(self, name: str, table: pa.Table) -> None:
        with _as_os_error():
            self.connection.register("incoming", table)
            self.connection.execute(f"INSERT INTO {name} SELECT * FROM incoming")
            self.connection.unregister("incoming")

    def finish(self) -> None:
        with _as_os_error():
            self.connection.execute("CHECKPOINT")
            self.connection.close()

    def outputs(self) -> dict[str, str]:
        return {DUCKDB_FILE: f"{DUCKDB_FILE}.partial"}


def _library_version() -> str:
    import normalize

    version = getattr(normalize, "__version__", None)
    if isinstance(version, str):
        return version
    from importlib.metadata import version as installed_version

    return installed_version("balance-normalize")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _work(
    files: list[InputFile], max_bytes: int, chunk_lines: int, refused: list[Unreadable]
) -> Iterator[tuple[int, CaptureChunk | list[RawFile]]]:
    """(file index, chunk) in input order; raw files are grouped into chunks."""
    raw: list[RawFile] = []
    raw_index = 0
    for index, entry in enumerate(files):
        if entry.kind == "raw":
            try:
                item = read_raw(entry, max_bytes=max_bytes)
            except Unreadable as exc:
                refused.append(exc)
                continue
            if not raw:
                raw_index = index
            raw.append(item)
            if len(raw) >= _RAW_CHUNK:
                yield raw_index, raw
                raw = []
            continue
        if raw:
            yield raw_index, raw
            raw = []
        try:
            for chunk in read_capture(entry, max_bytes=max_bytes, chunk_lines=chunk_lines):
                yield index, chunk
        except Unreadable as exc:
            refused.append(exc)
    if raw:
        yield raw_index, raw


def _pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """``jobs`` worker processes, started now: forked from this process before it opens any
    output (so no DuckDB or Arrow thread is running), with the library already imported.

    A worker leaves SIGINT and SIGTERM to this process: Ctrl-C reaches the whole process
    group, and so does a service manager's stop, and it is this process that stops the run
    (shutting the pool down, removing the partial folder), not each worker with a traceback
    of its own, nor one killed while it sends a result back (which would leave the pool
    waiting for the rest of it for ever). A worker whose parent is gone ends on SIGTERM.
    Both are blocked while the workers are forked, so none arrives before a worker has set
    its own; one that came meanwhile is raised here once they are unblocked."""
    if jobs <= 1:
        return None
    import signal

    stops = {signal.SIGINT, signal.SIGTERM}
    parent = os.getpid()

    def on_sigterm(signum: int, frame: object) -> None:
        if os.getppid() != parent:  # orphaned: nothing else will stop this worker
            os._exit(128 + signum)

    def worker_signals() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, on_sigterm)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)

    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    pool = None
    try:
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=worker_signals,  # not pickled: the workers are forked
        )
        pool.submit(int).result()  # forks every worker
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except BaseException:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        raise
    return pool


def _ordered(
    work: Iterator[tuple[int, CaptureChunk | list[RawFile]]],
    pool: concurrent.futures.ProcessPoolExecutor | None,
    jobs: int,
    max_bytes: int,
) -> Iterator[tuple[int, CaptureChunk | list[RawFile], Converted]]:
    """Each chunk with its rows, in input order, converted by the pool's workers when there
    is a pool (at most two chunks per worker in flight), else here."""
    if pool is None:
        for index, items in work:
            yield index, items, convert(items, max_bytes)
        return
    pending: deque[
        tuple[int, CaptureChunk | list[RawFile], concurrent.futures.Future[Converted]]
    ] = deque()
    for index, items in work:
        pending.append((index, items, pool.submit(convert, items, max_bytes)))
        if len(pending) >= 2 * jobs:
            first, first_items, future = pending.popleft()
            yield first, first_items, future.result()
    while pending:
        first, first_items, future = pending.popleft()
        yield first, first_items, future.result()


def run(
    inputs: Sequence[str],
    out: Path,
    *,
    to: str = "duckdb",
    jobs: int | None = None,
    vendor: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    chunk_lines: int = DEFAULT_CHUNK,
    progress: Callable[[dict[str, int]], None] | None = None,
) -> Summary:
    """Run the batch job over ``inputs`` into ``out``; see ``normalize.batch``."""
    if to not in FORMATS:
        raise ValueError(f"--to must be one of {', '.join(FORMATS)}, not {to!r}")
    jobs = jobs or os.cpu_count() or 1
    started = _now()
    out.mkdir(parents=True, exist_ok=True)
    for leftover in out.glob(PARTIAL_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)
    partial = out / f"{PARTIAL_PREFIX}{os.getpid()}"
    partial.mkdir()
    pool = None
    sink: _Sink | None = None
    try:
        files, refused = discover(list(inputs), vendor)
        by_path = {entry.path: entry for entry in files}
        pool = _pool(jobs)
        sink = _DuckDBSink(partial) if to == "duckdb" else _ParquetSink(partial)
        totals = dict.fromkeys(
            ("responses", *LANDINGS, "balances", "rejects", "vendor_errors", "internal_errors"), 0
        )
        for index, items, converted in _ordered(
            _work(files, max_body_bytes, chunk_lines, refused), pool, jobs, max_body_bytes
        ):
            sink.add(converted)
            for key, count in converted.counts.items():
                totals[key] += count
            if isinstance(items, CaptureChunk):
                files[index].responses += converted.counts["responses"]
            else:
                for item in items:
                    by_path[item.source_file].responses = 1
            if progress is not None:
                progress(totals)
        sink.close()
        if pool is not None:
            pool.shutdown()
            pool = None
        manifest = {
            "library": {"name": "balance-normalize", "version": _library_version()},
            "spec_versions": SPEC_VERSIONS,
            "started_at": started,
            "finished_at": _now(),
            "options": {"to": to, "jobs": jobs, "max_body_bytes": max_body_bytes},
            "responses": totals["responses"],
            "landed": {kind: totals[kind] for kind in LANDINGS},
            "records": totals["balances"],
            "rows": {name: totals[name] for name in TABLES},
            "internal_errors": totals["internal_errors"],
            "inputs": [
                {
                    "path": entry.path,
                    "kind": entry.kind,
                    "sha256": entry.sha256,
                    "bytes": entry.bytes,
                    **({"lines": entry.lines} if entry.kind == "capture" else {}),
                    "responses": entry.responses,
                }
                for entry in files
                if entry.sha256 is not None
            ],
            "unreadable": [{"path": item.path, "reason": item.reason} for item in refused],
            "outputs": (
                [{"path": DUCKDB_FILE, "tables": dict(sink.rows)}]
                if to == "duckdb"
                else [
                    {"path": PARQUET_FILES[name], "tables": {name: rows}}
                    for name, rows in sink.rows.items()
                ]
            ),
        }
        # Into place: the old manifest goes first and the new one comes last, so DIR's
        # tables are complete whenever a manifest.json is there.
        (out / MANIFEST).unlink(missing_ok=True)
        for stale in (DUCKDB_FILE, *PARQUET_FILES.values()):
            if stale not in sink.outputs():
                (out / stale).unlink(missing_ok=True)
        for final, temporary in sink.outputs().items():
            os.replace(partial / temporary, out / final)
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        os.replace(partial / MANIFEST, out / MANIFEST)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if sink is not None:
            sink.abandon()
        shutil.rmtree(partial, ignore_errors=True)
    return Summary(manifest=manifest, unreadable=tuple(refused))


class LogProgress:
    """A plain line on ``stream`` every ``every`` seconds (for logs, not terminals)."""

    def __init__(self, stream: TextIO = sys.stderr, every: float = 5.0) -> None:
        self.stream = stream
        self.every = every
        self.started = self.last = time.monotonic()

    def __call__(self, totals: dict[str, int]) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            rate = totals["responses"] / max(now - self.started, 1e-9)
            print(
                f"{totals['responses']:,} responses ({rate:,.0f}/s), "
                f"{totals['balances']:,} records, {totals['rejects']:,} rejects, "
                f"{totals['vendor_errors']:,} vendor errors",
                file=self.stream,
                flush=True,
            )
