"""A hostile HTTP server on 127.0.0.1 for the live clients' bounds, started and stopped by the
tests that use it (``hostile_server``).

It speaks HTTP/1.1 over a plain socket, so it can misbehave in ways a framework would not
let it: trickle its status line and headers or its body a byte at a time, send compression
bombs (gzip, deflate, brotli) and an endless chunked body, answer 429 with any
``Retry-After``, and echo the request it got. What it does is chosen by the first path
segment of the request (``/<scenario>/...``): the clients get ``base_url =
http://127.0.0.1:<port>/<scenario>``. A Finicity token request (path ending in
``/partners/authentication``) is answered with a token (``TOKEN``) unless the scenario's
name starts with ``token-``, so that the scenario meets the balance call.

Besides its own scenarios, a test can give the server answers of its own
(``Hostile.answer``): for a scenario name, the answer to each request path (by suffix), or a
function of the request received.
"""

from __future__ import annotations

import contextlib
import functools
import json
import resource
import socketserver
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

TOKEN_SUFFIX = "/partners/authentication"
# The app token the server hands out: shaped like a real one, so that a leak would show.
TOKEN = "Hq3vT9zK2mW8xN4pR6sY1cB5"
TRICKLE_SECONDS = 0.1
# No handler runs longer than this, whatever the client does.
HANDLER_LIMIT_SECONDS = 30.0
MiB = 1024 * 1024


