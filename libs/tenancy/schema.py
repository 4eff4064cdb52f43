"""Declaring tenant-scoped tables, in models (SQLAlchemy metadata) and in migrations.

`tenant_table()` is the single helper for a tenant-scoped table. It always produces:
- `tenant_id uuid NOT NULL`, defaulting to the transaction's tenant (so code never supplies it),
- a primary key that starts with `tenant_id`,
- a foreign key from `tenant_id` to the tenant registry (`identity.tenants`),
and, when created through `create_tenant_table()` in a migration, row-level security ENABLED
and FORCED with one policy for all commands, USING and WITH CHECK on `TENANT_PREDICATE`.
Foreign and unique keys are written with `tenant_id` first by the caller (`tenant_fk`).

Migrations call these helpers too, so what they produce is part of every past migration:
once a release is out, change their output only together with a migration that brings
existing databases along.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid"
# Unset or empty setting -> NULL -> no row matches: never all rows.
TENANT_PREDICATE = f"tenant_id = {CURRENT_TENANT}"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def tenant_id_column() -> sa.Column[Any]:
    return sa.Column("tenant_id", sa.Uuid(), nullable=False, server_default=sa.text(CURRENT_TENANT))


# The tenant registry every tenant-scoped row references.
TENANTS_TABLE = "identity.tenants"


def tenant_table(
    name: str,
    metadata: sa.MetaData,
    *columns: sa.Column[Any],
    primary_key: tuple[str, ...],
    constraints: tuple[sa.Constraint, ...] = (),
    schema: str,
) -> sa.Table:
    """A tenant-scoped table: `tenant_id` first, first in the primary key, and a foreign key
    to the tenant registry, so no row exists for a tenant that was never provisioned.
    (Postgres checks foreign keys outside row-level security, so the writer needs no access
    to the identity schema.)"""
    registry: tuple[sa.Constraint, ...] = ()
    if f"{schema}.{name}" != TENANTS_TABLE:
        registry = (sa.ForeignKeyConstraint(["tenant_id"], [f"{TENANTS_TABLE}.tenant_id"]),)
    return sa.Table(
        name,
        metadata,
        tenant_id_column(),
        *columns,
        sa.PrimaryKeyConstraint("tenant_id", *primary_key),
        *registry,
        *constraints,
        schema=schema,
    )


def tenant_fk(
    columns: tuple[str, ...], target: str, target_columns: tuple[str, ...]
) -> sa.ForeignKeyConstraint:
    """A foreign key that includes tenant_id, so no row can point at another tenant's row."""
    return sa.ForeignKeyConstraint(
        ["tenant_id", *columns], [f"{target}.tenant_id", *(f"{target}.{c}" for c in target_columns)]
    )


def rls_statements(schema: str, table: str) -> list[str]:
    qualified = f"{schema}.{table}"
    return [
        f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {qualified} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {qualified} AS PERMISSIVE FOR ALL "
        f"USING ({TENANT_PREDICATE}) WITH CHECK ({TENANT_PREDICATE})",
    ]


def create_tenant_table(table: sa.Table) -> None:
    """Migration helper: create a table declared with `tenant_table()` and lock it to tenants."""
    from alembic import op

    assert table.schema is not None, "tenant tables live in a service schema"
    assert next(iter(table.primary_key.columns.keys())) == "tenant_id"
    table.create(op.get_bind())
    for statement in rls_statements(table.schema, table.name):
        op.execute(statement)
