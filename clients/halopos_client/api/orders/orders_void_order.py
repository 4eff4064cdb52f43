from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order import Order
from ...models.problem_details import ProblemDetails
from ...models.void_request import VoidRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_id: UUID,
    *,
    body: VoidRequest,
    if_match: str | Unset = UNSET,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_override_token, Unset):
        headers["X-Override-Token"] = x_override_token

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{order_id}/void".format(
            order_id=quote(str(order_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Order | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = Order.from_dict(response.json())

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
) -> Response[Order | ProblemDetails]:
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
    body: VoidRequest,
    if_match: str | Unset = UNSET,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Order | ProblemDetails]:
    """Void Order

     Void an unpaid open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void.

    Args:
        order_id (UUID):
        if_match (str | Unset):
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (VoidRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Order | ProblemDetails]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
        if_match=if_match,
        x_override_token=x_override_token,
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
    body: VoidRequest,
    if_match: str | Unset = UNSET,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Order | ProblemDetails | None:
    """Void Order

     Void an unpaid open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void.

    Args:
        order_id (UUID):
        if_match (str | Unset):
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (VoidRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Order | ProblemDetails
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        body=body,
        if_match=if_match,
        x_override_token=x_override_token,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: VoidRequest,
    if_match: str | Unset = UNSET,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Order | ProblemDetails]:
    """Void Order

     Void an unpaid open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void.

    Args:
        order_id (UUID):
        if_match (str | Unset):
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (VoidRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Order | ProblemDetails]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
        if_match=if_match,
        x_override_token=x_override_token,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: VoidRequest,
    if_match: str | Unset = UNSET,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Order | ProblemDetails | None:
    """Void Order

     Void an unpaid open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void.

    Args:
        order_id (UUID):
        if_match (str | Unset):
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (VoidRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Order | ProblemDetails
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            body=body,
            if_match=if_match,
            x_override_token=x_override_token,
            idempotency_key=idempotency_key,
        )
    ).parsed
