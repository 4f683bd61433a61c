"""The generated clients: each operation sends the request its spec describes and parses the
spec's own example answers into the declared models.

Every call goes through ``httpx.MockTransport``: a fake vendor records the request and answers
with an example body read from ``specs/<vendor>/openapi.yaml`` (no payload is copied here).
"""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import msgspec
import pytest
import yaml
from live_support import ARGUMENTS
from mastercard_open_banking_connect_client.api.balances import (
    get_account_balances as connect_get_account_balances,
)
from mastercard_open_banking_connect_client.models import (
    AccountBalancesRequest,
    AccountBalancesResponse,
    CreditDebitIndicator,
    Merchant,
    RequestInfo,
)
from mastercard_open_finance_au_client.api.authentication import create_token as au_create_token
from mastercard_open_finance_au_client.api.balances import (
    get_available_balance as au_get_available_balance,
)
from mastercard_open_finance_au_client.api.balances import (
    get_available_balance_live as au_get_available_balance_live,
)
from mastercard_open_finance_us_client.api.authentication import create_token as us_create_token
from mastercard_open_finance_us_client.api.balances import (
    get_available_balance_live as us_get_available_balance_live,
)
from mastercard_open_finance_us_client.types import UNSET, Unset
from mastercard_send_client.api.balances import get_account_balance as send_get_account_balance
from mastercard_send_client.api.balances import get_account_balances as send_get_account_balances
from mastercard_send_client.models import AccountBalanceEnvelope, AccountBalanceList, BalanceState
from spec_documents import (
    ROOT,
    VENDORS,
    documented_examples,
    example_value,
    load_spec,
    operations,
    schema_at,
)
from token_io_client.api.balances import get_balance as token_get_balance
from token_io_client.api.balances import get_balances as token_get_balances
from token_io_client.models import GetBalanceResponse, GetBalancesResponse, RequestStatus

import normalize.live

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"

REAL_VENDORS = (AU, US, CONNECT, SEND, TOKEN)


def _package_name(vendor: str) -> str:
    settings = yaml.safe_load((ROOT / "specs" / vendor / "generator.yaml").read_text("utf-8"))
    return str(settings["package_name_override"])


# Each vendor's generated client package, as its generator settings name it.
PACKAGES = {vendor: _package_name(vendor) for vendor in VENDORS}

# Request values of our own; the response bodies all come from the specs.
FINICITY_HEADERS = {
    "Finicity-App-Key": "app-key-0123",
    "Finicity-App-Token": "AbCdEfGhIjKlMnOpQrSt",
}
CUSTOMER_ID = "1005061234"
FINICITY_ACCOUNT_ID = "5011648377"
SEND_PARTNER_ID = "ptnr_BEeCrYJHh2BXTXPy"
SEND_NON_CARD_TOKEN = "non_card_token:suZz18lhAFvx9LQa6U2VMxs0BJLAD_TXVzYvaqTsjcG_AImuzmvNXQ"
TOKEN_JWT = "eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl"
TOKEN_CONSENT = "ta:3eYPqmCzGBUjV4iEqXvdbHUxkbBNRmSjxAMCT8KS7Lwd:5zKtXEAq"
TOKEN_ACCOUNT_A = "a:8DbPteGnytmMbKXdnWTReeRB6cYWKXZ84JgLTBC7fKL4:5zKcENpV"
TOKEN_ACCOUNT_B = "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW"
PSU_IP_ADDRESS = "192.168.8.78"

# Client options per vendor: Finicity's app key and token travel as client headers; Token.io
# takes a bearer JWT; the two Mastercard OAuth 1.0a APIs sign each request outside the client.
CLIENT_OPTIONS: dict[str, dict[str, Any]] = {
    AU: {"headers": FINICITY_HEADERS},
    US: {"headers": FINICITY_HEADERS},
    CONNECT: {},
    SEND: {},
    TOKEN: {"token": TOKEN_JWT},
}


def package(vendor: str, module: str = "") -> ModuleType:
    return importlib.import_module(".".join(filter(None, [PACKAGES[vendor], module])))


