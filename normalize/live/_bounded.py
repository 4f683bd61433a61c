"""Bounds on one call: a wall-clock deadline and a cap on the decoded body.

``Deadline`` is the time a call may take in all (connecting, every attempt and every wait
between attempts, reading every body). The call sets it as the current deadline
(``CURRENT``, a context variable, so threads and asyncio tasks each see their own) and two
things keep to it:

* ``DeadlineBackend``, the network backend of the blocking clients' connection pool, gives
  every socket operation (connect, TLS, each read and write) at most the time left, so a
  server trickling its headers or body a byte at a time is cut off at the deadline, not
  after one read timeout per byte. (The asyncio clients put the whole call under
  ``asyncio.timeout``.)
* ``BoundedTransport`` reads the body: between chunks it checks the deadline, and it undoes
  the ``Content-Encoding`` itself (gzip, deflate, brotli when the ``brotli`` package is
  there) in bounded steps, so the decoded body never grows past ``max_body_bytes``: a
  compression bomb or an endless chunked body stops at the cap without another byte read.
  At most ``MAX_CODINGS`` codings are undone: a ``Content-Encoding`` stacking more (``gzip,
  gzip, gzip, gzip, ...``) is refused before a byte of the body is read or a decoder is
  made. httpx then sees a plain body (no ``Content-Encoding``), so it decodes nothing
  again, also for the token answers an auth flow reads.

The signals raised here are internal (``_CapPassed``, ``_Undecodable``): the transport turns
them into the public ``normalize.BodyTooLarge`` and ``normalize.BadContentEncoding``.

The pool and proxy transports an httpx client builds are reached through private
attributes of httpx 0.28 and httpcore 1.0 (both pinned); the hostile-server tests fail if
a new version moves them.
"""

from __future__ import annotations

import contextvars
import ssl
import time
import typing
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import httpcore
import httpx

try:
    import brotli  # type: ignore[import-untyped]

    _BROTLI_BOUNDED = "output_buffer_limit" in (brotli.Decompressor.process.__doc__ or "")
except ImportError:  # pragma: no cover - brotli comes with the live extra
    _BROTLI_BOUNDED = False

_CORRUPT: tuple[type[Exception], ...] = (
    (zlib.error, brotli.error) if _BROTLI_BOUNDED else (zlib.error,)
)

ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI_BOUNDED else "gzip, deflate"
"""What the clients ask for: only codings decoded here in bounded steps."""


class Deadline:
    """The end of a call's time, on the monotonic clock."""

    __slots__ = ("_clock", "seconds", "start")

    def __init__(self, seconds: float, *, clock: typing.Callable[[], float] = time.monotonic):
        self._clock = clock
        self.seconds = seconds
        self.start = clock()

    def elapsed(self) -> float:
        return self._clock() - self.start

    def remaining(self) -> float:
        return self.seconds - self.elapsed()

    def passed(self) -> bool:
        return self.remaining() <= 0

    def check(self) -> None:
        if self.passed():
            raise DeadlinePassed(self)


CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "normalize_live_deadline", default=None
)


class DeadlinePassed(Exception):
    """The call's deadline passed while it was still reading."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(f"deadline of {deadline.seconds:g} s passed")
        self.deadline = deadline


MAX_CODINGS = 3
"""The most content codings one answer may stack (``gzip, br`` is two); more is refused."""


class _CapPassed(Exception):
    """Internal signal: the decoded body grew past the cap (``size`` bytes when seen; the
    transport raises it as ``normalize.BodyTooLarge``)."""

    def __init__(self, limit: int, size: int) -> None:
        super().__init__(f"body larger than {limit} bytes")
        self.limit = limit
        self.size = size


class _Undecodable(Exception):
    """Internal signal: a ``Content-Encoding`` the clients did not ask for, stacked deeper
    than ``MAX_CODINGS``, or a body that is not what its coding says (the transport raises
    it as ``normalize.BadContentEncoding``)."""

    def __init__(self, coding: str, detail: str) -> None:
        super().__init__(f"content coding: {detail}")
        self.coding = coding
        self.detail = detail


# --- decoding in bounded steps --------------------------------------------------------------


class _Stage:
    """One content coding undone; ``decode`` raises _CapPassed past ``limit`` bytes out."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.produced = 0

    def _count(self, chunk: bytes) -> bytes:
        self.produced += len(chunk)
        if self.produced > self.limit:
            raise _CapPassed(self.limit, self.produced)
        return chunk

    def room(self) -> int:
        # One byte more than may still come out, so that going over shows.
        return self.limit - self.produced + 1

    def decode(self, data: bytes) -> bytes:
        return self._count(data)

    def flush(self) -> bytes:
        return b""


