"""Two bodies that are the same JSON value give the same outcome.

Every JSON example and fixture on file is re-encoded by hypothesis as another text of the
same JSON value: other whitespace between tokens, other key order in every object, and
``\\uXXXX`` escapes for any character of any key or string. Numbers keep their own text (a
number's text is its value and its scale). Whatever the original gives, records or
problems, every re-encoding gives exactly the same.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalize import VENDORS, NormalizeError, Outcome, VendorError, parse_response

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = (ROOT / "normalize" / "examples", ROOT / "tests" / "fixtures")


class Number(str):
    """A JSON number kept as its own text."""


def payloads() -> list[Any]:
    found = []
    for vendor in VENDORS:
        for folder in FOLDERS:
            for path in sorted((folder / vendor).glob("*.json")):
                found.append(pytest.param(vendor, path, id=f"{vendor}.{folder.name}.{path.name}"))
    return found


def signature(outcome: Outcome) -> tuple[Any, ...]:
    """Everything an outcome says, comparable: records, and each problem's fields."""

    def problem(error: NormalizeError | VendorError) -> tuple[Any, ...]:
        if isinstance(error, NormalizeError):
            return (type(error), error.vendor, error.field, repr(error.value), error.detail)
        return (
            type(error),
            error.code,
            error.vendor_code,
            error.vendor_message,
            error.status,
            error.trace_id,
            error.account_id,
        )

    return (
        outcome.kind,
        outcome.records,
        tuple((p.scope, p.path, p.account_id, problem(p.error)) for p in outcome.problems),
    )


@st.composite
def encode(draw: st.DrawFn, value: Any) -> str:
    """Another JSON text of ``value``, its choices driven by one seeded Random (hypothesis
    draws the seed, so a failure replays)."""
    rng = random.Random(draw(st.integers(0, 2**64)))

    def space() -> str:
        return "".join(rng.choice(" \t\r\n") for _ in range(rng.choice((0, 0, 1, 2))))

    def string(text: str) -> str:
        share = rng.choice((0.0, 0.3, 1.0))
        out = []
        for char in text:
            if char in '"\\' or ord(char) < 0x20 or rng.random() < share:
                if ord(char) > 0xFFFF:
                    high, low = divmod(ord(char) - 0x10000, 0x400)
                    out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04X}")
                else:
                    out.append(
                        f"\\u{ord(char):04x}" if rng.random() < 0.5 else f"\\u{ord(char):04X}"
                    )
            else:
                out.append(char)
        return '"' + "".join(out) + '"'

    def node(item: Any) -> str:
        if isinstance(item, Number):
            return str(item)
        if isinstance(item, str):
            return string(item)
        if item is True:
            return "true"
        if item is False:
            return "false"
        if item is None:
            return "null"
        if isinstance(item, list):
            inner = ("," + space()).join(space() + node(child) + space() for child in item)
            return "[" + inner + space() + "]"
        keys = list(item)
        rng.shuffle(keys)
        members = [
            space() + string(key) + space() + ":" + space() + node(item[key]) for key in keys
        ]
        return "{" + ",".join(members) + space() + "}"

    return space() + node(value) + space()


@pytest.mark.parametrize(("vendor", "path"), payloads())
def test_reencodings_of_the_same_json_value_give_the_same_outcome(vendor: str, path: Path) -> None:
    original = path.read_bytes()
    value = json.loads(original, parse_float=Number, parse_int=Number)
    expected = signature(parse_response(vendor, original))

    @settings(
        max_examples=100,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(encode(value))
    def same(text: str) -> None:
        assert signature(parse_response(vendor, text)) == expected
        assert signature(parse_response(vendor, text.encode())) == expected

    same()
