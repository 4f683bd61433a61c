"""Command line: ``python -m normalize convert`` and ``python -m normalize batch``.

``convert [--vendor V] [--status S] [FILE ...]`` prints one JSON object per balance record
(JSON Lines) on standard output. Each FILE is read as every door reads files
(``normalize._capture``): a capture file (``*.jsonl``, ``*.ndjson``, optionally gzip or
zstd) gives one response per envelope line; any other file is one response body of vendor
V (or of the nearest folder named for a vendor); standard input, when no FILE is given, is
one body of vendor V. Every problem of a response (the whole of it, one account,
one balance) is one line on standard error naming the file, the error class, vendor, field
and value; the good records of a partly failed response are still printed.

``batch INPUT... --out DIR`` turns capture files and folders of raw responses into DuckDB
or Parquet tables (``normalize.batch``; needs the ``batch`` extra). Rejects are data, not
failures.

Both refuse inputs that are not regular files (a FIFO, a device), treat a body larger than
``--max-body-bytes`` as a reject, and end with one line on standard error (no traceback)
when standard output is closed (``>&-``, a reader gone as with ``| head``) or full, or when
the run is stopped by a signal. A stopped ``batch`` leaves no partial folder and no
half-written table in DIR: its worker processes leave SIGINT and SIGTERM (Ctrl-C and a
service manager's stop reach the whole process group) to the main process, which stops
them and removes what it had written.

Exit status, both commands:

====== ===================================================================================
status meaning
====== ===================================================================================
0      done: every input read (convert: and every response gave records with no problem)
1      an input could not be read; convert: a response had a problem; batch: DIR could not
       be written or a response hit an internal error; either: standard output is closed
       or full (``cannot write standard output: closed``)
2      usage error (a bad option, ``--out`` not a folder, the ``batch`` extra missing)
130    interrupted by SIGINT (Ctrl-C): ``python -m normalize batch: interrupted``
143    terminated by SIGTERM: ``python -m normalize batch: terminated``
====== ===================================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO, NoReturn, TextIO

import attrs

from ._api import VENDORS
from ._capture import (
    Oversized,
    RawFile,
    Unreadable,
    check_whole,
    input_file,
    line_envelopes,
    raw_envelope,
    read_capture,
    read_raw,
)
from ._envelope import DEFAULT_MAX_BODY_BYTES, Envelope, parse_envelope
from ._errors import InvalidEnvelope, MissingExtra, NormalizeError
from ._version import __version__


class _OutputFailed(Exception):
    """Standard output could not be written (closed pipe, full disk)."""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _http_status(text: str) -> int:
    value = int(text)
    if not 100 <= value <= 599:
        raise argparse.ArgumentTypeError(f"an HTTP status is 100-599, not {value}")
    return value


def _prog() -> str:
    """How the command was started: the console script, or ``python -m normalize``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "balance-normalize" if name == "balance-normalize" else "python -m normalize"


def _partitions(text: str) -> list[str]:
    keys = [key.strip() for key in text.split(",") if key.strip()]
    for key in keys:
        if key not in ("vendor", "as_of"):
            raise argparse.ArgumentTypeError(f"{key!r}: choose vendor and/or as_of")
    return keys


