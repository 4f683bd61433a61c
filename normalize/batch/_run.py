"""The batch job: lock DIR -> finish or clear what a dead run left -> find the inputs ->
tasks (``_parts``), run by worker processes that write their own part files -> commit all
or nothing (``_store``).

The main process plans the tasks (it finds the line boundaries of each plain capture file,
reading it once at memory speed), hands them out and keeps the books: which input gave
which part files, the counts, the manifest. Every row is converted and written by a task.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import json
import multiprocessing
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import attrs

from .._capture import InputFile, Unreadable, decompressed_magic, discover, regular_size
from .._contract import schema_id
from .._envelope import DEFAULT_MAX_BODY_BYTES
from ._convert import LANDINGS
from ._lock import RunLocked, run_lock
from ._parts import (
    Done,
    HashTask,
    PartFile,
    RangeTask,
    RawTask,
    Setup,
    StreamTask,
    Task,
    empty_part,
    run_task,
)
from ._schema import TABLES
from ._specs import SPEC_VERSIONS
from ._store import (
    DUCKDB_FILE,
    MANIFEST,
    MANIFEST_VERSION,
    PARTIAL_PREFIX,
    CommitUnfinished,
    DatabaseInUse,
    LayoutMismatch,
    build_duckdb,
    check_layout,
    check_strays,
    commit,
    duckdb_preflight,
    read_manifest,
    recover,
    settle,
    write_file,
    written_by_runs,
)

FORMATS = ("duckdb", "parquet")
PARTITIONS = ("vendor", "as_of")
DEFAULT_CHUNK = 5_000
# A plain capture file is read by tasks of at most this many bytes each, and smaller ones
# when the input is small, so that every worker gets a dozen or more tasks and none waits
# long for the last one; but no smaller than a megabyte.
RANGE_BYTES = 32 << 20
_MIN_RANGE_BYTES = 1 << 20
_TASKS_PER_WORKER = 12
# Raw response files per task.
RAW_PER_TASK = 1_000
_BLOCK = 8 << 20
_COUNTS = ("responses", *LANDINGS, "balances", "rejects", "vendor_errors", "internal_errors")

__all__ = [
    "FORMATS",
    "PARTITIONS",
    "CommitUnfinished",
    "DatabaseInUse",
    "LayoutMismatch",
    "NoInputs",
    "RunFailed",
    "RunLocked",
    "Summary",
    "run",
]


class NoInputs(Exception):
    """No input file was found (an empty folder): a usage error."""


class RunFailed(Exception):
    """An input could not be read and ``allow_unreadable`` was not given: nothing was
    committed."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot read: {reason}")


@attrs.frozen
class Summary:
    """What a run did: DIR's manifest after it, this run's load (None when every input had
    been loaded before), the unreadable inputs left out (``allow_unreadable``) and the
    inputs skipped as already loaded (``append``)."""

    manifest: dict[str, Any]
    load: dict[str, Any] | None
    unreadable: tuple[Unreadable, ...]
    skipped: tuple[dict[str, Any], ...]

    @property
    def exit_code(self) -> int:
        return 1 if self.load is not None and self.load["internal_errors"] else 0


