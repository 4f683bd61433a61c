"""Live retrieval under faults: rate limits, outages, timeouts, broken bodies, expired tokens.

Every vendor client runs over an ``httpx.MockTransport`` that answers from a script; the
retry policy records the waits it asks for instead of sleeping.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from live_support import (
    ACCOUNT,
    APP_TOKEN,
    CALLS,
    CUSTOMER,
    FRESH_APP_TOKEN,
    SUCCESS,
    SUCCESS_EXAMPLES,
    TOKEN_PATH,
    Script,
    Sleeps,
    body_of,
    json_response,
    make,
    raw_response,
    scripted,
    success_response,
    token_answers,
)

from normalize import (
    MalformedPayload,
    RetryPolicy,
    VendorError,
    VendorErrorCode,
    normalize_response,
)
from normalize.live._auth import FinicityAuth

OPERATIONS = sorted(CALLS)
OPERATION_IDS = [f"{vendor}:{operation}" for vendor, operation in OPERATIONS]


def success(vendor: str, operation: str) -> httpx.Response:
    """The operation's documented success answer (``SUCCESS``, from the vendor's spec)."""
    return success_response(SUCCESS[(vendor, operation)])


def balance_requests(script: Script) -> list[httpx.Request]:
    return [r for r in script.requests if not r.url.path.endswith(TOKEN_PATH)]


def run(vendor: str, operation: str, script: Script, sleeps: Sleeps, **kwargs: Any) -> Any:
    with make(vendor, script, sleeps=sleeps, **kwargs) as client:
        return CALLS[(vendor, operation)](client)


def run_async(vendor: str, operation: str, script: Script, sleeps: Sleeps, **kwargs: Any) -> Any:
    async def go() -> Any:
        async with make(vendor, script, sleeps=sleeps, is_async=True, **kwargs) as client:
            return await CALLS[(vendor, operation)](client)

    return asyncio.run(go())


RUNNERS = pytest.mark.parametrize("runner", [run, run_async], ids=["sync", "async"])
EVERY_OPERATION = pytest.mark.parametrize(("vendor", "operation"), OPERATIONS, ids=OPERATION_IDS)


# --- 429 with Retry-After, then 200 -----------------------------------------------------------


@RUNNERS
@EVERY_OPERATION
def test_429_with_retry_after_waits_as_asked_then_succeeds(
    runner: Any, vendor: str, operation: str
) -> None:
    sleeps = Sleeps()
    script = scripted(
        vendor,
        [
            json_response(429, {}, headers={"Retry-After": "3"}),
            success(vendor, operation),
        ],
    )
    records = runner(vendor, operation, script, sleeps)
    assert sleeps.waits == [3.0]
    attempts = len(balance_requests(script))
    assert attempts == 2
    assert attempts <= RetryPolicy().attempts
    documented = SUCCESS[(vendor, operation)]
    assert [r.amount for r in records] == [
        r.amount
        for r in normalize_response(
            vendor,
            body_of(documented),
            content_type=documented.media_type,
            operation=operation,
        )
    ]


def test_retry_after_as_an_http_date_is_honoured() -> None:
    sleeps = Sleeps()
    when = datetime.now(UTC) + timedelta(seconds=20)
    script = scripted(
        "token-io",
        [
            json_response(503, {}, headers={"Retry-After": format_datetime(when, usegmt=True)}),
            success("token-io", "getBalance"),
        ],
    )
    run("token-io", "getBalance", script, sleeps)
    (wait,) = sleeps.waits
    assert 17.0 <= wait <= 20.0


def test_retry_after_longer_than_allowed_fails_at_once_rather_than_retry_early() -> None:
    sleeps = Sleeps()
    script = scripted(
        "token-io",
        [
            raw_response(429, "Too Many Requests", "text/plain", headers={"Retry-After": "3600"}),
            success("token-io", "getBalance"),
        ],
    )
    with pytest.raises(VendorError) as caught:
        run("token-io", "getBalance", script, sleeps)
    assert caught.value.code is VendorErrorCode.RATE_LIMITED
    assert caught.value.status == 429
    assert sleeps.waits == []
    assert len(script.requests) == 1


@RUNNERS
def test_429_every_time_ends_rate_limited_at_the_bound(runner: Any) -> None:
    sleeps = Sleeps()
    script = scripted("mastercard-send", [json_response(429, {}, headers={"Retry-After": "1"})])
    with pytest.raises(VendorError) as caught:
        runner("mastercard-send", "getAccountBalances", script, sleeps)
    assert caught.value.code is VendorErrorCode.RATE_LIMITED
    assert len(script.requests) == RetryPolicy().attempts
    assert sleeps.waits == [1.0] * (RetryPolicy().attempts - 1)


# --- 503 every time ---------------------------------------------------------------------------


@RUNNERS
@EVERY_OPERATION
def test_503_every_time_gives_up_at_the_bound_unavailable(
    runner: Any, vendor: str, operation: str
) -> None:
    sleeps = Sleeps()
    policy = RetryPolicy()
    script = scripted(vendor, [raw_response(503, "<html>Service Unavailable</html>", "text/html")])
    with pytest.raises(VendorError) as caught:
        runner(vendor, operation, script, sleeps)
    error = caught.value
    assert error.code is VendorErrorCode.UNAVAILABLE
    assert error.status == 503
    assert error.vendor == vendor
    assert len(balance_requests(script)) == policy.attempts
    # Exponential backoff with jitter, capped: one wait between each two attempts.
    assert len(sleeps.waits) == policy.attempts - 1
    for n, wait in enumerate(sleeps.waits):
        low = min(policy.initial_wait * 2**n, policy.max_wait)
        assert low <= wait <= low + policy.jitter


@pytest.mark.parametrize("status", [502, 504])
def test_other_gateway_statuses_are_retried(status: int) -> None:
    sleeps = Sleeps()
    script = scripted(
        "token-io", [raw_response(status, "", "text/plain"), success("token-io", "getBalance")]
    )
    records = run("token-io", "getBalance", script, sleeps)
    assert records
    assert len(script.requests) == 2


def test_the_bound_is_the_policys() -> None:
    sleeps = Sleeps()
    script = scripted("token-io", [raw_response(503, "", "text/plain")])
    with pytest.raises(VendorError):
        run("token-io", "getBalance", script, sleeps, retry=sleeps.policy(attempts=2))
    assert len(script.requests) == 2
    script = scripted("token-io", [raw_response(503, "", "text/plain")])
    with pytest.raises(VendorError):
        run("token-io", "getBalance", script, sleeps, retry=sleeps.policy(attempts=1))
    assert len(script.requests) == 1


# --- timeouts and connection errors -----------------------------------------------------------


@RUNNERS
@EVERY_OPERATION
def test_timeout_every_time_is_unavailable_after_retries(
    runner: Any, vendor: str, operation: str
) -> None:
    sleeps = Sleeps()
    script = scripted(vendor, [httpx.ReadTimeout("timed out")])
    if vendor.startswith("mastercard-open-finance"):
        # The token is had; the balance call times out.
        script.by_path[TOKEN_PATH] = token_answers(APP_TOKEN)
    with pytest.raises(VendorError) as caught:
        runner(vendor, operation, script, sleeps)
    error = caught.value
    assert error.code is VendorErrorCode.UNAVAILABLE
    assert error.status is None
    assert "ReadTimeout" in (error.vendor_message or "")
    # Nothing chained: a transport error's text is not the library's to pass on.
    assert error.__cause__ is None
    assert error.__suppress_context__
    assert len(balance_requests(script)) == RetryPolicy().attempts


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.RemoteProtocolError("peer closed connection"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_transient_transport_errors_are_retried(failure: Exception) -> None:
    sleeps = Sleeps()
    script = scripted("mastercard-send", [failure, success("mastercard-send", "getAccountBalance")])
    records = run("mastercard-send", "getAccountBalance", script, sleeps)
    assert records
    assert len(script.requests) == 2
    assert len(sleeps.waits) == 1


def test_timeout_then_success_recovers() -> None:
    sleeps = Sleeps()
    script = scripted(
        "mastercard-open-banking-connect",
        [
            httpx.ReadTimeout("timed out"),
            success("mastercard-open-banking-connect", "getAccountBalances"),
        ],
    )
    records = run("mastercard-open-banking-connect", "getAccountBalances", script, sleeps)
    assert records
    first, second = script.requests
    # The POST is re-sent with the same body and a fresh signature.
    assert first.content == second.content
    assert first.headers["Authorization"] != second.headers["Authorization"]


def test_a_real_timeout_is_set_on_every_request() -> None:
    script = scripted(
        "mastercard-open-finance-au",
        [success("mastercard-open-finance-au", "GetAvailableBalanceLive")],
    )
    run("mastercard-open-finance-au", "GetAvailableBalanceLive", script, Sleeps(), timeout=2.5)
    for request in script.requests:  # the token request too
        assert request.extensions["timeout"] == {
            "connect": 2.5,
            "read": 2.5,
            "write": 2.5,
            "pool": 2.5,
        }


@pytest.mark.parametrize("timeout", [None, 0, -1, httpx.Timeout(None)])
def test_a_call_without_a_timeout_is_refused(timeout: Any) -> None:
    with pytest.raises(ValueError, match="timeout"):
        make("token-io", Script(answers=[json_response(200, {})]), timeout=timeout)


# --- bodies that are not balances ---------------------------------------------------------------


def truncated(vendor: str, operation: str) -> bytes:
    """The operation's documented JSON success body, cut off half way."""
    documented = SUCCESS_EXAMPLES[(vendor, operation, "application/json")]
    body = body_of(documented)
    cut = body[: len(body) // 2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut)
    return cut


HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>"
    "<body><h1>We'll be back soon</h1></body></html>"
)


