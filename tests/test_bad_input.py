"""Input that cannot honestly become records raises a specific, self-explaining error.

Each NormalizeError names the vendor, the field (a path into the payload) and the value
found there: ``str(exc) == "vendor: field: reason: value!r"``. A vendor's own error body
raises a VendorError with the canonical code, the vendor's code and message kept.
"""

from __future__ import annotations

import copy
import functools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from spec_documents import documented_errors, documented_examples

from normalize import (
    VENDORS,
    InvalidAmount,
    InvalidField,
    InvalidTimestamp,
    MalformedPayload,
    MissingField,
    NormalizeError,
    OutcomeKind,
    Scope,
    UnknownCurrency,
    UnknownEnumValue,
    UnknownVendor,
    VendorError,
    VendorErrorCode,
    normalize_response,
    parse_response,
)
from normalize.vendors import REGISTRY

ROOT = Path(__file__).resolve().parent.parent

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"

NOT_FOUND = VendorErrorCode.NOT_FOUND
NOT_CACHED = VendorErrorCode.NOT_CACHED
CONSENT_INVALID = VendorErrorCode.CONSENT_INVALID
RATE_LIMITED = VendorErrorCode.RATE_LIMITED
INVALID_REQUEST = VendorErrorCode.INVALID_REQUEST
UNAUTHORIZED = VendorErrorCode.UNAUTHORIZED
PROVIDER_ERROR = VendorErrorCode.PROVIDER_ERROR
UNAVAILABLE = VendorErrorCode.UNAVAILABLE
UNKNOWN = VendorErrorCode.UNKNOWN


def assert_names(exc: NormalizeError, vendor: str, field: str, value: object) -> None:
    """The error says which vendor, which field and which value, in that order."""
    assert (exc.vendor, exc.field, exc.value) == (vendor, field, value)
    text = str(exc)
    assert text.startswith(f"{vendor}: {field}: ")
    assert repr(value) in text


# --- Valid bodies, and one field changed ---------------------------------------------------


def _field(path: tuple[Any, ...]) -> str:
    """The error's field for a path into the body: ``$.account.balances[0].amount``."""
    return "$" + "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path)


def _shape(vendor: str) -> tuple[dict[str, Any], tuple[Any, ...], str, tuple[Any, ...], str]:
    """The vendor's valid one-balance body (``tests/fixtures/<vendor>/one-balance.yaml``),
    the path to its amount, that field, the path to its currency, that field."""
    path = ROOT / "tests" / "fixtures" / vendor / "one-balance.yaml"
    given = yaml.safe_load(path.read_text(encoding="utf-8"))
    amount, currency = tuple(given["amount"]), tuple(given["currency"])
    return given["body"], amount, _field(amount), currency, _field(currency)


# vendor: (valid body, amount path, its field, currency path, its field)
SHAPES = {vendor: _shape(vendor) for vendor in VENDORS}
FINICITY = SHAPES[AU][0]
CONNECT_BODY = SHAPES[CONNECT][0]
SEND_BODY = SHAPES[SEND][0]
TOKEN_BODY = SHAPES[TOKEN][0]

_RAW = "@@raw@@"


def with_raw(base: dict[str, Any], path: tuple[Any, ...], raw: str) -> bytes:
    """``base`` with the value at ``path`` replaced by raw JSON text (NaN, 12,50, ...)."""
    document = copy.deepcopy(base)
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = _RAW
    return json.dumps(document).replace(json.dumps(_RAW), raw).encode()


def without(base: dict[str, Any], path: tuple[Any, ...]) -> bytes:
    document = copy.deepcopy(base)
    node = document
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return json.dumps(document).encode()


def send_xml(amount: str = "1000", state: str = "IN_CREDIT", timestamp: str = "") -> str:
    stamp = f"<balance_timestamp>{timestamp}</balance_timestamp>" if timestamp else ""
    return (
        "<account_balances><account_balance><balance>"
        f"<amount>{amount}</amount><currency>GBP</currency><state>{state}</state>"
        f"</balance>{stamp}<non_card_token>non_card_token:abc</non_card_token>"
        "</account_balance></account_balances>"
    )


def test_the_real_vendors_bodies_are_the_ones_the_cases_below_expect() -> None:
    assert FINICITY["availableBalance"] == 801.39
    assert SHAPES[US][0] == {**FINICITY, "currency": "USD"}
    assert SHAPES[US][2] == "$.clearedBalance"
    assert CONNECT_BODY["account"]["balances"][0]["balanceAmount"] == {
        "currency": "GBP",
        "amount": "50.00",
    }
    assert SEND_BODY["account_balances"]["account_balance"]["balance"] == {
        "amount": "1000",
        "currency": "GBP",
        "state": "IN_CREDIT",
    }
    assert TOKEN_BODY["balance"]["current"] == {"currency": "USD", "value": "12009.1000"}


def test_the_valid_bodies_are_valid() -> None:
    """The bodies the cases below break do normalize as they stand."""
    for vendor, (base, *_) in SHAPES.items():
        assert normalize_response(vendor, json.dumps(base)), vendor
    assert normalize_response(SEND, send_xml(timestamp="2018-05-18T10:19:22Z"))


# --- Vendor, body, root --------------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["mastercard-sned", "Token-IO", ""])
def test_unknown_vendor(vendor: str) -> None:
    with pytest.raises(UnknownVendor) as caught:
        normalize_response(vendor, json.dumps(TOKEN_BODY))
    assert_names(caught.value, vendor, "vendor", vendor)


@pytest.mark.parametrize("vendor", VENDORS)
def test_body_that_is_neither_json_nor_xml(vendor: str) -> None:
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(vendor, b"balance=12.50&currency=GBP")
    assert_names(caught.value, vendor, "$", "balance=12.50&currency=GBP")


