"""Checks on what the caller asks us to send, made before anything is sent.

Each mirrors a constraint of our spec (``specs/<vendor>/openapi.yaml``), so a request the
vendor (or Prism, in the tests) would refuse is refused here with an ``InvalidRequest``
naming the field, and never reaches the wire.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .._errors import InvalidRequest

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def text(
    value: object,
    *,
    vendor: str,
    field: str,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
) -> str:
    """A non-empty string within ``max_length`` that matches ``pattern`` (whole string)."""
    if not isinstance(value, str):
        raise InvalidRequest(vendor=vendor, field=field, value=value, detail="expected a string")
    if not value:
        raise InvalidRequest(vendor=vendor, field=field, value=value, detail="must not be empty")
    if max_length is not None and len(value) > max_length:
        raise InvalidRequest(
            vendor=vendor, field=field, value=value, detail=f"longer than {max_length}"
        )
    if pattern is not None and not pattern.fullmatch(value):
        raise InvalidRequest(
            vendor=vendor, field=field, value=value, detail=f"does not match {pattern.pattern}"
        )
    return value


def optional_text(
    value: object,
    *,
    vendor: str,
    field: str,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
) -> str | None:
    if value is None:
        return None
    return text(value, vendor=vendor, field=field, max_length=max_length, pattern=pattern)


def texts(values: object, *, vendor: str, field: str) -> list[str]:
    """A non-empty sequence of non-empty strings (a lone string is refused, not split)."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence) or not values:
        raise InvalidRequest(
            vendor=vendor,
            field=field,
            value=values,
            detail="expected a non-empty list of strings",
        )
    return [text(value, vendor=vendor, field=f"{field}[{i}]") for i, value in enumerate(values)]


def integer(value: object, *, vendor: str, field: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InvalidRequest(
            vendor=vendor,
            field=field,
            value=value,
            detail=f"expected an integer from {minimum} to {maximum}",
        )
    return value


# What an HTTP header value can carry here: visible ASCII and spaces (httpx encodes header
# values as ASCII; CR and LF would split the header).
_HEADER_VALUE = re.compile(r"[ -~]+")


def header_text(value: object, *, vendor: str, field: str) -> str:
    """A non-empty string that can be sent as an HTTP header value."""
    checked = text(value, vendor=vendor, field=field)
    if not _HEADER_VALUE.fullmatch(checked):
        raise InvalidRequest(
            vendor=vendor,
            field=field,
            value=checked,
            detail="a header value holds visible ASCII and spaces only",
        )
    return checked
