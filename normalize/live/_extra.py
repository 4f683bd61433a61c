"""The check that the ``live`` extra is installed, made before anything of it is imported."""

from __future__ import annotations

import importlib

from .._errors import MissingExtra

EXTRA = "live"
NEEDS = ("cryptography",)
"""What live retrieval imports beyond the core (which brings httpx): ``cryptography`` signs
Mastercard OAuth 1.0a requests and reads PKCS#12 keys. ``brotli``, also in the extra, is
optional: without it the clients do not ask for brotli-encoded bodies."""


def require() -> None:
    """Raise ``normalize.MissingExtra("live", module)`` when a module the extra brings is
    not installed."""
    for module in NEEDS:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtra(EXTRA, module) from None
