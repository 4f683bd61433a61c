"""The outcome form of every live operation: ``client.outcome.<operation>(...)`` returns the
call's ``Outcome`` (every record and every problem, nothing dropped), and the plain method,
the strict form, is built on it (its records, or its first problem raised).

Over real HTTP on 127.0.0.1 (``live_loopback``): a Token.io several-accounts answer with one
account's consent invalid, an Open Banking Connect answer with one bad balance and a Send
list with one bad account are each PARTIAL, blocking and asyncio; a transport failure, the
deadline, a body over the cap and an unreadable token answer are outcomes too.
"""

from __future__ import annotations

import asyncio
import socket
from decimal import Decimal
from typing import Any

import pytest
from live_hostile import Hostile, hostile_server
from live_loopback import (
    HTML_500,
    TOKEN_ACCOUNTS,
    TOKEN_GOOD,
    TOKEN_PARTIAL,
    TOKEN_REVOKED,
    connect_one_bad_balance,
    json_answer,
    over_loopback,
    send_one_bad_account,
)
from live_support import (
    CALLS,
    CONNECT_ACCOUNT,
    ON_BEHALF_OF,
    SUCCESS_EXAMPLES,
    TOKEN_PATH,
    Script,
    body_of,
    make,
)

import normalize
from normalize import (
    BodyTooLarge,
    InvalidAmount,
    InvalidRequest,
    MalformedPayload,
    Outcome,
    OutcomeKind,
    Scope,
    UnknownCurrency,
    VendorError,
    VendorErrorCode,
)
from normalize.live import AsyncOutcomes, SyncOutcomes

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
TOKEN = "token-io"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
US = "mastercard-open-finance-us"


@pytest.fixture(scope="module")
def hostile() -> Any:
    with hostile_server() as server:
        yield server


def token_balances(form: Any) -> Any:
    return form.balances(TOKEN_ACCOUNTS, on_behalf_of=ON_BEHALF_OF)


# --- several accounts, one bad ---------------------------------------------------------------


@SYNC_ASYNC
def test_a_token_answer_with_one_consent_invalid_is_partial(
    hostile: Hostile, is_async: bool
) -> None:
    given = {"/account-balance": json_answer(200, TOKEN_PARTIAL)}
    outcome = over_loopback(
        hostile,
        "token-partial",
        given,
        TOKEN,
        "getBalances",
        is_async=is_async,
        call=token_balances,
    )
    assert isinstance(outcome, Outcome), outcome
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [(r.account_id, r.amount) for r in outcome.records] == [
        (TOKEN_GOOD[0], Decimal("12009.1000")),
        (TOKEN_GOOD[1], Decimal("-125.5000")),
    ]
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.ACCOUNT,
        "$.response[2]",
        TOKEN_REVOKED,
    )
    error = problem.error
    assert isinstance(error, VendorError)
    assert (error.code, error.vendor_code, error.account_id) == (
        VendorErrorCode.CONSENT_INVALID,
        "MORE_SIGNATURES_NEEDED",
        TOKEN_REVOKED,
    )
    assert error.code.value == "consent_invalid"
    # The strict form over the same answer: the first problem, raised.
    raised = over_loopback(
        hostile,
        "token-partial",
        given,
        TOKEN,
        "getBalances",
        is_async=is_async,
        call=token_balances,
        strict=True,
    )
    assert isinstance(raised, VendorError)
    assert (raised.code, raised.account_id) == (VendorErrorCode.CONSENT_INVALID, TOKEN_REVOKED)


@SYNC_ASYNC
def test_a_connect_answer_with_one_bad_balance_is_partial(hostile: Hostile, is_async: bool) -> None:
    # Connect answers for one account: the part that can be bad is one balance of it.
    given = {"/accounts/account/balances": json_answer(200, connect_one_bad_balance())}
    outcome = over_loopback(
        hostile, "connect-partial", given, CONNECT, "getAccountBalances", is_async=is_async
    )
    assert isinstance(outcome, Outcome), outcome
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [(r.account_id, r.amount) for r in outcome.records] == [
        (CONNECT_ACCOUNT, Decimal("-50.00")),
        (CONNECT_ACCOUNT, Decimal("0.00")),
    ]
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.BALANCE,
        "$.account.balances[2]",
        CONNECT_ACCOUNT,
    )
    assert isinstance(problem.error, UnknownCurrency)
    assert problem.error.value == "EURO"
    raised = over_loopback(
        hostile,
        "connect-partial",
        given,
        CONNECT,
        "getAccountBalances",
        is_async=is_async,
        strict=True,
    )
    assert isinstance(raised, UnknownCurrency)


