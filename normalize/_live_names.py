"""The live client classes of every vendor package (``normalize/vendors/<vendor>/
live.py``), by name. Written by ``scripts/regenerate`` (``--check`` compares): the
live package loads the classes themselves on first use; this names them before
that, for ``normalize``'s lazy names and for type checkers."""

from __future__ import annotations

from typing import TYPE_CHECKING

LIVE_CLIENTS: dict[str, str] = {
    "AsyncMastercardSend": "mastercard_send",
    "AsyncOpenBankingConnect": "mastercard_open_banking_connect",
    "AsyncOpenFinanceAU": "mastercard_open_finance_au",
    "AsyncOpenFinanceUS": "mastercard_open_finance_us",
    "AsyncTokenIO": "token_io",
    "MastercardSend": "mastercard_send",
    "OpenBankingConnect": "mastercard_open_banking_connect",
    "OpenFinanceAU": "mastercard_open_finance_au",
    "OpenFinanceUS": "mastercard_open_finance_us",
    "TokenIO": "token_io",
}
"""Client class name -> the vendor package (``normalize.vendors.<package>``)."""

if TYPE_CHECKING:
    from .vendors.mastercard_open_banking_connect.live import (
        AsyncOpenBankingConnect as AsyncOpenBankingConnect,
    )
    from .vendors.mastercard_open_banking_connect.live import (
        OpenBankingConnect as OpenBankingConnect,
    )
    from .vendors.mastercard_open_finance_au.live import (
        AsyncOpenFinanceAU as AsyncOpenFinanceAU,
    )
    from .vendors.mastercard_open_finance_au.live import (
        OpenFinanceAU as OpenFinanceAU,
    )
    from .vendors.mastercard_open_finance_us.live import (
        AsyncOpenFinanceUS as AsyncOpenFinanceUS,
    )
    from .vendors.mastercard_open_finance_us.live import (
        OpenFinanceUS as OpenFinanceUS,
    )
    from .vendors.mastercard_send.live import (
        AsyncMastercardSend as AsyncMastercardSend,
    )
    from .vendors.mastercard_send.live import (
        MastercardSend as MastercardSend,
    )
    from .vendors.token_io.live import (
        AsyncTokenIO as AsyncTokenIO,
    )
    from .vendors.token_io.live import (
        TokenIO as TokenIO,
    )
