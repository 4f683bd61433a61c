"""The spec check: each vendor mapping's declaration (SPEC_READS) against its spec.

The first part runs the check on a small document of our own, one rule per test: how it
follows ``$ref``, ``allOf``, ``oneOf`` and ``nullable``, and how it words each break. The
second runs it on the real declarations and specs, unchanged and with the edits a vendor
makes (a new enum value, a renamed property, a changed type), on a copy of specs/.
"""

from __future__ import annotations

import copy
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from normalize import VENDORS, _spec_check
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
                "required": ["id", "state", "money", "items"],
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
        schemas(document)["Thing"]["required"] = ["state", "money", "items"]
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


def test_a_success_moved_to_another_status_names_where_it_went(tmp_path: Path) -> None:
    def to_201(document: dict[str, Any]) -> None:
        responses = document["paths"]["/things/{id}"]["get"]["responses"]
        responses["201"] = responses.pop("200")

    assert run_check(tmp_path, to_201) == [
        f"normalize.vendors.example_vendor : {function} : specs/example/openapi.yaml"
        "#/paths/~1things~1{id}/get/responses : response 200 is gone (now there: 201)"
        for function in ("_item", "read")
    ]


def test_a_property_moved_under_a_new_wrapper_names_where_it_went(tmp_path: Path) -> None:
    def wrap(document: dict[str, Any]) -> None:
        thing = schemas(document)["Thing"]
        thing["properties"]["status"] = {
            "type": "object",
            "properties": {
                "detail": {"type": "object", "properties": {"state": {"type": "string"}}}
            },
        }
        thing["properties"]["history"] = {
            "type": "array",
            "items": {"type": "object", "properties": {"state": {"type": "string"}}},
        }
        thing["properties"]["tree"] = {"$ref": "#/components/schemas/Tree"}
        schemas(document)["Tree"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Tree"},
        }
        del thing["properties"]["state"]
        thing["required"].remove("state")

    # 'status' is also a near name: the spec cannot say which it was, so both are named.
    assert run_check(tmp_path, wrap) == [
        f"normalize.vendors.example_vendor : read : {THING}/state : property 'state' is gone"
        " (renamed? now there: 'status'; moved? now at 'history[].state',"
        " 'status.detail.state')"
    ]