@functools.cache
def zlib_blocks(wbits: int) -> tuple[bytes, bytes]:
    """(start, block): the start of a zlib/gzip stream holding 1 MiB of zeros, and a block
    that, repeated after it, adds 1 MiB of zeros each time (a full flush resets the
    compressor, so every later block is the same bytes)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(MiB)
    start = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return start, block


@functools.cache
def brotli_bomb() -> bytes:
    """256 MiB of zeros, brotli-compressed: a few hundred bytes."""
    import brotli

    return bytes(brotli.compress(bytes(256 * MiB), quality=5))


def bomb(coding: str, compressed_size: int) -> bytes:
    """About ``compressed_size`` bytes of ``coding`` that decode to about 1000 times as
    much (brotli: a fixed few hundred bytes for 256 MiB)."""
    if coding == "br":
        return brotli_bomb()
    start, block = zlib_blocks(31 if coding == "gzip" else 15)
    return start + block * max(1, (compressed_size - len(start)) // len(block))


STACKED_CODINGS = 5000

# An answer a test gives the server: (status, headers, body).
Canned = tuple[int, dict[str, str], bytes]
# For a scenario: the answer to each request path (by suffix, in order), or a function of
# the request received (its head and body).
Given = dict[str, Canned] | Callable[[bytes, bytes], Canned]

# In the order a storm serves them: shapes of no use first (each falls back to backoff),
# past dates and zero (no wait), then waits too long to be waited for, which end it.
RETRY_AFTER_SHAPES = (
    "-5",
    "-99999999999999999999",
    "1.5",
    "soon",
    "",
    "   ",
    "0x10",
    "\u0661\u0662",  # Arabic-Indic digits: isdigit() is true, but they are not ASCII
    "Fri, 31 Dec 99999 23:59:59 GMT",
    "Wed, 32 Foo 2026 25:61:61 GMT",
    "Tue, 01 Jan 9999 00:00:00 +9999",
    "Mon, 01 Jan 0001 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "0",
    "9" * 400,
    "9" * 5000,
    "Fri, 31 Dec 9999 23:59:59 GMT",
)


@dataclass
class Seen:
    """What the server received: every request's head and body."""

    requests: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, data: bytes) -> None:
        with self.lock:
            self.requests.append(data)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.request.settimeout(HANDLER_LIMIT_SECONDS)
        self.started = time.monotonic()
        with contextlib.suppress(OSError):
            while not self.server.stopping.is_set():
                received = self._read_request()
                if received is None:
                    return
                head, body = received
                self.server.seen.add(head + body)
                target = head.split(b" ", 2)[1].decode("latin-1")
                scenario = target.split("/")[1]
                if target.split("?")[0].endswith(TOKEN_SUFFIX) and not scenario.startswith(
                    "token-"
                ):
                    token = json.dumps({"token": TOKEN}).encode()
                    self._send(200, {"Content-Type": "application/json"}, token)
                    continue
                given = self.server.answers.get(scenario)
                if given is not None:
                    self._given(given, target, head, body)
                    continue
                getattr(self, "scenario_" + scenario.replace("-", "_"))(head, body)
                return

    def _given(self, given: Given, target: str, head: bytes, body: bytes) -> None:
        path = target.split("?")[0]
        if callable(given):
            status, headers, content = given(head, body)
        else:
            for suffix, answer in given.items():
                if path.endswith(suffix):
                    status, headers, content = answer
                    break
            else:
                status, headers, content = 404, {"Content-Type": "text/plain"}, b"no answer"
        self._send(status, headers, content)

    def _read_request(self) -> tuple[bytes, bytes] | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = self.request.recv(65536)
            if not chunk:
                return None
            body += chunk
        return head + b"\r\n\r\n", body

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        lines = [f"HTTP/1.1 {status} X"]
        lines += [f"{k}: {v}" for k, v in {**headers, "Content-Length": str(len(body))}.items()]
        self.request.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body)

    def _alive(self) -> bool:
        return (
            not self.server.stopping.is_set()
            and time.monotonic() - self.started < HANDLER_LIMIT_SECONDS
        )

    def _trickle(self, data: bytes) -> None:
        for i in range(len(data)):
            if not self._alive():
                return
            self.request.sendall(data[i : i + 1])
            time.sleep(TRICKLE_SECONDS)

    # --- scenarios -----------------------------------------------------------------------------

    def scenario_trickle_body(self, head: bytes, body: bytes) -> None:
        payload = b'{"balance": ' + b" " * 100_000 + b"}"
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(payload)}\r\n\r\n".encode()
        )
        self._trickle(payload)

    def scenario_trickle_headers(self, head: bytes, body: bytes) -> None:
        self._trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000 + b"\r\n\r\n")

    def _bomb(self, coding: str) -> None:
        payload = bomb(coding, 512 * 1024)
        self._send(200, {"Content-Type": "application/json", "Content-Encoding": coding}, payload)

    def scenario_gzip(self, head: bytes, body: bytes) -> None:
        self._bomb("gzip")

    def scenario_token_gzip(self, head: bytes, body: bytes) -> None:
        self._bomb("gzip")

    def scenario_deflate(self, head: bytes, body: bytes) -> None:
        self._bomb("deflate")

    def scenario_br(self, head: bytes, body: bytes) -> None:
        self._bomb("br")

    def scenario_endless_gzip(self, head: bytes, body: bytes) -> None:
        start, block = zlib_blocks(31)
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        self._chunks(lambda n: start if n == 0 else block)

    def scenario_endless(self, head: bytes, body: bytes) -> None:
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"[" * 65536
        self._chunks(lambda n: piece)

    def _chunks(self, chunk: Callable[[int], bytes]) -> None:
        n = 0
        while self._alive():
            data = chunk(n)
            self.request.sendall(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            n += 1

    def scenario_storm(self, head: bytes, body: bytes) -> None:
        with self.server.seen.lock:
            turn = self.server.storm_turn
            self.server.storm_turn += 1
        shape = RETRY_AFTER_SHAPES[turn % len(RETRY_AFTER_SHAPES)]
        self._send(
            429,
            {"Content-Type": "text/plain", "Retry-After": shape},
            b"Too Many Requests",
        )

    def scenario_storm_future(self, head: bytes, body: bytes) -> None:
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
        self._send(429, {"Content-Type": "text/plain", "Retry-After": when}, b"Slow down")

    def _echo(self, status: int, wrap: Callable[[str], bytes], content_type: str) -> None:
        text = (self.server.seen.requests[-1]).decode("utf-8", "replace")
        # The request in the body, and its auth headers in response headers too.
        headers = {"Content-Type": content_type}
        for line in text.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.lower() in ("authorization", "finicity-app-key", "finicity-app-token"):
                headers["X-Echo-" + name] = value.strip()
        self._send(status, headers, wrap(text))

    def scenario_echo_text(self, head: bytes, body: bytes) -> None:
        self._echo(400, lambda text: text.encode(), "text/plain")

    def scenario_echo_200(self, head: bytes, body: bytes) -> None:
        self._echo(200, lambda text: text.encode(), "application/json")

    def scenario_echo_json(self, head: bytes, body: bytes) -> None:
        # The echo as the message of every vendor's error form at once.
        def wrap(text: str) -> bytes:
            return json.dumps(
                {
                    "code": "10022",
                    "message": text,
                    "error": {"message": text, "tokenTraceId": text[:60]},
                    "Errors": {
                        "Error": [{"ReasonCode": "AUTHENTICATION_FAILED", "Description": text}]
                    },
                }
            ).encode()

        self._echo(401, wrap, "application/json")

    def scenario_token_echo_text(self, head: bytes, body: bytes) -> None:
        self._echo(400, lambda text: text.encode(), "text/plain")

    def scenario_stacked_codings(self, head: bytes, body: bytes) -> None:
        # 5,000 gzip layers named, then a body without end: only refusing the header before
        # reading (or making a decoder per layer) ends this quickly and small.
        codings = ", ".join(["gzip"] * STACKED_CODINGS)
        self.request.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Encoding: {codings}\r\n".encode()
            + b"Transfer-Encoding: chunked\r\n\r\n"
        )
        start, block = zlib_blocks(31)
        self._chunks(lambda n: start if n == 0 else block)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen = Seen()
        self.stopping = threading.Event()
        self.storm_turn = 0
        self.answers: dict[str, Given] = {}


@dataclass
class Hostile:
    server: _Server

    @property
    def seen(self) -> Seen:
        return self.server.seen

    def url(self, scenario: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{scenario}"

    def answer(self, scenario: str, given: Given) -> str:
        """Answers requests under ``scenario`` with ``given``; the base URL to use."""
        self.server.answers[scenario] = given
        return self.url(scenario)

    def new_storm(self) -> None:
        """The next storm starts again at the first Retry-After shape."""
        with self.server.seen.lock:
            self.server.storm_turn = 0


@contextlib.contextmanager
def hostile_server() -> Iterator[Hostile]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        yield Hostile(server)
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def rss_bytes() -> int:
    """The resident set size of this process now (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


@contextlib.contextmanager
def peak_rss_growth() -> Iterator[Callable[[], int]]:
    """Samples RSS every 2 ms while the block runs; yields a function giving the largest
    growth over the RSS at the start."""
    start = rss_bytes()
    peak = [start]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield lambda: peak[0] - start
    finally:
        done.set()
        sampler.join(1)
        peak[0] = max(peak[0], rss_bytes())
