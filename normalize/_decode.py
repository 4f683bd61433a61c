"""From wire bytes to the vendor's generated model, exactly, or a typed error.

JSON is decoded by msgspec with every JSON number with a fraction or exponent built as a
``Decimal`` from its own text (integers stay ``int``, of any size), so no amount passes
through float. XML is parsed by defusedxml with DTDs, entities and external references
refused. Either way the result is plain Python data that ``into`` converts into a
generated ``wire`` struct, turning msgspec's validation messages into NormalizeErrors
that name the vendor, the field and the value found there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, TypeVar
from xml.etree.ElementTree import Element, ParseError

import msgspec
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring

from ._errors import (
    InvalidAmount,
    InvalidField,
    InvalidTimestamp,
    MalformedPayload,
    MissingField,
    NormalizeError,
    UnknownEnumValue,
)

_json = msgspec.json.Decoder(float_hook=Decimal)

T = TypeVar("T")


def fast_decoder(
    root: type, *, present: str | None = None, unless: re.Pattern[bytes] | None = None
) -> Callable[[bytes], Any | None]:
    """A decoder straight from JSON bytes into the wire struct ``root``, or None.

    This is the fast path for a vendor's common success bodies; None sends the body down
    the general path, which recognises every shape and words every error. Unknown keys are
    ignored, so ``root`` must be told apart from error bodies: by a required key, or by the
    optional attribute ``present``, which must then have been in the body. ``unless``
    sends matching bodies down the general path at once.
    """
    decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(root)
    decode_root = decoder.decode
    search = unless.search if unless is not None else None

    def decode(body: bytes) -> Any | None:
        if search is not None and search(body):
            return None
        try:
            model = decode_root(body)
        except (msgspec.MsgspecError, RecursionError):
            return None
        if present is not None and getattr(model, present) is msgspec.UNSET:
            return None
        return model

    return decode


def keyed_decoder(
    key: str,
    with_key: Callable[[bytes], Any | None],
    without_key: Callable[[bytes], Any | None],
) -> Callable[[bytes], Any | None]:
    """One of two fast decoders, picked by whether the body holds the JSON key ``key``.

    The test is on the bytes and may be fooled (the key inside a string, or escaped); the
    decoder it picks then returns None and the general path reads the body, so a wrong
    pick costs time, never a wrong record.
    """
    marker = f'"{key}"'.encode()

    def decode(body: bytes) -> Any | None:
        return (with_key if marker in body else without_key)(body)

    return decode


def _snippet(body: bytes | str) -> str:
    text = body if isinstance(body, str) else body[:80].decode("utf-8", "replace")
    return text[:80]


def decode_json(body: bytes | str, *, vendor: str) -> Any:
    """Plain Python data from a JSON document, numbers exact."""
    try:
        return _json.decode(body)
    except RecursionError:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail="nested too deeply"
        ) from None
    except msgspec.DecodeError as exc:
        constant = _non_finite_constant(body)
        if constant is not None:
            path, token = constant
            raise InvalidAmount(vendor=vendor, field=path, value=token) from None
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"not JSON: {exc}"
        ) from None


def _non_finite_constant(body: bytes | str) -> tuple[str, str] | None:
    """Where a JSON-like body carries NaN/Infinity literals (which JSON does not have),
    the path of the first one and the literal. Only used once msgspec refused the body."""
    found: list[str] = []

    def constant(token: str) -> object:
        found.append(token)
        return _Marker

    try:
        document = json.loads(body, parse_constant=constant, parse_float=Decimal)
    except ValueError:
        return None
    if not found:
        return None
    return _path_of(document, _Marker) or "$", found[0]


class _Marker:
    pass


def _path_of(node: object, target: object, path: str = "$") -> str | None:
    if node is target:
        return path
    if isinstance(node, dict):
        for key, child in node.items():
            hit = _path_of(child, target, f"{path}.{key}")
            if hit:
                return hit
    elif isinstance(node, list):
        for index, child in enumerate(node):
            hit = _path_of(child, target, f"{path}[{index}]")
            if hit:
                return hit
    return None


def parse_xml(body: bytes | str, *, vendor: str) -> Element:
    """The root element of an XML document; DTDs, entities and external references are
    refused (entity expansion bombs and external entities never get expanded)."""
    try:
        root: Element = xml_fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"forbidden XML: {exc!r}"
        ) from None
    except ParseError as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"not XML: {exc}"
        ) from None
    return root


def element_data(element: Element, *, vendor: str, repeated: Collection[str] = ()) -> Any:
    """The plain data of an element: a dict of its children, or its text when it has none.
    Children whose tag is in ``repeated`` always make a list; any other tag seen twice is
    an error rather than a silent overwrite."""
    try:
        return _element_data(element, repeated, vendor)
    except RecursionError:
        raise MalformedPayload(
            vendor=vendor, field="$", value=element.tag, detail="nested too deeply"
        ) from None


def _element_data(element: Element, repeated: Collection[str], vendor: str) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    data: dict[str, Any] = {}
    for child in children:
        value = _element_data(child, repeated, vendor)
        if child.tag in repeated:
            data.setdefault(child.tag, []).append(value)
        elif child.tag in data:
            raise MalformedPayload(
                vendor=vendor, field=child.tag, value=value, detail="element repeated"
            )
        else:
            data[child.tag] = value
    return data


def looks_like_xml(body: bytes | str, content_type: str) -> bool:
    if "xml" in content_type.lower():
        return True
    head = body[:1]
    if head.isspace():
        head = body[:64].lstrip()[:1]
    return head in (b"<", "<")


# msgspec's messages end in " - at `$.path`"; the start says what went wrong.
_AT = re.compile(r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]*)`")


def into(
    model: type[T],
    document: Any,
    *,
    vendor: str,
    strict: bool = True,
    dec_hook: Callable[[type, Any], Any] | None = None,
) -> T:
    """Convert plain data into a generated wire struct, or raise a NormalizeError."""
    try:
        return msgspec.convert(document, model, strict=strict, dec_hook=dec_hook)
    except msgspec.ValidationError as exc:
        raise _translate(exc, document, vendor) from None


def _translate(exc: msgspec.ValidationError, document: Any, vendor: str) -> NormalizeError:
    match = _AT.match(str(exc))
    what = match.group("what") if match else str(exc)
    path = (match.group("path") if match else None) or "$"
    missing = _MISSING.match(what)
    if missing:
        field = f"{path}.{missing.group('name')}"
        return MissingField(vendor=vendor, field=field)
    value = value_at(document, path)
    if value is None:
        # null where a value is required is as missing as an absent key.
        return MissingField(vendor=vendor, field=path, value=None, detail=what)
    kind: type[NormalizeError] = InvalidField
    if "datetime" in what or "RFC3339" in what:
        kind = InvalidTimestamp
    elif "enum value" in what:
        kind = UnknownEnumValue
    elif "decimal" in what:
        kind = InvalidAmount
    return kind(vendor=vendor, field=path, value=value, detail=what)


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def value_at(document: Any, path: str) -> Any:
    """The value at a msgspec path such as ``$.balances[2].amount`` (None if absent)."""
    node = document
    for key, index in _STEP.findall(path[1:]):
        try:
            node = node[int(index)] if index else node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node
