"""Canonical error codes for HTTP statuses, where a vendor's body does not say more."""

from __future__ import annotations

from collections.abc import Mapping

from .._errors import VendorErrorCode
from .._mapping import Context

_BY_STATUS = {
    400: VendorErrorCode.INVALID_REQUEST,
    401: VendorErrorCode.UNAUTHORIZED,
    403: VendorErrorCode.UNAUTHORIZED,
    404: VendorErrorCode.NOT_FOUND,
    408: VendorErrorCode.UNAVAILABLE,  # the server timed out waiting: nothing was wrong with us
    422: VendorErrorCode.INVALID_REQUEST,
    429: VendorErrorCode.RATE_LIMITED,
    500: VendorErrorCode.PROVIDER_ERROR,
    502: VendorErrorCode.UNAVAILABLE,
    503: VendorErrorCode.UNAVAILABLE,
    504: VendorErrorCode.UNAVAILABLE,
}


def code_for_status(status: int | None) -> VendorErrorCode:
    """What an HTTP status alone says; UNKNOWN without one."""
    if status is None:
        return VendorErrorCode.UNKNOWN
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if 500 <= status < 600:
        return VendorErrorCode.PROVIDER_ERROR
    if 400 <= status < 500:
        return VendorErrorCode.INVALID_REQUEST
    return VendorErrorCode.UNKNOWN


def code_for_context(
    context: Context, status_codes: Mapping[str, Mapping[int, VendorErrorCode]]
) -> VendorErrorCode:
    """What the response's status means for its operation (the operation's own reading
    first, such as 404 = NOT_CACHED for a cached balance), when the body does not say."""
    if context.status is not None:
        own = status_codes.get(context.operation or "", {}).get(context.status)
        if own is not None:
            return own
    return code_for_status(context.status)
