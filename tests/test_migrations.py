"""The models (what the code queries) and the migrations (what the database is) agree."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

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
