"""Mastercard's API gateway error body, shared by Open Banking Connect and Send:
``{"Errors": {"Error": [{"Source", "ReasonCode", "Description", "Recoverable", "Details"}]}}``.

None of an item's fields is required (the gateway's published ErrorResponse, in
Mastercard/send-api-demo-app, requires none, and says Description is there only when there
is more to say than the ReasonCode); the first item is the error reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mastercard_open_banking_connect_client import wire as connect_wire
from mastercard_send_client import wire as send_wire

from .._errors import MalformedPayload, VendorError, VendorErrorCode
from .._mapping import Context, keys_of, present
from ._status import code_for_context

ERRORS_KEY = "Errors"
Errors = connect_wire.Errors | send_wire.Errors


def refuse_both(document: dict[str, Any], success_keys: frozenset[str], vendor: str) -> bool:
    """Whether the body is an error body; a body with both an ``Errors`` object and a
    success shape is refused, since it is neither answer."""
    error = ERRORS_KEY in document
    if error and not success_keys.isdisjoint(document):
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=keys_of(document),
            detail="both a balance and an error",
        )
    return error


def vendor_error(
    errors: Errors,
    context: Context,
    classify: Callable[[str, str], VendorErrorCode | None],
    status_codes: Mapping[str, Mapping[int, VendorErrorCode]],
) -> VendorError:
    """A VendorError for the first error of a decoded ``Errors`` body.

    ``classify(reason_code, description)`` gives the canonical code for the vendor's reason
    code (stripped: vendor examples pad it with spaces), or None to fall back on the status.
    """
    items: list[connect_wire.ErrorDetail] | list[send_wire.ErrorDetail] = (
        present(errors.errors.error) or []
    )
    first = items[0] if items else None
    reason = present(first.reason_code) if first else None
    description = present(first.description) if first else None
    code = classify((reason or "").strip(), description or "") if reason else None
    return VendorError(
        vendor=context.vendor,
        code=code or code_for_context(context, status_codes),
        vendor_code=reason,
        vendor_message=description,
        status=context.status,
        trace_id=context.trace_id,
    )
