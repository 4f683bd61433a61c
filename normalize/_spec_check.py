"""The spec check: every vendor mapping's declaration against its vendor's OpenAPI document.

Each vendor module (``normalize/vendors/<name>.py`` or ``normalize/vendors/<name>/__init__.py``;
names starting with ``_`` are shared code) declares, in ``SPEC_READS`` (see
``normalize/vendors/_declare.py``), what its mapping functions read from
``specs/<vendor>/openapi.yaml``: per operation and response status, the property paths with
the JSON types they expect, and every enumerated value they handle. ``check(root)`` follows
each path through the document (``$ref``, ``allOf``, ``oneOf``/``anyOf``, ``nullable``) and
reports each finding as one line::

    normalize.vendors.token_io : _money_record :
    specs/token-io/openapi.yaml#/components/schemas/Balance/properties/current :
    property 'current' is gone (renamed? now there: 'currentBalance')

(one line, broken here to fit).

A break (an error: the change alters what a body gives, or what the code can import) is:

* a read property gone or renamed (naming a similar unread one, and where a property of
  the same name now stands below another object no declaration reads: moved?), or no
  longer an array;
* a type the mapping does not accept; an object it reads into (on the way to a field, a
  list's items, the body itself) that may now be something else (``oneOf`` object|array),
  said once rather than as each of its fields; an enumerated value it does not handle, an
  enumeration that became free text (``anyOf: [State, {type: string}]`` included), or a
  read string that became an enumeration (the decode then refuses every other value, and
  the declaration lists none);
* a property the mapping needs that the spec makes optional or nullable, and so each object
  on the way to it (the ``at`` path's included) unless a declaration of the same response
  reads that object as an optional field; or one it declares optional (``?``) that the
  spec requires and does not allow null (the decode reads the spec's structs, so it refuses
  a body without it). Both compare the declaration with the spec, never with generated/:
  the error stands until the declaration or the spec changes;
* an amount sent as text (a read property beside a currency, named like an amount) whose
  ``pattern`` admits text that the reader the mapping passes it to refuses (the regular
  expression that reader matches in normalize/_money.py: ``DECIMAL_TEXT`` for
  ``amount_from_decimal_text``, digits only for ``amount_from_minor_units``), such as
  ``12,50``, or that has no pattern;
* a string the mapping reads with ``from_rfc3339`` whose ``format`` is no longer
  ``date-time``;
* an operation, response, JSON body or mapping function that no longer exists, or a
  response whose schema is not the declared ``model`` (the generated struct the decode
  reads it into); an operation gone names the operationId that took its place (same method
  and path as last generated, else a similar name) when there is one, a success response
  gone the other 2xx with a JSON body;
* a ``$ref`` anywhere in the schemas that points outside the file or at nothing (the
  generators cannot follow it either); no finding is made past one;
* a generated operation module the code imports (``<package>.api.<tag>.<operation>``, by
  the live clients in ``normalize/live/<name>.py`` or ``normalize/vendors/<name>/live.py``)
  that the new output will not hold: the operationId renamed (naming the new id and
  module), moved to another tag's folder, or gone; a generated model class the code imports
  (``<package>.models``) whose schema was renamed or removed; a call of an operation's
  function whose arguments do not fit the spec's path parameters (positional ones in the
  path's order, read from the call in the source);
* a spec that does not parse (one line naming the file and the parser's message).

A spec is read as written: a keyword of the wrong kind (``required: true``, a list where an
object goes), a status written as a YAML integer, OpenAPI 3.1 ``type`` lists and schemas
that refer to themselves through ``allOf``/``oneOf`` never stop the check.

A warning (``Break.warning``: an addition the mapping ignores, reported without failing) is a
balance-shaped property no declaration reads in an object the mapping reads (an object with
an amount-named property beside a currency, a list or map of those, an amount-named number,
or an object or list holding one of these up to three levels down: ``_balance_in``), a
media type of a
read response the library cannot read (JSON, and XML for a module with ``from_xml``), an
operation the code names nowhere, an operation whose path moved since last generated (its
call follows once regenerated), or an enumerated value the mapping handles that the spec
no longer lists (every body the spec allows gives what it gave; a body with the old value
is refused by the decode, a typed error, never a wrong record).

Why a renamed operation blocks: openapi-python-client names each operation's module after
its operationId, and the live clients import those modules, so writing the new output would
break ``import normalize.live`` (and every test module that imports it) before anyone read
the report. This check works out from the spec alone, before any generator runs, which
modules and model classes the new output will hold; each import it would lose is a break
carrying ``blocks`` (the vendor), and scripts/regenerate keeps that vendor's generated/
tree until the code names the new module. The library stays importable and the test suite
collectable throughout, and the report names what to change.

The declarations, the live modules' imports and calls, the readers each mapping calls and
their rules are read from source with ``ast`` (the declarations are literals); generated/
(the output as last regenerated) is read as text only to name a renamed operation's
successor and a moved path. This module imports nothing from ``normalize``, so it runs from
a checkout (``python normalize/_spec_check.py [ROOT]``: breaks, then ``warning:`` lines; exit
1 on a break) and from scripts/regenerate even when a spec change has broken the generated
models.
``example_problems`` checks that every example in a document matches its own schema.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import copy
import dataclasses
import difflib
import functools
import keyword
import re
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
DECLARATION = "SPEC_READS"


@dataclass(frozen=True, order=True)
class Break:
    """One way a spec no longer matches what a mapping reads (``warning``: an addition the
    mapping ignores, reported but not failing)."""

    module: str  # normalize.vendors.token_io
    function: str  # the mapping function named in the declaration
    location: str  # specs/<vendor>/openapi.yaml#<JSON pointer>
    change: str
    warning: bool = False
    # The vendor whose generated/ tree must be kept as it is: regenerating it would remove
    # a generated module this code imports (scripts/regenerate holds it back).
    blocks: str = ""

    def __str__(self) -> str:
        return f"{self.module} : {self.function} : {self.location} : {self.change}"


@dataclass(frozen=True)
class Declared:
    """One vendor module's declaration, read from its source."""

    module: str
    path: Path
    vendor: str
    reads: tuple[Mapping[str, Any], ...]
    functions: frozenset[str]  # top-level functions of the module and its shared modules
    source: str = ""  # the module's file, relative to the project (normalize/vendors/...)
    reads_xml: bool = False  # it defines a ``from_xml`` reader
    names: frozenset[str] = frozenset()  # every string constant of the module's source
    # The library's readers (``amount_from_*``, ``from_rfc3339``) each function calls.
    readers: tuple[Reader, ...] = ()


@dataclass(frozen=True)
class Reader:
    """A call of one of the library's wire-value readers in a mapping function:
    ``amount_from_minor_units(balance.amount, ..., field="balance.amount")``."""

    function: str  # the enclosing function (``_finicity.records`` in a shared module)
    reader: str  # amount_from_minor_units
    attribute: str  # the first argument's last attribute ("amount"), or ""
    field: str  # the ``field=`` keyword when it is a constant, or ""


# The readers of normalize/_money.py (``amount_from_*``) and the date-time reader of
# normalize/_mapping.py: a read field passed to one is held to what it reads.
_DATE_TIME_READERS = frozenset({"from_rfc3339"})


def _is_reader(name: str) -> bool:
    return name.startswith("amount_from_") or name in _DATE_TIME_READERS


def _reader_calls(path: Path, prefix: str = "") -> list[Reader]:
    """Every call of a reader in the top-level functions of a module's source."""
    tree = _tree(path)
    found = []
    for top in tree.body:
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(top):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if not _is_reader(name):
                continue
            first = node.args[0] if node.args else None
            attribute = first.attr if isinstance(first, ast.Attribute) else ""
            field = next(
                (
                    str(k.value.value)
                    for k in node.keywords
                    if k.arg == "field"
                    and isinstance(k.value, ast.Constant)
                    and isinstance(k.value.value, str)
                ),
                "",
            )
            found.append(Reader(f"{prefix}{top.name}", name, attribute, field))
    return found


class DeclarationError(ValueError):
    """A vendor module's ``SPEC_READS`` is not a well-formed declaration."""


# --- reading the declarations ---------------------------------------------------------------


def _literals(path: Path) -> tuple[dict[str, Any], set[str]]:
    """The module's top-level literal constants, and its top-level function names
    (``from_xml`` among the constants: True when it is a reader, False when None)."""
    tree = _tree(path)
    constants: dict[str, Any] = {}
    functions: set[str] = set()
    # Top-level literals so far, by name: a declaration may name one written above it (one
    # read's fields shared by two operations), never anything computed.
    literals: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.add(node.name)
            if node.name == "from_xml":
                constants["from_xml"] = True
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "from_xml" for t in targets):
                value = node.value
                constants["from_xml"] = not (
                    isinstance(value, ast.Constant) and value.value is None
                )
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        if target.id in {"VENDOR", DECLARATION}:
            try:
                constants[target.id] = _literal(value, literals)
            except ValueError as exc:
                raise DeclarationError(f"{path}: {target.id} must be a literal: {exc}") from None
        elif isinstance(value, ast.Name) and value.id in literals:
            literals[target.id] = literals[value.id]
        elif isinstance(value, ast.Name | ast.Attribute | ast.Call):
            # ``read = _finicity.read``-style aliases name a function too.
            functions.add(target.id)
        else:
            # Not a literal: a declaration naming it is refused.
            with contextlib.suppress(ValueError, TypeError, SyntaxError, RecursionError):
                literals[target.id] = _literal(value, literals)
    return constants, functions


