"""What every vendor module calls to build records: one path through the money rules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from msgspec import UNSET

from ._errors import InvalidTimestamp, MissingField
from ._money import signed
from ._record import BalanceRecord, checked_record
from ._types import BalanceType, CreditDebit, Freshness


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
    currency: str,
    as_of: datetime | None,
    field: str,
) -> BalanceRecord:
    """A record from one vendor balance, its amount signed by the one sign rule.

    ``account_id`` comes from ``account_id_of`` and ``currency`` from ``currency_code``,
    once per account; ``field`` is the amount's path, for errors. What the caller knows
    (``context.operation``, ``context.freshness``) wins over what the payload implies.
    """
    signed_amount, credit_debit = signed(
        amount, indicator, vendor=context.vendor, field=field, text=amount_text
    )
    return checked_record(
        context.vendor,
        account_id,
        balance_type,
        vendor_balance_type,
        credit_debit,
        signed_amount,
        currency,
        as_of,
        context.freshness or freshness,
        context.operation or operation,
        amount_text,
    )


def account_id_of(value: object, *, vendor: str, field: str) -> str:
    """The account identifier as a string; missing or empty is an error."""
    if value is None or value is UNSET or value == "":
        raise MissingField(vendor=vendor, field=field, value=value)
    return str(value)


def from_unix_seconds(value: object, *, vendor: str, field: str) -> datetime:
    """A UTC datetime from integer Unix seconds."""
    if type(value) is not int:  # not a bool either
        raise InvalidTimestamp(vendor=vendor, field=field, value=value)
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidTimestamp(vendor=vendor, field=field, value=value) from None


def from_unix_millis_text(value: object, *, vendor: str, field: str) -> datetime:
    """A UTC datetime from Unix milliseconds written as a digit string (proto3 int64)."""
    # An int64 has at most 19 digits; a longer string is no timestamp (and int() of a very
    # long one would refuse anyway).
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        raise InvalidTimestamp(vendor=vendor, field=field, value=value)
    seconds, millis = divmod(int(value), 1000)
    try:
        return datetime.fromtimestamp(seconds, UTC).replace(microsecond=millis * 1000)
    except (OverflowError, OSError, ValueError):
        raise InvalidTimestamp(vendor=vendor, field=field, value=value) from None


def to_utc(value: datetime, *, vendor: str, field: str) -> datetime:
    """An RFC 3339 datetime in UTC; one without an offset is an error, not a guess."""
    if value.tzinfo is UTC:
        return value
    if value.utcoffset() is None:
        raise InvalidTimestamp(vendor=vendor, field=field, value=value.isoformat())
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+00:01 is a valid RFC 3339 time before year 1 in UTC.
        raise InvalidTimestamp(
            vendor=vendor, field=field, value=value.isoformat(), detail="out of range in UTC"
        ) from None