@pytest.mark.parametrize("vendor", [AU, US, CONNECT, TOKEN])
def test_xml_body_for_a_vendor_that_answers_in_json(vendor: str) -> None:
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(vendor, "<balance><amount>1</amount></balance>")
    assert caught.value.vendor == vendor
    assert caught.value.field == "$"
    assert str(caught.value).startswith(f"{vendor}: $: ")


def test_send_xml_that_is_not_well_formed() -> None:
    body = "<account_balances><account_balance>"
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, body, content_type="application/xml")
    assert_names(caught.value, SEND, "$", body)


WRONG_ROOTS = [
    *(pytest.param(v, '[{"id": 1}]', MalformedPayload, "$", "list", id=f"{v}-list")
      for v in VENDORS),
    *(pytest.param(v, '"balance"', MalformedPayload, "$", "str", id=f"{v}-string")
      for v in VENDORS),
    pytest.param(SEND, '{"accountBalances": {}}', MalformedPayload, "$", ["accountBalances"],
                 id="send-unexpected-key"),
    pytest.param(TOKEN, '{"balances": []}', MalformedPayload, "$", ["balances"],
                 id="token-unexpected-key"),
    # An object with none of the vendor's keys (balance or error shape) is no answer of
    # that vendor: the value is its keys, sorted.
    pytest.param(AU, '{"balance": 1}', MalformedPayload, "$", ["balance"],
                 id="au-unexpected-key"),
    pytest.param(US, '{"balance": 1}', MalformedPayload, "$", ["balance"],
                 id="us-unexpected-key"),
    pytest.param(CONNECT, '{"accounts": []}', MalformedPayload, "$", ["accounts"],
                 id="connect-unexpected-key"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "body", "kind", "field", "value"), WRONG_ROOTS)
def test_wrong_json_root(
    vendor: str, body: str, kind: type[NormalizeError], field: str, value: object
) -> None:
    with pytest.raises(kind) as caught:
        normalize_response(vendor, body)
    assert type(caught.value) is kind
    assert_names(caught.value, vendor, field, value)


def test_send_empty_object_is_no_accounts_only_for_the_list_operation() -> None:
    """A partner with no accounts leaves the list out, so {} from the several-accounts call
    is no records; {} from an unknown call has none of Send's keys: a wrong root."""
    assert normalize_response(SEND, b"{}", operation="getAccountBalances") == []
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, b"{}")
    assert_names(caught.value, SEND, "$", [])


def test_token_empty_object_means_what_the_operation_says() -> None:
    """proto3 JSON leaves an empty list and a default status out: {} from getBalances is no
    accounts, {} from getBalance is a status INVALID_REQUEST, and {} from an unnamed call is
    ambiguous, so it is refused rather than guessed."""
    assert normalize_response(TOKEN, b"{}", operation="getBalances") == []
    with pytest.raises(VendorError) as refused:
        normalize_response(TOKEN, b"{}", operation="getBalance")
    assert refused.value.code is INVALID_REQUEST
    assert refused.value.vendor_code == "INVALID_REQUEST"
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(TOKEN, b"{}")
    assert_names(caught.value, TOKEN, "$", {})
    assert "say which operation" in str(caught.value)


@pytest.mark.parametrize(
    ("vendor", "body", "content_type"),
    [
        pytest.param(TOKEN, b"[" * 5000 + b"]" * 5000, "application/json", id="json-lists"),
        pytest.param(
            AU, b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json", id="json-objects"
        ),
        pytest.param(SEND, b"<a>" * 5000 + b"</a>" * 5000, "application/xml", id="xml-elements"),
    ],
)
def test_deeply_nested_body_is_malformed_not_a_crash(
    vendor: str, body: bytes, content_type: str
) -> None:
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(vendor, body, content_type=content_type)
    assert caught.value.vendor == vendor


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b'{"originalRequestInfo": {"xRequestId": "x"}}', id="no-account"),
        pytest.param(b'{"originalRequestInfo": {"xRequestId": "x"}, "account": null}',
                     id="null-account"),
        pytest.param(b'{"originalRequestInfo": {"xRequestId": "a"}, "x": {"amount": "1"}}',
                     id="unknown-key-with-an-amount"),
    ],
)  # fmt: skip
def test_connect_body_without_account_gives_no_records(body: bytes) -> None:
    """``account`` is 0..1 in the vendor's page: a response without it is valid and holds
    no balance (absent is not an error), whatever other keys it carries."""
    outcome = parse_response(CONNECT, body)
    assert outcome.kind is OutcomeKind.RECORDS
    assert outcome.records == ()
    assert normalize_response(CONNECT, body) == []


def test_send_xml_list_refuses_elements_other_than_account_balance() -> None:
    body = b"<account-balances><foo><bar>1</bar></foo></account-balances>"
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, body, content_type="application/xml")
    assert_names(caught.value, SEND, "$.account-balances", "foo")


# --- An element written twice in Send XML ------------------------------------------------
# XML's duplicate key: every element the spec makes single appears at most once, or the body
# is refused, naming the element and its second value; neither the first nor the last wins.
# The elements the spec makes lists (<account_balance> in <account-balances>, <Error> in
# <Errors>) may repeat.

XML_BALANCE = "<amount>1000</amount><currency>GBP</currency><state>IN_CREDIT</state>"


def xml_account(balance: str = XML_BALANCE, extra: str = "") -> str:
    return (
        f"<account_balance><balance>{balance}</balance>"
        "<balance_timestamp>2018-05-18T10:19:22Z</balance_timestamp>"
        f"<non_card_token>non_card_token:abc</non_card_token>{extra}</account_balance>"
    )


def one_account(account: str) -> str:
    return f"<account_balances>{account}</account_balances>"


def xml_errors(error: str) -> str:
    return f"<Errors>{error}</Errors>"


XML_ERROR = "<Error><ReasonCode>NOT_FOUND</ReasonCode><Description>x</Description></Error>"

