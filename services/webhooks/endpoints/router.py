"""Webhook endpoints: the owner lists the event types, registers where they go, changes,
disables, enables and deletes endpoints, and rotates their signing secrets. The secret is in
the answer to create and rotate only."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, VERSIONED_READ, IfMatch, etag, expected_version
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.webhooks.addresses import EndpointUrlRefused
from services.webhooks.endpoints import service
from services.webhooks.endpoints.repository import EndpointRepository
from services.webhooks.endpoints.schemas import (
    Endpoint,
    EndpointCreate,
    EndpointCreated,
    EndpointPage,
    EndpointStatusChange,
    EndpointUpdate,
    EventTypeList,
    SecretRotation,
)
from services.webhooks.endpoints.service import EndpointNotFound

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

READ = [requires(Permission.WEBHOOKS_READ)]
MANAGE = [requires(Permission.WEBHOOKS_MANAGE)]
AUDIT_SERVICE = "webhooks"
NOT_FOUND = problems(EndpointNotFound)


def _keys(request: Request) -> service.Keys:
    keys: service.Keys = request.app.state.webhook_keys
    return keys


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service=AUDIT_SERVICE)


def _not_stored(response: Response) -> None:
    # The answer carries a secret: no cache on the way may keep it (RFC 9111 section 5.2.2.5).
    response.headers["Cache-Control"] = "no-store"


@router.get("/event-types", dependencies=READ)
async def list_event_types() -> EventTypeList:
    """Every event type an endpoint can subscribe to, with what it means (docs/webhooks.md
    shows each payload)."""
    return service.event_types()


@router.get("/endpoints", dependencies=READ)
async def list_endpoints(
    connection: TenantConnection,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> EndpointPage:
    """The business's endpoints, oldest first, disabled ones included (with why)."""
    return await service.list_endpoints(
        endpoints=EndpointRepository.from_connection(connection), limit=limit, cursor=cursor
    )


@router.post(
    "/endpoints",
    status_code=201,
    dependencies=MANAGE,
    responses=merge_responses(problems(EndpointUrlRefused), VERSIONED_READ),
)
async def create_endpoint(
    body: EndpointCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
) -> EndpointCreated:
    """Register a receiver for some event types. The answer is the only time `secret` is
    shown: give it to the receiver now, which verifies every delivery's signature with it."""
    _not_stored(response)
    created = await service.create_endpoint(
        endpoints=EndpointRepository.from_connection(connection),
        audit=_audit(connection),
        keys=_keys(request),
        principal=principal,
        request=body,
    )
    response.headers["ETag"] = etag(created.version)
    return created


@router.get(
    "/endpoints/{endpoint_id}",
    dependencies=READ,
    responses=merge_responses(NOT_FOUND, VERSIONED_READ),
)
async def get_endpoint(
    endpoint_id: UUID, connection: TenantConnection, response: Response
) -> Endpoint:
    """The endpoint; its ETag is the version to send back when changing it."""
    endpoint = await service.get_endpoint(
        endpoints=EndpointRepository.from_connection(connection), endpoint_id=endpoint_id
    )
    response.headers["ETag"] = etag(endpoint.version)
    return endpoint


@router.patch(
    "/endpoints/{endpoint_id}",
    dependencies=MANAGE,
    responses=merge_responses(NOT_FOUND, VERSIONED, problems(EndpointUrlRefused)),
)
async def update_endpoint(
    endpoint_id: UUID,
    body: EndpointUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> Endpoint:
    """Change the URL, the description or the event types. Deliveries already made keep
    going to the endpoint, at its new URL."""
    endpoint = await service.update_endpoint(
        endpoints=EndpointRepository.from_connection(connection),
        audit=_audit(connection),
        keys=_keys(request),
        principal=principal,
        endpoint_id=endpoint_id,
        request=body,
        expected_version=expected_version(body.version, if_match),
    )
    response.headers["ETag"] = etag(endpoint.version)
    return endpoint


@router.delete(
    "/endpoints/{endpoint_id}", status_code=204, dependencies=MANAGE, responses=NOT_FOUND
)
async def delete_endpoint(
    endpoint_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> Response:
    """Remove the endpoint and its delivery log; nothing more is sent to it."""
    await service.delete_endpoint(
        endpoints=EndpointRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        endpoint_id=endpoint_id,
    )
    return Response(status_code=204)


@router.post("/endpoints/{endpoint_id}/disable", dependencies=MANAGE, responses=NOT_FOUND)
async def disable_endpoint(
    endpoint_id: UUID,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    body: EndpointStatusChange | None = None,
) -> Endpoint:
    """Stop sending to the endpoint. Its deliveries wait, and go when it is enabled again."""
    return await service.disable_endpoint(
        endpoints=EndpointRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        endpoint_id=endpoint_id,
    )


@router.post("/endpoints/{endpoint_id}/enable", dependencies=MANAGE, responses=NOT_FOUND)
async def enable_endpoint(
    endpoint_id: UUID,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    request: Request,
    body: EndpointStatusChange | None = None,
) -> Endpoint:
    """Send to the endpoint again (also one the worker disabled after repeated failure):
    its waiting deliveries go now."""
    endpoint = await service.enable_endpoint(
        endpoints=EndpointRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        endpoint_id=endpoint_id,
    )
    request.app.state.wake_worker(principal.tenant_id)
    return endpoint


@router.post("/endpoints/{endpoint_id}/rotate-secret", dependencies=MANAGE, responses=NOT_FOUND)
async def rotate_endpoint_secret(
    endpoint_id: UUID,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    body: SecretRotation | None = None,
) -> EndpointCreated:
    """A new signing secret, shown only in this answer. The current one keeps signing beside
    it for `grace_period_seconds` (default 24 hours): every delivery meanwhile carries both
    signatures. No body means the defaults."""
    _not_stored(response)
    return await service.rotate_secret(
        endpoints=EndpointRepository.from_connection(connection),
        audit=_audit(connection),
        keys=_keys(request),
        principal=principal,
        endpoint_id=endpoint_id,
        request=body or SecretRotation(),
    )
