"""The canonical record as a published contract.

The record's attrs fields are its one definition: the TypedDict of ``to_dict()``, the JSON
Schema in specs/canonical/balance-record.schema.json and the version in its ``$id`` are
checked against them here. ``from_dict`` refuses what ``to_dict`` could not have written,
and ``sum_amounts`` adds exactly.
"""

from __future__ import annotations

import decimal
import json
import re
import tomllib
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from jsonschema import Draft202012Validator

import normalize
from normalize import (
    BalanceRecord,
    BalanceRecordDict,
    BalanceType,
    CreditDebit,
    Freshness,
    InvalidAmount,
    InvalidField,
    MissingField,
    parse_response,
    sum_amounts,
)
from normalize._contract import SCHEMA_PATH, json_schema, render, schema_drift

ROOT = Path(__file__).resolve().parent.parent


def published_text() -> str:
    return (ROOT / SCHEMA_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(published_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def record(**changes: Any) -> BalanceRecord:
    fields: dict[str, Any] = {
        "vendor": "mastercard-open-banking-connect",
        "account_id": "acc-1",
        "balance_type": BalanceType.CLOSING_BOOKED,
        "vendor_balance_type": "closingBooked",
        "amount": Decimal("-50.00"),
        "credit_debit": CreditDebit.DEBIT,
        "currency": "GBP",
        "as_of": datetime(2024, 3, 5, 23, 59, 59, tzinfo=UTC),
        "freshness": Freshness.UNKNOWN,
        "operation": "getAccountBalances",
        "amount_text": "50.00",
    }
    return BalanceRecord(**{**fields, **changes})


# --- one definition ---------------------------------------------------------------------------


def test_typed_dict_has_the_record_fields_in_to_dict_order() -> None:
    names = {field.name for field in attrs.fields(BalanceRecord)}
    keys = list(typing.get_type_hints(BalanceRecordDict))
    assert set(keys) == names
    assert list(record().to_dict()) == keys
    assert BalanceRecordDict.__required_keys__ == frozenset(names)


@pytest.mark.parametrize(
    ("key", "enum"),
    [("balance_type", BalanceType), ("credit_debit", CreditDebit), ("freshness", Freshness)],
)
def test_typed_dict_literals_are_the_enum_values(key: str, enum: type[Any]) -> None:
    literal = typing.get_type_hints(BalanceRecordDict)[key]
    assert typing.get_args(literal) == tuple(member.value for member in enum)


def test_published_schema_is_what_the_record_gives() -> None:
    """The drift check CI runs (scripts/regenerate --check) on the real record."""
    assert schema_drift(published_text()) == []
    assert published_text() == render(json_schema())


def test_schema_describes_every_field_from_its_metadata() -> None:
    schema = json.loads(published_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for field in attrs.fields(BalanceRecord):
        assert schema["properties"][field.name]["description"] == field.metadata["description"]
    assert schema["required"] == [field.name for field in attrs.fields(BalanceRecord)]
    assert schema["additionalProperties"] is False


@attrs.frozen(kw_only=True)
class RecordWithANote(BalanceRecord):
    """The record as it would be with one more field and no regenerated schema."""

    note: str = attrs.field(metadata={"description": "A field the published schema lacks."})


@attrs.frozen(kw_only=True)
class RecordWithARequiredOperation(BalanceRecord):
    operation: str = attrs.field(metadata={"description": "Now never null."})


@attrs.frozen(kw_only=True)
class RecordWithAFloatAmount(BalanceRecord):
    amount: float = attrs.field()


def test_drift_check_fails_when_the_record_gains_a_field() -> None:
    assert schema_drift(published_text(), RecordWithANote) == [
        "field 'note' is not in the published schema"
    ]


def test_drift_check_fails_when_a_field_changes_or_goes() -> None:
    assert schema_drift(published_text(), RecordWithARequiredOperation) == [
        "field 'operation' changed"
    ]
    # A type the schema has no rule for is an error, not a guess.
    with pytest.raises(TypeError, match="amount"):
        schema_drift(published_text(), RecordWithAFloatAmount)
    published = json.loads(published_text())
    del published["properties"]["currency"]["pattern"]
    published["properties"]["gone"] = {"type": "string"}
    assert schema_drift(json.dumps(published)) == [
        "field 'currency' changed",
        "field 'gone' is no longer in the record",
    ]


def test_drift_check_fails_on_a_missing_or_stale_version() -> None:
    assert schema_drift("") == [f"{SCHEMA_PATH} is missing"]
    stale = published_text().replace(normalize.__version__, "0.0.1")
    assert schema_drift(stale) == [
        "the schema's header or key order changed (e.g. its $id version)"
    ]


# --- versions ---------------------------------------------------------------------------------


def test_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "normalize/_version.py"
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", normalize.__version__)


def test_schema_id_and_changelog_carry_the_version() -> None:
    schema = json.loads(published_text())
    assert schema["$id"] == f"urn:balance-normalize:balance-record:{normalize.__version__}"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## (\S+)", changelog, re.MULTILINE)
    assert first is not None
    assert first.group(1) == normalize.__version__


# --- what the schema accepts ------------------------------------------------------------------


def test_schema_accepts_to_dict_output(validator: Draft202012Validator) -> None:
    for one in (record(), record(as_of=None, vendor_balance_type=None, operation=None)):
        assert list(validator.iter_errors(one.to_dict())) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("amount", "1E+3"),  # to_dict writes plain notation
        ("amount", -50.0),  # never a JSON number
        ("amount_text", "fifty"),
        ("currency", "gbp"),
        ("balance_type", "closingBooked"),
        ("as_of", "2024-03-05T23:59:59+00:00"),  # to_dict writes Z
        ("account_id", ""),
        ("vendor", None),
    ],
)
def test_schema_refuses_what_to_dict_never_writes(
    validator: Draft202012Validator, key: str, value: object
) -> None:
    data: dict[str, Any] = {**record().to_dict(), key: value}
    assert not validator.is_valid(data)


def test_schema_refuses_a_missing_or_extra_key(validator: Draft202012Validator) -> None:
    data: dict[str, Any] = dict(record().to_dict())
    assert not validator.is_valid({**data, "note": "x"})
    del data["operation"]
    assert not validator.is_valid(data)


def _bundled_bodies() -> Iterator[Path]:
    for folder in (ROOT / "normalize" / "examples", ROOT / "tests" / "fixtures"):
        yield from sorted(path for path in folder.glob("*/*") if path.suffix in (".json", ".xml"))


@pytest.mark.parametrize(
    "path",
    list(_bundled_bodies()),
    ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}",
)
def test_every_bundled_example_and_fixture_validates(
    validator: Draft202012Validator, path: Path
) -> None:
    """Whatever records a bundled body gives (a fixture may give none), their dicts match
    the published schema: checked here explicitly, besides the session-wide check."""
    kind = "application/xml" if path.suffix == ".xml" else "application/json"
    outcome = parse_response(path.parent.name, path.read_bytes(), content_type=kind)
    for one in outcome.records:
        assert list(validator.iter_errors(one.to_dict())) == [], path


