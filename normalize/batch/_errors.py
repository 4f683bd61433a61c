"""The batch job's errors, kept importable from here: they are defined, with every other
error of the library, in ``normalize._errors``."""

from __future__ import annotations

from .._errors import BodyTooLarge, InvalidEnvelope, MissingExtra

__all__ = ["BodyTooLarge", "InvalidEnvelope", "MissingExtra"]
