"""What the one exact decode refuses, vendor by vendor, each with a typed error naming the
vendor, the field and the value; and that a key's spelling never changes the outcome.

A money pipeline must not pick among contradictory readings of a body (RFC 7493 I-JSON:
no duplicate keys; RFC 8259: valid UTF-8, no NaN), must read every amount by one grammar
per wire form, and must keep every amount inside decimal(38, 18), the exact type every
table the batch job writes shares.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize import (
    InvalidAmount,
    MalformedPayload,
    NormalizeError,
    OutcomeKind,
    parse_response,
)
from normalize._money import in_range

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"

# One small valid body per vendor, with the amount (and its key) left to fill in.
FINICITY = (
    '{"id": 15430035, "%(key)s": %(amount)s, "availableBalanceDate": 1722505195,'
    ' "clearedBalance": 801.39, "clearedBalanceDate": 1722505195, "currency": "AUD"}'
)
BODIES: dict[str, str] = {
    AU: FINICITY,
    US: FINICITY,
    CONNECT: (
        '{"originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"},'
        ' "account": {"resourceId": "acc-1", "balances": [{"balanceAmount":'
        ' {"currency": "EUR", "%(key)s": %(amount)s}, "creditDebitIndicator": "Credit"}]}}'
    ),
    SEND: (
        '{"account_balances": {"account_balance": {"balance": {"%(key)s": %(amount)s,'
        ' "currency": "GBP", "state": "IN_CREDIT"}, "non_card_token": "non_card_token:abc"}}}'
    ),
    TOKEN: (
        '{"balance": {"accountId": "a:1", "current": {"currency": "USD", "%(key)s": %(amount)s},'
        ' "available": {"currency": "USD", "value": "1.00"}}, "status": "SUCCESSFUL_REQUEST"}'
    ),
}
AMOUNT_KEY = {
    AU: "availableBalance",
    US: "availableBalance",
    CONNECT: "amount",
    SEND: "amount",
    TOKEN: "value",
}
AMOUNT_PATH = {
    AU: "$.availableBalance",
    US: "$.availableBalance",
    CONNECT: "$.account.balances[0].balanceAmount.amount",
    SEND: "$.account_balances.account_balance.balance.amount",
    TOKEN: "$.balance.current.value",
}


def body(vendor: str, amount: str, key: str | None = None) -> bytes:
    return (BODIES[vendor] % {"key": key or AMOUNT_KEY[vendor], "amount": amount}).encode()


def escaped(key: str) -> str:
    """The same key with its last letter written as a JSON \\u escape."""
    return f"{key[:-1]}\\u{ord(key[-1]):04x}"


def first_problem(vendor: str, data: bytes | str, **call: Any) -> NormalizeError:
    outcome = parse_response(vendor, data, **call)
    assert outcome.problems, f"{vendor}: {data!r} was accepted"
    error = outcome.problems[0].error
    assert isinstance(error, NormalizeError), error
    assert error.vendor == vendor
    return error


def test_every_template_is_a_valid_body() -> None:
    """The templates give records when filled with a good amount (so refusals below are
    about the one thing each row changes)."""
    good = {AU: "801.39", US: "801.39", CONNECT: '"12.50"', SEND: '"1000"', TOKEN: '"12.50"'}
    for vendor, amount in good.items():
        outcome = parse_response(vendor, body(vendor, amount))
        assert outcome.kind is OutcomeKind.RECORDS, (vendor, outcome.problems)


# --- duplicate keys --------------------------------------------------------------------------

DUPLICATES = [
    (
        AU,
        FINICITY.replace(
            '"%(key)s": %(amount)s', '"availableBalance": 1.00, "availableBalance": 2.00'
        ),
        "availableBalance",
    ),
    (AU, FINICITY.replace('"currency": "AUD"', '"currency": "AUD", "currency": "USD"'), "currency"),
    (US, FINICITY.replace('"id": 15430035', '"id": 1, "id": 2'), "id"),
    (
        CONNECT,
        BODIES[CONNECT].replace('"%(key)s": %(amount)s', '"amount": "1.00", "amount": "2.00"'),
        "amount",
    ),
    (
        CONNECT,
        BODIES[CONNECT].replace(
            '"creditDebitIndicator": "Credit"',
            '"creditDebitIndicator": "Credit", "creditDebitIndicator": "Debit"',
        ),
        "creditDebitIndicator",
    ),
    (
        SEND,
        BODIES[SEND].replace('"state": "IN_CREDIT"', '"state": "IN_CREDIT", "state": "IN_DEBIT"'),
        "state",
    ),
    (
        SEND,
        BODIES[SEND].replace('"currency": "GBP"', '"currency": "GBP", "currency": "JPY"'),
        "currency",
    ),
    (
        TOKEN,
        BODIES[TOKEN].replace(
            '"status": "SUCCESSFUL_REQUEST"',
            '"status": "SUCCESSFUL_REQUEST", "status": "INVALID_REQUEST"',
        ),
        "status",
    ),
    (
        TOKEN,
        BODIES[TOKEN].replace('"%(key)s": %(amount)s', '"value": "1.00", "value": "2.00"'),
        "value",
    ),
    # The same key spelled twice, once escaped: still one key twice.
    (
        TOKEN,
        BODIES[TOKEN].replace('"%(key)s": %(amount)s', '"value": "1.00", "valu\\u0065": "2.00"'),
        "value",
    ),
]


@pytest.mark.parametrize(
    ("vendor", "text", "key"),
    DUPLICATES,
    ids=[f"{v}-{k}-{i}" for i, (v, _, k) in enumerate(DUPLICATES)],
)
def test_duplicate_keys_are_refused(vendor: str, text: str, key: str) -> None:
    """I-JSON (RFC 7493): a money pipeline must not silently keep the last of two values."""
    error = first_problem(vendor, (text % {"key": AMOUNT_KEY[vendor], "amount": "1"}).encode())
    assert type(error) is MalformedPayload
    assert error.field == "$"
    assert error.value == key
    assert "duplicate key" in str(error)


# --- bytes that are not one JSON text ------------------------------------------------------


@pytest.mark.parametrize("vendor", [AU, CONNECT, SEND, TOKEN])
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'{"a": "\xff"}', id="invalid-utf8-in-string"),
        pytest.param(b'{"a\xc3": 1}', id="truncated-utf8-in-key"),
        pytest.param(b'{"a": "\\ud800"}', id="escaped-lone-surrogate"),
        pytest.param(b'{"a": "\\udc00x"}', id="escaped-lone-low-surrogate"),
        pytest.param('{"a": "\ud800"}', id="str-body-with-lone-surrogate"),
        pytest.param(b'{"a": 1} {"a": 2}', id="two-documents"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xef\xbb\xbf{}", id="byte-order-mark"),
    ],
)
def test_bytes_that_are_not_one_json_text_are_malformed(vendor: str, data: bytes | str) -> None:
    error = first_problem(vendor, data, content_type="application/json")
    assert type(error) is MalformedPayload
    assert error.field == "$"


@pytest.mark.parametrize("vendor", [AU, CONNECT])
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_literals_are_refused_where_they_stand(vendor: str, literal: str) -> None:
    error = first_problem(vendor, body(vendor, literal))
    assert type(error) is InvalidAmount
    assert error.field == AMOUNT_PATH[vendor]
    assert error.value == literal


# --- contradictory shapes ------------------------------------------------------------------

CONTRADICTIONS = [
    (AU, '{"code": "14001", "message": "Customer not found.", "availableBalance": 1.0}'),
    (US, '{"code": 10022, "clearedBalance": 5}'),
    (CONNECT, '{"originalRequestInfo": {"xRequestId": "x"}, "Errors": {"Error": []}}'),
    (CONNECT, '{"account": {"resourceId": "r"}, "Errors": {"Error": []}}'),
    (SEND, '{"account_balances": {}, "Errors": {"Error": []}}'),
    (SEND, '{"account_balances": {}, "account-balances": []}'),
    (SEND, '{"account-balances": [], "Errors": {"Error": []}}'),
    (TOKEN, '{"balance": {}, "status": "SUCCESSFUL_REQUEST", "error": {"message": "no"}}'),
    (TOKEN, '{"status": "SUCCESSFUL_REQUEST", "response": []}'),
    (TOKEN, '{"response": [], "error": {"message": "no"}}'),
]


@pytest.mark.parametrize(("vendor", "text"), CONTRADICTIONS)
@pytest.mark.parametrize("status", [None, 200, 400])
def test_a_body_that_is_two_answers_is_refused(vendor: str, text: str, status: int | None) -> None:
    """A success with an error, or one account with several: neither reading is picked.
    Under an error status the status still speaks (a VendorError from the status)."""
    outcome = parse_response(vendor, text, status=status)
    assert not outcome.records
    (problem,) = outcome.problems
    if status == 400:
        assert outcome.kind is OutcomeKind.VENDOR_ERROR
        assert problem.error.status == 400  # type: ignore[union-attr]
    else:
        assert type(problem.error) is MalformedPayload
        assert problem.error.field == "$"
        assert "both" in str(problem.error)


# --- one amount grammar per wire form ------------------------------------------------------

LOOSE = [
    " 5",
    "5 ",
    "1_000",
    "+12",
    "12.",
    ".5",
    "1e3",
    "1E3",
    "0x10",
    "NaN",
    "Infinity",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "12,50",
    "",
    "-",
    "--1",
    "1.2.3",
    "\u0663.\u0665",
]
STRING_FORMS = [CONNECT, TOKEN]


@pytest.mark.parametrize("vendor", STRING_FORMS)
@pytest.mark.parametrize("text", LOOSE)
@pytest.mark.parametrize("spelling", ["plain", "escaped"])
def test_loose_decimal_strings_are_refused(vendor: str, text: str, spelling: str) -> None:
    """A decimal string is ASCII digits, an optional leading minus and at most one point
    with digits on both sides. The key's spelling (\\u escapes) changes nothing."""
    key = AMOUNT_KEY[vendor] if spelling == "plain" else escaped(AMOUNT_KEY[vendor])
    error = first_problem(vendor, body(vendor, json.dumps(text), key=key))
    assert type(error) is InvalidAmount
    assert error.field == AMOUNT_PATH[vendor]
    assert error.value == text


