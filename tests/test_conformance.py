"""What the vendors' own published specs, SDKs and reference apps allow is read, not refused.

One test per conformance decision, each naming the published source it follows. The specs
in specs/ say the same at schema level (tests/test_specs.py); these tests say what the
mapping makes of such bodies.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from normalize import (
    BalanceType,
    Freshness,
    InvalidAmount,
    InvalidField,
    MissingField,
    OutcomeKind,
    Scope,
    UnknownEnumValue,
    VendorError,
    VendorErrorCode,
    normalize_response,
    parse_response,
)

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def vendor_error(vendor: str, value: Any, **call: Any) -> VendorError:
    outcome = parse_response(
        vendor, dumps(value) if not isinstance(value, bytes) else value, **call
    )
    assert outcome.kind is OutcomeKind.VENDOR_ERROR, outcome.problems
    (problem,) = outcome.problems
    assert isinstance(problem.error, VendorError)
    return problem.error


# --- Mastercard Open Finance (Mastercard/open-banking-us-openapi, openbanking-us.yaml) -----

FINICITY_BALANCE = {
    "id": 5011648377,
    "realAccountNumberLast4": "5678",
    "availableBalance": 1233.45,
    "availableBalanceDate": 1735732800,
    "clearedBalance": 1250.45,
    "clearedBalanceDate": 1735732800,
    "aggregationStatusCode": 0,
    "currency": "USD",
}


@pytest.mark.parametrize("vendor", [AU, US])
def test_finicity_error_whose_tags_is_an_empty_string(vendor: str) -> None:
    """ErrorMessage's own 400 example in the vendor's spec has ``"tags": ""``."""
    error = vendor_error(
        vendor,
        {"code": "10010", "message": "Invalid field (customerId)", "tags": ""},
        status=400,
    )
    assert error.code is VendorErrorCode.INVALID_REQUEST
    assert error.vendor_code == "10010"
    assert error.vendor_message == "Invalid field (customerId)"


@pytest.mark.parametrize("vendor", [AU, US])
@pytest.mark.parametrize(("code", "text"), [(14001, "14001"), ("14001", "14001")])
def test_finicity_error_code_is_a_number_or_a_string(vendor: str, code: object, text: str) -> None:
    """ErrorMessage.code: "number or string" in the vendor's spec; 14001 = customer not found."""
    error = vendor_error(vendor, {"code": code, "message": "Customer not found."}, status=404)
    assert error.vendor_code == text
    assert error.code is VendorErrorCode.NOT_FOUND


@pytest.mark.parametrize("vendor", [AU, US])
def test_finicity_error_without_message(vendor: str) -> None:
    """Only ``code`` is required in ErrorMessage; an unknown code falls back on the status."""
    error = vendor_error(vendor, {"code": "99999"}, status=500)
    assert error.vendor_message is None
    assert error.code is VendorErrorCode.PROVIDER_ERROR


@pytest.mark.parametrize("vendor", [AU, US])
@pytest.mark.parametrize("absent", ["realAccountNumberLast4", "aggregationStatusCode"])
@pytest.mark.parametrize("how", ["left-out", "null"])
def test_finicity_balance_without_an_optional_field(vendor: str, absent: str, how: str) -> None:
    """realAccountNumberLast4 is "only returned for ACH-enabled accounts" and
    aggregationStatusCode is missing until the first aggregation (the vendor's field texts);
    explicit null reads as absent."""
    body = dict(FINICITY_BALANCE)
    if how == "null":
        body[absent] = None
    else:
        del body[absent]
    records = normalize_response(vendor, dumps(body))
    assert [(r.amount, r.balance_type) for r in records] == [
        (Decimal("1233.45"), BalanceType.INTERIM_AVAILABLE),
        (Decimal("1250.45"), BalanceType.INTERIM_BOOKED),
    ]


@pytest.mark.parametrize(
    ("given", "operation", "freshness"),
    [
        ("GetAvailableBalanceLive", "GetAvailableBalanceLive", Freshness.LIVE),
        ("GetAvailableBalance", "GetAvailableBalance", Freshness.CACHED),
        ("getAvailableBalanceLive", "GetAvailableBalanceLive", Freshness.LIVE),
        ("getAvailableBalance", "GetAvailableBalance", Freshness.CACHED),
    ],
)
def test_au_takes_the_vendors_operation_ids(
    given: str, operation: str, freshness: Freshness
) -> None:
    """The vendor's operationIds (GetAvailableBalanceLive, GetAvailableBalance) set AU
    freshness; the older lower-camel spellings are accepted and recorded canonically."""
    records = normalize_response(AU, dumps(FINICITY_BALANCE), operation=given)
    assert {(r.operation, r.freshness) for r in records} == {(operation, freshness)}


