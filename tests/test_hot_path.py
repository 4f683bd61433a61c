"""The quick paths of parse_response hold to the definitions they replace.

* Every record the mappings build (through ``_record.new_record``) is a plain, frozen
  ``BalanceRecord`` that the class's full validator accepts as it stands: every example
  and fixture on file, and fuzzed bodies made from them (``scripts/fuzz.py``'s mutations).
  ``new_outcome`` gives a plain, frozen ``Outcome``.
* The decoder marks every integer ``-0`` that the standard library's parser finds,
  wherever it stands, and nothing else.
* Send's search for a stray ``Errors`` key, which builds the path only of objects and
  arrays, finds what a search building every path finds.
* ``from_rfc3339``'s field-by-field path (offsets other than ``Z``) and ``from_unix_millis``
  give what they gave before their quick forms; ``in_range``'s short-text answer is the
  long one; ``is_xml`` without a content type is the pattern's answer.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import random
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from normalize import VENDORS, BalanceRecord, InvalidTimestamp, Outcome, parse_response
from normalize._decode import _XML_START, NEGATIVE_ZERO, decode_json, is_xml
from normalize._mapping import _RFC3339, from_rfc3339, from_unix_millis
from normalize._money import FRACTION_DIGITS, INTEGER_DIGITS, MAX_SCALE, in_range
from normalize._outcome import new_outcome
from normalize.vendors import REGISTRY
from normalize.vendors.mastercard_send import _find_errors

ROOT = Path(__file__).resolve().parent.parent
FUZZED_PER_VENDOR = 400


def _fuzz_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("normalize_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz_module()


def _fields(record: BalanceRecord) -> dict[str, Any]:
    return {field.name: getattr(record, field.name) for field in attrs.fields(BalanceRecord)}


def _assert_full_validator_accepts(record: BalanceRecord) -> None:
    """``record`` is exactly a BalanceRecord, frozen, and the class's own constructor (the
    full validator) builds an equal record from its fields."""
    assert type(record) is BalanceRecord
    rebuilt = BalanceRecord(**_fields(record))
    assert rebuilt == record
    assert hash(rebuilt) == hash(record)
    record.__attrs_post_init__()  # the validator itself, once more, on the record as built
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.amount = Decimal(0)  # type: ignore[misc]


def _bodies(vendor: str) -> list[tuple[bytes | str, str | None]]:
    """Every body on file for the vendor and fuzzed ones made from them, each with the
    content type to read it as."""
    corpus = FUZZ.seeds()[vendor]
    found: list[tuple[bytes | str, str | None]] = [
        (body, "application/xml" if xml else None) for body, xml in corpus
    ]
    rng = random.Random(f"hot-path:{vendor}")
    for _ in range(FUZZED_PER_VENDOR):
        body, xml = rng.choice(corpus)
        found.append((FUZZ.one_body(rng, body, xml), "application/xml" if xml else None))
    return found


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_record_the_mappings_build_passes_the_full_validator(vendor: str) -> None:
    records = 0
    for body, content_type in _bodies(vendor):
        for operation in (None, *REGISTRY[vendor].OPERATIONS):
            outcome = parse_response(vendor, body, content_type=content_type, operation=operation)
            assert type(outcome) is Outcome
            for record in outcome.records:
                _assert_full_validator_accepts(record)
                records += 1
    assert records > 0
    # No record is left half made: every one was turned into a BalanceRecord.
    gc.collect()
    assert not [thing for thing in gc.get_objects() if type(thing).__name__ == "_Unfrozen"]


def test_new_outcome_is_a_plain_frozen_outcome() -> None:
    outcome = new_outcome("token-io", (), ())
    assert type(outcome) is Outcome
    assert outcome == Outcome(vendor="token-io")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        outcome.vendor = "x"  # type: ignore[misc]


# --- the integer -0 --------------------------------------------------------------------

_TOKENS = st.sampled_from(
    [
        "-0",
        "0",
        "-0.0",
        "-0e0",
        "-0E+1",
        "-1",
        "10",
        "-0.5",
        '"-0"',
        '"a -0"',
        '"2024-05-01"',
        '"x\\u002d0"',
        "true",
        "null",
    ]
)
_SPACE = st.sampled_from(["", " ", "\n", "\t ", "\r\n"])


@st.composite
def _json_texts(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 3 or draw(st.booleans()):
        return draw(_SPACE) + draw(_TOKENS) + draw(_SPACE)
    items = draw(st.lists(_json_texts(depth + 1), max_size=4))
    if draw(st.booleans()):
        return "[" + ",".join(items) + "]"
    pairs = [f'"k{index}":{item}' for index, item in enumerate(items)]
    return "{" + ",".join(pairs) + "}"


def _oracle(body: bytes) -> Any:
    return json.loads(
        body,
        parse_int=lambda text: NEGATIVE_ZERO if text == "-0" else int(text),
        parse_float=Decimal,
    )


def _shape(node: Any) -> Any:
    """The document with every value's type and repr (NEGATIVE_ZERO's is ``-0``)."""
    if isinstance(node, dict):
        return {key: _shape(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_shape(value) for value in node]
    return (type(node).__name__, repr(node))


@settings(max_examples=500, deadline=None, database=None)
@given(text=_json_texts())
@example(text="-0")
@example(text=' [ -0 , "-0", -0.0 ] ')
@example(text='{"a":"2024-05-01","b":-0}')
def test_every_integer_minus_zero_the_standard_parser_finds_is_marked(text: str) -> None:
    body = text.encode()
    assert _shape(decode_json(body, vendor="x")) == _shape(_oracle(body))


# --- Send's stray Errors ----------------------------------------------------------------


def _find_errors_everywhere(value: Any, path: str) -> str | None:
    """The search as first written: every child's path built."""
    stack = [(value, path)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            if "Errors" in node:
                return f"{where}.Errors"
            stack += [(child, f"{where}.{key}") for key, child in reversed(node.items())]
        elif isinstance(node, list):
            stack += [
                (child, f"{where}[{index}]") for index, child in reversed(list(enumerate(node)))
            ]
    return None


_NESTED = st.recursive(
    st.sampled_from(["", "x", 0, None, True]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["Errors", "a", "b", "balance", "Error"]), inner, max_size=3
        )
    ),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None, database=None)
