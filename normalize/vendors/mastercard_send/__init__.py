"""Mastercard Send: account balances of a partner's Faster Payments accounts, JSON or XML.

Two responses: one account (``getAccountBalance``: ``account_balances.account_balance``)
and all of the partner's accounts (``getAccountBalances``: ``account-balances``, with a
hyphen, a list). The XML forms (``<account_balances><account_balance>`` and
``<account-balances>`` with repeated ``<account_balance>``) are read by the hardened XML
reader (``_decode.read_xml``) and converted into the same wire structs as the JSON, so both
give the same records. A body with both roots, or with a root and ``Errors``, is refused.

An ``Errors`` object inside an account (``account_balance``, in either form, JSON or XML) is
that account's error: a VendorError problem of that account (path ``...Errors``, its
``non_card_token`` as account id when sent), mapped as a top-level ``Errors`` body is, and
never a record; the other accounts still give theirs. The account-balance page shows no
error inside an account, and Send's "Error Codes" page describes ``Errors.Error[]`` only as
the body of an unsuccessful request (developer.mastercard.com/mastercard-send-disbursements/
documentation/response-error-codes/error-codes/): so nothing beside one is a balance to
trust. An account with both ``balance`` and ``Errors`` is neither answer and is refused
(MalformedPayload, that account only), by the same rule as a whole body with both. The
spec has no ``Errors`` inside ``AccountBalance``, so ``SPEC_READS`` does not list it.

An ``Errors`` signals an error wherever it stands, so it is always read, never skipped as
an unknown field (the decode skips what the mapping does not read): one anywhere else
(inside ``balance``, beside ``account_balance``, under a key of no meaning) is neither a
balance nor an error this mapping can report, and is refused: inside an account as a
MalformedPayload problem of that account, elsewhere of the whole body.

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

from functools import partial
from typing import Any, NoReturn

from mastercard_send_client import wire

from ..._balance_types import balance_type_of
from ..._decode import into, read_xml, xml_dict
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
from ..._money import amount_from_minor_units, currency_code
from ..._outcome import Scope
from ..._record import BalanceRecord
from ..._types import CreditDebit, Freshness
from .. import _mastercard
from .._declare import SpecReads, declare

VENDOR = "mastercard-send"
OPERATIONS = {"getAccountBalance": Freshness.UNKNOWN, "getAccountBalances": Freshness.UNKNOWN}
OPERATION_ALIASES: dict[str, str] = {}
STATUS_CODES: dict[str, dict[int, VendorErrorCode]] = {}
# Every value of the spec's BalanceState enum.
STATES = {"IN_CREDIT": CreditDebit.CREDIT, "IN_DEBIT": CreditDebit.DEBIT}
VENDOR_BALANCE_TYPE: str | None = None
BALANCE_TYPE = balance_type_of(VENDOR_BALANCE_TYPE)

_ONE = "account_balances"
_MANY = "account-balances"
_SUCCESS_KEYS = frozenset({_ONE, _MANY})
# What makes an account entry a balance, beside which an ``Errors`` object is contradictory.
_ACCOUNT_BALANCE_KEYS = frozenset({"balance"})
_ERRORS = _mastercard.ERRORS_KEY
# An <Errors> inside an <account_balance> holds one or more <Error> elements: a list.
_XML_LISTS = ((_ERRORS, "Error"),)


def from_xml(body: bytes) -> Any:
    """The JSON-shaped data of an XML response body."""
    tag, children = read_xml(body, vendor=VENDOR, lists=_XML_LISTS)
    if isinstance(children, str):  # a root with no child elements
        return {tag: [] if tag == _MANY else children}
    if tag == _MANY:
        for child, _ in children:
            if child != "account_balance":
                raise MalformedPayload(
                    vendor=VENDOR,
                    field=f"$.{_MANY}",
                    value=child,
                    detail="expected <account_balance> elements",
                )
        return {_MANY: [value for _, value in children]}
    repeated = ("Error",) if tag == "Errors" else ()
    return {tag: xml_dict(children, vendor=VENDOR, repeated=repeated)}


def _no_reason_codes(reason_code: str, description: str) -> VendorErrorCode | None:
    return None


def read(document: Any, context: Context, out: Collector) -> None:
    vendor = context.vendor
    # XML text is all strings ("true" for a boolean): convert leniently; JSON strictly.
    strict = not context.is_xml
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    if _mastercard.refuse_both(document, _SUCCESS_KEYS, vendor):
        errors: wire.Errors = into(wire.Errors, document, vendor=vendor, strict=strict)
        raise _mastercard.vendor_error(errors, context, _no_reason_codes, STATUS_CODES)
    if _ONE in document and _MANY in document:
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=keys_of(document),
            detail=f"both {_ONE!r} (one account) and {_MANY!r} (several)",
        )
    stray = _errors_outside_accounts(document)
    if stray is not None:
        raise MalformedPayload(vendor=vendor, field=stray, value=_ERRORS, detail=_STRAY)
    if _ONE in document:
        holder = document[_ONE]
        raw = holder.get("account_balance") if isinstance(holder, dict) else None
        if isinstance(raw, dict) and (_ERRORS in raw or _errors_within(raw) is not None):
            _account(raw, f"$.{_ONE}.account_balance", "getAccountBalance", strict, context, out)
            return
        one: wire.AccountBalanceEnvelope = into(
            wire.AccountBalanceEnvelope, document, vendor=vendor, strict=strict
        )
        item = one.account_balances.account_balance
        try:
            out.records.append(_record(item, "getAccountBalance", context))
        except (NormalizeError, VendorError) as exc:
            path = f"$.{_ONE}.account_balance"
            out.problem(exc, Scope.ACCOUNT, path, account_id=item.non_card_token or None)
        return
    if _MANY in document or (not document and context.operation == "getAccountBalances"):
        # A partner with no accounts may get {} from the all-accounts call: no records.
        entries = document.get(_MANY)
        if entries is not None and not isinstance(entries, list):
            raise MalformedPayload(
                vendor=vendor, field=f"$.{_MANY}", value=type(entries).__name__, detail="not a list"
            )
        # Each account is read on its own: one that breaks the schema is a problem of that
        # account alone.
        for index, entry in enumerate(entries or ()):
            _account(entry, f"$.{_MANY}[{index}]", "getAccountBalances", strict, context, out)
        return
    raise MalformedPayload(
        vendor=vendor,
        field="$",
        value=keys_of(document),
        detail=f"expected {_ONE!r} or {_MANY!r}",
    )


_STRAY = "an Errors object where neither a balance nor an error goes"


def _errors_outside_accounts(document: dict[str, Any]) -> str | None:
    """The path of an ``Errors`` key in the body outside its root's own and its accounts
    (which ``_account`` looks at), or None."""
    for key, value in document.items():
        if key == _ERRORS or (key == _MANY and isinstance(value, list)):
            continue
        if key == _ONE and isinstance(value, dict):
            for inner, child in value.items():
                if inner == "account_balance" and isinstance(child, dict):
                    continue
                if inner == _ERRORS:
                    return f"$.{_ONE}.{_ERRORS}"
                found = _find_errors(child, f"$.{_ONE}.{inner}")
                if found is not None:
                    return found
            continue
        found = _find_errors(value, f"$.{key}")
        if found is not None:
            return found
    return None


def _errors_within(entry: dict[str, Any]) -> str | None:
    """The path (relative to the account entry) of an ``Errors`` key at any depth inside
    it other than its own, or None."""
    for key, value in entry.items():
        if key != _ERRORS and isinstance(value, (dict, list)):
            found = _find_errors(value, key)
            if found is not None:
                return found
    return None


def _find_errors(value: Any, path: str) -> str | None:
    """The path of the first ``Errors`` key at any depth of ``value`` (at ``path``), in
    document order, or None. Iterative: a body's nesting is bounded by its reader, not by
    the caller's recursion limit."""
    stack = [(value, path)]
    while stack:
        node, where = stack.pop()
        # Only objects and arrays can hold a key: the paths of the rest are never built.
        inner = []
        if isinstance(node, dict):
            if _ERRORS in node:
                return f"{where}.{_ERRORS}"
            for key, child in node.items():
                if isinstance(child, (dict, list)):
                    inner.append((child, f"{where}.{key}"))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                if isinstance(child, (dict, list)):
                    inner.append((child, f"{where}[{index}]"))
        if inner:
            inner.reverse()
            stack += inner
    return None


