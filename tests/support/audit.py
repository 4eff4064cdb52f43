"""Reading a tenant's audit chain and checking it links: each entry's hash covers the one
before it and its own chained fields, in a gapless sequence."""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg

from libs.audit.chain import GENESIS_HASH, entry_hash, format_timestamp
from tests.support.database import as_tenant


async def read_chain(connection: asyncpg.Connection, tenant: uuid.UUID) -> list[asyncpg.Record]:
    async with as_tenant(connection, tenant):
        return list(await connection.fetch("SELECT * FROM audit.events ORDER BY seq"))


def chained(row: asyncpg.Record, **changes: Any) -> dict[str, Any]:
    """A raw audit.events row's chained fields, in the form they are hashed."""
    entry = {
        "tenant_id": str(row["tenant_id"]),
        "seq": row["seq"],
        "id": str(row["id"]),
        "occurred_at": format_timestamp(row["occurred_at"]),
        "service": row["service"],
        "actor_type": row["actor_type"],
        "actor_id": row["actor_id"],
        "action": row["action"],
        "resource_type": row["resource_type"],
        "resource_id": row["resource_id"],
        "request_id": row["request_id"],
        "payload": json.loads(row["payload"]),
    }
    return {**entry, **changes}


def assert_valid_chain(rows: list[asyncpg.Record]) -> None:
    previous = GENESIS_HASH
    for expected_seq, row in enumerate(rows, start=1):
        assert row["seq"] == expected_seq, "the sequence must be gapless"
        assert bytes(row["prev_hash"]) == previous, f"entry {row['seq']} does not link"
        assert bytes(row["hash"]) == entry_hash(previous, chained(row)), (
            f"entry {row['seq']} altered"
        )
        previous = bytes(row["hash"])