@pytest.mark.parametrize("text", [*LOOSE, "1.00", "10.5"])
@pytest.mark.parametrize("spelling", ["plain", "escaped"])
def test_loose_minor_units_are_refused(text: str, spelling: str) -> None:
    """Send's minor units are ASCII digits with an optional leading minus; no point."""
    key = "amount" if spelling == "plain" else escaped("amount")
    error = first_problem(SEND, body(SEND, json.dumps(text), key=key))
    assert type(error) is InvalidAmount
    assert error.field == AMOUNT_PATH[SEND]
    assert error.value == text


@pytest.mark.parametrize("vendor", [AU, US])
@pytest.mark.parametrize("text", ['"801.39"', '" 5"', "true", "null", "[1]", '{"v": 1}'])
def test_finicity_amounts_are_json_numbers(vendor: str, text: str) -> None:
    """Open Finance amounts are JSON numbers (the vendor's spec: type number); a string,
    even a clean one, is not one, and null is missing, never zero."""
    error = first_problem(vendor, body(vendor, text))
    assert isinstance(error, NormalizeError)
    assert error.field == AMOUNT_PATH[vendor]


# --- the canonical range: decimal(38, 18) --------------------------------------------------

OUT_OF_RANGE_NUMBERS = [
    "1E+999999999",
    "1e99999999999999999999",
    "-1E+21",
    "100000000000000000000",  # 21 digits
    "100000000000000000000.5",
    "0.0000000000000000001",  # a non-zero 19th decimal
    "1e-19",
    "1" + "0" * 5000,
    "0E-999999999",  # zero, but written with a billion decimals
]


