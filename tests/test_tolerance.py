"""Strict on what the mapping reads, tolerant of the rest.

What a mapping reads is its vendor module's ``SPEC_READS``, and the decode reads bodies by
that declaration (``normalize/vendors/_declare.py``). Here every shipped body that gives
records (``normalize/examples/<vendor>/`` and ``tests/fixtures/<vendor>/``, each with its
``.envelope`` call context; Mastercard Send in JSON and in XML) is varied:

* every unread field given a value of an unexpected type (a string where there was none,
  an integer, an object, null, a list), one at a time and all at once;
* an unknown field added at every object level, one level at a time and all at once;
* every unread field removed, one at a time and all at once;

and each variant must give exactly the records (``to_dict()``) and problems of the clean
body. "Read" is derived from the declaration (``_declare.read_paths``), never listed here.
Changing the type of a field that *is* read still gives exactly the typed errors the
decode into the whole generated wire struct gave before the read views.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest
from defusedxml.ElementTree import fromstring as parse_xml
from mastercard_open_banking_connect_client import wire as connect_wire
from mastercard_open_finance_us_client import wire as us_wire

from normalize import (
    VENDORS,
    InvalidAmount,
    InvalidField,
    MalformedPayload,
    MissingField,
    NormalizeError,
    Outcome,
    OutcomeKind,
    Scope,
    VendorError,
    _decode,
    _spec_check,
    parse_envelope,
    parse_response,
)
from normalize._envelope import envelope_from_mapping
from normalize.vendors import REGISTRY
from normalize.vendors._declare import DeclarationMismatch, SpecReads, read_paths, read_views

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"examples": ROOT / "normalize" / "examples", "fixtures": ROOT / "tests" / "fixtures"}
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"


def payload_files() -> Iterator[Any]:
    """Every shipped example and fixture that is one JSON or safe XML document (records,
    vendor errors and rejects alike: an unread field changes none of them)."""
    for vendor in VENDORS:
        for origin, folder in FOLDERS.items():
            for path in sorted((folder / vendor).glob("*")):
                if path.suffix in (".json", ".xml") and _parses(path):
                    yield pytest.param(vendor, path, id=f"{vendor}.{origin}.{path.name}")


def _parses(path: Path) -> bool:
    """Whether a body is one JSON document or one safe XML document, told by the standard
    parsers (not by the library: collection must not depend on the code under test)."""
    text = path.read_text()
    try:
        if path.suffix == ".xml":
            parse_xml(text)
        else:
            json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except Exception:
        return False
    return True


def read_by(vendor: str) -> frozenset[str]:
    """What the vendor's mapping reads: from its declaration, at test time (a spec change
    that breaks the generated models must not stop collection)."""
    reads: tuple[SpecReads, ...] = REGISTRY[vendor].SPEC_READS  # type: ignore[attr-defined]
    return read_paths(reads)


def is_read(declared: frozenset[str], path: str) -> bool:
    """Whether the member at a declaration path (``a.b``; ``a.b[]`` for an array's items)
    is read: declared, or on the way to something declared."""
    return path in declared or f"{path}[]" in declared


# --- calling, and what an outcome amounts to -------------------------------------------------


def call_context(path: Path) -> dict[str, Any]:
    context = path.with_name(path.name + ".envelope")
    given: dict[str, Any] = json.loads(context.read_text()) if context.exists() else {}
    return given


def outcome_of(vendor: str, path: Path, body: str) -> Outcome:
    content_type = "application/xml" if path.suffix == ".xml" else "application/json"
    envelope = envelope_from_mapping(
        {"vendor": vendor, "body": body, "content_type": content_type, **call_context(path)}
    )
    return parse_envelope(envelope)


PAYLOADS = list(payload_files())


def summary(outcome: Outcome) -> tuple[Any, ...]:
    """Everything an outcome says: where it lands, its records' canonical dicts, and each
    problem's class, scope, path, account and full text."""
    return (
        outcome.kind,
        [record.to_dict() for record in outcome.records],
        [
            (type(p.error).__name__, p.scope, p.path, p.account_id, str(p.error))
            for p in outcome.problems
        ],
    )


def clean_outcome(vendor: str, path: Path, body: str) -> Outcome:
    return outcome_of(vendor, path, body)


# --- JSON bodies: exact numbers, written back as they were ---------------------------------------

Json = Any
Location = tuple[str | int, ...]


def load(text: str) -> Json:
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


def dump(value: Json) -> str:
    """JSON text of ``value``; a Decimal is written as its own text (never through float)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(item) for item in value) + "]"
    return json.dumps(value)


def json_type(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


# One value of each JSON type the tests put where it does not belong.
UNEXPECTED: list[Json] = [
    "unexpected",
    1234,
    {"unexpected": True, "nested": [1, "two", None]},
    None,
    [1, "unexpected", {"deep": None}],
]
UNKNOWN_VALUE: Json = {"unknown": [1, "two", {"three": None}], "flag": False}
UNKNOWN_KEY = "zzUnknownField"


def members(node: Json, path: str = "", at: Location = ()) -> Iterator[tuple[Location, str, Json]]:
    """Every member of every object in ``node``: where it is, its declaration path (``[]``
    for an array's items) and its value."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else key
            yield (*at, key), here, value
            yield from members(value, here, (*at, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from members(item, f"{path}[]", (*at, index))


def read_and_unread(
    document: Json, declared: frozenset[str]
) -> tuple[list[tuple[Location, str, Json]], list[tuple[Location, str, Json]]]:
    """The members that are read, and the unread ones (outermost only: what lies below an
    unread member is unread with it)."""
    read: list[tuple[Location, str, Json]] = []
    unread: list[tuple[Location, str, Json]] = []
    for location, path, value in members(document):
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        if parent and not is_read(declared, parent.removesuffix("[]")):
            continue  # inside an unread member
        (read if is_read(declared, path) else unread).append((location, path, value))
    return read, unread


def objects(node: Json, at: Location = ()) -> Iterator[Location]:
    """Where every object of ``node`` is."""
    if isinstance(node, dict):
        yield at
        for key, value in node.items():
            yield from objects(value, (*at, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from objects(item, (*at, index))


def at(document: Json, location: Location) -> Json:
    for step in location:
        document = document[step]
    return document


def replaced(document: Json, changes: dict[Location, Json]) -> Json:
    out = copy.deepcopy(document)
    for location, value in changes.items():
        at(out, location[:-1])[location[-1]] = value
    return out


def removed(document: Json, locations: list[Location]) -> Json:
    out = copy.deepcopy(document)
    for location in sorted(locations, key=len, reverse=True):
        del at(out, location[:-1])[location[-1]]
    return out


def with_unknown(document: Json, locations: list[Location]) -> Json:
    out = copy.deepcopy(document)
    for location in locations:
        at(out, location)[UNKNOWN_KEY] = copy.deepcopy(UNKNOWN_VALUE)
    return out


def json_variants(document: Json, declared: frozenset[str]) -> Iterator[tuple[str, Json]]:
    """(what changed, body) for every tolerance variant of a JSON body."""
    _, unread = read_and_unread(document, declared)
    all_at_once: dict[Location, Json] = {}
    for location, path, value in unread:
        for bad in UNEXPECTED:
            if json_type(bad) != json_type(value):
                all_at_once.setdefault(location, bad)
                yield f"unread {path} = {dump(bad)}", replaced(document, {location: bad})
    if len(all_at_once) > 1:
        yield "every unread field of an unexpected type", replaced(document, all_at_once)
    levels = list(objects(document))
    for location in levels:
        yield f"unknown field in the object at {location}", with_unknown(document, [location])
    yield "an unknown field in every object", with_unknown(document, levels)
    for location, path, _ in unread:
        yield f"unread {path} removed", removed(document, [location])
    if len(unread) > 1:
        yield "every unread field removed", removed(document, [loc for loc, _, _ in unread])


def wrong_type(value: Json) -> Json:
    """A value of another JSON type, one that no reading of ``value``'s field accepts."""
    if isinstance(value, dict):
        return "unexpected"
    if isinstance(value, list):
        return {"unexpected": True}
    return {"unexpected": True} if value is not None else ["unexpected"]


# --- XML bodies (Mastercard Send) -------------------------------------------------------------

Element = ElementTree.Element


def xml_members(
    root: Element, declared: frozenset[str]
) -> Iterator[tuple[Element, Element, str, bool]]:
    """Every element below the root, outermost first: (parent, element, declaration path,
    read). The root ``<account-balances>`` is the array itself: its children are its items.
    Below an unread element nothing is listed (it is unread with it)."""

    def walk(parent: Element, path: str) -> Iterator[tuple[Element, Element, str, bool]]:
        items = f"{path}[]" in declared and parent is root
        for child in parent:
            here = f"{path}[]" if items else f"{path}.{child.tag}"
            if f"{here}[]" in declared and not items:
                here = f"{here}[]"
            read = is_read(declared, here.removesuffix("[]"))
            yield parent, child, here, read
            if read:
                yield from walk(child, here)

    yield from walk(root, root.tag)


def xml_text(root: Element) -> str:
    return ElementTree.tostring(root, encoding="unicode")


def xml_changed(root: Element, index: int, declared: frozenset[str]) -> str:
    """The body with the ``index``-th element of ``xml_members`` holding an element."""
    copied = copy.deepcopy(root)
    as_object(list(xml_members(copied, declared))[index][1])
    return xml_text(copied)


def as_object(element: Element) -> None:
    """An element that held text now holds an element: an object where a string was."""
    element.text = None
    for child in list(element):
        element.remove(child)
    ElementTree.SubElement(element, "unexpected").text = "1"


def as_empty(element: Element) -> None:
    """An empty element: XML's null."""
    element.text = None
    for child in list(element):
        element.remove(child)


def add_unknown(element: Element) -> None:
    unknown = ElementTree.SubElement(element, "zz_unknown_field")
    ElementTree.SubElement(unknown, "nested").text = "unknown"


def xml_variants(root: Element, declared: frozenset[str]) -> Iterator[tuple[str, str]]:
    """(what changed, body) for every tolerance variant of an XML body. A list is not one
    of the unexpected types here: in XML a list is a repeated element, which the reader
    refuses wherever it stands (XML's duplicate keys), read or not."""
    found = list(xml_members(root, declared))
    unread = [index for index, (_, _, _, read) in enumerate(found) if not read]

    def changed(indexes: list[int], change: Callable[[Element, Element], None]) -> str:
        copied = copy.deepcopy(root)
        elements = list(xml_members(copied, declared))
        for parent, element, _, _ in [elements[index] for index in indexes]:
            change(parent, element)
        return xml_text(copied)

    def holding_an_element(_: Element, element: Element) -> None:
        as_object(element)

    def empty(_: Element, element: Element) -> None:
        as_empty(element)

    def gone(parent: Element, element: Element) -> None:
        parent.remove(element)

    for index in unread:
        path = found[index][2]
        yield f"unread {path} holds an element", changed([index], holding_an_element)
        yield f"unread {path} empty", changed([index], empty)
        yield f"unread {path} removed", changed([index], gone)
    if len(unread) > 1:
        yield "every unread element holds an element", changed(unread, holding_an_element)
        yield "every unread element removed", changed(unread, gone)
    # Objects: the root and the read elements with child elements; not the root array,
    # whose children are its items.
    levels = [index for index, (_, element, _, read) in enumerate(found) if read and len(element)]

    def unknown_in(indexes: list[int], in_root: bool) -> str:
        copied = copy.deepcopy(root)
        elements = list(xml_members(copied, declared))
        for index in indexes:
            add_unknown(elements[index][1])
        if in_root:
            add_unknown(copied)
        return xml_text(copied)

    root_is_object = f"{root.tag}[]" not in declared
    if root_is_object:
        yield f"unknown element in <{root.tag}>", unknown_in([], True)
    for level in levels:
        yield f"unknown element in {found[level][2]}", unknown_in([level], False)
    yield "an unknown element in every object", unknown_in(levels, root_is_object)


# --- the variants of every shipped body ------------------------------------------------------


def variants(vendor: str, path: Path, text: str) -> Iterator[tuple[str, str]]:
    declared = read_by(vendor)
    if path.suffix == ".xml":
        yield from xml_variants(parse_xml(text), declared)
    else:
        for name, document in json_variants(load(text), declared):
            yield name, dump(document)


@pytest.mark.parametrize(("vendor", "path"), PAYLOADS)
def test_what_is_not_read_changes_nothing(vendor: str, path: Path) -> None:
    """Unread fields of unexpected types, unknown fields at every level and unread fields
    removed give exactly the records and problems of the clean body."""
    text = path.read_text(encoding="utf-8")
    clean = clean_outcome(vendor, path, text)
    if path.suffix == ".json":
        # The body as the tests write it back reads as the file does.
        assert summary(outcome_of(vendor, path, dump(load(text)))) == summary(clean)
    count = 0
    for name, body in variants(vendor, path, text):
        assert summary(outcome_of(vendor, path, body)) == summary(clean), name
        count += 1
    assert count, "no variant"


def _whole_structs(model: type) -> type:
    """What the decode converted into before the read views: the whole generated struct."""
    return model


@pytest.mark.parametrize(("vendor", "path"), PAYLOADS)
def test_a_read_field_of_the_wrong_type_is_the_same_typed_error(
    vendor: str, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every read field given a value of another type: a typed error, the same (class,
    field, value, text) as the decode into the whole generated wire struct gives."""
    text = path.read_text(encoding="utf-8")
    clean = clean_outcome(vendor, path, text)
    declared = read_by(vendor)
    bodies: list[tuple[str, str]] = []
    if path.suffix == ".xml":
        root = parse_xml(text)
        found = list(xml_members(root, declared))
        for index, (_, element, member, is_read_member) in enumerate(found):
            if is_read_member and not len(element):
                body = xml_changed(root, index, declared)
                bodies.append((f"read {member} holds an element", body))
    else:
        document = load(text)
        read_members, _ = read_and_unread(document, declared)
        for location, member, value in read_members:
            bad = wrong_type(value)
            bodies.append(
                (f"read {member} = {dump(bad)}", dump(replaced(document, {location: bad})))
            )
    assert bodies
    now = {name: summary(outcome_of(vendor, path, body)) for name, body in bodies}
    monkeypatch.setattr(_decode, "read_view", _whole_structs)
    before = {name: summary(outcome_of(vendor, path, body)) for name, body in bodies}
    for name, _ in bodies:
        assert now[name] == before[name], name
        _, _, problems = now[name]
        assert problems, name
        if clean.records:  # a body refused already may be refused for the same reason
            assert now[name] != summary(clean), name


# --- the case of the maintainers' issue, by name ----------------------------------------------

US_EXAMPLE = ROOT / "normalize" / "examples" / US / "AvailableBalanceSample.json"


def test_us_real_account_number_last4_as_an_integer_loses_no_balance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An earlier published Open Finance US spec typed ``realAccountNumberLast4`` as an
    integer. The mapping does not read it, so ``1234`` there gives both balances, exactly as
    the documented string does; before the read views the whole response was refused."""
    document = json.loads(US_EXAMPLE.read_text(), parse_float=Decimal)
    assert document["realAccountNumberLast4"] == "5678"
    clean = parse_response(US, dump(document))
    integer = dump({**document, "realAccountNumberLast4": 1234})
    outcome = parse_response(US, integer)
    assert outcome.kind is OutcomeKind.RECORDS
    assert [r.vendor_balance_type for r in outcome.records] == [
        "availableBalance",
        "clearedBalance",
    ]
    assert [r.to_dict() for r in outcome.records] == [r.to_dict() for r in clean.records]
    monkeypatch.setattr(_decode, "read_view", _whole_structs)
    (problem,) = parse_response(US, integer).problems
    assert type(problem.error) is InvalidField
    assert (problem.error.field, problem.error.value) == ("$.realAccountNumberLast4", 1234)


def test_unread_fields_are_derived_from_the_declaration() -> None:
    """What the variants treat as unread comes from SPEC_READS: in the US example, the two
    fields the mapping never reads."""
    document = json.loads(US_EXAMPLE.read_text(), parse_float=Decimal)
    read, unread = read_and_unread(document, read_by(US))
    assert sorted(path for _, path, _ in unread) == [
        "aggregationStatusCode",
        "realAccountNumberLast4",
    ]
    assert "availableBalance" in {path for _, path, _ in read}


# --- the read views ---------------------------------------------------------------------------


def test_the_decode_reads_only_the_declared_fields() -> None:
    """The read view of a wire struct has the fields the declaration reads, with the
    generated types and wire names, and no other."""
    view = _decode.read_view(us_wire.AvailableBalance)
    assert [f.encode_name for f in msgspec.structs.fields(view)] == [
        "id",
        "availableBalance",
        "availableBalanceDate",
        "clearedBalance",
        "clearedBalanceDate",
        "currency",
    ]
    whole = {f.encode_name: f.type for f in msgspec.structs.fields(us_wire.AvailableBalance)}
    assert all(whole[f.encode_name] == f.type for f in msgspec.structs.fields(view))
    # A shape key is read as an object, with nothing inside it read.
    request_info = _decode.read_view(connect_wire.OriginalRequestInfo)
    assert msgspec.structs.fields(request_info) == ()


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_declaration_fits_its_generated_structs(vendor: str) -> None:
    """Each vendor's declaration builds the read views of its wire structs: every view
    field is the generated struct's own (type, wire name, default), and the struct the
    response body is read into keeps something to read."""
    module: Any = REGISTRY[vendor]
    views = read_views(module.wire, module.SPEC_READS)
    for struct, view in views.items():
        whole = {f.name: f for f in msgspec.structs.fields(struct)}
        for info in msgspec.structs.fields(view):
            original = whole[info.name]
            assert (info.encode_name, info.default) == (original.encode_name, original.default)
    for read in module.SPEC_READS:
        assert msgspec.structs.fields(views[getattr(module.wire, read["model"])])


def test_a_declaration_that_does_not_fit_the_structs_is_refused() -> None:
    read: SpecReads = {
        "function": "read",
        "operation": "GetAvailableBalanceLive",
        "status": "200",
        "model": "AvailableBalance",
        "fields": {"availableAmount": "number"},
    }
    with pytest.raises(DeclarationMismatch, match="has no field 'availableAmount'"):
        read_views(us_wire, [read])
    with pytest.raises(DeclarationMismatch, match="no generated struct"):
        read_views(us_wire, [{**read, "model": "Balance", "fields": {"id": "integer"}}])
    with pytest.raises(DeclarationMismatch, match="holds no object"):
        read_views(us_wire, [{**read, "fields": {"id.value": "integer"}}])


def test_a_struct_of_no_declared_module_is_not_read() -> None:
    class Stray(msgspec.Struct):
        value: str

    with pytest.raises(LookupError, match="no declaration"):
        _decode.into(Stray, {"value": "x"}, vendor=US)


def test_the_spec_check_holds_the_declared_model_to_the_spec() -> None:
    spec = _spec_check.load_spec(ROOT / "specs" / US / "openapi.yaml")
    (declared,) = [
        d for d in _spec_check.declarations(ROOT / "normalize" / "vendors") if d.vendor == US
    ]
    assert _spec_check.check_declared(spec, "us", declared) == []
    wrong = [
        {**read, "model": "ErrorMessage"} if read["status"] == "200" else read
        for read in declared.reads
    ]
    breaks = _spec_check.check_declared(
        spec,
        "us",
        _spec_check.Declared(declared.module, declared.path, US, tuple(wrong), declared.functions),
    )
    assert [b.change for b in breaks] == [
        "the response schema is 'AvailableBalance', the declaration reads model 'ErrorMessage'"
    ]


# --- what decides a shape or signals an error is read ----------------------------------------

CONNECT_BODY = {
    "originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"},
    "account": {
        "resourceId": "acc-1",
        "balances": [
            {
                "balanceAmount": {"currency": "EUR", "amount": "1.00"},
                "creditDebitIndicator": "Credit",
            }
        ],
    },
}


def test_connect_original_request_info_is_read_and_its_request_id_is_not() -> None:
    """``originalRequestInfo`` is one of the keys that tell Connect's balance body from an
    error body: read, it must be the object the spec requires; nothing inside it is read."""
    for info in ({}, {"xRequestId": 5}, {"other": "x"}):
        (record,) = parse_response(
            CONNECT, json.dumps({**CONNECT_BODY, "originalRequestInfo": info})
        ).records
        assert record.amount == Decimal("1.00")
    (problem,) = parse_response(
        CONNECT, json.dumps({**CONNECT_BODY, "originalRequestInfo": "x"})
    ).problems
    assert (type(problem.error), problem.error.field) == (InvalidField, "$.originalRequestInfo")  # type: ignore[union-attr]
    without = {"account": CONNECT_BODY["account"]}
    (problem,) = parse_response(CONNECT, json.dumps(without)).problems
    assert (type(problem.error), problem.error.field) == (MissingField, "$.originalRequestInfo")  # type: ignore[union-attr]


GOOD_ACCOUNT: dict[str, Any] = {
    "balance": {"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"},
    "non_card_token": "non_card_token:good",
}
ERRORS = {"Error": [{"ReasonCode": "ACCOUNT_UNAVAILABLE"}]}


def send_xml(value: Json, tag: str) -> str:
    if isinstance(value, dict):
        return f"<{tag}>" + "".join(send_xml(v, k) for k, v in value.items()) + f"</{tag}>"
    if isinstance(value, list):
        return "".join(send_xml(item, tag) for item in value)
    return f"<{tag}>{value}</{tag}>"


@pytest.mark.parametrize("form", ["json", "xml"])
@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("balance", "$.account-balances[1].balance.Errors"),
        ("unknown", "$.account-balances[1].unknown.Errors"),
    ],
)
def test_send_errors_inside_an_account_are_read_at_any_depth(
    form: str, where: str, field: str
) -> None:
    """An ``Errors`` deeper inside an account is no unknown field to skip: that account is
    refused (MalformedPayload), never a record; the account beside it still gives its own."""
    bad = copy.deepcopy(GOOD_ACCOUNT) | {"non_card_token": "non_card_token:bad"}
    if where == "balance":
        bad["balance"]["Errors"] = ERRORS
    else:
        bad["unknown"] = {"Errors": ERRORS}
    if form == "json":
        body = json.dumps({"account-balances": [GOOD_ACCOUNT, bad]})
    else:
        accounts = send_xml([GOOD_ACCOUNT, bad], "account_balance")
        body = f"<account-balances>{accounts}</account-balances>"
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [r.account_id for r in outcome.records] == ["non_card_token:good"]
    (problem,) = outcome.problems
    assert (problem.scope, problem.path, problem.account_id) == (
        Scope.ACCOUNT,
        "$.account-balances[1]",
        "non_card_token:bad",
    )
    assert type(problem.error) is MalformedPayload
    assert problem.error.field == field


@pytest.mark.parametrize("form", ["json", "xml"])
def test_send_errors_beside_the_one_account_refuse_the_body(form: str) -> None:
    holder = {"account_balance": GOOD_ACCOUNT, "Errors": ERRORS}
    body = (
        json.dumps({"account_balances": holder})
        if form == "json"
        else send_xml(holder, "account_balances")
    )
    (problem,) = parse_response(SEND, body).problems
    assert type(problem.error) is MalformedPayload
    assert problem.error.field == "$.account_balances.Errors"


# --- what the decode still refuses anywhere --------------------------------------------------

FINICITY = (
    '{"id": 5011648377, "availableBalance": 1233.45, "availableBalanceDate": 1735732800,'
    ' "clearedBalance": 1250.45, "clearedBalanceDate": 1735732800, "currency": "USD", %s}'
)


@pytest.mark.parametrize(
    ("unread", "error", "field"),
    [
        ('"aggregationStatusCode": NaN', InvalidAmount, "$.aggregationStatusCode"),
        ('"aggregationStatusCode": 0, "aggregationStatusCode": 1', MalformedPayload, "$"),
        ('"realAccountNumberLast4": "\\ud800"', MalformedPayload, "$"),
    ],
    ids=["nan", "duplicate-key", "lone-surrogate"],
)
def test_the_decode_still_refuses_bad_json_in_unread_fields(
    unread: str, error: type[NormalizeError], field: str
) -> None:
    (problem,) = parse_response(US, FINICITY % unread).problems
    assert isinstance(problem.error, error)
    assert type(problem.error) is error
    assert problem.error.field == field


def test_the_decode_still_refuses_bad_utf8_and_repeated_elements_in_unread_fields() -> None:
    body = (FINICITY % '"realAccountNumberLast4": "12"').encode().replace(b'"12"', b'"1\xff"')
    (problem,) = parse_response(US, body).problems
    assert type(problem.error) is MalformedPayload
    account = send_xml(GOOD_ACCOUNT, "account_balance").replace(
        "<non_card_token>",
        "<created_date>a</created_date><created_date>b</created_date><non_card_token>",
    )
    (problem,) = parse_response(SEND, f"<account_balances>{account}</account_balances>").problems
    assert type(problem.error) is MalformedPayload
    assert "repeated" in str(problem.error)


# --- error bodies: their members that say what went wrong are read, the rest is not -----------


def test_unread_members_of_error_bodies_never_hide_the_vendors_error() -> None:
    finicity = {"code": "14001", "message": "Customer not found.", "tags": ["AGG"], "level": 3}
    error = parse_response(US, json.dumps(finicity), status=404).problems[0].error
    assert type(error) is VendorError
    assert (error.vendor_code, error.vendor_message) == ("14001", "Customer not found.")
    gateway = {
        "Errors": {"Error": [{"ReasonCode": "INVALID_TOKEN", "Recoverable": "maybe", "Source": 7}]}
    }
    error = parse_response(CONNECT, json.dumps(gateway), status=401).problems[0].error
    assert type(error) is VendorError
    assert error.vendor_code == "INVALID_TOKEN"
    # ...while a read member of the wrong type is still a typed error.
    (problem,) = parse_response(US, json.dumps({**finicity, "message": 5}), status=404).problems
    assert type(problem.error) is VendorError  # an error status speaks for a body it cannot read
    (problem,) = parse_response(US, json.dumps({**finicity, "message": 5})).problems
    assert type(problem.error) is InvalidField
