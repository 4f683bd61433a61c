"""Keeping credentials out of the logs of httpx, httpcore and this library.

The clients never log a header or a body, and httpx and httpcore log none of the request's
headers. But httpcore logs every response's headers at DEBUG, and a server may echo a
request's ``Authorization`` in one; a URL or an exception message could in principle carry
one too. So a filter sits on each of these loggers: a record whose text holds a credential
value that a live client sends (``VendorAuth.sent_values``) has it replaced by
``********`` before any handler sees it. The filter costs nothing unless those loggers are
enabled, and touches only records that hold a credential.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable
from typing import Protocol

from .._errors import mask_text
from ._auth import credential_forms

LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "normalize.live",
)


class _Sends(Protocol):
    def sent_values(self) -> Iterable[str]: ...


_AUTHS: weakref.WeakSet[_Sends] = weakref.WeakSet()
_LOCK = threading.Lock()


def watch(auth: _Sends) -> None:
    """Keeps ``auth``'s credential values out of the logs for as long as it lives."""
    with _LOCK:
        _AUTHS.add(auth)


def _values() -> list[str]:
    with _LOCK:
        auths = list(_AUTHS)
    return credential_forms(value for auth in auths for value in auth.sent_values())


class RedactCredentials(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:  # a record that cannot be formatted is not ours to mend
            return True
        masked = mask_text(text, _values())
        if masked != text:
            record.msg, record.args = masked, ()
        return True


_FILTER = RedactCredentials()


def install() -> None:
    """Puts the filter on each logger (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
