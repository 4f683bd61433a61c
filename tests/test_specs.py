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


# Conformance with the vendors' published specs, one test per item. Each docstring names the
# published source the spec follows. These check the schemas; the mapping has its own tests.

FINICITY = ("mastercard-open-finance-au", "mastercard-open-finance-us")
FINICITY_SOURCE = "Mastercard/open-banking-us-openapi, openbanking-us.yaml"
TOKEN_SOURCE = "api-evangelist/token-io, openapi/_original/token-io-openapi.yml"
GATEWAY_SOURCE = (
    "Mastercard/send-api-demo-app, src/main/resources/mastercard-send-payments-api-swagger.yaml"
)


def schema_errors(vendor: str, schema: str, value: Any) -> list[str]:
    """Where and why ``value`` fails the component schema ``schema`` (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in leaf_errors(vendor, f"/components/schemas/{schema}", value)
    ]


def without(value: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: item for key, item in value.items() if key not in keys}


def finicity_balance(vendor: str) -> dict[str, Any]:
    operation = "GetAvailableBalanceLive"
    value = example_value(vendor, operation, "200", "AvailableBalanceSample")
    assert isinstance(value, dict)
    return value


@pytest.mark.parametrize("vendor", FINICITY)
def test_finicity_operation_ids_are_the_vendors_own(vendor: str) -> None:
    """CreateToken and GetAvailableBalanceLive are the operationIds of the vendor's published
    spec (Mastercard/open-banking-us-openapi, openbanking-us.yaml); AU also has the cached
    GetAvailableBalance, which the US spec marks deprecated."""
    found = {operation["operationId"] for _, _, operation in operations(load_spec(vendor))}
    assert {"CreateToken", "GetAvailableBalanceLive"} <= found
    assert ("GetAvailableBalance" in found) == vendor.endswith("-au")
    assert not {name for name in found if name[0].islower()}


@pytest.mark.parametrize("vendor", FINICITY)
@pytest.mark.parametrize("absent", ["realAccountNumberLast4", "aggregationStatusCode"])
def test_finicity_balance_without_optional_field_is_valid(vendor: str, absent: str) -> None:
    """realAccountNumberLast4 is only returned for ACH-enabled accounts and
    aggregationStatusCode is missing until the first aggregation (the field texts of
    AccountNumberLast4 and AggregationStatusCode in Mastercard/open-banking-us-openapi,
    openbanking-us.yaml), so a balance without either, or with null, is valid."""
    balance = finicity_balance(vendor)
    assert schema_errors(vendor, "AvailableBalance", without(balance, absent)) == []
    assert schema_errors(vendor, "AvailableBalance", {**balance, absent: None}) == []
    assert schema_errors(vendor, "AvailableBalance", {**balance, absent: True}) != []


@pytest.mark.parametrize("vendor", FINICITY)
@pytest.mark.parametrize(
    "field",
    [
        "id",
        "availableBalance",
        "availableBalanceDate",
        "clearedBalance",
        "clearedBalanceDate",
        "currency",
    ],
)
def test_finicity_balance_still_requires_id_amounts_dates_and_currency(
    vendor: str, field: str
) -> None:
    """The vendor's AvailableBalance (Mastercard/open-banking-us-openapi, openbanking-us.yaml)
    requires the id, both amounts, their dates and the currency, and its text never says they
    may be absent: a balance without one, or with null, is invalid (missing is never zero)."""
    balance = finicity_balance(vendor)
    assert schema_errors(vendor, "AvailableBalance", without(balance, field)) == [
        f"<root>: '{field}' is a required property"
    ]
    assert schema_errors(vendor, "AvailableBalance", {**balance, field: None}) != []


@pytest.mark.parametrize("vendor", FINICITY)
@pytest.mark.parametrize("code", ["14001", 14001, 10010])
def test_finicity_error_code_may_be_a_number_or_a_string(vendor: str, code: Any) -> None:
    """ErrorMessage.code "can be returned as a number or a string" (ErrorMessage in
    Mastercard/open-banking-us-openapi, openbanking-us.yaml)."""
    assert schema_errors(vendor, "ErrorMessage", {"code": code}) == []


@pytest.mark.parametrize("vendor", FINICITY)
@pytest.mark.parametrize("code", [14001.5, True, None, ["14001"], {"value": "14001"}])
def test_finicity_error_code_is_nothing_else(vendor: str, code: Any) -> None:
    """Only an integer or a string is a code (ErrorMessage in Mastercard/open-banking-us-openapi,
    openbanking-us.yaml, whose examples are digit strings); and `code` is required there."""
    assert schema_errors(vendor, "ErrorMessage", {"code": code}) != []
    assert schema_errors(vendor, "ErrorMessage", {"message": "Customer not found."}) == [
        "<root>: 'code' is a required property"
    ]


@pytest.mark.parametrize("vendor", FINICITY)
def test_finicity_error_without_message_is_valid(vendor: str) -> None:
    """Only `code` is required in the vendor's ErrorMessage (Mastercard/open-banking-us-openapi,
    openbanking-us.yaml): no message, or a null one, is valid; the spec documents such a body."""
    assert schema_errors(vendor, "ErrorMessage", {"code": "14001"}) == []
    assert schema_errors(vendor, "ErrorMessage", {"code": "14001", "message": None}) == []
    numeric = example_value(vendor, "GetAvailableBalanceLive", "404", "ErrorNumericCode")
    assert numeric == {"code": 14001}


@pytest.mark.parametrize("vendor", FINICITY)
def test_finicity_error_tags_is_a_string_and_the_vendors_empty_tags_example_is_documented(
    vendor: str,
) -> None:
    """`tags` is a string (ErrorMessage in Mastercard/open-banking-us-openapi,
    openbanking-us.yaml), and the vendor's 400 example for the balance call (its
    InvalidFieldExample) sends `"tags": ""`; the spec carries that example with the vendor's
    values. A list of tags is not what the vendor sends."""
    value = example_value(vendor, "GetAvailableBalanceLive", "400", "ErrorInvalidField")
    assert value == {
        "code": "10010",
        "status": "400",
        "message": "Customer ID does not exist or does not belong to this partner",
        "user_message": "One or more of the fields could not be validated. Please ensure you "
        "have entered the correct data.",
        "tags": "",
    }
    assert schema_errors(vendor, "ErrorMessage", value) == []
    assert schema_errors(vendor, "ErrorMessage", {**value, "tags": ["AGG"]}) != []


@pytest.mark.parametrize("vendor", FINICITY)
def test_finicity_error_optional_fields_are_the_vendors_and_may_be_null(vendor: str) -> None:
    """The optional fields of ErrorMessage are those the vendor lists (ErrorMessage in
    Mastercard/open-banking-us-openapi, openbanking-us.yaml), each a string that may be null."""
    schema, _ = schema_at(vendor, "/components/schemas/ErrorMessage")
    optional = {
        "message",
        "status",
        "title",
        "level",
        "user_message",
        "assetId",
        "accountId",
        "externalTransactionId",
        "tags",
    }
    assert set(schema["properties"]) == {"code"} | optional
    assert schema["required"] == ["code"]
    for field in sorted(optional):
        assert schema_errors(vendor, "ErrorMessage", {"code": "10023", field: None}) == []
        assert schema_errors(vendor, "ErrorMessage", {"code": "10023", field: "x"}) == []


CONNECT_SPEC = "mastercard-open-banking-connect"


def connect_body() -> dict[str, Any]:
    value = example_value(CONNECT_SPEC, "getAccountBalances", "200", "DebitClosingBooked")
    assert isinstance(value, dict)
    return copy.deepcopy(value)


def test_connect_response_without_account_is_valid() -> None:
    """`account` is 0..1 on the vendor's Get Account Balances page (Open Banking Connect), so a
    body with only originalRequestInfo, or with a null account, is valid, and the spec
    documents one; originalRequestInfo (1..1) stays required."""
    value = example_value(CONNECT_SPEC, "getAccountBalances", "200", "WithoutAccount")
    assert set(value) == {"originalRequestInfo"}
    assert schema_errors(CONNECT_SPEC, "AccountBalancesResponse", value) == []
    assert schema_errors(CONNECT_SPEC, "AccountBalancesResponse", {**value, "account": None}) == []
    assert schema_errors(CONNECT_SPEC, "AccountBalancesResponse", {"account": None}) == [
        "<root>: 'originalRequestInfo' is a required property"
    ]


@pytest.mark.parametrize("field", ["name", "balances"])
def test_connect_account_name_and_balances_may_be_absent_or_null(field: str) -> None:
    """`name` (0..1) and `balances` (0..*) are optional on the vendor's Get Account Balances
    page; absent and null are both valid, while `resourceId` (1..1) is required."""
    body = connect_body()
    account = body["account"]
    assert schema_errors(CONNECT_SPEC, "Account", without(account, field)) == []
    assert schema_errors(CONNECT_SPEC, "Account", {**account, field: None}) == []
    assert schema_errors(CONNECT_SPEC, "Account", without(account, "resourceId")) == [
        "<root>: 'resourceId' is a required property"
    ]


@pytest.mark.parametrize("field", ["balanceType", "dateTime"])
def test_connect_balance_type_and_date_time_may_be_absent_or_null(field: str) -> None:
    """`balanceType` and `dateTime` are 0..1 on the vendor's Get Account Balances page; the
    spec documents a body with both null and one with both absent."""
    balance = connect_body()["account"]["balances"][0]
    assert schema_errors(CONNECT_SPEC, "Balance", without(balance, field)) == []
    assert schema_errors(CONNECT_SPEC, "Balance", {**balance, field: None}) == []
    documented = example_value(CONNECT_SPEC, "getAccountBalances", "200", "OptionalFieldsNull")
    first, second = documented["account"]["balances"]
    assert field not in first
    assert second[field] is None
    assert documented["account"]["name"] is None


@pytest.mark.parametrize("field", ["balanceAmount", "creditDebitIndicator"])
def test_connect_balance_amount_and_indicator_stay_required(field: str) -> None:
    """`balanceAmount` and `creditDebitIndicator` are 1..1 on the vendor's Get Account Balances
    page: absent or null is invalid."""
    balance = connect_body()["account"]["balances"][0]
    assert schema_errors(CONNECT_SPEC, "Balance", without(balance, field)) == [
        f"<root>: '{field}' is a required property"
    ]
    assert schema_errors(CONNECT_SPEC, "Balance", {**balance, field: None}) != []


@pytest.mark.parametrize(
    ("amount", "valid"),
    [("50.00", True), (102.56, True), (0, True), ("-1.00", False), (-1, False), ("1e3", False)],
)
def test_connect_amount_is_an_unsigned_decimal_number_or_string(amount: Any, valid: bool) -> None:
    """The page types `amount` as Decimal, Min 0, without saying number or string; recorded
    sandbox traffic sends a number, so both forms are valid, never negative."""
    value = {"currency": "GBP", "amount": amount}
    assert (schema_errors(CONNECT_SPEC, "Amount", value) == []) is valid


GATEWAY_ERROR_FIELDS = [
    "Source",
    "ReasonCode",
    "Description",
    "Recoverable",
    "ErrorDetailCode",
    "Details",
]


@pytest.mark.parametrize("vendor", [CONNECT_SPEC, "mastercard-send"])
def test_gateway_error_items_require_no_field(vendor: str) -> None:
    """The Mastercard gateway's ErrorResponse (Mastercard/send-api-demo-app,
    src/main/resources/mastercard-send-payments-api-swagger.yaml) requires none of an error
    item's fields (Description only when there is more to say, Details always null): an item
    without Description or Recoverable, an empty item, and null in each field are valid."""
    schema, _ = schema_at(vendor, "/components/schemas/ErrorDetail")
    assert "required" not in schema
    assert set(schema["properties"]) == set(GATEWAY_ERROR_FIELDS)
    item = {"Source": "OBC", "ReasonCode": "INVALID_TOKEN", "Details": None}
    assert schema_errors(vendor, "Errors", {"Errors": {"Error": [item]}}) == []
    assert schema_errors(vendor, "Errors", {"Errors": {"Error": [{}]}}) == []
    for field in GATEWAY_ERROR_FIELDS:
        assert schema_errors(vendor, "ErrorDetail", {field: None}) == []
    assert schema_errors(vendor, "ErrorDetail", {"Recoverable": "false"}) != []


@pytest.mark.parametrize("vendor", [CONNECT_SPEC, "mastercard-send"])
def test_gateway_error_body_still_requires_its_list(vendor: str) -> None:
    """The gateway's ErrorResponse (Mastercard/send-api-demo-app,
    src/main/resources/mastercard-send-payments-api-swagger.yaml) requires `Errors` and its
    `Error` array."""
    assert schema_errors(vendor, "Errors", {}) == ["<root>: 'Errors' is a required property"]
    assert schema_errors(vendor, "Errors", {"Errors": {}}) == [
        "Errors: 'Error' is a required property"
    ]


def test_send_documents_a_gateway_error_without_description_or_recoverable() -> None:
    """Send's 404 documents an error item in the gateway's published shape
    (Mastercard/send-api-demo-app, src/main/resources/mastercard-send-payments-api-swagger.yaml):
    no Description, no Recoverable, Details null."""
    value = example_value("mastercard-send", "getAccountBalance", "404", "NotFoundErrorCodeOnly")
    (item,) = value["Errors"]["Error"]
    assert "Description" not in item
    assert "Recoverable" not in item
    assert item["Details"] is None


@pytest.mark.parametrize("field", ["account_description", "balance_timestamp", "created_date"])
def test_send_optional_account_fields_may_be_absent_or_null(field: str) -> None:
    """Send's account fields other than `balance` and `non_card_token` are not always needed
    (the vendor's Account Balance page gives examples only): absent and null are valid."""
    value = example_value("mastercard-send", "getAccountBalances", "200", "PartnerAccountBalances")
    account = value["account-balances"][0]
    assert schema_errors("mastercard-send", "AccountBalance", without(account, field)) == []
    assert schema_errors("mastercard-send", "AccountBalance", {**account, field: None}) == []
    for required in ("balance", "non_card_token"):
        assert schema_errors("mastercard-send", "AccountBalance", without(account, required)) == [
            f"<root>: '{required}' is a required property"
        ]


TOKEN_SPEC = "token-io"


def token_balance() -> dict[str, Any]:
    value = example_value(TOKEN_SPEC, "getBalance", "200", "BalanceSuccessful")
    return copy.deepcopy(value["balance"])


@pytest.mark.parametrize(
    "field", ["accountId", "current", "available", "otherBalances", "updatedAtMs"]
)
def test_token_balance_fields_are_all_optional(field: str) -> None:
    """None of Balance's fields is required (Balance in api-evangelist/token-io,
    openapi/_original/token-io-openapi.yml), and proto3 JSON leaves unset messages out: a
    balance without any one of them, or with null in it, is valid; so is `{}`."""
    balance = {**token_balance(), "updatedAtMs": "1715846400000", "otherBalances": []}
    assert schema_errors(TOKEN_SPEC, "Balance", without(balance, field)) == []
    assert schema_errors(TOKEN_SPEC, "Balance", {**balance, field: None}) == []
    assert schema_errors(TOKEN_SPEC, "Balance", {}) == []


def test_token_documents_balances_without_current() -> None:
    """A bank may report only some balances (Balance in api-evangelist/token-io,
    openapi/_original/token-io-openapi.yml requires none): the spec documents one account
    without `current`, and a several-accounts body where one account lacks it."""
    one = example_value(TOKEN_SPEC, "getBalance", "200", "BalanceAvailableOnly")
    assert one["balance"]["current"] is None
    several = example_value(TOKEN_SPEC, "getBalances", "200", "BalancesOneWithoutCurrent")
    first, second = (result["balance"] for result in several["response"])
    assert "current" in first
    assert "current" not in second


@pytest.mark.parametrize("schema", ["Balance", "TypedBalance"])
@pytest.mark.parametrize(
    ("updated_at_ms", "valid"),
    [
        ("1715846400000", True),
        (1715846400000, True),
        (0, True),
        (None, True),
        (1715846400000.5, False),
        ("1715846400000.5", False),
        ("", False),
        (-1, False),
        (True, False),
    ],
)
def test_token_updated_at_ms_is_an_int64_string_or_integer(
    schema: str, updated_at_ms: Any, valid: bool
) -> None:
    """`updatedAtMs` is a proto3 int64 (`int64 updated_at_ms = 4` in Balance and `= 3` in
    Balance.TypedBalance, tokenio/sdk-php lib/Proto/Io/Token/Proto/Common/Transaction/): proto3
    JSON writes it as a string of digits and parsers accept a number too; nothing else."""
    value = {"updatedAtMs": updated_at_ms}
    assert (schema_errors(TOKEN_SPEC, schema, value) == []) is valid


def test_token_balance_has_the_protos_balance_level_updated_at_ms() -> None:
    """The proto Balance carries `int64 updated_at_ms = 4` (tokenio/sdk-php,
    lib/Proto/Io/Token/Proto/Common/Transaction/Balance.php; also tokenio/sdk-js
    core/src/types.js), although the published OpenAPI Balance leaves it out: ours has it,
    with the proto's other fields and no more."""
    schema, _ = schema_at(TOKEN_SPEC, "/components/schemas/Balance")
    assert set(schema["properties"]) == {
        "accountId",
        "current",
        "available",
        "updatedAtMs",
        "otherBalances",
    }


def test_token_typed_balance_requires_no_field() -> None:
    """BalanceTypedBalance (api-evangelist/token-io, openapi/_original/token-io-openapi.yml)
    requires none of `amount`, `type`, `updatedAtMs`; each may be null."""
    assert schema_errors(TOKEN_SPEC, "TypedBalance", {}) == []
    for field in ("amount", "type", "updatedAtMs"):
        assert schema_errors(TOKEN_SPEC, "TypedBalance", {field: None}) == []


def test_token_money_still_requires_currency_and_value() -> None:
    """Money requires `currency` and `value` (Money in api-evangelist/token-io,
    openapi/_original/token-io-openapi.yml), so a present balance without its amount is
    invalid."""
    balance = token_balance()
    assert schema_errors(TOKEN_SPEC, "Balance", {**balance, "current": {"currency": "USD"}}) == [
        "current: 'value' is a required property"
    ]
    assert schema_errors(TOKEN_SPEC, "Money", {"value": "1.00"}) == [
        "<root>: 'currency' is a required property"
    ]


def test_token_result_without_status_is_valid() -> None:
    """GetBalanceResponse requires nothing (api-evangelist/token-io,
    openapi/_original/token-io-openapi.yml), and proto3 JSON leaves `status` out at its
    default INVALID_REQUEST (tokenio/sdk-php, lib/Proto/Io/Token/Proto/Common/Transaction/
    RequestStatus.php: INVALID_REQUEST = 0); the spec documents such a body."""
    assert example_value(TOKEN_SPEC, "getBalance", "200", "BalanceWithoutStatus") == {}
    assert schema_errors(TOKEN_SPEC, "GetBalanceResponse", {}) == []
    assert schema_errors(TOKEN_SPEC, "GetBalanceResponse", {"status": None}) == []
    assert schema_errors(TOKEN_SPEC, "GetBalanceResponse", {"status": "UNKNOWN"}) != []


def test_token_error_carries_error_code_and_trace_id() -> None:
    """Token's error objects have `message` and `tokenTraceId`, and those for 403 and later
    statuses an `errorCode` (Error, ErrorWithCode and PermissionDeniedError in
    api-evangelist/token-io, openapi/_original/token-io-openapi.yml); none is required, since
    the 400/401 Error requires nothing. `error` itself is what makes an error body."""
    schema, _ = schema_at(TOKEN_SPEC, "/components/schemas/ErrorDetail")
    assert set(schema["properties"]) == {"message", "errorCode", "tokenTraceId"}
    assert "required" not in schema
    documented = example_value(TOKEN_SPEC, "getBalance", "403", "PermissionDeniedError")
    assert documented["error"]["errorCode"] == "PermissionDenied"
    assert set(documented["error"]) == {"errorCode", "message", "tokenTraceId"}
    assert schema_errors(TOKEN_SPEC, "ErrorResponse", {"error": {}}) == []
    assert schema_errors(TOKEN_SPEC, "ErrorResponse", {"error": {"errorCode": None}}) == []
    assert schema_errors(TOKEN_SPEC, "ErrorResponse", {}) == [
        "<root>: 'error' is a required property"
    ]


def test_token_account_id_parameters_stay_valid_openapi() -> None:
    """The published spec (api-evangelist/token-io, openapi/_original/token-io-openapi.yml)
    marks the path parameter accountId `required: false`, which OpenAPI forbids; ours is
    required. The several-accounts call repeats `accountId` on the query (form, exploded)."""
    spec = load_spec(TOKEN_SPEC)
    (path_parameter,) = [
        p
        for p in spec["paths"]["/accounts/{accountId}/balance"]["get"]["parameters"]
        if p.get("in") == "path"
    ]
    assert (path_parameter["name"], path_parameter["required"]) == ("accountId", True)
    (query,) = [
        p for p in spec["paths"]["/account-balance"]["get"]["parameters"] if p.get("in") == "query"
    ]
    assert (query["name"], query["style"], query["explode"]) == ("accountId", "form", True)
    assert query["schema"]["type"] == "array"


@pytest.mark.parametrize(
    ("vendor", "schema", "values"),
    [
        (
            "token-io",
            "RequestStatus",
            ["INVALID_REQUEST", "SUCCESSFUL_REQUEST", "MORE_SIGNATURES_NEEDED"],
        ),
        (CONNECT_SPEC, "CreditDebitIndicator", ["Credit", "Debit", "CREDIT", "DEBIT"]),
        ("mastercard-send", "BalanceState", ["IN_CREDIT", "IN_DEBIT"]),
    ],
)
def test_enums_the_mapping_reads_stay_enums(vendor: str, schema: str, values: list[str]) -> None:
    """Token's RequestStatus (api-evangelist/token-io, openapi/_original/token-io-openapi.yml),
    Connect's creditDebitIndicator (Credit/Debit on the vendor page, upper case in sandbox
    traffic) and Send's state (IN_CREDIT on the vendor page) are closed enums: another value
    is invalid."""
    found, _ = schema_at(vendor, f"/components/schemas/{schema}")
    assert found["enum"] == values
    assert schema_errors(vendor, schema, "credit") != []
