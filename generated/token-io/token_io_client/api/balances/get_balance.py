from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_balance_response import GetBalanceResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    account_id: str,
    *,
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["on-behalf-of"] = on_behalf_of

    if not isinstance(token_customer_ip_address, Unset):
        headers["token-customer-ip-address"] = token_customer_ip_address

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/accounts/{account_id}/balance".format(
            account_id=quote(str(account_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetBalanceResponse | None:
    if response.status_code == 200:
        response_200 = GetBalanceResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | GetBalanceResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> Response[ErrorResponse | GetBalanceResponse]:
    """Balance of one account

     Returns the balances (current, available, and any others the bank reports) of one
    account the user has shared through the consent named in `on-behalf-of`. Check
    `status`: only `SUCCESSFUL_REQUEST` carries a balance.

    Args:
        account_id (str):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetBalanceResponse]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        on_behalf_of=on_behalf_of,
        token_customer_ip_address=token_customer_ip_address,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> ErrorResponse | GetBalanceResponse | None:
    """Balance of one account

     Returns the balances (current, available, and any others the bank reports) of one
    account the user has shared through the consent named in `on-behalf-of`. Check
    `status`: only `SUCCESSFUL_REQUEST` carries a balance.

    Args:
        account_id (str):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetBalanceResponse
    """

    return sync_detailed(
        account_id=account_id,
        client=client,
        on_behalf_of=on_behalf_of,
        token_customer_ip_address=token_customer_ip_address,
    ).parsed


async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> Response[ErrorResponse | GetBalanceResponse]:
    """Balance of one account

     Returns the balances (current, available, and any others the bank reports) of one
    account the user has shared through the consent named in `on-behalf-of`. Check
    `status`: only `SUCCESSFUL_REQUEST` carries a balance.

    Args:
        account_id (str):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetBalanceResponse]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        on_behalf_of=on_behalf_of,
        token_customer_ip_address=token_customer_ip_address,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> ErrorResponse | GetBalanceResponse | None:
    """Balance of one account

     Returns the balances (current, available, and any others the bank reports) of one
    account the user has shared through the consent named in `on-behalf-of`. Check
    `status`: only `SUCCESSFUL_REQUEST` carries a balance.

    Args:
        account_id (str):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetBalanceResponse
    """

    return (
        await asyncio_detailed(
            account_id=account_id,
            client=client,
            on_behalf_of=on_behalf_of,
            token_customer_ip_address=token_customer_ip_address,
        )
    ).parsed
