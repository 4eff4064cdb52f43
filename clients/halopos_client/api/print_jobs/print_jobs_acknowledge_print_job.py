from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.ack_result import AckResult
from ...models.acknowledgement import Acknowledgement
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    job_id: UUID,
    *,
    body: Acknowledgement,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/print-jobs/{job_id}/ack".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AckResult | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AckResult.from_dict(response.json())

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
) -> Response[AckResult | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    body: Acknowledgement,
) -> Response[AckResult | ProblemDetails]:
    """Acknowledge Print Job

     Say how a delivery went. Idempotent: `printed` is recorded once and always wins, even
    after the job expired or was parked; a `failed` for a superseded attempt changes
    nothing. A failed job is delivered again after a pause, or parked after the last
    attempt.

    Args:
        job_id (UUID):
        body (Acknowledgement):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AckResult | ProblemDetails]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    body: Acknowledgement,
) -> AckResult | ProblemDetails | None:
    """Acknowledge Print Job

     Say how a delivery went. Idempotent: `printed` is recorded once and always wins, even
    after the job expired or was parked; a `failed` for a superseded attempt changes
    nothing. A failed job is delivered again after a pause, or parked after the last
    attempt.

    Args:
        job_id (UUID):
        body (Acknowledgement):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AckResult | ProblemDetails
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    body: Acknowledgement,
) -> Response[AckResult | ProblemDetails]:
    """Acknowledge Print Job

     Say how a delivery went. Idempotent: `printed` is recorded once and always wins, even
    after the job expired or was parked; a `failed` for a superseded attempt changes
    nothing. A failed job is delivered again after a pause, or parked after the last
    attempt.

    Args:
        job_id (UUID):
        body (Acknowledgement):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AckResult | ProblemDetails]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: UUID,
    *,
    client: AuthenticatedClient,
    body: Acknowledgement,
) -> AckResult | ProblemDetails | None:
    """Acknowledge Print Job

     Say how a delivery went. Idempotent: `printed` is recorded once and always wins, even
    after the job expired or was parked; a `failed` for a superseded attempt changes
    nothing. A failed job is delivered again after a pause, or parked after the last
    attempt.

    Args:
        job_id (UUID):
        body (Acknowledgement):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AckResult | ProblemDetails
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            body=body,
        )
    ).parsed
