from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cash_movement import CashMovement
from ...models.cash_movement_create import CashMovementCreate
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    shift_id: UUID,
    *,
    body: CashMovementCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/shifts/{shift_id}/cash-movements".format(
            shift_id=quote(str(shift_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CashMovement | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = CashMovement.from_dict(response.json())

        return response_201

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
) -> Response[CashMovement | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CashMovementCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CashMovement | ProblemDetails]:
    """Add Cash Movement

     Paid in (cash put into the drawer) or paid out (cash taken out), with a reason, at
    the shift's own register. Bumps the shift's version.

    Args:
        shift_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CashMovementCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CashMovement | ProblemDetails]
    """

    kwargs = _get_kwargs(
        shift_id=shift_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CashMovementCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CashMovement | ProblemDetails | None:
    """Add Cash Movement

     Paid in (cash put into the drawer) or paid out (cash taken out), with a reason, at
    the shift's own register. Bumps the shift's version.

    Args:
        shift_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CashMovementCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CashMovement | ProblemDetails
    """

    return sync_detailed(
        shift_id=shift_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CashMovementCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[CashMovement | ProblemDetails]:
    """Add Cash Movement

     Paid in (cash put into the drawer) or paid out (cash taken out), with a reason, at
    the shift's own register. Bumps the shift's version.

    Args:
        shift_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CashMovementCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CashMovement | ProblemDetails]
    """

    kwargs = _get_kwargs(
        shift_id=shift_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
    body: CashMovementCreate,
    idempotency_key: None | str | Unset = UNSET,
) -> CashMovement | ProblemDetails | None:
    """Add Cash Movement

     Paid in (cash put into the drawer) or paid out (cash taken out), with a reason, at
    the shift's own register. Bumps the shift's version.

    Args:
        shift_id (UUID):
        idempotency_key (None | str | Unset): A retry with the same key and body returns the first
            response
        body (CashMovementCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CashMovement | ProblemDetails
    """

    return (
        await asyncio_detailed(
            shift_id=shift_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
