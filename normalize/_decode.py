"""From wire bytes to one exact document, then to the vendor's generated wire struct.

JSON is decoded by jiter (the pydantic project's parser) in one pass that refuses what a
money pipeline must not resolve silently (RFC 8259 and RFC 7493 I-JSON): duplicate keys in
any object, invalid UTF-8, lone surrogates, ``NaN``/``Infinity``, trailing data, nesting
deeper than jiter's limit. Every JSON number with a fraction or exponent becomes a
``Decimal`` built from its own text and every integer an ``int``, so no amount passes through
float. The integer ``-0``, which no ``int`` tells from ``0``, becomes ``NEGATIVE_ZERO``, an
``int`` equal to 0 in every use that still says it was written ``-0`` (an amount's wire text
is its text). Two bodies that are the same JSON value (whitespace, key order, ``\\uXXXX``
escapes) give the same document.

XML (Mastercard Send) must be UTF-8 (an encoding declaration naming anything else is refused)
and is read by expat in one pass straight into plain data, refusing any document type
declaration, entity or notation declaration and external entity reference (defusedxml's
``forbid_dtd``, ``forbid_entities`` and ``forbid_external`` policy; the tests hold this reader
to defusedxml's), so no entity beyond XML's five predefined ones is ever expanded.

``into`` converts a document into the *read view* of a generated ``wire`` struct with
msgspec: the struct with only the fields its vendor's ``SPEC_READS`` declares, so that what
no mapping reads is never validated (``normalize/vendors/_declare.py``: strict on what the
mapping reads, tolerant of the rest). msgspec's validation messages become NormalizeErrors
that name the vendor, the field and the value.
"""

from __future__ import annotations

import codecs
import json
import re
import threading
from collections.abc import Callable, Collection
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn, TypeVar, cast
from xml.parsers import expat

import jiter
import msgspec

