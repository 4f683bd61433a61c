"""Bank-account balances from five vendor APIs as one canonical balance record.

>>> from normalize import normalize_response
>>> [r.to_dict()["amount"] for r in normalize_response(
...     "token-io",
...     b'{"balance": {"accountId": "a:1", "current": {"currency": "USD", "value": "12009.1000"},'
...     b' "available": {"currency": "USD", "value": "-5.00"}}, "status": "SUCCESSFUL_REQUEST"}',
... )]
['12009.1000', '-5.00']
"""

from typing import TYPE_CHECKING

from ._api import VENDORS, normalize_response, parse_response
from ._contract import balance_record_schema
from ._envelope import DEFAULT_MAX_BODY_BYTES, Envelope, envelope_from_line, parse_envelope
from ._errors import (
    BadContentEncoding,
    BodyTooLarge,
    InvalidAmount,
    InvalidCredential,
    InvalidEnvelope,
    InvalidField,
    InvalidRequest,
    InvalidTimestamp,
    MalformedPayload,
    MissingExtra,
    MissingField,
    NormalizeError,
    SignConflict,
    UnknownCurrency,
    UnknownEnumValue,
    UnknownVendor,
    UnreadableInput,
    VendorError,
    VendorErrorCode,
)
from ._live_names import LIVE_CLIENTS
from ._outcome import Outcome, OutcomeKind, Problem, Scope
from ._record import BalanceRecord, BalanceRecordDict, sum_amounts
from ._types import BalanceType, CreditDebit, Freshness
from ._version import __version__ as __version__

# The live clients need the ``live`` extra (cryptography, brotli): loaded on first use, so
# that normalizing captured bodies (and the command line) needs neither, nor pays for them.
# Without the extra, touching one raises normalize.MissingExtra (an ImportError) that names
# the extra. Their names come from each vendor package's live module (``_live_names``,
# written by scripts/regenerate).
_LIVE = frozenset({*LIVE_CLIENTS, "RetryPolicy", "Secret"})

if TYPE_CHECKING:
    from ._live_names import *  # noqa: F403
    from .live import RetryPolicy, Secret


def __getattr__(name: str) -> object:
    if name in _LIVE:
        from . import live

        return getattr(live, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "VENDORS",
    "BadContentEncoding",
    "BalanceRecord",
    "BalanceRecordDict",
    "BalanceType",
    "BodyTooLarge",
    "CreditDebit",
    "Envelope",
    "Freshness",
    "InvalidAmount",
    "InvalidCredential",
    "InvalidEnvelope",
    "InvalidField",
    "InvalidRequest",
    "InvalidTimestamp",
    "MalformedPayload",
    "MissingExtra",
    "MissingField",
    "NormalizeError",
    "Outcome",
    "OutcomeKind",
    "Problem",
    "RetryPolicy",
    "Scope",
    "Secret",
    "SignConflict",
    "UnknownCurrency",
    "UnknownEnumValue",
    "UnknownVendor",
    "UnreadableInput",
    "VendorError",
    "VendorErrorCode",
    "balance_record_schema",
    "envelope_from_line",
    "normalize_response",
    "parse_envelope",
    "parse_response",
    "sum_amounts",
]
# vendors: clients (written by scripts/regenerate from normalize/vendors/*/live.py)
__all__ += [
    "AsyncMastercardSend",
    "AsyncOpenBankingConnect",
    "AsyncOpenFinanceAU",
    "AsyncOpenFinanceUS",
    "AsyncTokenIO",
    "MastercardSend",
    "OpenBankingConnect",
    "OpenFinanceAU",
    "OpenFinanceUS",
    "TokenIO",
]
# vendors: end
