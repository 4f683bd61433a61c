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


def to_records(document: Any, context: Context) -> list[BalanceRecord]:
    operation = context.operation
    return _finicity.to_records(
        document,
        context,
        wire=wire,
        operation=operation,
        freshness=OPERATIONS.get(operation or "", Freshness.UNKNOWN),
        not_found=(
            VendorErrorCode.NOT_CACHED
            if operation == "getAvailableBalance"
            else VendorErrorCode.NOT_FOUND
        ),
    )
