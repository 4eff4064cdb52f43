from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch import Batch
from ...models.batch_result import BatchResult
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    *,
    body: Batch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sync/batches",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchResult | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = BatchResult.from_dict(response.json())

        return response_200

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
) -> Response[BatchResult | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: Batch,
) -> Response[BatchResult | ProblemDetails]:
    """Upload Batch

     Upload operations the till did offline. The answer is per operation, in the order
    sent: `accepted` (with `state` applied, pending or rejected), `duplicate` (the original
    outcome) or `rejected`. One bad operation never holds up the others; the whole batch
    fails only on a transient error (5xx), and is then safe to send again as it was.

    Unlike the other POSTs this takes no Idempotency-Key: every operation is exactly-once by
    its own id, and the request holds no transaction of its own (a key would need one, held
    open beside the batch's, for nothing).

    Args:
        body (Batch): Up to 500 operations, in any order. Each one is validated on its own: one
            that is
            malformed is rejected alone, and the rest go ahead.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResult | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: Batch,
) -> BatchResult | ProblemDetails | None:
    """Upload Batch

     Upload operations the till did offline. The answer is per operation, in the order
    sent: `accepted` (with `state` applied, pending or rejected), `duplicate` (the original
    outcome) or `rejected`. One bad operation never holds up the others; the whole batch
    fails only on a transient error (5xx), and is then safe to send again as it was.

    Unlike the other POSTs this takes no Idempotency-Key: every operation is exactly-once by
    its own id, and the request holds no transaction of its own (a key would need one, held
    open beside the batch's, for nothing).

    Args:
        body (Batch): Up to 500 operations, in any order. Each one is validated on its own: one
            that is
            malformed is rejected alone, and the rest go ahead.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResult | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Batch,
) -> Response[BatchResult | ProblemDetails]:
    """Upload Batch

     Upload operations the till did offline. The answer is per operation, in the order
    sent: `accepted` (with `state` applied, pending or rejected), `duplicate` (the original
    outcome) or `rejected`. One bad operation never holds up the others; the whole batch
    fails only on a transient error (5xx), and is then safe to send again as it was.

    Unlike the other POSTs this takes no Idempotency-Key: every operation is exactly-once by
    its own id, and the request holds no transaction of its own (a key would need one, held
    open beside the batch's, for nothing).

    Args:
        body (Batch): Up to 500 operations, in any order. Each one is validated on its own: one
            that is
            malformed is rejected alone, and the rest go ahead.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResult | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: Batch,
) -> BatchResult | ProblemDetails | None:
    """Upload Batch

     Upload operations the till did offline. The answer is per operation, in the order
    sent: `accepted` (with `state` applied, pending or rejected), `duplicate` (the original
    outcome) or `rejected`. One bad operation never holds up the others; the whole batch
    fails only on a transient error (5xx), and is then safe to send again as it was.

    Unlike the other POSTs this takes no Idempotency-Key: every operation is exactly-once by
    its own id, and the request holds no transaction of its own (a key would need one, held
    open beside the batch's, for nothing).

    Args:
        body (Batch): Up to 500 operations, in any order. Each one is validated on its own: one
            that is
            malformed is rejected alone, and the rest go ahead.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResult | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
