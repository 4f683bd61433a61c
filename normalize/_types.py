"""The closed vocabularies of the canonical record."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class BalanceType(enum.StrEnum):
    """ISO 20022 balance types (``BalanceType12Code``), plus ``UNCLASSIFIED``.

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
    UNCLASSIFIED = "UNCLASSIFIED"

    @property
    def iso_code(self) -> str | None:
        """The 4-letter ISO 20022 code (``CLBD``, ``ITAV``, ...); None for UNCLASSIFIED."""
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