@given(value=_NESTED)
def test_the_errors_search_finds_what_the_full_search_finds(value: Any) -> None:
    assert _find_errors(value, "$") == _find_errors_everywhere(value, "$")


# --- timestamps ---------------------------------------------------------------------------


def _from_rfc3339_as_first_written(value: str) -> datetime | None:
    """The field-by-field path as first written (None: InvalidTimestamp)."""
    match = _RFC3339.fullmatch(value)
    if match is None:
        return None
    fraction = (match.group("f") or "")[:6].ljust(6, "0")
    tz = match.group("tz")
    try:
        if tz in ("Z", "z"):
            offset = UTC
        else:
            hours, minutes = int(tz[1:3]), int(tz[4:6])
            if minutes > 59:
                raise ValueError("offset minutes")
            delta = timedelta(hours=hours, minutes=minutes)
            offset = timezone(-delta if tz[0] == "-" else delta)
        moment = datetime(
            int(match.group("y")),
            int(match.group("mo")),
            int(match.group("d")),
            int(match.group("h")),
            int(match.group("mi")),
            int(match.group("s")),
            int(fraction),
            tzinfo=offset,
        )
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


_DIGITS = st.text("0123456789", min_size=1, max_size=1)


@st.composite
def _offset_times(draw: st.DrawFn) -> str:
    def two(low: int, high: int) -> str:
        return f"{draw(st.integers(low, high)):02d}"

    date = f"{draw(st.integers(1, 9999)):04d}-{two(0, 13)}-{two(0, 32)}"
    time = f"{two(0, 25)}:{two(0, 61)}:{two(0, 61)}"
    fraction = draw(st.sampled_from(["", ".5", ".123456", ".1234567891"]))
    separator = draw(st.sampled_from(["T", "t", " "]))
    zone = draw(
        st.sampled_from(["+00:00", "-00:00", "z"])
        | st.builds(
            lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
            st.sampled_from("+-"),
            st.integers(0, 25),
            st.integers(0, 61),
        )
    )
    return date + separator + time + fraction + zone


