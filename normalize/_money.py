"""Money rules, once: the amount grammar of each wire form, the canonical range, minor units
and the currency check.

Amounts never pass through float. There are three wire forms, each read by one function:

* a JSON number (Open Finance, Open Banking Connect): the exact ``Decimal`` (or ``int``)
  that the JSON decoder built from its text; JSON's own grammar already held;
* a decimal string (Token ``Money.value``, Connect's page form): ASCII digits, an optional
  leading minus, at most one point with digits on both sides, nothing else (no spaces,
  ``+``, ``_``, exponents, ``NaN``, other scripts' digits);
* a minor-units string (Mastercard Send): ASCII digits with an optional leading minus, the
  point implied by the currency's ISO 4217 exponent.

Every accepted amount lies in one canonical range: exactly representable as
``decimal(38, 18)`` (at most 20 integer digits, no non-zero digit past the 18th decimal),
the exact type that Arrow/Parquet decimal128, Spark and DuckDB share. The amount keeps the
vendor's own scale (``12009.1000`` stays so); a wire text may add zeros past the 18th
decimal up to ``MAX_SCALE`` digits. Anything else is ``InvalidAmount`` ("out of range"). The
sign rule, which needs the record's side, is applied in ``_mapping.build_record``.
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from iso4217 import Currency
from msgspec import UNSET

from ._decode import NegativeZero
from ._errors import InvalidAmount, MissingField, UnknownCurrency

INTEGER_DIGITS = 20
"""At most this many digits before the point (``decimal(38, 18)``)."""
FRACTION_DIGITS = 18
"""No non-zero digit after this many decimals (``decimal(38, 18)``)."""
MAX_SCALE = 36
"""At most this many digits after the point as written (zeros past the 18th included), and
no exponent that would write a number longer than the range needs."""

# The decimal string form: optional minus, ASCII digits, optional point with digits after.
DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_MINOR_UNITS_TEXT = re.compile(r"-?[0-9]+")
# Longest text the range allows: sign, 20 integer digits (leading zeros aside, bounded
# too), point, MAX_SCALE decimals. Longer texts are refused before any conversion.
_MAX_TEXT = 1 + 40 + 1 + MAX_SCALE

# The ISO 4217 table as the iso4217 package ships it (alpha-3 code -> Currency).
CURRENCIES: dict[str, Currency] = {member.code: member for member in Currency}
# Decimal places of each currency's minor unit (None: the table gives none, e.g. XAU).
MINOR_UNITS: dict[str, int | None] = {code: member.exponent for code, member in CURRENCIES.items()}
# Arithmetic that never rounds: moving the decimal point of any digit string is exact.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def in_range(value: Decimal, text: str | None = None) -> bool:
    """Whether a finite Decimal is exactly representable as ``decimal(38, 18)`` and written
    with at most ``MAX_SCALE`` decimals. ``text`` is ``str(value)`` when the caller has it."""
    # str() of a Decimal is plain notation exactly when its exponent is <= 0 and its
    # adjusted exponent >= -6 (the decimal specification's to-scientific-string): then
    # the digits before and after the point are the integer digits and the scale. The
    # digit tuple, slower to build, reads every other case.
    if text is None:
        text = str(value)
    if "E" not in text:
        if len(text) <= INTEGER_DIGITS:
            # Twenty characters hold at most 20 integer digits, and at most 18 decimals
            # (plain notation writes a digit before the point).
            return True
        integer, _, fraction = text.lstrip("-").partition(".")
        if len(integer) > INTEGER_DIGITS:
            return False
        if len(fraction) <= FRACTION_DIGITS:
            return True
        return len(fraction) <= MAX_SCALE and not fraction[FRACTION_DIGITS:].strip("0")
    _, digits, exponent = value.as_tuple()
    if type(exponent) is not int:  # NaN, Infinity
        return False
    # Digits before the point: the coefficient's digits moved by the exponent.
    if len(digits) + exponent > INTEGER_DIGITS:
        return False
    if exponent >= -FRACTION_DIGITS:
        return True
    if exponent < -MAX_SCALE:
        return False
    # Written with more than 18 decimals: every digit past the 18th must be zero.
    return not any(digits[exponent + FRACTION_DIGITS :])


def _out_of_range(raw: object, *, vendor: str, field: str) -> InvalidAmount:
    return InvalidAmount(
        vendor=vendor, field=field, value=raw, detail="out of range for decimal(38, 18)"
    )


def amount_from_json_number(raw: object, *, vendor: str, field: str) -> tuple[Decimal, str]:
    """The exact amount of a JSON number (a Decimal or int from the decoder) and its text
    (``str`` of the exact Decimal: ``1234.50`` stays so, ``1e3`` reads ``1E+3``, the integer
    ``-0`` reads ``-0``). A string, a boolean or anything else is not a JSON number; missing
    is an error, never zero."""
    if type(raw) is Decimal:
        text = str(raw)
        if not raw.is_finite():
            raise InvalidAmount(vendor=vendor, field=field, value=text)
        if not in_range(raw, text):
            raise _out_of_range(text, vendor=vendor, field=field)
        return raw, text
    if raw is None or raw is UNSET:
        raise MissingField(vendor=vendor, field=field, value=None)
    if type(raw) is NegativeZero:
        return _NEGATIVE_ZERO, "-0"
    if type(raw) is int:
        # Bounded before any conversion: a 5,000-digit integer is refused, not printed.
        if -_INT_LIMIT < raw < _INT_LIMIT:
            return Decimal(raw), str(raw)
        raise InvalidAmount(
            vendor=vendor,
            field=field,
            value=f"<integer of {raw.bit_length()} bits>",
            detail="out of range for decimal(38, 18)",
        )
    raise InvalidAmount(vendor=vendor, field=field, value=raw, detail="not a JSON number")


_INT_LIMIT = 10**INTEGER_DIGITS
_NEGATIVE_ZERO = Decimal("-0")


def amount_from_decimal_text(raw: object, *, vendor: str, field: str) -> Decimal:
    """The exact amount of a decimal string such as ``"-12009.1000"``."""
    if raw is None or raw is UNSET:
        raise MissingField(vendor=vendor, field=field, value=None)
    if type(raw) is not str:
        raise InvalidAmount(vendor=vendor, field=field, value=raw, detail="not a decimal string")
    if len(raw) > _MAX_TEXT:
        raise _out_of_range(raw, vendor=vendor, field=field)
    if not DECIMAL_TEXT.fullmatch(raw):
        raise InvalidAmount(vendor=vendor, field=field, value=raw, detail="not a decimal string")
    value = Decimal(raw)
    if not in_range(value):
        raise _out_of_range(raw, vendor=vendor, field=field)
    return value


def amount_from_minor_units(
    raw: object, *, currency: str, vendor: str, field: str, currency_field: str
) -> Decimal:
    """An amount written in the currency's minor units, decimal point implied:
    ``"1000"`` GBP (2 decimals) is 10.00, JPY (0) stays 1000, BHD (3) is 1.000.
    ``currency`` is a code already checked by ``currency_code``."""
    if raw is None or raw is UNSET:
        raise MissingField(vendor=vendor, field=field, value=None)
    if type(raw) is not str or len(raw) > _MAX_TEXT or not _MINOR_UNITS_TEXT.fullmatch(raw):
        raise InvalidAmount(vendor=vendor, field=field, value=raw, detail="not minor units")
    exponent = MINOR_UNITS[currency]
    if exponent is None:
        raise UnknownCurrency(
            vendor=vendor,
            field=currency_field,
            value=currency,
            detail="ISO 4217 gives it no minor unit",
        )
    # In the default context scaleb() would round to 28 digits.
    value = Decimal(raw).scaleb(-exponent, _EXACT)
    if not in_range(value):
        raise _out_of_range(raw, vendor=vendor, field=field)
    return value


def currency_code(raw: object, *, vendor: str, field: str) -> str:
    """The one currency check: ``raw`` itself when it is an ISO 4217 alpha-3 code of the
    iso4217 package's table; missing (absent, null, "") or unknown is an error."""
    if type(raw) is str and raw in CURRENCIES:
        return raw
    if raw is None or raw is UNSET or raw == "":
        raise MissingField(vendor=vendor, field=field, value=None if raw is UNSET else raw)
    raise UnknownCurrency(vendor=vendor, field=field, value=raw)
