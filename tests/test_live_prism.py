"""Live retrieval against Prism mock servers that serve each vendor's ``specs/`` document.

Every balance operation of the client classes is called over real HTTP on 127.0.0.1 against
Prism (``tests/prism.py``, started once per session by the ``prism_servers`` fixture). Each
test asserts three things:

- the records equal ``normalize_response`` of the spec's own example for the operation's 200
  (the example Prism serves: the first one, or the one pinned with ``Prefer: example=...``);
- Prism found nothing wrong with any request the library sent (no ``sl-violations`` header):
  path and query parameters, headers, JSON body, content type and security requirements
  all match the spec, so a request built wrongly fails the test;
- what the spec cannot say but the vendor needs (the repeated ``accountId``, the explicit
  ``balance_cache_interval``, the Finicity token reuse, a valid OAuth 1.0a signature over the
  exact request sent) is read from the recorded exchanges.

The negative tests at the end send wrong requests on purpose and show Prism rejects each, so
the absence of violations above means something.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import hashlib
import re
import uuid
from typing import Any
from urllib.parse import unquote

import httpx
import live_support
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from prism import (
    VENDORS,
    AsyncRecordingTransport,
    Exchange,
    PrismServer,
    RecordingTransport,
    response_example,
    violations,
)
from spec_documents import documented_examples

import normalize.live
from normalize import (
    AsyncMastercardSend,
    AsyncOpenBankingConnect,
    AsyncOpenFinanceAU,
    AsyncOpenFinanceUS,
    AsyncTokenIO,
    Freshness,
    MastercardSend,
    NormalizeError,
    OpenBankingConnect,
    OpenFinanceAU,
    OpenFinanceUS,
    TokenIO,
    VendorError,
    VendorErrorCode,
    normalize_response,
)
from normalize.vendors.mastercard_open_finance_us import freshness_for_cache_interval

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"

Servers = dict[str, PrismServer]

# Dummy credentials: Prism checks only that the security headers are there and well formed.
PARTNER_ID = "1234567890123"
PARTNER_SECRET = "dummy-partner-secret"
APP_KEY = "dummy-app-key"
CONSUMER_KEY = "dummy-consumer-key!0123456789abcdef"
KEY_PASSWORD = "dummy-keystore-password"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl"
# The spec models Token.io's sandbox API key as HTTP Basic; Prism then requires the
# credential to be base64 of "user:password". Token.io sends the key as issued, so this test
# key has that shape (base64 of "m:dummy-api-key").
API_KEY = base64.b64encode(b"m:dummy-api-key").decode()
ON_BEHALF_OF = "ta:3eYPdummyConsent:5zKtXEAq"

TOKEN_PATH = "/aggregation/v2/partners/authentication"
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def expected(
    vendor: str,
    operation: str,
    *,
    name: str | None = None,
    media_type: str | None = None,
    freshness: Freshness | None = None,
) -> list[dict[str, str | None]]:
    """``normalize_response`` of the spec example Prism answers ``operation`` with."""
    example = response_example(vendor, operation, media_type=media_type, name=name)
    records = normalize_response(
        vendor,
        example.body,
        content_type=example.media_type,
        operation=operation,
        freshness=freshness,
        status=200,
    )
    assert records, f"{vendor} {operation} example {example.name} gives no records"
    return [record.to_dict() for record in records]


def dicts(records: Any) -> list[dict[str, str | None]]:
    return [record.to_dict() for record in records]


# --- Mastercard signing key and OAuth 1.0a check -------------------------------------------

try:
    # The official signer's base string where it installs (Python < 3.13); elsewhere the
    # library's, which test_live_oauth1 proves equal to it.
    from oauth1.oauth import OAuth

    oauth1_base_string = OAuth.get_base_string
except ImportError:
    from normalize.live import _oauth1

    def oauth1_base_string(url: str, method: str, params: dict[str, str]) -> str:
        return _oauth1.base_string(method, url, params)


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def keystore(signing_key: rsa.RSAPrivateKey) -> bytes:
    """A PKCS#12 keystore like the one Mastercard Developers issues, password protected."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "balance-normalize test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(signing_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(signing_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        b"keyalias",
        signing_key,
        certificate,
        None,
        serialization.BestAvailableEncryption(KEY_PASSWORD.encode()),
    )


