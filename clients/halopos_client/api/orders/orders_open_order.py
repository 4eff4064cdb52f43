from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.order import Order
from ...models.order_open import OrderOpen
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OrderOpen,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_override_token, Unset):
        headers["X-Override-Token"] = x_override_token

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders",
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

    if response.status_code == 201:
        response_201 = Order.from_dict(response.json())

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
) -> Response[Order | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderOpen,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Order | ProblemDetails]:
    """Open Order

     Open an order at the caller's register, in its open shift, optionally with lines.
    Prices, taxes and totals come from the menu and the tax rates in force; a client
    never sends a price or a total.

    Args:
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (OrderOpen):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Order | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        x_override_token=x_override_token,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: OrderOpen,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Order | ProblemDetails | None:
    """Open Order

     Open an order at the caller's register, in its open shift, optionally with lines.
    Prices, taxes and totals come from the menu and the tax rates in force; a client
    never sends a price or a total.

    Args:
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (OrderOpen):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Order | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        x_override_token=x_override_token,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OrderOpen,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[Order | ProblemDetails]:
    """Open Order

     Open an order at the caller's register, in its open shift, optionally with lines.
    Prices, taxes and totals come from the menu and the tax rates in force; a client
    never sends a price or a total.

    Args:
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (OrderOpen):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Order | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        x_override_token=x_override_token,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OrderOpen,
    x_override_token: None | str | Unset = UNSET,
    idempotency_key: None | str | Unset = UNSET,
) -> Order | ProblemDetails | None:
    """Open Order

     Open an order at the caller's register, in its open shift, optionally with lines.
    Prices, taxes and totals come from the menu and the tax rates in force; a client
    never sends a price or a total.

    Args:
        x_override_token (None | str | Unset): A manager's override token from `POST
            /v1/auth/overrides`, for this action on this resource; single-use, valid for up to 60
            seconds
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (OrderOpen):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Order | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_override_token=x_override_token,
            idempotency_key=idempotency_key,
        )
    ).parsed
