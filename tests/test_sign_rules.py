"""The sign rules, once for every vendor: credit >= 0, debit < 0, zero is CREDIT.

Signed vendors (Finicity AU/US, Token) keep the amount's own sign and derive the side from
it; indicator vendors (Open Banking Connect, Send) sign an unsigned amount by its indicator,
and a negative amount beside an indicator is a SignConflict. Send amounts are minor units
scaled by the currency's ISO 4217 exponent. Bodies are built here, one field filled into a
valid body, with the amount written exactly as it goes on the wire.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal, localcontext
from typing import Any

import pytest

from normalize import (
    CreditDebit,
    InvalidAmount,
    OutcomeKind,
    Scope,
    SignConflict,
    normalize_response,
    parse_response,
)

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"

_RAW = "@@raw@@"


def filled(base: dict[str, Any], fields: dict[tuple[str | int, ...], str]) -> bytes:
    """``base`` with each path set to raw JSON text (so -0.00 or 1234.50 stay as written)."""
    document = copy.deepcopy(base)
    raws = []
    for path, raw in fields.items():
        node = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = f"{_RAW}{len(raws)}"
        raws.append(raw)
    text = json.dumps(document)
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"{_RAW}{index}"), raw)
    return text.encode()


FINICITY = {
    "id": 15430035,
    "realAccountNumberLast4": "1111",
    "availableBalance": 1,
    "availableBalanceDate": 1722505195,
    "clearedBalance": 1,
    "clearedBalanceDate": 1722505195,
    "aggregationStatusCode": 0,
    "currency": "AUD",
}
CONNECT_BODY = {
    "originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"},
    "account": {
        "resourceId": "acc-1",
        "balances": [
            {
                "balanceAmount": {"currency": "GBP", "amount": "1.00"},
                "balanceType": "closingBooked",
                "creditDebitIndicator": "Credit",
            }
        ],
    },
}
SEND_BODY = {
    "account_balances": {
        "account_balance": {
            "balance": {"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"},
            "balance_timestamp": "2018-05-18T10:19:22Z",
            "non_card_token": "non_card_token:abc",
        }
    }
}
TOKEN_BODY = {
    "balance": {
        "accountId": "a:1",
        "current": {"currency": "USD", "value": "1.00"},
        "available": {"currency": "USD", "value": "1.00"},
    },
    "status": "SUCCESSFUL_REQUEST",
}


def finicity(field: str, raw: str) -> bytes:
    return filled(FINICITY, {(field,): raw})


def connect(amount: str, indicator: str) -> bytes:
    balance = ("account", "balances", 0)
    return filled(
        CONNECT_BODY,
        {
            (*balance, "balanceAmount", "amount"): amount,
            (*balance, "creditDebitIndicator"): json.dumps(indicator),
        },
    )


def send(amount: str, state: str = "IN_CREDIT", currency: str = "GBP") -> bytes:
    balance = ("account_balances", "account_balance", "balance")
    return filled(
        SEND_BODY,
        {
            (*balance, "amount"): json.dumps(amount),
            (*balance, "state"): json.dumps(state),
            (*balance, "currency"): json.dumps(currency),
        },
    )


def token(value: str) -> bytes:
    return filled(TOKEN_BODY, {("balance", "current", "value"): json.dumps(value)})


# (vendor, body, which record, amount as str, side, amount_text)
SIGN_RULES = [
    # Signed vendors: a negative amount is a debit, kept exactly.
    pytest.param(AU, finicity("availableBalance", "-25.15"), 0, "-25.15", "DEBIT", "-25.15",
                 id="au-negative-available"),
    pytest.param(AU, finicity("clearedBalance", "-5.350"), 1, "-5.350", "DEBIT", "-5.350",
                 id="au-negative-cleared-scale-kept"),
    pytest.param(US, finicity("availableBalance", "-42.75"), 0, "-42.75", "DEBIT", "-42.75",
                 id="us-negative-available"),
    pytest.param(US, finicity("clearedBalance", "-0.01"), 1, "-0.01", "DEBIT", "-0.01",
                 id="us-negative-cleared-one-cent"),
    pytest.param(TOKEN, token("-125.5000"), 0, "-125.5000", "DEBIT", "-125.5000",
                 id="token-negative-current"),
    pytest.param(AU, finicity("availableBalance", "173.47"), 0, "173.47", "CREDIT", "173.47",
                 id="au-positive"),
    pytest.param(TOKEN, token("12009.1000"), 0, "12009.1000", "CREDIT", "12009.1000",
                 id="token-positive"),
    # Indicator vendors: the indicator signs an unsigned amount.
    pytest.param(CONNECT, connect('"50.00"', "Debit"), 0, "-50.00", "DEBIT", "50.00",
                 id="connect-debit-string"),
    pytest.param(CONNECT, connect("50.00", "DEBIT"), 0, "-50.00", "DEBIT", "50.00",
                 id="connect-DEBIT-number"),
    pytest.param(CONNECT, connect('"50.00"', "Credit"), 0, "50.00", "CREDIT", "50.00",
                 id="connect-credit-string"),
    pytest.param(SEND, send("1000", "IN_DEBIT"), 0, "-10.00", "DEBIT", "1000",
                 id="send-in-debit"),
    pytest.param(SEND, send("1000", "IN_CREDIT"), 0, "10.00", "CREDIT", "1000",
                 id="send-in-credit"),
    # Zero is CREDIT whatever the indicator, and never negative zero.
    pytest.param(CONNECT, connect('"0.00"', "Debit"), 0, "0.00", "CREDIT", "0.00",
                 id="connect-zero-debit"),
    pytest.param(CONNECT, connect("0", "DEBIT"), 0, "0", "CREDIT", "0",
                 id="connect-zero-number-DEBIT"),
    pytest.param(SEND, send("0", "IN_DEBIT"), 0, "0.00", "CREDIT", "0",
                 id="send-zero-in-debit"),
    pytest.param(AU, finicity("availableBalance", "0"), 0, "0", "CREDIT", "0",
                 id="au-zero"),
    pytest.param(AU, finicity("availableBalance", "-0.00"), 0, "0.00", "CREDIT", "-0.00",
                 id="au-negative-zero"),
    pytest.param(US, finicity("clearedBalance", "-0.00"), 1, "0.00", "CREDIT", "-0.00",
                 id="us-negative-zero"),
    pytest.param(TOKEN, token("-0.00"), 0, "0.00", "CREDIT", "-0.00",
                 id="token-negative-zero"),
    # Negative zero beside an indicator is zero, not a conflict: "0.00" CREDIT.
    pytest.param(CONNECT, connect('"-0.00"', "Debit"), 0, "0.00", "CREDIT", "-0.00",
                 id="connect-negative-zero-string-debit"),
    pytest.param(CONNECT, connect("-0.00", "CREDIT"), 0, "0.00", "CREDIT", "-0.00",
                 id="connect-negative-zero-number-credit"),
    pytest.param(SEND, send("-0", "IN_DEBIT"), 0, "0.00", "CREDIT", "-0",
                 id="send-negative-zero-in-debit"),
    # Send minor units, by the ISO 4217 exponent of the currency.
    pytest.param(SEND, send("1000", currency="JPY"), 0, "1000", "CREDIT", "1000",
                 id="send-jpy-0-decimals"),
    pytest.param(SEND, send("1000", "IN_DEBIT", currency="JPY"), 0, "-1000", "DEBIT", "1000",
                 id="send-jpy-in-debit"),
    pytest.param(SEND, send("1000", currency="BHD"), 0, "1.000", "CREDIT", "1000",
                 id="send-bhd-3-decimals"),
    pytest.param(SEND, send("1", currency="GBP"), 0, "0.01", "CREDIT", "1",
                 id="send-gbp-one-penny"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "body", "index", "amount", "side", "amount_text"), SIGN_RULES)
def test_sign_rule(
    vendor: str, body: bytes, index: int, amount: str, side: str, amount_text: str
) -> None:
    """The record's amount (digits and scale), its side, and the wire text it came from."""
    record = normalize_response(vendor, body)[index]
    assert str(record.amount) == amount
    assert record.amount == Decimal(amount)
    assert record.amount.is_signed() == amount.startswith("-")
    assert record.credit_debit is CreditDebit(side)
    assert record.to_dict()["amount"] == amount
    assert record.amount_text == amount_text


