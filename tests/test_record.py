"""The canonical record, its vocabularies and errors, and the public surface.

BalanceRecord is an immutable value (attrs: frozen, slots, keyword-only) that refuses to
exist with a wrong sign, a float amount or a naive time; ``to_dict`` is JSON-safe and exact,
and ``from_dict`` reverses it, refusing bad values with NormalizeErrors.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import normalize
from normalize import (
    BalanceRecord,
    BalanceType,
    CreditDebit,
    Freshness,
    InvalidAmount,
    InvalidField,
    InvalidTimestamp,
    MalformedPayload,
    MissingField,
    NormalizeError,
    SignConflict,
    UnknownCurrency,
    UnknownEnumValue,
    UnknownVendor,
    VendorError,
    VendorErrorCode,
    normalize_response,
)
from normalize._balance_types import balance_type_of
from normalize._live_names import LIVE_CLIENTS
from normalize._record import new_record

ROOT = Path(__file__).resolve().parent.parent

FIELDS: dict[str, Any] = {
    "vendor": "token-io",
    "account_id": "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW",
    "balance_type": BalanceType.CLOSING_BOOKED,
    "vendor_balance_type": "closingBooked",
    "amount": Decimal("-98.2500"),
    "credit_debit": CreditDebit.DEBIT,
    "currency": "EUR",
    "as_of": datetime(2024, 5, 16, 8, 0, 0, 123000, tzinfo=UTC),
    "freshness": Freshness.UNKNOWN,
    "operation": "getBalances",
    "amount_text": "-98.2500",
}


def record(**changes: Any) -> BalanceRecord:
    return BalanceRecord(**{**FIELDS, **changes})


# --- The value type ------------------------------------------------------------------------


def test_record_is_a_frozen_slotted_attrs_class() -> None:
    assert attrs.has(BalanceRecord)
    assert "__dict__" not in dir(record())
    assert "amount" in BalanceRecord.__slots__
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record().amount = Decimal("1.00")  # type: ignore[misc]


def test_record_fields_are_keyword_only() -> None:
    assert all(field.kw_only for field in attrs.fields(BalanceRecord))
    with pytest.raises(TypeError):
        BalanceRecord(*FIELDS.values())  # type: ignore[misc]


def test_records_with_equal_fields_are_equal_and_hash_alike() -> None:
    assert record() == record()
    assert hash(record()) == hash(record())
    assert record() != record(amount=Decimal("-98.25"), amount_text="-98.25")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"credit_debit": CreditDebit.CREDIT}, id="negative-credit"),
        pytest.param({"amount": Decimal("98.2500")}, id="positive-debit"),
        pytest.param({"amount": Decimal("0.00")}, id="zero-debit"),
    ],
)
def test_record_whose_sign_disagrees_with_its_side_cannot_exist(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="does not agree"):
        record(**changes)


@pytest.mark.parametrize(
    "amount",
    [-98.25, -98, Decimal("NaN"), Decimal("-Infinity"), "-98.2500"],
    ids=["float", "int", "nan", "minus-infinity", "str"],
)
def test_record_amount_must_be_a_finite_decimal(amount: object) -> None:
    with pytest.raises(TypeError, match="finite Decimal"):
        record(amount=amount)


@pytest.mark.parametrize(
    "as_of",
    [datetime(2024, 5, 16, 8, 0), datetime(2024, 5, 16, 9, 0, tzinfo=timezone(timedelta(hours=1)))],
    ids=["naive", "plus-one-hour"],
)
def test_record_as_of_must_be_utc(as_of: datetime) -> None:
    with pytest.raises(ValueError, match="UTC"):
        record(as_of=as_of)


def test_record_as_of_may_be_absent() -> None:
    assert record(as_of=None).as_of is None


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        pytest.param({"account_id": ""}, MissingField, "account_id", id="empty-account-id"),
        pytest.param({"vendor": ""}, MissingField, "vendor", id="empty-vendor"),
        pytest.param(
            {"amount": Decimal("-1" + "0" * 20), "amount_text": "-1" + "0" * 20},
            InvalidAmount,
            "amount",
            id="amount-21-integer-digits",
        ),
        pytest.param(
            {"amount": Decimal("-1." + "0" * 37), "amount_text": "-1"},
            InvalidAmount,
            "amount",
            id="amount-37-decimals",
        ),
        pytest.param({"amount": Decimal("-12.00")}, InvalidAmount, "amount_text", id="stale-text"),
        pytest.param(
            {"amount_text": "98,25"}, InvalidAmount, "amount_text", id="text-not-a-number"
        ),
        pytest.param({"currency": "XYZ"}, UnknownCurrency, "currency", id="unknown-currency"),
        pytest.param({"currency": ""}, MissingField, "currency", id="empty-currency"),
        pytest.param(
            {"amount": Decimal("-0.00"), "amount_text": "-0.00"},
            InvalidField,
            "credit_debit",
            id="negative-zero",
        ),
    ],
)
def test_record_that_breaks_a_rule_is_a_normalize_error_naming_the_field(
    changes: dict[str, Any], error: type[NormalizeError], field: str
) -> None:
    """The constructor, attrs.evolve and from_dict refuse alike: the same error, the same
    field (from_dict builds its record with the constructor)."""
    with pytest.raises(error) as built:
        record(**changes)
    with pytest.raises(error) as evolved:
        attrs.evolve(record(), **changes)
    assert type(built.value) is type(evolved.value) is error
    assert built.value.field == evolved.value.field == field
    assert built.value.vendor == (FIELDS["vendor"] if field != "vendor" else "?")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("balance_type", "CLOSING_BOOKED"),
        ("credit_debit", "DEBIT"),
        ("freshness", "UNKNOWN"),
        ("account_id", 3),
        ("vendor_balance_type", 3),
        ("operation", b"getBalances"),
        ("amount_text", Decimal("-98.2500")),
        ("as_of", "2024-05-16T08:00:00Z"),
    ],
)
def test_record_field_of_the_wrong_type_is_a_type_error(name: str, value: object) -> None:
    """A string equal to an enum member is not the member: to_dict could not write it."""
    with pytest.raises(TypeError, match=f"BalanceRecord.{name} must be"):
        record(**{name: value})


def test_new_record_sets_every_field_and_checks_as_the_class_does() -> None:
    # The mappings' constructor skips attrs' __init__; a field it forgot would be unset and
    # the comparison (which reads every field) would raise.
    built = new_record(**FIELDS)
    assert type(built) is BalanceRecord
    assert built == record()
    assert hash(built) == hash(record())
    assert attrs.asdict(built, recurse=False) == FIELDS
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.amount = Decimal("1.00")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"amount": Decimal("1.00")}, ValueError),  # sign disagrees with DEBIT
        ({"amount": 1.0}, TypeError),
        ({"amount": Decimal("NaN")}, TypeError),
        ({"currency": "XYZ"}, ValueError),
        ({"as_of": datetime(2024, 1, 1)}, ValueError),
    ],
)
def test_new_record_refuses_what_the_class_refuses(change: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        BalanceRecord(**{**FIELDS, **change})
    with pytest.raises(error):
        new_record(**{**FIELDS, **change})


# --- to_dict and from_dict -----------------------------------------------------------------


def test_to_dict_is_the_exact_json_safe_dict() -> None:
    assert record().to_dict() == {
        "vendor": "token-io",
        "account_id": "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW",
        "balance_type": "CLOSING_BOOKED",
        "vendor_balance_type": "closingBooked",
        "amount": "-98.2500",
        "credit_debit": "DEBIT",
        "currency": "EUR",
        "as_of": "2024-05-16T08:00:00.123000Z",
        "freshness": "UNKNOWN",
        "operation": "getBalances",
        "amount_text": "-98.2500",
    }


def test_to_dict_with_absent_optional_values() -> None:
    plain = record(
        balance_type=BalanceType.UNCLASSIFIED,
        vendor_balance_type=None,
        amount=Decimal("10.00"),
        credit_debit=CreditDebit.CREDIT,
        currency="GBP",
        as_of=datetime(2018, 5, 18, 10, 19, 22, tzinfo=UTC),
        freshness=Freshness.LIVE,
        operation=None,
        amount_text="1000",
    )
    data = plain.to_dict()
    assert data == {
        "vendor": "token-io",
        "account_id": FIELDS["account_id"],
        "balance_type": "UNCLASSIFIED",
        "vendor_balance_type": None,
        "amount": "10.00",
        "credit_debit": "CREDIT",
        "currency": "GBP",
        "as_of": "2018-05-18T10:19:22Z",
        "freshness": "LIVE",
        "operation": None,
        "amount_text": "1000",
    }
    assert all(type(value) in (str, type(None)) for value in data.values())
    assert json.loads(json.dumps(data)) == data


def _assert_round_trip(original: BalanceRecord) -> None:
    rebuilt = BalanceRecord.from_dict(original.to_dict())
    assert rebuilt == original
    assert str(rebuilt.amount) == str(original.amount)
    assert rebuilt.to_dict() == original.to_dict()


@pytest.mark.parametrize(
    "original",
    [
        record(),
        record(as_of=None, operation=None, vendor_balance_type=None),
        record(amount=Decimal("0.00"), credit_debit=CreditDebit.CREDIT, amount_text="-0.00"),
        # Minor units on the wire (BHD has three decimals): "1000" is 1.000.
        record(
            amount=Decimal("1.000"),
            credit_debit=CreditDebit.CREDIT,
            currency="BHD",
            amount_text="1000",
        ),
    ],
)
def test_from_dict_reverses_to_dict(original: BalanceRecord) -> None:
    _assert_round_trip(original)


# Parametrized by file, and normalized inside the test: a spec or mapping change then fails
# these tests one by one instead of aborting the collection of the whole module.
@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "normalize" / "examples").glob("*/*")),
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
def test_from_dict_reverses_to_dict_for_shipped_examples(path: Path) -> None:
    kind = "application/xml" if path.suffix == ".xml" else "application/json"
    records = normalize_response(path.parent.name, path.read_bytes(), content_type=kind)
    assert records
    for original in records:
        _assert_round_trip(original)


def test_from_dict_reads_a_json_round_trip() -> None:
    assert BalanceRecord.from_dict(json.loads(json.dumps(record().to_dict()))) == record()


def test_from_dict_refuses_an_unknown_or_absent_key() -> None:
    with pytest.raises(InvalidField, match="unknown key") as unknown:
        BalanceRecord.from_dict({**record().to_dict(), "note": "x"})
    assert unknown.value.field == "note"
    data = dict(record().to_dict())
    del data["operation"]  # null is "not known"; an absent key is not what to_dict writes
    with pytest.raises(MissingField) as absent:
        BalanceRecord.from_dict(data)
    assert absent.value.field == "operation"


BAD_DICTS = [
    pytest.param("amount", "12,50", InvalidAmount, id="amount-decimal-comma"),
    pytest.param("amount", "NaN", InvalidAmount, id="amount-nan"),
    pytest.param("amount", "Infinity", InvalidAmount, id="amount-infinity"),
    # Nothing to_dict could not have written: it writes plain notation, inside the range.
    pytest.param("amount", "-1E+3", InvalidAmount, id="amount-exponent"),
    pytest.param("amount", "-1" + "0" * 25, InvalidAmount, id="amount-beyond-range"),
    pytest.param("amount", "-0.0000000000000000001", InvalidAmount, id="amount-19-decimals"),
    pytest.param("amount", -98.25, InvalidField, id="amount-float"),
    pytest.param("amount", None, MissingField, id="amount-missing"),
    pytest.param("currency", "XYZ", UnknownCurrency, id="currency-unknown"),
    pytest.param("currency", None, MissingField, id="currency-missing"),
    pytest.param("balance_type", "closingBooked", InvalidField, id="balance-type-not-a-member"),
    pytest.param("credit_debit", "Debit", InvalidField, id="credit-debit-not-a-member"),
    pytest.param("credit_debit", "CREDIT", InvalidField, id="credit-debit-disagrees"),
    pytest.param("freshness", "STALE", InvalidField, id="freshness-not-a-member"),
    pytest.param("as_of", "2024-05-16T08:00:80Z", InvalidTimestamp, id="as-of-second-80"),
    pytest.param("as_of", "yesterday", InvalidTimestamp, id="as-of-not-a-time"),
    pytest.param("as_of", "2024-05-16T08:00:00", InvalidTimestamp, id="as-of-naive"),
    pytest.param("account_id", None, MissingField, id="account-id-missing"),
    pytest.param("account_id", "", MissingField, id="account-id-empty"),
    pytest.param("operation", 7, InvalidField, id="operation-not-a-string"),
    # Only what to_dict writes: no leading zero, microseconds only when not zero, a Z.
    pytest.param("amount", "-098.2500", InvalidAmount, id="amount-leading-zero"),
    pytest.param("as_of", "2024-05-16T08:00:00.123Z", InvalidTimestamp, id="as-of-millis"),
    pytest.param("as_of", "2024-05-16T08:00:00.000000Z", InvalidTimestamp, id="as-of-zero-us"),
    pytest.param("as_of", "2024-05-16T08:00:00+00:00", InvalidTimestamp, id="as-of-offset"),
    pytest.param("as_of", "2023-02-29T08:00:00Z", InvalidTimestamp, id="as-of-no-such-day"),
]


@pytest.mark.parametrize(("key", "value", "kind"), BAD_DICTS)
def test_from_dict_rejects_a_bad_value(key: str, value: object, kind: type[NormalizeError]) -> None:
    data: dict[str, Any] = {**record().to_dict(), key: value}
    with pytest.raises(kind) as caught:
        BalanceRecord.from_dict(data)
    assert type(caught.value) is kind
    assert caught.value.vendor == "token-io"
    assert caught.value.field == key
    assert str(caught.value).startswith(f"token-io: {key}: ")


# --- Vocabularies --------------------------------------------------------------------------


def test_balance_types_and_their_iso_20022_codes() -> None:
    assert {member.name: member.iso_code for member in BalanceType} == {
        "OPENING_BOOKED": "OPBD",
        "INTERIM_BOOKED": "ITBD",
        "CLOSING_BOOKED": "CLBD",
        "PREVIOUSLY_CLOSED_BOOKED": "PRCD",
        "OPENING_AVAILABLE": "OPAV",
        "INTERIM_AVAILABLE": "ITAV",
        "CLOSING_AVAILABLE": "CLAV",
        "FORWARD_AVAILABLE": "FWAV",
        "EXPECTED": "XPCD",
        "INFORMATION": "INFO",
        # Standard types ISO 20022's code list has no code for (UK Open Banking, Berlin Group).
        "OPENING_CLEARED": None,
        "INTERIM_CLEARED": None,
        "CLOSING_CLEARED": None,
        "AUTHORISED": None,
        "NON_INVOICED": None,
        "UNCLASSIFIED": None,
    }
    assert all(member.value == member.name for member in BalanceType)


def test_the_other_vocabularies() -> None:
    assert [m.value for m in CreditDebit] == ["CREDIT", "DEBIT"]
    assert [m.value for m in Freshness] == ["LIVE", "CACHED", "UNKNOWN"]
    assert {m.name for m in VendorErrorCode} == {
        "NOT_FOUND",
        "NOT_CACHED",
        "CONSENT_INVALID",
        "RATE_LIMITED",
        "INVALID_REQUEST",
        "UNAUTHORIZED",
        "PROVIDER_ERROR",
        "UNAVAILABLE",
        "UNKNOWN",
    }


ALIASES = [
    ("closingBooked", BalanceType.CLOSING_BOOKED),  # Berlin Group
    ("ClosingBooked", BalanceType.CLOSING_BOOKED),  # UK Open Banking
    ("CLBD", BalanceType.CLOSING_BOOKED),  # ISO 20022 code
    ("clbd", BalanceType.CLOSING_BOOKED),
    ("interimAvailable", BalanceType.INTERIM_AVAILABLE),
    ("InterimBooked", BalanceType.INTERIM_BOOKED),
    ("ClosingAvailable", BalanceType.CLOSING_AVAILABLE),
    ("ITAV", BalanceType.INTERIM_AVAILABLE),
    ("OPBD", BalanceType.OPENING_BOOKED),
    ("forwardAvailable", BalanceType.FORWARD_AVAILABLE),
    ("Expected", BalanceType.EXPECTED),
    ("Available", BalanceType.INTERIM_AVAILABLE),  # Connect sandbox
    ("Current", BalanceType.INTERIM_BOOKED),  # Connect sandbox
    ("somethingElse", BalanceType.UNCLASSIFIED),
]


@pytest.mark.parametrize(("raw", "balance_type"), ALIASES, ids=[raw for raw, _ in ALIASES])
def test_alias_table(raw: str, balance_type: BalanceType) -> None:
    assert balance_type_of(raw) is balance_type


@pytest.mark.parametrize("raw", [None, ""], ids=["none", "empty"])
def test_no_balance_type_is_unclassified(raw: str | None) -> None:
    assert balance_type_of(raw) is BalanceType.UNCLASSIFIED


@pytest.mark.parametrize(("raw", "balance_type"), ALIASES, ids=[raw for raw, _ in ALIASES])
def test_token_other_balance_type_goes_through_the_alias_table(
    raw: str, balance_type: BalanceType
) -> None:
    """The record gets the canonical type and keeps the bank's own string."""
    body = {
        "balance": {
            "accountId": "a:1",
            "current": {"currency": "EUR", "value": "1.00"},
            "available": {"currency": "EUR", "value": "1.00"},
            "otherBalances": [{"amount": {"currency": "EUR", "value": "2.00"}, "type": raw}],
        },
        "status": "SUCCESSFUL_REQUEST",
    }
    other = normalize_response("token-io", json.dumps(body))[2]
    assert (other.balance_type, other.vendor_balance_type) == (balance_type, raw)
    assert other.as_of is None


