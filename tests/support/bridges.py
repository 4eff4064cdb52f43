"""Arranging Bridges for tests: a location, a Bridge token for it, and print jobs queued at it,
each written through the role of the service that owns the rows (never as a superuser)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clients.session import DPoPAuth
from libs.audit.append import Actor, AuditLog
from libs.auth.opaque_credentials import Kind, new_credential
from libs.bridge.queue import PrintJob, PrintQueue
from libs.bridge.settings import PrintSettings
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from tests.support.database import Connect, Provision, as_service, as_tenant, service_connections
from tests.support.tills import new_location
from tests.support.tokens import TokenFactory

if TYPE_CHECKING:
    from services.bridge.print_jobs.wakeups import PrintJobWakeups

ESC_POS_HELLO = b"\x1b@Flat white x2\n\x1dV\x00"


async def new_bridge_token(connect_as: Connect, tenant: uuid.UUID, location_id: uuid.UUID) -> str:
    """A Bridge token for the location, stored as the bridge service stores one (its digest
    only); returns the token the Bridge presents."""
    credential = new_credential(Kind.BRIDGE_TOKEN, tenant)
    token_id = uuid.uuid4()
    connection = await connect_as("bridge")
    async with as_tenant(connection, tenant):
        await connection.execute(
            "INSERT INTO bridge.tokens (id, location_id, name, hint, created_by) "
            "VALUES ($1, $2, 'Kitchen Mac mini', $3, 'test')",
            token_id,
            location_id,
            credential.secret[-4:],
        )
        await connection.execute(
            "INSERT INTO bridge.token_secrets (digest, token_id) VALUES ($1, $2)",
            credential.digest,
            token_id,
        )
    return str(credential)


async def bridge_token_at_new_location(database: PreparedDatabase, tenant: uuid.UUID) -> str:
    """A Bridge token for a new location of the tenant, outside any test's `connect_as` (for
    module-scoped fixtures)."""
    async with service_connections(database.service_urls) as connect:
        return await new_bridge_token(connect, tenant, await new_location(connect, tenant))


async def queue_job(
    databases: dict[str, TenantDatabase],
    tenant: uuid.UUID,
    location_id: uuid.UUID,
    *,
    printer_role: str = "receipt",
    kind: str = "receipt",
    summary: str = "Receipt R1-000001",
    body: bytes = ESC_POS_HELLO,
    settings: PrintSettings | None = None,
) -> uuid.UUID:
    """Queue a job as the orders service does: its role, its queue, its audit row."""
    async with databases["orders"].provisioning_transaction(tenant) as connection:
        queue = PrintQueue.from_connection(
            connection,
            audit=AuditLog.from_connection(connection, service="orders"),
            settings=settings or PrintSettings(),
        )
        return await queue.enqueue(
            PrintJob(
                location_id=location_id,
                printer_role=printer_role,
                kind=kind,
                summary=summary,
                body=body,
            ),
            actor=Actor("test", "test"),
        )


# Where owners manage their Bridge tokens.
TOKENS = "/v1/admin/security/bridge-tokens"


@dataclass(frozen=True)
class Business:
    """A business with a venue and its owner, who manages the venue's Bridge tokens."""

    tenant: uuid.UUID
    location: uuid.UUID
    owner: DPoPAuth
    owner_subject: str


async def add_location(connect_as: Connect, tenant: uuid.UUID) -> uuid.UUID:
    location_id = uuid.uuid4()
    await as_service(
        connect_as,
        "identity",
        tenant,
        "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour) "
        "VALUES ($1, 'Harbour Lane', 'Australia/Sydney', 3)",
        location_id,
    )
    return location_id


async def open_business(provision: Provision, connect_as: Connect, token: TokenFactory) -> Business:
    tenant = await provision()
    location = await add_location(connect_as, tenant)
    subject = f"owner-{uuid.uuid4().hex[:8]}"
    return Business(tenant, location, token(tenant, Role.OWNER, subject), subject)


async def as_bridge(connect_as: Connect, tenant: uuid.UUID, query: str, *args: Any) -> list[Any]:
    return await as_service(connect_as, "bridge", tenant, query, *args)


async def until_listening(wakeups: PrintJobWakeups) -> None:
    """Wait (up to 10 s) until the bridge service's NOTIFY listener has connected."""
    for _ in range(200):
        if wakeups.listening:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the print job listener never connected")