def assert_signed(exchange: Exchange, public_key: rsa.RSAPublicKey) -> None:
    """The Authorization header is a Mastercard OAuth 1.0a signature of exactly this request
    (URL as sent, method, body hash), verifiable with the keystore's public key."""
    header = exchange.request_headers["Authorization"]
    assert header.startswith("OAuth "), header[:10]
    params = dict(re.findall(r'(\w+)="([^"]*)"', header))
    assert params["oauth_consumer_key"] == CONSUMER_KEY
    assert params["oauth_signature_method"] == "RSA-SHA256"
    assert params["oauth_version"] == "1.0"
    body_hash = base64.b64encode(hashlib.sha256(exchange.request_body).digest()).decode()
    assert params["oauth_body_hash"] == body_hash
    signature = base64.b64decode(unquote(params.pop("oauth_signature")))
    base_string = oauth1_base_string(str(exchange.url), exchange.method, params)
    public_key.verify(signature, base_string.encode(), padding.PKCS1v15(), hashes.SHA256())


# --- Open Finance AU ---------------------------------------------------------------------------


def au_client(servers: Servers, transport: RecordingTransport) -> OpenFinanceAU:
    return OpenFinanceAU(
        partner_id=PARTNER_ID,
        partner_secret=PARTNER_SECRET,
        app_key=APP_KEY,
        base_url=servers[AU].base_url,
        transport=transport,
    )


def assert_finicity_token_used(
    vendor: str, transport: RecordingTransport | AsyncRecordingTransport
) -> None:
    """One createToken call with the partner credentials, its token on every later call."""
    token = response_example(vendor, "CreateToken").value["token"]
    calls = transport.exchanges
    assert calls[0].method == "POST"
    assert calls[0].url.path == TOKEN_PATH
    assert calls[0].request_headers["Finicity-App-Key"] == APP_KEY
    assert "Finicity-App-Token" not in calls[0].request_headers
    assert calls[0].request_headers["Content-Type"] == "application/json"
    assert httpx.Response(200, content=calls[0].request_body).json() == {
        "partnerId": PARTNER_ID,
        "partnerSecret": PARTNER_SECRET,
    }
    for call in calls[1:]:
        assert call.url.path != TOKEN_PATH, "the app token was not reused"
        assert call.request_headers["Finicity-App-Key"] == APP_KEY
        assert call.request_headers["Finicity-App-Token"] == token
        assert call.request_headers["Accept"] == "application/json"


def test_au_live_and_cached_balance(prism_servers: Servers) -> None:
    transport = RecordingTransport()
    with au_client(prism_servers, transport) as client:
        live = client.live_balance("15430001", "15430035")
        cached = client.cached_balance("15430001", "15430035")
    transport.assert_clean(count=3)
    assert_finicity_token_used(AU, transport)
    assert dicts(live) == expected(AU, "GetAvailableBalanceLive")
    assert dicts(cached) == expected(AU, "GetAvailableBalance")
    assert {r.freshness for r in live} == {Freshness.LIVE}
    assert transport.exchanges[1].url.path.endswith(
        "/customers/15430001/accounts/15430035/availableBalance/live"
    )
    assert transport.exchanges[2].url.path.endswith(
        "/customers/15430001/accounts/15430035/availableBalance"
    )
    assert not transport.exchanges[1].url.query
    assert not transport.exchanges[2].url.query


def test_au_cached_balance_other_example(prism_servers: Servers) -> None:
    transport = RecordingTransport(prefer="example=AvailableBalanceOverdrawn")
    with au_client(prism_servers, transport) as client:
        records = client.cached_balance("1", "2")
    transport.assert_clean(count=2)
    assert dicts(records) == expected(AU, "GetAvailableBalance", name="AvailableBalanceOverdrawn")


def test_au_cached_balance_not_cached(prism_servers: Servers) -> None:
    transport = RecordingTransport(prefer="code=404, example=ErrorNoCachedBalance")
    with au_client(prism_servers, transport) as client, pytest.raises(VendorError) as caught:
        client.cached_balance("1", "2")
    transport.assert_clean(count=2)
    assert caught.value.code is VendorErrorCode.NOT_CACHED
    assert caught.value.vendor_code == "90004"
    assert caught.value.status == 404


