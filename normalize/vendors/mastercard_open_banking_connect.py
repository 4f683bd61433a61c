"""Mastercard Open Banking Connect: PSD2 account balances with credit/debit indicators.

Each entry of ``account.balances`` gives one record for ``account.resourceId``. The amount
is unsigned (``balanceAmount.amount``, a JSON number in recorded sandbox traffic, a decimal
string on the page; both are read exactly) and ``creditDebitIndicator`` gives the side:
``Credit``/``Debit`` on the page, ``CREDIT``/``DEBIT`` in the sandbox; our spec enumerates
those four spellings and any other (``debit``, ``DR``) is an UnknownEnumValue rather than a
guess. A negative amount beside an indicator is a SignConflict. ``balanceType`` goes
through the alias table (ISO codes, Berlin Group and UK Open Banking names, and the
sandbox's ``Available``/``Current``); ``dateTime`` is ``as_of`` when present.

Errors: ``FORMAT_ERROR`` is INVALID_REQUEST, ``INVALID_TOKEN`` (consent expired, invalid or
revoked) is CONSENT_INVALID, ``PROVIDER_ERROR`` is PROVIDER_ERROR except the ASPSP's limit
of unattended requests, which is RATE_LIMITED (only the description tells them apart).

Docs: https://developer.mastercard.com/open-banking-connect/documentation/aisfeatures/get-account-balances/
"""

from __future__ import annotations

import re
from typing import Any

from mastercard_open_banking_connect_client import wire

from .._balance_types import balance_type_of
from .._decode import fast_decoder, into
from .._errors import MalformedPayload, MissingField, NormalizeError, VendorErrorCode
from .._mapping import Context, account_id_of, build_record, to_utc
from .._money import parse_amount
from .._record import BalanceRecord
from .._types import CreditDebit, Freshness
from . import _mastercard

VENDOR = "mastercard-open-banking-connect"
OPERATIONS = {"getAccountBalances": Freshness.UNKNOWN}
# String amounts take the general path, which holds them to the decimal pattern.
decode_fast = fast_decoder(wire.AccountBalancesResponse, unless=re.compile(rb'amount"\s*:\s*"'))

INDICATORS = {"credit": CreditDebit.CREDIT, "debit": CreditDebit.DEBIT}


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


def to_records(document: Any, context: Context) -> list[BalanceRecord]:
    vendor = context.vendor
    if _mastercard.is_error_body(document):
        errors = into(wire.Errors, document, vendor=vendor)
        raise _mastercard.vendor_error(errors, context, classify_error)
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    body = into(wire.AccountBalancesResponse, document, vendor=vendor)
    # A string amount must be a plain decimal: the wire struct's Decimal field would also
    # take " 1e3" or "NaN" from a string, so the text is checked before it is trusted.
    # (``into`` has checked the shape: a present account is an object, balances a list.)
    for index, balance in enumerate((document.get("account") or {}).get("balances") or ()):
        raw = balance["balanceAmount"]["amount"]
        if isinstance(raw, str):
            field = f"$.account.balances[{index}].balanceAmount.amount"
            parse_amount(raw, vendor=vendor, field=field)
    return records(body, context)


def records(body: Any, context: Context) -> list[BalanceRecord]:
    """One record per balance of an AccountBalancesResponse model."""
    vendor = context.vendor
    account = body.account
    if not account:
        raise MissingField(vendor=vendor, field="$.account")
    account_id = account_id_of(account.resource_id, vendor=vendor, field="$.account.resourceId")
    out = []
    for index, balance in enumerate(account.balances or ()):
        try:
            out.append(_record(balance, account_id, context))
        except NormalizeError as exc:
            raise exc.within(f"$.account.balances[{index}]") from None
    return out


def _record(balance: Any, account_id: str, context: Context) -> BalanceRecord:
    """The record of one balance; errors name fields relative to it."""
    vendor = context.vendor
    money = balance.balance_amount
    vendor_balance_type = balance.balance_type or None
    date_time = balance.date_time
    return build_record(
        context,
        operation="getAccountBalances",
        freshness=Freshness.UNKNOWN,
        account_id=account_id,
        balance_type=balance_type_of(vendor_balance_type),
        vendor_balance_type=vendor_balance_type,
        amount=money.amount,
        indicator=INDICATORS[balance.credit_debit_indicator.casefold()],
        currency=money.currency,
        as_of=to_utc(date_time, vendor=vendor, field="dateTime") if date_time else None,
        field="balanceAmount.amount",
        currency_field="balanceAmount.currency",
    )
