import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_event_page import AuditEventPage
from ...models.audit_list_events_order import AuditListEventsOrder
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    occurred_from: datetime.datetime | None | Unset = UNSET,
    occurred_before: datetime.datetime | None | Unset = UNSET,
    actor_type: None | str | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    resource_type: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    order: AuditListEventsOrder | Unset = AuditListEventsOrder.ASC,
    limit: int | Unset = 100,
    cursor: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_occurred_from: None | str | Unset
    if isinstance(occurred_from, Unset):
        json_occurred_from = UNSET
    elif isinstance(occurred_from, datetime.datetime):
        json_occurred_from = occurred_from.isoformat()
    else:
        json_occurred_from = occurred_from
    params["occurred_from"] = json_occurred_from

    json_occurred_before: None | str | Unset
    if isinstance(occurred_before, Unset):
        json_occurred_before = UNSET
    elif isinstance(occurred_before, datetime.datetime):
        json_occurred_before = occurred_before.isoformat()
    else:
        json_occurred_before = occurred_before
    params["occurred_before"] = json_occurred_before

    json_actor_type: None | str | Unset
    if isinstance(actor_type, Unset):
        json_actor_type = UNSET
    else:
        json_actor_type = actor_type
    params["actor_type"] = json_actor_type

    json_actor_id: None | str | Unset
    if isinstance(actor_id, Unset):
        json_actor_id = UNSET
    else:
        json_actor_id = actor_id
    params["actor_id"] = json_actor_id

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_resource_type: None | str | Unset
    if isinstance(resource_type, Unset):
        json_resource_type = UNSET
    else:
        json_resource_type = resource_type
    params["resource_type"] = json_resource_type

    json_resource_id: None | str | Unset
    if isinstance(resource_id, Unset):
        json_resource_id = UNSET
    else:
        json_resource_id = resource_id
    params["resource_id"] = json_resource_id

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    params["limit"] = limit

    json_cursor: int | None | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditEventPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AuditEventPage.from_dict(response.json())

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
) -> Response[AuditEventPage | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    occurred_from: datetime.datetime | None | Unset = UNSET,
    occurred_before: datetime.datetime | None | Unset = UNSET,
    actor_type: None | str | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    resource_type: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    order: AuditListEventsOrder | Unset = AuditListEventsOrder.ASC,
    limit: int | Unset = 100,
    cursor: int | None | Unset = UNSET,
) -> Response[AuditEventPage | ProblemDetails]:
    """List Events

     The tenant's audit entries in seq order (`order=desc`: newest first), filtered.

    Args:
        occurred_from (datetime.datetime | None | Unset): Inclusive, with offset
        occurred_before (datetime.datetime | None | Unset): Exclusive
        actor_type (None | str | Unset):
        actor_id (None | str | Unset):
        action (None | str | Unset): Exact, or a family: "order.*"
        resource_type (None | str | Unset):
        resource_id (None | str | Unset):
        order (AuditListEventsOrder | Unset):  Default: AuditListEventsOrder.ASC.
        limit (int | Unset):  Default: 100.
        cursor (int | None | Unset): The last seq already seen

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        occurred_from=occurred_from,
        occurred_before=occurred_before,
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        order=order,
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
    occurred_from: datetime.datetime | None | Unset = UNSET,
    occurred_before: datetime.datetime | None | Unset = UNSET,
    actor_type: None | str | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    resource_type: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    order: AuditListEventsOrder | Unset = AuditListEventsOrder.ASC,
    limit: int | Unset = 100,
    cursor: int | None | Unset = UNSET,
) -> AuditEventPage | ProblemDetails | None:
    """List Events

     The tenant's audit entries in seq order (`order=desc`: newest first), filtered.

    Args:
        occurred_from (datetime.datetime | None | Unset): Inclusive, with offset
        occurred_before (datetime.datetime | None | Unset): Exclusive
        actor_type (None | str | Unset):
        actor_id (None | str | Unset):
        action (None | str | Unset): Exact, or a family: "order.*"
        resource_type (None | str | Unset):
        resource_id (None | str | Unset):
        order (AuditListEventsOrder | Unset):  Default: AuditListEventsOrder.ASC.
        limit (int | Unset):  Default: 100.
        cursor (int | None | Unset): The last seq already seen

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        occurred_from=occurred_from,
        occurred_before=occurred_before,
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        order=order,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    occurred_from: datetime.datetime | None | Unset = UNSET,
    occurred_before: datetime.datetime | None | Unset = UNSET,
    actor_type: None | str | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    resource_type: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    order: AuditListEventsOrder | Unset = AuditListEventsOrder.ASC,
    limit: int | Unset = 100,
    cursor: int | None | Unset = UNSET,
) -> Response[AuditEventPage | ProblemDetails]:
    """List Events

     The tenant's audit entries in seq order (`order=desc`: newest first), filtered.

    Args:
        occurred_from (datetime.datetime | None | Unset): Inclusive, with offset
        occurred_before (datetime.datetime | None | Unset): Exclusive
        actor_type (None | str | Unset):
        actor_id (None | str | Unset):
        action (None | str | Unset): Exact, or a family: "order.*"
        resource_type (None | str | Unset):
        resource_id (None | str | Unset):
        order (AuditListEventsOrder | Unset):  Default: AuditListEventsOrder.ASC.
        limit (int | Unset):  Default: 100.
        cursor (int | None | Unset): The last seq already seen

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        occurred_from=occurred_from,
        occurred_before=occurred_before,
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        order=order,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    occurred_from: datetime.datetime | None | Unset = UNSET,
    occurred_before: datetime.datetime | None | Unset = UNSET,
    actor_type: None | str | Unset = UNSET,
    actor_id: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    resource_type: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    order: AuditListEventsOrder | Unset = AuditListEventsOrder.ASC,
    limit: int | Unset = 100,
    cursor: int | None | Unset = UNSET,
) -> AuditEventPage | ProblemDetails | None:
    """List Events

     The tenant's audit entries in seq order (`order=desc`: newest first), filtered.

    Args:
        occurred_from (datetime.datetime | None | Unset): Inclusive, with offset
        occurred_before (datetime.datetime | None | Unset): Exclusive
        actor_type (None | str | Unset):
        actor_id (None | str | Unset):
        action (None | str | Unset): Exact, or a family: "order.*"
        resource_type (None | str | Unset):
        resource_id (None | str | Unset):
        order (AuditListEventsOrder | Unset):  Default: AuditListEventsOrder.ASC.
        limit (int | Unset):  Default: 100.
        cursor (int | None | Unset): The last seq already seen

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            occurred_from=occurred_from,
            occurred_before=occurred_before,
            actor_type=actor_type,
            actor_id=actor_id,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            order=order,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
