"""Credentials, every vendor: refused at construction when they cannot be sent (typed, without
the value), and never seen again once sent, even by a server that echoes the request back
(in the body of every status, in the vendor's own error message, in response headers):
not in an exception's text, repr, arguments or chained exceptions, not in a record, not in
a log record of httpx, httpcore or this library at DEBUG, not in a client's repr.

Real-looking values (``live_support``): a leak would look like the real thing. The server
is ``live_hostile``'s, on 127.0.0.1; what it received tells what was sent, so the values
looked for include the ones the client made (the app token it was given, each OAuth
signature).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from live_hostile import Hostile, hostile_server
from live_support import (
    CALLS,
    CREDENTIALS,
    JWT,
    PARTNER_ID,
    SECRETS,
    TOKEN_PATH,
    Script,
    example,
    make,
    raw_response,
    scripted,
)

import normalize
from normalize import InvalidCredential, NormalizeError, VendorError
from normalize.live import CLIENTS, DESCRIPTIONS

OPERATIONS = sorted(CALLS)
HEADER_CREDENTIALS = {"app_key", "consumer_key", "jwt", "api_key"}
BODY_CREDENTIALS = {"partner_id", "partner_secret"}


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    with hostile_server() as server:
        yield server


def sent_credentials(requests: list[bytes]) -> set[str]:
    """The credential values in requests as the server received them."""
    found: set[str] = set()
    for request in requests:
        text = request.decode("utf-8", "replace")
        for name in ("Authorization", "Finicity-App-Key", "Finicity-App-Token"):
            for value in re.findall(rf"(?im)^{name}: (.*)\r$", text):
                found.add(value)
                if value.startswith("OAuth "):
                    for param in re.findall(r'="([^"]*)"', value):
                        if len(param) >= 12:
                            found |= {param, unquote(param)}
                elif " " in value:
                    found.add(value.split(" ", 1)[1])
        for name in ("partnerId", "partnerSecret"):
            found |= set(re.findall(rf'"{name}": ?"([^"]*)"', text))
    return found


def everything_about(exc: BaseException) -> list[str]:
    texts = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts += [str(current), repr(current), *map(repr, current.args)]
        texts += [repr(value) for value in vars(current).values()]
        todo += [current.__cause__, current.__context__]
    return texts


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = [caplog.text]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args)]
        if record.exc_info and record.exc_info[1] is not None:
            texts += everything_about(record.exc_info[1])
    return texts


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in ("httpx", "httpcore", "normalize"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


# --- refused at construction -------------------------------------------------------------------

BAD_VALUES = {
    "CR LF": "Abc123\r\nX-Injected: 1",
    "LF": "Abc123\nmore",
    "NUL": "Abc123\x00",
    "DEL": "Abc123\x7f",
    "C1 control": "Abc123\x85",
    "tab": "Abc\t123",
}
NON_ASCII = {"e acute": "Abc123é", "line separator": "Abc\u2028123", "space": "Abc 123"}
CONSTRUCTION_CASES = [
    (vendor, credential, label, value)
    for vendor, description in DESCRIPTIONS.items()
    for credential in (c.name for c in description.credentials)
    if credential in HEADER_CREDENTIALS | BODY_CREDENTIALS
    for label, value in (
        {**BAD_VALUES, **NON_ASCII} if credential in HEADER_CREDENTIALS else BAD_VALUES
    ).items()
]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("vendor", "credential", "label", "value"),
    CONSTRUCTION_CASES,
    ids=[f"{v}-{c}-{label}" for v, c, label, _ in CONSTRUCTION_CASES],
)
def test_a_credential_that_cannot_be_sent_is_refused_when_the_client_is_built(
    vendor: str, credential: str, label: str, value: str, is_async: bool
) -> None:
    client_class = CLIENTS[vendor][1 if is_async else 0]
    description = DESCRIPTIONS[vendor]
    # One of a group of alternatives (Token.io's jwt or api_key) is given alone.
    alternatives = {c.name for c in description.credentials if c.optional} - {credential}
    kwargs = {k: v for k, v in CREDENTIALS[vendor]().items() if k not in alternatives}
    # A value made to look like a real one, so that finding it would mean a leak.
    value = value.replace("Abc123", "Zq9Xw7Kd4Lm2Np8R")
    kwargs[credential] = value
    with pytest.raises(InvalidCredential) as caught:
        client_class(**kwargs)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.vendor, error.credential) == (vendor, credential)
    for text in everything_about(error):
        assert "Zq9Xw7Kd" not in text
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_a_non_ascii_partner_secret_is_sent_in_the_json_body() -> None:
    # The partner secret travels in the createToken body, as JSON: any character but a
    # control character can.
    vendor = "mastercard-open-finance-au"
    body = example(vendor, "AvailableBalanceSample.json")
    script = scripted(vendor, [raw_response(200, body, "application/json")])
    with make(vendor, script, partner_secret="Tz9kQm3XvB7nR2pL8wYcé") as client:
        assert CALLS[(vendor, "GetAvailableBalanceLive")](client)
    (token_request,) = script.to(TOKEN_PATH)
    assert json.loads(token_request.content)["partnerSecret"] == "Tz9kQm3XvB7nR2pL8wYcé"


@pytest.mark.parametrize(
    "value", ["", None, 12345, b"bytes"], ids=["empty", "None", "int", "bytes"]
)
def test_a_missing_or_non_string_credential_is_refused(value: Any) -> None:
    kwargs = {**CREDENTIALS["token-io"](), "jwt": value}
    with pytest.raises((InvalidCredential, ValueError)):
        normalize.TokenIO(**kwargs)


def test_an_unknown_or_missing_credential_argument_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="app_secret"):
        normalize.OpenFinanceAU(**CREDENTIALS["mastercard-open-finance-au"](), app_secret="x")
    with pytest.raises(TypeError, match="partner_secret"):
        normalize.OpenFinanceAU(app_key="3f9a1c2b7d4e8f60", partner_id="2445582695152")


# --- an echoing server ---------------------------------------------------------------------------

# Echoed by the balance endpoint (an error page, a 200, the vendor's own error forms), and by
# the Finicity token endpoint (its 400 quotes the partner secret it was sent).
ECHO_CASES = [
    (scenario, vendor, operation)
    for scenario in ("echo-text", "echo-200", "echo-json", "token-echo-text")
    for vendor, operation in OPERATIONS
    if not scenario.startswith("token-") or vendor.startswith("mastercard-open-finance")
]


def run(
    hostile: Hostile, scenario: str, vendor: str, operation: str, is_async: bool
) -> tuple[Any, Any]:
    kwargs: dict[str, Any] = {"base_url": hostile.url(scenario), "transport": None}

    def sync() -> Any:
        client = make(vendor, Script(answers=[]), **kwargs)
        with client:
            try:
                return client, CALLS[(vendor, operation)](client)
            except (VendorError, NormalizeError) as exc:
                return client, exc

    async def run_async() -> Any:
        client = make(vendor, Script(answers=[]), is_async=True, **kwargs)
        async with client:
            try:
                return client, await CALLS[(vendor, operation)](client)
            except (VendorError, NormalizeError) as exc:
                return client, exc

    result: tuple[Any, Any] = asyncio.run(run_async()) if is_async else sync()
    return result


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("scenario", "vendor", "operation"), ECHO_CASES, ids=["-".join(c) for c in ECHO_CASES]
)
def test_an_echoing_server_gets_no_credential_back_to_the_caller(
    hostile: Hostile,
    debug_logs: pytest.LogCaptureFixture,
    scenario: str,
    vendor: str,
    operation: str,
    is_async: bool,
) -> None:
    before = len(hostile.seen.requests)
    client, outcome = run(hostile, scenario, vendor, operation, is_async)
    received = hostile.seen.requests[before:]
    sent = sent_credentials(received)
    # The server really was sent credentials, and really did echo them.
    assert sent
    assert any(secret in b"".join(received).decode("utf-8", "replace") for secret in SECRETS)
    texts: list[str] = [repr(client), str(client)]
    if isinstance(outcome, BaseException):
        texts += everything_about(outcome)
    else:
        for record in outcome:
            texts += [repr(record), repr(record.to_dict())]
    texts += logged(debug_logs)
    assert any("HTTP Request" in text for text in texts)  # httpx did log at INFO
    assert any("receive_response_headers" in text for text in texts)  # and httpcore at DEBUG
    haystack = "\n".join(texts)
    for secret in (*sent, *SECRETS, PARTNER_ID):
        assert secret not in haystack, f"a credential leaked: {secret[:6]}..."


def test_the_search_finds_what_the_server_echoes(hostile: Hostile) -> None:
    # Without the redaction, the echo would be there: the test above can fail.
    response = httpx.get(
        hostile.url("echo-text") + "/x", headers={"Authorization": f"Bearer {JWT}"}
    )
    assert JWT in response.text
    assert JWT in response.headers["X-Echo-Authorization"]
