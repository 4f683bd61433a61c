"""Token.io: current, available and other balances of one or several accounts.

One account (``getBalance``: ``{"balance", "status"}``) or several (``getBalances``:
``{"response": [...]}``, one such object per account). Only ``status`` SUCCESSFUL_REQUEST
carries a usable balance. Each balance gives ``current`` as INTERIM_BOOKED and
``available`` as INTERIM_AVAILABLE, plus one record per ``otherBalances`` entry, whose
bank-defined ``type`` goes through the alias table (UNCLASSIFIED, raw string kept, when no
alias knows it) and whose ``updatedAtMs`` is ``as_of``. ``current`` and ``available``
carry no time, so their ``as_of`` is None.

``Money.value`` is a signed decimal string kept exactly ("12009.1000" keeps its four
digits: the bank rounds half-even to typically four places, Token adds no rounding).

``MORE_SIGNATURES_NEEDED`` (the bank wants the user to consent again) is a VendorError
CONSENT_INVALID, ``INVALID_REQUEST`` a VendorError INVALID_REQUEST. In the several-accounts
form the accounts that did succeed ride along on the error's ``records``. Error bodies
``{"error": {"message", "tokenTraceId"}}`` take their canonical code from the HTTP status.

Docs: https://developer.token.io/token_rest_api_doc/content/e-rest/ais/get_account_balance.htm
"""

from __future__ import annotations

from typing import Any

from token_io_client import wire

from .._balance_types import balance_type_of
from .._decode import fast_decoder, into, keyed_decoder
from .._errors import (
    MalformedPayload,
    MissingField,
    NormalizeError,
    VendorError,
    VendorErrorCode,
)
from .._mapping import Context, account_id_of, build_record, from_unix_millis_text
from .._record import BalanceRecord
from .._types import Freshness
from ._status import code_for_status

VENDOR = "token-io"
OPERATIONS = {"getBalance": Freshness.UNKNOWN, "getBalances": Freshness.UNKNOWN}
decode_fast = keyed_decoder(
    "response",
    fast_decoder(wire.GetBalancesResponse, present="response"),
    fast_decoder(wire.GetBalanceResponse),
)

STATUS_ERRORS = {
    "MORE_SIGNATURES_NEEDED": VendorErrorCode.CONSENT_INVALID,
    "INVALID_REQUEST": VendorErrorCode.INVALID_REQUEST,
}


def to_records(document: Any, context: Context) -> list[BalanceRecord]:
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    if "error" in document:
        error = into(wire.ErrorResponse, document, vendor=vendor).error
        raise VendorError(
            vendor=vendor,
            code=code_for_status(context.status),
            vendor_message=error.message,
            status=context.status,
            trace_id=error.token_trace_id or context.trace_id,
        )
    if "response" in document:
        body: Any = into(wire.GetBalancesResponse, document, vendor=vendor)
    elif "status" in document:
        body = into(wire.GetBalanceResponse, document, vendor=vendor)
    elif not document and context.operation == "getBalances":
        # proto3 JSON leaves an empty list out: no accounts, no records.
        body = into(wire.GetBalancesResponse, document, vendor=vendor)
    else:
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=sorted(document),
            detail="expected 'balance' and 'status', 'response' or 'error'",
        )
    return records(body, context)


def records(body: Any, context: Context) -> list[BalanceRecord]:
    """Records from a GetBalanceResponse or GetBalancesResponse model."""
    several = hasattr(body, "response")
    entries = (body.response or ()) if several else (body,)
    operation = "getBalances" if several else "getBalance"
    out: list[BalanceRecord] = []
    failed = None
    for index, entry in enumerate(entries):
        if entry.status != "SUCCESSFUL_REQUEST":
            if failed is None:
                failed = entry
            continue
        try:
            out += _balance_records(entry.balance, operation, context)
        except NormalizeError as exc:
            raise exc.within(f"$.response[{index}]" if several else "$") from None
    if failed is not None:
        raise VendorError(
            vendor=context.vendor,
            code=STATUS_ERRORS[failed.status],
            vendor_code=str(failed.status),
            status=context.status,
            trace_id=context.trace_id,
            account_id=failed.balance.account_id if failed.balance else None,
            records=tuple(out),
        )
    return out


_CURRENT = balance_type_of("current")
_AVAILABLE = balance_type_of("available")


def _balance_records(balance: Any, operation: str, context: Context) -> list[BalanceRecord]:
    """The records of one successful entry's balance. Errors name fields relative to the
    part being read (``where``), and the full path is spelled out only when one is raised."""
    vendor = context.vendor
    if not balance:
        raise MissingField(vendor=vendor, field="balance")
    where = "balance"
    try:
        account_id = account_id_of(balance.account_id, vendor=vendor, field="accountId")
        where = "balance.current"
        current = balance.current
        out = [
            build_record(
                context,
                operation=operation,
                freshness=Freshness.UNKNOWN,
                account_id=account_id,
                balance_type=_CURRENT,
                vendor_balance_type="current",
                amount=current.value,
                indicator=None,
                currency=current.currency,
                as_of=None,
                field="value",
                currency_field="currency",
            )
        ]
        where = "balance.available"
        available = balance.available
        out.append(
            build_record(
                context,
                operation=operation,
                freshness=Freshness.UNKNOWN,
                account_id=account_id,
                balance_type=_AVAILABLE,
                vendor_balance_type="available",
                amount=available.value,
                indicator=None,
                currency=available.currency,
                as_of=None,
                field="value",
                currency_field="currency",
            )
        )
        for index, other in enumerate(balance.other_balances or ()):
            where = f"balance.otherBalances[{index}]"
            out.append(_other_record(other, operation, account_id, context))
    except NormalizeError as exc:
        raise exc.within(where) from None
    return out


def _other_record(other: Any, operation: str, account_id: str, context: Context) -> BalanceRecord:
    """The record of one ``otherBalances`` entry; errors name fields relative to it."""
    # The generated attrs client (openapi-python-client) names this field ``type_``.
    type_name = getattr(other, "type", None) or getattr(other, "type_", None) or None
    updated = other.updated_at_ms
    money = other.amount
    return build_record(
        context,
        operation=operation,
        freshness=Freshness.UNKNOWN,
        account_id=account_id,
        balance_type=balance_type_of(type_name),
        vendor_balance_type=type_name,
        amount=money.value,
        indicator=None,
        currency=money.currency,
        as_of=(
            from_unix_millis_text(updated, vendor=context.vendor, field="updatedAtMs")
            if updated
            else None
        ),
        field="amount.value",
        currency_field="amount.currency",
    )
