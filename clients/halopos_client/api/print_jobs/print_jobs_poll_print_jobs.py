from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.poll_response import PollResponse
from ...models.printer_role import PrinterRole
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    wait: int | Unset = 0,
    limit: int | Unset = 10,
    role: list[PrinterRole] | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait"] = wait

    params["limit"] = limit

    json_role: list[str] | None | Unset
    if isinstance(role, Unset):
        json_role = UNSET
    elif isinstance(role, list):
        json_role = []
        for role_type_0_item_data in role:
            role_type_0_item = role_type_0_item_data.value
            json_role.append(role_type_0_item)

    else:
        json_role = role
    params["role"] = json_role

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/print-jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PollResponse | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PollResponse.from_dict(response.json())

        return response_200

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
) -> Response[PollResponse | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 0,
    limit: int | Unset = 10,
    role: list[PrinterRole] | None | Unset = UNSET,
) -> Response[PollResponse | ProblemDetails]:
    """Poll Print Jobs

     Lease the location's oldest queued jobs, and answer as soon as there is one or `wait`
    has passed (empty list). Print each and acknowledge it with its `attempt`; a job not
    acknowledged within `lease_seconds` is delivered again. One waiting poll per token at a
    time: another is answered 429 `long-poll-in-progress` at once.

    Args:
        wait (int | Unset): Seconds to wait for a job when none is queued Default: 0.
        limit (int | Unset):  Default: 10.
        role (list[PrinterRole] | None | Unset): The printer roles this Bridge prints for; all
            when absent

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PollResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        wait=wait,
        limit=limit,
        role=role,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 0,
    limit: int | Unset = 10,
    role: list[PrinterRole] | None | Unset = UNSET,
) -> PollResponse | ProblemDetails | None:
    """Poll Print Jobs

     Lease the location's oldest queued jobs, and answer as soon as there is one or `wait`
    has passed (empty list). Print each and acknowledge it with its `attempt`; a job not
    acknowledged within `lease_seconds` is delivered again. One waiting poll per token at a
    time: another is answered 429 `long-poll-in-progress` at once.

    Args:
        wait (int | Unset): Seconds to wait for a job when none is queued Default: 0.
        limit (int | Unset):  Default: 10.
        role (list[PrinterRole] | None | Unset): The printer roles this Bridge prints for; all
            when absent

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PollResponse | ProblemDetails
    """

    return sync_detailed(
        client=client,
        wait=wait,
        limit=limit,
        role=role,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 0,
    limit: int | Unset = 10,
    role: list[PrinterRole] | None | Unset = UNSET,
) -> Response[PollResponse | ProblemDetails]:
    """Poll Print Jobs

     Lease the location's oldest queued jobs, and answer as soon as there is one or `wait`
    has passed (empty list). Print each and acknowledge it with its `attempt`; a job not
    acknowledged within `lease_seconds` is delivered again. One waiting poll per token at a
    time: another is answered 429 `long-poll-in-progress` at once.

    Args:
        wait (int | Unset): Seconds to wait for a job when none is queued Default: 0.
        limit (int | Unset):  Default: 10.
        role (list[PrinterRole] | None | Unset): The printer roles this Bridge prints for; all
            when absent

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PollResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        wait=wait,
        limit=limit,
        role=role,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    wait: int | Unset = 0,
    limit: int | Unset = 10,
    role: list[PrinterRole] | None | Unset = UNSET,
) -> PollResponse | ProblemDetails | None:
    """Poll Print Jobs

     Lease the location's oldest queued jobs, and answer as soon as there is one or `wait`
    has passed (empty list). Print each and acknowledge it with its `attempt`; a job not
    acknowledged within `lease_seconds` is delivered again. One waiting poll per token at a
    time: another is answered 429 `long-poll-in-progress` at once.

    Args:
        wait (int | Unset): Seconds to wait for a job when none is queued Default: 0.
        limit (int | Unset):  Default: 10.
        role (list[PrinterRole] | None | Unset): The printer roles this Bridge prints for; all
            when absent

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PollResponse | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            wait=wait,
            limit=limit,
            role=role,
        )
    ).parsed
