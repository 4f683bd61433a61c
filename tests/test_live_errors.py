"""Live retrieval: each vendor's documented errors, the requests we build, and auth headers.

The documented error bodies are the examples in ``specs/<vendor>/openapi.yaml``, served with
the status and media type the spec gives them; each must become a VendorError with the
canonical code of the table below and the vendor's own code, message and trace id kept.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import uuid
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from live_support import (
    API_KEY,
    APP_KEY,
    APP_TOKEN,
    CALLS,
    CONNECT_ACCOUNT,
    CONNECT_KWARGS,
    CONSUMER_KEY,
    JWT,
    ON_BEHALF_OF,
    SEND_PARTNER,
    SEND_TOKEN,
    SUCCESS_EXAMPLES,
    SUCCESS_MISSING,
    TOKEN_ACCOUNT,
    TOKEN_PATH,
    Script,
    Sleeps,
    example,
    json_response,
    make,
    raw_response,
    scripted,
    signing_material,
    success_response,
    token_kwargs,
)
from spec_documents import VENDORS, DocumentedExample, documented_errors, documented_examples

from normalize import (
    Freshness,
    InvalidField,
    InvalidRequest,
    NormalizeError,
    VendorError,
    VendorErrorCode,
    normalize_response,
)
from normalize.live import RetryPolicy

C = VendorErrorCode

RESPONSE_EXAMPLES = [
    example
    for vendor in VENDORS
    for example in documented_examples(vendor)
    if example.where != "request"
]

# (vendor, operationId, status, example name) -> (canonical code, vendor code as sent): each
# documented error example wherever its spec uses it, as the vendor's fixtures folder says it
# means (tests/fixtures/<vendor>/documented-errors.yaml) ...
DOCUMENTED_ERRORS: dict[tuple[str, str, str, str], tuple[VendorErrorCode, str | None]] = {
    (e.vendor, e.operation_id, e.where, e.name): (meant.code, meant.vendor_code)
    for e in RESPONSE_EXAMPLES
    if (meant := documented_errors(e.vendor).get(e.name)) is not None
}
# ... and Token's empty object: no status is proto3's default status, INVALID_REQUEST.
DOCUMENTED_ERRORS[("token-io", "getBalance", "200", "BalanceWithoutStatus")] = (
    C.INVALID_REQUEST,
    "INVALID_REQUEST",
)

CORRELATION_ID = "4b1f9c2e-55aa-4c1d-9f00-0c9e8d7b6a51"


def body_of(documented: DocumentedExample) -> bytes:
    value = documented.value
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


def served(documented: DocumentedExample) -> httpx.Response:
    headers = {"correlation-id": CORRELATION_ID} if documented.vendor == "mastercard-send" else {}
    return raw_response(int(documented.where), body_of(documented), documented.media_type, headers)


def call_documented(documented: DocumentedExample) -> tuple[Script, Any]:
    """Serve the example where the spec puts it, make the call, return the script and the
    records or the exception."""
    vendor, operation = documented.vendor, documented.operation_id
    if operation == "CreateToken":
        operation = "GetAvailableBalanceLive"
        success = next(
            e
            for e in documented_examples(vendor)
            if e.operation_id == operation and e.where == "200"
        )
        script = Script(answers=[served(success)], by_path={TOKEN_PATH: [served(documented)]})
    else:
        script = scripted(vendor, [served(documented)])
    extra = {"xml": True} if "xml" in documented.media_type else {}
    try:
        with make(vendor, script, sleeps=Sleeps()) as client:
            return script, CALLS[(vendor, operation)](client, **extra)
    except (VendorError, NormalizeError) as exc:
        return script, exc


@pytest.mark.parametrize("documented", RESPONSE_EXAMPLES, ids=lambda e: e.id)
def test_documented_response_through_the_live_client(documented: DocumentedExample) -> None:
    key = (documented.vendor, documented.operation_id, documented.where, documented.name)
    script, outcome = call_documented(documented)
    if key not in DOCUMENTED_ERRORS:
        assert not isinstance(outcome, Exception), outcome
        if documented.operation_id == "CreateToken":
            (balance_request,) = [r for r in script.requests if r.method == "GET"]
            assert balance_request.headers["Finicity-App-Token"] == documented.value["token"]
            return
        freshness = Freshness.LIVE if documented.vendor == "mastercard-open-finance-us" else None
        assert outcome == normalize_response(
            documented.vendor,
            body_of(documented),
            content_type=documented.media_type,
            operation=documented.operation_id,
            freshness=freshness,
            status=200,
        )
        return
    code, vendor_code = DOCUMENTED_ERRORS[key]
    assert isinstance(outcome, VendorError), outcome
    assert outcome.vendor == documented.vendor
    assert outcome.code is code
    assert outcome.vendor_code == vendor_code
    assert outcome.status == int(documented.where)
    text = body_of(documented).decode()
    assert outcome.vendor_message is None or outcome.vendor_message in text
    if documented.vendor == "mastercard-send":
        assert outcome.trace_id == CORRELATION_ID
    elif documented.vendor == "mastercard-open-banking-connect":
        sent = json.loads(script.requests[-1].content)
        assert outcome.trace_id == sent["requestInfo"]["xRequestId"]
    elif documented.vendor == "token-io" and "error" in documented.value:
        assert outcome.trace_id == documented.value["error"]["tokenTraceId"]


def test_every_documented_error_is_in_the_table() -> None:
    documented = {(e.vendor, e.operation_id, e.where, e.name) for e in RESPONSE_EXAMPLES}
    assert set(DOCUMENTED_ERRORS) <= documented
    assert {k for k in documented if k[2] != "200"} <= set(DOCUMENTED_ERRORS)
    # Each meaning on file is of an example the spec uses.
    for vendor in VENDORS:
        assert set(documented_errors(vendor)) <= {k[3] for k in documented if k[0] == vendor}
    # Token's failed request status inside a 200 is an error too.
    assert DOCUMENTED_ERRORS["token-io", "getBalance", "200", "BalanceMoreSignaturesNeeded"] == (
        C.CONSENT_INVALID,
        "MORE_SIGNATURES_NEEDED",
    )


# Error statuses whose body is not the vendor's error form: the status decides.
STATUS_ONLY = [
    ("mastercard-open-finance-au", "GetAvailableBalance", 404, b"", "text/plain", C.NOT_CACHED),
    ("mastercard-open-finance-au", "GetAvailableBalanceLive", 404, b"", "text/plain", C.NOT_FOUND),
    (
        "mastercard-open-finance-us",
        "GetAvailableBalanceLive",
        401,
        b"Unauthorized",
        "text/plain",
        C.UNAUTHORIZED,
    ),
    (
        "mastercard-open-finance-us",
        "GetAvailableBalanceLive",
        429,
        b'{"code": "19999", "message": "Too many requests"}',
        "application/json",
        C.RATE_LIMITED,
    ),
    (
        "mastercard-open-finance-us",
        "GetAvailableBalanceLive",
        500,
        b'{"code": "103", "message": "Institution not responding"}',
        "application/json",
        C.PROVIDER_ERROR,
    ),
    (
        "mastercard-open-banking-connect",
        "getAccountBalances",
        500,
        b"<html><body>Internal Server Error</body></html>",
        "text/html",
        C.PROVIDER_ERROR,
    ),
    (
        "mastercard-open-banking-connect",
        "getAccountBalances",
        504,
        b"",
        "text/plain",
        C.UNAVAILABLE,
    ),
    ("mastercard-send", "getAccountBalance", 429, b"", "application/json", C.RATE_LIMITED),
    ("token-io", "getBalance", 404, b"", "text/plain", C.NOT_FOUND),
    ("token-io", "getBalances", 429, b"", "text/plain", C.RATE_LIMITED),
    ("token-io", "getBalance", 502, b"Bad Gateway", "text/plain", C.UNAVAILABLE),
]


@pytest.mark.parametrize(
    ("vendor", "operation", "status", "body", "content_type", "code"),
    STATUS_ONLY,
    ids=[f"{v}:{o}:{s}" for v, o, s, *_ in STATUS_ONLY],
)
def test_error_status_without_a_vendor_error_body(
    vendor: str, operation: str, status: int, body: bytes, content_type: str, code: C
) -> None:
    script = scripted(vendor, [raw_response(status, body, content_type)])
    with make(vendor, script) as client, pytest.raises(VendorError) as caught:
        CALLS[(vendor, operation)](client)
    assert caught.value.code is code
    assert caught.value.status == status


# --- Open Banking Connect: the request body -------------------------------------------------


def connect_call(script: Script, **kwargs: Any) -> Any:
    with make("mastercard-open-banking-connect", script) as client:
        return client.account_balances(CONNECT_ACCOUNT, **{**CONNECT_KWARGS, **kwargs})


CONNECT_OK = raw_response(
    200, example("mastercard-open-banking-connect", "AccountBalancesDebit.json"), "application/json"
)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"is_live_psu_request": True}, "$.requestInfo.psuIPAddress"),
        (
            {"is_live_psu_request": True, "psu_ip_address": "300.1.1.1"},
            "$.requestInfo.psuIPAddress",
        ),
        ({"psu_ip_address": "192.168.8.78\n"}, "$.requestInfo.psuIPAddress"),
        ({"aspsp_id": "not-a-uuid"}, "$.requestInfo.aspspId"),
        ({"consent_id": ""}, "$.requestInfo.consentId"),
        ({"consent_id": "c" * 257}, "$.requestInfo.consentId"),
        ({"x_request_id": "42"}, "$.requestInfo.xRequestId"),
        ({"merchant_id": "MERCH-001"}, "$.requestInfo.merchant"),
        ({"merchant_id": "", "merchant_name": "Example"}, "$.requestInfo.merchant.id"),
        ({"psu_agent": ""}, "$.requestInfo.psuAgent"),
        ({"is_live_psu_request": "yes"}, "$.requestInfo.isLivePsuRequest"),
    ],
)
def test_connect_refuses_a_bad_request_before_sending(kwargs: dict[str, Any], field: str) -> None:
    script = Script(answers=[CONNECT_OK])
    with pytest.raises(InvalidRequest) as caught:
        connect_call(script, **kwargs)
    assert caught.value.field == field
    assert caught.value.vendor == "mastercard-open-banking-connect"
    assert isinstance(caught.value, InvalidField)
    assert script.requests == []


def test_connect_live_psu_request_without_ip_is_refused_async_too() -> None:
    script = Script(answers=[CONNECT_OK])

    async def go() -> None:
        async with make("mastercard-open-banking-connect", script, is_async=True) as client:
            await client.account_balances(
                CONNECT_ACCOUNT, is_live_psu_request=True, **CONNECT_KWARGS
            )

    with pytest.raises(InvalidRequest, match="psuIPAddress"):
        asyncio.run(go())
    assert script.requests == []


def test_connect_body_is_built_from_the_arguments() -> None:
    script = Script(answers=[CONNECT_OK])
    connect_call(
        script,
        is_live_psu_request=True,
        psu_ip_address="192.168.8.78",
        psu_agent="Mozilla/5.0",
        psu_tpp_customer_id="customer-00042",
        merchant_id="MERCH-001",
        merchant_name="Example Merchant Ltd",
        x_request_id="6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d",
    )
    (request,) = script.requests
    assert request.method == "POST"
    assert request.url.path == "/accounts/account/balances"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "requestInfo": {
            "xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d",
            "consentId": CONNECT_KWARGS["consent_id"],
            "aspspId": CONNECT_KWARGS["aspsp_id"],
            "isLivePsuRequest": True,
            "psuIPAddress": "192.168.8.78",
            "psuAgent": "Mozilla/5.0",
            "psuTppCustomerId": "customer-00042",
            "merchant": {"id": "MERCH-001", "name": "Example Merchant Ltd"},
        },
        "accountId": CONNECT_ACCOUNT,
    }


def test_connect_ipv6_psu_address_is_accepted() -> None:
    script = Script(answers=[CONNECT_OK])
    connect_call(script, is_live_psu_request=True, psu_ip_address="2001:db8::8a2e:370:7334")
    assert json.loads(script.requests[0].content)["requestInfo"]["psuIPAddress"] == (
        "2001:db8::8a2e:370:7334"
    )


def test_connect_x_request_id_is_a_fresh_uuid_when_not_given() -> None:
    script = Script(answers=[CONNECT_OK])
    connect_call(script)
    connect_call(script)
    ids = [json.loads(r.content)["requestInfo"]["xRequestId"] for r in script.requests]
    for value in ids:
        parsed = uuid.UUID(value)
        assert str(parsed) == value
        assert parsed.version == 4
    assert ids[0] != ids[1]
    body = json.loads(script.requests[0].content)
    assert body["requestInfo"]["isLivePsuRequest"] is False
    assert "psuIPAddress" not in body["requestInfo"]


def test_connect_x_request_id_is_the_errors_trace_id() -> None:
    script = Script(
        answers=[
            json_response(
                400, {"Errors": {"Error": [{"ReasonCode": "FORMAT_ERROR", "Description": "x"}]}}
            )
        ]
    )
    with pytest.raises(VendorError) as caught:
        connect_call(script, x_request_id="0f8fad5b-d9cb-469f-a165-70867728950e")
    assert caught.value.trace_id == "0f8fad5b-d9cb-469f-a165-70867728950e"


# --- Open Finance US: the cache interval ------------------------------------------------------

US_OK = raw_response(
    200, example("mastercard-open-finance-us", "AvailableBalanceSample.json"), "application/json"
)


def us_call(script: Script, **kwargs: Any) -> Any:
    with make("mastercard-open-finance-us", script) as client:
        return client.balance("1005061234", "5011648377", **kwargs)


def test_us_sends_cache_interval_zero_by_default_and_records_are_live() -> None:
    script = scripted("mastercard-open-finance-us", [US_OK])
    records = us_call(script)
    (request,) = [r for r in script.requests if r.method == "GET"]
    assert request.url.params.get_list("balance_cache_interval") == ["0"]
    assert records
    assert {r.freshness for r in records} == {Freshness.LIVE}


def test_us_cache_interval_30_is_sent_and_freshness_unknown() -> None:
    script = scripted("mastercard-open-finance-us", [US_OK])
    records = us_call(script, cache_interval_minutes=30)
    (request,) = [r for r in script.requests if r.method == "GET"]
    assert request.url.params.get_list("balance_cache_interval") == ["30"]
    assert {r.freshness for r in records} == {Freshness.UNKNOWN}


@pytest.mark.parametrize("minutes", [-1, 1441, True, 1.5, "30"])
def test_us_cache_interval_out_of_range_is_refused(minutes: Any) -> None:
    script = scripted("mastercard-open-finance-us", [US_OK])
    with pytest.raises(InvalidRequest) as caught:
        us_call(script, cache_interval_minutes=minutes)
    assert caught.value.field == "balance_cache_interval"
    assert script.requests == []


@pytest.mark.parametrize(("customer", "account"), [("", "1"), ("12a", "1"), ("1", "1" * 21)])
def test_finicity_ids_follow_the_spec(customer: str, account: str) -> None:
    script = scripted("mastercard-open-finance-au", [US_OK])
    with make("mastercard-open-finance-au", script) as client, pytest.raises(InvalidRequest):
        client.live_balance(customer, account)
    assert script.requests == []


def test_au_live_and_cached_paths_and_freshness() -> None:
    body = example("mastercard-open-finance-au", "AvailableBalanceSample.json")
    script = scripted("mastercard-open-finance-au", [raw_response(200, body, "application/json")])
    with make("mastercard-open-finance-au", script) as client:
        live = client.live_balance("1005061234", "5011648377")
        cached = client.cached_balance("1005061234", "5011648377")
    paths = [r.url.path for r in script.requests if r.method == "GET"]
    assert paths == [
        "/aggregation/v1/customers/1005061234/accounts/5011648377/availableBalance/live",
        "/aggregation/v1/customers/1005061234/accounts/5011648377/availableBalance",
    ]
    assert {r.freshness for r in live} == {Freshness.LIVE}
    assert {r.freshness for r in cached} == {Freshness.CACHED}
    assert {r.operation for r in cached} == {"GetAvailableBalance"}
    for request in script.requests:
        assert request.headers["Finicity-App-Key"] == APP_KEY
        assert request.headers["Accept"] == "application/json"
    for request in script.requests[1:]:
        assert request.headers["Finicity-App-Token"] == APP_TOKEN


# --- Send: JSON or XML --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xml", "accept", "name", "content_type"),
    [
        (False, "application/json", "SingleAccountBalance.json", "application/json"),
        (True, "application/xml", "SingleAccountBalanceXml.xml", "application/xml"),
    ],
)
def test_send_accept_header_and_body_format(
    xml: bool, accept: str, name: str, content_type: str
) -> None:
    body = example("mastercard-send", name)
    script = Script(answers=[raw_response(200, body, content_type)])
    with make("mastercard-send", script) as client:
        records = client.account_balance(SEND_PARTNER, SEND_TOKEN, xml=xml)
    (request,) = script.requests
    assert request.headers["Accept"] == accept
    assert request.url.raw_path.decode() == (
        f"/v1/partners/{SEND_PARTNER}/non-card-tokens/{quote(SEND_TOKEN, safe='')}/account-balance"
    )
    assert records == normalize_response(
        "mastercard-send", body, content_type=content_type, operation="getAccountBalance"
    )
    assert str(records[0].amount) == "10.00"


def test_send_all_accounts_in_xml() -> None:
    body = example("mastercard-send", "PartnerAccountBalancesXml.xml")
    script = Script(answers=[raw_response(200, body, "application/xml")])
    with make("mastercard-send", script) as client:
        records = client.account_balances(SEND_PARTNER, xml=True)
    assert script.requests[0].headers["Accept"] == "application/xml"
    assert script.requests[0].url.path == f"/v1/partners/{SEND_PARTNER}/account-balances"
    assert len(records) >= 2
    assert {r.operation for r in records} == {"getAccountBalances"}


# --- Token: headers and repeated accountId --------------------------------------------------------

TOKEN_OK = raw_response(
    200, example("token-io", "BalancesSeveralAccounts.json"), "application/json"
)


def test_token_several_accounts_repeat_account_id_and_send_on_behalf_of() -> None:
    script = Script(answers=[TOKEN_OK])
    other = "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW"
    with make("token-io", script) as client:
        records = client.balances(
            [TOKEN_ACCOUNT, other], on_behalf_of=ON_BEHALF_OF, customer_ip_address="203.0.113.7"
        )
    (request,) = script.requests
    assert request.url.path == "/account-balance"
    assert request.url.params.get_list("accountId") == [TOKEN_ACCOUNT, other]
    assert request.headers["on-behalf-of"] == ON_BEHALF_OF
    assert request.headers["token-customer-ip-address"] == "203.0.113.7"
    assert request.headers["Authorization"] == f"Bearer {JWT}"
    assert request.headers["Accept"] == "application/json"
    assert {r.account_id for r in records} == {TOKEN_ACCOUNT, other}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"on_behalf_of": "caf\u00e9"}, "on-behalf-of"),
        ({"on_behalf_of": "a\r\nX-Injected: 1"}, "on-behalf-of"),
        ({"customer_ip_address": "203.0.113.7\n"}, "token-customer-ip-address"),
        ({"customer_ip_address": ""}, "token-customer-ip-address"),
    ],
)
def test_token_refuses_a_header_it_cannot_send_before_sending(
    kwargs: dict[str, Any], field: str
) -> None:
    """on-behalf-of and token-customer-ip-address travel as headers: a non-ASCII or
    line-breaking value is an InvalidRequest, not an encoding error or a transport
    failure blamed on the vendor."""
    script = Script(answers=[TOKEN_OK])
    with make("token-io", script) as client, pytest.raises(InvalidRequest) as caught:
        client.balance(TOKEN_ACCOUNT, **{"on_behalf_of": ON_BEHALF_OF, **kwargs})
    assert (caught.value.vendor, caught.value.field) == ("token-io", field)
    assert script.requests == []


def test_token_one_account_with_the_sandbox_api_key() -> None:
    body = example("token-io", "BalanceSuccessful.json")
    script = Script(answers=[raw_response(200, body, "application/json")])
    with make("token-io", script, **token_kwargs(basic=True), jwt=None) as client:
        client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    (request,) = script.requests
    assert request.url.raw_path.decode() == f"/accounts/{quote(TOKEN_ACCOUNT, safe='')}/balance"
    assert request.headers["Authorization"] == f"Basic {API_KEY}"
    assert request.headers["on-behalf-of"] == ON_BEHALF_OF
    assert "token-customer-ip-address" not in request.headers


@pytest.mark.parametrize(
    ("account_ids", "on_behalf_of"),
    [
        ([], ON_BEHALF_OF),
        (TOKEN_ACCOUNT, ON_BEHALF_OF),
        ([TOKEN_ACCOUNT, ""], ON_BEHALF_OF),
        ([TOKEN_ACCOUNT], ""),
    ],
)
def test_token_refuses_bad_requests_before_sending(account_ids: Any, on_behalf_of: str) -> None:
    script = Script(answers=[TOKEN_OK])
    with make("token-io", script) as client, pytest.raises(InvalidRequest):
        client.balances(account_ids, on_behalf_of=on_behalf_of)
    assert script.requests == []


def test_token_needs_exactly_one_credential() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        make("token-io", Script(answers=[TOKEN_OK]), jwt=JWT, api_key=API_KEY)
    with pytest.raises(ValueError, match="exactly one"):
        make("token-io", Script(answers=[TOKEN_OK]), jwt=None)


# --- Mastercard OAuth 1.0a ------------------------------------------------------------------


def oauth_parameters(header: str) -> dict[str, str]:
    assert header.startswith("OAuth ")
    return dict(re.findall(r'(\w+)="([^"]*)"', header))


def percent_encode(text: str) -> str:
    return quote(text, safe="~")


def signature_base_string(request: httpx.Request, parameters: dict[str, str]) -> str:
    """Mastercard's OAuth 1.0a signature base string, written here independently of the
    signer: METHOD & encoded base URI & encoded sorted parameters (query + oauth_*, without
    oauth_signature)."""
    url = request.url
    port = "" if url.port in (None, 80, 443) else f":{url.port}"
    base_uri = f"{url.scheme}://{url.host.lower()}{port}{url.raw_path.decode().split('?')[0]}"
    pairs = [(k, v) for k, v in parameters.items() if k != "oauth_signature"]
    pairs += [(percent_encode(k), percent_encode(v)) for k, v in url.params.multi_items()]
    joined = "&".join(sorted(f"{k}={v}" for k, v in pairs))
    return "&".join([request.method.upper(), percent_encode(base_uri), percent_encode(joined)])


def assert_signed(request: httpx.Request) -> None:
    parameters = oauth_parameters(request.headers["Authorization"])
    assert parameters["oauth_consumer_key"] == CONSUMER_KEY
    assert parameters["oauth_signature_method"] == "RSA-SHA256"
    assert parameters["oauth_version"] == "1.0"
    assert parameters["oauth_nonce"]
    assert parameters["oauth_timestamp"].isdigit()
    assert (
        parameters["oauth_body_hash"]
        == base64.b64encode(hashlib.sha256(request.content).digest()).decode()
    )
    signature = base64.b64decode(unquote(parameters["oauth_signature"]))
    _, public_key = signing_material()
    public_key.verify(
        signature,
        signature_base_string(request, parameters).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


@pytest.mark.parametrize(
    ("vendor", "operation", "body", "content_type"),
    [
        (
            "mastercard-open-banking-connect",
            "getAccountBalances",
            "AccountBalancesDebit.json",
            "application/json",
        ),
        ("mastercard-send", "getAccountBalance", "SingleAccountBalance.json", "application/json"),
        (
            "mastercard-send",
            "getAccountBalances",
            "PartnerAccountBalancesXml.xml",
            "application/xml",
        ),
    ],
)
def test_oauth1_signature_verifies_with_the_public_key(
    vendor: str, operation: str, body: str, content_type: str
) -> None:
    script = Script(answers=[raw_response(200, example(vendor, body), content_type)])
    with make(vendor, script) as client:
        CALLS[(vendor, operation)](client)
    (request,) = script.requests
    assert_signed(request)


def test_oauth1_signature_of_a_tampered_body_does_not_verify() -> None:
    script = Script(answers=[CONNECT_OK])
    connect_call(script)
    (request,) = script.requests
    tampered = httpx.Request(
        request.method,
        request.url,
        headers=request.headers,
        content=request.content.replace(b"acc-", b"acx-"),
    )
    with pytest.raises(AssertionError):
        assert_signed(tampered)


def test_signing_key_from_a_file_and_wrong_password(tmp_path: Any) -> None:
    data, _ = signing_material()
    path = tmp_path / "key.p12"
    path.write_bytes(data)
    script = Script(
        answers=[
            raw_response(
                200, example("mastercard-send", "SingleAccountBalance.json"), "application/json"
            )
        ]
    )
    with make("mastercard-send", script, signing_key=str(path)) as client:
        client.account_balance(SEND_PARTNER, SEND_TOKEN)
    assert_signed(script.requests[0])
    with pytest.raises(ValueError, match="PKCS#12") as caught:
        make("mastercard-send", script, signing_key=path, signing_key_password="wrong")
    assert "wrong" not in str(caught.value).replace("wrong password", "")


# --- async: every operation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "operation", "media_type"),
    sorted(SUCCESS_EXAMPLES),
    ids=["-".join(key).replace("application/", "") for key in sorted(SUCCESS_EXAMPLES)],
)
def test_async_client_gives_the_same_records_as_the_sync_one(
    vendor: str, operation: str, media_type: str
) -> None:
    """Every operation, answered with its documented success in each media type."""
    documented = SUCCESS_EXAMPLES[(vendor, operation, media_type)]
    extra = {"xml": True} if "xml" in media_type else {}
    sync_script = scripted(vendor, [success_response(documented)])
    async_script = scripted(vendor, [success_response(documented)])

    with make(vendor, sync_script) as client:
        expected = CALLS[(vendor, operation)](client, **extra)

    async def go() -> Any:
        async with make(vendor, async_script, is_async=True) as client:
            return await CALLS[(vendor, operation)](client, **extra)

    assert expected
    assert asyncio.run(go()) == expected
    assert [(r.method, r.url) for r in async_script.requests] == [
        (r.method, r.url) for r in sync_script.requests
    ]
    if vendor in ("mastercard-open-banking-connect", "mastercard-send"):
        assert_signed(async_script.requests[-1])


def test_async_vendor_error() -> None:
    script = scripted(
        "token-io",
        [json_response(401, {"error": {"message": "nope", "tokenTraceId": "trace-1"}})],
    )

    async def go() -> Any:
        client = make("token-io", script, is_async=True)
        try:
            return await client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
        finally:
            await client.aclose()

    with pytest.raises(VendorError) as caught:
        asyncio.run(go())
    assert caught.value.code is C.UNAUTHORIZED
    assert caught.value.trace_id == "trace-1"


# --- environments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "host"),
    [
        (None, "api.move.mastercard.com"),
        ("production", "api.move.mastercard.com"),
        ("sandbox", "sandbox.api.move.mastercard.com"),
        ("production-legacy", "api.mastercard.com"),
        ("sandbox-legacy", "sandbox.api.mastercard.com"),
    ],
)
def test_send_hosts_by_name_the_newer_ones_by_default(environment: str | None, host: str) -> None:
    script = scripted(
        "mastercard-send",
        [
            raw_response(
                200, example("mastercard-send", "SingleAccountBalance.json"), "application/json"
            )
        ],
    )
    overrides: dict[str, Any] = {"base_url": None}
    if environment is not None:
        overrides["environment"] = environment
    with make("mastercard-send", script, **overrides) as client:
        assert CALLS[("mastercard-send", "getAccountBalance")](client)
    (request,) = script.requests
    assert request.url.host == host
    assert request.url.path.startswith("/send/v1/partners/")


def test_an_unknown_environment_or_both_ways_of_naming_a_server_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown environment 'staging'"):
        make("token-io", Script(answers=[]), base_url=None, environment="staging")
    with pytest.raises(ValueError, match="not both"):
        make("token-io", Script(answers=[]), environment="sandbox")


@pytest.mark.parametrize(
    "timeout",
    [
        httpx.Timeout(-1.0),
        httpx.Timeout(float("nan")),
        httpx.Timeout(0.0),
        httpx.Timeout(5.0, read=float("inf")),
    ],
    ids=["negative", "nan", "zero", "infinite-read"],
)
def test_a_timeout_part_that_is_no_positive_finite_time_is_refused_at_construction(
    timeout: httpx.Timeout,
) -> None:
    with pytest.raises(ValueError, match="must be a positive number of seconds"):
        make("token-io", Script(answers=[]), timeout=timeout)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf")])
def test_a_retry_wait_that_is_no_finite_time_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="finite number of seconds"):
        RetryPolicy(initial_wait=value)


def test_every_operation_names_a_documented_success_example() -> None:
    """Each live operation's success answer is named in its vendor's live-calls.yaml and
    documented in its spec, for the tests that answer with it."""
    assert SUCCESS_MISSING == []
    assert {(vendor, operation) for vendor, operation, _ in SUCCESS_EXAMPLES} == set(CALLS)
