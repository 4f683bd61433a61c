"""The five vendor OpenAPI documents: valid, self-consistent, and holding the promised examples."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from defusedxml import ElementTree
from jsonschema import Draft4Validator
from openapi_spec_validator import validate
from spec_documents import (
    VENDORS,
    DocumentedExample,
    documented_examples,
    example_value,
    leaf_errors,
    load_spec,
    operations,
    schema_at,
    validator,
)

ALL_EXAMPLES = [example for vendor in VENDORS for example in documented_examples(vendor)]
JSON_EXAMPLES = [ex for ex in ALL_EXAMPLES if ex.media_type == "application/json"]
XML_EXAMPLES = [ex for ex in ALL_EXAMPLES if ex.media_type == "application/xml"]

# A recorded AU sandbox response, to be reproduced exactly.
RECORDED_AU_SAMPLE = {
    "id": 15430035,
    "realAccountNumberLast4": "1111",
    "availableBalance": 801.39,
    "availableBalanceDate": 1722505195,
    "clearedBalance": 801.39,
    "clearedBalanceDate": 1722505195,
    "aggregationStatusCode": 0,
    "currency": "AUD",
}


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_is_a_valid_openapi_3_document(vendor: str) -> None:
    """Each spec is OpenAPI 3 and passes openapi-spec-validator."""
    spec = load_spec(vendor)
    assert str(spec["openapi"]).startswith("3.")
    validate(spec)


@pytest.mark.parametrize(
    ("vendor", "operation_ids"),
    [
        (
            "mastercard-open-finance-au",
            {"CreateToken", "GetAvailableBalanceLive", "GetAvailableBalance"},
        ),
        ("mastercard-open-finance-us", {"CreateToken", "GetAvailableBalanceLive"}),
        ("mastercard-open-banking-connect", {"getAccountBalances"}),
        ("mastercard-send", {"getAccountBalance", "getAccountBalances"}),
        ("token-io", {"getBalance", "getBalances"}),
    ],
)
def test_spec_has_exactly_the_expected_operations(vendor: str, operation_ids: set[str]) -> None:
    """Each spec declares exactly its vendor's operations, each operationId once."""
    found = [operation["operationId"] for _, _, operation in operations(load_spec(vendor))]
    assert sorted(found) == sorted(operation_ids)


@pytest.mark.parametrize("vendor", VENDORS)
def test_spec_documents_json_examples_for_its_requests_or_responses(vendor: str) -> None:
    """Every vendor has JSON examples for its balance responses (the tests below are not empty)."""
    balance_examples = [
        ex
        for ex in documented_examples(vendor)
        if ex.media_type == "application/json" and ex.where == "200"
    ]
    assert balance_examples


@pytest.mark.parametrize("example", JSON_EXAMPLES, ids=lambda ex: ex.id)
def test_json_example_matches_its_schema(example: DocumentedExample) -> None:
    """Every JSON example validates against the schema of the body it documents."""
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in validator(example.vendor, example.schema_pointer).iter_errors(example.value)
    ]
    assert errors == []


@pytest.mark.parametrize("example", XML_EXAMPLES, ids=lambda ex: ex.id)
def test_xml_example_parses_with_the_schemas_root_element(example: DocumentedExample) -> None:
    """Every XML example parses with the hardened parser, rooted at its schema's xml name."""
    assert isinstance(example.value, str)
    root = ElementTree.fromstring(example.value)
    schema, _ = schema_at(example.vendor, example.schema_pointer)
    assert root.tag == schema["xml"]["name"]


def test_date_time_format_is_checked() -> None:
    """The validators check date-time, so the vendor's second-80 timestamp would be caught."""
    checker = Draft4Validator.FORMAT_CHECKER
    assert checker.conforms("2018-05-18T10:19:22Z", "date-time")
    assert not checker.conforms("2017-06-05T11:47:80Z", "date-time")


def _broken(value: Any, path: tuple[str | int, ...], bad: Any) -> Any:
    broken = copy.deepcopy(value)
    node = broken
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad
    return broken


@pytest.mark.parametrize(
    ("vendor", "operation_id", "name", "path", "bad"),
    [
        (
            "mastercard-open-finance-au",
            "GetAvailableBalanceLive",
            "AvailableBalanceSample",
            ("availableBalance",),
            "801.39",
        ),
        (
            "mastercard-open-finance-us",
            "GetAvailableBalanceLive",
            "AvailableBalanceSample",
            ("currency",),
            "usd",
        ),
        (
            "mastercard-open-banking-connect",
            "getAccountBalances",
            "DebitClosingBooked",
            ("account", "balances", 0, "dateTime"),
            "2024-03-05 23:59",
        ),
        (
            "mastercard-send",
            "getAccountBalance",
            "SingleAccountBalance",
            ("account_balances", "account_balance", "balance_timestamp"),
            "2017-06-05T11:47:80Z",
        ),
        (
            "token-io",
            "getBalance",
            "BalanceSuccessful",
            ("balance", "current", "value"),
            12009.1,
        ),
    ],
)
def test_a_broken_example_fails_its_schema(
    vendor: str, operation_id: str, name: str, path: tuple[str | int, ...], bad: Any
) -> None:
    """The example check reaches the referenced schemas: one wrong nested field is reported."""
    (example,) = [
        ex
        for ex in JSON_EXAMPLES
        if (ex.vendor, ex.operation_id, ex.where, ex.name) == (vendor, operation_id, "200", name)
    ]
    errors = leaf_errors(vendor, example.schema_pointer, _broken(example.value, path, bad))
    assert [list(error.absolute_path) for error in errors] == [list(path)]


