from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.menu_item import MenuItem
from ...models.menu_item_update import MenuItemUpdate
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    item_id: UUID,
    *,
    body: MenuItemUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/menu/items/{item_id}".format(
            item_id=quote(str(item_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MenuItem | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = MenuItem.from_dict(response.json())

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
) -> Response[MenuItem | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    item_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MenuItemUpdate,
    if_match: str | Unset = UNSET,
) -> Response[MenuItem | ProblemDetails]:
    """Update Menu Item

     Change any of the item's fields; `modifier_group_ids` replaces its groups. Archive
    with `{"archived": true}`: it leaves the till's menu and cannot be sold again, while past
    orders keep it as sold. Send the version you read.

    Args:
        item_id (UUID):
        if_match (str | Unset):
        body (MenuItemUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MenuItem | ProblemDetails]
    """

    kwargs = _get_kwargs(
        item_id=item_id,
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    item_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MenuItemUpdate,
    if_match: str | Unset = UNSET,
) -> MenuItem | ProblemDetails | None:
    """Update Menu Item

     Change any of the item's fields; `modifier_group_ids` replaces its groups. Archive
    with `{"archived": true}`: it leaves the till's menu and cannot be sold again, while past
    orders keep it as sold. Send the version you read.

    Args:
        item_id (UUID):
        if_match (str | Unset):
        body (MenuItemUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MenuItem | ProblemDetails
    """

    return sync_detailed(
        item_id=item_id,
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    item_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MenuItemUpdate,
    if_match: str | Unset = UNSET,
) -> Response[MenuItem | ProblemDetails]:
    """Update Menu Item

     Change any of the item's fields; `modifier_group_ids` replaces its groups. Archive
    with `{"archived": true}`: it leaves the till's menu and cannot be sold again, while past
    orders keep it as sold. Send the version you read.

    Args:
        item_id (UUID):
        if_match (str | Unset):
        body (MenuItemUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MenuItem | ProblemDetails]
    """

    kwargs = _get_kwargs(
        item_id=item_id,
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    item_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MenuItemUpdate,
    if_match: str | Unset = UNSET,
) -> MenuItem | ProblemDetails | None:
    """Update Menu Item

     Change any of the item's fields; `modifier_group_ids` replaces its groups. Archive
    with `{"archived": true}`: it leaves the till's menu and cannot be sold again, while past
    orders keep it as sold. Send the version you read.

    Args:
        item_id (UUID):
        if_match (str | Unset):
        body (MenuItemUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MenuItem | ProblemDetails
    """

    return (
        await asyncio_detailed(
            item_id=item_id,
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed
