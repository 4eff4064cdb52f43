from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.modifier_group import ModifierGroup
from ...models.modifier_group_update import ModifierGroupUpdate
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    group_id: UUID,
    *,
    body: ModifierGroupUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/menu/modifier-groups/{group_id}".format(
            group_id=quote(str(group_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ModifierGroup | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = ModifierGroup.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = ProblemDetails.from_dict(response.json())

        return response_428

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
) -> Response[ModifierGroup | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    group_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ModifierGroupUpdate,
    if_match: str | Unset = UNSET,
) -> Response[ModifierGroup | ProblemDetails]:
    """Update Modifier Group

     Rename, change the choices, archive or restore. Send the version you read.

    Args:
        group_id (UUID):
        if_match (str | Unset):
        body (ModifierGroupUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModifierGroup | ProblemDetails]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    group_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ModifierGroupUpdate,
    if_match: str | Unset = UNSET,
) -> ModifierGroup | ProblemDetails | None:
    """Update Modifier Group

     Rename, change the choices, archive or restore. Send the version you read.

    Args:
        group_id (UUID):
        if_match (str | Unset):
        body (ModifierGroupUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModifierGroup | ProblemDetails
    """

    return sync_detailed(
        group_id=group_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    group_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ModifierGroupUpdate,
    if_match: str | Unset = UNSET,
) -> Response[ModifierGroup | ProblemDetails]:
    """Update Modifier Group

     Rename, change the choices, archive or restore. Send the version you read.

    Args:
        group_id (UUID):
        if_match (str | Unset):
        body (ModifierGroupUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModifierGroup | ProblemDetails]
    """

    kwargs = _get_kwargs(
        group_id=group_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    group_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ModifierGroupUpdate,
    if_match: str | Unset = UNSET,
) -> ModifierGroup | ProblemDetails | None:
    """Update Modifier Group

     Rename, change the choices, archive or restore. Send the version you read.

    Args:
        group_id (UUID):
        if_match (str | Unset):
        body (ModifierGroupUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModifierGroup | ProblemDetails
    """

    return (
        await asyncio_detailed(
            group_id=group_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
