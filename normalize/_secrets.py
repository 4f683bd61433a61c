"""Secrets (a live client's credentials) kept out of everything the library says back.

``parse_envelope(..., secrets=...)`` parses a body as received (masking a secret in it
first could change what it means) and then checks what the outcome says back, here:

* every text of every problem (the error's field, value, detail, vendor code and message,
  trace id and account id; the problem's path and account id) has each secret replaced by
  ``********``; texts quoted or cut inside an error message were masked before the cut
  (``normalize._errors.secrets_masked``);
* a record whose account id or vendor balance type holds a secret of at least 8
  characters is refused: a ``MalformedPayload`` problem of that balance in its place (a
  shorter secret, such as a partner id, can stand in an account id by coincidence).

``recordable`` is an envelope as it may be written down (a live client's recording): each
secret of 8 characters or more masked in its body (as UTF-8 spells it, and Latin-1 where it
can) and in the texts taken from response headers; None when the masked body still holds a
secret in any spelling a reader would decode (a shorter secret, a JSON ``\\u`` escape, an
XML character reference, percent-encoding): such an answer is not written down at all.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

import attrs
import jiter

from ._errors import MASK, MalformedPayload, NormalizeError, VendorError, clip, mask_text
from ._outcome import Outcome, Problem, Scope
from ._record import BalanceRecord

if TYPE_CHECKING:
    from ._envelope import Envelope

# A record is refused for repeating a secret only when the secret is at least this long.
SHORTEST_IN_RECORD = 8
# The record's fields that hold text taken from the answer.
_RECORD_TEXTS = ("account_id", "vendor_balance_type")


def _text(value: str | None, forms: Sequence[str]) -> str | None:
    return None if value is None else mask_text(value, forms)


def _value(value: object, forms: Sequence[str]) -> object:
    """``value`` when no secret is in it, else its text with them masked (a string masked
    whole; bytes, or a list or dict holding a secret in any string of it, as the short
    quote of a copy whose strings are masked: no cut can leave part of one behind)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return mask_text(value, forms)
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "replace")
        return clip(mask_text(text, forms)) if any(form in text for form in forms) else value
    if not any(form in text for text in _strings(value) for form in forms):
        return value
    return clip(repr(_strings_masked(value, forms)))


def _strings_masked(value: object, forms: Sequence[str], depth: int = 0) -> object:
    """A copy of a list or dict value with every string in it masked (deeper than 20
    levels: ``...``, which a quote never shows anyway)."""
    if isinstance(value, str):
        return mask_text(value, forms)
    if depth > 20:
        return ...
    if isinstance(value, list | tuple):
        return [_strings_masked(item, forms, depth + 1) for item in value]
    if isinstance(value, dict):
        return {
            _strings_masked(key, forms, depth + 1): _strings_masked(item, forms, depth + 1)
            for key, item in value.items()
        }
    return value


def error_masked(
    error: NormalizeError | VendorError, forms: Sequence[str]
) -> NormalizeError | VendorError:
    """The error anew with every secret in its texts masked (nothing chained)."""
    if isinstance(error, VendorError):
        return VendorError(
            vendor=error.vendor,
            code=error.code,
            vendor_code=_text(error.vendor_code, forms),
            vendor_message=_text(error.vendor_message, forms),
            status=error.status,
            trace_id=_text(error.trace_id, forms),
            account_id=_text(error.account_id, forms),
        )
    return type(error)(
        vendor=error.vendor,
        field=mask_text(error.field, forms),
        value=_value(error.value, forms),
        detail=_text(error.detail, forms),
    )


def _problem_masked(problem: Problem, forms: Sequence[str]) -> Problem:
    return Problem(
        error=error_masked(problem.error, forms),
        scope=problem.scope,
        path=mask_text(problem.path, forms),
        account_id=_text(problem.account_id, forms),
    )


def _repeated(record: BalanceRecord, forms: Sequence[str]) -> str | None:
    """The name of the record's first text field that holds a long enough secret."""
    for name in _RECORD_TEXTS:
        found = getattr(record, name)
        if found and any(len(form) >= SHORTEST_IN_RECORD and form in found for form in forms):
            return name
    return None


def outcome_masked(outcome: Outcome, forms: Sequence[str]) -> Outcome:
    """The outcome with every problem's texts masked and each record that repeats a secret
    refused (a MalformedPayload problem of that balance, after the others)."""
    records = []
    problems = [_problem_masked(problem, forms) for problem in outcome.problems]
    for record in outcome.records:
        repeated = _repeated(record, forms)
        if repeated is None:
            records.append(record)
            continue
        problems.append(
            Problem(
                error=MalformedPayload(
                    vendor=record.vendor,
                    field=repeated,
                    value=mask_text(getattr(record, repeated), forms),
                    detail="the answer repeats a credential the request sent",
                ),
                scope=Scope.BALANCE,
                account_id=mask_text(record.account_id, forms),
            )
        )
    return Outcome(vendor=outcome.vendor, records=tuple(records), problems=tuple(problems))


def _body_masked(body: bytes, forms: Sequence[str]) -> bytes:
    """``body`` with each secret masked as UTF-8 spells it, and as Latin-1 does (an XML body
    may be in ISO-8859-1) where it can."""
    mask = MASK.encode("ascii")
    for form in forms:
        spellings = {form.encode("utf-8", "surrogatepass")}
        with contextlib.suppress(UnicodeEncodeError):
            spellings.add(form.encode("latin-1"))
        for encoded in spellings:
            if encoded in body:
                body = body.replace(encoded, mask)
    return body


def recordable(envelope: Envelope, forms: Sequence[str]) -> Envelope | None:
    """The envelope with each secret masked, as it may be written down; None when its body
    would still hold one (see the module docstring)."""
    long_forms = [form for form in forms if len(form) >= SHORTEST_IN_RECORD]
    body = envelope.body
    masked_body = (
        _body_masked(body, long_forms) if isinstance(body, bytes) else mask_text(body, long_forms)
    )
    if _still_holds(masked_body, forms):
        return None
    return attrs.evolve(
        envelope,
        body=masked_body,
        content_type=_text(envelope.content_type, long_forms),
        trace_id=_text(envelope.trace_id, long_forms),
    )


def _still_holds(body: bytes | str, forms: Sequence[str]) -> bool:
    """Whether any secret can still be read in ``body``: in its text, its text with XML/HTML
    character references or percent-escapes undone, or any string of it read as JSON."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    readings = [text, html.unescape(text), unquote_plus(text)]
    try:
        document = jiter.from_json(text.encode("utf-8", "surrogatepass"))
    except ValueError:
        document = None
    readings += _strings(document)
    return any(form in reading for reading in readings for form in forms)


def _strings(document: object) -> list[str]:
    """Every key and string value of a JSON document (iteratively: no depth limit)."""
    found: list[str] = []
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            found.extend(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