REPEATED_XML = [
    pytest.param(one_account(xml_account("<amount>1000</amount><amount>2000</amount>"
                                         "<currency>GBP</currency><state>IN_CREDIT</state>")),
                 "amount", "2000", id="amount"),
    pytest.param(one_account(xml_account("<amount>1000</amount><currency>GBP</currency>"
                                         "<currency>JPY</currency><state>IN_CREDIT</state>")),
                 "currency", "JPY", id="currency"),
    pytest.param(one_account(xml_account("<amount>1000</amount><currency>GBP</currency>"
                                         "<state>IN_CREDIT</state><state>IN_DEBIT</state>")),
                 "state", "IN_DEBIT", id="state"),
    pytest.param(one_account(xml_account(extra="<balance><amount>1</amount></balance>")),
                 "balance", {"amount": "1"}, id="balance"),
    pytest.param(one_account(xml_account(extra="<non_card_token>other</non_card_token>")),
                 "non_card_token", "other", id="non-card-token"),
    pytest.param(one_account(xml_account(
                     extra="<balance_timestamp>2019-01-01T00:00:00Z</balance_timestamp>")),
                 "balance_timestamp", "2019-01-01T00:00:00Z", id="balance-timestamp"),
    pytest.param(one_account(xml_account() + "<account_balance><non_card_token>t"
                                             "</non_card_token></account_balance>"),
                 "account_balance", {"non_card_token": "t"}, id="account-in-the-one-account-form"),
    pytest.param("<account-balances>" + xml_account() + xml_account(
                     "<amount>1000</amount><amount>2000</amount><currency>GBP</currency>"
                     "<state>IN_CREDIT</state>") + "</account-balances>",
                 "amount", "2000", id="amount-in-the-list-form"),
    pytest.param(xml_errors("<Error><ReasonCode>A</ReasonCode><ReasonCode>B</ReasonCode>"
                            "</Error>"),
                 "ReasonCode", "B", id="reason-code-in-errors"),
    pytest.param(one_account("<account_balance><Errors><Error><Description>x</Description>"
                             "<Description>y</Description></Error></Errors>"
                             "<non_card_token>t</non_card_token></account_balance>"),
                 "Description", "y", id="description-in-an-accounts-errors"),
    pytest.param(one_account("<account_balance><Errors><Error><ReasonCode>A</ReasonCode></Error>"
                             "</Errors><Errors><Error><ReasonCode>B</ReasonCode></Error></Errors>"
                             "</account_balance>"),
                 "Errors", {"Error": [{"ReasonCode": "B"}]}, id="errors-in-an-account"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "field", "value"), REPEATED_XML)
def test_send_xml_element_written_twice_is_refused(body: str, field: str, value: object) -> None:
    """The whole body is refused, as a JSON body with a duplicate key is: the accounts beside
    the broken one are not read either."""
    outcome = parse_response(SEND, body, content_type="application/xml")
    assert outcome.kind is OutcomeKind.REJECTED
    assert outcome.records == ()
    [problem] = outcome.problems
    assert (problem.scope, problem.path) == (Scope.RESPONSE, "$")
    error = problem.error
    assert type(error) is MalformedPayload
    assert_names(error, SEND, field, value)
    assert str(error).endswith("(element repeated)")
    with pytest.raises(MalformedPayload):
        normalize_response(SEND, body, content_type="application/xml")


@pytest.mark.parametrize(
    ("field", "first", "second"),
    [("amount", "1000", "2000"), ("currency", "GBP", "JPY"), ("state", "IN_CREDIT", "IN_DEBIT")],
)
def test_send_balance_field_given_twice_is_refused_in_json_as_in_xml(
    field: str, first: str, second: str
) -> None:
    """The same field twice in one balance: a duplicate key in JSON, a repeated element in
    XML; each refused by name, never resolved to one of the two."""
    values = {"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"}
    json_body = ", ".join(
        f'"{name}": "{value}"' + (f', "{name}": "{second}"' if name == field else "")
        for name, value in values.items()
    )
    body = json.dumps(SEND_BODY).replace(
        '"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"', json_body
    )
    assert body.count(f'"{field}"') == 2
    with pytest.raises(MalformedPayload) as from_json:
        normalize_response(SEND, body)
    assert (from_json.value.field, from_json.value.value) == ("$", field)
    assert "duplicate key" in str(from_json.value)
    xml_balance = XML_BALANCE.replace(
        f"<{field}>{first}</{field}>", f"<{field}>{first}</{field}><{field}>{second}</{field}>"
    )
    with pytest.raises(MalformedPayload) as from_xml:
        normalize_response(SEND, one_account(xml_account(xml_balance)))
    assert_names(from_xml.value, SEND, field, second)


def test_send_xml_lists_may_repeat_their_elements() -> None:
    """<account_balance> in <account-balances> and <Error> in <Errors> are lists in the spec:
    repeated, they are read one by one."""
    accounts = xml_account() + xml_account(XML_BALANCE.replace("1000", "2500"))
    records = normalize_response(
        SEND, f"<account-balances>{accounts}</account-balances>", content_type="application/xml"
    )
    assert [str(r.amount) for r in records] == ["10.00", "25.00"]
    two_errors = XML_ERROR + XML_ERROR.replace("NOT_FOUND", "OTHER")
    with pytest.raises(VendorError) as caught:
        normalize_response(SEND, xml_errors(two_errors), content_type="application/xml")
    assert caught.value.vendor_code == "NOT_FOUND"
    account = one_account(
        f"<account_balance>{xml_errors(two_errors)}"
        "<non_card_token>t</non_card_token></account_balance>"
    )
    outcome = parse_response(SEND, account, content_type="application/xml")
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    [problem] = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert (problem.path, problem.account_id) == ("$.account_balances.account_balance.Errors", "t")


# --- Missing is never zero -----------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_missing_amount_is_an_error_not_zero(vendor: str) -> None:
    base, amount_path, amount_field, _, _ = SHAPES[vendor]
    with pytest.raises(MissingField) as caught:
        normalize_response(vendor, without(base, amount_path))
    assert_names(caught.value, vendor, amount_field, None)


