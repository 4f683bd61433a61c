"""``parse_envelope(..., secrets=...)``: what an outcome says back never holds a secret, at
any door (the live clients pass their credentials; tests/test_live_safety.py checks them
through real loopback servers)."""

from __future__ import annotations

import json

import normalize
from normalize import Envelope, MalformedPayload, VendorError, parse_envelope
from normalize._errors import quote, secrets_masked

SECRET = "Zq8vK2mN4pR6tW9yB3dF5hJ7lX1cV0sA"
TOKEN = "token-io"


def _fragments(text: str) -> list[str]:
    return [SECRET[i : i + 4] for i in range(len(SECRET) - 3) if SECRET[i : i + 4] in text]


def _every_text(error: Exception) -> str:
    return " ".join([str(error), repr(error), repr(vars(error))])


def test_an_echoed_secret_is_masked_in_every_attribute_not_only_the_message() -> None:
    body = json.dumps(
        {"error": {"code": "x", "message": "you sent " + SECRET + " " + "y" * 200}}
    ).encode()
    outcome = parse_envelope(Envelope(vendor=TOKEN, body=body, status=401), secrets=[SECRET])
    (problem,) = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert _fragments(_every_text(problem.error)) == []
    assert "********" in (problem.error.vendor_message or "")
    # Without secrets, the vendor's message is kept as sent.
    plain = parse_envelope(Envelope(vendor=TOKEN, body=body, status=401))
    assert SECRET in (plain.problems[0].error.vendor_message or "")  # type: ignore[union-attr]


def test_a_secret_in_a_bad_value_is_masked_in_the_errors_value() -> None:
    body = json.dumps(
        {
            "balance": {
                "accountId": "a:1",
                "current": {"currency": "USD", "value": "1" + SECRET},
            },
            "status": "SUCCESSFUL_REQUEST",
        }
    ).encode()
    outcome = parse_envelope(Envelope(vendor=TOKEN, body=body), secrets=[SECRET])
    assert outcome.problems
    for problem in outcome.problems:
        assert _fragments(_every_text(problem.error)) == []


def test_a_record_repeating_a_secret_is_refused_and_its_neighbours_kept() -> None:
    body = json.dumps(
        {
            "response": [
                {
                    "balance": {
                        "accountId": f"a:{SECRET}",
                        "current": {"currency": "USD", "value": "1.00"},
                    },
                    "status": "SUCCESSFUL_REQUEST",
                },
                {
                    "balance": {
                        "accountId": "a:2",
                        "current": {"currency": "USD", "value": "2.00"},
                    },
                    "status": "SUCCESSFUL_REQUEST",
                },
            ]
        }
    ).encode()
    outcome = parse_envelope(Envelope(vendor=TOKEN, body=body), secrets=[SECRET])
    assert [record.account_id for record in outcome.records] == ["a:2"]
    (problem,) = outcome.problems
    assert isinstance(problem.error, MalformedPayload)
    assert (problem.error.field, problem.account_id) == ("account_id", "a:********")
    assert outcome.kind is normalize.OutcomeKind.PARTIAL
    # A short secret (under 8 characters) may stand in an account id by coincidence.
    short = parse_envelope(Envelope(vendor=TOKEN, body=body), secrets=["a:2"])
    assert len(short.records) == 2


def test_a_secret_with_runs_of_spaces_is_masked_before_the_quote_collapses_them() -> None:
    header = 'OAuth oauth_consumer_key="ck-1234567890",  oauth_signature="c2lnbmF0dXJl"'
    body = ("<html><body>" + "p" * 20 + header + "</body></html>").encode()
    outcome = parse_envelope(Envelope(vendor=TOKEN, body=body, status=500), secrets=[header])
    message = outcome.problems[0].error.vendor_message or ""  # type: ignore[union-attr]
    assert "ck-1234567890" not in message
    assert "********" in message


def test_a_secret_inside_a_list_value_is_masked_before_the_quote_cuts_it() -> None:
    value = ["x" * 75 + SECRET, {"key": SECRET}]
    with secrets_masked([SECRET]):
        text = quote(value)
    assert _fragments(text) == []
    assert SECRET[:8] in quote(value)  # outside the block, quoted as before


def test_a_secret_inside_a_dict_value_of_the_body_is_masked_in_the_errors_value() -> None:
    secret = 'pa\\ss"word99'  # a backslash and a quote: escaped in a repr
    body = json.dumps(
        {
            "balance": {"accountId": {"id": secret}, "current": {"currency": "USD", "value": "1"}},
            "status": "SUCCESSFUL_REQUEST",
        }
    ).encode()
    outcome = parse_envelope(Envelope(vendor=TOKEN, body=body), secrets=[secret])
    assert outcome.problems
    for problem in outcome.problems:
        assert "word99" not in _every_text(problem.error)


def test_a_secret_beside_a_lone_surrogate_is_not_cut_by_the_window() -> None:
    outcome = normalize.parse_response(TOKEN, '{"x": "' + SECRET + '\ud800"}')
    assert SECRET[-8:] in str(outcome.problems[0].error)  # what the window shows, unmasked
    with secrets_masked([SECRET]):
        masked = normalize.parse_response(TOKEN, '{"x": "' + SECRET + '\ud800"}')
    assert _fragments(_every_text(masked.problems[0].error)) == []


def test_a_non_ascii_secret_in_a_latin_1_body_is_masked_in_the_quote() -> None:
    secret = "sécret-value-123"
    body = b'<?xml version="1.0" encoding="ISO-8859-1"?><x>' + secret.encode("latin-1") + b"</x"
    outcome = parse_envelope(
        Envelope(vendor="mastercard-send", body=body, content_type="application/xml"),
        secrets=[secret, secret.encode("latin-1").decode("latin-1")],
    )
    text = " ".join(_every_text(problem.error) for problem in outcome.problems)
    assert "cret-value" not in text
