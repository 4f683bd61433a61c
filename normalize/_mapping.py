"""What every vendor module calls to build records: one path through the money rules, the
timestamp readers, and the collector of problems."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from msgspec import UNSET, UnsetType

from ._errors import InvalidTimestamp, MissingField, NormalizeError, SignConflict, VendorError
from ._money import currency_code
from ._outcome import Problem, Scope
from ._record import BalanceRecord, new_record
from ._types import BalanceType, CreditDebit, Freshness

_CREDIT, _DEBIT = CreditDebit.CREDIT, CreditDebit.DEBIT
T = TypeVar("T")


class RequestParameter(NamedTuple):
    """A request parameter an envelope may carry (``Envelope.request``, a vendor module's
    ``REQUEST_CONTEXT``): an integer from ``minimum`` to ``maximum``, and the freshness
    its value gives the answer's records."""

    minimum: int
    maximum: int
    freshness: Callable[[int], Freshness]


class Context(NamedTuple):
    """What is known about a response besides its body.

    ``operation`` is the vendor operationId it answered (None: tell from the payload where
    it can be told), ``freshness`` overrides what the operation implies, ``status`` is the
    HTTP status and ``trace_id`` the vendor's correlation or trace id, when known.
    ``is_xml`` says the document came from XML, where every leaf is text.
    """

    vendor: str
    operation: str | None = None
    freshness: Freshness | None = None
    status: int | None = None
    trace_id: str | None = None
    is_xml: bool = False


class Collector:
    """The records and problems of one response, in body order.

    A mapping reads each balance (or each account) inside ``attempt(scope, path, build)``:
    a NormalizeError or VendorError raised there becomes a problem of that scope at that
    path (``problem``), and the mapping goes on with the next one, so one bad balance never
    hides the good ones beside it.
    """

    __slots__ = ("problems", "records")

    def __init__(self) -> None:
        self.records: list[BalanceRecord] = []
        self.problems: list[Problem] = []

    def attempt(
        self,
        scope: Scope,
        path: str,
        build: Callable[[], T],
        *,
        account_id: str | None = None,
    ) -> T | None:
        try:
            return build()
        except (NormalizeError, VendorError) as exc:
            self.problem(exc, scope, path, account_id=account_id)
        return None

    def problem(
        self,
        error: NormalizeError | VendorError,
        scope: Scope,
        path: str,
        *,
        account_id: str | None = None,
    ) -> None:
        """Record ``error`` (its fields relative to ``path``) as a problem of that scope."""
        if isinstance(error, NormalizeError):
            error = error.within(path)
        self.problems.append(Problem(error=error, scope=scope, path=path, account_id=account_id))

    def add(self, record: BalanceRecord | None) -> None:
        if record is not None:
            self.records.append(record)


def build_record(
    context: Context,
    *,
    operation: str | None,
    freshness: Freshness,
    account_id: str,
    balance_type: BalanceType,
    vendor_balance_type: str | None,
    amount: Decimal,
    amount_text: str,
    indicator: CreditDebit | None,
    currency: object,
    as_of: datetime | None,
    field: str,
    currency_field: str,
) -> BalanceRecord:
    """A record from one vendor balance: the one path through the sign rule.

    ``amount`` is the exact amount one of ``_money``'s wire-form readers gave (already in
    the canonical range) and ``amount_text`` its wire text. ``currency`` is the wire
    currency, checked by ``currency_code``. ``indicator`` is None for vendors whose amounts
    carry their sign. ``field`` and ``currency_field`` are the paths errors name. What the
    caller knows (``context.operation``, ``context.freshness``) wins over what the payload
    implies.

    The sign rule lives here and nowhere else: the holder-side amount is signed (credit
    >= 0, debit < 0). Without an indicator the side follows the sign. With one, the amount
    is unsigned: a negative amount beside it is a SignConflict, not a guess, and DEBIT
    negates it. Zero is CREDIT whatever the indicator, and never negative zero.
    """
    vendor = context.vendor
    code = currency_code(currency, vendor=vendor, field=currency_field)
    value = amount
    if indicator is None:
        credit_debit = _DEBIT if value.is_signed() else _CREDIT
    elif value.is_signed() and value:
        raise SignConflict(
            vendor=vendor, field=field, value=amount_text, detail=f"indicator {indicator.value}"
        )
    else:
        credit_debit = indicator
        if indicator is _DEBIT:
            value = value.copy_negate()
    if not value:
        # "-0.00" keeps its scale but not its sign: zero is a credit balance.
        value = value.copy_abs()
        credit_debit = _CREDIT
    return new_record(
        vendor,
        account_id,
        balance_type,
        vendor_balance_type,
        credit_debit,
        value,
        code,
        as_of,
        context.freshness or freshness,
        context.operation or operation,
        amount_text,
    )


def keys_of(document: dict[str, Any]) -> list[str]:
    """An object's keys for an error value: sorted, at most the first eight (an error
    must not carry a hostile body's million keys along)."""
    return sorted(document)[:_KEYS_SHOWN]


