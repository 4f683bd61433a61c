"""Each vendor's authentication as an ``httpx.Auth``, credentials held as ``Secret``.

* ``FinicityAuth`` (Open Finance AU and US): the ``Finicity-App-Key`` header plus the
  ``Finicity-App-Token`` header, the token obtained from the vendor's ``createToken``
  operation (the generated client builds that request), reused for later calls, fetched
  again when it is older than ``max_token_age`` (the vendor says tokens last about two
  hours) and refreshed once when a call answers 401.
* ``MastercardOAuth1`` (Open Banking Connect, Send): a Mastercard OAuth 1.0a
  ``Authorization`` header per request (``_oauth1``) over the exact URL, method and body
  bytes sent; signing key from a PKCS#12 file or bytes.
* ``TokenAuth`` (Token.io): ``Authorization: Bearer <JWT>`` or ``Authorization: Basic
  <API key>`` (sandbox).

Every credential is checked when the client is built (``check_credential``): a value that
is empty, holds a control character (a CR/LF would split the header), or, when it goes in a
header, a character outside visible ASCII is refused with ``InvalidCredential``, which names
the credential and never shows its value. No credential is ever part of a ``repr``, ``str``,
log line or exception message: each is a ``Secret`` that shows as ``Secret('********')`` and
is revealed only where a header value or the token request body is built. ``sent_values``
of each auth lists what it put on the wire, for the transport to strip from anything a
vendor echoes back.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import unicodedata
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, final
from urllib.parse import quote, quote_plus, unquote

import attrs
import httpx
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12

from .._decode import decode_json
from .._errors import MASK, InvalidCredential, MalformedPayload, NormalizeError, secret_forms
from ._oauth1 import authorization_header, percent_encode

AUTH_RESPONSE = "normalize.auth_response"
"""Marks (in ``httpx.Response.extensions``) a failed authentication answer that an auth
flow hands back as the call's answer: it is read without the call's own operation, so
that, say, a 404 from the token endpoint is not taken for the balance endpoint's 404."""


log = logging.getLogger("normalize.live")


_OAUTH_SIGNATURE = re.compile(r'oauth_signature="([^"]+)"')


def credential_forms(sent: Iterable[str], request: httpx.Request | None = None) -> list[str]:
    """Every text a credential could come back as, written once for errors, recordings and
    logs: each value the client sends, and the credential headers of the request an answer
    is to (an OAuth header, and its signature whole and unescaped); each as sent, as a JSON
    string holds it (also with ``\\/`` for ``/``), and percent-encoded (``%2B``, and ``+``
    for a space); longest first, so a longer form is masked before a part of it."""
    values = [value for value in sent if value]
    if request is not None:
        for name in ("authorization", "finicity-app-token"):
            header = request.headers.get(name)
            if header:
                values.append(header)
                for signature in _OAUTH_SIGNATURE.findall(header):
                    values += [signature, unquote(signature)]
    forms: set[str] = set()
    for value in values:
        escaped = json.dumps(value)[1:-1]
        forms |= {
            value,
            escaped,
            escaped.replace("/", "\\/"),
            json.dumps(value, ensure_ascii=False)[1:-1],
            quote(value, safe=""),
            quote_plus(value, safe=""),
        }
    return list(secret_forms(forms))


def check_credential(value: object, *, vendor: str | None, name: str, header: bool) -> str:
    """``value`` if it can be sent as credential ``name``, else ``InvalidCredential``."""
    if not isinstance(value, str):
        raise InvalidCredential(
            vendor=vendor, credential=name, detail=f"must be a string, not {type(value).__name__}"
        )
    if not value:
        raise InvalidCredential(vendor=vendor, credential=name, detail="must not be empty")
    for position, character in enumerate(value):
        if unicodedata.category(character) == "Cc":
            raise InvalidCredential(
                vendor=vendor,
                credential=name,
                detail=f"holds a control character at position {position}",
            )
        if header and not "!" <= character <= "~":
            # An HTTP header value is ASCII here (httpx encodes headers as ASCII; RFC 9110
            # calls anything else obsolete), and none of these credentials has a space.
            raise InvalidCredential(
                vendor=vendor,
                credential=name,
                detail=f"holds a character outside visible ASCII at position {position}",
            )
    return value