def _token_hint(entry: object) -> str | None:
    token = entry.get("non_card_token") if isinstance(entry, dict) else None
    return token if isinstance(token, str) and token else None


def _account(
    entry: Any, path: str, operation: str, strict: bool, context: Context, out: Collector
) -> None:
    """One account entry at ``path``: its record, or a problem of that account alone (its
    ``Errors``, a balance beside them, or a balance that cannot become a record)."""
    account_id = _token_hint(entry)
    stray = _errors_within(entry) if isinstance(entry, dict) else None
    if stray is not None:
        error = MalformedPayload(vendor=context.vendor, field=stray, value=_ERRORS, detail=_STRAY)
        out.problem(error, Scope.ACCOUNT, path, account_id=account_id)
        return
    try:
        errors = isinstance(entry, dict) and _mastercard.refuse_both(
            entry, _ACCOUNT_BALANCE_KEYS, context.vendor
        )
    except MalformedPayload as exc:
        out.problem(exc, Scope.ACCOUNT, path, account_id=account_id)
        return
    if errors:
        out.attempt(
            Scope.ACCOUNT,
            f"{path}.{_ERRORS}",
            partial(_account_error, entry[_ERRORS], account_id, strict, context),
            account_id=account_id,
        )
        return
    try:
        out.records.append(_entry(entry, operation, strict, context))
    except (NormalizeError, VendorError) as exc:
        out.problem(exc, Scope.ACCOUNT, path, account_id=account_id)