def _snapshot_dicts() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each record block of each snapshot file: ``key: <JSON value>`` lines."""
    for path in sorted((ROOT / "tests" / "__snapshots__").rglob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            lines = [line.split(": ", 1) for line in block.splitlines() if ": " in line]
            data = {key: json.loads(value) for key, value in lines}
            if "amount_text" in data:
                yield path.name, data


def test_every_snapshot_canonical_dict_validates(validator: Draft202012Validator) -> None:
    found = list(_snapshot_dicts())
    assert len(found) > 50  # the snapshot files hold records, and they were read
    for name, data in found:
        assert list(validator.iter_errors(data)) == [], name
        # And from_dict reads each back to the same dict.
        assert BalanceRecord.from_dict(data).to_dict() == data, name


# --- from_dict refuses what no record says ----------------------------------------------------


def test_from_dict_refuses_a_missing_vendor() -> None:
    data: dict[str, Any] = dict(record().to_dict())
    del data["vendor"]
    with pytest.raises(MissingField) as caught:
        BalanceRecord.from_dict(data)
    assert caught.value.field == "vendor"
    with pytest.raises(MissingField):
        BalanceRecord.from_dict({**data, "vendor": None})
    with pytest.raises(InvalidField) as invalid:
        BalanceRecord.from_dict({**data, "vendor": 7})
    assert invalid.value.field == "vendor"


# (amount, credit_debit, currency, amount_text): each worked out by hand from the rule in
# BalanceRecord.from_dict's docstring.
AGREEING = [
    pytest.param("-50.00", "DEBIT", "GBP", "-50.00", id="signed-text-is-the-amount"),
    pytest.param("-50.00", "DEBIT", "GBP", "50.00", id="unsigned-text-beside-an-indicator"),
    pytest.param("-50.00", "DEBIT", "GBP", "50", id="same-value-other-scale"),
    pytest.param("1000", "CREDIT", "USD", "1E+3", id="json-number-exponent-text"),
    pytest.param("10.00", "CREDIT", "GBP", "1000", id="send-minor-units-gbp"),
    pytest.param("-10.00", "DEBIT", "GBP", "1000", id="send-minor-units-in-debit"),
    pytest.param("1000", "CREDIT", "JPY", "1000", id="send-jpy-has-no-minor-unit"),
    pytest.param("1.000", "CREDIT", "BHD", "1000", id="send-bhd-three-decimals"),
    pytest.param("0.00", "CREDIT", "GBP", "-0.00", id="negative-zero-text"),
]
DISAGREEING = [
    pytest.param("-50.00", "DEBIT", "GBP", "-50.01", id="other-value"),
    pytest.param("50.00", "CREDIT", "GBP", "-50.00", id="signed-text-of-the-other-side"),
    pytest.param("10.00", "CREDIT", "GBP", "100", id="minor-units-off-by-ten"),
    pytest.param("10.00", "CREDIT", "JPY", "1000", id="jpy-has-no-minor-unit"),
    pytest.param("10.00", "CREDIT", "GBP", "10.00 ", id="not-a-number-text"),
    pytest.param("10.00", "CREDIT", "GBP", "NaN", id="nan"),
    pytest.param("10.00", "CREDIT", "GBP", "1000.0", id="minor-units-only-as-digits"),
]


def _dict(amount: str, credit_debit: str, currency: str, amount_text: str) -> dict[str, Any]:
    return {
        **record().to_dict(),
        "amount": amount,
        "credit_debit": credit_debit,
        "currency": currency,
        "amount_text": amount_text,
    }


@pytest.mark.parametrize(("amount", "credit_debit", "currency", "amount_text"), AGREEING)
def test_from_dict_accepts_an_amount_text_that_says_the_amount(
    amount: str, credit_debit: str, currency: str, amount_text: str
) -> None:
    rebuilt = BalanceRecord.from_dict(_dict(amount, credit_debit, currency, amount_text))
    assert rebuilt.amount == Decimal(amount)
    assert rebuilt.amount_text == amount_text


@pytest.mark.parametrize(("amount", "credit_debit", "currency", "amount_text"), DISAGREEING)
def test_from_dict_refuses_an_amount_text_that_disagrees(
    amount: str, credit_debit: str, currency: str, amount_text: str
) -> None:
    with pytest.raises(InvalidAmount) as caught:
        BalanceRecord.from_dict(_dict(amount, credit_debit, currency, amount_text))
    assert caught.value.field == "amount_text"
    assert caught.value.value == amount_text
    assert caught.value.vendor == "mastercard-open-banking-connect"


# --- exact sums -------------------------------------------------------------------------------


def _credit(amount: str, currency: str = "USD") -> BalanceRecord:
    return record(
        amount=Decimal(amount),
        credit_debit=CreditDebit.CREDIT,
        currency=currency,
        amount_text=amount,
    )


def test_sum_amounts_is_exact_where_the_default_context_rounds() -> None:
    records = [_credit("12345678901234567.89"), _credit("0.123456789012345678")]
    # Worked by hand: .89 + .123456789012345678 = 1.013456789012345678.
    exact = Decimal("12345678901234568.013456789012345678")
    assert sum_amounts(records) == exact
    assert str(sum_amounts(records)) == "12345678901234568.013456789012345678"
    # What the default 28-digit context does with the same two amounts.
    with decimal.localcontext(decimal.Context()):
        assert sum(record.amount for record in records) != exact


def test_sum_amounts_keeps_signs_and_scale() -> None:
    # 100.10 - 0.105 = 99.995, with the finer scale of the two.
    records = [_credit("100.10", "GBP"), record(amount=Decimal("-0.105"), amount_text="0.105")]
    assert str(sum_amounts(records)) == "99.995"
    assert str(sum_amounts(records, currency="GBP")) == "99.995"
    assert sum_amounts([]) == 0


def test_sum_amounts_refuses_mixed_currencies() -> None:
    with pytest.raises(InvalidField) as caught:
        sum_amounts([_credit("1.00", "USD"), _credit("1.00", "EUR")])
    assert caught.value.field == "currency"
    assert caught.value.value == "EUR"
    with pytest.raises(InvalidField):
        sum_amounts([_credit("1.00", "USD")], currency="GBP")
