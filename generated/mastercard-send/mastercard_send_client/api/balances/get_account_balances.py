from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_balance_list import AccountBalanceList
from ...models.errors import Errors
from ...types import Response


def _get_kwargs(
    partner_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/partners/{partner_id}/account-balances".format(
            partner_id=quote(str(partner_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountBalanceList | Errors | None:
    if response.status_code == 200:
        response_200 = AccountBalanceList.from_dict(response.json())

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
) -> Response[AccountBalanceList | Errors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    partner_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[AccountBalanceList | Errors]:
    """Balances of all of a partner's accounts

     Returns the balance of every bank account held for the partner, as the array
    `account-balances` (JSON, note the hyphen) or as repeated `<account_balance>` elements
    inside `<account-balances>` (XML).

    Args:
        partner_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBalanceList | Errors]
    """

    kwargs = _get_kwargs(
        partner_id=partner_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    partner_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> AccountBalanceList | Errors | None:
    """Balances of all of a partner's accounts

     Returns the balance of every bank account held for the partner, as the array
    `account-balances` (JSON, note the hyphen) or as repeated `<account_balance>` elements
    inside `<account-balances>` (XML).

    Args:
        partner_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBalanceList | Errors
    """

    return sync_detailed(
        partner_id=partner_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    partner_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[AccountBalanceList | Errors]:
    """Balances of all of a partner's accounts

     Returns the balance of every bank account held for the partner, as the array
    `account-balances` (JSON, note the hyphen) or as repeated `<account_balance>` elements
    inside `<account-balances>` (XML).

    Args:
        partner_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBalanceList | Errors]
    """

    kwargs = _get_kwargs(
        partner_id=partner_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    partner_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> AccountBalanceList | Errors | None:
    """Balances of all of a partner's accounts

     Returns the balance of every bank account held for the partner, as the array
    `account-balances` (JSON, note the hyphen) or as repeated `<account_balance>` elements
    inside `<account-balances>` (XML).

    Args:
        partner_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBalanceList | Errors
    """

    return (
        await asyncio_detailed(
            partner_id=partner_id,
            client=client,
        )
    ).parsed
