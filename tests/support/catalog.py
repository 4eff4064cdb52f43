"""The Postgres catalog as the invariant tests read it: the tables of the services' schemas."""

from __future__ import annotations

import asyncpg

SCHEMAS = ["identity", "orders", "audit", "reports", "billing", "bridge", "auth", "webhooks"]


async def tenant_tables(admin: asyncpg.Connection) -> list[asyncpg.Record]:
    """Every table of the services' schemas (ordinary and partitioned), by schema and name."""
    rows = await admin.fetch(
        """
        SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relrowsecurity,
               c.relforcerowsecurity, pg_get_userbyid(c.relowner) AS owner
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
         ORDER BY 2, 3
        """,
        SCHEMAS,
    )
    return list(rows)
