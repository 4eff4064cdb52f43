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
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from libs.audit.models import metadata as audit_metadata
from libs.auth.models import metadata as auth_metadata
from libs.bridge.models import metadata as bridge_metadata
from libs.tenancy.database import async_dsn
from libs.webhooks.models import metadata as outbox_metadata
from ops.database import alembic_config, recreate_database, with_database
from ops.platform import PreparedDatabase
from services.billing.models import metadata as billing_metadata
from services.identity.models import metadata as identity_metadata
from services.orders.models import metadata as orders_metadata
from services.reports.models import metadata as reports_metadata
from services.webhooks.models import metadata as webhooks_metadata

MODELS = (
    identity_metadata,
    orders_metadata,
    audit_metadata,
    auth_metadata,
    bridge_metadata,
    reports_metadata,
    billing_metadata,
    outbox_metadata,
    webhooks_metadata,
)
SCHEMAS = {"identity", "orders", "audit", "reports", "billing", "bridge", "auth", "webhooks"}


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
    # Named after this run's database, so concurrent runs (each with its own) do not collide.
    scratch = f"{make_url(database.admin_url).database}_upgrade"
    await recreate_database(database.admin_url, scratch)
    admin_url = with_database(database.admin_url, scratch)
    config = alembic_config(admin_url)
    revisions = [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()]
    tenant, order_id = uuid.uuid4(), uuid.uuid4()
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
                await connection.execute(
                    "INSERT INTO orders.orders (tenant_id, id, status, currency, total_minor, "
                    "created_by) VALUES ($1, $2, 'open', 'AUD', 900, 'till')",
                    tenant,
                    order_id,
                )
                await connection.execute(
                    "INSERT INTO orders.order_lines (tenant_id, order_id, line_number, name, "
                    "quantity, unit_price_minor, total_minor) "
                    "VALUES ($1, $2, 1, 'Flat white', 2, 450, 900)",
                    tenant,
                    order_id,
                )
        row = await connection.fetchrow(
            "SELECT name, owner_totp_required FROM identity.tenants WHERE tenant_id = $1", tenant
        )
        assert dict(row) == {"name": "Harbour Lane Cafe", "owner_totp_required": False}
        # The POS core gave the existing business its settings and its region's tax categories,
        # and the existing order kept its total.
        settings = await connection.fetchrow(
            "SELECT currency, prices_include_tax, cash_rounding_minor FROM orders.settings "
            "WHERE tenant_id = $1",
            tenant,
        )
        assert dict(settings) == {
            "currency": "AUD",
            "prices_include_tax": True,
            "cash_rounding_minor": 5,
        }
        rates = await connection.fetch(
            "SELECT c.code, r.rate_percent::text AS rate FROM orders.tax_categories c "
            "JOIN orders.tax_rates r ON r.tax_category_id = c.id AND r.tenant_id = c.tenant_id "
            "WHERE c.tenant_id = $1 ORDER BY c.code",
            tenant,
        )
        assert [tuple(rate) for rate in rates] == [("gst", "10.000"), ("gst-free", "0.000")]
        order = await connection.fetchrow(
            "SELECT o.total_minor, o.subtotal_minor, l.gross_minor, l.status FROM orders.orders o "
            "JOIN orders.order_lines l ON l.order_id = o.id WHERE o.id = $1",
            order_id,
        )
        assert dict(order) == {
            "total_minor": 900,
            "subtotal_minor": 900,
            "gross_minor": 900,
            "status": "active",
        }
        await asyncio.to_thread(command.downgrade, config, revisions[-1])
        assert await connection.fetchval("SELECT count(*) FROM identity.tenants") == 1
    finally:
        await connection.close()
