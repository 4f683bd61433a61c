"""Mastercard Send, live: the balance of one account, or of all of a partner's accounts.

``account_balance`` calls ``getAccountBalance`` (one ``non_card_token``),
``account_balances`` calls ``getAccountBalances`` (every account of the partner). JSON by
default (``Accept: application/json``); ``xml=True`` asks for XML (``Accept:
application/xml``), which is parsed with the same hardened reader as captured XML. The
``correlation-id`` response header is logged and becomes the VendorError's ``trace_id``.
Auth: Mastercard OAuth 1.0a signing (body hash of the empty body on these GETs), as Open
Banking Connect.

Hosts: the balance page names ``api.mastercard.com/send`` (production) and
``sandbox.api.mastercard.com/send`` (MTF); the vendor's person-to-person copy of the same
page names ``api.move.mastercard.com/send`` and ``sandbox.api.move.mastercard.com/send``
and says the older hosts are unsupported after 31 March 2027. The newer hosts are the
default (``"production"``, ``"sandbox"``), so that a client written today keeps working
past that date; the older ones stay available by name (``"production-legacy"``,
``"sandbox-legacy"``) for integrations not yet moved.
"""

from __future__ import annotations

from mastercard_send_client import Client
from mastercard_send_client.api.balances import get_account_balance, get_account_balances

from ...live import _checks
from ...live._auth import MASTERCARD_CREDENTIALS, mastercard_oauth1
from ...live._client import (
    AsyncClient,
    AsyncOutcomes,
    Operation,
    OutcomeForm,
    SyncClient,
    SyncOutcomes,
    VendorDescription,
    operations_of,
)
from ...live._transport import Call, with_accept

VENDOR = "mastercard-send"
ENVIRONMENTS = {
    "production": "https://api.move.mastercard.com/send",
    "sandbox": "https://sandbox.api.move.mastercard.com/send",
    "production-legacy": "https://api.mastercard.com/send",
    "sandbox-legacy": "https://sandbox.api.mastercard.com/send",
}
# The names earlier versions exported.
BASE_URL = ENVIRONMENTS["production"]
SANDBOX_URL = ENVIRONMENTS["sandbox"]
TRACE_HEADER = "correlation-id"


def _media_type(xml: bool) -> str:
    return "application/xml" if xml else "application/json"


def account_balance(partner_id: str, non_card_token: str, *, xml: bool = False) -> Call:
    """The balance of the account ``non_card_token`` stands for; XML if ``xml``."""
    partner_id = _checks.text(partner_id, vendor=VENDOR, field="partnerId")
    non_card_token = _checks.text(non_card_token, vendor=VENDOR, field="non_card_token")
    return Call(
        vendor=VENDOR,
        operation="getAccountBalance",
        request=with_accept(
            get_account_balance._get_kwargs(partner_id, non_card_token), _media_type(xml)
        ),
        trace_header=TRACE_HEADER,
    )


def account_balances(partner_id: str, *, xml: bool = False) -> Call:
    """The balances of all of the partner's accounts; XML if ``xml``."""
    partner_id = _checks.text(partner_id, vendor=VENDOR, field="partnerId")
    return Call(
        vendor=VENDOR,
        operation="getAccountBalances",
        request=with_accept(get_account_balances._get_kwargs(partner_id), _media_type(xml)),
        trace_header=TRACE_HEADER,
    )


class _Operations:
    account_balance = Operation(operation_id="getAccountBalance", build=account_balance)
    account_balances = Operation(operation_id="getAccountBalances", build=account_balances)


DESCRIPTION = VendorDescription(
    vendor=VENDOR,
    title="Mastercard Send",
    environments=ENVIRONMENTS,
    generated_client=Client,
    credentials=MASTERCARD_CREDENTIALS,
    auth=mastercard_oauth1,
    operations=operations_of(_Operations),
)


class MastercardSendOutcomes(_Operations, SyncOutcomes):
    """``MastercardSend(...).outcome``: each operation returning the call's Outcome."""


class AsyncMastercardSendOutcomes(_Operations, AsyncOutcomes):
    """``AsyncMastercardSend(...).outcome``: each operation a coroutine of the call's Outcome."""


class MastercardSend(_Operations, SyncClient):
    """Mastercard Send account balances, blocking (arguments: see ``SyncClient``)."""

    description = DESCRIPTION
    outcome = OutcomeForm(MastercardSendOutcomes)


class AsyncMastercardSend(_Operations, AsyncClient):
    """Mastercard Send account balances, asyncio; as ``MastercardSend``."""

    description = DESCRIPTION
    outcome = OutcomeForm(AsyncMastercardSendOutcomes)
