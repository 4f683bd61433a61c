"""The one alias table from vendor balance-type strings to ``BalanceType``.

Matching ignores case, spaces, hyphens and underscores, so ``closingBooked`` (Berlin
Group), ``ClosingBooked`` (UK Open Banking), ``CLOSING_BOOKED`` and ``closing booked`` are
one key. A string no alias knows is ``UNCLASSIFIED``; the record keeps the raw string.
"""

from __future__ import annotations

from ._types import BalanceType

_ALIASES: dict[BalanceType, tuple[str, ...]] = {
    # The spelled-out name that Berlin Group NextGenPSD2 and UK Open Banking both use
    # (camelCase vs PascalCase), then plain words seen in the wild. The ISO 20022 code and
    # the member's own name are added below, from the enum.
    BalanceType.OPENING_BOOKED: ("openingBooked",),
    BalanceType.INTERIM_BOOKED: (
        "interimBooked",
        # Finicity "clearedBalance" (also called posted, current or ledger balance) and
        # Token "current"; Open Banking Connect's sandbox sends "Current".
        "current",
        "cleared",
        "clearedBalance",
        "ledger",
        "posted",
    ),
    BalanceType.CLOSING_BOOKED: ("closingBooked",),
    BalanceType.PREVIOUSLY_CLOSED_BOOKED: ("previouslyClosedBooked",),
    BalanceType.OPENING_AVAILABLE: ("openingAvailable",),
    BalanceType.INTERIM_AVAILABLE: (
        "interimAvailable",
        # Finicity "availableBalance", Token "available", Connect sandbox "Available".
        "available",
        "availableBalance",
    ),
    BalanceType.CLOSING_AVAILABLE: ("closingAvailable",),
    BalanceType.FORWARD_AVAILABLE: ("forwardAvailable",),
    BalanceType.EXPECTED: ("expected",),
    BalanceType.INFORMATION: ("information",),
    # UK Open Banking v3 (OBBalanceType1Code) names the cleared family.
    BalanceType.OPENING_CLEARED: ("openingCleared",),
    BalanceType.INTERIM_CLEARED: ("interimCleared",),
    BalanceType.CLOSING_CLEARED: ("closingCleared",),
    # Berlin Group NextGenPSD2 balanceType values.
    BalanceType.AUTHORISED: ("authorised", "authorized"),
    BalanceType.NON_INVOICED: ("nonInvoiced",),
}


def _key(text: str) -> str:
    return text.replace("_", "").replace("-", "").replace(" ", "").casefold()


ALIASES: dict[str, BalanceType] = {
    _key(alias): balance_type
    for balance_type, aliases in _ALIASES.items()
    for alias in (*aliases, balance_type.value, balance_type.iso_code or balance_type.value)
}


# Strings already looked up, as sent: vendors repeat a handful of spellings. Bounded, since
# a batch of junk must not grow it without end.
_SEEN: dict[str, BalanceType] = {}
_SEEN_AT_MOST = 4096


def balance_type_of(vendor_balance_type: str | None) -> BalanceType:
    """The canonical balance type for a vendor's string; UNCLASSIFIED when unknown."""
    if not vendor_balance_type:
        return BalanceType.UNCLASSIFIED
    found = _SEEN.get(vendor_balance_type)
    if found is None:
        found = ALIASES.get(_key(vendor_balance_type), BalanceType.UNCLASSIFIED)
        if len(_SEEN) < _SEEN_AT_MOST:
            _SEEN[vendor_balance_type] = found
    return found
