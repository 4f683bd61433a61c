"""Mastercard Open Finance AU: available and cleared balance, live and cached.

One ``AvailableBalance`` body gives two records: ``availableBalance`` (what can be spent
now, after pending debits and holds) as INTERIM_AVAILABLE and ``clearedBalance`` (posted
money, also called current or ledger balance) as INTERIM_BOOKED, each with ``as_of`` from
its Unix-seconds date. Amounts are signed JSON numbers; negative means overdrawn.

Freshness follows the endpoint: ``getAvailableBalanceLive`` reads the bank (LIVE),
``getAvailableBalance`` returns the last cached balance (CACHED) and answers 404 when none
was cached, which becomes ``VendorError`` NOT_CACHED. The two bodies look alike, so without
``operation`` the operation is unknown and so is the freshness.

Docs: https://developer.mastercard.com/open-finance-au/documentation/products/account-balance/
"""

from __future__ import annotations

from typing import Any

from mastercard_open_finance_au_client import wire

from .._decode import fast_decoder
from .._errors import VendorErrorCode
from .._mapping import Context
from .._record import BalanceRecord
from .._types import Freshness
from . import _finicity

VENDOR = "mastercard-open-finance-au"
OPERATIONS = {
    "getAvailableBalanceLive": Freshness.LIVE,
    "getAvailableBalance": Freshness.CACHED,
}
decode_fast = fast_decoder(wire.AvailableBalance, unless=_finicity.STRING_AMOUNT)


def to_records(document: Any, context: Context) -> list[BalanceRecord]:
    not_found = (
        VendorErrorCode.NOT_CACHED
        if context.operation == "getAvailableBalance"
        else VendorErrorCode.NOT_FOUND
    )
    return records(_finicity.parse(document, context, wire=wire, not_found=not_found), context)


def records(body: Any, context: Context) -> list[BalanceRecord]:
    return _finicity.records(
        body,
        context,
        operation=context.operation,
        freshness=OPERATIONS.get(context.operation or "", Freshness.UNKNOWN),
    )
