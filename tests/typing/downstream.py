"""Downstream code as a library user writes it, checked by mypy --strict (scripts/test).

Nothing here runs; mypy proves that the public names type what they do: ``to_dict()``'s
keys and value types, ``from_dict``'s return type, exact sums, and sorting by an explicit
key (``sorted(records)`` itself is refused: tests/test_contract_typing.py shows mypy's
error, since the record defines no ordering).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, assert_type

from normalize import (
    BalanceRecord,
    BalanceRecordDict,
    BalanceType,
    Outcome,
    parse_response,
    sum_amounts,
)


def canonical_dicts(records: list[BalanceRecord]) -> list[BalanceRecordDict]:
    return [record.to_dict() for record in records]


def read_back(data: BalanceRecordDict) -> BalanceRecord:
    record = BalanceRecord.from_dict(data)
    assert_type(record, BalanceRecord)
    return record


def to_dict_values(record: BalanceRecord) -> None:
    data = record.to_dict()
    assert_type(data["vendor"], str)
    assert_type(data["account_id"], str)
    assert_type(data["amount"], str)
    assert_type(data["amount_text"], str)
    assert_type(data["currency"], str)
    assert_type(data["vendor_balance_type"], str | None)
    assert_type(data["as_of"], str | None)
    assert_type(data["operation"], str | None)
    assert_type(data["credit_debit"], Literal["CREDIT", "DEBIT"])
    assert_type(data["freshness"], Literal["LIVE", "CACHED", "UNKNOWN"])
    balance_type: str = data["balance_type"]
    assert BalanceType(balance_type)


def by_account_then_type(records: list[BalanceRecord]) -> list[BalanceRecord]:
    return sorted(records, key=lambda record: (record.account_id, record.balance_type.value))


def total(outcome: Outcome) -> Decimal:
    return sum_amounts(outcome.records, currency="EUR")


def records_of(body: bytes) -> tuple[BalanceRecord, ...]:
    return parse_response("token-io", body).records