def _literal(node: ast.expr, names: Mapping[str, Any]) -> Any:
    """``ast.literal_eval`` of ``node``, where a name may stand for one of ``names`` (the
    module's top-level literals written before it)."""
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ValueError(f"{node.id!r} is no literal written above it")
        return copy.deepcopy(names[node.id])
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise ValueError("** in a declaration")
        return {
            _literal(key, names): _literal(value, names)
            for key, value in zip(node.keys, node.values, strict=True)
            if key is not None
        }
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = [_literal(item, names) for item in node.elts]
        return {ast.Tuple: tuple, ast.List: list, ast.Set: set}[type(node)](items)
    return ast.literal_eval(node)


@functools.cache
def _parsed(path: Path, stamp: tuple[int, int]) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _tree(path: Path) -> ast.Module:
    """The syntax tree of a source file, parsed once per run (and again once it changes)."""
    stat = path.stat()
    return _parsed(path, (stat.st_mtime_ns, stat.st_size))


def _vendor_modules(vendors_dir: Path) -> list[tuple[str, Path]]:
    """(module stem, source file) of each vendor module, in either layout:
    ``vendors/<name>.py`` or the package ``vendors/<name>/__init__.py``; names starting with
    ``_`` are shared code, not vendors."""
    found = []
    for path in sorted(vendors_dir.iterdir()) if vendors_dir.is_dir() else ():
        if path.name.startswith(("_", ".")):
            continue
        if path.is_file() and path.suffix == ".py":
            found.append((path.stem, path))
        elif path.is_dir() and (path / "__init__.py").is_file():
            found.append((path.name, path / "__init__.py"))
    return found


def live_modules(normalize_dir: Path) -> dict[str, list[tuple[str, Path]]]:
    """Vendor module stem -> (module name, file) of its live client modules, in either
    layout: ``normalize/live/<name>.py`` or ``normalize/vendors/<name>/live.py``."""
    found: dict[str, list[tuple[str, Path]]] = {}
    live = normalize_dir / "live"
    for path in sorted(live.glob("[!_]*.py")) if live.is_dir() else ():
        found.setdefault(path.stem, []).append((f"normalize.live.{path.stem}", path))
    for path in sorted((normalize_dir / "vendors").glob("[!_]*/live.py")):
        stem = path.parent.name
        found.setdefault(stem, []).append((f"normalize.vendors.{stem}.live", path))
    return found


def _strings(path: Path) -> frozenset[str]:
    tree = _tree(path)
    return frozenset(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def declarations(vendors_dir: Path) -> list[Declared]:
    """Every vendor module's declaration (modules without ``SPEC_READS`` declare nothing)."""
    found = []
    shared: dict[str, set[str]] = {}
    shared_readers: list[Reader] = []
    for path in sorted(vendors_dir.glob("_*.py")):
        if path.name != "__init__.py":
            shared[path.stem] = _literals(path)[1]
            shared_readers += _reader_calls(path, f"{path.stem}.")
    project = vendors_dir.parent.parent
    for stem, path in _vendor_modules(vendors_dir):
        constants, functions = _literals(path)
        if DECLARATION not in constants:
            continue
        reads = constants[DECLARATION]
        if not isinstance(reads, tuple | list) or not all(isinstance(r, dict) for r in reads):
            raise DeclarationError(f"{path}: {DECLARATION} must be a tuple of dicts")
        for read in reads:
            _validate(path, read)
        names = set(functions)
        for shared_stem, members in shared.items():
            names |= {f"{shared_stem}.{member}" for member in members}
        try:
            source = path.relative_to(project).as_posix()
        except ValueError:
            source = path.as_posix()
        found.append(
            Declared(
                module=f"normalize.vendors.{stem}",
                path=path,
                vendor=str(constants.get("VENDOR", stem)),
                reads=tuple(reads),
                functions=frozenset(names),
                source=source,
                reads_xml=bool(constants.get("from_xml", False)),
                names=_strings(path),
                readers=tuple(_reader_calls(path)) + tuple(shared_readers),
            )
        )
    return found


def _validate(path: Path, read: Mapping[str, Any]) -> None:
    for key in ("function", "operation", "status", "fields"):
        if key not in read:
            raise DeclarationError(f"{path}: a {DECLARATION} entry has no {key!r}: {read!r}")
    unknown = set(read) - {"function", "operation", "status", "model", "at", "fields", "enums"}
    if unknown:
        raise DeclarationError(f"{path}: unknown keys {sorted(unknown)} in {read!r}")
    if "model" in read and not isinstance(read["model"], str):
        raise DeclarationError(f"{path}: model must be a struct's name: {read!r}")
    for field, kinds in read["fields"].items():
        if not set(_types_of(kinds)[0]) <= JSON_TYPES:
            raise DeclarationError(f"{path}: {field}: unknown JSON type in {kinds!r}")


def _types_of(declared: str) -> tuple[frozenset[str], bool]:
    """The JSON types a field declaration accepts, and whether it may be absent or null."""
    optional = declared.endswith("?")
    kinds = frozenset(part.strip() for part in declared.rstrip("?").split("|"))
    return kinds, optional


# --- walking the OpenAPI document -----------------------------------------------------------


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# A spec is read as written, however odd: a keyword of the wrong kind counts as absent.


def _listed(value: Any) -> Sequence[Any]:
    """A list-valued keyword's list (``required``); anything else lists nothing."""
    return value if isinstance(value, list) else ()


def _mapping_of(value: Any) -> dict[Any, Any]:
    """An object-valued keyword's object (``paths``, ``responses``, ``content``)."""
    return value if isinstance(value, dict) else {}


def _properties(part: Mapping[str, Any]) -> dict[Any, Any]:
    return _mapping_of(part.get("properties"))


def _is_object_alternative(parts: list[tuple[dict[str, Any], str]]) -> bool:
    """Whether one alternative of a schema may be an object: it has properties, says
    ``object``, or says no type at all."""
    return any(_properties(part) or "object" in _type_names(part) for part, _ in parts) or not any(
        _type_names(part) for part, _ in parts
    )


def _unresolved(node: _Node) -> bool:
    """Whether a schema leads through a ``$ref`` the check cannot follow (named once by
    ``_dangling``: what lies behind it is unknown)."""
    return any(not parts or any("$ref" in part for part, _ in parts) for parts in node.alternatives)


def _type_names(part: Mapping[str, Any]) -> set[str]:
    """The types a schema part states: ``type`` as a string (OpenAPI 3.0) or a list of
    strings (3.1, where ``"null"`` among them is 3.0's ``nullable``)."""
    kind = part.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


class _Document:
    def __init__(self, spec: Mapping[str, Any], label: str) -> None:
        self.spec = spec
        self.label = label  # specs/<vendor>/openapi.yaml

    def where(self, pointer: str) -> str:
        return f"{self.label}#{pointer}"

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                break
            seen.add(ref)
            pointer = ref[1:]
            node = self.spec
            # A URI fragment (RFC 6901 section 6): percent-decoded, then ~1 and ~0.
            for token in unquote(pointer[1:]).split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                if isinstance(node, dict):
                    node = node.get(token)
                elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                    node = node[int(token)]
                else:
                    node = None
        return node, pointer

    def alternatives(
        self, node: Any, pointer: str, expanding: frozenset[str] = frozenset()
    ) -> list[list[tuple[dict[str, Any], str]]]:
        """The schema as a list of alternatives (``oneOf``/``anyOf``), each a list of the
        parts that all apply (the schema itself and its ``allOf`` members). A schema met
        again inside its own expansion (a parent ``oneOf`` its children, each ``allOf``
        the parent) is that one part, not expanded once more."""
        node, pointer = self.resolve(node, pointer)
        if not isinstance(node, dict):
            return [[]]
        alternatives: list[list[tuple[dict[str, Any], str]]] = [[(node, pointer)]]
        if pointer in expanding:
            return alternatives
        expanding = expanding | {pointer}
        all_of = node.get("allOf")
        for index, member in enumerate(all_of if isinstance(all_of, list) else ()):
            inner = self.alternatives(member, f"{pointer}/allOf/{index}", expanding)
            alternatives = [mine + theirs for mine in alternatives for theirs in inner]
        for key in ("oneOf", "anyOf"):
            members = node.get(key)
            if isinstance(members, list) and members:
                inner = [
                    option
                    for index, member in enumerate(members)
                    for option in self.alternatives(member, f"{pointer}/{key}/{index}", expanding)
                ]
                alternatives = [mine + theirs for mine in alternatives for theirs in inner]
        return alternatives

    def operation(self, operation_id: str) -> tuple[dict[str, Any], str] | None:
        for path, item in _mapping_of(self.spec.get("paths")).items():
            for method in HTTP_METHODS:
                operation = _mapping_of(item).get(method)
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return operation, f"/paths/{_escape(str(path))}/{method}"
        return None


@dataclass
class _Node:
    """A schema position reached by a path: its alternatives, where it was found, and
    whether the property that leads to it is required."""

    alternatives: list[list[tuple[dict[str, Any], str]]]
    pointer: str
    required: bool = True
    container: _Node | None = None  # for an array's items: the array

    def types(self) -> frozenset[str] | None:
        """The JSON types the schema allows; None when some alternative states none."""
        found: set[str] = set()
        for parts in self.alternatives:
            stated = {kind for part, _ in parts for kind in _type_names(part)}
            if not stated and any(_properties(part) for part, _ in parts):
                stated = {"object"}
            if not stated:
                return None
            found |= stated
            if any(part.get("nullable") is True for part, _ in parts):
                found.add("null")
        return frozenset(found)

    def enum(self) -> tuple[list[str] | None, str]:
        """The values the schema enumerates and where; None when it enumerates none, or
        when an alternative allows any text beside them (``anyOf: [State, {type: string}]``:
        an enumeration opened up is free text)."""
        values: list[str] = []
        pointer = self.pointer
        enumerated = False
        free = False
        for parts in self.alternatives:
            listed = False
            for part, where in parts:
                if isinstance(part.get("enum"), list):
                    enumerated = listed = True
                    pointer = f"{where}/enum"
                    values += [
                        str(v) for v in part["enum"] if v is not None and str(v) not in values
                    ]
            stated = {kind for part, _ in parts for kind in _type_names(part)}
            if not listed and "string" in stated:
                free = True
        return (values if enumerated and not free else None), pointer


@dataclass
class _Seen:
    """The objects a module's declarations pass through (pointer -> schema part), the
    functions that pass through each, and the properties they read there."""

    objects: dict[str, dict[str, Any]]
    functions: dict[str, set[str]]
    read: dict[tuple[str, str], set[str]]  # (object pointer, property) -> functions


def _step(
    doc: _Document,
    node: _Node,
    name: str,
    seen: _Seen | None = None,
    function: str = "",
) -> tuple[_Node | None, str, str]:
    """The property ``name`` (``name[]``: its items) of ``node``; on failure None, the
    location where it was expected and what is wrong."""
    items = name.endswith("[]")
    key = name[:-2] if items else name
    found: list[tuple[Any, str]] = []
    required_everywhere = True
    holder = node.pointer
    holder_properties: list[str] = []
    for parts in node.alternatives:
        here = None
        required = False
        for part, where in parts:
            properties = part.get("properties")
            if isinstance(properties, dict):
                if seen is not None:
                    seen.objects[where] = part
                    seen.functions.setdefault(where, set()).add(function)
                    if key in properties:
                        seen.read.setdefault((where, key), set()).add(function)
                holder = where
                holder_properties += [str(p) for p in properties if str(p) not in holder_properties]
                if key in properties:
                    here = (properties[key], f"{where}/properties/{_escape(key)}")
            if key in _listed(part.get("required")):
                required = True
        if here is None:
            # An alternative that is no object at all (an array, a string) is reported as
            # the holder's type change, not as each field's requiredness.
            if _is_object_alternative(parts):
                required_everywhere = False
            continue
        found.append(here)
        required_everywhere = required_everywhere and required
    if not found:
        return None, f"{holder}/properties/{_escape(key)}", ", ".join(holder_properties)
    alternatives = [a for sub, where in found for a in doc.alternatives(sub, where)]
    pointer = found[0][1]
    child = _Node(alternatives, pointer, required_everywhere)
    if not items:
        return child, pointer, ""
    item_alternatives = []
    item_pointer = pointer
    for parts in child.alternatives:
        for part, where in parts:
            if "items" in part:
                item_pointer = f"{where}/items"
                item_alternatives += doc.alternatives(part["items"], item_pointer)
    if not item_alternatives:
        return None, f"{pointer}/items", "not an array"
    return _Node(item_alternatives, item_pointer, True, child), item_pointer, ""


def _moved_to(
    doc: _Document, holder: _Node, key: str, read: Collection[str], depth: int = 2
) -> list[str]:
    """Where a property named ``key`` now stands below the other properties of ``holder``
    but those in ``read`` (paths from it, at most ``depth`` levels down): a field moved
    under a new wrapper. A property a declaration reads was there before, no wrapper."""
    found: set[str] = set()

    def walk(alternatives: list[list[tuple[dict[str, Any], str]]], prefix: str, level: int) -> None:
        for parts in alternatives:
            for part, where in parts:
                if "array" in _type_names(part) and "items" in part and 0 < level < depth:
                    items = doc.alternatives(part["items"], f"{where}/items")
                    walk(items, f"{prefix}[].", level + 1)
                for name, schema in _properties(part).items():
                    if not level and str(name) in read:
                        continue
                    path = f"{prefix.removesuffix('.')}.{name}" if prefix else str(name)
                    if level and str(name) == key:
                        found.add(path.replace(".[]", "[]"))
                    elif level < depth:
                        inner = doc.alternatives(schema, f"{where}/properties/{_escape(str(name))}")
                        walk(inner, f"{path}.", level + 1)

    walk(holder.alternatives, "", 0)
    return sorted(found)


def _read_below(paths: Collection[str], prefix: Sequence[str]) -> set[str]:
    """The names read right below ``prefix`` (segments) among dotted ``paths``."""
    want = [segment.removesuffix("[]") for segment in prefix]
    names = set()
    for path in paths:
        segments = [segment.removesuffix("[]") for segment in path.split(".")]
        if len(segments) > len(want) and segments[: len(want)] == want:
            names.add(segments[len(want)])
    return names


def _is_object(node: _Node) -> bool:
    """Whether some alternative of the schema may be an object."""
    return any(_is_object_alternative(parts) for parts in node.alternatives)


def _json_body(doc: _Document, response: Any, op_pointer: str, status: str) -> bool:
    """Whether a response answers with a body the library reads as JSON."""
    resolved, _ = doc.resolve(response, f"{op_pointer}/responses/{status}")
    content = _mapping_of(_mapping_of(resolved).get("content"))
    return any(_readable(str(m), False) for m in content)


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split(".") if segment]