# --- Errors --------------------------------------------------------------------------------


def test_error_tree() -> None:
    assert issubclass(NormalizeError, ValueError)
    for kind in (UnknownVendor, MalformedPayload, MissingField, InvalidField, SignConflict):
        assert kind.__base__ is NormalizeError
    for kind in (InvalidAmount, UnknownCurrency, InvalidTimestamp, UnknownEnumValue):
        assert kind.__base__ is InvalidField
    assert not issubclass(VendorError, NormalizeError)
    assert issubclass(VendorError, Exception)


@pytest.mark.parametrize(
    "kind",
    [
        UnknownVendor,
        MalformedPayload,
        MissingField,
        InvalidField,
        InvalidAmount,
        UnknownCurrency,
        InvalidTimestamp,
        UnknownEnumValue,
        SignConflict,
    ],
)
def test_normalize_error_survives_pickle(kind: type[NormalizeError]) -> None:
    """Batch workers send errors between processes."""
    error = kind(vendor="mastercard-send", field="$.a[1].b", value="12,50", detail="why")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is kind
    assert (copy.vendor, copy.field, copy.value, copy.detail) == (
        "mastercard-send",
        "$.a[1].b",
        "12,50",
        "why",
    )
    assert (
        str(copy) == str(error) == "mastercard-send: $.a[1].b: " + (f"{kind.reason}: '12,50' (why)")
    )


