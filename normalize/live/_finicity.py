"""What the two Mastercard Open Finance (formerly Finicity) regions share on the live path:
the app key and app token auth, and the checks on customer and account ids."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from . import _checks
from ._auth import FinicityAuth, Secret

BASE_URL = "https://api.finicity.com"

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
    *,
    vendor: str,
    base_url: str,
    app_key: str | Secret,
    partner_id: str | Secret,
    partner_secret: str | Secret,
    create_token: ModuleType,
    partner_credentials: Callable[..., Any],
) -> FinicityAuth:
    """FinicityAuth whose token request is built by the region's generated createToken."""

    def token_request(partner_id: str, partner_secret: str) -> dict[str, Any]:
        body = partner_credentials(partner_id=partner_id, partner_secret=partner_secret)
        kwargs: dict[str, Any] = create_token._get_kwargs(body=body)
        return kwargs

    return FinicityAuth(
        vendor=vendor,
        base_url=base_url,
        app_key=app_key,
        partner_id=partner_id,
        partner_secret=partner_secret,
        token_request=token_request,
    )
