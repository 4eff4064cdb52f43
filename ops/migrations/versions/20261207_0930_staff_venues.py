"""Staff assigned to venues.

- `identity.staff.all_locations`: the staff member works at every location of the business
  (true, the default, what everyone on staff before this revision keeps), or only at the
  locations listed for them in `identity.staff_locations`.
- `identity.staff_locations`: one row per (staff member, location). Both foreign keys
  include `tenant_id`, so the database itself refuses to assign someone to another
  business's location (foreign keys are checked outside row-level security). A staff member
  who is not `all_locations` and has no row reaches no venue: a half-written change can only
  narrow someone's reach, never widen it.

Revision ID: 20261207_0930
Revises: 20261207_0900
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261207_0930"
down_revision = "20261207_0900"
branch_labels = None
depends_on = None


def _staff_locations() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    # The referenced tables, so the new table's foreign keys resolve in this metadata.
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    for name in ("staff", "locations"):
        sa.Table(
            name,
            metadata,
            sa.Column("tenant_id", sa.Uuid()),
            sa.Column("id", sa.Uuid()),
            schema="identity",
        )
    return tenant_table(
        "staff_locations",
        metadata,
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
        primary_key=("staff_id", "location_id"),
        constraints=(
            tenant_fk(("staff_id",), "identity.staff", ("id",)),
            tenant_fk(("location_id",), "identity.locations", ("id",)),
        ),
        schema="identity",
    )


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.add_column(
        "staff",
        sa.Column("all_locations", sa.Boolean(), nullable=False, server_default=sa.true()),
        schema="identity",
    )
    create_tenant_table(_staff_locations())
    # DELETE: an assignment is replaced as a whole; its history is in the audit log.
    op.execute("GRANT SELECT, INSERT, DELETE ON identity.staff_locations TO halopos_identity")
    # The offline sync checks that the staff member a till names works at the till's venue.
    op.execute("GRANT SELECT (all_locations) ON identity.staff TO halopos_orders")
    op.execute("GRANT SELECT ON identity.staff_locations TO halopos_orders")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute("REVOKE SELECT (all_locations) ON identity.staff FROM halopos_orders")
    op.execute("DROP TABLE identity.staff_locations")
    op.drop_column("staff", "all_locations", schema="identity")
