"""Reports print people and registers by name, not by id.

An accountant's export names who opened and closed each shift and which register it was on;
the reports role read only ids until now. It may read a staff member's display name and a
device's name, and nothing else of either table (column grants, as the orders role's reads of
identity are): not an email, a password or PIN hash, a key or a session.

Revision ID: 20261207_1630
Revises: 20261207_1500
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from libs.config import OWNER_ROLE

revision = "20261207_1630"
down_revision = "20261207_1500"
branch_labels = None
depends_on = None

GRANTS = (
    "GRANT SELECT (tenant_id, id, display_name) ON identity.staff TO halopos_reports",
    "GRANT SELECT (tenant_id, id, name) ON identity.devices TO halopos_reports",
)


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for grant in GRANTS:
        op.execute(grant)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("REVOKE SELECT (tenant_id, id, display_name) ON identity.staff FROM halopos_reports")
    op.execute("REVOKE SELECT (tenant_id, id, name) ON identity.devices FROM halopos_reports")
    op.execute("RESET ROLE")