@dataclass
class Context:
    """What the check knows beside one module's declaration and its vendor's document."""

    known: frozenset[str] = frozenset()  # operationIds (and other strings) the code names
    generated: Path | None = None  # generated/<vendor>/<package>/ as last regenerated
    amount_rule: str = ""  # the library's decimal-text grammar (normalize/_money.py)
    # Each amount reader of normalize/_money.py -> the text it reads (a regular expression).
    amount_rules: Mapping[str, str] = dataclasses.field(default_factory=dict)


def _every_error_status(
    doc: _Document, reads: Sequence[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], set[int]]:
    """The declared reads, and for each read of an error status (4xx, 5xx) the same read at
    every other error status its operation documents with a JSON body and that no
    declaration names: ``parse_response`` reads the vendor's error body under any error
    status, so each one's schema must give what the mapping reads. The second value holds
    the indexes of those implied reads."""
    out = list(reads)
    implied: set[int] = set()
    named = {(str(r["operation"]), str(r["status"])) for r in reads}
    for read in reads:
        status = str(read["status"])
        if status[:1] not in ("4", "5"):
            continue
        found = doc.operation(str(read["operation"]))
        if found is None:
            continue
        operation, op_pointer = found
        # A status may be a YAML integer (404:) or a string ("404":).
        responses = {str(k): v for k, v in _mapping_of(operation.get("responses")).items()}
        for other in sorted(responses):
            if other[:1] not in ("4", "5") or (str(read["operation"]), other) in named:
                continue
            if not _json_body(doc, responses[other], op_pointer, other):
                continue  # no JSON body: the status alone says what happened
            implied.add(len(out))
            out.append({**read, "status": other})
    return out, implied


