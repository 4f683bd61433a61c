"""What a vendor mapping reads from its vendor's OpenAPI document, declared once as data:
the declaration the spec check holds against the spec and the decode reads bodies by.

Each vendor module ends with ``SPEC_READS``: a tuple of ``SpecReads`` dict literals, one per
mapping function, operation and response status. They are plain literals (no calls; a
name only for a literal the module writes above it, so that a read two operations share,
``"fields": _ACCOUNT_FIELDS``, is written once), so the spec check
(``normalize._spec_check``, run by scripts/regenerate and the tests) reads them from the
module's source without importing it: a spec change that breaks the generated models
cannot stop the check from naming what broke.

Paths are property names joined by ``.``, ``[]`` after an array's name for its items
(``response[].balance.current.value``). A field's JSON types are joined by ``|``
(``number|string``; ``number`` also admits ``integer``); a trailing ``?`` says the mapping
copes with the property being absent or null (without it, the spec must require it and
must not allow null). ``model`` names the generated wire struct of the response body (the
spec's ``#/components/schemas/<model>`` for that operation and status; the check says so
when it is not).

**Strict on what the mapping reads, tolerant of the rest.** After ``SPEC_READS``, each
vendor module calls ``declare(wire, SPEC_READS)``, and from then on ``_decode.into`` reads
a body into the *read view* of a wire struct, never into the whole struct: a msgspec struct
of the same name with only the fields some declaration of that vendor reads (at any
``at`` + field path, the objects on the way included), each with its generated type,
wire name, default and requiredness, its nested structs being read views in turn. So:

* a read field is checked exactly as the spec types it (the spec check proves that the
  mapping accepts every type the spec allows there): a wrong type, an unknown enum value, a
  required one missing or null, all typed errors as before;
* a field no declaration reads is not in the view, so its value is never looked at:
  unknown fields, unread fields of unexpected types, unread fields missing (required by
  the spec or not) never reject a response or lose a balance (an earlier published Open
  Finance US spec typed ``realAccountNumberLast4`` as an integer; ``1234`` there changes
  nothing);
* what decides a body's shape or signals an error is declared, so it is read: each error
  body's members the mapping reports (``code``, ``Errors.Error[]``, ``error``), the keys
  that tell one response shape from another (``originalRequestInfo``, ``account-balances``,
  ``response``, ...); Send's ``Errors``, read wherever it stands, is the vendor module's
  own rule;
* a mapping that reads a field its declaration does not list finds no such attribute on
  the view (AttributeError in the tests, never a silent None), and a declaration that
  names a field the generated struct lacks is a ``DeclarationMismatch`` on the first body
  read, so the declaration, the spec check and the decode cannot drift apart.

The decode itself still refuses what it refuses anywhere in a body (duplicate keys, NaN,
invalid UTF-8, nesting too deep): only the values of unread fields are ignored.

The views are built on the first body a vendor reads, not at import: a spec change that
renames a struct or a field leaves the package importable (and the test suite collectable)
while the spec check names the break.
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Required, TypedDict

import msgspec
from msgspec import NODEFAULT

from .._decode import register_read_views


class SpecReads(TypedDict, total=False):
    """What one mapping function reads from one response of one operation."""

    # The function that reads these values: a function of the vendor module, or
    # ``_module.function`` for one of the shared modules beside it (``_finicity.read``).
    function: Required[str]
    # The operationId in specs/<vendor>/openapi.yaml and the response's status key.
    operation: Required[str]
    status: Required[str]
    # The generated wire struct of the whole response body (its schema's component name).
    model: Required[str]
    # Path of the part the function reads within the response body ("" for the body).
    at: str
    # Path (below ``at``) -> the JSON types the mapping accepts there.
    fields: Required[Mapping[str, str]]
    # Path (below ``at``) -> every value of the spec's enumeration the mapping handles.
    enums: Mapping[str, Sequence[str]]


class DeclarationMismatch(TypeError):
    """A declaration that does not fit the generated wire structs it reads."""


def segments(path: str) -> list[str]:
    """A declaration path's property names, ``[]`` kept on an array's."""
    return [segment for segment in path.split(".") if segment]


def body_paths(read: SpecReads) -> list[str]:
    """Every path ``read`` declares, from the root of the response body (``at`` + field)."""
    at = segments(read.get("at", ""))
    fields = {*read["fields"], *read.get("enums", {})}
    return sorted(".".join([*at, *segments(field)]) for field in fields)


def read_paths(reads: Iterable[SpecReads]) -> frozenset[str]:
    """Every path the declarations read, from the root of a response body, with the objects
    and arrays on the way (``account_balances`` and ``account_balances.account_balance``
    for ``account_balances.account_balance.balance``): what a body's fields are held to.
    Anything else in a body is not read."""
    found: set[str] = set()
    for read in reads:
        for path in body_paths(read):
            parts = path.split(".")
            found.update(".".join(parts[: index + 1]) for index in range(len(parts)))
    return frozenset(found)


def declare(wire: types.ModuleType, reads: Sequence[SpecReads]) -> None:
    """Make ``reads`` what ``_decode.into`` reads from ``wire``'s structs (see above)."""
    register_read_views(wire.__name__, functools.partial(read_views, wire, tuple(reads)))


