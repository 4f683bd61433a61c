"""Live retrieval: call a vendor's balance endpoint and get canonical records.

Needs the ``live`` extra (``pip install 'balance-normalize[live]'``); without it, importing
this package raises ``LiveExtraMissing``, an ImportError that names the extra.

Each vendor is described once (``VendorDescription``: environments, generated client,
credentials, operations) and served by one blocking and one asyncio client implementation
(``SyncClient``, ``AsyncClient``); ``OpenFinanceAU`` / ``AsyncOpenFinanceAU``, ... are those
two bound to a description. A request is built by the generated operation's
``_get_kwargs``, sent with the vendor's own auth within a deadline for the whole call
(``deadline``), a timeout on every socket operation (``timeout``), a cap on the decoded
body (``max_body_bytes``) and bounded retries (``RetryPolicy``), and the response bytes go
through ``parse_response``, so amounts are exact. Every call returns ``list[BalanceRecord]``
or raises a ``VendorError`` (the vendor said no, or could not be reached in time) or a
``NormalizeError`` (the answer cannot honestly become records; ``InvalidRequest`` when the
request was refused before sending). See ``_transport`` for the retry and error rules and
``_auth`` for the credentials, which are checked when a client is built
(``InvalidCredential``) and never appear in logs, reprs or messages.
"""

from __future__ import annotations

from ._extra import LiveExtraMissing, require

require()

from . import _logs  # noqa: E402
from ._auth import InvalidCredential, Secret  # noqa: E402
from ._client import AsyncClient, SyncClient, VendorDescription  # noqa: E402
from ._transport import (  # noqa: E402
    DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TIMEOUT,
    RetryPolicy,
)
from .mastercard_open_banking_connect import (  # noqa: E402
    AsyncOpenBankingConnect,
    OpenBankingConnect,
)
from .mastercard_open_finance_au import AsyncOpenFinanceAU, OpenFinanceAU  # noqa: E402
from .mastercard_open_finance_us import AsyncOpenFinanceUS, OpenFinanceUS  # noqa: E402
from .mastercard_send import AsyncMastercardSend, MastercardSend  # noqa: E402
from .token_io import AsyncTokenIO, TokenIO  # noqa: E402

CLIENTS: dict[str, tuple[type[SyncClient], type[AsyncClient]]] = {
    client.description.vendor: (client, twin)
    for client, twin in (
        (OpenFinanceAU, AsyncOpenFinanceAU),
        (OpenFinanceUS, AsyncOpenFinanceUS),
        (OpenBankingConnect, AsyncOpenBankingConnect),
        (MastercardSend, AsyncMastercardSend),
        (TokenIO, AsyncTokenIO),
    )
}
"""Vendor id -> its (blocking, asyncio) client classes; ``.description`` on either."""

_logs.install()

DESCRIPTIONS: dict[str, VendorDescription] = {
    vendor: sync.description for vendor, (sync, _) in CLIENTS.items()
}

__all__ = [
    "CLIENTS",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_TIMEOUT",
    "DESCRIPTIONS",
    "AsyncClient",
    "AsyncMastercardSend",
    "AsyncOpenBankingConnect",
    "AsyncOpenFinanceAU",
    "AsyncOpenFinanceUS",
    "AsyncTokenIO",
    "InvalidCredential",
    "LiveExtraMissing",
    "MastercardSend",
    "OpenBankingConnect",
    "OpenFinanceAU",
    "OpenFinanceUS",
    "RetryPolicy",
    "Secret",
    "SyncClient",
    "TokenIO",
    "VendorDescription",
]
