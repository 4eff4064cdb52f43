"""Webhooks: outbound events for integrators, an outbox written in the event's transaction.

- A new login role `halopos_webhooks` and schema `webhooks`, checked like every service role
  (NOSUPERUSER, NOBYPASSRLS, not a member of the owner); like every service it appends audit
  entries, spends DPoP proofs and reads the business's subscription status.
- `webhooks.messages`: the outbox. The orders and reports roles may only INSERT (the event's
  own transaction writes it: libs/webhooks/outbox.py); the webhooks role reads it, marks
  each message fanned out, and records `endpoint.disabled` itself. Never deleted by the
  services.
- `webhooks.endpoints`, `deliveries`, `attempts`: the webhooks service's own
  (services/webhooks/models.py).
- `webhooks.tenants_with_pending_work()`: the worker's SECURITY DEFINER enumerator, on the
  pattern of `billing.tenants_with_pending_events()`: it reveals only the ids of the tenants
  with messages not fanned out or deliveries due, running as the owner with a setting only it
  turns on, which read-only policies for the owner alone honour.
- `menu.changed`: every change of the menu or tax already moves `orders.settings.catalog_version`
  in the writer's transaction, by trigger, whoever writes (20261207_0900_menu_prices.py); a
  trigger on that column records one `menu.changed` message per transaction (its id derived
  from the transaction's, so the second change of one transaction adds nothing), as the
  writer's own role. A write with no tenant bound (an operator's migration) records none.

Revision ID: 20261207_1400
Revises: 20261207_1200
Create Date: 2026-12-07 14:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261207_1400"
down_revision = "20261207_1200"
branch_labels = None
depends_on = None

ROLE = "halopos_webhooks"
TS = sa.DateTime(timezone=True)
# Set only by webhooks.tenants_with_pending_work(), for its own duration.
SCAN_SETTING = "halopos.webhooks_scan"
# The services that record events in the outbox.
EMITTERS = ("halopos_orders", "halopos_reports")


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    messages = tenant_table(
        "messages",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False, server_default=sa.text("clock_timestamp()")),
        sa.Column("fanned_out_at", TS, nullable=True),
        primary_key=("id",),
        schema="webhooks",
    )
    sa.Index(
        "ix_messages_waiting",
        messages.c.tenant_id,
        messages.c.recorded_at,
        postgresql_where=messages.c.fanned_out_at.is_(None),
    )
    endpoints = tenant_table(
        "endpoints",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("event_types", ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("disabled_at", TS, nullable=True),
        sa.Column("secret_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("previous_secret_ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("previous_secret_expires_at", TS, nullable=True),
        sa.Column("failing_since", TS, nullable=True),
        sa.Column("exhausted_in_a_row", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.text("now()")),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.text("now()")),
        primary_key=("id",),
        constraints=(
            sa.CheckConstraint("status IN ('enabled', 'disabled')", name="status"),
            sa.CheckConstraint(
                "(status = 'disabled') = (disabled_at IS NOT NULL)", name="disabled"
            ),
            sa.CheckConstraint(
                "(previous_secret_ciphertext IS NULL) = (previous_secret_expires_at IS NULL)",
                name="previous_secret",
            ),
        ),
        schema="webhooks",
    )
    sa.Index("ix_endpoints_created", endpoints.c.tenant_id, endpoints.c.created_at, endpoints.c.id)
    deliveries = tenant_table(
        "deliveries",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempt_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("attempts_in_round", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False, server_default=sa.text("clock_timestamp()")),
        primary_key=("id",),
        constraints=(
            sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
            sa.CheckConstraint("(status = 'pending') = (next_attempt_at IS NOT NULL)", name="due"),
            sa.UniqueConstraint("tenant_id", "endpoint_id", "message_id"),
            sa.ForeignKeyConstraint(
                ["tenant_id", "endpoint_id"],
                ["webhooks.endpoints.tenant_id", "webhooks.endpoints.id"],
                ondelete="CASCADE",
            ),
            tenant_fk(("message_id",), "webhooks.messages", ("id",)),
        ),
        schema="webhooks",
    )
    sa.Index(
        "ix_deliveries_due",
        deliveries.c.tenant_id,
        deliveries.c.next_attempt_at,
        postgresql_where=deliveries.c.status == "pending",
    )
    sa.Index(
        "ix_deliveries_log",
        deliveries.c.tenant_id,
        deliveries.c.endpoint_id,
        deliveries.c.created_at,
        deliveries.c.id,
    )
    attempts = tenant_table(
        "attempts",
        metadata,
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempted_at", TS, nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        primary_key=("delivery_id", "number"),
        constraints=(
            sa.ForeignKeyConstraint(
                ["tenant_id", "delivery_id"],
                ["webhooks.deliveries.tenant_id", "webhooks.deliveries.id"],
                ondelete="CASCADE",
            ),
            sa.CheckConstraint("number > 0", name="number"),
            sa.CheckConstraint("duration_ms >= 0", name="duration"),
        ),
        schema="webhooks",
    )
    return [messages, endpoints, deliveries, attempts]


def _ensure_role() -> None:
    """Create the role unless it exists, then refuse to go on if it is unsafe (roles are
    cluster-wide and may predate this database: checked, never quietly repaired)."""
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') "
        f"THEN CREATE ROLE {ROLE} LOGIN; END IF; END $$"
    )
    op.execute(
        f"""
        DO $$ BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}'
                       AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb
                            OR rolreplication OR NOT rolcanlogin
                            OR pg_has_role(rolname, '{OWNER_ROLE}', 'MEMBER'))) THEN
                RAISE EXCEPTION '{ROLE} must be a plain LOGIN role; refusing to migrate';
            END IF;
        END $$
        """
    )


STATEMENTS = (
    # The worker's enumerator: tenant ids only (test_catalog.py pins its shape).
    *(
        f"CREATE POLICY pending_scan ON webhooks.{table} FOR SELECT TO {OWNER_ROLE} "
        f"USING (current_setting('{SCAN_SETTING}', true) = 'on')"
        for table in ("messages", "deliveries", "endpoints")
    ),
    """
