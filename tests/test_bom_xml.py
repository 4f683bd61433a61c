"""A UTF-8 byte order mark before an XML body given without a content type.

XML 1.0 (section 4.3.3 and appendix F) lets a UTF-8 entity start with the byte order mark
U+FEFF, and expat reads it; so without a content type, a body whose characters are U+FEFF,
optional XML white space and ``<`` is XML. JSON keeps refusing the mark: RFC 8259 section
8.1 lets a parser refuse it, and this library does (``test_exact_decode``).
"""

from __future__ import annotations

import pytest

from normalize import MalformedPayload, OutcomeKind, parse_response
from normalize._decode import is_xml

SEND = "mastercard-send"
BOM = b"\xef\xbb\xbf"
XML = (
    b"<account_balances><account_balance><balance><amount>1000</amount>"
    b"<currency>GBP</currency><state>IN_CREDIT</state></balance>"
    b"<non_card_token>non_card_token:abc</non_card_token></account_balance></account_balances>"
)
JSON = (
    b'{"account_balances": {"account_balance": {"balance": {"amount": "1000",'
    b' "currency": "GBP", "state": "IN_CREDIT"}, "non_card_token": "non_card_token:abc"}}}'
)


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param(BOM, id="bom"),
        pytest.param(BOM + b'<?xml version="1.0" encoding="UTF-8"?>', id="bom-declaration"),
        pytest.param(BOM + b" \t\r\n", id="bom-whitespace"),
    ],
)
def test_xml_after_a_bom_without_a_content_type_gives_its_record(prefix: bytes) -> None:
    outcome = parse_response(SEND, prefix + XML)
    assert outcome.kind is OutcomeKind.RECORDS
    assert outcome.records == parse_response(SEND, XML).records
    (record,) = outcome.records
    assert (record.account_id, str(record.amount)) == ("non_card_token:abc", "10.00")


def test_a_str_body_starting_with_u_feff_reads_as_xml() -> None:
    outcome = parse_response(SEND, "\ufeff" + XML.decode())
    assert outcome.kind is OutcomeKind.RECORDS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(BOM + b"<a/>", True, id="bom-lt"),
        pytest.param(BOM + b"\n <a/>", True, id="bom-space-lt"),
        pytest.param(b"\n<a/>", True, id="space-lt"),
        pytest.param(BOM + b"{}", False, id="bom-json"),
        pytest.param(BOM + BOM + b"<a/>", False, id="two-boms"),
        pytest.param(b" " + BOM + b"<a/>", False, id="space-then-bom"),
        pytest.param(b"\xfe\xff\x00<", False, id="utf16-bom"),
        pytest.param(BOM[:2] + b"<a/>", False, id="partial-bom"),
        pytest.param(BOM + b"\xc2\xa0<a/>", False, id="bom-nbsp-lt"),
    ],
)
def test_is_xml_without_a_content_type(body: bytes, expected: bool) -> None:
    assert is_xml(body, None) is expected


def test_a_content_type_still_decides() -> None:
    assert is_xml(BOM + b"<a/>", "application/json") is False
    assert is_xml(BOM + b"{}", "application/xml") is True


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_json_after_a_bom_stays_refused(content_type: str | None) -> None:
    outcome = parse_response(SEND, BOM + JSON, content_type=content_type)
    assert outcome.kind is OutcomeKind.REJECTED
    (problem,) = outcome.problems
    assert type(problem.error) is MalformedPayload
    assert problem.error.field == "$"
    assert "not JSON" in str(problem.error)


def test_xml_after_a_bom_for_a_json_only_vendor_is_refused_as_such() -> None:
    outcome = parse_response("token-io", BOM + b"<a/>")
    assert outcome.kind is OutcomeKind.REJECTED
    (problem,) = outcome.problems
    assert "this vendor answers in JSON" in str(problem.error)
