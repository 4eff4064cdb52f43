from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.shift_report import ShiftReport
from ...models.z_report import ZReport
from ...types import Response


def _get_kwargs(
    shift_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/reports/shifts/{shift_id}".format(
            shift_id=quote(str(shift_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | ShiftReport | ZReport | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> ShiftReport | ZReport:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = ShiftReport.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_1 = ZReport.from_dict(data)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[ProblemDetails | ShiftReport | ZReport]:
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
) -> Response[ProblemDetails | ShiftReport | ZReport]:
    """Shift Report

     A shift's X report while it is open (read live), its Z report (the latest version
    issued) once closed: the same functions the till's X and Z come from. Another venue's
    shift is not found.

    Args:
        shift_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ShiftReport | ZReport]
    """

    kwargs = _get_kwargs(
        shift_id=shift_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | ShiftReport | ZReport | None:
    """Shift Report

     A shift's X report while it is open (read live), its Z report (the latest version
    issued) once closed: the same functions the till's X and Z come from. Another venue's
    shift is not found.

    Args:
        shift_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ShiftReport | ZReport
    """

    return sync_detailed(
        shift_id=shift_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | ShiftReport | ZReport]:
    """Shift Report

     A shift's X report while it is open (read live), its Z report (the latest version
    issued) once closed: the same functions the till's X and Z come from. Another venue's
    shift is not found.

    Args:
        shift_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | ShiftReport | ZReport]
    """

    kwargs = _get_kwargs(
        shift_id=shift_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    shift_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | ShiftReport | ZReport | None:
    """Shift Report

     A shift's X report while it is open (read live), its Z report (the latest version
    issued) once closed: the same functions the till's X and Z come from. Another venue's
    shift is not found.

    Args:
        shift_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | ShiftReport | ZReport
    """

    return (
        await asyncio_detailed(
            shift_id=shift_id,
            client=client,
        )
    ).parsed
