"""From wire bytes to one exact document, then to the vendor's generated wire struct.

JSON is decoded by jiter (the pydantic project's parser) in one pass that refuses what a
money pipeline must not resolve silently (RFC 8259 and RFC 7493 I-JSON): duplicate keys in
any object, invalid UTF-8, lone surrogates, ``NaN``/``Infinity``, trailing data, nesting
deeper than jiter's limit. Every JSON number with a fraction or exponent becomes a
``Decimal`` built from its own text and every integer an ``int``, so no amount passes through
float. Two bodies that are the same JSON value (whitespace, key order, ``\\uXXXX`` escapes)
give the same document.

XML (Mastercard Send) is decoded as UTF-8 and parsed by defusedxml with DTDs, entities and
external references refused; an encoding declaration other than UTF-8 is refused.

``into`` converts a document into a generated ``wire`` struct with msgspec, turning its
validation messages into NormalizeErrors that name the vendor, the field and the value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from xml.etree.ElementTree import Element

import jiter
import msgspec
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring

from ._errors import (
    InvalidAmount,
    InvalidField,
    MalformedPayload,
    MissingField,
    NormalizeError,
    UnknownEnumValue,
)

T = TypeVar("T")

Body = bytes | bytearray | memoryview | str


def as_bytes(body: object, *, vendor: str) -> bytes:
    """The body as bytes. A ``str`` body is encoded as UTF-8 (a lone surrogate in it is
    malformed); anything but bytes-like or str is a programmer error (TypeError)."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise MalformedPayload(
                vendor=vendor,
                field="$",
                value=body[max(0, exc.start - 10) : exc.end + 10],
                detail="lone surrogate in the text",
            ) from None
    raise TypeError(f"body must be bytes, bytearray, memoryview or str, not {type(body).__name__}")


def _snippet(body: bytes) -> str:
    return body[:80].decode("utf-8", "replace")


def decode_json(body: bytes, *, vendor: str) -> Any:
    """Plain Python data from a JSON document, numbers exact, or a NormalizeError."""
    try:
        return jiter.from_json(
            body,
            allow_inf_nan=False,
            cache_mode="keys",
            partial_mode="off",
            catch_duplicate_keys=True,
            float_mode="decimal",
        )
    except ValueError as exc:
        raise _json_error(body, str(exc), vendor) from None


_DUPLICATE = re.compile(r'Detected duplicate key "(?P<key>.*)" at line')


def _json_error(body: bytes, message: str, vendor: str) -> NormalizeError:
    duplicate = _DUPLICATE.match(message)
    if duplicate:
        return MalformedPayload(
            vendor=vendor,
            field="$",
            value=duplicate.group("key"),
            detail=f"duplicate key ({message})",
        )
    if "InvalidOperation" in message or "number out of range" in message:
        path, text = _number_path(body) or ("$", _snippet(body))
        return InvalidAmount(
            vendor=vendor,
            field=path,
            value=text,
            detail=f"number out of range ({message})",
        )
    located = _non_finite_constant(body)
    if located is not None:
        path, token = located
        return InvalidAmount(vendor=vendor, field=path, value=token, detail="not a finite number")
    return MalformedPayload(
        vendor=vendor, field="$", value=_snippet(body), detail=f"not JSON: {message}"
    )


class _Marker:
    pass


def _non_finite_constant(body: bytes) -> tuple[str, str] | None:
    """Where a body that jiter refused carries NaN/Infinity literals, the path of the first
    and the literal. Only on the error path; bounded by the stdlib parser's own limits."""
    found: list[str] = []
    marker = _Marker()

    def constant(token: str) -> object:
        found.append(token)
        return marker

    try:
        document = json.loads(body, parse_constant=constant, parse_float=Decimal)
    except (ValueError, RecursionError):
        return None
    if not found:
        return None
    return _path_of(document, marker) or "$", found[0]


def _number_path(body: bytes) -> tuple[str, str] | None:
    """The path and the start of the first number that no Decimal or int can hold (error
    path only)."""
    marker = _Marker()
    found: list[str] = []

    def number(text: str) -> object:
        if len(text) > 100:  # far beyond decimal(38, 18), and past int()'s digit limit
            found.append(text)
            return marker
        try:
            Decimal(text)
        except InvalidOperation:
            found.append(text)
            return marker
        return None

    try:
        document = json.loads(body, parse_float=number, parse_int=number)
    except (ValueError, RecursionError):
        return None
    path = _path_of(document, marker)
    return None if path is None else (path, found[0][:40] + ("..." if len(found[0]) > 40 else ""))


