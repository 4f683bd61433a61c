"""What every vendor module calls to build records: one path through the money rules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

from msgspec import UNSET

from ._errors import InvalidTimestamp, MissingField, SignConflict
from ._money import CURRENCIES, DECIMAL_TEXT, currency_code, parse_amount
from ._record import BalanceRecord, checked_record
from ._types import BalanceType, CreditDebit, Freshness

_CREDIT, _DEBIT = CreditDebit.CREDIT, CreditDebit.DEBIT


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
    amount: object,
    indicator: CreditDebit | None,
    currency: object,
    as_of: datetime | None,
    field: str,
    currency_field: str,
    amount_text: str | None = None,
) -> BalanceRecord:
    """A record from one vendor balance: the one path through the money rules.

    ``amount`` is the wire amount (a JSON number's Decimal or a decimal string, read by
    ``parse_amount``; Send passes its amount already scaled from minor units, with the
    wire digits as ``amount_text``). ``currency`` is the wire currency, checked by
    ``currency_code``. ``indicator`` is None for vendors whose amounts carry their sign.
    ``field`` and ``currency_field`` are the paths errors name. What the caller knows
    (``context.operation``, ``context.freshness``) wins over what the payload implies.

    The sign rule lives here and nowhere else: the holder-side amount is signed (credit
    >= 0, debit < 0). Without an indicator the side follows the sign. With one, the amount
    is unsigned: a negative amount beside it is a SignConflict, not a guess, and DEBIT
    negates it. Zero is CREDIT whatever the indicator, and never negative zero.
    """
    vendor = context.vendor
    # The common wire forms are tested inline (this runs once per record); anything else,
    # and every error, goes to the one parser and the one currency check.
    if type(amount) is Decimal and amount.is_finite():
        value = amount
    elif type(amount) is str and DECIMAL_TEXT.fullmatch(amount):
        value = Decimal(amount)
    else:
        value = parse_amount(amount, vendor=vendor, field=field)
    text = str(amount) if amount_text is None else amount_text
    code = (
        currency
        if type(currency) is str and currency in CURRENCIES
        else currency_code(currency, vendor=vendor, field=currency_field)
    )
    if indicator is None:
        credit_debit = _DEBIT if value.is_signed() else _CREDIT
    elif value.is_signed() and value:
        raise SignConflict(
            vendor=vendor, field=field, value=text, detail=f"indicator {indicator.value}"
        )
    else:
        credit_debit = indicator
        if indicator is _DEBIT:
            value = value.copy_negate()
    if not value:
        # "-0.00" keeps its scale but not its sign: zero is a credit balance.
        value = value.copy_abs()
        credit_debit = _CREDIT
    return checked_record(
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
        text,
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
