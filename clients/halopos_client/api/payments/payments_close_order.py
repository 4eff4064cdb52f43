from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.close_request import CloseRequest
from ...models.closed_order import ClosedOrder
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_id: UUID,
    *,
    body: CloseRequest,
    if_match: str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{order_id}/close".format(
            order_id=quote(str(order_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ClosedOrder | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = ClosedOrder.from_dict(response.json())

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
) -> Response[ClosedOrder | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloseRequest,
    if_match: str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ClosedOrder | ProblemDetails]:
    """Close Order

     Close a fully paid order: its receipt is issued with the next number of the
    caller's register and never changes. Lines not yet sent to the kitchen or bar are sent,
    and the receipt is queued for the venue's receipt printer (`"print_receipt": false`: the
    customer wants no paper).

    Args:
        order_id (UUID):
        if_match (str | Unset):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CloseRequest): Closing an order (`POST /v1/orders/{id}/close`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClosedOrder | ProblemDetails]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloseRequest,
    if_match: str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> ClosedOrder | ProblemDetails | None:
    """Close Order

     Close a fully paid order: its receipt is issued with the next number of the
    caller's register and never changes. Lines not yet sent to the kitchen or bar are sent,
    and the receipt is queued for the venue's receipt printer (`"print_receipt": false`: the
    customer wants no paper).

    Args:
        order_id (UUID):
        if_match (str | Unset):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CloseRequest): Closing an order (`POST /v1/orders/{id}/close`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClosedOrder | ProblemDetails
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloseRequest,
    if_match: str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[ClosedOrder | ProblemDetails]:
    """Close Order

     Close a fully paid order: its receipt is issued with the next number of the
    caller's register and never changes. Lines not yet sent to the kitchen or bar are sent,
    and the receipt is queued for the venue's receipt printer (`"print_receipt": false`: the
    customer wants no paper).

    Args:
        order_id (UUID):
        if_match (str | Unset):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CloseRequest): Closing an order (`POST /v1/orders/{id}/close`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClosedOrder | ProblemDetails]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CloseRequest,
    if_match: str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> ClosedOrder | ProblemDetails | None:
    """Close Order

     Close a fully paid order: its receipt is issued with the next number of the
    caller's register and never changes. Lines not yet sent to the kitchen or bar are sent,
    and the receipt is queued for the venue's receipt printer (`"print_receipt": false`: the
    customer wants no paper).

    Args:
        order_id (UUID):
        if_match (str | Unset):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CloseRequest): Closing an order (`POST /v1/orders/{id}/close`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClosedOrder | ProblemDetails
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            body=body,
            if_match=if_match,
            idempotency_key=idempotency_key,
        )
    ).parsed
