"""The per-response function: envelopes to rows of the three tables.

Every input becomes an ``Envelope`` (a capture line through ``envelope_from_line``, a raw
file with what its name and folder say, a DataFrame row through ``envelope_from_mapping``)
and goes through ``parse_envelope``, the one parse of every door. The outcome's records
become ``balances`` rows, each NormalizeError problem a ``rejects`` row and each VendorError
problem a ``vendor_errors`` row; the outcome's kind is where the response lands. The same
function runs in the batch job's worker processes and on Spark executors, so both give the
same rows.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation
from typing import Any

import attrs
import pyarrow as pa

from .._capture import (
    CaptureChunk,
    Oversized,
    RawFile,
    Unreadable,
    line_envelopes,
    raw_envelope,
)
from .._envelope import (
    DEFAULT_MAX_BODY_BYTES,
    Envelope,
    envelope_from_mapping,
    is_line_number,
    parse_envelope,
)
from .._errors import InvalidEnvelope, NormalizeError, VendorError, clip
from .._outcome import Outcome, OutcomeKind, Problem, Scope
from .._record import BalanceRecord
from ._schema import BALANCES, RECORD_FIELDS, REJECTS, VENDOR_ERRORS

# The landings, in the manifest's order; every response lands in exactly one.
LANDINGS = tuple(kind.value for kind in OutcomeKind)
_RECORD_NAMES = tuple(field.name for field in RECORD_FIELDS)
# One record's fields as a tuple, in the balances table's column order.
_RECORD_ROW = operator.attrgetter(*_RECORD_NAMES)
_PROVENANCE_NAMES = ("source_file", "source_line", "envelope_id", "captured_at")
Provenance = tuple[str, int | None, str | None, datetime | None]


@attrs.frozen
class Converted:
    """The rows of a run of responses, and how many landed where."""

    balances: pa.RecordBatch
    rejects: pa.RecordBatch
    vendor_errors: pa.RecordBatch
    counts: dict[str, int]


class Rows:
    """Column lists of the three tables, filled response by response."""

    def __init__(self, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.records: list[BalanceRecord] = []
        self.provenance: list[Provenance] = []
        self.rejects: dict[str, list[Any]] = {name: [] for name in REJECTS.names}
        self.vendor_errors: dict[str, list[Any]] = {name: [] for name in VENDOR_ERRORS.names}
        self.counts = dict.fromkeys(
            ("responses", *LANDINGS, "balances", "rejects", "vendor_errors", "internal_errors"), 0
        )
        self.max_body_bytes = max_body_bytes

    def add_read(
        self,
        provenance: Provenance,
        vendor: str | None,
        read: bytes | Oversized,
        found: Envelope | NormalizeError,
    ) -> None:
        """One input as read (a capture line or raw file): its envelope's rows, or one
        reject row for the error that stands for it (with what was read, or the size and
        SHA-256 of what was too large to hold)."""
        if isinstance(found, Envelope):
            self.add(found)
        elif isinstance(read, Oversized):
            self.refused(found, provenance, vendor, read.sha256, None)
        else:
            self.refused(found, provenance, vendor, None, read)

    def add_mapping(self, row: Mapping[str, Any]) -> None:
        """One envelope given as a mapping (a DataFrame row): the envelope's keys, nulls
        read as absent, plus ``source_file`` and ``source_line``."""
        fields = dict(row)
        source_file = fields.pop("source_file", None)
        source_line = fields.pop("source_line", None)
        provenance: Provenance = (
            _utf8(source_file) if isinstance(source_file, str) else "",
            source_line if is_line_number(source_line) else None,
            None,
            None,
        )
        try:
            # Checked as given (a row's line number is the envelope's to check); the
            # provenance of a refused row keeps what a table can hold.
            envelope = envelope_from_mapping(
                fields,
                source_file=source_file if source_file is not None else "",
                source_line=source_line,
                nulls_absent=True,
            )
        except InvalidEnvelope as exc:
            body = fields.get("body")
            vendor = fields.get("vendor")
            self.refused(
                exc,
                provenance,
                vendor if isinstance(vendor, str) else None,
                None,
                body.encode("utf-8", "surrogatepass") if isinstance(body, str) else None,
            )
            return
        self.add(envelope)

    def unreadable(self, error: Unreadable, vendor: str | None, sha256: str) -> None:
        """An input file none of whose lines is used (a cut gzip stream, a read error): one
        reject row, ``UnreadableInput``, with no line number and no body; ``sha256`` is of
        the bytes that could be read. It counts as one rejected response."""
        self.refused(error.error(vendor), (error.path, None, None, None), vendor, sha256, None)

    def refused(
        self,
        error: NormalizeError,
        provenance: Provenance,
        vendor: str | None,
        sha256: str | None,
        body: bytes | None,
    ) -> None:
        """An input that is not an envelope (or is over the cap): one reject row."""
        self.counts["responses"] += 1
        self.counts[OutcomeKind.REJECTED.value] += 1
        if vendor is None and error.vendor != "?":
            vendor = error.vendor
        self._reject(
            Problem(error=error, scope=Scope.RESPONSE),
            OutcomeKind.REJECTED,
            provenance=provenance,
            vendor=vendor,
            operation=None,
            body=body,
            sha256=sha256,
        )

    def add(self, envelope: Envelope) -> None:
        """One envelope's rows."""
        vendor = envelope.vendor
        try:
            outcome = parse_envelope(envelope, max_body_bytes=self.max_body_bytes)
        except Exception as exc:  # a library bug: kept as a reject, counted, never lost
            self.counts["internal_errors"] += 1
            outcome = Outcome(
                vendor=vendor,
                problems=(
                    Problem(
                        error=NormalizeError(
                            vendor=vendor,
                            field="$",
                            value=None,
                            detail=f"internal error {type(exc).__name__}: {clip(str(exc))}",
                        ),
                        scope=Scope.RESPONSE,
                    ),
                ),
            )
        provenance: Provenance = (
            envelope.source_file or "",
            envelope.source_line,
            envelope.id,
            envelope.captured_at,
        )
        operation = envelope.operation
        kind = outcome.kind
        counts = self.counts
        counts["responses"] += 1
        counts[kind.value] += 1
        records = outcome.records
        if records:
            # Columns are built from the records at the end (see batches).
            self.records.extend(records)
            self.provenance.extend([provenance] * len(records))
            counts["balances"] += len(records)
        for problem in outcome.problems:
            if isinstance(problem.error, VendorError):
                self._vendor_error(problem, kind, provenance, operation)
            else:
                self._reject(
                    problem,
                    kind,
                    provenance=provenance,
                    vendor=vendor,
                    operation=operation,
                    body=envelope.body_bytes(),
                    sha256=None,
                )

    def _reject(
        self,
        problem: Problem,
        kind: OutcomeKind,
        *,
        provenance: tuple[str, int | None, str | None, datetime | None],
        vendor: str | None,
        operation: str | None,
        body: bytes | None,
        sha256: str | None,
    ) -> None:
        error = problem.error
        assert isinstance(error, NormalizeError)
        columns = self.rejects
        for name, value in zip(
            ("source_file", "source_line", "envelope_id", "captured_at"), provenance, strict=True
        ):
            columns[name].append(value)
        columns["vendor"].append(vendor)
        columns["operation"].append(operation)
        columns["outcome"].append(kind.value)
        columns["error_class"].append(type(error).__name__)
        columns["scope"].append(problem.scope.value)
        columns["path"].append(error.field)
        columns["account_id"].append(problem.account_id)
        columns["value"].append(clip(error.value))
        columns["message"].append(str(error))
        columns["body_sha256"].append(
            sha256 if sha256 is not None else hashlib.sha256(body or b"").hexdigest()
        )
        columns["body"].append(body)
        self.counts["rejects"] += 1

    def _vendor_error(
        self,
        problem: Problem,
        kind: OutcomeKind,
        provenance: tuple[str, int | None, str | None, datetime | None],
        operation: str | None,
    ) -> None:
        error = problem.error
        assert isinstance(error, VendorError)
        columns = self.vendor_errors
        for name, value in zip(
            ("source_file", "source_line", "envelope_id", "captured_at"), provenance, strict=True
        ):
            columns[name].append(value)
        columns["vendor"].append(error.vendor)
        columns["operation"].append(operation)
        columns["outcome"].append(kind.value)
        columns["code"].append(error.code.value)
        columns["vendor_code"].append(error.vendor_code)
        columns["vendor_message"].append(error.vendor_message)
        columns["status"].append(error.status)
        columns["trace_id"].append(error.trace_id)
        columns["account_id"].append(error.account_id or problem.account_id)
        columns["scope"].append(problem.scope.value)
        columns["path"].append(problem.path)
        self.counts["vendor_errors"] += 1

    def batches(self) -> tuple[pa.RecordBatch, pa.RecordBatch, pa.RecordBatch]:
        """The rows so far as record batches. Every amount fits decimal(38, 18): the
        record's canonical range guarantees it."""
        # Rows to columns: one tuple of fields per record, transposed.
        record_columns = zip(*map(_RECORD_ROW, self.records), strict=True)
        provenance_columns = zip(*self.provenance, strict=True)
        balances: dict[str, Sequence[Any]] = dict.fromkeys(BALANCES.names, ())
        # Enum members are str subclasses: Arrow takes them as their string values.
        balances.update(zip(_RECORD_NAMES, record_columns, strict=False))
        balances.update(zip(_PROVENANCE_NAMES, provenance_columns, strict=False))
        try:
            balances_batch = _batch(BALANCES, balances)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # The canonical range allows zeros past the 18th decimal ("1.50000000000000000000"),
            # which Arrow will not drop itself: the same values at scale 18, exactly.
            balances["amount"] = [_at_scale_18(amount) for amount in balances["amount"]]
            balances_batch = _batch(BALANCES, balances)
        return (
            balances_batch,
            _batch(REJECTS, self.rejects),
            _batch(VENDOR_ERRORS, self.vendor_errors),
        )


