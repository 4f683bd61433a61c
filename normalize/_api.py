"""The one path from a vendor response to canonical records: ``parse_response``.

bytes (or str) -> one exact document (JSON, or hardened XML) -> the vendor module reads it
into its root wire struct (success and error shapes alike) and maps it -> an ``Outcome``.
What an HTTP status, a content type and a body mean together is decided here, once, for
``parse_response``, ``normalize_response`` and the live clients alike:

* no status, or 2xx: a balance body gives its records (and a problem per bad balance); the
  vendor's error body gives its VendorError; anything else is bad input (NormalizeError).
* any other status: the vendor's error body gives its VendorError (its own code first, then
  the status); a balance body, or a body that is not the vendor's (an HTML page from a
  gateway, a ``text/plain`` 401, an empty body), gives a VendorError whose code comes from
  the status (read through the operation's own status meanings, such as Open Finance AU's
  cached balance, where 404 is NOT_CACHED) and whose ``vendor_message`` quotes the start of
  the body. Balances under an error status are not trusted as an answer.
"""

from __future__ import annotations

from ._decode import Body, as_bytes, decode_json, is_xml
from ._errors import (
    InvalidField,
    MalformedPayload,
    NormalizeError,
    UnknownVendor,
    VendorError,
    masked,
    secrets_active,
)
from ._mapping import Collector, Context
from ._outcome import Outcome, Problem, Scope, new_outcome
from ._record import BalanceRecord
from ._types import Freshness
from .vendors import REGISTRY, VendorModule
from .vendors._status import code_for_context

VENDORS: tuple[str, ...] = tuple(REGISTRY)
_BARE = {vendor: Context(vendor) for vendor in VENDORS}
_SNIPPET = 80


def parse_response(
    vendor: str,
    body: Body,
    *,
    content_type: str | None = None,
    operation: str | None = None,
    freshness: Freshness | None = None,
    status: int | None = None,
    trace_id: str | None = None,
) -> Outcome:
    """What one vendor response amounts to, as a value: its records and its problems.

    ``body`` is the response body as received (bytes, or str). ``content_type`` says JSON
    or XML (without it, a body starting with ``<`` is XML). ``operation`` is the vendor's
    operationId (older spellings are accepted too), ``freshness`` overrides what the
    operation implies, ``status`` is the HTTP status and ``trace_id`` the vendor's
    correlation or trace id: what the caller knows beyond the body.

    Never raises for what the body holds. Raises TypeError for a body that is not bytes,
    bytearray, memoryview or str (or a content type that is not a str), UnknownVendor for a
    vendor id the library does not know and InvalidField for an operation the vendor does
    not have, a status that is no HTTP status or a freshness that is no Freshness.
    """
    module = REGISTRY.get(vendor) if isinstance(vendor, str) else None
    if module is None:
        module = _module(vendor)  # raises UnknownVendor
    canonical = None if operation is None else _operation(module, operation)
    if status is not None and (type(status) is not int or not 100 <= status <= 599):
        raise InvalidField(
            vendor=module.VENDOR, field="status", value=status, detail="an HTTP status, 100-599"
        )
    if freshness is not None and not isinstance(freshness, Freshness):
        try:
            freshness = Freshness(freshness)
        except (ValueError, TypeError):
            raise InvalidField(
                vendor=module.VENDOR,
                field="freshness",
                value=freshness,
                detail=f"one of {', '.join(Freshness)}",
            ) from None
    if content_type is not None and not isinstance(content_type, str):
        raise TypeError(f"content_type must be a str or None, not {type(content_type).__name__}")
    data = body if type(body) is bytes else as_bytes_or_problem(body, vendor)
    if isinstance(data, Problem):
        return _finish(vendor, Collector(), data.error, status, trace_id, canonical, module, b"")
    if canonical is None and freshness is None and status is None and trace_id is None:
        context = _BARE[vendor]  # the common case: the caller knows nothing beyond the body
    else:
        context = Context(vendor, canonical, freshness, status, trace_id, False)
    collector = Collector()
    try:
        try:
            if is_xml(data, content_type):
                reader = module.from_xml
                if reader is None:
                    raise MalformedPayload(
                        vendor=vendor,
                        field="$",
                        value=content_type,
                        detail="this vendor answers in JSON",
                    )
                document = reader(data)
                context = context._replace(is_xml=True)
            else:
                document = decode_json(data, vendor=vendor)
            module.read(document, context, collector)
        except RecursionError:
            # Every depth the library reads is bounded; a tiny recursion limit set by the
            # caller can still run out on an ordinary body.
            raise MalformedPayload(
                vendor=vendor, field="$", value=None, detail="nested too deeply"
            ) from None
    except (NormalizeError, VendorError) as error:
        return _finish(vendor, collector, error, status, trace_id, canonical, module, data)
    if status is None:  # what _finish gives without an error or a status, directly
        return new_outcome(vendor, tuple(collector.records), tuple(collector.problems))
    return _finish(vendor, collector, None, status, trace_id, canonical, module, data)


