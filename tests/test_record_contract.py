"""The record's contract, one set of rules for every way in.

``BalanceRecord(...)``, ``attrs.evolve``, the mappings' ``new_record`` and ``from_dict``
end in one validator, and the published JSON Schema is built from its forms. Generated
records, valid and nearly so (empty strings, negative zero, huge scales, 38 significant
digits, naive or non-UTC times, unknown and missing keys, wrong JSON types, texts to_dict
never writes), are offered to each; they must accept exactly the same ones and refuse the
rest with the same error (from_dict, which reads the strings before it builds the record,
may name another of several broken fields), and every accepted record must keep the rules,
worked out here again, round-trip through ``to_dict`` and ``from_dict`` and match the
schema. The schema cannot state two rules (the currency table
and ``amount_text`` saying ``amount``), which its description states instead: only there
may ``from_dict`` refuse what the schema accepts.

Also here: the schema shipped in the package (``normalize.balance_record_schema()``), and
the integer ``-0`` of a vendor body, whose ``amount_text`` is ``-0`` as on the wire.

Examples per property: ``HYPOTHESIS_EXAMPLES`` (default 200).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from iso4217 import Currency
from jsonschema import Draft202012Validator, ValidationError, validators

import normalize
from normalize import (
    BalanceRecord,
    BalanceType,
    CreditDebit,
    Freshness,
    InvalidAmount,
    InvalidField,
    MissingField,
    NormalizeError,
    normalize_response,
    parse_response,
)
from normalize._contract import PACKAGED_SCHEMA_PATH, SCHEMA_PATH, json_schema, render
from normalize._decode import NEGATIVE_ZERO, decode_json
from normalize._record import AS_OF_FORM, new_record

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "200"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ISO_CODES = sorted(currency.code for currency in Currency)
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def to_dict(record: BalanceRecord) -> dict[str, Any]:
    return dict(record.to_dict())


# --- the schema, read as JSON Schema reads it -------------------------------------------------


def _ecma_pattern(
    validator: Any, pattern: str, instance: object, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """``pattern`` as ECMA 262 reads it: its ``$`` is the end of the text. (Python's ``$``
    also matches before a final newline, so jsonschema's own check would let "1.00\\n"
    through where any ECMA 262 reader, and from_dict, refuse it.)"""
    python = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
    if validator.is_type(instance, "string") and not re.search(python, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


EcmaValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    published = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(published)
    return published


VALIDATOR = EcmaValidator(json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8")))


# --- the verdicts -----------------------------------------------------------------------------

Verdict = BalanceRecord | Exception


def by_constructor(fields: dict[str, Any]) -> Verdict:
    try:
        return BalanceRecord(**fields)
    except (TypeError, ValueError) as exc:
        return exc


def by_new_record(fields: dict[str, Any]) -> Verdict:
    try:
        return new_record(**fields)
    except (TypeError, ValueError) as exc:
        return exc


def by_evolve(base: BalanceRecord, changes: dict[str, Any]) -> Verdict:
    try:
        return attrs.evolve(base, **changes)
    except (TypeError, ValueError) as exc:
        return exc


def by_from_dict(data: dict[Any, Any]) -> Verdict:
    """from_dict's verdict; it raises nothing but NormalizeErrors (anything else fails)."""
    try:
        return BalanceRecord.from_dict(data)
    except NormalizeError as exc:
        return exc


def described(error: Exception) -> tuple[type[Exception], str | None]:
    """What a refusal says: its class and, for a NormalizeError, the field it names."""
    return type(error), error.field if isinstance(error, NormalizeError) else None


def assert_same(*verdicts: Verdict) -> None:
    """All accept, as equal records, or all refuse, with the same error and field."""
    first = verdicts[0]
    for other in verdicts[1:]:
        if isinstance(first, BalanceRecord):
            assert other == first, verdicts
            assert isinstance(other, BalanceRecord)
            assert to_dict(other) == to_dict(first), verdicts
        else:
            assert isinstance(other, Exception), verdicts
            assert described(other) == described(first), verdicts


def only_beyond_the_schema(error: Exception) -> bool:
    """A refusal for one of the two rules the schema states only in its description."""
    return (type(error), getattr(error, "field", None)) in {
        (normalize.UnknownCurrency, "currency"),
        (InvalidAmount, "amount_text"),
    }


