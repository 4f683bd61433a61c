"""Bank-account balances from five vendor APIs as one canonical balance record.

>>> from normalize import normalize_response
>>> [r.to_dict()["amount"] for r in normalize_response(
...     "token-io",
...     b'{"balance": {"accountId": "a:1", "current": {"currency": "USD", "value": "12009.1000"},'
...     b' "available": {"currency": "USD", "value": "-5.00"}}, "status": "SUCCESSFUL_REQUEST"}',
... )]
['12009.1000', '-5.00']
"""

from ._api import VENDORS, normalize_response
from ._errors import (
    InvalidAmount,
    InvalidField,
    InvalidTimestamp,
    MalformedPayload,
    MissingField,
    NormalizeError,
    SignConflict,
    UnknownCurrency,
    UnknownEnumValue,
    UnknownVendor,
    VendorError,
    VendorErrorCode,
)
from ._record import BalanceRecord
from ._types import BalanceType, CreditDebit, Freshness

__all__ = [
    "VENDORS",
    "BalanceRecord",
    "BalanceType",
    "CreditDebit",
    "Freshness",
    "InvalidAmount",
    "InvalidField",
    "InvalidTimestamp",
    "MalformedPayload",
    "MissingField",
    "NormalizeError",
    "SignConflict",
    "UnknownCurrency",
    "UnknownEnumValue",
    "UnknownVendor",
    "VendorError",
    "VendorErrorCode",
    "normalize_response",
]
