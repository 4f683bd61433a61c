"""One vendor request sent within its bounds, and its answer turned into an outcome.

A vendor description builds a request as a ``Call``: the keyword arguments the generated
client's ``_get_kwargs`` built (method, path, query, headers, JSON body), the vendor and
operationId, the request parameters that decide what the answer means
(``request_context``, checked against the vendor module's ``REQUEST_CONTEXT``: Open Finance
US's ``balance_cache_interval``) and the trace id. The clients (``_client``) send it and hand
the answer here; the rules below are the same for every vendor, blocking or asyncio.

Bounds (``_bounded``): the whole call, every attempt and wait included, ends by its
``deadline`` (seconds; VendorError UNAVAILABLE saying how long it took); each connect, read
and write also has the per-operation ``timeout``; the decoded body is at most
``max_body_bytes`` (``BodyTooLarge`` beyond it, nothing more read) under at most three
content codings (``BadContentEncoding``). The deadline is checked again after the body is
read and after it is parsed: a call never returns records found after its deadline, and
overruns it by at most one parse of a body under the cap.

Retries: on HTTP 429, 502, 503 and 504 and on transient transport errors (timeouts,
connection and network errors, a connection dropped mid-response), at most
``RetryPolicy.attempts`` attempts in all. The wait is the response's ``Retry-After`` when
it is a usable number of seconds or HTTP date, else exponential backoff with jitter. A
``Retry-After`` longer than ``RetryPolicy.max_retry_after``, or a wait that would end past
the deadline, ends the retries at once: the call fails with that answer's error rather than
block the caller for longer, or ask again before the vendor said it would answer. A
``Retry-After`` of any other shape (garbage, negative, absurd) is ignored: backoff applies.
No other status is retried (a 400, 401, 404 is not going to change). Connect's POST is a
read, so it is retried like the GETs.

Outcomes: the final answer becomes an ``Envelope`` (vendor, body as received, content type,
operationId, status, trace id, time, request parameters) and goes through
``parse_envelope``, the one parse of every door, with every credential form the client sent
as ``secrets``: each is masked in the whole body before any error text quotes or cuts it.
An error's texts have every credential form masked again, and a record repeating one is
refused (a problem instead of the record). A transport failure still there after the
retries, or the deadline, is an outcome with one VendorError UNAVAILABLE. The strict form
returns the outcome's records or raises its first problem.

Recording: the envelope of each call's final balance answer (never a token answer), with
every credential form masked in its body, content type and trace id, goes to the client's
recorder once its outcome is the call's.

Logging (logger ``normalize.live``): method, path and query (never a credential: none of
these APIs carries one there), status, attempt, correlation or trace id, and the waits.
Never headers, never bodies.
"""

from __future__ import annotations

import email.utils
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx

from .._envelope import DEFAULT_MAX_BODY_BYTES, Envelope, parse_envelope
from .._errors import (
    BadContentEncoding,
    BodyTooLarge,
    NormalizeError,
    VendorError,
    VendorErrorCode,
)
from .._outcome import Outcome, Problem, Scope
from .._record import BalanceRecord
from .._secrets import error_masked, recordable
from ._auth import AUTH_RESPONSE, credential_forms
from ._bounded import Deadline, DeadlinePassed, _CapPassed, _Undecodable

log = logging.getLogger("normalize.live")

DEFAULT_TIMEOUT = 10.0
"""Seconds allowed for each of connecting, writing, reading and waiting for a pooled
connection."""

DEFAULT_DEADLINE = 30.0
"""Seconds a whole call may take: every attempt, every wait between them, every body."""