def assert_schema_agrees(data: dict[Any, Any], verdict: Verdict) -> None:
    """The schema accepts what from_dict accepts, refuses what it refuses, except where
    from_dict refuses for a rule the schema's description states instead."""
    valid = VALIDATOR.is_valid(data)
    if isinstance(verdict, BalanceRecord):
        assert valid, (data, list(VALIDATOR.iter_errors(data)))
    elif valid:
        assert only_beyond_the_schema(verdict), (data, verdict)
        event(f"beyond the schema: {described(verdict)}")
    else:
        event(f"refused by both: {described(verdict)}")


WIRE_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def assert_invariants(record: BalanceRecord) -> None:
    """The rules, worked out here again without the library, on an accepted record."""
    assert type(record.vendor) is str
    assert record.vendor
    assert type(record.account_id) is str
    assert record.account_id
    amount = record.amount
    assert type(amount) is Decimal
    assert amount.is_finite()
    integer, _, fraction = format(amount, "f").lstrip("-").partition(".")
    assert len(integer.lstrip("0") or "0") <= INTEGER_DIGITS
    assert len(fraction) <= MAX_SCALE
    assert not fraction[FRACTION_DIGITS:].strip("0")
    assert (record.credit_debit is CreditDebit.DEBIT) == (amount < 0)
    assert not (amount.is_zero() and amount.is_signed())
    assert record.currency in ISO_CODES
    assert record.as_of is None or record.as_of.utcoffset() == timedelta(0)
    text = record.amount_text
    assert WIRE_NUMBER.fullmatch(text), text
    wire = Decimal(text)
    magnitude = amount.copy_abs()
    exponent = Currency(record.currency).exponent
    assert (
        wire == amount
        or (not text.startswith("-") and wire == magnitude)
        or (text.isdigit() and bool(exponent) and wire.scaleb(-(exponent or 0), EXACT) == magnitude)
    ), (text, amount, record.currency)


def assert_round_trip(record: BalanceRecord) -> None:
    assert_invariants(record)
    data = to_dict(record)
    assert VALIDATOR.is_valid(data), list(VALIDATOR.iter_errors(data))
    json.dumps(data)
    rebuilt = BalanceRecord.from_dict(data)
    assert rebuilt == record
    assert hash(rebuilt) == hash(record)
    assert to_dict(rebuilt) == data
    assert BalanceRecord.from_dict(json.loads(json.dumps(data))) == record


# --- generated records --------------------------------------------------------------------------

INTEGER_DIGITS = 20  # decimal(38, 18): at most 20 digits before the point
FRACTION_DIGITS = 18  # and no non-zero digit after the 18th decimal
MAX_SCALE = 36  # a wire text may write zeros past the 18th decimal, up to 36 decimals


@st.composite
def amounts(draw: st.DrawFn) -> Decimal:
    """Amounts inside decimal(38, 18) at any scale it may be written with (38 significant
    digits included), and a few written with a positive exponent (a JSON ``1E+3``)."""
    if draw(st.integers(0, 9), label="positive exponent") == 0:
        digits = draw(st.integers(1, INTEGER_DIGITS - 1), label="digits")
        coefficient = draw(st.integers(10 ** (digits - 1), 10**digits - 1) | st.just(0))
        exponent = draw(st.integers(1, INTEGER_DIGITS - digits), label="exponent")
        return Decimal(f"{coefficient}E+{exponent}")
    places = draw(st.integers(0, FRACTION_DIGITS), label="places")
    bound = 10 ** (INTEGER_DIGITS + places) - 1
    unscaled = draw(st.integers(0, bound) | st.sampled_from([bound, 0, 1]), label="unscaled")
    zeros = draw(st.integers(0, MAX_SCALE - places) | st.just(0), label="trailing zeros")
    digits_tuple = tuple(int(d) for d in str(unscaled)) + (0,) * zeros
    return Decimal((0, digits_tuple, -(places + zeros)))


def agreeing_texts(amount: Decimal, currency: str) -> list[str]:
    """Wire texts that say ``amount``: its own text in both notations, its magnitude, the
    magnitude with leading zeros (a decimal string may have them), negative zero for zero,
    and the minor units of a whole number of them."""
    magnitude = amount.copy_abs()
    texts = [
        format(amount, "f"),
        str(amount),
        format(magnitude, "f"),
        "00" + format(magnitude, "f"),
    ]
    if not amount:
        texts.append("-" + format(magnitude, "f"))
    exponent = Currency(currency).exponent
    if exponent:
        minor = magnitude.scaleb(exponent, EXACT)
        if minor == minor.to_integral_value():
            texts.append(str(int(minor)))
    return texts


