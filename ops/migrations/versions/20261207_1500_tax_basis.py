"""Each business's tax basis and tax number, for tax periods and the reports it files.

- `orders.settings.tax_basis`: 'accrual' (AU accrual basis; DE Soll-Versteuerung, the
  default for both) or 'cash' (AU cash basis; DE Ist-Versteuerung). It decides which tax period
  a sale's GST or VAT is reported in (docs/reports.md, "Tax periods").
- `orders.settings.tax_id`: the ABN, USt-IdNr. or Steuernummer printed on the business's tax
  reports; checked by the orders service against the business's region, so its login may now
  read `identity.tenants.region`.
- The orders login may read a location's business-day cutoff: the orders service keeps each
  business day's facts as sales commit, and a day starts at the cutoff.

Revision ID: 20261207_1500
Revises: 20261207_1400
Create Date: 2026-12-07 15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE

revision = "20261207_1500"
down_revision = "20261207_1400"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.add_column(
        "settings",
        sa.Column("tax_basis", sa.Text(), nullable=False, server_default="accrual"),
        schema="orders",
    )
    op.add_column("settings", sa.Column("tax_id", sa.Text(), nullable=True), schema="orders")
    op.create_check_constraint(
        op.f("ck_settings_tax_basis"),
        "settings",
        "tax_basis IN ('accrual', 'cash')",
        schema="orders",
    )
    op.execute("GRANT SELECT (region) ON identity.tenants TO halopos_orders")
    op.execute("GRANT SELECT (business_day_cutoff_hour) ON identity.locations TO halopos_orders")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("REVOKE SELECT (business_day_cutoff_hour) ON identity.locations FROM halopos_orders")
    op.execute("REVOKE SELECT (region) ON identity.tenants FROM halopos_orders")
    op.drop_constraint("ck_settings_tax_basis", "settings", schema="orders", type_="check")
    op.drop_column("settings", "tax_id", schema="orders")
    op.drop_column("settings", "tax_basis", schema="orders")
    op.execute("RESET ROLE")