def test_missing_amount_in_send_xml() -> None:
    body = send_xml().replace("<amount>1000</amount>", "")
    with pytest.raises(MissingField) as caught:
        normalize_response(SEND, body, content_type="application/xml")
    assert_names(caught.value, SEND, "$.account_balances.account_balance.balance.amount", None)


@pytest.mark.parametrize("vendor", VENDORS)
def test_missing_currency(vendor: str) -> None:
    base, _, _, currency_path, currency_field = SHAPES[vendor]
    with pytest.raises(MissingField) as caught:
        normalize_response(vendor, without(base, currency_path))
    assert_names(caught.value, vendor, currency_field, None)


@pytest.mark.parametrize("vendor", VENDORS)
def test_unknown_currency(vendor: str) -> None:
    base, _, _, currency_path, currency_field = SHAPES[vendor]
    with pytest.raises(UnknownCurrency) as caught:
        normalize_response(vendor, with_raw(base, currency_path, '"XYZ"'))
    assert_names(caught.value, vendor, currency_field, "XYZ")


def test_lower_case_currency_code_is_unknown() -> None:
    """ISO 4217 alpha-3 codes are upper case; "usd" is not guessed into USD."""
    with pytest.raises(UnknownCurrency) as caught:
        normalize_response(TOKEN, with_raw(TOKEN_BODY, ("balance", "current", "currency"), '"usd"'))
    assert_names(caught.value, TOKEN, "$.balance.current.currency", "usd")


# --- Amounts that are not amounts ----------------------------------------------------------


def amount_case(vendor: str, raw: str, value: str, case: str) -> Any:
    base, path, field, _, _ = SHAPES[vendor]
    return pytest.param(vendor, with_raw(base, path, raw), field, value, id=f"{vendor}-{case}")


INVALID_AMOUNTS = [
    # Finicity amounts are JSON numbers: NaN and Infinity come as bare literals, which JSON
    # does not have; and a decimal comma is no number at all.
    amount_case(AU, "NaN", "NaN", "bare-NaN"),
    amount_case(US, "Infinity", "Infinity", "bare-Infinity"),
    amount_case(AU, "-Infinity", "-Infinity", "bare-minus-Infinity"),
    amount_case(US, "NaN", "NaN", "bare-NaN"),
    amount_case(AU, '"12,50"', "12,50", "decimal-comma"),
    # Finicity sends JSON numbers; a string there is no licence to guess: "1e3", "1_000"
    # and " 5" are not the plain decimal text that _money holds every string amount to.
    amount_case(AU, '"1e3"', "1e3", "string-exponent"),
    amount_case(US, '"1_000"', "1_000", "string-underscore"),
    amount_case(AU, '" 5"', " 5", "string-leading-space"),
    amount_case(CONNECT, "NaN", "NaN", "bare-NaN"),
    amount_case(CONNECT, '"NaN"', "NaN", "string-NaN"),
    amount_case(CONNECT, '"Infinity"', "Infinity", "string-Infinity"),
    amount_case(CONNECT, '"12,50"', "12,50", "decimal-comma"),
    amount_case(TOKEN, '"NaN"', "NaN", "string-NaN"),
    amount_case(TOKEN, '"Infinity"', "Infinity", "string-Infinity"),
    amount_case(TOKEN, '"-Infinity"', "-Infinity", "string-minus-Infinity"),
    amount_case(TOKEN, '"12,50"', "12,50", "decimal-comma"),
    amount_case(TOKEN, '"1e3"', "1e3", "exponent"),
    amount_case(SEND, '"12,50"', "12,50", "decimal-comma"),
    amount_case(SEND, '"NaN"', "NaN", "string-NaN"),
    amount_case(SEND, '"10.00"', "10.00", "not-minor-units"),
]


