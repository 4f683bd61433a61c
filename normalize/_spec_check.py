"""The spec check: every vendor mapping's declaration against its vendor's OpenAPI document.

Each vendor module under ``normalize/vendors/`` declares, in ``SPEC_READS`` (see
``normalize/vendors/_declare.py``), what its mapping functions read from
``specs/<vendor>/openapi.yaml``: per operation and response status, the property paths with
the JSON types they expect, and every enumerated value they handle. ``check(root)`` follows
each path through the document (``$ref``, ``allOf``, ``oneOf``/``anyOf``, ``nullable``) and
reports each break as one line::

    normalize.vendors.token_io : _balance_records :
    specs/token-io/openapi.yaml#/components/schemas/Balance/properties/current :
    property 'current' is gone (renamed? now there: 'currentBalance')

(one line, broken here to fit).

A break is a property gone or renamed, a type the mapping does not accept, an enumerated
value it does not handle (or an enumeration that became free text), a property that became
optional or nullable where the mapping needs a value, an operation, response or function
that no longer exists, or a response whose schema is not the declared ``model`` (the
generated struct the decode reads it into; the decode reads only the declared fields of it,
see ``normalize/vendors/_declare.py``). ``example_problems`` checks that every example in a
document matches its own schema.

The declarations are read from the modules' source with ``ast`` (they are literals), and
this module imports nothing from ``normalize``, so it runs from a checkout (``python
normalize/_spec_check.py [ROOT]``) and from scripts/regenerate even when a spec change has
broken the generated models.
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
DECLARATION = "SPEC_READS"


@dataclass(frozen=True, order=True)
class Break:
    """One way a spec no longer matches what a mapping reads."""

    module: str  # normalize.vendors.token_io
    function: str  # the mapping function named in the declaration
    location: str  # specs/<vendor>/openapi.yaml#<JSON pointer>
    change: str

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


class DeclarationError(ValueError):
    """A vendor module's ``SPEC_READS`` is not a well-formed declaration."""


# --- reading the declarations ---------------------------------------------------------------


