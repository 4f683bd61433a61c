"""Mapping shared by the two Mastercard Open Finance (formerly Finicity) regions.

AU and US are two specs and two generated model families with the same shapes, so the two
vendor modules share this mapping and differ in their operations and freshness rules.

The root type is ``AvailableBalance`` (success) or ``ErrorMessage`` (error). A body with
both a balance (``availableBalance``/``clearedBalance``) and an error ``code`` is refused:
it is neither answer. ``ErrorMessage.code`` is a number or a string in the vendor's
published spec (Mastercard/open-banking-us-openapi, openbanking-us.yaml); either is kept as
text in ``vendor_code``, and ``message`` is optional.

``availableBalanceDate`` and ``clearedBalanceDate`` are Unix seconds (the vendor's
``UnixDate``: "a date in Unix epoch time (in seconds)", negative before 1970). A date of 0 is
read as no date, ``as_of`` None, by the zero-time rule (``_mapping.unless_zero_time``): the
vendor's pages say nothing of a missing date, the same spec writes 0 where a value was not
provided (its ``...SuccessCount`` fields), and no balance was taken at 1970-01-01T00:00:00Z.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mastercard_open_finance_au_client import wire as au_wire
from mastercard_open_finance_us_client import wire as us_wire

from .._balance_types import balance_type_of
from .._decode import into
from .._errors import MalformedPayload, NormalizeError, VendorError, VendorErrorCode
from .._mapping import (
    Collector,
    Context,
    account_id_of,
    build_record,
    from_unix_seconds,
    keys_of,
    present,
    unless_zero_time,
)
from .._money import amount_from_json_number, currency_code
from .._outcome import Problem, Scope
from .._types import Freshness
from ._status import code_for_context

AvailableBalance = au_wire.AvailableBalance | us_wire.AvailableBalance
ErrorMessage = au_wire.ErrorMessage | us_wire.ErrorMessage

# Error codes documented by the vendor, with their HTTP statuses.
ERROR_CODES: dict[str, VendorErrorCode] = {
    "10005": VendorErrorCode.INVALID_REQUEST,  # missing parameter
    "14020": VendorErrorCode.INVALID_REQUEST,  # account type not supported
    "14001": VendorErrorCode.NOT_FOUND,  # customer not found
    # 401: app key or token invalid or expired, account locked.
    "10022": VendorErrorCode.UNAUTHORIZED,
    "10023": VendorErrorCode.UNAUTHORIZED,
    "10024": VendorErrorCode.UNAUTHORIZED,
    "10026": VendorErrorCode.UNAUTHORIZED,
    "24302": VendorErrorCode.UNAUTHORIZED,
}

# (wire name, record's vendor_balance_type, wire name of its date)
_BALANCES = (
    ("availableBalance", "availableBalanceDate"),
    ("clearedBalance", "clearedBalanceDate"),
)
_SUCCESS_KEYS = frozenset(name for name, _ in _BALANCES)
_ERROR_KEY = "code"


def read(
    document: Any,
    context: Context,
    out: Collector,
    *,
    wire: Any,
    status_codes: Mapping[str, Mapping[int, VendorErrorCode]],
    operation: str | None,
    freshness: Freshness,
) -> None:
    """Records from an AvailableBalance body; VendorError from an ErrorMessage body."""
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    success = not _SUCCESS_KEYS.isdisjoint(document)
    if _ERROR_KEY in document:
        if success:
            raise MalformedPayload(
                vendor=vendor,
                field="$",
                value=keys_of(document),
                detail="both a balance and an error code",
            )
        error: ErrorMessage = into(wire.ErrorMessage, document, vendor=vendor)
        raise vendor_error(error, context, status_codes)
    if not success:
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=keys_of(document),
            detail="expected an AvailableBalance or an ErrorMessage",
        )
    body: AvailableBalance = into(wire.AvailableBalance, document, vendor=vendor)
    records(body, document, context, out, operation=operation, freshness=freshness)


_TYPES = {name: balance_type_of(name) for name, _ in _BALANCES}


def records(
    body: AvailableBalance,
    document: dict[str, Any],
    context: Context,
    out: Collector,
    *,
    operation: str | None,
    freshness: Freshness,
) -> None:
    """Two records (available, cleared) from an AvailableBalance; each balance that cannot
    be read is a problem of its own, so the other still counts."""
    vendor = context.vendor
    account_id = account_id_of(body.id, vendor=vendor, field="$.id")
    # One currency for both balances: a bad one is a problem of the whole response.
    currency = currency_code(body.currency, vendor=vendor, field="$.currency")
    available_as_of: datetime | None = None
    as_of: datetime | None
    for name, date, field, date_field in (
        (
            "availableBalance",
            body.available_balance_date,
            "$.availableBalance",
            "$.availableBalanceDate",
        ),
        ("clearedBalance", body.cleared_balance_date, "$.clearedBalance", "$.clearedBalanceDate"),
    ):
        try:
            # The amount is read from the document: the wire struct's Decimal field would
            # also take a string (" 5", "1_000"), which is not a JSON number.
            amount, text = amount_from_json_number(document.get(name), vendor=vendor, field=field)
            # Both dates are usually the same second: read it once.
            if available_as_of is not None and date == body.available_balance_date:
                as_of = available_as_of
            else:
                as_of = unless_zero_time(from_unix_seconds(date, vendor=vendor, field=date_field))
                if name == "availableBalance":
                    available_as_of = as_of
            out.records.append(
                build_record(
                    context,
                    operation=operation,
                    freshness=freshness,
                    account_id=account_id,
                    balance_type=_TYPES[name],
                    vendor_balance_type=name,
                    amount=amount,
                    amount_text=text,
                    indicator=None,
                    currency=currency,
                    as_of=as_of,
                    field=field,
                    currency_field="$.currency",
                )
            )
        except NormalizeError as exc:
            # The fields are named from the root (an amount and its date are siblings
            # there); the problem's path is the balance's amount.
            out.problems.append(
                Problem(error=exc, scope=Scope.BALANCE, path=field, account_id=account_id)
            )


def vendor_error(
    error: ErrorMessage,
    context: Context,
    status_codes: Mapping[str, Mapping[int, VendorErrorCode]],
) -> VendorError:
    code_text = str(error.code).strip()
    code = ERROR_CODES.get(code_text) or code_for_context(context, status_codes)
    account = present(error.account_id)
    return VendorError(
        vendor=context.vendor,
        code=code,
        vendor_code=str(error.code),
        vendor_message=present(error.message),
        status=context.status,
        trace_id=context.trace_id,
        account_id=None if account is None else str(account),
    )
