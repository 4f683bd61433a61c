"""What the two Mastercard Open Finance (formerly Finicity) regions share on the live path:
the server, the credentials and their app key and app token auth, and the checks on
customer and account ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from . import _checks
from ._auth import Credential, FinicityAuth, VendorAuth

ENVIRONMENTS = {"production": "https://api.finicity.com"}
BASE_URL = ENVIRONMENTS["production"]
"""One server for production and testing: test customers and institutions (FinBank) are
told apart by the account, not the host."""

CREDENTIALS = (
    Credential(name="app_key"),
    Credential(name="partner_id"),
    Credential(name="partner_secret"),
)

# specs/mastercard-open-finance-*/openapi.yaml, parameters CustomerId and AccountId.
ID = re.compile(r"^[0-9]+$")
ID_MAX_LENGTH = 20


def ids(vendor: str, customer_id: object, account_id: object) -> tuple[str, str]:
    return (
        _checks.text(
            customer_id, vendor=vendor, field="customerId", max_length=ID_MAX_LENGTH, pattern=ID
        ),
        _checks.text(
            account_id, vendor=vendor, field="accountId", max_length=ID_MAX_LENGTH, pattern=ID
        ),
    )


def auth(
    create_token: ModuleType, partner_credentials: Callable[..., Any]
) -> Callable[[str, str, Mapping[str, Any]], VendorAuth]:
    """The description's auth: FinicityAuth whose token request is built by the region's
    generated createToken."""

    def token_request(partner_id: str, partner_secret: str) -> dict[str, Any]:
        body = partner_credentials(partner_id=partner_id, partner_secret=partner_secret)
        kwargs: dict[str, Any] = create_token._get_kwargs(body=body)
        return kwargs

    def build(vendor: str, base_url: str, credentials: Mapping[str, Any]) -> VendorAuth:
        return FinicityAuth(
            vendor=vendor,
            base_url=base_url,
            app_key=credentials["app_key"],
            partner_id=credentials["partner_id"],
            partner_secret=credentials["partner_secret"],
            token_request=token_request,
        )

    return build
