"""Tiny Bank (made up): one account's balances, each an unsigned decimal string with a
credit/debit ``side``; an error body is ``{"code", "message"}``.

A made-up vendor, small on purpose: tests/test_sixth_vendor.py adds this package, its spec
and its fixtures to a copy of the project, and nothing else, to show that a vendor is
declared in one place. ``kind`` is an ISO 20022 balance type name.
"""

from __future__ import annotations

from typing import Any

from tiny_bank_client import wire

from ..._balance_types import balance_type_of
from ..._decode import into
from ..._errors import MalformedPayload, VendorError, VendorErrorCode
from ..._mapping import (
    Collector,
    Context,
    account_id_of,
    build_record,
    from_rfc3339,
    keys_of,
    present,
)
from ..._money import amount_from_decimal_text
from ..._outcome import Scope
from ..._types import CreditDebit, Freshness
from .._declare import SpecReads, declare
from .._status import code_for_context

VENDOR = "tiny-bank"
OPERATIONS = {"getBalances": Freshness.LIVE}
OPERATION_ALIASES: dict[str, str] = {}
STATUS_CODES = {"getBalances": {404: VendorErrorCode.NOT_FOUND}}
from_xml = None

_SIDES = {"credit": CreditDebit.CREDIT, "debit": CreditDebit.DEBIT}


def read(document: Any, context: Context, out: Collector) -> None:
    vendor = context.vendor
    if not isinstance(document, dict):
        raise MalformedPayload(vendor=vendor, field="$", value=type(document).__name__)
    if "code" in document:
        if "balances" in document:
            raise MalformedPayload(
                vendor=vendor, field="$", value=keys_of(document), detail="both balances and code"
            )
        error: wire.Error = into(wire.Error, document, vendor=vendor)
        raise VendorError(
            vendor=vendor,
            code=code_for_context(context, STATUS_CODES),
            vendor_code=error.code,
            vendor_message=present(error.message),
            status=context.status,
            trace_id=context.trace_id,
        )
    body: wire.Balances = into(wire.Balances, document, vendor=vendor)
    account_id = account_id_of(body.account_id, vendor=vendor, field="$.accountId")
    for index, balance in enumerate(body.balances):
        path = f"$.balances[{index}]"
        out.add(
            out.attempt(
                Scope.BALANCE,
                path,
                lambda balance=balance: _record(balance, account_id, context),
                account_id=account_id,
            )
        )


def _record(balance: Any, account_id: str, context: Context) -> Any:
    vendor = context.vendor
    # ``side`` is an enum in the spec: the decode already refused any other value.
    side = _SIDES[balance.side]
    as_of = present(balance.as_of)
    return build_record(
        context,
        operation=context.operation,
        freshness=Freshness.LIVE if context.operation else Freshness.UNKNOWN,
        account_id=account_id,
        balance_type=balance_type_of(balance.kind),
        vendor_balance_type=balance.kind,
        amount=amount_from_decimal_text(balance.amount, vendor=vendor, field="amount"),
        amount_text=balance.amount,
        indicator=side,
        currency=balance.currency,
        as_of=None if as_of is None else from_rfc3339(as_of, vendor=vendor, field="asOf"),
        field="amount",
        currency_field="currency",
    )


SPEC_READS: tuple[SpecReads, ...] = (
    {
        "function": "read",
        "operation": "getBalances",
        "status": "200",
        "model": "Balances",
        "fields": {"accountId": "string", "balances": "array"},
    },
    {
        "function": "_record",
        "operation": "getBalances",
        "status": "200",
        "model": "Balances",
        "at": "balances[]",
        "fields": {
            "kind": "string",
            "amount": "string",
            "side": "string",
            "currency": "string",
            "asOf": "string?",
        },
        "enums": {"side": ("credit", "debit")},
    },
    {
        "function": "read",
        "operation": "getBalances",
        "status": "404",
        "model": "Error",
        "fields": {"code": "string", "message": "string?"},
    },
)

declare(wire, SPEC_READS)
