"""Command line: ``python -m normalize convert`` and ``python -m normalize batch``.

``convert --vendor V [--status S] [FILE ...]`` prints one JSON object per balance record
(JSON Lines) on standard output, reading each FILE (standard input when none is given) as
one response body of vendor V. Every problem of a response (the whole of it, one account,
one balance) is one line on standard error naming the file, the error class, vendor, field
and value; the good records of a partly failed response are still printed; the exit status
is 1 when any response had a problem or a file could not be read.

``batch INPUT... --out DIR`` turns capture files and folders of raw responses into DuckDB
or Parquet tables (``normalize.batch``; needs the ``batch`` extra). Exit status: 0 when every
input was read (rejects are data, not failures), 1 when an input could not be read, 2 on a
usage error.

Both refuse inputs that are not regular files (a FIFO, a device), treat a body larger than
``--max-body-bytes`` as a reject, and end with one line and status 1 when standard output
is closed or full.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ._api import VENDORS, parse_response
from ._errors import NormalizeError
from .batch._errors import BodyTooLarge, MissingExtra

DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024


class _OutputFailed(Exception):
    """Standard output could not be written (closed pipe, full disk)."""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m normalize", description="Vendor balance responses to canonical records."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser(
        "convert",
        help="print canonical records (JSON Lines) for vendor response bodies",
        description="Print one JSON object per canonical balance record.",
    )
    convert.add_argument("--vendor", required=True, choices=VENDORS, help="vendor id")
    convert.add_argument(
        "--operation", help="the vendor operationId the bodies answered (sets provenance)"
    )
    convert.add_argument(
        "--status", type=int, help="the HTTP status the bodies came with (refines error codes)"
    )
    convert.add_argument(
        "--max-body-bytes",
        type=_positive,
        default=DEFAULT_MAX_BODY_BYTES,
        help="a larger body is refused as BodyTooLarge (default: %(default)s)",
    )
    convert.add_argument(
        "files", nargs="*", type=Path, help="response bodies (default: standard input)"
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
        help="duckdb: one database file DIR/balances.duckdb (default); parquet: one file per table",
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


def _read_body(name: str, source: BinaryIO | Path, limit: int) -> bytes:
    if isinstance(source, Path):
        info = os.stat(source)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file (a FIFO, device or socket is refused): {name}")
        with open(source, "rb") as file:
            return file.read(limit + 1)
    return source.read(limit + 1)


def content_type_of(name: str) -> str | None:
    """The content type a file name says (``.xml``, ``.json``); None lets the body say."""
    if name.endswith(".xml"):
        return "application/xml"
    if name.endswith(".json"):
        return "application/json"
    return None


def _write(out: TextIO, text: str) -> None:
    try:
        out.write(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _OutputFailed(exc.strerror or str(exc)) from None


def convert(
    vendor: str,
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
            body = _read_body(name, source, max_body_bytes)
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=err)
            failures += 1
            continue
        if len(body) > max_body_bytes:
            error = BodyTooLarge(
                vendor=vendor, field="$", value=len(body), detail=f"cap {max_body_bytes} bytes"
            )
            print(f"{name}: {type(error).__name__}: {error}", file=err)
            failures += 1
            continue
        content_type = content_type_of(name)
        try:
            outcome = parse_response(
                vendor, body, content_type=content_type, operation=operation, status=status
            )
        except NormalizeError as exc:  # an operation this vendor does not have
            print(f"{name}: {type(exc).__name__}: {exc}", file=err)
            failures += 1
            continue
        for record in outcome.records:
            _write(out, json.dumps(record.to_dict()) + "\n")
        for problem in outcome.problems:
            where = "" if problem.path == "$" else f" at {problem.path}"
            if problem.account_id is not None:
                where += f" (account {problem.account_id})"
            print(f"{name}{where}: {type(problem.error).__name__}: {problem.error}", file=err)
        if outcome.problems:
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

    batch.require()
    from .batch._run import LogProgress, run

    if args.out.exists() and not args.out.is_dir():
        print(f"--out {args.out}: exists and is not a folder", file=err)
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
            progress=progress,
        )
    except OSError as exc:
        # Inputs that cannot be read are in the summary; this is DIR that cannot be written
        # (a full disk, a folder gone). Nothing was put in place.
        print(f"python -m normalize batch: cannot write {args.out}: {exc}", file=err)
        return 1
    finally:
        if bar is not None:
            bar.stop()
    for item in summary.unreadable:
        print(f"{item.path}: cannot read: {item.reason}", file=err)
    if not args.quiet:
        manifest = summary.manifest
        landed = manifest["landed"]
        rows = manifest["rows"]
        _write(
            out,
            f"{manifest['responses']} responses = {landed['records']} records only"
            f" + {landed['partial']} partial + {landed['vendor_error']} vendor errors"
            f" + {landed['rejected']} rejected\n"
            f"rows: balances {rows['balances']}, rejects {rows['rejects']},"
            f" vendor_errors {rows['vendor_errors']}\n"
            f"written: {', '.join(str(args.out / o['path']) for o in manifest['outputs'])},"
            f" {args.out / 'manifest.json'}\n",
        )
        try:
            out.flush()
        except OSError as exc:
            raise _OutputFailed(exc.strerror or str(exc)) from None
    if summary.manifest["internal_errors"]:
        print(
            f"{summary.manifest['internal_errors']} responses hit an internal error "
            "(kept as rejects): please report it",
            file=err,
        )
    return summary.exit_code


class _RichProgress:
    """A progress bar on the terminal: responses/s, records, rejects."""

    def __init__(self, stream: TextIO) -> None:
        import time

        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.time = time.monotonic
        self.started = self.time()
        self.progress = Progress(
            SpinnerColumn(),
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "batch":
            return _batch(args, sys.stdout, sys.stderr)
        sources: list[tuple[str, BinaryIO | Path]] = [(str(path), path) for path in args.files]
        if not sources:
            sources = [("<stdin>", sys.stdin.buffer)]
        return convert(
            args.vendor,
            sources,
            operation=args.operation,
            status=args.status,
            max_body_bytes=args.max_body_bytes,
            out=sys.stdout,
            err=sys.stderr,
        )
    except MissingExtra as exc:
        print(f"python -m normalize {args.command}: {exc}", file=sys.stderr)
        return 2
    except (BrokenPipeError, _OutputFailed) as exc:
        # The reader went away (`| head`) or the disk is full: one line, status 1. Standard
        # output goes to /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        reason = "closed" if isinstance(exc, BrokenPipeError) else str(exc)
        print(
            f"python -m normalize {args.command}: cannot write standard output: {reason}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