@RUNNERS
@EVERY_OPERATION
def test_truncated_json_with_200_is_malformed_and_not_retried(
    runner: Any, vendor: str, operation: str
) -> None:
    sleeps = Sleeps()
    script = scripted(vendor, [raw_response(200, truncated(vendor, operation), "application/json")])
    with pytest.raises(MalformedPayload) as caught:
        runner(vendor, operation, script, sleeps)
    assert caught.value.vendor == vendor
    assert len(balance_requests(script)) == 1
    assert sleeps.waits == []


@RUNNERS
@EVERY_OPERATION
@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/json"])
def test_html_page_with_200_is_malformed(
    runner: Any, vendor: str, operation: str, content_type: str
) -> None:
    sleeps = Sleeps()
    script = scripted(vendor, [raw_response(200, HTML_PAGE, content_type)])
    with pytest.raises(MalformedPayload):
        runner(vendor, operation, script, sleeps)
    assert len(balance_requests(script)) == 1


def test_html_error_page_with_an_error_status_is_a_vendor_error_from_the_status() -> None:
    script = scripted("mastercard-open-finance-us", [raw_response(403, HTML_PAGE, "text/html")])
    with pytest.raises(VendorError) as caught:
        run("mastercard-open-finance-us", "GetAvailableBalanceLive", script, Sleeps())
    assert caught.value.code is VendorErrorCode.UNAUTHORIZED
    assert caught.value.status == 403
    assert "Maintenance" in (caught.value.vendor_message or "")


