"""Mastercard Send: account balances of a partner's Faster Payments accounts, JSON or XML.

Two responses: one account (``getAccountBalance``: ``account_balances.account_balance``)
and all of the partner's accounts (``getAccountBalances``: ``account-balances``, with a
hyphen, a list). The XML forms (``<account_balances><account_balance>`` and
``<account-balances>`` with repeated ``<account_balance>``) are parsed with defusedxml and
converted into the same wire structs as the JSON, so both give the same records.

Decisions, each a one-line change here if the vendor says otherwise:

* ``balance.amount`` is a digit string in the currency's minor units with the decimal point
  implied, as in Mastercard Send's other APIs (the page does not say): "1000" GBP is 10.00
  GBP, scaled by the ISO 4217 exponent (JPY 0 digits, BHD 3).
* ``state``: ``IN_CREDIT`` is documented; ``IN_DEBIT`` is read as the debit state (the
  amount is then negative); any other state is an UnknownEnumValue error.
* The balance carries no type, so ``vendor_balance_type`` is None and ``balance_type``
  UNCLASSIFIED, rather than a guess between booked and available.
* ``as_of`` is ``balance_timestamp``. ``created_date`` (when the account was set up) is not
  read: the vendor's own example has second 80 there and must still normalize.
* Freshness is UNKNOWN: the page says nothing about caching.

Error bodies are Mastercard's gateway ``Errors``; their reason codes are not documented for
this API, so the canonical code comes from the HTTP status.

Docs: https://developer.mastercard.com/mastercard-send-disbursements/documentation/api-reference/account-balance/
"""

from __future__ import annotations

from typing import Any

from mastercard_send_client import wire

from .._balance_types import balance_type_of
from .._decode import element_data, fast_decoder, into, keyed_decoder, parse_xml
from .._errors import MalformedPayload, NormalizeError, VendorErrorCode
from .._mapping import Context, account_id_of, build_record, to_utc
from .._money import currency_code, parse_minor_units
from .._record import BalanceRecord
from .._types import CreditDebit, Freshness
from . import _mastercard

VENDOR = "mastercard-send"
OPERATIONS = {"getAccountBalance": Freshness.UNKNOWN, "getAccountBalances": Freshness.UNKNOWN}
STATES = {"IN_CREDIT": CreditDebit.CREDIT, "IN_DEBIT": CreditDebit.DEBIT}
VENDOR_BALANCE_TYPE: str | None = None
BALANCE_TYPE = balance_type_of(VENDOR_BALANCE_TYPE)

_ONE = "account_balances"
_MANY = "account-balances"
decode_fast = keyed_decoder(
    _MANY,
    fast_decoder(wire.AccountBalanceList, present="account_balances"),
    fast_decoder(wire.AccountBalanceEnvelope),
)


def from_xml(body: bytes | str) -> Any:
    """The JSON-shaped data of an XML response body."""
    root = parse_xml(body, vendor=VENDOR)
    if root.tag == _MANY:
        for child in root:
            if child.tag != "account_balance":
                raise MalformedPayload(
                    vendor=VENDOR,
                    field=f"$.{_MANY}",
                    value=child.tag,
                    detail="expected <account_balance> elements",
                )
        return {_MANY: [element_data(child, vendor=VENDOR) for child in root]}
    if root.tag == "Errors":
        return {"Errors": element_data(root, vendor=VENDOR, repeated={"Error"})}
    return {root.tag: element_data(root, vendor=VENDOR)}


def _no_reason_codes(reason_code: str, description: str) -> VendorErrorCode | None:
    return None


def to_records(document: Any, context: Context) -> list[BalanceRecord]:
    vendor = context.vendor
    # XML text is all strings ("true" for a boolean): convert leniently; JSON strictly.
    strict = not context.is_xml
    if _mastercard.is_error_body(document):
        errors = into(wire.Errors, document, vendor=vendor, strict=strict)
        raise _mastercard.vendor_error(errors, context, _no_reason_codes)
    if isinstance(document, dict) and _ONE in document:
        body: Any = into(wire.AccountBalanceEnvelope, document, vendor=vendor, strict=strict)
    elif isinstance(document, dict) and (
        _MANY in document or (not document and context.operation == "getAccountBalances")
    ):
        # A partner with no accounts may get {} from the all-accounts call: no records.
        body = into(wire.AccountBalanceList, document, vendor=vendor, strict=strict)
    else:
        keys = sorted(document) if isinstance(document, dict) else type(document).__name__
        raise MalformedPayload(
            vendor=vendor, field="$", value=keys, detail=f"expected {_ONE!r} or {_MANY!r}"
        )
    return records(body, context)


def records(body: Any, context: Context) -> list[BalanceRecord]:
    """Records from an AccountBalanceEnvelope (one account) or AccountBalanceList model."""
    holder = body.account_balances
    if hasattr(holder, "account_balance"):
        try:
            return [_record(holder.account_balance, "getAccountBalance", context)]
        except NormalizeError as exc:
            raise exc.within(f"$.{_ONE}.account_balance") from None
    out = []
    for index, item in enumerate(holder or ()):
        try:
            out.append(_record(item, "getAccountBalances", context))
        except NormalizeError as exc:
            raise exc.within(f"$.{_MANY}[{index}]") from None
    return out


def _record(item: Any, operation: str, context: Context) -> BalanceRecord:
    """The record of one AccountBalance; errors name fields relative to it."""
    vendor = context.vendor
    balance = item.balance
    currency = currency_code(balance.currency, vendor=vendor, field="balance.currency")
    timestamp = item.balance_timestamp
    return build_record(
        context,
        operation=operation,
        freshness=Freshness.UNKNOWN,
        account_id=account_id_of(item.non_card_token, vendor=vendor, field="non_card_token"),
        balance_type=BALANCE_TYPE,
        vendor_balance_type=VENDOR_BALANCE_TYPE,
        amount=parse_minor_units(
            balance.amount,
            currency=currency,
            vendor=vendor,
            field="balance.amount",
            currency_field="balance.currency",
        ),
        amount_text=balance.amount,
        indicator=STATES[balance.state],
        currency=currency,
        as_of=to_utc(timestamp, vendor=vendor, field="balance_timestamp") if timestamp else None,
        field="balance.amount",
        currency_field="balance.currency",
    )
