"""Append-only access to the audit log, used inside the writer's own transaction.

There is deliberately no update or delete here; the database refuses them too (grants and
triggers). Appends of one tenant serialise on the tenant's chain head row: the upsert below
takes its row lock, so concurrent writers get consecutive sequence numbers and each links to
the hash of the entry before it. Appends of different tenants never wait for each other.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.request_context import current_request_id
from libs.audit.chain import GENESIS_HASH, entry_hash, format_timestamp
from libs.auth.principal import Principal
from libs.tenancy.database import driver_connection

# Claims the next sequence number and returns the hash it must link to. The first append of
# a tenant creates the head (seq 1 links to the genesis hash); later ones bump it under the
# row lock. RLS binds the head row to the transaction's tenant.
ADVANCE_HEAD = """
    INSERT INTO audit.chain_heads (seq, hash) VALUES (1, $1)
    ON CONFLICT (tenant_id) DO UPDATE SET seq = audit.chain_heads.seq + 1
    RETURNING tenant_id, seq, hash
"""

INSERT_EVENT = """
    WITH event AS (
        INSERT INTO audit.events (seq, id, occurred_at, service, actor_type, actor_id, action,
                                  resource_type, resource_id, request_id, payload,
                                  prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)
    )
    UPDATE audit.chain_heads SET hash = $13 WHERE seq = $1
"""
# INSERT_EVENT's parameters, in order ($1 ... $13).
INSERT_EVENT_PARAMETERS = (
    "seq", "id", "occurred_at", "service", "actor_type", "actor_id", "action",
    "resource_type", "resource_id", "request_id", "payload", "prev_hash", "hash",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a principal's role and subject, or an operator acting from the CLI."""

    type: str
    id: str

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(type=principal.role.value, id=principal.subject)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    id: uuid.UUID
    hash: bytes


class AuditLog:
    """Append-only repository over the audit tables, bound to the writer's transaction."""

    def __init__(self, connection: AsyncConnection, *, service: str) -> None:
        self._connection = connection
        self._service = service

    @classmethod
    def from_connection(cls, connection: AsyncConnection, *, service: str) -> AuditLog:
        return cls(connection, service=service)

    async def append(
        self,
        *,
        actor: Actor,
        action: str,
        resource_type: str,
        resource_id: str,
        payload: dict[str, Any],
    ) -> AuditRecord:
        # The append runs on every write of the till: asyncpg directly, same transaction.
        driver = await driver_connection(self._connection)
        head = await driver.fetchrow(ADVANCE_HEAD, GENESIS_HASH)
        entry = new_entry(
            tenant_id=head["tenant_id"],
            seq=head["seq"],
            service=self._service,
            actor=actor,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            payload=payload,
            request_id=current_request_id(),
        )
        parameters = insert_parameters(entry, prev_hash=head["hash"])
        await driver.execute(INSERT_EVENT, *(parameters[name] for name in INSERT_EVENT_PARAMETERS))
        return AuditRecord(seq=head["seq"], id=parameters["id"], hash=parameters["hash"])


def new_entry(
    *,
    tenant_id: uuid.UUID,
    seq: int,
    service: str,
    actor: Actor,
    action: str,
    resource_type: str,
    resource_id: str,
    payload: dict[str, Any],
    request_id: str | None,
) -> dict[str, Any]:
    """The chained fields of a new entry, in the form they are hashed (see chain.py)."""
    return {
        "tenant_id": str(tenant_id),
        "seq": seq,
        "id": str(uuid.uuid4()),
        "occurred_at": format_timestamp(datetime.now(UTC)),
        "service": service,
        "actor_type": actor.type,
        "actor_id": actor.id,
        "action": action,
        "resource_type": resource_type,
        "resource_id": resource_id,
        "request_id": request_id,
        "payload": payload,
    }


def insert_parameters(entry: dict[str, Any], *, prev_hash: bytes) -> dict[str, Any]:
    """INSERT_EVENT's parameters for an entry that links to `prev_hash`."""
    return {
        **entry,
        "id": uuid.UUID(entry["id"]),
        "occurred_at": datetime.fromisoformat(entry["occurred_at"]),
        "payload": json.dumps(entry["payload"]),
        "prev_hash": prev_hash,
        "hash": entry_hash(prev_hash, entry),
    }