@pytest.mark.parametrize(("vendor", "body", "field", "value"), INVALID_AMOUNTS)
def test_invalid_amount(vendor: str, body: bytes, field: str, value: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        normalize_response(vendor, body)
    assert_names(caught.value, vendor, field, value)


def test_a_long_value_is_kept_whole_and_quoted_briefly() -> None:
    """The error keeps the value as found; its message quotes only about 80 characters."""
    raw = "12," + "5" * 500
    with pytest.raises(InvalidAmount) as caught:
        normalize_response(TOKEN, with_raw(TOKEN_BODY, ("balance", "current", "value"), f'"{raw}"'))
    exc = caught.value
    assert (exc.vendor, exc.field, exc.value) == (TOKEN, "$.balance.current.value", raw)
    text = str(exc)
    assert text.startswith(f"{TOKEN}: $.balance.current.value: ")
    assert repr(raw)[:30] in text
    assert "..." in text
    assert raw not in text
    assert len(text) < len(f"{TOKEN}: $.balance.current.value: ") + 200


# --- Enumerations and timestamps -----------------------------------------------------------

SEND_BALANCE = "$.account_balances.account_balance"

UNKNOWN_ENUM_VALUES = [
    pytest.param(SEND, with_raw(SEND_BODY, (*SHAPES[SEND][1][:-1], "state"), '"OVERDRAWN"'),
                 "application/json", f"{SEND_BALANCE}.balance.state", "OVERDRAWN",
                 id="send-state-overdrawn"),
    pytest.param(SEND, with_raw(SEND_BODY, (*SHAPES[SEND][1][:-1], "state"), '"in_credit"'),
                 "application/json", f"{SEND_BALANCE}.balance.state", "in_credit",
                 id="send-state-lower-case"),
    pytest.param(SEND, send_xml(state="IN_THE_RED"), "application/xml",
                 f"{SEND_BALANCE}.balance.state", "IN_THE_RED", id="send-state-xml"),
    pytest.param(TOKEN, with_raw(TOKEN_BODY, ("status",), '"PARTIAL"'), "application/json",
                 "$.status", "PARTIAL", id="token-status"),
    pytest.param(CONNECT, with_raw(CONNECT_BODY, ("account", "balances", 0,
                 "creditDebitIndicator"), '"Sideways"'), "application/json",
                 "$.account.balances[0].creditDebitIndicator", "Sideways",
                 id="connect-indicator"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "body", "content_type", "field", "value"), UNKNOWN_ENUM_VALUES)
def test_unknown_enumerated_value_is_an_error_not_a_guess(
    vendor: str, body: bytes | str, content_type: str, field: str, value: str
) -> None:
    with pytest.raises(UnknownEnumValue) as caught:
        normalize_response(vendor, body, content_type=content_type)
    assert_names(caught.value, vendor, field, value)


def send_timestamp(raw: str) -> bytes:
    return with_raw(SEND_BODY, ("account_balances", "account_balance", "balance_timestamp"), raw)


INVALID_TIMESTAMPS = [
    pytest.param(send_timestamp('"2018-05-18T10:19:80Z"'), "application/json",
                 "2018-05-18T10:19:80Z", id="json-second-80"),
    pytest.param(send_timestamp('"2018-05-18T10:19:22"'), "application/json",
                 "2018-05-18T10:19:22", id="json-no-offset"),
    pytest.param(send_xml(timestamp="2018-05-18T10:19:80Z"), "application/xml",
                 "2018-05-18T10:19:80Z", id="xml-second-80"),
    pytest.param(send_xml(timestamp="2018-05-18T10:19:22"), "application/xml",
                 "2018-05-18T10:19:22", id="xml-no-offset"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "content_type", "value"), INVALID_TIMESTAMPS)
def test_invalid_send_balance_timestamp(body: bytes | str, content_type: str, value: str) -> None:
    """created_date's second 80 is tolerated (it is not read); balance_timestamp's is not."""
    with pytest.raises(InvalidTimestamp) as caught:
        normalize_response(SEND, body, content_type=content_type)
    assert_names(caught.value, SEND, f"{SEND_BALANCE}.balance_timestamp", value)


def test_connect_date_time_without_offset() -> None:
    body = with_raw(CONNECT_BODY, ("account", "balances", 0, "dateTime"), '"2024-03-05T23:59:59"')
    with pytest.raises(InvalidTimestamp) as caught:
        normalize_response(CONNECT, body)
    assert_names(caught.value, CONNECT, "$.account.balances[0].dateTime", "2024-03-05T23:59:59")


def test_connect_date_time_before_year_one_in_utc() -> None:
    early = "0001-01-01T00:00:00+00:01"
    body = with_raw(CONNECT_BODY, ("account", "balances", 0, "dateTime"), f'"{early}"')
    with pytest.raises(InvalidTimestamp) as caught:
        normalize_response(CONNECT, body)
    assert_names(caught.value, CONNECT, "$.account.balances[0].dateTime", early)


def test_bad_entry_in_a_send_list_names_its_index() -> None:
    entry = SEND_BODY["account_balances"]["account_balance"]
    bad = copy.deepcopy(entry)
    bad["balance"]["amount"] = "12,50"
    body = json.dumps({"account-balances": [entry, bad, entry]})
    with pytest.raises(InvalidAmount) as caught:
        normalize_response(SEND, body)
    assert_names(caught.value, SEND, "$.account-balances[1].balance.amount", "12,50")
    # The entry is one account: it alone is lost, the accounts around it still count.
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [r.amount for r in outcome.records] == [Decimal("10.00"), Decimal("10.00")]
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.ACCOUNT,
        "$.account-balances[1]",
        "non_card_token:abc",
    )
    assert problem.error.field == "$.account-balances[1].balance.amount"


def test_bad_entry_in_a_token_list_names_its_index() -> None:
    bad = copy.deepcopy(TOKEN_BODY)
    bad["balance"]["available"]["currency"] = "XXY"
    body = json.dumps({"response": [TOKEN_BODY, bad]})
    with pytest.raises(UnknownCurrency) as caught:
        normalize_response(TOKEN, body)
    assert_names(caught.value, TOKEN, "$.response[1].balance.available.currency", "XXY")
    # Only that balance is lost: the first account's two and the second's current remain.
    outcome = parse_response(TOKEN, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [r.vendor_balance_type for r in outcome.records] == ["current", "available", "current"]
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.BALANCE,
        "$.response[1].balance.available",
        "a:1",
    )


def test_successful_token_entry_without_a_balance_gives_no_records() -> None:
    """No field of Token's Balance is required and proto3 JSON leaves unset messages out:
    a successful entry without a balance is an account with nothing to report."""
    body = json.dumps({"response": [TOKEN_BODY, {"status": "SUCCESSFUL_REQUEST"}]})
    outcome = parse_response(TOKEN, body)
    assert outcome.kind is OutcomeKind.RECORDS
    assert [(r.account_id, r.vendor_balance_type) for r in outcome.records] == [
        ("a:1", "current"),
        ("a:1", "available"),
    ]


def test_token_money_without_its_value_in_a_list_entry_loses_that_account() -> None:
    """Money requires value and currency: a present Money without value is missing, not zero."""
    bad = copy.deepcopy(TOKEN_BODY)
    bad["balance"]["accountId"] = "a:2"
    bad["balance"]["current"] = {"currency": "USD"}
    outcome = parse_response(TOKEN, json.dumps({"response": [TOKEN_BODY, bad]}))
    assert outcome.kind is OutcomeKind.PARTIAL
    assert {r.account_id for r in outcome.records} == {"a:1"}
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.ACCOUNT,
        "$.response[1]",
        "a:2",
    )
    assert isinstance(problem.error, MissingField)
    assert_names(problem.error, TOKEN, "$.response[1].balance.current.value", None)


def test_bad_token_other_balance_names_its_index() -> None:
    bad = copy.deepcopy(TOKEN_BODY)
    other = {"amount": {"currency": "EUR", "value": "1.00"}, "type": "expected"}
    bad["balance"]["otherBalances"] = [other, {**other, "amount": {"currency": "EUR"}}]
    with pytest.raises(MissingField) as caught:
        normalize_response(TOKEN, json.dumps(bad))
    assert_names(caught.value, TOKEN, "$.balance.otherBalances[1].amount.value", None)


