"""Properties of normalize over everything the vendor specs allow, and of the record itself.

Every response schema of every balance operation in ``specs/<vendor>/openapi.yaml`` (the
success bodies and the error bodies) is made self-contained and handed to
hypothesis-jsonschema. Whatever it generates, ``parse_response`` gives an outcome whose
problems are NormalizeErrors / VendorErrors, never anything else, ``normalize_response``
gives the same records or raises the first of those problems; and every record carries the
payload's own digits, scale and sign, agrees with its credit/debit side and survives
``to_dict`` / ``from_dict``. Every amount inside ``decimal(38, 18)`` is read exactly in each
vendor's wire form, and every amount outside it is refused.

Examples per property: ``HYPOTHESIS_EXAMPLES`` (default 200).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from iso4217 import Currency

from normalize import (
    VENDORS,
    BalanceRecord,
    BalanceType,
    CreditDebit,
    Freshness,
    InvalidAmount,
    InvalidTimestamp,
    NormalizeError,
    Outcome,
    OutcomeKind,
    Scope,
    VendorError,
    normalize_response,
    parse_response,
)
from normalize.vendors import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "200"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # No "explain" phase: on a failure it reruns the test for minutes to annotate the report.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
REAL_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "BHD", "AUD")
INT_BOUNDS = {"int32": 2**31, "int64": 2**63}
DEFAULT_PRECISION = 28  # significant digits of Python's default decimal context


# --- the specs' response schemas, self-contained --------------------------------------


@dataclass(frozen=True)
class ResponseCase:
    """One response body schema of a vendor, with the operations and statuses that send it."""

    vendor: str
    operations: tuple[str, ...]
    media_type: str
    statuses: tuple[int, ...]
    schema: dict[str, Any] = field(compare=False)

    @property
    def success(self) -> bool:
        return any(200 <= status < 300 for status in self.statuses)

    @property
    def id(self) -> str:
        operations = ",".join(self.operations)
        statuses = ",".join(map(str, self.statuses))
        return f"{self.vendor}.{operations}.{statuses}.{self.media_type}"


@functools.cache
def load_spec(vendor: str) -> dict[str, Any]:
    spec = yaml.safe_load((ROOT / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict)
    return spec


def follow(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with local ``$ref``s followed (the specs use no other kind)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = spec
        for token in ref[2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def json_schema(spec: dict[str, Any], node: Any) -> Any:
    """An OpenAPI schema as a self-contained JSON Schema: refs inlined, OpenAPI-only keywords
    (``xml``, ``example``, ``x-*``) dropped, int32/int64 formats turned into bounds."""
    node = follow(spec, node)
    if isinstance(node, list):
        return [json_schema(spec, item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("xml", "example", "examples") or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: json_schema(spec, sub) for name, sub in value.items()}
        else:
            out[key] = json_schema(spec, value)
    bound = INT_BOUNDS.get(out.get("format", ""))
    if bound and out.get("type") == "integer":
        out.setdefault("minimum", -bound)
        out.setdefault("maximum", bound - 1)
    return out


def response_cases(vendor: str) -> Iterator[ResponseCase]:
    """The vendor's balance operations' response schemas, one case per distinct schema and
    media type (operations and statuses that share a schema are drawn from)."""
    spec = load_spec(vendor)
    known = REGISTRY[vendor].OPERATIONS
    grouped: dict[tuple[str, str], tuple[dict[str, None], dict[int, None], Any]] = {}
    for path_item in spec["paths"].values():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS or operation["operationId"] not in known:
                continue
            for status, response in operation["responses"].items():
                content = follow(spec, response).get("content", {})
                for media_type, media in content.items():
                    schema = json_schema(spec, media["schema"])
                    key = (media_type, json.dumps(schema, sort_keys=True))
                    operations, statuses, _ = grouped.setdefault(key, ({}, {}, schema))
                    operations[operation["operationId"]] = None
                    statuses[int(status)] = None
    for (media_type, _), (operations, statuses, schema) in grouped.items():
        yield ResponseCase(vendor, tuple(operations), media_type, tuple(statuses), schema)


def _all_cases() -> tuple[list[ResponseCase], str | None]:
    """Every vendor's response cases, or none and why: a spec that cannot be read this way
    fails the test below with that reason instead of stopping the collection of every test."""
    try:
        return [case for vendor in VENDORS for case in response_cases(vendor)], None
    except Exception as exc:  # reported by test_every_vendor_has_success_and_error_schemas
        return [], f"{type(exc).__name__}: {exc}"


ALL_CASES, CASES_PROBLEM = _all_cases()
# XML bodies are covered by the JSON/XML agreement property below.
BODY_CASES = [case for case in ALL_CASES if case.media_type != "application/xml"]


def generation_schema(schema: Any, *, top: bool = True, complete: bool = False) -> Any:
    """The schema hypothesis-jsonschema draws from: arrays of at most 2 items and no unknown
    keys below the top level (both only to keep generation fast), unknown top-level keys
    with scalar values (a vendor adding a field, or a key that looks like another shape's).
    ``complete`` makes every property required and every array non-empty: the bodies a
    vendor usually sends, which hypothesis-jsonschema, preferring to leave optional keys
    out, draws only rarely."""
    if isinstance(schema, list):
        return [generation_schema(item, top=False, complete=complete) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        key: generation_schema(value, top=False, complete=complete) for key, value in schema.items()
    }
    if out.get("type") == "object":
        out["additionalProperties"] = (
            {"type": ["string", "integer", "boolean", "null"]} if top else False
        )
        if complete and "properties" in out:
            out["required"] = sorted(out["properties"])
    if out.get("type") == "array":
        out.setdefault("maxItems", 2)
        if complete:
            out["minItems"] = max(out.get("minItems", 0), 1)
    return out


@functools.cache
def strategy_for(
    case: ResponseCase, *, closed: bool = False, complete: bool = False
) -> st.SearchStrategy[Any]:
    schema = generation_schema(case.schema, complete=complete)
    if closed:
        schema["additionalProperties"] = False
    return from_schema(schema)


def test_every_vendor_has_success_and_error_schemas() -> None:
    """The properties below run over each vendor's 200 bodies and its error bodies."""
    assert CASES_PROBLEM is None, f"the specs' response schemas could not be read: {CASES_PROBLEM}"
    for vendor in VENDORS:
        cases = [case for case in BODY_CASES if case.vendor == vendor]
        assert any(case.success for case in cases), vendor
        assert any(not case.success for case in cases), vendor


# --- what every record must satisfy ---------------------------------------------------


def exponent_of(code: str) -> int:
    exponent = Currency(code).exponent
    assert exponent is not None, code
    return int(exponent)


def major_units(minor: Decimal, currency: str) -> Decimal:
    """Minor units moved ``exponent`` places right, exactly: the digits kept, only the
    exponent changed (``Decimal.scaleb`` would round to the context's 28 digits)."""
    sign, digits, exponent = minor.as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent - exponent_of(currency)))