def test_au_cached_404_without_a_vendor_body_is_not_cached() -> None:
    """The AU cached endpoint answers 404 when nothing was cached (vendor page); an empty or
    HTML 404 there is NOT_CACHED, on the live endpoint NOT_FOUND."""
    cached = vendor_error(AU, b"", status=404, operation="GetAvailableBalance")
    live = vendor_error(
        AU, b"<html>Not Found</html>", status=404, operation="GetAvailableBalanceLive"
    )
    assert cached.code is VendorErrorCode.NOT_CACHED
    assert live.code is VendorErrorCode.NOT_FOUND
    assert live.vendor_message == "<html>Not Found</html>"


# --- Open Banking Connect (the vendor's Get Account Balances page: multiplicities) ---------

CONNECT_INFO = {"originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"}}


@pytest.mark.parametrize("account", ["left-out", "null"])
def test_connect_body_without_account_gives_no_records(account: str) -> None:
    """``account`` is 0..1 on the vendor's page."""
    body: dict[str, Any] = dict(CONNECT_INFO)
    if account == "null":
        body["account"] = None
    outcome = parse_response(CONNECT, dumps(body))
    assert outcome.kind is OutcomeKind.RECORDS
    assert outcome.records == ()


@pytest.mark.parametrize("how", ["left-out", "null", "empty"])
def test_connect_account_without_name_or_balances(how: str) -> None:
    """``name`` 0..1 and ``balances`` 0..* on the vendor's page."""
    account: dict[str, Any] = {"resourceId": "acc-1"}
    if how == "null":
        account |= {"name": None, "balances": None}
    elif how == "empty":
        account |= {"name": "", "balances": []}
    outcome = parse_response(CONNECT, dumps({**CONNECT_INFO, "account": account}))
    assert outcome.kind is OutcomeKind.RECORDS
    assert outcome.records == ()


@pytest.mark.parametrize("how", ["left-out", "null"])
def test_connect_balance_without_type_or_time(how: str) -> None:
    """``balanceType`` and ``dateTime`` are 0..1 on the vendor's page: no type is
    UNCLASSIFIED with no vendor type, no time is ``as_of`` None."""
    balance: dict[str, Any] = {
        "balanceAmount": {"currency": "EUR", "amount": "10.50"},
        "creditDebitIndicator": "Debit",
    }
    if how == "null":
        balance |= {"balanceType": None, "dateTime": None}
    body = {**CONNECT_INFO, "account": {"resourceId": "acc-1", "balances": [balance]}}
    (record,) = normalize_response(CONNECT, dumps(body))
    assert record.amount == Decimal("-10.50")
    assert record.balance_type is BalanceType.UNCLASSIFIED
    assert record.vendor_balance_type is None
    assert record.as_of is None


@pytest.mark.parametrize("vendor", [CONNECT, SEND])
@pytest.mark.parametrize(
    ("item", "code", "reason"),
    [
        ({"ReasonCode": "RESOURCE_NOT_FOUND"}, VendorErrorCode.NOT_FOUND, "RESOURCE_NOT_FOUND"),
        ({"Source": "x", "Details": None}, VendorErrorCode.NOT_FOUND, None),
        ({}, VendorErrorCode.NOT_FOUND, None),
    ],
)
def test_gateway_error_items_need_no_field(
    vendor: str, item: dict[str, Any], code: VendorErrorCode, reason: str | None
) -> None:
    """The Mastercard gateway's published ErrorResponse (Mastercard/send-api-demo-app,
    mastercard-send-payments-api-swagger.yaml) requires none of an item's fields; Description
    is there only when there is more to say. The status then gives the code."""
    error = vendor_error(vendor, {"Errors": {"Error": [item]}}, status=404)
    assert error.code is code
    assert error.vendor_code == reason
    assert error.vendor_message is None