UTC_ALIKE = st.sampled_from([UTC, timezone(timedelta(0), "GMT")])


@st.composite
def valid_fields(draw: st.DrawFn) -> dict[str, Any]:
    """The fields of any valid record."""
    magnitude = draw(amounts(), label="magnitude")
    debit = bool(magnitude) and draw(st.booleans(), label="debit")
    amount = magnitude.copy_negate() if debit else magnitude
    currency = draw(st.sampled_from(ISO_CODES), label="currency")
    return {
        "vendor": draw(st.sampled_from(normalize.VENDORS) | st.text(min_size=1), label="vendor"),
        "account_id": draw(st.text(min_size=1), label="account_id"),
        "balance_type": draw(st.sampled_from(BalanceType)),
        "vendor_balance_type": draw(st.none() | st.text()),
        "credit_debit": CreditDebit.DEBIT if debit else CreditDebit.CREDIT,
        "amount": amount,
        "currency": currency,
        "as_of": draw(st.none() | st.datetimes(timezones=UTC_ALIKE), label="as_of"),
        "freshness": draw(st.sampled_from(Freshness)),
        "operation": draw(st.none() | st.text()),
        "amount_text": draw(st.sampled_from(agreeing_texts(amount, currency)), label="text"),
    }


# Values of the right Python type that break a rule, or sit on its edge, per field.
NEAR: dict[str, st.SearchStrategy[Any]] = {
    "vendor": st.sampled_from(["", " ", "token-io"]),
    "account_id": st.sampled_from(["", " ", "0"]),
    "amount": st.sampled_from(
        [
            Decimal("-0"),
            Decimal("-0.00"),
            Decimal("0E+3"),
            Decimal("12345678901234567890.123456789012345678"),  # 38 digits: in range
            Decimal("-12345678901234567890.123456789012345678"),
            Decimal("123456789012345678901"),  # 21 integer digits
            Decimal("1E+20"),
            Decimal("9E+19"),
            Decimal("0.0000000000000000001"),  # a non-zero 19th decimal
            Decimal("1." + "0" * MAX_SCALE),
            Decimal("1." + "0" * (MAX_SCALE + 1)),  # a huge scale
            Decimal("0E-37"),
            Decimal("1E-18"),
            Decimal("-1E-19"),
        ]
    ),
    "credit_debit": st.sampled_from(CreditDebit),
    "currency": st.sampled_from(["XYZ", "gbp", "", "GB", "GBPX", "XAU", "XTS", "JPY", "BHD"]),
    "as_of": st.one_of(
        st.datetimes(),  # naive
        st.datetimes(timezones=st.sampled_from([timezone(timedelta(hours=1)), UTC])),
        st.sampled_from([datetime(2024, 2, 29, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)]),
    ),
    "amount_text": st.sampled_from(
        [
            "",
            " 1.00",
            "1.00 ",
            "1.00\n",
            "+1.00",
            "1,00",
            "1.",
            ".5",
            "NaN",
            "Infinity",
            "1e",
            "1E+99999",
            "1E-99999",
            "-0",
            "0",
            "0.00",
            "\u0661",  # ARABIC-INDIC DIGIT ONE
            "1000",
            "100",
            "1e3",
        ]
    ),
}


@st.composite
def near_fields(draw: st.DrawFn) -> tuple[dict[str, Any], list[str]]:
    """A valid record's fields with one to three of them replaced by near-invalid values;
    and which."""
    fields = draw(valid_fields())
    names = draw(st.lists(st.sampled_from(sorted(NEAR)), min_size=1, max_size=3, unique=True))
    for name in names:
        fields[name] = draw(NEAR[name], label=name)
    return fields, names


