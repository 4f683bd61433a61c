"""The live clients' safety rules, over real HTTP on 127.0.0.1 (``live_hostile``):

(a) every credential form is masked in the whole body before any error text quotes or cuts
    it: a server echoing one so that it straddles the 80-character cut of the quoted body
    leaves no fragment of it in the error, its attributes or the logs;
(b) the deadline covers decoding and mapping the answer: checked after reading and after
    parsing, so a slow parse ends the call UNAVAILABLE (deadline), not with records;
(c) at most three content codings are undone: 5,000 are refused before decoding anything;
(d) a base URL that is not an absolute http(s) URL is refused when the client is built;
(e) one error tree: the bounds raise the public BodyTooLarge / BadContentEncoding, and no
    second class of those names (nor LiveExtraMissing) exists.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from live_hostile import STACKED_CODINGS, Hostile, hostile_server, peak_rss_growth
from live_loopback import json_answer, over_loopback
from live_support import (
    API_KEY,
    CALLS,
    CONSUMER_KEY,
    JWT,
    ON_BEHALF_OF,
    PARTNER_ID,
    PARTNER_SECRET,
    TOKEN_ACCOUNT,
    Script,
    example,
    make,
    token_kwargs,
)

import normalize
from normalize import (
    BadContentEncoding,
    BodyTooLarge,
    Outcome,
    OutcomeKind,
    VendorError,
    VendorErrorCode,
)
from normalize._errors import MASK

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"
ONE_OPERATION = {
    AU: "GetAvailableBalanceLive",
    US: "GetAvailableBalanceLive",
    CONNECT: "getAccountBalances",
    SEND: "getAccountBalances",
    TOKEN: "getBalance",
}


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    with hostile_server() as server:
        yield server


# --- (a) a credential straddling the cut ----------------------------------------------------

CUT = 80
AT = 70
PREFIX = "<!DOCTYPE html><html><head><title>Error</title></head><body><p>Sent:"
assert len(PREFIX) < AT


def page(value: str) -> bytes:
    """An HTML error page whose text (no whitespace: the quote keeps it as it is) has
    ``value`` from character 70, so that the 80-character cut would fall inside it."""
    text = PREFIX.ljust(AT, "=") + value + "</p></body></html>"
    assert text.index(value) == AT
    return text.encode()


def header(head: str, name: str) -> str:
    found = re.search(rf"(?im)^{name}: (.*)\r$", head)
    assert found, name
    return found.group(1)


def oauth_param(head: str, name: str) -> str:
    found = re.search(rf'{name}="([^"]*)"', header(head, "Authorization"))
    assert found, name
    return found.group(1)


Form = Callable[[str], str]
FINICITY: dict[str, Form] = {
    "app_key": lambda head: header(head, "Finicity-App-Key"),
    "app_token": lambda head: header(head, "Finicity-App-Token"),
    "partner_id": lambda head: PARTNER_ID,
    "partner_secret": lambda head: PARTNER_SECRET,
}
OAUTH: dict[str, Form] = {
    "consumer_key": lambda head: CONSUMER_KEY,
    "consumer_key_as_sent": lambda head: oauth_param(head, "oauth_consumer_key"),
    "signature_as_sent": lambda head: oauth_param(head, "oauth_signature"),
    "signature": lambda head: unquote(oauth_param(head, "oauth_signature")),
    "authorization": lambda head: header(head, "Authorization"),
}
TOKEN_JWT: dict[str, Form] = {
    "jwt": lambda head: JWT,
    "bearer": lambda head: header(head, "Authorization"),
}
TOKEN_API_KEY: dict[str, Form] = {
    "api_key": lambda head: API_KEY,
    "basic": lambda head: header(head, "Authorization"),
}
FORMS: list[tuple[str, str, Form, dict[str, Any]]] = [
    *((AU, name, form, {}) for name, form in FINICITY.items()),
    *((US, name, form, {}) for name, form in FINICITY.items()),
    *((CONNECT, name, form, {}) for name, form in OAUTH.items()),
    *((SEND, name, form, {}) for name, form in OAUTH.items()),
    *((TOKEN, name, form, {}) for name, form in TOKEN_JWT.items()),
    *(
        (TOKEN, name, form, {**token_kwargs(basic=True), "jwt": None})
        for name, form in TOKEN_API_KEY.items()
    ),
]

# What differs between two calls whatever they are sent back: object addresses in httpcore's
# logs, Connect's fresh xRequestId per call.
_VOLATILE = re.compile(r"0x[0-9a-f]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def steady(text: str) -> str:
    return _VOLATILE.sub("?", text)


def about(outcome: Outcome, raised: BaseException) -> list[str]:
    """The texts of an outcome's error and of the strict form's exception: str, repr, every
    attribute and argument, the formatted traceback."""
    texts = [repr(outcome)]
    for error in (outcome.problems[0].error, raised):
        texts += [str(error), repr(error), *map(repr, error.args)]
        texts += [repr(value) for value in vars(error).values()]
    texts.append("".join(traceback.format_exception(raised)))
    return [steady(text) for text in texts]


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    texts = []
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args)]
    caplog.clear()
    return [steady(text) for text in texts]


def fragments(value: str, length: int = 4) -> set[str]:
    return {value[i : i + length] for i in range(len(value) - length + 1)}


@SYNC_ASYNC
@pytest.mark.parametrize(
    ("vendor", "name", "form", "kwargs"),
    FORMS,
    ids=[f"{vendor}-{name}" for vendor, name, _, kwargs in FORMS],
)
def test_a_credential_echoed_across_the_cut_leaves_no_fragment(
    hostile: Hostile,
    caplog: pytest.LogCaptureFixture,
    vendor: str,
    name: str,
    form: Form,
    kwargs: dict[str, Any],
    is_async: bool,
) -> None:
    for logger in ("httpx", "httpcore", "normalize"):
        caplog.set_level(logging.DEBUG, logger=logger)
    operation = ONE_OPERATION[vendor]
    echoed: list[str] = []

    def answer(masked: bool) -> Callable[[bytes, bytes], Any]:
        def respond(head: bytes, body: bytes) -> Any:
            value = form(head.decode("latin-1"))
            echoed.append(value)
            return 500, {"Content-Type": "text/html"}, page(MASK if masked else value)

        return respond

    def both_forms(masked: bool) -> tuple[list[str], list[str]]:
        scenario = f"cut-{vendor}-{name}"
        common: dict[str, Any] = {"is_async": is_async, **kwargs}
        outcome = over_loopback(hostile, scenario, answer(masked), vendor, operation, **common)
        raised = over_loopback(
            hostile, scenario, answer(masked), vendor, operation, strict=True, **common
        )
        assert isinstance(outcome, Outcome), outcome
        assert isinstance(raised, VendorError), raised
        return about(outcome, raised), logged(caplog)

    # The control: the same page with the mask where the credential goes; then the echo.
    control, control_logs = both_forms(masked=True)
    texts, logs = both_forms(masked=False)
    credential = echoed[-1]
    assert len(credential) > CUT - AT  # it straddles the cut
    # What the caller sees of the echo is what it sees of the masked page, to the letter.
    assert texts == control
    assert any(f"{MASK}</p>" in text or MASK in text for text in texts)
    # No fragment of four characters or more of the credential anywhere, logs included
    # (beyond those the control's own texts happen to hold: template words).
    seen = "\n".join(control + control_logs)
    leaked = {piece for piece in fragments(credential) if piece not in seen}
    haystack = "\n".join(texts + logs)
    assert not {piece for piece in leaked if piece in haystack}, name
    assert credential not in haystack


def test_the_cut_check_would_see_a_fragment() -> None:
    # The check above can fail: a quote cut at 80 keeps the credential's first ten characters.
    credential = JWT
    quoted = " ".join(page(credential).decode().split())[:CUT]
    assert credential[: CUT - AT] in quoted
    assert fragments(credential) & fragments(quoted)


# --- (b) the deadline covers decoding and mapping ---------------------------------------------

DEADLINE = 0.4


@SYNC_ASYNC
def test_a_slow_parse_ends_at_the_deadline_not_with_records(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch, is_async: bool
) -> None:
    from normalize.live import _transport

    real = _transport.parse_envelope

    def slow(*args: Any, **kwargs: Any) -> Outcome:
        time.sleep(DEADLINE + 0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(_transport, "parse_envelope", slow)
    recorded: list[Any] = []
    good = {"": json_answer(200, example(TOKEN, "BalanceSuccessful.json"))}
    started = time.monotonic()
    outcome = over_loopback(
        hostile,
        "slow-parse",
        good,
        TOKEN,
        "getBalance",
        is_async=is_async,
        deadline=DEADLINE,
        record=recorded.append,
    )
    took = time.monotonic() - started
    assert outcome.records == ()
    [problem] = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert problem.error.code is VendorErrorCode.UNAVAILABLE
    assert f"deadline of {DEADLINE:g} s passed" in (problem.error.vendor_message or "")
    # Overrun by one parse at most, and the answer parsed too late is not recorded.
    assert took < DEADLINE + 0.2 + 1.0
    assert recorded == []


@SYNC_ASYNC
def test_a_slow_last_decode_ends_at_the_deadline(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch, is_async: bool
) -> None:
    # The last chunk is decoded after the last deadline check of the read: the check after
    # reading catches it.
    from normalize.live import _bounded

    real = _bounded.BoundedBody.flush

    def slow(self: Any) -> bytes:
        time.sleep(DEADLINE + 0.2)
        return real(self)

    monkeypatch.setattr(_bounded.BoundedBody, "flush", slow)
    good = {"": json_answer(200, example(TOKEN, "BalanceSuccessful.json"))}
    raised = over_loopback(
        hostile,
        "slow-decode",
        good,
        TOKEN,
        "getBalance",
        is_async=is_async,
        deadline=DEADLINE,
        strict=True,
    )
    assert isinstance(raised, VendorError), raised
    assert raised.code is VendorErrorCode.UNAVAILABLE
    assert "deadline" in (raised.vendor_message or "")


def test_a_large_body_and_a_tiny_deadline_give_no_records(hostile: Hostile) -> None:
    entry = {
        "balance": {"accountId": "a:1", "current": {"currency": "EUR", "value": "1.00"}},
        "status": "SUCCESSFUL_REQUEST",
    }
    import json

    body = json.dumps({"response": [entry] * 40_000}).encode()  # about 4 MB
    given = {"": json_answer(200, body)}
    outcome = over_loopback(
        hostile,
        "large",
        given,
        TOKEN,
        "getBalances",
        is_async=False,
        deadline=0.05,
        call=lambda c: c.balances([TOKEN_ACCOUNT], on_behalf_of=ON_BEHALF_OF),
    )
    assert outcome.records == ()
    [problem] = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert "deadline" in (problem.error.vendor_message or "")


# --- (c) stacked content codings -----------------------------------------------------------------


@SYNC_ASYNC
def test_five_thousand_content_codings_are_refused_fast_and_small(
    hostile: Hostile, is_async: bool
) -> None:
    kwargs: dict[str, Any] = {"base_url": hostile.url("stacked-codings"), "transport": None}

    async def run_async() -> Outcome:
        async with make(TOKEN, Script(), is_async=True, **kwargs) as client:
            outcome: Outcome = await CALLS[(TOKEN, "getBalance")](client.outcome)
            return outcome

    started = time.monotonic()
    with peak_rss_growth() as growth:
        if is_async:
            outcome = asyncio.run(run_async())
        else:
            with make(TOKEN, Script(), **kwargs) as client:
                outcome = CALLS[(TOKEN, "getBalance")](client.outcome)
    took = time.monotonic() - started
    [problem] = outcome.problems
    error = problem.error
    assert type(error) is BadContentEncoding
    assert error.field == "Content-Encoding"
    assert isinstance(error.value, str)
    assert error.value.startswith("gzip, gzip")
    assert len(error.value) <= 80
    assert f"{STACKED_CODINGS} content codings" in (error.detail or "")
    assert took < 2.0
    assert growth() < 20 * 1024 * 1024


def test_three_codings_are_decoded_and_a_fourth_is_refused_before_any_decoder() -> None:
    import gzip

    from normalize.live import _bounded

    body = example(TOKEN, "BalanceSuccessful.json")
    triple = gzip.compress(gzip.compress(gzip.compress(body)))
    decoder = _bounded.BoundedBody("gzip, gzip, gzip", 1 << 20)
    assert decoder.feed(triple) + decoder.flush() == body
    made: list[int] = []
    real = _bounded._Zlib.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        real(self, *args, **kwargs)

    try:
        _bounded._Zlib.__init__ = counting  # type: ignore[method-assign]
        with pytest.raises(_bounded._Undecodable, match="4 content codings"):
            _bounded.BoundedBody("gzip, gzip,gzip , gzip", 1 << 20)
    finally:
        _bounded._Zlib.__init__ = real  # type: ignore[method-assign]
    assert made == []


def test_three_codings_over_http_give_the_records(hostile: Hostile) -> None:
    import gzip

    body = example(TOKEN, "BalanceSuccessful.json")
    triple = gzip.compress(gzip.compress(gzip.compress(body)))
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip, gzip, gzip"}
    outcome = over_loopback(
        hostile,
        "three-codings",
        {"": (200, headers, triple)},
        TOKEN,
        "getBalance",
        is_async=False,
    )
    assert outcome.kind is OutcomeKind.RECORDS
    assert outcome.records


# --- (d) the base URL ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "problem"),
    [
        ("vendor.test/api", "no scheme"),
        ("ftp://vendor.test", "scheme is 'ftp'"),
        ("file:///etc/passwd", "scheme is 'file'"),
        ("http://", "no host"),
        ("https:///balances", "no host"),
        ("", "empty"),
        ("   ", "empty"),
        ("https://user:hunter2-pw@[::1", "does not parse"),
        # A password would stand in reprs and httpx's log lines; a query or fragment would
        # send the call elsewhere (the operation's path lost behind a "#").
        ("https://user:hunter2-pw@vendor.test", "user or password"),
        ("https://vendor.test/api?q=1", "query or fragment"),
        ("https://vendor.test/api#f", "query or fragment"),
        ("https://vendor.test:99999", "port"),
    ],
)
@pytest.mark.parametrize("vendor", sorted(ONE_OPERATION))
def test_a_base_url_that_is_not_absolute_http_is_refused_when_built(
    vendor: str, base_url: str, problem: str
) -> None:
    script = Script()
    with pytest.raises(ValueError, match="base_url") as caught:
        make(vendor, script, base_url=base_url)
    assert problem in str(caught.value)
    assert "hunter2" not in str(caught.value)
    assert not isinstance(caught.value, VendorError)
    assert script.requests == []


def test_an_absolute_http_base_url_is_taken() -> None:
    for url in ("http://127.0.0.1:9/x", "https://api.vendor.test", "HTTPS://API.VENDOR.TEST/v1"):
        make(TOKEN, Script(), base_url=url).close()


# --- (e) one error tree ---------------------------------------------------------------------------


def test_the_bounds_raise_the_public_classes_and_no_second_ones_exist() -> None:
    from normalize.live import _bounded, _transport

    for module in (_bounded, _transport, normalize.live):
        for name in ("BodyTooLarge", "BadEncoding", "LiveExtraMissing"):
            found = getattr(module, name, None)
            assert found is None or found is getattr(normalize, name, None), (module, name)
    assert normalize.live.InvalidCredential is normalize.InvalidCredential
    assert normalize.live.MissingExtra is normalize.MissingExtra
    for cls in (BodyTooLarge, BadContentEncoding):
        assert issubclass(cls, normalize.MalformedPayload)
        assert cls.__module__ == "normalize"


def test_an_invalid_credential_is_the_public_class() -> None:
    with pytest.raises(normalize.InvalidCredential) as caught:
        normalize.TokenIO(jwt="bad\nvalue")
    assert type(caught.value) is normalize.InvalidCredential
