"""The spec check: each vendor mapping's declaration (SPEC_READS) against its spec.

The first part runs the check on a small document of our own, one rule per test: how it
follows ``$ref``, ``allOf``, ``oneOf`` and ``nullable``, and how it words each break. The
second runs it on the real declarations and specs, unchanged and with the edits a vendor
makes (a new enum value, a renamed property, a changed type), on a copy of specs/.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from normalize import _spec_check
from normalize._spec_check import Break, check

ROOT = Path(__file__).resolve().parent.parent

# --- the rules, on a document of our own --------------------------------------------------------

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "responses": {
                    "200": {"$ref": "#/components/responses/Thing"},
                    "400": {
                        "description": "error",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"},
                                "examples": {"Bad": {"value": {"code": "7"}}},
                            }
                        },
                    },
                },
            }
        }
    },
    "components": {
        "responses": {
            "Thing": {
                "description": "ok",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {
                            "One": {
                                "value": {
                                    "id": "t1",
                                    "state": "ON",
                                    "money": {"value": "1.00", "currency": "EUR"},
                                    "items": [{"amount": 5}],
                                }
                            }
                        },
                    }
                },
            }
        },
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "state", "money"],
                "properties": {
                    "id": {"type": "string"},
                    "state": {"$ref": "#/components/schemas/State"},
                    "money": {"allOf": [{"$ref": "#/components/schemas/Money"}]},
                    "note": {"type": "string", "nullable": True},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}},
                },
            },
            "State": {"type": "string", "enum": ["ON", "OFF"]},
            "Money": {
                "type": "object",
                "required": ["value", "currency"],
                "properties": {
                    "value": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                    "currency": {"type": "string"},
                },
            },
            "Item": {
                "type": "object",
                "required": ["amount"],
                "properties": {"amount": {"oneOf": [{"type": "integer"}, {"type": "string"}]}},
            },
            "Error": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}},
            },
        },
    },
}

MODULE = '''\
"""A vendor module as the check reads it."""

VENDOR = "example"


def read(document, context):
    return []


def _item(raw):
    return raw


SPEC_READS = (
    {
        "function": "read",
        "operation": "getThing",
        "status": "200",
        "fields": {
            "id": "string",
            "state": "string",
            "money.value": "string",
            "money.currency": "string",
            "note": "string?",
        },
        "enums": {"state": ("ON", "OFF")},
    },
    {
        "function": "_item",
        "operation": "getThing",
        "status": "200",
        "at": "items[]",
        "fields": {"amount": "number|string"},
    },
)
'''


def run_check(
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None] | None = None,
    module: str = MODULE,
) -> list[str]:
    document = copy.deepcopy(DOCUMENT)
    if edit is not None:
        edit(document)
    (tmp_path / "specs" / "example").mkdir(parents=True)
    (tmp_path / "specs" / "example" / "openapi.yaml").write_text(yaml.safe_dump(document))
    vendors = tmp_path / "normalize" / "vendors"
    vendors.mkdir(parents=True)
    (vendors / "example_vendor.py").write_text(module)
    return [str(line) for line in check(tmp_path)]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = document["components"]["schemas"]
    return result


def test_a_declaration_that_matches_has_no_breaks(tmp_path: Path) -> None:
    assert run_check(tmp_path) == []


def test_a_renamed_property_is_named_with_its_new_neighbour(tmp_path: Path) -> None:
    def rename(document: dict[str, Any]) -> None:
        money = schemas(document)["Money"]
        money["properties"]["valueText"] = money["properties"].pop("value")
        money["required"] = ["valueText", "currency"]

    assert run_check(tmp_path, rename) == [
        "normalize.vendors.example_vendor : read : specs/example/openapi.yaml"
        "#/components/schemas/Money/properties/value : property 'value' is gone"
        " (renamed? now there: 'valueText')"
    ]


def test_a_changed_type_names_both_types(tmp_path: Path) -> None:
    def to_number(document: dict[str, Any]) -> None:
        schemas(document)["Money"]["properties"]["value"] = {"type": "number"}

    assert run_check(tmp_path, to_number) == [
        "normalize.vendors.example_vendor : read : specs/example/openapi.yaml"
        "#/components/schemas/Money/properties/value : money.value: type changed:"
        " the mapping expects string, the spec says number"
    ]


def test_one_of_adds_its_alternatives_types(tmp_path: Path) -> None:
    def add_boolean(document: dict[str, Any]) -> None:
        schemas(document)["Item"]["properties"]["amount"]["oneOf"].append({"type": "boolean"})

    assert run_check(tmp_path, add_boolean) == [
        "normalize.vendors.example_vendor : _item : specs/example/openapi.yaml"
        "#/components/schemas/Item/properties/amount : amount: type changed:"
        " the mapping expects number|string, the spec says boolean|integer|string"
    ]


def test_a_new_enum_value_is_unhandled(tmp_path: Path) -> None:
    def add_value(document: dict[str, Any]) -> None:
        schemas(document)["State"]["enum"].append("STANDBY")

    assert run_check(tmp_path, add_value) == [
        "normalize.vendors.example_vendor : read : specs/example/openapi.yaml"
        "#/components/schemas/State/enum : enum value 'STANDBY' of state is not handled"
    ]


def test_an_enum_that_becomes_free_text_is_a_break(tmp_path: Path) -> None:
    def free_text(document: dict[str, Any]) -> None:
        del schemas(document)["State"]["enum"]

    (line,) = run_check(tmp_path, free_text)
    assert line.endswith(
        "#/components/schemas/Thing/properties/state : state is no longer an enumeration"
    )


def test_a_property_that_becomes_optional_or_nullable_is_a_break(tmp_path: Path) -> None:
    def loosen(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["required"] = ["state", "money"]
        schemas(document)["Money"]["properties"]["currency"]["nullable"] = True

    assert run_check(tmp_path, loosen) == [
        "normalize.vendors.example_vendor : read : specs/example/openapi.yaml"
        "#/components/schemas/Money/properties/currency : money.currency: now nullable,"
        " and the mapping needs a value",
        "normalize.vendors.example_vendor : read : specs/example/openapi.yaml"
        "#/components/schemas/Thing/properties/id : id: no longer required,"
        " and the mapping needs a value",
    ]


def test_an_optional_property_may_loosen(tmp_path: Path) -> None:
    def loosen(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["properties"]["note"] = {"type": "string"}

    assert run_check(tmp_path, loosen) == []


def test_an_array_that_is_no_longer_one_is_a_break(tmp_path: Path) -> None:
    def flatten(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["properties"]["items"] = {"$ref": "#/components/schemas/Item"}

    (line,) = run_check(tmp_path, flatten)
    assert line.startswith("normalize.vendors.example_vendor : _item : ")
    assert line.endswith(": items[] is no longer an array")


def test_a_gone_operation_or_response_is_a_break(tmp_path: Path) -> None:
    def drop_200(document: dict[str, Any]) -> None:
        del document["paths"]["/things/{id}"]["get"]["responses"]["200"]

    assert run_check(tmp_path, drop_200) == [
        f"normalize.vendors.example_vendor : {function} : specs/example/openapi.yaml"
        "#/paths/~1things~1{id}/get/responses : response 200 is gone"
        for function in ("_item", "read")
    ]
    shutil.rmtree(tmp_path / "specs")
    shutil.rmtree(tmp_path / "normalize")

    def rename_operation(document: dict[str, Any]) -> None:
        document["paths"]["/things/{id}"]["get"]["operationId"] = "fetchThing"

    lines = run_check(tmp_path, rename_operation)
    assert lines == [
        f"normalize.vendors.example_vendor : {function} : specs/example/openapi.yaml"
        "#/paths/~1things~1{id}/get : operation 'getThing' is gone (renamed? now there:"
        " 'fetchThing')"
        for function in ("_item", "read")
    ]


def test_a_declared_function_that_does_not_exist_is_a_break(tmp_path: Path) -> None:
    module = MODULE.replace('"function": "_item"', '"function": "_entry"')
    assert run_check(tmp_path, module=module) == [
        "normalize.vendors.example_vendor : _entry : normalize/vendors/example_vendor.py :"
        " mapping function not found"
    ]


def test_a_declaration_must_be_a_literal(tmp_path: Path) -> None:
    module = MODULE + "\nSPEC_READS = tuple(SPEC_READS)\n"
    with pytest.raises(_spec_check.DeclarationError, match="must be a literal"):
        run_check(tmp_path, module=module)


def test_examples_are_checked_against_their_own_schema() -> None:
    document = copy.deepcopy(DOCUMENT)
    assert _spec_check.example_problems(document, "specs/example/openapi.yaml") == []
    schemas(document)["Money"]["properties"]["value"] = {"type": "number"}
    (problem,) = _spec_check.example_problems(document, "specs/example/openapi.yaml")
    assert problem.startswith(
        "specs/example/openapi.yaml#/components/responses/Thing/content/application~1json/schema:"
        " getThing application/json One: ['money']['value']: '1.00' is not of type 'number'"
    )


def test_break_reads_as_one_line() -> None:
    line = Break("normalize.vendors.x", "read", "specs/x/openapi.yaml#/a", "what changed")
    assert str(line) == "normalize.vendors.x : read : specs/x/openapi.yaml#/a : what changed"


# --- beyond a read field's type: requiredness, enumerations, amounts, additions, operations -----

LIVE = """\
from example_client.api.default import get_thing


