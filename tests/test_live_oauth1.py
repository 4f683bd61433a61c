"""Mastercard OAuth 1.0a: the library's signer (``normalize.live._oauth1``, on cryptography
alone, every Python) makes the same ``Authorization`` header as Mastercard's own signer
(``mastercard-oauth1-signer``, which declares Python < 3.13, so these run where it installs)
for the same request, key, nonce and timestamp. RSA PKCS#1 v1.5 signatures are
deterministic, so equal headers mean equal base strings, body hashes and signatures.

Where the official signer does not install (3.13 and later) the signature is still checked
against the public key (test_live_errors, test_live_prism); this file is what ties the two.
"""

from __future__ import annotations

import string
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize.live import _oauth1
from normalize.live._auth import MastercardOAuth1

official = pytest.importorskip("oauth1.oauth", reason="the official signer needs Python < 3.13")
official_utils = pytest.importorskip("oauth1.coreutils")

NONCE = "Xk8fQ2mZ7pL4sR1v"
TIMESTAMP = 1732867200
CONSUMER_KEY = (
    "Kq7hP2vN9xR4tY6uW8zA1bC3dE5fG7hJ9kL2mN4pQ6rS8tV0xZ!4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0"
)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(autouse=True)
def fixed_nonce_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(official_utils, "get_nonce", lambda length=16: NONCE)
    monkeypatch.setattr(official_utils, "get_timestamp", lambda: TIMESTAMP)
    monkeypatch.setattr(_oauth1, "new_nonce", lambda: NONCE)
    monkeypatch.setattr(_oauth1.time, "time", lambda: float(TIMESTAMP))


def theirs(url: str, method: str, body: bytes, consumer_key: str = CONSUMER_KEY) -> str:
    header: str = official.OAuth.get_authorization_header(url, method, body, consumer_key, KEY)
    return header


def ours(url: str, method: str, body: bytes, consumer_key: str = CONSUMER_KEY) -> str:
    return _oauth1.authorization_header(
        url=url, method=method, body=body, consumer_key=consumer_key, signing_key=KEY
    )


CASES = [
    # Send's GETs, old and new hosts (empty body: the hash of the empty string).
    ("https://api.move.mastercard.com/send/v1/partners/ptnr_2q3w/account-balances", "GET", b""),
    (
        "https://sandbox.api.mastercard.com/send/v1/partners/ptnr_2q3w/non-card-tokens/"
        "non_card_token%3AsuZz18lh/account-balance",
        "GET",
        b"",
    ),
    # Connect's POST with a JSON body, non-ASCII included.
    (
        "https://api.mastercard.com/openbanking/connect/api/accounts/account/balances",
        "POST",
        '{"requestInfo": {"psuAgent": "Mozilla/5.0 (é)"}, "accountId": "a 1"}'.encode(),
    ),
    # Queries: plain, repeated keys out of order, blanks, spaces, escapes, reserved signs.
    ("https://api.example.com/v1/x?b=2&a=1&a=0", "GET", b""),
    ("https://api.example.com/v1/x?empty=&flag", "get", b""),
    ("https://api.example.com/v1/x?q=a b&r=c+d", "GET", b""),
    ("https://api.example.com/v1/x?q=a%20b&r=%2Fpath%3Fx%3Dy", "DELETE", b"x"),
    ("https://api.example.com/v1/x?star=*&tilde=~&bang=!", "PUT", b"{}"),
    # Host case and default ports, no path.
    ("https://API.Example.COM:443/v1/X", "GET", b""),
    ("http://api.example.com:80", "GET", b""),
    ("http://api.example.com:8080/p", "PATCH", b"\x00\xff"),
]


@pytest.mark.parametrize(("url", "method", "body"), CASES)
def test_the_same_header_as_the_official_signer(url: str, method: str, body: bytes) -> None:
    assert ours(url, method, body) == theirs(url, method, body)


@pytest.mark.parametrize("consumer_key", ["plain", "with!bang", "a+b/c=d", "é-not-ascii"])
def test_the_same_header_for_any_consumer_key(consumer_key: str) -> None:
    url = "https://api.example.com/v1/x?a=1"
    assert ours(url, "GET", b"", consumer_key) == theirs(url, "GET", b"", consumer_key)


QUERY_TEXT = st.text(
    alphabet=string.ascii_letters + string.digits + " -._~!*'()%+&=é/?:@", max_size=12
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.text(alphabet=string.ascii_letters + string.digits + "-._~/", max_size=20),
    query=st.lists(st.tuples(QUERY_TEXT, QUERY_TEXT), max_size=4),
    body=st.binary(max_size=64),
    method=st.sampled_from(["GET", "POST", "put"]),
)
def test_the_same_header_for_any_request_httpx_sends(
    path: str, query: list[tuple[str, str]], body: bytes, method: str
) -> None:
    # The URL as httpx writes it (what the client signs): httpx encodes the query.
    url = str(httpx.URL("https://api.example.com/" + path.lstrip("/"), params=query))
    assert ours(url, method, body) == theirs(url, method, body)


def test_the_client_auth_signs_each_request_as_the_official_signer_would() -> None:
    auth = MastercardOAuth1(consumer_key=CONSUMER_KEY, signing_key=KEY)
    request = httpx.Request(
        "POST",
        "https://api.mastercard.com/openbanking/connect/api/accounts/account/balances",
        json={"accountId": "acc-1", "requestInfo": {"isLivePsuRequest": False}},
    )
    signed: Any = next(auth.auth_flow(request))
    assert signed.headers["Authorization"] == theirs(str(request.url), "POST", request.content)