def _library_version() -> str:
    from .._version import __version__

    return __version__


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _load_id() -> str:
    """Sortable by time, unique: ``20261206T041502123Z-3fa2c1``."""
    now = datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S}{now.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


def line_ranges(path: str, size: int, target: int) -> Iterator[tuple[int, int, int]]:
    """``(start, end, first line number)`` of consecutive pieces of a plain capture file's
    first ``size`` bytes, each ending just after a ``\\n`` once it holds ``target`` bytes (the
    last at ``size``), so every line lies in exactly one piece. Unreadable when the file
    cannot be read or got shorter."""
    start, first_line, newlines, position = 0, 1, 0, 0
    try:
        with open(path, "rb", buffering=0) as file:
            while position < size:
                block = file.read(min(_BLOCK, size - position))
                if not block:
                    raise Unreadable(path, "the file got shorter while it was read")
                at = 0
                while True:
                    look_from = max(start + target - 1 - position, at)
                    if look_from >= len(block):
                        break
                    end = block.find(b"\n", look_from)
                    if end < 0:
                        break
                    newlines += block.count(b"\n", at, end + 1)
                    yield start, position + end + 1, first_line
                    first_line += newlines
                    newlines, start, at = 0, position + end + 1, end + 1
                newlines += block.count(b"\n", at)
                position += len(block)
    except OSError as exc:
        raise Unreadable(path, f"read failed: {exc.strerror or exc}") from None
    if start < size:
        yield start, size, first_line


@attrs.define
class _File:
    """One input and what the run made of it."""

    entry: InputFile
    size: int = 0
    unreadable: str | None = None
    skipped_by: str | None = None  # the load that loaded the same content
    parts: list[PartFile] = attrs.Factory(list)
    counts: dict[str, int] = attrs.Factory(lambda: dict.fromkeys(_COUNTS, 0))


def _pool(jobs: int) -> concurrent.futures.ProcessPoolExecutor | None:
    """``jobs`` worker processes, started now: forked from this process before it opens any
    output (so no DuckDB or Arrow thread is running), with the library already imported.

    A worker leaves SIGINT and SIGTERM to this process: Ctrl-C reaches the whole process
    group, and so does a service manager's stop, and it is this process that stops the run
    (killing the workers, removing the partial folder), not each worker with a traceback of
    its own. A worker whose parent is gone ends on SIGTERM, or by itself before it writes
    again (``_parts``). Both signals are blocked while the workers are forked, so none
    arrives before a worker has set its own; one that came meanwhile is raised here once
    they are unblocked."""
    if jobs <= 1:
        return None
    import signal

    stops = {signal.SIGINT, signal.SIGTERM}
    parent = os.getpid()

    def on_sigterm(signum: int, frame: object) -> None:
        if os.getppid() != parent:  # orphaned: nothing else will stop this worker
            os._exit(128 + signum)

    def watch_parent() -> None:  # an idle worker of a dead run ends too
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    def worker_signals() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, on_sigterm)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
        import threading

        threading.Thread(target=watch_parent, daemon=True, name="watch-parent").start()

    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    pool = None
    try:
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=worker_signals,  # not pickled: the workers are forked
        )
        for future in [pool.submit(int) for _ in range(jobs)]:
            future.result()
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except BaseException:
        if pool is not None:
            _stop(pool)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        raise
    return pool


