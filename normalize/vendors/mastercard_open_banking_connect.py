"""Mastercard Open Banking Connect: PSD2 account balances with credit/debit indicators.

Each entry of ``account.balances`` gives one record for ``account.resourceId``. The amount
is unsigned (``balanceAmount.amount``, a JSON number in recorded sandbox traffic, a decimal
string on the page; both are read exactly) and ``creditDebitIndicator`` gives the side:
``Credit``/``Debit`` on the page, ``CREDIT``/``DEBIT`` in the sandbox, read without regard
to case. A negative amount beside an indicator is a SignConflict. ``balanceType`` goes
through the alias table (ISO codes, Berlin Group and UK Open Banking names, and the
sandbox's ``Available``/``Current``); ``dateTime`` is ``as_of`` when present.

Errors: ``FORMAT_ERROR`` is INVALID_REQUEST, ``INVALID_TOKEN`` (consent expired, invalid or
revoked) is CONSENT_INVALID, ``PROVIDER_ERROR`` is PROVIDER_ERROR except the ASPSP's limit
of unattended requests, which is RATE_LIMITED (only the description tells them apart).

Docs: https://developer.mastercard.com/open-banking-connect/documentation/aisfeatures/get-account-balances/
"""

from __future__ import annotations

from typing import Any

from mastercard_open_banking_connect_client import wire

from .._decode import into
from .._errors import MalformedPayload, MissingField, VendorErrorCode
from .._mapping import Context, build_record, to_utc
from .._money import parse_amount
from .._record import BalanceRecord
from .._types import CreditDebit, Freshness
from . import _mastercard

VENDOR = "mastercard-open-banking-connect"
OPERATIONS = {"getAccountBalances": Freshness.UNKNOWN}

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
    if not body.account:
        raise MissingField(vendor=vendor, field="$.account")
    account = body.account
    raw_balances = document["account"].get("balances") or []
    records = []
    for index, balance in enumerate(account.balances or ()):
        field = f"$.account.balances[{index}].balanceAmount.amount"
        # A string amount is parsed from its own text: the wire struct's Decimal field
        # would also take " 1e3" or "NaN" from a string.
        raw = raw_balances[index]["balanceAmount"]["amount"]
        if not isinstance(raw, str):
            raw = balance.balance_amount.amount
        amount = parse_amount(raw, vendor=vendor, field=field)
        records.append(
            build_record(
                context,
                operation="getAccountBalances",
                freshness=Freshness.UNKNOWN,
                account_id=account.resource_id,
                vendor_balance_type=balance.balance_type or None,
                amount=amount,
                amount_text=str(raw),
                indicator=INDICATORS[balance.credit_debit_indicator.casefold()],
                currency=balance.balance_amount.currency,
                as_of=(
                    to_utc(
                        balance.date_time,
                        vendor=vendor,
                        field=f"$.account.balances[{index}].dateTime",
                    )
                    if balance.date_time
                    else None
                ),
                field=field,
            )
        )
    return records
