"""Prism mock servers for the ``specs/`` documents, and what the live tests need around them.

Prism (npm package ``@stoplight/prism-cli``, pinned in package.json and installed into
``node_modules/`` by ``scripts/test``) serves one OpenAPI document as an HTTP server:

- It validates every request against the document: path, query and header parameters, the
  request body, the content type, and the security requirements. A request that breaks the
  document is answered with an error (the operation's documented 400 or 422 example when there
  is one, else a 422 ``application/problem+json``; a failed security requirement gets the
  documented 401 example, else a 401 problem), and the ``sl-violations`` response header lists
  what was wrong, e.g. ``[{"location": ["request", "header"], "severity": "Error", "code":
  "required", "message": "Request header must have required property 'on-behalf-of'"}]``.
- A valid request gets the first documented response example (static mode, ``--dynamic=false``);
  ``Prefer: example=<name>`` picks another named example and ``Prefer: code=<status>`` another
  status (``Prefer: code=404, example=<name>`` both).
- Its own response is validated against the document too, and violations are added to
  ``sl-violations`` (location ``response``). With ``--errors`` a response violation becomes a
  500 problem instead of the example.
- Security: an ``apiKey`` header scheme only needs the header present (so a Mastercard OAuth
  1.0a ``Authorization`` header passes whatever its content); ``http bearer`` needs
  ``Authorization: Bearer <anything>``; ``http basic`` needs ``Authorization: Basic`` followed
  by the base64 of ``user:password`` (a colon inside), else 401.

``--errors`` is on for every vendor except Mastercard Send: Prism does not parse XML bodies, so
Send's XML examples (strings, for an object schema) always violate their schema and ``--errors``
would turn each into a 500. For Send the tests check the ``sl-violations`` header instead, which
reports the same violations (:func:`violations`).

Prism makes no outbound connection when it serves a local file (checked with ``strace -f -e
trace=connect``: none besides local Unix sockets); its only network code proxies to an upstream
(``prism proxy``, not used) or fetches a document given as a URL (ours are files). npm installs
``@scarf/scarf`` with it, an install-time analytics ping; ``.npmrc`` (``ignore-scripts=true``)
keeps npm from running it, and it is never loaded at run time.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import msgspec
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRISM = ROOT / "node_modules" / ".bin" / "prism"

VENDORS = tuple(sorted(spec.parent.name for spec in (ROOT / "specs").glob("*/openapi.yaml")))
"""The vendors with a spec under specs/ (every folder holding an openapi.yaml)."""

# See the module docstring: Send serves XML examples Prism cannot validate.
WITHOUT_ERRORS_FLAG = frozenset({"mastercard-send"})

# What Prism reports for every XML response it serves (it cannot parse XML): not a problem of
# the spec or of the request.
XML_RESPONSE_VIOLATION = {
    "location": ["response", "body"],
    "severity": "Error",
    "code": "type",
    "message": "Response body must be object",
}

STARTUP_SECONDS = 45.0
STOP_SECONDS = 5.0


class PrismUnavailable(RuntimeError):
    """Prism is not installed, is not the pinned version, or did not start."""


def pinned_version() -> str:
    """The @stoplight/prism-cli version package.json pins."""
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    version: str = package["devDependencies"]["@stoplight/prism-cli"]
    return version


def prism_executable() -> Path:
    """``node_modules/.bin/prism``, checked to be the pinned version, or PrismUnavailable."""
    want = pinned_version()
    how = "run scripts/test (it runs `npm ci`), or `npm ci` in the project folder"
    installed = ROOT / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    if not PRISM.exists() or not installed.exists():
        raise PrismUnavailable(f"Prism is not installed ({PRISM} is missing): {how}")
    have = json.loads(installed.read_text(encoding="utf-8")).get("version")
    if have != want:
        raise PrismUnavailable(
            f"node_modules holds @stoplight/prism-cli {have}, package.json pins {want}: {how}"
        )
    return PRISM


_HANDED_OUT: set[int] = set()
_PORT_LOCK = threading.Lock()


def _free_port() -> int:
    """A free loopback port, never one already handed to a server of this process (the
    servers start in parallel, and the kernel may offer a just-closed port again)."""
    with _PORT_LOCK:
        while True:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                port: int = sock.getsockname()[1]
            if port not in _HANDED_OUT:
                _HANDED_OUT.add(port)
                return port


@dataclass
class PrismServer:
    """One running ``prism mock`` serving ``specs/<vendor>/openapi.yaml`` on 127.0.0.1."""

    vendor: str
    port: int
    errors_flag: bool
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_SECONDS)


def command(vendor: str, port: int, *, errors_flag: bool) -> list[str]:
    """The ``prism mock`` command line for one vendor document."""
    return [
        str(prism_executable()),
        "mock",
        "--host=127.0.0.1",
        f"--port={port}",
        # Responses are the documented examples, never generated values.
        "--dynamic=false",
        f"--errors={'true' if errors_flag else 'false'}",
        "--cors=false",
        "--verboseLevel=info",
        str(ROOT / "specs" / vendor / "openapi.yaml"),
    ]


def _launch(vendor: str, log_dir: Path, attempt: int) -> PrismServer:
    port = _free_port()
    errors_flag = vendor not in WITHOUT_ERRORS_FLAG
    log_path = log_dir / f"{vendor}.{attempt}.log"
    env = dict(os.environ, NO_UPDATE_NOTIFIER="1", SCARF_ANALYTICS="false", FORCE_COLOR="0")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command(vendor, port, errors_flag=errors_flag),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    return PrismServer(vendor, port, errors_flag, log_path, process)


def _wait_ready(server: PrismServer, deadline: float) -> bool:
    """True once this server has said it listens on its port and answers HTTP there; False
    if the process ended first. (An answer alone could come from another server that took
    the same port first: this one then ends with EADDRINUSE.)"""
    probe = f"{server.base_url}/__prism_ready__"
    listening = f"Prism is listening on {server.base_url}"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        if listening not in server.log_tail(lines=200):
            time.sleep(0.1)
            continue
        try:
            httpx.get(probe, timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return server.process.poll() is None
    return False


def _start_one(vendor: str, log_dir: Path, deadline: float) -> PrismServer:
    for attempt in range(3):
        server = _launch(vendor, log_dir, attempt)
        if _wait_ready(server, deadline):
            return server
        server.stop()
        # Another process may have taken the free port between the check and Prism's bind.
        if "EADDRINUSE" not in server.log_tail() or time.monotonic() >= deadline:
            break
    raise PrismUnavailable(
        f"Prism did not start for specs/{vendor}/openapi.yaml within {STARTUP_SECONDS:.0f} s;"
        f" its output ({server.log_path}):\n{server.log_tail()}"
    )


def start_all(log_dir: Path, vendors: Iterable[str] = VENDORS) -> dict[str, PrismServer]:
    """Start one Prism per vendor, in parallel, and wait until each answers HTTP."""
    prism_executable()  # fail early and clearly when Prism is missing
    vendors = list(vendors)
    deadline = time.monotonic() + STARTUP_SECONDS
    servers: dict[str, PrismServer] = {}
    failures: list[BaseException] = []
    with ThreadPoolExecutor(max_workers=len(vendors)) as pool:
        futures = {vendor: pool.submit(_start_one, vendor, log_dir, deadline) for vendor in vendors}
        for vendor, future in futures.items():
            try:
                servers[vendor] = future.result()
            except BaseException as exc:  # stop the others before reporting
                failures.append(exc)
    if failures:
        stop_all(servers)
        raise failures[0]
    return servers


def stop_all(servers: Mapping[str, PrismServer]) -> None:
    """Terminate every server (kill after STOP_SECONDS), all at once."""
    for server in servers.values():
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers.values():
        server.stop()


@contextlib.contextmanager
def running(log_dir: Path, vendors: Iterable[str] = VENDORS) -> Iterator[dict[str, PrismServer]]:
    servers = start_all(log_dir, vendors)
    try:
        yield servers
    finally:
        stop_all(servers)


# --- What Prism said about one exchange --------------------------------------------------------


def violations(headers: Mapping[str, str] | httpx.Headers) -> list[dict[str, Any]]:
    """The violations Prism listed in the ``sl-violations`` header (none: [])."""
    value = headers.get("sl-violations")
    if value is None:
        return []
    parsed = json.loads(value) if value.startswith("[") else [{"message": value}]
    assert isinstance(parsed, list)
    return parsed


@dataclass
class Exchange:
    """One request as sent on the wire and the answer's status and headers."""

    method: str
    url: httpx.URL
    request_headers: httpx.Headers
    request_body: bytes
    status: int
    response_headers: httpx.Headers
    response_body: bytes

    @property
    def violations(self) -> list[dict[str, Any]]:
        return violations(self.response_headers)

    def unexpected_violations(self) -> list[dict[str, Any]]:
        """Violations other than Prism's known inability to validate an XML response."""
        is_xml = "xml" in self.response_headers.get("content-type", "")
        return [v for v in self.violations if not (is_xml and v == XML_RESPONSE_VIOLATION)]


