from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bridge_token_create import BridgeTokenCreate
from ...models.bridge_token_created import BridgeTokenCreated
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    *,
    body: BridgeTokenCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/security/bridge-tokens",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BridgeTokenCreated | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = BridgeTokenCreated.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BridgeTokenCreated | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BridgeTokenCreate,
) -> Response[BridgeTokenCreated | ProblemDetails]:
    """Create Bridge Token

     A token for one venue's Bridge. The answer is the only time `token` is shown: put it
    on the Bridge now. Only a hash of it is kept.

    Args:
        body (BridgeTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BridgeTokenCreated | ProblemDetails]
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
    body: BridgeTokenCreate,
) -> BridgeTokenCreated | ProblemDetails | None:
    """Create Bridge Token

     A token for one venue's Bridge. The answer is the only time `token` is shown: put it
    on the Bridge now. Only a hash of it is kept.

    Args:
        body (BridgeTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BridgeTokenCreated | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BridgeTokenCreate,
) -> Response[BridgeTokenCreated | ProblemDetails]:
    """Create Bridge Token

     A token for one venue's Bridge. The answer is the only time `token` is shown: put it
    on the Bridge now. Only a hash of it is kept.

    Args:
        body (BridgeTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BridgeTokenCreated | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BridgeTokenCreate,
) -> BridgeTokenCreated | ProblemDetails | None:
    """Create Bridge Token

     A token for one venue's Bridge. The answer is the only time `token` is shown: put it
    on the Bridge now. Only a hash of it is kept.

    Args:
        body (BridgeTokenCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BridgeTokenCreated | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