class _Zlib(_Stage):
    def __init__(self, limit: int, wbits: int, *, raw_fallback: bool = False) -> None:
        super().__init__(limit)
        self._decompressor = zlib.decompressobj(wbits)
        # "deflate" is the zlib format (RFC 9110), but some servers send raw deflate;
        # httpx accepts both, and so does this.
        self._raw_fallback = raw_fallback
        self._started = False

    def decode(self, data: bytes) -> bytes:
        parts = []
        while data and not self._decompressor.eof:
            try:
                out = self._decompressor.decompress(data, self.room())
            except zlib.error:
                if self._raw_fallback and not self._started:
                    self._raw_fallback = False
                    self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise
            self._started = True
            parts.append(self._count(out))
            data = self._decompressor.unconsumed_tail
        return b"".join(parts)

    def flush(self) -> bytes:
        out = self._count(self._decompressor.flush(self.room()))
        if self._started and not self._decompressor.eof:
            # A cut body: zlib would hand over what it has without a word.
            raise zlib.error("the compressed body ends before its end")
        return out


class _Brotli(_Stage):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self._decompressor = brotli.Decompressor()
        self._started = False

    def decode(self, data: bytes) -> bytes:
        self._started = self._started or bool(data)
        parts = [self._count(self._decompressor.process(data, output_buffer_limit=self.room()))]
        while not self._decompressor.can_accept_more_data():
            parts.append(
                self._count(self._decompressor.process(b"", output_buffer_limit=self.room()))
            )
        return b"".join(parts)

    def flush(self) -> bytes:
        if self._started and not self._decompressor.is_finished():
            raise brotli.error("the compressed body ends before its end")
        return b""


def _clipped(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 3] + "..."


def _stages(content_encoding: str | None, limit: int) -> list[_Stage]:
    # The raw bytes are held to the cap too: no honest compressed body is larger than what
    # it decodes to by much, and an endless one must stop somewhere.
    stages = [_Stage(limit)]
    header = content_encoding or ""
    # Counted before anything is made: a header of 5,000 codings costs one pass over it.
    if header.count(",") >= MAX_CODINGS:
        listed = sum(1 for part in header.split(",") if part.strip())
        if listed > MAX_CODINGS:
            raise _Undecodable(
                _clipped(header),
                f"{listed} content codings stacked; at most {MAX_CODINGS} are decoded",
            )
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    # Codings are listed in the order applied: undo the last first.
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            stages.append(_Zlib(limit, 16 + zlib.MAX_WBITS))
        elif coding == "deflate":
            stages.append(_Zlib(limit, zlib.MAX_WBITS, raw_fallback=True))
        elif coding == "br" and _BROTLI_BOUNDED:
            stages.append(_Brotli(limit))
        else:
            raise _Undecodable(_clipped(coding), "not asked for, not decoded")
    return stages


