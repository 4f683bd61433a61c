from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.available_balance import AvailableBalance
from ...models.error_message import ErrorMessage
from ...types import Response


def _get_kwargs(
    customer_id: str,
    account_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/aggregation/v1/customers/{customer_id}/accounts/{account_id}/availableBalance".format(
            customer_id=quote(str(customer_id), safe=""),
            account_id=quote(str(account_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AvailableBalance | ErrorMessage | None:
    if response.status_code == 200:
        response_200 = AvailableBalance.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorMessage.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorMessage.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorMessage.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorMessage.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorMessage.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AvailableBalance | ErrorMessage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    customer_id: str,
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[AvailableBalance | ErrorMessage]:
    """Get the cached available and cleared balance of an account

     Returns the most recent balance the platform has cached for one customer account,
    without contacting the financial institution. Useful when low latency matters or
    the institution cannot be reached. The cache is filled by scheduled aggregation
    batches, by account refreshes and by successful calls to
    `GetAvailableBalanceLive`.

    Answers 404 when no balance has ever been cached for the account; call
    `GetAvailableBalanceLive` (or refresh the customer's accounts) first.

    The vendor expects `Accept: application/json` on every call; responses are JSON.

    Args:
        customer_id (str):
        account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AvailableBalance | ErrorMessage]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        account_id=account_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    customer_id: str,
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> AvailableBalance | ErrorMessage | None:
    """Get the cached available and cleared balance of an account

     Returns the most recent balance the platform has cached for one customer account,
    without contacting the financial institution. Useful when low latency matters or
    the institution cannot be reached. The cache is filled by scheduled aggregation
    batches, by account refreshes and by successful calls to
    `GetAvailableBalanceLive`.

    Answers 404 when no balance has ever been cached for the account; call
    `GetAvailableBalanceLive` (or refresh the customer's accounts) first.

    The vendor expects `Accept: application/json` on every call; responses are JSON.

    Args:
        customer_id (str):
        account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AvailableBalance | ErrorMessage
    """

    return sync_detailed(
        customer_id=customer_id,
        account_id=account_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    customer_id: str,
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[AvailableBalance | ErrorMessage]:
    """Get the cached available and cleared balance of an account

     Returns the most recent balance the platform has cached for one customer account,
    without contacting the financial institution. Useful when low latency matters or
    the institution cannot be reached. The cache is filled by scheduled aggregation
    batches, by account refreshes and by successful calls to
    `GetAvailableBalanceLive`.

    Answers 404 when no balance has ever been cached for the account; call
    `GetAvailableBalanceLive` (or refresh the customer's accounts) first.

    The vendor expects `Accept: application/json` on every call; responses are JSON.

    Args:
        customer_id (str):
        account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AvailableBalance | ErrorMessage]
    """

    kwargs = _get_kwargs(
        customer_id=customer_id,
        account_id=account_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    customer_id: str,
    account_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> AvailableBalance | ErrorMessage | None:
    """Get the cached available and cleared balance of an account

     Returns the most recent balance the platform has cached for one customer account,
    without contacting the financial institution. Useful when low latency matters or
    the institution cannot be reached. The cache is filled by scheduled aggregation
    batches, by account refreshes and by successful calls to
    `GetAvailableBalanceLive`.

    Answers 404 when no balance has ever been cached for the account; call
    `GetAvailableBalanceLive` (or refresh the customer's accounts) first.

    The vendor expects `Accept: application/json` on every call; responses are JSON.

    Args:
        customer_id (str):
        account_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AvailableBalance | ErrorMessage
    """

    return (
        await asyncio_detailed(
            customer_id=customer_id,
            account_id=account_id,
            client=client,
        )
    ).parsed
