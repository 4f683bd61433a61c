"""Errors of the batch job and the command line; none of them needs the batch extra.

::

    NormalizeError(ValueError)
    └── MalformedPayload
        ├── InvalidEnvelope     a capture line that is not an envelope (field, value named)
        └── BodyTooLarge        a body (capture line or raw file) larger than the cap
    ImportError
    └── MissingExtra            a feature's extra is not installed
"""

from __future__ import annotations

from .._errors import MalformedPayload


class InvalidEnvelope(MalformedPayload):
    """A capture line that is not an envelope: not one JSON object, a required key missing,
    a key of the wrong type or unknown. ``vendor`` is the envelope's vendor when it names
    one (else ``"?"``), ``field`` the envelope key (``$`` for the line)."""

    reason = "invalid envelope"


class BodyTooLarge(MalformedPayload):
    """A response larger than the cap the job was given; ``value`` is its size in bytes."""

    reason = "larger than the body size cap"


class MissingExtra(ImportError):
    """A feature needs an extra that is not installed (``pip install 'balance-normalize[X]'``)."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"this needs the '{extra}' extra ({module} is not installed): "
            f"pip install 'balance-normalize[{extra}]'"
        )