class FakeVendor:
    """Answers every request with one JSON body and status, and records the requests."""

    def __init__(self, body: Any, status: int = 200) -> None:
        self.content = json.dumps(body).encode()
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(
            self.status, content=self.content, headers={"Content-Type": "application/json"}
        )

    @property
    def request(self) -> httpx.Request:
        (request,) = self.requests
        return request

    def client(self, vendor: str) -> Any:
        """The vendor's generated client, pointed at the spec's first server, over this fake."""
        options = dict(CLIENT_OPTIONS.get(vendor, {}))
        kind = "AuthenticatedClient" if "token" in options else "Client"
        return getattr(package(vendor), kind)(
            base_url=load_spec(vendor)["servers"][0]["url"],
            httpx_args={"transport": httpx.MockTransport(self)},
            **options,
        )


def assert_request(request: httpx.Request, method: str, url: str) -> None:
    """Method and URL; the path is compared decoded (the clients percent-encode ':' in ids)."""
    expected = httpx.URL(url)
    assert request.method == method
    assert (request.url.scheme, request.url.host, request.url.path) == (
        expected.scheme,
        expected.host,
        expected.path,
    )
    assert request.url.params.multi_items() == expected.params.multi_items()


def connect_request() -> AccountBalancesRequest:
    """Connect's request, built field by field from the spec's LivePsuRequest example."""
    example = example_value(CONNECT, "getAccountBalances", "request", "LivePsuRequest")
    info = example["requestInfo"]
    return AccountBalancesRequest(
        request_info=RequestInfo(
            x_request_id=info["xRequestId"],
            consent_id=info["consentId"],
            aspsp_id=info["aspspId"],
            is_live_psu_request=info["isLivePsuRequest"],
            psu_ip_address=info["psuIPAddress"],
            psu_agent=info["psuAgent"],
            psu_tpp_customer_id=info["psuTppCustomerId"],
            merchant=Merchant(id=info["merchant"]["id"], name=info["merchant"]["name"]),
        ),
        account_id=example["accountId"],
    )


def partner_credentials(vendor: str) -> Any:
    """Finicity's CreateToken body, built from the spec's PartnerCredentialsSample example."""
    example = example_value(vendor, "CreateToken", "request", "PartnerCredentialsSample")
    return package(vendor, "models").PartnerCredentials(
        partner_id=example["partnerId"], partner_secret=example["partnerSecret"]
    )


# One typical call of every operation of every spec.
CALLS: dict[tuple[str, str], Callable[[Any], Any]] = {
    (AU, "CreateToken"): lambda client: au_create_token.sync_detailed(
        client=client, body=partner_credentials(AU)
    ),
    (AU, "GetAvailableBalanceLive"): lambda client: au_get_available_balance_live.sync_detailed(
        CUSTOMER_ID, FINICITY_ACCOUNT_ID, client=client
    ),
    (AU, "GetAvailableBalance"): lambda client: au_get_available_balance.sync_detailed(
        CUSTOMER_ID, FINICITY_ACCOUNT_ID, client=client
    ),
    (US, "CreateToken"): lambda client: us_create_token.sync_detailed(
        client=client, body=partner_credentials(US)
    ),
    (US, "GetAvailableBalanceLive"): lambda client: us_get_available_balance_live.sync_detailed(
        CUSTOMER_ID, FINICITY_ACCOUNT_ID, client=client, balance_cache_interval=0
    ),
    (CONNECT, "getAccountBalances"): lambda client: connect_get_account_balances.sync_detailed(
        client=client, body=connect_request()
    ),
    (SEND, "getAccountBalance"): lambda client: send_get_account_balance.sync_detailed(
        SEND_PARTNER_ID, SEND_NON_CARD_TOKEN, client=client
    ),
    (SEND, "getAccountBalances"): lambda client: send_get_account_balances.sync_detailed(
        SEND_PARTNER_ID, client=client
    ),
    (TOKEN, "getBalance"): lambda client: token_get_balance.sync_detailed(
        TOKEN_ACCOUNT_A,
        client=client,
        on_behalf_of=TOKEN_CONSENT,
        token_customer_ip_address=PSU_IP_ADDRESS,
    ),
    (TOKEN, "getBalances"): lambda client: token_get_balances.sync_detailed(
        client=client, account_id=[TOKEN_ACCOUNT_A, TOKEN_ACCOUNT_B], on_behalf_of=TOKEN_CONSENT
    ),
}