def check_record(record: BalanceRecord, vendor: str) -> None:
    """The invariants of one record, whatever payload it came from."""
    assert record.vendor == vendor
    amount = record.amount
    assert type(amount) is Decimal
    assert amount.is_finite()
    assert (record.credit_debit is CreditDebit.DEBIT) == (amount < 0)
    assert not (amount.is_zero() and amount.is_signed()), "zero is never negative"
    wire = Decimal(record.amount_text)
    if vendor == "mastercard-send":
        wire = major_units(wire, record.currency)
    if vendor in ("mastercard-open-banking-connect", "mastercard-send") or unsigned(vendor):
        # copy_negate, not unary minus, which rounds to the context's 28 digits.
        assert amount in (wire, wire.copy_negate()), "unsigned amount, sign from the indicator"
    else:
        assert amount == wire
    assert amount.as_tuple().exponent == wire.as_tuple().exponent, "scale kept"
    assert record.as_of is None or record.as_of.utcoffset() == timedelta(0)
    # Built without __init__, the record still passes the class's own checks.
    assert attrs.evolve(record) == record
    data = record.to_dict()
    json.dumps(data)
    rebuilt = BalanceRecord.from_dict(data)
    assert rebuilt == record
    assert rebuilt.to_dict() == data


def signed_text(magnitude: Decimal, debit: bool) -> str:
    """The canonical amount string for a wire magnitude and side (zero is a credit)."""
    amount = magnitude.copy_negate() if debit else magnitude
    return str(amount.copy_abs() if amount.is_zero() else amount)