_KEYS_SHOWN = 8


def present(value: T | UnsetType | None) -> T | None:
    """An optional wire value, with absent and explicit ``null`` both read as absent."""
    if value is UNSET:  # msgspec's one UnsetType instance
        return None
    return value


def account_id_of(value: object, *, vendor: str, field: str) -> str:
    """The account identifier as a string; missing or empty is an error."""
    if value is None or value is UNSET or value == "":
        raise MissingField(vendor=vendor, field=field, value=None if value is UNSET else value)
    if type(value) is int:
        return str(value)
    if type(value) is not str:
        raise MissingField(vendor=vendor, field=field, value=value)
    return value


def from_unix_seconds(value: object, *, vendor: str, field: str) -> datetime:
    """A UTC datetime from integer Unix seconds."""
    if type(value) is not int:  # not a bool either
        raise InvalidTimestamp(vendor=vendor, field=field, value=value)
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidTimestamp(vendor=vendor, field=field, value=value) from None


UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def unless_zero_time(moment: datetime) -> datetime | None:
    """The zero-time rule, once for every vendor: a Unix time of zero (0 seconds or 0
    milliseconds, in any spelling its reader accepts) is a time the vendor did not set, so
    ``as_of`` is None rather than 1970-01-01T00:00:00Z. Any other time, 1 ms after the epoch
    or before it, is kept as written.

    Token's ``updated_at_ms`` is a proto3 ``int64``: proto3 gives scalar fields no presence,
    so an unset one reads as 0 and a writer that emits default values writes ``"0"``; the
    protobuf documentation says a parsed 0 cannot be told from "not set". Open Finance's
    balance dates are required Unix seconds, with no word on a missing one; the same
    vendor's spec writes 0 for other fields when nothing was provided, and no balance was
    taken at the epoch. Where a vendor says otherwise, this function is the one place."""
    return None if moment == UNIX_EPOCH else moment


def from_unix_millis(value: object, *, vendor: str, field: str) -> datetime:
    """A UTC datetime from Unix milliseconds: a proto3 int64, written as a digit string
    (the canonical proto3 JSON form) or as a JSON integer (which parsers also accept)."""
    if type(value) is int:
        millis = value
    elif (
        type(value) is str
        and 0 < len(value) <= 20
        and value.isascii()
        and (value.isdigit() or (value[0] == "-" and value[1:].isdigit()))
    ):
        millis = int(value)
    else:
        raise InvalidTimestamp(vendor=vendor, field=field, value=value)
    if not -(2**63) <= millis < 2**63:
        raise InvalidTimestamp(vendor=vendor, field=field, value=value, detail="not an int64")
    seconds, rest = divmod(millis, 1000)
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
        return moment.replace(microsecond=rest * 1000) if rest else moment
    except (OverflowError, OSError, ValueError):
        raise InvalidTimestamp(vendor=vendor, field=field, value=value) from None


# RFC 3339 date-time (section 5.6): full-date "T" partial-time time-offset; "t"/"z" and a
# space separator are allowed there too. Fractions of any length; seconds 00-60 (60 is a
# leap second, read as the last microsecond of second 59 would be a guess, so refused).
_RFC3339 = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})[Tt ]"
    r"(?P<h>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,30}))?"
    r"(?P<tz>[Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def from_rfc3339(value: object, *, vendor: str, field: str) -> datetime:
    """A UTC datetime from an RFC 3339 date-time. Digits past the microsecond are truncated,
    never rounded into another second; a time without an offset is an error, not a guess."""
    if type(value) is not str:
        raise InvalidTimestamp(vendor=vendor, field=field, value=value)
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise InvalidTimestamp(vendor=vendor, field=field, value=value, detail="not RFC 3339")
    if value[10] == "T" and value[-1] == "Z" and value[11:13] != "24":
        # The usual spelling, in UTC: the C parser gives the same moment (it truncates
        # digits past the microsecond too, and refuses what datetime() below refuses; hour
        # 24, which some versions of it read as the next day, takes the path below).
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise InvalidTimestamp(vendor=vendor, field=field, value=value) from None
    year, month, day, hour, minute, second, fraction, tz = match.groups()
    try:
        if tz in ("Z", "z"):
            offset = UTC
        else:
            hours, minutes = int(tz[1:3]), int(tz[4:6])
            if minutes > 59:
                raise ValueError("offset minutes")
            if hours or minutes:
                delta = timedelta(hours=hours, minutes=minutes)
                offset = timezone(-delta if tz[0] == "-" else delta)
            else:
                offset = UTC  # what timezone() of a zero offset is
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int(fraction[:6].ljust(6, "0")) if fraction else 0,
            offset,
        )
        return moment if offset is UTC else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        # Out-of-range fields (month 13, second 80), or a time before year 1 in UTC
        # (0001-01-01T00:00:00+00:01).
        raise InvalidTimestamp(vendor=vendor, field=field, value=value) from None