# --- Finicity: 401, a fresh token, 200 ----------------------------------------------------------

INVALID_CREDENTIALS = {"code": "10022", "message": "Invalid authentication credentials."}


@RUNNERS
@pytest.mark.parametrize("vendor", ["mastercard-open-finance-au", "mastercard-open-finance-us"])
def test_finicity_401_gets_one_fresh_token_then_succeeds(runner: Any, vendor: str) -> None:
    operation = "GetAvailableBalanceLive"
    script = Script(
        answers=[json_response(401, INVALID_CREDENTIALS), success(vendor, operation)],
        by_path={TOKEN_PATH: token_answers(APP_TOKEN, FRESH_APP_TOKEN)},
    )
    records = runner(vendor, operation, script, Sleeps())
    assert len(records) == 2
    token_calls = script.to(TOKEN_PATH)
    assert len(token_calls) == 2
    for call in token_calls:
        assert json.loads(call.content) == {
            "partnerId": "2445582695152",
            "partnerSecret": "Tz9kQm3XvB7nR2pL8wYcH4sE",
        }
        assert call.headers["Finicity-App-Key"]
    first, second = balance_requests(script)
    assert first.headers["Finicity-App-Token"] == APP_TOKEN
    assert second.headers["Finicity-App-Token"] == FRESH_APP_TOKEN
    assert [r.method for r in script.requests] == ["POST", "GET", "POST", "GET"]


