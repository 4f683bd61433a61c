"""Credentials never show: not in logs, reprs, exception messages or records.

Failures (401s, 500s, timeouts, malformed bodies, refused requests) are triggered with
real-looking credentials while every logger records at DEBUG; then the log text, the repr
of every client and auth object, the str and repr of every exception in each chain
(``__cause__`` and ``__context__``), its formatted traceback and the records are searched
for each secret, for the OAuth signatures that were sent and for the whole header values.
One scenario runs against a real HTTP server on 127.0.0.1, so httpx's and httpcore's own
debug logging is searched too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import threading
import time
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from live_support import (
    APP_TOKEN,
    CALLS,
    FRESH_APP_TOKEN,
    ON_BEHALF_OF,
    PARTNER_ID,
    SECRETS,
    SUCCESS,
    TOKEN_PATH,
    Script,
    Sleeps,
    json_response,
    make,
    raw_response,
    success_response,
    token_answers,
    token_kwargs,
)

from normalize import InvalidRequest, NormalizeError, Secret, VendorError

FORBIDDEN = (*SECRETS, PARTNER_ID, ON_BEHALF_OF)

HTML = "<!DOCTYPE html><html><body>Oops</body></html>"


class Evidence:
    """Everything a credential could leak into."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.sent_headers: list[str] = []

    def add(self, obj: object) -> None:
        self.texts.append(repr(obj))
        self.texts.append(str(obj))

    def add_exception(self, exc: BaseException) -> None:
        self.texts.append("".join(traceback.format_exception(exc)))
        seen: set[int] = set()
        todo: list[BaseException | None] = [exc]
        while todo:
            current = todo.pop()
            if current is None or id(current) in seen:
                continue
            seen.add(id(current))
            self.add(current)
            self.texts.extend(repr(arg) for arg in current.args)
            if isinstance(current, VendorError):
                self.texts.append(repr(current.vendor_message))
            if isinstance(current, NormalizeError):
                self.texts.append(repr(current.value))
            todo += [current.__cause__, current.__context__]

    def add_records(self, records: Any) -> None:
        for record in records:
            self.add(record)
            self.texts.append(repr(record.to_dict()))

    def add_client(self, client: Any) -> None:
        for obj in (client, client._auth, client._generated, client._http, client._retry):
            self.add(obj)

    def add_requests(self, requests: list[httpx.Request]) -> None:
        for request in requests:
            header = request.headers.get("Authorization")
            if header:
                self.sent_headers.append(header)
                if header.startswith("OAuth "):
                    signature = header.split('oauth_signature="')[1].split('"')[0]
                    self.sent_headers += [signature, unquote(signature)]
            token = request.headers.get("Finicity-App-Token")
            if token:
                self.sent_headers.append(token)

    def assert_clean(self, caplog: pytest.LogCaptureFixture) -> None:
        logged = [caplog.text]
        for record in caplog.records:
            logged.append(record.getMessage())
            logged.append(repr(record.args))
            if record.exc_info and record.exc_info[1] is not None:
                logged.append("".join(traceback.format_exception(record.exc_info[1])))
        haystack = "\n".join(self.texts + logged)
        assert self.texts, "nothing was collected"
        for needle in (*FORBIDDEN, *self.sent_headers):
            assert needle not in haystack, f"a credential leaked: {needle[:6]}..."


@pytest.fixture
def evidence(caplog: pytest.LogCaptureFixture) -> Iterator[Evidence]:
    caplog.set_level(logging.DEBUG)
    collected = Evidence()
    yield collected
    collected.assert_clean(caplog)


def fail(
    evidence: Evidence, vendor: str, operation: str, script: Script, **kwargs: Any
) -> BaseException:
    client = make(vendor, script, sleeps=Sleeps(), **kwargs)
    evidence.add_client(client)
    try:
        with client:
            records = CALLS[(vendor, operation)](client)
    except (VendorError, NormalizeError) as exc:
        evidence.add_exception(exc)
        evidence.add_client(client)
        evidence.add_requests(script.requests)
        return exc
    evidence.add_records(records)
    evidence.add_requests(script.requests)
    raise AssertionError(f"{vendor} {operation} did not fail")