class _Parser(argparse.ArgumentParser):
    """A usage error is one line (``--help`` shows the usage), status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=_prog(),
        description="Vendor balance responses to canonical records. Installed as the console "
        "script balance-normalize; also run as python -m normalize.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    convert = commands.add_parser(
        "convert",
        help="print canonical records (JSON Lines) for vendor response bodies",
        description="Print one JSON object per canonical balance record.",
    )
    convert.add_argument(
        "--vendor",
        choices=VENDORS,
        help="vendor of raw bodies (default: the nearest folder named for a vendor id); "
        "capture files (*.jsonl, *.ndjson) name theirs on each line",
    )
    convert.add_argument(
        "--operation", help="the vendor operationId the bodies answered (sets provenance)"
    )
    convert.add_argument(
        "--status",
        type=_http_status,
        help="the HTTP status the bodies came with, 100-599 (refines error codes)",
    )
    convert.add_argument(
        "--max-body-bytes",
        type=_positive,
        default=DEFAULT_MAX_BODY_BYTES,
        help="a larger body is refused as BodyTooLarge (default: %(default)s)",
    )
    convert.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="response bodies or capture files (default: one body on standard input)",
    )

    batch = commands.add_parser(
        "batch",
        help="captured responses to DuckDB or Parquet tables (needs the batch extra)",
        description=(
            "Turn capture files (JSON Lines envelopes; plain, gzip or zstd) and folders of raw "
            "response files into the tables balances, rejects and vendor_errors, plus "
            "manifest.json, in DIR."
        ),
    )
    batch.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="capture files, or folders walked recursively"
    )
    batch.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    batch.add_argument(
        "--to",
        choices=("duckdb", "parquet"),
        default="duckdb",
        help="duckdb: one database file DIR/balances.duckdb (default); parquet: a dataset, "
        "DIR/balances/, DIR/rejects/, DIR/vendor_errors/ (folders of part files)",
    )
    batch.add_argument(
        "--append",
        action="store_true",
        help="add the inputs to DIR's tables as a new load (inputs already loaded, by "
        "SHA-256, are skipped); without it a run replaces the tables",
    )
    batch.add_argument(
        "--allow-unreadable",
        action="store_true",
        help="commit the rest when an input cannot be read (it is named and listed in the "
        "manifest, none of its lines used); without it the run fails and commits nothing",
    )
    batch.add_argument(
        "--partition-by",
        type=_partitions,
        action="extend",
        default=[],
        metavar="KEYS",
        help="with --to parquet: hive partitions, vendor and/or as_of (the as_of date, "
        "balances only), e.g. --partition-by vendor,as_of",
    )
    batch.add_argument(
        "--jobs",
        type=_positive,
        default=None,
        help="worker processes (default: the number of cores); every value gives the same rows",
    )
    batch.add_argument(
        "--vendor", choices=VENDORS, help="vendor of raw response files (default: the folder name)"
    )
    batch.add_argument(
        "--max-body-bytes",
        type=_positive,
        default=DEFAULT_MAX_BODY_BYTES,
        help="a larger capture line or raw file is a BodyTooLarge reject (default: %(default)s)",
    )
    batch.add_argument("--quiet", action="store_true", help="no progress and no summary")
    return parser


# --- convert --------------------------------------------------------------------------------


def _envelopes(
    name: str,
    source: BinaryIO | Path,
    vendor: str | None,
    *,
    operation: str | None,
    status: int | None,
    max_body_bytes: int,
) -> Iterator[tuple[str, Envelope | NormalizeError]]:
    """The envelopes of one input, each named for its messages (``file:line`` for a capture
    line), or the error that stands for one: a file is what ``normalize._capture`` says (a
    capture file by its name, else a raw body); standard input is a raw body. OSError or
    Unreadable when it cannot be read whole (then none of its lines is used)."""
    if isinstance(source, Path):
        entry = input_file(str(source), vendor)
        if entry.kind == "capture":
            check_whole(entry.path)  # a cut file is all out: none of its lines is used
            for chunk in read_capture(entry, max_bytes=max_body_bytes, chunk_lines=1000):
                for number, _, found in line_envelopes(chunk, max_body_bytes):
                    yield f"{name}:{number}", found
            return
        raw = read_raw(entry, max_bytes=max_body_bytes)
    else:
        body = source.read(max_body_bytes + 1)
        raw = RawFile(
            name, vendor, Oversized(len(body), "") if len(body) > max_body_bytes else body
        )
    found = raw_envelope(raw, max_body_bytes)
    if isinstance(found, Envelope):
        # What the command line says of the bodies it is given.
        try:
            found = attrs.evolve(found, operation=operation, status=status, source_file=name)
        except InvalidEnvelope as exc:  # checked as every envelope is
            found = exc
    yield name, found


def _write(out: TextIO, text: str) -> None:
    try:
        out.write(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputFailed(exc.strerror or str(exc)) from None


def convert(
    vendor: str | None,
    sources: Sequence[tuple[str, BinaryIO | Path]],
    *,
    operation: str | None,
    status: int | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    out: TextIO,
    err: TextIO,
) -> int:
    failures = 0
    for name, source in sources:
        try:
            for where, item in _envelopes(
                name,
                source,
                vendor,
                operation=operation,
                status=status,
                max_body_bytes=max_body_bytes,
            ):
                if isinstance(item, NormalizeError):
                    print(f"{where}: {type(item).__name__}: {item}", file=err)
                    failures += 1
                    continue
                outcome = parse_envelope(item, max_body_bytes=max_body_bytes)
                for record in outcome.records:
                    _write(out, json.dumps(record.to_dict()) + "\n")
                for problem in outcome.problems:
                    at = "" if problem.path == "$" else f" at {problem.path}"
                    if problem.account_id is not None:
                        at += f" (account {problem.account_id})"
                    print(f"{where}{at}: {type(problem.error).__name__}: {problem.error}", file=err)
                if outcome.problems:
                    failures += 1
        except Unreadable as exc:
            print(f"{name}: cannot read: {exc.reason}", file=err)
            failures += 1
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            print(f"{name}: cannot read: {exc.strerror or exc}", file=err)
            failures += 1
    try:
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputFailed(exc.strerror or str(exc)) from None
    return 1 if failures else 0


# --- batch ----------------------------------------------------------------------------------


def _batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import batch

    batch.require(args.to)
    from .batch._run import (
        CommitUnfinished,
        DatabaseInUse,
        LayoutMismatch,
        LogProgress,
        NoInputs,
        RunFailed,
        RunLocked,
        run,
    )

    command = f"{_prog()} batch"
    if args.out.exists() and not args.out.is_dir():
        print(f"{command}: --out {args.out}: exists and is not a folder", file=err)
        return 2
    progress: Any = None
    bar: Any = None
    if not args.quiet:
        if err.isatty():
            bar = _RichProgress(err)
            progress = bar.update
        else:
            progress = LogProgress(err)
    try:
        summary = run(
            args.inputs,
            args.out,
            to=args.to,
            jobs=args.jobs,
            vendor=args.vendor,
            max_body_bytes=args.max_body_bytes,
            append=args.append,
            allow_unreadable=args.allow_unreadable,
            partition_by=args.partition_by,
            progress=progress,
        )
    except (ValueError, NoInputs, LayoutMismatch) as exc:
        print(f"{command}: {exc}", file=err)
        return 2
    except (RunLocked, RunFailed, DatabaseInUse) as exc:
        print(f"{command}: {exc}; nothing was written", file=err)
        return 1
    except CommitUnfinished as exc:
        print(f"{command}: {args.out}: {exc}", file=err)
        return 1
    except OSError as exc:
        # DIR could not be written (a full disk, a folder gone): nothing was committed.
        print(f"{command}: cannot write {args.out}: {exc}; nothing was written", file=err)
        return 1
    finally:
        if bar is not None:
            bar.stop()
    for item in summary.unreadable:
        print(f"{item.path}: cannot read: {item.reason} (left out)", file=err)
    for skipped in summary.skipped:
        if not args.quiet:
            print(
                f"{skipped['path']}: already loaded by {skipped['loaded_by']} (skipped)", file=err
            )
    if not args.quiet:
        _write(out, _report(summary, args.out))
        try:
            out.flush()
        except OSError as exc:
            raise _OutputFailed(exc.strerror or str(exc)) from None
    if summary.load is not None and summary.load["internal_errors"]:
        print(
            f"{summary.load['internal_errors']} responses hit an internal error "
            "(kept as rejects): please report it",
            file=err,
        )
    return summary.exit_code


def _report(summary: Any, out: Path) -> str:
    """What a run prints: this load's landings and rows, then the tables as they stand."""
    manifest = summary.manifest
    load = summary.load
    if load is None:
        return f"nothing new: every input was loaded before; {out / 'manifest.json'} unchanged\n"
    landed = load["landed"]
    rows = load["rows"]
    lines = [
        f"load {load['load_id']} ({load['mode']}): {load['responses']} responses"
        f" = {landed['records']} records only + {landed['partial']} partial"
        f" + {landed['vendor_error']} vendor errors + {landed['rejected']} rejected",
        f"rows: balances {rows['balances']}, rejects {rows['rejects']},"
        f" vendor_errors {rows['vendor_errors']}",
    ]
    if len(manifest["loads"]) > 1:
        total = manifest["rows"]
        lines.append(
            f"tables now ({len(manifest['loads'])} loads): balances {total['balances']},"
            f" rejects {total['rejects']}, vendor_errors {total['vendor_errors']}"
        )
    where = (
        str(out / "balances.duckdb")
        if manifest["to"] == "duckdb"
        else ", ".join(str(out / name) + "/" for name in ("balances", "rejects", "vendor_errors"))
    )
    lines.append(f"written: {where}, {out / 'manifest.json'}")
    return "\n".join(lines) + "\n"


