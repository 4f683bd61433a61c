"""Token.io, live: the balances of one account, or of several in one call.

``balance`` calls ``getBalance`` (``/accounts/{accountId}/balance``), ``balances`` calls
``getBalances`` (``/account-balance`` with ``accountId`` repeated once per account). Both
send ``on-behalf-of`` (the id of the consent the user granted) and, when given,
``token-customer-ip-address`` (the user is present; without it the bank may allow only a
few unattended calls a day). Auth: ``Authorization: Bearer <JWT>``, or ``Authorization:
Basic <API key>`` in the sandbox. A result whose status is ``MORE_SIGNATURES_NEEDED`` is
VendorError CONSENT_INVALID; in the several-accounts form the accounts that did succeed ride
along on the error's ``records``.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from token_io_client import Client
from token_io_client.api.balances import get_balance, get_balances
from token_io_client.types import UNSET

from .._record import BalanceRecord
from . import _checks
from ._auth import Secret, TokenAuth
from ._transport import DEFAULT_TIMEOUT, AsyncClient, Call, RetryPolicy, SyncClient, with_accept

VENDOR = "token-io"
BASE_URL = "https://api.token.io"
SANDBOX_URL = "https://api.sandbox.token.io"


def _headers(on_behalf_of: str, customer_ip_address: str | None) -> tuple[str, str | None]:
    return (
        _checks.text(on_behalf_of, vendor=VENDOR, field="on-behalf-of"),
        _checks.optional_text(
            customer_ip_address, vendor=VENDOR, field="token-customer-ip-address"
        ),
    )


def balance_call(
    account_id: str, *, on_behalf_of: str, customer_ip_address: str | None = None
) -> Call:
    account_id = _checks.text(account_id, vendor=VENDOR, field="accountId")
    consent, address = _headers(on_behalf_of, customer_ip_address)
    return Call(
        vendor=VENDOR,
        operation="getBalance",
        request=with_accept(
            get_balance._get_kwargs(
                account_id,
                on_behalf_of=consent,
                token_customer_ip_address=UNSET if address is None else address,
            ),
            "application/json",
        ),
    )


def balances_call(
    account_ids: Sequence[str], *, on_behalf_of: str, customer_ip_address: str | None = None
) -> Call:
    ids = _checks.texts(account_ids, vendor=VENDOR, field="accountId")
    consent, address = _headers(on_behalf_of, customer_ip_address)
    return Call(
        vendor=VENDOR,
        operation="getBalances",
        request=with_accept(
            get_balances._get_kwargs(
                account_id=ids,
                on_behalf_of=consent,
                token_customer_ip_address=UNSET if address is None else address,
            ),
            "application/json",
        ),
    )


class TokenIO(SyncClient):
    """Token.io balances, blocking.

    Exactly one of ``jwt`` (``Authorization: Bearer``) and ``api_key`` (``Authorization:
    Basic``, sandbox). ``base_url`` defaults to production (``SANDBOX_URL`` is the
    sandbox); ``timeout`` applies to every attempt; ``retry`` is a RetryPolicy;
    ``transport`` an httpx transport (tests).
    """

    def __init__(
        self,
        *,
        jwt: str | Secret | None = None,
        api_key: str | Secret | None = None,
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
            auth=TokenAuth(jwt=jwt, api_key=api_key),
        )

    def balance(
        self, account_id: str, *, on_behalf_of: str, customer_ip_address: str | None = None
    ) -> list[BalanceRecord]:
        """The balances of one account under the consent ``on_behalf_of``."""
        return self._send(
            balance_call(
                account_id, on_behalf_of=on_behalf_of, customer_ip_address=customer_ip_address
            )
        )

    def balances(
        self,
        account_ids: Sequence[str],
        *,
        on_behalf_of: str,
        customer_ip_address: str | None = None,
    ) -> list[BalanceRecord]:
        """The balances of several accounts (``accountId`` repeated) in one call."""
        return self._send(
            balances_call(
                account_ids, on_behalf_of=on_behalf_of, customer_ip_address=customer_ip_address
            )
        )


class AsyncTokenIO(AsyncClient):
    """Token.io balances, asyncio; arguments as ``TokenIO``."""

    def __init__(
        self,
        *,
        jwt: str | Secret | None = None,
        api_key: str | Secret | None = None,
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
            auth=TokenAuth(jwt=jwt, api_key=api_key),
        )

    async def balance(
        self, account_id: str, *, on_behalf_of: str, customer_ip_address: str | None = None
    ) -> list[BalanceRecord]:
        """As ``TokenIO.balance``."""
        return await self._send(
            balance_call(
                account_id, on_behalf_of=on_behalf_of, customer_ip_address=customer_ip_address
            )
        )

    async def balances(
        self,
        account_ids: Sequence[str],
        *,
        on_behalf_of: str,
        customer_ip_address: str | None = None,
    ) -> list[BalanceRecord]:
        """As ``TokenIO.balances``."""
        return await self._send(
            balances_call(
                account_ids, on_behalf_of=on_behalf_of, customer_ip_address=customer_ip_address
            )
        )