# The documented examples the project promises, by name and value.


@pytest.mark.parametrize("operation_id", ["GetAvailableBalanceLive", "GetAvailableBalance"])
def test_finicity_au_balance_example_is_the_recorded_sample(operation_id: str) -> None:
    """AU live and cached balances document the recorded sample, id 15430035, 801.39 AUD."""
    value = example_value(
        "mastercard-open-finance-au", operation_id, "200", "AvailableBalanceSample"
    )
    assert value == RECORDED_AU_SAMPLE


def test_finicity_us_balance_example_is_in_usd() -> None:
    """The US live balance documents a USD checking account with available below cleared."""
    value = example_value(
        "mastercard-open-finance-us", "GetAvailableBalanceLive", "200", "AvailableBalanceSample"
    )
    assert value["id"] == 5011648377
    assert value["currency"] == "USD"
    assert (value["availableBalance"], value["clearedBalance"]) == (1233.45, 1250.45)


@pytest.mark.parametrize("vendor", ["mastercard-open-finance-au", "mastercard-open-finance-us"])
def test_finicity_create_token_examples(vendor: str) -> None:
    """CreateToken documents its request {partnerId, partnerSecret} and its {token} answer."""
    request = example_value(vendor, "CreateToken", "request", "PartnerCredentialsSample")
    assert set(request) == {"partnerId", "partnerSecret"}
    token = example_value(vendor, "CreateToken", "200", "PartnerAccessTokenSample")
    assert set(token) == {"token"}


def test_send_single_balance_example_is_the_vendor_page_example() -> None:
    """Send's one-account JSON body: 1000 GBP in credit, the vendor's second-80 created_date."""
    value = example_value("mastercard-send", "getAccountBalance", "200", "SingleAccountBalance")
    account = value["account_balances"]["account_balance"]
    assert account["balance"] == {"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"}
    assert account["created_date"] == "2017-06-05T11:47:80Z"
    assert account["non_card_token"].startswith("non_card_token:")


def test_send_list_example_has_three_accounts() -> None:
    """Send's partner-wide JSON body lists three GBP accounts in credit under `account-balances`."""
    value = example_value("mastercard-send", "getAccountBalances", "200", "PartnerAccountBalances")
    balances = [account["balance"] for account in value["account-balances"]]
    assert [balance["amount"] for balance in balances] == ["1000", "13000", "5000"]
    assert {(balance["currency"], balance["state"]) for balance in balances} == {
        ("GBP", "IN_CREDIT")
    }


@pytest.mark.parametrize(
    ("operation_id", "json_name", "xml_name"),
    [
        ("getAccountBalance", "SingleAccountBalance", "SingleAccountBalanceXml"),
        ("getAccountBalances", "PartnerAccountBalances", "PartnerAccountBalancesXml"),
    ],
)
def test_send_xml_examples_carry_the_same_accounts_as_json(
    operation_id: str, json_name: str, xml_name: str
) -> None:
    """Each Send XML example holds the same account balances, field for field, as its JSON twin."""
    json_value = example_value("mastercard-send", operation_id, "200", json_name)
    if "account_balances" in json_value:
        json_accounts = [json_value["account_balances"]["account_balance"]]
    else:
        json_accounts = json_value["account-balances"]
    xml = example_value("mastercard-send", operation_id, "200", xml_name, "application/xml")
    xml_accounts = [
        {
            child.tag: {leaf.tag: leaf.text for leaf in child} if len(child) else child.text
            for child in element
        }
        for element in ElementTree.fromstring(xml).iter("account_balance")
    ]
    assert xml_accounts == json_accounts


def test_token_single_balance_example_keeps_four_decimals() -> None:
    """Token's one-account body: current and available 12009.1000 USD, successful request."""
    value = example_value("token-io", "getBalance", "200", "BalanceSuccessful")
    money = {"currency": "USD", "value": "12009.1000"}
    assert value["balance"]["current"] == money
    assert value["balance"]["available"] == money
    assert value["status"] == "SUCCESSFUL_REQUEST"


def test_connect_balance_example_uses_the_sandbox_spellings() -> None:
    """Connect's 200 body: upper-case CREDIT, amount as a JSON number, Available and Current."""
    value = example_value(
        "mastercard-open-banking-connect", "getAccountBalances", "200", "SandboxAvailableAndCurrent"
    )
    balances = value["account"]["balances"]
    assert [balance["balanceType"] for balance in balances] == ["Available", "Current"]
    assert {balance["creditDebitIndicator"] for balance in balances} == {"CREDIT"}
    assert {balance["balanceAmount"]["amount"] for balance in balances} == {102.56}


@pytest.mark.parametrize(
    ("name", "reason_code"),
    [
        ("FormatErrorPsuIpAddressMissing", "FORMAT_ERROR"),
        ("InvalidTokenConsentExpired", " INVALID_TOKEN "),
        ("InvalidTokenConsentInvalidOrRevoked", "INVALID_TOKEN"),
        ("ProviderErrorAccountInvalidOrUnlinked", " PROVIDER_ERROR "),
        ("ProviderErrorUnattendedLimitExceeded", " PROVIDER_ERROR "),
    ],
)
def test_connect_error_examples_keep_the_vendors_reason_codes(name: str, reason_code: str) -> None:
    """Connect's 400 error bodies are the vendor's, padded reason codes included."""
    value = example_value("mastercard-open-banking-connect", "getAccountBalances", "400", name)
    assert [error["ReasonCode"] for error in value["Errors"]["Error"]] == [reason_code]