def _literals(path: Path) -> tuple[dict[str, Any], set[str]]:
    """The module's top-level literal constants, and its top-level function names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    constants: dict[str, Any] = {}
    functions: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.add(node.name)
            continue
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
                constants[target.id] = ast.literal_eval(value)
            except ValueError as exc:
                raise DeclarationError(f"{path}: {target.id} must be a literal: {exc}") from None
        elif isinstance(value, ast.Name | ast.Attribute | ast.Call):
            # ``read = _finicity.read``-style aliases name a function too.
            functions.add(target.id)
    return constants, functions


def _module_name(path: Path) -> str:
    return path.parent.name if path.name == "__init__.py" else path.stem


def declarations(vendors_dir: Path) -> list[Declared]:
    """Every vendor module's declaration (modules without ``SPEC_READS`` declare nothing)."""
    found = []
    shared: dict[str, set[str]] = {}
    for path in sorted(vendors_dir.glob("_*.py")):
        if path.name != "__init__.py":
            shared[path.stem] = _literals(path)[1]
    # A vendor is a package (``<module>/__init__.py``) or, in the older layout, a module.
    modules = [*vendors_dir.glob("[!_]*/__init__.py"), *vendors_dir.glob("[!_]*.py")]
    for path in sorted(modules, key=lambda found: _module_name(found)):
        constants, functions = _literals(path)
        if DECLARATION not in constants:
            continue
        reads = constants[DECLARATION]
        if not isinstance(reads, tuple | list) or not all(isinstance(r, dict) for r in reads):
            raise DeclarationError(f"{path}: {DECLARATION} must be a tuple of dicts")
        for read in reads:
            _validate(path, read)
        names = set(functions)
        for stem, members in shared.items():
            names |= {f"{stem}.{member}" for member in members}
        found.append(
            Declared(
                module=f"normalize.vendors.{_module_name(path)}",
                path=path,
                vendor=str(constants.get("VENDOR", path.stem)),
                reads=tuple(reads),
                functions=frozenset(names),
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
            for token in pointer[1:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                node = node.get(token) if isinstance(node, dict) else None
        return node, pointer

    def alternatives(self, node: Any, pointer: str) -> list[list[tuple[dict[str, Any], str]]]:
        """The schema as a list of alternatives (``oneOf``/``anyOf``), each a list of the
        parts that all apply (the schema itself and its ``allOf`` members)."""
        node, pointer = self.resolve(node, pointer)
        if not isinstance(node, dict):
            return [[]]
        alternatives: list[list[tuple[dict[str, Any], str]]] = [[(node, pointer)]]
        for index, member in enumerate(node.get("allOf") or ()):
            inner = self.alternatives(member, f"{pointer}/allOf/{index}")
            alternatives = [mine + theirs for mine in alternatives for theirs in inner]
        for key in ("oneOf", "anyOf"):
            members = node.get(key)
            if members:
                inner = [
                    option
                    for index, member in enumerate(members)
                    for option in self.alternatives(member, f"{pointer}/{key}/{index}")
                ]
                alternatives = [mine + theirs for mine in alternatives for theirs in inner]
        return alternatives

    def operation(self, operation_id: str) -> tuple[dict[str, Any], str] | None:
        for path, item in (self.spec.get("paths") or {}).items():
            for method in HTTP_METHODS:
                operation = (item or {}).get(method)
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

    def types(self) -> frozenset[str] | None:
        """The JSON types the schema allows; None when some alternative states none."""
        found: set[str] = set()
        for parts in self.alternatives:
            stated = {part["type"] for part, _ in parts if isinstance(part.get("type"), str)}
            if not stated and any("properties" in part for part, _ in parts):
                stated = {"object"}
            if not stated:
                return None
            found |= stated
            if any(part.get("nullable") is True for part, _ in parts):
                found.add("null")
        return frozenset(found)

    def enum(self) -> tuple[list[str] | None, str]:
        values: list[str] = []
        pointer = self.pointer
        enumerated = False
        for parts in self.alternatives:
            for part, where in parts:
                if isinstance(part.get("enum"), list):
                    enumerated = True
                    pointer = f"{where}/enum"
                    values += [
                        str(v) for v in part["enum"] if v is not None and str(v) not in values
                    ]
        return (values if enumerated else None), pointer


def _step(doc: _Document, node: _Node, name: str) -> tuple[_Node | None, str, str]:
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
                holder = where
                holder_properties += [str(p) for p in properties if str(p) not in holder_properties]
                if key in properties:
                    here = (properties[key], f"{where}/properties/{_escape(key)}")
            if key in (part.get("required") or ()):
                required = True
        if here is None:
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
    return _Node(item_alternatives, item_pointer, True), item_pointer, ""


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split(".") if segment]


def check_declared(spec: Mapping[str, Any], label: str, declared: Declared) -> list[Break]:
    """The breaks between one module's declaration and its vendor's document."""
    doc = _Document(spec, label)
    out: list[Break] = []
    for read in declared.reads:
        function = str(read["function"])

        def broken(pointer: str, change: str, function: str = function) -> None:
            out.append(Break(declared.module, function, doc.where(pointer), change))

        if function not in declared.functions:
            where = "/".join(
                declared.path.parts[-3 if declared.path.name == "__init__.py" else -2 :]
            )
            where = f"normalize/{where}"
            out.append(Break(declared.module, function, where, "mapping function not found"))
        found = doc.operation(str(read["operation"]))
        if found is None:
            broken("/paths", f"operation {read['operation']!r} is gone")
            continue
        operation, op_pointer = found
        status = str(read["status"])
        responses = {str(k): v for k, v in (operation.get("responses") or {}).items()}
        if status not in responses:
            broken(f"{op_pointer}/responses", f"response {status} is gone")
            continue
        response, pointer = doc.resolve(responses[status], f"{op_pointer}/responses/{status}")
        media = ((response or {}).get("content") or {}).get("application/json")
        if not isinstance(media, dict) or "schema" not in media:
            broken(f"{pointer}/content", "no application/json schema")
            continue
        media_pointer = f"{pointer}/content/application~1json/schema"
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
        at = _segments(str(read.get("at", "")))
        enums: Mapping[str, Sequence[str]] = read.get("enums") or {}
        declared_names = _declared_names(at, read["fields"], enums)
        for field in sorted({*read["fields"], *enums}):
            kinds, optional = _types_of(str(read["fields"].get(field, "string")))
            node: _Node | None = root
            prefix: list[str] = []
            for segment in [*at, *_segments(field)]:
                assert node is not None
                node, where, problem = _step(doc, node, segment)
                if node is None:
                    if problem == "not an array":
                        broken(where, f"{'.'.join([*prefix, segment])} is no longer an array")
                    else:
                        # A renamed property: an unread one here with a similar name.
                        siblings = declared_names.get(tuple(prefix), set())
                        unread = [p for p in problem.split(", ") if p and p not in siblings]
                        near = difflib.get_close_matches(segment.removesuffix("[]"), unread)
                        hint = (
                            f" (renamed? now there: {', '.join(map(repr, near))})" if near else ""
                        )
                        broken(where, f"property {segment.removesuffix('[]')!r} is gone{hint}")
                    break
                prefix.append(segment)
            if node is None:
                continue
            if field in read["fields"]:
                _compare_types(node, field, kinds, optional, broken)
            if field in enums:
                values, where = node.enum()
                handled = [str(v) for v in enums[field]]
                if values is None:
                    broken(node.pointer, f"{field} is no longer an enumeration")
                for value in values or ():
                    if value not in handled:
                        broken(where, f"enum value {value!r} of {field} is not handled")
    return out


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
        return
    loosened = []
    if not node.required:
        loosened.append("no longer required")
    if "null" in spec_types:
        loosened.append("now nullable")
    if loosened:
        broken(node.pointer, f"{field}: {' and '.join(loosened)}, and the mapping needs a value")


def _join(kinds: frozenset[str] | set[str]) -> str:
    return "|".join(sorted(kinds))


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
    for path, item in (doc.spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = (item or {}).get(method)
            if not isinstance(operation, dict):
                continue
            here = f"/paths/{_escape(str(path))}/{method}"
            bodies = []
            if "requestBody" in operation:
                bodies.append(doc.resolve(operation["requestBody"], f"{here}/requestBody"))
            for status, response in (operation.get("responses") or {}).items():
                bodies.append(doc.resolve(response, f"{here}/responses/{status}"))
            for body, pointer in bodies:
                for media_type, media in ((body or {}).get("content") or {}).items():
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
    import yaml

    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(spec, dict):
        raise ValueError(f"{path} is not an OpenAPI document")
    return spec


def check(root: Path, vendors_dir: Path | None = None) -> list[Break]:
    """Every break between the vendor modules' declarations (``vendors_dir``, by default
    ``root/normalize/vendors``) and the documents under ``root/specs``."""
    vendors_dir = vendors_dir or root / "normalize" / "vendors"
    out: list[Break] = []
    for declared in declarations(vendors_dir):
        label = f"specs/{declared.vendor}/openapi.yaml"
        path = root / label
        if not path.is_file():
            out.append(Break(declared.module, "-", label, "the vendor's spec is gone"))
            continue
        out += check_declared(load_spec(path), label, declared)
    return sorted(set(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).parent.parent)
    args = parser.parse_args(argv)
    breaks = check(args.root.resolve())
    for line in breaks:
        print(line)
    if breaks:
        print(f"{len(breaks)} break(s) between the specs and the mappings", file=sys.stderr)
        return 1
    print("every mapping's declaration holds against specs/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