def test_au_unauthorized_refreshes_the_token_once(prism_servers: Servers) -> None:
    transport = RecordingTransport(prefer="code=401")
    with au_client(prism_servers, transport) as client, pytest.raises(VendorError) as caught:
        client.live_balance("1", "2")
    transport.assert_clean()
    assert [(e.method, e.url.path.endswith(TOKEN_PATH), e.status) for e in transport.exchanges] == [
        ("POST", True, 200),
        ("GET", False, 401),
        ("POST", True, 200),
        ("GET", False, 401),
    ]
    assert caught.value.code is VendorErrorCode.UNAUTHORIZED


def test_au_async(prism_servers: Servers) -> None:
    transport = AsyncRecordingTransport()

    async def run() -> tuple[Any, Any]:
        async with AsyncOpenFinanceAU(
            partner_id=PARTNER_ID,
            partner_secret=PARTNER_SECRET,
            app_key=APP_KEY,
            base_url=prism_servers[AU].base_url,
            transport=transport,
        ) as client:
            live = await client.live_balance("15430001", "15430035")
            cached = await client.cached_balance("15430001", "15430035")
            return live, cached

    live, cached = asyncio.run(run())
    transport.assert_clean(count=3)
    assert_finicity_token_used(AU, transport)
    assert dicts(live) == expected(AU, "GetAvailableBalanceLive")
    assert dicts(cached) == expected(AU, "GetAvailableBalance")


# --- Open Finance US ---------------------------------------------------------------------------


def us_client(servers: Servers, transport: RecordingTransport) -> OpenFinanceUS:
    return OpenFinanceUS(
        partner_id=PARTNER_ID,
        partner_secret=PARTNER_SECRET,
        app_key=APP_KEY,
        base_url=servers[US].base_url,
        transport=transport,
    )


def test_us_balance_is_live_by_default_with_the_interval_sent(prism_servers: Servers) -> None:
    transport = RecordingTransport()
    with us_client(prism_servers, transport) as client:
        records = client.balance("5011640001", "5011648377")
    transport.assert_clean(count=2)
    assert_finicity_token_used(US, transport)
    call = transport.exchanges[1]
    assert call.url.path.endswith("/customers/5011640001/accounts/5011648377/availableBalance/live")
    assert call.url.params.get_list("balance_cache_interval") == ["0"]
    assert dicts(records) == expected(US, "GetAvailableBalanceLive", freshness=Freshness.LIVE)
    assert {r.freshness for r in records} == {Freshness.LIVE}


@pytest.mark.parametrize("minutes", [1, 30, 1440])
def test_us_balance_with_a_cache_interval(prism_servers: Servers, minutes: int) -> None:
    transport = RecordingTransport(prefer="example=AvailableBalanceOverdrawn")
    with us_client(prism_servers, transport) as client:
        records = client.balance("1", "2", cache_interval_minutes=minutes)
    transport.assert_clean(count=2)
    assert transport.exchanges[1].url.params.get_list("balance_cache_interval") == [str(minutes)]
    freshness = freshness_for_cache_interval(minutes)
    assert dicts(records) == expected(
        US, "GetAvailableBalanceLive", name="AvailableBalanceOverdrawn", freshness=freshness
    )


def test_us_async(prism_servers: Servers) -> None:
    transport = AsyncRecordingTransport()

    async def run() -> Any:
        async with AsyncOpenFinanceUS(
            partner_id=PARTNER_ID,
            partner_secret=PARTNER_SECRET,
            app_key=APP_KEY,
            base_url=prism_servers[US].base_url,
            transport=transport,
        ) as client:
            return await client.balance("5011640001", "5011648377")

    records = asyncio.run(run())
    transport.assert_clean(count=2)
    assert_finicity_token_used(US, transport)
    assert transport.exchanges[1].url.params.get_list("balance_cache_interval") == ["0"]
    assert dicts(records) == expected(US, "GetAvailableBalanceLive", freshness=Freshness.LIVE)


# --- Open Banking Connect ------------------------------------------------------------------------

CONSENT_ID = "cons-7f3e9a12b4c54d6e8f90a1b2c3d4e5f6"
ASPSP_ID = "420e5cff-0e2a-4156-991a-f6eeef0478cf"
CONNECT_ACCOUNT = "acc-3f2a9c4d5e6f47a8b9c0d1e2f3a4b5c6"


