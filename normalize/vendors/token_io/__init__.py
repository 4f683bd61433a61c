"""Token.io: current, available and other balances of one or several accounts.

One account (``getBalance``: ``{"balance", "status"}``) or several (``getBalances``:
``{"response": [...]}``, one such object per account). Only ``status`` SUCCESSFUL_REQUEST
carries a usable balance. Each balance gives ``current`` as INTERIM_BOOKED and
``available`` as INTERIM_AVAILABLE, plus one record per ``otherBalances`` entry, whose
bank-defined ``type`` goes through the alias table (UNCLASSIFIED, raw string kept, when no
alias knows it) and whose ``updatedAtMs`` is ``as_of``. The balance's own ``updatedAtMs``
(``int64 updated_at_ms = 4`` in Token's protobuf ``Balance``) is the ``as_of`` of
``current`` and ``available``. An ``updatedAtMs`` of 0 (``"0"`` or ``0``) is no time:
``as_of`` is None, not 1970-01-01. proto3 gives an ``int64`` no presence, so an unset field
reads as 0, and the protobuf documentation says a parsed 0 cannot be told from "not set";
the zero-time rule is ``_mapping.unless_zero_time``.

None of the balance's fields is required in Token's published spec, and proto3 JSON leaves
unset messages out: an absent ``current`` or ``available`` gives no record (absent is not an
error), while a present one without its ``value`` or ``currency`` is an error (missing is
never zero). A body without ``status`` has proto3's default, ``INVALID_REQUEST``. int64
fields (``updatedAtMs``) are read from a digit string (proto3 JSON) or a JSON integer.

``Money.value`` is a signed decimal string kept exactly ("12009.1000" keeps its four
digits: the bank rounds half-even to typically four places, Token adds no rounding).

``MORE_SIGNATURES_NEEDED`` (the bank wants the user to consent again) is a VendorError
CONSENT_INVALID, ``INVALID_REQUEST`` a VendorError INVALID_REQUEST. In the several-accounts
form each account is read on its own: a failed or unreadable account is a problem naming
it, and the others' records still count. Error bodies ``{"error": {"message", "errorCode",
"tokenTraceId"}}`` take their canonical code from the HTTP status and keep ``errorCode``.

Docs: https://developer.token.io/token_rest_api_doc/content/e-rest/ais/get_account_balance.htm
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from token_io_client import wire

from ..._balance_types import balance_type_of
from ..._decode import into
from ..._errors import (
    MalformedPayload,
    MissingField,
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
    from_unix_millis,
    keys_of,
    present,
    unless_zero_time,
)
from ..._money import amount_from_decimal_text
from ..._outcome import Scope
from ..._record import BalanceRecord
from ..._types import Freshness
from .._declare import SpecReads, declare
from .._status import code_for_context

VENDOR = "token-io"
OPERATIONS = {"getBalance": Freshness.UNKNOWN, "getBalances": Freshness.UNKNOWN}
OPERATION_ALIASES: dict[str, str] = {}
STATUS_CODES: dict[str, dict[int, VendorErrorCode]] = {}
from_xml = None

SUCCESSFUL = "SUCCESSFUL_REQUEST"
# Every other value of the spec's RequestStatus enum, with what it means.
STATUS_ERRORS = {
    "MORE_SIGNATURES_NEEDED": VendorErrorCode.CONSENT_INVALID,
    "INVALID_REQUEST": VendorErrorCode.INVALID_REQUEST,
}
# proto3's default for an enum left out of the JSON.
DEFAULT_STATUS = "INVALID_REQUEST"

_ONE_KEYS = frozenset({"balance", "status"})
_MANY_KEY = "response"
_ERROR_KEY = "error"


def read(document: Any, context: Context, out: Collector) -> None:
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    shapes = [
        name
        for name, found in (
            ("error", _ERROR_KEY in document),
            ("one account", not _ONE_KEYS.isdisjoint(document)),
            ("several accounts", _MANY_KEY in document),
        )
        if found
    ]
    if len(shapes) > 1:
        raise MalformedPayload(
            vendor=vendor, field="$", value=keys_of(document), detail=f"both {' and '.join(shapes)}"
        )
    if _ERROR_KEY in document:
        error: wire.ErrorResponse = into(wire.ErrorResponse, document, vendor=vendor)
        detail = error.error
        raise VendorError(
            vendor=vendor,
            code=code_for_context(context, STATUS_CODES),
            vendor_code=present(detail.error_code),
            vendor_message=present(detail.message),
            status=context.status,
            trace_id=present(detail.token_trace_id) or context.trace_id,
        )
    if _MANY_KEY in document or (not document and context.operation == "getBalances"):
        # proto3 JSON leaves an empty list out: {} from getBalances is no accounts.
        entries = document.get(_MANY_KEY)
        if entries is None:
            return
        if not isinstance(entries, list):
            raise MalformedPayload(
                vendor=vendor, field="$.response", value=type(entries).__name__, detail="not a list"
            )
        for index, raw in enumerate(entries):
            path = f"$.response[{index}]"
            try:
                _entry(raw, path, "getBalances", context, out)
            except (NormalizeError, VendorError) as exc:
                out.problem(exc, Scope.ACCOUNT, path, account_id=_account_hint(raw))
        return
    if document and not (_ONE_KEYS & document.keys()):
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=keys_of(document),
            detail="expected 'balance' and 'status', 'response' or 'error'",
        )
    if not document and context.operation is None:
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value={},
            detail="an empty body is no accounts from getBalances and INVALID_REQUEST from "
            "getBalance: say which operation answered",
        )
    try:
        _entry(document, "$", "getBalance", context, out)
    except NormalizeError as exc:
        raise exc.within("$") from None


def _account_hint(raw: object) -> str | None:
    if isinstance(raw, dict) and isinstance(raw.get("balance"), dict):
        found = raw["balance"].get("accountId")
        return found if isinstance(found, str) and found else None
    return None


def _entry(raw: Any, path: str, operation: str, context: Context, out: Collector) -> None:
    """One GetBalanceResponse: its balances' records, or a VendorError for its status."""
    vendor = context.vendor
    if not isinstance(raw, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(raw).__name__)
    entry: wire.GetBalanceResponse = into(wire.GetBalanceResponse, raw, vendor=vendor)
    explicit = present(entry.status)
    if explicit is None and context.status is not None and not 200 <= context.status < 300:
        # proto3's default status says nothing of its own here: the HTTP status speaks.
        return
    status = explicit or DEFAULT_STATUS
    balance = present(entry.balance)
    if status != SUCCESSFUL:
        code = STATUS_ERRORS.get(status)
        if code is None:
            raise UnknownEnumValue(vendor=vendor, field="status", value=status)
        account = present(balance.account_id) if balance else None
        raise VendorError(
            vendor=vendor,
            code=code,
            vendor_code=status,
            status=context.status,
            trace_id=context.trace_id,
            account_id=account or None,
        )
    if balance is None or (
        present(balance.current) is None
        and present(balance.available) is None
        and not present(balance.other_balances)
    ):
        # Absent is not an error: a successful answer without balances gives no record.
        return
    account_id = account_id_of(
        present(balance.account_id), vendor=vendor, field="balance.accountId"
    )
    # One time for the account's current and available balances: a bad one is a problem of
    # the account (once, at its own path), not of each balance.
    updated = present(balance.updated_at_ms)
    as_of = (
        None
        if updated is None
        else unless_zero_time(from_unix_millis(updated, vendor=vendor, field="balance.updatedAtMs"))
    )
    # Each balance is read on its own: one that cannot become a record is a problem of that
    # balance alone (its path is built only then).
    records = out.records
    for name, money in (("current", balance.current), ("available", balance.available)):
        found = present(money)
        if found is not None:
            try:
                records.append(_money_record(found, name, as_of, operation, account_id, context))
            except (NormalizeError, VendorError) as exc:
                where = f"{path}.balance.{name}"
                out.problem(exc, Scope.BALANCE, where, account_id=account_id)
    for index, other in enumerate(present(balance.other_balances) or ()):
        try:
            records.append(_other_record(other, operation, account_id, context))
        except (NormalizeError, VendorError) as exc:
            where = f"{path}.balance.otherBalances[{index}]"
            out.problem(exc, Scope.BALANCE, where, account_id=account_id)


