"""The webhook outbox: an event recorded for integrators in the transaction that makes it.

A writer calls `Outbox.emit(data)`, `data` the event's model (payloads.py; the model names
its event type), where it appends the event's audit entry. The message is written to
`webhooks.messages` just before COMMIT with the transaction's other held-back work
(`libs.tenancy.database.before_commit`), all of the transaction's messages in one statement;
so it exists exactly when the event does: a rolled-back sale (or savepoint, in
the offline sync) leaves no message, and a committed one always has its message, which the
webhooks service's worker then delivers however often it or the receiver restarts. The
writer's role may only INSERT here: it cannot read or change what other writers recorded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.database import before_commit, driver_connection
from libs.webhooks.events import EventType
from libs.webhooks.payloads import EventData

# The tenant comes from the transaction's own setting (the column default), never from here.
_INSERT = """
    INSERT INTO webhooks.messages (id, event_type, payload, occurred_at)
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::timestamptz[])
"""
_TRANSACTION_TENANT = "SELECT nullif(current_setting('app.tenant_id', true), '')::uuid"


@dataclass(frozen=True, slots=True)
class Message:
    id: UUID
    event_type: EventType
    payload_json: str
    occurred_at: datetime


class Outbox:
    """Records messages in the writer's tenant-bound transaction."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> Outbox:
        return cls(connection)

    async def emit(self, data: EventData, *, occurred_at: datetime | None = None) -> UUID:
        """Record the event; returns the message id (the deliveries' `webhook-id`). The data
        is serialised now, as JSON (UUIDs and times as text, times in UTC with a `Z`)."""
        message = Message(
            id=uuid.uuid4(),
            event_type=data.event_type,
            payload_json=data.model_dump_json(),
            occurred_at=occurred_at or datetime.now(UTC),
        )
        work = before_commit(self._connection)
        if work is not None:
            work.add(write_messages, message)
        else:
            # A transaction `TenantDatabase` did not open (a test's, an operator's): at once.
            driver = await driver_connection(self._connection)
            tenant_id = await driver.fetchval(_TRANSACTION_TENANT)
            if tenant_id is None:
                raise RuntimeError("a webhook message needs a transaction bound to a tenant")
            await write_messages(self._connection, tenant_id, [message])
        return message.id


async def write_messages(
    connection: AsyncConnection, tenant_id: UUID, messages: list[Message]
) -> None:
    """The transaction's messages, one statement, just before its COMMIT."""
    if not messages:
        return
    driver = await driver_connection(connection)
    await driver.execute(
        _INSERT,
        [message.id for message in messages],
        [message.event_type.value for message in messages],
        [message.payload_json for message in messages],
        [message.occurred_at for message in messages],
    )