def connect_client(
    servers: Servers, transport: RecordingTransport, keystore: bytes
) -> OpenBankingConnect:
    return OpenBankingConnect(
        consumer_key=CONSUMER_KEY,
        signing_key=keystore,
        signing_key_password=KEY_PASSWORD,
        base_url=servers[CONNECT].base_url,
        transport=transport,
    )


def connect_body(exchange: Exchange) -> Any:
    return httpx.Response(200, content=exchange.request_body).json()


def test_connect_balances_unattended(
    prism_servers: Servers, keystore: bytes, signing_key: rsa.RSAPrivateKey
) -> None:
    transport = RecordingTransport()
    with connect_client(prism_servers, transport, keystore) as client:
        records = client.account_balances(CONNECT_ACCOUNT, consent_id=CONSENT_ID, aspsp_id=ASPSP_ID)
    transport.assert_clean(count=1)
    call = transport.exchanges[0]
    assert call.method == "POST"
    assert call.url.path.endswith("/accounts/account/balances")
    assert call.request_headers["Content-Type"] == "application/json"
    body = connect_body(call)
    info = body["requestInfo"]
    assert body["accountId"] == CONNECT_ACCOUNT
    assert UUID_RE.match(info["xRequestId"]), "xRequestId is generated when not given"
    assert info["consentId"] == CONSENT_ID
    assert info["aspspId"] == ASPSP_ID
    assert info.get("isLivePsuRequest", False) is False
    assert "psuIPAddress" not in info
    assert_signed(call, signing_key.public_key())
    assert dicts(records) == expected(CONNECT, "getAccountBalances")


def test_connect_balances_live_psu_every_field(
    prism_servers: Servers, keystore: bytes, signing_key: rsa.RSAPrivateKey
) -> None:
    x_request_id = str(uuid.uuid4())
    transport = RecordingTransport(prefer="example=DebitClosingBooked")
    with connect_client(prism_servers, transport, keystore) as client:
        records = client.account_balances(
            CONNECT_ACCOUNT,
            consent_id=CONSENT_ID,
            aspsp_id=ASPSP_ID,
            is_live_psu_request=True,
            psu_ip_address="2001:db8::8a2e:370:7334",
            psu_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
            psu_tpp_customer_id="customer-00042",
            merchant_id="MERCH-001",
            merchant_name="Example Merchant Ltd",
            x_request_id=x_request_id,
        )
    transport.assert_clean(count=1)
    call = transport.exchanges[0]
    assert connect_body(call) == {
        "requestInfo": {
            "xRequestId": x_request_id,
            "consentId": CONSENT_ID,
            "aspspId": ASPSP_ID,
            "isLivePsuRequest": True,
            "psuIPAddress": "2001:db8::8a2e:370:7334",
            "psuAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
            "psuTppCustomerId": "customer-00042",
            "merchant": {"id": "MERCH-001", "name": "Example Merchant Ltd"},
        },
        "accountId": CONNECT_ACCOUNT,
    }
    assert_signed(call, signing_key.public_key())
    assert dicts(records) == expected(CONNECT, "getAccountBalances", name="DebitClosingBooked")


def test_connect_live_psu_without_ip_is_refused_before_sending(
    prism_servers: Servers, keystore: bytes
) -> None:
    transport = RecordingTransport()
    with (
        connect_client(prism_servers, transport, keystore) as client,
        pytest.raises(NormalizeError),
    ):
        client.account_balances(
            CONNECT_ACCOUNT, consent_id=CONSENT_ID, aspsp_id=ASPSP_ID, is_live_psu_request=True
        )
    assert transport.exchanges == []


def test_connect_consent_expired(prism_servers: Servers, keystore: bytes) -> None:
    transport = RecordingTransport(prefer="code=400, example=InvalidTokenConsentExpired")
    with (
        connect_client(prism_servers, transport, keystore) as client,
        pytest.raises(VendorError) as caught,
    ):
        client.account_balances(CONNECT_ACCOUNT, consent_id=CONSENT_ID, aspsp_id=ASPSP_ID)
    transport.assert_clean(count=1)
    assert caught.value.code is VendorErrorCode.CONSENT_INVALID
    assert caught.value.status == 400


