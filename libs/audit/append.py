"""Append-only access to the audit log, used inside the writer's own transaction.

There is deliberately no update or delete here; the database refuses them too (grants and
triggers). Appends of one tenant serialise on the tenant's chain head row, so concurrent
writers get consecutive sequence numbers and each entry links to the hash of the one before.

That row lock is held until the transaction commits, so it is taken as late as possible:
`AuditLog.append` only keeps the entry (its `occurred_at` and id are fixed then), and the
transaction writes all of its entries in one statement just before COMMIT
(`libs.tenancy.database.before_commit`): lock the head, chain the entries on from it, insert
them, move the head. The hashes are finished by Postgres inside that statement (SHA-256 over
the canonical bytes this module prepared around the seq: chain.canonical_around_seq), so the
lock is held for that one statement and the commit, with no round trip to Python between.
Appends of different tenants never wait for each other.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.chain import GENESIS_HASH, canonical_around_seq, format_timestamp
from libs.auth.principal import Principal
from libs.request_ids import current_request_id
from libs.tenancy.database import before_commit, driver_connection

# Writes a transaction's entries in order: locks the tenant's head row (RLS binds it to the
# transaction's tenant), chains each entry onto the one before, inserts them (the insert
# trigger checks each link again) and moves the head to the last. hash = SHA-256(prev_hash ||
# canonical entry), the canonical entry being `before || seq digits || after`. No row comes
# back when the tenant has no head yet ($13 also guards that the entries were prepared for
# this tenant).
WRITE_ENTRIES = """
    WITH RECURSIVE
    head AS (
        SELECT tenant_id, seq, hash FROM audit.chain_heads FOR UPDATE
    ),
    entry AS (
        SELECT *
          FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[],
                      $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                      $11::bytea[], $12::bytea[])
               WITH ORDINALITY AS entry(id, occurred_at, service, actor_type, actor_id, action,
                                        resource_type, resource_id, request_id, payload,
                                        before_seq, after_seq, position)
    ),
    chain AS (
        SELECT entry.position, head.seq + 1 AS seq, head.hash AS prev_hash,
               sha256(head.hash || entry.before_seq
                      || convert_to((head.seq + 1)::text, 'UTF8') || entry.after_seq) AS hash
          FROM head JOIN entry ON entry.position = 1
         WHERE head.tenant_id = $13
        UNION ALL
        SELECT entry.position, chain.seq + 1, chain.hash,
               sha256(chain.hash || entry.before_seq
                      || convert_to((chain.seq + 1)::text, 'UTF8') || entry.after_seq)
          FROM chain JOIN entry ON entry.position = chain.position + 1
    ),
    inserted AS (
        INSERT INTO audit.events (seq, id, occurred_at, service, actor_type, actor_id, action,
                                  resource_type, resource_id, request_id, payload,
                                  prev_hash, hash)
        SELECT chain.seq, entry.id, entry.occurred_at, entry.service, entry.actor_type,
               entry.actor_id, entry.action, entry.resource_type, entry.resource_id,
               entry.request_id, entry.payload::jsonb, chain.prev_hash, chain.hash
          FROM chain JOIN entry USING (position)
         ORDER BY chain.position
    )
    UPDATE audit.chain_heads AS head SET seq = last.seq, hash = last.hash
      FROM (SELECT seq, hash FROM chain ORDER BY position DESC LIMIT 1) AS last
    RETURNING head.seq
"""

# A tenant's first entries: the head they chain onto, at seq 0 and the genesis hash. It is
# committed only with those entries; a concurrent first writer waits here, then finds it.
CREATE_HEAD = """
    INSERT INTO audit.chain_heads (seq, hash) VALUES (0, $1)
    ON CONFLICT (tenant_id) DO NOTHING
"""

_TRANSACTION_TENANT = "SELECT nullif(current_setting('app.tenant_id', true), '')::uuid"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a principal's role and subject, or an operator acting from the CLI."""

    type: str
    id: str

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(type=principal.role.value, id=principal.subject)


