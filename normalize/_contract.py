"""The canonical record's JSON Schema, derived from the record's one definition.

``json_schema()`` builds a JSON Schema (2020-12) of ``BalanceRecord.to_dict()`` output from
``attrs.fields(BalanceRecord)`` with the annotations resolved, and each field's description
from its attrs metadata: there is no second list of fields to keep in step. The schema is
published as ``specs/canonical/balance-record.schema.json`` (written by scripts/regenerate,
compared by ``scripts/regenerate --check``) and shipped in the package as
``normalize/balance-record.schema.json``, the same bytes, which ``balance_record_schema()``
reads; its ``$id`` carries the package version, which is the contract's version.

The patterns are the record's own forms (``normalize._record.AMOUNT_FORM`` and the others,
which the validator and ``from_dict`` read), the enums its enums; the sign rule, which the
schema can say only on the amount's text, is the one rule said here in a second way
(``_sign_rule``), and tests/test_record_contract.py holds the two to one verdict. Two rules
it cannot state are in its description: the currency table, and ``amount_text`` saying
``amount``.
"""

from __future__ import annotations

import enum
import functools
import json
import types
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import attrs

from ._record import AMOUNT_FORM, AMOUNT_TEXT_FORM, AS_OF_FORM, CURRENCY_FORM, BalanceRecord
from ._types import CreditDebit
from ._version import __version__

SCHEMA_NAME = "balance-record.schema.json"
SCHEMA_PATH = Path("specs") / "canonical" / SCHEMA_NAME
# The copy shipped in the package (package data of ``normalize``), byte for byte the same.
PACKAGED_SCHEMA_PATH = Path("normalize") / SCHEMA_NAME
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# What to_dict writes for an amount: plain notation, no leading zero, inside decimal(38, 18).
AMOUNT_PATTERN = f"^{AMOUNT_FORM}$"
# A JSON number's text or a decimal string; for Mastercard Send, minor-unit digits.
AMOUNT_TEXT_PATTERN = f"^{AMOUNT_TEXT_FORM}$"
# ISO 8601 UTC as to_dict writes it (``isoformat()`` of a UTC datetime, then ``Z``).
AS_OF_PATTERN = f"^{AS_OF_FORM}$"
CURRENCY_PATTERN = f"^{CURRENCY_FORM}$"
# The sign rule, on to_dict's amount text: DEBIT is negative and not zero (a minus sign and
# a non-zero digit), CREDIT is zero or more (no minus sign: never negative zero).
DEBIT_AMOUNT_PATTERN = "^-[0-9.]*[1-9]"
CREDIT_AMOUNT_PATTERN = "^[0-9]"


class UnsupportedFieldType(TypeError):
    """A record field whose Python type has no JSON Schema rule here (add one)."""


def schema_id(version: str = __version__) -> str:
    return f"urn:balance-normalize:balance-record:{version}"


def _value_schema(name: str, kind: Any) -> dict[str, Any]:
    """The schema of one field's to_dict value (without null)."""
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return {"type": "string", "enum": [member.value for member in kind]}
    if kind is str:
        if name == "amount_text":
            return {"type": "string", "pattern": AMOUNT_TEXT_PATTERN}
        if name == "currency":
            return {"type": "string", "pattern": CURRENCY_PATTERN}
        if name in {"vendor", "account_id"}:
            return {"type": "string", "minLength": 1}
        return {"type": "string"}
    if kind is Decimal:
        return {"type": "string", "pattern": AMOUNT_PATTERN}
    if kind is datetime:
        return {"type": "string", "format": "date-time", "pattern": AS_OF_PATTERN}
    raise UnsupportedFieldType(f"{name}: no JSON Schema for {kind!r}")


