from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_balance_envelope import AccountBalanceEnvelope
from ...models.errors import Errors
from ...types import Response


def _get_kwargs(
    partner_id: str,
    non_card_token: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/partners/{partner_id}/non-card-tokens/{non_card_token}/account-balance".format(
            partner_id=quote(str(partner_id), safe=""),
            non_card_token=quote(str(non_card_token), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountBalanceEnvelope | Errors | None:
    if response.status_code == 200:
        response_200 = AccountBalanceEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Errors.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Errors.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Errors.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Errors.from_dict(response.json())

        return response_404

    if response.status_code == 500:
        response_500 = Errors.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccountBalanceEnvelope | Errors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    partner_id: str,
    non_card_token: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[AccountBalanceEnvelope | Errors]:
    """Balance of one account

     Returns the balance of the single bank account that the `non_card_token` stands for,
    wrapped as `account_balances.account_balance` (JSON) or
    `<account_balances><account_balance>` (XML). In MTF any account returns a credit
    balance of 11223344.

    Args:
        partner_id (str):
        non_card_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBalanceEnvelope | Errors]
    """

    kwargs = _get_kwargs(
        partner_id=partner_id,
        non_card_token=non_card_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    partner_id: str,
    non_card_token: str,
    *,
    client: AuthenticatedClient | Client,
) -> AccountBalanceEnvelope | Errors | None:
    """Balance of one account

     Returns the balance of the single bank account that the `non_card_token` stands for,
    wrapped as `account_balances.account_balance` (JSON) or
    `<account_balances><account_balance>` (XML). In MTF any account returns a credit
    balance of 11223344.

    Args:
        partner_id (str):
        non_card_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBalanceEnvelope | Errors
    """

    return sync_detailed(
        partner_id=partner_id,
        non_card_token=non_card_token,
        client=client,
    ).parsed


async def asyncio_detailed(
    partner_id: str,
    non_card_token: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[AccountBalanceEnvelope | Errors]:
    """Balance of one account

     Returns the balance of the single bank account that the `non_card_token` stands for,
    wrapped as `account_balances.account_balance` (JSON) or
    `<account_balances><account_balance>` (XML). In MTF any account returns a credit
    balance of 11223344.

    Args:
        partner_id (str):
        non_card_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBalanceEnvelope | Errors]
    """

    kwargs = _get_kwargs(
        partner_id=partner_id,
        non_card_token=non_card_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    partner_id: str,
    non_card_token: str,
    *,
    client: AuthenticatedClient | Client,
) -> AccountBalanceEnvelope | Errors | None:
    """Balance of one account

     Returns the balance of the single bank account that the `non_card_token` stands for,
    wrapped as `account_balances.account_balance` (JSON) or
    `<account_balances><account_balance>` (XML). In MTF any account returns a credit
    balance of 11223344.

    Args:
        partner_id (str):
        non_card_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBalanceEnvelope | Errors
    """

    return (
        await asyncio_detailed(
            partner_id=partner_id,
            non_card_token=non_card_token,
            client=client,
        )
    ).parsed