_SCALE_18 = Decimal(1).scaleb(-18)
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, InvalidOperation])


def _at_scale_18(amount: Decimal) -> Decimal:
    """``amount`` with 18 decimals when that is the same number (always, in the canonical
    range: only zeros past the 18th decimal are dropped); else unchanged."""
    try:
        return amount.quantize(_SCALE_18, context=_EXACT)
    except (Inexact, InvalidOperation):
        return amount


def _batch(schema: pa.Schema, columns: Mapping[str, Sequence[Any]]) -> pa.RecordBatch:
    return pa.record_batch(
        [pa.array(columns[field.name], type=field.type) for field in schema], schema=schema
    )


def _utf8(text: str) -> str:
    """``text`` as a table can hold it: a lone surrogate written as its escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _fill(rows: Rows, items: CaptureChunk | Sequence[RawFile]) -> None:
    cap = rows.max_body_bytes
    if isinstance(items, CaptureChunk):
        for number, line, found in line_envelopes(items, cap):
            rows.add_read((items.source_file, number, None, None), None, line, found)
        return
    for raw in items:
        provenance: Provenance = (raw.source_file, None, None, None)
        rows.add_read(provenance, raw.vendor, raw.body, raw_envelope(raw, cap))


def _converted(rows: Rows) -> Converted:
    balances, rejects, vendor_errors = rows.batches()
    return Converted(balances, rejects, vendor_errors, rows.counts)


def convert(
    items: CaptureChunk | Sequence[RawFile], max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Converted:
    """The rows of a chunk of capture lines or of raw files, in input order."""
    rows = Rows(max_body_bytes)
    _fill(rows, items)
    return _converted(rows)


def convert_envelopes(
    envelopes: Iterable[Mapping[str, Any]], max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> Converted:
    """The rows of envelopes given as mappings with the envelope's keys (nulls read as
    absent; ``captured_at`` a datetime or an RFC 3339 string) plus ``source_file`` and
    ``source_line``: Spark's input rows, checked as a capture line is."""
    rows = Rows(max_body_bytes)
    for envelope in envelopes:
        rows.add_mapping(envelope)
    return _converted(rows)
