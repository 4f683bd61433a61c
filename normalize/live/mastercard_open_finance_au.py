"""Mastercard Open Finance AU, live: the live balance and the cached balance of an account.

``live_balance`` calls ``getAvailableBalanceLive`` (the institution is asked now: records
are LIVE); ``cached_balance`` calls ``getAvailableBalance`` (the last balance the platform
cached: records are CACHED; a 404 that is not "customer not found" is VendorError
NOT_CACHED, the vendor's answer when no balance was ever cached). Auth: app key plus app
token (``FinicityAuth``).
"""

from __future__ import annotations

import httpx
from mastercard_open_finance_au_client import Client
from mastercard_open_finance_au_client.api.authentication import create_token
from mastercard_open_finance_au_client.api.balances import (
    get_available_balance,
    get_available_balance_live,
)
from mastercard_open_finance_au_client.models import PartnerCredentials

from .._errors import VendorErrorCode
from .._record import BalanceRecord
from . import _finicity
from ._auth import Secret
from ._transport import DEFAULT_TIMEOUT, AsyncClient, Call, RetryPolicy, SyncClient, with_accept

VENDOR = "mastercard-open-finance-au"
BASE_URL = _finicity.BASE_URL


def _auth(
    base_url: str, app_key: str | Secret, partner_id: str | Secret, partner_secret: str | Secret
) -> httpx.Auth:
    return _finicity.auth(
        vendor=VENDOR,
        base_url=base_url,
        app_key=app_key,
        partner_id=partner_id,
        partner_secret=partner_secret,
        create_token=create_token,
        partner_credentials=PartnerCredentials,
    )


def live_call(customer_id: str, account_id: str) -> Call:
    customer_id, account_id = _finicity.ids(VENDOR, customer_id, account_id)
    return Call(
        vendor=VENDOR,
        operation="getAvailableBalanceLive",
        request=with_accept(
            get_available_balance_live._get_kwargs(customer_id, account_id), "application/json"
        ),
    )


def cached_call(customer_id: str, account_id: str) -> Call:
    customer_id, account_id = _finicity.ids(VENDOR, customer_id, account_id)
    return Call(
        vendor=VENDOR,
        operation="getAvailableBalance",
        request=with_accept(
            get_available_balance._get_kwargs(customer_id, account_id), "application/json"
        ),
        status_codes={404: VendorErrorCode.NOT_CACHED},
    )


class OpenFinanceAU(SyncClient):
    """Mastercard Open Finance AU balances, blocking.

    ``app_key`` (the ``Finicity-App-Key``), ``partner_id`` and ``partner_secret`` (exchanged
    for the app token) come from the developer dashboard. ``base_url`` defaults to the
    vendor's server; ``timeout`` applies to every attempt; ``retry`` is a RetryPolicy;
    ``transport`` an httpx transport (tests).
    """

    def __init__(
        self,
        *,
        app_key: str | Secret,
        partner_id: str | Secret,
        partner_secret: str | Secret,
        base_url: str = BASE_URL,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            client_class=Client,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            auth=_auth(base_url, app_key, partner_id, partner_secret),
        )

    def live_balance(self, customer_id: str, account_id: str) -> list[BalanceRecord]:
        """Available and cleared balance read from the institution now (LIVE)."""
        return self._send(live_call(customer_id, account_id))

    def cached_balance(self, customer_id: str, account_id: str) -> list[BalanceRecord]:
        """The last cached available and cleared balance (CACHED); VendorError NOT_CACHED
        when none was ever cached."""
        return self._send(cached_call(customer_id, account_id))


class AsyncOpenFinanceAU(AsyncClient):
    """Mastercard Open Finance AU balances, asyncio; arguments as ``OpenFinanceAU``."""

    def __init__(
        self,
        *,
        app_key: str | Secret,
        partner_id: str | Secret,
        partner_secret: str | Secret,
        base_url: str = BASE_URL,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            client_class=Client,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            auth=_auth(base_url, app_key, partner_id, partner_secret),
        )

    async def live_balance(self, customer_id: str, account_id: str) -> list[BalanceRecord]:
        """Available and cleared balance read from the institution now (LIVE)."""
        return await self._send(live_call(customer_id, account_id))

    async def cached_balance(self, customer_id: str, account_id: str) -> list[BalanceRecord]:
        """The last cached available and cleared balance (CACHED); VendorError NOT_CACHED
        when none was ever cached."""
        return await self._send(cached_call(customer_id, account_id))
