from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.staff_member import StaffMember
from ...models.staff_update import StaffUpdate
from ...types import Response


def _get_kwargs(
    staff_id: UUID,
    *,
    body: StaffUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/staff/{staff_id}".format(
            staff_id=quote(str(staff_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | StaffMember | None:
    if response.status_code == 200:
        response_200 = StaffMember.from_dict(response.json())

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
) -> Response[ProblemDetails | StaffMember]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    staff_id: UUID,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> Response[ProblemDetails | StaffMember]:
    """Update Staff

     Change a name or role, reset the PIN (`pin`), or deactivate (`active: false`); nothing
    is ever deleted.

    Args:
        staff_id (UUID):
        body (StaffUpdate): Changes to a staff member; `version` is the one the change was based
            on.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | StaffMember]
    """

    kwargs = _get_kwargs(
        staff_id=staff_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    staff_id: UUID,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> ProblemDetails | StaffMember | None:
    """Update Staff

     Change a name or role, reset the PIN (`pin`), or deactivate (`active: false`); nothing
    is ever deleted.

    Args:
        staff_id (UUID):
        body (StaffUpdate): Changes to a staff member; `version` is the one the change was based
            on.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | StaffMember
    """

    return sync_detailed(
        staff_id=staff_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    staff_id: UUID,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> Response[ProblemDetails | StaffMember]:
    """Update Staff

     Change a name or role, reset the PIN (`pin`), or deactivate (`active: false`); nothing
    is ever deleted.

    Args:
        staff_id (UUID):
        body (StaffUpdate): Changes to a staff member; `version` is the one the change was based
            on.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | StaffMember]
    """

    kwargs = _get_kwargs(
        staff_id=staff_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    staff_id: UUID,
    *,
    client: AuthenticatedClient,
    body: StaffUpdate,
) -> ProblemDetails | StaffMember | None:
    """Update Staff

     Change a name or role, reset the PIN (`pin`), or deactivate (`active: false`); nothing
    is ever deleted.

    Args:
        staff_id (UUID):
        body (StaffUpdate): Changes to a staff member; `version` is the one the change was based
            on.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | StaffMember
    """

    return (
        await asyncio_detailed(
            staff_id=staff_id,
            client=client,
            body=body,
        )
    ).parsed
