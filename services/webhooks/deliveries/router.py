"""The delivery log of an endpoint (every message sent to it, every attempt), and replay."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.webhooks.deliveries import service
from services.webhooks.deliveries.repository import DeliveryRepository
from services.webhooks.deliveries.schemas import Delivery, DeliveryPage, Replay
from services.webhooks.deliveries.service import DeliveryNotFound
from services.webhooks.endpoints.repository import EndpointRepository
from services.webhooks.endpoints.service import EndpointDisabled, EndpointNotFound

router = APIRouter(prefix="/v1/webhooks/endpoints/{endpoint_id}/deliveries", tags=["webhooks"])

NOT_FOUND = problems(EndpointNotFound, DeliveryNotFound)


@router.get("", dependencies=[requires(Permission.WEBHOOKS_READ)], responses=NOT_FOUND)
async def list_deliveries(
    endpoint_id: UUID,
    connection: TenantConnection,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> DeliveryPage:
    """Every message sent to the endpoint, newest first, each with its attempts (time,
    status code, duration, error)."""
    return await service.list_deliveries(
        endpoints=EndpointRepository.from_connection(connection),
        deliveries=DeliveryRepository.from_connection(connection),
        endpoint_id=endpoint_id,
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/{delivery_id}", dependencies=[requires(Permission.WEBHOOKS_READ)], responses=NOT_FOUND
)
async def get_delivery(
    endpoint_id: UUID, delivery_id: UUID, connection: TenantConnection
) -> Delivery:
    """One message sent to the endpoint: its event, where it stands (pending, delivered,
    failed), when it is tried next, and every attempt so far."""
    return await service.get_delivery(
        endpoints=EndpointRepository.from_connection(connection),
        deliveries=DeliveryRepository.from_connection(connection),
        endpoint_id=endpoint_id,
        delivery_id=delivery_id,
    )


@router.post(
    "/{delivery_id}/replay",
    dependencies=[requires(Permission.WEBHOOKS_MANAGE)],
    responses=merge_responses(NOT_FOUND, problems(EndpointDisabled)),
)
async def replay_delivery(
    endpoint_id: UUID,
    delivery_id: UUID,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    request: Request,
    body: Replay | None = None,
) -> Delivery:
    """Send the message to the endpoint again, now, with a fresh retry schedule: the same
    `webhook-id`, so a receiver that has it already drops it."""
    delivery = await service.replay_delivery(
        endpoints=EndpointRepository.from_connection(connection),
        deliveries=DeliveryRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="webhooks"),
        principal=principal,
        endpoint_id=endpoint_id,
        delivery_id=delivery_id,
    )
    request.app.state.wake_worker(principal.tenant_id)
    return delivery
