from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_balances_response import GetBalancesResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    account_id: list[str],
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["on-behalf-of"] = on_behalf_of

    if not isinstance(token_customer_ip_address, Unset):
        headers["token-customer-ip-address"] = token_customer_ip_address

    params: dict[str, Any] = {}

    json_account_id = account_id

    params["accountId"] = json_account_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/account-balance",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetBalancesResponse | None:
    if response.status_code == 200:
        response_200 = GetBalancesResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetBalancesResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    account_id: list[str],
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> Response[ErrorResponse | GetBalancesResponse]:
    """Balances of several accounts

     Returns one result per requested account, each with its own `status`, for accounts the
    user has shared through the consent named in `on-behalf-of`. Account ids are passed as a
    repeated query parameter: `?accountId=A&accountId=B`.

    Args:
        account_id (list[str]):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetBalancesResponse]
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
    *,
    client: AuthenticatedClient | Client,
    account_id: list[str],
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> ErrorResponse | GetBalancesResponse | None:
    """Balances of several accounts

     Returns one result per requested account, each with its own `status`, for accounts the
    user has shared through the consent named in `on-behalf-of`. Account ids are passed as a
    repeated query parameter: `?accountId=A&accountId=B`.

    Args:
        account_id (list[str]):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetBalancesResponse
    """

    return sync_detailed(
        client=client,
        account_id=account_id,
        on_behalf_of=on_behalf_of,
        token_customer_ip_address=token_customer_ip_address,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    account_id: list[str],
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> Response[ErrorResponse | GetBalancesResponse]:
    """Balances of several accounts

     Returns one result per requested account, each with its own `status`, for accounts the
    user has shared through the consent named in `on-behalf-of`. Account ids are passed as a
    repeated query parameter: `?accountId=A&accountId=B`.

    Args:
        account_id (list[str]):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetBalancesResponse]
    """

    kwargs = _get_kwargs(
        account_id=account_id,
        on_behalf_of=on_behalf_of,
        token_customer_ip_address=token_customer_ip_address,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    account_id: list[str],
    on_behalf_of: str,
    token_customer_ip_address: str | Unset = UNSET,
) -> ErrorResponse | GetBalancesResponse | None:
    """Balances of several accounts

     Returns one result per requested account, each with its own `status`, for accounts the
    user has shared through the consent named in `on-behalf-of`. Account ids are passed as a
    repeated query parameter: `?accountId=A&accountId=B`.

    Args:
        account_id (list[str]):
        on_behalf_of (str):
        token_customer_ip_address (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetBalancesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            account_id=account_id,
            on_behalf_of=on_behalf_of,
            token_customer_ip_address=token_customer_ip_address,
        )
    ).parsed