def test_connect_reason_code_without_description_still_classifies() -> None:
    error = vendor_error(
        CONNECT, {"Errors": {"Error": [{"ReasonCode": "INVALID_TOKEN"}]}}, status=401
    )
    assert error.code is VendorErrorCode.CONSENT_INVALID


# --- Token.io (api-evangelist/token-io openapi/_original/token-io-openapi.yml; protos in
# tokenio/sdk-php lib/Proto; tokenio/sdk-js core/src) ---------------------------------------


def token_balance(**balance: Any) -> dict[str, Any]:
    return {"balance": {"accountId": "a:1", **balance}, "status": "SUCCESSFUL_REQUEST"}


USD = {"currency": "USD", "value": "10.00"}


@pytest.mark.parametrize(
    ("balance", "types"),
    [
        ({"available": USD}, [BalanceType.INTERIM_AVAILABLE]),
        ({"current": USD}, [BalanceType.INTERIM_BOOKED]),
        ({"current": None, "available": USD}, [BalanceType.INTERIM_AVAILABLE]),
        ({}, []),
    ],
)
def test_token_balance_without_current_or_available(
    balance: dict[str, Any], types: list[BalanceType]
) -> None:
    """None of Balance's fields is required in Token's spec, and proto3 JSON leaves unset
    messages out: an absent balance gives no record, and that is not an error."""
    outcome = parse_response(TOKEN, dumps(token_balance(**balance)))
    assert outcome.kind is OutcomeKind.RECORDS
    assert [r.balance_type for r in outcome.records] == types


@pytest.mark.parametrize("money", [{"currency": "USD"}, {"value": "1.00"}])
def test_token_money_without_its_value_or_currency_is_still_an_error(money: dict[str, Any]) -> None:
    """Money requires currency and value: present but incomplete is never read as zero."""
    outcome = parse_response(TOKEN, dumps(token_balance(current=money, available=USD)))
    assert not outcome.records
    assert isinstance(outcome.problems[0].error, MissingField)


def test_token_several_accounts_one_without_current_loses_nothing_else() -> None:
    body = {
        "response": [
            token_balance(available=USD),
            {
                "balance": {"accountId": "a:2", "current": USD, "available": USD},
                "status": "SUCCESSFUL_REQUEST",
            },
        ]
    }
    records = normalize_response(TOKEN, dumps(body))
    assert [(r.account_id, r.balance_type) for r in records] == [
        ("a:1", BalanceType.INTERIM_AVAILABLE),
        ("a:2", BalanceType.INTERIM_BOOKED),
        ("a:2", BalanceType.INTERIM_AVAILABLE),
    ]


@pytest.mark.parametrize("updated", ["1722505195123", 1722505195123])
def test_token_balance_level_updated_at_ms_is_the_time_of_current_and_available(
    updated: object,
) -> None:
    """Token's protobuf Balance has ``int64 updated_at_ms = 4`` (tokenio/sdk-php); proto3 JSON
    writes an int64 as a string and parsers accept a number too."""
    records = normalize_response(
        TOKEN, dumps(token_balance(current=USD, available=USD, updatedAtMs=updated))
    )
    moment = datetime(2024, 8, 1, 9, 39, 55, 123000, tzinfo=UTC)
    assert [r.as_of for r in records] == [moment, moment]


@pytest.mark.parametrize("updated", ["1722505195123", 1722505195123])
def test_token_other_balance_updated_at_ms_string_or_number(updated: object) -> None:
    body = token_balance(
        otherBalances=[{"amount": USD, "type": "closingBooked", "updatedAtMs": updated}]
    )
    (record,) = normalize_response(TOKEN, dumps(body))
    assert record.as_of == datetime(2024, 8, 1, 9, 39, 55, 123000, tzinfo=UTC)
    assert record.balance_type is BalanceType.CLOSING_BOOKED


@pytest.mark.parametrize("updated", ["-", "1.5", "", "12345678901234567890123", True, 1.5])
def test_token_updated_at_ms_that_is_no_int64_is_an_error(updated: object) -> None:
    outcome = parse_response(TOKEN, dumps(token_balance(current=USD, updatedAtMs=updated)))
    assert not outcome.records
    assert outcome.problems