def encoded(fields: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of right-typed field values, each written as to_dict writes it when it
    is valid: the amount in plain notation, enum values, as_of in ISO 8601 (``Z`` for a zero
    offset, its own offset, or none, otherwise). Nothing is checked."""
    out = dict(fields)
    out["amount"] = format(fields["amount"], "f")
    for name in ("balance_type", "credit_debit", "freshness"):
        out[name] = fields[name].value
    as_of = fields["as_of"]
    if as_of is not None:
        if as_of.utcoffset() == timedelta(0):
            out["as_of"] = as_of.astimezone(UTC).isoformat().replace("+00:00", "Z")
        else:
            out["as_of"] = as_of.isoformat()
    return {name: out[name] for name in normalize._record._KEYS}


def base_record() -> BalanceRecord:
    return BalanceRecord(
        vendor="token-io",
        account_id="a:1",
        balance_type=BalanceType.INTERIM_BOOKED,
        vendor_balance_type="current",
        credit_debit=CreditDebit.DEBIT,
        amount=Decimal("-98.2500"),
        currency="EUR",
        as_of=datetime(2024, 5, 16, 8, 0, tzinfo=UTC),
        freshness=Freshness.UNKNOWN,
        operation="getBalances",
        amount_text="-98.2500",
    )


# A rule between two fields names one of them: the sign rule names credit_debit, and
# amount_text saying the amount (in the currency's minor units, too) names amount_text.
RELATED = {"amount": {"credit_debit", "amount_text"}, "currency": {"amount_text"}}


def check_fields(fields: dict[str, Any], changed: tuple[str, ...] = ()) -> Verdict:
    """Every door on one set of right-typed field values (``changed`` from a valid record):
    one verdict everywhere. The Python doors are one validator and refuse with the same
    error; from_dict, which reads the strings first, names the same field when one was
    changed, and one of those changed (or a field a rule ties to one) otherwise."""
    built = by_constructor(fields)
    assert not isinstance(built, TypeError), built  # right types: only rules can refuse
    assert_same(built, by_new_record(fields), by_evolve(base_record(), fields))
    data = encoded(fields)
    read = by_from_dict(data)
    assert_schema_agrees(data, read)
    if isinstance(built, BalanceRecord):
        event("accepted")
        assert_same(built, read)
        assert_round_trip(built)
        return built
    assert isinstance(built, NormalizeError), built
    assert isinstance(read, NormalizeError), (built, read)
    event(f"refused: {described(built)}")
    if len(changed) <= 1:
        assert described(read) == described(built), (built, read)
    allowed = set(changed).union(*(RELATED.get(name, set()) for name in changed))
    for error in (built, read):
        assert error.field in allowed, (error, changed)
    return built


@PROPERTY
@given(fields=valid_fields())
def test_every_valid_record_is_accepted_everywhere_and_round_trips(fields: dict[str, Any]) -> None:
    built = check_fields(fields)
    assert isinstance(built, BalanceRecord), built


@PROPERTY
@given(case=near_fields())
@example(case=({**attrs.asdict(base_record(), recurse=False), "account_id": ""}, ["account_id"]))
@example(case=({**attrs.asdict(base_record(), recurse=False), "vendor": ""}, ["vendor"]))
@example(
    case=({**attrs.asdict(base_record(), recurse=False), "amount": Decimal("-98.25")}, ["amount"])
)
def test_near_invalid_records_get_one_verdict_everywhere(
    case: tuple[dict[str, Any], list[str]],
) -> None:
    """One verdict at every door; a refusal names one of the fields that were changed."""
    fields, changed = case
    check_fields(fields, tuple(changed))


@PROPERTY
@given(fields=valid_fields(), data=st.data())
def test_evolve_with_some_fields_is_the_constructor_with_all(
    fields: dict[str, Any], data: st.DataObject
) -> None:
    """attrs.evolve(record, **some) gives what the constructor gives for the whole set:
    changing the amount without its amount_text is refused, naming amount_text."""
    record = BalanceRecord(**fields)
    other = data.draw(near_fields(), label="other")[0]
    names = data.draw(st.lists(st.sampled_from(sorted(other)), unique=True), label="changed")
    changes = {name: other[name] for name in names}
    merged = {**fields, **changes}
    assert_same(by_evolve(record, changes), by_constructor(merged), by_new_record(merged))


# --- generated dicts ----------------------------------------------------------------------------

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)

# Strings to_dict never writes, or writes only for some records, per key.
NEAR_TEXT: dict[str, list[str]] = {
    "vendor": ["", " "],
    "account_id": ["", "\n"],
    "balance_type": ["closingBooked", "closing_booked", "CLBD", "UNCLASSIFIED "],
    "credit_debit": ["Debit", "debit", "CREDIT\n", "DEBIT", "CREDIT"],
    "freshness": ["live", "STALE", "CACHED"],
    "currency": ["XYZ", "gbp", "GBP\n", " GBP", "", "GBPX", "USD"],
    "amount": [
        "007.50",
        "00",
        "-0",
        "-0.00",
        "0.00",
        "+1.00",
        "1E+3",
        "1e3",
        "1.",
        ".5",
        "1.00\n",
        " 1.00",
        "1,00",
        "NaN",
        "Infinity",
        "\u0661",
        "1" * 20,
        "1" * 21,
        "0." + "0" * 18 + "1",
        "1." + "0" * 36,
        "1." + "0" * 37,
        "12345678901234567890.123456789012345678",
        "-98.2500",
        "98.2500",
    ],
    "as_of": [
        "2024-05-16T08:00:00Z",
        "2024-05-16T08:00:00.123000Z",
        "2024-05-16T08:00:00.123Z",
        "2024-05-16T08:00:00.000000Z",
        "2024-05-16T08:00:00.000001Z",
        "2024-05-16T08:00:00+00:00",
        "2024-05-16T09:00:00+01:00",
        "2024-05-16T08:00:00z",
        "2024-05-16 08:00:00Z",
        "2024-05-16T08:00:00",
        "2024-05-16T08:00:00Z\n",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-05-16T24:00:00Z",
        "2024-05-16T23:59:60Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999Z",
        "20240516T080000Z",
        "+2024-05-16T08:00:00Z",
    ],
    "amount_text": ["", "fifty", "1.00\n", "98.25", "-98.25", "98.2500", "9825", "1E+3", "-0"],
    "vendor_balance_type": ["", " "],
    "operation": ["", " "],
}
UNKNOWN_KEYS: list[Any] = ["note", "Amount", "amount ", "", 1, "$schema"]


@st.composite
def near_dicts(draw: st.DrawFn) -> dict[Any, Any]:
    """A valid record's dict with one to three changes: a key dropped, an unknown key
    added, a value of another JSON type, or a string to_dict does not write there."""
    data: dict[Any, Any] = to_dict(BalanceRecord(**draw(valid_fields())))
    keys = list(data)
    for _ in range(draw(st.integers(1, 3), label="changes")):
        kind = draw(st.sampled_from(["drop", "unknown", "type", "text", "text", "text"]))
        if kind == "drop" and data:
            data.pop(draw(st.sampled_from(sorted(data, key=str))))
        elif kind == "unknown":
            data[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(JSON_VALUES)
        elif kind == "type":
            data[draw(st.sampled_from(keys))] = draw(JSON_VALUES)
        else:
            key = draw(st.sampled_from(sorted(NEAR_TEXT)))
            data[key] = draw(st.sampled_from(NEAR_TEXT[key]) | st.text(max_size=4))
    return data


def check_dict(data: dict[Any, Any]) -> Verdict:
    read = by_from_dict(data)
    assert_schema_agrees(data, read)
    if isinstance(read, BalanceRecord):
        event("accepted")
        # Accepted: exactly what to_dict writes for the record, and every door agrees.
        assert to_dict(read) == data
        fields = attrs.asdict(read, recurse=False)
        assert_same(read, by_constructor(fields), by_new_record(fields), by_evolve(read, {}))
        assert_round_trip(read)
    else:
        event(f"refused: {described(read)}")
    return read


@PROPERTY
@given(data=near_dicts())
@example(data={**to_dict(base_record()), "note": "x"})
@example(data={key: value for key, value in to_dict(base_record()).items() if key != "operation"})
@example(data={**to_dict(base_record()), "as_of": "2024-05-16T08:00:00.000000Z"})
@example(data={**to_dict(base_record()), "amount": "-098.2500"})
@example(data={**to_dict(base_record()), "account_id": 1})
@example(data={**to_dict(base_record()), "amount": -98.25})
def test_from_dict_and_the_schema_agree_on_near_invalid_dicts(data: dict[Any, Any]) -> None:
    check_dict(data)


@PROPERTY
@given(fields=valid_fields())
def test_to_dict_is_all_that_from_dict_reads(fields: dict[str, Any]) -> None:
    """The dict of a valid record is accepted and read back to it."""
    check_dict(to_dict(BalanceRecord(**fields)))


# --- pinned: the holes this contract closed -----------------------------------------------------


def test_the_constructor_refuses_an_empty_account_id_as_from_dict_does() -> None:
    with pytest.raises(MissingField) as built:
        attrs.evolve(base_record(), account_id="")
    with pytest.raises(MissingField) as read:
        BalanceRecord.from_dict({**to_dict(base_record()), "account_id": ""})
    assert described(built.value) == described(read.value) == (MissingField, "account_id")
    assert not VALIDATOR.is_valid({**to_dict(base_record()), "account_id": ""})


def test_evolving_the_amount_alone_is_refused_naming_amount_text() -> None:
    """amount_text is the vendor's wire text for the amount: a new amount needs its own."""
    record = base_record()
    with pytest.raises(InvalidAmount) as caught:
        attrs.evolve(record, amount=Decimal("-12.00"))
    assert caught.value.field == "amount_text"
    assert caught.value.value == "-98.2500"
    assert "disagrees with amount -12.00 EUR" in str(caught.value)
    evolved = attrs.evolve(record, amount=Decimal("-12.00"), amount_text="12.00")
    assert BalanceRecord.from_dict(to_dict(evolved)) == evolved


def test_from_dict_refuses_an_unknown_key_naming_it() -> None:
    data = {**to_dict(base_record()), "note": "x", "Amount": "1"}
    with pytest.raises(InvalidField) as caught:
        BalanceRecord.from_dict(data)
    assert type(caught.value) is InvalidField
    assert (caught.value.vendor, caught.value.field) == ("token-io", "Amount")
    assert "unknown key" in str(caught.value)
    assert not VALIDATOR.is_valid(data)


@pytest.mark.parametrize("key", ["vendor_balance_type", "as_of", "operation"])
def test_from_dict_refuses_an_absent_optional_key(key: str) -> None:
    """null says "not known"; an absent key is not a record to_dict wrote."""
    data = {name: value for name, value in to_dict(base_record()).items() if name != key}
    with pytest.raises(MissingField) as caught:
        BalanceRecord.from_dict(data)
    assert caught.value.field == key
    assert not VALIDATOR.is_valid(data)


def test_from_dict_refuses_what_is_not_an_object() -> None:
    with pytest.raises(normalize.MalformedPayload) as caught:
        BalanceRecord.from_dict([("vendor", "token-io")])  # type: ignore[arg-type]
    assert caught.value.field == "$"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("credit_debit", "DEBIT"),
        ("balance_type", "INTERIM_BOOKED"),
        ("freshness", "UNKNOWN"),
        ("as_of", date(2024, 5, 16)),
        ("as_of", "2024-05-16T08:00:00Z"),
        ("amount_text", Decimal("-98.2500")),
        ("vendor", None),
        ("account_id", 1),
        ("currency", None),
        ("operation", 1),
        ("vendor_balance_type", b"current"),
        ("amount", -98.25),
        ("amount", Decimal("NaN")),
    ],
)
def test_a_value_of_the_wrong_type_is_a_type_error_at_every_python_door(
    name: str, value: object
) -> None:
    """A string equal to an enum member is not the member (to_dict could not write it)."""
    fields = {**attrs.asdict(base_record(), recurse=False), name: value}
    for door in (
        lambda: BalanceRecord(**fields),
        lambda: new_record(**fields),
        lambda: attrs.evolve(base_record(), **{name: value}),
    ):
        with pytest.raises(TypeError, match=f"BalanceRecord.{name} must be"):
            door()


