from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.pin_sign_in import PinSignIn
from ...models.problem_details import ProblemDetails
from ...models.token_response import TokenResponse
from ...types import Response


def _get_kwargs(
    *,
    body: PinSignIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/pin",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

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
) -> Response[ProblemDetails | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PinSignIn,
) -> Response[ProblemDetails | TokenResponse]:
    """Sign In With Pin

     A staff member signs in on an activated device. Send a DPoP proof signed by the key
    the device registered at activation; the session is bound to that key.

    The cheap questions come first and a request that fails one is refused without any PIN
    check: the handle's shape, the business, the DPoP proof, the device, its status and its
    key. Only a caller holding an active device's key reaches argon2, within its budget.

    Args:
        body (PinSignIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TokenResponse]
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
    body: PinSignIn,
) -> ProblemDetails | TokenResponse | None:
    """Sign In With Pin

     A staff member signs in on an activated device. Send a DPoP proof signed by the key
    the device registered at activation; the session is bound to that key.

    The cheap questions come first and a request that fails one is refused without any PIN
    check: the handle's shape, the business, the DPoP proof, the device, its status and its
    key. Only a caller holding an active device's key reaches argon2, within its budget.

    Args:
        body (PinSignIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PinSignIn,
) -> Response[ProblemDetails | TokenResponse]:
    """Sign In With Pin

     A staff member signs in on an activated device. Send a DPoP proof signed by the key
    the device registered at activation; the session is bound to that key.

    The cheap questions come first and a request that fails one is refused without any PIN
    check: the handle's shape, the business, the DPoP proof, the device, its status and its
    key. Only a caller holding an active device's key reaches argon2, within its budget.

    Args:
        body (PinSignIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PinSignIn,
) -> ProblemDetails | TokenResponse | None:
    """Sign In With Pin

     A staff member signs in on an activated device. Send a DPoP proof signed by the key
    the device registered at activation; the session is bound to that key.

    The cheap questions come first and a request that fails one is refused without any PIN
    check: the handle's shape, the business, the DPoP proof, the device, its status and its
    key. Only a caller holding an active device's key reaches argon2, within its budget.

    Args:
        body (PinSignIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
