"""One description per vendor, and the one blocking and one asyncio client serving all five.

A ``VendorDescription`` says everything vendor-specific about live retrieval: the vendor
id, its named environments (base URLs), its generated client package, the credentials it
needs and how they become an ``httpx.Auth``, and its operations (each a request builder
returning a ``Call``). ``SyncClient`` and ``AsyncClient`` do the rest, the same for every
vendor, the way httpx's ``Client`` and ``AsyncClient`` share one ``BaseClient``: build the
generated client's httpx client (base URL, timeout, auth, transport, bounds), run the
attempts of ``_transport.Attempts`` under the call's deadline, and turn the answer into an
``Outcome``. A vendor's public classes only name their description and operations:

    class OpenFinanceAU(_Operations, SyncClient):
        description = DESCRIPTION
        outcome = OutcomeForm(OpenFinanceAUOutcomes)

    class OpenFinanceAUOutcomes(_Operations, SyncOutcomes): ...

where ``_Operations`` holds ``Operation`` descriptors. An operation is a method of each of
four classes: on a blocking client it returns ``list[BalanceRecord]`` (the strict form), on
an asyncio client it is a coroutine method returning that; on the client's ``outcome``
(a ``SyncOutcomes`` / ``AsyncOutcomes``) it returns the call's ``Outcome`` (or a coroutine
of it). The strict form is the outcome form's records, or its first problem raised: one
path.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import os
import threading
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import IO, Any, ClassVar, Generic, ParamSpec, Self, TypeVar, overload

import attrs
import httpx

from .._envelope import DEFAULT_MAX_BODY_BYTES, Envelope
from .._errors import InvalidCredential, NormalizeError
from .._outcome import Outcome
from .._record import BalanceRecord
from . import _logs
from ._auth import Credential, VendorAuth
from ._bounded import (
    ACCEPT_ENCODING,
    CURRENT,
    Deadline,
    DeadlinePassed,
    _CapPassed,
    _Undecodable,
    bound,
)
from ._transport import (
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    Attempt,
    Attempts,
    Call,
    Recorder,
    RetryPolicy,
    as_timeout,
    positive_seconds,
    positive_size,
    strict,
)

P = ParamSpec("P")
V = TypeVar("V", bound="SyncOutcomes | AsyncOutcomes")

# What one attempt may end in, besides an answer: transport failures, the bounds, and a
# token answer an auth flow could not read (NormalizeError).
_ATTEMPT_FAILURES = (httpx.RequestError, DeadlinePassed, _CapPassed, _Undecodable, NormalizeError)

RecordTo = str | os.PathLike[str] | Callable[[dict[str, Any]], object]
"""Where a client records its answers: a file path (JSON Lines, appended) or a callable
given each envelope's JSON-ready dict."""


@attrs.frozen(kw_only=True)
class Operation(Generic[P]):
    """A vendor operation: ``build`` checks the caller's arguments and returns the Call.

    As a class attribute of a client it is a method: ``client.name(*args)`` sends
    ``build(*args)``; blocking on a ``SyncClient``, awaited on an ``AsyncClient``; on the
    client's ``outcome`` it returns the call's Outcome instead of its records.
    """

    operation_id: str
    build: Callable[P, Call]

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Operation[P]: ...
    @overload
    def __get__(self, client: SyncClient, owner: type[Any]) -> Callable[P, list[BalanceRecord]]: ...
    @overload
    def __get__(
        self, client: AsyncClient, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, list[BalanceRecord]]]: ...
    @overload
    def __get__(self, client: SyncOutcomes, owner: type[Any]) -> Callable[P, Outcome]: ...
    @overload
    def __get__(
        self, client: AsyncOutcomes, owner: type[Any]
    ) -> Callable[P, Coroutine[Any, Any, Outcome]]: ...
    def __get__(self, client: object, owner: type[Any]) -> Any:
        if client is None:
            return self
        send: Callable[[Call], Any]
        if isinstance(client, SyncClient | AsyncClient):
            send = client._send
        elif isinstance(client, SyncOutcomes | AsyncOutcomes):
            send = client._client._outcome
        else:
            raise TypeError("an Operation is a method of a live client or of its outcome form")
        build = self.build

        @functools.wraps(build)
        def method(*args: Any, **kwargs: Any) -> Any:
            return send(build(*args, **kwargs))

        return method


