"""The delivery log's SQL, and the worker's: fanning messages out, claiming due deliveries,
recording attempts. Everything runs in a transaction bound to one tenant (a request's, or the
worker's `scheduled_transaction` for a tenant the database named); no statement names one."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.repository import Repository
from libs.webhooks.models import messages
from services.webhooks.models import attempts, deliveries, endpoints

_PENDING_TENANTS = sa.text(
    "SELECT tenant_id FROM webhooks.tenants_with_pending_work() AS tenant_id"
)


@dataclass(frozen=True, slots=True)
class AttemptRow:
    number: int
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    id: UUID
    endpoint_id: UUID
    message_id: UUID
    event_type: str
    occurred_at: datetime
    data: dict[str, Any]
    status: str
    attempt_count: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Claimed:
    """A due delivery the worker took, with what sending it needs."""

    id: UUID
    endpoint_id: UUID
    url: str
    secret_ciphertext: bytes
    previous_secret_ciphertext: bytes | None
    message_id: UUID
    event_type: str
    occurred_at: datetime
    data: dict[str, Any]
    attempt_count: int
    attempts_in_round: int


@dataclass(frozen=True, slots=True)
class EndpointHealth:
    id: UUID
    status: str
    failing_since: datetime | None
    exhausted_in_a_row: int
    url: str


_LOG_COLUMNS = (
    deliveries.c.id,
    deliveries.c.endpoint_id,
    deliveries.c.message_id,
    messages.c.event_type,
    messages.c.occurred_at,
    messages.c.payload.label("data"),
    deliveries.c.status,
    deliveries.c.attempt_count,
    deliveries.c.next_attempt_at,
    deliveries.c.last_attempt_at,
    deliveries.c.delivered_at,
    deliveries.c.created_at,
)
# Joins match ids only: row-level security shows each table's rows of the bound tenant alone.
_WITH_MESSAGE = deliveries.join(messages, messages.c.id == deliveries.c.message_id)


class DeliveryRepository(Repository):
    # -- the delivery log ----------------------------------------------------------------------

    async def page(
        self, endpoint_id: UUID, *, limit: int, after: tuple[datetime, UUID] | None
    ) -> list[DeliveryRow]:
        """Newest first."""
        query = (
            sa.select(*_LOG_COLUMNS)
            .select_from(_WITH_MESSAGE)
            .where(deliveries.c.endpoint_id == endpoint_id)
            .order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc())
            .limit(limit)
        )
        if after is not None:
            query = query.where(sa.tuple_(deliveries.c.created_at, deliveries.c.id) < after)
        return [DeliveryRow(**row._mapping) for row in await self._connection.execute(query)]

    async def get(
        self, endpoint_id: UUID, delivery_id: UUID, *, for_update: bool = False
    ) -> DeliveryRow | None:
        query = (
            sa.select(*_LOG_COLUMNS)
            .select_from(_WITH_MESSAGE)
            .where(deliveries.c.endpoint_id == endpoint_id, deliveries.c.id == delivery_id)
        )
        if for_update:
            query = query.with_for_update(of=deliveries)
        row = (await self._connection.execute(query)).first()
        return DeliveryRow(**row._mapping) if row is not None else None

    async def attempts_of(self, delivery_ids: Sequence[UUID]) -> dict[UUID, list[AttemptRow]]:
        if not delivery_ids:
            return {}
        query = (
            sa.select(attempts)
            .where(attempts.c.delivery_id.in_(delivery_ids))
            .order_by(attempts.c.delivery_id, attempts.c.number)
        )
        found: dict[UUID, list[AttemptRow]] = defaultdict(list)
        for row in await self._connection.execute(query):
            found[row.delivery_id].append(
                AttemptRow(
                    number=row.number,
                    attempted_at=row.attempted_at,
                    status_code=row.status_code,
                    duration_ms=row.duration_ms,
                    error=row.error,
                )
            )
        return found

    async def replay(self, delivery_id: UUID) -> None:
        """Due now, with a fresh retry schedule; its attempts so far stay in the log."""
        await self._connection.execute(
            sa.update(deliveries)
            .where(deliveries.c.id == delivery_id)
            .values(status="pending", next_attempt_at=sa.func.now(), attempts_in_round=0)
        )

    # -- the worker ----------------------------------------------------------------------------

    async def fan_out(self, limit: int) -> int:
        """A delivery per message waiting and endpoint subscribed to its type that existed when
        the message was recorded, then the messages marked; messages another worker holds are
        skipped. A disabled endpoint gets its deliveries too: they wait (claim_due takes only
        enabled endpoints') and go when it is enabled, so an outage loses no event. Answers
        how many messages were fanned out."""
        waiting = list(
            (
                await self._connection.execute(
                    sa.select(messages.c.id)
                    .where(messages.c.fanned_out_at.is_(None))
                    .order_by(messages.c.recorded_at)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ).scalars()
        )
        if not waiting:
            return 0
        subscribed = (
            sa.select(
                sa.func.gen_random_uuid(),
                endpoints.c.id,
                messages.c.id,
                sa.literal("pending"),
                sa.func.now(),
            )
            .select_from(
                messages.join(
                    endpoints,
                    sa.and_(
                        messages.c.event_type == sa.any_(endpoints.c.event_types),
                        # What happened before the endpoint existed is not its history.
                        endpoints.c.created_at <= messages.c.recorded_at,
                    ),
                )
            )
            .where(messages.c.id.in_(waiting))
        )
        await self._connection.execute(
            upsert(deliveries)
            .from_select(
                ["id", "endpoint_id", "message_id", "status", "next_attempt_at"], subscribed
            )
            .on_conflict_do_nothing()
        )
        await self._connection.execute(
            sa.update(messages)
            .where(messages.c.id.in_(waiting))
            .values(fanned_out_at=sa.func.clock_timestamp())
        )
        return len(waiting)

    async def claim_due(self, *, limit: int, lease: timedelta) -> list[Claimed]:
        """Take due deliveries of enabled endpoints that no other worker holds, and move each
        one's next attempt past `lease`: until then nobody else takes it, and if this worker
        dies mid-send it is due again then (same `webhook-id`: the receiver drops a repeat)."""
        due = (
            sa.select(deliveries.c.id)
            .select_from(
                deliveries.join(
                    endpoints,
                    endpoints.c.id == deliveries.c.endpoint_id,
                )
            )
            .where(
                deliveries.c.status == "pending",
                deliveries.c.next_attempt_at <= sa.func.now(),
                endpoints.c.status == "enabled",
            )
            .order_by(deliveries.c.next_attempt_at)
            .limit(limit)
            .with_for_update(of=deliveries, skip_locked=True)
        )
        taken = list(
            (
                await self._connection.execute(
                    sa.update(deliveries)
                    .where(deliveries.c.id.in_(due.scalar_subquery()))
                    .values(next_attempt_at=sa.func.now() + lease)
                    .returning(deliveries.c.id)
                )
            ).scalars()
        )
        if not taken:
            return []
        query = (
            sa.select(
                deliveries.c.id,
                deliveries.c.endpoint_id,
                endpoints.c.url,
                endpoints.c.secret_ciphertext,
                sa.case(
                    (
                        endpoints.c.previous_secret_expires_at > sa.func.now(),
                        endpoints.c.previous_secret_ciphertext,
                    ),
                    else_=sa.null(),
                ).label("previous_secret_ciphertext"),
                deliveries.c.message_id,
                messages.c.event_type,
                messages.c.occurred_at,
                messages.c.payload.label("data"),
                deliveries.c.attempt_count,
                deliveries.c.attempts_in_round,
            )
            .select_from(
                _WITH_MESSAGE.join(
                    endpoints,
                    endpoints.c.id == deliveries.c.endpoint_id,
                )
            )
            .where(deliveries.c.id.in_(taken))
            .order_by(deliveries.c.created_at)
        )
        claimed = []
        for row in await self._connection.execute(query):
            values = dict(row._mapping)
            values["secret_ciphertext"] = bytes(values["secret_ciphertext"])
            if values["previous_secret_ciphertext"] is not None:
                values["previous_secret_ciphertext"] = bytes(values["previous_secret_ciphertext"])
            claimed.append(Claimed(**values))
        return claimed

    async def record_attempt(
        self,
        delivery_id: UUID,
        *,
        attempted_at: datetime,
        status_code: int | None,
        duration_ms: int,
        error: str | None,
        next_attempt_at: datetime | None,
        outcome: str,
    ) -> int:
        """The attempt in the log and the delivery moved on: `delivered`, `pending` again at
        `next_attempt_at`, or `failed`. Answers the attempt's number."""
        number = (
            await self._connection.execute(
                sa.update(deliveries)
                .where(deliveries.c.id == delivery_id)
                .values(
                    status=outcome,
                    attempt_count=deliveries.c.attempt_count + 1,
                    attempts_in_round=deliveries.c.attempts_in_round + 1,
                    next_attempt_at=next_attempt_at,
                    last_attempt_at=attempted_at,
                    delivered_at=attempted_at if outcome == "delivered" else None,
                )
                .returning(deliveries.c.attempt_count)
            )
        ).scalar_one()
        await self._connection.execute(
            sa.insert(attempts).values(
                delivery_id=delivery_id,
                number=number,
                attempted_at=attempted_at,
                status_code=status_code,
                duration_ms=duration_ms,
                error=error,
            )
        )
        return int(number)

    async def endpoint_health(
        self, endpoint_id: UUID, *, succeeded: bool, exhausted: bool, at: datetime
    ) -> EndpointHealth | None:
        """The endpoint's failure evidence after an attempt: cleared by a success; on a
        failure, since when it fails, and how many messages in a row spent their schedule."""
        if succeeded:
            values: dict[str, Any] = {"failing_since": None, "exhausted_in_a_row": 0}
        else:
            values = {"failing_since": sa.func.coalesce(endpoints.c.failing_since, at)}
            if exhausted:
                values["exhausted_in_a_row"] = endpoints.c.exhausted_in_a_row + 1
        row = (
            await self._connection.execute(
                sa.update(endpoints)
                .where(endpoints.c.id == endpoint_id)
                .values(**values)
                .returning(
                    endpoints.c.id,
                    endpoints.c.status,
                    endpoints.c.failing_since,
                    endpoints.c.exhausted_in_a_row,
                    endpoints.c.url,
                )
            )
        ).first()
        return EndpointHealth(**row._mapping) if row is not None else None

    async def disable_endpoint(self, endpoint_id: UUID, reason: str) -> None:
        await self._connection.execute(
            sa.update(endpoints)
            .where(endpoints.c.id == endpoint_id, endpoints.c.status == "enabled")
            .values(
                status="disabled",
                disabled_reason=reason,
                disabled_at=sa.func.now(),
                version=endpoints.c.version + 1,
                updated_at=sa.func.now(),
            )
        )


async def tenants_with_pending_work(connection: AsyncConnection) -> list[UUID]:
    return list((await connection.execute(_PENDING_TENANTS)).scalars())