@SYNC_ASYNC
def test_a_send_list_with_one_bad_account_is_partial(hostile: Hostile, is_async: bool) -> None:
    given = {"/account-balances": json_answer(200, send_one_bad_account())}
    outcome = over_loopback(
        hostile, "send-partial", given, SEND, "getAccountBalances", is_async=is_async
    )
    assert isinstance(outcome, Outcome), outcome
    assert outcome.kind is OutcomeKind.PARTIAL
    # Send's amounts are minor units: "1000" GBP pence is 10.00.
    assert [r.amount for r in outcome.records] == [Decimal("10.00"), Decimal("50.00")]
    [problem] = outcome.problems
    assert (problem.scope, problem.path) == (Scope.ACCOUNT, "$.account-balances[1]")
    assert (problem.account_id or "").endswith("AImuzmvabc")
    assert isinstance(problem.error, InvalidAmount)
    assert problem.error.value == "12,50"
    raised = over_loopback(
        hostile,
        "send-partial",
        given,
        SEND,
        "getAccountBalances",
        is_async=is_async,
        strict=True,
    )
    assert isinstance(raised, InvalidAmount)


# --- one path: the strict form is the outcome form's records or first problem ---------------


@SYNC_ASYNC
@pytest.mark.parametrize(
    ("vendor", "operation", "media_type"),
    sorted(SUCCESS_EXAMPLES),
    ids=["-".join(key).replace("application/", "") for key in sorted(SUCCESS_EXAMPLES)],
)
def test_both_forms_give_the_same_records_and_the_same_error(
    hostile: Hostile, vendor: str, operation: str, media_type: str, is_async: bool
) -> None:
    """Every operation, answered with its documented success in each media type."""
    documented = SUCCESS_EXAMPLES[(vendor, operation, media_type)]
    ok = {"": (200, {"Content-Type": media_type}, body_of(documented))}
    scenario = f"forms-{vendor}-{operation}-{media_type.replace('/', '-')}"
    outcome = over_loopback(hostile, scenario, ok, vendor, operation, is_async=is_async)
    records = over_loopback(
        hostile, scenario, ok, vendor, operation, is_async=is_async, strict=True
    )
    assert isinstance(outcome, Outcome), outcome
    assert outcome.kind is OutcomeKind.RECORDS
    assert records
    assert [r.to_dict() for r in records] == [r.to_dict() for r in outcome.records]

    failing = {"": HTML_500}
    outcome = over_loopback(
        hostile, scenario + "-500", failing, vendor, operation, is_async=is_async
    )
    raised = over_loopback(
        hostile, scenario + "-500", failing, vendor, operation, is_async=is_async, strict=True
    )
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    [problem] = outcome.problems
    assert isinstance(raised, VendorError)
    assert isinstance(problem.error, VendorError)
    # The same error (Connect's trace id is a fresh xRequestId per call).
    assert str(raised).split(", trace id")[0] == str(problem.error).split(", trace id")[0]
    assert raised.code is VendorErrorCode.PROVIDER_ERROR
    # Raised with nothing chained, as before.
    assert raised.__cause__ is None
    assert raised.__context__ is None


# --- what the outcome form makes an outcome of --------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@SYNC_ASYNC
def test_a_transport_failure_is_an_unavailable_outcome(is_async: bool) -> None:
    base_url = f"http://127.0.0.1:{_closed_port()}"

    async def run_async() -> Outcome:
        async with make(TOKEN, Script(), is_async=True, base_url=base_url, transport=None) as c:
            outcome: Outcome = await CALLS[(TOKEN, "getBalance")](c.outcome)
            return outcome

    if is_async:
        outcome = asyncio.run(run_async())
    else:
        with make(TOKEN, Script(), base_url=base_url, transport=None) as client:
            outcome = CALLS[(TOKEN, "getBalance")](client.outcome)
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    [problem] = outcome.problems
    assert problem.scope is Scope.RESPONSE
    assert isinstance(problem.error, VendorError)
    assert problem.error.code is VendorErrorCode.UNAVAILABLE
    assert "ConnectError after 4 attempt(s)" in (problem.error.vendor_message or "")