def _account_error(errors: Any, account_id: str | None, strict: bool, context: Context) -> NoReturn:
    """Raise the VendorError of an account's ``Errors`` object (fields relative to it)."""
    vendor = context.vendor
    listed: wire.ErrorList = into(wire.ErrorList, errors, vendor=vendor, strict=strict)
    error = _mastercard.vendor_error(
        wire.Errors(errors=listed), context, _no_reason_codes, STATUS_CODES
    )
    raise VendorError(
        vendor=error.vendor,
        code=error.code,
        vendor_code=error.vendor_code,
        vendor_message=error.vendor_message,
        status=error.status,
        trace_id=error.trace_id,
        account_id=account_id,
    )


def _entry(entry: Any, operation: str, strict: bool, context: Context) -> BalanceRecord:
    """The record of one account entry."""
    vendor = context.vendor
    if not isinstance(entry, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(entry).__name__)
    item: wire.AccountBalance = into(wire.AccountBalance, entry, vendor=vendor, strict=strict)
    return _record(item, operation, context)


def _record(item: wire.AccountBalance, operation: str, context: Context) -> BalanceRecord:
    """The record of one AccountBalance; errors name fields relative to it."""
    vendor = context.vendor
    balance = item.balance
    account_id = account_id_of(item.non_card_token, vendor=vendor, field="non_card_token")
    indicator = STATES.get(balance.state)
    if indicator is None:
        raise UnknownEnumValue(vendor=vendor, field="balance.state", value=balance.state)
    currency = currency_code(balance.currency, vendor=vendor, field="balance.currency")
    timestamp = present(item.balance_timestamp)
    if context.is_xml and timestamp == "":
        # The spec's null, written in XML: <balance_timestamp/>.
        timestamp = None
    return build_record(
        context,
        operation=operation,
        freshness=OPERATIONS[operation],
        account_id=account_id,
        balance_type=BALANCE_TYPE,
        vendor_balance_type=VENDOR_BALANCE_TYPE,
        amount=amount_from_minor_units(
            balance.amount,
            currency=currency,
            vendor=vendor,
            field="balance.amount",
            currency_field="balance.currency",
        ),
        amount_text=balance.amount,
        indicator=indicator,
        currency=currency,
        as_of=None
        if timestamp is None
        else from_rfc3339(timestamp, vendor=vendor, field="balance_timestamp"),
        field="balance.amount",
        currency_field="balance.currency",
    )


# What the mapping reads from this vendor's spec (specs/<vendor id>/openapi.yaml): per
# function, operation and response status, the property paths with the JSON types they must
# have, and every enum value handled. The spec check (normalize/_spec_check.py, run by
# scripts/regenerate and the tests) reads this literal from source and compares it with the
# spec; keep it in step with the functions. Format: normalize/vendors/_declare.py.
# The decode reads bodies by it too (declare, below): a field it does not list is never
# validated, and one the functions read must be listed.
# Reads that several operations share, written once (the spec check reads these literals
# by name as it reads SPEC_READS).
_ACCOUNT_FIELDS: dict[str, str] = {
    "non_card_token": "string",
    "balance": "object",
    "balance.amount": "string",
    "balance.currency": "string",
    "balance.state": "string",
    "balance_timestamp": "string?",
}

_ACCOUNT_ENUMS: dict[str, tuple[str, ...]] = {
    "balance.state": ("IN_CREDIT", "IN_DEBIT"),
}

_ERRORS_FIELDS: dict[str, str] = {
    "Errors": "object",
    "Errors.Error": "array",
    "Errors.Error[].ReasonCode": "string?",
    "Errors.Error[].Description": "string?",
}

SPEC_READS: tuple[SpecReads, ...] = (
    {
        "function": "read",
        "operation": "getAccountBalances",
        "status": "200",
        "model": "AccountBalanceList",
        "fields": {
            "account-balances": "array?",
        },
    },
    {
        "function": "_record",
        "operation": "getAccountBalance",
        "status": "200",
        "model": "AccountBalanceEnvelope",
        "at": "account_balances.account_balance",
        "fields": _ACCOUNT_FIELDS,
        "enums": _ACCOUNT_ENUMS,
    },
    {
        "function": "_record",
        "operation": "getAccountBalances",
        "status": "200",
        "model": "AccountBalanceList",
        "at": "account-balances[]",
        "fields": _ACCOUNT_FIELDS,
        "enums": _ACCOUNT_ENUMS,
    },
    {
        "function": "_mastercard.vendor_error",
        "operation": "getAccountBalance",
        "status": "400",
        "model": "Errors",
        "fields": _ERRORS_FIELDS,
    },
    {
        "function": "_mastercard.vendor_error",
        "operation": "getAccountBalances",
        "status": "400",
        "model": "Errors",
        "fields": _ERRORS_FIELDS,
    },
)

declare(wire, SPEC_READS)
