"""The per-response function: captured responses to rows of the three tables.

One ``parse_response`` call per response, with what its envelope says (content type,
operation, status, trace id). The outcome's records become ``balances`` rows, each
NormalizeError problem a ``rejects`` row and each VendorError problem a ``vendor_errors``
row; the outcome's kind is where the response lands. The same function runs in the batch
job's worker processes and on Spark executors, so both give the same rows.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, InvalidOperation
from typing import Any, NamedTuple

import attrs
import jiter
import pyarrow as pa

from .._api import parse_response
from .._errors import InvalidAmount, InvalidTimestamp, NormalizeError, VendorError
from .._mapping import from_rfc3339
from .._outcome import Outcome, OutcomeKind, Problem, Scope
from .._record import BalanceRecord
from ._errors import BodyTooLarge, InvalidEnvelope
from ._schema import AMOUNT, BALANCES, RECORD_FIELDS, REJECTS, VENDOR_ERRORS

# The landings, in the manifest's order; every response lands in exactly one.
LANDINGS = tuple(kind.value for kind in OutcomeKind)
# An envelope's keys and the JSON types each may hold (all but vendor and body optional).
_ENVELOPE_KEYS: dict[str, type] = {
    "vendor": str,
    "body": str,
    "content_type": str,
    "operation": str,
    "status": int,
    "trace_id": str,
    "captured_at": str,
    "id": str,
}
_VALUE_CHARS = 80
_RECORD_NAMES = tuple(field.name for field in RECORD_FIELDS)
# One record's fields as a tuple, in the balances table's column order.
_RECORD_ROW = operator.attrgetter(*_RECORD_NAMES)
_PROVENANCE_NAMES = ("source_file", "source_line", "envelope_id", "captured_at")


@attrs.frozen
class Oversized:
    """A capture line or raw file larger than the cap: only its size and SHA-256 are kept."""

    size: int
    sha256: str


@attrs.frozen
class CaptureChunk:
    """Consecutive lines of one capture file, the first being line ``first_line`` (from 1)."""

    source_file: str
    first_line: int
    lines: Sequence[bytes | Oversized]


@attrs.frozen
class RawFile:
    """One raw response file; ``vendor`` from ``--vendor`` or its folder (None: unknown)."""

    source_file: str
    vendor: str | None
    body: bytes | Oversized


class Envelope(NamedTuple):
    """A capture line's envelope, its types checked and ``captured_at`` read."""

    vendor: str
    body: str
    content_type: str | None = None
    operation: str | None = None
    status: int | None = None
    trace_id: str | None = None
    captured_at: datetime | None = None
    id: str | None = None


@attrs.frozen
class Converted:
    """The rows of a run of responses, and how many landed where."""

    balances: pa.RecordBatch
    rejects: pa.RecordBatch
    vendor_errors: pa.RecordBatch
    counts: dict[str, int]


def read_envelope(line: bytes) -> Envelope:
    """The envelope a capture line holds; InvalidEnvelope naming the key when it is not one.

    One JSON object (duplicate keys, NaN and Infinity refused) with a string ``vendor`` and
    ``body``, and optionally ``content_type``, ``operation``, ``trace_id``, ``id`` (strings),
    ``status`` (an integer) and ``captured_at`` (an RFC 3339 date-time); no other key.
    """
    try:
        document = jiter.from_json(line, catch_duplicate_keys=True, allow_inf_nan=False)
    except ValueError as exc:
        raise InvalidEnvelope(
            vendor="?", field="$", value=_clip(line), detail=f"not JSON: {exc}"
        ) from None
    if not isinstance(document, dict):
        raise InvalidEnvelope(vendor="?", field="$", value=_clip(line), detail="not an object")
    vendor = document.get("vendor")
    named = vendor if isinstance(vendor, str) else "?"
    for key, value in document.items():
        kind = _ENVELOPE_KEYS.get(key)
        if kind is None:
            raise InvalidEnvelope(vendor=named, field=key, value=None, detail="unknown key")
        if value is None and key not in ("vendor", "body"):
            continue
        if not isinstance(value, kind) or isinstance(value, bool):
            raise InvalidEnvelope(
                vendor=named, field=key, value=_clip(value), detail=f"not a {kind.__name__}"
            )
    for key in ("vendor", "body"):
        if document.get(key) is None:
            raise InvalidEnvelope(vendor=named, field=key, value=None, detail="missing")
    status = document.get("status")
    if status is not None and not 100 <= status <= 599:
        raise InvalidEnvelope(
            vendor=named, field="status", value=status, detail="not an HTTP status"
        )
    captured_raw = document.get("captured_at")
    get = document.get
    return Envelope(
        document["vendor"],
        document["body"],
        get("content_type"),
        get("operation"),
        status,
        get("trace_id"),
        None if captured_raw is None else _rfc3339(captured_raw, named),
        get("id"),
    )


