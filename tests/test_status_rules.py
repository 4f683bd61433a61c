"""A replayed capture gives what the live call gave.

What an HTTP status, a content type and a body mean together is decided in one place
(``normalize._api``). For each fault case the live tests use, the live client (blocking
and asyncio, retries off) and ``normalize_response(status=..., content_type=...,
operation=...)`` over the same bytes give the same records, or the same error with the same
fields.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from live_support import CALLS, Sleeps, example, make, raw_response, scripted

from normalize import NormalizeError, VendorError, normalize_response

HTML_PAGE = b"<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>"

TOKEN_PARTIAL = json.dumps(
    {
        "response": [
            {
                "balance": {
                    "accountId": "a:1",
                    "current": {"currency": "USD", "value": "1.00"},
                },
                "status": "SUCCESSFUL_REQUEST",
            },
            {"balance": {"accountId": "a:2"}, "status": "MORE_SIGNATURES_NEEDED"},
        ]
    }
).encode()

# (vendor, operationId, status, content type, body)
CASES: list[tuple[str, str, int, str, bytes]] = [
    # Successes and the vendor's own error forms.
    (
        "token-io",
        "getBalance",
        200,
        "application/json",
        example("token-io", "BalanceSuccessful.json"),
    ),
    (
        "mastercard-send",
        "getAccountBalances",
        200,
        "application/xml",
        example("mastercard-send", "PartnerAccountBalancesXml.xml"),
    ),
    ("token-io", "getBalances", 200, "application/json", TOKEN_PARTIAL),
    (
        "token-io",
        "getBalance",
        200,
        "application/json",
        b'{"balance": {"accountId": "a:1"}, "status": "MORE_SIGNATURES_NEEDED"}',
    ),
    (
        "mastercard-open-finance-us",
        "GetAvailableBalanceLive",
        404,
        "application/json",
        b'{"code": "14001", "message": "Customer not found."}',
    ),
    (
        "mastercard-open-banking-connect",
        "getAccountBalances",
        400,
        "application/json",
        b'{"Errors": {"Error": [{"ReasonCode": " INVALID_TOKEN ", "Description": "expired"}]}}',
    ),
    # Bodies that are not the vendor's.
    ("token-io", "getBalance", 200, "application/json", b'{"balance": {"accountId": "a'),
    ("mastercard-open-finance-au", "GetAvailableBalanceLive", 200, "text/html", HTML_PAGE),
    ("mastercard-open-finance-us", "GetAvailableBalanceLive", 403, "text/html", HTML_PAGE),
    ("mastercard-open-finance-au", "GetAvailableBalance", 404, "text/plain", b""),
    ("mastercard-open-finance-au", "GetAvailableBalanceLive", 404, "text/plain", b""),
    ("mastercard-send", "getAccountBalance", 401, "text/plain", b"Unauthorized"),
    ("token-io", "getBalance", 409, "application/json", b"{}"),
    # A balance body under an error status.
    (
        "token-io",
        "getBalance",
        500,
        "application/json",
        example("token-io", "BalanceSuccessful.json"),
    ),
    # Bad input inside a good status.
    (
        "token-io",
        "getBalance",
        200,
        "application/json",
        b'{"balance": {"accountId": "a", "current": {"currency": "USD", "value": "1",'
        b' "value": "2"}}, "status": "SUCCESSFUL_REQUEST"}',
    ),
]


def outcome_of(call: Any) -> tuple[Any, ...]:
    """Records, or the error's class and fields (trace ids aside: the live client adds its
    own correlation id)."""
    try:
        records = call()
    except VendorError as exc:
        return (
            "VendorError",
            exc.code,
            exc.vendor_code,
            exc.vendor_message,
            exc.status,
            exc.account_id,
        )
    except NormalizeError as exc:
        return (type(exc).__name__, exc.vendor, exc.field, repr(exc.value))
    return ("records", tuple(records))


def live(
    vendor: str, operation: str, status: int, content_type: str, body: bytes, is_async: bool
) -> Any:
    script = scripted(vendor, [raw_response(status, body, content_type)])
    kwargs = {"sleeps": Sleeps(), "retry": Sleeps().policy(attempts=1)}
    if not is_async:
        with make(vendor, script, **kwargs) as client:
            return CALLS[(vendor, operation)](client)

    async def go() -> Any:
        async with make(vendor, script, is_async=True, **kwargs) as client:
            return await CALLS[(vendor, operation)](client)

    return asyncio.run(go())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("vendor", "operation", "status", "content_type", "body"),
    CASES,
    ids=[f"{c[0]}:{c[1]}:{c[2]}:{c[3].split('/')[1]}:{i}" for i, c in enumerate(CASES)],
)
def test_replay_gives_what_the_live_call_gave(
    vendor: str, operation: str, status: int, content_type: str, body: bytes, is_async: bool
) -> None:
    replayed = outcome_of(
        lambda: normalize_response(
            vendor, body, status=status, content_type=content_type, operation=operation
        )
    )
    called = outcome_of(lambda: live(vendor, operation, status, content_type, body, is_async))
    if replayed[0] == "records":
        # The live call knows its freshness (e.g. US balance_cache_interval=0): compare the
        # rest of each record.
        strip = lambda records: [  # noqa: E731
            {k: v for k, v in r.to_dict().items() if k != "freshness"} for r in records
        ]
        assert called[0] == "records", called
        assert strip(called[1]) == strip(replayed[1])
    else:
        assert called == replayed
