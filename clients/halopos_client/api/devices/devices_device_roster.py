from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.roster import Roster
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    x_device: str,
    if_none_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Device"] = x_device

    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/devices/roster",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ProblemDetails | Roster | None:
    if response.status_code == 200:
        response_200 = Roster.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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
) -> Response[Any | ProblemDetails | Roster]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    x_device: str,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | ProblemDetails | Roster]:
    """Device Roster

     Who may sign in at this till: the active staff with a PIN who work at its venue,
    with the version of the list. For the PIN pad before anyone has signed in, so no access
    token: send a DPoP proof signed by the key the device registered at activation, as at
    PIN sign-in. The venue is the device's own; a revoked device gets no roster.

    Args:
        x_device (str): The device's handle (`device` from activation)
        if_none_match (None | str | Unset): A roster's ETag

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ProblemDetails | Roster]
    """

    kwargs = _get_kwargs(
        x_device=x_device,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    x_device: str,
    if_none_match: None | str | Unset = UNSET,
) -> Any | ProblemDetails | Roster | None:
    """Device Roster

     Who may sign in at this till: the active staff with a PIN who work at its venue,
    with the version of the list. For the PIN pad before anyone has signed in, so no access
    token: send a DPoP proof signed by the key the device registered at activation, as at
    PIN sign-in. The venue is the device's own; a revoked device gets no roster.

    Args:
        x_device (str): The device's handle (`device` from activation)
        if_none_match (None | str | Unset): A roster's ETag

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ProblemDetails | Roster
    """

    return sync_detailed(
        client=client,
        x_device=x_device,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_device: str,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | ProblemDetails | Roster]:
    """Device Roster

     Who may sign in at this till: the active staff with a PIN who work at its venue,
    with the version of the list. For the PIN pad before anyone has signed in, so no access
    token: send a DPoP proof signed by the key the device registered at activation, as at
    PIN sign-in. The venue is the device's own; a revoked device gets no roster.

    Args:
        x_device (str): The device's handle (`device` from activation)
        if_none_match (None | str | Unset): A roster's ETag

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ProblemDetails | Roster]
    """

    kwargs = _get_kwargs(
        x_device=x_device,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    x_device: str,
    if_none_match: None | str | Unset = UNSET,
) -> Any | ProblemDetails | Roster | None:
    """Device Roster

     Who may sign in at this till: the active staff with a PIN who work at its venue,
    with the version of the list. For the PIN pad before anyone has signed in, so no access
    token: send a DPoP proof signed by the key the device registered at activation, as at
    PIN sign-in. The venue is the device's own; a revoked device gets no roster.

    Args:
        x_device (str): The device's handle (`device` from activation)
        if_none_match (None | str | Unset): A roster's ETag

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ProblemDetails | Roster
    """

    return (
        await asyncio_detailed(
            client=client,
            x_device=x_device,
            if_none_match=if_none_match,
        )
    ).parsed