def check_declared(
    spec: Mapping[str, Any],
    label: str,
    declared: Declared,
    context: Context | None = None,
) -> list[Break]:
    """The breaks between one module's declaration and its vendor's document, and the
    warnings for what the document adds beside what the module reads."""
    context = context or Context()
    doc = _Document(spec, label)
    out: list[Break] = []
    seen = _Seen({}, {}, {})
    suggested: set[str] = set()  # properties a break already names as a rename
    reads, implied = _every_error_status(doc, declared.reads)
    # (operation, status) -> every path read as a field, from the body's root, ``[]`` dropped.
    body_fields: dict[tuple[str, str], set[str]] = {}
    for read in reads:
        at_path = _segments(str(read.get("at", "")))
        for field in {*read["fields"], *(read.get("enums") or {})}:
            body_fields.setdefault((str(read["operation"]), str(read["status"])), set()).add(
                ".".join([*at_path, *_segments(field)]).removesuffix("[]")
            )
    for index_of_read, read in enumerate(reads):
        function = str(read["function"])

        def broken(
            pointer: str, change: str, function: str = function, warning: bool = False
        ) -> None:
            out.append(Break(declared.module, function, doc.where(pointer), change, warning))

        if function not in declared.functions:
            where = declared.source or f"normalize/vendors/{declared.path.name}"
            out.append(Break(declared.module, function, where, "mapping function not found"))
        found = doc.operation(str(read["operation"]))
        if found is None:
            old_id = str(read["operation"])
            old = _generated_place(context.generated, identifier(old_id, "field_"))
            new_id = _successor(doc, old, old_id, context)
            if new_id:
                broken(
                    _places(doc)[new_id].pointer,
                    f"operation {old_id!r} is gone (renamed? now there: {new_id!r})",
                )
            else:
                broken("/paths", f"operation {old_id!r} is gone")
            continue
        operation, op_pointer = found
        status = str(read["status"])
        responses = {str(k): v for k, v in _mapping_of(operation.get("responses")).items()}
        if status not in responses:
            # A success moved to another 2xx with a JSON body (200 -> 201) is likely where
            # it went; an error status gone says nothing of the others, always there.
            same = sorted(
                k
                for k in responses
                if status[:1] == "2" == k[:1] and _json_body(doc, responses[k], op_pointer, k)
            )
            hint = f" (now there: {', '.join(same)})" if same else ""
            broken(f"{op_pointer}/responses", f"response {status} is gone{hint}")
            continue
        response, pointer = doc.resolve(responses[status], f"{op_pointer}/responses/{status}")
        content = _mapping_of(_mapping_of(response).get("content"))
        for media_type in content:
            # An error status the declaration reaches only by the rule below may also
            # answer in a type no mapping reads (a text/plain 401): the status decides then.
            if index_of_read in implied:
                break
            if not _readable(str(media_type), declared.reads_xml):
                broken(
                    f"{pointer}/content/{_escape(str(media_type))}",
                    f"media type {media_type!r} of response {status} added: the mapping reads"
                    f" {'JSON and XML' if declared.reads_xml else 'JSON'} only",
                    warning=True,
                )
        # The JSON body: ``application/json`` (parameters such as ``charset`` aside), else a
        # ``+json`` type, as ``_readable`` takes them.
        json_types = [str(m) for m in content if _readable(str(m), False)]
        kinds_of = {m.split(";")[0].strip().lower(): m for m in json_types}
        media_type = kinds_of.get("application/json", json_types[0] if json_types else "")
        media = content.get(media_type)
        if not isinstance(media, dict) or "schema" not in media:
            broken(f"{pointer}/content", "no application/json schema")
            continue
        media_pointer = f"{pointer}/content/{_escape(media_type)}/schema"
        if "model" in read:
            # The decode reads this response into the generated struct of this name.
            ref = media["schema"].get("$ref") if isinstance(media["schema"], dict) else None
            schema_name = str(ref).rsplit("/", 1)[-1] if ref else None
            if not (ref and str(ref) == f"#/components/schemas/{schema_name}"):
                broken(
                    media_pointer,
                    f"the response schema is no named schema (model {read['model']!r})",
                )
            elif schema_name != read["model"]:
                broken(
                    media_pointer,
                    f"the response schema is {schema_name!r}, the declaration reads model"
                    f" {read['model']!r}",
                )
        root = _Node(doc.alternatives(media["schema"], media_pointer), media_pointer)
        root.pointer = doc.resolve(media["schema"], media_pointer)[1]
        root_types = (root.types() or frozenset()) - {"null"}
        if root_types - {"object"}:
            broken(
                root.pointer,
                f"the body: type changed: the mapping reads object, the spec says"
                f" {_join(root_types)}",
            )
        at = _segments(str(read.get("at", "")))
        enums: Mapping[str, Sequence[str]] = read.get("enums") or {}
        declared_names = _declared_names(at, read["fields"], enums)
        # Objects on the way to a read field that some declaration of this response reads
        # as a field of its own are checked as that field; the others as needed objects.
        elsewhere = body_fields.get((str(read["operation"]), status), set())
        parents_checked: set[str] = set()
        for field in sorted({*read["fields"], *enums}):
            kinds, optional = _types_of(str(read["fields"].get(field, "string")))
            node: _Node | None = root
            prefix: list[str] = []
            holder: _Node = root
            path = [*at, *_segments(field)]
            for index, segment in enumerate(path):
                assert node is not None
                holder = node
                node, where, problem = _step(doc, node, segment, seen, function)
                if node is None:
                    if problem == "not an array":
                        broken(where, f"{'.'.join([*prefix, segment])} is no longer an array")
                    else:
                        if not _is_object(holder) or _unresolved(holder):
                            # The holder is no object now (its type change says it, once),
                            # or lies behind a $ref the check cannot follow (named once).
                            break
                        # A renamed property: an unread one here with a similar name. A
                        # moved one: the same name below another object no declaration
                        # reads (a new wrapper, or one that was always there: the spec
                        # cannot say which, so both hints are given when both are found).
                        siblings = declared_names.get(tuple(prefix), set())
                        unread = [p for p in problem.split(", ") if p and p not in siblings]
                        name = segment.removesuffix("[]")
                        near = difflib.get_close_matches(name, unread)
                        read_here = _read_below(elsewhere, prefix) | {
                            sibling.removesuffix("[]") for sibling in siblings
                        }
                        moved = _moved_to(doc, holder, name, read_here)
                        hints = []
                        if near:
                            hints.append(f"renamed? now there: {', '.join(map(repr, near))}")
                        if moved:
                            hints.append(f"moved? now at {', '.join(map(repr, moved))}")
                        hint = f" ({'; '.join(hints)})" if hints else ""
                        holder_at = where.rsplit("/", 1)[0]
                        suggested |= {doc.where(f"{holder_at}/{_escape(n)}") for n in near}
                        broken(where, f"property {name!r} is gone{hint}")
                    break
                prefix.append(segment)
                if index < len(path) - 1:
                    # An object (or array) on the way: needed as a read field is.
                    inside = path[: index + 1] if index < len(at) else path[len(at) : index + 1]
                    label = ".".join(inside)
                    if label not in parents_checked:
                        parents_checked.add(label)
                        own = ".".join(path[: index + 1]).removesuffix("[]") in elsewhere
                        _compare_parent(node, label, broken, declared_elsewhere=own)
            if node is None:
                continue
            if field in read["fields"]:
                _compare_types(node, field, kinds, optional, broken)
                name = _segments(field)[-1]
                readers = _readers_of(declared, function, field)
                if _is_amount(name, holder) and context.amount_rule:
                    rule = _amount_rule_of(declared, function, readers, context)
                    _compare_amount_pattern(node, field, rule, broken)
                date_time = sorted(readers & _DATE_TIME_READERS)
                if date_time:
                    _compare_date_time(node, field, date_time[0], broken)
            values, where = node.enum()
            if field in enums:
                handled = [str(v) for v in enums[field]]
                if values is None:
                    broken(node.pointer, f"{field} is no longer an enumeration")
                for value in values or ():
                    if value not in handled:
                        broken(where, f"enum value {value!r} of {field} is not handled")
                for value in handled:
                    if values is not None and value not in values:
                        broken(
                            where,
                            f"enum value {value!r} of {field} removed: the mapping still handles"
                            " a value the spec no longer sends",
                            warning=True,
                        )
            elif values is not None and "string" in kinds:
                broken(
                    where,
                    f"{field} is now an enumeration ({', '.join(map(repr, values))}): the decode"
                    " refuses any other value, and the mapping declares none it handles",
                )
    out += [line for line in _unread_amounts(doc, declared, seen) if line.location not in suggested]
    return out


# --- what the mapping needs of a field beyond its type ------------------------------------------

_CURRENCY = re.compile("currency", re.IGNORECASE)
_AMOUNT_NAME = re.compile("amount|balance|value", re.IGNORECASE)


def _property_names(node: _Node) -> set[str]:
    return {
        str(name) for parts in node.alternatives for part, _ in parts for name in _properties(part)
    }


def _is_amount(name: str, holder: _Node) -> bool:
    """An amount: beside a currency in its object, and named like one."""
    siblings = _property_names(holder)
    return (
        not _CURRENCY.search(name)
        and bool(_AMOUNT_NAME.search(name.removesuffix("[]")))
        and any(_CURRENCY.search(sibling) for sibling in siblings)
    )


def _compare_amount_pattern(node: _Node, field: str, rule: str, broken: Any) -> None:
    """An amount sent as text must be text the amount rule reads: the spec's ``pattern``
    (JSON Schema: a search, not a full match) may admit nothing else."""
    for parts in node.alternatives:
        if not any("string" in _type_names(part) for part, _ in parts):
            continue
        patterns = [
            (part["pattern"], where)
            for part, where in parts
            if isinstance(part.get("pattern"), str)
        ]
        if not patterns:
            broken(
                node.pointer,
                f"{field}: an amount as text with no pattern: the spec allows any text, the"
                f" amount rule reads only {rule}",
            )
            continue
        for pattern, where in patterns:
            admitted = _admitted_not_read(str(pattern), rule)
            if admitted is not None:
                broken(
                    f"{where}/pattern",
                    f"{field}: pattern changed: {pattern!r} admits {admitted!r}, which the"
                    f" amount rule ({rule}) refuses",
                )


# Texts a pattern may admit that are no decimal number as the amount rule reads them.
_PROBES = ("12,50", "1,000.00", "1e3", "+1", " 1", "1 ", "1.", ".5", "1_000", "NaN", "", "0x1F")


def _admitted_not_read(pattern: str, rule: str) -> str | None:
    """A text the spec's pattern admits and the amount rule refuses, or None."""
    try:
        spec_pattern = re.compile(pattern)
    except re.error:
        return f"(a pattern Python cannot read: {pattern})"
    reader = re.compile(rule)
    for text in (*_samples(pattern), *_PROBES):
        if spec_pattern.search(text) and not reader.fullmatch(text):
            return text
    return None


_ALPHABET = "09aZ.,-+e_ "


