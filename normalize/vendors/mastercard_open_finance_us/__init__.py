"""Mastercard Open Finance US: available and cleared balance.

Same body and mapping as AU (``availableBalance`` -> INTERIM_AVAILABLE, ``clearedBalance``
-> INTERIM_BOOKED, ``as_of`` from Unix seconds, a date of 0 being no date: ``as_of`` None,
by the zero-time rule in ``_finicity`` and ``_mapping.unless_zero_time``). The one balance
operation, ``GetAvailableBalanceLive`` (the vendor's operationId; ``getAvailableBalanceLive``
is accepted too), may answer from a cache: ``balance_cache_interval=0`` asks for a live
balance, a value above 0 allows one cached within that many minutes, and since 30 June 2026
an omitted value means 30 minutes. The body does not say which it got, so freshness is
UNKNOWN unless the caller, who knows what was asked, passes it. The cached endpoint was
withdrawn by the vendor after June 2025 and is not supported.

Docs: https://developer.mastercard.com/open-finance-us/documentation/products/pay/account-balance/
"""

from __future__ import annotations

from typing import Any

from mastercard_open_finance_us_client import wire

from ..._errors import VendorErrorCode
from ..._mapping import Collector, Context, RequestParameter
from ..._types import Freshness
from .. import _finicity
from .._declare import SpecReads, declare

VENDOR = "mastercard-open-finance-us"
OPERATIONS = {"GetAvailableBalanceLive": Freshness.UNKNOWN}
OPERATION_ALIASES = {"getAvailableBalanceLive": "GetAvailableBalanceLive"}
STATUS_CODES: dict[str, dict[int, VendorErrorCode]] = {}
from_xml = None
# specs/mastercard-open-finance-us/openapi.yaml, balance_cache_interval: 0 to 1440 minutes.
MAX_CACHE_INTERVAL_MINUTES = 1440


def freshness_for_cache_interval(minutes: int) -> Freshness:
    """What a request's ``balance_cache_interval`` says about the balance it returns."""
    return Freshness.LIVE if minutes == 0 else Freshness.UNKNOWN


# The request parameter an envelope may carry (Envelope.request): what the request asked for
# decides the answer's freshness, which its body does not say.
REQUEST_CONTEXT = {
    "balance_cache_interval": RequestParameter(
        0, MAX_CACHE_INTERVAL_MINUTES, freshness_for_cache_interval
    ),
}


def read(document: Any, context: Context, out: Collector) -> None:
    _finicity.read(
        document,
        context,
        out,
        wire=wire,
        status_codes=STATUS_CODES,
        operation="GetAvailableBalanceLive",
        freshness=Freshness.UNKNOWN,
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
        "function": "_finicity.records",
        "operation": "GetAvailableBalanceLive",
        "status": "200",
        "model": "AvailableBalance",
        "fields": {
            "id": "integer|string",
            "availableBalance": "number",
            "availableBalanceDate": "integer",
            "clearedBalance": "number",
            "clearedBalanceDate": "integer",
            "currency": "string",
        },
    },
    {
        "function": "_finicity.vendor_error",
        "operation": "GetAvailableBalanceLive",
        "status": "400",
        "model": "ErrorMessage",
        "fields": {
            "code": "integer|string",
            "message": "string?",
            "accountId": "string?",
        },
    },
)

declare(wire, SPEC_READS)
