"""Sending one vendor request and turning its answer into records, with timeouts and retries.

A vendor module describes a request as a ``Call``: the keyword arguments the generated
client's ``_get_kwargs`` built (method, path, query, headers, JSON body), the vendor and
operationId, and what the caller knows about the answer (freshness, trace id). The client
classes send it through the generated client's httpx client and hand the response bytes to
``normalize_response``, so amounts are decoded exactly from the wire and never from the
generated client's ``.parsed`` (which goes through float).

Retries (tenacity): on HTTP 429, 502, 503 and 504 and on transient transport errors
(timeouts, connection and network errors, a connection dropped mid-response), at most
``RetryPolicy.attempts`` attempts in all. The wait is the response's ``Retry-After``
(seconds or an HTTP date) when it has one, else exponential backoff with jitter. A
``Retry-After`` longer than ``RetryPolicy.max_retry_after`` ends the retries at once: the
call fails with that response's error instead of blocking the caller for longer, or asking
again before the vendor said it would answer. No other status is retried (a 400, 401, 404 is
not going to change). Connect's POST is a read, so it is retried like the GETs.

Outcomes:

* 2xx: the records ``normalize_response`` gives; a 2xx whose body is not a balance body (an
  HTML page, truncated JSON) raises the NormalizeError it raises (``MalformedPayload``):
  that is bad input, not a vendor error. A 2xx with the vendor's own error form (Token's
  ``MORE_SIGNATURES_NEEDED``) raises that VendorError.
* any other status: a VendorError. Its code comes from the vendor's error body when the
  body is one (``normalize_response`` decides); otherwise (HTML, ``text/plain``, empty)
  from the status (``code_for_status``, or the operation's own reading of a status, such as
  404 = NOT_CACHED for Open Finance AU's cached balance), with the start of the body as
  ``vendor_message``.
* a transport failure still there after the retries (timeouts included): VendorError
  UNAVAILABLE.

Logging (logger ``normalize.live``): method, path and query (never a credential: none of
these APIs carries one there), status, attempt, correlation or trace id, and the waits.
Never headers, never bodies.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

import attrs
import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from .._api import normalize_response
from .._errors import NormalizeError, VendorError, VendorErrorCode
from .._record import BalanceRecord
from .._types import Freshness
from ..vendors._status import code_for_status
from ._auth import AUTH_RESPONSE

log = logging.getLogger("normalize.live")

DEFAULT_TIMEOUT = 10.0
"""Seconds allowed for each of connecting, writing, reading and waiting for a pooled
connection, per attempt."""

RETRY_STATUSES = frozenset({429, 502, 503, 504})
TRANSIENT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a call is retried.

    ``attempts`` counts every try, the first included (1 = no retry). Between tries the
    wait is the response's ``Retry-After`` when it has one (a ``Retry-After`` above
    ``max_retry_after`` seconds stops the retries), else ``initial_wait * 2**(n-1)`` seconds
    after the n-th attempt, at most ``max_wait``, plus a random 0 to ``jitter`` seconds.
    ``sleep`` (sync clients) and ``async_sleep`` (async clients) do the waiting:
    ``time.sleep`` and ``asyncio.sleep`` unless given (tests pass recorders).
    """

    attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    initial_wait: float = attrs.field(default=0.5, validator=_positive)
    max_wait: float = attrs.field(default=8.0, validator=_positive)
    jitter: float = attrs.field(default=0.5, validator=_positive)
    max_retry_after: float = attrs.field(default=30.0, validator=_positive)
    sleep: Callable[[float], None] | None = None
    async_sleep: Callable[[float], Awaitable[None]] | None = None


@attrs.frozen(kw_only=True)
class Call:
    """One request to send and what is known about its answer.

    ``request`` holds the keyword arguments of ``httpx.Client.request`` as the generated
    client's ``_get_kwargs`` built them (plus the Accept header). ``trace_id`` is a
    correlation id known before sending (Connect's xRequestId); ``trace_header`` the
    response header carrying the vendor's (Send's ``correlation-id``). ``status_codes``
    says what a status means for this operation when the body does not say.
    """

    vendor: str
    operation: str
    request: Mapping[str, Any]
    freshness: Freshness | None = None
    trace_id: str | None = None
    trace_header: str | None = None
    status_codes: Mapping[int, VendorErrorCode] = attrs.field(factory=dict)

    @property
    def label(self) -> str:
        return f"{self.vendor} {self.operation}"


