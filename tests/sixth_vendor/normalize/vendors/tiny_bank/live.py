"""Tiny Bank (made up), live: ``balances(account_id)`` calls ``getBalances``. Auth: a bearer
token (``jwt``) or an API key (``api_key``), as Token.io's."""

from __future__ import annotations

from tiny_bank_client import Client
from tiny_bank_client.api.balances import get_balances

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

VENDOR = "tiny-bank"


def balances(account_id: str) -> Call:
    """The account's booked and available balances (LIVE)."""
    return Call(
        vendor=VENDOR,
        operation="getBalances",
        request=with_accept(get_balances._get_kwargs(account_id), "application/json"),
    )


class _Operations:
    balances = Operation(operation_id="getBalances", build=balances)


DESCRIPTION = VendorDescription(
    vendor=VENDOR,
    title="Tiny Bank",
    environments={"production": "https://api.tiny-bank.example"},
    generated_client=Client,
    credentials=TOKEN_CREDENTIALS,
    auth=token_auth,
    operations=operations_of(_Operations),
)


class TinyBankOutcomes(_Operations, SyncOutcomes):
    """``TinyBank(...).outcome``: each operation returning the call's Outcome."""


class AsyncTinyBankOutcomes(_Operations, AsyncOutcomes):
    """``AsyncTinyBank(...).outcome``: each operation a coroutine of the call's Outcome."""


class TinyBank(_Operations, SyncClient):
    """Tiny Bank balances, blocking (arguments: see ``SyncClient``)."""

    description = DESCRIPTION
    outcome = OutcomeForm(TinyBankOutcomes)


class AsyncTinyBank(_Operations, AsyncClient):
    """Tiny Bank balances, asyncio; as ``TinyBank``."""

    description = DESCRIPTION
    outcome = OutcomeForm(AsyncTinyBankOutcomes)
