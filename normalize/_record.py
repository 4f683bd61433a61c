"""The canonical record and its enums. Knows nothing about vendors.

One validator, ``BalanceRecord.__attrs_post_init__``, checks every record however it is
made: the constructor, ``attrs.evolve``, the mappings' ``new_record`` and ``from_dict`` all
end there, so a record one of them accepts is a record each of them accepts, and its
``to_dict()`` matches the published JSON Schema (normalize._contract builds that schema from
the forms written below). A value of the wrong Python type is a TypeError; a value of the
right type that breaks a rule is a NormalizeError (a ValueError) naming the field.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact
from typing import Any, Literal, TypedDict, TypeVar

import attrs

from ._errors import (
    InvalidAmount,
    InvalidField,
    InvalidTimestamp,
    MalformedPayload,
    MissingField,
)
from ._money import (
    CURRENCIES,
    FRACTION_DIGITS,
    INTEGER_DIGITS,
    MAX_SCALE,
    MINOR_UNITS,
    amount_from_decimal_text,
    currency_code,
    in_range,
)
from ._types import BalanceType, CreditDebit, Freshness

E = TypeVar("E", bound=enum.StrEnum)
_ZERO = timedelta(0)
_DEBIT = CreditDebit.DEBIT

# The forms of to_dict's strings, written once: the validator and from_dict read them here,
# and normalize._contract puts them in the JSON Schema as ``^form$``. They are regular
# expressions that ECMA 262 (JSON Schema's dialect) and Python's re read alike: character
# classes, groups, alternation and counted repeats only.

AMOUNT_FORM = (
    rf"-?(0|[1-9][0-9]{{0,{INTEGER_DIGITS - 1}}})"
    rf"(\.[0-9]{{1,{FRACTION_DIGITS}}}0{{0,{MAX_SCALE - FRACTION_DIGITS}}})?"
)
"""An amount as to_dict writes it: plain notation, no leading zero, inside decimal(38, 18)
(at most 20 integer digits; at most 36 decimals, none but zeros past the 18th)."""

AMOUNT_TEXT_FORM = r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?"
"""What ``amount_text`` may hold: a decimal string or a JSON number's text."""

CURRENCY_FORM = r"[A-Z]{3}"
"""The form of an ISO 4217 alpha-3 code (the table itself is the iso4217 package's)."""

_YEAR = r"(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})"
# Years divisible by 4 but not by 100, and years divisible by 400 (0000 is not a year).
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))"
)
# isoformat() writes microseconds only when they are not zero.
_MICROSECONDS = (
    r"(\.([1-9][0-9]{5}|0[1-9][0-9]{4}|00[1-9][0-9]{3}|000[1-9][0-9]{2}|0000[1-9][0-9]"
    r"|00000[1-9]))?"
)
AS_OF_FORM = (
    rf"({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
    rf"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]{_MICROSECONDS}Z"
)
"""``as_of`` as to_dict writes it: a real date of the proleptic Gregorian calendar (years
0001 to 9999), a time without leap second, microseconds when not zero, ``Z``."""