def test_finicity_token_is_reused_across_calls() -> None:
    vendor, operation = "mastercard-open-finance-au", "GetAvailableBalanceLive"
    script = scripted(vendor, [success(vendor, operation)])
    with make(vendor, script) as client:
        client.live_balance(CUSTOMER, ACCOUNT)
        client.cached_balance(CUSTOMER, ACCOUNT)
        client.live_balance(CUSTOMER, ACCOUNT)
    assert len(script.to(TOKEN_PATH)) == 1
    assert [r.headers["Finicity-App-Token"] for r in balance_requests(script)] == [APP_TOKEN] * 3


def test_finicity_refreshes_only_once_per_call() -> None:
    vendor, operation = "mastercard-open-finance-us", "GetAvailableBalanceLive"
    script = Script(
        answers=[json_response(401, INVALID_CREDENTIALS)],
        by_path={TOKEN_PATH: token_answers(APP_TOKEN, FRESH_APP_TOKEN)},
    )
    with pytest.raises(VendorError) as caught:
        run(vendor, operation, script, Sleeps())
    assert caught.value.code is VendorErrorCode.UNAUTHORIZED
    assert caught.value.vendor_code == "10022"
    assert len(script.to(TOKEN_PATH)) == 2
    assert len(balance_requests(script)) == 2


def test_finicity_token_endpoint_error_is_the_calls_error() -> None:
    vendor = "mastercard-open-finance-au"
    script = Script(
        answers=[success(vendor, "GetAvailableBalanceLive")],
        by_path={TOKEN_PATH: [json_response(401, INVALID_CREDENTIALS)]},
    )
    with pytest.raises(VendorError) as caught:
        run(vendor, "GetAvailableBalanceLive", script, Sleeps())
    assert caught.value.code is VendorErrorCode.UNAUTHORIZED
    assert balance_requests(script) == []
    assert len(script.to(TOKEN_PATH)) == 1


def test_token_endpoint_404_is_not_taken_for_the_cached_balance_404() -> None:
    """A 404 from createToken (say, a wrong base URL) is reported as what it is, not as the
    cached endpoint's 'no balance cached yet'."""
    vendor = "mastercard-open-finance-au"
    script = Script(
        answers=[success(vendor, "GetAvailableBalance")],
        by_path={TOKEN_PATH: [json_response(404, {"code": "404", "message": "Not Found"})]},
    )
    with pytest.raises(VendorError) as caught:
        run(vendor, "GetAvailableBalance", script, Sleeps())
    assert caught.value.code is VendorErrorCode.NOT_FOUND
    assert caught.value.status == 404
    assert balance_requests(script) == []


def test_finicity_token_endpoint_outage_is_retried() -> None:
    vendor = "mastercard-open-finance-au"
    sleeps = Sleeps()
    script = Script(
        answers=[success(vendor, "GetAvailableBalanceLive")],
        by_path={TOKEN_PATH: [json_response(503, {}), *token_answers(APP_TOKEN)]},
    )
    assert run(vendor, "GetAvailableBalanceLive", script, sleeps)
    assert len(script.to(TOKEN_PATH)) == 2
    assert len(sleeps.waits) == 1


def test_finicity_token_answer_without_a_token_is_malformed() -> None:
    vendor = "mastercard-open-finance-us"
    script = Script(
        answers=[success(vendor, "GetAvailableBalanceLive")],
        by_path={TOKEN_PATH: [json_response(200, {"tokn": "x"})]},
    )
    with pytest.raises(MalformedPayload) as caught:
        run(vendor, "GetAvailableBalanceLive", script, Sleeps())
    assert caught.value.field == "$.token"


