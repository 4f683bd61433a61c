"""Mastercard's API gateway error body, shared by Open Banking Connect and Send:
``{"Errors": {"Error": [{"Source", "ReasonCode", "Description", "Recoverable", "Details"}]}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._errors import VendorError, VendorErrorCode
from .._mapping import Context
from ._status import code_for_status


def is_error_body(document: Any) -> bool:
    return isinstance(document, dict) and "Errors" in document


def vendor_error(
    errors: Any,
    context: Context,
    classify: Callable[[str, str], VendorErrorCode | None],
) -> VendorError:
    """A VendorError for the first error of a decoded ``Errors`` body.

    ``classify(reason_code, description)`` gives the canonical code for the vendor's reason
    code (stripped: vendor examples pad it with spaces), or None to fall back on the status.
    """
    first = errors.errors.error[0] if errors.errors.error else None
    reason = first.reason_code if first else None
    description = first.description if first else None
    code = classify((reason or "").strip(), description or "") if first else None
    return VendorError(
        vendor=context.vendor,
        code=code or code_for_status(context.status),
        vendor_code=reason,
        vendor_message=description,
        status=context.status,
        trace_id=context.trace_id,
    )
