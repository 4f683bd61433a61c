"""Mastercard Open Banking Connect: PSD2 account balances with credit/debit indicators.

Each entry of ``account.balances`` gives one record for ``account.resourceId``. The amount
is unsigned (``balanceAmount.amount``, a JSON number in recorded sandbox traffic, a decimal
string on the page; both are read exactly, each by its own grammar) and
``creditDebitIndicator`` gives the side: ``Credit``/``Debit`` on the page, ``CREDIT``/``DEBIT``
in the sandbox; our spec enumerates those four spellings and any other (``debit``, ``DR``)
is an UnknownEnumValue rather than a guess. A negative amount beside an indicator is a
SignConflict. ``balanceType`` goes through the alias table (ISO codes, Berlin Group and UK
Open Banking names, and the sandbox's ``Available``/``Current``); ``dateTime`` is ``as_of``
when present.

The vendor page makes ``account`` (0..1), ``name``, ``balances``, ``balanceType`` and
``dateTime`` optional: a body without ``account`` or ``balances`` gives no records, and
``null`` in an optional field is read as absent.

Errors: ``FORMAT_ERROR`` is INVALID_REQUEST, ``INVALID_TOKEN`` (consent expired, invalid or
revoked) is CONSENT_INVALID, ``PROVIDER_ERROR`` is PROVIDER_ERROR except the ASPSP's limit
of unattended requests, which is RATE_LIMITED (only the description tells them apart).

Docs: https://developer.mastercard.com/open-banking-connect/documentation/aisfeatures/get-account-balances/
"""

from __future__ import annotations

from typing import Any

from mastercard_open_banking_connect_client import wire

from ..._balance_types import balance_type_of
from ..._decode import into
from ..._errors import (
    MalformedPayload,
    NormalizeError,
    UnknownEnumValue,
    VendorError,
    VendorErrorCode,
)
from ..._mapping import (
    Collector,
    Context,
    account_id_of,
    build_record,
    from_rfc3339,
    keys_of,
    present,
)
from ..._money import amount_from_decimal_text, amount_from_json_number
from ..._outcome import Scope
from ..._record import BalanceRecord
from ..._types import CreditDebit, Freshness
from .. import _mastercard
from .._declare import SpecReads, declare

VENDOR = "mastercard-open-banking-connect"
OPERATIONS = {"getAccountBalances": Freshness.UNKNOWN}
OPERATION_ALIASES: dict[str, str] = {}
STATUS_CODES: dict[str, dict[int, VendorErrorCode]] = {}
from_xml = None

# Every spelling of the spec's CreditDebitIndicator enum, exactly.
INDICATORS = {
    "Credit": CreditDebit.CREDIT,
    "Debit": CreditDebit.DEBIT,
    "CREDIT": CreditDebit.CREDIT,
    "DEBIT": CreditDebit.DEBIT,
}
_SUCCESS_KEYS = frozenset({"originalRequestInfo", "account"})


def classify_error(reason_code: str, description: str) -> VendorErrorCode | None:
    if reason_code == "FORMAT_ERROR":
        return VendorErrorCode.INVALID_REQUEST
    if reason_code == "INVALID_TOKEN":
        return VendorErrorCode.CONSENT_INVALID
    if reason_code == "PROVIDER_ERROR":
        if "unattended" in description.lower():
            return VendorErrorCode.RATE_LIMITED
        return VendorErrorCode.PROVIDER_ERROR
    return None


def read(document: Any, context: Context, out: Collector) -> None:
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    if _mastercard.refuse_both(document, _SUCCESS_KEYS, vendor):
        errors: wire.Errors = into(wire.Errors, document, vendor=vendor)
        raise _mastercard.vendor_error(errors, context, classify_error, STATUS_CODES)
    if _SUCCESS_KEYS.isdisjoint(document):
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=keys_of(document),
            detail="expected an account balances response or Errors",
        )
    # The response is read without its balances, then each balance on its own, so that a
    # balance that breaks the schema is a problem of that balance alone.
    account_raw = document.get("account")
    balances_raw: Any = None
    if isinstance(account_raw, dict):
        balances_raw = account_raw.get("balances")
        if isinstance(balances_raw, list):
            document = {**document, "account": {**account_raw, "balances": []}}
    if not isinstance(balances_raw, list):
        balances_raw = []
    body: wire.AccountBalancesResponse = into(wire.AccountBalancesResponse, document, vendor=vendor)
    account = present(body.account)
    if account is None:
        return
    account_id = account_id_of(account.resource_id, vendor=vendor, field="$.account.resourceId")
    # Each balance is read on its own: one that cannot become a record is a problem of that
    # balance alone (its path is built only then).
    records = out.records
    for index, raw in enumerate(balances_raw):
        try:
            records.append(_balance(raw, account_id, context))
        except (NormalizeError, VendorError) as exc:
            where = f"$.account.balances[{index}]"
            out.problem(exc, Scope.BALANCE, where, account_id=account_id)