def test_token_body_without_status_is_the_proto3_default_invalid_request() -> None:
    """proto3 JSON leaves an enum at its default out: no ``status`` is INVALID_REQUEST, and
    its balance is not used."""
    error = vendor_error(TOKEN, {"balance": {"accountId": "a:1", "current": USD}})
    assert error.code is VendorErrorCode.INVALID_REQUEST
    assert error.vendor_code == "INVALID_REQUEST"
    assert error.account_id == "a:1"


def test_token_error_code_is_kept() -> None:
    """Token's error bodies carry ``errorCode`` and ``tokenTraceId`` (the vendor's spec)."""
    error = vendor_error(
        TOKEN,
        {
            "error": {
                "message": "forbidden",
                "errorCode": "PERMISSION_DENIED",
                "tokenTraceId": "t-1",
            }
        },
        status=403,
    )
    assert (error.code, error.vendor_code, error.vendor_message, error.trace_id) == (
        VendorErrorCode.UNAUTHORIZED,
        "PERMISSION_DENIED",
        "forbidden",
        "t-1",
    )


def test_token_unknown_request_status_is_an_unknown_enum_value() -> None:
    """A RequestStatus value the mapping does not handle is refused by name, never a KeyError."""
    with pytest.raises(UnknownEnumValue) as caught:
        normalize_response(TOKEN, dumps({"balance": {"accountId": "a"}, "status": "NEW_STATUS"}))
    assert caught.value.value == "NEW_STATUS"


# --- results as values (must show: one failed account among several) --------------------


def test_several_accounts_with_one_failed_gives_the_good_records_and_one_problem() -> None:
    body = {
        "response": [
            {
                "balance": {"accountId": "a:good", "current": USD, "available": USD},
                "status": "SUCCESSFUL_REQUEST",
            },
            {"balance": {"accountId": "a:consent"}, "status": "MORE_SIGNATURES_NEEDED"},
            {
                "balance": {
                    "accountId": "a:also-good",
                    "current": {"currency": "EUR", "value": "-3.5000"},
                },
                "status": "SUCCESSFUL_REQUEST",
            },
        ]
    }
    outcome = parse_response(TOKEN, dumps(body))
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [(r.account_id, str(r.amount)) for r in outcome.records] == [
        ("a:good", "10.00"),
        ("a:good", "10.00"),
        ("a:also-good", "-3.5000"),
    ]
    (problem,) = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.ACCOUNT,
        "$.response[1]",
        "a:consent",
    )
    assert isinstance(problem.error, VendorError)
    assert problem.error.code is VendorErrorCode.CONSENT_INVALID
    assert problem.error.account_id == "a:consent"
    # The strict call raises that problem.
    with pytest.raises(VendorError) as caught:
        normalize_response(TOKEN, dumps(body))
    assert caught.value.account_id == "a:consent"


def test_one_bad_balance_is_a_problem_of_its_own() -> None:
    body = token_balance(current={"currency": "USD", "value": "1e3"}, available=USD)
    outcome = parse_response(TOKEN, dumps(body))
    assert [r.balance_type for r in outcome.records] == [BalanceType.INTERIM_AVAILABLE]
    (problem,) = outcome.problems
    assert (problem.scope, problem.path) == (Scope.BALANCE, "$.balance.current")
    assert isinstance(problem.error, InvalidAmount)
    assert problem.error.field == "$.balance.current.value"