def _at(node: Any, path: list[Any]) -> Any:
    for key in path:
        node = node[key]
    return node


@functools.cache
def _amounts_described(vendor: str) -> dict[str, Any]:
    path = ROOT / "tests" / "fixtures" / vendor / "amounts.yaml"
    described = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(described, dict), path
    return described


def unsigned(vendor: str) -> bool:
    """A vendor other than the five real ones whose amounts are unsigned, with a debit
    indicator beside them (``debit`` in its ``amounts.yaml``)."""
    if vendor.startswith("mastercard-") or vendor == "token-io":
        return False
    return "debit" in _amounts_described(vendor)


def described_amounts(vendor: str, wire: Any) -> list[str]:
    """The amounts of a vendor other than the five above, as its fixtures folder describes
    where they are (``tests/fixtures/<vendor>/amounts.yaml``): one per item of the list at
    ``items``, its text at ``amount``, negative where ``debit.at`` holds ``debit.is``."""
    described = _amounts_described(vendor)
    debit = described["debit"]
    return [
        signed_text(Decimal(_at(item, described["amount"])), _at(item, debit["at"]) == debit["is"])
        for item in _at(wire, described["items"]) or []
    ]


def expected_amounts(vendor: str, wire: Any) -> list[str]:
    """The amounts, as canonical strings, that the records of a success body without
    problems must carry, in order, worked out from the payload (decoded with exact decimals)
    without normalize. Absent and null optional parts (Connect's account and balances,
    Token's balance, current, available, otherBalances) give no amount; a Token entry
    without status has proto3's default, INVALID_REQUEST."""
    if vendor.startswith("mastercard-open-finance"):
        return [
            signed_text(Decimal(wire[name]), False)
            for name in ("availableBalance", "clearedBalance")
        ]
    if vendor == "mastercard-open-banking-connect":
        return [
            signed_text(
                Decimal(balance["balanceAmount"]["amount"]),
                balance["creditDebitIndicator"].casefold() == "debit",
            )
            for balance in (wire.get("account") or {}).get("balances") or []
        ]
    if vendor == "mastercard-send":
        one = wire.get("account_balances")
        items = [one["account_balance"]] if one is not None else wire.get("account-balances", [])
        return [
            signed_text(
                major_units(Decimal(item["balance"]["amount"]), item["balance"]["currency"]),
                item["balance"]["state"] == "IN_DEBIT",
            )
            for item in items
        ]
    if vendor != "token-io":
        return described_amounts(vendor, wire)
    entries = wire.get("response", [wire])
    amounts = []
    for entry in entries or []:
        if entry.get("status", "INVALID_REQUEST") != "SUCCESSFUL_REQUEST":
            continue
        balance = entry.get("balance") or {}
        monies = [balance.get("current"), balance.get("available")]
        monies += [other["amount"] for other in balance.get("otherBalances") or []]
        amounts += [
            signed_text(Decimal(money["value"]), False) for money in monies if money is not None
        ]
    return amounts


