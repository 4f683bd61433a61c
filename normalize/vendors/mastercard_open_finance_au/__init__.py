"""Mastercard Open Finance AU: available and cleared balance, live and cached.

One ``AvailableBalance`` body gives two records: ``availableBalance`` (what can be spent
now, after pending debits and holds) as INTERIM_AVAILABLE and ``clearedBalance`` (posted
money, also called current or ledger balance) as INTERIM_BOOKED, each with ``as_of`` from
its Unix-seconds date. Amounts are signed JSON numbers; negative means overdrawn.
A date of 0 is no date: ``as_of`` is None, not 1970-01-01 (the zero-time rule, in
``_finicity`` and ``_mapping.unless_zero_time``).

Freshness follows the endpoint: ``GetAvailableBalanceLive`` reads the bank (LIVE),
``GetAvailableBalance`` returns the last cached balance (CACHED) and answers 404 when none
was cached, which becomes ``VendorError`` NOT_CACHED. The two bodies look alike, so without
``operation`` the operation is unknown and so is the freshness. The operationIds are the
vendor's own (Mastercard's published Open Finance spec); the lower-camel spellings earlier
versions of this library used are accepted too.

Docs: https://developer.mastercard.com/open-finance-au/documentation/products/account-balance/
"""

from __future__ import annotations

from typing import Any

from mastercard_open_finance_au_client import wire

from ..._errors import VendorErrorCode
from ..._mapping import Collector, Context
from ..._types import Freshness
from .. import _finicity
from .._declare import SpecReads, declare

VENDOR = "mastercard-open-finance-au"
OPERATIONS = {
    "GetAvailableBalanceLive": Freshness.LIVE,
    "GetAvailableBalance": Freshness.CACHED,
}
OPERATION_ALIASES = {
    "getAvailableBalanceLive": "GetAvailableBalanceLive",
    "getAvailableBalance": "GetAvailableBalance",
}
STATUS_CODES = {"GetAvailableBalance": {404: VendorErrorCode.NOT_CACHED}}
from_xml = None


def read(document: Any, context: Context, out: Collector) -> None:
    _finicity.read(
        document,
        context,
        out,
        wire=wire,
        status_codes=STATUS_CODES,
        operation=context.operation,
        freshness=OPERATIONS.get(context.operation or "", Freshness.UNKNOWN),
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
_AVAILABLE_BALANCE_FIELDS: dict[str, str] = {
    "id": "integer|string",
    "availableBalance": "number",
    "availableBalanceDate": "integer",
    "clearedBalance": "number",
    "clearedBalanceDate": "integer",
    "currency": "string",
}

_ERROR_MESSAGE_FIELDS: dict[str, str] = {
    "code": "integer|string",
    "message": "string?",
    "accountId": "string?",
}

SPEC_READS: tuple[SpecReads, ...] = (
    {
        "function": "_finicity.records",
        "operation": "GetAvailableBalanceLive",
        "status": "200",
        "model": "AvailableBalance",
        "fields": _AVAILABLE_BALANCE_FIELDS,
    },
    {
        "function": "_finicity.vendor_error",
        "operation": "GetAvailableBalanceLive",
        "status": "400",
        "model": "ErrorMessage",
        "fields": _ERROR_MESSAGE_FIELDS,
    },
    {
        "function": "_finicity.records",
        "operation": "GetAvailableBalance",
        "status": "200",
        "model": "AvailableBalance",
        "fields": _AVAILABLE_BALANCE_FIELDS,
    },
    {
        "function": "_finicity.vendor_error",
        "operation": "GetAvailableBalance",
        "status": "400",
        "model": "ErrorMessage",
        "fields": _ERROR_MESSAGE_FIELDS,
    },
)

declare(wire, SPEC_READS)