@final
class Secret:
    """A credential: shown as ``Secret('********')``, revealed only by ``reveal()``.

    Not a ``str`` subclass, so formatting it, logging it or putting it in a message can
    never print the value by accident.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str, *, name: str = "credential") -> None:
        self._value = check_credential(value, vendor=None, name=name, header=False)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling would write the value out; credentials are passed in, not shipped around.
        raise TypeError("a Secret cannot be pickled")


def secret(value: str | Secret, *, vendor: str | None = None, name: str, header: bool) -> Secret:
    """``value`` as a checked Secret (a Secret given is checked too)."""
    revealed = value.reveal() if isinstance(value, Secret) else value
    return Secret(check_credential(revealed, vendor=vendor, name=name, header=header), name=name)


class VendorAuth(httpx.Auth):
    """An httpx auth that can say which credential values it sends (a client keeps those
    out of the logs of httpx, httpcore and this library while the auth lives, ``_logs``)."""

    def sent_values(self) -> Iterable[str]:
        raise NotImplementedError


# --- Finicity (Mastercard Open Finance AU and US) -------------------------------------------

TokenRequest = Callable[[str, str], dict[str, Any]]
"""The generated createToken ``_get_kwargs`` wrapped: (partner id, partner secret) -> the
keyword arguments of ``httpx.Client.request``."""


class FinicityAuth(VendorAuth):
    """App key on every call, app token from ``createToken``: reused, refreshed when old, and
    refreshed once when a call answers 401.

    The token request is part of the same httpx auth flow as the call it serves, so it is
    sent with the same client, timeout, deadline, size cap and transport. When
    ``createToken`` itself answers with an error status, that response ends the flow and is
    what the call returns (its ``ErrorMessage`` body becomes the VendorError). Concurrent
    calls that find no token may each fetch one; the last one fetched is kept.
    """

    requires_response_body = True

    def __init__(
        self,
        *,
        vendor: str,
        base_url: str,
        app_key: str | Secret,
        partner_id: str | Secret,
        partner_secret: str | Secret,
        token_request: TokenRequest,
        max_token_age: float = 90 * 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._vendor = vendor
        self._base_url = base_url.rstrip("/")
        self._app_key = secret(app_key, vendor=vendor, name="app_key", header=True)
        # Both travel in the createToken JSON body.
        self._partner_id = secret(partner_id, vendor=vendor, name="partner_id", header=False)
        self._partner_secret = secret(
            partner_secret, vendor=vendor, name="partner_secret", header=False
        )
        self._token_request = token_request
        self._max_token_age = max_token_age
        self._clock = clock
        self._token: Secret | None = None
        self._old_tokens: list[Secret] = []
        self._token_time = 0.0

    def __repr__(self) -> str:
        state = "held" if self._token is not None else "none"
        return (
            f"FinicityAuth(vendor={self._vendor!r}, app_key={self._app_key!r}, "
            f"partner_id={self._partner_id!r}, partner_secret={self._partner_secret!r}, "
            f"token={state})"
        )

    def sent_values(self) -> Iterable[str]:
        yield self._app_key.reveal()
        yield self._partner_id.reveal()
        yield self._partner_secret.reveal()
        for token in (self._token, *self._old_tokens):
            if token is not None:
                yield token.reveal()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # httpx sends each yielded request and sends its response back in; the response to
        # the last request yielded is what the call returns.
        if self._token is None or self._clock() - self._token_time > self._max_token_age:
            token_response = yield self._build_token_request(request)
            if not self._take_token(token_response):
                return
        response = yield self._authorize(request)
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        log.info("%s: HTTP 401, requesting a new app token", self._vendor)
        token_response = yield self._build_token_request(request)
        if not self._take_token(token_response):
            return
        yield self._authorize(request)

    def _authorize(self, request: httpx.Request) -> httpx.Request:
        assert self._token is not None
        request.headers["Finicity-App-Key"] = self._app_key.reveal()
        request.headers["Finicity-App-Token"] = self._token.reveal()
        return request

    def _build_token_request(self, request: httpx.Request) -> httpx.Request:
        log.debug("%s: requesting an app token", self._vendor)
        kwargs = self._token_request(self._partner_id.reveal(), self._partner_secret.reveal())
        headers = dict(kwargs.get("headers") or {})
        headers["Accept"] = "application/json"
        headers["Finicity-App-Key"] = self._app_key.reveal()
        return httpx.Request(
            kwargs["method"].upper(),
            self._base_url + kwargs["url"],
            json=kwargs.get("json"),
            headers=headers,
            # The call's extensions carry its timeout: the token request keeps to it too.
            extensions=dict(request.extensions),
        )

    def _take_token(self, response: httpx.Response) -> bool:
        """Keep the token of a 200 answer; False for an error answer (it ends the flow)."""
        if response.status_code != httpx.codes.OK:
            log.info("%s: createToken answered HTTP %d", self._vendor, response.status_code)
            response.extensions[AUTH_RESPONSE] = True
            return False
        try:
            document = decode_json(response.content, vendor=self._vendor)
        except NormalizeError:
            document = None  # never quoted: the body is where a token would be
        token = document.get("token") if isinstance(document, dict) else None
        if not isinstance(token, str) or not token:
            # Never quote the body: it is where a token would be.
            raise MalformedPayload(
                vendor=self._vendor,
                field="$.token",
                value=None,
                detail="createToken answered 200 without a token",
            )
        try:
            checked = secret(token, vendor=self._vendor, name="app token", header=True)
        except InvalidCredential:
            raise MalformedPayload(
                vendor=self._vendor,
                field="$.token",
                value=None,
                detail="createToken answered a token that cannot go in a header",
            ) from None
        if self._token is not None:
            # Kept (a few) so that an echo of a token just replaced is still recognised.
            self._old_tokens = [self._token, *self._old_tokens][:4]
        self._token = checked
        self._token_time = self._clock()
        return True


# --- Mastercard OAuth 1.0a (Open Banking Connect, Send) --------------------------------------


def load_signing_key(
    pkcs12_data: str | os.PathLike[str] | bytes, password: str | Secret
) -> RSAPrivateKey:
    """The private key of a PKCS#12 keystore given as a file path or as its bytes."""
    if isinstance(pkcs12_data, bytes):
        data = pkcs12_data
    else:
        with open(pkcs12_data, "rb") as handle:
            data = handle.read()
    revealed = secret(password, name="signing_key_password", header=False).reveal()
    try:
        key, _certificate, _others = pkcs12.load_key_and_certificates(data, revealed.encode())
    except ValueError:
        # cryptography's message says nothing secret, but is not chained either way.
        raise ValueError(
            "could not read the PKCS#12 signing key (wrong password, or not PKCS#12)"
        ) from None
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("the PKCS#12 keystore holds no RSA private key")
    return key


