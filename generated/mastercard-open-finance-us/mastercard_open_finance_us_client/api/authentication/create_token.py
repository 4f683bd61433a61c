from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_message import ErrorMessage
from ...models.partner_access_token import PartnerAccessToken
from ...models.partner_credentials import PartnerCredentials
from ...types import Response


def _get_kwargs(
    *,
    body: PartnerCredentials,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/aggregation/v2/partners/authentication",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorMessage | PartnerAccessToken | None:
    if response.status_code == 200:
        response_200 = PartnerAccessToken.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorMessage.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorMessage.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorMessage | PartnerAccessToken]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PartnerCredentials,
) -> Response[ErrorMessage | PartnerAccessToken]:
    """Create an app token

     Exchanges the partner id and partner secret for an app token. Send the token in
    the `Finicity-App-Token` header of the other calls. A token stays valid for about
    two hours; request a new one before it runs out.

    The vendor expects `Accept: application/json` and `Content-Type: application/json`
    on every call.

    Args:
        body (PartnerCredentials): Partner credentials exchanged for an app token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorMessage | PartnerAccessToken]
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
    client: AuthenticatedClient,
    body: PartnerCredentials,
) -> ErrorMessage | PartnerAccessToken | None:
    """Create an app token

     Exchanges the partner id and partner secret for an app token. Send the token in
    the `Finicity-App-Token` header of the other calls. A token stays valid for about
    two hours; request a new one before it runs out.

    The vendor expects `Accept: application/json` and `Content-Type: application/json`
    on every call.

    Args:
        body (PartnerCredentials): Partner credentials exchanged for an app token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorMessage | PartnerAccessToken
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PartnerCredentials,
) -> Response[ErrorMessage | PartnerAccessToken]:
    """Create an app token

     Exchanges the partner id and partner secret for an app token. Send the token in
    the `Finicity-App-Token` header of the other calls. A token stays valid for about
    two hours; request a new one before it runs out.

    The vendor expects `Accept: application/json` and `Content-Type: application/json`
    on every call.

    Args:
        body (PartnerCredentials): Partner credentials exchanged for an app token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorMessage | PartnerAccessToken]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PartnerCredentials,
) -> ErrorMessage | PartnerAccessToken | None:
    """Create an app token

     Exchanges the partner id and partner secret for an app token. Send the token in
    the `Finicity-App-Token` header of the other calls. A token stays valid for about
    two hours; request a new one before it runs out.

    The vendor expects `Accept: application/json` and `Content-Type: application/json`
    on every call.

    Args:
        body (PartnerCredentials): Partner credentials exchanged for an app token.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorMessage | PartnerAccessToken
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