@pytest.mark.parametrize("vendor", [AU, CONNECT])
@pytest.mark.parametrize("text", OUT_OF_RANGE_NUMBERS, ids=lambda t: t[:24])
def test_json_numbers_outside_the_range_are_refused(vendor: str, text: str) -> None:
    error = first_problem(vendor, body(vendor, text))
    assert type(error) is InvalidAmount
    assert error.field == AMOUNT_PATH[vendor]
    assert "out of range" in str(error)
    assert len(str(error)) < 400


@pytest.mark.parametrize(
    "text",
    [
        "99999999999999999999.999999999999999999",
        "-99999999999999999999",
        "0.000000000000000001",
        "0.100000000000000000000000",
        "12345678901234567.89",
    ],
)
def test_the_edges_of_the_range_are_accepted_exactly(text: str) -> None:
    (record, _) = parse_response(TOKEN, body(TOKEN, json.dumps(text))).records
    assert record.amount == Decimal(text)
    assert record.amount_text == text


@pytest.mark.parametrize(
    "text", ["100000000000000000000", "0.0000000000000000001", "1" * 40, "-" + "9" * 21]
)
def test_decimal_strings_outside_the_range_are_refused(text: str) -> None:
    error = first_problem(TOKEN, body(TOKEN, json.dumps(text)))
    assert type(error) is InvalidAmount
    assert "out of range" in str(error)


