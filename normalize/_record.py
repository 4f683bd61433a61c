"""The canonical balance record and its enums. Knows nothing about vendors."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ._errors import InvalidAmount, InvalidField, InvalidTimestamp, MissingField
from ._money import CURRENCIES, currency_code
from ._types import BalanceType, CreditDebit, Freshness

E = TypeVar("E", bound=enum.StrEnum)
_ZERO = timedelta(0)
_DEBIT = CreditDebit.DEBIT
_DECIMAL_STR = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:E[+-][0-9]+)?")


@attrs.frozen(kw_only=True)
class BalanceRecord:
    """One balance of one account, as the account holder sees it.

    ``vendor_balance_type`` is the vendor's own name for the balance type (None when the
    vendor sent none); ``balance_type`` is what the alias table makes of it.
    ``amount`` is signed (credit >= 0, debit < 0) and carries exactly the vendor's digits;
    ``credit_debit`` agrees with its sign and zero is CREDIT. ``currency`` is an ISO 4217
    alpha-3 code. ``as_of`` is when the vendor says the balance was true (UTC), or None.
    ``operation`` and ``amount_text`` are provenance: the vendor operation the payload came
    from (None when it cannot be told from the payload and was not given) and the amount
    as it stood on the wire (a JSON number as the canonical text of its exact Decimal, which
    is the wire text for plain decimals such as ``1234.50``; ``1e3`` reads ``1E+3``).

    Construction checks the invariants (a finite Decimal amount whose sign agrees with
    ``credit_debit``, an ISO 4217 currency, a UTC ``as_of``) and raises TypeError or
    ValueError, so no record that breaks them can exist.
    """

    vendor: str
    account_id: str
    balance_type: BalanceType
    vendor_balance_type: str | None
    credit_debit: CreditDebit
    amount: Decimal
    currency: str
    as_of: datetime | None
    freshness: Freshness
    operation: str | None
    amount_text: str

    def __attrs_post_init__(self) -> None:
        # One check for all invariants: cheaper than a validator per field on the hot path.
        amount = self.amount
        if type(amount) is not Decimal or not amount.is_finite():
            raise TypeError(f"amount must be a finite Decimal, not {amount!r}")
        # Credit >= 0 and debit < 0; zero is credit and never negative zero.
        if amount.is_signed() is not (self.credit_debit is _DEBIT) or (
            not amount and self.credit_debit is _DEBIT
        ):
            raise ValueError(f"amount {amount} does not agree with {self.credit_debit!r}")
        if self.currency not in CURRENCIES:
            raise ValueError(f"currency {self.currency!r} is not an ISO 4217 alpha-3 code")
        as_of = self.as_of
        if as_of is not None and as_of.tzinfo is not UTC and as_of.utcoffset() != _ZERO:
            raise ValueError(f"as_of must be a UTC datetime, not {as_of!r}")

    def to_dict(self) -> dict[str, str | None]:
        """A JSON-safe dict: amount as its exact decimal string in plain notation, enums
        as their names, ``as_of`` as ISO 8601 UTC with a ``Z``."""
        return {
            "vendor": self.vendor,
            "account_id": self.account_id,
            "balance_type": self.balance_type.value,
            "vendor_balance_type": self.vendor_balance_type,
            # Plain notation: str() would write some exact values as "1E-7" or "1E+3".
            "amount": format(self.amount, "f"),
            "credit_debit": self.credit_debit.value,
            "currency": self.currency,
            "as_of": None if self.as_of is None else _format_utc(self.as_of),
            "freshness": self.freshness.value,
            "operation": self.operation,
            "amount_text": self.amount_text,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BalanceRecord:
        """Rebuild a record from ``to_dict()`` output; a bad value raises a NormalizeError."""
        vendor = str(data.get("vendor", "?"))

        def optional(name: str) -> str | None:
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise InvalidField(vendor=vendor, field=name, value=value)
            return value

        def required(name: str) -> str:
            value = optional(name)
            if value is None:
                raise MissingField(vendor=vendor, field=name)
            return value

        def member(name: str, kind: type[E]) -> E:
            value = required(name)
            try:
                return kind(value)
            except ValueError:
                raise InvalidField(vendor=vendor, field=name, value=value) from None

        amount_raw = required("amount")
        # str(Decimal), what to_dict writes, uses exponent notation for some values.
        if not _DECIMAL_STR.fullmatch(amount_raw):
            raise InvalidAmount(vendor=vendor, field="amount", value=amount_raw)
        amount = Decimal(amount_raw)
        as_of_raw = optional("as_of")
        as_of = None
        if as_of_raw is not None:
            try:
                as_of = datetime.fromisoformat(as_of_raw)
            except ValueError:
                raise InvalidTimestamp(vendor=vendor, field="as_of", value=as_of_raw) from None
            if as_of.utcoffset() is None:
                raise InvalidTimestamp(
                    vendor=vendor, field="as_of", value=as_of_raw, detail="no UTC offset"
                )
            as_of = as_of.astimezone(UTC)
        credit_debit = member("credit_debit", CreditDebit)
        if amount.is_signed() is not (credit_debit is _DEBIT) or (
            not amount and credit_debit is _DEBIT
        ):
            raise InvalidField(
                vendor=vendor,
                field="credit_debit",
                value=credit_debit.value,
                detail=f"disagrees with amount {amount_raw}",
            )
        account_id = required("account_id")
        if not account_id:
            raise MissingField(vendor=vendor, field="account_id", value=account_id)
        return cls(
            vendor=vendor,
            account_id=account_id,
            balance_type=member("balance_type", BalanceType),
            vendor_balance_type=optional("vendor_balance_type"),
            amount=amount,
            credit_debit=credit_debit,
            currency=currency_code(required("currency"), vendor=vendor, field="currency"),
            as_of=as_of,
            freshness=member("freshness", Freshness),
            operation=optional("operation"),
            amount_text=required("amount_text"),
        )


def _format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Building a record through ``__init__`` costs about twice as much as the rest of mapping a
# balance: attrs' frozen ``__init__`` sets each slot through a bound ``object.__setattr__``
# and then re-checks invariants the mapping has just established. The mapping builds its
# records here instead, setting the slots through their descriptors.
_new = object.__new__


def _slot_setter(name: str) -> Any:
    return BalanceRecord.__dict__[name].__set__


_vendor = _slot_setter("vendor")
_account_id = _slot_setter("account_id")
_balance_type = _slot_setter("balance_type")
_vendor_balance_type = _slot_setter("vendor_balance_type")
_credit_debit = _slot_setter("credit_debit")
_amount = _slot_setter("amount")
_currency = _slot_setter("currency")
_as_of = _slot_setter("as_of")
_freshness = _slot_setter("freshness")
_operation = _slot_setter("operation")
_amount_text = _slot_setter("amount_text")


def checked_record(
    vendor: str,
    account_id: str,
    balance_type: BalanceType,
    vendor_balance_type: str | None,
    credit_debit: CreditDebit,
    amount: Decimal,
    currency: str,
    as_of: datetime | None,
    freshness: Freshness,
    operation: str | None,
    amount_text: str,
) -> BalanceRecord:
    """A BalanceRecord from values that already satisfy its invariants, without checking
    them again: for ``_mapping.build_record``, the one path through the money rules (exact
    amount, ISO currency, sign rule; timestamps come from the UTC helpers beside it), which
    establishes them. Anything else uses the class."""
    record: BalanceRecord = _new(BalanceRecord)
    _vendor(record, vendor)
    _account_id(record, account_id)
    _balance_type(record, balance_type)
    _vendor_balance_type(record, vendor_balance_type)
    _credit_debit(record, credit_debit)
    _amount(record, amount)
    _currency(record, currency)
    _as_of(record, as_of)
    _freshness(record, freshness)
    _operation(record, operation)
    _amount_text(record, amount_text)
    return record