def as_bytes_or_problem(body: Body, vendor: str) -> bytes | Problem:
    try:
        return as_bytes(body, vendor=vendor)
    except NormalizeError as error:
        return Problem(error=error, scope=Scope.RESPONSE)


def _finish(
    vendor: str,
    collector: Collector,
    error: NormalizeError | VendorError | None,
    status: int | None,
    trace_id: str | None,
    operation: str | None,
    module: VendorModule,
    body: bytes,
) -> Outcome:
    if error is None and (status is None or 200 <= status < 300):
        return new_outcome(vendor, tuple(collector.records), tuple(collector.problems))
    if status is not None and not 200 <= status < 300 and not isinstance(error, VendorError):
        # An error status: the body is not the vendor's error body (a balance body, or
        # something else entirely), so the status says what happened.
        return Outcome(
            vendor=vendor,
            problems=(
                Problem(
                    error=VendorError(
                        vendor=vendor,
                        code=code_for_context(
                            Context(vendor, operation, status=status), module.STATUS_CODES
                        ),
                        vendor_message=_body_snippet(body) if error is not None else None,
                        status=status,
                        trace_id=trace_id,
                    ),
                    scope=Scope.RESPONSE,
                ),
            ),
        )
    if error is not None:
        problem = Problem(
            error=error,
            scope=Scope.RESPONSE,
            account_id=error.account_id if isinstance(error, VendorError) else None,
        )
        return Outcome(vendor=vendor, records=tuple(collector.records), problems=(problem,))
    return Outcome(
        vendor=vendor, records=tuple(collector.records), problems=tuple(collector.problems)
    )


def _body_snippet(body: bytes) -> str | None:
    # With secrets to mask, they are masked in the whole body (as received, before its
    # whitespace is collapsed) and only then cut.
    start = body if secrets_active() else body[: _SNIPPET * 4]
    text = " ".join(masked(start.decode("utf-8", "replace")).split())
    return text[:_SNIPPET] or None


def _module(vendor: str) -> VendorModule:
    module = REGISTRY.get(vendor) if isinstance(vendor, str) else None
    if module is None:
        raise UnknownVendor(
            vendor=str(vendor), field="vendor", value=vendor, detail=f"known: {', '.join(VENDORS)}"
        )
    return module


def _operation(module: VendorModule, operation: str | None) -> str | None:
    if operation is None:
        return None
    if operation in module.OPERATIONS:
        return operation
    canonical = module.OPERATION_ALIASES.get(operation)
    if canonical is None:
        raise InvalidField(
            vendor=module.VENDOR,
            field="operation",
            value=operation,
            detail=f"known: {', '.join(module.OPERATIONS)}",
        )
    return canonical


def normalize_response(
    vendor: str,
    body: Body,
    *,
    content_type: str | None = None,
    operation: str | None = None,
    freshness: Freshness | None = None,
    status: int | None = None,
    trace_id: str | None = None,
) -> list[BalanceRecord]:
    """The strict call: the records of ``parse_response``, or its first problem raised.

    Raises a NormalizeError subclass for input that cannot honestly become records, and a
    VendorError when the response is the vendor's own error (or an error status).
    """
    return parse_response(
        vendor,
        body,
        content_type=content_type,
        operation=operation,
        freshness=freshness,
        status=status,
        trace_id=trace_id,
    ).records_or_raise()
