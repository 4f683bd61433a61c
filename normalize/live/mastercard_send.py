"""Mastercard Send, live: the balance of one account, or of all of a partner's accounts.

``account_balance`` calls ``getAccountBalance`` (one ``non_card_token``),
``account_balances`` calls ``getAccountBalances`` (every account of the partner). JSON by
default (``Accept: application/json``); ``xml=True`` asks for XML (``Accept:
application/xml``), which is parsed with the same hardened reader as captured XML. The
``correlation-id`` response header is logged and becomes the VendorError's ``trace_id``.
Auth: Mastercard OAuth 1.0a signing (body hash of the empty body on these GETs).
"""

from __future__ import annotations

import os

import httpx
from mastercard_send_client import Client
from mastercard_send_client.api.balances import get_account_balance, get_account_balances

from .._record import BalanceRecord
from . import _checks
from ._auth import MastercardOAuth1, Secret
from ._transport import DEFAULT_TIMEOUT, AsyncClient, Call, RetryPolicy, SyncClient, with_accept

VENDOR = "mastercard-send"
BASE_URL = "https://api.mastercard.com/send"
SANDBOX_URL = "https://sandbox.api.mastercard.com/send"
TRACE_HEADER = "correlation-id"


def _media_type(xml: bool) -> str:
    return "application/xml" if xml else "application/json"


def balance_call(partner_id: str, non_card_token: str, *, xml: bool = False) -> Call:
    partner_id = _checks.text(partner_id, vendor=VENDOR, field="partnerId")
    non_card_token = _checks.text(non_card_token, vendor=VENDOR, field="non_card_token")
    return Call(
        vendor=VENDOR,
        operation="getAccountBalance",
        request=with_accept(
            get_account_balance._get_kwargs(partner_id, non_card_token), _media_type(xml)
        ),
        trace_header=TRACE_HEADER,
    )


def balances_call(partner_id: str, *, xml: bool = False) -> Call:
    partner_id = _checks.text(partner_id, vendor=VENDOR, field="partnerId")
    return Call(
        vendor=VENDOR,
        operation="getAccountBalances",
        request=with_accept(get_account_balances._get_kwargs(partner_id), _media_type(xml)),
        trace_header=TRACE_HEADER,
    )


class MastercardSend(SyncClient):
    """Mastercard Send account balances, blocking.

    ``consumer_key`` and the PKCS#12 ``signing_key`` (a file path or the file's bytes) with
    its ``signing_key_password`` come from the Mastercard Developers project. ``base_url``
    defaults to production (``SANDBOX_URL`` is MTF); ``timeout`` applies to every attempt;
    ``retry`` is a RetryPolicy; ``transport`` an httpx transport (tests).
    """

    def __init__(
        self,
        *,
        consumer_key: str | Secret,
        signing_key: str | os.PathLike[str] | bytes,
        signing_key_password: str | Secret,
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
            auth=MastercardOAuth1.from_pkcs12(
                consumer_key=consumer_key,
                signing_key=signing_key,
                signing_key_password=signing_key_password,
            ),
        )

    def account_balance(
        self, partner_id: str, non_card_token: str, *, xml: bool = False
    ) -> list[BalanceRecord]:
        """The balance of the account ``non_card_token`` stands for; XML if ``xml``."""
        return self._send(balance_call(partner_id, non_card_token, xml=xml))

    def account_balances(self, partner_id: str, *, xml: bool = False) -> list[BalanceRecord]:
        """The balances of all of the partner's accounts; XML if ``xml``."""
        return self._send(balances_call(partner_id, xml=xml))


class AsyncMastercardSend(AsyncClient):
    """Mastercard Send account balances, asyncio; arguments as ``MastercardSend``."""

    def __init__(
        self,
        *,
        consumer_key: str | Secret,
        signing_key: str | os.PathLike[str] | bytes,
        signing_key_password: str | Secret,
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
            auth=MastercardOAuth1.from_pkcs12(
                consumer_key=consumer_key,
                signing_key=signing_key,
                signing_key_password=signing_key_password,
            ),
        )

    async def account_balance(
        self, partner_id: str, non_card_token: str, *, xml: bool = False
    ) -> list[BalanceRecord]:
        """As ``MastercardSend.account_balance``."""
        return await self._send(balance_call(partner_id, non_card_token, xml=xml))

    async def account_balances(self, partner_id: str, *, xml: bool = False) -> list[BalanceRecord]:
        """As ``MastercardSend.account_balances``."""
        return await self._send(balances_call(partner_id, xml=xml))
