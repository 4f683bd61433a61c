"""An ``Errors`` object inside one Mastercard Send account entry, in JSON and in XML.

Mastercard's gateway answers an unsuccessful request with ``Errors.Error[]`` (Send's
"Error Codes" page); the account-balance page shows no error inside an account. An account
entry that carries one is read as that account's error: a VendorError problem of that
account, never a record, while the accounts beside it still give theirs. An entry with both
a balance and an error is neither answer and is refused, as a whole body with both is.
"""

from __future__ import annotations

import pytest

from normalize import (
    MalformedPayload,
    OutcomeKind,
    Scope,
    VendorError,
    VendorErrorCode,
    parse_response,
)

SEND = "mastercard-send"
GOOD = "non_card_token:good"
BAD = "non_card_token:bad"

GOOD_JSON = (
    '{"balance": {"amount": "1000", "currency": "GBP", "state": "IN_CREDIT"},'
    ' "balance_timestamp": "2018-05-18T10:19:22Z", "non_card_token": "' + GOOD + '"}'
)
ERRORS_JSON = (
    '"Errors": {"Error": [{"Source": "non_card_token", "ReasonCode": "ACCOUNT_UNAVAILABLE",'
    ' "Description": "Balance not available", "Recoverable": false}]}'
)
BALANCE_JSON = '"balance": {"amount": "5000", "currency": "GBP", "state": "IN_CREDIT"}'

GOOD_XML = (
    "<account_balance><balance><amount>1000</amount><currency>GBP</currency>"
    "<state>IN_CREDIT</state></balance>"
    f"<balance_timestamp>2018-05-18T10:19:22Z</balance_timestamp>"
    f"<non_card_token>{GOOD}</non_card_token></account_balance>"
)
ERROR_ITEM_XML = (
    "<Error><Source>non_card_token</Source><ReasonCode>ACCOUNT_UNAVAILABLE</ReasonCode>"
    "<Description>Balance not available</Description><Recoverable>false</Recoverable></Error>"
)
ERRORS_XML = f"<Errors>{ERROR_ITEM_XML}</Errors>"
BALANCE_XML = (
    "<balance><amount>5000</amount><currency>GBP</currency><state>IN_CREDIT</state></balance>"
)


def _many_json(bad: str) -> str:
    return '{"account-balances": [' + GOOD_JSON + ", {" + bad + "}]}"


def _many_xml(bad: str) -> str:
    return (
        f"<account-balances>{GOOD_XML}<account_balance>{bad}</account_balance></account-balances>"
    )


def _error_only(form: str) -> str:
    if form == "json":
        return _many_json(f'"non_card_token": "{BAD}", {ERRORS_JSON}')
    return _many_xml(f"<non_card_token>{BAD}</non_card_token>{ERRORS_XML}")


def _assert_account_error(error: object) -> None:
    assert type(error) is VendorError
    assert error.vendor == SEND
    assert error.vendor_code == "ACCOUNT_UNAVAILABLE"
    assert error.vendor_message == "Balance not available"
    # Send's reason codes are not documented: the code comes from the status, as for the
    # top-level Errors body (no status: UNKNOWN).
    assert error.code is VendorErrorCode.UNKNOWN
    assert error.account_id == BAD


@pytest.mark.parametrize("form", ["json", "xml"])
def test_an_account_with_errors_is_a_problem_and_the_others_give_records(form: str) -> None:
    body = _error_only(form)
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [record.account_id for record in outcome.records] == [GOOD]
    assert [str(record.amount) for record in outcome.records] == ["10.00"]
    (problem,) = outcome.problems
    assert problem.scope is Scope.ACCOUNT
    assert problem.path == "$.account-balances[1].Errors"
    assert problem.account_id == BAD
    _assert_account_error(problem.error)


def test_json_and_xml_give_the_same_outcome() -> None:
    json_outcome = parse_response(SEND, _error_only("json"))
    xml_outcome = parse_response(SEND, _error_only("xml"))
    assert json_outcome.records == xml_outcome.records
    assert [(p.scope, p.path, p.account_id) for p in json_outcome.problems] == [
        (p.scope, p.path, p.account_id) for p in xml_outcome.problems
    ]