def test_bad_balance_in_a_connect_list_names_its_index() -> None:
    bad = copy.deepcopy(CONNECT_BODY)
    balances = bad["account"]["balances"]
    balances.append({**balances[0], "balanceAmount": {"currency": "EURO", "amount": "1.00"}})
    with pytest.raises(UnknownCurrency) as caught:
        normalize_response(CONNECT, json.dumps(bad))
    field = f"$.account.balances[{len(balances) - 1}].balanceAmount.currency"
    assert_names(caught.value, CONNECT, field, "EURO")
    outcome = parse_response(CONNECT, json.dumps(bad))
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [r.amount for r in outcome.records] == [Decimal("-50.00")]
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.BALANCE,
        f"$.account.balances[{len(balances) - 1}]",
        "acc-1",
    )


def test_send_list_entry_without_a_token_names_its_index() -> None:
    entry = SEND_BODY["account_balances"]["account_balance"]
    bad = {key: value for key, value in entry.items() if key != "non_card_token"}
    body = json.dumps({"account-balances": [entry, bad]})
    with pytest.raises(MissingField) as caught:
        normalize_response(SEND, body)
    assert_names(caught.value, SEND, "$.account-balances[1].non_card_token", None)


def test_send_list_entry_without_a_token_loses_only_that_entry() -> None:
    entry = SEND_BODY["account_balances"]["account_balance"]
    bad = {key: value for key, value in entry.items() if key != "non_card_token"}
    outcome = parse_response(SEND, json.dumps({"account-balances": [entry, bad]}))
    assert [r.account_id for r in outcome.records] == ["non_card_token:abc"]
    [problem] = outcome.problems
    assert (problem.scope, problem.path) == (Scope.ACCOUNT, "$.account-balances[1]")


def test_unknown_operation() -> None:
    with pytest.raises(InvalidField) as caught:
        normalize_response(AU, json.dumps(FINICITY), operation="getAvailableBalanceCached")
    assert type(caught.value) is InvalidField
    assert_names(caught.value, AU, "operation", "getAvailableBalanceCached")


# --- Hostile XML ---------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    "<!DOCTYPE account_balances [\n"
    '  <!ENTITY lol "lol">\n'
    '  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    '  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    "]>\n"
    + send_xml().replace(
        "<account_balance>", "<account_balance><account_description>&lol3;</account_description>"
    )
)


def external_entity(url: str) -> str:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE account_balances [<!ENTITY xxe SYSTEM "{url}">]>\n'
        + send_xml().replace("<non_card_token>non_card_token:abc", "<non_card_token>&xxe;")
    )


def test_xml_entity_bomb_is_refused_unexpanded() -> None:
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, BILLION_LAUGHS, content_type="application/xml")
    assert caught.value.vendor == SEND
    assert caught.value.field == "$"
    assert "lollollol" not in str(caught.value)
    assert "lollollol" not in repr(caught.value.value)


def test_xml_external_entity_is_refused_unread() -> None:
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, external_entity("file:///etc/passwd"), content_type="text/xml")
    assert caught.value.vendor == SEND
    assert caught.value.field == "$"
    assert "root:" not in str(caught.value)


def test_xml_external_entity_from_a_local_file_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cr3t-marker-9f2c")
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, external_entity(secret.as_uri()), content_type="application/xml")
    assert "s3cr3t-marker-9f2c" not in str(caught.value)
    assert "s3cr3t-marker-9f2c" not in repr(caught.value.value)


def test_undeclared_entity_in_send_xml() -> None:
    body = send_xml().replace("non_card_token:abc", "&nowhere;")
    with pytest.raises(MalformedPayload) as caught:
        normalize_response(SEND, body, content_type="application/xml")
    assert caught.value.field == "$"


# --- Vendor error bodies -------------------------------------------------------------------


class _ExactLoader(yaml.SafeLoader):
    """YAML floats as the Decimal of their own text."""


_ExactLoader.add_constructor(
    "tag:yaml.org,2002:float", lambda loader, node: Decimal(loader.construct_scalar(node))
)


