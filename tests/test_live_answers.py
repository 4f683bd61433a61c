"""What a live call makes of an answer (``_transport.outcome_from``, and ``records_from``, its
strict form): the answer becomes an envelope, the body is read as received, and what the
answer says back is checked for the credentials the request sent.

These build the answer directly (an ``httpx.Response`` with the request it answers); the
tests with real loopback servers (test_live_credentials.py, test_live_secrets.py) send the
same answers over HTTP.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from live_support import API_KEY, APP_KEY, CONSUMER_KEY, EXAMPLES, PARTNER_ID, PARTNER_SECRET

import normalize
from normalize import MalformedPayload, VendorError, normalize_response
from normalize.live._transport import Call, records_from

AU = "mastercard-open-finance-au"
SEND = "mastercard-send"
TOKEN = "token-io"
SIGNATURE = "c2lnbmF0dXJlK3dpdGgvc2xhc2hlcz0"
OAUTH = (
    f'OAuth oauth_consumer_key="{CONSUMER_KEY}",oauth_nonce="n0nce",'
    f'oauth_signature="{SIGNATURE}%3D",oauth_signature_method="RSA-SHA256"'
)


def answer(
    body: bytes, status: int = 200, headers: dict[str, str] | None = None, auth: str = ""
) -> httpx.Response:
    request = httpx.Request(
        "GET", "https://vendor.test/x", headers={"Authorization": auth} if auth else {}
    )
    return httpx.Response(status, content=body, headers=headers or {}, request=request)


def texts(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), *(repr(v) for v in vars(error).values())])


def test_a_credential_value_inside_an_amount_does_not_change_the_amount() -> None:
    # A sent value that happens to stand in the body (a partner id "1234" and an amount
    # 1234.50) is no reason to read the body any other way.
    body = (
        b'{"id": 5011648377, "availableBalance": 1234.50, "availableBalanceDate": 1722505195,'
        b' "clearedBalance": 1234.50, "clearedBalanceDate": 1722505195, "currency": "AUD"}'
    )
    records = records_from(
        Call(vendor=AU, operation="GetAvailableBalance", request={}),
        answer(body, headers={"Content-Type": "application/json"}),
        ["1234"],
    )
    assert [record.amount for record in records] == [Decimal("1234.50"), Decimal("1234.50")]


def test_an_error_echoing_credentials_in_headers_and_body_has_them_masked() -> None:
    body = (
        '{"Errors": {"Error": [{"Source": "x", "ReasonCode": "SYSTEM_ERROR",'
        f' "Description": "sent {OAUTH.replace(chr(34), chr(92) + chr(34))}",'
        ' "Recoverable": false, "Details": null}]}}'
    ).encode()
    with pytest.raises(VendorError) as caught:
        records_from(
            Call(
                vendor=SEND,
                operation="getAccountBalance",
                request={},
                trace_header="correlation-id",
            ),
            answer(
                body,
                500,
                {"Content-Type": "application/json", "correlation-id": OAUTH},
                auth=OAUTH,
            ),
            [CONSUMER_KEY],  # the signature is not among them: it comes from the request
        )
    found = texts(caught.value)
    assert "SYSTEM_ERROR" in found
    for secret in (CONSUMER_KEY, SIGNATURE, OAUTH):
        assert secret not in found
    assert "********" in (caught.value.trace_id or "")


def test_a_content_type_echoing_a_credential_is_masked_in_the_error() -> None:
    body = (EXAMPLES / TOKEN / "BalanceSuccessful.json").read_bytes()
    with pytest.raises(MalformedPayload) as caught:
        records_from(
            Call(vendor=TOKEN, operation="getBalance", request={}),
            answer(body, headers={"Content-Type": f"application/xml; x=Basic {API_KEY}"}),
            [API_KEY],
        )
    assert API_KEY not in texts(caught.value)


def test_a_record_repeating_a_credential_is_refused_with_the_value_masked() -> None:
    body = (EXAMPLES / TOKEN / "BalanceSuccessful.json").read_text()
    account = body.split('"accountId": "', 1)[1].split('"', 1)[0]
    echoed = body.replace(account, f"a:{API_KEY}:x").encode()
    with pytest.raises(MalformedPayload) as caught:
        records_from(
            Call(vendor=TOKEN, operation="getBalance", request={}),
            answer(echoed, headers={"Content-Type": "application/json"}),
            [API_KEY],
        )
    assert caught.value.field == "account_id"
    assert API_KEY not in texts(caught.value)


def test_an_answer_without_a_content_type_is_read_as_a_replayed_capture_is() -> None:
    body = (EXAMPLES / SEND / "SingleAccountBalanceXml.xml").read_bytes()
    live = records_from(
        Call(vendor=SEND, operation="getAccountBalance", request={}), answer(body), []
    )
    replayed = normalize_response(SEND, body, operation="getAccountBalance")
    assert [r.to_dict() for r in live] == [r.to_dict() for r in replayed]
    assert live


@pytest.mark.parametrize(
    "body", [b"[" * 200_000, b'{"token": "a", "token": "b"}'], ids=["deep", "duplicate-key"]
)
def test_a_hostile_create_token_answer_is_a_typed_error(body: bytes) -> None:
    client = normalize.OpenFinanceAU(
        app_key=APP_KEY, partner_id=PARTNER_ID, partner_secret=PARTNER_SECRET
    )
    with pytest.raises(MalformedPayload) as caught:
        client._auth._take_token(httpx.Response(200, content=body))  # type: ignore[attr-defined]
    assert caught.value.field == "$.token"


def test_a_required_credential_given_as_none_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="app_key"):
        normalize.OpenFinanceAU(app_key=None, partner_id=PARTNER_ID, partner_secret=PARTNER_SECRET)


# --- the outcome form of an answer (``_transport.outcome_from``) --------------------------------


def test_a_record_repeating_a_credential_is_one_problem_beside_the_other_records() -> None:
    from normalize import OutcomeKind, Scope
    from normalize.live._transport import outcome_from

    body = (EXAMPLES / TOKEN / "BalancesSeveralAccounts.json").read_text()
    first = body.split('"accountId": "', 1)[1].split('"', 1)[0]
    echoed = body.replace(first, f"a:{API_KEY}:x").encode()
    answered = outcome_from(
        Call(vendor=TOKEN, operation="getBalances", request={}),
        answer(echoed, headers={"Content-Type": "application/json"}),
        [API_KEY],
    )
    outcome = answered.outcome
    assert outcome.kind is OutcomeKind.PARTIAL
    # The second account's records stay; each record of the first is refused.
    assert {r.account_id for r in outcome.records} == {
        "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW"
    }
    assert outcome.problems
    for problem in outcome.problems:
        assert problem.scope is Scope.BALANCE
        assert isinstance(problem.error, MalformedPayload)
        assert problem.error.field == "account_id"
        assert problem.account_id == "a:********:x"
        assert API_KEY not in texts(problem.error)
    # Recorded masked: its replay reads the mask, never the key.
    assert answered.recording is not None
    assert API_KEY.encode() not in answered.recording.body_bytes()
    assert b"a:********:x" in answered.recording.body_bytes()


def test_an_answer_that_is_not_an_envelope_is_a_problem_not_an_exception() -> None:
    from normalize import InvalidEnvelope
    from normalize.live._transport import outcome_from

    answered = outcome_from(
        Call(vendor=TOKEN, operation="getBalance", request={}),
        answer(b"{}", status=799),
        [],
    )
    [problem] = answered.outcome.problems
    assert isinstance(problem.error, InvalidEnvelope)
    assert problem.error.field == "status"
    assert answered.recording is None


def test_the_envelope_carries_the_request_context_and_the_answer_its_freshness() -> None:
    from normalize import Freshness
    from normalize.live._transport import outcome_from

    body = (EXAMPLES / "mastercard-open-finance-us" / "AvailableBalanceSample.json").read_bytes()
    for minutes, freshness in ((0, Freshness.LIVE), (30, Freshness.UNKNOWN)):
        answered = outcome_from(
            Call(
                vendor="mastercard-open-finance-us",
                operation="GetAvailableBalanceLive",
                request={},
                request_context={"balance_cache_interval": minutes},
            ),
            answer(body, headers={"Content-Type": "application/json"}),
            [],
        )
        assert {r.freshness for r in answered.outcome.records} == {freshness}
        assert answered.recording is not None
        assert answered.recording.request == {"balance_cache_interval": minutes}
