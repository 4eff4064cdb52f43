from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.tax_category import TaxCategory
from ...models.tax_category_update import TaxCategoryUpdate
from ...types import Response


def _get_kwargs(
    category_id: UUID,
    *,
    body: TaxCategoryUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/tax/categories/{category_id}".format(
            category_id=quote(str(category_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | TaxCategory | None:
    if response.status_code == 200:
        response_200 = TaxCategory.from_dict(response.json())

        return response_200

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
) -> Response[ProblemDetails | TaxCategory]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    category_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TaxCategoryUpdate,
) -> Response[ProblemDetails | TaxCategory]:
    """Update Tax Category

     Rename, archive (`{"archived": true}`) or restore a tax category. No version: only its
    name and archive flag change, and rates are never edited (schedule a new one).

    Args:
        category_id (UUID):
        body (TaxCategoryUpdate): Name and archive only (no version: nothing else about a category
            changes; its rates
            are insert-only).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TaxCategory]
    """

    kwargs = _get_kwargs(
        category_id=category_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    category_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TaxCategoryUpdate,
) -> ProblemDetails | TaxCategory | None:
    """Update Tax Category

     Rename, archive (`{"archived": true}`) or restore a tax category. No version: only its
    name and archive flag change, and rates are never edited (schedule a new one).

    Args:
        category_id (UUID):
        body (TaxCategoryUpdate): Name and archive only (no version: nothing else about a category
            changes; its rates
            are insert-only).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TaxCategory
    """

    return sync_detailed(
        category_id=category_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    category_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TaxCategoryUpdate,
) -> Response[ProblemDetails | TaxCategory]:
    """Update Tax Category

     Rename, archive (`{"archived": true}`) or restore a tax category. No version: only its
    name and archive flag change, and rates are never edited (schedule a new one).

    Args:
        category_id (UUID):
        body (TaxCategoryUpdate): Name and archive only (no version: nothing else about a category
            changes; its rates
            are insert-only).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TaxCategory]
    """

    kwargs = _get_kwargs(
        category_id=category_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    category_id: UUID,
    *,
    client: AuthenticatedClient,
    body: TaxCategoryUpdate,
) -> ProblemDetails | TaxCategory | None:
    """Update Tax Category

     Rename, archive (`{"archived": true}`) or restore a tax category. No version: only its
    name and archive flag change, and rates are never edited (schedule a new one).

    Args:
        category_id (UUID):
        body (TaxCategoryUpdate): Name and archive only (no version: nothing else about a category
            changes; its rates
            are insert-only).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TaxCategory
    """

    return (
        await asyncio_detailed(
            category_id=category_id,
            client=client,
            body=body,
        )
    ).parsed