def test_vendor_error_survives_pickle() -> None:
    error = VendorError(
        vendor="token-io",
        code=VendorErrorCode.CONSENT_INVALID,
        vendor_code="MORE_SIGNATURES_NEEDED",
        vendor_message="consent again",
        status=200,
        trace_id="7c1e4b9a",
        account_id="a:bad",
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is VendorError
    assert (
        copy.vendor,
        copy.code,
        copy.vendor_code,
        copy.vendor_message,
        copy.status,
        copy.trace_id,
        copy.account_id,
    ) == (
        "token-io",
        VendorErrorCode.CONSENT_INVALID,
        "MORE_SIGNATURES_NEEDED",
        "consent again",
        200,
        "7c1e4b9a",
        "a:bad",
    )
    assert str(copy) == str(error)
    assert not hasattr(copy, "records")


# --- Public surface ------------------------------------------------------------------------

# The core public names, pinned by hand; the live client classes come from the vendor
# packages (``normalize/_live_names.LIVE_CLIENTS``, written by scripts/regenerate).
CORE_NAMES = [
    "BadContentEncoding",
    "BalanceRecord",
    "BalanceRecordDict",
    "BalanceType",
    "BodyTooLarge",
    "CreditDebit",
    "DEFAULT_MAX_BODY_BYTES",
    "Envelope",
    "Freshness",
    "InvalidAmount",
    "InvalidCredential",
    "InvalidEnvelope",
    "InvalidField",
    "InvalidRequest",
    "InvalidTimestamp",
    "MalformedPayload",
    "MissingExtra",
    "MissingField",
    "NormalizeError",
    "Outcome",
    "OutcomeKind",
    "Problem",
    "RetryPolicy",
    "Scope",
    "Secret",
    "SignConflict",
    "UnknownCurrency",
    "UnknownEnumValue",
    "UnknownVendor",
    "UnreadableInput",
    "VENDORS",
    "VendorError",
    "VendorErrorCode",
    "balance_record_schema",
    "envelope_from_line",
    "normalize_response",
    "parse_envelope",
    "parse_response",
    "sum_amounts",
]

# The five real vendors' live clients, by name and vendor package: each must stay public.
REAL_LIVE_CLIENTS = {
    "AsyncMastercardSend": "mastercard_send",
    "AsyncOpenBankingConnect": "mastercard_open_banking_connect",
    "AsyncOpenFinanceAU": "mastercard_open_finance_au",
    "AsyncOpenFinanceUS": "mastercard_open_finance_us",
    "AsyncTokenIO": "token_io",
    "MastercardSend": "mastercard_send",
    "OpenBankingConnect": "mastercard_open_banking_connect",
    "OpenFinanceAU": "mastercard_open_finance_au",
    "OpenFinanceUS": "mastercard_open_finance_us",
    "TokenIO": "token_io",
}

PUBLIC_NAMES = sorted([*CORE_NAMES, *LIVE_CLIENTS])


def test_all_is_pinned() -> None:
    """Adding or removing a core public name is a decision: change CORE_NAMES with it. The
    live clients are the vendor packages' own, the five real vendors' among them."""
    assert sorted(normalize.__all__) == PUBLIC_NAMES
    assert REAL_LIVE_CLIENTS.items() <= LIVE_CLIENTS.items()
    packages = {vendor.replace("-", "_") for vendor in normalize.VENDORS}
    assert set(LIVE_CLIENTS.values()) <= packages
    for package in set(LIVE_CLIENTS.values()):
        named = {name for name, owner in LIVE_CLIENTS.items() if owner == package}
        # A blocking client and its asyncio twin.
        assert any(named == {name, f"Async{name}"} for name in named), named
    assert len(set(normalize.__all__)) == len(normalize.__all__)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_public_name_is_importable(name: str) -> None:
    namespace: dict[str, Any] = {}
    exec(f"from normalize import {name}", namespace)
    assert namespace[name] is getattr(normalize, name)


def test_star_import_gives_exactly_the_public_names() -> None:
    namespace: dict[str, Any] = {}
    exec("from normalize import *", namespace)
    assert sorted(set(namespace) - {"__builtins__"}) == PUBLIC_NAMES


def test_vendors_lists_every_vendor_package() -> None:
    """VENDORS is the vendor packages under normalize/vendors/ (by vendor id), the five real
    vendors among them."""
    folder = Path(normalize.__file__).parent / "vendors"
    packages = sorted(
        path.parent.name.replace("_", "-")
        for path in folder.glob("*/__init__.py")
        if not path.parent.name.startswith("_")
    )
    assert sorted(normalize.VENDORS) == packages
    assert len(set(normalize.VENDORS)) == len(normalize.VENDORS)
    assert {
        "mastercard-open-banking-connect",
        "mastercard-open-finance-au",
        "mastercard-open-finance-us",
        "mastercard-send",
        "token-io",
    } <= set(normalize.VENDORS)


@pytest.mark.parametrize(
    ("amount", "text"),
    [("1E-7", "0.0000001"), ("-2.5E-3", "-0.0025"), ("1.50", "1.50")],
)
def test_to_dict_writes_amounts_in_plain_notation(amount: str, text: str) -> None:
    """str(Decimal) would write some exact amounts in exponent form; to_dict does not, and
    from_dict reads the plain text back to the same amount."""
    credit_debit = CreditDebit.DEBIT if amount.startswith("-") else CreditDebit.CREDIT
    record = BalanceRecord(
        vendor="token-io",
        account_id="a:1",
        balance_type=BalanceType.INTERIM_BOOKED,
        vendor_balance_type="current",
        amount=Decimal(amount),
        credit_debit=credit_debit,
        currency="USD",
        as_of=None,
        freshness=Freshness.UNKNOWN,
        operation=None,
        amount_text=amount,
    )
    assert record.to_dict()["amount"] == text
    assert BalanceRecord.from_dict(record.to_dict()).amount == Decimal(amount)


def test_new_outcome_is_the_outcome_the_class_builds() -> None:
    from normalize._outcome import Outcome, new_outcome

    built = new_outcome("token-io", (record(),), ())
    assert built == Outcome(vendor="token-io", records=(record(),), problems=())
    assert attrs.asdict(built, recurse=False) == {
        "vendor": "token-io",
        "records": (record(),),
        "problems": (),
    }
