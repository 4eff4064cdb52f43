"""Foundation: roles, one schema per service, tenant tables under RLS, the audit log.

A snapshot: the table declarations below are this revision's, not imported from the models
(which move on); `tests/invariants/test_migrations.py` proves models and migrations agree.

Revision ID: 20261123_1200
Revises:
Create Date: 2026-11-23 12:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.audit.chain import GENESIS_HASH
from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261123_1200"
down_revision = None
branch_labels = None
depends_on = None

SCHEMAS = ("identity", "orders", "audit", "reports", "billing", "bridge")
# The services of this revision, by name: later services bring their own roles and grants
# (libs.config.SERVICES moves on; a migration is a snapshot).
SERVICE_ROLES = tuple(f"halopos_{name}" for name in SCHEMAS)
# Services that write business rows, and therefore audit rows in the same transaction.
AUDIT_WRITERS = ("identity", "orders", "billing", "bridge")


def _now() -> sa.TextClause:
    return sa.text("now()")


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    ts = sa.DateTime(timezone=True)
    tenants = tenant_table(
        "tenants",
        metadata,
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=_now()),
        primary_key=(),
        constraints=(
            sa.CheckConstraint("region IN ('ap-southeast-2', 'eu-central-1')", name="region"),
            sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        ),
        schema="identity",
    )
    locations = tenant_table(
        "locations",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("time_zone", sa.Text(), nullable=False),
        sa.Column("business_day_cutoff_hour", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=_now()),
        primary_key=("id",),
        constraints=(
            sa.CheckConstraint(
                "business_day_cutoff_hour BETWEEN 0 AND 23", name="business_day_cutoff_hour"
            ),
        ),
        schema="identity",
    )
    orders = tenant_table(
        "orders",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=_now()),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        primary_key=("id",),
        constraints=(
            sa.CheckConstraint("status IN ('open', 'closed', 'voided')", name="status"),
            sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency"),
        ),
        schema="orders",
    )
    sa.Index(
        "ix_orders_created", orders.c.tenant_id, orders.c.created_at.desc(), orders.c.id.desc()
    )
    order_lines = tenant_table(
        "order_lines",
        metadata,
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        primary_key=("order_id", "line_number"),
        constraints=(
            tenant_fk(("order_id",), "orders.orders", ("id",)),
            sa.CheckConstraint("quantity > 0", name="quantity"),
            sa.CheckConstraint("unit_price_minor >= 0", name="unit_price_minor"),
        ),
        schema="orders",
    )
    idempotency_keys = tenant_table(
        "idempotency_keys",
        metadata,
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.LargeBinary(), nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=False),
        sa.Column("response", JSONB(), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=_now()),
        primary_key=("key",),
        schema="orders",
    )
    events = tenant_table(
        "events",
        metadata,
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", ts, nullable=False),
        sa.Column("recorded_at", ts, nullable=False, server_default=sa.text("clock_timestamp()")),
        sa.Column("service", sa.Text(), nullable=False),
        sa.Column("actor_type", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("resource_type", sa.Text(), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        primary_key=("seq",),
        constraints=(
            sa.UniqueConstraint("tenant_id", "prev_hash"),
            sa.UniqueConstraint("tenant_id", "id"),
            sa.CheckConstraint("seq > 0", name="seq"),
            sa.CheckConstraint(
                "octet_length(hash) = 32 AND octet_length(prev_hash) = 32", name="hash"
            ),
        ),
        schema="audit",
    )
    sa.Index("ix_events_occurred", events.c.tenant_id, events.c.occurred_at)
    chain_heads = tenant_table(
        "chain_heads",
        metadata,
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        primary_key=(),
        schema="audit",
    )
    return [tenants, locations, orders, order_lines, idempotency_keys, events, chain_heads]


def _ensure_roles() -> None:
    """Create the roles that do not exist yet, then refuse to go on if any is unsafe.

    Roles are cluster-wide and may predate this database. They are checked rather than
    altered: a managed Postgres admin (CREATEROLE, not superuser) may not change these
    attributes, and a service role found with SUPERUSER or BYPASSRLS is for a person to
    investigate, not for a migration to quietly repair.
    """
    service_roles = list(SERVICE_ROLES)
    for role, login in [(OWNER_ROLE, False)] + [(name, True) for name in service_roles]:
        op.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') "
            f"THEN CREATE ROLE {role} {'LOGIN' if login else 'NOLOGIN'}; END IF; END $$"
        )
    listed = ", ".join(f"'{name}'" for name in service_roles)
    op.execute(
        f"""
        DO $$ BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname IN ({listed}, '{OWNER_ROLE}')
                       AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb
                            OR rolreplication)) THEN
                RAISE EXCEPTION 'a halopos role holds SUPERUSER, BYPASSRLS, CREATEROLE, '
                    'CREATEDB or REPLICATION; refusing to migrate';
            END IF;
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}' AND rolcanlogin)
               OR EXISTS (SELECT FROM pg_roles WHERE rolname IN ({listed})
                          AND NOT rolcanlogin) THEN
                RAISE EXCEPTION 'halopos_owner must be NOLOGIN and service roles LOGIN';
            END IF;
            IF EXISTS (SELECT FROM pg_roles WHERE rolname IN ({listed})
                       AND pg_has_role(rolname, '{OWNER_ROLE}', 'MEMBER')) THEN
                RAISE EXCEPTION 'a service role is a member of {OWNER_ROLE}; refusing to migrate';
            END IF;
        END $$
        """
    )
    # The admin running migrations acts as the owner (SET ROLE) so the owner owns every table.
    # On 16+ without INHERIT: the admin holds none of the owner's privileges implicitly.
    op.execute(
        f"""
        DO $$ BEGIN
            IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                RETURN;
            ELSIF current_setting('server_version_num')::int >= 160000 THEN
                EXECUTE 'GRANT {OWNER_ROLE} TO ' || quote_ident(current_user)
                    || ' WITH INHERIT FALSE, SET TRUE';
            ELSE
                EXECUTE 'GRANT {OWNER_ROLE} TO ' || quote_ident(current_user);
            END IF;
        END $$
        """
    )


_AUDIT_FUNCTIONS = (
    """