def _checked_base_url(base_url: object) -> str:
    """``base_url`` if it is an absolute http(s) URL with a host, else ValueError naming the
    problem (never the URL itself: it could hold a password)."""
    what = "base_url must be an absolute http:// or https:// URL"
    if not isinstance(base_url, str):
        raise ValueError(f"{what}, not {type(base_url).__name__}")
    if not base_url.strip():
        raise ValueError(f"{what}; it is empty")
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ValueError(f"{what}; it does not parse as a URL") from None
    if not url.scheme:
        raise ValueError(f"{what}; it has no scheme (write https://host/...)")
    if url.scheme not in ("http", "https"):
        scheme = url.scheme if len(url.scheme) <= 20 else url.scheme[:17] + "..."
        raise ValueError(f"{what}; its scheme is {scheme!r}")
    if not url.host:
        raise ValueError(f"{what}; it has no host")
    if url.userinfo:
        # A password there would stand in reprs, errors and httpx's own log lines.
        raise ValueError(f"{what} without a user or password in it (give credentials as such)")
    if url.query or url.fragment or "?" in base_url or "#" in base_url:
        raise ValueError(f"{what} without a query or fragment (operations add their paths)")
    try:
        port = url.port
    except (httpx.InvalidURL, ValueError):
        port = -1
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"{what}; its port is not 1-65535")
    return base_url


