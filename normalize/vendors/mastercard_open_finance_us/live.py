"""Mastercard Open Finance US, live: the available and cleared balance of an account.

``balance`` calls ``GetAvailableBalanceLive`` and always sends ``balance_cache_interval``:
the vendor's default for an omitted value changed (0, live, until 30 June 2026; 30 minutes,
possibly cached, since), so an omitted value would leave the freshness of the answer
unknown. Ours is ``cache_interval_minutes=0``: always live, records LIVE. A value from 1 to
1440 allows a balance cached within that many minutes, and the records' freshness is then
UNKNOWN (the body does not say whether it came from the cache). Auth: app key plus app
token (``FinicityAuth``), as Open Finance AU.
"""

from __future__ import annotations

from mastercard_open_finance_us_client import Client
from mastercard_open_finance_us_client.api.authentication import create_token
from mastercard_open_finance_us_client.api.balances import get_available_balance_live
from mastercard_open_finance_us_client.models import PartnerCredentials

from ...live import _checks, _finicity
from ...live._client import (
    AsyncClient,
    AsyncOutcomes,
    Operation,
    OutcomeForm,
    SyncClient,
    SyncOutcomes,
    VendorDescription,
    operations_of,
)
from ...live._transport import Call, with_accept
from . import REQUEST_CONTEXT

BASE_URL = _finicity.BASE_URL
VENDOR = "mastercard-open-finance-us"

DEFAULT_CACHE_INTERVAL_MINUTES = 0
"""Always live. Sent explicitly on every call, never left to the vendor's default."""

_CACHE_INTERVAL = "balance_cache_interval"


def balance(
    customer_id: str,
    account_id: str,
    *,
    cache_interval_minutes: int = DEFAULT_CACHE_INTERVAL_MINUTES,
) -> Call:
    """Available and cleared balance. ``cache_interval_minutes`` (0 to 1440, sent as
    ``balance_cache_interval``): 0, the default, asks for a live balance (records LIVE);
    above 0 a balance cached within that many minutes may come back (UNKNOWN)."""
    customer_id, account_id = _finicity.ids(VENDOR, customer_id, account_id)
    parameter = REQUEST_CONTEXT[_CACHE_INTERVAL]
    minutes = _checks.integer(
        cache_interval_minutes,
        vendor=VENDOR,
        field=_CACHE_INTERVAL,
        minimum=parameter.minimum,
        maximum=parameter.maximum,
    )
    return Call(
        vendor=VENDOR,
        operation="GetAvailableBalanceLive",
        request=with_accept(
            get_available_balance_live._get_kwargs(
                customer_id, account_id, balance_cache_interval=minutes
            ),
            "application/json",
        ),
        # The answer's freshness follows from it (the vendor module's REQUEST_CONTEXT),
        # the same for this call and for its recorded envelope replayed.
        request_context={_CACHE_INTERVAL: minutes},
    )


class _Operations:
    balance = Operation(operation_id="GetAvailableBalanceLive", build=balance)


DESCRIPTION = VendorDescription(
    vendor=VENDOR,
    title="Mastercard Open Finance US",
    environments=_finicity.ENVIRONMENTS,
    generated_client=Client,
    credentials=_finicity.CREDENTIALS,
    auth=_finicity.auth(create_token, PartnerCredentials),
    operations=operations_of(_Operations),
)


class OpenFinanceUSOutcomes(_Operations, SyncOutcomes):
    """``OpenFinanceUS(...).outcome``: each operation returning the call's Outcome."""


class AsyncOpenFinanceUSOutcomes(_Operations, AsyncOutcomes):
    """``AsyncOpenFinanceUS(...).outcome``: each operation a coroutine of the call's Outcome."""


class OpenFinanceUS(_Operations, SyncClient):
    """Mastercard Open Finance US balances, blocking (arguments: see ``SyncClient``)."""

    description = DESCRIPTION
    outcome = OutcomeForm(OpenFinanceUSOutcomes)


class AsyncOpenFinanceUS(_Operations, AsyncClient):
    """Mastercard Open Finance US balances, asyncio; as ``OpenFinanceUS``."""

    description = DESCRIPTION
    outcome = OutcomeForm(AsyncOpenFinanceUSOutcomes)