def test_an_object_that_may_now_be_an_array_is_one_type_change(tmp_path: Path) -> None:
    """oneOf object|array on an object the mapping reads into: the object's type changed,
    said once; its fields are not each reported as no longer required."""

    def object_or_array(document: dict[str, Any]) -> None:
        money = {"$ref": "#/components/schemas/Money"}
        schemas(document)["Thing"]["properties"]["money"] = {
            "oneOf": [money, {"type": "array", "items": money}]
        }

    assert run_check(tmp_path, object_or_array) == [
        f"normalize.vendors.example_vendor : read : {THING}/money : money: type changed: the"
        " mapping reads object, the spec says array|object"
    ]

    def or_null(document: dict[str, Any]) -> None:
        money = {"$ref": "#/components/schemas/Money"}
        schemas(document)["Thing"]["properties"]["money"] = {"oneOf": [money, {"type": "null"}]}

    shutil.rmtree(tmp_path / "specs")
    shutil.rmtree(tmp_path / "normalize")
    assert run_check(tmp_path, or_null) == [
        f"normalize.vendors.example_vendor : read : {THING}/money : money: now nullable, and"
        " the mapping needs a value"
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


def test_a_declaration_may_name_a_literal_written_above_it(tmp_path: Path) -> None:
    shared = MODULE.replace(
        "SPEC_READS = (",
        'FIELDS = {"amount": "number|string"}\nOTHER = FIELDS\n\nSPEC_READS = (',
    ).replace('"fields": {"amount": "number|string"}', '"fields": OTHER')
    assert '"fields": OTHER' in shared
    assert run_check(tmp_path / "named", module=shared) == []
    declared = _spec_check.declarations(tmp_path / "named" / "normalize" / "vendors")
    assert declared[0].reads[1]["fields"] == {"amount": "number|string"}
    # A name for anything computed, or for nothing written above, is no literal.
    for name, module in {
        "computed": shared.replace("OTHER = FIELDS", "OTHER = dict(FIELDS)"),
        "below": shared.replace("OTHER = FIELDS", "").replace("SPEC_READS = (", "SPEC_READS = (\n")
        + "\nOTHER = FIELDS\n",
        "spread": shared.replace('"fields": OTHER', '"fields": {**OTHER}'),
    }.items():
        with pytest.raises(_spec_check.DeclarationError, match="must be a literal"):
            run_check(tmp_path / name, module=module)


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


def test_an_optional_property_the_spec_requires_is_a_break_on_every_run(tmp_path: Path) -> None:
    """The decode reads a field as the spec requires it: a body without it is refused. The
    declaration is held to the spec, not to generated/, so the break stands after
    scripts/regenerate rewrote the wire structs (here: ``note`` required there too)."""

    def require_note(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["required"].append("note")
        del schemas(document)["Thing"]["properties"]["note"]["nullable"]

    expected = [
        f"normalize.vendors.example_vendor : read : {THING}/note : note: declared optional but"
        " the spec requires it: the decode refuses a body without it; drop '?' from the"
        " declaration or, if the vendor still leaves it out, keep it optional in the spec"
    ]
    assert [str(line) for line in project(tmp_path / "before", require_note)] == expected
    regenerated = "class Thing(Struct):\n    id: str\n    note: str\n"
    after = project(tmp_path / "after", require_note, generated={"wire.py": regenerated})
    assert [str(line) for line in after] == expected

    def require_nullable_note(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["required"].append("note")

    # Required but nullable: the mapping's '?' (copes with null) still holds.
    assert project(tmp_path / "nullable", require_nullable_note) == []


def test_a_renamed_schema_gives_no_requiredness_break(tmp_path: Path) -> None:
    """Send's ``ErrorList`` renamed ``ErrList2``: the same fields, required as before."""

    def rename(document: dict[str, Any]) -> None:
        errors = schemas(document)["Errors"]["properties"]["Errors"]
        assert errors == {"$ref": "#/components/schemas/ErrorList"}
        errors["$ref"] = "#/components/schemas/ErrList2"
        schemas(document)["ErrList2"] = schemas(document).pop("ErrorList")

    root = edited_specs(tmp_path, "mastercard-send", rename)
    assert [str(line) for line in check(root, VENDORS_DIR)] == []


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


def test_a_balance_written_as_decimal_text_or_nested_deeper_is_a_warning(tmp_path: Path) -> None:
    """New balances the mapping would drop in other shapes: an amount-named string whose
    pattern or format says it is a number, a Money object one and two levels down, a list
    of them inside an object; a self-referring schema is followed a bounded depth. Strings
    that only carry a balance's name, and a number not named as an amount, are not."""

    def add(document: dict[str, Any]) -> None:
        money = {"$ref": "#/components/schemas/Money"}
        properties = schemas(document)["Thing"]["properties"]
        properties["pendingAmount"] = {"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"}
        properties["heldBalance"] = {"type": "string", "format": "decimal"}
        properties["balanceStatus"] = {"type": "string", "pattern": "^[A-Z]+$"}
        properties["balanceNote"] = {"type": "string"}
        properties["count"] = {"type": "number"}
        properties["holds"] = {"type": "object", "properties": {"card": money}}
        properties["extra"] = {
            "type": "object",
            "properties": {"details": {"type": "object", "properties": {"hold": money}}},
        }
        properties["pockets"] = {
            "type": "object",
            "properties": {"all": {"type": "array", "items": money}},
        }
        properties["loop"] = {"$ref": "#/components/schemas/Loop"}
        properties["tree"] = {"$ref": "#/components/schemas/Tree"}
        schemas(document)["Loop"] = {
            "type": "object",
            "properties": {"next": {"$ref": "#/components/schemas/Loop"}},
        }
        # An array of itself: followed a bounded depth, not forever.
        schemas(document)["Tree"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Tree"},
        }

    lines = project(tmp_path, add)
    assert _spec_check.errors(lines) == []
    assert [str(line) for line in lines] == [
        f"normalize.vendors.example_vendor : read : {THING}/{name} : property {name!r} looks"
        f" like a balance ({shape}) and no mapping reads it"
        for name, shape in (
            ("extra", "an amount with a currency, at extra.details.hold"),
            ("heldBalance", "an amount"),
            ("holds", "an amount with a currency, at holds.card"),
            ("pendingAmount", "an amount"),
            ("pockets", "a list of amounts with a currency, at pockets.all"),
        )
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


def test_a_moved_path_is_a_warning_and_path_parameters_are_held_to_the_call(
    tmp_path: Path,
) -> None:
    """A path moved since last generated is a warning (the call follows). Path parameters
    are held to the live call as its source writes it (``get_thing._get_kwargs(thing_id)``:
    one positional argument), not to generated/, so a call that no longer fits stays an
    error after scripts/regenerate rewrote the operation module."""
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

    # Passed by position, a renamed parameter still fits: a warning until regenerated.
    (line,) = project(tmp_path / "renamed", rename_parameter, live=LIVE, generated=generated)
    assert line.warning
    assert str(line).endswith(
        ": operation 'getThing' moved: GET /things/{id} -> GET /things/{thingId} (the call"
        " follows once regenerated)"
    )

    def add_parameter(document: dict[str, Any]) -> None:
        document["paths"]["/shelves/{shelfId}/things/{id}"] = document["paths"].pop("/things/{id}")

    where = "specs/example/openapi.yaml#/paths/~1shelves~1{shelfId}~1things~1{id}/get"
    expected = (
        f"normalize.live.example_vendor : thing : {where} : operation 'getThing' (GET"
        " /shelves/{shelfId}/things/{id}): its path parameters (shelf_id, id) do not fit the"
        " call: get_thing._get_kwargs(...) passes no id"
    )
    lines = project(tmp_path / "added", add_parameter, live=LIVE, generated=generated)
    assert [str(line) for line in _spec_check.errors(lines)] == [expected]
    assert not any(line.blocks for line in lines)
    regenerated = GENERATED_OPERATION.replace("/things/{id}", "/shelves/{shelf_id}/things/{id}")
    after = project(
        tmp_path / "regenerated",
        add_parameter,
        live=LIVE,
        generated={"api/default/get_thing.py": regenerated},
    )
    assert [str(line) for line in after] == [expected]


def test_an_object_on_the_way_to_a_read_field_is_held_like_one(tmp_path: Path) -> None:
    """``money`` (on the way to ``money.value``) and ``items`` (``_item`` reads at
    ``items[]``) are read into as a needed field is: null or absent, the mapping fails."""

    def loosen(document: dict[str, Any]) -> None:
        thing = schemas(document)["Thing"]
        thing["properties"]["money"]["nullable"] = True
        thing["required"] = ["id", "state", "money"]

    assert [str(line) for line in project(tmp_path, loosen)] == [
        f"normalize.vendors.example_vendor : _item : {THING}/items : items: no longer"
        " required, and the mapping needs a value",
        f"normalize.vendors.example_vendor : read : {THING}/money : money: now nullable, and"
        " the mapping needs a value",
    ]


SEND = "normalize.vendors.mastercard_send"
SEND_SPEC = "specs/mastercard-send/openapi.yaml#/components/schemas"


def test_send_parents_on_the_at_path_are_checked(tmp_path: Path) -> None:
    """Send's ``_record`` reads at ``account_balances.account_balance``: its holder made
    nullable, or no longer required in the envelope, would hand the mapping None."""

    def holder_nullable(document: dict[str, Any]) -> None:
        schemas(document)["AccountBalanceHolder"]["nullable"] = True

    def not_required(document: dict[str, Any]) -> None:
        envelope = schemas(document)["AccountBalanceEnvelope"]
        envelope["required"].remove("account_balances")

    where = f"{SEND_SPEC}/AccountBalanceEnvelope/properties/account_balances"
    root = edited_specs(tmp_path / "nullable", "mastercard-send", holder_nullable)
    assert [str(line) for line in check(root, VENDORS_DIR)] == [
        f"{SEND} : _record : {where} : account_balances: now nullable, and the mapping needs"
        " a value"
    ]
    root = edited_specs(tmp_path / "optional", "mastercard-send", not_required)
    assert [str(line) for line in check(root, VENDORS_DIR)] == [
        f"{SEND} : _record : {where} : account_balances: no longer required, and the mapping"
        " needs a value"
    ]


def test_a_spec_that_does_not_parse_is_one_line(tmp_path: Path) -> None:
    for name, text, message in [
        (
            "yaml",
            "openapi: 3.0.3\ninfo: {title: x\n  version: 1\npaths: [\n",
            "line 3, column 10: expected ',' or '}', but got ':'",
        ),
        ("list", "- openapi\n- 3.0.3\n", "not an OpenAPI document (a YAML list, not a mapping)"),
    ]:
        project(tmp_path / name)
        (tmp_path / name / "specs" / "example" / "openapi.yaml").write_text(text)
        assert [str(line) for line in check(tmp_path / name)] == [
            "normalize.vendors.example_vendor : - : specs/example/openapi.yaml : the spec does"
            f" not parse: {message}"
        ]


def load_regenerate() -> Any:
    import importlib.util
    import sys

    path = ROOT / "scripts" / "regenerate.py"
    spec = importlib.util.spec_from_file_location("regenerate_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_regenerate_reports_a_spec_that_does_not_parse_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No traceback: one line naming the file, the other vendors generated, exit 1."""
    regenerate = load_regenerate()
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copytree(ROOT / "generated", tmp_path / "generated")
    (tmp_path / "specs" / "token-io" / "openapi.yaml").write_text("paths: [\n")
    generated: list[str] = []

    def generate(spec_dir: Path, out_dir: Path, imported: Any = None) -> list[str]:
        # The generators' output, as they would write it for an unchanged spec.
        generated.append(spec_dir.name)
        shutil.copytree(tmp_path / "generated" / spec_dir.name, out_dir)
        return []

    monkeypatch.setattr(regenerate, "generate", generate)
    monkeypatch.setattr(regenerate, "canonical_schema", lambda root, check: [])

    assert regenerate.main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    line = (
        "normalize.vendors.token_io : - : specs/token-io/openapi.yaml : the spec does not"
        " parse: line 2, column 1: expected the node content, but found '<stream end>'"
    )
    assert f"    {line}" in err.splitlines()
    assert "would keep generated/token-io/ as it was: its spec does not parse" in err
    others = [p.name for p in (ROOT / "specs").iterdir() if (p / "generator.yaml").is_file()]
    assert sorted(generated) == sorted(set(others) - {"token-io"})


def test_the_amount_pattern_is_the_rule_of_the_reader_the_mapping_calls(tmp_path: Path) -> None:
    """Send's ``_record`` reads ``balance.amount`` with ``amount_from_minor_units``
    (digits, ``_MINOR_UNITS_TEXT``): a pattern of major units is a break there, though
    the decimal-text rule would read ``0.00``."""

    def major_units(document: dict[str, Any]) -> None:
        schemas(document)["Balance"]["properties"]["amount"]["pattern"] = "^[0-9]+\\.[0-9]{2}$"

    root = edited_specs(tmp_path, "mastercard-send", major_units)
    # Both operations read the same schema: one line.
    assert [str(line) for line in check(root, VENDORS_DIR)] == [
        f"{SEND} : _record : {SEND_SPEC}/Balance/properties/amount/pattern : balance.amount:"
        " pattern changed: '^[0-9]+\\\\.[0-9]{2}$' admits '0.00', which the amount rule"
        " (-?[0-9]+) refuses"
    ]


def test_a_removed_enum_value_is_a_warning(tmp_path: Path) -> None:
    """Every body the spec allows gives what it gave; the handled value is dead code."""

    def drop_off(document: dict[str, Any]) -> None:
        schemas(document)["State"]["enum"].remove("OFF")

    (line,) = project(tmp_path, drop_off)
    assert line.warning
    assert str(line) == (
        "normalize.vendors.example_vendor : read : specs/example/openapi.yaml#/components"
        "/schemas/State/enum : enum value 'OFF' of state removed: the mapping still handles a"
        " value the spec no longer sends"
    )


def test_a_date_time_the_mapping_parses_must_stay_one(tmp_path: Path) -> None:
    """Send's ``balance_timestamp`` and Connect's ``dateTime`` go to ``from_rfc3339``."""

    def to_date(document: dict[str, Any]) -> None:
        schemas(document)["AccountBalance"]["properties"]["balance_timestamp"]["format"] = "date"

    def no_format(document: dict[str, Any]) -> None:
        del schemas(document)["Balance"]["properties"]["dateTime"]["format"]

    reads = "not 'date-time': the mapping reads it as an RFC 3339 date-time (from_rfc3339)"
    root = edited_specs(tmp_path / "send", "mastercard-send", to_date)
    assert [str(line) for line in check(root, VENDORS_DIR)] == [
        f"{SEND} : _record : {SEND_SPEC}/AccountBalance/properties/balance_timestamp :"
        f" balance_timestamp: format 'date', {reads}"
    ]
    root = edited_specs(tmp_path / "connect", "mastercard-open-banking-connect", no_format)
    assert [str(line) for line in check(root, VENDORS_DIR)] == [
        "normalize.vendors.mastercard_open_banking_connect : _record :"
        " specs/mastercard-open-banking-connect/openapi.yaml#/components/schemas/Balance"
        f"/properties/dateTime : dateTime: no format, {reads}"
    ]


def test_a_renamed_model_the_live_code_imports_blocks_its_vendor(tmp_path: Path) -> None:
    """AU's live module imports ``PartnerCredentials`` from the generated models."""

    def rename(document: dict[str, Any]) -> None:
        found = schemas(document)
        found["Credentials"] = found.pop("PartnerCredentials")
        text = yaml.safe_dump(document).replace(
            "#/components/schemas/PartnerCredentials", "#/components/schemas/Credentials"
        )
        document.clear()
        document.update(yaml.safe_load(text))

    root = edited_specs(tmp_path, "mastercard-open-finance-au", rename)
    (line,) = check(root, VENDORS_DIR)
    assert str(line) == (
        "normalize.vendors.mastercard_open_finance_au.live : import :"
        " specs/mastercard-open-finance-au/openapi.yaml#/components/schemas/Credentials :"
        " model 'PartnerCredentials' is gone (renamed? now there: 'Credentials'): the generated"
        " class mastercard_open_finance_au_client.models.PartnerCredentials it imports will be"
        " gone"
    )
    assert line.blocks == "mastercard-open-finance-au"
    assert not line.warning


def test_json_media_types_with_parameters_or_suffix_are_json(tmp_path: Path) -> None:
    for media_type in ("application/json; charset=utf-8", "application/vnd.example+json"):

        def rename(document: dict[str, Any], media_type: str = media_type) -> None:
            content = document["components"]["responses"]["Thing"]["content"]
            content[media_type] = content.pop("application/json")

        assert project(tmp_path / media_type.replace("/", "_"), rename) == []


def test_a_tag_change_moves_the_imported_module(tmp_path: Path) -> None:
    def retag(document: dict[str, Any]) -> None:
        document["paths"]["/things/{id}"]["get"]["tags"] = ["things"]

    (line,) = project(tmp_path, retag, live=LIVE)
    assert str(line) == (
        f"normalize.live.example_vendor : thing : {GET_THING} : operation 'getThing' moved to"
        " tag folder 'things': the generated module example_client.api.default.get_thing it"
        " imports will be gone (now example_client.api.things.get_thing)"
    )
    assert line.blocks == "example"


# --- the real declarations against the real specs ---------------------------------------------

VENDORS_DIR = ROOT / "normalize" / "vendors"
# Every vendor package (normalize/vendors/<vendor_id>/), the five real ones among them.
MODULES = sorted(
    path.parent.name
    for path in VENDORS_DIR.glob("*/__init__.py")
    if not path.parent.name.startswith("_")
)
REAL_MODULES = {
    "mastercard_open_banking_connect",
    "mastercard_open_finance_au",
    "mastercard_open_finance_us",
    "mastercard_send",
    "token_io",
}


def test_every_vendor_module_declares_what_it_reads() -> None:
    declared = {d.module: d for d in _spec_check.declarations(VENDORS_DIR)}
    assert set(MODULES) >= REAL_MODULES
    assert sorted(MODULES) == sorted(vendor.replace("-", "_") for vendor in VENDORS)
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


def test_every_error_status_is_held_to_the_error_read(tmp_path: Path) -> None:
    """parse_response reads the vendor's error body under any error status, so a read
    declared for one error status holds for every error status of the operation: Token's
    404 answering another body is a break at that status (one line for both operations), while a
    401 that also answers text/plain (the status decides then) is no warning."""

    def other_not_found(document: dict[str, Any]) -> None:
        document["components"]["responses"]["NotFound"]["content"]["application/json"] = {
            "schema": {"type": "object", "properties": {"message": {"type": "string"}}}
        }

    root = edited_specs(tmp_path / "token", "token-io", other_not_found)
    where = "specs/token-io/openapi.yaml#/components/responses/NotFound/content/application~1json"
    assert [str(line) for line in check(root, VENDORS_DIR)] == [
        f"{TOKEN} : read : {where}/schema : the response schema is no named schema"
        " (model 'ErrorResponse')",
        f"{TOKEN} : read : {where}/schema/properties/error : property 'error' is gone",
    ]

    def text_unauthorized(document: dict[str, Any]) -> None:
        response = document["components"]["responses"]["Unauthorized"]
        response["content"]["text/plain"] = {"schema": {"type": "string"}}

    root = edited_specs(tmp_path / "token-401", "token-io", text_unauthorized)
    assert [str(line) for line in check(root, VENDORS_DIR)] == []


# --- specs written oddly, and shapes the rules must see through ----------------------------------

S = "specs/example/openapi.yaml#/components/schemas"


def _pet_family(document: dict[str, Any]) -> None:
    # A parent oneOf its children, each child allOf the parent (as springdoc writes it).
    schemas(document)["Thing"]["properties"]["pet"] = {"$ref": "#/components/schemas/Pet"}
    schemas(document)["Pet"] = {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "oneOf": [{"$ref": "#/components/schemas/Cat"}],
    }
    schemas(document)["Cat"] = {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"properties": {"meow": {"type": "string"}}},
        ]
    }


def _error_status_as_yaml_integer(document: dict[str, Any]) -> None:
    responses = document["paths"]["/things/{id}"]["get"]["responses"]
    responses[404] = {
        "description": "not found",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
    }


ODD_SPECS: dict[str, tuple[Callable[[dict[str, Any]], None], str, list[str]]] = {
    "schemas that refer to themselves through oneOf and allOf": (_pet_family, MODULE, []),
    "a schema allOf itself": (
        lambda d: schemas(d)["Money"].setdefault("allOf", [{"$ref": "#/components/schemas/Money"}]),
        MODULE,
        [],
    ),
    "required given as true": (
        lambda d: schemas(d)["Money"].__setitem__("required", True),
        MODULE,
        [
            f"normalize.vendors.example_vendor : read : {S}/Money/properties/{name} :"
            f" money.{name}: no longer required, and the mapping needs a value"
            for name in ("currency", "value")
        ],
    ),
    "properties given as a list": (
        lambda d: schemas(d)["Thing"]["properties"].__setitem__(
            "extra", {"type": "object", "properties": [{"name": "a"}]}
        ),
        MODULE,
        [],
    ),
    "a format of the wrong kind": (
        lambda d: schemas(d)["Thing"]["properties"].update(
            {"pendingAmount": {"type": "string", "format": ["decimal"]}}
        ),
        MODULE,
        [],
    ),
    "responses, a response, content and a path item written as lists": (
        lambda d: d["paths"].update(
            {
                "/a": {"get": {"operationId": "a", "responses": []}},
                "/b": {"get": {"operationId": "b", "responses": {"200": []}}},
                "/c": {"get": {"operationId": "c", "responses": {"200": {"content": []}}}},
                "/d": [],
            }
        ),
        MODULE,
        [
            f"normalize.vendors.example_vendor : OPERATIONS : specs/example/openapi.yaml#/paths"
            f"/~1{name}/get : operation {name!r} added (GET /{name}): no mapping reads it"
            for name in ("a", "b", "c")
        ],
    ),
    "OpenAPI 3.1 type lists": (
        lambda d: (
            schemas(d)["Item"]["properties"].__setitem__("amount", {"type": ["integer", "string"]}),
            schemas(d)["Money"].__setitem__("type", ["object", "null"]),
        ),
        MODULE,
        [
            f"normalize.vendors.example_vendor : read : {S}/Thing/properties/money : money: now"
            " nullable, and the mapping needs a value"
        ],
    ),
    "an error status written as a YAML integer": (
        _error_status_as_yaml_integer,
        MODULE.replace(
            "SPEC_READS = (",
            'SPEC_READS = (\n    {"function": "read", "operation": "getThing", "status": "400",'
            ' "fields": {"code": "string"}},',
        ),
        # Held to the error read as every error status with a JSON body is: Thing has no code.
        [
            "normalize.vendors.example_vendor : read : specs/example/openapi.yaml#/components"
            "/schemas/Thing/properties/code : property 'code' is gone"
        ],
    ),
}


@pytest.mark.parametrize("name", list(ODD_SPECS))
def test_a_spec_written_oddly_is_read_without_a_crash(tmp_path: Path, name: str) -> None:
    edit, module, expected = ODD_SPECS[name]
    assert run_check(tmp_path, edit, module) == expected


def test_a_pattern_of_the_wrong_kind_on_a_read_amount_is_no_pattern(tmp_path: Path) -> None:
    lines = run_check(
        tmp_path, lambda d: schemas(d)["Money"]["properties"]["value"].update(pattern=7)
    )
    assert len(lines) == 1
    assert lines[0].startswith(
        f"normalize.vendors.example_vendor : read : {S}/Money/properties/value : money.value: an"
        " amount as text with no pattern: the spec allows any text"
    )


def test_a_ref_the_check_cannot_follow_is_named_once(tmp_path: Path) -> None:
    """What lies behind it is unknown: no finding past it (its fields are not 'gone')."""

    def external(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["properties"]["money"] = {"$ref": "money.yaml#/Money"}
        schemas(document)["Thing"]["properties"]["other"] = {"$ref": "#/components/schemas/Nope"}
        # Refs that do resolve: into a list, and percent-encoded (RFC 6901 URI fragment).
        responses = document["paths"]["/things/{id}"]["get"]["responses"]
        document["paths"]["/other/{id}"] = {
            "get": {
                "operationId": "getOther",
                "parameters": [{"$ref": "#/paths/~1things~1%7Bid%7D/get/parameters/0"}],
                "responses": {"200": {"$ref": "#/paths/~1things~1%7Bid%7D/get/responses/400"}},
            }
        }
        document["paths"]["/things/{id}"]["get"]["parameters"] = [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ]
        # A "$ref" key inside an example is data, not a reference.
        responses["400"]["content"]["application/json"]["examples"]["Bad"]["value"] = {
            "code": "7",
            "links": {"$ref": "https://example.com/elsewhere"},
        }

    assert run_check(tmp_path, external) == [
        f"normalize.vendors.example_vendor : - : {S}/Thing/properties/money/$ref : $ref"
        " 'money.yaml#/Money' points outside the file",
        f"normalize.vendors.example_vendor : - : {S}/Thing/properties/other/$ref : $ref"
        " '#/components/schemas/Nope' points at nothing",
        "normalize.vendors.example_vendor : OPERATIONS : specs/example/openapi.yaml#/paths"
        "/~1other~1{id}/get : operation 'getOther' added (GET /other/{id}): no mapping reads it",
    ]


def test_a_wide_schema_that_refers_to_itself_is_searched_once(tmp_path: Path) -> None:
    """Looking for balances a few levels down, each schema is searched once per depth,
    not once per way of reaching it (60 self-referring children took minutes so)."""

    def wide(document: dict[str, Any]) -> None:
        node = {"$ref": "#/components/schemas/Node"}
        children = {f"child{i}": node for i in range(60)}
        schemas(document)["Node"] = {"type": "object", "properties": children}
        schemas(document)["Thing"]["properties"].update({f"node{i}": node for i in range(60)})

    started = time.perf_counter()
    assert run_check(tmp_path, wide) == []
    assert time.perf_counter() - started < 30  # a hang, not a speed target


def test_array_items_and_the_body_that_may_be_something_else_are_type_changes(
    tmp_path: Path,
) -> None:
    def items_or_text(document: dict[str, Any]) -> None:
        items = schemas(document)["Thing"]["properties"]["items"]
        items["items"] = {"oneOf": [items["items"], {"type": "string"}]}

    assert run_check(tmp_path / "items", items_or_text) == [
        f"normalize.vendors.example_vendor : _item : {THING}/items/items : items[]: items type"
        " changed: the mapping reads object, the spec says object|string"
    ]

    def body_or_list(document: dict[str, Any]) -> None:
        thing = schemas(document)["Thing"]
        schemas(document)["Thing"] = {"oneOf": [thing, {"type": "array", "items": {}}]}

    assert run_check(tmp_path / "body", body_or_list) == [
        f"normalize.vendors.example_vendor : {function} : {S}/Thing : the body: type changed:"
        " the mapping reads object, the spec says array|object"
        for function in ("_item", "read")
    ]

    def money_a_list(document: dict[str, Any]) -> None:
        money = {"$ref": "#/components/schemas/Money"}
        schemas(document)["Thing"]["properties"]["money"] = {"type": "array", "items": money}

    # Once, as the holder's type: its fields did not go anywhere.
    assert run_check(tmp_path / "money", money_a_list) == [
        f"normalize.vendors.example_vendor : read : {THING}/money : money: type changed: the"
        " mapping reads object, the spec says array"
    ]


def test_an_enumeration_opened_up_to_any_text_is_free_text(tmp_path: Path) -> None:
    def open_up(document: dict[str, Any]) -> None:
        schemas(document)["Thing"]["properties"]["state"] = {
            "anyOf": [{"$ref": "#/components/schemas/State"}, {"type": "string"}]
        }

    assert run_check(tmp_path, open_up) == [
        f"normalize.vendors.example_vendor : read : {THING}/state : state is no longer an"
        " enumeration"
    ]


def test_balances_in_more_shapes_are_warned_and_look_alikes_are_not(tmp_path: Path) -> None:
    def add(document: dict[str, Any]) -> None:
        money = {"$ref": "#/components/schemas/Money"}
        properties = schemas(document)["Thing"]["properties"]
        schemas(document)["Entry"] = {
            "type": "object",
            "properties": {"type": {"type": "string"}, "amount": money},
        }
        properties["pendingBalances"] = {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Entry"},
        }
        properties["holdBalance"] = {"type": "integer", "format": "int64"}
        properties["creditAmount"] = {"type": "string", "pattern": r"^[-+]?[0-9]*\.?[0-9]+$"}
        properties["grossAmount"] = {
            "type": "string",
            "pattern": r"^[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{2})?$",
        }
        properties["byType"] = {"type": "object", "additionalProperties": money}
        properties["split"] = {
            "allOf": [
                {"type": "object", "properties": {"amount": {"type": "number"}}},
                {"properties": {"currency": {"type": "string"}}},
            ]
        }
        # Plain text beside a currency is an amount too; names with "date" or "time"
        # inside a word name no time.
        properties["fee"] = {
            "type": "object",
            "properties": {"amount": {"type": "string"}, "currencyCode": {"type": "string"}},
        }
        properties["consolidatedBalance"] = {"type": "integer"}
        properties["lifetimeAmount"] = {"type": "number"}
        # Named like balances, but a date, a time in digits, an id and a type name beside
        # a currency.
        properties["balanceId"] = {"type": "integer"}
        properties["balanceDate"] = {"type": "integer"}
        properties["balanceTimestamp"] = {"type": "string", "pattern": "^[0-9]{13}$"}
        properties["account"] = {
            "type": "object",
            "properties": {"currency": {"type": "string"}, "balanceType": {"type": "string"}},
        }

    lines = run_check(tmp_path, add)
    assert all(line.endswith("and no mapping reads it") for line in lines)
    assert [line.split(" : ")[3] for line in lines] == [
        f"property {name!r} looks like a balance ({shape}) and no mapping reads it"
        for name, shape in (
            ("byType", "a map of amounts with a currency"),
            ("consolidatedBalance", "an amount"),
            ("creditAmount", "an amount"),
            ("fee", "an amount with a currency"),
            ("grossAmount", "an amount"),
            ("holdBalance", "an amount"),
            ("lifetimeAmount", "an amount"),
            ("pendingBalances", "an amount with a currency, at pendingBalances[].amount"),
            ("split", "an amount with a currency"),
        )
    ]


def test_a_moved_hint_skips_what_is_read(tmp_path: Path) -> None:
    def rename_beside_a_read_list(document: dict[str, Any]) -> None:
        # 'items' is read, and its entries have had a 'state' all along: a rename, not a move.
        thing = schemas(document)["Thing"]
        schemas(document)["Item"]["properties"]["state"] = {"type": "string"}
        thing["properties"]["status"] = thing["properties"].pop("state")

    assert run_check(tmp_path / "rename", rename_beside_a_read_list) == [
        f"normalize.vendors.example_vendor : read : {THING}/state : property 'state' is gone"
        " (renamed? now there: 'status')"
    ]

    def wrap_money(document: dict[str, Any]) -> None:
        properties = schemas(document)["Thing"]["properties"]
        properties["amounts"] = {"type": "object", "properties": {"money": properties.pop("money")}}
        schemas(document)["Thing"]["required"].remove("money")

    # The wrapper does hold a balance no mapping reads: said too.
    assert run_check(tmp_path / "wrap", wrap_money) == [
        f"normalize.vendors.example_vendor : _item : {THING}/amounts : property 'amounts' looks"
        " like a balance (an amount with a currency, at amounts.money) and no mapping reads it",
        f"normalize.vendors.example_vendor : read : {THING}/money : property 'money' is gone"
        " (moved? now at 'amounts.money')",
    ]


def test_an_error_status_gone_names_no_other(tmp_path: Path) -> None:
    module = MODULE.replace(
        "SPEC_READS = (",
        'SPEC_READS = (\n    {"function": "read", "operation": "getThing", "status": "400",'
        ' "fields": {"code": "string"}},',
    )

    def drop_400(document: dict[str, Any]) -> None:
        responses = document["paths"]["/things/{id}"]["get"]["responses"]
        responses["401"] = responses.pop("400")

    assert run_check(tmp_path, drop_400, module) == [
        f"normalize.vendors.example_vendor : read : {GET_THING}/responses : response 400 is gone"
    ]
