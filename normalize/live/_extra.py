"""The check that the ``live`` extra is installed, made before anything of it is imported."""

from __future__ import annotations

import importlib

EXTRA = "live"
NEEDS = ("cryptography",)
"""What live retrieval imports beyond the core (which brings httpx): ``cryptography`` signs
Mastercard OAuth 1.0a requests and reads PKCS#12 keys. ``brotli``, also in the extra, is
optional: without it the clients do not ask for brotli-encoded bodies."""


class LiveExtraMissing(ImportError):
    """Live retrieval was used without the ``live`` extra installed."""

    def __init__(self, missing: str) -> None:
        super().__init__(
            f"live retrieval needs the 'live' extra ({missing} is not installed): "
            "pip install 'balance-normalize[live]'",
            name=missing,
        )


def require() -> None:
    for module in NEEDS:
        try:
            importlib.import_module(module)
        except ImportError:
            raise LiveExtraMissing(module) from None