def _samples(pattern: str, limit: int = 500) -> list[str]:
    """Texts a regular expression matches, a few of each choice it offers (bounded)."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return []

    def chars(items: Any) -> list[str]:
        found: list[str] = []
        negate = False
        for op, arg in items:
            name = str(op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                found.append(chr(arg))
            elif name == "RANGE":
                found += [chr(arg[0]), chr(arg[1])]
            elif name == "CATEGORY":
                found += {
                    "CATEGORY_DIGIT": ["0", "9"],
                    "CATEGORY_NOT_DIGIT": ["a", ".", ","],
                    "CATEGORY_SPACE": [" "],
                    "CATEGORY_NOT_SPACE": ["0", "a", ","],
                    "CATEGORY_WORD": ["0", "a", "_"],
                    "CATEGORY_NOT_WORD": [".", ",", " "],
                }.get(str(arg), [])
        if negate:
            return [c for c in _ALPHABET if c not in found]
        return found

    def expand(seq: Any) -> list[str]:
        texts = [""]
        for op, arg in seq:
            name = str(op)
            if name == "LITERAL":
                options = [chr(arg)]
            elif name == "NOT_LITERAL":
                options = [c for c in _ALPHABET if c != chr(arg)]
            elif name == "ANY":
                options = list(_ALPHABET)
            elif name == "IN":
                options = chars(arg)
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, sub = arg
                inner = expand(sub)
                counts = sorted({low, low + 1, low + 2} & set(range(low, min(high, low + 2) + 1)))
                options = []
                for count in counts:
                    made = [""]
                    for _ in range(count):
                        made = [a + b for a in made for b in inner][:limit]
                    options += made
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                options = expand(arg[-1] if name == "SUBPATTERN" else arg)
            elif name == "BRANCH":
                options = [text for branch in arg[1] for text in expand(branch)]
            elif name == "AT":
                options = [""]
            else:
                return []
            texts = [a + b for a in texts for b in options][:limit]
        return texts

    return expand(parsed)


def _balance_in(
    doc: _Document,
    name: str,
    schema: Any,
    pointer: str,
    depth: int = 0,
    cache: dict[tuple[str, str, int], tuple[str, str] | None] | None = None,
) -> tuple[str, str] | None:
    """How a property looks like a balance, or None: what it is and where below the
    property it stands ("" for the property itself, else ".child", "[]", "{}" steps).

    A balance is an object holding an amount-named property (one that names no type, code,
    id, date or time: ``balanceType`` is not an amount) beside a currency, or a list or map
    of those; or an amount-named number (a JSON number, an integer, or a string whose
    format or pattern says it is a number); or an object, list or map that holds one of
    these a few levels down. Results are kept in ``cache`` (a schema's fan-out would
    otherwise be searched again at each depth)."""
    cache = {} if cache is None else cache
    key = (name, pointer, depth)
    if key not in cache:
        cache[key] = None  # a schema met again inside its own search holds nothing new
        cache[key] = _search_balance(doc, name, schema, pointer, depth, cache)
    return cache[key]


def _search_balance(
    doc: _Document,
    name: str,
    schema: Any,
    pointer: str,
    depth: int,
    cache: dict[tuple[str, str, int], tuple[str, str] | None],
) -> tuple[str, str] | None:
    alternatives = doc.alternatives(schema, pointer)
    deeper = depth < _MONEY_DEPTH
    children: dict[str, tuple[str, Any]] = {}
    containers: list[tuple[Any, str, str]] = []
    for parts in alternatives:
        # The properties of all the parts of one alternative (allOf members pooled).
        properties = {
            str(key): (value, f"{where}/properties/{_escape(str(key))}")
            for part, where in parts
            for key, value in _properties(part).items()
        }
        if any(_CURRENCY.search(key) for key in properties) and any(
            _AMOUNT_NAME.search(key) and not _CURRENCY.search(key) and _names_an_amount(key)
            for key in properties
        ):
            return _WITH_CURRENCY, ""
        for key, (value, where) in properties.items():
            children.setdefault(where, (key, value))
        for part, where in parts:
            items = _items_of(part)
            if items is not None:
                containers.append((items, f"{where}/items", "[]"))
            extra = part.get("additionalProperties")
            if isinstance(extra, dict):
                containers.append((extra, f"{where}/additionalProperties", "{}"))
    if deeper:
        for inner_schema, inner_pointer, step in containers:
            inner = _balance_in(doc, name, inner_schema, inner_pointer, depth + 1, cache)
            if inner == (_WITH_CURRENCY, ""):
                return _MANY[step], ""
            if inner is not None:
                return inner[0], f"{step}{inner[1]}"
    if (
        _BARE_AMOUNT_NAME.search(name)
        and _names_an_amount(name)
        and _is_number(alternatives, pointer)
    ):
        return "an amount", ""
    if deeper:
        for where, (child, child_schema) in children.items():
            inner = _balance_in(doc, child, child_schema, where, depth + 1, cache)
            if inner is not None:
                return inner[0], f".{child}{inner[1]}"
    return None


def _items_of(part: Mapping[str, Any]) -> Any:
    """An array's item schema (``items`` where the part is an array or says no type)."""
    items = part.get("items")
    kinds = _type_names(part)
    return items if isinstance(items, dict) and (not kinds or "array" in kinds) else None