class BoundedBody:
    """The decoded body of one response, chunk by chunk, never more than ``limit`` bytes."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self._coding = _clipped(content_encoding or "identity")
        self._stages = _stages(content_encoding, limit)
        self._deadline = CURRENT.get()

    def feed(self, chunk: bytes) -> bytes:
        if self._deadline is not None:
            self._deadline.check()
        try:
            for stage in self._stages:
                chunk = stage.decode(chunk)
        except _CORRUPT as exc:
            raise _Undecodable(self._coding, "the body does not decode") from exc
        return chunk

    def flush(self) -> bytes:
        carry = b""
        try:
            for stage in self._stages:
                carry = (stage.decode(carry) if carry else b"") + stage.flush()
        except _CORRUPT as exc:
            raise _Undecodable(self._coding, "the body does not decode") from exc
        return carry


class _SyncBody(httpx.SyncByteStream):
    def __init__(self, raw: Iterable[bytes], body: BoundedBody, closing: Any) -> None:
        self._raw, self._body, self._closing = raw, body, closing

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._raw:
            decoded = self._body.feed(chunk)
            if decoded:
                yield decoded
        yield self._body.flush()

    def close(self) -> None:
        self._closing.close()


class _AsyncBody(httpx.AsyncByteStream):
    def __init__(self, raw: typing.AsyncIterable[bytes], body: BoundedBody, closing: Any):
        self._raw, self._body, self._closing = raw, body, closing

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._raw:
            decoded = self._body.feed(chunk)
            if decoded:
                yield decoded
        yield self._body.flush()

    async def aclose(self) -> None:
        await self._closing.aclose()


def _plain_headers(response: httpx.Response) -> list[tuple[bytes, bytes]]:
    # The body handed on is decoded: its coding and length headers no longer apply.
    dropped = (b"content-encoding", b"content-length")
    return [(k, v) for k, v in response.headers.raw if k.lower() not in dropped]


class BoundedTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport (blocking or asyncio): bodies come out decoded and capped."""

    def __init__(self, inner: Any, max_body_bytes: int) -> None:
        self._inner = inner
        self._limit = max_body_bytes

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = self._inner.handle_request(request)
        try:
            body = BoundedBody(response.headers.get("content-encoding"), self._limit)
        except _Undecodable:
            response.close()
            raise
        stream = _SyncBody(typing.cast(Iterable[bytes], response.stream), body, response.stream)
        return httpx.Response(
            response.status_code,
            headers=_plain_headers(response),
            stream=stream,
            extensions=response.extensions,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response: httpx.Response = await self._inner.handle_async_request(request)
        try:
            body = BoundedBody(response.headers.get("content-encoding"), self._limit)
        except _Undecodable:
            await response.aclose()
            raise
        raw = typing.cast(typing.AsyncIterable[bytes], response.stream)
        return httpx.Response(
            response.status_code,
            headers=_plain_headers(response),
            stream=_AsyncBody(raw, body, response.stream),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()

    async def aclose(self) -> None:
        await self._inner.aclose()


# --- socket operations within the deadline (blocking clients) --------------------------------


def _within_deadline(timeout: float | None) -> float | None:
    deadline = CURRENT.get()
    if deadline is None:
        return timeout
    # Never 0: a zero socket timeout means non-blocking, which would fail differently.
    left = max(deadline.remaining(), 0.001)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _within_deadline(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _within_deadline(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, _within_deadline(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's blocking backend with every socket operation held to the deadline."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_tcp(
                host, port, _within_deadline(timeout), local_address, socket_options
            )
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._inner.connect_unix_socket(path, _within_deadline(timeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound(client: httpx.Client | httpx.AsyncClient, max_body_bytes: int) -> None:
    """Puts every transport of ``client`` (its own and its proxy mounts) behind the cap,
    and the blocking pools' sockets under the deadline."""
    target: Any = client
    target._transport = BoundedTransport(_with_deadline(client._transport), max_body_bytes)
    target._mounts = {
        pattern: None
        if mounted is None
        else BoundedTransport(_with_deadline(mounted), max_body_bytes)
        for pattern, mounted in client._mounts.items()
    }


def _with_deadline(transport: Any) -> Any:
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, DeadlineBackend):
        pool._network_backend = DeadlineBackend(backend)  # type: ignore[union-attr]
    return transport