FINICITY_TOKEN_PATH = "/aggregation/v2/partners/authentication"


class _Recorder:
    """Records exchanges; ``prefer`` is sent as Prism's ``Prefer`` header (``example=<name>``,
    ``code=<status>``) to pick the response."""

    prefer: str | None
    exchanges: list[Exchange]

    def _prepare(self, request: httpx.Request) -> None:
        # Added after any auth flow (Prism checks no signature; the header is not part of what
        # the library builds), and never to Finicity's token request, which must succeed.
        if self.prefer is not None and request.url.path != FINICITY_TOKEN_PATH:
            request.headers["Prefer"] = self.prefer

    def _record(self, request: httpx.Request, response: httpx.Response, raw: bytes) -> None:
        self.exchanges.append(
            Exchange(
                method=request.method,
                url=request.url,
                request_headers=httpx.Headers(request.headers),
                request_body=request.content,
                status=response.status_code,
                response_headers=httpx.Headers(response.headers),
                response_body=raw,
            )
        )

    def assert_clean(self, *, count: int | None = None) -> None:
        """Prism found nothing wrong with any request (nor any response it served)."""
        if count is not None:
            assert len(self.exchanges) == count, [
                f"{e.method} {e.url} -> {e.status}" for e in self.exchanges
            ]
        for exchange in self.exchanges:
            found = exchange.unexpected_violations()
            assert not found, f"Prism: {exchange.method} {exchange.url} violates the spec: {found}"