def _field_schema(field: attrs.Attribute[Any]) -> dict[str, Any]:
    kind = field.type
    nullable = False
    if get_origin(kind) in (Union, types.UnionType):
        members = [arg for arg in get_args(kind) if arg is not type(None)]
        nullable = len(members) < len(get_args(kind))
        if len(members) != 1:
            raise UnsupportedFieldType(f"{field.name}: no JSON Schema for {kind!r}")
        kind = members[0]
    schema = _value_schema(field.name, kind)
    if nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    description = field.metadata.get("description")
    if description:
        schema = {"description": description, **schema}
    return schema


def json_schema(record_class: type[Any] = BalanceRecord) -> dict[str, Any]:
    """The JSON Schema of ``record_class.to_dict()`` output, from its attrs fields."""
    fields = attrs.fields(attrs.resolve_types(record_class))
    return {
        "$schema": DIALECT,
        "$id": schema_id(),
        "title": record_class.__name__,
        "description": (
            "One balance of one account, as the account holder sees it: the canonical record"
            " of balance-normalize, as BalanceRecord.to_dict() writes it and"
            " BalanceRecord.from_dict() reads it back. Every field is present, and no other;"
            " optional values are null. The sign of amount agrees with credit_debit (allOf)."
            " Two rules this schema cannot state hold as well, and from_dict refuses a record"
            " that breaks them: currency is a code of the ISO 4217 table (the iso4217"
            " package's; the pattern checks only the form), and amount_text says amount"
            " (its value, compared as exact decimals with scale aside, is the amount; or,"
            " without a minus sign, the amount's magnitude; or, digits only, the magnitude in"
            " the currency's minor units)."
        ),
        "type": "object",
        "properties": {field.name: _field_schema(field) for field in fields},
        "required": [field.name for field in fields],
        "additionalProperties": False,
        "allOf": [_sign_rule()],
    }


def _sign_rule() -> dict[str, Any]:
    """credit_debit against the sign of amount, as the record's validator checks it."""
    return {
        "description": "CREDIT when amount >= 0 (never negative zero), DEBIT when amount < 0.",
        "if": {
            "properties": {"credit_debit": {"const": CreditDebit.DEBIT.value}},
            "required": ["credit_debit"],
        },
        "then": {"properties": {"amount": {"pattern": DEBIT_AMOUNT_PATTERN}}},
        "else": {"properties": {"amount": {"pattern": CREDIT_AMOUNT_PATTERN}}},
    }


def balance_record_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``BalanceRecord.to_dict()`` output: the file published
    as specs/canonical/balance-record.schema.json, read from the package's own copy. A new
    dict on each call, so changing it changes nothing for the next caller."""
    schema = json.loads(_packaged_text())
    if not isinstance(schema, dict):  # pragma: no cover - the file is written by render()
        raise TypeError(f"{SCHEMA_NAME} does not hold a JSON object")
    return schema


@functools.cache
def _packaged_text() -> str:
    return resources.files("normalize").joinpath(SCHEMA_NAME).read_text(encoding="utf-8")


def render(schema: Mapping[str, Any]) -> str:
    """The file's text: stable key order as built, two-space indent, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def schema_drift(published: str, record_class: type[Any] = BalanceRecord) -> list[str]:
    """How the published schema text differs from what the record's definition gives:
    one line per field added, removed or changed, or for the header; empty when current."""
    if not published:
        return [f"{SCHEMA_PATH} is missing"]
    try:
        old = json.loads(published)
    except ValueError as exc:
        return [f"{SCHEMA_PATH} is not JSON: {exc}"]
    new = json_schema(record_class)
    out = []
    old_props: dict[str, Any] = old.get("properties", {}) if isinstance(old, dict) else {}
    new_props: dict[str, Any] = new["properties"]
    out += [
        f"field {name!r} is not in the published schema"
        for name in new_props.keys() - old_props.keys()
    ]
    out += [
        f"field {name!r} is no longer in the record" for name in old_props.keys() - new_props.keys()
    ]
    out += [
        f"field {name!r} changed"
        for name in new_props.keys() & old_props.keys()
        if new_props[name] != old_props[name]
    ]
    if not out and render(new) != published:
        out.append("the schema's header or key order changed (e.g. its $id version)")
    return sorted(out)