def test_connect_async(
    prism_servers: Servers, keystore: bytes, signing_key: rsa.RSAPrivateKey
) -> None:
    transport = AsyncRecordingTransport()

    async def run() -> Any:
        async with AsyncOpenBankingConnect(
            consumer_key=CONSUMER_KEY,
            signing_key=keystore,
            signing_key_password=KEY_PASSWORD,
            base_url=prism_servers[CONNECT].base_url,
            transport=transport,
        ) as client:
            return await client.account_balances(
                CONNECT_ACCOUNT,
                consent_id=CONSENT_ID,
                aspsp_id=ASPSP_ID,
                is_live_psu_request=True,
                psu_ip_address="192.168.8.78",
            )

    records = asyncio.run(run())
    transport.assert_clean(count=1)
    assert connect_body(transport.exchanges[0])["requestInfo"]["psuIPAddress"] == "192.168.8.78"
    assert_signed(transport.exchanges[0], signing_key.public_key())
    assert dicts(records) == expected(CONNECT, "getAccountBalances")


# --- Mastercard Send ---------------------------------------------------------------------------

PARTNER = "ptnr_BEeCrYJHh2BXTXPy_PEtp-8DBOo"
NON_CARD_TOKEN = "non_card_token:suZz18lhAFvx9LQa6U2VMxs0BJLAD_TXVzYvaqTsjcG_AImuzmvNXQ"
MEDIA = {False: "application/json", True: "application/xml"}


def send_client(servers: Servers, transport: RecordingTransport, keystore: bytes) -> MastercardSend:
    return MastercardSend(
        consumer_key=CONSUMER_KEY,
        signing_key=keystore,
        signing_key_password=KEY_PASSWORD,
        base_url=servers[SEND].base_url,
        transport=transport,
    )


@pytest.mark.parametrize("xml", [False, True], ids=["json", "xml"])
def test_send_one_and_all_accounts(
    prism_servers: Servers, keystore: bytes, signing_key: rsa.RSAPrivateKey, xml: bool
) -> None:
    transport = RecordingTransport()
    with send_client(prism_servers, transport, keystore) as client:
        one = client.account_balance(PARTNER, NON_CARD_TOKEN, xml=xml)
        every = client.account_balances(PARTNER, xml=xml)
    transport.assert_clean(count=2)
    media = MEDIA[xml]
    for call in transport.exchanges:
        assert call.method == "GET"
        assert call.request_headers["Accept"] == media
        assert call.response_headers["content-type"].startswith(media)
        assert call.request_body == b""
        assert_signed(call, signing_key.public_key())
    one_path = unquote(transport.exchanges[0].url.raw_path.decode())
    assert one_path.endswith(
        f"/v1/partners/{PARTNER}/non-card-tokens/{NON_CARD_TOKEN}/account-balance"
    )
    assert transport.exchanges[1].url.path.endswith(f"/v1/partners/{PARTNER}/account-balances")
    assert dicts(one) == expected(SEND, "getAccountBalance", media_type=media)
    assert dicts(every) == expected(SEND, "getAccountBalances", media_type=media)


def test_send_not_found_keeps_the_correlation_id(prism_servers: Servers, keystore: bytes) -> None:
    transport = RecordingTransport(prefer="code=404")
    with (
        send_client(prism_servers, transport, keystore) as client,
        pytest.raises(VendorError) as caught,
    ):
        client.account_balance(PARTNER, NON_CARD_TOKEN)
    transport.assert_clean(count=1)
    assert caught.value.code is VendorErrorCode.NOT_FOUND
    assert caught.value.vendor_code == "RESOURCE_NOT_FOUND"
    assert caught.value.trace_id == transport.exchanges[0].response_headers["correlation-id"]


@pytest.mark.parametrize("xml", [False, True], ids=["json", "xml"])
def test_send_async(
    prism_servers: Servers, keystore: bytes, signing_key: rsa.RSAPrivateKey, xml: bool
) -> None:
    transport = AsyncRecordingTransport()

    async def run() -> tuple[Any, Any]:
        async with AsyncMastercardSend(
            consumer_key=CONSUMER_KEY,
            signing_key=keystore,
            signing_key_password=KEY_PASSWORD,
            base_url=prism_servers[SEND].base_url,
            transport=transport,
        ) as client:
            one = await client.account_balance(PARTNER, NON_CARD_TOKEN, xml=xml)
            every = await client.account_balances(PARTNER, xml=xml)
            return one, every

    one, every = asyncio.run(run())
    transport.assert_clean(count=2)
    for call in transport.exchanges:
        assert call.request_headers["Accept"] == MEDIA[xml]
        assert_signed(call, signing_key.public_key())
    assert dicts(one) == expected(SEND, "getAccountBalance", media_type=MEDIA[xml])
    assert dicts(every) == expected(SEND, "getAccountBalances", media_type=MEDIA[xml])