# --- the calendar in the as_of form -----------------------------------------------------------


@pytest.mark.parametrize("year", [1, 4, 100, 400, 1900, 1999, 2000, 2023, 2024, 2100, 9996, 9999])
def test_the_as_of_form_accepts_exactly_the_real_dates(year: int) -> None:
    """Every (month, day) of 00..13 / 00..32 in years on each side of the leap-year rules:
    the form (and so the schema) accepts a date exactly when it exists."""
    form = re.compile(AS_OF_FORM)
    for month in range(14):
        for day in range(33):
            text = f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"
            try:
                date(year, month, day)
                real = True
            except ValueError:
                real = False
            assert bool(form.fullmatch(text)) is real, text
            assert VALIDATOR.is_valid({**to_dict(base_record()), "as_of": text}) is real, text


def test_the_as_of_form_has_no_year_zero() -> None:
    assert not re.fullmatch(AS_OF_FORM, "0000-01-01T00:00:00Z")
    assert not re.fullmatch(AS_OF_FORM, "0000-02-29T00:00:00Z")


# --- the schema in the package --------------------------------------------------------------


def test_the_packaged_schema_is_the_published_file_byte_for_byte() -> None:
    packaged = (ROOT / PACKAGED_SCHEMA_PATH).read_bytes()
    assert packaged == (ROOT / SCHEMA_PATH).read_bytes()
    assert packaged.decode("utf-8") == render(json_schema())