# --- Exact negation: every digit of the widest debit -------------------------------------

# 38 significant digits, 20 before the point and 18 after: the whole of decimal(38, 18).
WIDEST = "12345678901234567890.123456789012345678"
# Send's minor units reach 24 significant digits at most: 20 integer digits and the 4
# decimals of the widest ISO 4217 exponent (CLF and UYW have 4).
SEND_WIDEST = "123456789012345678901234"


def send_xml(amount: str, state: str, currency: str) -> str:
    return (
        "<account_balances><account_balance><balance>"
        f"<amount>{amount}</amount><currency>{currency}</currency><state>{state}</state>"
        "</balance><balance_timestamp>2018-05-18T10:19:22Z</balance_timestamp>"
        "<non_card_token>non_card_token:abc</non_card_token>"
        "</account_balance></account_balances>"
    )


# (vendor, body, content type, amount as str, amount_text)
WIDE_DEBITS = [
    pytest.param(CONNECT, connect(json.dumps(WIDEST), "Debit"), None, f"-{WIDEST}", WIDEST,
                 id="connect-Debit-string-38-digits"),
    pytest.param(CONNECT, connect(WIDEST, "DEBIT"), None, f"-{WIDEST}", WIDEST,
                 id="connect-DEBIT-number-38-digits"),
    pytest.param(SEND, send(SEND_WIDEST, "IN_DEBIT", currency="CLF"), None,
                 "-12345678901234567890.1234", SEND_WIDEST, id="send-json-IN_DEBIT-24-digits"),
    pytest.param(SEND, send_xml(SEND_WIDEST, "IN_DEBIT", "UYW"), "application/xml",
                 "-12345678901234567890.1234", SEND_WIDEST, id="send-xml-IN_DEBIT-24-digits"),
]  # fmt: skip


