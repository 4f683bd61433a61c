"""The canonical balance record and its enums. Knows nothing about vendors."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact
from typing import Any, Literal, TypedDict, TypeVar

import attrs

from ._errors import InvalidAmount, InvalidField, InvalidTimestamp, MissingField
from ._money import CURRENCIES, MINOR_UNITS, amount_from_decimal_text, currency_code
from ._types import BalanceType, CreditDebit, Freshness

E = TypeVar("E", bound=enum.StrEnum)
_ZERO = timedelta(0)
_DEBIT = CreditDebit.DEBIT
# What ``amount_text`` may hold: a decimal string or a JSON number's text (exponent allowed).
_AMOUNT_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_MINOR_UNITS_TEXT = re.compile(r"[0-9]+")
# Additions and scaling that never round: an Inexact result raises instead.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])


class BalanceRecordDict(TypedDict):
    """What ``BalanceRecord.to_dict()`` returns and ``from_dict`` reads: JSON-safe values,
    one key per field of the record, in the order ``to_dict`` writes them. The published
    JSON Schema (specs/canonical/balance-record.schema.json) describes the same object."""

    vendor: str
    account_id: str
    balance_type: Literal[
        "OPENING_BOOKED",
        "INTERIM_BOOKED",
        "CLOSING_BOOKED",
        "PREVIOUSLY_CLOSED_BOOKED",
        "OPENING_AVAILABLE",
        "INTERIM_AVAILABLE",
        "CLOSING_AVAILABLE",
        "FORWARD_AVAILABLE",
        "EXPECTED",
        "INFORMATION",
        "OPENING_CLEARED",
        "INTERIM_CLEARED",
        "CLOSING_CLEARED",
        "AUTHORISED",
        "NON_INVOICED",
        "UNCLASSIFIED",
    ]
    vendor_balance_type: str | None
    amount: str
    credit_debit: Literal["CREDIT", "DEBIT"]
    currency: str
    as_of: str | None
    freshness: Literal["LIVE", "CACHED", "UNKNOWN"]
    operation: str | None
    amount_text: str


def _about(text: str) -> dict[str, str]:
    """attrs field metadata: the description the JSON Schema (and the batch tables) carry."""
    return {"description": text}


# order=False is attrs' default for ``frozen``, but mypy's attrs plugin assumes ordering
# methods unless told: stated here, mypy --strict rejects ``sorted(records)``, which would
# raise TypeError at run time. Records have no natural order; sort by an explicit key.
@attrs.frozen(kw_only=True, order=False)
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

    vendor: str = attrs.field(metadata=_about("The vendor id, e.g. token-io or mastercard-send."))
    account_id: str = attrs.field(
        metadata=_about("The vendor's account identifier, as a string; never empty.")
    )
    balance_type: BalanceType = attrs.field(
        metadata=_about(
            "ISO 20022 balance type; UNCLASSIFIED when no alias maps the vendor's own name."
        )
    )
    vendor_balance_type: str | None = attrs.field(
        metadata=_about(
            "The vendor's own name for the balance type, as sent; null when the vendor sends none."
        )
    )
    credit_debit: CreditDebit = attrs.field(
        metadata=_about("CREDIT when amount >= 0, DEBIT when amount < 0; zero is CREDIT.")
    )
    amount: Decimal = attrs.field(
        metadata=_about(
            "Signed from the account holder's side, exactly the vendor's digits and scale;"
            " a decimal string in plain notation."
        )
    )
    currency: str = attrs.field(metadata=_about("ISO 4217 alpha-3 currency code."))
    as_of: datetime | None = attrs.field(
        metadata=_about(
            "When the vendor says the balance was true, ISO 8601 UTC ending in Z; null when the"
            " vendor does not say."
        )
    )
    freshness: Freshness = attrs.field(
        metadata=_about("LIVE or CACHED when known from what was asked, else UNKNOWN.")
    )
    operation: str | None = attrs.field(
        metadata=_about(
            "Provenance: the vendor operationId the response answered; null when unknown."
        )
    )
    amount_text: str = attrs.field(
        metadata=_about(
            "Provenance: the amount as it stood on the wire: a decimal string verbatim, a JSON"
            " number as its exact decimal's text, Mastercard Send minor units as sent"
            " (unsigned beside a credit/debit indicator)."
        )
    )

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

    def to_dict(self) -> BalanceRecordDict:
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
        """Rebuild a record from ``to_dict()`` output; a bad value raises a NormalizeError.

        Nothing is defaulted: a missing ``vendor`` is a MissingField like any other missing
        required value, and an ``amount_text`` that disagrees with ``amount`` (see
        ``amount_text_agrees``) is an InvalidAmount."""
        vendor_raw = data.get("vendor")
        if vendor_raw is None or vendor_raw == "":
            raise MissingField(vendor="?", field="vendor", value=vendor_raw)
        if not isinstance(vendor_raw, str):
            raise InvalidField(vendor="?", field="vendor", value=vendor_raw)
        vendor = vendor_raw

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
        # What to_dict writes (plain notation) and nothing outside the canonical range: the
        # library's own reader of a decimal string.
        amount = amount_from_decimal_text(amount_raw, vendor=vendor, field="amount")
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
        currency = currency_code(required("currency"), vendor=vendor, field="currency")
        amount_text = required("amount_text")
        if not amount_text_agrees(amount_text, amount, currency):
            raise InvalidAmount(
                vendor=vendor,
                field="amount_text",
                value=amount_text,
                detail=f"disagrees with amount {amount_raw} {currency}",
            )
        return cls(
            vendor=vendor,
            account_id=account_id,
            balance_type=member("balance_type", BalanceType),
            vendor_balance_type=optional("vendor_balance_type"),
            amount=amount,
            credit_debit=credit_debit,
            currency=currency,
            as_of=as_of,
            freshness=member("freshness", Freshness),
            operation=optional("operation"),
            amount_text=amount_text,
        )


def amount_text_agrees(amount_text: str, amount: Decimal, currency: str) -> bool:
    """Whether ``amount_text``, the amount as it stood on the wire, says ``amount``.

    The rule, exact (values compared as Decimals, never through float; scale is not
    compared, since ``1E+3`` and ``1000`` are one value):

    * the text is a decimal string or a JSON number's text (``-12.50``, ``1E+3``);
    * its value is the amount (signed vendors: Finicity, Token), or the amount's magnitude
      when the text carries no minus sign (indicator vendors send an unsigned amount and
      the side apart: Connect ``"50.00"`` DEBIT is -50.00);
    * or, when the text is unsigned digits only, its value in the currency's minor units
      is the amount's magnitude (Mastercard Send: ``"1000"`` GBP is 10.00, JPY has no
      minor unit so ``"1000"`` is 1000, BHD ``"1000"`` is 1.000).
    """
    if not _AMOUNT_TEXT.fullmatch(amount_text):
        return False
    try:
        value = Decimal(amount_text)
        candidates = [value]
        exponent = MINOR_UNITS.get(currency)
        if exponent and _MINOR_UNITS_TEXT.fullmatch(amount_text):
            candidates.append(value.scaleb(-exponent, _EXACT))
    except (ArithmeticError, ValueError):
        return False
    if amount_text.startswith("-"):
        return value == amount
    # copy_negate, not unary minus: the default 28-digit context would round a long amount.
    return any(candidate in (amount, amount.copy_negate()) for candidate in candidates)


def sum_amounts(records: Iterable[BalanceRecord], *, currency: str | None = None) -> Decimal:
    """The exact sum of the records' amounts, all in one currency.

    Python's default decimal context keeps 28 significant digits and rounds silently
    (``12345678901234567.89 + 0.123456789012345678`` loses digits); this adds in a context
    wide enough for any two Decimals and raises ``decimal.Inexact`` rather than round.
    A record in a currency other than ``currency`` (or, without it, than the first
    record's) raises InvalidField naming that record's vendor, ``currency`` and the code.
    No records sum to ``Decimal(0)``.
    """
    total = Decimal(0)
    for record in records:
        if currency is None:
            currency = record.currency
        elif record.currency != currency:
            raise InvalidField(
                vendor=record.vendor,
                field="currency",
                value=record.currency,
                detail=f"cannot add to amounts in {currency}",
            )
        total = _EXACT.add(total, record.amount)
    return total


def _format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# attrs' frozen ``__init__`` sets each slot through a bound ``object.__setattr__``, which
# costs about as much as the rest of mapping a balance. The mappings build their records
# here instead: the slots are set through their descriptors, then the class's own invariant
# check runs, exactly as ``__init__`` would run it.
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
_check = BalanceRecord.__attrs_post_init__


def new_record(
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
    """``BalanceRecord(...)`` for the mappings' hot path: the same fields, the same
    invariant check (TypeError or ValueError), without attrs' per-field setattr calls."""
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
    _check(record)
    return record
