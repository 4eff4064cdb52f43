"""The outbox is written in the event's own transaction: a rolled-back event leaves no
message, a committed one always has it; the writer's role may only insert."""

from __future__ import annotations

import asyncpg
import pytest

from libs.tenancy.database import TenantDatabase
from libs.webhooks.outbox import Outbox
from libs.webhooks.payloads import OrderClosed
from tests.support.database import Connect, Provision, as_service


class RolledBack(Exception):
    pass


def _closed(receipt_number: str) -> OrderClosed:
    """The example sale, told apart by its receipt number."""
    example = OrderClosed.model_json_schema()["examples"][0]
    return OrderClosed.model_validate({**example, "receipt_number": receipt_number})


async def _messages(connect_as: Connect, tenant: object) -> list[str]:
    rows = await as_service(
        connect_as,
        "webhooks",
        tenant,
        "SELECT payload->>'receipt_number' AS n FROM webhooks.messages "
        "WHERE event_type = 'order.closed' ORDER BY recorded_at",
    )
    return [row["n"] for row in rows]


async def test_a_message_exists_exactly_when_its_transaction_commits(
    service_databases: dict[str, TenantDatabase], provision: Provision, connect_as: Connect
) -> None:
    tenant = await provision()
    orders = service_databases["orders"]
    with pytest.raises(RolledBack):
        async with orders.provisioning_transaction(tenant) as connection:
            await Outbox.from_connection(connection).emit(_closed("lost"))
            raise RolledBack()
    async with orders.provisioning_transaction(tenant) as connection:
        outbox = Outbox.from_connection(connection)
        async with connection.begin_nested() as savepoint:
            await outbox.emit(_closed("savepoint"))
            await savepoint.rollback()
        await outbox.emit(_closed("kept"))
    assert await _messages(connect_as, tenant) == ["kept"]


async def test_the_writers_may_only_insert_into_the_outbox(connect_as: Connect) -> None:
    for service in ("orders", "reports"):
        connection = await connect_as(service)
        for statement in (
            "SELECT * FROM webhooks.messages",
            "UPDATE webhooks.messages SET fanned_out_at = now()",
            "DELETE FROM webhooks.messages",
            "SELECT * FROM webhooks.endpoints",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await connection.execute(statement)