def thing(thing_id):
    return {"operation": "getThing", "request": get_thing._get_kwargs(thing_id)}
"""

# The operation module as openapi-python-client last wrote it.
GENERATED_OPERATION = """\
def _get_kwargs(id):
    _kwargs = {
        "method": "get",
        "url": "/things/{id}".format(
            id=id,
        ),
    }
    return _kwargs
"""


def project(
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None] | None = None,
    *,
    module: str = MODULE,
    package: bool = False,
    live: str | None = None,
    generated: dict[str, str] | None = None,
) -> list[Break]:
    """A project folder: the example vendor (a module file, or a package with ``live.py``;
    ``live`` without a package goes to normalize/live/), its spec edited, its generator.yaml,
    and ``generated`` files under generated/example/example_client/; every break."""
    document = copy.deepcopy(DOCUMENT)
    if edit is not None:
        edit(document)
    specs = tmp_path / "specs" / "example"
    specs.mkdir(parents=True)
    (specs / "openapi.yaml").write_text(yaml.safe_dump(document))
    (specs / "generator.yaml").write_text("package_name_override: example_client\n")
    vendors = tmp_path / "normalize" / "vendors"
    vendors.mkdir(parents=True)
    if package:
        (vendors / "example_vendor").mkdir()
        (vendors / "example_vendor" / "__init__.py").write_text(module)
        if live is not None:
            (vendors / "example_vendor" / "live.py").write_text(live)
    else:
        (vendors / "example_vendor.py").write_text(module)
        if live is not None:
            (tmp_path / "normalize" / "live").mkdir()
            (tmp_path / "normalize" / "live" / "example_vendor.py").write_text(live)
    for relative, text in (generated or {}).items():
        path = tmp_path / "generated" / "example" / "example_client" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return check(tmp_path)


THING = "specs/example/openapi.yaml#/components/schemas/Thing/properties"
GET_THING = "specs/example/openapi.yaml#/paths/~1things~1{id}/get"


@pytest.mark.parametrize("package", [False, True], ids=["module-file", "package"])
def test_declarations_and_live_modules_are_found_in_either_layout(
    tmp_path: Path, package: bool
) -> None:
    project(tmp_path, package=package, live=LIVE)
    vendors = tmp_path / "normalize" / "vendors"
    (declared,) = _spec_check.declarations(vendors)
    assert declared.module == "normalize.vendors.example_vendor"
    source = "example_vendor/__init__.py" if package else "example_vendor.py"
    assert declared.source == f"normalize/vendors/{source}"
    live = "normalize.vendors.example_vendor.live" if package else "normalize.live.example_vendor"
    assert [
        name for name, _ in _spec_check.live_modules(tmp_path / "normalize")["example_vendor"]
    ] == [live]


def test_an_optional_property_made_required_is_a_break(tmp_path: Path) -> None:
    """The decode reads a field as the spec requires it: a body without it is refused."""

    def require_note(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["required"].append("note")

    assert [str(line) for line in project(tmp_path, require_note)] == [
        f"normalize.vendors.example_vendor : read : {THING}/note : note: now required: a body"
        " without it is refused, and the mapping copes with its absence"
    ]


def test_an_optional_property_required_when_last_generated_is_no_change(tmp_path: Path) -> None:
    def require_note(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["required"].append("note")

    wire = "class Thing(Struct):\n    id: str\n    note: str | None\n"
    assert project(tmp_path, require_note, generated={"wire.py": wire}) == []


def test_a_read_string_made_an_enumeration_is_a_break(tmp_path: Path) -> None:
    def enumerate_id(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["properties"]["id"]["enum"] = ["t1", "t2"]

    assert [str(line) for line in project(tmp_path, enumerate_id)] == [
        f"normalize.vendors.example_vendor : read : {THING}/id/enum : id is now an enumeration"
        " ('t1', 't2'): the decode refuses any other value, and the mapping declares none it"
        " handles"
    ]


def test_an_amount_pattern_that_admits_other_text_is_a_break(tmp_path: Path) -> None:
    money = "specs/example/openapi.yaml#/components/schemas/Money/properties/value"

    def comma(document: dict[str, Any]) -> None:
        schemas(document)["Money"]["properties"]["value"]["pattern"] = "^[0-9]+(,[0-9]+)?$"

    assert [str(line) for line in project(tmp_path / "comma", comma)] == [
        f"normalize.vendors.example_vendor : read : {money}/pattern : money.value: pattern"
        " changed: '^[0-9]+(,[0-9]+)?$' admits '0,0', which the amount rule"
        " (-?[0-9]+(?:\\.[0-9]+)?) refuses"
    ]

    def unanchored(document: dict[str, Any]) -> None:
        schemas(document)["Money"]["properties"]["value"]["pattern"] = "[0-9]+"

    (line,) = project(tmp_path / "unanchored", unanchored)
    assert str(line).endswith(
        "money.value: pattern changed: '[0-9]+' admits '12,50', which the amount rule"
        " (-?[0-9]+(?:\\.[0-9]+)?) refuses"
    )

    def no_pattern(document: dict[str, Any]) -> None:
        del schemas(document)["Money"]["properties"]["value"]["pattern"]

    (line,) = project(tmp_path / "none", no_pattern)
    assert str(line) == (
        f"normalize.vendors.example_vendor : read : {money} : money.value: an amount as text"
        " with no pattern: the spec allows any text, the amount rule reads only"
        " -?[0-9]+(?:\\.[0-9]+)?"
    )


def test_additions_no_mapping_reads_are_warnings(tmp_path: Path) -> None:
    """A balance-shaped property, a media type and an operation the code names nowhere."""

    def add(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["properties"]["pending"] = {"$ref": "#/components/schemas/Money"}
        schemas(document)["Thing"]["properties"]["pendingAmount"] = {"type": "number"}
        schemas(document)["Thing"]["properties"]["amountType"] = {"type": "string"}
        response = document["components"]["responses"]["Thing"]
        response["content"]["application/xml"] = {"schema": {"type": "string"}}
        document["paths"]["/things"] = {"get": {"operationId": "listThings", "responses": {}}}

    lines = project(tmp_path, add)
    assert all(line.warning for line in lines)
    assert _spec_check.errors(lines) == []
    assert [str(line) for line in lines] == [
        "normalize.vendors.example_vendor : OPERATIONS : specs/example/openapi.yaml"
        "#/paths/~1things/get : operation 'listThings' added (GET /things): no mapping reads it",
        *(
            f"normalize.vendors.example_vendor : {function} : specs/example/openapi.yaml"
            "#/components/responses/Thing/content/application~1xml : media type"
            " 'application/xml' of response 200 added: the mapping reads JSON only"
            for function in ("_item", "read")
        ),
        f"normalize.vendors.example_vendor : read : {THING}/pending : property 'pending' looks"
        " like a balance (an amount with a currency) and no mapping reads it",
        f"normalize.vendors.example_vendor : read : {THING}/pendingAmount : property"
        " 'pendingAmount' looks like a balance (an amount) and no mapping reads it",
    ]


def test_a_vendor_that_reads_xml_takes_an_xml_media_type(tmp_path: Path) -> None:
    def add_xml(document: dict[str, Any]) -> None:
        response = document["components"]["responses"]["Thing"]
        response["content"]["application/xml"] = {"schema": {"type": "string"}}

    module = MODULE + "\n\ndef from_xml(body):\n    return {}\n"
    assert project(tmp_path, add_xml, module=module) == []


def rename_get_thing(document: dict[str, Any]) -> None:
    document["paths"]["/things/{id}"]["get"]["operationId"] = "fetchThing"


@pytest.mark.parametrize("package", [False, True], ids=["live-folder", "vendor-package"])
def test_a_renamed_operation_names_the_live_function_and_its_new_id(
    tmp_path: Path, package: bool
) -> None:
    """The generated module the live code imports would be gone: an error naming the new
    operationId, which keeps that vendor's generated/ (``blocks``)."""
    lines = project(tmp_path, rename_get_thing, package=package, live=LIVE)
    live = "normalize.vendors.example_vendor.live" if package else "normalize.live.example_vendor"
    (imports,) = [line for line in lines if line.module == live]
    assert str(imports) == (
        f"{live} : thing : {GET_THING} : operation 'getThing' renamed 'fetchThing': the"
        " generated module example_client.api.default.get_thing it imports will be gone (now"
        " example_client.api.default.fetch_thing)"
    )
    assert imports.blocks == "example"
    assert not imports.warning
    # The declarations name the new id too, and it is not reported as an added operation.
    assert [str(line) for line in lines if line.module != live] == [
        f"normalize.vendors.example_vendor : {function} : {GET_THING} : operation 'getThing'"
        " is gone (renamed? now there: 'fetchThing')"
        for function in ("_item", "read")
    ]