def outcome(case: ResponseCase, body: bytes | str, operation: str, status: int) -> Outcome:
    """The outcome of a body, checked: typed problems with a scope and a path, checked
    records, and the strict call giving the same records or raising the first problem."""
    options: dict[str, Any] = {
        "content_type": case.media_type,
        "operation": operation,
        "status": status,
    }
    result = parse_response(case.vendor, body, **options)
    event(result.kind.value)
    assert result.kind in OutcomeKind
    for problem in result.problems:
        error = problem.error
        assert isinstance(error, NormalizeError | VendorError), repr(error)
        event(
            f"VendorError {error.code.value}"
            if isinstance(error, VendorError)
            else type(error).__name__
        )
        assert problem.scope in Scope
        assert problem.path.startswith("$"), problem.path
        assert error.vendor == case.vendor
    if not 200 <= status < 300:
        # Balances under an error status are not an answer.
        assert result.records == ()
        assert result.kind is OutcomeKind.VENDOR_ERROR
    for record in result.records:
        check_record(record, case.vendor)
        assert record.operation == operation
    if result.problems:
        first = result.problems[0].error
        with pytest.raises(type(first)) as raised:
            normalize_response(case.vendor, body, **options)
        assert str(raised.value) == str(first)
    else:
        assert normalize_response(case.vendor, body, **options) == list(result.records)
    return result


def body_of(case: ResponseCase, document: Any) -> bytes:
    if case.media_type == "text/plain":
        return str(document).encode()
    return json.dumps(document).encode()


# --- normalize over what the specs allow ----------------------------------------------


def realistic(document: Any, draw: Callable[[st.SearchStrategy[str]], str]) -> Any:
    """``document`` with every ``currency`` string replaced by a real ISO 4217 code (the
    schemas' ``^[A-Z]{3}$`` mostly draws unknown ones) and most ``status`` strings by
    SUCCESSFUL_REQUEST (Token gives balances only then), so that records come out."""
    if isinstance(document, dict):
        out = {}
        for key, value in document.items():
            if key == "currency" and isinstance(value, str):
                out[key] = draw(st.sampled_from(REAL_CURRENCIES))
            elif key == "status" and isinstance(value, str):
                out[key] = draw(st.sampled_from(SUCCESS_MOSTLY))
            else:
                out[key] = realistic(value, draw)
        return out
    if isinstance(document, list):
        return [realistic(item, draw) for item in document]
    return document


SUCCESS_MOSTLY = ("SUCCESSFUL_REQUEST",) * 3 + ("MORE_SIGNATURES_NEEDED", "INVALID_REQUEST")


@pytest.mark.parametrize("case", BODY_CASES, ids=lambda case: case.id)
def test_spec_payloads_give_records_or_typed_errors(case: ResponseCase) -> None:
    """Any body the spec allows gives checked records, a NormalizeError or a VendorError;
    a success body's records carry its amounts exactly. Half the bodies are made realistic
    (every key present, real currencies), and those of success schemas must produce records."""
    produced: list[int] = []

    @PROPERTY
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        real = data.draw(st.booleans(), label="realistic")
        document = data.draw(strategy_for(case, complete=real), label="document")
        if real:
            document = realistic(document, data.draw)
        body = body_of(case, document)
        operation = data.draw(st.sampled_from(case.operations), label="operation")
        status = data.draw(st.sampled_from(case.statuses), label="status")
        result = outcome(case, body, operation, status)
        if result.ok and case.success:
            wire = json.loads(body, parse_float=Decimal)
            assert [str(r.amount) for r in result.records] == expected_amounts(case.vendor, wire)
        if real:
            produced.append(len(result.records))

    run()
    if case.success:
        assert sum(produced) > 0, f"no records from {len(produced)} realistic {case.id} bodies"


# --- Send: the XML form of a body gives what its JSON form gives ----------------------


def xml_text(value: str) -> str:
    """Text that survives XML unchanged: XML 1.0 characters only, no carriage returns (XML
    parsers turn them into line feeds)."""
    return escape(
        "".join(
            char
            for char in value
            if char in "\t\n"
            or "\x20" <= char <= "\ud7ff"
            or "\ue000" <= char <= "\ufffd"
            or char >= "\U00010000"
        )
    )