def test_balance_record_schema_returns_the_published_schema(schema: dict[str, Any]) -> None:
    assert "balance_record_schema" in normalize.__all__
    got = normalize.balance_record_schema()
    assert got == schema
    assert got["$id"] == f"urn:balance-normalize:balance-record:{normalize.__version__}"
    Draft202012Validator.check_schema(got)
    # A new dict each time: what one caller changes, the next does not see.
    got["properties"].clear()
    assert normalize.balance_record_schema() == schema


def test_the_wheel_takes_the_packaged_schema() -> None:
    """The wheel holds every file of the normalize package folder that git keeps (hatch's
    rule), so the schema beside its modules ships; nothing excludes it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert "normalize" in wheel["packages"]
    assert PACKAGED_SCHEMA_PATH.parts[0] == "normalize"
    for excluding in ("exclude", "only-include", "include"):
        assert excluding not in wheel, excluding
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert not any(Path(PACKAGED_SCHEMA_PATH.name).match(pattern) for pattern in ignored)


# --- the integer -0 on the wire ---------------------------------------------------------------

FINICITY_BODY = (
    '{"id": 1, "availableBalance": @, "availableBalanceDate": 1722505195,'
    ' "clearedBalance": 1.00, "clearedBalanceDate": 1722505195, "currency": "AUD"}'
)


def connect_body(amount_json: str, indicator: str) -> str:
    return (
        '{"originalRequestInfo": {"xRequestId": "x"}, "account": {"resourceId": "acc-1",'
        f' "balances": [{{"balanceAmount": {{"currency": "EUR", "amount": {amount_json}}},'
        f' "creditDebitIndicator": "{indicator}", "dateTime": "2024-05-01T00:00:00Z"}}]}}}}'
    )


NUMBER_BODIES = [
    pytest.param("mastercard-open-finance-au", FINICITY_BODY.replace("@", "{}"), id="au"),
    pytest.param("mastercard-open-finance-us", FINICITY_BODY.replace("@", "{}"), id="us"),
    pytest.param("mastercard-open-banking-connect", connect_body("{}", "Credit"), id="connect"),
    pytest.param("mastercard-open-banking-connect", connect_body("{}", "Debit"), id="connect-dr"),
]


@pytest.mark.parametrize(("vendor", "template"), NUMBER_BODIES)
@pytest.mark.parametrize(
    ("wire", "amount"),
    [("-0", "0"), ("0", "0"), ("-0.00", "0.00"), ("-0e0", "0"), ("-0E+2", "0E+2")],
)
def test_amount_text_of_a_json_number_zero_is_its_wire_text(
    vendor: str, template: str, wire: str, amount: str
) -> None:
    """The integer -0 is the text -0 (jiter reads it as 0; the decoder keeps its sign);
    the amount is zero, never negative, and a credit."""
    [record, *_] = normalize_response(vendor, template.replace("{}", wire, 1))
    # The text of the exact decimal: the wire text itself, but for an exponent's spelling.
    assert record.amount_text == (wire if "e" not in wire else str(Decimal(wire)))
    assert str(record.amount) == amount
    assert not record.amount.is_signed()
    assert record.credit_debit is CreditDebit.CREDIT
    assert_round_trip(record)


def test_the_integer_minus_zero_is_zero_everywhere_else() -> None:
    """A -0 date is zero, as 0 is (so no time: the zero-time rule); a string holding "-0"
    is text; the document keeps the marker only where -0 was written."""
    body = FINICITY_BODY.replace("@", "-0").replace(
        '"availableBalanceDate": 1722505195', '"availableBalanceDate": -0'
    )
    records = parse_response("mastercard-open-finance-au", body).records
    assert records[0].as_of is None
    assert records[1].as_of == datetime.fromtimestamp(1722505195, UTC)
    document = decode_json(b'{"a": [-0, 0, "-0", "2024-05-01", -0.0], "b": {"c": -0}}', vendor="x")
    assert document == {"a": [0, 0, "-0", "2024-05-01", Decimal("-0.0")], "b": {"c": 0}}
    assert document["a"][0] is NEGATIVE_ZERO
    assert document["b"]["c"] is NEGATIVE_ZERO
    assert type(document["a"][1]) is int
    assert repr(decode_json(b" -0 ", vendor="x")) == "-0"