# --- Token.io ----------------------------------------------------------------------------------

TOKEN_ACCOUNTS = [
    "a:8DbPteGnytmMbKXdnWTReeRB6cYWKXZ84JgLTBC7fKL4:5zKcENpV",
    "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW",
]


@pytest.mark.parametrize(
    ("credential", "authorization"),
    [({"jwt": JWT}, f"Bearer {JWT}"), ({"api_key": API_KEY}, f"Basic {API_KEY}")],
    ids=["jwt", "api-key"],
)
def test_token_one_and_several_accounts(
    prism_servers: Servers, credential: dict[str, str], authorization: str
) -> None:
    transport = RecordingTransport()
    with TokenIO(
        **credential, base_url=prism_servers[TOKEN].base_url, transport=transport
    ) as client:
        one = client.balance(TOKEN_ACCOUNTS[0], on_behalf_of=ON_BEHALF_OF)
        several = client.balances(
            TOKEN_ACCOUNTS, on_behalf_of=ON_BEHALF_OF, customer_ip_address="203.0.113.7"
        )
    transport.assert_clean(count=2)
    for call in transport.exchanges:
        assert call.request_headers["Authorization"] == authorization
        assert call.request_headers["on-behalf-of"] == ON_BEHALF_OF
    assert "token-customer-ip-address" not in transport.exchanges[0].request_headers
    assert transport.exchanges[1].request_headers["token-customer-ip-address"] == "203.0.113.7"
    assert unquote(transport.exchanges[0].url.raw_path.decode()).endswith(
        f"/accounts/{TOKEN_ACCOUNTS[0]}/balance"
    )
    # Repeated accountId pairs (form, exploded), not one comma-separated value: Prism accepts
    # both, so this is checked here.
    assert transport.exchanges[1].url.path.endswith("/account-balance")
    assert transport.exchanges[1].url.params.get_list("accountId") == TOKEN_ACCOUNTS
    assert dicts(one) == expected(TOKEN, "getBalance")
    assert dicts(several) == expected(TOKEN, "getBalances")


def test_token_more_signatures_needed(prism_servers: Servers) -> None:
    transport = RecordingTransport(prefer="example=BalanceMoreSignaturesNeeded")
    with (
        TokenIO(jwt=JWT, base_url=prism_servers[TOKEN].base_url, transport=transport) as client,
        pytest.raises(VendorError) as caught,
    ):
        client.balance(TOKEN_ACCOUNTS[0], on_behalf_of=ON_BEHALF_OF)
    transport.assert_clean(count=1)
    assert caught.value.code is VendorErrorCode.CONSENT_INVALID
    assert caught.value.vendor_code == "MORE_SIGNATURES_NEEDED"


def test_token_async(prism_servers: Servers) -> None:
    transport = AsyncRecordingTransport()

    async def run() -> tuple[Any, Any]:
        async with AsyncTokenIO(
            jwt=JWT, base_url=prism_servers[TOKEN].base_url, transport=transport
        ) as client:
            one = await client.balance(TOKEN_ACCOUNTS[0], on_behalf_of=ON_BEHALF_OF)
            several = await client.balances(TOKEN_ACCOUNTS, on_behalf_of=ON_BEHALF_OF)
            return one, several

    one, several = asyncio.run(run())
    transport.assert_clean(count=2)
    assert transport.exchanges[1].url.params.get_list("accountId") == TOKEN_ACCOUNTS
    assert dicts(one) == expected(TOKEN, "getBalance")
    assert dicts(several) == expected(TOKEN, "getBalances")


# --- Prism's validation bites ------------------------------------------------------------------


