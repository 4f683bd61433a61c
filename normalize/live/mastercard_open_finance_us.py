"""Mastercard Open Finance US, live: the available and cleared balance of an account.

``balance`` calls ``getAvailableBalanceLive`` and always sends ``balance_cache_interval``:
the vendor's default for an omitted value changed (0, live, until 30 June 2026; 30 minutes,
possibly cached, since), so an omitted value would leave the freshness of the answer
unknown. Ours is ``cache_interval_minutes=0``: always live, records LIVE. A value from 1 to
1440 allows a balance cached within that many minutes, and the records' freshness is then
UNKNOWN (the body does not say whether it came from the cache). Auth: app key plus app
token (``FinicityAuth``).
"""

from __future__ import annotations

import httpx
from mastercard_open_finance_us_client import Client
from mastercard_open_finance_us_client.api.authentication import create_token
from mastercard_open_finance_us_client.api.balances import get_available_balance_live
from mastercard_open_finance_us_client.models import PartnerCredentials

from .._record import BalanceRecord
from ..vendors.mastercard_open_finance_us import freshness_for_cache_interval
from . import _checks, _finicity
from ._auth import Secret
from ._transport import DEFAULT_TIMEOUT, AsyncClient, Call, RetryPolicy, SyncClient, with_accept

VENDOR = "mastercard-open-finance-us"
BASE_URL = _finicity.BASE_URL

DEFAULT_CACHE_INTERVAL_MINUTES = 0
"""Always live. Sent explicitly on every call, never left to the vendor's default."""

# specs/mastercard-open-finance-us/openapi.yaml, balance_cache_interval.
MAX_CACHE_INTERVAL_MINUTES = 1440


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


def balance_call(customer_id: str, account_id: str, cache_interval_minutes: int) -> Call:
    customer_id, account_id = _finicity.ids(VENDOR, customer_id, account_id)
    minutes = _checks.integer(
        cache_interval_minutes,
        vendor=VENDOR,
        field="balance_cache_interval",
        minimum=0,
        maximum=MAX_CACHE_INTERVAL_MINUTES,
    )
    return Call(
        vendor=VENDOR,
        operation="getAvailableBalanceLive",
        request=with_accept(
            get_available_balance_live._get_kwargs(
                customer_id, account_id, balance_cache_interval=minutes
            ),
            "application/json",
        ),
        freshness=freshness_for_cache_interval(minutes),
    )


class OpenFinanceUS(SyncClient):
    """Mastercard Open Finance US balances, blocking.

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

    def balance(
        self,
        customer_id: str,
        account_id: str,
        *,
        cache_interval_minutes: int = DEFAULT_CACHE_INTERVAL_MINUTES,
    ) -> list[BalanceRecord]:
        """Available and cleared balance. ``cache_interval_minutes`` (0 to 1440, sent as
        ``balance_cache_interval``): 0, the default, asks for a live balance (records LIVE);
        above 0 a balance cached within that many minutes may come back (UNKNOWN)."""
        return self._send(balance_call(customer_id, account_id, cache_interval_minutes))


class AsyncOpenFinanceUS(AsyncClient):
    """Mastercard Open Finance US balances, asyncio; arguments as ``OpenFinanceUS``."""

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

    async def balance(
        self,
        customer_id: str,
        account_id: str,
        *,
        cache_interval_minutes: int = DEFAULT_CACHE_INTERVAL_MINUTES,
    ) -> list[BalanceRecord]:
        """As ``OpenFinanceUS.balance``."""
        return await self._send(balance_call(customer_id, account_id, cache_interval_minutes))