class RecordingTransport(_Recorder, httpx.BaseTransport):
    """A real HTTP transport that remembers every exchange (for ``transport=``)."""

    def __init__(self, prefer: str | None = None) -> None:
        self.prefer = prefer
        self.exchanges = []
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._prepare(request)
        request.read()
        response = self._inner.handle_request(request)
        try:
            raw = b"".join(response.stream)  # type: ignore[union-attr]
        finally:
            response.close()
        self._record(request, response, raw)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._inner.close()


class AsyncRecordingTransport(_Recorder, httpx.AsyncBaseTransport):
    """The async twin of RecordingTransport."""

    def __init__(self, prefer: str | None = None) -> None:
        self.prefer = prefer
        self.exchanges = []
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._prepare(request)
        await request.aread()
        response = await self._inner.handle_async_request(request)
        try:
            raw = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        finally:
            await response.aclose()
        self._record(request, response, raw)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


# --- The examples Prism serves, read from the specs --------------------------------------------


class _ExactLoader(yaml.SafeLoader):
    """YAML as written: a float scalar becomes the Decimal of its own text."""


def _decimal_scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal_scalar)


def _load_exact(vendor: str) -> dict[str, Any]:
    text = (ROOT / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8")
    spec: dict[str, Any] = yaml.load(text, Loader=_ExactLoader)
    return spec


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s (the specs use no others)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for token in ref[2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


@dataclass(frozen=True)
class SpecExample:
    """One documented response example as Prism serves it."""

    name: str
    media_type: str
    value: Any  # Decimal for JSON numbers, str for an XML document

    @property
    def body(self) -> bytes | str:
        """The body as it arrives on the wire (JSON numbers keep the spec's digits)."""
        if isinstance(self.value, str):
            return self.value
        return _ENCODER.encode(self.value)


_ENCODER = msgspec.json.Encoder(decimal_format="number")


def response_example(
    vendor: str,
    operation_id: str,
    *,
    status: str = "200",
    media_type: str | None = None,
    name: str | None = None,
) -> SpecExample:
    """The example Prism answers ``operation_id`` with: by default the first example of the
    status's first media type (what Prism serves with no ``Prefer`` header), else the one
    named (``Prefer: example=<name>``)."""
    spec = _load_exact(vendor)
    for item in spec["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                response = _resolve(spec, operation["responses"][status])
                content = response["content"]
                chosen = media_type or next(iter(content))
                examples = content[chosen]["examples"]
                key = name or next(iter(examples))
                value = _resolve(spec, examples[key])["value"]
                return SpecExample(key, chosen, value)
    raise LookupError(f"{vendor} has no operation {operation_id}")