def _path_of(node: object, target: object, path: str = "$", depth: int = 0) -> str | None:
    if node is target:
        return path
    if depth > 64:
        return None
    if isinstance(node, dict):
        for key, child in node.items():
            hit = _path_of(child, target, f"{path}.{key}", depth + 1)
            if hit:
                return hit
    elif isinstance(node, list):
        for index, child in enumerate(node):
            hit = _path_of(child, target, f"{path}[{index}]", depth + 1)
            if hit:
                return hit
    return None


# An XML declaration (XML 1.0, production XMLDecl) and its encoding name.
_XML_DECL = re.compile(rb"""<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]*)["']""")
_UTF8 = {"utf-8", "utf8"}


def parse_xml(body: bytes, *, vendor: str) -> Element:
    """The root element of an XML document, which must be UTF-8; DTDs, entities and external
    references are refused (entity expansion bombs and external entities never expand)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"not UTF-8: {exc.reason}"
        ) from None
    if body.startswith(b"<?xml"):
        declared = _XML_DECL.match(body)
        if declared and declared.group(1).decode("ascii").lower() not in _UTF8:
            raise MalformedPayload(
                vendor=vendor,
                field="$",
                value=declared.group(1).decode("ascii"),
                detail="XML encoding other than UTF-8",
            )
    try:
        root: Element = xml_fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"forbidden XML: {exc!r}"
        ) from None
    except (SyntaxError, ValueError, LookupError, RecursionError) as exc:
        # ParseError is a SyntaxError; an unknown or unusable encoding name is a LookupError
        # or ValueError from the parser.
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=_snippet(body),
            detail=f"not XML: {type(exc).__name__}: {str(exc)[:80]}",
        ) from None
    return root


def element_data(element: Element, *, vendor: str, repeated: Collection[str] = ()) -> Any:
    """The plain data of an element: a dict of its children, or its text when it has none.
    Children whose tag is in ``repeated`` always make a list; any other tag seen twice is an
    error rather than a silent overwrite (XML's duplicate keys)."""
    try:
        return _element_data(element, repeated, vendor, 0)
    except RecursionError:
        raise MalformedPayload(
            vendor=vendor, field="$", value=element.tag, detail="nested too deeply"
        ) from None


_MAX_XML_DEPTH = 32


def _element_data(element: Element, repeated: Collection[str], vendor: str, depth: int) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    if depth >= _MAX_XML_DEPTH:
        raise MalformedPayload(
            vendor=vendor, field="$", value=element.tag, detail="nested too deeply"
        )
    data: dict[str, Any] = {}
    for child in children:
        value = _element_data(child, repeated, vendor, depth + 1)
        if child.tag in repeated:
            data.setdefault(child.tag, []).append(value)
        elif child.tag in data:
            raise MalformedPayload(
                vendor=vendor, field=child.tag, value=value, detail="element repeated"
            )
        else:
            data[child.tag] = value
    return data


def is_xml(body: bytes, content_type: str | None) -> bool:
    """Whether to read the body as XML: the content type says so when it names XML or JSON;
    without one (or with another, such as ``text/plain``) a body whose first non-blank
    character is ``<`` is XML, since no JSON document can start with it."""
    if content_type:
        kind = content_type.lower()
        if "xml" in kind:
            return True
        if "json" in kind:
            return False
    return _XML_START.match(body) is not None


_XML_START = re.compile(rb"[ \t\r\n]*<")


# msgspec's messages end in " - at `$.path`"; the start says what went wrong.
_AT = re.compile(r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]*)`")


def into(model: type[T], document: Any, *, vendor: str, strict: bool = True) -> T:
    """Convert plain data into a generated wire struct, or raise a NormalizeError."""
    try:
        return msgspec.convert(document, model, strict=strict)
    except msgspec.ValidationError as exc:
        raise _translate(exc, document, vendor) from None
    except RecursionError:
        raise MalformedPayload(
            vendor=vendor, field="$", value=None, detail="nested too deeply"
        ) from None


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
    if "enum value" in what or "Invalid enum" in what:
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