from ._errors import (
    InvalidAmount,
    InvalidField,
    MalformedPayload,
    MissingField,
    NormalizeError,
    UnknownEnumValue,
    cut,
    masked,
    secrets_active,
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
            # The text around the first lone surrogate; with secrets to mask, taken from
            # the masked text, so that the window cannot cut one in two.
            text = masked(body) if secrets_active() else body
            at = _LONE_SURROGATE.search(text)
            start = at.start() if at is not None else exc.start
            raise MalformedPayload(
                vendor=vendor,
                field="$",
                value=text[max(0, start - 10) : start + 11],
                detail="lone surrogate in the text",
            ) from None
    raise TypeError(f"body must be bytes, bytearray, memoryview or str, not {type(body).__name__}")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _snippet(body: bytes) -> str:
    if secrets_active():
        # Secrets masked in the whole body before the cut; a body that is not UTF-8 (an
        # ISO-8859-1 XML document) is read byte for character, so a non-ASCII secret in it
        # is still found and masked rather than broken by replacement characters.
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("latin-1")
        return cut(text)
    return body[:80].decode("utf-8", "replace")


class NegativeZero(int):
    """The JSON integer ``-0``: an ``int`` equal to 0 (msgspec reads it into an ``int``
    field as 0), whose text is ``-0``. ``_money.amount_from_json_number`` gives its exact
    Decimal, ``-0``, and that text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "-0"


NEGATIVE_ZERO = NegativeZero(0)


def decode_json(body: bytes, *, vendor: str) -> Any:
    """Plain Python data from a JSON document, numbers exact, or a NormalizeError."""
    try:
        document = jiter.from_json(
            body,
            allow_inf_nan=False,
            cache_mode="keys",
            partial_mode="off",
            catch_duplicate_keys=True,
            float_mode="decimal",
        )
    except ValueError as exc:
        raise _json_error(body, str(exc), vendor) from None
    # jiter reads the integer -0 as 0, which no int tells from 0. The standard library's
    # parser says whether the body holds one: it hands each integer's text to parse_int
    # (here a C method: no Python frame per number). Only a body that does is read a third
    # time, to mark where. A parse, not a search of the bytes, decides what the body says.
    # Both parsers read the same bodies alike (jiter refused every body they could read
    # differently: duplicate keys, NaN, lone surrogates, a byte order mark); should they
    # ever disagree, the body is refused rather than one reading kept.
    integers = _integer_texts.texts
    integers.clear()
    try:
        text = body.decode("utf-8")  # jiter found it UTF-8, with no byte order mark
        _integer_texts.read(text, len(text) - len(text.lstrip(" \t\r\n")))
        if "-0" in integers:
            document = _with_negative_zeros(body, document)
    except ValueError as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"not JSON: {exc}"
        ) from None
    finally:
        integers.clear()  # a large body's texts are not kept until the next one
    return document


class _IntegerTexts(threading.local):
    """Per thread, the standard library's scanner with ``parse_int`` collecting each
    integer's text in ``texts`` (made once: a decoder per call costs more than the scan)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.read = json.JSONDecoder(parse_int=self.texts.append).raw_decode


_integer_texts = _IntegerTexts()


def _with_negative_zeros(body: bytes, document: Any) -> Any:
    """``document`` (jiter's reading of ``body``) with every integer written ``-0`` made
    ``NEGATIVE_ZERO``. The standard library's parser finds them: jiter already refused
    every body the two could read differently (duplicate keys, NaN, lone surrogates, a
    byte order mark), so both readings have the same shape."""
    marker = _Marker()

    def integer(text: str) -> object:
        return marker if text == "-0" else None

    marked = json.loads(body, parse_int=integer, parse_float=lambda _: None)
    return _mark(marked, document, marker)


def _mark(marked: Any, node: Any, marker: _Marker) -> Any:
    if marked is marker:
        return NEGATIVE_ZERO
    if isinstance(marked, dict):
        for key, value in marked.items():
            if value is marker or isinstance(value, dict | list):
                node[key] = _mark(value, node[key], marker)
    elif isinstance(marked, list):
        for index, value in enumerate(marked):
            if value is marker or isinstance(value, dict | list):
                node[index] = _mark(value, node[index], marker)
    return node


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
    except (ValueError, ArithmeticError, RecursionError):
        # ArithmeticError: a number no Decimal holds ("1e99999999999999999999") elsewhere
        # in a body jiter refused for another reason.
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


_UTF8 = {"utf-8", "utf8"}


def read_xml(
    body: bytes, *, vendor: str, lists: Collection[tuple[str, str]] = ()
) -> tuple[str, str | list[tuple[str, Any]]]:
    """An XML document as plain data: its root's tag and either the root's text (when it has
    no child elements) or its child elements in order, each as ``(tag, data)``.

    An element's data is its text when it has no child elements (attributes, comments and
    processing instructions are not data), else a dict of its children by tag, where a tag
    seen twice is an error rather than a silent overwrite (XML's duplicate keys); the root's
    children are a list, so the caller says which repeated tags make a list. Below the root,
    a ``(parent, child)`` pair in ``lists`` makes that child a list of its values, one or
    more (``("Errors", "Error")``: an error list inside an element). Tags are
    ElementTree's: ``{namespace}local`` for a namespaced element.

    The document must be UTF-8; a document type declaration, an entity or notation
    declaration or an external entity reference is refused (so no entity expansion bomb or
    external entity is ever read), as is nesting deeper than 32 elements below the root."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"not UTF-8: {exc.reason}"
        ) from None
    builder = _XmlBuilder(vendor, frozenset(lists))
    parser = expat.ParserCreate(namespace_separator="}")
    for name, handler in _FORBIDDEN_HANDLERS.items():
        setattr(parser, name, handler)
    parser.XmlDeclHandler = _utf8_only
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(body, True)
    except _OtherEncoding as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=str(exc), detail="XML encoding other than UTF-8"
        ) from None
    except _Forbidden as exc:
        raise MalformedPayload(
            vendor=vendor, field="$", value=_snippet(body), detail=f"forbidden XML: {exc}"
        ) from None
    except (expat.ExpatError, ValueError, LookupError, RecursionError) as exc:
        # An unknown or unusable encoding name is a LookupError or ValueError from expat.
        raise MalformedPayload(
            vendor=vendor,
            field="$",
            value=_snippet(body),
            detail=f"not XML: {type(exc).__name__}: {str(exc)[:80]}",
        ) from None
    if builder.problem is not None:
        # Found while building; raised only once the whole document proved well-formed.
        raise builder.problem
    assert builder.root is not None  # a well-formed document has one root element
    return builder.root


class _Forbidden(Exception):
    """A declaration the XML reader refuses (raised from inside expat's callback)."""


class _OtherEncoding(Exception):
    """An XML declaration naming an encoding other than UTF-8 (raised from expat's)."""


def _utf8_only(_version: str, encoding: str | None, _standalone: int) -> None:
    # expat reports the declaration as written, with or without a byte order mark before
    # it, before it decodes anything past it.
    if encoding is not None and encoding.lower() not in _UTF8:
        raise _OtherEncoding(encoding)


def _forbid(what: str) -> Any:
    def handler(*_: object) -> NoReturn:
        raise _Forbidden(what)

    return handler


# The policy of defusedxml's forbid_dtd, forbid_entities and forbid_external (the tests hold
# this reader to defusedxml's): expat calls these only when the document holds what they name.
_FORBIDDEN_HANDLERS = {
    "StartDoctypeDeclHandler": _forbid("document type declaration"),
    "EntityDeclHandler": _forbid("entity declaration"),
    "UnparsedEntityDeclHandler": _forbid("unparsed entity declaration"),
    "NotationDeclHandler": _forbid("notation declaration"),
    "ExternalEntityRefHandler": _forbid("external entity reference"),
}

_MAX_XML_DEPTH = 32


class _XmlBuilder:
    """expat's element events to ``read_xml``'s data. Each open element is a frame
    ``[tag, children, text parts]``; ``children`` is a dict below the root (None until the
    first child) and a list at the root."""

    __slots__ = ("frames", "lists", "problem", "root", "vendor")

    def __init__(self, vendor: str, lists: frozenset[tuple[str, str]] = frozenset()) -> None:
        self.vendor = vendor
        self.lists = lists
        self.frames: list[list[Any]] = []
        self.problem: MalformedPayload | None = None
        self.root: tuple[str, str | list[tuple[str, Any]]] | None = None

    def start(self, tag: str, _attributes: object) -> None:
        frames = self.frames
        if self.problem is not None:
            return
        if len(frames) > _MAX_XML_DEPTH:
            self.problem = MalformedPayload(
                vendor=self.vendor, field="$", value=_tag(frames[-1][0]), detail="nested too deeply"
            )
            return
        frames.append([tag, [] if not frames else None, []])

    def data(self, text: str) -> None:
        if self.problem is None:
            self.frames[-1][2].append(text)

    def end(self, _name: str) -> None:
        if self.problem is not None:
            return
        frames = self.frames
        tag, children, texts = frames.pop()
        tag = _tag(tag)
        if not frames:
            self.root = (tag, children if children else "".join(texts))
            return
        value = children if children is not None else "".join(texts)
        parent = frames[-1][1]
        if self.lists and type(parent) is not list and (_tag(frames[-1][0]), tag) in self.lists:
            if parent is None:
                frames[-1][1] = {tag: [value]}
            else:
                parent.setdefault(tag, []).append(value)
        elif parent is None:
            frames[-1][1] = {tag: value}
        elif type(parent) is list:
            parent.append((tag, value))
        elif tag in parent:
            self.problem = MalformedPayload(
                vendor=self.vendor, field=tag, value=value, detail="element repeated"
            )
        else:
            parent[tag] = value


def _tag(name: str) -> str:
    # expat, with "}" as its namespace separator, names a namespaced element "uri}local".
    return "{" + name if "}" in name else name


def xml_dict(
    children: list[tuple[str, Any]], *, vendor: str, repeated: Collection[str] = ()
) -> dict[str, Any]:
    """The root's children of ``read_xml`` as a dict: tags in ``repeated`` always make a
    list; any other tag seen twice is an error."""
    data: dict[str, Any] = {}
    for tag, value in children:
        if tag in repeated:
            data.setdefault(tag, []).append(value)
        elif tag in data:
            raise MalformedPayload(vendor=vendor, field=tag, value=value, detail="element repeated")
        else:
            data[tag] = value
    return data


def is_xml(body: bytes, content_type: str | None) -> bool:
    """Whether to read the body as XML: the content type says so when it names XML or JSON;
    without one (or with another, such as ``text/plain``) a body whose characters are an
    optional byte order mark (U+FEFF), optional XML white space and ``<`` is XML, since no
    JSON document can start with ``<``.

    The mark is allowed because XML 1.0 (section 4.3.3, appendix F) lets a UTF-8 document
    start with it and expat reads past it. JSON does not get the same: RFC 8259 section 8.1
    lets a parser refuse it, and ``decode_json`` does. Matching the UTF-8 bytes is matching
    those characters: U+FEFF is encoded as EF BB BF, and an ASCII byte in UTF-8 is always
    that character, never part of another one."""
    if content_type:
        kind = content_type.lower()
        if "xml" in kind:
            return True
        if "json" in kind:
            return False
    return _XML_START.match(body) is not None


# One optional U+FEFF (UTF-8), then XML's S production (#x20 | #x9 | #xD | #xA), then "<".
_XML_START = re.compile(b"(?:" + re.escape(codecs.BOM_UTF8) + rb")?[ \t\r\n]*<")


# msgspec's messages end in " - at `$.path`"; the start says what went wrong.
_AT = re.compile(r"^(?P<what>.*?)(?: - at `(?P<path>[^`]*)`)?$", re.DOTALL)
_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]*)`")


# Generated wire module name -> what builds its read views (``_declare.declare``), and the
# views built so far (wire struct -> its read view).
_VIEW_BUILDERS: dict[str, Callable[[], dict[type, type]]] = {}
_READ_VIEWS: dict[type, type] = {}


def register_read_views(module: str, build: Callable[[], dict[type, type]]) -> None:
    """Make ``build()`` give the read views of the generated wire module ``module``'s structs
    (built on first use; ``_declare.declare`` calls this with a vendor's declaration)."""
    if module in _VIEW_BUILDERS:
        raise ValueError(f"{module}: what is read from it is already declared")
    _VIEW_BUILDERS[module] = build


def read_view(model: type) -> type:
    """The struct ``into`` converts into for the wire struct ``model``: its read view."""
    view = _READ_VIEWS.get(model)
    if view is None:
        build = _VIEW_BUILDERS.get(model.__module__)
        if build is None:
            raise LookupError(
                f"{model.__module__}.{model.__name__}: no declaration of what is read from it"
            )
        _READ_VIEWS.update(build())
        view = _READ_VIEWS[model]
    return view


def into(model: type[T], document: Any, *, vendor: str, strict: bool = True) -> T:
    """Convert plain data into the read view of a generated wire struct (typed as the
    struct: it has the fields the vendor's declaration reads), or raise a NormalizeError."""
    target = read_view(model)
    try:
        return cast("T", msgspec.convert(document, target, strict=strict))
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
