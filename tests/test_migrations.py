"""The models (what the code queries) and the migrations (what the database is) agree."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from deploy.database import alembic_config, recreate_database, with_database
from deploy.platform import PreparedDatabase
from libs.audit.models import metadata as audit_metadata
from libs.auth.models import metadata as auth_metadata
from libs.tenancy.database import async_dsn
from services.identity.models import metadata as identity_metadata
from services.orders.models import metadata as orders_metadata

MODELS = (identity_metadata, orders_metadata, audit_metadata, auth_metadata)
SCHEMAS = {"identity", "orders", "audit", "reports", "billing", "bridge", "auth"}


def _differences(connection: sa.Connection) -> list[Any]:
    def ours(name: str | None, kind: str, parent: dict[str, str | None]) -> bool:
        if kind == "schema":
            return name in SCHEMAS
        return True

    context = MigrationContext.configure(
        connection,
        opts={"include_schemas": True, "include_name": ours, "compare_type": True},
    )
    combined = sa.MetaData()
    for metadata in MODELS:
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return compare_metadata(context, combined)


async def test_models_match_the_migrated_schema(database: PreparedDatabase) -> None:
    engine = create_async_engine(async_dsn(database.admin_url))
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await engine.dispose()
    assert differences == []


async def test_each_migration_applies_over_a_database_with_data(
    database: PreparedDatabase,
) -> None:
    """Upgrades run on databases that hold tenants, not only on empty ones: migrate a scratch
    database to each revision in turn, with a tenant in it from the first, and check the
    rows survive with the new columns' defaults (and the downgrades run back)."""
    scratch = "halopos_test_upgrade"
    await recreate_database(database.admin_url, scratch)
    admin_url = with_database(database.admin_url, scratch)
    config = alembic_config(admin_url)
    revisions = [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]
    tenant = uuid.uuid4()
    connection = await asyncpg.connect(admin_url)
    try:
        for index, revision in enumerate(reversed(revisions)):
            await asyncio.to_thread(command.upgrade, config, revision)
            if index == 0:  # a superuser connection: row-level security does not apply
                await connection.execute(
                    "INSERT INTO identity.tenants (tenant_id, name, region, currency) "
                    "VALUES ($1, 'Harbour Lane Cafe', 'ap-southeast-2', 'AUD')",
                    tenant,
                )
        row = await connection.fetchrow(
            "SELECT name, owner_totp_required FROM identity.tenants WHERE tenant_id = $1", tenant
        )
        assert dict(row) == {"name": "Harbour Lane Cafe", "owner_totp_required": False}
        await asyncio.to_thread(command.downgrade, config, revisions[-1])
        assert await connection.fetchval("SELECT count(*) FROM identity.tenants") == 1
    finally:
        await connection.close()