@functools.cache
def component_examples(vendor: str) -> dict[str, Any]:
    """The spec's named examples: those under ``components.examples`` (numbers exact), and
    those a response gives in place, by name."""
    text = (ROOT / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8")
    examples = (yaml.load(text, Loader=_ExactLoader).get("components") or {}).get("examples")
    found = {
        example.name: example.value
        for example in documented_examples(vendor)
        if example.where != "request" and example.name != "example"
    }
    return found | {name: example["value"] for name, example in (examples or {}).items()}


def is_error_body(value: Any) -> bool:
    """Finicity ErrorMessage, Mastercard Errors (JSON or XML), Token error or failed status."""
    if isinstance(value, str):
        return value.lstrip().startswith("<Errors")
    if not isinstance(value, dict):
        return False
    if "Errors" in value or "error" in value:
        return True
    if "code" in value:  # Finicity ErrorMessage: only ``code`` is required
        return True
    return value.get("status", "SUCCESSFUL_REQUEST") != "SUCCESSFUL_REQUEST"


def body_of(value: Any) -> tuple[str, str]:
    """The example as a response body and its content type."""
    if isinstance(value, str):
        return value, "application/xml"
    return json.dumps(value), "application/json"


# (vendor, example name): (operation, HTTP status, canonical code, vendor's code), from each
# vendor's fixtures folder (tests/fixtures/<vendor>/documented-errors.yaml).
SPEC_ERROR_EXAMPLES: dict[tuple[str, str], tuple[str | None, int, VendorErrorCode, str | None]] = {
    (vendor, name): (meant.operation, meant.status, meant.code, meant.vendor_code)
    for vendor in VENDORS
    for name, meant in documented_errors(vendor).items()
}


def test_the_error_table_covers_every_error_example_of_every_spec() -> None:
    """A new error example in a spec needs its expected code written here."""
    found = {
        (vendor, name)
        for vendor in VENDORS
        for name, value in component_examples(vendor).items()
        if is_error_body(value)
    }
    assert found == set(SPEC_ERROR_EXAMPLES)


@pytest.mark.parametrize(
    ("vendor", "name"), list(SPEC_ERROR_EXAMPLES), ids=[":".join(k) for k in SPEC_ERROR_EXAMPLES]
)
def test_spec_error_example_gives_its_canonical_code(vendor: str, name: str) -> None:
    operation, status, code, vendor_code = SPEC_ERROR_EXAMPLES[vendor, name]
    examples = component_examples(vendor)
    assert name in examples, f"{vendor} spec no longer has the example {name}"
    body, content_type = body_of(examples[name])
    options: dict[str, Any] = {
        "content_type": content_type,
        "operation": operation,
        "status": status,
        "trace_id": "trace-1",
    }
    with pytest.raises(VendorError) as caught:
        normalize_response(vendor, body, **options)
    exc = caught.value
    assert not isinstance(exc, NormalizeError)
    assert exc.vendor == vendor
    assert exc.code is code
    assert exc.vendor_code == vendor_code
    assert exc.status == status
    assert str(exc).startswith(f"{vendor}: {code.value}")
    # As a value: the vendor's refusal of the whole response, and no records beside it.
    outcome = parse_response(vendor, body, **options)
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    assert outcome.records == ()
    [problem] = outcome.problems
    assert (problem.scope, problem.path) == (Scope.RESPONSE, "$")
    assert type(problem.error) is type(exc)
    assert str(problem.error) == str(exc)


def _spec_error_usages() -> list[Any]:
    """Every place a spec uses an error example: (vendor, component name, operation, status).

    A spec that cannot be read this way gives one case that fails saying so, rather than an
    error that stops the collection of every test."""
    try:
        return _read_spec_error_usages()
    except Exception as exc:  # reported by the test it stands in for
        return [pytest.param(None, repr(exc), None, 0, id="unreadable-spec")]


def _read_spec_error_usages() -> list[Any]:
    usages = []
    for vendor in VENDORS:
        names = {
            json.dumps(value, sort_keys=True, default=str): name
            for name, value in component_examples(vendor).items()
            if is_error_body(value)
        }
        for usage in documented_examples(vendor):
            name = names.get(json.dumps(usage.value, sort_keys=True, default=str))
            if name is None or usage.where == "request":
                continue
            usages.append(
                pytest.param(
                    vendor,
                    name,
                    usage.operation_id,
                    int(usage.where),
                    id=f"{usage.id}",
                )
            )
    return usages


@pytest.mark.parametrize(("vendor", "name", "operation_id", "status"), _spec_error_usages())
def test_spec_error_example_keeps_its_code_wherever_the_spec_uses_it(
    vendor: str | None, name: str, operation_id: str, status: int
) -> None:
    """Under each operation and status the spec lists it for, the example means the same."""
    assert vendor is not None, f"the specs' error examples could not be listed: {name}"
    assert (vendor, name) in SPEC_ERROR_EXAMPLES, f"no expected code for {vendor} {name}"
    _, _, code, _ = SPEC_ERROR_EXAMPLES[vendor, name]
    operation = operation_id if operation_id in REGISTRY[vendor].OPERATIONS else None
    body, content_type = body_of(component_examples(vendor)[name])
    with pytest.raises(VendorError) as caught:
        normalize_response(
            vendor, body, content_type=content_type, operation=operation, status=status
        )
    assert caught.value.code is code


FINICITY_ERROR_CODES = [
    ("10005", 400, INVALID_REQUEST),
    ("14020", 400, INVALID_REQUEST),
    ("14001", 404, NOT_FOUND),
    ("10022", 401, UNAUTHORIZED),
    ("10023", 401, UNAUTHORIZED),
    ("10024", 401, UNAUTHORIZED),
    ("10026", 401, UNAUTHORIZED),
    ("24302", 401, UNAUTHORIZED),
    # Codes the table does not know fall back on the HTTP status.
    ("99999", 500, PROVIDER_ERROR),
    ("99999", 503, UNAVAILABLE),
    ("99999", 429, RATE_LIMITED),
    ("99999", None, UNKNOWN),
]


@pytest.mark.parametrize("vendor", [AU, US])
@pytest.mark.parametrize(
    ("vendor_code", "status", "code"),
    FINICITY_ERROR_CODES,
    ids=[f"{c}-{s}" for c, s, _ in FINICITY_ERROR_CODES],
)
def test_finicity_error_message_code(
    vendor: str, vendor_code: str, status: int | None, code: VendorErrorCode
) -> None:
    body = json.dumps({"code": vendor_code, "message": "As the vendor wrote it."})
    with pytest.raises(VendorError) as caught:
        normalize_response(vendor, body, status=status, trace_id="t-1")
    exc = caught.value
    assert exc.code is code
    assert (exc.vendor, exc.vendor_code, exc.vendor_message) == (
        vendor,
        vendor_code,
        "As the vendor wrote it.",
    )
    assert (exc.status, exc.trace_id) == (status, "t-1")


@pytest.mark.parametrize(
    ("operation", "code"),
    [
        ("getAvailableBalance", NOT_CACHED),
        ("getAvailableBalanceLive", NOT_FOUND),
        (None, NOT_FOUND),
    ],
)
def test_au_404_with_an_unknown_code_means_not_cached_only_on_the_cached_endpoint(
    operation: str | None, code: VendorErrorCode
) -> None:
    body = json.dumps({"code": "90004", "message": "No cached balance."})
    with pytest.raises(VendorError) as caught:
        normalize_response(AU, body, operation=operation, status=404)
    assert caught.value.code is code


CONNECT_ERRORS = [
    (" FORMAT_ERROR ", "Conditional field psuIPAddress is expected", 400, INVALID_REQUEST),
    (" INVALID_TOKEN ", "Access Token associated with the Request has expired", 401,
     CONSENT_INVALID),
    ("  INVALID_TOKEN", "Access Token associated with the Request is invalid or has been revoked",
     403, CONSENT_INVALID),
    (" PROVIDER_ERROR ", "Provided account is invalid or unlinked from the consent", 400,
     PROVIDER_ERROR),
    (" PROVIDER_ERROR ", "ASPSP limit for unattended requests was exceeded", 400, RATE_LIMITED),
    (" SOMETHING_NEW ", "Not documented", 503, UNAVAILABLE),
]  # fmt: skip


@pytest.mark.parametrize(
    ("reason", "description", "status", "code"),
    CONNECT_ERRORS,
    ids=["format", "expired", "revoked", "unlinked", "unattended-limit", "unknown-by-status"],
)
def test_connect_padded_reason_code(
    reason: str, description: str, status: int, code: VendorErrorCode
) -> None:
    """The code is decided on the stripped reason; the vendor's padded text is kept."""
    body = json.dumps({"Errors": {"Error": [{"ReasonCode": reason, "Description": description}]}})
    with pytest.raises(VendorError) as caught:
        normalize_response(CONNECT, body, status=status)
    exc = caught.value
    assert exc.code is code
    assert exc.vendor_code == reason
    assert exc.vendor_message == description
    assert exc.status == status


@pytest.mark.parametrize(("status", "code"), [(400, INVALID_REQUEST), (401, UNAUTHORIZED)])
def test_token_error_body(status: int, code: VendorErrorCode) -> None:
    body = json.dumps({"error": {"message": "Missing header", "tokenTraceId": "7c1e4b9a"}})
    with pytest.raises(VendorError) as caught:
        normalize_response(TOKEN, body, status=status)
    exc = caught.value
    assert exc.code is code
    assert (exc.vendor_message, exc.trace_id, exc.status) == ("Missing header", "7c1e4b9a", status)


@pytest.mark.parametrize(
    ("status", "code"),
    [("MORE_SIGNATURES_NEEDED", CONSENT_INVALID), ("INVALID_REQUEST", INVALID_REQUEST)],
)
def test_token_request_status_that_carries_no_balance(status: str, code: VendorErrorCode) -> None:
    body = with_raw(TOKEN_BODY, ("status",), json.dumps(status))
    with pytest.raises(VendorError) as caught:
        normalize_response(TOKEN, body)
    exc = caught.value
    assert exc.code is code
    assert exc.vendor_code == status
    assert exc.account_id == "a:1"
    # The balance beside a failed status is not an answer: no record comes from it.
    outcome = parse_response(TOKEN, body)
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    assert outcome.records == ()
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (Scope.RESPONSE, "$", "a:1")


@pytest.mark.parametrize("failing_first", [False, True], ids=["failing-last", "failing-first"])
def test_token_several_accounts_with_one_failing_keeps_the_others(failing_first: bool) -> None:
    """The failed account is a problem of its own; the successful account's records stay."""
    good = {
        "balance": {
            "accountId": "a:good",
            "current": {"currency": "EUR", "value": "-125.5000"},
            "available": {"currency": "EUR", "value": "374.5000"},
        },
        "status": "SUCCESSFUL_REQUEST",
    }
    failing = {"balance": {**good["balance"], "accountId": "a:bad"}, "status": "INVALID_REQUEST"}
    entries = [failing, good] if failing_first else [good, failing]
    body = json.dumps({"response": entries})
    with pytest.raises(VendorError) as caught:
        normalize_response(TOKEN, body)
    exc = caught.value
    assert exc.code is INVALID_REQUEST
    assert exc.vendor_code == "INVALID_REQUEST"
    assert exc.account_id == "a:bad"
    outcome = parse_response(TOKEN, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    [problem] = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.ACCOUNT,
        f"$.response[{0 if failing_first else 1}]",
        "a:bad",
    )
    assert isinstance(problem.error, VendorError)
    assert (problem.error.code, problem.error.vendor_code) == (INVALID_REQUEST, "INVALID_REQUEST")
    common = {
        "vendor": TOKEN,
        "account_id": "a:good",
        "currency": "EUR",
        "as_of": None,
        "freshness": "UNKNOWN",
        "operation": "getBalances",
    }
    assert [r.to_dict() for r in outcome.records] == [
        {
            **common,
            "balance_type": "INTERIM_BOOKED",
            "vendor_balance_type": "current",
            "amount": "-125.5000",
            "credit_debit": "DEBIT",
            "amount_text": "-125.5000",
        },
        {
            **common,
            "balance_type": "INTERIM_AVAILABLE",
            "vendor_balance_type": "available",
            "amount": "374.5000",
            "credit_debit": "CREDIT",
            "amount_text": "374.5000",
        },
    ]


def test_a_problem_keeps_its_error_as_a_value_not_the_frames_that_raised_it() -> None:
    # Held with its traceback, each failed entry kept the frames that read it, and with
    # them the parsed body, for as long as the outcome lived (and in a reference cycle).
    body = '{"response": [' + ", ".join(['{"status": "INVALID_REQUEST"}'] * 3) + "]}"
    outcome = parse_response(TOKEN, body)
    assert len(outcome.problems) == 3
    assert all(problem.error.__traceback__ is None for problem in outcome.problems)
    bad = parse_response(TOKEN, b'{"balance": {"accountId": "a", "current": 5}}')
    assert bad.problems
    error = bad.problems[0].error
    # Nor the errors it was raised while handling, whose frames held the body too.
    assert (error.__traceback__, error.__context__, error.__cause__) == (None, None, None)
    # Raised again, the error gets the traceback of that raise, and only of that one.
    depths = []
    for _ in range(3):
        with pytest.raises(VendorError) as raised:
            outcome.raise_first()
        assert raised.value is outcome.problems[0].error
        depths.append(len(raised.traceback))
    assert depths[0] > 0
    assert depths == depths[:1] * 3
