"""The vendors' documented examples give what a careful reader of their docs expects.

Every body here is loaded by name from ``specs/<vendor>/openapi.yaml`` (components/examples),
so these tests prove the spec examples themselves; every expected value is written by hand
from the vendors' documentation pages and published specs, never copied from the code's output.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest
import yaml

from normalize import (
    BalanceType,
    CreditDebit,
    Freshness,
    VendorError,
    VendorErrorCode,
    normalize_response,
)
from normalize.vendors import mastercard_open_finance_us

ROOT = Path(__file__).resolve().parent.parent

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"


class _ExactLoader(yaml.SafeLoader):
    """YAML as written: a float scalar becomes the Decimal of its own text (801.39 stays
    801.39, 1234.50 keeps its trailing zero), so re-encoding gives the spec's digits."""


def _decimal_scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node))


_ExactLoader.add_constructor("tag:yaml.org,2002:float", _decimal_scalar)

_ENCODER = msgspec.json.Encoder(decimal_format="number")


@functools.cache
def _spec_examples(vendor: str) -> dict[str, Any]:
    text = (ROOT / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8")
    examples: dict[str, Any] = yaml.load(text, Loader=_ExactLoader)["components"]["examples"]
    return examples


def spec_example(vendor: str, name: str) -> bytes | str:
    """The body of ``components.examples.<name>`` as it would arrive on the wire."""
    value = _spec_examples(vendor)[name]["value"]
    return value if isinstance(value, str) else _ENCODER.encode(value)


def dicts(vendor: str, body: bytes | str, **kwargs: Any) -> list[dict[str, str | None]]:
    return [record.to_dict() for record in normalize_response(vendor, body, **kwargs)]


# --- Token.io ------------------------------------------------------------------------------

TOKEN_ACCOUNT = "a:8DbPteGnytmMbKXdnWTReeRB6cYWKXZ84JgLTBC7fKL4:5zKcENpV"


def test_token_documented_example_is_the_spec_example() -> None:
    """BalanceSuccessful is the response on the vendor's balance page, value for value."""
    assert _spec_examples(TOKEN)["BalanceSuccessful"]["value"] == {
        "balance": {
            "accountId": TOKEN_ACCOUNT,
            "current": {"currency": "USD", "value": "12009.1000"},
            "available": {"currency": "USD", "value": "12009.1000"},
        },
        "status": "SUCCESSFUL_REQUEST",
    }


def test_token_documented_example_gives_current_and_available_with_four_decimals() -> None:
    """current -> INTERIM_BOOKED, available -> INTERIM_AVAILABLE, "12009.1000" kept whole."""
    records = normalize_response(TOKEN, spec_example(TOKEN, "BalanceSuccessful"))
    common = {
        "vendor": TOKEN,
        "account_id": TOKEN_ACCOUNT,
        "amount": "12009.1000",
        "credit_debit": "CREDIT",
        "currency": "USD",
        "as_of": None,
        "freshness": "UNKNOWN",
        "operation": "getBalance",
        "amount_text": "12009.1000",
    }
    assert [r.to_dict() for r in records] == [
        {**common, "balance_type": "INTERIM_BOOKED", "vendor_balance_type": "current"},
        {**common, "balance_type": "INTERIM_AVAILABLE", "vendor_balance_type": "available"},
    ]
    current, available = records
    assert current.amount == Decimal("12009.1000")
    assert str(current.amount) == "12009.1000"
    assert current.amount.as_tuple().exponent == -4
    assert current.balance_type is BalanceType.INTERIM_BOOKED
    assert available.balance_type is BalanceType.INTERIM_AVAILABLE
    assert str(available.amount) == "12009.1000"


def test_token_several_accounts_example() -> None:
    """Each account gives current and available; otherBalances go through the alias table
    with updatedAtMs as as_of (1715846400000 ms = 2024-05-16T08:00:00Z: 19859 days after
    1970-01-01 is 2024-05-16, and 28800 s is 08:00; +7200 s is 10:00)."""
    second = "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW"

    def row(account: str, kind: str, raw: str | None, amount: str, currency: str) -> dict:
        return {
            "vendor": TOKEN,
            "account_id": account,
            "balance_type": kind,
            "vendor_balance_type": raw,
            "amount": amount,
            "credit_debit": "DEBIT" if amount.startswith("-") else "CREDIT",
            "currency": currency,
            "as_of": None,
            "freshness": "UNKNOWN",
            "operation": "getBalances",
            "amount_text": amount,
        }

    assert dicts(TOKEN, spec_example(TOKEN, "BalancesSeveralAccounts")) == [
        row(TOKEN_ACCOUNT, "INTERIM_BOOKED", "current", "12009.1000", "USD"),
        row(TOKEN_ACCOUNT, "INTERIM_AVAILABLE", "available", "12009.1000", "USD"),
        row(second, "INTERIM_BOOKED", "current", "-125.5000", "EUR"),
        row(second, "INTERIM_AVAILABLE", "available", "374.5000", "EUR"),
        {
            **row(second, "CLOSING_BOOKED", "closingBooked", "-98.2500", "EUR"),
            "as_of": "2024-05-16T08:00:00Z",
        },
        {
            **row(second, "EXPECTED", "Expected", "-140.0000", "EUR"),
            "as_of": "2024-05-16T10:00:00Z",
        },
    ]


def token_row(account: str, kind: str, raw: str, amount: str, currency: str, **extra: Any):
    return {
        "vendor": TOKEN,
        "account_id": account,
        "balance_type": kind,
        "vendor_balance_type": raw,
        "amount": amount,
        "credit_debit": "DEBIT" if amount.startswith("-") else "CREDIT",
        "currency": currency,
        "as_of": None,
        "freshness": "UNKNOWN",
        "amount_text": amount,
        **extra,
    }


def test_token_available_only_example() -> None:
    """current is null (absent: no record, not zero); available 250.0000 GBP takes the
    balance's updatedAtMs "1715846400000" (a proto3 int64 string) = 2024-05-16T08:00:00Z."""
    assert dicts(TOKEN, spec_example(TOKEN, "BalanceAvailableOnly")) == [
        token_row(
            TOKEN_ACCOUNT,
            "INTERIM_AVAILABLE",
            "available",
            "250.0000",
            "GBP",
            as_of="2024-05-16T08:00:00Z",
            operation="getBalance",
        )
    ]


def test_token_several_accounts_one_without_current_example() -> None:
    """The second account has no current (no record for it) and an updatedAtMs written as
    a JSON integer, 1715853600000 ms = 2024-05-16T08:00:00Z + 7200 s = 10:00:00Z."""
    second = "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW"
    several = {"operation": "getBalances"}
    assert dicts(TOKEN, spec_example(TOKEN, "BalancesOneWithoutCurrent")) == [
        token_row(TOKEN_ACCOUNT, "INTERIM_BOOKED", "current", "12009.1000", "USD", **several),
        token_row(TOKEN_ACCOUNT, "INTERIM_AVAILABLE", "available", "12009.1000", "USD", **several),
        token_row(
            second,
            "INTERIM_AVAILABLE",
            "available",
            "374.5000",
            "EUR",
            as_of="2024-05-16T10:00:00Z",
            **several,
        ),
    ]


def test_token_example_without_status_is_an_invalid_request() -> None:
    """{} under getBalance: proto3 JSON leaves the default status out, and RequestStatus's
    default is INVALID_REQUEST, which carries no balance."""
    with pytest.raises(VendorError) as caught:
        normalize_response(
            TOKEN, spec_example(TOKEN, "BalanceWithoutStatus"), operation="getBalance"
        )
    assert caught.value.code is VendorErrorCode.INVALID_REQUEST
    assert caught.value.vendor_code == "INVALID_REQUEST"


# --- Mastercard Send -----------------------------------------------------------------------

SEND_TOKEN = "non_card_token:suZz18lhAFvx9LQa6U2VMxs0BJLAD_TXVzYvaqTsjcG_AImuzmvNXQ"


def send_row(token: str, amount: str, amount_text: str, as_of: str, operation: str) -> dict:
    return {
        "vendor": SEND,
        "account_id": token,
        "balance_type": "UNCLASSIFIED",
        "vendor_balance_type": None,
        "amount": amount,
        "credit_debit": "CREDIT",
        "currency": "GBP",
        "as_of": as_of,
        "freshness": "UNKNOWN",
        "operation": operation,
        "amount_text": amount_text,
    }


def test_send_single_json_example_is_ten_pounds_despite_second_80() -> None:
    """The amount "1000" GBP in minor units is 10.00 GBP, IN_CREDIT; account_id is the
    non_card_token; as_of is balance_timestamp; created_date's second 80 does not stop it."""
    body = spec_example(SEND, "SingleAccountBalance")
    documented = _spec_examples(SEND)["SingleAccountBalance"]["value"]
    assert documented["account_balances"]["account_balance"]["created_date"] == (
        "2017-06-05T11:47:80Z"
    )
    (record,) = normalize_response(SEND, body)
    assert record.to_dict() == send_row(
        SEND_TOKEN, "10.00", "1000", "2018-05-18T10:19:22Z", "getAccountBalance"
    )
    assert record.amount == Decimal("10.00")
    assert str(record.amount) == "10.00"
    assert record.credit_debit is CreditDebit.CREDIT
    assert record.as_of == datetime(2018, 5, 18, 10, 19, 22, tzinfo=UTC)


def test_send_list_json_example_gives_three_accounts() -> None:
    """Amounts "1000", "13000", "5000" GBP are 10.00, 130.00 and 50.00, each with its
    token and balance_timestamp."""
    assert dicts(SEND, spec_example(SEND, "PartnerAccountBalances")) == [
        send_row(SEND_TOKEN, "10.00", "1000", "2012-05-18T10:19:22Z", "getAccountBalances"),
        send_row(
            SEND_TOKEN[:-3] + "abc", "130.00", "13000", "2013-05-18T10:19:22Z", "getAccountBalances"
        ),
        send_row(
            SEND_TOKEN[:-3] + "def", "50.00", "5000", "2014-05-18T10:19:22Z", "getAccountBalances"
        ),
    ]


@pytest.mark.parametrize(
    ("json_name", "xml_name", "count"),
    [
        ("SingleAccountBalance", "SingleAccountBalanceXml", 1),
        ("PartnerAccountBalances", "PartnerAccountBalancesXml", 3),
    ],
    ids=["single", "list"],
)
def test_send_xml_example_gives_the_same_records_as_its_json(
    json_name: str, xml_name: str, count: int
) -> None:
    """The XML form of each response normalizes to exactly the JSON form's records."""
    xml = spec_example(SEND, xml_name)
    assert isinstance(xml, str)
    from_xml = dicts(SEND, xml, content_type="application/xml")
    assert from_xml == dicts(SEND, spec_example(SEND, json_name))
    assert len(from_xml) == count


# --- Mastercard Open Banking Connect -------------------------------------------------------


def connect_row(account: str, kind: str, raw: str, amount: str, currency: str, **extra: Any):
    return {
        "vendor": CONNECT,
        "account_id": account,
        "balance_type": kind,
        "vendor_balance_type": raw,
        "amount": amount,
        "credit_debit": "DEBIT" if amount.startswith("-") else "CREDIT",
        "currency": currency,
        "as_of": None,
        "freshness": "UNKNOWN",
        "operation": "getAccountBalances",
        "amount_text": amount.lstrip("-"),
        **extra,
    }


def test_connect_sandbox_spellings_example() -> None:
    """Upper-case CREDIT, amount as the JSON number 102.56, "Available" and "Current"."""
    account = "acc-3f2a9c4d5e6f47a8b9c0d1e2f3a4b5c6"
    assert dicts(CONNECT, spec_example(CONNECT, "AccountBalancesSandboxSpellings")) == [
        connect_row(account, "INTERIM_AVAILABLE", "Available", "102.56", "EUR"),
        connect_row(account, "INTERIM_BOOKED", "Current", "102.56", "EUR"),
    ]


def test_connect_debit_example_in_the_page_spellings() -> None:
    """Amount "50.00" Debit is -50.00, "0.00" Credit is 0.00; Berlin Group names; UTC times."""
    account = "acc-9d8c7b6a5f4e43d2c1b0a9f8e7d6c5b4"
    assert dicts(CONNECT, spec_example(CONNECT, "AccountBalancesDebit")) == [
        connect_row(
            account,
            "CLOSING_BOOKED",
            "closingBooked",
            "-50.00",
            "GBP",
            as_of="2024-03-05T23:59:59Z",
        ),
        connect_row(
            account,
            "INTERIM_AVAILABLE",
            "interimAvailable",
            "0.00",
            "GBP",
            as_of="2024-03-06T09:15:00Z",
        ),
    ]


@pytest.mark.parametrize(
    ("indicator", "amount_json", "amount", "credit_debit"),
    [
        ("Credit", "102.56", "102.56", "CREDIT"),
        ("CREDIT", "102.56", "102.56", "CREDIT"),
        ("Debit", "102.56", "-102.56", "DEBIT"),
        ("DEBIT", "102.56", "-102.56", "DEBIT"),
        ("Credit", "1234.50", "1234.50", "CREDIT"),
        ("DEBIT", "1234.50", "-1234.50", "DEBIT"),
        ("Credit", '"1234.50"', "1234.50", "CREDIT"),
        ("CREDIT", '"102.56"', "102.56", "CREDIT"),
        ("Debit", '"1234.50"', "-1234.50", "DEBIT"),
        ("DEBIT", '"102.56"', "-102.56", "DEBIT"),
    ],
    ids=[
        "Credit-number",
        "CREDIT-number",
        "Debit-number",
        "DEBIT-number",
        "Credit-number-trailing-zero",
        "DEBIT-number-trailing-zero",
        "Credit-string",
        "CREDIT-string",
        "Debit-string",
        "DEBIT-string",
    ],
)
def test_connect_indicator_spellings_and_amount_forms(
    indicator: str, amount_json: str, amount: str, credit_debit: str
) -> None:
    """Page (Credit/Debit) and sandbox (CREDIT/DEBIT) spellings; the amount as a JSON number
    or a string, its digits kept (1234.50 written as a number keeps its trailing zero)."""
    body = (
        '{"originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"},'
        ' "account": {"resourceId": "acc-1", "balances": [{"balanceAmount":'
        f' {{"currency": "EUR", "amount": {amount_json}}}, "balanceType": "closingBooked",'
        f' "creditDebitIndicator": "{indicator}"}}]}}}}'
    )
    (record,) = normalize_response(CONNECT, body)
    assert str(record.amount) == amount
    assert record.amount == Decimal(amount)
    assert record.credit_debit is CreditDebit(credit_debit)
    assert record.amount_text == amount_json.strip('"')


def test_connect_example_without_account_gives_no_records() -> None:
    """account is 0..1 on the vendor's page: without it there is no balance to report."""
    assert dicts(CONNECT, spec_example(CONNECT, "AccountBalancesWithoutAccount")) == []


def test_connect_example_with_optional_fields_null_or_absent() -> None:
    """name null, balanceType absent or null (UNCLASSIFIED, no raw type to keep), dateTime
    null (as_of None): each balance still gives its record, signed by its indicator."""
    account = "acc-9d8c7b6a5f4e43d2c1b0a9f8e7d6c5b4"
    untyped = {"balance_type": "UNCLASSIFIED", "vendor_balance_type": None}
    assert dicts(CONNECT, spec_example(CONNECT, "AccountBalancesOptionalFieldsNull")) == [
        {**connect_row(account, "", "", "10.50", "EUR"), **untyped},
        {**connect_row(account, "", "", "-7.25", "EUR"), **untyped},
    ]


# --- Mastercard Open Finance (Finicity) AU and US ------------------------------------------


def test_au_sample_is_the_recorded_sample() -> None:
    """AvailableBalanceSample is a recorded AU sandbox response, digit for digit."""
    assert _spec_examples(AU)["AvailableBalanceSample"]["value"] == {
        "id": 15430035,
        "realAccountNumberLast4": "1111",
        "availableBalance": Decimal("801.39"),
        "availableBalanceDate": 1722505195,
        "clearedBalance": Decimal("801.39"),
        "clearedBalanceDate": 1722505195,
        "aggregationStatusCode": 0,
        "currency": "AUD",
    }


def finicity_row(vendor: str, account: str, kind: str, amount: str, **extra: Any) -> dict:
    return {
        "vendor": vendor,
        "account_id": account,
        "balance_type": "INTERIM_AVAILABLE" if kind == "availableBalance" else "INTERIM_BOOKED",
        "vendor_balance_type": kind,
        "amount": amount,
        "credit_debit": "DEBIT" if amount.startswith("-") else "CREDIT",
        "amount_text": amount,
        "freshness": "UNKNOWN",
        **extra,
    }


# 1722505195 s by hand: 1722505195 // 86400 = 19936 days, remainder 34795 s = 9 h 39 min 55 s.
# 2024-01-01 is day 54 * 365 + 13 leap days (1972..2020) = 19723; 19936 - 19723 = 213 days
# into 2024 (a leap year): Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 = 213,
# so the day is 1 August. 1722505195 = 2024-08-01T09:39:55Z.
AU_AS_OF = "2024-08-01T09:39:55Z"
# 1735732800 s: 2025-01-01 is day 19723 + 366 = 20089, i.e. 1735689600 s; +43200 s is 12:00.
US_AS_OF = "2025-01-01T12:00:00Z"


@pytest.mark.parametrize(
    ("vendor", "name", "account", "available", "cleared", "currency", "as_of", "operation"),
    [
        (AU, "AvailableBalanceSample", "15430035", "801.39", "801.39", "AUD", AU_AS_OF, None),
        (AU, "AvailableBalanceOverdrawn", "15430036", "-25.15", "-5.35", "AUD", AU_AS_OF, None),
        (
            US,
            "AvailableBalanceSample",
            "5011648377",
            "1233.45",
            "1250.45",
            "USD",
            US_AS_OF,
            "GetAvailableBalanceLive",
        ),
        (
            US,
            "AvailableBalanceOverdrawn",
            "5011648378",
            "-42.75",
            "-12.25",
            "USD",
            US_AS_OF,
            "GetAvailableBalanceLive",
        ),
    ],
    ids=["au-sample", "au-overdrawn", "us-sample", "us-overdrawn"],
)
def test_finicity_body_gives_available_and_cleared(
    vendor: str,
    name: str,
    account: str,
    available: str,
    cleared: str,
    currency: str,
    as_of: str,
    operation: str | None,
) -> None:
    """Two records: availableBalance INTERIM_AVAILABLE, clearedBalance INTERIM_BOOKED, each
    with as_of from its Unix-seconds date and account_id the body's id as a string."""
    extra = {"currency": currency, "as_of": as_of, "operation": operation}
    assert dicts(vendor, spec_example(vendor, name)) == [
        finicity_row(vendor, account, "availableBalance", available, **extra),
        finicity_row(vendor, account, "clearedBalance", cleared, **extra),
    ]


def test_au_recorded_sample_as_of_is_a_utc_datetime() -> None:
    records = normalize_response(AU, spec_example(AU, "AvailableBalanceSample"))
    assert [r.as_of for r in records] == [datetime(2024, 8, 1, 9, 39, 55, tzinfo=UTC)] * 2
    assert [str(r.amount) for r in records] == ["801.39", "801.39"]


@pytest.mark.parametrize(
    ("operation", "freshness"),
    [
        ("GetAvailableBalanceLive", Freshness.LIVE),
        ("GetAvailableBalance", Freshness.CACHED),
        (None, Freshness.UNKNOWN),
    ],
    ids=["live", "cached", "not-given"],
)
def test_au_freshness_and_provenance_follow_the_operation(
    operation: str | None, freshness: Freshness
) -> None:
    """The live endpoint reads the bank, the cached one does not; the bodies look alike, so
    without an operation both the freshness and the operation are unknown."""
    records = normalize_response(
        AU, spec_example(AU, "AvailableBalanceSample"), operation=operation
    )
    assert [(r.freshness, r.operation) for r in records] == [(freshness, operation)] * 2


@pytest.mark.parametrize(
    ("vendor", "alias", "operation", "freshness"),
    [
        (AU, "getAvailableBalanceLive", "GetAvailableBalanceLive", Freshness.LIVE),
        (AU, "getAvailableBalance", "GetAvailableBalance", Freshness.CACHED),
        (US, "getAvailableBalanceLive", "GetAvailableBalanceLive", Freshness.UNKNOWN),
    ],
    ids=["au-live", "au-cached", "us-live"],
)
def test_older_operation_spellings_are_accepted_as_the_vendors_operation_ids(
    vendor: str, alias: str, operation: str, freshness: Freshness
) -> None:
    """The lower-camel spellings used before are still accepted; records carry the
    operationId as Mastercard's published Open Finance specs write it."""
    records = normalize_response(
        vendor, spec_example(vendor, "AvailableBalanceSample"), operation=alias
    )
    assert [(r.freshness, r.operation) for r in records] == [(freshness, operation)] * 2


@pytest.mark.parametrize(
    ("given", "freshness"),
    [
        (None, Freshness.UNKNOWN),
        (Freshness.LIVE, Freshness.LIVE),
        (Freshness.CACHED, Freshness.CACHED),
    ],
    ids=["not-given", "live", "cached"],
)
def test_us_freshness_is_what_the_caller_passes(
    given: Freshness | None, freshness: Freshness
) -> None:
    """The US live endpoint may answer from cache: only the caller knows what it asked."""
    records = normalize_response(US, spec_example(US, "AvailableBalanceSample"), freshness=given)
    assert [(r.freshness, r.operation) for r in records] == [
        (freshness, "GetAvailableBalanceLive")
    ] * 2


@pytest.mark.parametrize(
    ("minutes", "freshness"),
    [(0, Freshness.LIVE), (1, Freshness.UNKNOWN), (30, Freshness.UNKNOWN)],
)
def test_us_cache_interval_zero_alone_means_live(minutes: int, freshness: Freshness) -> None:
    """balance_cache_interval=0 is "always live"; above 0 a cached balance may come back."""
    assert mastercard_open_finance_us.freshness_for_cache_interval(minutes) is freshness


@pytest.mark.parametrize(
    ("vendor", "name", "content_type", "operation"),
    [
        (US, "AvailableBalanceSample", "application/json", "GetAvailableBalanceLive"),
        (CONNECT, "AccountBalancesDebit", "application/json", "getAccountBalances"),
        (SEND, "SingleAccountBalance", "application/json", "getAccountBalance"),
        (SEND, "SingleAccountBalanceXml", "application/xml", "getAccountBalance"),
        (SEND, "PartnerAccountBalances", "application/json", "getAccountBalances"),
        (SEND, "PartnerAccountBalancesXml", "application/xml", "getAccountBalances"),
        (TOKEN, "BalanceSuccessful", "application/json", "getBalance"),
        (TOKEN, "BalancesSeveralAccounts", "application/json", "getBalances"),
    ],
    ids=[
        "us",
        "connect",
        "send-single-json",
        "send-single-xml",
        "send-list-json",
        "send-list-xml",
        "token-one",
        "token-several",
    ],
)
def test_operation_provenance_is_told_from_the_body(
    vendor: str, name: str, content_type: str, operation: str
) -> None:
    """Where the response shape says which operation answered, every record names it."""
    records = normalize_response(vendor, spec_example(vendor, name), content_type=content_type)
    assert records
    assert {r.operation for r in records} == {operation}
