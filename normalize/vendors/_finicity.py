"""Mapping shared by the two Mastercard Open Finance (formerly Finicity) regions.

AU and US are two specs and two generated model families with the same shapes, so the two
vendor modules share this mapping and differ in their operations and freshness rules.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .._decode import into
from .._errors import MalformedPayload, VendorError, VendorErrorCode
from .._mapping import Context, build_record, from_unix_seconds
from .._money import parse_amount
from .._record import BalanceRecord
from .._types import Freshness
from ._status import code_for_status

# Error codes seen in the vendor's documentation (VENDORS.md section 1).
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


def to_records(
    document: Any,
    context: Context,
    *,
    wire: ModuleType,
    operation: str | None,
    freshness: Freshness,
    not_found: VendorErrorCode = VendorErrorCode.NOT_FOUND,
) -> list[BalanceRecord]:
    """Records from an AvailableBalance body; VendorError from an ErrorMessage body.

    ``not_found`` is what an unrecognised 404 means for the operation (AU's cached
    endpoint answers 404 when no balance was ever cached).
    """
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    if "code" in document and "availableBalance" not in document:
        raise _vendor_error(into(wire.ErrorMessage, document, vendor=vendor), context, not_found)
    body = into(wire.AvailableBalance, document, vendor=vendor)
    records = []
    for name, amount, date in (
        ("availableBalance", body.available_balance, body.available_balance_date),
        ("clearedBalance", body.cleared_balance, body.cleared_balance_date),
    ):
        field = f"$.{name}"
        value = parse_amount(amount, vendor=vendor, field=field)
        records.append(
            build_record(
                context,
                operation=operation,
                freshness=freshness,
                account_id=body.id,
                vendor_balance_type=name,
                amount=value,
                amount_text=str(amount),
                indicator=None,
                currency=body.currency,
                as_of=from_unix_seconds(date, vendor=vendor, field=f"{field}Date"),
                field=field,
            )
        )
    return records


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