def _rfc3339(text: str, vendor: str) -> datetime:
    """``captured_at`` as a UTC datetime, read as the library reads a vendor's date-times."""
    try:
        return from_rfc3339(text, vendor=vendor, field="captured_at")
    except InvalidTimestamp:
        raise InvalidEnvelope(
            vendor=vendor, field="captured_at", value=_clip(text), detail="not RFC 3339"
        ) from None


def _as_bytes(body: str | bytes) -> bytes:
    """A body as captured, in bytes (an envelope's ``body`` is text: its UTF-8)."""
    return body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body


def _clip(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        text = value.decode("utf-8", "backslashreplace")
    elif isinstance(value, str):
        text = value
    else:
        text = repr(value)
    return text if len(text) <= _VALUE_CHARS else text[: _VALUE_CHARS - 3] + "..."


class Rows:
    """Column lists of the three tables, filled response by response."""

    def __init__(self, *, check_amounts: bool = False) -> None:
        self.records: list[BalanceRecord] = []
        self.provenance: list[tuple[str, int | None, str | None, datetime | None]] = []
        self.rejects: dict[str, list[Any]] = {name: [] for name in REJECTS.names}
        self.vendor_errors: dict[str, list[Any]] = {name: [] for name in VENDOR_ERRORS.names}
        self.counts = dict.fromkeys(
            ("responses", *LANDINGS, "balances", "rejects", "vendor_errors", "internal_errors"), 0
        )
        # Set after a chunk's amounts did not all fit decimal(38, 18): each amount is then
        # checked on its own and one that does not fit becomes a reject.
        self.check_amounts = check_amounts

    def add_envelope_line(self, source_file: str, line_number: int, line: bytes) -> None:
        try:
            envelope = read_envelope(line)
        except InvalidEnvelope as exc:
            self._refused(exc, source_file, line_number, None, None, line)
            return
        vendor, body, content_type, operation, status, trace_id, captured_at, id_ = envelope
        self.add_response(
            vendor,
            body,
            None,
            (source_file, line_number, id_, captured_at),
            content_type,
            operation,
            status,
            trace_id,
        )

    def add_oversized(
        self, source_file: str, line_number: int | None, vendor: str | None, item: Oversized
    ) -> None:
        error = BodyTooLarge(vendor=vendor or "?", field="$", value=item.size)
        self._refused(error, source_file, line_number, vendor, item.sha256, None)

    def _refused(
        self,
        error: NormalizeError,
        source_file: str,
        line_number: int | None,
        vendor: str | None,
        sha256: str | None,
        body: bytes | None,
    ) -> None:
        """A response the job could not hand to ``parse_response``: one reject row."""
        self.counts["responses"] += 1
        self.counts[OutcomeKind.REJECTED.value] += 1
        if vendor is None and error.vendor != "?":
            vendor = error.vendor
        self._reject(
            Problem(error=error, scope=Scope.RESPONSE),
            OutcomeKind.REJECTED,
            provenance=(source_file, line_number, None, None),
            vendor=vendor,
            operation=None,
            body=body,
            sha256=sha256,
        )

    def add_response(
        self,
        vendor: str,
        body: str | bytes,
        body_bytes: bytes | None,
        provenance: tuple[str, int | None, str | None, datetime | None],
        content_type: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        trace_id: str | None = None,
    ) -> None:
        """One response's rows; ``provenance`` is (source file, line, envelope id,
        captured_at)."""
        try:
            outcome = parse_response(
                vendor,
                body,
                content_type=content_type,
                operation=operation,
                status=status,
                trace_id=trace_id,
            )
        except NormalizeError as exc:  # an unknown vendor or operation
            outcome = Outcome(vendor=vendor, problems=(Problem(error=exc, scope=Scope.RESPONSE),))
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
                            detail=f"internal error {type(exc).__name__}: {_clip(str(exc))}",
                        ),
                        scope=Scope.RESPONSE,
                    ),
                ),
            )
        if self.check_amounts:
            outcome = _amounts_checked(outcome)
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
                    body=_as_bytes(body) if body_bytes is None else body_bytes,
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
        columns["value"].append(_clip(error.value))
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
        """The rows so far as record batches; ArrowInvalid when an amount does not fit
        decimal(38, 18) (only possible while ``check_amounts`` is off)."""
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
    """``amount`` with 18 decimals when that is the same number; else unchanged (Arrow then
    refuses it, and the chunk is converted again with each amount checked)."""
    try:
        return amount.quantize(_SCALE_18, context=_EXACT)
    except (Inexact, InvalidOperation):
        return amount


def _batch(schema: pa.Schema, columns: Mapping[str, Sequence[Any]]) -> pa.RecordBatch:
    return pa.record_batch(
        [pa.array(columns[field.name], type=field.type) for field in schema], schema=schema
    )


