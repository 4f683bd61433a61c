"""The live clients' bounds against a hostile server on 127.0.0.1 (``live_hostile``): a
deadline for the whole call, a cap on the decoded body, and Retry-After of any shape.

Every client of every vendor sends through the same implementation, so the deadline is
checked for three kinds of call, blocking and asyncio; the size cap and the retry storm for
one vendor each way, plus the Finicity token request, which an auth flow reads.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from live_hostile import RETRY_AFTER_SHAPES, Hostile, bomb, hostile_server, peak_rss_growth
from live_support import CALLS, EXAMPLES, Script, make

from normalize import BodyTooLarge, MalformedPayload, RetryPolicy, VendorError, VendorErrorCode
from normalize.live import DEFAULT_DEADLINE, DEFAULT_MAX_BODY_BYTES
from normalize.live._transport import retry_after_seconds

DEADLINE = 1.5
MiB = 1024 * 1024

# A GET with a bearer token, a GET behind the Finicity token flow (two requests, the token
# read by the auth flow), a signed POST: every client sends through the same code.
TRICKLED = [
    ("token-io", "getBalance"),
    ("mastercard-open-finance-au", "GetAvailableBalanceLive"),
    ("mastercard-open-banking-connect", "getAccountBalances"),
]


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    with hostile_server() as server:
        yield server


def call(
    hostile: Hostile,
    scenario: str,
    vendor: str,
    operation: str,
    *,
    is_async: bool,
    **kwargs: Any,
) -> tuple[BaseException | list[Any], float]:
    """Runs one call against ``scenario``; (its records or exception, seconds it took)."""
    client_kwargs: dict[str, Any] = {"base_url": hostile.url(scenario), "transport": None}
    client_kwargs.update(kwargs)

    def sync() -> Any:
        with make(vendor, _unused(), **client_kwargs) as client:
            return CALLS[(vendor, operation)](client)

    async def run_async() -> Any:
        async with make(vendor, _unused(), is_async=True, **client_kwargs) as client:
            return await CALLS[(vendor, operation)](client)

    started = time.monotonic()
    try:
        outcome: Any = asyncio.run(run_async()) if is_async else sync()
    except (VendorError, MalformedPayload) as exc:
        outcome = exc
    return outcome, time.monotonic() - started


def _unused() -> Script:
    # The clients here get no test transport (transport=None): they go to the server.
    return Script(answers=[httpx.Response(599)])


def decodes_past_the_cap(coding: str, data: bytes) -> bool:
    limit = DEFAULT_MAX_BODY_BYTES + 1
    if coding == "br":
        import brotli

        out = brotli.Decompressor().process(data, output_buffer_limit=limit)
    else:
        out = zlib.decompressobj(31 if coding == "gzip" else 15).decompress(data, limit)
    return len(out) >= limit


def real_sleeps(**kwargs: Any) -> RetryPolicy:
    return RetryPolicy(**kwargs)


SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])


# --- the deadline -----------------------------------------------------------------------------


@SYNC_ASYNC
@pytest.mark.parametrize("scenario", ["trickle-body", "trickle-headers"])
@pytest.mark.parametrize(("vendor", "operation"), TRICKLED)
def test_a_trickling_server_is_cut_off_at_the_deadline(
    hostile: Hostile, scenario: str, vendor: str, operation: str, is_async: bool
) -> None:
    # A read timeout far above the deadline: only the deadline can end the call.
    outcome, took = call(
        hostile,
        scenario,
        vendor,
        operation,
        is_async=is_async,
        deadline=DEADLINE,
        timeout=60.0,
        retry=real_sleeps(),
    )
    assert isinstance(outcome, VendorError), outcome
    assert outcome.code is VendorErrorCode.UNAVAILABLE
    assert outcome.status is None
    message = outcome.vendor_message or ""
    assert f"deadline of {DEADLINE:g} s passed after" in message
    reported = float(message.split("passed after ")[1].split(" s")[0])
    assert DEADLINE <= reported < DEADLINE + 0.5
    assert DEADLINE <= took < DEADLINE * 1.5


def test_the_default_deadline_and_cap_are_the_documented_ones() -> None:
    assert DEFAULT_DEADLINE == 30.0
    assert DEFAULT_MAX_BODY_BYTES == 16_777_216  # 16 MiB


@pytest.mark.parametrize("deadline", [0, -1, float("inf"), float("nan"), "5", True, None])
def test_a_deadline_must_be_a_positive_number(deadline: Any) -> None:
    with pytest.raises(ValueError, match="deadline"):
        make("token-io", Script(answers=[httpx.Response(200)]), deadline=deadline)


@pytest.mark.parametrize("size", [0, -1, 1.5, "1", True, None])
def test_a_size_cap_must_be_a_positive_number_of_bytes(size: Any) -> None:
    with pytest.raises(ValueError, match="max_body_bytes"):
        make("token-io", Script(answers=[httpx.Response(200)]), max_body_bytes=size)


# --- the size cap -----------------------------------------------------------------------------

# Growth allowed over the cap while reading a bomb: the cap itself is held in memory once
# as the body grows, the decoders keep their windows, and the interpreter its arenas.
RSS_ALLOWANCE = 100 * MiB


@SYNC_ASYNC
@pytest.mark.parametrize("scenario", ["gzip", "deflate", "br", "endless-gzip", "endless"])
def test_bombs_and_endless_bodies_stop_at_the_cap(
    hostile: Hostile, scenario: str, is_async: bool
) -> None:
    if scenario in ("gzip", "deflate", "br"):
        # The bomb really is one: at most 512 KiB that decode past the cap.
        sent = bomb(scenario, 512 * 1024)
        assert len(sent) <= 512 * 1024
        assert decodes_past_the_cap(scenario, sent)
    with peak_rss_growth() as growth:
        outcome, took = call(
            hostile,
            scenario,
            "token-io",
            "getBalance",
            is_async=is_async,
            retry=real_sleeps(),
        )
    assert isinstance(outcome, BodyTooLarge), outcome
    assert outcome.field == "$"
    # The size decoded when the cap was seen passed (brotli hands over more than it is
    # asked for at once: up to twice the cap).
    assert isinstance(outcome.value, int)
    assert DEFAULT_MAX_BODY_BYTES < outcome.value <= 2 * DEFAULT_MAX_BODY_BYTES + MiB
    assert f"cap {DEFAULT_MAX_BODY_BYTES} bytes" in str(outcome)
    assert growth() < DEFAULT_MAX_BODY_BYTES + RSS_ALLOWANCE, growth() / MiB
    assert took < 10


def test_a_smaller_cap_is_kept_and_a_body_within_it_is_read(hostile: Hostile) -> None:
    outcome, _ = call(
        hostile, "gzip", "token-io", "getBalance", is_async=False, max_body_bytes=64 * 1024
    )
    assert isinstance(outcome, BodyTooLarge)
    assert "cap 65536 bytes" in str(outcome)


@SYNC_ASYNC
def test_a_bomb_from_the_finicity_token_endpoint_stops_at_the_cap(
    hostile: Hostile, is_async: bool
) -> None:
    # The token answer is read inside the auth flow, by httpx: still capped.
    with peak_rss_growth() as growth:
        outcome, _ = call(
            hostile,
            "token-gzip",
            "mastercard-open-finance-us",
            "GetAvailableBalanceLive",
            is_async=is_async,
        )
    assert isinstance(outcome, BodyTooLarge), outcome
    assert outcome.field == "$"
    assert growth() < DEFAULT_MAX_BODY_BYTES + RSS_ALLOWANCE


def test_the_clients_ask_only_for_codings_they_decode_in_bounded_steps(hostile: Hostile) -> None:
    before = len(hostile.seen.requests)
    call(hostile, "gzip", "token-io", "getBalance", is_async=False)
    (request,) = hostile.seen.requests[before:]
    headers = request.split(b"\r\n\r\n")[0].lower()
    assert b"accept-encoding: gzip, deflate, br\r\n" in headers + b"\r\n"


# --- Retry-After of every shape ---------------------------------------------------------------


def answer_429(retry_after: str) -> httpx.Response:
    # As bytes: a server may send any (the Arabic-Indic digits are UTF-8 here).
    return httpx.Response(429, headers=[(b"Retry-After", retry_after.encode("utf-8"))])


@pytest.mark.parametrize("shape", RETRY_AFTER_SHAPES)
def test_retry_after_of_any_shape_is_a_bounded_wait_or_none(shape: str) -> None:
    wait = retry_after_seconds(answer_429(shape))
    assert wait is None or wait >= 0


@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("007", 7.0),
        ("9" * 400, float("inf")),
        ("-5", None),
        ("soon", None),
        ("1.5", None),
        ("\u0661\u0662", None),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
        ("Fri, 31 Dec 99999 23:59:59 GMT", None),
    ],
)
def test_retry_after_values(shape: str, expected: float | None) -> None:
    assert retry_after_seconds(answer_429(shape)) == expected


@SYNC_ASYNC
def test_a_429_storm_with_every_retry_after_shape_ends_inside_the_deadline(
    hostile: Hostile, is_async: bool
) -> None:
    # Retries without end but for the deadline; short backoff, so that many shapes are met.
    policy = RetryPolicy(attempts=10_000, initial_wait=0.01, max_wait=0.05, jitter=0.01)
    hostile.new_storm()
    before = len(hostile.seen.requests)
    outcome, took = call(
        hostile,
        "storm",
        "token-io",
        "getBalance",
        is_async=is_async,
        deadline=DEADLINE,
        retry=policy,
    )
    assert isinstance(outcome, VendorError), outcome
    # The 400-digit Retry-After ended it: a wait longer than allowed is not waited for.
    assert outcome.code is VendorErrorCode.RATE_LIMITED
    assert outcome.status == 429
    assert took < DEADLINE
    # Every shape up to it was met (each a retry), none raised.
    assert len(hostile.seen.requests) - before == RETRY_AFTER_SHAPES.index("9" * 400) + 1


@SYNC_ASYNC
def test_a_retry_after_beyond_the_deadline_is_not_waited_for(
    hostile: Hostile, is_async: bool
) -> None:
    outcome, took = call(
        hostile,
        "storm-future",
        "token-io",
        "getBalance",
        is_async=is_async,
        deadline=DEADLINE,
    )
    assert isinstance(outcome, VendorError), outcome
    assert outcome.code is VendorErrorCode.RATE_LIMITED
    assert outcome.status == 429
    assert took < 1.0


def _cut_bodies() -> list[tuple[str, bytes]]:
    import gzip

    from normalize.live._bounded import _BROTLI_BOUNDED

    body = (EXAMPLES / "token-io" / "BalanceSuccessful.json").read_bytes()
    cases = [
        ("gzip", gzip.compress(body)[:-8]),  # no CRC and length trailer
        ("gzip", gzip.compress(body)[:-4]),  # no length
        ("gzip", gzip.compress(body)[: len(gzip.compress(body)) // 2]),
        ("deflate", zlib.compress(body)[:-4]),  # no Adler-32
    ]
    if _BROTLI_BOUNDED:
        import brotli

        cases.append(("br", brotli.compress(body)[:-2]))
    return cases


@pytest.mark.parametrize(("coding", "data"), _cut_bodies())
def test_a_cut_compressed_body_is_a_bad_encoding_not_records(coding: str, data: bytes) -> None:
    """A decoder hands over what it has when the body stops early; a cut body must not
    pass for the whole one."""
    from normalize.live._bounded import BoundedBody, _Undecodable

    decoder = BoundedBody(coding, 1 << 20)
    decoder.feed(data)  # may hand over every byte of content: only the trailer is missing
    with pytest.raises(_Undecodable, match="does not decode"):
        decoder.flush()


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_an_empty_body_under_a_content_coding_is_empty(coding: str) -> None:
    from normalize.live._bounded import BoundedBody

    decoder = BoundedBody(coding, 1 << 20)
    assert decoder.feed(b"") + decoder.flush() == b""