@dataclass(frozen=True, slots=True)
class PendingEntry:
    """An appended entry waiting for its transaction's commit, which gives it its seq. Fixed
    at the append, canonical bytes included, so nothing the caller changes later (the
    payload dict, say) can make the stored row differ from what is hashed."""

    id: UUID
    occurred_at: datetime
    service: str
    actor: Actor
    action: str
    resource_type: str
    resource_id: str
    request_id: str | None
    payload_json: str
    before_seq: bytes
    after_seq: bytes


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
    ) -> UUID:
        """Records the entry, written when the transaction commits (or not at all when it, or
        the savepoint it was appended in, rolls back); returns its id. A payload the chain
        does not allow is refused here, at the append. On a connection whose transaction
        `TenantDatabase` did not open, the entry is written at once instead."""
        work = before_commit(self._connection)
        if work is not None:
            tenant_id = work.tenant_id
        else:
            driver = await driver_connection(self._connection)
            tenant_id = await driver.fetchval(_TRANSACTION_TENANT)
            if tenant_id is None:
                raise RuntimeError("an audit entry needs a transaction bound to a tenant")
        entry = pending_entry(
            tenant_id=tenant_id,
            service=self._service,
            actor=actor,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            payload=payload,
            request_id=current_request_id(),
        )
        if work is not None:
            work.add(write_entries, entry)
        else:
            await write_entries(self._connection, tenant_id, [entry])
        return entry.id


def pending_entry(
    *,
    tenant_id: UUID,
    service: str,
    actor: Actor,
    action: str,
    resource_type: str,
    resource_id: str,
    payload: dict[str, Any],
    request_id: str | None,
) -> PendingEntry:
    """A new entry, stamped now; raises ValueError for a payload the chain does not allow."""
    entry_id, occurred_at = uuid.uuid4(), datetime.now(UTC)
    chained = {
        "tenant_id": str(tenant_id),
        "id": str(entry_id),
        "occurred_at": format_timestamp(occurred_at),
        "service": service,
        "actor_type": actor.type,
        "actor_id": actor.id,
        "action": action,
        "resource_type": resource_type,
        "resource_id": resource_id,
        "request_id": request_id,
        "payload": payload,
    }
    before_seq, after_seq = canonical_around_seq(chained)
    return PendingEntry(
        id=entry_id,
        occurred_at=occurred_at,
        service=service,
        actor=actor,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        request_id=request_id,
        payload_json=json.dumps(payload),
        before_seq=before_seq,
        after_seq=after_seq,
    )


async def write_entries(
    connection: AsyncConnection, tenant_id: UUID, entries: list[PendingEntry]
) -> None:
    """The transaction's held-back entries, written just before its COMMIT."""
    await write_chained(await driver_connection(connection), tenant_id, entries)


async def write_chained(
    driver: asyncpg.Connection, tenant_id: UUID, entries: Sequence[PendingEntry]
) -> None:
    """Chain and insert entries, in order, in the open transaction of `driver` (bound to
    `tenant_id`): one statement, two for a tenant's very first entries."""
    if not entries:
        return
    parameters = (
        [entry.id for entry in entries],
        [entry.occurred_at for entry in entries],
        [entry.service for entry in entries],
        [entry.actor.type for entry in entries],
        [entry.actor.id for entry in entries],
        [entry.action for entry in entries],
        [entry.resource_type for entry in entries],
        [entry.resource_id for entry in entries],
        [entry.request_id for entry in entries],
        [entry.payload_json for entry in entries],
        [entry.before_seq for entry in entries],
        [entry.after_seq for entry in entries],
        tenant_id,
    )
    if await driver.fetchval(WRITE_ENTRIES, *parameters) is None:
        await driver.execute(CREATE_HEAD, GENESIS_HASH)
        if await driver.fetchval(WRITE_ENTRIES, *parameters) is None:
            raise RuntimeError(f"audit entries could not be chained for tenant {tenant_id}")
