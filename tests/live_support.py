"""What the live-retrieval tests share: throwaway credentials, a scripted httpx transport,
recorded sleeps, and one factory per vendor client.

Nothing here reaches the network: every client gets an ``httpx.MockTransport`` whose handler
answers from a script and records each request it saw.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from spec_documents import DocumentedExample, documented_examples

import normalize
import normalize.live

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "normalize" / "examples"

# Real-looking credentials: shaped like the vendors' (hex app key, numeric partner id,
# base64-ish secrets, a three-part JWT), so a leak would look like the real thing.
APP_KEY = "3f9a1c2b7d4e8f60a1b2c3d4e5f60718"
PARTNER_ID = "2445582695152"
PARTNER_SECRET = "Tz9kQm3XvB7nR2pL8wYcH4sE"
APP_TOKEN = "AwrzZ6CqQ3wz1Yv8xFo2Ks7d"
FRESH_APP_TOKEN = "Bn4hT8uW2yQ6eR0iO9pLz3Xc"
CONSUMER_KEY = (
    "Kq7hP2vN9xR4tY6uW8zA1bC3dE5fG7hJ9kL2mN4pQ6rS8tV0xZ!4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0"
)
P12_PASSWORD = "keystorepassword-8h2Kd9"
JWT = (
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJtOjNlWVBxNGZ0OnVzZXIiLCJpYXQiOjE3MjI1MDUxOTV9."
    "Zk3b9Qx2Lw7Vn5Rt1Yp8Hs4Jd6Mf0Gc2Ke9Tb3Xa5Wq7"
)
API_KEY = "c2FuZGJveC1hcGkta2V5LTg0ZjJhOWQxYjNjNWU3"

SECRETS = (
    APP_KEY,
    PARTNER_SECRET,
    APP_TOKEN,
    FRESH_APP_TOKEN,
    CONSUMER_KEY,
    P12_PASSWORD,
    JWT,
    API_KEY,
)


def _live_calls() -> dict[tuple[str, str], dict[str, Any]]:
    """(vendor, client method) -> what each vendor's fixtures folder says of it
    (``tests/fixtures/<vendor>/live-calls.yaml``: ``args``, ``kwargs``, ``success``), for
    every method of every live vendor."""
    found = {}
    for vendor, description in normalize.live.DESCRIPTIONS.items():
        path = ROOT / "tests" / "fixtures" / vendor / "live-calls.yaml"
        calls = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        for method in description.operations:
            if method not in calls:
                raise LookupError(f"{path.relative_to(ROOT)}: nothing about {method}")
            found[vendor, method] = dict(calls[method])
    return found


LIVE_CALLS = _live_calls()

# The arguments of each client method, as a caller would give them.
ARGUMENTS: dict[tuple[str, str], tuple[tuple[Any, ...], dict[str, Any]]] = {
    key: (tuple(given.get("args", ())), dict(given.get("kwargs", {})))
    for key, given in LIVE_CALLS.items()
}

# The same values by name, for the tests that speak of one vendor.
(CUSTOMER, ACCOUNT), _ = ARGUMENTS["mastercard-open-finance-au", "live_balance"]
(CONNECT_ACCOUNT,), CONNECT_KWARGS = ARGUMENTS[
    "mastercard-open-banking-connect", "account_balances"
]
(SEND_PARTNER, SEND_TOKEN), _ = ARGUMENTS["mastercard-send", "account_balance"]
(TOKEN_ACCOUNT,), _ = ARGUMENTS["token-io", "balance"]
ON_BEHALF_OF = ARGUMENTS["token-io", "balance"][1]["on_behalf_of"]


@functools.cache
def signing_material() -> tuple[bytes, rsa.RSAPublicKey]:
    """A throwaway RSA key in a PKCS#12 keystore (bytes), and its public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "balance-normalize test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"keyalias",
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(P12_PASSWORD.encode()),
    )
    return data, key.public_key()


def example(vendor: str, name: str) -> bytes:
    return (EXAMPLES / vendor / name).read_bytes()