RETRY_STATUSES = frozenset({429, 502, 503, 504})
TRANSIENT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _not_negative(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    # Written so that NaN fails too (every comparison with NaN is false).
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < _INF:
        raise ValueError(f"{attribute.name} must be a finite number of seconds, not negative")


_INF = float("inf")


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How a call is retried.

    ``attempts`` counts every try, the first included (1 = no retry). Between tries the
    wait is the response's ``Retry-After`` when it has a usable one (a ``Retry-After`` above
    ``max_retry_after`` seconds stops the retries), else ``initial_wait * 2**(n-1)`` seconds
    after the n-th attempt, at most ``max_wait``, plus a random 0 to ``jitter`` seconds. No
    wait ever ends past the call's deadline: such a retry is not made. ``sleep`` (blocking
    clients) and ``async_sleep`` (asyncio clients) do the waiting: ``time.sleep`` and
    ``asyncio.sleep`` unless given (tests pass recorders).
    """

    attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    initial_wait: float = attrs.field(default=0.5, validator=_not_negative)
    max_wait: float = attrs.field(default=8.0, validator=_not_negative)
    jitter: float = attrs.field(default=0.5, validator=_not_negative)
    max_retry_after: float = attrs.field(default=30.0, validator=_not_negative)
    sleep: Callable[[float], None] | None = None
    async_sleep: Callable[[float], Awaitable[None]] | None = None

    def backoff(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` when the answer names none."""
        exponential = self.initial_wait * 2.0 ** min(attempt - 1, 60)
        return min(exponential, self.max_wait) + random.uniform(0, self.jitter)


@attrs.frozen(kw_only=True)
class Call:
    """One request to send and what is known about its answer.

    ``request`` holds the keyword arguments of ``httpx.Client.request`` as the generated
    client's ``_get_kwargs`` built them (plus the Accept header). ``request_context`` holds
    the request parameters that decide what the answer means, as the answer's envelope
    carries them (``Envelope.request``; Open Finance US: ``{"balance_cache_interval": 0}``,
    whose freshness the vendor module's ``REQUEST_CONTEXT`` gives). ``trace_id`` is a
    correlation id known before sending (Connect's xRequestId); ``trace_header`` the
    response header carrying the vendor's (Send's ``correlation-id``).
    """

    vendor: str
    operation: str
    request: Mapping[str, Any]
    request_context: Mapping[str, int] | None = None
    trace_id: str | None = None
    trace_header: str | None = None

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
        parts = {
            "connect": timeout.connect,
            "read": timeout.read,
            "write": timeout.write,
            "pool": timeout.pool,
        }
        for name, part in parts.items():
            if part is None:
                raise ValueError("every call needs a timeout: no part of it may be None")
            positive_seconds(part, f"timeout.{name}")
        return timeout
    return httpx.Timeout(positive_seconds(timeout, "timeout"))


def positive_seconds(value: object, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 < value < float("inf")
    ):
        raise ValueError(f"{name} must be a positive number of seconds")
    return float(value)


