"""The quick paths of the decode hold to the slower definitions they replace.

* ``_decode.read_xml`` (one expat pass straight into plain data) against defusedxml's
  ElementTree with ``forbid_dtd``, ``forbid_entities`` and ``forbid_external`` plus the
  tree-to-data rule written out here: the same data for every document defusedxml reads,
  a MalformedPayload for every document it refuses.
* ``_mapping.from_rfc3339``'s UTC ``...Z`` path (the C ``fromisoformat``) against the
  field-by-field path it takes for any other offset.
* ``_errors.quote``'s plain-string path against ``reprlib``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import pytest
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from hypothesis import example, given, settings
from hypothesis import strategies as st

from normalize import InvalidTimestamp, MalformedPayload
from normalize._decode import read_xml
from normalize._errors import _QUOTE, quote
from normalize._mapping import from_rfc3339

# --- the XML reader against defusedxml -----------------------------------------------------


class _Refused(Exception):
    pass


def _oracle(body: bytes) -> tuple[str, Any]:
    """What ``read_xml`` must give, from defusedxml's tree: the root's tag and its text, or
    its children as (tag, data); below the root an element's data is its text when it has
    no children, else a dict of them (a repeated tag, or nesting past 32 levels below the
    root, refused)."""
    try:
        root = defused_fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError, ValueError, LookupError) as exc:
        raise _Refused(repr(exc)) from None
    children = list(root)
    if not children:
        return root.tag, root.text or ""
    return root.tag, [(child.tag, _data(child, 1)) for child in children]


def _data(element: Element, depth: int) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    if depth >= 32:
        raise _Refused("nested too deeply")
    data: dict[str, Any] = {}
    for child in children:
        value = _data(child, depth + 1)
        if child.tag in data:
            raise _Refused("element repeated")
        data[child.tag] = value
    return data


def _agree(body: bytes) -> None:
    try:
        expected = _oracle(body)
    except _Refused:
        with pytest.raises(MalformedPayload) as caught:
            read_xml(body, vendor="mastercard-send")
        assert caught.value.vendor == "mastercard-send"
        return
    assert read_xml(body, vendor="mastercard-send") == expected


_TAGS = st.sampled_from(["a", "b", "balance", "amount", "x:c", "d-e", "f_g", "h.i"])
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r "),
    max_size=12,
)


@st.composite
def _element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(_TAGS)
    attributes = draw(st.sampled_from(["", ' id="1"', " x:y='2'", ' xmlns="urn:n"']))
    prefix = ' xmlns:x="urn:x"' if "x:" in tag or "x:" in attributes else ""
    if depth >= 4 or draw(st.booleans()):
        inner = draw(
            st.sampled_from(["", "<![CDATA[<&>]]>", "a<!--c-->b", "<?pi data?>"])
            | _TEXT.map(escape)
        )
    else:
        parts = draw(st.lists(_element(depth + 1), max_size=3))
        spacing = draw(st.sampled_from(["", "\n  ", " text "]))
        inner = spacing + spacing.join(parts) + spacing
    return f"<{tag}{prefix}{attributes}>{inner}</{tag}>"


@st.composite
def _document(draw: st.DrawFn) -> bytes:
    head = draw(
        st.sampled_from(
            [
                "",
                '<?xml version="1.0"?>',
                '<?xml version="1.0" encoding="UTF-8"?>\n',
                "<!-- note -->",
                "<!DOCTYPE a>",
                '<!DOCTYPE a [<!ENTITY e "x">]>',
                '<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd">',
            ]
        )
    )
    text = (head + draw(_element())).encode()
    cut = draw(st.integers(0, len(text)))
    mutation = draw(st.sampled_from(["none", "none", "truncate", "duplicate", "entity"]))
    if mutation == "truncate":
        return text[:cut]
    if mutation == "duplicate":
        # The first child element written twice (a repeated element), when there is one.
        start = text.find(b"<", text.find(b">") + 1)
        end = text.find(b">", text.find(b"</", start)) + 1
        if 0 < start < end:
            return text[:start] + text[start:end] * 2 + text[end:]
        return text
    if mutation == "entity":
        return text[:cut] + b"&e;" + text[cut:]
    return text


@settings(max_examples=400, deadline=None)
@given(body=_document())
@example(body=b"<a><b>1</b><b>2</b></a>")
@example(body=b"<r><a><b>1</b><b>2</b></a></r>")
@example(body=b"<a>" * 40 + b"</a>" * 40)
@example(body=b"<r>" + b"<a>" * 33 + b"x" + b"</a>" * 33 + b"</r>")
@example(body=b"<r>" + b"<a>" * 32 + b"x" + b"</a>" * 32 + b"</r>")
@example(body=b'<a xmlns="urn:n"><b>1</b></a>')
@example(body=b"<a>&amp;&#65;&#x10FFFF;</a>")
@example(body=b"<a>&nowhere;</a>")
@example(body=b'<?xml version="1.0" standalone="no"?><a/>')
def test_read_xml_gives_what_defusedxml_and_the_tree_rule_give(body: bytes) -> None:
    _agree(body)


@pytest.mark.parametrize(
    "body",
    [
        b'<!DOCTYPE a [<!ENTITY % p "x"> ]><a/>',
        b'<!DOCTYPE a [<!NOTATION n SYSTEM "x">]><a/>',
        b'<!DOCTYPE a [<!ENTITY u SYSTEM "x" NDATA n>]><a/>',
        b'<!DOCTYPE a PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/x.dtd"><a/>',
        b"<!DOCTYPE a><a/>",
    ],
    ids=["parameter-entity", "notation", "unparsed-entity", "external-subset", "bare-doctype"],
)
def test_every_kind_of_declaration_is_refused(body: bytes) -> None:
    with pytest.raises(MalformedPayload) as caught:
        read_xml(body, vendor="mastercard-send")
    assert "forbidden XML" in str(caught.value)
    _agree(body)


# --- RFC 3339: the UTC path against the field-by-field path ---------------------------------


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    digits=st.integers(0, 30),
    extra=st.text("0123456789", min_size=30, max_size=30),
)
def test_a_z_date_time_reads_as_the_same_moment_written_with_plus_00_00(
    moment: datetime, digits: int, extra: str
) -> None:
    fraction = (f"{moment.microsecond:06d}" + extra)[:digits]
    text = f"{moment.year:04d}-" + moment.strftime("%m-%dT%H:%M:%S")
    text += f".{fraction}" if digits else ""
    quick = from_rfc3339(text + "Z", vendor="v", field="f")
    slow = from_rfc3339(text + "+00:00", vendor="v", field="f")
    assert quick == slow
    assert quick.tzinfo is UTC
    assert slow.tzinfo is UTC
    assert quick.microsecond == int(fraction[:6].ljust(6, "0"))


@pytest.mark.parametrize(
    "text",
    [
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z",
        "2024-01-01T00:00:60Z",
        "2024-01-01T24:00:00.000Z",
        "0000-01-01T00:00:00Z",
        "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.1234567890123456789012345678901Z",
        "2024-01-01T00:00:00Z ",
        "2024-01-01T00:00:00",
        "٢٠٢٤-01-01T00:00:00Z",
        "2024-W01-1T00:00:00Z",
    ],
)
def test_what_the_utc_path_refuses_the_field_by_field_path_refuses(text: str) -> None:
    with pytest.raises(InvalidTimestamp):
        from_rfc3339(text, vendor="v", field="f")
    if text.endswith("Z"):
        with pytest.raises(InvalidTimestamp):
            from_rfc3339(text[:-1] + "+00:00", vendor="v", field="f")


# --- quote ----------------------------------------------------------------------------------


@given(value=st.text(max_size=120))
@example(value="x" * 78)
@example(value="x" * 79)
@example(value="'" * 40 + '"')
@example(value="\x00" * 20)
def test_quote_of_a_str_is_reprlibs(value: str) -> None:
    text = _QUOTE.repr(value)
    assert quote(value) == (text if len(text) <= 90 else text[:80] + "...'")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "byte-order-mark"])
@pytest.mark.parametrize("encoding", ["ISO-8859-1", "cp1252", "UTF-16", "koi8-r"])
def test_a_declared_encoding_other_than_utf8_is_refused_with_or_without_a_bom(
    bom: bytes, encoding: str
) -> None:
    body = bom + f'<?xml version="1.0" encoding="{encoding}"?><a>caf\u00e9</a>'.encode()
    with pytest.raises(MalformedPayload) as caught:
        read_xml(body, vendor="mastercard-send")
    assert caught.value.value == encoding


@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0" encoding="utf-8"?>'])
def test_utf8_with_a_bom_reads_as_without(declaration: str) -> None:
    body = f"{declaration}<r><a>caf\u00e9</a></r>".encode()
    assert read_xml(b"\xef\xbb\xbf" + body, vendor="x") == read_xml(body, vendor="x")
    assert read_xml(body, vendor="x") == ("r", [("a", "caf\u00e9")])
