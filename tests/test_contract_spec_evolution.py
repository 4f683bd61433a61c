"""Vendor spec changes as a maintainer meets them: scripts/regenerate in a copy of the project.

One copy of this working tree (what a developer is about to commit, not the last commit)
serves the module; each test puts its specs/, generated/ and written files back first, edits
the copy's specs/<vendor>/openapi.yaml (and, for the lint case, a generator.yaml), and runs
the copy's scripts/regenerate.py with this interpreter. Every kind of spec change has its
case; edits that only need the check and do not touch each other (different vendors or
different schemas) share one run, each expected line asserted on its own:

* a change that alters what a body gives (an enum value added; a read field renamed,
  removed, made required, no longer required, made nullable, made an enum; a type or an
  amount's pattern changed; the vendors' own published schemas) exits 1 naming
  ``module : function : spec location : what changed``, and the check names the same
  breaks again after the run rewrote generated/;
* an addition no mapping reads (a balance-shaped field, a media type, an operation) and a
  moved path are warnings in the same form, and the run exits 0;
* an operationId renamed names the new id for the vendor module and for the live module
  that imports the generated operation module, keeps that vendor's generated/ so that every
  test is still collected, and exits 1;
* a generator's lint rule or warning does not block generation; a generator that fails
  does not hide the check (exit 2, the check printed first);
* an ``info.version`` bump regenerates cleanly and the library reports the new version.

After each run that rewrites generated/ (and after the rename, which must not), every test
function the untouched copy collects is still collected, and no test module fails to load
that loaded before.
Each expected line is written out by hand from the edit and the module's SPEC_READS.
Slow by nature: about ten seconds per regeneration (two generators per vendor), five runs,
and five pytest collections of the copy (about 100 seconds in all).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from normalize import _spec_check

ROOT = Path(__file__).resolve().parent.parent
HEADING = "mappings broken by the specs (module : function : spec location : what changed)"
WARNINGS = "warning: additions no mapping reads (module : function : spec location : what changed)"
# Not part of the project: environments, caches, the version control folder.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    "spark-warehouse",
    "site",
)

TOKEN = "normalize.vendors.token_io"
TOKEN_SPEC = "specs/token-io/openapi.yaml#"
AU = "normalize.vendors.mastercard_open_finance_au"
AU_SPEC = "specs/mastercard-open-finance-au/openapi.yaml#"
US = "normalize.vendors.mastercard_open_finance_us"
US_SPEC = "specs/mastercard-open-finance-us/openapi.yaml#"
CONNECT = "normalize.vendors.mastercard_open_banking_connect"
CONNECT_SPEC = "specs/mastercard-open-banking-connect/openapi.yaml#"
SEND = "normalize.vendors.mastercard_send"
SEND_SPEC = "specs/mastercard-send/openapi.yaml#"
BALANCE_PATH = "/paths/~1accounts~1{accountId}~1balance/get"

Edit = Callable[[dict[str, Any]], None]


# --- the copy ---------------------------------------------------------------------------------


@dataclass
class Project:
    root: Path
    pristine: Path
    _collection: tuple[set[str], list[str]] | None = None

    def reset(self) -> None:
        """The copy as it was made: generated/ whole (a run may add files), the rest over."""
        shutil.rmtree(self.root / "generated")
        shutil.copytree(self.pristine, self.root, dirs_exist_ok=True)

    def assert_collection_complete(self) -> None:
        """Every test function the untouched copy collects is still collected, and no test
        module fails to load that loaded before."""
        if self._collection is None:
            copy = self.root.parent / "untouched"
            shutil.copytree(self.pristine, copy)
            self._collection = collected(copy)
            shutil.rmtree(copy)
        functions, errors = self._collection
        assert len(functions) > 500
        assert collected(self.root) == (functions, errors)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("evolution")
    shutil.copytree(ROOT, base / "pristine", ignore=NOT_COPIED)
    shutil.copytree(base / "pristine", base / "project")
    return Project(base / "project", base / "pristine")


@pytest.fixture
def root(project: Project) -> Path:
    project.reset()
    return project.root


@pytest.fixture
def collection(project: Project) -> Project:
    """For the tests that check collection after their run (the same copy as ``root``)."""
    return project


def environment(root: Path) -> dict[str, str]:
    """The copy's normalize and generated clients ahead of this checkout's install."""
    paths = [str(root), *(str(p) for p in sorted((root / "generated").glob("*/")))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=environment(root),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def regenerate(root: Path) -> subprocess.CompletedProcess[str]:
    return run(root, "scripts/regenerate.py")


def edit_spec(root: Path, vendor: str, *edits: Edit) -> None:
    path = root / "specs" / vendor / "openapi.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for edit in edits:
        edit(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def section(text: str, heading: str) -> list[str]:
    """The indented lines printed under ``heading``."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(heading)]
    assert starts, f"no {heading!r} in:\n{text[-3000:]}"
    out = []
    for line in lines[starts[0] + 1 :]:
        if not line.startswith("    "):
            break
        out.append(line.strip())
    return out


