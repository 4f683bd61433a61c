"""Live recording: a client built with ``record=`` writes the envelope of each call's final
balance answer (a capture line), and ``python -m normalize batch`` replays those lines to
exactly the rows the live calls returned.

The session runs over real HTTP on 127.0.0.1 (``live_hostile``'s server answering what each
test gives it) against all five vendors, blocking and asyncio clients appending to one
file: successes, a Token.io several-accounts answer with one consent invalid, a Connect
answer with one bad balance, a Send list with one bad account, vendor errors (a JSON error
body, an HTML 500, a 404 with Send's correlation id), and Open Finance US asked for a live
and for a cached balance (the request parameter that decides the freshness is recorded).
Token answers are never recorded, nor is a credential.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from batch_support import read_tables
from live_hostile import TOKEN as HOSTILE_TOKEN
from live_hostile import Hostile, hostile_server
from live_loopback import (
    HTML_500,
    TOKEN_ACCOUNTS,
    TOKEN_PARTIAL,
    connect_one_bad_balance,
    json_answer,
    send_one_bad_account,
    xml_answer,
)
from live_support import (
    ACCOUNT,
    CONNECT_ACCOUNT,
    CONNECT_KWARGS,
    CUSTOMER,
    ON_BEHALF_OF,
    PARTNER_ID,
    SECRETS,
    SEND_PARTNER,
    SEND_TOKEN,
    TOKEN_ACCOUNT,
    TOKEN_PATH,
    Script,
    example,
    make,
)

from normalize import NormalizeError, Outcome, OutcomeKind, VendorError
from normalize._envelope import envelope_from_line
from normalize._errors import clip

ROOT = Path(__file__).resolve().parent.parent
AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    with hostile_server() as server:
        yield server


def _json(vendor: str, name: str) -> Any:
    return json_answer(200, example(vendor, name))


SEND_ERROR = json.dumps(
    {
        "Errors": {
            "Error": [
                {
                    "Source": "partner",
                    "ReasonCode": "NOT_FOUND",
                    "Description": "Account not found",
                    "Recoverable": False,
                    "Details": None,
                }
            ]
        }
    }
).encode()

# Each vendor's answers, by scenario (the client's base URL) and path suffix.
ANSWERS: dict[str, Any] = {
    "rec-au": {
        "/availableBalance/live": _json(AU, "AvailableBalanceSample.json"),
        "/availableBalance": json_answer(
            404, b'{"code": "90004", "message": "No cached balance for this account"}'
        ),
    },
    "rec-us": {"/availableBalance/live": _json(US, "AvailableBalanceOverdrawn.json")},
    "rec-connect": {"": _json(CONNECT, "AccountBalancesDebit.json")},
    "rec-connect-bad": {"": json_answer(200, connect_one_bad_balance())},
    "rec-send": {
        "/account-balances": json_answer(200, send_one_bad_account()),
        "/account-balance": xml_answer(200, example(SEND, "SingleAccountBalanceXml.xml")),
    },
    "rec-send-404": {"": json_answer(404, SEND_ERROR, **{"correlation-id": "corr-7f3e9a12"})},
    "rec-token": {
        "/account-balance": json_answer(200, TOKEN_PARTIAL),
        "/balance": _json(TOKEN, "BalanceSuccessful.json"),
    },
    "rec-token-500": {"": HTML_500},
    "rec-token-cut": {"": json_answer(200, b'{"balance": {"accountId": "a:1", "current": {')},
}

Step = tuple[str, str, str, Callable[[Any], Any]]
# (vendor, scenario, operationId, the call on a client or its outcome form)
SESSION: list[Step] = [
    (AU, "rec-au", "GetAvailableBalanceLive", lambda c: c.live_balance(CUSTOMER, ACCOUNT)),
    (AU, "rec-au", "GetAvailableBalance", lambda c: c.cached_balance(CUSTOMER, ACCOUNT)),
    (US, "rec-us", "GetAvailableBalanceLive", lambda c: c.balance(CUSTOMER, ACCOUNT)),
    (
        US,
        "rec-us",
        "GetAvailableBalanceLive",
        lambda c: c.balance(CUSTOMER, ACCOUNT, cache_interval_minutes=30),
    ),
    (
        CONNECT,
        "rec-connect",
        "getAccountBalances",
        lambda c: c.account_balances(CONNECT_ACCOUNT, **CONNECT_KWARGS),
    ),
    (
        CONNECT,
        "rec-connect-bad",
        "getAccountBalances",
        lambda c: c.account_balances(CONNECT_ACCOUNT, **CONNECT_KWARGS),
    ),
    (SEND, "rec-send", "getAccountBalances", lambda c: c.account_balances(SEND_PARTNER)),
    (
        SEND,
        "rec-send",
        "getAccountBalance",
        lambda c: c.account_balance(SEND_PARTNER, SEND_TOKEN),
    ),
    (
        SEND,
        "rec-send-404",
        "getAccountBalance",
        lambda c: c.account_balance(SEND_PARTNER, SEND_TOKEN),
    ),
    (
        TOKEN,
        "rec-token",
        "getBalances",
        lambda c: c.balances(TOKEN_ACCOUNTS, on_behalf_of=ON_BEHALF_OF),
    ),
    (
        TOKEN,
        "rec-token",
        "getBalance",
        lambda c: c.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF),
    ),
    (
        TOKEN,
        "rec-token-500",
        "getBalance",
        lambda c: c.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF),
    ),
    (
        TOKEN,
        "rec-token-cut",
        "getBalance",
        lambda c: c.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF),
    ),
]


def live_session(hostile: Hostile, record: Any) -> list[tuple[str, str, Outcome]]:
    """Every step of the session, its client recording to ``record``: blocking clients for
    the even steps, asyncio ones for the odd (all appending to the same file)."""
    for scenario, given in ANSWERS.items():
        hostile.answer(scenario, given)
    done: list[tuple[str, str, Outcome]] = []
    for number, (vendor, scenario, operation, call) in enumerate(SESSION):
        kwargs: dict[str, Any] = {
            "base_url": hostile.url(scenario),
            "transport": None,
            "record": record,
        }
        if number % 2 == 0:
            with make(vendor, Script(), **kwargs) as client:
                outcome = call(client.outcome)
        else:

            async def run_async(
                vendor: str = vendor, call: Any = call, kwargs: dict[str, Any] = kwargs
            ) -> Outcome:
                async with make(vendor, Script(), is_async=True, **kwargs) as client:
                    result: Outcome = await call(client.outcome)
                    return result

            outcome = asyncio.run(run_async())
        assert isinstance(outcome, Outcome), outcome
        done.append((vendor, operation, outcome))
    return done


def batch(capture: Path, out: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            *("-m", "normalize", "batch", str(capture), "--out", str(out)),
            "--to",
            "parquet",
        ],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_recorded_live_session_replays_to_the_same_rows(hostile: Hostile, tmp_path: Path) -> None:
    capture = tmp_path / "live.jsonl"
    session = live_session(hostile, capture)
    kinds = [outcome.kind for _, _, outcome in session]
    # The session has every landing.
    assert set(kinds) == set(OutcomeKind)
    token_partial = session[9][2]
    assert token_partial.kind is OutcomeKind.PARTIAL
    assert (len(token_partial.records), len(token_partial.problems)) == (2, 1)

    lines = capture.read_bytes().splitlines()
    # One line per call: its final balance answer; no token answer (the Finicity clients
    # each fetched one).
    assert len(lines) == len(SESSION)
    envelopes = [envelope_from_line(line) for line in lines]
    assert [(e.vendor, e.operation) for e in envelopes] == [(v, o) for v, _, o, _ in SESSION]
    assert all(e.captured_at is not None and e.status is not None for e in envelopes)
    assert [e.request for e in envelopes[2:4]] == [
        {"balance_cache_interval": 0},
        {"balance_cache_interval": 30},
    ]
    assert envelopes[8].trace_id == "corr-7f3e9a12"
    text = capture.read_text()
    for secret in (*SECRETS, PARTNER_ID, HOSTILE_TOKEN):
        assert secret not in text

    out = tmp_path / "out"
    batch(capture, out)
    tables = read_tables(out)
    manifest = json.loads((out / "manifest.json").read_text())
    for kind in OutcomeKind:
        assert manifest["landed"][kind.value] == kinds.count(kind), manifest

    # balances: the live records, in order, field for field.
    live_records = [
        (number + 1, record)
        for number, (_, _, outcome) in enumerate(session)
        for record in outcome.records
    ]
    rows = sorted(tables["balances"], key=lambda row: row["source_line"])
    assert len(rows) == len(live_records)
    for row, (line, record) in zip(rows, live_records, strict=True):
        assert row["source_line"] == line
        expected = {f.name: _plain(getattr(record, f.name)) for f in attrs.fields(type(record))}
        assert {name: row[name] for name in expected} == expected

    # vendor_errors and rejects: the live problems, in order.
    live_vendor_errors = []
    live_rejects = []
    for number, (vendor, operation, outcome) in enumerate(session):
        for problem in outcome.problems:
            error = problem.error
            if isinstance(error, VendorError):
                live_vendor_errors.append(
                    {
                        "source_line": number + 1,
                        "vendor": error.vendor,
                        "operation": operation,
                        "outcome": outcome.kind.value,
                        "code": error.code.value,
                        "vendor_code": error.vendor_code,
                        "vendor_message": error.vendor_message,
                        "status": error.status,
                        "trace_id": error.trace_id,
                        "account_id": error.account_id or problem.account_id,
                        "scope": problem.scope.value,
                        "path": problem.path,
                    }
                )
            else:
                assert isinstance(error, NormalizeError)
                live_rejects.append(
                    {
                        "source_line": number + 1,
                        "vendor": vendor,
                        "operation": operation,
                        "outcome": outcome.kind.value,
                        "error_class": type(error).__name__,
                        "scope": problem.scope.value,
                        "path": error.field,
                        "account_id": problem.account_id,
                        "value": clip(error.value),
                        "message": str(error),
                    }
                )
    assert live_vendor_errors
    assert live_rejects
    for table, live in (("vendor_errors", live_vendor_errors), ("rejects", live_rejects)):
        replayed = sorted(tables[table], key=lambda row: (row["source_line"], row["path"]))
        live = sorted(live, key=lambda row: (row["source_line"], row["path"]))
        assert [
            {key: row[key] for key in entry} for row, entry in zip(replayed, live, strict=True)
        ] == live


def _plain(value: Any) -> Any:
    """A record's value as its balances column reads back (enums as their strings)."""
    if isinstance(value, str):
        return str(value)
    return value


