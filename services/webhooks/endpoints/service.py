"""Endpoint rules: how an owner points the business's events at a receiver, changes, stops,
restarts and removes it, and replaces its signing secret.

The secret is made here and shown once, in the answer that creates the endpoint or rotates its
secret; it is kept encrypted (signing_secrets.py) and never goes into the audit log or a log
line. A rotation keeps the old secret signing beside the new one for a grace period (each
delivery then carries both signatures), so the receiver can switch without refusing one.
Every change is audited in its own transaction. The URL is checked against the SSRF rules
(addresses.py) on create and on every change of it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from libs.api.concurrency import VersionConflict
from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound
from libs.webhooks.events import DESCRIPTIONS, EventType
from services.webhooks.addresses import check_url
from services.webhooks.endpoints.repository import EndpointRepository, EndpointRow
from services.webhooks.endpoints.schemas import (
    Endpoint,
    EndpointCreate,
    EndpointCreated,
    EndpointPage,
    EndpointUpdate,
    EventTypeInfo,
    EventTypeList,
    SecretRotation,
)
from services.webhooks.settings import WebhookSettings
from services.webhooks.signing_secrets import SecretBox, new_secret

DISABLED_BY_OWNER = "by-owner"


class EndpointNotFound(NotFound):
    code = "webhook-endpoint-not-found"
    title = "No such webhook endpoint"


class EndpointDisabled(Conflict):
    code = "webhook-endpoint-disabled"
    title = "The endpoint is disabled; enable it first"


@dataclass(frozen=True, slots=True)
class Keys:
    """What endpoint rules need of the process: its settings and the secrets' key."""

    settings: WebhookSettings
    box: SecretBox


def event_types() -> EventTypeList:
    return EventTypeList(
        items=[EventTypeInfo(name=kind, description=DESCRIPTIONS[kind]) for kind in EventType]
    )


