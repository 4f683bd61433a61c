"""Mastercard Open Banking Connect, live: the balances of one consented account.

``account_balances`` builds the ``getAccountBalances`` POST body (``requestInfo`` and
``accountId``) with the generated client's models and checks it against our spec before
anything is sent: ``psuIPAddress`` is required when ``isLivePsuRequest`` is true (the vendor
answers FORMAT_ERROR otherwise; our spec cannot express the condition, so it is checked
here), ids and lengths follow the spec's patterns, and the merchant needs both id and name.
A refused request raises ``InvalidRequest`` (a NormalizeError). ``xRequestId`` is a fresh
UUID unless given; it is the VendorError's ``trace_id``, the id Mastercard support asks
for. ``isLivePsuRequest`` is always sent (false unless asked). Auth: Mastercard OAuth 1.0a
signing over the exact body bytes sent (``consumer_key``, and the PKCS#12 ``signing_key``,
a file path or the file's bytes, with its ``signing_key_password``).
"""

from __future__ import annotations

import re
import uuid

from mastercard_open_banking_connect_client import Client
from mastercard_open_banking_connect_client.api.balances import get_account_balances
from mastercard_open_banking_connect_client.models import (
    AccountBalancesRequest,
    Merchant,
    RequestInfo,
)
from mastercard_open_banking_connect_client.types import UNSET

from ..._errors import InvalidRequest
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

VENDOR = "mastercard-open-banking-connect"
ENVIRONMENTS = {
    "production": "https://api.mastercard.com/openbanking/connect/api",
    "sandbox": "https://sandbox.api.mastercard.com/openbanking/connect/api",
}
# The names earlier versions exported.
BASE_URL = ENVIRONMENTS["production"]
SANDBOX_URL = ENVIRONMENTS["sandbox"]

# specs/mastercard-open-banking-connect/openapi.yaml, RequestInfo.psuIPAddress: the vendor's
# IPv4/IPv6 expression.
PSU_IP_ADDRESS = re.compile(
    r"(^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}"
    r"|2[0-4][0-9]|25[0-5])$)|(^(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:)"
    r"{1,7}:|([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]"
    r"{1,4}){1,2}|([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|([0-9a-fA-F]{1,4}:){1,3}"
    r"(:[0-9a-fA-F]{1,4}){1,4}|([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|[0-9a-fA-F]"
    r"{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|:((:[0-9a-fA-F]{1,4}){1,7}|:)|fe80:(:[0-9a-fA-F]{0,4})"
    r"{0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}"
    r"[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])|([0-9a-fA-F]{1,4}:){1,4}:((25"
    r"[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))$)"
)
MAX_LENGTH = 256


def account_balances(
    account_id: str,
    *,
    consent_id: str,
    aspsp_id: str,
    is_live_psu_request: bool = False,
    psu_ip_address: str | None = None,
    psu_agent: str | None = None,
    psu_tpp_customer_id: str | None = None,
    merchant_id: str | None = None,
    merchant_name: str | None = None,
    x_request_id: str | None = None,
) -> Call:
    """The balances of one account under consent ``consent_id`` at ASPSP ``aspsp_id``.
    ``psu_ip_address`` is required when ``is_live_psu_request`` (refused before sending
    otherwise, InvalidRequest, as anything else the vendor would refuse); ``x_request_id``
    is a new UUID unless given."""

    def text(value: object, field: str, pattern: re.Pattern[str] | None = None) -> str:
        return _checks.text(
            value, vendor=VENDOR, field=field, max_length=MAX_LENGTH, pattern=pattern
        )

    def optional(value: object, field: str, pattern: re.Pattern[str] | None = None) -> str | None:
        return None if value is None else text(value, field, pattern)

    if not isinstance(is_live_psu_request, bool):
        raise InvalidRequest(
            vendor=VENDOR,
            field="$.requestInfo.isLivePsuRequest",
            value=is_live_psu_request,
            detail="expected true or false",
        )
    if is_live_psu_request and psu_ip_address is None:
        raise InvalidRequest(
            vendor=VENDOR,
            field="$.requestInfo.psuIPAddress",
            value=None,
            detail="required when isLivePsuRequest is true",
        )
    if (merchant_id is None) != (merchant_name is None):
        raise InvalidRequest(
            vendor=VENDOR,
            field="$.requestInfo.merchant",
            value=None,
            detail="give both merchant_id and merchant_name, or neither",
        )
    request_id = (
        text(x_request_id, "$.requestInfo.xRequestId", _checks.UUID)
        if x_request_id is not None
        else str(uuid.uuid4())
    )
    ip_address = optional(psu_ip_address, "$.requestInfo.psuIPAddress", PSU_IP_ADDRESS)
    agent = optional(psu_agent, "$.requestInfo.psuAgent")
    customer = optional(psu_tpp_customer_id, "$.requestInfo.psuTppCustomerId")
    merchant = (
        Merchant(
            id=text(merchant_id, "$.requestInfo.merchant.id"),
            name=text(merchant_name, "$.requestInfo.merchant.name"),
        )
        if merchant_id is not None
        else UNSET
    )
    body = AccountBalancesRequest(
        request_info=RequestInfo(
            x_request_id=request_id,
            consent_id=text(consent_id, "$.requestInfo.consentId"),
            aspsp_id=text(aspsp_id, "$.requestInfo.aspspId", _checks.UUID),
            is_live_psu_request=is_live_psu_request,
            psu_ip_address=UNSET if ip_address is None else ip_address,
            psu_agent=UNSET if agent is None else agent,
            psu_tpp_customer_id=UNSET if customer is None else customer,
            merchant=merchant,
        ),
        account_id=text(account_id, "$.accountId"),
    )
    return Call(
        vendor=VENDOR,
        operation="getAccountBalances",
        request=with_accept(get_account_balances._get_kwargs(body=body), "application/json"),
        trace_id=request_id,
    )


class _Operations:
    account_balances = Operation(operation_id="getAccountBalances", build=account_balances)


DESCRIPTION = VendorDescription(
    vendor=VENDOR,
    title="Mastercard Open Banking Connect",
    environments=ENVIRONMENTS,
    generated_client=Client,
    credentials=MASTERCARD_CREDENTIALS,
    auth=mastercard_oauth1,
    operations=operations_of(_Operations),
)


class OpenBankingConnectOutcomes(_Operations, SyncOutcomes):
    """``OpenBankingConnect(...).outcome``: each operation returning the call's Outcome."""


class AsyncOpenBankingConnectOutcomes(_Operations, AsyncOutcomes):
    """``AsyncOpenBankingConnect(...).outcome``: each operation a coroutine of an Outcome."""


class OpenBankingConnect(_Operations, SyncClient):
    """Mastercard Open Banking Connect balances, blocking (arguments: see ``SyncClient``)."""

    description = DESCRIPTION
    outcome = OutcomeForm(OpenBankingConnectOutcomes)


class AsyncOpenBankingConnect(_Operations, AsyncClient):
    """Mastercard Open Banking Connect balances, asyncio; as ``OpenBankingConnect``."""

    description = DESCRIPTION
    outcome = OutcomeForm(AsyncOpenBankingConnectOutcomes)