class MastercardOAuth1(VendorAuth):
    """Mastercard OAuth 1.0a request signing (RSA-SHA256, with ``oauth_body_hash``).

    The signature covers the request's full URL (query included), its method and the exact
    body bytes httpx will send, so it is computed per request and again on every retry
    (fresh nonce and timestamp).
    """

    requires_request_body = True

    def __init__(
        self,
        *,
        consumer_key: str | Secret,
        signing_key: RSAPrivateKey,
        vendor: str | None = None,
    ) -> None:
        self._consumer_key = secret(consumer_key, vendor=vendor, name="consumer_key", header=True)
        self._signing_key = signing_key
        self._recent: list[str] = []

    @classmethod
    def from_pkcs12(
        cls,
        *,
        consumer_key: str | Secret,
        signing_key: str | os.PathLike[str] | bytes,
        signing_key_password: str | Secret,
        vendor: str | None = None,
    ) -> MastercardOAuth1:
        # The consumer key is checked first: a bad one is refused without reading the key.
        checked = secret(consumer_key, vendor=vendor, name="consumer_key", header=True)
        return cls(
            consumer_key=checked,
            signing_key=load_signing_key(signing_key, signing_key_password),
            vendor=vendor,
        )

    def __repr__(self) -> str:
        return f"MastercardOAuth1(consumer_key={self._consumer_key!r}, signing_key={MASK})"

    def sent_values(self) -> Iterable[str]:
        key = self._consumer_key.reveal()
        yield key
        yield percent_encode(key)
        yield from self._recent

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        header = authorization_header(
            url=str(request.url),
            method=request.method,
            body=request.content,
            consumer_key=self._consumer_key.reveal(),
            signing_key=self._signing_key,
        )
        signature = header.rsplit('oauth_signature="', 1)[1].rstrip('"')
        # The last few signatures sent, whole and unescaped, for redaction.
        self._recent = [header, signature, unquote(signature), *self._recent][:12]
        request.headers["Authorization"] = header
        yield request


