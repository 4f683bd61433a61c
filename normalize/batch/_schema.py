"""The three batch tables as Arrow schemas.

``balances`` is the canonical record, column for column: its columns are derived from
``attrs.fields(BalanceRecord)`` (the one definition of the record, which the canonical JSON
Schema is derived from too), followed by the provenance columns every table shares. Types:

- ``Decimal`` -> ``decimal128(38, 18)``: every amount the library accepts fits (its canonical
  range), and it is the exact decimal type Parquet, DuckDB and Spark share.
- ``datetime`` -> ``timestamp[us, tz=UTC]``.
- an enum (``BalanceType``, ``CreditDebit``, ``Freshness``) and ``currency`` -> a
  dictionary-encoded string (few distinct values, many rows).
- ``str`` -> ``string``; ``X | None`` makes the column nullable.

``rejects`` and ``vendor_errors`` hold one row per problem of a response (see
``normalize.batch``), with the same provenance.
"""

from __future__ import annotations

import enum
import types
import typing
from datetime import datetime
from decimal import Decimal

import attrs
import pyarrow as pa

from .._record import BalanceRecord

AMOUNT = pa.decimal128(38, 18)
TIMESTAMP = pa.timestamp("us", tz="UTC")
LABEL = pa.dictionary(pa.int32(), pa.string())

# Strings with few distinct values beside the enums: dictionary-encoded too.
_LABEL_FIELDS = frozenset({"currency"})

PROVENANCE = (
    # The input file as named on the command line (or found under a folder named there).
    pa.field("source_file", pa.string(), nullable=False),
    # The line of a capture file, from 1; null for a raw response file.
    pa.field("source_line", pa.int64()),
    # The envelope's ``id`` and ``captured_at``, when it has them.
    pa.field("envelope_id", pa.string()),
    pa.field("captured_at", TIMESTAMP),
)


def _arrow_type(name: str, annotation: object) -> tuple[pa.DataType, bool]:
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [member for member in typing.get_args(annotation) if member is not type(None)]
        if len(members) != 1:
            raise TypeError(f"BalanceRecord.{name}: no Arrow type for {annotation!r}")
        nullable = True
        annotation = members[0]
    if annotation is Decimal:
        return AMOUNT, nullable
    if annotation is datetime:
        return TIMESTAMP, nullable
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return LABEL, nullable
    if annotation is str:
        return (LABEL if name in _LABEL_FIELDS else pa.string()), nullable
    raise TypeError(f"BalanceRecord.{name}: no Arrow type for {annotation!r}")


def _record_fields() -> tuple[pa.Field, ...]:
    resolved = attrs.resolve_types(BalanceRecord)
    fields = []
    for field in attrs.fields(resolved):
        arrow_type, nullable = _arrow_type(field.name, field.type)
        fields.append(pa.field(field.name, arrow_type, nullable=nullable))
    return tuple(fields)


RECORD_FIELDS = _record_fields()
# The record's fields whose values are enums (written as their string values).
ENUM_FIELDS = frozenset(
    field.name
    for field in attrs.fields(attrs.resolve_types(BalanceRecord))
    if isinstance(field.type, type) and issubclass(field.type, enum.Enum)
)

BALANCES = pa.schema([*RECORD_FIELDS, *PROVENANCE])

# Where a response landed, on each of its problem rows: "partial" (the response also gave
# records), "rejected" or "vendor_error" (it gave none).
_OUTCOME = pa.field("outcome", LABEL, nullable=False)
# What the problem makes unusable: "response", "account" or "balance".
_SCOPE = pa.field("scope", LABEL, nullable=False)
# Where in the body: "$" for the whole response, "$.response[1]" for an account, a field path.
_PATH = pa.field("path", pa.string(), nullable=False)

REJECTS = pa.schema(
    [
        *PROVENANCE,
        pa.field("vendor", pa.string()),
        pa.field("operation", pa.string()),
        _OUTCOME,
        # The NormalizeError class: InvalidAmount, MissingField, ... (InvalidEnvelope,
        # BodyTooLarge for what the batch job itself refuses).
        pa.field("error_class", LABEL, nullable=False),
        _SCOPE,
        _PATH,
        pa.field("account_id", pa.string()),
        # The offending value as text, at most 80 characters (null when absent).
        pa.field("value", pa.string()),
        pa.field("message", pa.string(), nullable=False),
        # SHA-256 (hex) of ``body``; of the whole line or file when ``body`` is null.
        pa.field("body_sha256", pa.string(), nullable=False),
        # The response body exactly as captured (UTF-8 of the envelope's ``body``, or the raw
        # file's bytes), so a fixed library can replay it; for an envelope that could not be
        # read, the line itself; null when larger than the cap.
        pa.field("body", pa.large_binary()),
    ]
)

VENDOR_ERRORS = pa.schema(
    [
        *PROVENANCE,
        pa.field("vendor", pa.string(), nullable=False),
        pa.field("operation", pa.string()),
        _OUTCOME,
        # The canonical VendorErrorCode value: not_found, consent_invalid, ...
        pa.field("code", LABEL, nullable=False),
        pa.field("vendor_code", pa.string()),
        pa.field("vendor_message", pa.string()),
        pa.field("status", pa.int32()),
        pa.field("trace_id", pa.string()),
        pa.field("account_id", pa.string()),
        _SCOPE,
        _PATH,
    ]
)

TABLES: dict[str, pa.Schema] = {
    "balances": BALANCES,
    "rejects": REJECTS,
    "vendor_errors": VENDOR_ERRORS,
}

# The load (one batch run) that wrote a row: every stored table's last column. The
# per-response function's rows (``TABLES``; Spark's DataFrames) have none.
LOAD_ID = pa.field("load_id", pa.string(), nullable=False)
STORED: dict[str, pa.Schema] = {name: schema.append(LOAD_ID) for name, schema in TABLES.items()}


def plain(schema: pa.Schema) -> pa.Schema:
    """The schema with dictionary-encoded columns as plain strings (Spark has no
    dictionary type; DuckDB reads them as VARCHAR)."""
    return pa.schema(
        [
            field.with_type(field.type.value_type) if pa.types.is_dictionary(field.type) else field
            for field in schema
        ]
    )