_AMOUNT = re.compile(AMOUNT_FORM)
_AMOUNT_TEXT = re.compile(AMOUNT_TEXT_FORM)
_AS_OF = re.compile(AS_OF_FORM)
# Per currency with a minor unit, the exponent that moves minor units to major ("E-2").
_MINOR_UNITS_MOVED = {code: f"E-{places}" for code, places in MINOR_UNITS.items() if places}
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
    is the wire text for plain decimals such as ``1234.50`` and ``-0``; ``1e3`` reads
    ``1E+3``).

    Construction (``BalanceRecord(...)``, ``attrs.evolve``, ``from_dict``) checks every
    rule, so no record that breaks one can exist: a value of the wrong type (an amount that
    is no finite Decimal, a string where an enum member belongs, a ``date``) is a TypeError;
    an empty ``vendor`` or ``account_id`` a MissingField; an amount outside decimal(38, 18)
    or an ``amount_text`` that does not say the amount (``amount_text_agrees``) an
    InvalidAmount; a ``credit_debit`` that disagrees with the amount's sign (negative zero
    included) an InvalidField; a currency not in the ISO 4217 table an UnknownCurrency; an
    ``as_of`` that is not an aware UTC time an InvalidTimestamp. These errors are
    NormalizeErrors (ValueErrors) naming the field, so ``attrs.evolve(record, amount=...)``
    without the matching ``amount_text`` raises InvalidAmount on ``amount_text``.
    """

    vendor: str = attrs.field(
        metadata=_about("The vendor id, e.g. token-io or mastercard-send; never empty.")
    )
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
            " a decimal string in plain notation without leading zeros, never negative zero,"
            " inside decimal(38, 18): at most 20 integer digits, at most 36 decimals and none"
            " but zeros past the 18th."
        )
    )
    currency: str = attrs.field(
        metadata=_about(
            "ISO 4217 alpha-3 currency code of the iso4217 package's table (the pattern"
            " checks only the form)."
        )
    )
    as_of: datetime | None = attrs.field(
        metadata=_about(
            "When the vendor says the balance was true, ISO 8601 UTC ending in Z, with"
            " microseconds only when not zero; null when the vendor does not say."
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
            " (unsigned beside a credit/debit indicator). It says the amount, compared as"
            " exact decimals with scale aside: its value is the amount; or, without a minus"
            " sign, the amount's magnitude; or, digits only, the magnitude in the currency's"
            " minor units (1000 GBP is 10.00, 1000 JPY is 1000)."
        )
    )

    def __attrs_post_init__(self) -> None:
        # The one validator (see the module docstring). One method for every rule: cheaper
        # than a validator per field on the mappings' hot path. Types first, then the
        # value rules in field order, so which error is raised never depends on chance.
        vendor = self.vendor
        account_id = self.account_id
        credit_debit = self.credit_debit
        amount = self.amount
        currency = self.currency
        as_of = self.as_of
        amount_text = self.amount_text
        if (
            type(vendor) is not str
            or type(account_id) is not str
            or type(self.balance_type) is not BalanceType
            or (self.vendor_balance_type is not None and type(self.vendor_balance_type) is not str)
            or type(credit_debit) is not CreditDebit
            or type(amount) is not Decimal
            or not amount.is_finite()
            or type(currency) is not str
            or (as_of is not None and type(as_of) is not datetime)
            or type(self.freshness) is not Freshness
            or (self.operation is not None and type(self.operation) is not str)
            or type(amount_text) is not str
        ):
            raise _type_error(self)
        if not vendor:
            raise MissingField(vendor="?", field="vendor", value=vendor)
        if not account_id:
            raise MissingField(vendor=vendor, field="account_id", value=account_id)
        text = str(amount)
        # Twenty characters without an exponent hold at most 20 integer digits and 18
        # decimals: inside the range without the full check (the mappings' usual amount).
        if (len(text) > 20 or "E" in text) and not in_range(amount, text):
            raise InvalidAmount(
                vendor=vendor, field="amount", value=text, detail="out of range for decimal(38, 18)"
            )
        # Credit >= 0 and debit < 0; zero is credit and never negative zero.
        signed = amount.is_signed()
        if signed is not (credit_debit is _DEBIT) or (signed and not amount):
            raise InvalidField(
                vendor=vendor,
                field="credit_debit",
                value=credit_debit.value,
                detail=f"does not agree with amount {text}"
                + (" (zero is CREDIT and never negative)" if not amount else ""),
            )
        if currency not in CURRENCIES:
            currency_code(currency, vendor=vendor, field="currency")  # raises the right error
        if as_of is not None and as_of.tzinfo is not UTC and _utc_offset(as_of) != _ZERO:
            raise InvalidTimestamp(
                vendor=vendor, field="as_of", value=as_of, detail="not an aware UTC datetime"
            )
        # The usual provenance first, without parsing: the amount's own text (signed
        # vendors) or its magnitude's (indicator vendors).
        if (
            amount_text != text
            and not (signed and amount_text == text[1:])
            and not amount_text_agrees(amount_text, amount, currency)
        ):
            raise InvalidAmount(
                vendor=vendor,
                field="amount_text",
                value=amount_text,
                detail=f"disagrees with amount {text} {currency}"
                if _AMOUNT_TEXT.fullmatch(amount_text)
                else "not a decimal string or a JSON number's text",
            )

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
        """Rebuild a record from ``to_dict()`` output; anything ``to_dict`` could not have
        written raises a NormalizeError naming the field.

        ``data`` must hold every key of ``BalanceRecordDict`` and no other (an unknown key
        is an InvalidField naming it, checked first); nothing is defaulted, so a missing
        key, or null for a value that is never null, is a MissingField, and a value that is
        not a string (or null where null is allowed) an InvalidField. The strings are read
        in to_dict's forms (``AMOUNT_FORM``, ``AS_OF_FORM``, enum values), then the record
        is built, so every rule of the constructor holds: an ``amount_text`` that
        disagrees with ``amount`` (see ``amount_text_agrees``) is an InvalidAmount."""
        if not isinstance(data, Mapping):
            raise MalformedPayload(
                vendor="?", field="$", value=type(data).__name__, detail="not an object"
            )
        vendor = data.get("vendor")
        named = vendor if type(vendor) is str and vendor else "?"
        # Unknown keys first, by name: which error is reported never depends on key order.
        unknown = sorted((key for key in data if key not in _KEYS), key=str)
        if unknown:
            raise InvalidField(
                vendor=named, field=str(unknown[0]), value=data[unknown[0]], detail="unknown key"
            )
        values: dict[str, Any] = {}
        for name in _KEYS:
            if name not in data:
                raise MissingField(vendor=named, field=name, detail="key absent")
            value = data[name]
            if value is None:
                if name not in _NULLABLE:
                    raise MissingField(vendor=named, field=name, value=None)
            elif type(value) is not str:
                raise InvalidField(vendor=named, field=name, value=value, detail="not a string")
            else:
                value = _READERS.get(name, _read_text)(value, named, name)
            values[name] = value
        return cls(**values)


def _type_error(record: BalanceRecord) -> TypeError:
    """The TypeError for the first field of ``record`` whose value has the wrong type."""
    for name, kinds in _TYPES.items():
        value = getattr(record, name)
        if type(value) not in kinds or (type(value) is Decimal and not value.is_finite()):
            wanted = " or ".join("None" if kind is type(None) else kind.__name__ for kind in kinds)
            if name == "amount":
                wanted = "a finite Decimal"
            return TypeError(f"BalanceRecord.{name} must be {wanted}, not {value!r}")
    return TypeError("BalanceRecord: a field of the wrong type")  # not reached


def _utc_offset(moment: datetime) -> timedelta | None:
    try:
        return moment.utcoffset()
    except Exception:  # a tzinfo of the caller's that fails says no usable offset
        return None


_TYPES: dict[str, tuple[type, ...]] = {
    "vendor": (str,),
    "account_id": (str,),
    "balance_type": (BalanceType,),
    "vendor_balance_type": (str, type(None)),
    "credit_debit": (CreditDebit,),
    "amount": (Decimal,),
    "currency": (str,),
    "as_of": (datetime, type(None)),
    "freshness": (Freshness,),
    "operation": (str, type(None)),
    "amount_text": (str,),
}
# The keys of to_dict, in its order, and those whose value may be null.
_KEYS = tuple(BalanceRecordDict.__annotations__)
_NULLABLE = frozenset(("vendor_balance_type", "as_of", "operation"))


def _read_text(value: str, vendor: str, name: str) -> str:
    return value


def _read_member(kind: type[E]) -> Any:
    def read(value: str, vendor: str, name: str) -> E:
        try:
            return kind(value)
        except ValueError:
            raise InvalidField(
                vendor=vendor,
                field=name,
                value=value,
                detail=f"not one of {', '.join(member.value for member in kind)}",
            ) from None

    return read


def _read_amount(value: str, vendor: str, name: str) -> Decimal:
    if _AMOUNT.fullmatch(value):
        return Decimal(value)
    # Why not: the library's reader of a decimal string says (grammar, range) ...
    amount_from_decimal_text(value, vendor=vendor, field=name)
    # ... or it is a decimal in range that to_dict would have written otherwise.
    raise InvalidAmount(
        vendor=vendor, field=name, value=value, detail="leading zeros: to_dict writes none"
    )


def _read_as_of(value: str, vendor: str, name: str) -> datetime:
    if not _AS_OF.fullmatch(value):
        raise InvalidTimestamp(
            vendor=vendor,
            field=name,
            value=value,
            detail="not as to_dict writes it (YYYY-MM-DDTHH:MM:SS[.ffffff]Z, a real date)",
        )
    return datetime.fromisoformat(value)


_READERS: dict[str, Any] = {
    "balance_type": _read_member(BalanceType),
    "credit_debit": _read_member(CreditDebit),
    "freshness": _read_member(Freshness),
    "amount": _read_amount,
    "as_of": _read_as_of,
}


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
    # copy_abs, not unary minus or abs(), which round a long amount to 28 digits.
    magnitude = amount.copy_abs()
    moved = _MINOR_UNITS_MOVED.get(currency)
    if moved is not None and amount_text.isascii() and amount_text.isdigit():
        # Digits only (Send's minor units, or an unsigned decimal): in minor units, the
        # point moved by the currency's exponent exactly (a Decimal is built from its text
        # without rounding), or as it stands.
        return Decimal(amount_text + moved) == magnitude or Decimal(amount_text) == magnitude
    if not _AMOUNT_TEXT.fullmatch(amount_text):
        return False
    try:
        value = Decimal(amount_text)
    except ArithmeticError:  # an exponent past what a Decimal holds
        return False
    # A signed text is the amount; an unsigned one its magnitude.
    return value == amount if amount_text[0] == "-" else value == magnitude


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
# here instead: as an instance of ``_Unfrozen`` (a subclass that adds nothing to the
# record's layout and keeps object's own ``__setattr__``, so its slots are set by plain
# attribute stores), turned into a BalanceRecord (``__class__`` assignment, which Python
# allows between classes of one layout) before the class's own invariant check runs,
# exactly as ``__init__`` would run it. No ``_Unfrozen`` instance is ever seen outside.
_new = object.__new__


class _Unfrozen(BalanceRecord):
    __slots__ = ()
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__


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
    record: Any = _new(_Unfrozen)
    record.vendor = vendor
    record.account_id = account_id
    record.balance_type = balance_type
    record.vendor_balance_type = vendor_balance_type
    record.credit_debit = credit_debit
    record.amount = amount
    record.currency = currency
    record.as_of = as_of
    record.freshness = freshness
    record.operation = operation
    record.amount_text = amount_text
    record.__class__ = BalanceRecord
    _check(record)
    built: BalanceRecord = record
    return built