def rejected(response: httpx.Response, *where: str) -> list[dict[str, Any]]:
    """Prism refused the request (4xx) and said where the request breaks the spec."""
    found = violations(response.headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    request_errors = [v for v in found if v["location"][: len(where)] == list(where)]
    assert request_errors, found
    assert all(v["severity"] == "Error" for v in request_errors)
    return request_errors


def test_prism_rejects_token_request_without_on_behalf_of(prism_servers: Servers) -> None:
    response = httpx.get(
        f"{prism_servers[TOKEN].base_url}/accounts/{TOKEN_ACCOUNTS[0]}/balance",
        headers={"Authorization": f"Bearer {JWT}"},
    )
    assert response.status_code == 400
    [error] = rejected(response, "request", "header")
    assert "on-behalf-of" in error["message"]


def test_prism_rejects_token_basic_credential_not_user_password(prism_servers: Servers) -> None:
    response = httpx.get(
        f"{prism_servers[TOKEN].base_url}/accounts/{TOKEN_ACCOUNTS[0]}/balance",
        headers={"Authorization": "Basic opaque-api-key", "on-behalf-of": ON_BEHALF_OF},
    )
    assert response.status_code == 401
    rejected(response, "request")


def test_prism_rejects_connect_bad_x_request_id(prism_servers: Servers) -> None:
    body = {
        "requestInfo": {"xRequestId": "not-a-uuid", "consentId": CONSENT_ID, "aspspId": ASPSP_ID},
        "accountId": CONNECT_ACCOUNT,
    }
    response = httpx.post(
        f"{prism_servers[CONNECT].base_url}/accounts/account/balances",
        json=body,
        headers={"Authorization": 'OAuth oauth_consumer_key="x"'},
    )
    errors = rejected(response, "request", "body", "requestInfo", "xRequestId")
    assert {e["code"] for e in errors} >= {"pattern"}


def test_prism_rejects_unsigned_connect_request(prism_servers: Servers) -> None:
    body = {
        "requestInfo": {
            "xRequestId": str(uuid.uuid4()),
            "consentId": CONSENT_ID,
            "aspspId": ASPSP_ID,
        },
        "accountId": CONNECT_ACCOUNT,
    }
    response = httpx.post(f"{prism_servers[CONNECT].base_url}/accounts/account/balances", json=body)
    assert response.status_code == 401
    rejected(response, "request")


def test_prism_rejects_finicity_call_without_app_token(prism_servers: Servers) -> None:
    response = httpx.get(
        f"{prism_servers[AU].base_url}/aggregation/v1/customers/1/accounts/2/availableBalance/live",
        headers={"Finicity-App-Key": APP_KEY, "Accept": "application/json"},
    )
    assert response.status_code == 401
    rejected(response, "request")


def test_prism_rejects_us_cache_interval_out_of_range(prism_servers: Servers) -> None:
    response = httpx.get(
        f"{prism_servers[US].base_url}/aggregation/v1/customers/1/accounts/2/availableBalance/live",
        params={"balance_cache_interval": "1441"},
        headers={"Finicity-App-Key": APP_KEY, "Finicity-App-Token": "t"},
    )
    rejected(response, "request", "query", "balance_cache_interval")


def test_prism_rejects_send_without_signature(prism_servers: Servers) -> None:
    response = httpx.get(
        f"{prism_servers[SEND].base_url}/v1/partners/{PARTNER}/account-balances",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401
    rejected(response, "request")


def test_recording_transport_fails_on_a_violation(prism_servers: Servers) -> None:
    """The check every positive test makes does fail when a request breaks the spec."""
    transport = RecordingTransport()
    with httpx.Client(transport=transport) as client:
        client.get(
            f"{prism_servers[TOKEN].base_url}/accounts/x/balance",
            headers={"Authorization": f"Bearer {JWT}"},
        )
    with pytest.raises(AssertionError, match="on-behalf-of"):
        transport.assert_clean()


def test_every_server_is_on_loopback(prism_servers: Servers) -> None:
    """One server per vendor spec, the five real vendors' among them."""
    assert sorted(prism_servers) == sorted(VENDORS)
    assert {AU, US, CONNECT, SEND, TOKEN} <= set(prism_servers)
    for server in prism_servers.values():
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.process.poll() is None


# A valid request per operation, to ask Prism for each documented example in turn.
EXAMPLE_REQUESTS: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {
    **{
        (vendor, "CreateToken"): (
            "POST",
            TOKEN_PATH,
            {"json": {"partnerId": PARTNER_ID, "partnerSecret": PARTNER_SECRET}},
        )
        for vendor in (AU, US)
    },
    (AU, "GetAvailableBalanceLive"): (
        "GET",
        "/aggregation/v1/customers/1/accounts/2/availableBalance/live",
        {},
    ),
    (AU, "GetAvailableBalance"): (
        "GET",
        "/aggregation/v1/customers/1/accounts/2/availableBalance",
        {},
    ),
    (US, "GetAvailableBalanceLive"): (
        "GET",
        "/aggregation/v1/customers/1/accounts/2/availableBalance/live",
        {"params": {"balance_cache_interval": 0}},
    ),
    (CONNECT, "getAccountBalances"): (
        "POST",
        "/accounts/account/balances",
        {
            "json": {
                "requestInfo": {
                    "xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d",
                    "consentId": CONSENT_ID,
                    "aspspId": ASPSP_ID,
                },
                "accountId": CONNECT_ACCOUNT,
            }
        },
    ),
    (SEND, "getAccountBalance"): (
        "GET",
        f"/v1/partners/{PARTNER}/non-card-tokens/{NON_CARD_TOKEN}/account-balance",
        {},
    ),
    (SEND, "getAccountBalances"): ("GET", f"/v1/partners/{PARTNER}/account-balances", {}),
    (TOKEN, "getBalance"): ("GET", f"/accounts/{TOKEN_ACCOUNTS[0]}/balance", {}),
    (TOKEN, "getBalances"): ("GET", "/account-balance", {"params": {"accountId": TOKEN_ACCOUNTS}}),
}
CREDENTIAL_HEADERS = {
    AU: {"Finicity-App-Key": APP_KEY, "Finicity-App-Token": "t"},
    US: {"Finicity-App-Key": APP_KEY, "Finicity-App-Token": "t"},
    CONNECT: {"Authorization": 'OAuth oauth_consumer_key="x"'},
    SEND: {"Authorization": 'OAuth oauth_consumer_key="x"'},
    TOKEN: {"Authorization": f"Bearer {JWT}", "on-behalf-of": ON_BEHALF_OF},
}


def example_request(
    vendor: str, operation_id: str, base_url: str
) -> tuple[str, str, dict[str, Any]]:
    """A valid request of the operation: written out above for the five real vendors; for
    any other, the one its live client builds from the arguments in its fixtures folder
    (live-calls.yaml), with the auth its live description gives the test credentials."""
    if (vendor, operation_id) in EXAMPLE_REQUESTS:
        method, path, kwargs = EXAMPLE_REQUESTS[vendor, operation_id]
        return method, path, {**kwargs, "headers": CREDENTIAL_HEADERS[vendor]}
    assert vendor not in (AU, US, CONNECT, SEND, TOKEN), (vendor, operation_id)
    description = normalize.live.DESCRIPTIONS[vendor]
    [(method_name, operation)] = [
        (name, op) for name, op in description.operations.items() if op.operation_id == operation_id
    ]
    args, kwargs = live_support.ARGUMENTS[vendor, method_name]
    request = dict(operation.build(*args, **kwargs).request)
    auth = description.auth(vendor, base_url, live_support.credentials_for(vendor))
    return str(request.pop("method")).upper(), str(request.pop("url")), {**request, "auth": auth}


def test_prism_serves_every_documented_response_example_cleanly(prism_servers: Servers) -> None:
    """Prism's own validator (a second opinion beside tests/test_specs.py) finds every
    documented response example valid for its schema: with ``--errors`` an invalid one would
    come back as a 500, and for Send it would be listed in ``sl-violations``."""
    problems = []
    for vendor in VENDORS:
        for example in documented_examples(vendor):
            if example.where == "request":
                continue
            base_url = prism_servers[vendor].base_url
            method, path, kwargs = example_request(vendor, example.operation_id, base_url)
            headers = {
                **kwargs.pop("headers", {}),
                "Accept": example.media_type,
                "Prefer": f"code={example.where}, example={example.name}",
            }
            response = httpx.request(
                method, prism_servers[vendor].base_url + path, headers=headers, **kwargs
            )
            exchange = Exchange(
                method,
                response.request.url,
                response.request.headers,
                response.request.content,
                response.status_code,
                response.headers,
                response.content,
            )
            if response.status_code != int(example.where) or exchange.unexpected_violations():
                problems.append((example.id, response.status_code, exchange.violations))
    assert not problems