def _snake(operation_id: str) -> str:
    """The generated module name of an operation (the generator's snake case)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation_id).lower()


def _operation_module(vendor: str, operation_id: str) -> ModuleType:
    """The generated module of one operation: ``<package>.api.<tag>.<operation>``."""
    api = package(vendor, "api")
    found = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(api.__path__, f"{api.__name__}.")
        if info.name.rsplit(".", 1)[-1] == _snake(operation_id)
    ]
    assert len(found) == 1, (vendor, operation_id, found)
    return found[0]


def _live_call(vendor: str, method: str, operation_id: str) -> Callable[[Any], Any]:
    """A call of a vendor's operation through its generated module, with the request its live
    description builds from the arguments in its fixtures folder (live-calls.yaml)."""
    args, kwargs = ARGUMENTS[vendor, method]
    build = normalize.live.DESCRIPTIONS[vendor].operations[method].build

    def run(client: Any) -> Any:
        module = _operation_module(vendor, operation_id)
        response = client.get_httpx_client().request(**build(*args, **kwargs).request)
        return module._build_response(client=client, response=response)

    return run


# The vendors the calls above do not write out: each operation its live description calls.
CALLS |= {
    (vendor, operation.operation_id): _live_call(vendor, method, operation.operation_id)
    for vendor, description in normalize.live.DESCRIPTIONS.items()
    if vendor not in REAL_VENDORS
    for method, operation in description.operations.items()
}


def call(vendor: str, operation_id: str, body: Any, status: int = 200) -> tuple[Any, FakeVendor]:
    """Run one operation against a fake vendor answering ``body``: (response, fake vendor)."""
    vendor_api = FakeVendor(body, status)
    return CALLS[vendor, operation_id](vendor_api.client(vendor)), vendor_api


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_spec_operation_is_called_here(vendor: str) -> None:
    """The calls above cover every operation of every spec, and no other; the five real
    vendors' are written out above."""
    in_spec = {operation["operationId"] for _, _, operation in operations(load_spec(vendor))}
    assert {operation for name, operation in CALLS if name == vendor} == in_spec
    assert set(REAL_VENDORS) <= set(VENDORS)


RESPONSE_EXAMPLES = [
    example
    for vendor in VENDORS
    for example in documented_examples(vendor)
    if example.where != "request" and example.media_type == "application/json"
]


@pytest.mark.parametrize("example", RESPONSE_EXAMPLES, ids=lambda ex: ex.id)
def test_documented_response_parses_into_its_declared_model(example: Any) -> None:
    """Every JSON response example, served with its status, parses into the model named by the
    spec for that status, and the raw bytes are kept for exact decoding."""
    response, vendor_api = call(
        example.vendor, example.operation_id, example.value, int(example.where)
    )
    _, schema_pointer = schema_at(example.vendor, example.schema_pointer)
    model_name = schema_pointer.removeprefix("/components/schemas/")
    assert response.status_code == int(example.where)
    assert isinstance(response.parsed, getattr(package(example.vendor, "models"), model_name))
    assert response.content == vendor_api.content


@pytest.mark.parametrize("vendor", [AU, US])
def test_finicity_create_token_posts_the_partner_credentials(vendor: str) -> None:
    """CreateToken POSTs {partnerId, partnerSecret} as JSON with the app key; the token parses."""
    token = example_value(vendor, "CreateToken", "200", "PartnerAccessTokenSample")
    response, vendor_api = call(vendor, "CreateToken", token)
    request = vendor_api.request
    assert_request(
        request, "POST", "https://api.finicity.com/aggregation/v2/partners/authentication"
    )
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Finicity-App-Key"] == FINICITY_HEADERS["Finicity-App-Key"]
    assert json.loads(request.content) == example_value(
        vendor, "CreateToken", "request", "PartnerCredentialsSample"
    )
    assert isinstance(response.parsed, package(vendor, "models").PartnerAccessToken)
    assert response.parsed.token == token["token"]


@pytest.mark.parametrize(
    ("vendor", "operation_id", "url"),
    [
        (
            AU,
            "GetAvailableBalanceLive",
            "https://api.finicity.com/aggregation/v1/customers/1005061234/accounts/5011648377"
            "/availableBalance/live",
        ),
        (
            AU,
            "GetAvailableBalance",
            "https://api.finicity.com/aggregation/v1/customers/1005061234/accounts/5011648377"
            "/availableBalance",
        ),
        (
            US,
            "GetAvailableBalanceLive",
            "https://api.finicity.com/aggregation/v1/customers/1005061234/accounts/5011648377"
            "/availableBalance/live?balance_cache_interval=0",
        ),
    ],
)
def test_finicity_balance_is_read_with_app_key_and_token(
    vendor: str, operation_id: str, url: str
) -> None:
    """A Finicity balance is a GET of the customer's account path carrying both app headers;
    the documented answer parses into AvailableBalance with its account id and currency."""
    example = example_value(vendor, operation_id, "200", "AvailableBalanceSample")
    response, vendor_api = call(vendor, operation_id, example)
    assert_request(vendor_api.request, "GET", url)
    for header, value in FINICITY_HEADERS.items():
        assert vendor_api.request.headers[header] == value
    assert isinstance(response.parsed, package(vendor, "models").AvailableBalance)
    assert (response.parsed.id, response.parsed.currency) == (example["id"], example["currency"])