def endpoint_view(row: EndpointRow) -> Endpoint:
    return Endpoint(
        id=row.id,
        url=row.url,
        description=row.description,
        event_types=[EventType(kind) for kind in row.event_types],
        status="enabled" if row.status == "enabled" else "disabled",
        disabled_reason=row.disabled_reason,
        disabled_at=row.disabled_at,
        failing_since=row.failing_since,
        previous_secret_expires_at=row.previous_secret_expires_at,
        version=row.version,
        created_by=row.created_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _audit_view(row: EndpointRow) -> dict[str, Any]:
    return {
        "url": row.url,
        "description": row.description,
        "event_types": row.event_types,
        "status": row.status,
        "version": row.version,
    }


async def _audit(
    audit: AuditLog, principal: Principal, action: str, endpoint_id: UUID, payload: dict[str, Any]
) -> None:
    await audit.append(
        actor=Actor.of(principal),
        action=f"webhook_endpoint.{action}",
        resource_type="webhook_endpoint",
        resource_id=str(endpoint_id),
        payload=payload,
    )


def _unique(kinds: list[EventType]) -> list[str]:
    return sorted({kind.value for kind in kinds})


async def create_endpoint(
    *,
    endpoints: EndpointRepository,
    audit: AuditLog,
    keys: Keys,
    principal: Principal,
    request: EndpointCreate,
) -> EndpointCreated:
    await check_url(request.url, allow_loopback=keys.settings.webhooks_allow_loopback)
    endpoint_id = uuid.uuid4()
    secret = new_secret()
    row = await endpoints.insert(
        endpoint_id=endpoint_id,
        url=request.url,
        description=request.description,
        event_types=_unique(request.event_types),
        secret_ciphertext=keys.box.seal(endpoint_id, secret),
        created_by=principal.subject,
    )
    await _audit(audit, principal, "created", endpoint_id, _audit_view(row))
    return EndpointCreated(**endpoint_view(row).model_dump(), secret=secret)


async def list_endpoints(
    *, endpoints: EndpointRepository, limit: int, cursor: str | None
) -> EndpointPage:
    after = decode_cursor(cursor) if cursor else None
    rows = await endpoints.page(limit=limit + 1, after=after)
    items, next_cursor = cut_page(rows, limit, lambda row: encode_cursor(row.created_at, row.id))
    return EndpointPage(items=[endpoint_view(row) for row in items], next_cursor=next_cursor)


async def _found(endpoints: EndpointRepository, endpoint_id: UUID, *, lock: bool) -> EndpointRow:
    row = await endpoints.get(endpoint_id, for_update=lock)
    if row is None:
        raise EndpointNotFound()
    return row


async def get_endpoint(*, endpoints: EndpointRepository, endpoint_id: UUID) -> Endpoint:
    return endpoint_view(await _found(endpoints, endpoint_id, lock=False))


async def update_endpoint(
    *,
    endpoints: EndpointRepository,
    audit: AuditLog,
    keys: Keys,
    principal: Principal,
    endpoint_id: UUID,
    request: EndpointUpdate,
    expected_version: int,
) -> Endpoint:
    current = await _found(endpoints, endpoint_id, lock=True)
    if current.version != expected_version:
        raise VersionConflict(current.version)
    changes: dict[str, Any] = {}
    if request.url is not None and request.url != current.url:
        await check_url(request.url, allow_loopback=keys.settings.webhooks_allow_loopback)
        changes["url"] = request.url
    if request.description is not None and request.description != current.description:
        changes["description"] = request.description
    if request.event_types is not None:
        kinds = _unique(request.event_types)
        if kinds != current.event_types:
            changes["event_types"] = kinds
    if not changes:
        return endpoint_view(current)
    row = await endpoints.update(endpoint_id, changes)
    before = _audit_view(current)
    await _audit(
        audit,
        principal,
        "updated",
        endpoint_id,
        {
            "before": {name: before[name] for name in changes},
            "after": {name: _audit_view(row)[name] for name in changes},
            "version": row.version,
        },
    )
    return endpoint_view(row)


async def disable_endpoint(
    *, endpoints: EndpointRepository, audit: AuditLog, principal: Principal, endpoint_id: UUID
) -> Endpoint:
    """Stop sending; deliveries already made wait, and go when it is enabled again. Disabling
    a disabled endpoint changes nothing."""
    current = await _found(endpoints, endpoint_id, lock=True)
    if current.status == "disabled":
        return endpoint_view(current)
    row = await endpoints.disable(endpoint_id, reason=DISABLED_BY_OWNER)
    await _audit(audit, principal, "disabled", endpoint_id, {"reason": DISABLED_BY_OWNER})
    return endpoint_view(row)


async def enable_endpoint(
    *, endpoints: EndpointRepository, audit: AuditLog, principal: Principal, endpoint_id: UUID
) -> Endpoint:
    """Send again, starting the failure count afresh."""
    current = await _found(endpoints, endpoint_id, lock=True)
    if current.status == "enabled":
        return endpoint_view(current)
    row = await endpoints.enable(endpoint_id)
    await _audit(
        audit, principal, "enabled", endpoint_id, {"was_disabled": current.disabled_reason}
    )
    return endpoint_view(row)


async def delete_endpoint(
    *, endpoints: EndpointRepository, audit: AuditLog, principal: Principal, endpoint_id: UUID
) -> None:
    """Remove the endpoint with its delivery log; the audit log keeps what happened."""
    current = await _found(endpoints, endpoint_id, lock=True)
    await endpoints.delete(endpoint_id)
    await _audit(audit, principal, "deleted", endpoint_id, _audit_view(current))


async def rotate_secret(
    *,
    endpoints: EndpointRepository,
    audit: AuditLog,
    keys: Keys,
    principal: Principal,
    endpoint_id: UUID,
    request: SecretRotation,
) -> EndpointCreated:
    """A new secret, shown only in this answer. The current one keeps signing beside it for
    the grace period (a secret rotated out earlier and still in its grace stops now)."""
    current = await _found(endpoints, endpoint_id, lock=True)
    grace_seconds = request.grace_period_seconds
    if grace_seconds is None:
        grace_seconds = keys.settings.webhooks_rotation_grace_seconds
    secret = new_secret()
    row = await endpoints.rotate(
        endpoint_id,
        secret_ciphertext=keys.box.seal(endpoint_id, secret),
        previous=current.secret_ciphertext,
        grace=timedelta(seconds=grace_seconds),
    )
    await _audit(
        audit,
        principal,
        "secret_rotated",
        endpoint_id,
        {"grace_period_seconds": grace_seconds, "version": row.version},
    )
    return EndpointCreated(**endpoint_view(row).model_dump(), secret=secret)