@pytest.mark.parametrize("precision", [None, 6], ids=["default-context", "caller-context-6"])
@pytest.mark.parametrize(("vendor", "body", "content_type", "amount", "amount_text"), WIDE_DEBITS)
def test_a_debit_is_negated_exactly(
    vendor: str,
    body: bytes | str,
    content_type: str | None,
    amount: str,
    amount_text: str,
    precision: int | None,
) -> None:
    """An indicator's debit negates the amount exactly (``copy_negate``): unary minus rounds
    to the context's precision, 28 digits by default, which a 38-digit Connect amount
    exceeds. Send's amounts never pass 24 digits, so a caller's own narrower context (6
    digits here) is what would show the rounding there; it changes no digit either way."""
    if precision is None:
        [record] = normalize_response(vendor, body, content_type=content_type)
    else:
        with localcontext(prec=precision):
            [record] = normalize_response(vendor, body, content_type=content_type)
    assert record.amount.as_tuple() == Decimal(amount).as_tuple()  # every digit, same scale
    assert str(record.amount) == amount
    assert record.to_dict()["amount"] == amount
    assert record.credit_debit is CreditDebit.DEBIT
    assert record.amount_text == amount_text


@pytest.mark.parametrize(
    ("vendor", "body"),
    [
        pytest.param(CONNECT, connect(json.dumps(f"9{WIDEST}"), "Debit"), id="connect-integer"),
        pytest.param(CONNECT, connect(json.dumps(f"{WIDEST}9"), "Debit"), id="connect-fraction"),
        pytest.param(SEND, send(f"9{SEND_WIDEST}", "IN_DEBIT", currency="CLF"), id="send"),
    ],
)
def test_one_digit_more_than_the_widest_debits_is_out_of_range(vendor: str, body: bytes) -> None:
    """The debits above are the widest each wire form carries inside decimal(38, 18)."""
    assert len(Decimal(WIDEST).as_tuple().digits) == 38
    with pytest.raises(InvalidAmount, match="out of range"):
        normalize_response(vendor, body)


CONNECT_AMOUNT = "$.account.balances[0].balanceAmount.amount"
SEND_AMOUNT = "$.account_balances.account_balance.balance.amount"

SIGN_CONFLICTS = [
    pytest.param(CONNECT, connect("-50.00", "Debit"), CONNECT_AMOUNT, "-50.00",
                 id="connect-negative-number-debit"),
    pytest.param(CONNECT, connect("-50.00", "CREDIT"), CONNECT_AMOUNT, "-50.00",
                 id="connect-negative-number-credit"),
    pytest.param(CONNECT, connect('"-50.00"', "Credit"), CONNECT_AMOUNT, "-50.00",
                 id="connect-negative-string-credit"),
    pytest.param(CONNECT, connect('"-50.00"', "DEBIT"), CONNECT_AMOUNT, "-50.00",
                 id="connect-negative-string-debit"),
    # Send's minor-units grammar admits a sign, but state is Send's indicator.
    pytest.param(SEND, send("-1000", "IN_CREDIT"), SEND_AMOUNT, "-1000",
                 id="send-negative-in-credit"),
    pytest.param(SEND, send("-1000", "IN_DEBIT"), SEND_AMOUNT, "-1000",
                 id="send-negative-in-debit"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "body", "field", "value"), SIGN_CONFLICTS)
def test_negative_amount_beside_an_indicator_is_a_sign_conflict(
    vendor: str, body: bytes, field: str, value: str
) -> None:
    """Not a guess either way: the error names vendor, field and value."""
    with pytest.raises(SignConflict) as caught:
        normalize_response(vendor, body)
    exc = caught.value
    assert (exc.vendor, exc.field, exc.value) == (vendor, field, value)
    assert str(exc).startswith(f"{vendor}: {field}: ")
    assert repr(value) in str(exc)


def test_a_sign_conflict_loses_only_its_own_balance() -> None:
    """The conflicting balance is a problem of that balance; the next one is still a record."""
    body = copy.deepcopy(CONNECT_BODY)
    good = body["account"]["balances"][0]
    conflicting = {**good, "balanceAmount": {"currency": "GBP", "amount": "-50.00"}}
    body["account"]["balances"] = [conflicting, good]
    outcome = parse_response(CONNECT, json.dumps(body))
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [(str(r.amount), r.credit_debit) for r in outcome.records] == [
        ("1.00", CreditDebit.CREDIT)
    ]
    [problem] = outcome.problems
    assert isinstance(problem.error, SignConflict)
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.BALANCE,
        "$.account.balances[0]",
        "acc-1",
    )
    assert problem.error.field == CONNECT_AMOUNT