def test_minor_units_outside_the_range_are_refused() -> None:
    """2,100 digits of minor units: refused before any arithmetic, quoted briefly."""
    error = first_problem(SEND, body(SEND, '"' + "9" * 2100 + '"'))
    assert type(error) is InvalidAmount
    assert len(str(error)) < 300


def test_a_tiny_body_with_a_huge_exponent_builds_nothing_huge() -> None:
    """A 189-byte body with amount 1E+999999999 is refused: no record whose to_dict would
    write a billion characters."""
    data = body(AU, "1E+999999999")
    assert len(data) < 200
    outcome = parse_response(AU, data)
    assert all(len(r.to_dict()["amount"]) < 60 for r in outcome.records)
    assert any(isinstance(p.error, InvalidAmount) for p in outcome.problems)


# --- XML -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "declaration",
    [
        'encoding="utf-32"',
        'encoding="UTF-16"',
        'encoding="rot13"',
        'encoding="idna"',
        'encoding="no-such-codec"',
        "encoding='latin-1'",
        'encoding=""',
    ],
)
def test_xml_declared_in_another_encoding_is_refused(declaration: str) -> None:
    data = (
        f'<?xml version="1.0" {declaration}?><account_balances><account_balance>'
        "<balance><amount>1000</amount><currency>GBP</currency><state>IN_CREDIT</state>"
        "</balance><non_card_token>t</non_card_token></account_balance></account_balances>"
    ).encode()
    error = first_problem(SEND, data, content_type="application/xml")
    assert type(error) is MalformedPayload
    assert error.field == "$"


@pytest.mark.parametrize(
    "data",
    [
        b"<a>\xff</a>",
        b"<a><b>1</b><b>2</b></a>",
        b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
        b"<a>" * 5000 + b"</a>" * 5000,
        b"<a",
        "<a>\ud800</a>",
    ],
    ids=["invalid-utf8", "repeated-element", "entity", "deep", "truncated", "lone-surrogate"],
)
def test_hostile_xml_is_malformed(data: bytes | str) -> None:
    error = first_problem(SEND, data, content_type="application/xml")
    assert type(error) is MalformedPayload


def test_xml_from_a_json_only_vendor_is_malformed() -> None:
    error = first_problem(TOKEN, b"<balance/>", content_type="application/xml")
    assert type(error) is MalformedPayload
    assert "JSON" in str(error)


# --- nesting at any recursion limit --------------------------------------------------------


@contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