# --- balance types banks behind Connect and Token send -----------------------------------


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        # ISO 20022 BalanceType12Code
        ("OPBD", BalanceType.OPENING_BOOKED),
        ("ITBD", BalanceType.INTERIM_BOOKED),
        ("CLBD", BalanceType.CLOSING_BOOKED),
        ("PRCD", BalanceType.PREVIOUSLY_CLOSED_BOOKED),
        ("OPAV", BalanceType.OPENING_AVAILABLE),
        ("ITAV", BalanceType.INTERIM_AVAILABLE),
        ("CLAV", BalanceType.CLOSING_AVAILABLE),
        ("FWAV", BalanceType.FORWARD_AVAILABLE),
        ("XPCD", BalanceType.EXPECTED),
        ("INFO", BalanceType.INFORMATION),
        # UK Open Banking v3 OBBalanceType1Code, the Cleared family included
        ("ClosingAvailable", BalanceType.CLOSING_AVAILABLE),
        ("ClosingBooked", BalanceType.CLOSING_BOOKED),
        ("ClosingCleared", BalanceType.CLOSING_CLEARED),
        ("Expected", BalanceType.EXPECTED),
        ("ForwardAvailable", BalanceType.FORWARD_AVAILABLE),
        ("Information", BalanceType.INFORMATION),
        ("InterimAvailable", BalanceType.INTERIM_AVAILABLE),
        ("InterimBooked", BalanceType.INTERIM_BOOKED),
        ("InterimCleared", BalanceType.INTERIM_CLEARED),
        ("OpeningAvailable", BalanceType.OPENING_AVAILABLE),
        ("OpeningBooked", BalanceType.OPENING_BOOKED),
        ("OpeningCleared", BalanceType.OPENING_CLEARED),
        ("PreviouslyClosedBooked", BalanceType.PREVIOUSLY_CLOSED_BOOKED),
        # Berlin Group NextGenPSD2 balanceType
        ("closingBooked", BalanceType.CLOSING_BOOKED),
        ("expected", BalanceType.EXPECTED),
        ("openingBooked", BalanceType.OPENING_BOOKED),
        ("interimAvailable", BalanceType.INTERIM_AVAILABLE),
        ("interimBooked", BalanceType.INTERIM_BOOKED),
        ("forwardAvailable", BalanceType.FORWARD_AVAILABLE),
        ("nonInvoiced", BalanceType.NON_INVOICED),
        ("authorised", BalanceType.AUTHORISED),
        # Words seen in the wild
        ("Available", BalanceType.INTERIM_AVAILABLE),
        ("Current", BalanceType.INTERIM_BOOKED),
        ("somethingElse", BalanceType.UNCLASSIFIED),
    ],
)
@pytest.mark.parametrize("vendor", [CONNECT, TOKEN])
def test_balance_type_vocabulary(vendor: str, sent: str, expected: BalanceType) -> None:
    if vendor == CONNECT:
        body = {
            **CONNECT_INFO,
            "account": {
                "resourceId": "acc-1",
                "balances": [
                    {
                        "balanceAmount": {"currency": "EUR", "amount": 1},
                        "creditDebitIndicator": "CREDIT",
                        "balanceType": sent,
                    }
                ],
            },
        }
    else:
        body = token_balance(otherBalances=[{"amount": USD, "type": sent}])
    (record,) = normalize_response(vendor, dumps(body))
    assert (record.balance_type, record.vendor_balance_type) == (expected, sent)


# --- status, content type and body together: one set of rules ----------------------------


@pytest.mark.parametrize(
    ("vendor", "status", "content_type", "data", "code"),
    [
        (
            TOKEN,
            502,
            "text/html",
            b"<html><body>Bad gateway</body></html>",
            VendorErrorCode.UNAVAILABLE,
        ),
        (US, 401, "text/plain", b"Unauthorized", VendorErrorCode.UNAUTHORIZED),
        (CONNECT, 503, None, b"", VendorErrorCode.UNAVAILABLE),
        (SEND, 500, "application/xml", b"<html/>", VendorErrorCode.PROVIDER_ERROR),
        # A balance body under an error status is not an answer to trust.
        (
            TOKEN,
            500,
            "application/json",
            dumps(token_balance(current=USD)),
            VendorErrorCode.PROVIDER_ERROR,
        ),
        (US, 429, "application/json", dumps(FINICITY_BALANCE), VendorErrorCode.RATE_LIMITED),
    ],
)
def test_error_status_without_a_vendor_error_body(
    vendor: str, status: int, content_type: str | None, data: bytes, code: VendorErrorCode
) -> None:
    outcome = parse_response(vendor, data, status=status, content_type=content_type, trace_id="t-9")
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    (problem,) = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert (problem.error.code, problem.error.status, problem.error.trace_id) == (
        code,
        status,
        "t-9",
    )
    assert len(problem.error.vendor_message or "") <= 80


def test_a_200_html_page_is_bad_input_not_a_vendor_error() -> None:
    outcome = parse_response(
        TOKEN, b"<html>maintenance</html>", status=200, content_type="text/html"
    )
    assert outcome.kind is OutcomeKind.REJECTED


def test_an_error_status_message_quotes_at_most_80_characters() -> None:
    error = vendor_error(TOKEN, b"x" * 10_000, status=502)
    assert error.vendor_message == "x" * 80