def test_a_callable_gets_each_envelope_as_its_capture_line_holds_it(
    hostile: Hostile, tmp_path: Path
) -> None:
    given: list[dict[str, Any]] = []
    capture = tmp_path / "live.jsonl"
    hostile.answer("cb-token", ANSWERS["rec-token"])
    url = hostile.url("cb-token")
    with make(TOKEN, Script(), base_url=url, transport=None, record=given.append) as client:
        records = client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    with make(TOKEN, Script(), base_url=url, transport=None, record=capture) as client:
        client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    [document] = given
    [line] = capture.read_text().splitlines()
    written = json.loads(line)
    assert {k: v for k, v in document.items() if k != "captured_at"} == {
        k: v for k, v in written.items() if k != "captured_at"
    }
    assert document["operation"] == "getBalance"
    assert document["status"] == 200
    assert document["body"] == example(TOKEN, "BalanceSuccessful.json").decode()
    assert records
    json.dumps(document)  # JSON-ready


def test_the_strict_form_records_too(hostile: Hostile, tmp_path: Path) -> None:
    given: list[dict[str, Any]] = []
    hostile.answer("strict-token-500", {"": HTML_500})
    with (
        make(
            TOKEN,
            Script(),
            base_url=hostile.url("strict-token-500"),
            transport=None,
            record=given.append,
        ) as client,
        pytest.raises(VendorError),
    ):
        client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    [document] = given
    assert document["status"] == 500