@attrs.frozen(kw_only=True)
class VendorDescription:
    """Everything live retrieval needs to know about one vendor.

    ``environments`` names base URLs (``"production"``, ``"sandbox"``, ...);
    ``default_environment`` is the one a client uses unless told. ``credentials`` are the
    keyword arguments a client takes for its auth, and ``auth(vendor, base_url,
    credentials)`` builds the ``httpx.Auth`` from them (checking each, ``InvalidCredential``
    for a bad one). ``operations`` maps each client method name to its ``Operation``.
    """

    vendor: str
    title: str
    environments: Mapping[str, str]
    generated_client: Callable[..., Any]
    credentials: tuple[Credential, ...]
    auth: Callable[[str, str, Mapping[str, Any]], VendorAuth]
    operations: Mapping[str, Operation[Any]]
    default_environment: str = "production"

    def base_url(self, environment: str | None, base_url: str | None) -> str:
        """The base URL a client sends to: ``base_url`` (an absolute http(s) URL with a
        host, else ValueError) or the named environment's."""
        if base_url is not None and environment is not None:
            raise ValueError("give environment or base_url, not both")
        if base_url is not None:
            return _checked_base_url(base_url)
        name = environment if environment is not None else self.default_environment
        if name not in self.environments:
            raise ValueError(
                f"{self.vendor}: unknown environment {name!r}; "
                f"known: {', '.join(self.environments)}"
            )
        return self.environments[name]

    def credentials_from(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The credential arguments, each named by the description (TypeError otherwise:
        the message names arguments, never values)."""
        known = {c.name for c in self.credentials}
        unknown = sorted(set(given) - known)
        if unknown:
            raise TypeError(f"{self.title} got unexpected arguments: {', '.join(unknown)}")
        missing = [c.name for c in self.credentials if not c.optional and given.get(c.name) is None]
        if missing:
            raise TypeError(f"{self.title} needs the credentials {', '.join(missing)}")
        return {name: value for name, value in given.items() if value is not None}


def operations_of(holder: type) -> dict[str, Operation[Any]]:
    """The ``Operation`` attributes of a class, by name: a description's operations."""
    return {name: value for name, value in vars(holder).items() if isinstance(value, Operation)}


def _operations_in(cls: type) -> dict[str, Operation[Any]]:
    return {
        name: value
        for klass in reversed(cls.__mro__)
        for name, value in vars(klass).items()
        if isinstance(value, Operation)
    }


# --- recording ----------------------------------------------------------------------------------


class _FileRecorder:
    """Appends each envelope to a JSON Lines file as one line, flushed at once. One lock
    per client: lines from its threads never interleave (one writer per file)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file: IO[bytes] = open(path, "ab")  # noqa: SIM115 - closed by the client
        self._lock = threading.Lock()

    def __call__(self, envelope: Envelope) -> None:
        line = (envelope.to_line() + "\n").encode("utf-8")
        with self._lock:
            self._file.write(line)
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()


def _recorder(record: RecordTo | None) -> Recorder | None:
    if record is None:
        return None
    if isinstance(record, str | os.PathLike):
        return _FileRecorder(record)
    if inspect.iscoroutinefunction(record) or inspect.iscoroutinefunction(
        getattr(record, "__call__", None)  # noqa: B004 - an object whose __call__ is async
    ):
        # Its coroutine would never be awaited: nothing would be recorded, silently.
        raise TypeError("record: a plain callable (it is called, never awaited), not async")
    target = record

    def call(envelope: Envelope) -> None:
        target(envelope.to_json())

    return call


# --- the outcome form ----------------------------------------------------------------------------


class SyncOutcomes:
    """A blocking client's operations in their outcome form (``client.outcome``): each
    returns the call's ``Outcome``, every record and every problem of the answer, and never
    raises for what the vendor or the network did (a transport failure or the deadline is
    one VendorError UNAVAILABLE problem). It raises only for what the caller did wrong
    (``InvalidRequest``, refused before sending; a TypeError)."""

    __slots__ = ("_client",)

    def __init__(self, client: SyncClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class AsyncOutcomes:
    """An asyncio client's operations in their outcome form (``client.outcome``): each is a
    coroutine returning the call's ``Outcome``; as ``SyncOutcomes``."""

    __slots__ = ("_client",)

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class OutcomeForm(Generic[V]):
    """``client.outcome``: the client's operations as a ``V`` (a ``SyncOutcomes`` or
    ``AsyncOutcomes`` subclass holding the same operations), each returning an Outcome."""

    def __init__(self, form: type[V]) -> None:
        self.form = form

    @overload
    def __get__(self, client: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, client: SyncClient | AsyncClient, owner: type[Any]) -> V: ...
    def __get__(self, client: SyncClient | AsyncClient | None, owner: type[Any]) -> Self | V:
        if client is None:
            return self
        form: Any = self.form
        made: V = form(client)
        return made


# --- the clients ------------------------------------------------------------------------------


class _Client:
    """What the blocking and asyncio clients share: everything but sending."""

    description: ClassVar[VendorDescription]
    _async: ClassVar[bool]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        described = getattr(cls, "description", None)
        if described is None:
            return
        # The class's methods are the description's operations, no more and no fewer.
        if _operations_in(cls) != dict(described.operations):
            raise TypeError(f"{cls.__name__}: its operations are not {described.vendor}'s")
        # And its outcome form holds them too, returning outcomes the same way (blocking or
        # asyncio) as the class's own methods.
        found = inspect.getattr_static(cls, "outcome", None)
        if not isinstance(found, OutcomeForm):
            raise TypeError(f"{cls.__name__}: needs its outcome form (outcome = OutcomeForm(...))")
        expected = AsyncOutcomes if cls._async else SyncOutcomes
        if not issubclass(found.form, expected):
            raise TypeError(
                f"{cls.__name__}.outcome: {found.form.__name__} is no {expected.__name__}"
            )
        if _operations_in(found.form) != dict(described.operations):
            raise TypeError(f"{cls.__name__}.outcome: {found.form.__name__} has other operations")

    def __init__(
        self,
        *,
        environment: str | None = None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        deadline: float = DEFAULT_DEADLINE,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        record: RecordTo | None = None,
        **credentials: Any,
    ) -> None:
        """A client of the vendor ``description`` names.

        ``**credentials``: the vendor's credential arguments (``description.credentials``),
        checked now (``InvalidCredential``, which never shows the value). ``environment``
        names a base URL of ``description.environments`` (default
        ``description.default_environment``), or ``base_url`` gives one: an absolute
        ``http://`` or ``https://`` URL with a host (ValueError naming the problem
        otherwise). ``timeout``: seconds (or an ``httpx.Timeout``) for each connect, read,
        write and pool wait, 10 s by default.

        ``deadline``: seconds the whole call may take, 30 s by default: every retry, wait and
        body read, and the decoding and mapping of the answer (the deadline is checked after
        the body is read and again after it is parsed, so a call overruns it by at most one
        parse of a body under the cap, and never returns records found after it); then
        VendorError UNAVAILABLE, saying how long it took. ``max_body_bytes``: the largest
        decoded body read, 16 MiB by default (then ``BodyTooLarge``, nothing more read); at
        most three content codings are undone (more: ``BadContentEncoding``, before a byte
        of the body is decoded). ``retry``: a RetryPolicy. ``transport``: an httpx
        transport (tests).

        ``record``: a file path, to which the envelope of each call's final balance answer
        is appended as one JSON line (a capture line that ``python -m normalize batch FILE``
        replays), flushed per line; or a plain callable, given each envelope's JSON-ready
        dict (an async one is refused: it would never be awaited). Authentication answers
        (Finicity's createToken), transport failures and answers parsed past the deadline
        are not recorded. Every credential form the client sent (8 characters or more) is
        masked (``********``) in what is recorded, body included; an answer whose body
        still holds a credential in another spelling (a shorter one, an escape the masking
        does not know) is not recorded at all, and a warning on the ``normalize.live`` log
        says so. The file is opened now (in append mode; one writer at a time) and closed
        with the client; writing it happens after the deadline check and is not bounded by
        it. What the recorder raises (a full disk) is raised by the call, in either form.
        """
        description = self.description
        self._base_url = description.base_url(environment, base_url)
        self._timeout = as_timeout(timeout)
        self._deadline = positive_seconds(deadline, "deadline")
        self._max_body_bytes = positive_size(max_body_bytes, "max_body_bytes")
        self._retry = retry if retry is not None else RetryPolicy()
        if record is not None and not (isinstance(record, str | os.PathLike) or callable(record)):
            raise TypeError(f"record: a file path or a callable, not {type(record).__name__}")
        try:
            self._auth = description.auth(
                description.vendor, self._base_url, description.credentials_from(credentials)
            )
        except InvalidCredential as exc:
            # Raised anew here: nothing from inside the check (where the value was) is
            # chained to it.
            raise InvalidCredential(
                vendor=description.vendor, credential=exc.credential, detail=exc.detail
            ) from None
        _logs.watch(self._auth)
        httpx_args: dict[str, Any] = {"auth": self._auth}
        if transport is not None:
            httpx_args["transport"] = transport
        # The generated client holds the httpx client: base URL, timeout, transport, auth.
        self._generated: Any = description.generated_client(
            base_url=self._base_url,
            timeout=self._timeout,
            # Only the codings _bounded decodes in bounded steps.
            headers={"Accept-Encoding": ACCEPT_ENCODING},
            httpx_args=httpx_args,
            raise_on_unexpected_status=False,
        )
        self._http: Any = (
            self._generated.get_async_httpx_client()
            if self._async
            else self._generated.get_httpx_client()
        )
        bound(self._http, self._max_body_bytes)
        # Last: nothing above can fail and leave the file open.
        self._recorder = _recorder(record)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, deadline={self._deadline:g}, "
            f"max_body_bytes={self._max_body_bytes}, auth={self._auth!r})"
        )

    def _attempts(self, call: Call) -> Attempts:
        return Attempts(
            call,
            policy=self._retry,
            timeout=self._timeout,
            deadline=Deadline(self._deadline),
            sent=self._auth.sent_values,
            max_body_bytes=self._max_body_bytes,
            record=self._recorder,
        )

    def _close_recorder(self) -> None:
        if isinstance(self._recorder, _FileRecorder):
            self._recorder.close()