@pytest.mark.parametrize(
    ("interval", "query"),
    [
        (0, [("balance_cache_interval", "0")]),
        (1440, [("balance_cache_interval", "1440")]),
        (UNSET, []),
    ],
)
def test_us_balance_cache_interval_is_sent_exactly_when_given(
    interval: int | Unset, query: list[tuple[str, str]]
) -> None:
    """US `balance_cache_interval` goes on the query when given, 0 included; the client adds no
    default of its own (the spec has none on purpose)."""
    vendor_api = FakeVendor(
        example_value(US, "GetAvailableBalanceLive", "200", "AvailableBalanceSample")
    )
    us_get_available_balance_live.sync_detailed(
        CUSTOMER_ID,
        FINICITY_ACCOUNT_ID,
        client=vendor_api.client(US),
        balance_cache_interval=interval,
    )
    assert vendor_api.request.url.params.multi_items() == query


def test_connect_posts_request_info_and_account_id_as_json() -> None:
    """Connect POSTs exactly the documented request JSON and parses the balances of that account."""
    sent = example_value(CONNECT, "getAccountBalances", "request", "LivePsuRequest")
    answer = example_value(CONNECT, "getAccountBalances", "200", "SandboxAvailableAndCurrent")
    response, vendor_api = call(CONNECT, "getAccountBalances", answer)
    request = vendor_api.request
    assert_request(
        request,
        "POST",
        "https://api.mastercard.com/openbanking/connect/api/accounts/account/balances",
    )
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == sent
    parsed = response.parsed
    assert isinstance(parsed, AccountBalancesResponse)
    assert parsed.original_request_info.x_request_id == sent["requestInfo"]["xRequestId"]
    assert parsed.account.resource_id == sent["accountId"]
    assert [(b.balance_type, b.credit_debit_indicator) for b in parsed.account.balances] == [
        ("Available", CreditDebitIndicator.CREDIT_UPPERCASE),
        ("Current", CreditDebitIndicator.CREDIT_UPPERCASE),
    ]


def test_connect_parses_the_debit_example_in_the_pages_spellings() -> None:
    """Connect's Debit example parses: indicator Debit, string amount kept, aware date-time."""
    answer = example_value(CONNECT, "getAccountBalances", "200", "DebitClosingBooked")
    response, _ = call(CONNECT, "getAccountBalances", answer)
    (closing, _) = response.parsed.account.balances
    assert closing.credit_debit_indicator is CreditDebitIndicator.DEBIT
    assert closing.balance_amount.amount == "50.00"
    assert closing.date_time == datetime.datetime(2024, 3, 5, 23, 59, 59, tzinfo=datetime.UTC)


def test_send_reads_one_account_by_its_non_card_token() -> None:
    """Send's one-account GET names partner and token in the path; the envelope parses."""
    answer = example_value(SEND, "getAccountBalance", "200", "SingleAccountBalance")
    response, vendor_api = call(SEND, "getAccountBalance", answer)
    assert_request(
        vendor_api.request,
        "GET",
        f"https://sandbox.api.mastercard.com/send/v1/partners/{SEND_PARTNER_ID}"
        f"/non-card-tokens/{SEND_NON_CARD_TOKEN}/account-balance",
    )
    assert isinstance(response.parsed, AccountBalanceEnvelope)
    account = response.parsed.account_balances.account_balance
    assert account.non_card_token == answer["account_balances"]["account_balance"]["non_card_token"]
    assert (account.balance.amount, account.balance.currency) == ("1000", "GBP")
    assert account.balance.state is BalanceState.IN_CREDIT
    # The vendor's second-80 timestamp stays text: the client does not choke on it.
    assert account.created_date == "2017-06-05T11:47:80Z"


