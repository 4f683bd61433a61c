"""Each vendor's authentication as an ``httpx.Auth``, credentials held as ``Secret``.

* ``FinicityAuth`` (Open Finance AU and US): the ``Finicity-App-Key`` header plus the
  ``Finicity-App-Token`` header, the token obtained from the vendor's ``createToken``
  operation (the generated client builds that request), reused for later calls, fetched
  again when it is older than ``max_token_age`` (the vendor says tokens last about two
  hours) and refreshed once when a call answers 401.
* ``MastercardOAuth1`` (Open Banking Connect, Send): a Mastercard OAuth 1.0a
  ``Authorization`` header per request, made by the ``mastercard-oauth1-signer`` package
  over the exact URL, method and body bytes sent; signing key from a PKCS#12 file or bytes.
* ``TokenAuth`` (Token.io): ``Authorization: Bearer <JWT>`` or ``Authorization: Basic
  <API key>`` (sandbox).

No credential is ever part of a ``repr``, ``str``, log line or exception message: each is a
``Secret`` that shows as ``Secret('********')`` and is revealed only where a header value or
the token request body is built.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Generator
from typing import Any, final

import httpx
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from oauth1.oauth import OAuth

from .._errors import MalformedPayload

AUTH_RESPONSE = "normalize.auth_response"
"""Marks (in ``httpx.Response.extensions``) a failed authentication answer that an auth
flow hands back as the call's answer: it is read without the call's own operation, so
that, say, a 404 from the token endpoint is not taken for the balance endpoint's 404."""


log = logging.getLogger("normalize.live")

_MASK = "********"


@final
class Secret:
    """A credential: shown as ``Secret('********')``, revealed only by ``reveal()``.

    Not a ``str`` subclass, so formatting it, logging it or putting it in a message can
    never print the value by accident.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str, *, name: str = "credential") -> None:
        if not isinstance(value, str) or not value:
            # The message names the credential, never its value.
            raise ValueError(f"{name} must be a non-empty string")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling would write the value out; credentials are passed in, not shipped around.
        raise TypeError("a Secret cannot be pickled")


def secret(value: str | Secret, *, name: str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value, name=name)


# --- Finicity (Mastercard Open Finance AU and US) -------------------------------------------

TokenRequest = Callable[[str, str], dict[str, Any]]
"""The generated createToken ``_get_kwargs`` wrapped: (partner id, partner secret) -> the
keyword arguments of ``httpx.Client.request``."""


class FinicityAuth(httpx.Auth):
    """App key on every call, app token from ``createToken``: reused, refreshed when old, and
    refreshed once when a call answers 401.

    The token request is part of the same httpx auth flow as the call it serves, so it is
    sent with the same client, timeout and transport. When ``createToken`` itself answers
    with an error status, that response ends the flow and is what the call returns (its
    ``ErrorMessage`` body becomes the VendorError). Concurrent calls that find no token may
    each fetch one; the last one fetched is kept.
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
        self._app_key = secret(app_key, name="app_key")
        self._partner_id = secret(partner_id, name="partner_id")
        self._partner_secret = secret(partner_secret, name="partner_secret")
        self._token_request = token_request
        self._max_token_age = max_token_age
        self._clock = clock
        self._token: Secret | None = None
        self._token_time = 0.0

    def __repr__(self) -> str:
        state = "held" if self._token is not None else "none"
        return (
            f"FinicityAuth(vendor={self._vendor!r}, app_key={self._app_key!r}, "
            f"partner_id={self._partner_id!r}, partner_secret={self._partner_secret!r}, "
            f"token={state})"
        )

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
            document = json.loads(response.content)
        except ValueError:
            document = None
        token = document.get("token") if isinstance(document, dict) else None
        if not isinstance(token, str) or not token:
            # Never quote the body: it is where a token would be.
            raise MalformedPayload(
                vendor=self._vendor,
                field="$.token",
                value=None,
                detail="createToken answered 200 without a token",
            )
        self._token = Secret(token, name="app token")
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
    revealed = secret(password, name="signing_key_password").reveal()
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


class MastercardOAuth1(httpx.Auth):
    """Mastercard OAuth 1.0a request signing (RSA-SHA256, with ``oauth_body_hash``).

    The signature covers the request's full URL (query included), its method and the exact
    body bytes httpx will send, so it is computed per request and again on every retry
    (fresh nonce and timestamp).
    """

    requires_request_body = True

    def __init__(self, *, consumer_key: str | Secret, signing_key: RSAPrivateKey) -> None:
        self._consumer_key = secret(consumer_key, name="consumer_key")
        self._signing_key = signing_key

    @classmethod
    def from_pkcs12(
        cls,
        *,
        consumer_key: str | Secret,
        signing_key: str | os.PathLike[str] | bytes,
        signing_key_password: str | Secret,
    ) -> MastercardOAuth1:
        return cls(
            consumer_key=consumer_key,
            signing_key=load_signing_key(signing_key, signing_key_password),
        )

    def __repr__(self) -> str:
        return f"MastercardOAuth1(consumer_key={self._consumer_key!r}, signing_key={_MASK})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        header = OAuth.get_authorization_header(
            str(request.url),
            request.method,
            request.content,
            self._consumer_key.reveal(),
            self._signing_key,
        )
        request.headers["Authorization"] = str(header)
        yield request


# --- Token.io ------------------------------------------------------------------------------


class TokenAuth(httpx.Auth):
    """``Authorization: Bearer <JWT>`` (production and sandbox) or ``Authorization: Basic
    <API key>`` (sandbox; the key is sent as issued, not encoded again)."""

    def __init__(self, *, jwt: str | Secret | None = None, api_key: str | Secret | None = None):
        if (jwt is None) == (api_key is None):
            raise ValueError("give exactly one of jwt and api_key")
        if jwt is not None:
            self._scheme, self._credential = "Bearer", secret(jwt, name="jwt")
        else:
            assert api_key is not None
            self._scheme, self._credential = "Basic", secret(api_key, name="api_key")

    def __repr__(self) -> str:
        return f"TokenAuth(scheme={self._scheme!r}, credential={self._credential!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"{self._scheme} {self._credential.reveal()}"
        yield request
