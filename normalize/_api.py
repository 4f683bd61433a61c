"""The one call from a vendor response body to canonical records."""

from __future__ import annotations

from ._decode import decode_json, looks_like_xml
from ._errors import InvalidField, MalformedPayload, NormalizeError, UnknownVendor, VendorError
from ._mapping import Context
from ._outcome import Outcome, Problem, Scope
from ._record import BalanceRecord
from ._types import Freshness
from .vendors import REGISTRY, xml_reader

VENDORS: tuple[str, ...] = tuple(REGISTRY)
# The context of a JSON body the caller says nothing more about, the common case: one per
# vendor, made once (a Context is immutable).
_BARE_CONTEXTS = {vendor: Context(vendor) for vendor in VENDORS}


def parse_response(
    vendor: str,
    body: bytes | bytearray | memoryview | str,
    *,
    content_type: str | None = None,
    operation: str | None = None,
    freshness: Freshness | None = None,
    status: int | None = None,
    trace_id: str | None = None,
) -> Outcome:
    """What one vendor response amounts to, as a value: records plus problems.

    Never raises for what the body holds (TypeError for a body that is not bytes-like or
    str, UnknownVendor / InvalidField for a vendor or operation the library does not know).
    """
    try:
        records = _normalize(
            vendor,
            body,
            content_type=content_type or "application/json",
            operation=operation,
            freshness=freshness,
            status=status,
            trace_id=trace_id,
        )
    except (NormalizeError, VendorError) as exc:
        kept = tuple(getattr(exc, "records", ()))
        return Outcome(
            vendor=vendor, records=kept, problems=(Problem(error=exc, scope=Scope.RESPONSE),)
        )
    return Outcome(vendor=vendor, records=tuple(records))


def normalize_response(
    vendor: str,
    body: bytes | bytearray | memoryview | str,
    *,
    content_type: str | None = None,
    operation: str | None = None,
    freshness: Freshness | None = None,
    status: int | None = None,
    trace_id: str | None = None,
) -> list[BalanceRecord]:
    """The strict call: the records of ``parse_response``, or its first problem raised."""
    return parse_response(
        vendor,
        body,
        content_type=content_type,
        operation=operation,
        freshness=freshness,
        status=status,
        trace_id=trace_id,
    ).records_or_raise()


def _normalize(
    vendor: str,
    body: bytes | str,
    *,
    content_type: str = "application/json",
    operation: str | None = None,
    freshness: Freshness | None = None,
    status: int | None = None,
    trace_id: str | None = None,
) -> list[BalanceRecord]:
    """Canonical balance records from what one vendor endpoint returned.

    ``body`` is the response body as sent (JSON, or XML where the vendor serves it; the
    content type or a leading ``<`` says which). The vendor's response shapes (one account,
    several accounts, error bodies) are recognised from the body. ``operation`` (the
    vendor's operationId), ``freshness``, ``status`` (HTTP) and ``trace_id`` are what the
    caller knows beyond the body: they set provenance and freshness and refine error codes.

    Raises a NormalizeError subclass for input that cannot honestly become records, and a
    VendorError when the body is the vendor's own error response.
    """
    module = REGISTRY.get(vendor)
    if module is None:
        raise UnknownVendor(
            vendor=vendor, field="vendor", value=vendor, detail=f"known: {', '.join(VENDORS)}"
        )
    if operation is not None and operation not in module.OPERATIONS:
        raise InvalidField(
            vendor=vendor,
            field="operation",
            value=operation,
            detail=f"known: {', '.join(module.OPERATIONS)}",
        )
    is_xml = looks_like_xml(body, content_type)
    if (
        operation is None
        and freshness is None
        and status is None
        and trace_id is None
        and not is_xml
    ):
        context = _BARE_CONTEXTS[vendor]
    else:
        context = Context(vendor, operation, freshness, status, trace_id, is_xml)
    if not is_xml:
        model = module.decode_fast(body.encode() if isinstance(body, str) else body)
        if model is not None:
            return module.records(model, context)
    if is_xml:
        reader = xml_reader(vendor)
        if reader is None:
            raise MalformedPayload(
                vendor=vendor, field="$", value=content_type, detail="this vendor answers in JSON"
            )
        document = reader(body)
    else:
        document = decode_json(body, vendor=vendor)
    return module.to_records(document, context)