def test_send_reads_all_of_a_partners_accounts() -> None:
    """Send's partner-wide GET parses the hyphenated `account-balances` list, three accounts."""
    answer = example_value(SEND, "getAccountBalances", "200", "PartnerAccountBalances")
    response, vendor_api = call(SEND, "getAccountBalances", answer)
    assert_request(
        vendor_api.request,
        "GET",
        f"https://sandbox.api.mastercard.com/send/v1/partners/{SEND_PARTNER_ID}/account-balances",
    )
    assert isinstance(response.parsed, AccountBalanceList)
    assert [account.non_card_token for account in response.parsed.account_balances] == [
        account["non_card_token"] for account in answer["account-balances"]
    ]


def test_token_reads_one_balance_on_behalf_of_the_consent() -> None:
    """Token's one-account GET carries the consent, the user's IP and the bearer JWT."""
    answer = example_value(TOKEN, "getBalance", "200", "BalanceSuccessful")
    response, vendor_api = call(TOKEN, "getBalance", answer)
    request = vendor_api.request
    assert_request(request, "GET", f"https://api.token.io/accounts/{TOKEN_ACCOUNT_A}/balance")
    assert request.headers["on-behalf-of"] == TOKEN_CONSENT
    assert request.headers["token-customer-ip-address"] == PSU_IP_ADDRESS
    assert request.headers["Authorization"] == f"Bearer {TOKEN_JWT}"
    assert isinstance(response.parsed, GetBalanceResponse)
    assert response.parsed.status is RequestStatus.SUCCESSFUL_REQUEST
    assert response.parsed.balance.account_id == TOKEN_ACCOUNT_A
    assert response.parsed.balance.current.value == "12009.1000"


def test_token_reads_several_balances_with_a_repeated_account_id() -> None:
    """Token's several-accounts GET repeats `accountId` on the query, one pair per account,
    and sends no IP header when none is given."""
    answer = example_value(TOKEN, "getBalances", "200", "BalancesSeveralAccounts")
    response, vendor_api = call(TOKEN, "getBalances", answer)
    request = vendor_api.request
    assert_request(
        request,
        "GET",
        f"https://api.token.io/account-balance?accountId={TOKEN_ACCOUNT_A}&accountId={TOKEN_ACCOUNT_B}",
    )
    assert request.headers["on-behalf-of"] == TOKEN_CONSENT
    assert "token-customer-ip-address" not in request.headers
    assert isinstance(response.parsed, GetBalancesResponse)
    assert [result.balance.account_id for result in response.parsed.response] == [
        TOKEN_ACCOUNT_A,
        TOKEN_ACCOUNT_B,
    ]


# The msgspec wire structs that normalize decodes into: what the specs say about optional,
# nullable and two-form fields must hold in the generated types too.

WIRE_OPTIONAL_FIELDS = [
    # (vendor, struct, a valid body, JSON key that may be absent or null, attribute)
    (
        US,
        "AvailableBalance",
        {
            "id": 1,
            "availableBalance": 1.5,
            "availableBalanceDate": 1,
            "clearedBalance": 2,
            "clearedBalanceDate": 1,
            "currency": "USD",
            "realAccountNumberLast4": "5678",
            "aggregationStatusCode": 0,
        },
        "realAccountNumberLast4",
        "real_account_number_last4",
    ),
    (AU, "ErrorMessage", {"code": "14001", "message": "x"}, "message", "message"),
    (AU, "ErrorMessage", {"code": "10010", "tags": ""}, "tags", "tags"),
    (
        CONNECT,
        "AccountBalancesResponse",
        {"originalRequestInfo": {"xRequestId": "x"}, "account": {"resourceId": "r"}},
        "account",
        "account",
    ),
    (CONNECT, "Account", {"resourceId": "r", "name": "n", "balances": []}, "name", "name"),
    (CONNECT, "Account", {"resourceId": "r", "balances": []}, "balances", "balances"),
    (
        CONNECT,
        "Balance",
        {
            "balanceAmount": {"currency": "EUR", "amount": "1.00"},
            "creditDebitIndicator": "Credit",
            "balanceType": "closingBooked",
            "dateTime": "2024-03-05T23:59:59+00:00",
        },
        "dateTime",
        "date_time",
    ),
    (CONNECT, "ErrorDetail", {"ReasonCode": "X", "Description": "d"}, "Description", "description"),
    (SEND, "ErrorDetail", {"ReasonCode": "X", "Recoverable": False}, "Recoverable", "recoverable"),
    (TOKEN, "GetBalanceResponse", {"status": "SUCCESSFUL_REQUEST"}, "status", "status"),
    (
        TOKEN,
        "Balance",
        {"current": {"currency": "USD", "value": "1.00"}},
        "current",
        "current",
    ),
    (TOKEN, "Balance", {"updatedAtMs": "1715846400000"}, "updatedAtMs", "updated_at_ms"),
    (TOKEN, "TypedBalance", {"amount": {"currency": "EUR", "value": "1"}}, "amount", "amount"),
    (TOKEN, "ErrorDetail", {"errorCode": "NOT_FOUND"}, "errorCode", "error_code"),
]


