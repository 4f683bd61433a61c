"""Mastercard Open Finance AU, live: the live balance and the cached balance of an account.

``live_balance`` calls ``GetAvailableBalanceLive`` (the institution is asked now: records
are LIVE); ``cached_balance`` calls ``GetAvailableBalance`` (the last balance the platform
cached: records are CACHED; a 404 that is not "customer not found" is VendorError
NOT_CACHED, the vendor's answer when no balance was ever cached). Auth: app key plus app
token (``FinicityAuth``): ``app_key`` (the ``Finicity-App-Key``), ``partner_id`` and
``partner_secret`` (exchanged for the app token) come from the developer dashboard.
"""

from __future__ import annotations

from mastercard_open_finance_au_client import Client
from mastercard_open_finance_au_client.api.authentication import create_token
from mastercard_open_finance_au_client.api.balances import (
    get_available_balance,
    get_available_balance_live,
)
from mastercard_open_finance_au_client.models import PartnerCredentials

from ...live import _finicity
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

BASE_URL = _finicity.BASE_URL
VENDOR = "mastercard-open-finance-au"


def live_balance(customer_id: str, account_id: str) -> Call:
    """Available and cleared balance read from the institution now (LIVE)."""
    customer_id, account_id = _finicity.ids(VENDOR, customer_id, account_id)
    return Call(
        vendor=VENDOR,
        operation="GetAvailableBalanceLive",
        request=with_accept(
            get_available_balance_live._get_kwargs(customer_id, account_id), "application/json"
        ),
    )


def cached_balance(customer_id: str, account_id: str) -> Call:
    """The last cached available and cleared balance (CACHED); VendorError NOT_CACHED when
    none was ever cached."""
    customer_id, account_id = _finicity.ids(VENDOR, customer_id, account_id)
    return Call(
        vendor=VENDOR,
        operation="GetAvailableBalance",
        request=with_accept(
            get_available_balance._get_kwargs(customer_id, account_id), "application/json"
        ),
    )


class _Operations:
    live_balance = Operation(operation_id="GetAvailableBalanceLive", build=live_balance)
    cached_balance = Operation(operation_id="GetAvailableBalance", build=cached_balance)


DESCRIPTION = VendorDescription(
    vendor=VENDOR,
    title="Mastercard Open Finance AU",
    environments=_finicity.ENVIRONMENTS,
    generated_client=Client,
    credentials=_finicity.CREDENTIALS,
    auth=_finicity.auth(create_token, PartnerCredentials),
    operations=operations_of(_Operations),
)


class OpenFinanceAUOutcomes(_Operations, SyncOutcomes):
    """``OpenFinanceAU(...).outcome``: each operation returning the call's Outcome."""


class AsyncOpenFinanceAUOutcomes(_Operations, AsyncOutcomes):
    """``AsyncOpenFinanceAU(...).outcome``: each operation a coroutine of the call's Outcome."""


class OpenFinanceAU(_Operations, SyncClient):
    """Mastercard Open Finance AU balances, blocking (arguments: see ``SyncClient``)."""

    description = DESCRIPTION
    outcome = OutcomeForm(OpenFinanceAUOutcomes)


class AsyncOpenFinanceAU(_Operations, AsyncClient):
    """Mastercard Open Finance AU balances, asyncio; as ``OpenFinanceAU``."""

    description = DESCRIPTION
    outcome = OutcomeForm(AsyncOpenFinanceAUOutcomes)