CREATE FUNCTION webhooks.tenants_with_pending_work() RETURNS SETOF uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM set_config('{SCAN_SETTING}', 'on', true);
    RETURN QUERY
        SELECT message.tenant_id FROM webhooks.messages AS message
         WHERE message.fanned_out_at IS NULL
        UNION
        SELECT delivery.tenant_id FROM webhooks.deliveries AS delivery
         JOIN webhooks.endpoints AS endpoint
           ON endpoint.tenant_id = delivery.tenant_id AND endpoint.id = delivery.endpoint_id
         WHERE delivery.status = 'pending' AND delivery.next_attempt_at <= now()
           AND endpoint.status = 'enabled';
    PERFORM set_config('{SCAN_SETTING}', 'off', true);
END $$
""".replace("{SCAN_SETTING}", SCAN_SETTING),
    "REVOKE ALL ON FUNCTION webhooks.tenants_with_pending_work() FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION webhooks.tenants_with_pending_work() TO {ROLE}",
    # menu.changed, one per transaction that moves the catalog version.
    """
CREATE FUNCTION orders.record_menu_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nullif(current_setting('app.tenant_id', true), '') IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhooks.messages (id, event_type, payload, occurred_at)
    VALUES (
        md5('halopos.menu.changed:' || NEW.tenant_id::text || ':' || txid_current()::text)::uuid,
        'menu.changed',
        jsonb_build_object(
            'changed_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        ),
        now()
    )
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$
""",
    "REVOKE ALL ON FUNCTION orders.record_menu_changed() FROM PUBLIC",
    "CREATE TRIGGER menu_changed AFTER UPDATE OF catalog_version ON orders.settings "
    "FOR EACH ROW WHEN (OLD.catalog_version IS DISTINCT FROM NEW.catalog_version) "
    "EXECUTE FUNCTION orders.record_menu_changed()",
    # The webhooks service: its own schema, and what every service shares.
    f"GRANT USAGE ON SCHEMA webhooks TO {ROLE}",
    # INSERT: the worker records `endpoint.disabled` for the business's other endpoints.
    f"GRANT SELECT, INSERT ON webhooks.messages TO {ROLE}",
    f"GRANT UPDATE (fanned_out_at) ON webhooks.messages TO {ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks.endpoints TO {ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks.deliveries TO {ROLE}",
    f"GRANT SELECT, INSERT, DELETE ON webhooks.attempts TO {ROLE}",
    f"GRANT USAGE ON SCHEMA audit TO {ROLE}",
    f"GRANT SELECT, INSERT ON audit.events TO {ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON audit.chain_heads TO {ROLE}",
    f"GRANT USAGE ON SCHEMA auth TO {ROLE}",
    f"GRANT SELECT, INSERT, DELETE ON auth.spent_tokens TO {ROLE}",
    f"GRANT UPDATE (expires_at) ON auth.spent_tokens TO {ROLE}",
    f"GRANT USAGE ON SCHEMA billing TO {ROLE}",
    f"GRANT SELECT (tenant_id, status, grace_until) ON billing.accounts TO {ROLE}",
    # The writers of events: INSERT into the outbox, nothing else.
    *(f"GRANT USAGE ON SCHEMA webhooks TO {role}" for role in EMITTERS),
    *(f"GRANT INSERT ON webhooks.messages TO {role}" for role in EMITTERS),
)


def upgrade() -> None:
    _ensure_role()
    op.execute(f"CREATE SCHEMA webhooks AUTHORIZATION {OWNER_ROLE}")
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("REVOKE ALL ON SCHEMA webhooks FROM PUBLIC")
    for table in _tables():
        create_tenant_table(table)
    for statement in STATEMENTS:
        op.execute(statement)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("DROP TRIGGER menu_changed ON orders.settings")
    op.execute("DROP FUNCTION orders.record_menu_changed()")
    for schema in ("audit", "auth", "billing"):
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {ROLE}")
        op.execute(f"REVOKE USAGE ON SCHEMA {schema} FROM {ROLE}")
    op.execute("DROP SCHEMA webhooks CASCADE")
    op.execute("RESET ROLE")
