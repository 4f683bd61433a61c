"""Command line: ``python -m normalize convert --vendor V [FILE ...]``.

Prints one JSON object per balance record (JSON Lines) on standard output, reading each
FILE (standard input when none is given) as one response body of vendor V. A file that
cannot be normalized is reported on standard error with the file, vendor, field and value,
the other files are still converted, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from ._api import VENDORS, normalize_response
from ._errors import NormalizeError, VendorError


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
        "files", nargs="*", type=Path, help="response bodies (default: standard input)"
    )
    return parser


def convert(
    vendor: str,
    sources: Sequence[tuple[str, BinaryIO | Path]],
    *,
    operation: str | None,
    out: TextIO,
    err: TextIO,
) -> int:
    failures = 0
    for name, source in sources:
        try:
            body = source.read_bytes() if isinstance(source, Path) else source.read()
        except OSError as exc:
            print(f"{name}: cannot read: {exc.strerror or exc}", file=err)
            failures += 1
            continue
        content_type = "application/xml" if name.endswith(".xml") else "application/json"
        try:
            records = normalize_response(
                vendor, body, content_type=content_type, operation=operation
            )
        except (NormalizeError, VendorError) as exc:
            print(f"{name}: {type(exc).__name__}: {exc}", file=err)
            failures += 1
            continue
        for record in records:
            out.write(json.dumps(record.to_dict()) + "\n")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sources: list[tuple[str, BinaryIO | Path]] = [(str(path), path) for path in args.files]
    if not sources:
        sources = [("<stdin>", sys.stdin.buffer)]
    try:
        return convert(
            args.vendor, sources, operation=args.operation, out=sys.stdout, err=sys.stderr
        )
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
