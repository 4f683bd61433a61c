"""Live calls over real HTTP on 127.0.0.1 (``live_hostile``'s server, answering what a test
gives it), in either form, and the answers the outcome and recording tests serve: each
vendor's own examples, and several-accounts answers of Token.io, Open Banking Connect and
Send with one bad part (the shapes of tests/test_status_rules.py and
tests/test_bad_input.py)."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable
from typing import Any

from live_hostile import Canned, Given, Hostile
from live_support import CALLS, CONNECT_ACCOUNT, TOKEN_ACCOUNT, Script, example, make

Result = Any  # an Outcome (outcome form), records (strict form), or the exception raised


def over_loopback(
    hostile: Hostile,
    scenario: str,
    given: Given,
    vendor: str,
    operation: str,
    *,
    is_async: bool,
    strict: bool = False,
    call: Callable[..., Any] | None = None,
    **client_kwargs: Any,
) -> Result:
    """One call of ``operation`` (``CALLS``' arguments, or ``call(client_or_form)``) by a
    fresh client whose base URL is ``scenario`` on the server, answered with ``given``: its
    Outcome (``client.outcome``), or with ``strict`` its records or the exception raised."""
    kwargs: dict[str, Any] = {
        "base_url": hostile.answer(scenario, given),
        "transport": None,
        **client_kwargs,
    }
    send = call or CALLS[(vendor, operation)]

    def target(client: Any) -> Any:
        return client if strict else client.outcome

    def sync() -> Any:
        with make(vendor, Script(), **kwargs) as client:
            try:
                return send(target(client))
            except Exception as exc:
                return exc

    async def run_async() -> Any:
        async with make(vendor, Script(), is_async=True, **kwargs) as client:
            try:
                return await send(target(client))
            except Exception as exc:
                return exc

    return asyncio.run(run_async()) if is_async else sync()


TOKEN_GOOD = (TOKEN_ACCOUNT, "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW")
TOKEN_REVOKED = "a:9XcVbN2mQw4eRt6yUi8oPa1sDf3gHj5kLz7xCv9bNm1Q:5zKcENpX"
TOKEN_ACCOUNTS = [*TOKEN_GOOD, TOKEN_REVOKED]


def _token_entry(account: str, value: str) -> dict[str, Any]:
    return {
        "balance": {"accountId": account, "current": {"currency": "EUR", "value": value}},
        "status": "SUCCESSFUL_REQUEST",
    }


# Two accounts answered (one balance each), the third's consent wants signing again:
# CONSENT_INVALID.
TOKEN_PARTIAL = json.dumps(
    {
        "response": [
            _token_entry(TOKEN_GOOD[0], "12009.1000"),
            _token_entry(TOKEN_GOOD[1], "-125.5000"),
            {"balance": {"accountId": TOKEN_REVOKED}, "status": "MORE_SIGNATURES_NEEDED"},
        ]
    }
).encode()


def connect_one_bad_balance() -> bytes:
    """Connect's account with a third balance in a currency that is none (EURO)."""
    document = json.loads(example("mastercard-open-banking-connect", "AccountBalancesDebit.json"))
    document["account"]["resourceId"] = CONNECT_ACCOUNT
    balances = document["account"]["balances"]
    balances.append(
        {**copy.deepcopy(balances[0]), "balanceAmount": {"currency": "EURO", "amount": "1.00"}}
    )
    return json.dumps(document).encode()


def send_one_bad_account() -> bytes:
    """Send's list of a partner's accounts, the second with an amount of another form."""
    document = json.loads(example("mastercard-send", "PartnerAccountBalances.json"))
    document["account-balances"][1]["balance"]["amount"] = "12,50"
    return json.dumps(document).encode()


def json_answer(status: int, body: bytes, **headers: str) -> Canned:
    return status, {"Content-Type": "application/json", **headers}, body


def xml_answer(status: int, body: bytes) -> Canned:
    return status, {"Content-Type": "application/xml"}, body


HTML_500 = (
    500,
    {"Content-Type": "text/html"},
    b"<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>",
)
