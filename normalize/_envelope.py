"""The envelope: one vendor response with what was known about it, the one input of every
door (``parse_envelope``, the command line, batch, Spark, the live clients' recordings).

An ``Envelope`` holds the body as received and the call's context: the content type, the
operationId, the HTTP status, the trace id, when it was captured, the capturing system's
id, and ``request``, the request parameters that decide what the answer means (Open
Finance US's ``balance_cache_interval``: 0 asked for a live balance). ``source_file`` and
``source_line`` say where it was read, when it was read from a file.

One validator, ``Envelope.__attrs_post_init__``, checks every envelope, however it came:
``envelope_from_line`` (a capture line: one JSON object), ``envelope_from_mapping`` (a
DataFrame row, a dict) and the constructor itself all end there, so a text status, a
status of 700, an unknown key or a content type that is not a string is the same
``InvalidEnvelope`` at every door. ``parse_envelope`` is ``parse_response`` with what the
envelope says, and never raises for what an envelope holds.

The JSON form of an envelope (a capture line) is specs/capture/envelope.schema.json.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs
import jiter

from ._api import parse_response
from ._errors import (
    BodyTooLarge,
    InvalidEnvelope,
    NormalizeError,
    clip,
    secret_forms,
    secrets_masked,
)
from ._mapping import from_rfc3339
from ._outcome import Outcome, Problem, Scope
from ._secrets import outcome_masked
from ._types import Freshness
from .vendors import REGISTRY, request_context

DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
"""The largest body (capture line, raw file, live answer, envelope row) read by default."""

# The JSON keys of a capture line: every key of an Envelope but its source, plus
# ``body_base64``, the body as base64 when it is not UTF-8 text (exactly one of the two).
LINE_KEYS = (
    "vendor",
    "body",
    "body_base64",
    "content_type",
    "operation",
    "status",
    "trace_id",
    "captured_at",
    "id",
    "request",
)
# Keys whose value decides the outcome: null there is refused rather than read as absent
# (a capture that wrote ``"status": null`` did not know the status; reading a balance body
# as a success would be a guess). The others are provenance; null there is absent.
_NOT_NULL = frozenset(("vendor", "body", "body_base64", "status", "request"))


def _refuse(vendor: object, field: str, value: object, detail: str) -> InvalidEnvelope:
    named = vendor if isinstance(vendor, str) else "?"
    return InvalidEnvelope(vendor=named, field=field, value=clip(value), detail=detail)


def _text(vendor: object, field: str, value: object) -> None:
    if value is None:
        return
    if type(value) is not str:
        raise _refuse(vendor, field, value, "not a string")
    if not _is_utf8(value):
        raise _refuse(vendor, field, value, "not UTF-8 text (a lone surrogate)")


def _is_utf8(text: str) -> bool:
    if text.isascii():  # no surrogate is ASCII: the common case, without a copy
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_MAX_INT64 = (1 << 63) - 1


def is_line_number(value: object) -> bool:
    """Whether ``value`` is a line number a table can hold: an int from 1 to 2**63 - 1."""
    return type(value) is int and 1 <= value <= _MAX_INT64


@attrs.frozen(kw_only=True)
class Envelope:
    """One vendor response as received, with what the caller knew about it.

    ``body`` is the response body (bytes, or text: a capture line's ``body``). ``status``
    is the HTTP status (100-599), ``captured_at`` a time with its offset (kept in UTC),
    ``request`` the request parameters that decide the answer's meaning (see the vendor's
    ``REQUEST_CONTEXT``). Built with a value of the wrong type or range: InvalidEnvelope.
    """

    vendor: str
    body: bytes | str
    content_type: str | None = None
    operation: str | None = None
    status: int | None = None
    trace_id: str | None = None
    captured_at: datetime | None = None
    id: str | None = None
    request: Mapping[str, int] | None = None
    source_file: str | None = None
    source_line: int | None = None

    def __attrs_post_init__(self) -> None:
        vendor = self.vendor
        if type(vendor) is not str:
            raise _refuse(None, "vendor", vendor, "not a string")
        if not _is_utf8(vendor):
            raise _refuse(None, "vendor", vendor, "not UTF-8 text (a lone surrogate)")
        body = self.body
        if not isinstance(body, bytes | str):
            raise _refuse(vendor, "body", body, "not a string")
        if isinstance(body, str) and not _is_utf8(body):
            raise _refuse(vendor, "body", None, "not UTF-8 text (a lone surrogate)")
        for name in ("content_type", "operation", "trace_id", "id", "source_file"):
            _text(vendor, name, getattr(self, name))
        status = self.status
        if status is not None:
            if type(status) is not int:
                raise _refuse(vendor, "status", status, "not an integer")
            if not 100 <= status <= 599:
                raise _refuse(vendor, "status", status, "not an HTTP status (100-599)")
        captured_at = self.captured_at
        if captured_at is not None:
            object.__setattr__(self, "captured_at", _in_utc(vendor, captured_at))
        line = self.source_line
        if line is not None and not is_line_number(line):
            raise _refuse(vendor, "source_line", line, "not a line number (from 1)")
        if self.request is not None:
            object.__setattr__(self, "request", _request(vendor, self.request))

    def body_bytes(self) -> bytes:
        """The body as bytes (a text body's UTF-8, which the validator made sure it has)."""
        body = self.body
        return body.encode("utf-8") if isinstance(body, str) else body

    def to_json(self) -> dict[str, Any]:
        """The envelope as the JSON object of a capture line (``source_*`` left out): the
        body as text when it is UTF-8, else as ``body_base64``; absent values left out."""
        out: dict[str, Any] = {"vendor": self.vendor}
        body = self.body
        if isinstance(body, bytes):
            try:
                out["body"] = body.decode("utf-8")
            except UnicodeDecodeError:
                out["body_base64"] = base64.b64encode(body).decode("ascii")
        else:
            out["body"] = body
        for name in ("content_type", "operation", "status", "trace_id"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.captured_at is not None:
            out["captured_at"] = self.captured_at.isoformat().replace("+00:00", "Z")
        if self.id is not None:
            out["id"] = self.id
        if self.request is not None:
            out["request"] = dict(self.request)
        return out

    def to_line(self) -> str:
        """The envelope as one capture line (JSON, no newline)."""
        return json.dumps(self.to_json(), ensure_ascii=False)


def _in_utc(vendor: str, captured_at: object) -> datetime:
    """``captured_at`` in UTC; InvalidEnvelope for what is no time with a UTC offset (one
    whose zone cannot say its offset, or that is out of range in UTC, included)."""
    if not isinstance(captured_at, datetime):
        raise _refuse(vendor, "captured_at", captured_at, "not a date-time")
    if captured_at.tzinfo is UTC:
        return captured_at
    try:
        offset = captured_at.utcoffset()
        moved = None if offset is None else captured_at.astimezone(UTC)
    except Exception:  # a tzinfo of the caller's that fails, or a time out of range in UTC
        moved = None
    if moved is None:
        raise _refuse(vendor, "captured_at", None, "no usable UTC offset, or out of range")
    return moved


def _request(vendor: str, request: object) -> dict[str, int]:
    if not isinstance(request, Mapping):
        raise _refuse(vendor, "request", request, "not an object")
    module = REGISTRY.get(vendor)
    # An unknown vendor is refused by parse_envelope (UnknownVendor); its request cannot
    # be checked against parameters it does not have.
    known = request_context(module) if module is not None else {}
    checked = {}
    for name, value in request.items():
        where = f"request.{name}"
        parameter = known.get(name)
        if parameter is None:
            if module is None:
                checked[str(name)] = value
                continue
            detail = f"known: {', '.join(known)}" if known else "this vendor has none"
            raise _refuse(vendor, where, value, f"unknown request parameter ({detail})")
        if type(value) is not int:
            raise _refuse(vendor, where, value, "not an integer")
        if not parameter.minimum <= value <= parameter.maximum:
            raise _refuse(
                vendor, where, value, f"out of range {parameter.minimum}-{parameter.maximum}"
            )
        checked[name] = value
    return checked


def envelope_from_mapping(
    document: Mapping[str, Any],
    *,
    source_file: str | None = None,
    source_line: int | None = None,
    nulls_absent: bool = False,
) -> Envelope:
    """The envelope a mapping holds (a capture line's object, a DataFrame row): the keys of
    ``LINE_KEYS`` and no other; ``captured_at`` an RFC 3339 string (or a datetime);
    InvalidEnvelope naming the key otherwise. ``nulls_absent``: every null is read as an
    absent key (a DataFrame row, whose columns cannot be absent)."""
    if not isinstance(document, Mapping):
        raise _refuse(None, "$", document, "not an object")
    vendor = document.get("vendor")
    # Which error is reported never depends on the order of the keys (an object's keys
    # have none): unknown keys first, by name; then nulls, in the envelope's key order.
    if not _KEYS.issuperset(document):
        unknown = sorted(str(key) for key in document if key not in _KEYS)
        raise _refuse(vendor, unknown[0], None, "unknown key")
    values: dict[str, Any] = {}
    for key in LINE_KEYS:
        if key not in document:
            continue
        value = document[key]
        if value is None:
            if key in _NOT_NULL and not nulls_absent:
                raise _refuse(vendor, key, None, "null (leave the key out when not known)")
            continue
        values[key] = value
    if "vendor" not in values:
        raise _refuse(vendor, "vendor", None, "missing")
    if "body" in values and "body_base64" in values:
        raise _refuse(vendor, "body_base64", None, "given beside body (one of the two)")
    if "body_base64" in values:
        encoded = values.pop("body_base64")
        if type(encoded) is not str:
            raise _refuse(vendor, "body_base64", encoded, "not a string")
        try:
            values["body"] = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _refuse(vendor, "body_base64", encoded, "not base64") from None
    elif "body" not in values:
        raise _refuse(vendor, "body", None, "missing")
    elif type(values["body"]) is not str:
        raise _refuse(vendor, "body", values["body"], "not a string")
    captured = values.get("captured_at")
    if type(captured) is str:
        try:
            values["captured_at"] = from_rfc3339(
                captured, vendor=vendor if isinstance(vendor, str) else "?", field="captured_at"
            )
        except NormalizeError:
            raise _refuse(vendor, "captured_at", captured, "not RFC 3339") from None
    elif captured is not None and not isinstance(captured, datetime):
        raise _refuse(vendor, "captured_at", captured, "not a string")
    return Envelope(**values, source_file=source_file, source_line=source_line)


_KEYS = frozenset(LINE_KEYS)


def envelope_from_line(
    line: bytes | str, *, source_file: str | None = None, source_line: int | None = None
) -> Envelope:
    """The envelope of one capture line (without its line end): one JSON object, duplicate
    keys, NaN and Infinity refused (InvalidEnvelope)."""
    try:
        document = jiter.from_json(
            line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line,
            catch_duplicate_keys=True,
            allow_inf_nan=False,
        )
    except ValueError as exc:
        raise _refuse(None, "$", line, f"not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise _refuse(None, "$", line, "not an object")
    return envelope_from_mapping(document, source_file=source_file, source_line=source_line)


def parse_envelope(
    envelope: Envelope,
    *,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    secrets: Iterable[str] = (),
) -> Outcome:
    """What one envelope amounts to: ``parse_response`` with what the envelope says, the
    freshness its ``request`` implies, and every error it gives as a problem of the outcome
    (an unknown vendor or operation included): never raises for what it holds.

    A body larger than ``max_body_bytes`` is a BodyTooLarge problem, its bytes not read.
    ``secrets``: texts that must never be said back (a live client's credentials): masked
    in the whole body before any error quotes or cuts it, then in every text of every
    problem; a record whose account id or balance type holds one (8 characters or more) is
    refused as a MalformedPayload problem (``normalize._secrets``).
    """
    vendor = envelope.vendor
    body = envelope.body
    # A text body's UTF-8 is at most four bytes a character: counted only when it may matter.
    if isinstance(body, bytes):
        size: int | None = len(body)
    else:
        size = len(body.encode("utf-8")) if len(body) * 4 > max_body_bytes else None
    if size is not None and size > max_body_bytes:
        error = BodyTooLarge(
            vendor=vendor, field="$", value=size, detail=f"cap {max_body_bytes} bytes"
        )
        return Outcome(vendor=vendor, problems=(Problem(error=error, scope=Scope.RESPONSE),))
    freshness = _freshness(envelope)
    forms = secret_forms(secrets)
    try:
        with secrets_masked(forms) if forms else contextlib.nullcontext():
            outcome = parse_response(
                vendor,
                body,
                content_type=envelope.content_type,
                operation=envelope.operation,
                freshness=freshness,
                status=envelope.status,
                trace_id=envelope.trace_id,
            )
    except NormalizeError as exc:  # an unknown vendor or operation
        outcome = Outcome(vendor=vendor, problems=(Problem(error=exc, scope=Scope.RESPONSE),))
    # What the outcome says back is checked for the secrets (normalize._secrets).
    return outcome_masked(outcome, forms) if forms else outcome


def _freshness(envelope: Envelope) -> Freshness | None:
    """What the envelope's request parameters say of the answer's freshness: the one
    freshness they agree on, UNKNOWN when they disagree, None when there are none."""
    request = envelope.request
    module = REGISTRY.get(envelope.vendor)
    if not request or module is None:
        return None
    said = {request_context(module)[name].freshness(value) for name, value in request.items()}
    return said.pop() if len(said) == 1 else Freshness.UNKNOWN


Envelope.__module__ = "normalize"