def test_a_moved_path_is_a_warning_and_changed_path_parameters_a_break(tmp_path: Path) -> None:
    generated = {"api/default/get_thing.py": GENERATED_OPERATION}

    def move(document: dict[str, Any]) -> None:
        document["paths"]["/v2/things/{id}"] = document["paths"].pop("/things/{id}")

    (line,) = project(tmp_path / "moved", move, live=LIVE, generated=generated)
    assert line.warning
    assert str(line) == (
        "normalize.live.example_vendor : thing : specs/example/openapi.yaml"
        "#/paths/~1v2~1things~1{id}/get : operation 'getThing' moved: GET /things/{id} -> GET"
        " /v2/things/{id} (the call follows once regenerated)"
    )

    def rename_parameter(document: dict[str, Any]) -> None:
        document["paths"]["/things/{thingId}"] = document["paths"].pop("/things/{id}")

    (line,) = project(tmp_path / "renamed", rename_parameter, live=LIVE, generated=generated)
    assert not line.warning
    assert str(line).endswith(
        ": operation 'getThing' moved: GET /things/{id} -> GET /things/{thingId}, and its path"
        " parameters changed (id -> thing_id): the call's arguments no longer fit"
    )


# --- the real declarations against the real specs ---------------------------------------------

VENDORS_DIR = ROOT / "normalize" / "vendors"
MODULES = (
    "mastercard_open_banking_connect",
    "mastercard_open_finance_au",
    "mastercard_open_finance_us",
    "mastercard_send",
    "token_io",
)


