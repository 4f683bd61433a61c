"""Mastercard OAuth 1.0a request signing (RSA-SHA256 with ``oauth_body_hash``), on
``cryptography`` alone.

Mastercard's gateway checks the signature the way its own signer (the
``mastercard-oauth1-signer`` package, which declares Python < 3.13) computes it, so this
module computes exactly that, quirks included, and the tests compare the two headers for
fixed nonces and timestamps wherever the official signer installs:

* ``oauth_body_hash`` is the base64 SHA-256 of the exact body bytes (of the empty string for
  a request without a body).
* The base string is ``METHOD&pct(url without query)&pct(params)``; the URL's host is
  lower-cased and a default port (80 for http, 443 for https) dropped; ``params`` are the
  query's pairs and the oauth parameters, each written ``key=value`` and sorted as text.
  The oauth values go in as they are (not percent-encoded first); the query's pairs are
  percent-encoded only when the query held a percent-escape, else only their spaces become
  ``+``.
* The signature is RSA PKCS#1 v1.5 over SHA-256 of the base string, base64, percent-encoded
  in the header; the header lists consumer key, nonce, timestamp, signature method,
  version, body hash and signature, in that order, each ``key="value"``, comma-separated.

References: RFC 5849 (OAuth 1.0), Mastercard's "Using OAuth 1.0a to Access Mastercard APIs"
and the oauth_body_hash draft (Eran Hammer-Lahav, "OAuth Request Body Hash").
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
import time
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

_NONCE_CHARACTERS = string.digits + string.ascii_lowercase + string.ascii_uppercase


def new_nonce() -> str:
    """16 random letters and digits, as the official signer makes them."""
    return "".join(secrets.choice(_NONCE_CHARACTERS) for _ in range(16))


def percent_encode(text: str) -> str:
    """RFC 3986 percent-encoding: every byte but unreserved characters (UTF-8 first)."""
    return quote(text.encode("utf-8"), safe="~")


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if (parts.scheme == "http" and netloc.endswith(":80")) or (
        parts.scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    if not parts.path:
        netloc += "/"
    return f"{parts.scheme}://{netloc}{parts.path}"


def _normalized_params(url: str, oauth_params: dict[str, str]) -> str:
    query = urlsplit(url).query
    escaped = query != unquote(query)
    pairs = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        if escaped:
            pairs.append(f"{percent_encode(key)}={percent_encode(value)}")
        else:
            pairs.append(f"{key.replace(' ', '+')}={value.replace(' ', '+')}")
    pairs += [f"{key}={value}" for key, value in oauth_params.items()]
    return "&".join(sorted(pairs))


def base_string(method: str, url: str, oauth_params: dict[str, str]) -> str:
    return "&".join(
        (
            method.upper(),
            percent_encode(_base_url(url)),
            percent_encode(_normalized_params(url, oauth_params)),
        )
    )


def authorization_header(
    *,
    url: str,
    method: str,
    body: bytes,
    consumer_key: str,
    signing_key: RSAPrivateKey,
    nonce: str | None = None,
    timestamp: int | None = None,
) -> str:
    """The ``Authorization`` header value for one request."""
    params = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce if nonce is not None else new_nonce(),
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_signature_method": "RSA-SHA256",
        "oauth_version": "1.0",
        "oauth_body_hash": base64.b64encode(hashlib.sha256(body).digest()).decode("ascii"),
    }
    signature = signing_key.sign(
        base_string(method, url, params).encode("utf-8"), padding.PKCS1v15(), hashes.SHA256()
    )
    params["oauth_signature"] = percent_encode(base64.b64encode(signature).decode("ascii"))
    return "OAuth " + ",".join(f'{key}="{value}"' for key, value in params.items())