def xml_elements(tag: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(xml_elements(key, sub) for key, sub in value.items())
        return f"<{tag}>{inner}</{tag}>"
    return f"<{tag}>{xml_text(value)}</{tag}>"


def as_send_xml(document: dict[str, Any]) -> str:
    """The XML a Send JSON body stands for (the vendor's documented mapping)."""
    if "account_balances" in document:
        return xml_elements("account_balances", document["account_balances"])
    items = "".join(
        xml_elements("account_balance", item) for item in document.get("account-balances", [])
    )
    return f"<account-balances>{items}</account-balances>"


def sanitized(document: Any) -> Any:
    if isinstance(document, dict):
        return {key: sanitized(value) for key, value in document.items()}
    if isinstance(document, list):
        return [sanitized(item) for item in document]
    if not isinstance(document, str):
        return document
    return xml_text(document).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


SEND_XML_CASES = [
    case
    for case in ALL_CASES
    if case.vendor == "mastercard-send" and case.success and case.media_type == "application/xml"
]


@pytest.mark.parametrize("case", SEND_XML_CASES, ids=lambda case: case.id)
def test_send_xml_and_json_bodies_agree(case: ResponseCase) -> None:
    """A Send body gives the same records, or the same error, in XML as in JSON."""

    @PROPERTY
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        document = data.draw(strategy_for(case, closed=True), label="document")
        document = realistic(sanitized(document), data.draw)
        if "account_balances" not in document:
            # <account-balances/> is the XML of an empty list; JSON may also leave it out.
            document["account-balances"] = document.get("account-balances", [])
        results = []
        for body, content_type in (
            (json.dumps(document), "application/json"),
            (as_send_xml(document), "application/xml"),
        ):
            try:
                results.append(normalize_response(case.vendor, body, content_type=content_type))
            except NormalizeError as exc:
                results.append((type(exc).__name__, exc.field))
        from_json, from_xml = results
        event("records" if isinstance(from_json, list) else from_json[0])
        assert from_xml == from_json

    run()


# --- the record's own round trip ------------------------------------------------------

ISO_CODES = sorted(currency.code for currency in Currency)
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
INTEGER_DIGITS = 20  # decimal(38, 18): at most 20 digits before the point
FRACTION_DIGITS = 18  # and no non-zero digit after the 18th decimal
MAX_SCALE = 36  # a wire text may write zeros past the 18th decimal, up to 36 decimals


@st.composite
def canonical_amounts(draw: st.DrawFn) -> Decimal:
    """Any amount inside decimal(38, 18), at any scale it may be written with: 0 to 18
    significant decimals, then 0 or more zeros up to 36 decimals; zero never negative."""
    places = draw(st.integers(0, FRACTION_DIGITS), label="places")
    bound = 10 ** (INTEGER_DIGITS + places) - 1
    unscaled = draw(
        st.integers(-bound, bound) | st.sampled_from([bound, -bound, 0, 1, -1]), label="unscaled"
    )
    zeros = draw(st.integers(0, MAX_SCALE - places) | st.just(0), label="trailing zeros")
    digits = tuple(int(d) for d in str(abs(unscaled))) + (0,) * zeros
    return Decimal((int(unscaled < 0), digits, -(places + zeros)))


@st.composite
def out_of_range_amounts(draw: st.DrawFn) -> Decimal:
    """Amounts no decimal(38, 18) holds exactly: 21 to 40 integer digits, a non-zero digit
    past the 18th decimal, or more than 36 decimals written."""
    sign = draw(st.sampled_from([0, 1]), label="sign")
    kind = draw(st.sampled_from(["integer digits", "fraction digits", "scale"]), label="kind")
    if kind == "integer digits":
        value = draw(st.integers(10**INTEGER_DIGITS, 10**40 - 1))
        decimals = draw(st.integers(0, FRACTION_DIGITS))
        fraction = draw(st.integers(0, 10**decimals - 1)) if decimals else 0
        text = f"{value}.{fraction:0{decimals}d}" if decimals else str(value)
    elif kind == "fraction digits":
        decimals = draw(st.integers(FRACTION_DIGITS + 1, MAX_SCALE))
        fraction = draw(
            st.integers(1, 10**decimals - 1).filter(
                lambda f: f % 10 ** (decimals - FRACTION_DIGITS)
            )
        )
        text = f"{draw(st.integers(0, 10**6))}.{fraction:0{decimals}d}"
    else:
        text = "1." + "0" * draw(st.integers(MAX_SCALE + 1, MAX_SCALE + 20))
    return Decimal(("-" if sign else "") + text)


def agreeing_texts(amount: Decimal, currency: str) -> list[str]:
    """What a record's amount_text may be for its amount: the signed decimal text (signed
    vendors), the magnitude (indicator vendors), and the minor units (Send) when whole.

    An unsigned text beside a debit of more than 28 significant digits is left to
    test_unsigned_amount_text_of_a_long_debit_round_trips, which pins that case by name."""
    texts = [format(amount, "f")]
    if not amount.is_signed() or len(amount.as_tuple().digits) <= DEFAULT_PRECISION:
        texts.append(format(amount.copy_abs(), "f"))
        exponent = Currency(currency).exponent
        if exponent:
            minor = amount.copy_abs().scaleb(exponent, EXACT)
            if minor == minor.to_integral_value():
                texts.append(str(int(minor)))
    return texts


@st.composite
def balance_records(draw: st.DrawFn) -> BalanceRecord:
    """Any valid record: amounts anywhere inside decimal(38, 18) at any scale, every enum
    member, aware UTC times, an amount_text that says the amount."""
    amount = draw(canonical_amounts(), label="amount")
    if amount.is_zero():
        amount = amount.copy_abs()
    currency = draw(st.sampled_from(ISO_CODES), label="currency")
    return BalanceRecord(
        vendor=draw(st.sampled_from(VENDORS)),
        account_id=draw(st.text(min_size=1)),
        balance_type=draw(st.sampled_from(BalanceType)),
        vendor_balance_type=draw(st.none() | st.text()),
        amount=amount,
        credit_debit=CreditDebit.DEBIT if amount < 0 else CreditDebit.CREDIT,
        currency=currency,
        as_of=draw(st.none() | st.datetimes(timezones=st.just(UTC))),
        freshness=draw(st.sampled_from(Freshness)),
        operation=draw(st.none() | st.text(min_size=1)),
        amount_text=draw(st.sampled_from(agreeing_texts(amount, currency))),
    )


@PROPERTY
@given(record=balance_records())
def test_records_round_trip_through_json(record: BalanceRecord) -> None:
    """to_dict is JSON-safe and from_dict gives back the same record, digits and scale."""
    data = json.loads(json.dumps(record.to_dict()))
    rebuilt = BalanceRecord.from_dict(data)
    assert rebuilt == record
    assert str(rebuilt.amount) == str(record.amount)
    assert rebuilt.as_of == record.as_of
    assert rebuilt.to_dict() == record.to_dict()


# --- the canonical range, in every wire form ------------------------------------------

FINICITY_BODY = (
    '{"id": 1, "availableBalance": @, "availableBalanceDate": 1722505195,'
    ' "clearedBalance": 1.00, "clearedBalanceDate": 1722505195, "currency": "AUD"}'
)


def connect_body(amount_json: str, indicator: str) -> str:
    return (
        '{"originalRequestInfo": {"xRequestId": "x"}, "account": {"resourceId": "acc-1",'
        f' "balances": [{{"balanceAmount": {{"currency": "EUR", "amount": {amount_json}}},'
        f' "creditDebitIndicator": "{indicator}"}}]}}}}'
    )


def token_body(value: str) -> str:
    return (
        '{"balance": {"accountId": "a:1", "current": {"currency": "EUR", "value": "'
        + value
        + '"}}, "status": "SUCCESSFUL_REQUEST"}'
    )


def send_body(minor_units: str, state: str, currency: str) -> str:
    return (
        '{"account_balances": {"account_balance": {"balance": {"amount": "'
        + minor_units
        + f'", "currency": "{currency}", "state": "{state}"}}, "non_card_token": "t"}}}}}}'
    )


def wire_forms(amount: Decimal) -> list[tuple[str, str, str, str]]:
    """(vendor, body, amount field, the record's amount as text) for one amount written in
    each vendor's wire form. Send's minor units are written for GBP (2 decimals) when the
    amount has at most 2 decimals, for JPY (none) when it is whole."""
    text = format(amount, "f")
    magnitude = format(amount.copy_abs(), "f")
    debit = amount.is_signed() and not amount.is_zero()
    indicator = "Debit" if debit else "Credit"
    canonical = format(amount.copy_abs() if amount.is_zero() else amount, "f")
    forms = [
        ("mastercard-open-finance-au", FINICITY_BODY.replace("@", text), "$.availableBalance"),
        ("mastercard-open-finance-us", FINICITY_BODY.replace("@", text), "$.availableBalance"),
        ("token-io", token_body(text), "$.balance.current.value"),
        (
            "mastercard-open-banking-connect",
            connect_body(f'"{magnitude}"', indicator),
            "$.account.balances[0].balanceAmount.amount",
        ),
        (
            "mastercard-open-banking-connect",
            connect_body(magnitude, indicator),
            "$.account.balances[0].balanceAmount.amount",
        ),
    ]
    exponent = -amount.as_tuple().exponent  # type: ignore[operator]
    for currency, places in (("GBP", 2), ("JPY", 0)):
        if exponent <= places:
            minor = str(int(amount.copy_abs().scaleb(places)))
            state = "IN_DEBIT" if debit else "IN_CREDIT"
            forms.append(
                (
                    "mastercard-send",
                    send_body(minor, state, currency),
                    "$.account_balances.account_balance.balance.amount",
                )
            )
    return [(vendor, body, field, canonical) for vendor, body, field in forms]


@PROPERTY
@given(amount=canonical_amounts())
def test_every_amount_inside_decimal_38_18_is_read_exactly_in_every_wire_form(
    amount: Decimal,
) -> None:
    """Digits, scale and sign kept (Send's minor units moved by the currency's exponent)."""
    for vendor, body, _, canonical in wire_forms(amount):
        outcome = parse_response(vendor, body)
        assert outcome.ok, (vendor, body, outcome.problems)
        record = outcome.records[0]
        if vendor == "mastercard-send" and '"JPY"' not in body:
            # "1050" GBP is 10.50: the scale is the currency's, not the text's.
            assert record.amount == amount
        else:
            assert format(record.amount, "f") == canonical, (vendor, body)
        check_record(record, vendor)


@PROPERTY
@given(amount=out_of_range_amounts())
def test_every_amount_outside_decimal_38_18_is_refused_in_every_wire_form(
    amount: Decimal,
) -> None:
    """Refused as InvalidAmount at the amount's own path; the response's other balances
    still count (Finicity's cleared balance, here)."""
    for vendor, body, amount_field, _ in wire_forms(amount):
        outcome = parse_response(vendor, body)
        problems = [p for p in outcome.problems if isinstance(p.error, InvalidAmount)]
        assert len(problems) == 1, (vendor, body, outcome.problems)
        error = problems[0].error
        assert (error.vendor, error.field) == (vendor, amount_field)
        assert "out of range for decimal(38, 18)" in str(error)
        if vendor.startswith("mastercard-open-finance"):
            assert [r.vendor_balance_type for r in outcome.records] == ["clearedBalance"]


@pytest.mark.parametrize(
    ("vendor", "body"),
    [
        pytest.param(
            "mastercard-open-banking-connect",
            connect_body('"10000000000000000000.000000001"', "Debit"),
            id="connect-29-digit-debit",
        ),
        pytest.param(
            "mastercard-open-banking-connect",
            connect_body("12345678901234567890.123456789012345678", "DEBIT"),
            id="connect-38-digit-debit",
        ),
        # Send's widest in-range amount (22 digits of GBP minor units) stays under 28 digits.
        pytest.param(
            "mastercard-send",
            send_body("1234567890123456789012", "IN_DEBIT", "GBP"),
            id="send-22-digit-debit",
        ),
    ],
)
def test_unsigned_amount_text_of_a_long_debit_round_trips(vendor: str, body: str) -> None:
    """A debit inside decimal(38, 18) that normalize gives comes back from from_dict."""
    [record] = normalize_response(vendor, body)
    assert BalanceRecord.from_dict(record.to_dict()) == record


# --- inputs the schemas allow that random generation does not reach, pinned -----------


def test_token_updated_at_ms_too_long_for_int_is_an_invalid_timestamp() -> None:
    """``updatedAtMs`` matches ``^[0-9]+$`` at any length; one past Python's 4300-digit
    int() limit is a bad timestamp like any other, not a bare ValueError."""
    digits = "9" * 4301
    body = json.dumps(
        {
            "balance": {
                "accountId": "a:1",
                "current": {"currency": "USD", "value": "1.00"},
                "available": {"currency": "USD", "value": "1.00"},
                "otherBalances": [
                    {"amount": {"currency": "USD", "value": "1.00"}, "updatedAtMs": digits}
                ],
            },
            "status": "SUCCESSFUL_REQUEST",
        }
    )
    with pytest.raises(InvalidTimestamp) as raised:
        normalize_response("token-io", body)
    assert raised.value.field == "$.balance.otherBalances[0].updatedAtMs"


def send_minor_units(amount: str, state: str, currency: str = "GBP") -> str:
    return json.dumps(
        {
            "account_balances": {
                "account_balance": {
                    "balance": {"amount": amount, "currency": currency, "state": state},
                    "non_card_token": "non_card_token:large",
                }
            }
        }
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("IN_CREDIT", "12345678901234567890.12"),
        ("IN_DEBIT", "-12345678901234567890.12"),
    ],
)
def test_send_minor_units_keep_every_digit(state: str, expected: str) -> None:
    """The longest GBP amount decimal(38, 18) holds: 22 digits of pence are 20 digits of
    pounds and 2 of pence, every one kept (more than the float's 15-17), and a debit
    negates them exactly too."""
    [record] = normalize_response(
        "mastercard-send", send_minor_units("1234567890123456789012", state)
    )
    assert str(record.amount) == expected


@pytest.mark.parametrize("state", ["IN_CREDIT", "IN_DEBIT"])
@pytest.mark.parametrize(
    ("currency", "minor_units"),
    [
        ("GBP", "1234567890123456789012345678901"),  # 29 digits of pounds
        ("GBP", "10" + "0" * 21),  # 10**21 pence: 10**19 pounds fits; 10**20 does not
        ("JPY", "1" + "0" * 20),  # no minor unit: 21 integer digits
    ],
    ids=["gbp-31-digits", "gbp-10e21-pence", "jpy-21-digits"],
)
def test_send_minor_units_beyond_decimal_38_18_are_refused(
    state: str, currency: str, minor_units: str
) -> None:
    """More than 20 integer digits once the point is placed: no table column holds it."""
    with pytest.raises(InvalidAmount) as raised:
        normalize_response("mastercard-send", send_minor_units(minor_units, state, currency))
    assert raised.value.field == "$.account_balances.account_balance.balance.amount"
    assert raised.value.value == minor_units
    assert "out of range for decimal(38, 18)" in str(raised.value)