def positive_size(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{name} must be a positive number of bytes")
    return value


# --- reading an answer -----------------------------------------------------------------------

# A Retry-After longer than this many digits is taken for "very long" without converting
# it (a 5000-digit number would take Python's int conversion limit, or float overflow).
_RETRY_AFTER_DIGITS = 9


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The wait a response asks for in ``Retry-After`` (seconds or HTTP date), or None
    when it has none or one of no usable shape. Never raises."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        if len(value.lstrip("0")) > _RETRY_AFTER_DIGITS:
            return float("inf")
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _trace_id(call: Call, response: httpx.Response) -> str | None:
    if call.trace_header:
        found: str | None = response.headers.get(call.trace_header)
        if found:
            return found
    return call.trace_id


def _response_outcome(vendor: str, error: NormalizeError | VendorError) -> Outcome:
    return Outcome(vendor=vendor, problems=(Problem(error=error, scope=Scope.RESPONSE),))


def envelope_of(call: Call, response: httpx.Response) -> Envelope:
    """The envelope of an answer: its body as received, what its headers say, and what the
    call knows. A failed authentication answer (``AUTH_RESPONSE``) is read without the
    call's operation and request parameters (its 404 is not the balance endpoint's 404).
    InvalidEnvelope for what cannot be one (a status outside 100-599)."""
    own = not response.extensions.get(AUTH_RESPONSE, False)
    return Envelope(
        vendor=call.vendor,
        body=response.content,
        content_type=response.headers.get("content-type"),
        operation=call.operation if own else None,
        status=response.status_code,
        trace_id=_trace_id(call, response),
        captured_at=datetime.now(UTC),
        request=call.request_context if own else None,
    )


@attrs.frozen(kw_only=True)
class Answer:
    """What one answer amounts to: its outcome, and its envelope as it may be recorded
    (credentials masked; None when it is not to be recorded: not asked for, an
    authentication answer, or a body that would still hold a credential)."""

    outcome: Outcome
    recording: Envelope | None


def outcome_from(
    call: Call,
    response: httpx.Response,
    sent: Iterable[str],
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    record: bool = True,
) -> Answer:
    """The outcome of an answer: ``parse_envelope`` of its envelope, credentials masked.

    The body is parsed as received (masking credentials in it first could change what it
    means), with every credential form as ``secrets``: masked in the whole body before any
    error quotes or cuts it. What the outcome says back is checked again: each problem's
    texts have every credential form masked, and a record that repeats one is refused (a
    MalformedPayload problem in its place)."""
    forms = credential_forms(sent, _request_of(response))
    try:
        envelope = envelope_of(call, response)
    except NormalizeError as exc:  # InvalidEnvelope: a status no HTTP status
        error = error_masked(exc, forms)
        return Answer(outcome=_response_outcome(call.vendor, error), recording=None)
    outcome = parse_envelope(envelope, max_body_bytes=max_body_bytes, secrets=forms)
    recording = None
    if record and envelope.operation is not None:
        recording = recordable(envelope, forms)
        if recording is None:
            log.warning(
                "%s: answer not recorded: its body holds a credential the request sent",
                call.label,
            )
    return Answer(outcome=outcome, recording=recording)


def records_from(call: Call, response: httpx.Response, sent: Iterable[str]) -> list[BalanceRecord]:
    """The strict form of ``outcome_from``: the records, or the first problem raised."""
    return strict(outcome_from(call, response, sent).outcome)


def strict(outcome: Outcome) -> list[BalanceRecord]:
    """The strict form of an outcome: its records, or its first problem raised with nothing
    chained (``Outcome.records_or_raise`` would chain the exception being handled, and a
    transport error's text is not the library's to pass on)."""
    if outcome.problems:
        raise outcome.problems[0].error from None
    return list(outcome.records)


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a response built without one (a test transport's)
        return None


# --- one call's attempts ---------------------------------------------------------------------

Attempt = httpx.Response | Exception
"""How one attempt ended: an answer, or what kept it from one."""

Recorder = Callable[[Envelope], None]
"""Takes the (credential-masked) envelope of each call's final balance answer."""


class Attempts:
    """The attempts of one call: what to send, whether to try again, how the call ends.

    The blocking and asyncio clients run the same loop around this: ``request()``, send,
    ``answered(response)`` (or ``failed(exception)``), ``wait_after(that)``; a wait of None
    ends the loop with ``finish(last)``, the call's Outcome.
    """

    def __init__(
        self,
        call: Call,
        *,
        policy: RetryPolicy,
        timeout: httpx.Timeout,
        deadline: Deadline,
        sent: Callable[[], Iterable[str]],
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        record: Recorder | None = None,
    ) -> None:
        self.call = call
        self.policy = policy
        self.timeout = timeout
        self.deadline = deadline
        self.count = 0
        self._sent = sent
        self._max_body_bytes = max_body_bytes
        self._record = record

    def request(self) -> dict[str, Any]:
        """The keyword arguments of the next attempt: its timeouts within the deadline."""
        self.count += 1
        left = max(self.deadline.remaining(), 0.001)
        timeout = httpx.Timeout(
            connect=min(self.timeout.connect or left, left),
            read=min(self.timeout.read or left, left),
            write=min(self.timeout.write or left, left),
            pool=min(self.timeout.pool or left, left),
        )
        return {**self.call.request, "timeout": timeout}

    def answered(self, response: httpx.Response) -> httpx.Response:
        """The answer, read whole; DeadlinePassed when the deadline passed meanwhile (the
        last chunk's decoding included)."""
        request = response.request
        trace_id = _trace_id(self.call, response)
        log.debug(
            "%s: %s %s -> HTTP %d (attempt %d)%s",
            self.call.label,
            request.method,
            request.url.raw_path.decode("ascii", "replace"),
            response.status_code,
            self.count,
            f", trace id {trace_id}" if trace_id else "",
        )
        self.deadline.check()
        return response

    def failed(self, exc: Exception) -> Exception:
        log.debug(
            "%s: %s %s failed: %s (attempt %d)",
            self.call.label,
            str(self.call.request.get("method", "")).upper(),
            self.call.request.get("url", ""),
            type(exc).__name__,
            self.count,
        )
        return exc

    def wait_after(self, last: Attempt) -> float | None:
        """Seconds to wait before the next attempt, or None: no next attempt."""
        if isinstance(last, httpx.Response):
            if last.status_code not in RETRY_STATUSES:
                return None
            what = f"HTTP {last.status_code}"
            asked = retry_after_seconds(last)
            if asked is not None and asked > self.policy.max_retry_after:
                log.info(
                    "%s: %s asks to retry after %.0f s, more than the %.0f s allowed; not retrying",
                    self.call.label,
                    what,
                    min(asked, 1e12),
                    self.policy.max_retry_after,
                )
                return None
            wait = asked if asked is not None else self.policy.backoff(self.count)
        elif isinstance(last, TRANSIENT_ERRORS) and not self.deadline.passed():
            what = type(last).__name__
            wait = self.policy.backoff(self.count)
        else:
            return None
        if self.count >= self.policy.attempts:
            return None
        if wait >= self.deadline.remaining():
            log.info(
                "%s: %s; a retry in %.2f s would end past the deadline; not retrying",
                self.call.label,
                what,
                wait,
            )
            return None
        log.info(
            "%s: %s on attempt %d of %d, retrying in %.2f s",
            self.call.label,
            what,
            self.count,
            self.policy.attempts,
            wait,
        )
        return wait

    def finish(self, last: Attempt) -> Outcome:
        """The call's Outcome. An answer is parsed, then the deadline checked again: an
        answer parsed past it is UNAVAILABLE (deadline), not records, and is not recorded.
        The answer's envelope goes to the recorder when its outcome is the call's."""
        if not isinstance(last, httpx.Response):
            return self.failure(last)
        answer = outcome_from(
            self.call,
            last,
            self._sent(),
            max_body_bytes=self._max_body_bytes,
            record=self._record is not None,
        )
        if self.deadline.passed():
            return self.failure(DeadlinePassed(self.deadline))
        if answer.recording is not None and self._record is not None:
            self._record(answer.recording)
        return answer.outcome

    def failure(self, exc: Exception) -> Outcome:
        """The Outcome of a call that got no answer to parse: its one problem."""
        error = error_masked(self.error(exc), credential_forms(self._sent(), None))
        return _response_outcome(self.call.vendor, error)

    def error(self, exc: Exception) -> NormalizeError | VendorError:
        # Only the exception's type is quoted, never its text (a proxy error could quote a
        # proxy URL with its password); nothing is chained for the same reason.
        call = self.call
        if isinstance(exc, NormalizeError):  # raised by an auth flow reading a token answer
            return exc
        if isinstance(exc, _CapPassed):
            return BodyTooLarge(
                vendor=call.vendor,
                field="$",
                value=exc.size,
                detail=f"cap {exc.limit} bytes; nothing more read",
            )
        if isinstance(exc, _Undecodable):
            return BadContentEncoding(
                vendor=call.vendor, field="Content-Encoding", value=exc.coding, detail=exc.detail
            )
        if isinstance(exc, DeadlinePassed | TimeoutError) or (
            isinstance(exc, httpx.TimeoutException) and self.deadline.passed()
        ):
            message = (
                f"deadline of {self.deadline.seconds:g} s passed after "
                f"{self.deadline.elapsed():.2f} s ({self.count} attempt(s))"
            )
        else:
            message = f"{type(exc).__name__} after {self.count} attempt(s)"
        return VendorError(
            vendor=call.vendor,
            code=VendorErrorCode.UNAVAILABLE,
            vendor_message=message,
            trace_id=call.trace_id,
        )