# --- timestamps are truncated, never rounded into another second --------------------------


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2024-12-31T23:59:59.9999999Z", datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
        (
            "2024-12-31T23:59:59.999999999+00:00",
            datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        ),
        (
            "2025-01-01T00:59:59.9999995+01:00",
            datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        ),
        ("2024-03-05T10:00:00.5Z", datetime(2024, 3, 5, 10, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_sub_microsecond_digits_are_truncated(sent: str, expected: datetime) -> None:
    body = {
        **CONNECT_INFO,
        "account": {
            "resourceId": "acc-1",
            "balances": [
                {
                    "balanceAmount": {"currency": "EUR", "amount": "1.00"},
                    "creditDebitIndicator": "Credit",
                    "dateTime": sent,
                }
            ],
        },
    }
    (record,) = normalize_response(CONNECT, dumps(body))
    assert record.as_of == expected


@pytest.mark.parametrize(
    ("status", "code"), [(429, VendorErrorCode.RATE_LIMITED), (503, VendorErrorCode.UNAVAILABLE)]
)
def test_token_default_status_under_an_error_status_lets_the_http_status_speak(
    status: int, code: VendorErrorCode
) -> None:
    """``{}`` is proto3's all-defaults GetBalanceResponse (INVALID_REQUEST); under an HTTP
    error status that default says nothing, so the status gives the code."""
    error = vendor_error(TOKEN, b"{}", status=status, operation="getBalance")
    assert error.code is code
    assert error.vendor_code is None


# --- Mastercard Send XML: the spec's nullable balance_timestamp, written empty -------------


@pytest.mark.parametrize(
    "element", ["<balance_timestamp/>", "<balance_timestamp></balance_timestamp>", ""]
)
def test_send_xml_empty_or_absent_balance_timestamp_is_no_as_of(element: str) -> None:
    """specs/mastercard-send/openapi.yaml: balance_timestamp is nullable; in XML an empty
    element is how null is written (an absent one is fine too)."""
    body = (
        "<account_balances><account_balance><balance><amount>1000</amount>"
        "<currency>GBP</currency><state>IN_CREDIT</state></balance>"
        f"{element}<non_card_token>t-1</non_card_token></account_balance></account_balances>"
    )
    (record,) = normalize_response(SEND, body, content_type="application/xml")
    assert (record.amount, record.as_of) == (Decimal("10.00"), None)


def test_send_json_empty_balance_timestamp_is_still_an_invalid_timestamp() -> None:
    body = {
        "account_balances": {
            "account_balance": {
                "balance": {"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"},
                "balance_timestamp": "",
                "non_card_token": "t-1",
            }
        }
    }
    outcome = parse_response(SEND, dumps(body))
    assert outcome.kind is OutcomeKind.REJECTED
    assert outcome.problems[0].error.field.endswith("balance_timestamp")


def test_token_bad_updated_at_ms_is_one_problem_of_the_account_at_its_path() -> None:
    """balance.updatedAtMs dates the account's current and available balances alike
    (Token's Balance message): a bad one is one problem, named where it stands."""
    entry = {
        "balance": {
            "accountId": "a:x",
            "current": {"currency": "USD", "value": "1"},
            "available": {"currency": "USD", "value": "2"},
            "updatedAtMs": "x",
        },
        "status": "SUCCESSFUL_REQUEST",
    }
    good = {
        "balance": {"accountId": "a:y", "current": {"currency": "USD", "value": "3"}},
        "status": "SUCCESSFUL_REQUEST",
    }
    one = parse_response(TOKEN, dumps(entry))
    assert [(p.scope, p.error.field) for p in one.problems] == [
        (Scope.RESPONSE, "$.balance.updatedAtMs")
    ]
    several = parse_response(TOKEN, dumps({"response": [entry, good]}))
    assert [(p.scope, p.path, p.error.field) for p in several.problems] == [
        (Scope.ACCOUNT, "$.response[0]", "$.response[0].balance.updatedAtMs")
    ]
    assert [record.account_id for record in several.records] == ["a:y"]


def test_finicity_balance_problem_names_the_balance_it_loses() -> None:
    """One unreadable balance of an AvailableBalance is a problem of that balance, at its
    path; the other balance is still a record."""
    body = dict(FINICITY_BALANCE, availableBalanceDate=10**20)  # past datetime's range
    outcome = parse_response(AU, dumps(body))
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [(p.scope, p.path, p.error.field) for p in outcome.problems] == [
        (Scope.BALANCE, "$.availableBalance", "$.availableBalanceDate")
    ]
    assert [record.vendor_balance_type for record in outcome.records] == ["clearedBalance"]


@pytest.mark.parametrize("vendor", [AU, CONNECT, SEND, TOKEN])
def test_an_unknown_shape_error_names_at_most_eight_of_its_keys(vendor: str) -> None:
    body = {f"k{index:05d}": index for index in range(10_000)}
    (problem,) = parse_response(vendor, dumps(body)).problems
    assert problem.error.value == [f"k{index:05d}" for index in range(8)]


@pytest.mark.parametrize("given", ["STALE", 7, ["LIVE"]])
def test_a_freshness_that_is_no_freshness_is_an_invalid_field(given: object) -> None:
    body = dumps(FINICITY_BALANCE)
    with pytest.raises(InvalidField) as caught:
        parse_response(AU, body, freshness=given)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("freshness", given)
    (record, _) = parse_response(AU, body, freshness="LIVE").records  # type: ignore[arg-type]
    assert record.freshness is Freshness.LIVE


# --- A zero time is no time ------------------------------------------------------------------
# proto3 gives Token's int64 updated_at_ms no presence: unset reads as 0, and a writer that
# emits default values writes "0". Open Finance's balance dates are required Unix seconds;
# its spec writes 0 for values not provided, and no balance was taken at the epoch. Either
# way 0 is a time the vendor did not set: as_of is None, not 1970-01-01T00:00:00Z.

EPOCH_PLUS_ONE_SECOND = datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC)


@pytest.mark.parametrize("vendor", [AU, US])
@pytest.mark.parametrize("zero", [0, b"-0"], ids=["0", "minus-0"])
def test_finicity_zero_balance_date_is_no_date(vendor: str, zero: int | bytes) -> None:
    """Each balance reads its own date: a zero one is None, the other keeps its time."""
    for name, other in (
        ("availableBalanceDate", "clearedBalanceDate"),
        ("clearedBalanceDate", "availableBalanceDate"),
    ):
        body = dumps(dict(FINICITY_BALANCE, **{name: 0}))
        if zero == b"-0":
            body = body.replace(f'"{name}": 0'.encode(), f'"{name}": -0'.encode())
        records = normalize_response(vendor, body)
        times = {f"{r.vendor_balance_type}Date": r.as_of for r in records}
        assert times == {name: None, other: datetime(2025, 1, 1, 12, tzinfo=UTC)}
        assert all(r.to_dict()["as_of"] is None for r in records if r.as_of is None)


@pytest.mark.parametrize("vendor", [AU, US])
def test_finicity_balance_date_near_zero_is_a_time(vendor: str) -> None:
    """Only zero is no time: one second after the epoch, or one before it (the vendor's
    Unix dates may be negative), is read as written."""
    body = dict(FINICITY_BALANCE, availableBalanceDate=1, clearedBalanceDate=-1)
    records = normalize_response(vendor, dumps(body))
    assert [r.as_of for r in records] == [
        EPOCH_PLUS_ONE_SECOND,
        datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC),
    ]


@pytest.mark.parametrize("zero", ["0", 0], ids=["string", "integer"])
def test_token_zero_updated_at_ms_is_no_time(zero: object) -> None:
    """The balance's own updatedAtMs (for current and available) and an otherBalances
    entry's alike; an entry with a real time keeps it."""
    body = token_balance(
        current=USD,
        available=USD,
        updatedAtMs=zero,
        otherBalances=[
            {"amount": USD, "type": "closingBooked", "updatedAtMs": zero},
            {"amount": USD, "type": "expected", "updatedAtMs": "1000"},
        ],
    )
    records = normalize_response(TOKEN, dumps(body))
    assert [r.as_of for r in records] == [None, None, None, EPOCH_PLUS_ONE_SECOND]
    assert [r.to_dict()["as_of"] for r in records][:3] == [None, None, None]


def test_token_updated_at_ms_of_one_millisecond_is_a_time() -> None:
    records = normalize_response(TOKEN, dumps(token_balance(current=USD, updatedAtMs="1")))
    assert [r.as_of for r in records] == [datetime(1970, 1, 1, 0, 0, 0, 1000, tzinfo=UTC)]
