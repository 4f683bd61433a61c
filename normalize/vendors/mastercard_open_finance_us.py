"""Mastercard Open Finance US: available and cleared balance.

Same body and mapping as AU (``availableBalance`` -> INTERIM_AVAILABLE, ``clearedBalance``
-> INTERIM_BOOKED, ``as_of`` from Unix seconds). The one balance operation,
``getAvailableBalanceLive``, may answer from a cache: ``balance_cache_interval=0`` asks for
a live balance, a value above 0 allows one cached within that many minutes, and since
30 June 2026 an omitted value means 30 minutes. The body does not say which it got, so
freshness is UNKNOWN unless the caller, who knows what was asked, passes it. The cached
endpoint was withdrawn by the vendor after June 2025 and is not supported.

Docs: https://developer.mastercard.com/open-finance-us/documentation/products/pay/account-balance/
"""

from __future__ import annotations

from typing import Any

from mastercard_open_finance_us_client import wire

from .._decode import fast_decoder
from .._mapping import Context
from .._record import BalanceRecord
from .._types import Freshness
from . import _finicity

VENDOR = "mastercard-open-finance-us"
OPERATIONS = {"getAvailableBalanceLive": Freshness.UNKNOWN}
decode_fast = fast_decoder(wire.AvailableBalance, unless=_finicity.STRING_AMOUNT)


def freshness_for_cache_interval(minutes: int) -> Freshness:
    """What a request's ``balance_cache_interval`` says about the balance it returns."""
    return Freshness.LIVE if minutes == 0 else Freshness.UNKNOWN


def to_records(document: Any, context: Context) -> list[BalanceRecord]:
    return records(_finicity.parse(document, context, wire=wire), context)


def records(body: Any, context: Context) -> list[BalanceRecord]:
    return _finicity.records(
        body, context, operation="getAvailableBalanceLive", freshness=Freshness.UNKNOWN
    )
