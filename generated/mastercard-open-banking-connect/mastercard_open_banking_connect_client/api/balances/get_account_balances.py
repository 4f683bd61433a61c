from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_balances_request import AccountBalancesRequest
from ...models.account_balances_response import AccountBalancesResponse
from ...models.errors import Errors
from ...types import Response


def _get_kwargs(
    *,
    body: AccountBalancesRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/account/balances",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountBalancesResponse | Errors | None:
    if response.status_code == 200:
        response_200 = AccountBalancesResponse.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = Errors.from_dict(response.json())

        return response_500

    if response.status_code == 504:
        response_504 = Errors.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AccountBalancesResponse | Errors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccountBalancesRequest,
) -> Response[AccountBalancesResponse | Errors]:
    """Read the balances of one consented account

     Returns the balances the ASPSP reports for the account identified by accountId, using the consent
    referenced by requestInfo.consentId. Amounts are unsigned; the sign of each balance is given by
    creditDebitIndicator (a zero balance is a credit balance).

    Args:
        body (AccountBalancesRequest): Body of a Get Account Balances request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBalancesResponse | Errors]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: AccountBalancesRequest,
) -> AccountBalancesResponse | Errors | None:
    """Read the balances of one consented account

     Returns the balances the ASPSP reports for the account identified by accountId, using the consent
    referenced by requestInfo.consentId. Amounts are unsigned; the sign of each balance is given by
    creditDebitIndicator (a zero balance is a credit balance).

    Args:
        body (AccountBalancesRequest): Body of a Get Account Balances request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBalancesResponse | Errors
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: AccountBalancesRequest,
) -> Response[AccountBalancesResponse | Errors]:
    """Read the balances of one consented account

     Returns the balances the ASPSP reports for the account identified by accountId, using the consent
    referenced by requestInfo.consentId. Amounts are unsigned; the sign of each balance is given by
    creditDebitIndicator (a zero balance is a credit balance).

    Args:
        body (AccountBalancesRequest): Body of a Get Account Balances request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountBalancesResponse | Errors]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: AccountBalancesRequest,
) -> AccountBalancesResponse | Errors | None:
    """Read the balances of one consented account

     Returns the balances the ASPSP reports for the account identified by accountId, using the consent
    referenced by requestInfo.consentId. Amounts are unsigned; the sign of each balance is given by
    creditDebitIndicator (a zero balance is a credit balance).

    Args:
        body (AccountBalancesRequest): Body of a Get Account Balances request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountBalancesResponse | Errors
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