@settings(max_examples=800, deadline=None, database=None)
@given(text=_offset_times())
@example(text="2024-03-05T23:59:59+00:00")
@example(text="0001-01-01T00:00:00+00:01")
@example(text="9999-12-31T23:59:59-00:01")
@example(text="2024-03-05T23:59:59.1234567-05:30")
def test_rfc3339_with_an_offset_is_read_as_first_written(text: str) -> None:
    expected = _from_rfc3339_as_first_written(text)
    if expected is None:
        with pytest.raises(InvalidTimestamp):
            from_rfc3339(text, vendor="v", field="f")
        return
    read = from_rfc3339(text, vendor="v", field="f")
    assert read == expected
    assert read.tzinfo is UTC
    assert read.utcoffset() == timedelta(0)


@settings(max_examples=500, deadline=None, database=None)
@given(millis=st.integers(-(2**63), 2**63 - 1) | st.integers(-(10**14), 10**14))
@example(millis=1715846400000)
@example(millis=1715846400001)
def test_unix_millis_are_read_as_first_written(millis: int) -> None:
    seconds, rest = divmod(millis, 1000)
    try:
        expected = datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest * 1000)
    except (OverflowError, OSError, ValueError):
        with pytest.raises(InvalidTimestamp):
            from_unix_millis(millis, vendor="v", field="f")
        return
    assert from_unix_millis(millis, vendor="v", field="f") == expected
    assert from_unix_millis(str(millis), vendor="v", field="f") == expected


# --- amounts and the XML test -------------------------------------------------------------


def _in_range_by_digits(value: Decimal) -> bool:
    """``decimal(38, 18)`` and at most MAX_SCALE decimals as written, from the digits."""
    text = str(value)
    if "E" not in text:
        integer, _, fraction = text.lstrip("-").partition(".")
        if len(integer) > INTEGER_DIGITS:
            return False
        if len(fraction) <= FRACTION_DIGITS:
            return True
        return len(fraction) <= MAX_SCALE and not fraction[FRACTION_DIGITS:].strip("0")
    _, digits, exponent = value.as_tuple()
    assert type(exponent) is int
    if len(digits) + exponent > INTEGER_DIGITS:
        return False
    if exponent >= -FRACTION_DIGITS:
        return True
    if exponent < -MAX_SCALE:
        return False
    return not any(digits[exponent + FRACTION_DIGITS :])


_DECIMAL_TEXTS = st.builds(
    lambda sign, integer, fraction, exponent: f"{sign}{integer}{fraction}{exponent}",
    st.sampled_from(["", "-"]),
    st.text("0123456789", min_size=1, max_size=24),
    st.sampled_from([""]) | st.text("0123456789", min_size=1, max_size=40).map(lambda f: "." + f),
    st.sampled_from(["", "E+3", "E-7", "E-20", "E+19", "e-40"]),
)


@settings(max_examples=1000, deadline=None, database=None)
@given(text=_DECIMAL_TEXTS)
@example(text="12345678901234567890")
@example(text="-12345678901234567890")
@example(text="123456789012345678901")
@example(text="0.123456789012345678")
@example(text="0.1234567890123456789")
def test_in_range_short_texts_answer_as_the_digits_do(text: str) -> None:
    value = Decimal(text)
    assert in_range(value) is _in_range_by_digits(value)
    assert in_range(value, str(value)) is _in_range_by_digits(value)


@settings(max_examples=300, deadline=None, database=None)
@given(body=st.binary(max_size=12).map(lambda tail: b"{" + tail) | st.binary(max_size=12))
def test_is_xml_without_a_content_type_is_the_pattern(body: bytes) -> None:
    assert is_xml(body, None) is (_XML_START.match(body) is not None)


def test_the_xml_start_pattern_is_still_the_one_read() -> None:
    assert isinstance(_XML_START, re.Pattern)
    assert is_xml(b"\xef\xbb\xbf \n<a/>", None) is True
    assert is_xml(b'{"a": "<"}', None) is False