def with_accept(kwargs: Mapping[str, Any], media_type: str) -> dict[str, Any]:
    """``_get_kwargs`` output with an Accept header added."""
    out = dict(kwargs)
    out["headers"] = {**(kwargs.get("headers") or {}), "Accept": media_type}
    return out


def as_timeout(timeout: httpx.Timeout | float) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        if None in (timeout.connect, timeout.read, timeout.write, timeout.pool):
            raise ValueError("every call needs a timeout: no part of it may be None")
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError("timeout must be a positive number of seconds or an httpx.Timeout")
    return httpx.Timeout(float(timeout))


# --- reading a response ----------------------------------------------------------------------


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The wait a response asks for in ``Retry-After`` (seconds or HTTP date), or None."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _trace_id(call: Call, response: httpx.Response) -> str | None:
    if call.trace_header:
        found: str | None = response.headers.get(call.trace_header)
        if found:
            return found
    return call.trace_id


def _snippet(response: httpx.Response) -> str | None:
    text = " ".join(response.content[:400].decode("utf-8", "replace").split())
    return text[:120] or None


def records_from(call: Call, response: httpx.Response) -> list[BalanceRecord]:
    """Records from a response, or the VendorError / NormalizeError it amounts to."""
    status = response.status_code
    trace_id = _trace_id(call, response)
    ok = httpx.codes.is_success(status)
    own = not response.extensions.get(AUTH_RESPONSE, False)
    status_codes = call.status_codes if own else {}
    try:
        records = normalize_response(
            call.vendor,
            response.content,
            content_type=response.headers.get("content-type", "application/json"),
            operation=call.operation if own else None,
            freshness=call.freshness,
            status=status,
            trace_id=trace_id,
        )
    except NormalizeError as exc:
        if ok:
            raise
        # An error status whose body is not the vendor's error form (an HTML page from a
        # gateway, a text/plain 401, an empty body): the status says what happened.
        raise VendorError(
            vendor=call.vendor,
            code=status_codes.get(status) or code_for_status(status),
            vendor_message=_snippet(response),
            status=status,
            trace_id=trace_id,
        ) from exc
    if not ok:
        # Balances under an error status are not trusted as an answer; they ride along.
        raise VendorError(
            vendor=call.vendor,
            code=status_codes.get(status) or code_for_status(status),
            status=status,
            trace_id=trace_id,
            records=tuple(records),
        )
    return records


def _unavailable(call: Call, exc: httpx.RequestError, attempts: int) -> VendorError:
    # The exception's type says enough; its text is not copied (a proxy error could quote
    # a proxy URL with its password).
    return VendorError(
        vendor=call.vendor,
        code=VendorErrorCode.UNAVAILABLE,
        vendor_message=f"{type(exc).__name__} after {attempts} attempt(s)",
        trace_id=call.trace_id,
    )


# --- retrying --------------------------------------------------------------------------------


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT_ERRORS)


class _Wait:
    def __init__(self, policy: RetryPolicy) -> None:
        self._backoff = wait_exponential(
            multiplier=policy.initial_wait, max=policy.max_wait
        ) + wait_random(0, policy.jitter)

    def __call__(self, state: RetryCallState) -> float:
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            asked = retry_after_seconds(outcome.result())
            if asked is not None:
                return asked
        return float(self._backoff(state))


def _last_outcome(state: RetryCallState) -> Any:
    # Out of attempts: the last response is processed like any other (or its exception
    # raised), rather than tenacity's RetryError.
    assert state.outcome is not None
    return state.outcome.result()


def _retry_options(policy: RetryPolicy, call: Call) -> dict[str, Any]:
    def retry_response(response: httpx.Response) -> bool:
        if response.status_code not in RETRY_STATUSES:
            return False
        asked = retry_after_seconds(response)
        if asked is not None and asked > policy.max_retry_after:
            log.info(
                "%s: HTTP %d asks to retry after %.0f s, more than the %.0f s allowed; "
                "not retrying",
                call.label,
                response.status_code,
                asked,
                policy.max_retry_after,
            )
            return False
        return True

    def before_sleep(state: RetryCallState) -> None:
        outcome = state.outcome
        assert outcome is not None
        if outcome.failed:
            what = type(outcome.exception()).__name__
        else:
            what = f"HTTP {outcome.result().status_code}"
        log.info(
            "%s: %s on attempt %d of %d, retrying in %.2f s",
            call.label,
            what,
            state.attempt_number,
            policy.attempts,
            state.upcoming_sleep,
        )

    return {
        "stop": stop_after_attempt(policy.attempts),
        "wait": _Wait(policy),
        "retry": retry_if_exception(_is_transient) | retry_if_result(retry_response),
        "retry_error_callback": _last_outcome,
        "before_sleep": before_sleep,
    }


