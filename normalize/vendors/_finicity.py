"""Mapping shared by the two Mastercard Open Finance (formerly Finicity) regions.

AU and US are two specs and two generated model families with the same shapes, so the two
vendor modules share this mapping and differ in their operations and freshness rules.
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

from .._balance_types import balance_type_of
from .._decode import into
from .._errors import InvalidAmount, MalformedPayload, VendorError, VendorErrorCode
from .._mapping import Context, account_id_of, build_record, from_unix_seconds
from .._record import BalanceRecord
from .._types import Freshness
from ._status import code_for_status

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


_AMOUNT_NAMES = ("availableBalance", "clearedBalance")

# Amounts are JSON numbers. The wire struct's Decimal field would also take a string
# (" 5", "1_000", "1e3"), so bodies with a string amount take the general path, which
# refuses them.
STRING_AMOUNT = re.compile(rb'Balance"\s*:\s*"')


def parse(
    document: Any,
    context: Context,
    *,
    wire: ModuleType,
    not_found: VendorErrorCode = VendorErrorCode.NOT_FOUND,
) -> Any:
    """The AvailableBalance struct of a body; VendorError from an ErrorMessage body.

    ``not_found`` is what an unrecognised 404 means for the operation (AU's cached
    endpoint answers 404 when no balance was ever cached).
    """
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    if "code" in document and "availableBalance" not in document:
        raise _vendor_error(into(wire.ErrorMessage, document, vendor=vendor), context, not_found)
    for name in _AMOUNT_NAMES:
        if isinstance(document.get(name), str):
            raise InvalidAmount(
                vendor=vendor, field=f"$.{name}", value=document[name], detail="not a JSON number"
            )
    return into(wire.AvailableBalance, document, vendor=vendor)


_AVAILABLE = balance_type_of("availableBalance")
_CLEARED = balance_type_of("clearedBalance")


def records(
    body: Any, context: Context, *, operation: str | None, freshness: Freshness
) -> list[BalanceRecord]:
    """Two records (available, cleared) from an AvailableBalance model."""
    vendor = context.vendor
    account_id = account_id_of(body.id, vendor=vendor, field="$.id")
    available_date = body.available_balance_date
    available_as_of = from_unix_seconds(
        available_date, vendor=vendor, field="$.availableBalanceDate"
    )
    cleared_date = body.cleared_balance_date
    cleared_as_of = (
        available_as_of
        if cleared_date == available_date
        else from_unix_seconds(cleared_date, vendor=vendor, field="$.clearedBalanceDate")
    )

    return [
        build_record(
            context,
            operation=operation,
            freshness=freshness,
            account_id=account_id,
            balance_type=_AVAILABLE,
            vendor_balance_type="availableBalance",
            amount=body.available_balance,
            indicator=None,
            currency=body.currency,
            as_of=available_as_of,
            field="$.availableBalance",
            currency_field="$.currency",
        ),
        build_record(
            context,
            operation=operation,
            freshness=freshness,
            account_id=account_id,
            balance_type=_CLEARED,
            vendor_balance_type="clearedBalance",
            amount=body.cleared_balance,
            indicator=None,
            currency=body.currency,
            as_of=cleared_as_of,
            field="$.clearedBalance",
            currency_field="$.currency",
        ),
    ]


def _vendor_error(error: Any, context: Context, not_found: VendorErrorCode) -> VendorError:
    code = ERROR_CODES.get(error.code.strip())
    if code is None:
        code = code_for_status(context.status)
        if code is VendorErrorCode.NOT_FOUND:
            code = not_found
    return VendorError(
        vendor=context.vendor,
        code=code,
        vendor_code=error.code,
        vendor_message=error.message,
        status=context.status,
        trace_id=context.trace_id,
    )
