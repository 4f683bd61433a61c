"""The closed vocabularies of the canonical record."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class BalanceType(enum.StrEnum):
    """ISO 20022 balance types (``BalanceType12Code``), the standard types that code list has
    no home for, plus ``UNCLASSIFIED``.

    The ISO 20022 types carry their 4-letter code (``iso_code``). Five standard types have
    none: UK Open Banking's cleared family (``OpeningCleared``, ``InterimCleared``,
    ``ClosingCleared``: money that has cleared, which is neither booked nor available) and
    Berlin Group's ``authorised`` (booked plus pending plus authorised-but-not-yet-booked
    transactions) and ``nonInvoiced`` (card transactions not yet invoiced). Folding them into
    a neighbour would misstate what the bank reported, so they are members of their own.
    ``UNCLASSIFIED`` is a vendor balance type that no alias maps; the record keeps the
    vendor's string in ``vendor_balance_type``.
    """

    OPENING_BOOKED = "OPENING_BOOKED"
    INTERIM_BOOKED = "INTERIM_BOOKED"
    CLOSING_BOOKED = "CLOSING_BOOKED"
    PREVIOUSLY_CLOSED_BOOKED = "PREVIOUSLY_CLOSED_BOOKED"
    OPENING_AVAILABLE = "OPENING_AVAILABLE"
    INTERIM_AVAILABLE = "INTERIM_AVAILABLE"
    CLOSING_AVAILABLE = "CLOSING_AVAILABLE"
    FORWARD_AVAILABLE = "FORWARD_AVAILABLE"
    EXPECTED = "EXPECTED"
    INFORMATION = "INFORMATION"
    OPENING_CLEARED = "OPENING_CLEARED"
    INTERIM_CLEARED = "INTERIM_CLEARED"
    CLOSING_CLEARED = "CLOSING_CLEARED"
    AUTHORISED = "AUTHORISED"
    NON_INVOICED = "NON_INVOICED"
    UNCLASSIFIED = "UNCLASSIFIED"

    @property
    def iso_code(self) -> str | None:
        """The 4-letter ISO 20022 code (``CLBD``, ``ITAV``, ...); None for the types ISO
        20022's code list has no code for, and for UNCLASSIFIED."""
        return ISO_CODES.get(self)


ISO_CODES: Mapping[BalanceType, str] = {
    BalanceType.OPENING_BOOKED: "OPBD",
    BalanceType.INTERIM_BOOKED: "ITBD",
    BalanceType.CLOSING_BOOKED: "CLBD",
    BalanceType.PREVIOUSLY_CLOSED_BOOKED: "PRCD",
    BalanceType.OPENING_AVAILABLE: "OPAV",
    BalanceType.INTERIM_AVAILABLE: "ITAV",
    BalanceType.CLOSING_AVAILABLE: "CLAV",
    BalanceType.FORWARD_AVAILABLE: "FWAV",
    BalanceType.EXPECTED: "XPCD",
    BalanceType.INFORMATION: "INFO",
}


class CreditDebit(enum.StrEnum):
    """Which side of the account the balance is on, for the account holder."""

    CREDIT = "CREDIT"
    DEBIT = "DEBIT"


class Freshness(enum.StrEnum):
    """Whether the vendor read the balance from the bank for this request."""

    LIVE = "LIVE"
    CACHED = "CACHED"
    UNKNOWN = "UNKNOWN"