def test_finicity_token_older_than_its_age_is_renewed() -> None:
    now = [1000.0]
    auth = FinicityAuth(
        vendor="mastercard-open-finance-au",
        base_url="https://vendor.test",
        app_key="k" * 32,
        partner_id="1",
        partner_secret="s",
        token_request=lambda pid, secret: {
            "method": "post",
            "url": TOKEN_PATH,
            "json": {"partnerId": pid, "partnerSecret": secret},
        },
        max_token_age=60.0,
        clock=lambda: now[0],
    )
    script = Script(
        answers=[json_response(200, {})],
        by_path={TOKEN_PATH: token_answers(APP_TOKEN, FRESH_APP_TOKEN)},
    )
    with httpx.Client(auth=auth, transport=script.transport(), base_url="https://vendor.test") as c:
        c.get("/a")
        now[0] += 59.0
        c.get("/b")
        now[0] += 2.0
        c.get("/c")
    tokens = [r.headers["Finicity-App-Token"] for r in balance_requests(script)]
    assert tokens == [APP_TOKEN, APP_TOKEN, FRESH_APP_TOKEN]


# --- no retry on other 4xx (or 500) -------------------------------------------------------------


@RUNNERS
@EVERY_OPERATION
@pytest.mark.parametrize("status", [400, 403, 404, 500])
def test_no_retry_on_client_errors(runner: Any, vendor: str, operation: str, status: int) -> None:
    sleeps = Sleeps()
    script = scripted(vendor, [raw_response(status, "", "text/plain")])
    with pytest.raises(VendorError) as caught:
        runner(vendor, operation, script, sleeps)
    assert caught.value.status == status
    assert len(balance_requests(script)) == 1
    assert sleeps.waits == []


@pytest.mark.parametrize(
    ("vendor", "operation"),
    [op for op in OPERATIONS if not op[0].startswith("mastercard-open-finance")],
)
def test_no_retry_on_401(vendor: str, operation: str) -> None:
    sleeps = Sleeps()
    script = scripted(vendor, [raw_response(401, "Unauthorized", "text/plain")])
    with pytest.raises(VendorError) as caught:
        run(vendor, operation, script, sleeps)
    assert caught.value.code is VendorErrorCode.UNAUTHORIZED
    assert len(script.requests) == 1


# --- exactness on the live path -----------------------------------------------------------------

EXACT = (Decimal("1234.50"), Decimal("12345678901234567.89"))

FINICITY_EXACT = (
    b'{"id": 5011648377, "realAccountNumberLast4": "5678", "availableBalance": 1234.50,'
    b' "availableBalanceDate": 1722505195, "clearedBalance": 12345678901234567.89,'
    b' "clearedBalanceDate": 1722505195, "aggregationStatusCode": 0, "currency": "USD"}'
)
CONNECT_EXACT = (
    b'{"originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"},'
    b' "account": {"resourceId": "acc-1", "balances": ['
    b'{"balanceAmount": {"currency": "EUR", "amount": 1234.50},'
    b' "balanceType": "Available", "creditDebitIndicator": "CREDIT"},'
    b'{"balanceAmount": {"currency": "EUR", "amount": 12345678901234567.89},'
    b' "balanceType": "Current", "creditDebitIndicator": "CREDIT"}]}}'
)


@RUNNERS
@pytest.mark.parametrize(
    ("vendor", "operation", "body"),
    [
        ("mastercard-open-finance-au", "GetAvailableBalanceLive", FINICITY_EXACT),
        ("mastercard-open-finance-au", "GetAvailableBalance", FINICITY_EXACT),
        ("mastercard-open-finance-us", "GetAvailableBalanceLive", FINICITY_EXACT),
        ("mastercard-open-banking-connect", "getAccountBalances", CONNECT_EXACT),
    ],
    ids=["au-live", "au-cached", "us", "connect"],
)
def test_json_numbers_are_exact_on_the_live_path(
    runner: Any, vendor: str, operation: str, body: bytes
) -> None:
    script = scripted(vendor, [raw_response(200, body, "application/json")])
    records = runner(vendor, operation, script, Sleeps())
    amounts = tuple(r.amount for r in records)
    assert amounts == EXACT
    assert [str(a) for a in amounts] == ["1234.50", "12345678901234567.89"]
    assert [r.amount_text for r in records] == ["1234.50", "12345678901234567.89"]