class _RichProgress:
    """A progress bar on the terminal: the share of the input's bytes done, the time left,
    responses/s, records, rejects."""

    def __init__(self, stream: TextIO) -> None:
        import time

        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.time = time.monotonic
        self.started = self.time()
        self.progress = Progress(
            SpinnerColumn(),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self.task = self.progress.add_task("starting", total=None)
        # Started on the first update: the job's worker processes are forked before it, so
        # the bar's refresh thread is not running then.
        self.started_bar = False

    def update(self, totals: dict[str, int]) -> None:
        if not self.started_bar:
            self.progress.start()
            self.started_bar = True
        rate = totals["responses"] / max(self.time() - self.started, 1e-9)
        self.progress.update(
            self.task,
            total=totals.get("bytes_total") or None,
            completed=totals.get("bytes_done", 0),
            description=(
                f"{totals['responses']:,} responses ({rate:,.0f}/s), "
                f"{totals['balances']:,} records, {totals['rejects']:,} rejects, "
                f"{totals['vendor_errors']:,} vendor errors"
            ),
        )

    def stop(self) -> None:
        if self.started_bar:
            self.progress.stop()


# --- entry point ----------------------------------------------------------------------------


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt for SIGINT, so that a run's
    cleanup (``finally``: the batch job's partial folder and worker processes) still runs."""


@contextlib.contextmanager
def _signals_stop_the_run() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt and SIGTERM ``_Terminated``; the first of them also
    ignores any later one, so a second Ctrl-C cannot cut the cleanup short. A signal already
    ignored (a background job's SIGINT) stays ignored; the previous handlers come back after."""
    stops = (signal.SIGINT, signal.SIGTERM)

    def stop(signum: int, frame: FrameType | None) -> None:
        for number in stops:
            signal.signal(number, signal.SIG_IGN)
        if signum == signal.SIGTERM:
            raise _Terminated
        raise KeyboardInterrupt

    previous: dict[int, Any] = {}
    try:
        for number in stops:
            if signal.getsignal(number) != signal.SIG_IGN:
                previous[number] = signal.signal(number, stop)
    except ValueError:  # not the main thread: the signals are not this call's to take
        pass
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)


class _ClosedOutput(io.StringIO):
    """Standard output when the process has none (started with ``>&-``): writing to it
    fails as writing to a closed one does."""

    def write(self, text: str, /) -> int:
        if text:
            raise OSError(errno.EBADF, "closed")
        return 0


class _ClosedInput(io.BytesIO):
    """Standard input when the process has none (``<&-``): it cannot be read."""

    def read(self, size: int | None = -1, /) -> bytes:
        raise OSError(errno.EBADF, "closed")


def _hold_if_closed(fd: int) -> None:
    """Put /dev/null on a closed standard descriptor, so that no file this run opens (a
    DuckDB database, a Parquet file) lands on 0, 1 or 2, where a stray write to standard
    output or error (a library's warning, a worker process) would corrupt it."""
    try:
        os.fstat(fd)
    except OSError:
        null = os.open(os.devnull, os.O_RDWR)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)


def _standard_streams() -> tuple[TextIO, TextIO]:
    """Standard output and error; one the process was started without (``sys.stdout is
    None``) becomes a stand-in: output that cannot be written (reported as closed), error
    that goes nowhere."""
    for fd in (0, 1, 2):
        _hold_if_closed(fd)
    stdout: TextIO = _ClosedOutput() if sys.stdout is None else sys.stdout
    stderr: TextIO = open(os.devnull, "w") if sys.stderr is None else sys.stderr  # noqa: SIM115
    return stdout, stderr


def _standard_input() -> BinaryIO:
    """Standard input as bytes; without one (``<&-``), input that cannot be read."""
    return _ClosedInput() if sys.stdin is None else sys.stdin.buffer


def _discard_standard_output() -> None:
    """Standard output to /dev/null, so that the interpreter's final flush of what is still
    buffered cannot fail again (an "Exception ignored" after the one line)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # none, or not a file (tests' capture)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def _stopped(command: str, how: str, status: int, err: TextIO) -> int:
    """The one line and the status of a run stopped by a signal. What is still buffered for
    standard output is written; a standard output that fails now is let go silently."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError:
        _discard_standard_output()
    print(f"{command}: {how}", file=err)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    with _signals_stop_the_run():
        command = "python -m normalize"
        stdout, stderr = _standard_streams()
        try:
            args = _parser().parse_args(argv)
            command = f"python -m normalize {args.command}"
            return _run_command(args, command, stdout, stderr)
        except KeyboardInterrupt:
            return _stopped(command, "interrupted", 130, stderr)
        except _Terminated:
            return _stopped(command, "terminated", 143, stderr)


def _run_command(args: argparse.Namespace, command: str, stdout: TextIO, stderr: TextIO) -> int:
    try:
        if args.command == "batch":
            return _batch(args, stdout, stderr)
        sources: list[tuple[str, BinaryIO | Path]] = [(str(path), path) for path in args.files]
        if not sources:
            sources = [("<stdin>", _standard_input())]
        return convert(
            args.vendor,
            sources,
            operation=args.operation,
            status=args.status,
            max_body_bytes=args.max_body_bytes,
            out=stdout,
            err=stderr,
        )
    except MissingExtra as exc:
        print(f"{command}: {exc}", file=stderr)
        return 2
    except (BrokenPipeError, _OutputFailed) as exc:
        # The reader went away (`| head`), there is none (`>&-`) or the disk is full: one
        # line, status 1. Standard output goes to /dev/null so the interpreter's final flush
        # cannot fail again.
        _discard_standard_output()
        reason = "closed" if isinstance(exc, BrokenPipeError) else str(exc)
        print(f"{command}: cannot write standard output: {reason}", file=stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