_AMOUNT_TYPE = AMOUNT


def _fits(amount: object) -> bool:
    try:
        pa.scalar(amount, type=_AMOUNT_TYPE)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return False
    return True


def _amounts_checked(outcome: Outcome) -> Outcome:
    """The outcome with each record whose amount does not fit decimal(38, 18) turned into an
    InvalidAmount problem ("out of range"), so it is a reject row, not a failed batch."""
    if all(_fits(record.amount) for record in outcome.records):
        return outcome
    kept = []
    problems = list(outcome.problems)
    for record in outcome.records:
        if _fits(record.amount):
            kept.append(record)
            continue
        problems.append(
            Problem(
                error=InvalidAmount(
                    vendor=record.vendor,
                    field=record.vendor_balance_type or "amount",
                    value=record.amount_text,
                    detail="out of range: beyond decimal(38, 18)",
                ),
                scope=Scope.BALANCE,
                account_id=record.account_id,
            )
        )
    return Outcome(vendor=outcome.vendor, records=tuple(kept), problems=tuple(problems))


def _fill(rows: Rows, items: CaptureChunk | Sequence[RawFile]) -> None:
    if isinstance(items, CaptureChunk):
        number = items.first_line
        for line in items.lines:
            if isinstance(line, Oversized):
                rows.add_oversized(items.source_file, number, None, line)
            elif line.strip():
                if line.endswith(b"\n"):
                    line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
                rows.add_envelope_line(items.source_file, number, line)
            number += 1
        return
    for raw in items:
        if isinstance(raw.body, Oversized):
            rows.add_oversized(raw.source_file, None, raw.vendor, raw.body)
        elif raw.vendor is None:
            rows._refused(
                InvalidEnvelope(
                    vendor="?",
                    field="vendor",
                    value=None,
                    detail="no --vendor and no folder named for a vendor",
                ),
                raw.source_file,
                None,
                None,
                None,
                raw.body,
            )
        else:
            rows.add_response(
                raw.vendor,
                raw.body,
                raw.body,
                (raw.source_file, None, None, None),
                _content_type_of(raw.source_file),
            )


def _content_type_of(name: str) -> str | None:
    if name.endswith(".xml"):
        return "application/xml"
    if name.endswith(".json"):
        return "application/json"
    return None  # the body says


def convert(items: CaptureChunk | Sequence[RawFile]) -> Converted:
    """The rows of a chunk of capture lines or of raw files, in input order."""
    rows = Rows()
    _fill(rows, items)
    try:
        balances, rejects, vendor_errors = rows.batches()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        rows = Rows(check_amounts=True)
        _fill(rows, items)
        balances, rejects, vendor_errors = rows.batches()
    return Converted(balances, rejects, vendor_errors, rows.counts)


def convert_envelopes(envelopes: Iterable[dict[str, Any]]) -> Converted:
    """The rows of envelopes given as mappings with the envelope's keys (``captured_at`` a
    datetime, an RFC 3339 string or None) plus ``source_file`` and ``source_line``: Spark's
    input rows."""

    def fill(rows: Rows) -> None:
        for envelope in envelopes_list:
            body = envelope.get("body")
            vendor = envelope.get("vendor")
            source_file = envelope.get("source_file") or ""
            source_line = envelope.get("source_line")
            if not isinstance(vendor, str) or not isinstance(body, str):
                missing = "vendor" if not isinstance(vendor, str) else "body"
                rows._refused(
                    InvalidEnvelope(vendor="?", field=missing, value=None, detail="missing"),
                    source_file,
                    source_line,
                    vendor if isinstance(vendor, str) else None,
                    None,
                    body.encode("utf-8", "surrogatepass") if isinstance(body, str) else None,
                )
                continue
            captured_at = envelope.get("captured_at")
            if isinstance(captured_at, str):
                try:
                    captured_at = _rfc3339(captured_at, vendor)
                except InvalidEnvelope as exc:
                    rows._refused(
                        exc,
                        source_file,
                        source_line,
                        vendor,
                        None,
                        body.encode("utf-8", "surrogatepass"),
                    )
                    continue
            rows.add_response(
                vendor,
                body,
                None,
                (
                    source_file,
                    source_line,
                    envelope.get("id"),
                    None if captured_at is None else captured_at.astimezone(UTC),
                ),
                envelope.get("content_type"),
                envelope.get("operation"),
                envelope.get("status"),
                envelope.get("trace_id"),
            )

    envelopes_list = list(envelopes)
    rows = Rows()
    fill(rows)
    try:
        balances, rejects, vendor_errors = rows.batches()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        rows = Rows(check_amounts=True)
        fill(rows)
        balances, rejects, vendor_errors = rows.batches()
    return Converted(balances, rejects, vendor_errors, rows.counts)
