"""The one envelope validator: whatever an envelope is made from (a capture line, a mapping,
the constructor), what it refuses is an ``InvalidEnvelope`` naming the key, never another
exception, and which error is reported never depends on the order of the keys."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

import pytest

from normalize import Envelope, InvalidEnvelope, envelope_from_line, parse_envelope
from normalize._capture import CaptureChunk
from normalize._envelope import envelope_from_mapping
from normalize.batch._convert import convert_envelopes

TOKEN = "token-io"
US = "mastercard-open-finance-us"


class _BrokenZone(tzinfo):
    def utcoffset(self, dt: datetime | None) -> timedelta:
        raise RuntimeError("no offset here")

    def dst(self, dt: datetime | None) -> None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "broken"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": 10**5000}, "status"),
        ({"status": True}, "status"),
        ({"status": 200.0}, "status"),
        ({"source_line": -(10**5000)}, "source_line"),
        ({"source_line": 2**70}, "source_line"),
        ({"captured_at": datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))}, "captured_at"),
        ({"captured_at": datetime(2026, 1, 1, tzinfo=_BrokenZone())}, "captured_at"),
        ({"captured_at": datetime(2026, 1, 1)}, "captured_at"),
        ({"id": "\ud800"}, "id"),
        ({"body": "{}\ud800"}, "body"),
        ({"content_type": 5}, "content_type"),
        ({"request": {"balance_cache_interval": 10**5000}}, "request.balance_cache_interval"),
        ({"request": {"balance_cache_interval": True}}, "request.balance_cache_interval"),
        ({"request": [1]}, "request"),
    ],
)
def test_a_bad_value_is_an_invalid_envelope_naming_its_key(
    fields: dict[str, Any], field: str
) -> None:
    vendor = US if "request" in fields else TOKEN
    with pytest.raises(InvalidEnvelope) as raised:
        Envelope(**{"vendor": vendor, "body": "{}", **fields})
    assert raised.value.field == field
    str(raised.value)  # and it can be shown


def test_a_mapping_that_is_no_mapping_is_an_invalid_envelope() -> None:
    with pytest.raises(InvalidEnvelope) as raised:
        envelope_from_mapping([("vendor", TOKEN)])  # type: ignore[arg-type]
    assert raised.value.field == "$"


def test_which_error_is_reported_does_not_depend_on_key_order() -> None:
    items = [("vendor", TOKEN), ("body", "{}"), ("extra", 1), ("status", None), ("zeta", 2)]
    fields = set()
    for order in itertools.permutations(items):
        line = "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in order) + "}"
        with pytest.raises(InvalidEnvelope) as raised:
            envelope_from_line(line.encode())
        fields.add((raised.value.field, raised.value.detail))
    assert fields == {("extra", "unknown key")}


def test_a_spark_row_with_text_a_table_cannot_hold_is_one_reject_not_a_failed_chunk() -> None:
    rows = [
        {"vendor": TOKEN, "body": "{}", "id": "\ud800", "source_file": "f", "source_line": 1},
        {"vendor": TOKEN, "body": "{}", "source_file": "f", "source_line": 2**70},
        {"vendor": TOKEN, "body": '{"x": 1}', "source_file": "f", "source_line": 3},
    ]
    converted = convert_envelopes(rows)
    assert converted.counts["responses"] == 3
    assert converted.rejects.column("error_class").to_pylist()[:2] == [
        "InvalidEnvelope",
        "InvalidEnvelope",
    ]


def test_only_json_whitespace_makes_a_blank_line() -> None:
    from normalize.batch._convert import convert

    chunk = CaptureChunk("f", 1, [b" \t\r", b"\x0b", b"\x0c"])
    converted = convert(chunk)
    assert converted.counts["responses"] == 2  # the vertical tab and form feed lines
    assert set(converted.rejects.column("error_class").to_pylist()) == {"InvalidEnvelope"}


def test_convert_refuses_a_status_that_is_no_http_status_as_a_usage_error(tmp_path: Path) -> None:
    body = tmp_path / "b.json"
    body.write_text("{}")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalize",
            "convert",
            *("--vendor", TOKEN, "--status", "700"),
            str(body),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "100-599" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_envelope_round_trips_through_its_line() -> None:
    envelope = Envelope(
        vendor=US,
        body=b"\xff\xfe not UTF-8",
        status=200,
        captured_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone(timedelta(hours=-5))),
        request={"balance_cache_interval": 0},
        id="c-1",
    )
    again = envelope_from_line(envelope.to_line())
    assert again == envelope
    assert again.captured_at == datetime(2026, 1, 2, 8, 4, 5, 678901, tzinfo=UTC)
    assert parse_envelope(again).kind == parse_envelope(envelope).kind
