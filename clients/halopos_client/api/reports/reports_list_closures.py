from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.period_closures import PeriodClosures
from ...models.problem_details import ProblemDetails
from ...models.reports_list_closures_kind_type_0 import ReportsListClosuresKindType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    location_id: None | Unset | UUID = UNSET,
    kind: None | ReportsListClosuresKindType0 | Unset = UNSET,
    limit: int | Unset = 100,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_location_id: None | str | Unset
    if isinstance(location_id, Unset):
        json_location_id = UNSET
    elif isinstance(location_id, UUID):
        json_location_id = str(location_id)
    else:
        json_location_id = location_id
    params["location_id"] = json_location_id

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, ReportsListClosuresKindType0):
        json_kind = kind.value
    else:
        json_kind = kind
    params["kind"] = json_kind

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/closures",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PeriodClosures | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PeriodClosures.from_dict(response.json())

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
) -> Response[PeriodClosures | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    location_id: None | Unset | UUID = UNSET,
    kind: None | ReportsListClosuresKindType0 | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[PeriodClosures | ProblemDetails]:
    """List Closures

     Period closures of the venues you reach, latest period first; every version of a
    re-closed period.

    Args:
        location_id (None | Unset | UUID):
        kind (None | ReportsListClosuresKindType0 | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PeriodClosures | ProblemDetails]
    """

    kwargs = _get_kwargs(
        location_id=location_id,
        kind=kind,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    location_id: None | Unset | UUID = UNSET,
    kind: None | ReportsListClosuresKindType0 | Unset = UNSET,
    limit: int | Unset = 100,
) -> PeriodClosures | ProblemDetails | None:
    """List Closures

     Period closures of the venues you reach, latest period first; every version of a
    re-closed period.

    Args:
        location_id (None | Unset | UUID):
        kind (None | ReportsListClosuresKindType0 | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PeriodClosures | ProblemDetails
    """

    return sync_detailed(
        client=client,
        location_id=location_id,
        kind=kind,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    location_id: None | Unset | UUID = UNSET,
    kind: None | ReportsListClosuresKindType0 | Unset = UNSET,
    limit: int | Unset = 100,
) -> Response[PeriodClosures | ProblemDetails]:
    """List Closures

     Period closures of the venues you reach, latest period first; every version of a
    re-closed period.

    Args:
        location_id (None | Unset | UUID):
        kind (None | ReportsListClosuresKindType0 | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PeriodClosures | ProblemDetails]
    """

    kwargs = _get_kwargs(
        location_id=location_id,
        kind=kind,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    location_id: None | Unset | UUID = UNSET,
    kind: None | ReportsListClosuresKindType0 | Unset = UNSET,
    limit: int | Unset = 100,
) -> PeriodClosures | ProblemDetails | None:
    """List Closures

     Period closures of the venues you reach, latest period first; every version of a
    re-closed period.

    Args:
        location_id (None | Unset | UUID):
        kind (None | ReportsListClosuresKindType0 | Unset):
        limit (int | Unset):  Default: 100.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PeriodClosures | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            location_id=location_id,
            kind=kind,
            limit=limit,
        )
    ).parsed
