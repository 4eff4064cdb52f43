from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.card_payment import CardPayment
from ...models.cash_payment import CashPayment
from ...models.payment_result import PaymentResult
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    order_id: UUID,
    *,
    body: CardPayment | CashPayment,
    idempotency_key: None | str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/orders/{order_id}/payments".format(
            order_id=quote(str(order_id), safe=""),
        ),
    }

    if isinstance(body, CashPayment):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaymentResult | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = PaymentResult.from_dict(response.json())

        return response_201

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
) -> Response[PaymentResult | ProblemDetails]:
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
    body: CardPayment | CashPayment,
    idempotency_key: None | str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> Response[PaymentResult | ProblemDetails]:
    """Take Payment

     Cash or card, towards the order's balance; split tenders are several payments. A
    declined or timed-out card attempt is answered 201 too, with its status: it is recorded
    and pays nothing. Retry a lost answer with the same Idempotency-Key, never without: the
    card is charged once, and a retry while the terminal is still deciding waits for it.

    Args:
        order_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        if_match (str | Unset):
        body (CardPayment | CashPayment):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentResult | ProblemDetails]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CardPayment | CashPayment,
    idempotency_key: None | str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> PaymentResult | ProblemDetails | None:
    """Take Payment

     Cash or card, towards the order's balance; split tenders are several payments. A
    declined or timed-out card attempt is answered 201 too, with its status: it is recorded
    and pays nothing. Retry a lost answer with the same Idempotency-Key, never without: the
    card is charged once, and a retry while the terminal is still deciding waits for it.

    Args:
        order_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        if_match (str | Unset):
        body (CardPayment | CashPayment):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentResult | ProblemDetails
    """

    return sync_detailed(
        order_id=order_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CardPayment | CashPayment,
    idempotency_key: None | str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> Response[PaymentResult | ProblemDetails]:
    """Take Payment

     Cash or card, towards the order's balance; split tenders are several payments. A
    declined or timed-out card attempt is answered 201 too, with its status: it is recorded
    and pays nothing. Retry a lost answer with the same Idempotency-Key, never without: the
    card is charged once, and a retry while the terminal is still deciding waits for it.

    Args:
        order_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        if_match (str | Unset):
        body (CardPayment | CashPayment):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaymentResult | ProblemDetails]
    """

    kwargs = _get_kwargs(
        order_id=order_id,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    order_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CardPayment | CashPayment,
    idempotency_key: None | str | Unset = UNSET,
    if_match: str | Unset = UNSET,
) -> PaymentResult | ProblemDetails | None:
    """Take Payment

     Cash or card, towards the order's balance; split tenders are several payments. A
    declined or timed-out card attempt is answered 201 too, with its status: it is recorded
    and pays nothing. Retry a lost answer with the same Idempotency-Key, never without: the
    card is charged once, and a retry while the terminal is still deciding waits for it.

    Args:
        order_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        if_match (str | Unset):
        body (CardPayment | CashPayment):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaymentResult | ProblemDetails
    """

    return (
        await asyncio_detailed(
            order_id=order_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            if_match=if_match,
        )
    ).parsed