def read_views(wire: types.ModuleType, reads: Sequence[SpecReads]) -> dict[type, type]:
    """Each struct of ``wire`` -> its read view under ``reads``. A struct no declaration
    reaches gets a view with no field (any object), so a mapping that converts into it
    reads nothing it did not declare."""
    read: dict[type, set[str]] = {}
    for entry in reads:
        model = getattr(wire, str(entry.get("model")), None)
        if not _is_struct(model):
            raise DeclarationMismatch(
                f"{wire.__name__}: {entry['function']} ({entry['operation']} {entry['status']})"
                f" reads model {entry.get('model')!r}, which is no generated struct"
            )
        for path in body_paths(entry):
            _mark(model, path, read, wire.__name__)
    views: dict[type, type] = {}
    for struct in vars(wire).values():
        if _is_struct(struct) and struct.__module__ == wire.__name__:
            _view(struct, read, views, set())
    return views


def _is_struct(value: object) -> typing.TypeGuard[type[msgspec.Struct]]:
    return isinstance(value, type) and issubclass(value, msgspec.Struct)


def _mark(root: type, path: str, read: dict[type, set[str]], where: str) -> None:
    """Mark every field on ``path`` from ``root`` as read."""
    struct = root
    parts = path.split(".")
    for index, part in enumerate(parts):
        items = part.endswith("[]")
        name = part.removesuffix("[]")
        by_wire_name = {info.encode_name: info for info in msgspec.structs.fields(struct)}
        info = by_wire_name.get(name)
        if info is None:
            raise DeclarationMismatch(
                f"{where}: the declaration reads {path!r}, but {struct.__name__} has no field"
                f" {name!r} (fields: {', '.join(sorted(by_wire_name))}); run scripts/regenerate"
            )
        read.setdefault(struct, set()).add(info.name)
        if index == len(parts) - 1:
            return
        inner = _struct_in(info.type, items)
        if inner is None:
            raise DeclarationMismatch(
                f"{where}: the declaration reads {path!r}, but {struct.__name__}.{name} holds"
                f" {'no array of objects' if items else 'no object'}"
            )
        struct = inner


def _struct_in(kind: Any, items: bool) -> type | None:
    """The struct a field of type ``kind`` holds (an array's items when ``items``)."""
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        found = [_struct_in(arg, items) for arg in typing.get_args(kind)]
        structs = [struct for struct in found if struct is not None]
        return structs[0] if len(structs) == 1 else None
    if items:
        return _struct_in(typing.get_args(kind)[0], False) if origin is list else None
    return kind if _is_struct(kind) else None


def _view(
    struct: type, read: Mapping[type, set[str]], views: dict[type, type], building: set[type]
) -> type:
    if struct in views:
        return views[struct]
    if struct in building:
        raise DeclarationMismatch(f"{struct.__name__} holds itself: no read view for it")
    building.add(struct)
    names = read.get(struct, set())
    fields: list[tuple[str, Any, Any]] = []
    for info in msgspec.structs.fields(struct):
        if info.name not in names:
            continue
        default: dict[str, Any] = {"name": info.encode_name}
        if info.default is not NODEFAULT:
            default["default"] = info.default
        if info.default_factory is not NODEFAULT:
            default["default_factory"] = info.default_factory
        kind = _with_views(info.type, read, views, building)
        fields.append((info.name, kind, msgspec.field(**default)))
    view = msgspec.defstruct(struct.__name__, fields, kw_only=True, module=__name__)
    view.__doc__ = f"The fields of {struct.__module__}.{struct.__name__} a mapping reads."
    building.discard(struct)
    views[struct] = view
    return view


def _with_views(
    kind: Any, read: Mapping[type, set[str]], views: dict[type, type], building: set[type]
) -> Any:
    """``kind`` with every struct in it replaced by its read view."""
    if _is_struct(kind):
        return _view(kind, read, views, building)
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        members = [_with_views(arg, read, views, building) for arg in typing.get_args(kind)]
        return functools.reduce(operator.or_, members)
    if origin is list:
        return list[_with_views(typing.get_args(kind)[0], read, views, building)]  # type: ignore[misc]
    return kind