def _words(name: str) -> list[str]:
    """The words of a property name, lower case: camelCase, snake_case, kebab-case."""
    return [word.lower() for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


def _names_an_amount(name: str) -> bool:
    """Whether an amount-named property may hold an amount: its last word names no type,
    code, id, status, version or count, and no word names a date or time, nor does a last
    ``at`` or ``ms`` (``availableBalanceDate``, ``updatedAtMs``); ``updatedBalance`` and
    ``lifetimeAmount`` may."""
    words = _words(name)
    if not words or words[-1] in _NOT_AMOUNT_LAST or _TIME_WORDS.intersection(words):
        return False
    return not (len(words) > 1 and words[-1] in ("at", "ms"))


_WITH_CURRENCY = "an amount with a currency"
_MANY = {"[]": "a list of amounts with a currency", "{}": "a map of amounts with a currency"}
# How deep below a property a balance is looked for (bounded: schemas may refer to
# themselves); the name of a bare amount (``value`` alone names too much); the last words
# and the words that say a property holds no amount.
_MONEY_DEPTH = 3
_BARE_AMOUNT_NAME = re.compile("amount|balance", re.IGNORECASE)
_NOT_AMOUNT_LAST = frozenset(("type", "code", "id", "status", "kind", "version", "count"))
_TIME_WORDS = frozenset(("date", "time", "timestamp", "datetime"))
_NUMBER_FORMATS = frozenset(("decimal", "number", "double", "float", "money"))
# A text made of digits, signs, points and commas, with a digit: a number as some spec
# writes one ("-12.50", "1,000.00", ".5").
_NUMBER_TEXT = re.compile(r"[-+]?[0-9.,]*[0-9][0-9.,]*")


def _is_number(alternatives: list[list[tuple[dict[str, Any], str]]], pointer: str) -> bool:
    """Whether a schema says a number: a JSON number or integer, or a string whose format
    names a number or whose pattern admits only number-like texts."""
    types = _Node(alternatives, pointer).types() or frozenset()
    if "number" in types or "integer" in types:
        return True
    for parts in alternatives:
        for part, _ in parts:
            if isinstance(part.get("format"), str) and part["format"] in _NUMBER_FORMATS:
                return True
            pattern = part.get("pattern")
            if "string" in _type_names(part) and isinstance(pattern, str):
                samples = _samples(pattern)
                if samples and all(_NUMBER_TEXT.fullmatch(text) for text in samples):
                    return True
    return False


def _unread_amounts(doc: _Document, declared: Declared, seen: _Seen) -> list[Break]:
    """Warnings: a property shaped like a balance, in an object the mapping reads, that no
    declaration of the module reads (a new balance would be dropped without a word)."""
    out = []
    cache: dict[tuple[str, str, int], tuple[str, str] | None] = {}
    for pointer, part in sorted(seen.objects.items()):
        # The functions that read a balance here: those reading one as it stands first,
        # then those reading one held deeper.
        as_it_stands: set[str] = set()
        held_deeper: set[str] = set()
        unread = []
        for name, schema in _properties(part).items():
            where = f"{pointer}/properties/{_escape(str(name))}"
            found = _balance_in(doc, str(name), schema, where, cache=cache)
            readers = seen.read.get((pointer, str(name)))
            if found is None:
                continue
            shape, below = found
            if readers:
                (held_deeper if below else as_it_stands).update(readers)
            else:
                described = f"{shape}, at {name}{below}" if below else shape
                unread.append((str(name), described, where))
        for name, described, where in unread:
            function = sorted(as_it_stands or held_deeper or seen.functions.get(pointer) or {"-"})[
                0
            ]
            out.append(
                Break(
                    declared.module,
                    function,
                    doc.where(where),
                    f"property {name!r} looks like a balance ({described}) and no mapping reads it",
                    warning=True,
                )
            )
    return out


def _readable(media_type: str, reads_xml: bool) -> bool:
    """Whether the library reads bodies of this media type."""
    kind = media_type.split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return True
    return reads_xml and (kind in ("application/xml", "text/xml") or kind.endswith("+xml"))


def _declared_names(
    at: list[str], fields: Mapping[str, str], enums: Mapping[str, Sequence[str]]
) -> dict[tuple[str, ...], set[str]]:
    """For each object position, the property names the declaration reads there."""
    names: dict[tuple[str, ...], set[str]] = {}
    for field in {*fields, *enums}:
        segments = [*at, *_segments(field)]
        for index, segment in enumerate(segments):
            names.setdefault(tuple(segments[:index]), set()).add(segment.removesuffix("[]"))
    return names


def _compare_types(
    node: _Node, field: str, kinds: frozenset[str], optional: bool, broken: Any
) -> None:
    """The declaration against the spec: the types, and requiredness both ways (a needed
    field the spec makes optional or nullable; a field declared optional the spec requires,
    which the decode, reading the spec's structs, then refuses a body without)."""
    spec_types = node.types()
    if spec_types is None:
        broken(node.pointer, f"{field}: type no longer stated (the mapping expects {_join(kinds)})")
        return
    accepted = set(kinds) | ({"integer"} if "number" in kinds else set())
    other = spec_types - accepted - {"null"}
    if other:
        broken(
            node.pointer,
            f"{field}: type changed: the mapping expects {_join(kinds)}, the spec says"
            f" {_join(spec_types - {'null'})}",
        )
    if optional or "null" in kinds:
        if optional and node.required and "null" not in spec_types:
            # The decode reads a required field as required: a body without it is refused.
            broken(
                node.pointer,
                f"{field}: declared optional but the spec requires it: the decode refuses a"
                " body without it; drop '?' from the declaration or, if the vendor still"
                " leaves it out, keep it optional in the spec",
            )
        return
    loosened = []
    if not node.required:
        loosened.append("no longer required")
    if "null" in spec_types:
        loosened.append("now nullable")
    if loosened:
        broken(node.pointer, f"{field}: {' and '.join(loosened)}, and the mapping needs a value")


def _compare_parent(
    node: _Node, label: str, broken: Any, *, declared_elsewhere: bool = False
) -> None:
    """An object (or array) on the way to a read field, which the mapping reads into: it
    must be required and not null, as a read field without ``?`` (unless a declaration of
    the same response reads it as a field, which says so); an array's items not null."""
    container = node.container or node
    loosened = []
    if not declared_elsewhere:
        # The mapping reads into it: an object, or (``name[]``) an array of objects.
        wanted = "array" if node.container is not None else "object"
        types = (container.types() or frozenset()) - {"null"}
        if types - {wanted}:
            broken(
                container.pointer,
                f"{label.removesuffix('[]')}: type changed: the mapping reads {wanted}, the spec"
                f" says {_join(types)}",
            )
        if not container.required:
            loosened.append("no longer required")
        if "null" in (container.types() or frozenset()):
            loosened.append("now nullable")
        if loosened:
            broken(
                container.pointer,
                f"{label.removesuffix('[]')}: {' and '.join(loosened)}, and the mapping needs a"
                " value",
            )
    if node.container is not None:
        items = node.types() or frozenset()
        if items - {"object", "null"}:
            broken(
                node.pointer,
                f"{label}: items type changed: the mapping reads object, the spec says"
                f" {_join(items - {'null'})}",
            )
        if "null" in items:
            broken(node.pointer, f"{label}: items now nullable, and the mapping needs a value")


def _readers_of(declared: Declared, function: str, field: str) -> set[str]:
    """The readers ``function`` passes ``field`` to: a call naming the field (``field=``)
    or reading an attribute of its name."""
    name = _segments(field)[-1].removesuffix("[]")
    names = {name, identifier(name, "field_")}
    return {
        r.reader
        for r in declared.readers
        if r.function == function and (r.field == field or r.attribute in names)
    }


def _amount_rule_of(declared: Declared, function: str, readers: set[str], context: Context) -> str:
    """The text the amount reader of a field reads: its reader's (``readers``), else the
    one amount reader ``function`` calls, else the decimal-text rule."""
    rules = {context.amount_rules[r] for r in readers if r in context.amount_rules}
    if not rules:
        rules = {
            context.amount_rules[r.reader]
            for r in declared.readers
            if r.function == function and r.reader in context.amount_rules
        }
    return rules.pop() if len(rules) == 1 else context.amount_rule


def _compare_date_time(node: _Node, field: str, reader: str, broken: Any) -> None:
    """A field the mapping reads as an RFC 3339 date-time: each text the spec allows
    there must be one (``format: date-time``)."""
    for parts in node.alternatives:
        if not any("string" in _type_names(part) for part, _ in parts):
            continue
        formats = [str(part["format"]) for part, _ in parts if "format" in part]
        if "date-time" in formats:
            continue
        said = f"format {formats[0]!r}" if formats else "no format"
        broken(
            node.pointer,
            f"{field}: {said}, not 'date-time': the mapping reads it as an RFC 3339 date-time"
            f" ({reader})",
        )
        return


def _join(kinds: frozenset[str] | set[str]) -> str:
    return "|".join(sorted(kinds))


# --- operations: what the code calls by name ------------------------------------------------------
#
# openapi-python-client writes one module per operation, api/<tag>/<operationId in snake
# case>.py, and the live clients import those modules by name. A renamed operationId renames
# the module, so regenerating would remove a module the library imports and break ``import
# normalize.live`` (and every test module that imports it). The check therefore works out,
# from the spec alone and before any generator runs, which modules the new output will hold,
# and names each import that would fail (``blocks``: scripts/regenerate keeps that vendor's
# generated/ tree until the code names the new module, so nothing that imports it breaks).

_RESERVED = (set(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


def identifier(value: str, prefix: str) -> str:
    """A name as openapi-python-client spells it in Python (``PythonIdentifier``): operation
    modules take the prefix ``field_``, tag folders ``tag``, when the name needs one."""
    safe = "".join(c for c in value if c.isidentifier() or c.isdecimal() or c in ". _-")
    words = safe
    if any(c.isupper() for c in words):
        words = " ".join(re.split("([A-Z]?[a-z]+)", words))
    name = "_".join(re.findall(r"[^. _\-]+", words)).lower()
    if name in _RESERVED or keyword.iskeyword(name):
        name = f"{name}_"
    if not name.isidentifier() or safe.startswith("_"):
        name = f"{prefix}{name}"
    return name


@dataclass(frozen=True)
class _Place:
    operation_id: str
    method: str
    path: str
    pointer: str
    module: tuple[str, str]  # (tag folder, operation module) of the generated client


def _places(doc: _Document) -> dict[str, _Place]:
    """Each operationId of the document, where it is and the module it is generated into."""
    found = {}
    for path, item in _mapping_of(doc.spec.get("paths")).items():
        for method in HTTP_METHODS:
            operation = _mapping_of(item).get(method)
            if not isinstance(operation, dict) or not operation.get("operationId"):
                continue
            operation_id = str(operation["operationId"])
            tags = operation.get("tags") or ["default"]
            module = (identifier(str(tags[0]), "tag"), identifier(operation_id, "field_"))
            pointer = f"/paths/{_escape(str(path))}/{method}"
            found[operation_id] = _Place(operation_id, method, str(path), pointer, module)
    return found


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _path_parameters(path: str) -> list[str]:
    return [identifier(name, "field_") for name in re.findall(r"\{([^}]*)\}", path)]


def _generated_place(generated: Path | None, module: str) -> tuple[str, str] | None:
    """(method, URL template) of an operation module as last generated, or None."""
    if generated is None:
        return None
    for path in sorted(generated.glob(f"api/*/{module}.py")):
        text = path.read_text(encoding="utf-8")
        method = re.search(r'"method":\s*"(\w+)"', text)
        url = re.search(r'"url":\s*f?"([^"]*)"', text)
        if method and url:
            return method.group(1), url.group(1)
    return None


def _successor(doc: _Document, old: tuple[str, str] | None, old_id: str, context: Context) -> str:
    """The operationId that took ``old_id``'s place (same method and path as it was last
    generated, else a similar name the code does not know), or ""."""
    places = _places(doc)
    unknown = [p for p in places.values() if p.operation_id not in context.known]
    if old is not None:
        method, url = old
        for place in unknown:
            if place.method == method and _shape(place.path) == _shape(url):
                return place.operation_id
    near = difflib.get_close_matches(old_id, [p.operation_id for p in unknown], n=1)
    return near[0] if near else ""


# What openapi-python-client's operation modules offer to call; path parameters come first,
# positional, in the order of the path.
_CALLS = frozenset({"_get_kwargs", "sync", "sync_detailed", "asyncio", "asyncio_detailed"})


@dataclass(frozen=True)
class _Call:
    """A call of a generated operation module's function, as the source writes it."""

    function: str  # the top-level function or class it is in
    callee: str  # get_balance._get_kwargs
    positional: tuple[str, ...]  # each positional argument's name ("" when no plain name)
    keywords: tuple[str, ...]
    open_ended: bool  # *args or **kwargs: its arguments cannot be read


@dataclass(frozen=True)
class _Use:
    """A generated operation module imported by one module of normalize."""

    module: str  # normalize.vendors.token_io.live
    package: str  # token_io_client
    operation_module: tuple[str, str]  # ("balances", "get_balance")
    functions: tuple[str, ...]  # the top-level functions and classes that use it
    strings: frozenset[str]  # every string constant of the importing module
    calls: tuple[_Call, ...] = ()


@dataclass(frozen=True)
class _ModelUse:
    """A generated model class imported by one module of normalize."""

    module: str
    package: str
    name: str  # PartnerCredentials
    functions: tuple[str, ...]


def _module_of(path: Path, normalize_dir: Path) -> str:
    relative = path.relative_to(normalize_dir.parent).with_suffix("").parts
    return ".".join(relative[:-1] if relative[-1] == "__init__" else relative)


def _users(tree: ast.Module, local: str) -> tuple[str, ...]:
    """The top-level functions and classes that name ``local``."""
    return tuple(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and any(isinstance(n, ast.Name) and n.id == local for n in ast.walk(node))
    ) or ("import",)


def _calls(tree: ast.Module, prefix: str, functions: frozenset[str]) -> tuple[_Call, ...]:
    """The calls of ``prefix.<one of functions>`` (``prefix`` a module's local or dotted
    name), or of ``prefix`` itself when it names one of them."""
    found = []
    for top in tree.body:
        if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for node in ast.walk(top):
            if not isinstance(node, ast.Call):
                continue
            callee = ast.unparse(node.func)
            head, _, last = callee.rpartition(".")
            if not ((head == prefix and last in functions) or (callee == prefix and not head)):
                continue
            positional = tuple(
                arg.id if isinstance(arg, ast.Name) else ""
                for arg in node.args
                if not isinstance(arg, ast.Starred)
            )
            open_ended = any(isinstance(arg, ast.Starred) for arg in node.args) or any(
                k.arg is None for k in node.keywords
            )
            keywords = tuple(str(k.arg) for k in node.keywords if k.arg is not None)
            found.append(_Call(top.name, callee, positional, keywords, open_ended))
    return tuple(found)


def generated_uses(normalize_dir: Path, packages: Iterable[str]) -> list[_Use]:
    """Every import of a generated operation module (``<package>.api.<tag>.<operation>``)
    in the Python files under ``normalize_dir``, with the calls made through it."""
    wanted = set(packages)
    found = []
    for path in sorted(normalize_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        tree = _tree(path)
        module = _module_of(path, normalize_dir)
        # local name -> (package, op, the prefix its calls are written with, what it offers)
        imported: dict[str, tuple[str, tuple[str, str], str, frozenset[str]]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parts = node.module.split(".")
                if parts[0] not in wanted or parts[1:2] != ["api"]:
                    continue
                for alias in node.names:
                    local = alias.asname or alias.name
                    if len(parts) == 3:  # from pkg.api.tag import operation
                        operation = (parts[2], alias.name)
                        imported[local] = (parts[0], operation, local, _CALLS)
                    elif len(parts) == 4:  # from pkg.api.tag.operation import name
                        offers = frozenset({alias.name}) & _CALLS
                        imported[local] = (parts[0], (parts[2], parts[3]), local, offers)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] in wanted and len(parts) == 4 and parts[1] == "api":
                        local = alias.asname or parts[0]
                        prefix = alias.asname or alias.name
                        imported[local] = (parts[0], (parts[2], parts[3]), prefix, _CALLS)
        if not imported:
            continue
        strings = _strings(path)
        for local, (package, operation, prefix, offers) in sorted(imported.items()):
            calls = _calls(tree, prefix, offers) if offers else ()
            found.append(_Use(module, package, operation, _users(tree, local), strings, calls))
    return found


def model_uses(normalize_dir: Path, packages: Iterable[str]) -> list[_ModelUse]:
    """Every import of a generated model class (``from <package>.models import Name``, or
    from one of its modules) in the Python files under ``normalize_dir``."""
    wanted = set(packages)
    found = []
    for path in sorted(normalize_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        tree = _tree(path)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            parts = node.module.split(".")
            if parts[0] not in wanted or parts[1:2] != ["models"] or len(parts) > 3:
                continue
            for alias in node.names:
                if alias.name[:1].isupper():
                    found.append(
                        _ModelUse(
                            _module_of(path, normalize_dir),
                            parts[0],
                            alias.name,
                            _users(tree, alias.asname or alias.name),
                        )
                    )
    return found


def _class_name(value: str) -> str:
    """A schema's name as openapi-python-client spells its model class (``ClassName``)."""
    safe = "".join(c for c in value if c.isidentifier() or c.isdecimal() or c in ". _-")
    words = re.findall(r"[^. _\-]+", re.sub("([A-Z]?[a-z]+)", r" \1 ", safe))
    return "".join(word if word.isupper() else word.capitalize() for word in words)


def _model_changes(doc: _Document, vendor: str, uses: Sequence[_ModelUse]) -> list[Break]:
    """Errors: a generated model class the code imports that the new output will not hold
    (its schema renamed or gone): regenerating would break the import (``blocks``)."""
    classes = {
        _class_name(str(name)): str(name)
        for name in ((doc.spec.get("components") or {}).get("schemas") or {})
    }
    imported = {use.name for use in uses}
    out = []
    for use in uses:
        if use.name in classes:
            continue
        unused = [name for name in classes if name not in imported]
        near = difflib.get_close_matches(use.name, unused, n=1)
        where = doc.where(
            f"/components/schemas/{_escape(classes[near[0]])}" if near else "/components/schemas"
        )
        hint = f" (renamed? now there: {classes[near[0]]!r})" if near else ""
        change = (
            f"model {use.name!r} is gone{hint}: the generated class {use.package}.models"
            f".{use.name} it imports will be gone"
        )
        out += [
            Break(use.module, function, where, change, blocks=vendor) for function in use.functions
        ]
    return out


def _call_problem(call: _Call, parameters: list[str]) -> str:
    """Why a call's arguments do not fit the path parameters (in the path's order), or ""."""
    if call.open_ended:
        return ""
    if len(call.positional) > len(parameters):
        return (
            f"{call.callee}(...) passes {len(call.positional)} positional argument(s), the path"
            f" has {len(parameters)}"
        )
    missing = [p for p in parameters[len(call.positional) :] if p not in call.keywords]
    if missing:
        return f"{call.callee}(...) passes no {', '.join(missing)}"
    swapped = [
        f"{name} as {parameter}"
        for name, parameter in zip(call.positional, parameters, strict=False)
        if name and name != parameter and name in parameters
    ]
    if swapped:
        return f"{call.callee}(...) passes {', '.join(swapped)}"
    return ""


def _operation_changes(
    doc: _Document, vendor: str, uses: Sequence[_Use], context: Context
) -> list[Break]:
    """For each generated operation module the code imports: an error when the new output
    will not hold it (the operation renamed, naming its new operationId, gone, or moved to
    another tag's folder), or when its path parameters do not fit the calls the code makes
    (read from the source, so the error stands until the call is changed); a warning when
    only its path changed since last generated (the call follows once regenerated)."""
    places = {place.module: place for place in _places(doc).values()}
    out = []
    for use in uses:
        tag, name = use.operation_module
        dotted = f"{use.package}.api.{tag}.{name}"
        old = _generated_place(context.generated, name)
        place = places.get(use.operation_module)
        if place is None:
            old_ids = sorted(s for s in use.strings if identifier(s, "field_") == name)
            old_id = old_ids[0] if old_ids else name
            moved = [p for p in places.values() if p.module[1] == name]
            new_id = moved[0].operation_id if moved else _successor(doc, old, old_id, context)
            if moved:
                new = moved[0]
                where = doc.where(new.pointer)
                change = (
                    f"operation {old_id!r} moved to tag folder {new.module[0]!r}: the generated"
                    f" module {dotted} it imports will be gone (now"
                    f" {use.package}.api.{'.'.join(new.module)})"
                )
            elif new_id:
                new = _places(doc)[new_id]
                where = doc.where(new.pointer)
                change = (
                    f"operation {old_id!r} renamed {new_id!r}: the generated module {dotted}"
                    f" it imports will be gone (now {use.package}.api.{'.'.join(new.module)})"
                )
            else:
                where = doc.where("/paths")
                change = (
                    f"operation {old_id!r} is gone: the generated module {dotted} it imports"
                    " will be gone"
                )
            out += [
                Break(use.module, function, where, change, blocks=vendor)
                for function in use.functions
            ]
            continue
        parameters = _path_parameters(place.path)
        for call in use.calls:
            problem = _call_problem(call, parameters)
            if problem:
                out.append(
                    Break(
                        use.module,
                        call.function,
                        doc.where(place.pointer),
                        f"operation {place.operation_id!r} ({place.method.upper()}"
                        f" {place.path}): its path parameters ({', '.join(parameters) or 'none'})"
                        f" do not fit the call: {problem}",
                    )
                )
        if old is None:
            continue
        method, url = old
        same_parameters = _path_parameters(url) == parameters
        if (method, _shape(url)) == (place.method, _shape(place.path)) and same_parameters:
            continue
        before, after = f"{method.upper()} {url}", f"{place.method.upper()} {place.path}"
        out += [
            Break(
                use.module,
                function,
                doc.where(place.pointer),
                f"operation {place.operation_id!r} moved: {before} -> {after} (the call follows"
                " once regenerated)",
                warning=True,
            )
            for function in use.functions
        ]
    return out


def _added_operations(
    doc: _Document, declared: Declared, context: Context, uses: Sequence[_Use]
) -> list[Break]:
    """Warnings: operations of the document the code names nowhere, neither by operationId
    nor by importing its generated module (an endpoint added)."""
    imported = {use.operation_module for use in uses}
    places = _places(doc)
    # An operation that took the place of one the code names is reported as its rename.
    gone = {str(read["operation"]) for read in declared.reads} - set(places)
    successors = {
        _successor(
            doc, _generated_place(context.generated, identifier(old, "field_")), old, context
        )
        for old in gone
    }
    successors |= {
        _successor(doc, _generated_place(context.generated, use.operation_module[1]), "", context)
        for use in uses
        if use.operation_module not in {place.module for place in places.values()}
    }
    return [
        Break(
            declared.module,
            "OPERATIONS",
            doc.where(place.pointer),
            f"operation {place.operation_id!r} added ({place.method.upper()} {place.path}):"
            " no mapping reads it",
            warning=True,
        )
        for place in places.values()
        if place.operation_id not in context.known | successors and place.module not in imported
    ]


def _amount_rules(normalize_dir: Path) -> dict[str, str]:
    """The text each amount reader of normalize/_money.py (``amount_from_*``; this
    checkout's when ``normalize_dir`` has none) reads, from its source: the regular
    expression constant it matches a text with (``DECIMAL_TEXT``, ``_MINOR_UNITS_TEXT``);
    and under ``DECIMAL_TEXT``, that constant itself."""
    for path in (normalize_dir / "_money.py", Path(__file__).parent / "_money.py"):
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants: dict[str, str] = {}
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
                and ast.unparse(node.value.func) == "re.compile"
                and node.value.args
                and isinstance(node.value.args[0], ast.Constant)
            ):
                constants[node.targets[0].id] = str(node.value.args[0].value)
        rules = {"DECIMAL_TEXT": constants["DECIMAL_TEXT"]} if "DECIMAL_TEXT" in constants else {}
        for node in tree.body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("amount_from_")):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Attribute)
                    and inner.attr in ("fullmatch", "match")
                    and isinstance(inner.value, ast.Name)
                    and inner.value.id in constants
                ):
                    rules[node.name] = constants[inner.value.id]
                    break
        return rules
    return {}


def package_of(spec_dir: Path) -> str | None:
    """The generated client package of a vendor (its generator.yaml), or None."""
    path = spec_dir / "generator.yaml"
    if not path.is_file():
        return None
    import yaml

    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    name = config.get("package_name_override") if isinstance(config, dict) else None
    return str(name) if name else None


# --- examples against their own schemas -----------------------------------------------------


def _with_null_allowed(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` spelled as JSON Schema."""
    if isinstance(node, list):
        return [_with_null_allowed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _with_null_allowed(value) for key, value in node.items()}
    if out.pop("nullable", False) is True:
        return {"anyOf": [{"type": "null"}, out]}
    return out


def _examples(doc: _Document) -> Iterator[tuple[str, Any, str]]:
    """(name, value, schema pointer) of every example of every request and response body."""
    for path, item in _mapping_of(doc.spec.get("paths")).items():
        for method in HTTP_METHODS:
            operation = _mapping_of(item).get(method)
            if not isinstance(operation, dict):
                continue
            here = f"/paths/{_escape(str(path))}/{method}"
            bodies = []
            if "requestBody" in operation:
                bodies.append(doc.resolve(operation["requestBody"], f"{here}/requestBody"))
            for status, response in _mapping_of(operation.get("responses")).items():
                bodies.append(doc.resolve(response, f"{here}/responses/{status}"))
            for body, pointer in bodies:
                for media_type, media in _mapping_of(_mapping_of(body).get("content")).items():
                    # XML examples are documents, not JSON values: the tests read them.
                    if "json" not in str(media_type) or not isinstance(media, dict):
                        continue
                    if "schema" not in media:
                        continue
                    media_pointer = f"{pointer}/content/{_escape(str(media_type))}"
                    name = f"{operation.get('operationId')} {media_type}"
                    if "example" in media:
                        yield f"{name} example", media["example"], f"{media_pointer}/schema"
                    for key, example in (media.get("examples") or {}).items():
                        example, _ = doc.resolve(example, f"{media_pointer}/examples/{key}")
                        if isinstance(example, dict) and "value" in example:
                            yield f"{name} {key}", example["value"], f"{media_pointer}/schema"


def example_problems(spec: Mapping[str, Any], label: str) -> list[str]:
    """Every example of a JSON request or response body that does not match its own schema:
    ``label#pointer: operation media-type example-name: where: what is wrong``."""
    # jsonschema ships no type information; the tools are only present in a dev install.
    from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    doc = _Document(spec, label)
    uri = f"urn:balance-normalize:spec:{label}"
    document = _with_null_allowed(copy.deepcopy(dict(spec)))
    registry: Any = Registry().with_resource(uri, DRAFT202012.create_resource(document))
    out = []
    for name, value, pointer in _examples(doc):
        validator = Draft202012Validator(
            {"$ref": f"{uri}#{pointer}"}, registry=registry, format_checker=FormatChecker()
        )
        for found in validator.iter_errors(value):
            # Inside anyOf/oneOf (every nullable $ref) the deepest error says what is wrong.
            error = best_match([found])
            where = "".join(f"[{p!r}]" for p in error.absolute_path) or "(root)"
            out.append(f"{doc.where(pointer)}: {name}: {where}: {error.message}")
    return out


# --- the whole check ------------------------------------------------------------------------


def load_spec(path: Path) -> dict[str, Any]:
    """The document of a spec file; ValueError when it
    does not parse or is no mapping, its message on one line."""
    import yaml

    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark, problem = getattr(exc, "problem_mark", None), getattr(exc, "problem", None)
        if mark is not None and problem:
            message = f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
        else:
            message = " ".join(str(exc).split())
        raise ValueError(message) from None
    if not isinstance(spec, dict):
        raise ValueError(f"not an OpenAPI document (a YAML {type(spec).__name__}, not a mapping)")
    return spec


def check(
    root: Path, vendors_dir: Path | None = None, generated_dir: Path | None = None
) -> list[Break]:
    """Every break (and warning) between the vendor modules' declarations and the code that
    calls the generated clients (``vendors_dir``, by default ``root/normalize/vendors``, and
    the package around it) and the documents under ``root/specs``. ``generated_dir`` (by
    default ``root/generated``, else the one beside the package) is the output as last
    regenerated, which tells where a renamed or moved operation was."""
    vendors_dir = vendors_dir or root / "normalize" / "vendors"
    normalize_dir = vendors_dir.parent
    if generated_dir is None:
        generated_dir = next(
            (d for d in (root / "generated", normalize_dir.parent / "generated") if d.is_dir()),
            None,
        )
    amount_rules = _amount_rules(normalize_dir)
    rule = amount_rules.get("DECIMAL_TEXT", "")
    lives = live_modules(normalize_dir)
    shared: set[str] = set()
    for folder in (vendors_dir, normalize_dir / "live"):
        for path in sorted(folder.glob("_*.py")):
            shared |= _strings(path)
    declared_all = declarations(vendors_dir)
    packages = {d.vendor: package_of(root / "specs" / d.vendor) for d in declared_all}
    uses = generated_uses(normalize_dir, {p for p in packages.values() if p})
    models = model_uses(normalize_dir, {p for p in packages.values() if p})
    out: list[Break] = []
    for declared in declared_all:
        label = f"specs/{declared.vendor}/openapi.yaml"
        path = root / label
        if not path.is_file():
            out.append(Break(declared.module, "-", label, "the vendor's spec is gone"))
            continue
        package = packages[declared.vendor]
        mine = [use for use in uses if use.package == package]
        known = set(declared.names) | shared | {str(r["operation"]) for r in declared.reads}
        for _, live in lives.get(declared.module.rsplit(".", 1)[-1], []):
            known |= _strings(live)
        for use in mine:
            known |= use.strings
        generated = None
        if generated_dir is not None and package:
            generated = generated_dir / declared.vendor / package
        context = Context(frozenset(known), generated, rule, amount_rules)
        try:
            doc = _Document(load_spec(path), label)
        except ValueError as exc:
            out.append(Break(declared.module, "-", label, f"the spec does not parse: {exc}"))
            continue
        out += [Break(declared.module, "-", doc.where(at), what) for at, what in _dangling(doc)]
        out += check_declared(doc.spec, label, declared, context)
        out += _operation_changes(doc, declared.vendor, mine, context)
        out += _model_changes(doc, declared.vendor, [m for m in models if m.package == package])
        out += _added_operations(doc, declared, context, mine)
    return sorted(set(out))


_DATA_KEYWORDS = frozenset(("example", "examples", "default", "enum", "const"))


def _dangling(doc: _Document) -> Iterator[tuple[str, str]]:
    """Each ``$ref`` of the spec that the check (and the generators) cannot follow: one
    that points outside the file, or at nothing in it. What lies behind one is unknown,
    so every finding past it would be a guess ("property 'value' is gone")."""
    stack: list[tuple[Any, str]] = [(doc.spec, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#/"):
                    yield f"{pointer}/$ref", f"$ref {ref!r} points outside the file"
                elif doc.resolve(node, pointer)[0] is None:
                    yield f"{pointer}/$ref", f"$ref {ref!r} points at nothing"
            # Values (examples, defaults, enumerations) and extensions are data, not schema:
            # a "$ref" key in them is a key like any other.
            stack += [
                (value, f"{pointer}/{_escape(str(key))}")
                for key, value in node.items()
                if key not in _DATA_KEYWORDS and not str(key).startswith("x-")
            ]
        elif isinstance(node, list):
            stack += [(value, f"{pointer}/{index}") for index, value in enumerate(node)]


def errors(breaks: Iterable[Break]) -> list[Break]:
    """The breaks that fail the check (not warnings)."""
    return [line for line in breaks if not line.warning]


def main(argv: list[str] | None = None) -> int:
    """Print each break, warnings after errors; exit 1 when there is an error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).parent.parent)
    args = parser.parse_args(argv)
    breaks = check(args.root.resolve())
    failing = errors(breaks)
    for line in failing:
        print(line)
    for line in breaks:
        if line.warning:
            print(f"warning: {line}")
    if failing:
        print(f"{len(failing)} break(s) between the specs and the mappings", file=sys.stderr)
        return 1
    print("every mapping's declaration holds against specs/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