@pytest.mark.parametrize("scenario", ["echo-200", "echo-json", "echo-text"])
@pytest.mark.parametrize("vendor", [AU, US, CONNECT, SEND, TOKEN])
def test_a_body_echoing_credentials_is_recorded_masked(
    hostile: Hostile, tmp_path: Path, vendor: str, scenario: str
) -> None:
    from live_support import CALLS

    given: list[dict[str, Any]] = []
    before = len(hostile.seen.requests)
    operation = next(op for v, op in sorted(CALLS) if v == vendor)
    with make(
        vendor, Script(), base_url=hostile.url(scenario), transport=None, record=given.append
    ) as client:
        CALLS[(vendor, operation)](client.outcome)
    received = b"".join(hostile.seen.requests[before:]).decode("utf-8", "replace")
    [document] = given
    text = json.dumps(document)
    assert "********" in document["body"]
    sent = _sent_in(received)
    assert sent
    for secret in (*sent, *SECRETS, PARTNER_ID, HOSTILE_TOKEN):
        assert secret not in text, secret[:6]


def _sent_in(received: str) -> set[str]:
    import re
    from urllib.parse import unquote

    found: set[str] = set()
    for name in ("Authorization", "Finicity-App-Key", "Finicity-App-Token"):
        for value in re.findall(rf"(?im)^{name}: (.*)\r$", received):
            found.add(value)
            if value.startswith("OAuth "):
                for param in re.findall(r'oauth_signature="([^"]*)"', value):
                    found |= {param, unquote(param)}
            elif " " in value:
                found.add(value.split(" ", 1)[1])
    return found


def test_a_trace_id_echoing_a_credential_is_recorded_masked(hostile: Hostile) -> None:
    # Send's correlation-id header becomes the envelope's trace id: a server could put the
    # Authorization header it got there.
    def echo(head: bytes, body: bytes) -> Any:
        auth = head.decode().split("Authorization: ", 1)[1].split("\r\n", 1)[0]
        return json_answer(404, SEND_ERROR, **{"correlation-id": auth, "X-Type": auth})

    given: list[dict[str, Any]] = []
    with make(
        SEND,
        Script(),
        base_url=hostile.answer("echo-trace", echo),
        transport=None,
        record=given.append,
    ) as client:
        outcome = client.outcome.account_balances(SEND_PARTNER)
    [problem] = outcome.problems
    assert isinstance(problem.error, VendorError)
    assert problem.error.trace_id == "********"
    [document] = given
    assert document["trace_id"] == "********"