def _balance(raw: Any, account_id: str, context: Context) -> BalanceRecord:
    """The record of one entry of ``account.balances``; errors name fields relative to it."""
    vendor = context.vendor
    if not isinstance(raw, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(raw).__name__)
    balance: wire.Balance = into(wire.Balance, raw, vendor=vendor)
    # The wire amount is read from the document: the struct's Decimal field would also take
    # a string that is no decimal (" 5", "1_000").
    return _record(balance, raw["balanceAmount"]["amount"], account_id, context)


def _record(
    balance: wire.Balance, raw_amount: object, account_id: str, context: Context
) -> BalanceRecord:
    """The record of one balance; errors name fields relative to it."""
    vendor = context.vendor
    field = "balanceAmount.amount"
    if type(raw_amount) is str:
        amount = amount_from_decimal_text(raw_amount, vendor=vendor, field=field)
        text = raw_amount
    else:
        amount, text = amount_from_json_number(raw_amount, vendor=vendor, field=field)
    indicator = INDICATORS.get(balance.credit_debit_indicator)
    if indicator is None:
        raise UnknownEnumValue(
            vendor=vendor, field="creditDebitIndicator", value=balance.credit_debit_indicator
        )
    vendor_balance_type = present(balance.balance_type) or None
    date_time = present(balance.date_time)
    return build_record(
        context,
        operation="getAccountBalances",
        freshness=OPERATIONS["getAccountBalances"],
        account_id=account_id,
        balance_type=balance_type_of(vendor_balance_type),
        vendor_balance_type=vendor_balance_type,
        amount=amount,
        amount_text=text,
        indicator=indicator,
        currency=balance.balance_amount.currency,
        as_of=None
        if date_time is None
        else from_rfc3339(date_time, vendor=vendor, field="dateTime"),
        field=field,
        currency_field="balanceAmount.currency",
    )


# What the mapping reads from this vendor's spec (specs/<vendor id>/openapi.yaml): per
# function, operation and response status, the property paths with the JSON types they must
# have, and every enum value handled. The spec check (normalize/_spec_check.py, run by
# scripts/regenerate and the tests) reads this literal from source and compares it with the
# spec; keep it in step with the functions. Format: normalize/vendors/_declare.py.
# The decode reads bodies by it too (declare, below): a field it does not list is never
# validated, and one the functions read must be listed.
SPEC_READS: tuple[SpecReads, ...] = (
    {
        "function": "read",
        "operation": "getAccountBalances",
        "status": "200",
        "model": "AccountBalancesResponse",
        "fields": {
            "originalRequestInfo": "object",
            "account": "object?",
            "account.resourceId": "string",
            "account.balances": "array?",
        },
    },
    {
        "function": "_record",
        "operation": "getAccountBalances",
        "status": "200",
        "model": "AccountBalancesResponse",
        "at": "account.balances[]",
        "fields": {
            "balanceAmount": "object",
            "balanceAmount.amount": "number|string",
            "balanceAmount.currency": "string",
            "creditDebitIndicator": "string",
            "balanceType": "string?",
            "dateTime": "string?",
        },
        "enums": {
            "creditDebitIndicator": ("Credit", "Debit", "CREDIT", "DEBIT"),
        },
    },
    {
        "function": "_mastercard.vendor_error",
        "operation": "getAccountBalances",
        "status": "400",
        "model": "Errors",
        "fields": {
            "Errors": "object",
            "Errors.Error": "array",
            "Errors.Error[].ReasonCode": "string?",
            "Errors.Error[].Description": "string?",
        },
    },
)

declare(wire, SPEC_READS)