def test_several_error_items_in_xml_report_the_first() -> None:
    second = ERROR_ITEM_XML.replace("ACCOUNT_UNAVAILABLE", "SECOND")
    body = _many_xml(
        f"<non_card_token>{BAD}</non_card_token><Errors>{ERROR_ITEM_XML}{second}</Errors>"
    )
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    (problem,) = outcome.problems
    assert problem.path == "$.account-balances[1].Errors"
    _assert_account_error(problem.error)


@pytest.mark.parametrize("form", ["json", "xml"])
def test_an_account_with_errors_and_no_token_has_no_account_id(form: str) -> None:
    body = _many_json(ERRORS_JSON) if form == "json" else _many_xml(ERRORS_XML)
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    (problem,) = outcome.problems
    assert problem.scope is Scope.ACCOUNT
    assert problem.path == "$.account-balances[1].Errors"
    assert problem.account_id is None
    assert type(problem.error) is VendorError
    assert problem.error.vendor_code == "ACCOUNT_UNAVAILABLE"


@pytest.mark.parametrize("form", ["json", "xml"])
def test_an_account_with_both_a_balance_and_errors_is_refused_alone(form: str) -> None:
    if form == "json":
        body = _many_json(f'{BALANCE_JSON}, "non_card_token": "{BAD}", {ERRORS_JSON}')
    else:
        body = _many_xml(f"{BALANCE_XML}<non_card_token>{BAD}</non_card_token>{ERRORS_XML}")
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [record.account_id for record in outcome.records] == [GOOD]
    (problem,) = outcome.problems
    assert problem.scope is Scope.ACCOUNT
    assert problem.path == "$.account-balances[1]"
    assert problem.account_id == BAD
    assert type(problem.error) is MalformedPayload
    assert problem.error.field == "$.account-balances[1]"
    assert "both a balance and an error" in str(problem.error)


@pytest.mark.parametrize("form", ["json", "xml"])
def test_only_accounts_with_errors_is_a_vendor_error(form: str) -> None:
    if form == "json":
        body = '{"account-balances": [{"non_card_token": "' + BAD + '", ' + ERRORS_JSON + "}]}"
    else:
        body = (
            "<account-balances><account_balance>"
            f"<non_card_token>{BAD}</non_card_token>{ERRORS_XML}"
            "</account_balance></account-balances>"
        )
    outcome = parse_response(SEND, body, operation="getAccountBalances")
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    assert outcome.records == ()
    (problem,) = outcome.problems
    assert (problem.scope, problem.path) == (Scope.ACCOUNT, "$.account-balances[0].Errors")
    _assert_account_error(problem.error)


@pytest.mark.parametrize("form", ["json", "xml"])
def test_the_one_account_form_follows_the_same_rule(form: str) -> None:
    if form == "json":
        body = (
            '{"account_balances": {"account_balance": {"non_card_token": "'
            + BAD
            + '", '
            + ERRORS_JSON
            + "}}}"
        )
    else:
        body = (
            "<account_balances><account_balance>"
            f"<non_card_token>{BAD}</non_card_token>{ERRORS_XML}"
            "</account_balance></account_balances>"
        )
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.VENDOR_ERROR
    (problem,) = outcome.problems
    assert problem.scope is Scope.ACCOUNT
    assert problem.path == "$.account_balances.account_balance.Errors"
    assert problem.account_id == BAD
    _assert_account_error(problem.error)


def test_an_unusable_nested_errors_object_is_a_problem_of_that_account() -> None:
    body = _many_json(f'"non_card_token": "{BAD}", "Errors": {{"Error": "not a list"}}')
    outcome = parse_response(SEND, body)
    assert outcome.kind is OutcomeKind.PARTIAL
    assert [record.account_id for record in outcome.records] == [GOOD]
    (problem,) = outcome.problems
    assert problem.scope is Scope.ACCOUNT
    assert problem.account_id == BAD
    assert problem.error.field == "$.account-balances[1].Errors.Error"


def test_strict_call_raises_the_account_error() -> None:
    from normalize import normalize_response

    with pytest.raises(VendorError) as caught:
        normalize_response(SEND, _error_only("json"))
    assert caught.value.account_id == BAD