# --- Token.io ------------------------------------------------------------------------------


class TokenAuth(VendorAuth):
    """``Authorization: Bearer <JWT>`` (production and sandbox) or ``Authorization: Basic
    <API key>`` (sandbox; the key is sent as issued, not encoded again)."""

    def __init__(
        self,
        *,
        jwt: str | Secret | None = None,
        api_key: str | Secret | None = None,
        vendor: str | None = None,
    ) -> None:
        if (jwt is None) == (api_key is None):
            raise ValueError("give exactly one of jwt and api_key")
        if jwt is not None:
            self._scheme = "Bearer"
            self._credential = secret(jwt, vendor=vendor, name="jwt", header=True)
        else:
            assert api_key is not None
            self._scheme = "Basic"
            self._credential = secret(api_key, vendor=vendor, name="api_key", header=True)

    def __repr__(self) -> str:
        return f"TokenAuth(scheme={self._scheme!r}, credential={self._credential!r})"

    def sent_values(self) -> Iterable[str]:
        yield self._credential.reveal()

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"{self._scheme} {self._credential.reveal()}"
        yield request


# --- building each vendor's auth from its credential arguments -----------------------------


@attrs.frozen(kw_only=True)
class Credential:
    """A credential a vendor client is built with: its argument name, and whether it is
    optional (one of a group, such as Token.io's ``jwt`` or ``api_key``)."""

    name: str
    optional: bool = False


MASTERCARD_CREDENTIALS = (
    Credential(name="consumer_key"),
    Credential(name="signing_key"),
    Credential(name="signing_key_password"),
)
TOKEN_CREDENTIALS = (
    Credential(name="jwt", optional=True),
    Credential(name="api_key", optional=True),
)


def mastercard_oauth1(vendor: str, base_url: str, credentials: Mapping[str, Any]) -> VendorAuth:
    """Open Banking Connect and Send: ``consumer_key``, ``signing_key`` (a PKCS#12 file path
    or the file's bytes) and ``signing_key_password``."""
    return MastercardOAuth1.from_pkcs12(
        consumer_key=credentials["consumer_key"],
        signing_key=credentials["signing_key"],
        signing_key_password=credentials["signing_key_password"],
        vendor=vendor,
    )


def token_auth(vendor: str, base_url: str, credentials: Mapping[str, Any]) -> VendorAuth:
    """Token.io: exactly one of ``jwt`` and ``api_key``."""
    return TokenAuth(jwt=credentials.get("jwt"), api_key=credentials.get("api_key"), vendor=vendor)
