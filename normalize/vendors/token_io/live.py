"""Token.io, live: the balances of one account, or of several in one call.

``balance`` calls ``getBalance`` (``/accounts/{accountId}/balance``), ``balances`` calls
``getBalances`` (``/account-balance`` with ``accountId`` repeated once per account). Both
send ``on-behalf-of`` (the id of the consent the user granted) and, when given,
``token-customer-ip-address`` (the user is present; without it the bank may allow only a
few unattended calls a day). Auth: ``Authorization: Bearer <JWT>`` (``jwt``), or
``Authorization: Basic <API key>`` in the sandbox (``api_key``). A result whose status is
``MORE_SIGNATURES_NEEDED`` is VendorError CONSENT_INVALID.
"""

from __future__ import annotations

from collections.abc import Sequence

from token_io_client import Client
from token_io_client.api.balances import get_balance, get_balances
from token_io_client.types import UNSET

from ...live import _checks
from ...live._auth import TOKEN_CREDENTIALS, token_auth
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

VENDOR = "token-io"
ENVIRONMENTS = {"production": "https://api.token.io", "sandbox": "https://api.sandbox.token.io"}
# The names earlier versions exported.
BASE_URL = ENVIRONMENTS["production"]
SANDBOX_URL = ENVIRONMENTS["sandbox"]


def _headers(on_behalf_of: str, customer_ip_address: str | None) -> tuple[str, str | None]:
    # Both are sent as request headers.
    return (
        _checks.header_text(on_behalf_of, vendor=VENDOR, field="on-behalf-of"),
        None
        if customer_ip_address is None
        else _checks.header_text(
            customer_ip_address, vendor=VENDOR, field="token-customer-ip-address"
        ),
    )


def balance(account_id: str, *, on_behalf_of: str, customer_ip_address: str | None = None) -> Call:
    """The balances of one account under the consent ``on_behalf_of``."""
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


def balances(
    account_ids: Sequence[str], *, on_behalf_of: str, customer_ip_address: str | None = None
) -> Call:
    """The balances of several accounts (``accountId`` repeated) in one call."""
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


class _Operations:
    balance = Operation(operation_id="getBalance", build=balance)
    balances = Operation(operation_id="getBalances", build=balances)


DESCRIPTION = VendorDescription(
    vendor=VENDOR,
    title="Token.io",
    environments=ENVIRONMENTS,
    generated_client=Client,
    credentials=TOKEN_CREDENTIALS,
    auth=token_auth,
    operations=operations_of(_Operations),
)


class TokenIOOutcomes(_Operations, SyncOutcomes):
    """``TokenIO(...).outcome``: each operation returning the call's Outcome."""


class AsyncTokenIOOutcomes(_Operations, AsyncOutcomes):
    """``AsyncTokenIO(...).outcome``: each operation a coroutine of the call's Outcome."""


class TokenIO(_Operations, SyncClient):
    """Token.io balances, blocking (arguments: see ``SyncClient``)."""

    description = DESCRIPTION
    outcome = OutcomeForm(TokenIOOutcomes)


class AsyncTokenIO(_Operations, AsyncClient):
    """Token.io balances, asyncio; as ``TokenIO``."""

    description = DESCRIPTION
    outcome = OutcomeForm(AsyncTokenIOOutcomes)