DEEP = [
    ("json-list", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("json-object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    ("nan-and-deep", b'{"a": NaN, "b": ' + b"[" * 3000 + b"]" * 3000 + b"}", "application/json"),
    (
        "token-deep-other",
        b'{"balance": {"accountId": "a", "otherBalances": '
        + b"[" * 150
        + b"]" * 150
        + b'}, "status": "SUCCESSFUL_REQUEST"}',
        "application/json",
    ),
    ("xml", b"<a>" * 20_000 + b"</a>" * 20_000, "application/xml"),
]


@pytest.mark.parametrize("limit", [100, 250, 1000, 20_000])
@pytest.mark.parametrize(("name", "data", "content_type"), DEEP, ids=[d[0] for d in DEEP])
def test_deep_nesting_is_a_typed_error_at_any_recursion_limit(
    name: str, data: bytes, content_type: str, limit: int
) -> None:
    vendor = SEND if content_type == "application/xml" else TOKEN
    with recursion_limit(limit):
        outcome = parse_response(vendor, data, content_type=content_type)
    assert not outcome.records
    assert outcome.problems
    assert all(isinstance(p.error, NormalizeError) for p in outcome.problems)
    assert len(str(outcome.problems[0].error)) < 400


@pytest.mark.parametrize("limit", [80, 120, 1000])
@pytest.mark.parametrize("vendor", [AU, CONNECT, SEND, TOKEN])
def test_ordinary_bodies_still_read_at_a_low_recursion_limit(vendor: str, limit: int) -> None:
    """A low limit set by the caller gives records or a typed error, never RecursionError."""
    good = {AU: "801.39", CONNECT: '"12.50"', SEND: '"1000"', TOKEN: '"12.50"'}[vendor]
    with recursion_limit(limit):
        outcome = parse_response(vendor, body(vendor, good))
    assert outcome.records or all(isinstance(p.error, NormalizeError) for p in outcome.problems)


# --- programmer errors ---------------------------------------------------------------------


@pytest.mark.parametrize("data", [None, 1, 1.5, ["{}"], {"balance": {}}])
def test_a_body_that_is_not_bytes_or_str_is_a_type_error(data: object) -> None:
    with pytest.raises(TypeError, match="body must be bytes"):
        parse_response(TOKEN, data)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview, str])
def test_every_bytes_like_body_reads_the_same(kind: type) -> None:
    data = body(TOKEN, '"12.50"')
    given = data.decode() if kind is str else kind(data)
    assert parse_response(TOKEN, given) == parse_response(TOKEN, data)


# --- the range check itself ----------------------------------------------------------------


def _in_range_by_digits(value: Decimal) -> bool:
    """decimal(38, 18) by definition, from the digit tuple."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if len(digits) + exponent > 20:
        return False
    if exponent >= -18:
        return True
    return exponent >= -36 and not any(digits[exponent + 18 :])


@given(
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.builds(
        lambda digits, exponent, negative: Decimal(f"{'-' if negative else ''}{digits}E{exponent}"),
        st.text(alphabet="0123456789", min_size=1, max_size=45),
        st.integers(-60, 40),
        st.booleans(),
    )
)
@settings(max_examples=2000, deadline=None)
def test_the_range_check_is_the_digit_definition(value: Decimal) -> None:
    assert in_range(value) is _in_range_by_digits(value)


@pytest.mark.parametrize("status", ["500", 99, 600, True, 500.0])
def test_a_status_that_is_no_http_status_is_refused_by_name(status: object) -> None:
    from normalize import InvalidField

    with pytest.raises(InvalidField) as caught:
        parse_response(TOKEN, b"{}", status=status)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("status", status)


def test_a_body_refused_for_depth_with_an_unholdable_number_elsewhere_is_malformed() -> None:
    """jiter refuses the nesting first; the search for a NaN/Infinity literal then reads
    the body with the stdlib parser, which meets '1e99999999999999999999' (no Decimal holds
    it): still a MalformedPayload, not decimal.InvalidOperation (found by scripts/fuzz,
    seed 3)."""
    body = (
        b'{"response": ['
        + b"[" * 300
        + b"]" * 300
        + b', {"balance": {"accountId": "a:x", "current": {"currency": "USD",'
        b' "value": "1"}, "updatedAtMs": 1e99999999999999999999}}]}'
    )
    error = first_problem(TOKEN, body)
    assert type(error) is MalformedPayload
    assert error.field == "$"
