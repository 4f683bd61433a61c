"""Money tables and parsers, once: exact amounts, minor units, the currency check.

Amounts never pass through float. A JSON number arrives here as the ``Decimal`` that the
decoder built from its text; a decimal string must match ``DECIMAL_TEXT``, so ``"12,50"``,
``"NaN"``, ``"Infinity"`` and ``"1e3"`` are errors rather than guesses. The sign rule, which
needs the record's side, is applied in ``_mapping.build_record``.
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

from iso4217 import Currency
from msgspec import UNSET

from ._errors import InvalidAmount, MissingField, UnknownCurrency

# A decimal string amount: optional minus, digits, optional fraction; nothing else.
DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_MINOR_UNITS_TEXT = re.compile(r"-?[0-9]+")

# The ISO 4217 table as the iso4217 package ships it (alpha-3 code -> Currency).
CURRENCIES: dict[str, Currency] = {member.code: member for member in Currency}
# Decimal places of each currency's minor unit (None: the table gives none, e.g. XAU).
MINOR_UNITS: dict[str, int | None] = {code: member.exponent for code, member in CURRENCIES.items()}
# Arithmetic that never rounds: moving the decimal point of any digit string is exact.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def parse_amount(raw: object, *, vendor: str, field: str) -> Decimal:
    """The exact Decimal of a wire amount: a JSON number (already a Decimal) or a
    decimal string such as ``"-12009.1000"``. Missing is an error, never zero."""
    if isinstance(raw, Decimal):
        if raw.is_finite():
            return raw
        raise InvalidAmount(vendor=vendor, field=field, value=str(raw))
    if isinstance(raw, str):
        if DECIMAL_TEXT.fullmatch(raw):
            return Decimal(raw)
        raise InvalidAmount(vendor=vendor, field=field, value=raw)
    if raw is None or raw is UNSET:
        raise MissingField(vendor=vendor, field=field)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    raise InvalidAmount(vendor=vendor, field=field, value=raw)


def parse_minor_units(
    raw: object, *, currency: str, vendor: str, field: str, currency_field: str
) -> Decimal:
    """An amount written in the currency's minor units, decimal point implied:
    ``"1000"`` GBP (2 decimals) is 10.00, JPY (0) stays 1000, BHD (3) is 1.000.
    ``currency`` is a code already checked by ``currency_code``."""
    if raw is None or raw is UNSET:
        raise MissingField(vendor=vendor, field=field)
    if not isinstance(raw, str) or not _MINOR_UNITS_TEXT.fullmatch(raw):
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
    return Decimal(raw).scaleb(-exponent, _EXACT)


def currency_code(raw: object, *, vendor: str, field: str) -> str:
    """The one currency check: ``raw`` itself when it is an ISO 4217 alpha-3 code of the
    iso4217 package's table; missing (absent, null, "") or unknown is an error."""
    if isinstance(raw, str) and raw in CURRENCIES:
        return raw
    if raw is None or raw is UNSET or raw == "":
        raise MissingField(vendor=vendor, field=field, value=raw)
    raise UnknownCurrency(vendor=vendor, field=field, value=raw)
