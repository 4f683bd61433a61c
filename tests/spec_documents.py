"""The vendor OpenAPI documents under specs/, read the way the tests need them.

Loads each ``specs/<vendor>/openapi.yaml``, walks its operations, and lists every example the
document gives for a request or response body, with the JSON pointer of the schema it must
match. Only local ``$ref``s (``#/components/...``) are followed: the specs use no others.

What each documented error example means is the vendor's data, beside its fixtures
(``tests/fixtures/<vendor>/documented-errors.yaml``, read by ``documented_errors``).

Validation reads OpenAPI 3.0's ``nullable: true`` the way both generators do: the schema also
accepts ``null``, including on a schema that only wraps a ``$ref`` in ``allOf`` or holds a
``oneOf`` (where a strict reading of 3.0.3 would ignore it).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT4

from normalize import VendorErrorCode

ROOT = Path(__file__).resolve().parent.parent

VENDORS = tuple(sorted(spec.parent.name for spec in (ROOT / "specs").glob("*/openapi.yaml")))
"""The vendors with a spec under specs/ (every folder holding an openapi.yaml)."""

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@functools.cache
def load_spec(vendor: str) -> dict[str, Any]:
    """The vendor's OpenAPI document as loaded from YAML (shared: do not mutate)."""
    text = (ROOT / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    assert isinstance(spec, dict), f"specs/{vendor}/openapi.yaml is not a mapping"
    return spec


def escape(token: str) -> str:
    """One JSON pointer reference token (RFC 6901)."""
    return token.replace("~", "~0").replace("/", "~1")


def resolve(spec: dict[str, Any], node: Any, pointer: str) -> tuple[Any, str]:
    """Follow local ``$ref``s from ``node`` (found at ``pointer``): the target and its pointer."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"{pointer}: only local $refs are expected, got {ref!r}")
        if ref in seen:
            raise ValueError(f"{pointer}: $ref cycle through {ref!r}")
        seen.add(ref)
        pointer = ref[1:]
        node = spec
        for token in pointer[1:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node, pointer


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation of the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


@dataclass(frozen=True)
class DocumentedExample:
    """One example body given for an operation's request or response."""

    vendor: str
    operation_id: str
    where: str  # "request", or the response status such as "200"
    media_type: str
    name: str  # the key under `examples`, or "example" for a lone `example`
    value: Any
    schema_pointer: str  # JSON pointer, in the spec, of the schema the value must match

    @property
    def id(self) -> str:
        return f"{self.vendor}:{self.operation_id}:{self.where}:{self.media_type}:{self.name}"


def documented_examples(vendor: str) -> list[DocumentedExample]:
    """Every example of every request and response body of the vendor's operations."""
    spec = load_spec(vendor)
    found: list[DocumentedExample] = []
    for path, method, operation in operations(spec):
        here = f"/paths/{escape(path)}/{method}"
        bodies: list[tuple[str, Any, str]] = []
        if "requestBody" in operation:
            bodies.append(
                ("request", *resolve(spec, operation["requestBody"], f"{here}/requestBody"))
            )
        for status, response in operation.get("responses", {}).items():
            pointer = f"{here}/responses/{escape(str(status))}"
            bodies.append((str(status), *resolve(spec, response, pointer)))
        for where, body, body_pointer in bodies:
            for media_type, media in body.get("content", {}).items():
                media_pointer = f"{body_pointer}/content/{escape(media_type)}"
                named: list[tuple[str, Any]] = []
                if "example" in media:
                    named.append(("example", media["example"]))
                for name, example in media.get("examples", {}).items():
                    example, _ = resolve(spec, example, f"{media_pointer}/examples/{escape(name)}")
                    named.append((name, example["value"]))
                found += [
                    DocumentedExample(
                        vendor=vendor,
                        operation_id=operation["operationId"],
                        where=where,
                        media_type=media_type,
                        name=name,
                        value=value,
                        schema_pointer=f"{media_pointer}/schema",
                    )
                    for name, value in named
                ]
    return found


def example_value(
    vendor: str,
    operation_id: str,
    where: str,
    name: str,
    media_type: str = "application/json",
) -> Any:
    """The value of one documented example, found where the operation uses it."""
    key = (operation_id, where, media_type, name)
    examples = {
        (ex.operation_id, ex.where, ex.media_type, ex.name): ex.value
        for ex in documented_examples(vendor)
    }
    if key not in examples:
        raise LookupError(f"{vendor} documents no example {key}; it has {sorted(examples)}")
    return examples[key]


def schema_at(vendor: str, pointer: str) -> tuple[Any, str]:
    """The schema at ``pointer`` with its ``$ref`` followed, and the pointer it ends at."""
    spec = load_spec(vendor)
    node = spec
    for token in pointer[1:].split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return resolve(spec, node, pointer)


def with_null_allowed(node: Any) -> Any:
    """A copy of ``node`` in which every schema marked ``nullable: true`` also accepts null.

    A schema with a single ``type`` gets the type list ``[type, "null"]`` (so errors inside it
    keep their own path); any other nullable schema becomes ``anyOf: [null, schema]``.
    """
    if isinstance(node, list):
        return [with_null_allowed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: with_null_allowed(value) for key, value in node.items()}
    nullable = out.get("nullable")
    if not isinstance(nullable, bool):
        return out
    del out["nullable"]
    if not nullable:
        return out
    if isinstance(out.get("type"), str) and "enum" not in out:
        out["type"] = [out["type"], "null"]
        return out
    return {"anyOf": [{"type": "null"}, out]}


@functools.cache
def validation_document(vendor: str) -> dict[str, Any]:
    """The vendor's document with ``nullable`` spelled as JSON Schema (see the module doc)."""
    document = with_null_allowed(copy.deepcopy(load_spec(vendor)))
    assert isinstance(document, dict)
    return document


def validator(vendor: str, pointer: str) -> Draft4Validator:
    """A JSON Schema (draft 4, date-time checked) validator for the schema at ``pointer``.

    The whole document is one resource of the registry, so ``#/components/...`` references
    inside the schemas resolve against it.
    """
    uri = f"urn:balance-normalize:specs:{vendor}"
    registry: Registry[Any] = Registry().with_resource(
        uri, DRAFT4.create_resource(validation_document(vendor))
    )
    return Draft4Validator(
        {"$ref": f"{uri}#{quote(pointer, safe='/~')}"},
        registry=registry,
        format_checker=Draft4Validator.FORMAT_CHECKER,
    )


def leaf_errors(vendor: str, pointer: str, value: Any) -> list[ValidationError]:
    """The innermost validation errors of ``value``: an ``anyOf``/``oneOf`` error is replaced
    by the errors of its branches, leaving out the ``null`` branch of a nullable schema."""

    def leaves(error: ValidationError) -> list[ValidationError]:
        if not error.context:
            return [error]
        inner = [
            sub
            for sub in error.context
            if not (sub.validator == "type" and sub.validator_value == "null")
        ]
        return [leaf for sub in inner for leaf in leaves(sub)] or [error]

    errors = validator(vendor, pointer).iter_errors(value)
    return [leaf for error in errors for leaf in leaves(error)]


@dataclass(frozen=True)
class DocumentedError:
    """What one error example of a vendor's spec means (``tests/fixtures/<vendor>/
    documented-errors.yaml``): parsed with ``operation`` (None: any) and ``status``, it is a
    VendorError with ``code`` and the vendor's own ``vendor_code``."""

    operation: str | None
    status: int
    code: VendorErrorCode
    vendor_code: str | None


@functools.cache
def documented_errors(vendor: str) -> dict[str, DocumentedError]:
    """Each error example of the vendor's spec, by its name there, and what it means."""
    path = ROOT / "tests" / "fixtures" / vendor / "documented-errors.yaml"
    if not path.exists():
        return {}
    given = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        name: DocumentedError(
            operation=meaning.get("operation"),
            status=int(meaning["status"]),
            code=VendorErrorCode[meaning["code"]],
            vendor_code=meaning["vendor_code"],
        )
        for name, meaning in given.items()
    }