def collected(root: Path) -> tuple[set[str], list[str]]:
    """The test functions collected in the copy (ids without their parameters: tests
    parametrized by the spec's examples are named by operationId), and the modules that
    failed to load."""
    result = run(root, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider")
    output = result.stdout + result.stderr
    # (Not the exit status: syrupy reports every snapshot unused when nothing runs.)
    assert re.search(r"^\d+ tests? collected", output, re.MULTILINE), output[-3000:]
    functions = {line.split("[", 1)[0] for line in result.stdout.splitlines() if "::" in line}
    return functions, sorted(re.findall(r"ERROR collecting (\S+)", output))


# --- the edits ----------------------------------------------------------------------------------


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"]
    return found


def add_enum_value(schema: str, value: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        schemas(document)[schema]["enum"].append(value)

    return edit


def rename_property(schema: str, old: str, new: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = schemas(document)[schema]
        target["properties"] = {
            (new if name == old else name): value for name, value in target["properties"].items()
        }
        if old in target.get("required", ()):
            target["required"] = [new if name == old else name for name in target["required"]]

    return edit


def remove_property(schema: str, name: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = schemas(document)[schema]
        del target["properties"][name]
        if name in target.get("required", ()):
            target["required"].remove(name)

    return edit


def require(schema: str, *names: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = schemas(document)[schema]
        target["required"] = [*target.get("required", []), *names]
        for name in names:
            target["properties"][name].pop("nullable", None)

    return edit


def no_longer_require(schema: str, *names: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = schemas(document)[schema]
        target["required"] = [name for name in target["required"] if name not in names]

    return edit


def make_nullable(schema: str, name: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        schemas(document)[schema]["properties"][name]["nullable"] = True

    return edit


def connect_balance_type_enum(document: dict[str, Any]) -> None:
    # The Berlin Group names only: the ISO codes (CLBD, ...) and the UK Open Banking names
    # (InterimAvailable, ...) the vendor also sends are left out.
    balance_type = schemas(document)["Balance"]["properties"]["balanceType"]
    balance_type["enum"] = ["closingBooked", "expected", "interimAvailable", "interimBooked"]


def send_amount_to_number(document: dict[str, Any]) -> None:
    schemas(document)["Balance"]["properties"]["amount"] = {"type": "number"}


def token_amount_pattern_allows_comma(document: dict[str, Any]) -> None:
    schemas(document)["Money"]["properties"]["value"]["pattern"] = "^-?[0-9]+([.,][0-9]+)?$"


def token_pending_balance(document: dict[str, Any]) -> None:
    schemas(document)["Balance"]["properties"]["pending"] = {
        "allOf": [{"$ref": "#/components/schemas/Money"}],
        "nullable": True,
        "description": "Pending balance.",
    }


def token_balance_as_xml(document: dict[str, Any]) -> None:
    content = document["paths"]["/accounts/{accountId}/balance"]["get"]["responses"]["200"]
    content["content"]["application/xml"] = {
        "schema": {"$ref": "#/components/schemas/GetBalanceResponse"}
    }


def connect_endpoint_added(document: dict[str, Any]) -> None:
    (path,) = document["paths"]
    operation = dict(document["paths"][path]["post"], operationId="getAccountTransactions")
    document["paths"][path.replace("balances", "transactions")] = {"post": operation}


def send_path_moved(document: dict[str, Any]) -> None:
    document["paths"] = {
        (path.replace("/v1/", "/v2/") if "non-card-tokens" in path else path): item
        for path, item in document["paths"].items()
    }


def token_published_int64(document: dict[str, Any]) -> None:
    # A protobuf int64 as the vendor's JSON gives it: a string of format int64, or a number.
    balance = schemas(document)["Balance"]["properties"]
    balance["updatedAtMs"] = {
        "oneOf": [{"type": "string", "format": "int64"}, {"type": "integer", "format": "int64"}]
    }


def token_rename_get_balance(document: dict[str, Any]) -> None:
    document["paths"]["/accounts/{accountId}/balance"]["get"]["operationId"] = "getAccountBalance"


def send_new_enum(document: dict[str, Any]) -> None:
    schemas(document)["Balance"]["properties"]["tier"] = {
        "type": "string",
        "enum": ["STANDARD", "PREMIUM"],
    }


def token_no_such_type(document: dict[str, Any]) -> None:
    # No JSON type: openapi-python-client stops (datamodel-code-generator carries on).
    schemas(document)["Balance"]["properties"]["extra"] = {"type": "decimal"}


def bump_version(version: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        document["info"]["version"] = version

    return edit


# --- the cases ----------------------------------------------------------------------------------


def test_changes_that_alter_what_a_body_gives_fail_naming_each_mapping(
    root: Path, collection: Project
) -> None:
    """One run, one edit of each kind per vendor or schema, each break named."""
    edit_spec(
        root,
        "token-io",
        add_enum_value("RequestStatus", "CONSENT_REVOKED"),
        rename_property("Balance", "current", "currentBalance"),
        token_amount_pattern_allows_comma,
    )
    # Open Finance AU, as the vendor's own AvailableBalance has it: realAccountNumberLast4
    # and aggregationStatusCode required and not nullable (its schema, cited in the spec's
    # comments; unread, so they change nothing), and (by hand: no published text) both
    # balance dates no longer required.
    edit_spec(
        root,
        "mastercard-open-finance-au",
        require("AvailableBalance", "realAccountNumberLast4", "aggregationStatusCode"),
        no_longer_require("AvailableBalance", "availableBalanceDate", "clearedBalanceDate"),
    )
    edit_spec(
        root,
        "mastercard-open-finance-us",
        remove_property("AvailableBalance", "clearedBalanceDate"),
        make_nullable("AvailableBalance", "availableBalance"),
    )
    edit_spec(
        root,
        "mastercard-open-banking-connect",
        require("Balance", "balanceType"),
        connect_balance_type_enum,
    )
    edit_spec(root, "mastercard-send", send_amount_to_number)

    result = regenerate(root)

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    money = f"{TOKEN_SPEC}/components/schemas/Money/properties/value/pattern"
    comma = (
        "pattern changed: '^-?[0-9]+([.,][0-9]+)?$' admits '0,0', which the amount rule"
        " (-?[0-9]+(?:\\.[0-9]+)?) refuses"
    )
    balance = f"{TOKEN_SPEC}/components/schemas/Balance/properties/current"
    renamed = "property 'current' is gone (renamed? now there: 'currentBalance')"
    au = f"{AU_SPEC}/components/schemas/AvailableBalance/properties"
    us = f"{US_SPEC}/components/schemas/AvailableBalance/properties"
    connect = f"{CONNECT_SPEC}/components/schemas/Balance/properties/balanceType"
    required = (
        "balanceType: declared optional but the spec requires it: the decode refuses a body"
        " without it; drop '?' from the declaration or, if the vendor still leaves it out, keep"
        " it optional in the spec"
    )
    assert section(result.stderr, HEADING) == [
        f"{CONNECT} : _record : {connect} : {required}",
        f"{CONNECT} : _record : {connect}/enum : balanceType is now an enumeration"
        " ('closingBooked', 'expected', 'interimAvailable', 'interimBooked'): the decode"
        " refuses any other value, and the mapping declares none it handles",
        *(
            f"{AU} : _finicity.records : {au}/{name} : {name}: no longer required, and the"
            " mapping needs a value"
            for name in ("availableBalanceDate", "clearedBalanceDate")
        ),
        f"{US} : _finicity.records : {us}/availableBalance : availableBalance: now nullable,"
        " and the mapping needs a value",
        f"{US} : _finicity.records : {us}/clearedBalanceDate : property 'clearedBalanceDate'"
        " is gone",
        # Both operations read the same schema: one line.
        f"{SEND} : _record : {SEND_SPEC}/components/schemas/Balance/properties/amount :"
        " balance.amount: type changed: the mapping expects string, the spec says number",
        f"{TOKEN} : _entry : {TOKEN_SPEC}/components/schemas/Balance/properties/current :"
        f" {renamed}",
        f"{TOKEN} : _entry : {TOKEN_SPEC}/components/schemas/RequestStatus/enum :"
        " enum value 'CONSENT_REVOKED' of status is not handled",
        f"{TOKEN} : _money_record : {balance} : {renamed}",
        f"{TOKEN} : _money_record : {money} : available.value: {comma}",
        f"{TOKEN} : _other_record : {money} : amount.value: {comma}",
    ]
    # generated/ was rewritten from the edited specs all the same, and the check, held to
    # the declarations rather than to generated/, still names the same breaks after it.
    wire = root / "generated" / "token-io" / "token_io_client" / "wire.py"
    assert "currentBalance" in wire.read_text(encoding="utf-8")
    again = _spec_check.check(root, root / "normalize" / "vendors")
    assert [str(line) for line in _spec_check.errors(again)] == section(result.stderr, HEADING)
    collection.assert_collection_complete()


def test_additions_no_mapping_reads_are_warnings(root: Path, collection: Project) -> None:
    """A balance-shaped field, a media type, an operation and a moved path: each a
    warning naming the module, and the run exits 0; a generator's warning (Token's
    int64 as the vendor's published JSON form, a string of format int64) is printed as
    a warning and the output used."""
    edit_spec(
        root,
        "token-io",
        token_pending_balance,
        token_balance_as_xml,
        token_published_int64,
    )
    edit_spec(root, "mastercard-open-banking-connect", connect_endpoint_added)
    edit_spec(root, "mastercard-send", send_path_moved)

    result = regenerate(root)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "generation failed" not in result.stderr
    xml = f"{TOKEN_SPEC}{BALANCE_PATH}/responses/200/content/application~1xml"
    send = "/v2/partners/{partnerId}/non-card-tokens/{non_card_token}/account-balance"
    send_pointer = "/paths/" + send.replace("/", "~1") + "/get"
    assert section(result.stdout, WARNINGS) == [
        f"{CONNECT} : OPERATIONS : {CONNECT_SPEC}/paths/~1accounts~1account~1transactions/post"
        " : operation 'getAccountTransactions' added (POST /accounts/account/transactions): no"
        " mapping reads it",
        f"{SEND}.live : account_balance : {SEND_SPEC}{send_pointer} : operation"
        " 'getAccountBalance' moved: GET"
        " /v1/partners/{partner_id}/non-card-tokens/{non_card_token}/account-balance -> GET"
        f" {send} (the call follows once regenerated)",
        # _entry reads Balance's members (current and available among them).
        f"{TOKEN} : _entry : {TOKEN_SPEC}/components/schemas/Balance/properties/pending :"
        " property 'pending' looks like a balance (an amount with a currency) and no mapping"
        " reads it",
        *(
            f"{TOKEN} : {function} : {xml} : media type 'application/xml' of response 200"
            " added: the mapping reads JSON only"
            for function in ("_entry", "_money_record", "_other_record")
        ),
    ]
    generator = section(result.stdout, "warning: token-io: the generators warn")
    assert any("format of 'int64' not understood for 'string'" in line for line in generator)
    wire = root / "generated" / "token-io" / "token_io_client" / "wire.py"
    assert "pending: Money | None" in wire.read_text(encoding="utf-8")
    collection.assert_collection_complete()


def test_a_renamed_operation_names_the_new_id_and_collection_survives(
    root: Path, collection: Project
) -> None:
    """The vendor module's declarations and the live module that imports the generated
    operation module are named with the new operationId; generated/token-io/ is kept, so
    ``import normalize.live`` and every test module still load."""
    edit_spec(root, "token-io", token_rename_get_balance)

    result = regenerate(root)

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    gone = "operation 'getBalance' is gone (renamed? now there: 'getAccountBalance')"
    assert section(result.stderr, HEADING) == [
        *(
            f"{TOKEN} : {function} : {TOKEN_SPEC}{BALANCE_PATH} : {gone}"
            for function in ("_entry", "_money_record", "_other_record", "read")
        ),
        f"{TOKEN}.live : balance : {TOKEN_SPEC}{BALANCE_PATH} : operation 'getBalance' renamed"
        " 'getAccountBalance': the generated module token_io_client.api.balances.get_balance it"
        " imports will be gone (now token_io_client.api.balances.get_account_balance)",
    ]
    assert "kept generated/token-io/ as it was" in result.stderr
    api = root / "generated" / "token-io" / "token_io_client" / "api" / "balances"
    assert (api / "get_balance.py").is_file()
    assert not (api / "get_account_balance.py").exists()
    collection.assert_collection_complete()
    # --check repeats the breaks and says what it takes to write the new tree.
    checked = run(root, "scripts/regenerate.py", "--check")
    assert checked.returncode == 1
    assert section(checked.stderr, HEADING) == section(result.stderr, HEADING)
    assert (
        "generated/token-io/ would be kept as it is: the new output lacks a module or model"
        " class the code imports (see the breaks above); once the code names the new one, run"
        " scripts/regenerate to write it"
    ) in checked.stderr


def test_lint_rules_never_block_and_a_version_bump_is_reported(
    root: Path, collection: Project
) -> None:
    """A lint rule the generated code breaks (SIM, as the project's own rules select it,
    in Send's post hook) and a new enum: generated, formatted, exit 0. A version bump
    regenerates cleanly, and the library's batch manifest reports the new version."""
    config = root / "specs" / "mastercard-send" / "generator.yaml"
    text = config.read_text(encoding="utf-8")
    assert "--extend-select=I " in text
    config.write_text(text.replace("--extend-select=I ", "--extend-select=I,SIM "))
    edit_spec(root, "mastercard-send", send_new_enum)
    edit_spec(root, "token-io", bump_version("9.8.7"))

    result = regenerate(root)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "generation failed" not in result.stderr
    assert WARNINGS not in result.stdout
    assert "wrote normalize/batch/_specs.py" in result.stdout
    client = root / "generated" / "mastercard-send" / "mastercard_send_client"
    assert "PREMIUM" in (client / "wire.py").read_text(encoding="utf-8")
    assert any("PREMIUM" in p.read_text(encoding="utf-8") for p in client.glob("models/*.py"))

    out = root.parent / "batch-out"
    batch = run(root, "-m", "normalize", "batch", "specs/capture/example.jsonl", "--out", str(out))
    assert batch.returncode in (0, 1), batch.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert '"token-io": "9.8.7"' in json.dumps(manifest)
    collection.assert_collection_complete()


def test_a_failing_generator_never_hides_the_check(root: Path) -> None:
    """A type JSON does not have stops Token's generator (exit 2, Token's generated/ kept);
    the check has already named the break in the same spec, and the other vendors are
    generated."""
    edit_spec(
        root,
        "token-io",
        add_enum_value("RequestStatus", "CONSENT_REVOKED"),
        token_no_such_type,
    )
    before = (root / "generated" / "token-io" / "token_io_client" / "wire.py").read_bytes()

    result = regenerate(root)

    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]
    assert section(result.stderr, HEADING) == [
        f"{TOKEN} : _entry : {TOKEN_SPEC}/components/schemas/RequestStatus/enum :"
        " enum value 'CONSENT_REVOKED' of status is not handled",
    ]
    assert "token-io: generation failed" in result.stderr
    assert result.stderr.index(HEADING) < result.stderr.index("token-io: generation failed")
    assert (root / "generated" / "token-io" / "token_io_client" / "wire.py").read_bytes() == before
    assert "wrote generated/mastercard-send/" in result.stdout