# --- a scripted transport ---------------------------------------------------------------------

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class Script:
    """Answers requests in order from ``answers`` (the last one repeats), or by path:
    requests whose path ends with a key of ``by_path`` take that key's answers instead.
    Every request is recorded in ``requests``."""

    answers: list[Answer] = field(default_factory=list)
    by_path: dict[str, list[Answer]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        # A copy: an auth flow may change the request's headers and send it again.
        self.requests.append(
            httpx.Request(
                request.method,
                request.url,
                headers=request.headers.copy(),
                content=request.content,
                extensions=dict(request.extensions),
            )
        )
        queue = self.answers
        for suffix, answers in self.by_path.items():
            if request.url.path.endswith(suffix):
                queue = answers
                break
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            # A Response can be sent once; hand out a fresh copy each time.
            return httpx.Response(
                answer.status_code, headers=answer.headers, content=answer.content
            )
        return answer(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def to(self, suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith(suffix)]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.Response(
        status, headers={"Content-Type": "application/json", **(headers or {})}, content=content
    )


def raw_response(
    status: int, content: bytes | str, content_type: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    if isinstance(content, str):
        content = content.encode()
    return httpx.Response(
        status, headers={"Content-Type": content_type, **(headers or {})}, content=content
    )


TOKEN_PATH = "/aggregation/v2/partners/authentication"


def token_answers(*tokens: str) -> list[Answer]:
    return [json_response(200, {"token": token}) for token in tokens]


# --- recorded sleeps --------------------------------------------------------------------------


@dataclass
class Sleeps:
    """Records the waits a RetryPolicy asks for instead of waiting."""

    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def policy(self, **kwargs: Any) -> normalize.RetryPolicy:
        return normalize.RetryPolicy(sleep=self.sleep, async_sleep=self.async_sleep, **kwargs)


# --- one factory per vendor client ------------------------------------------------------------

BASE_URL = "https://vendor.test"


def token_kwargs(*, basic: bool = False) -> dict[str, Any]:
    return {"api_key": API_KEY} if basic else {"jwt": JWT}


# Test values for every credential a description names (the vendors' own argument names).
CREDENTIAL_VALUES: dict[str, Callable[[], Any]] = {
    "app_key": lambda: APP_KEY,
    "partner_id": lambda: PARTNER_ID,
    "partner_secret": lambda: PARTNER_SECRET,
    "consumer_key": lambda: CONSUMER_KEY,
    "signing_key": lambda: signing_material()[0],
    "signing_key_password": lambda: P12_PASSWORD,
    "jwt": lambda: JWT,
}


def credentials_for(vendor: str) -> dict[str, Any]:
    """Test credentials for each argument the vendor's description names (of a group of
    optional ones, such as Token.io's jwt / api_key, the ones with a value here)."""
    return {
        credential.name: CREDENTIAL_VALUES[credential.name]()
        for credential in normalize.live.DESCRIPTIONS[vendor].credentials
        if credential.name in CREDENTIAL_VALUES
    }


CREDENTIALS: dict[str, Callable[[], dict[str, Any]]] = {
    vendor: functools.partial(credentials_for, vendor) for vendor in normalize.live.DESCRIPTIONS
}

SYNC_CLASSES: dict[str, type[Any]] = {
    vendor: sync for vendor, (sync, _) in normalize.live.CLIENTS.items()
}
ASYNC_CLASSES: dict[str, type[Any]] = {
    vendor: twin for vendor, (_, twin) in normalize.live.CLIENTS.items()
}


def make(
    vendor: str,
    script: Script,
    *,
    sleeps: Sleeps | None = None,
    is_async: bool = False,
    **overrides: Any,
) -> Any:
    """A vendor client over ``script``, with recorded sleeps."""
    classes = ASYNC_CLASSES if is_async else SYNC_CLASSES
    kwargs: dict[str, Any] = {
        **CREDENTIALS[vendor](),
        "base_url": BASE_URL,
        "retry": (sleeps or Sleeps()).policy(),
        "transport": script.transport(),
        **overrides,
    }
    return classes[vendor](**kwargs)


def _caller(method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Callable[..., Any]:
    return lambda client, **extra: getattr(client, method)(*args, **{**kwargs, **extra})


# Each vendor operation, by (vendor, operationId) as the descriptions name them, called the
# way a caller would: (client, **extra) -> records.
CALLS: dict[tuple[str, str], Callable[..., Any]] = {
    (vendor, operation.operation_id): _caller(method, *ARGUMENTS[(vendor, method)])
    for vendor, description in normalize.live.DESCRIPTIONS.items()
    for method, operation in description.operations.items()
}


def _success_examples() -> tuple[dict[tuple[str, str, str], DocumentedExample], list[str]]:
    """(vendor, operationId, media type) -> the spec's documented 200 example that answers
    that operation with balances in that media type, as each vendor's ``live-calls.yaml``
    names it (``success``): chosen by name, never by what the code under test makes of it.
    Nothing is parsed or refused here, so a spec edit never stops collection: what cannot
    be found is listed instead (``SUCCESS_MISSING``, which a test holds empty)."""
    found: dict[tuple[str, str, str], DocumentedExample] = {}
    missing: list[str] = []
    for vendor, description in normalize.live.DESCRIPTIONS.items():
        documented = {
            (d.operation_id, d.name): d for d in documented_examples(vendor) if d.where == "200"
        }
        for method, operation in description.operations.items():
            names = LIVE_CALLS[vendor, method].get("success") or []
            if not names:
                missing.append(f"{vendor}: live-calls.yaml names no success example of {method}")
            for name in names:
                example = documented.get((operation.operation_id, name))
                if example is None:
                    missing.append(
                        f"{vendor}: no documented 200 example {name!r} of {operation.operation_id}"
                    )
                else:
                    found[vendor, operation.operation_id, example.media_type] = example
    return found, missing


def body_of(documented: DocumentedExample) -> bytes:
    """A documented example as the body a vendor sends (XML examples are the text)."""
    value = documented.value
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


# A success answer of every vendor operation in each media type it documents one in...
SUCCESS_EXAMPLES, SUCCESS_MISSING = _success_examples()
# ... and one per operation (its first media type).
SUCCESS: dict[tuple[str, str], DocumentedExample] = {}
for (_vendor, _operation, _), _documented in SUCCESS_EXAMPLES.items():
    SUCCESS.setdefault((_vendor, _operation), _documented)


def success_response(documented: DocumentedExample) -> httpx.Response:
    return raw_response(200, body_of(documented), documented.media_type)


def with_token(script: Script, *tokens: str) -> Script:
    """The script, with the Finicity token endpoint answering ``tokens`` in turn."""
    script.by_path[TOKEN_PATH] = token_answers(*(tokens or (APP_TOKEN,)))
    return script


def scripted(vendor: str, answers: Iterable[Answer]) -> Script:
    """A script answering a vendor's balance calls with ``answers`` (Finicity's token
    endpoint answers with a token)."""
    script = Script(answers=list(answers))
    if vendor.startswith("mastercard-open-finance"):
        with_token(script)
    return script
