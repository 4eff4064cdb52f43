from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.shift_page import ShiftPage
from ...models.shifts_list_shifts_status_type_0 import ShiftsListShiftsStatusType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: None | ShiftsListShiftsStatusType0 | Unset = UNSET,
    location_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ShiftsListShiftsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_location_id: None | str | Unset
    if isinstance(location_id, Unset):
        json_location_id = UNSET
    elif isinstance(location_id, UUID):
        json_location_id = str(location_id)
    else:
        json_location_id = location_id
    params["location_id"] = json_location_id

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/shifts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | ShiftPage | None:
    if response.status_code == 200:
        response_200 = ShiftPage.from_dict(response.json())

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
) -> Response[ProblemDetails | ShiftPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: None | ShiftsListShiftsStatusType0 | Unset = UNSET,
    location_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ProblemDetails | ShiftPage]:
    """List Shifts

     Shifts of the venues you reach (a till: its own), newest first; `location_id`: of
    that venue only (a venue you do not reach lists none).

    Args:
        status (None | ShiftsListShiftsStatusType0 | Unset):
        location_id (None | Unset | UUID): Only this venue's shifts (one you reach)
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ShiftPage]
    """

    kwargs = _get_kwargs(
        status=status,
        location_id=location_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: None | ShiftsListShiftsStatusType0 | Unset = UNSET,
    location_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ProblemDetails | ShiftPage | None:
    """List Shifts

     Shifts of the venues you reach (a till: its own), newest first; `location_id`: of
    that venue only (a venue you do not reach lists none).

    Args:
        status (None | ShiftsListShiftsStatusType0 | Unset):
        location_id (None | Unset | UUID): Only this venue's shifts (one you reach)
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ShiftPage
    """

    return sync_detailed(
        client=client,
        status=status,
        location_id=location_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: None | ShiftsListShiftsStatusType0 | Unset = UNSET,
    location_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[ProblemDetails | ShiftPage]:
    """List Shifts

     Shifts of the venues you reach (a till: its own), newest first; `location_id`: of
    that venue only (a venue you do not reach lists none).

    Args:
        status (None | ShiftsListShiftsStatusType0 | Unset):
        location_id (None | Unset | UUID): Only this venue's shifts (one you reach)
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ShiftPage]
    """

    kwargs = _get_kwargs(
        status=status,
        location_id=location_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: None | ShiftsListShiftsStatusType0 | Unset = UNSET,
    location_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> ProblemDetails | ShiftPage | None:
    """List Shifts

     Shifts of the venues you reach (a till: its own), newest first; `location_id`: of
    that venue only (a venue you do not reach lists none).

    Args:
        status (None | ShiftsListShiftsStatusType0 | Unset):
        location_id (None | Unset | UUID): Only this venue's shifts (one you reach)
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ShiftPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            location_id=location_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