@pytest.mark.parametrize(
    ("vendor", "struct", "body", "key", "attribute"),
    WIRE_OPTIONAL_FIELDS,
    ids=[f"{row[0]}:{row[1]}.{row[3]}" for row in WIRE_OPTIONAL_FIELDS],
)
def test_wire_struct_reads_an_optional_field_absent_or_null_alike(
    vendor: str, struct: str, body: dict[str, Any], key: str, attribute: str
) -> None:
    """An optional field the vendor may leave out (see the conformance tests of test_specs.py
    for the vendor source of each) decodes from the wire absent or null alike, as None; when
    present it keeps its value."""
    wire_type = getattr(package(vendor, "wire"), struct)
    present = msgspec.json.decode(json.dumps(body).encode(), type=wire_type)
    assert getattr(present, attribute) is not None
    absent = {k: v for k, v in body.items() if k != key}
    for variant in (absent, {**absent, key: None}):
        decoded = msgspec.json.decode(json.dumps(variant).encode(), type=wire_type)
        assert getattr(decoded, attribute) is None


@pytest.mark.parametrize("vendor", [AU, US])
@pytest.mark.parametrize("code", ["14001", 14001])
def test_wire_finicity_error_code_keeps_a_number_or_a_string(vendor: str, code: Any) -> None:
    """ErrorMessage.code "can be returned as a number or a string" (Mastercard/
    open-banking-us-openapi, openbanking-us.yaml): the wire struct keeps either as sent, and
    the generated client parses both."""
    body = json.dumps({"code": code}).encode()
    assert msgspec.json.decode(body, type=package(vendor, "wire").ErrorMessage).code == code
    assert package(vendor, "models").ErrorMessage.from_dict({"code": code}).code == code
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"code": 1.5}', type=package(vendor, "wire").ErrorMessage)


@pytest.mark.parametrize("struct", ["Balance", "TypedBalance"])
@pytest.mark.parametrize("updated_at_ms", ["1715846400000", 1715846400000])
def test_wire_token_updated_at_ms_keeps_a_string_or_an_integer(
    struct: str, updated_at_ms: Any
) -> None:
    """proto3 JSON writes `int64 updated_at_ms` (tokenio/sdk-php,
    lib/Proto/Io/Token/Proto/Common/Transaction/Balance.php) as a string, and parsers accept a
    number: the wire struct keeps either form as sent."""
    body = json.dumps({"updatedAtMs": updated_at_ms}).encode()
    wire_type = getattr(package(TOKEN, "wire"), struct)
    assert msgspec.json.decode(body, type=wire_type).updated_at_ms == updated_at_ms


@pytest.mark.parametrize(
    ("vendor", "struct", "body"),
    [
        (US, "AvailableBalance", {"id": 1, "availableBalanceDate": 1, "currency": "USD"}),
        (CONNECT, "Balance", {"creditDebitIndicator": "Credit"}),
        (TOKEN, "Money", {"currency": "USD"}),
        (SEND, "Balance", {"currency": "GBP", "state": "IN_CREDIT"}),
    ],
)
def test_wire_struct_still_refuses_a_balance_without_its_amount(
    vendor: str, struct: str, body: dict[str, Any]
) -> None:
    """A present balance without its amount is not a zero balance: the amount fields the
    vendors require stay required in the wire structs."""
    with pytest.raises(msgspec.ValidationError, match="missing required field"):
        msgspec.json.decode(
            json.dumps(body).encode(), type=getattr(package(vendor, "wire"), struct)
        )


def test_generated_token_client_reads_a_result_without_status_or_balance() -> None:
    """A Token result without `status` (proto3's default INVALID_REQUEST left out, tokenio/
    sdk-php lib/Proto/Io/Token/Proto/Common/Transaction/RequestStatus.php) and with a null
    balance parses in the generated client, status unset and balance None."""
    response, _ = call(TOKEN, "getBalance", {"balance": None})
    assert isinstance(response.parsed, GetBalanceResponse)
    assert response.parsed.balance is None
    assert isinstance(response.parsed.status, package(TOKEN, "types").Unset)
