"""One description per vendor, and the one blocking and one asyncio client serving all five.

A ``VendorDescription`` says everything vendor-specific about live retrieval: the vendor
id, its named environments (base URLs), its generated client package, the credentials it
needs and how they become an ``httpx.Auth``, and its operations (each a request builder
returning a ``Call``). ``SyncClient`` and ``AsyncClient`` do the rest, the same for every
vendor, the way httpx's ``Client`` and ``AsyncClient`` share one ``BaseClient``: build the
generated client's httpx client (base URL, timeout, auth, transport, bounds), run the
attempts of ``_transport.Attempts`` under the call's deadline, and turn the answer into
records. A vendor's public classes only name their description and operations:

    class OpenFinanceAU(_Operations, SyncClient): ...
    class AsyncOpenFinanceAU(_Operations, AsyncClient): ...

where ``_Operations`` holds ``Operation`` descriptors: on a blocking client an operation is
a method returning ``list[BalanceRecord]``, on an asyncio client a coroutine method.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import Any, ClassVar, Generic, ParamSpec, Self, overload

import attrs
import httpx

from .._record import BalanceRecord
from . import _logs
from ._auth import Credential, InvalidCredential, VendorAuth
from ._bounded import (
    ACCEPT_ENCODING,
    CURRENT,
    BadEncoding,
    BodyTooLarge,
    Deadline,
    DeadlinePassed,
    bound,
)
from ._transport import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TIMEOUT,
    Attempts,
    Call,
    Outcome,
    RetryPolicy,
    as_timeout,
    positive_seconds,
    positive_size,
)

P = ParamSpec("P")

# What one attempt may end in, besides an answer: transport failures and the bounds.
_ATTEMPT_FAILURES = (httpx.RequestError, DeadlinePassed, BodyTooLarge, BadEncoding)


@attrs.frozen(kw_only=True)
class Operation(Generic[P]):
    """A vendor operation: ``build`` checks the caller's arguments and returns the Call.

    As a class attribute of a client it is a method: ``client.name(*args)`` sends
    ``build(*args)``; blocking on a ``SyncClient``, awaited on an ``AsyncClient``.
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
    def __get__(self, client: object, owner: type[Any]) -> Any:
        if client is None:
            return self
        if not isinstance(client, SyncClient | AsyncClient):
            raise TypeError("an Operation is a method of a SyncClient or an AsyncClient")
        send = client._send
        build = self.build

        @functools.wraps(build)
        def method(*args: Any, **kwargs: Any) -> Any:
            return send(build(*args, **kwargs))

        return method


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
        if base_url is not None and environment is not None:
            raise ValueError("give environment or base_url, not both")
        if base_url is not None:
            return base_url
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
        methods = {
            name: value
            for klass in cls.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, Operation)
        }
        if methods != dict(described.operations):
            raise TypeError(f"{cls.__name__}: its operations are not {described.vendor}'s")

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
        **credentials: Any,
    ) -> None:
        """A client of the vendor ``description`` names.

        ``**credentials``: the vendor's credential arguments (``description.credentials``),
        checked now (``InvalidCredential``, which never shows the value). ``environment``
        names a base URL of ``description.environments`` (default
        ``description.default_environment``), or ``base_url`` gives one. ``timeout``:
        seconds (or an ``httpx.Timeout``) for each connect, read, write and pool wait, 10 s
        by default. ``deadline``: seconds the whole call may take, every retry, wait and
        body read included, 30 s by default (then VendorError UNAVAILABLE, saying how long
        it took). ``max_body_bytes``: the largest decoded body read, 16 MiB by default
        (then MalformedPayload, nothing more read). ``retry``: a RetryPolicy.
        ``transport``: an httpx transport (tests).
        """
        description = self.description
        self._base_url = description.base_url(environment, base_url)
        self._timeout = as_timeout(timeout)
        self._deadline = positive_seconds(deadline, "deadline")
        self._max_body_bytes = positive_size(max_body_bytes, "max_body_bytes")
        self._retry = retry if retry is not None else RetryPolicy()
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
        )


class SyncClient(_Client):
    """The blocking client of every vendor: ``with Client(...) as c:`` or ``c.close()``."""

    _async = False

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
        attempts = self._attempts(call)
        sleep = self._retry.sleep or time.sleep
        token = CURRENT.set(attempts.deadline)
        try:
            while True:
                last: Outcome
                try:
                    last = attempts.answered(self._http.request(**attempts.request()))
                except _ATTEMPT_FAILURES as exc:
                    last = attempts.failed(exc)
                wait = attempts.wait_after(last)
                if wait is None:
                    return attempts.finish(last)
                sleep(wait)
        finally:
            CURRENT.reset(token)


class AsyncClient(_Client):
    """The asyncio client of every vendor: ``async with Client(...) as c:`` or
    ``await c.aclose()``. The whole call runs under ``asyncio.timeout(deadline)``."""

    _async = True

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
        attempts = self._attempts(call)
        sleep = self._retry.async_sleep or asyncio.sleep
        token = CURRENT.set(attempts.deadline)
        last: Outcome
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
        return attempts.finish(last)


def sent_values(client: SyncClient | AsyncClient) -> Iterable[str]:
    """What ``client`` sends as credentials (for tests that look for leaks)."""
    return tuple(client._auth.sent_values())
