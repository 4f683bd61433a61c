"""Live retrieval: call a vendor's balance endpoint and get canonical records.

One client class per vendor, blocking and asyncio (``OpenFinanceAU`` /
``AsyncOpenFinanceAU``, ...), each over the vendor's generated client: the request is built
by the generated operation's ``_get_kwargs``, sent with the vendor's own auth, a timeout on
every attempt and bounded retries (``RetryPolicy``), and the response bytes go through
``normalize_response``, so amounts are exact. Every call returns ``list[BalanceRecord]`` or
raises a ``VendorError`` (the vendor said no, or could not be reached) or a
``NormalizeError`` (the answer cannot honestly become records; ``InvalidRequest`` when the
request was refused before sending). See ``_transport`` for the retry and error rules and
``_auth`` for the credentials, which never appear in logs, reprs or messages.
"""

from __future__ import annotations

from ._auth import Secret
from ._transport import RetryPolicy
from .mastercard_open_banking_connect import AsyncOpenBankingConnect, OpenBankingConnect
from .mastercard_open_finance_au import AsyncOpenFinanceAU, OpenFinanceAU
from .mastercard_open_finance_us import AsyncOpenFinanceUS, OpenFinanceUS
from .mastercard_send import AsyncMastercardSend, MastercardSend
from .token_io import AsyncTokenIO, TokenIO

__all__ = [
    "AsyncMastercardSend",
    "AsyncOpenBankingConnect",
    "AsyncOpenFinanceAU",
    "AsyncOpenFinanceUS",
    "AsyncTokenIO",
    "MastercardSend",
    "OpenBankingConnect",
    "OpenFinanceAU",
    "OpenFinanceUS",
    "RetryPolicy",
    "Secret",
    "TokenIO",
]
