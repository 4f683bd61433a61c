"""Live retrieval: call a vendor's balance endpoint and get canonical records.

Needs the ``live`` extra (``pip install 'balance-normalize[live]'``); without it, importing
this package raises ``normalize.MissingExtra`` (an ImportError; ``extra == "live"``,
``module`` the missing module).

Each vendor is described once (``VendorDescription``: environments, generated client,
credentials, operations) and served by one blocking and one asyncio client implementation
(``SyncClient``, ``AsyncClient``); ``OpenFinanceAU`` / ``AsyncOpenFinanceAU``, ... are those
two bound to a description. A request is built by the generated operation's
``_get_kwargs`` and sent with the vendor's own auth, within bounds (``_transport``,
``_bounded``).

One envelope in, one outcome out: the final answer of a call becomes an ``Envelope`` (body
as received, content type, operationId, status, trace id, time, and the request parameters
that decide its meaning, such as Open Finance US's ``balance_cache_interval``) and goes
through ``parse_envelope``, the parse of every other door (``parse_response``, the command
line, batch, Spark), so amounts are exact and a live answer means what its capture means.

Two forms of every operation:

* ``client.outcome.<operation>(...)`` returns the call's ``Outcome`` (awaited on an asyncio
  client): every record and every problem of the answer, nothing dropped (a Token.io
  several-accounts answer with one account's consent revoked is PARTIAL: the good accounts'
  records and one CONSENT_INVALID problem). It does not raise for what the vendor or the
  network did: a transport failure or the deadline is one VendorError UNAVAILABLE
  problem. It raises only for the caller's own mistakes (``InvalidRequest``, refused before
  sending).
* ``client.<operation>(...)``, the strict form, is built on it: the outcome's records, or
  its first problem raised (a ``VendorError``, or a ``NormalizeError`` when the answer
  cannot honestly become records).

Bounds, per client: ``deadline`` (seconds, 30 by default) for the whole call, every retry,
wait and body read, and the decoding and mapping of the answer (checked after reading and
after parsing: overrun by at most one parse of a body under the cap); ``timeout`` on every
socket operation; ``max_body_bytes`` (16 MiB) on the decoded body (``BodyTooLarge``, nothing
more read), under at most three content codings (``BadContentEncoding``, refused before
decoding); bounded retries (``RetryPolicy``); ``base_url`` must be an absolute http(s) URL
(ValueError when the client is built).

Recording: a client built with ``record=`` (a file path: each envelope appended as one JSON
line, flushed per line; or a callable given each envelope's JSON-ready dict) records the
final balance answer of every call whose outcome it made (never a token answer, never an
answer parsed past the deadline). ``python -m normalize batch FILE.jsonl --out DIR``
replays such a file to the same rows the live calls returned.

Credentials (``_auth``) are checked when a client is built (``InvalidCredential``) and never
appear in logs, reprs, messages or recordings: every form the client sent (each value, an
OAuth header and its signature, as sent and as JSON holds it) is masked as ``********`` in
the whole body before any error text quotes or cuts it, in every text of a problem, and in
the recorded envelope (body, content type, trace id): a body that echoes a credential is
recorded masked. A record repeating a credential is refused (a problem in its place).
"""

from __future__ import annotations

from ._extra import require

require()

import functools  # noqa: E402
import importlib  # noqa: E402
import importlib.util  # noqa: E402
from typing import TYPE_CHECKING, Any  # noqa: E402

from .._envelope import DEFAULT_MAX_BODY_BYTES  # noqa: E402
from .._errors import InvalidCredential, MissingExtra  # noqa: E402
from ..vendors import REGISTRY  # noqa: E402
from . import _logs  # noqa: E402
from ._auth import Secret  # noqa: E402
from ._client import (  # noqa: E402
    AsyncClient,
    AsyncOutcomes,
    SyncClient,
    SyncOutcomes,
    VendorDescription,
)
from ._transport import (  # noqa: E402
    DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT,
    RetryPolicy,
)


def _client_classes() -> dict[str, tuple[type[SyncClient], type[AsyncClient]]]:
    """Each vendor's (blocking, asyncio) client classes, from its vendor package's ``live``
    module (``normalize/vendors/<vendor>/live.py``): the SyncClient and the AsyncClient
    subclass it defines, each bound to the vendor's ``VendorDescription``."""
    found: dict[str, tuple[type[SyncClient], type[AsyncClient]]] = {}
    for vendor, module in REGISTRY.items():
        name = f"{module.__name__}.live"
        if importlib.util.find_spec(name) is None:
            continue  # a vendor read from captures only
        live = importlib.import_module(name)
        defined = [
            value
            for key, value in vars(live).items()
            if isinstance(value, type)
            and not key.startswith("_")
            and value.__module__ == name
            and issubclass(value, SyncClient | AsyncClient)
            and "description" in vars(value)
        ]
        sync = [c for c in defined if issubclass(c, SyncClient)]
        twin = [c for c in defined if issubclass(c, AsyncClient)]
        if len(sync) != 1 or len(twin) != 1 or {c.description.vendor for c in defined} != {vendor}:
            raise ImportError(
                f"{name} must define one SyncClient and one AsyncClient subclass for {vendor}"
            )
        found[vendor] = (sync[0], twin[0])
    return found


@functools.cache
def _loaded() -> dict[str, Any]:
    clients = _client_classes()
    names: dict[str, Any] = {
        "CLIENTS": clients,
        "DESCRIPTIONS": {vendor: sync.description for vendor, (sync, _) in clients.items()},
    }
    for sync, twin in clients.values():
        names[sync.__name__] = sync
        names[twin.__name__] = twin
    return names


def __getattr__(name: str) -> Any:
    # The vendors' client classes, CLIENTS and DESCRIPTIONS are loaded on first use: a
    # vendor's live module imports this package, which must not import it back.
    # Public names only: ``from normalize.live import _checks`` asks for a submodule here
    # first, and must not load the vendors' modules from inside one of them.
    if not name.startswith("_"):
        found = _loaded()
        if name in found:
            return found[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_loaded()})


CLIENTS: dict[str, tuple[type[SyncClient], type[AsyncClient]]]
"""Vendor id -> its (blocking, asyncio) client classes; ``.description`` on either."""
DESCRIPTIONS: dict[str, VendorDescription]
"""Vendor id -> its ``VendorDescription``."""

if TYPE_CHECKING:
    from .._live_names import *  # noqa: F403  (the client classes, by name)

_logs.install()

__all__ = [
    "CLIENTS",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_TIMEOUT",
    "DESCRIPTIONS",
    "AsyncClient",
    "AsyncOutcomes",
    "InvalidCredential",
    "MissingExtra",
    "RetryPolicy",
    "Secret",
    "SyncClient",
    "SyncOutcomes",
    "VendorDescription",
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