def _money_record(
    money: wire.Money,
    name: str | None,
    as_of: datetime | None,
    operation: str,
    account_id: str,
    context: Context,
    at: str = "",
) -> BalanceRecord:
    """The record of one Money: ``current``, ``available`` or an ``otherBalances`` entry's
    (``at`` is the Money's place in that entry). Errors name fields relative to it."""
    vendor = context.vendor
    field = f"{at}value"
    return build_record(
        context,
        operation=operation,
        freshness=OPERATIONS[operation],
        account_id=account_id,
        balance_type=balance_type_of(name),
        vendor_balance_type=name,
        amount=amount_from_decimal_text(money.value, vendor=vendor, field=field),
        amount_text=money.value,
        indicator=None,
        currency=money.currency,
        as_of=as_of,
        field=field,
        currency_field=f"{at}currency",
    )


def _other_record(
    other: wire.TypedBalance, operation: str, account_id: str, context: Context
) -> BalanceRecord:
    """The record of one ``otherBalances`` entry; errors name fields relative to it."""
    vendor = context.vendor
    money = present(other.amount)
    if money is None:
        raise MissingField(vendor=vendor, field="amount")
    type_name = present(other.type) or None
    updated = present(other.updated_at_ms)
    as_of = (
        None
        if updated is None
        else unless_zero_time(from_unix_millis(updated, vendor=vendor, field="updatedAtMs"))
    )
    return _money_record(money, type_name, as_of, operation, account_id, context, at="amount.")


