from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.menu_category import MenuCategory
from ...models.menu_category_create import MenuCategoryCreate
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: MenuCategoryCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/menu/categories",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MenuCategory | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = MenuCategory.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = MenuCategory.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

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
) -> Response[MenuCategory | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: MenuCategoryCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[MenuCategory | ProblemDetails]:
    """Create Menu Category

     A new category, with a client-chosen id: sent again with the same content, it answers
    200 with the category as it is.

    Args:
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (MenuCategoryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MenuCategory | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: MenuCategoryCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> MenuCategory | ProblemDetails | None:
    """Create Menu Category

     A new category, with a client-chosen id: sent again with the same content, it answers
    200 with the category as it is.

    Args:
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (MenuCategoryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MenuCategory | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: MenuCategoryCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[MenuCategory | ProblemDetails]:
    """Create Menu Category

     A new category, with a client-chosen id: sent again with the same content, it answers
    200 with the category as it is.

    Args:
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (MenuCategoryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MenuCategory | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: MenuCategoryCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> MenuCategory | ProblemDetails | None:
    """Create Menu Category

     A new category, with a client-chosen id: sent again with the same content, it answers
    200 with the category as it is.

    Args:
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (MenuCategoryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MenuCategory | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