def test_every_vendor_module_declares_what_it_reads() -> None:
    declared = {d.module: d for d in _spec_check.declarations(VENDORS_DIR)}
    assert sorted(declared) == [f"normalize.vendors.{name}" for name in MODULES]
    for module in declared.values():
        assert module.reads, module.module
        for read in module.reads:
            assert read["function"] in module.functions, (module.module, read["function"])


def test_declarations_hold_against_the_specs() -> None:
    """The check scripts/regenerate runs: after a spec change, this names each mapping
    function the change breaks, with the spec location and what changed."""
    breaks = [str(line) for line in check(ROOT)]
    assert breaks == [], "\n".join(breaks)


def edited_specs(tmp_path: Path, vendor: str, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A project folder whose specs/ is a copy of ours with one vendor's document edited."""
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    path = tmp_path / "specs" / vendor / "openapi.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return tmp_path


def rename_property(schema: str, old: str, new: str) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        target = schemas(document)[schema]
        target["properties"] = {
            (new if name == old else name): value for name, value in target["properties"].items()
        }
        if old in target.get("required", ()):
            target["required"] = [new if name == old else name for name in target["required"]]

    return edit


def add_enum_value(schema: str, value: str) -> Callable[[dict[str, Any]], None]:
    def edit(document: dict[str, Any]) -> None:
        schemas(document)[schema]["enum"].append(value)

    return edit


def money_value_to_number(document: dict[str, Any]) -> None:
    schemas(document)["Money"]["properties"]["value"] = {
        "type": "number",
        "description": "Amount as a JSON number.",
    }


TOKEN = "normalize.vendors.token_io"
TOKEN_SPEC = "specs/token-io/openapi.yaml#/components/schemas"

# The three Token edits, each with the breaks the check must report (module : function :
# spec location : what changed), written out by hand from the declaration in token_io.py.
TOKEN_EDITS: dict[str, tuple[Callable[[dict[str, Any]], None], list[str]]] = {
    "new-request-status": (
        add_enum_value("RequestStatus", "CONSENT_REVOKED"),
        [
            f"{TOKEN} : _entry : {TOKEN_SPEC}/RequestStatus/enum :"
            " enum value 'CONSENT_REVOKED' of status is not handled",
        ],
    ),
    "current-renamed-currentBalance": (
        rename_property("Balance", "current", "currentBalance"),
        [
            f"{TOKEN} : _entry : {TOKEN_SPEC}/Balance/properties/current :"
            " property 'current' is gone (renamed? now there: 'currentBalance')",
            f"{TOKEN} : _money_record : {TOKEN_SPEC}/Balance/properties/current :"
            " property 'current' is gone (renamed? now there: 'currentBalance')",
        ],
    ),
    "money-value-string-to-number": (
        money_value_to_number,
        [
            f"{TOKEN} : _money_record : {TOKEN_SPEC}/Money/properties/value :"
            f" {name}.value: type changed: the mapping expects string, the spec says number"
            for name in ("available", "current")
        ]
        + [
            f"{TOKEN} : _other_record : {TOKEN_SPEC}/Money/properties/value :"
            " amount.value: type changed: the mapping expects string, the spec says number"
        ],
    ),
}


@pytest.mark.parametrize("name", list(TOKEN_EDITS))
def test_token_spec_edits_name_the_mapping_they_break(tmp_path: Path, name: str) -> None:
    edit, expected = TOKEN_EDITS[name]
    root = edited_specs(tmp_path, "token-io", edit)
    assert [str(line) for line in check(root, VENDORS_DIR)] == expected


OTHER_EDITS = [
    pytest.param(
        "mastercard-open-finance-au",
        rename_property("AvailableBalance", "availableBalance", "availableAmount"),
        "normalize.vendors.mastercard_open_finance_au : _finicity.records :"
        " specs/mastercard-open-finance-au/openapi.yaml#/components/schemas/AvailableBalance"
        "/properties/availableBalance : property 'availableBalance' is gone"
        " (renamed? now there: 'availableAmount')",
        id="au-amount-renamed",
    ),
    pytest.param(
        "mastercard-open-finance-us",
        rename_property("AvailableBalance", "clearedBalance", "postedBalance"),
        "normalize.vendors.mastercard_open_finance_us : _finicity.records :"
        " specs/mastercard-open-finance-us/openapi.yaml#/components/schemas/AvailableBalance"
        "/properties/clearedBalance : property 'clearedBalance' is gone"
        " (renamed? now there: 'postedBalance')",
        id="us-amount-renamed",
    ),
    pytest.param(
        "mastercard-open-banking-connect",
        add_enum_value("CreditDebitIndicator", "CRDT"),
        "normalize.vendors.mastercard_open_banking_connect : _record :"
        " specs/mastercard-open-banking-connect/openapi.yaml#/components/schemas"
        "/CreditDebitIndicator/enum : enum value 'CRDT' of creditDebitIndicator is not handled",
        id="connect-new-indicator",
    ),
    pytest.param(
        "mastercard-send",
        add_enum_value("BalanceState", "IN_OVERDRAFT"),
        "normalize.vendors.mastercard_send : _record :"
        " specs/mastercard-send/openapi.yaml#/components/schemas/BalanceState/enum :"
        " enum value 'IN_OVERDRAFT' of balance.state is not handled",
        id="send-new-state",
    ),
]


@pytest.mark.parametrize(("vendor", "edit", "expected"), OTHER_EDITS)
def test_other_vendors_spec_edits_name_the_mapping_they_break(
    tmp_path: Path, vendor: str, edit: Callable[[dict[str, Any]], None], expected: str
) -> None:
    root = edited_specs(tmp_path, vendor, edit)
    assert [str(line) for line in check(root, VENDORS_DIR)] == [expected]
