"""The delivery log an owner reads, and replaying a delivery.

A replay sends the same message again (the same `webhook-id`, so a receiver that already has
it drops it) with a fresh retry schedule, whether it was delivered, failed or is still
waiting; it is audited. An endpoint that is disabled must be enabled first.
"""

from __future__ import annotations

from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import NotFound
from libs.webhooks.events import EventType
from services.webhooks.deliveries.repository import AttemptRow, DeliveryRepository, DeliveryRow
from services.webhooks.deliveries.schemas import Attempt, Delivery, DeliveryPage
from services.webhooks.endpoints.repository import EndpointRepository
from services.webhooks.endpoints.service import EndpointDisabled, EndpointNotFound


class DeliveryNotFound(NotFound):
    code = "webhook-delivery-not-found"
    title = "No such delivery of this endpoint"


def delivery_view(row: DeliveryRow, attempts: list[AttemptRow]) -> Delivery:
    return Delivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        message_id=row.message_id,
        event_type=EventType(row.event_type),
        occurred_at=row.occurred_at,
        data=row.data,
        status="pending"
        if row.status == "pending"
        else "delivered"
        if row.status == "delivered"
        else "failed",
        attempt_count=row.attempt_count,
        next_attempt_at=row.next_attempt_at,
        last_attempt_at=row.last_attempt_at,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
        attempts=[
            Attempt(
                number=attempt.number,
                attempted_at=attempt.attempted_at,
                status_code=attempt.status_code,
                duration_ms=attempt.duration_ms,
                error=attempt.error,
            )
            for attempt in attempts
        ],
    )


async def _endpoint(endpoints: EndpointRepository, endpoint_id: UUID) -> None:
    if await endpoints.get(endpoint_id) is None:
        raise EndpointNotFound()


async def list_deliveries(
    *,
    endpoints: EndpointRepository,
    deliveries: DeliveryRepository,
    endpoint_id: UUID,
    limit: int,
    cursor: str | None,
) -> DeliveryPage:
    after = decode_cursor(cursor) if cursor else None
    await _endpoint(endpoints, endpoint_id)
    rows = await deliveries.page(endpoint_id, limit=limit + 1, after=after)
    items, next_cursor = cut_page(rows, limit, lambda row: encode_cursor(row.created_at, row.id))
    found = await deliveries.attempts_of([row.id for row in items])
    return DeliveryPage(
        items=[delivery_view(row, found.get(row.id, [])) for row in items],
        next_cursor=next_cursor,
    )


async def get_delivery(
    *,
    endpoints: EndpointRepository,
    deliveries: DeliveryRepository,
    endpoint_id: UUID,
    delivery_id: UUID,
) -> Delivery:
    await _endpoint(endpoints, endpoint_id)
    row = await deliveries.get(endpoint_id, delivery_id)
    if row is None:
        raise DeliveryNotFound()
    found = await deliveries.attempts_of([row.id])
    return delivery_view(row, found.get(row.id, []))


async def replay_delivery(
    *,
    endpoints: EndpointRepository,
    deliveries: DeliveryRepository,
    audit: AuditLog,
    principal: Principal,
    endpoint_id: UUID,
    delivery_id: UUID,
) -> Delivery:
    endpoint = await endpoints.get(endpoint_id)
    if endpoint is None:
        raise EndpointNotFound()
    row = await deliveries.get(endpoint_id, delivery_id, for_update=True)
    if row is None:
        raise DeliveryNotFound()
    if endpoint.status != "enabled":
        raise EndpointDisabled()
    await deliveries.replay(delivery_id)
    await audit.append(
        actor=Actor.of(principal),
        action="webhook.delivery_replayed",
        resource_type="webhook_delivery",
        resource_id=str(delivery_id),
        payload={
            "endpoint_id": str(endpoint_id),
            "message_id": str(row.message_id),
            "event_type": row.event_type,
            "was": row.status,
        },
    )
    return await get_delivery(
        endpoints=endpoints, deliveries=deliveries, endpoint_id=endpoint_id, delivery_id=delivery_id
    )