# What the mapping reads from this vendor's spec (specs/<vendor id>/openapi.yaml): per
# function, operation and response status, the property paths with the JSON types they must
# have, and every enum value handled. The spec check (normalize/_spec_check.py, run by
# scripts/regenerate and the tests) reads this literal from source and compares it with the
# spec; keep it in step with the functions. Format: normalize/vendors/_declare.py.
# The decode reads bodies by it too (declare, below): a field it does not list is never
# validated, and one the functions read must be listed.
# Reads that several operations share, written once (the spec check reads these literals
# by name as it reads SPEC_READS).
_ENTRY_FIELDS: dict[str, str] = {
    "status": "string?",
    "balance": "object?",
    "balance.accountId": "string?",
    "balance.current": "object?",
    "balance.available": "object?",
    "balance.updatedAtMs": "integer|string?",
    "balance.otherBalances": "array?",
}

_ENTRY_ENUMS: dict[str, tuple[str, ...]] = {
    "status": ("SUCCESSFUL_REQUEST", "MORE_SIGNATURES_NEEDED", "INVALID_REQUEST"),
}

_MONEY_FIELDS: dict[str, str] = {
    "current.value": "string",
    "current.currency": "string",
    "available.value": "string",
    "available.currency": "string",
}

_OTHER_FIELDS: dict[str, str] = {
    "amount": "object?",
    "amount.value": "string",
    "amount.currency": "string",
    "type": "string?",
    "updatedAtMs": "integer|string?",
}

_ERROR_FIELDS: dict[str, str] = {
    "error": "object",
    "error.message": "string?",
    "error.errorCode": "string?",
    "error.tokenTraceId": "string?",
}

SPEC_READS: tuple[SpecReads, ...] = (
    {
        "function": "read",
        "operation": "getBalances",
        "status": "200",
        "model": "GetBalancesResponse",
        "fields": {
            "response": "array?",
        },
    },
    {
        "function": "_entry",
        "operation": "getBalance",
        "status": "200",
        "model": "GetBalanceResponse",
        "at": "",
        "fields": _ENTRY_FIELDS,
        "enums": _ENTRY_ENUMS,
    },
    {
        "function": "_entry",
        "operation": "getBalances",
        "status": "200",
        "model": "GetBalancesResponse",
        "at": "response[]",
        "fields": _ENTRY_FIELDS,
        "enums": _ENTRY_ENUMS,
    },
    {
        "function": "_money_record",
        "operation": "getBalance",
        "status": "200",
        "model": "GetBalanceResponse",
        "at": "balance",
        "fields": _MONEY_FIELDS,
    },
    {
        "function": "_other_record",
        "operation": "getBalance",
        "status": "200",
        "model": "GetBalanceResponse",
        "at": "balance.otherBalances[]",
        "fields": _OTHER_FIELDS,
    },
    {
        "function": "_money_record",
        "operation": "getBalances",
        "status": "200",
        "model": "GetBalancesResponse",
        "at": "response[].balance",
        "fields": _MONEY_FIELDS,
    },
    {
        "function": "_other_record",
        "operation": "getBalances",
        "status": "200",
        "model": "GetBalancesResponse",
        "at": "response[].balance.otherBalances[]",
        "fields": _OTHER_FIELDS,
    },
    {
        "function": "read",
        "operation": "getBalance",
        "status": "400",
        "model": "ErrorResponse",
        "fields": _ERROR_FIELDS,
    },
    {
        "function": "read",
        "operation": "getBalances",
        "status": "400",
        "model": "ErrorResponse",
        "fields": _ERROR_FIELDS,
    },
)

declare(wire, SPEC_READS)
