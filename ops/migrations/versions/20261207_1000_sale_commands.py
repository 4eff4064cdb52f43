"""The sale's one write path: card payments in two steps, cash refunds rounded, offline
approvals for review, refunds that wait for their sale, and the X/Z report's indexes.

- `orders.payments`: `status` may be `pending` (a card payment recorded before the terminal
  is asked, resolved afterwards); card payments say how they were verified
  (`card_verification`: by the server's own terminal call, `unverified` when a till recorded
  it offline, `settlement` once its shift's card settlement matched) and carry the
  terminal's evidence (`terminal_id`, `authorised_at`); `request_key` lets a retried request
  resume its own pending payment.
- `orders.refunds.rounding_minor`: cash handed back is rounded like cash taken.
- `orders.orders.pending_refund`: a card refund started and waiting for the terminal (a
  card refund takes two steps too).
- `orders.override_limits.offline_approval_limit_minor`: how much an action that needs a
  manager's override online may come to when a till does it offline (0: never).
- `orders.offline_approvals`: those actions, for a manager to confirm or dispute.
- `orders.sync_operations`: `waiting` (with `waiting_for`, an order id) for a refund of a sale
  another till has not uploaded yet.
- Indexes on `refunds` and `cash_movements` by shift: a shift's X and Z reports read them.
- The gateway no longer writes the DPoP ledger (`auth.spent_tokens`): each service spends a
  proof in its request's own transaction (libs/auth/dependencies.py), so the gateway's login
  loses its grants on it.

Existing card payments are marked `terminal`, or `unverified` when an offline operation
recorded them.

Revision ID: 20261207_1000
Revises: 20261207_0930
Create Date: 2026-12-07 10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.config import GATEWAY_ROLE, OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261207_1000"
down_revision = "20261207_0930"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _offline_approvals() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    for schema, name in (("identity", "devices"), ("orders", "sync_operations")):
        sa.Table(
            name,
            metadata,
            sa.Column("tenant_id", sa.Uuid()),
            sa.Column("id", sa.Uuid()),
            schema=schema,
        )
    approvals = tenant_table(
        "offline_approvals",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("operation_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("resource_type", sa.Text(), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("limit_minor", sa.BigInteger(), nullable=False),
        sa.Column("claimed_staff_id", sa.Uuid(), nullable=False),
        sa.Column("claimed_approver_id", sa.Uuid(), nullable=False),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("raised_at", TS, nullable=False, server_default=sa.text("now()")),
        sa.Column("status", sa.Text(), nullable=False, server_default="pending"),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
        sa.Column("reviewed_at", TS, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("operation_id",), "orders.sync_operations", ("id",)),
            tenant_fk(("device_id",), "identity.devices", ("id",)),
            sa.CheckConstraint(
                "action IN ('void', 'refund', 'discount', 'shift_force_close')", name="action"
            ),
            sa.CheckConstraint("status IN ('pending', 'confirmed', 'disputed')", name="status"),
            sa.CheckConstraint("amount_minor >= 0", name="amount_minor"),
            sa.CheckConstraint("(status = 'pending') = (reviewed_at IS NULL)", name="reviewed"),
        ),
        schema="orders",
    )
    sa.Index(
        "ix_offline_approvals_pending",
        approvals.c.tenant_id,
        approvals.c.raised_at.desc(),
        approvals.c.id.desc(),
        postgresql_where=approvals.c.status == "pending",
    )
    sa.Index(
        "ix_offline_approvals_raised",
        approvals.c.tenant_id,
        approvals.c.raised_at.desc(),
        approvals.c.id.desc(),
    )
    return approvals


def _replace_check(table: str, name: str, condition: str) -> None:
    op.drop_constraint(f"ck_{table}_{name}", table, schema="orders", type_="check")
    op.create_check_constraint(f"ck_{table}_{name}", table, condition, schema="orders")


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for column in (
        sa.Column("card_verification", sa.Text(), nullable=True),
        sa.Column("terminal_id", sa.Text(), nullable=True),
        sa.Column("authorised_at", TS, nullable=True),
        sa.Column("request_key", sa.Text(), nullable=True),
    ):
        op.add_column("payments", column, schema="orders")
    _replace_check(
        "payments", "status", "status IN ('pending', 'approved', 'declined', 'timed_out')"
    )
    op.create_check_constraint(
        "ck_payments_card_verification",
        "payments",
        "card_verification IN ('terminal', 'unverified', 'settlement')",
        schema="orders",
    )
    op.add_column(
        "refunds",
        sa.Column("rounding_minor", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        schema="orders",
    )
    op.create_index("ix_refunds_shift", "refunds", ["tenant_id", "shift_id"], schema="orders")
    op.add_column("orders", sa.Column("pending_refund", JSONB(), nullable=True), schema="orders")
    op.create_index(
        "ix_cash_movements_shift", "cash_movements", ["tenant_id", "shift_id"], schema="orders"
    )
    op.add_column(
        "override_limits",
        sa.Column(
            "offline_approval_limit_minor",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text("0"),
        ),
        schema="orders",
    )
    op.create_check_constraint(
        "ck_override_limits_offline_approval_limit_minor",
        "override_limits",
        "offline_approval_limit_minor >= 0",
        schema="orders",
    )
    op.add_column("sync_operations", sa.Column("waiting_for", sa.Uuid()), schema="orders")
    _replace_check(
        "sync_operations", "status", "status IN ('pending', 'waiting', 'applied', 'rejected')"
    )
    op.create_check_constraint(
        "ck_sync_operations_waiting",
        "sync_operations",
        "(status = 'waiting') = (waiting_for IS NOT NULL)",
        schema="orders",
    )
    op.create_index(
        "ix_sync_operations_waiting",
        "sync_operations",
        ["tenant_id", "waiting_for"],
        schema="orders",
        postgresql_where=sa.text("status = 'waiting'"),
    )
    create_tenant_table(_offline_approvals())
    op.execute(
        "GRANT SELECT, INSERT, UPDATE (status, reviewed_by, reviewed_at, note) "
        "ON orders.offline_approvals TO halopos_orders"
    )
    op.execute("GRANT SELECT ON orders.offline_approvals TO halopos_reports")
    op.execute(f"REVOKE SELECT, INSERT, DELETE ON auth.spent_tokens FROM {GATEWAY_ROLE}")
    op.execute("RESET ROLE")

    # As the migrating superuser, across tenants: how the card payments already taken were
    # verified (an offline operation recorded some of them; the server's terminal the rest).
    op.execute(
        """
        UPDATE orders.payments AS payment
           SET card_verification = CASE WHEN EXISTS (
                   SELECT 1 FROM orders.sync_operations AS operation
                    WHERE operation.tenant_id = payment.tenant_id
                      AND operation.kind = 'payment'
                      AND operation.content -> 'data' ->> 'payment_id' = payment.id::text)
               THEN 'unverified' ELSE 'terminal' END
         WHERE payment.tender = 'card'
        """
    )


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, DELETE ON auth.spent_tokens TO {GATEWAY_ROLE}")
    op.execute("DROP TABLE orders.offline_approvals")
    op.drop_index("ix_sync_operations_waiting", "sync_operations", schema="orders")
    op.drop_constraint(
        "ck_sync_operations_waiting", "sync_operations", schema="orders", type_="check"
    )
    _replace_check("sync_operations", "status", "status IN ('pending', 'applied', 'rejected')")
    op.drop_column("sync_operations", "waiting_for", schema="orders")
    op.drop_constraint(
        "ck_override_limits_offline_approval_limit_minor",
        "override_limits",
        schema="orders",
        type_="check",
    )
    op.drop_column("override_limits", "offline_approval_limit_minor", schema="orders")
    op.drop_index("ix_cash_movements_shift", "cash_movements", schema="orders")
    op.drop_column("orders", "pending_refund", schema="orders")
    op.drop_index("ix_refunds_shift", "refunds", schema="orders")
    op.drop_column("refunds", "rounding_minor", schema="orders")
    op.drop_constraint("ck_payments_card_verification", "payments", schema="orders", type_="check")
    _replace_check("payments", "status", "status IN ('approved', 'declined', 'timed_out')")
    for column in ("request_key", "authorised_at", "terminal_id", "card_verification"):
        op.drop_column("payments", column, schema="orders")
    op.execute("RESET ROLE")