FAILURES: dict[str, Any] = {
    "401-json": lambda vendor: json_response(
        401,
        {"code": "10022", "message": "Invalid authentication credentials."}
        if vendor.startswith("mastercard-open-finance")
        else {"Errors": {"Error": [{"ReasonCode": "AUTHENTICATION_FAILED", "Description": "x"}]}}
        if vendor.startswith("mastercard")
        else {"error": {"message": "Unauthenticated", "tokenTraceId": "t-1"}},
    ),
    "401-text": lambda vendor: raw_response(401, "Unauthorized", "text/plain"),
    "500": lambda vendor: raw_response(500, HTML, "text/html"),
    "timeout": lambda vendor: httpx.ReadTimeout("timed out"),
    "malformed-200": lambda vendor: raw_response(200, '{"balance": {"acc', "application/json"),
    "html-200": lambda vendor: raw_response(200, HTML, "text/html"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize(("vendor", "operation"), sorted(CALLS))
def test_failures_leak_no_credential(
    evidence: Evidence, vendor: str, operation: str, failure: str
) -> None:
    script = Script(
        answers=[FAILURES[failure](vendor)],
        by_path={TOKEN_PATH: token_answers(APP_TOKEN, FRESH_APP_TOKEN)},
    )
    fail(evidence, vendor, operation, script)
    assert script.requests


def test_token_api_key_failures_leak_nothing(evidence: Evidence) -> None:
    for answer in (raw_response(401, "Unauthorized", "text/plain"), httpx.ReadTimeout("t")):
        script = Script(answers=[answer])
        fail(evidence, "token-io", "getBalance", script, **token_kwargs(basic=True), jwt=None)


@pytest.mark.parametrize("vendor", ["mastercard-open-finance-au", "mastercard-open-finance-us"])
@pytest.mark.parametrize(
    "token_answer",
    [
        json_response(401, {"code": "10022", "message": "Invalid credentials"}),
        json_response(200, {"tokn": APP_TOKEN}),
        raw_response(200, f'{{"token": "{APP_TOKEN}', "application/json"),
        httpx.ConnectError("connection refused"),
    ],
    ids=["401", "no-token", "truncated", "connect-error"],
)
def test_finicity_token_failures_leak_nothing(
    evidence: Evidence, vendor: str, token_answer: Any
) -> None:
    script = Script(answers=[json_response(200, {})], by_path={TOKEN_PATH: [token_answer]})
    fail(evidence, vendor, "GetAvailableBalanceLive", script)


@pytest.mark.parametrize(("vendor", "operation"), sorted(CALLS))
def test_successful_records_and_logs_leak_nothing(
    evidence: Evidence, vendor: str, operation: str
) -> None:
    script = Script(
        answers=[success_response(SUCCESS[(vendor, operation)])],
        by_path={TOKEN_PATH: token_answers(APP_TOKEN)},
    )
    with make(vendor, script) as client:
        records = CALLS[(vendor, operation)](client)
        evidence.add_client(client)
    evidence.add_records(records)
    evidence.add_requests(script.requests)
    assert records


def test_refused_requests_leak_nothing(evidence: Evidence) -> None:
    script = Script(answers=[json_response(200, {})])
    for vendor, call in [
        (
            "mastercard-open-banking-connect",
            lambda c: c.account_balances(
                "acc-1", consent_id="c", aspsp_id="x", is_live_psu_request=True
            ),
        ),
        ("token-io", lambda c: c.balances([], on_behalf_of=ON_BEHALF_OF)),
        ("mastercard-open-finance-us", lambda c: c.balance("1", "2", cache_interval_minutes=-5)),
    ]:
        with make(vendor, script) as client, pytest.raises(InvalidRequest) as caught:
            call(client)
        evidence.add_exception(caught.value)
        evidence.add_client(client)
    assert script.requests == []


def fail_async(
    evidence: Evidence, vendor: str, operation: str, script: Script, **kwargs: Any
) -> BaseException:
    """``fail`` through the async client: the error the call raised, searched; a call that
    raises none fails the test as the sync one does."""

    async def go() -> Any:
        client = make(vendor, script, sleeps=Sleeps(), is_async=True, **kwargs)
        evidence.add_client(client)
        try:
            async with client:
                records = await CALLS[(vendor, operation)](client)
        except (VendorError, NormalizeError) as exc:
            evidence.add_exception(exc)
            evidence.add_client(client)
            return exc
        evidence.add_records(records)
        return records

    outcome = asyncio.run(go())
    evidence.add_requests(script.requests)
    if not isinstance(outcome, BaseException):
        raise AssertionError(f"{vendor} {operation} (async) did not fail")
    return outcome


@pytest.mark.parametrize("failure", ["401-text", "timeout"])
@pytest.mark.parametrize(("vendor", "operation"), sorted(CALLS))
def test_async_failures_leak_nothing(
    evidence: Evidence, vendor: str, operation: str, failure: str
) -> None:
    script = Script(
        answers=[FAILURES[failure](vendor)],
        by_path={TOKEN_PATH: token_answers(APP_TOKEN, FRESH_APP_TOKEN)},
    )
    fail_async(evidence, vendor, operation, script)
    assert script.requests


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_call_that_does_not_fail_fails_the_leak_test(is_async: bool) -> None:
    """The failure tests above cannot pass without their error: an answer that succeeds
    fails them, sync and async alike."""
    from test_live_faults import success

    vendor, operation = "token-io", "getBalance"
    script = Script(answers=[success(vendor, operation)])
    with pytest.raises(AssertionError, match="did not fail"):
        (fail_async if is_async else fail)(Evidence(), vendor, operation, script)


# --- a real server on 127.0.0.1 -------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.authorizations += [
            v
            for k, v in self.headers.items()
            if k.lower() in ("authorization", "finicity-app-token")
        ]
        if self.path.endswith(TOKEN_PATH):
            self._send(200, "application/json", f'{{"token": "{APP_TOKEN}"}}')
            return
        mode = self.server.mode
        if mode == "stall":
            time.sleep(0.6)
            self._send(200, "application/json", "{}")
        elif mode == "401":
            self._send(401, "text/plain", "Unauthorized")
        else:
            self._send(500, "text/html", HTML)

    def _send(self, status: int, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mode = "401"
    authorizations: list[str]


@pytest.fixture
def loopback() -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.authorizations = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("mode", ["401", "500", "stall"])
def test_real_http_on_loopback_leaks_nothing(
    evidence: Evidence, loopback: _Server, mode: str
) -> None:
    loopback.mode = mode
    base_url = f"http://127.0.0.1:{loopback.server_address[1]}"
    for vendor, operation in sorted(CALLS):
        script = Script()  # unused: the real transport is used
        client = make(
            vendor,
            script,
            base_url=base_url,
            transport=None,
            timeout=0.2,
            retry=Sleeps().policy(attempts=2),
        )
        evidence.add_client(client)
        with client, pytest.raises((VendorError, NormalizeError)) as caught:
            CALLS[(vendor, operation)](client)
        evidence.add_exception(caught.value)
    assert loopback.authorizations
    for header in loopback.authorizations:
        evidence.sent_headers.append(header)
        if header.startswith("OAuth "):
            signature = header.split('oauth_signature="')[1].split('"')[0]
            evidence.sent_headers += [signature, unquote(signature)]


def test_the_search_finds_a_planted_leak(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    planted = Evidence()
    planted.texts.append("nothing here")
    planted.assert_clean(caplog)
    # A logger of its own: the live loggers mask credentials of live clients still alive.
    logging.getLogger("tests.planted").debug("header %s", SECRETS[0])
    with pytest.raises(AssertionError, match="leaked"):
        planted.assert_clean(caplog)
    caplog.clear()
    planted.sent_headers.append("OAuth oauth_signature=abc")
    planted.texts.append("... OAuth oauth_signature=abc ...")
    with pytest.raises(AssertionError, match="leaked"):
        planted.assert_clean(caplog)


def test_loopback_logging_is_searched(caplog: pytest.LogCaptureFixture, loopback: _Server) -> None:
    caplog.set_level(logging.DEBUG)
    client = make(
        "token-io",
        Script(),
        base_url=f"http://127.0.0.1:{loopback.server_address[1]}",
        transport=None,
        retry=Sleeps().policy(attempts=1),
    )
    with client, pytest.raises(VendorError):
        CALLS[("token-io", "getBalance")](client)
    loggers = {record.name for record in caplog.records}
    assert {"httpx", "normalize.live"} <= loggers
    assert any(name.startswith("httpcore") for name in loggers)


# --- the Secret wrapper itself ------------------------------------------------------------------


def test_secret_never_shows_its_value() -> None:
    secret = Secret(SECRETS[0])
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", format(secret, "")):
        assert SECRETS[0] not in shown
    assert secret.reveal() == SECRETS[0]
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(ValueError, match="app_key") as caught:
        Secret("", name="app_key")
    assert "''" not in str(caught.value)