def test_token_answers_failures_and_retried_answers_are_not_recorded(
    hostile: Hostile, tmp_path: Path
) -> None:
    given: list[dict[str, Any]] = []
    refused = {TOKEN_PATH: json_answer(401, b'{"code": "10022", "message": "Invalid"}')}
    hostile.answer("token-refused-rec", refused)
    with make(
        US,
        Script(),
        base_url=hostile.url("token-refused-rec"),
        transport=None,
        record=given.append,
    ) as client:
        outcome = client.outcome.balance(CUSTOMER, ACCOUNT)
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    assert given == []  # the call's answer was the token endpoint's: not recorded

    with make(
        TOKEN,
        Script(),
        base_url=hostile.url("trickle-body"),
        transport=None,
        deadline=0.3,
        record=given.append,
    ) as client:
        outcome = client.outcome.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    assert given == []  # no answer: nothing to record

    turns = iter([json_answer(503, b"{}"), _json(TOKEN, "BalanceSuccessful.json")])
    hostile.answer("retried", lambda head, body: next(turns))
    with make(
        TOKEN, Script(), base_url=hostile.url("retried"), transport=None, record=given.append
    ) as client:
        assert client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    assert [document["status"] for document in given] == [200]  # the final answer only


def test_the_file_is_appended_to_and_closed_with_the_client(
    hostile: Hostile, tmp_path: Path
) -> None:
    capture = tmp_path / "live.jsonl"
    capture.write_text('{"vendor": "token-io", "body": "{}"}\n')
    hostile.answer("append", ANSWERS["rec-token"])
    client = make(TOKEN, Script(), base_url=hostile.url("append"), transport=None, record=capture)
    client.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    # Flushed per line: readable before the client is closed.
    assert len(capture.read_text().splitlines()) == 2
    recorder = client._recorder
    client.close()
    assert recorder._file.closed


def test_a_record_target_of_another_kind_is_refused_when_the_client_is_built(
    tmp_path: Path,
) -> None:
    with pytest.raises(TypeError, match="record"):
        make(TOKEN, Script(), record=42)
    with pytest.raises(IsADirectoryError):
        make(TOKEN, Script(), record=tmp_path)  # a folder


def test_a_body_holding_a_credential_in_an_escape_the_mask_misses_is_not_recorded(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The JWT spelled with one ``\\u`` escape decodes to the JWT: masking the bytes cannot
    find it, so the answer is not recorded (a warning says so); its outcome still comes."""
    from live_support import JWT, raw_response, scripted

    escaped = JWT[:5] + f"\\u{ord(JWT[5]):04x}" + JWT[6:]
    body = (
        '{"balance": {"accountId": "a:' + escaped + '", "current": {"currency": "USD",'
        ' "value": "1.00"}}, "status": "SUCCESSFUL_REQUEST"}'
    )
    given: list[dict[str, Any]] = []
    script = scripted(TOKEN, [raw_response(200, body, "application/json")])
    with (
        caplog.at_level("WARNING", logger="normalize.live"),
        make(TOKEN, script, record=given.append) as client,
    ):
        outcome = client.outcome.balance(TOKEN_ACCOUNT, on_behalf_of=ON_BEHALF_OF)
    assert given == []
    assert "not recorded" in caplog.text
    assert JWT not in caplog.text
    # The record repeating the credential is refused, with the credential masked.
    assert outcome.records == ()
    assert outcome.problems[0].account_id == "a:********"


def test_a_short_secret_is_never_masked_into_a_recording_but_the_answer_is_not_recorded() -> None:
    """Masking a 2-character secret would break the body (``b********lance``); a body that
    holds one is not written down at all."""
    from normalize import Envelope
    from normalize._secrets import recordable

    body = b'{"balance": {"accountId": "a:1"}}'
    assert recordable(Envelope(vendor=TOKEN, body=body), ["al"]) is None
    kept = recordable(Envelope(vendor=TOKEN, body=body), ["zz"])
    assert kept is not None
    assert kept.body == body


def test_an_async_recorder_is_refused_when_the_client_is_built() -> None:
    async def record(document: dict[str, Any]) -> None:
        pass

    class Later:
        async def __call__(self, document: dict[str, Any]) -> None:
            pass

    for target in (record, Later()):
        with pytest.raises(TypeError, match="not async"):
            make(TOKEN, Script(), record=target)