def _log_response(call: Call, response: httpx.Response, attempt: int) -> None:
    request = response.request
    trace_id = _trace_id(call, response)
    log.debug(
        "%s: %s %s -> HTTP %d (attempt %d)%s",
        call.label,
        request.method,
        request.url.raw_path.decode("ascii", "replace"),
        response.status_code,
        attempt,
        f", trace id {trace_id}" if trace_id else "",
    )


def _log_failure(call: Call, exc: httpx.RequestError, attempt: int) -> None:
    log.debug(
        "%s: %s %s failed: %s (attempt %d)",
        call.label,
        str(call.request.get("method", "")).upper(),
        call.request.get("url", ""),
        type(exc).__name__,
        attempt,
    )


# --- the client classes' shared machinery ----------------------------------------------------


class _ClientBase:
    """What the vendor client classes share: the generated client, auth, retry policy."""

    def __init__(
        self,
        *,
        client_class: Callable[..., Any],
        base_url: str,
        timeout: httpx.Timeout | float,
        retry: RetryPolicy | None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None,
        auth: httpx.Auth,
    ) -> None:
        self._base_url = base_url
        self._auth = auth
        self._retry = retry if retry is not None else RetryPolicy()
        httpx_args: dict[str, Any] = {"auth": auth}
        if transport is not None:
            httpx_args["transport"] = transport
        # The generated client holds the httpx client: base URL, timeout, transport, auth.
        self._generated: Any = client_class(
            base_url=base_url,
            timeout=as_timeout(timeout),
            httpx_args=httpx_args,
            raise_on_unexpected_status=False,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, auth={self._auth!r})"


class SyncClient(_ClientBase):
    """Base of the blocking vendor clients: ``with Client(...) as c:`` or ``c.close()``."""

    def __init__(
        self,
        *,
        client_class: Callable[..., Any],
        base_url: str,
        timeout: httpx.Timeout | float,
        retry: RetryPolicy | None,
        transport: httpx.BaseTransport | None,
        auth: httpx.Auth,
    ) -> None:
        super().__init__(
            client_class=client_class,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            auth=auth,
        )
        self._http: httpx.Client = self._generated.get_httpx_client()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(self, call: Call) -> list[BalanceRecord]:
        attempts = 0

        def attempt() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            try:
                response = self._http.request(**call.request)
            except httpx.RequestError as exc:
                _log_failure(call, exc, attempts)
                raise
            _log_response(call, response, attempts)
            return response

        retrying = Retrying(
            sleep=self._retry.sleep or time.sleep, **_retry_options(self._retry, call)
        )
        try:
            response: httpx.Response = retrying(attempt)
        except httpx.RequestError as exc:
            raise _unavailable(call, exc, attempts) from exc
        return records_from(call, response)


class AsyncClient(_ClientBase):
    """Base of the asyncio vendor clients: ``async with Client(...) as c:`` or
    ``await c.aclose()``."""

    def __init__(
        self,
        *,
        client_class: Callable[..., Any],
        base_url: str,
        timeout: httpx.Timeout | float,
        retry: RetryPolicy | None,
        transport: httpx.AsyncBaseTransport | None,
        auth: httpx.Auth,
    ) -> None:
        super().__init__(
            client_class=client_class,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            transport=transport,
            auth=auth,
        )
        self._http: httpx.AsyncClient = self._generated.get_async_httpx_client()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def close(self) -> None:
        """The same as ``aclose``."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _send(self, call: Call) -> list[BalanceRecord]:
        attempts = 0

        async def attempt() -> httpx.Response:
            nonlocal attempts
            attempts += 1
            try:
                response = await self._http.request(**call.request)
            except httpx.RequestError as exc:
                _log_failure(call, exc, attempts)
                raise
            _log_response(call, response, attempts)
            return response

        retrying = AsyncRetrying(
            sleep=self._retry.async_sleep or asyncio.sleep, **_retry_options(self._retry, call)
        )
        try:
            response: httpx.Response = await retrying(attempt)
        except httpx.RequestError as exc:
            raise _unavailable(call, exc, attempts) from exc
        return records_from(call, response)