@SYNC_ASYNC
def test_the_deadline_is_an_unavailable_outcome(hostile: Hostile, is_async: bool) -> None:
    kwargs: dict[str, Any] = {"base_url": hostile.url("trickle-body"), "transport": None}
    kwargs["deadline"] = 0.5

    async def run_async() -> Outcome:
        async with make(TOKEN, Script(), is_async=True, **kwargs) as client:
            outcome: Outcome = await CALLS[(TOKEN, "getBalance")](client.outcome)
            return outcome

    if is_async:
        outcome = asyncio.run(run_async())
    else:
        with make(TOKEN, Script(), **kwargs) as client:
            outcome = CALLS[(TOKEN, "getBalance")](client.outcome)
    [problem] = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert problem.error.code is VendorErrorCode.UNAVAILABLE
    assert "deadline of 0.5 s passed" in (problem.error.vendor_message or "")


@SYNC_ASYNC
def test_a_body_over_the_cap_is_a_body_too_large_outcome(hostile: Hostile, is_async: bool) -> None:
    big = {"": json_answer(200, b'{"balance": "' + b"x" * 100_000 + b'"}')}
    outcome = over_loopback(
        hostile, "too-large", big, TOKEN, "getBalance", is_async=is_async, max_body_bytes=10_000
    )
    [problem] = outcome.problems
    assert type(problem.error) is BodyTooLarge
    assert isinstance(problem.error.value, int)
    assert problem.error.value > 10_000
    assert problem.error.field == "$"


def test_an_unreadable_token_answer_is_a_problem_not_an_exception(hostile: Hostile) -> None:
    given = {TOKEN_PATH: json_answer(200, b'{"tokn": "x"}')}
    outcome = over_loopback(
        hostile, "token-unreadable", given, US, "GetAvailableBalanceLive", is_async=False
    )
    [problem] = outcome.problems
    assert isinstance(problem.error, MalformedPayload)
    assert problem.error.field == "$.token"


def test_a_refused_token_answer_is_the_calls_outcome(hostile: Hostile) -> None:
    given = {TOKEN_PATH: json_answer(401, b'{"code": "10022", "message": "Invalid credentials"}')}
    outcome = over_loopback(
        hostile, "token-refused", given, US, "GetAvailableBalanceLive", is_async=False
    )
    [problem] = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert problem.error.code is VendorErrorCode.UNAUTHORIZED


@SYNC_ASYNC
def test_a_request_refused_before_sending_is_raised_in_both_forms(is_async: bool) -> None:
    script = Script()
    client = make(SEND, script, is_async=is_async)
    for form in (client, client.outcome):
        with pytest.raises(InvalidRequest):
            form.account_balances("")
    assert script.requests == []


def test_the_outcome_form_is_typed_per_vendor_and_shows_no_credential() -> None:
    from live_support import SECRETS

    for vendor, (sync, twin) in normalize.live.CLIENTS.items():
        for cls, base in ((sync, SyncOutcomes), (twin, AsyncOutcomes)):
            form = vars(cls)["outcome"].form
            assert issubclass(form, base)
            assert set(normalize.live.DESCRIPTIONS[vendor].operations) <= set(dir(form))
    client = make(CONNECT, Script())
    assert isinstance(client.outcome, SyncOutcomes)
    shown = repr(client.outcome)
    assert "OpenBankingConnectOutcomes" in shown
    assert not any(secret in shown for secret in SECRETS)
    assert client.outcome.account_balances.__name__ == "account_balances"


def test_a_client_class_without_its_outcome_form_is_refused() -> None:
    from normalize.live import SyncClient
    from normalize.vendors.token_io.live import DESCRIPTION, _Operations

    with pytest.raises(TypeError, match="outcome"):

        class Bare(_Operations, SyncClient):
            description = DESCRIPTION

    from normalize.live._client import OutcomeForm
    from normalize.vendors.token_io.live import AsyncTokenIOOutcomes

    with pytest.raises(TypeError, match="SyncOutcomes"):

        class Mixed(_Operations, SyncClient):
            description = DESCRIPTION
            outcome = OutcomeForm(AsyncTokenIOOutcomes)
