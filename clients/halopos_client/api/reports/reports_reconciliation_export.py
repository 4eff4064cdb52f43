import datetime
from http import HTTPStatus
from io import BytesIO
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    period: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    location_id: UUID,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    else:
        json_period = period
    params["period"] = json_period

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_location_id = str(location_id)
    params["location_id"] = json_location_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/reconciliation/export",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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
) -> Response[File | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    location_id: UUID,
) -> Response[File | ProblemDetails]:
    """Payment reconciliation: per shift and tender, expected against counted: export bundle

     The same report as a ZIP to keep: its JSON, its CSV and a `manifest.json` saying who made it, when,
    for which parameters, and the CSV's header block.

    Args:
        period (None | str | Unset): A business day (2026-11-21), month (2026-11), calendar
            quarter (2026-Q3) or year (2026); or give `from` and `to`
        from_ (datetime.date | None | Unset): First business day
        to (datetime.date | None | Unset): Last business day (included)
        location_id (UUID): The location (venue)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | ProblemDetails]
    """

    kwargs = _get_kwargs(
        period=period,
        from_=from_,
        to=to,
        location_id=location_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    location_id: UUID,
) -> File | ProblemDetails | None:
    """Payment reconciliation: per shift and tender, expected against counted: export bundle

     The same report as a ZIP to keep: its JSON, its CSV and a `manifest.json` saying who made it, when,
    for which parameters, and the CSV's header block.

    Args:
        period (None | str | Unset): A business day (2026-11-21), month (2026-11), calendar
            quarter (2026-Q3) or year (2026); or give `from` and `to`
        from_ (datetime.date | None | Unset): First business day
        to (datetime.date | None | Unset): Last business day (included)
        location_id (UUID): The location (venue)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | ProblemDetails
    """

    return sync_detailed(
        client=client,
        period=period,
        from_=from_,
        to=to,
        location_id=location_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    location_id: UUID,
) -> Response[File | ProblemDetails]:
    """Payment reconciliation: per shift and tender, expected against counted: export bundle

     The same report as a ZIP to keep: its JSON, its CSV and a `manifest.json` saying who made it, when,
    for which parameters, and the CSV's header block.

    Args:
        period (None | str | Unset): A business day (2026-11-21), month (2026-11), calendar
            quarter (2026-Q3) or year (2026); or give `from` and `to`
        from_ (datetime.date | None | Unset): First business day
        to (datetime.date | None | Unset): Last business day (included)
        location_id (UUID): The location (venue)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | ProblemDetails]
    """

    kwargs = _get_kwargs(
        period=period,
        from_=from_,
        to=to,
        location_id=location_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    location_id: UUID,
) -> File | ProblemDetails | None:
    """Payment reconciliation: per shift and tender, expected against counted: export bundle

     The same report as a ZIP to keep: its JSON, its CSV and a `manifest.json` saying who made it, when,
    for which parameters, and the CSV's header block.

    Args:
        period (None | str | Unset): A business day (2026-11-21), month (2026-11), calendar
            quarter (2026-Q3) or year (2026); or give `from` and `to`
        from_ (datetime.date | None | Unset): First business day
        to (datetime.date | None | Unset): Last business day (included)
        location_id (UUID): The location (venue)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
            from_=from_,
            to=to,
            location_id=location_id,
        )
    ).parsed