class SyncClient(_Client):
    """The blocking client of every vendor: ``with Client(...) as c:`` or ``c.close()``.

    ``c.<operation>(...)`` returns the records (or raises the answer's first problem);
    ``c.outcome.<operation>(...)`` returns the call's ``Outcome``.
    """

    _async = False

    def close(self) -> None:
        try:
            self._http.close()
        finally:
            self._close_recorder()

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
        return strict(self._outcome(call))

    def _outcome(self, call: Call) -> Outcome:
        attempts = self._attempts(call)
        sleep = self._retry.sleep or time.sleep
        token = CURRENT.set(attempts.deadline)
        try:
            while True:
                last: Attempt
                try:
                    last = attempts.answered(self._http.request(**attempts.request()))
                except _ATTEMPT_FAILURES as exc:
                    last = attempts.failed(exc)
                wait = attempts.wait_after(last)
                if wait is None:
                    break
                sleep(wait)
        finally:
            CURRENT.reset(token)
        return attempts.finish(last)


class AsyncClient(_Client):
    """The asyncio client of every vendor: ``async with Client(...) as c:`` or
    ``await c.aclose()``. Sending, every retry and wait, and reading the answer run under
    ``asyncio.timeout(deadline)``; the parse that follows is checked against the deadline
    when it ends (it runs on the event loop, at most one parse of a body under the cap);
    ``await c.<operation>(...)`` returns the records, ``await c.outcome.<operation>(...)``
    the call's ``Outcome``."""

    _async = True

    async def aclose(self) -> None:
        try:
            await self._http.aclose()
        finally:
            self._close_recorder()

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
        return strict(await self._outcome(call))

    async def _outcome(self, call: Call) -> Outcome:
        attempts = self._attempts(call)
        sleep = self._retry.async_sleep or asyncio.sleep
        token = CURRENT.set(attempts.deadline)
        last: Attempt
        try:
            async with asyncio.timeout(attempts.deadline.remaining()):
                while True:
                    try:
                        last = attempts.answered(await self._http.request(**attempts.request()))
                    except _ATTEMPT_FAILURES as exc:
                        last = attempts.failed(exc)
                    if (wait := attempts.wait_after(last)) is None:
                        break
                    await sleep(wait)
        except TimeoutError as exc:
            last = attempts.failed(exc)
        finally:
            CURRENT.reset(token)
        # Parsed outside the timeout (it cannot interrupt a parse), then the deadline is
        # checked again (Attempts.finish).
        return attempts.finish(last)


def sent_values(client: SyncClient | AsyncClient) -> Iterable[str]:
    """What ``client`` sends as credentials (for tests that look for leaks)."""
    return tuple(client._auth.sent_values())