CREATE FUNCTION audit.refuse_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on %.%',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$
""",
    """

-- Each entry must link to the one before it: seq 1 to the genesis hash, seq n to n-1's hash.
-- With the (tenant_id, seq) key and (tenant_id, prev_hash) uniqueness the chain cannot fork
-- or leave a gap, whoever writes.
CREATE FUNCTION audit.check_chain_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous bytea;
BEGIN
    IF NEW.seq = 1 THEN
        previous := '\\x{genesis}'::bytea;
    ELSE
        SELECT hash INTO previous FROM audit.events
         WHERE tenant_id = NEW.tenant_id AND seq = NEW.seq - 1;
    END IF;
    IF previous IS NULL OR previous <> NEW.prev_hash THEN
        RAISE EXCEPTION 'audit entry % does not link to the tenant''s previous entry', NEW.seq
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$
""".replace("{genesis}", GENESIS_HASH.hex()),
    "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON audit.events "
    "FOR EACH ROW EXECUTE FUNCTION audit.refuse_mutation()",
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_mutation()",
    "CREATE TRIGGER events_chain_link BEFORE INSERT ON audit.events "
    "FOR EACH ROW EXECUTE FUNCTION audit.check_chain_link()",
)


def _grant(privileges: str, tables: str, service: str) -> None:
    op.execute(f"GRANT {privileges} ON {tables} TO halopos_{service}")


def upgrade() -> None:
    _ensure_roles()
    for schema in SCHEMAS:
        op.execute(f"CREATE SCHEMA {schema} AUTHORIZATION {OWNER_ROLE}")
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for schema in SCHEMAS:
        op.execute(f"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC")
    for table in _tables():
        create_tenant_table(table)
    for statement in _AUDIT_FUNCTIONS:
        op.execute(statement)
    op.execute(
        "REVOKE ALL ON FUNCTION audit.refuse_mutation(), audit.check_chain_link() FROM PUBLIC"
    )

    # Least privilege: each service reaches its own schema, writers append to the audit log.
    for schema in SCHEMAS:
        op.execute(f"GRANT USAGE ON SCHEMA {schema} TO halopos_{schema}")
    _grant("SELECT, INSERT, UPDATE", "identity.tenants, identity.locations", "identity")
    _grant("SELECT, INSERT, UPDATE", "orders.orders, orders.order_lines", "orders")
    _grant("SELECT, INSERT", "orders.idempotency_keys", "orders")
    for writer in AUDIT_WRITERS:
        op.execute(f"GRANT USAGE ON SCHEMA audit TO halopos_{writer}")
        _grant("SELECT, INSERT", "audit.events", writer)
        _grant("SELECT, INSERT, UPDATE", "audit.chain_heads", writer)
    _grant("SELECT", "audit.events, audit.chain_heads", "audit")
    op.execute("RESET ROLE")


def downgrade() -> None:
    for schema in reversed(SCHEMAS):
        op.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
