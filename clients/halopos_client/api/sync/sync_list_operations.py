from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.operation_page import OperationPage
from ...models.problem_details import ProblemDetails
from ...models.sync_list_operations_status_type_0 import SyncListOperationsStatusType0
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    device_id: None | Unset | UUID = UNSET,
    status: None | SyncListOperationsStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_device_id: None | str | Unset
    if isinstance(device_id, Unset):
        json_device_id = UNSET
    elif isinstance(device_id, UUID):
        json_device_id = str(device_id)
    else:
        json_device_id = device_id
    params["device_id"] = json_device_id

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, SyncListOperationsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

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
        "url": "/v1/sync/operations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OperationPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = OperationPage.from_dict(response.json())

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
) -> Response[OperationPage | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    device_id: None | Unset | UUID = UNSET,
    status: None | SyncListOperationsStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[OperationPage | ProblemDetails]:
    """List Operations

     The operation log, newest first: what each till at the venues you reach uploaded and
    what came of it.

    Args:
        device_id (None | Unset | UUID):
        status (None | SyncListOperationsStatusType0 | Unset):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        status=status,
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
    device_id: None | Unset | UUID = UNSET,
    status: None | SyncListOperationsStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> OperationPage | ProblemDetails | None:
    """List Operations

     The operation log, newest first: what each till at the venues you reach uploaded and
    what came of it.

    Args:
        device_id (None | Unset | UUID):
        status (None | SyncListOperationsStatusType0 | Unset):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        device_id=device_id,
        status=status,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    device_id: None | Unset | UUID = UNSET,
    status: None | SyncListOperationsStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[OperationPage | ProblemDetails]:
    """List Operations

     The operation log, newest first: what each till at the venues you reach uploaded and
    what came of it.

    Args:
        device_id (None | Unset | UUID):
        status (None | SyncListOperationsStatusType0 | Unset):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OperationPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        device_id=device_id,
        status=status,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    device_id: None | Unset | UUID = UNSET,
    status: None | SyncListOperationsStatusType0 | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> OperationPage | ProblemDetails | None:
    """List Operations

     The operation log, newest first: what each till at the venues you reach uploaded and
    what came of it.

    Args:
        device_id (None | Unset | UUID):
        status (None | SyncListOperationsStatusType0 | Unset):
        limit (int | Unset):  Default: 50.
        cursor (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OperationPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            device_id=device_id,
            status=status,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
