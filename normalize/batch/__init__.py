"""Captured vendor responses to DuckDB or Parquet tables, every input accounted for.

``python -m normalize batch INPUT... --out DIR`` (needs the ``batch`` extra) reads capture
files (JSON Lines of envelopes, plain, gzip or zstd) and folders of raw response files, and
calls ``parse_response`` once per response with what its envelope says. Each response
lands in exactly one of four places, its ``Outcome.kind``:

- ``records``: no problem; its records are ``balances`` rows.
- ``partial``: some records (``balances`` rows) and some problems.
- ``vendor_error``: no records, every problem the vendor's own error.
- ``rejected``: no records, at least one problem is bad input (or the job refused the
  line: ``InvalidEnvelope``, ``BodyTooLarge``).

Each problem is one row: a NormalizeError a ``rejects`` row (with the body), a VendorError a
``vendor_errors`` row, whatever the response's landing; both carry the landing in
``outcome``. ``manifest.json`` holds the four counts, which add up to the responses read.

Tables and their Arrow schemas: ``normalize.batch._schema``; the per-response function:
``convert`` (also what ``normalize.spark`` runs on executors). Every input is an
``Envelope`` read by ``normalize._capture`` and parsed by ``parse_envelope``, as at every
other door.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._envelope import DEFAULT_MAX_BODY_BYTES
from .._errors import BodyTooLarge, InvalidEnvelope, MissingExtra

if TYPE_CHECKING:
    from ._run import FORMATS, Summary, run
    from ._schema import BALANCES, REJECTS, TABLES, VENDOR_ERRORS

_LAZY = {
    "BALANCES": "._schema",
    "REJECTS": "._schema",
    "TABLES": "._schema",
    "VENDOR_ERRORS": "._schema",
    "FORMATS": "._run",
    "Summary": "._run",
    "run": "._run",
}
_EXTRA_MODULES = ("pyarrow", "duckdb", "zstandard", "jiter")


def require(to: str | None = None) -> None:
    """Raise MissingExtra when a module of the ``batch`` extra is not installed (found, not
    imported: ``--to parquet`` never imports duckdb)."""
    import importlib.util

    for module in _EXTRA_MODULES:
        if module == "duckdb" and to == "parquet":
            continue
        if importlib.util.find_spec(module) is None:
            raise MissingExtra("batch", module)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    require("parquet")
    import importlib

    return getattr(importlib.import_module(module, __name__), name)


__all__ = [
    "BALANCES",
    "DEFAULT_MAX_BODY_BYTES",
    "FORMATS",
    "REJECTS",
    "TABLES",
    "VENDOR_ERRORS",
    "BodyTooLarge",
    "InvalidEnvelope",
    "MissingExtra",
    "Summary",
    "require",
    "run",
]