def _stop(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """End a failed or interrupted run's workers now: a task may have minutes of a large
    compressed file left, and its output is thrown away anyway."""
    processes = getattr(pool, "_processes", None) or {}  # the executor's own worker table
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


class _Books:
    """The main process's bookkeeping over finished tasks."""

    def __init__(
        self,
        files: list[_File],
        partial: Path,
        allow_unreadable: bool,
        progress: Callable[[dict[str, int]], None] | None,
    ) -> None:
        self.files = files
        self.partial = partial
        self.allow_unreadable = allow_unreadable
        self.progress = progress
        self.raw_parts: list[PartFile] = []
        self.raw_counts = dict.fromkeys(_COUNTS, 0)
        self.worker_cpu = 0.0
        self.totals = dict.fromkeys(_COUNTS, 0)
        self.totals["bytes_done"] = 0
        self.totals["bytes_total"] = sum(file.size for file in files if file.skipped_by is None)

    def unreadable(self, index: int, reason: str) -> None:
        """An input found unreadable: the run fails, or (``allow_unreadable``) none of its
        rows is kept."""
        file = self.files[index]
        if not self.allow_unreadable:
            raise RunFailed(file.entry.path, reason)
        if file.unreadable is None:
            file.unreadable = reason
            self._drop(file.parts)
            for key, value in file.counts.items():
                self.totals[key] -= value
            file.parts = []
            file.counts = dict.fromkeys(_COUNTS, 0)

    def _drop(self, parts: Sequence[PartFile]) -> None:
        for part in parts:
            (self.partial / part.path).unlink(missing_ok=True)

    def done(self, task: Task, done: Done) -> None:
        self.worker_cpu += done.cpu_seconds
        counts: dict[str, int] | None = None
        for read in done.files:
            if read.unreadable is not None:
                self.unreadable(read.index, read.unreadable)
                continue
            entry = self.files[read.index].entry
            if isinstance(task, RangeTask):  # a piece of the file: add it up
                entry.lines += read.lines
                entry.responses += read.responses
            elif isinstance(task, HashTask):
                entry.sha256 = read.sha256
            else:  # the whole file
                entry.sha256, entry.bytes = read.sha256, read.bytes
                entry.lines, entry.responses = read.lines, read.responses
        if isinstance(task, RawTask):
            self.raw_parts.extend(done.parts)
            counts = self.raw_counts
        elif isinstance(task, RangeTask | StreamTask):
            file = self.files[task.file]
            if file.unreadable is not None:
                self._drop(done.parts)
            else:
                file.parts.extend(done.parts)
                counts = file.counts
        if counts is not None:
            for key, value in done.counts.items():
                counts[key] += value
                self.totals[key] += value
        self.totals["bytes_done"] += done.input_bytes
        if self.progress is not None:
            self.progress(self.totals)


def _execute(
    tasks: Iterator[Task],
    pool: concurrent.futures.ProcessPoolExecutor | None,
    jobs: int,
    setup: Setup,
    books: _Books,
) -> float:
    """Run every task, at most two per worker in flight; the CPU seconds of tasks run in
    this process (``--jobs 1``)."""
    if pool is None:
        inline = 0.0
        for task in tasks:
            done = run_task(task, setup)
            inline += done.cpu_seconds
            books.done(task, done)
        return inline
    pending: dict[concurrent.futures.Future[Done], Task] = {}
    exhausted = False
    while True:
        while not exhausted and len(pending) < 2 * jobs:
            following = next(tasks, None)
            if following is None:
                exhausted = True
                break
            pending[pool.submit(run_task, following, setup)] = following
        if not pending:
            return 0.0
        finished, _ = concurrent.futures.wait(
            pending, return_when=concurrent.futures.FIRST_COMPLETED
        )
        for future in finished:
            books.done(pending.pop(future), future.result())


def _inside(path: str, folder: Path) -> bool:
    resolved, within = Path(path).resolve(), folder.resolve()
    return resolved == within or within in resolved.parents


def _most_tasks(files: list[_File]) -> int:
    """An upper bound on the run's tasks (so on the workers worth starting)."""
    raw = sum(1 for file in files if file.entry.kind == "raw")
    capture = sum(
        2 + file.size // _MIN_RANGE_BYTES for file in files if file.entry.kind == "capture"
    )
    return max(1, capture + -(-raw // RAW_PER_TASK))


def _range_bytes(files: list[_File], jobs: int) -> int:
    """The size of a plain capture file's pieces for this run (see ``RANGE_BYTES``)."""
    total = sum(file.size for file in files if file.skipped_by is None)
    share = total // max(1, jobs * _TASKS_PER_WORKER)
    return max(_MIN_RANGE_BYTES, min(RANGE_BYTES, share))


def _plan(files: list[_File], books: _Books, *, range_bytes: int, hashed: bool) -> Iterator[Task]:
    """The tasks, in input order. Plain capture files are split into line ranges here (one
    read at memory speed); their SHA-256 is a task of its own unless ``hashed``."""
    numbers = itertools.count(1)
    raw: list[tuple[int, str, str | None]] = []
    for index, file in enumerate(files):
        if file.skipped_by is not None or file.unreadable is not None:
            continue
        entry = file.entry
        if entry.kind == "raw":
            raw.append((index, entry.path, entry.vendor))
            if len(raw) >= RAW_PER_TASK:
                yield RawTask(next(numbers), tuple(raw))
                raw = []
            continue
        try:
            compressed = decompressed_magic(entry.path)
        except Unreadable as exc:
            books.unreadable(index, exc.reason)
            continue
        if compressed:
            yield StreamTask(next(numbers), index, entry.path)
            continue
        entry.bytes = file.size
        if not hashed:
            yield HashTask(next(numbers), ((index, entry.path, file.size),))
        try:
            for start, end, first_line in line_ranges(entry.path, file.size, range_bytes):
                yield RangeTask(next(numbers), index, entry.path, start, end, first_line)
        except Unreadable as exc:
            books.unreadable(index, exc.reason)
    if raw:
        yield RawTask(next(numbers), tuple(raw))


def _hash_all(
    files: list[_File],
    pool: concurrent.futures.ProcessPoolExecutor | None,
    jobs: int,
    setup: Setup,
    books: _Books,
) -> float:
    """The SHA-256 of every input first (``append``: to skip what was loaded before)."""
    batch: list[tuple[int, str, int]] = []
    tasks: list[Task] = []
    for index, file in enumerate(files):
        if file.unreadable is None:
            batch.append((index, file.entry.path, file.size))
            if len(batch) >= RAW_PER_TASK:
                tasks.append(HashTask(-len(tasks) - 1, tuple(batch)))
                batch = []
    if batch:
        tasks.append(HashTask(-len(tasks) - 1, tuple(batch)))
    return _execute(iter(tasks), pool, jobs, setup, books)


def _metadata(load_id: str) -> dict[bytes, bytes]:
    return {
        b"balance_normalize.library_version": _library_version().encode(),
        b"balance_normalize.schema_id": schema_id().encode(),
        b"balance_normalize.spec_versions": json.dumps(SPEC_VERSIONS, sort_keys=True).encode(),
        b"balance_normalize.load_id": load_id.encode(),
    }


def _input_entry(file: _File, load_id: str) -> dict[str, Any]:
    entry = file.entry
    return {
        "path": entry.path,
        "kind": entry.kind,
        "sha256": entry.sha256,
        "bytes": entry.bytes,
        **({"lines": entry.lines} if entry.kind == "capture" else {}),
        "responses": entry.responses,
        "load_id": load_id,
    }


def run(
    inputs: Sequence[str],
    out: Path,
    *,
    to: str = "duckdb",
    jobs: int | None = None,
    vendor: str | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    chunk_lines: int = DEFAULT_CHUNK,
    append: bool = False,
    allow_unreadable: bool = False,
    partition_by: Sequence[str] = (),
    range_bytes: int | None = None,
    progress: Callable[[dict[str, int]], None] | None = None,
) -> Summary:
    """Run the batch job over ``inputs`` into ``out``; see ``normalize.batch``.

    Raises ValueError (bad options), NoInputs and LayoutMismatch (usage errors), RunLocked
    (another run holds DIR), RunFailed (an input could not be read; nothing committed) and
    OSError (DIR could not be written; nothing committed)."""
    if to not in FORMATS:
        raise ValueError(f"--to must be one of {', '.join(FORMATS)}, not {to!r}")
    unknown = [key for key in partition_by if key not in PARTITIONS]
    if unknown:
        raise ValueError(f"--partition-by must be among {', '.join(PARTITIONS)}, not {unknown[0]}")
    # In the one order the folders nest in, however the keys were given.
    partition = tuple(key for key in PARTITIONS if key in partition_by)
    if partition and to != "parquet":
        raise ValueError("--partition-by needs --to parquet")
    jobs = jobs or os.cpu_count() or 1
    started_cpu, started_wall, started = time.process_time(), time.monotonic(), _now()
    out.mkdir(parents=True, exist_ok=True)
    with run_lock(out):
        recover(out)
        previous = read_manifest(out)
        check_layout(previous, to=to, partition_by=partition, append=append)
        check_strays(out, previous)
        copy = duckdb_preflight(out, append=append) if to == "duckdb" else False
        found, missing = discover(list(inputs), vendor)
        # DIR is never its own input (an input folder holding DIR would load the tables,
        # the manifest and the lock).
        found = [entry for entry in found if not _inside(entry.path, out)]
        if missing and not allow_unreadable:
            raise RunFailed(missing[0].path, missing[0].reason)
        if not found and not missing:
            raise NoInputs("no input files found")
        files = [_File(entry) for entry in found]
        for file in files:
            try:
                file.size = regular_size(file.entry.path)
            except Unreadable as exc:
                if not allow_unreadable:
                    raise RunFailed(exc.path, exc.reason) from None
                file.unreadable = exc.reason
        load_id = _load_id()
        partial = out / f"{PARTIAL_PREFIX}{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        setup = Setup(
            partial=str(partial),
            parent=os.getpid(),
            load_id=load_id,
            max_bytes=max_body_bytes,
            chunk_lines=chunk_lines,
            partition_by=partition if to == "parquet" else (),
            metadata=_metadata(load_id),
        )
        pool = None
        try:
            # No more workers than cores can use, nor than there can be tasks.
            jobs = min(jobs, 4 * (os.cpu_count() or 1), _most_tasks(files))
            pool = _pool(jobs)
            inline = 0.0
            books = _Books(files, partial, allow_unreadable, None)
            loaded = _loaded(previous) if append else {}
            if append:
                inline += _hash_all(files, pool, jobs, setup, books)
                for file in files:
                    if file.unreadable is None and file.entry.sha256 in loaded:
                        file.skipped_by = loaded[file.entry.sha256]
            books = _Books(files, partial, allow_unreadable, progress)
            inline += _execute(
                _plan(
                    files,
                    books,
                    range_bytes=range_bytes or _range_bytes(files, jobs),
                    hashed=append,
                ),
                pool,
                jobs,
                setup,
                books,
            )
            if pool is not None:
                pool.shutdown()
                pool = None
            skipped = tuple(
                {"path": f.entry.path, "sha256": f.entry.sha256, "loaded_by": f.skipped_by}
                for f in files
                if f.skipped_by is not None
            )
            unreadable = tuple(
                Unreadable(f.entry.path, f.unreadable) for f in files if f.unreadable is not None
            ) + tuple(missing)
            if not any(f.unreadable is None and f.skipped_by is None for f in files):
                # Nothing new was read: a load of nothing is no load.
                if skipped:
                    assert previous is not None
                    return Summary(
                        manifest=previous, load=None, unreadable=unreadable, skipped=skipped
                    )
                first = unreadable[0]
                raise RunFailed(first.path, f"{first.reason} (no input could be read)")
            parts = [part for f in files if f.unreadable is None for part in f.parts]
            parts += books.raw_parts
            parts.sort()  # input order: DuckDB keeps it when loading
            counts = dict.fromkeys(_COUNTS, 0)
            for key in _COUNTS:
                counts[key] = books.raw_counts[key] + sum(
                    f.counts[key] for f in files if f.unreadable is None
                )
            kept = previous if append and previous is not None else None
            if to == "parquet":
                for name in TABLES:
                    had = kept is not None and any(
                        output.get("table") == name for output in kept.get("outputs", [])
                    )
                    if not had and not any(part.table == name for part in parts):
                        parts.append(empty_part(setup, name))
            load: dict[str, Any] = {
                "load_id": load_id,
                "mode": "append" if append else "replace",
                "started_at": started,
                "finished_at": _now(),
                "library": {"name": "balance-normalize", "version": _library_version()},
                "schema_id": schema_id(),
                "spec_versions": SPEC_VERSIONS,
                "options": {
                    "to": to,
                    "jobs": jobs,
                    "max_body_bytes": max_body_bytes,
                    "partition_by": list(partition),
                },
                "inputs": [
                    _input_entry(f, load_id)
                    for f in files
                    if f.skipped_by is None and f.unreadable is None
                ],
                "skipped": list(skipped),
                "unreadable": [
                    {"path": item.path, "reason": item.reason, "responses": 0}
                    for item in unreadable
                ],
                "responses": counts["responses"],
                "landed": {kind: counts[kind] for kind in LANDINGS},
                "records": counts["balances"],
                "rows": {name: counts[name] for name in TABLES},
                "internal_errors": counts["internal_errors"],
            }
            moves: list[tuple[str, str]] = []
            removals: list[str] = []
            if to == "duckdb":
                build_duckdb(out, partial, copy=copy, append=append, parts=parts, load=load)
                removals.append(f"{DUCKDB_FILE}.wal")
                moves.append((f"{partial.name}/{DUCKDB_FILE}", DUCKDB_FILE))
                new_outputs: list[dict[str, Any]] = []
            else:
                moves.extend((f"{partial.name}/{part.path}", part.path) for part in parts)
                new_outputs = [
                    {"path": part.path, "table": part.table, "rows": part.rows, "load_id": load_id}
                    for part in parts
                ]
            if previous is not None and not append:
                removals.extend(
                    path
                    for path in written_by_runs(previous)
                    if path != DUCKDB_FILE and not path.startswith(PARTIAL_PREFIX)
                )
            load["timing"] = {
                "wall_seconds": round(time.monotonic() - started_wall, 3),
                "parent_cpu_seconds": round(time.process_time() - started_cpu - inline, 3),
                "worker_cpu_seconds": round(books.worker_cpu, 3),
            }
            manifest = _manifest(kept, load, to=to, partition=partition, outputs=new_outputs)
            write_file(partial / MANIFEST, _json(manifest))
            commit(out, partial, moves, removals)
        except BaseException:
            if pool is not None:
                _stop(pool)
                pool = None
            raise
        finally:
            if pool is not None:
                pool.shutdown()
            settle(out, partial)
    return Summary(manifest=manifest, load=load, unreadable=unreadable, skipped=skipped)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def _loaded(manifest: dict[str, Any] | None) -> dict[str, str]:
    """SHA-256 -> the load that loaded it, from DIR's manifest."""
    if manifest is None:
        return {}
    return {
        item["sha256"]: item.get("load_id", "")
        for item in manifest.get("inputs", [])
        if isinstance(item, dict) and isinstance(item.get("sha256"), str)
    }


def _manifest(
    kept: dict[str, Any] | None,
    load: dict[str, Any],
    *,
    to: str,
    partition: tuple[str, ...],
    outputs: list[dict[str, Any]],
) -> dict[str, Any]:
    """DIR's manifest after this load: top-level counts are of the tables as they now
    stand (every load kept), ``loads`` the history, ``inputs`` every input loaded."""
    loads = [*(kept["loads"] if kept is not None else []), load]
    totals = dict.fromkeys(_COUNTS, 0)
    for entry in loads:
        totals["responses"] += entry["responses"]
        for kind in LANDINGS:
            totals[kind] += entry["landed"][kind]
        for name in TABLES:
            totals[name] += entry["rows"][name]
        totals["internal_errors"] += entry["internal_errors"]
    if to == "duckdb":
        outputs = [{"path": DUCKDB_FILE, "tables": {name: totals[name] for name in TABLES}}]
    else:
        outputs = [*(kept["outputs"] if kept is not None else []), *outputs]
    return {
        "manifest_version": MANIFEST_VERSION,
        "library": load["library"],
        "schema_id": load["schema_id"],
        "spec_versions": load["spec_versions"],
        "to": to,
        "partition_by": list(partition),
        "updated_at": load["finished_at"],
        "responses": totals["responses"],
        "landed": {kind: totals[kind] for kind in LANDINGS},
        "records": totals["balances"],
        "rows": {name: totals[name] for name in TABLES},
        "internal_errors": totals["internal_errors"],
        "inputs": [item for entry in loads for item in entry["inputs"]],
        "unreadable": [item for entry in loads for item in entry["unreadable"]],
        "loads": loads,
        "outputs": outputs,
    }


def _eta(totals: dict[str, int], elapsed: float) -> str:
    done, total = totals.get("bytes_done", 0), totals.get("bytes_total", 0)
    if not total or not done:
        return ""
    left = elapsed * (total - done) / done
    return f", {done / total:.0%} of {total / 1e6:,.0f} MB, about {left:,.0f} s left"


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
            elapsed = max(now - self.started, 1e-9)
            rate = totals["responses"] / elapsed
            print(
                f"{totals['responses']:,} responses ({rate:,.0f}/s), "
                f"{totals['balances']:,} records, {totals['rejects']:,} rejects, "
                f"{totals['vendor_errors']:,} vendor errors{_eta(totals, elapsed)}",
                file=self.stream,
                flush=True,
            )
