"""Sessions say what they were started from: `identity.sessions.client`, the browser's
User-Agent at backoffice sign-in (at most 300 characters, as the browser sent it), so an owner
reviewing the business's live sessions (`GET /v1/admin/security/sessions`) can tell their own
laptop from a stranger's. Null for till sessions (the device names them) and for sessions
started before this revision. Display only: nothing is decided on it.

Revision ID: 20261207_1700
Revises: 20261207_1645
Create Date: 2026-12-07 17:00
"""

from __future__ import annotations

from alembic import op

from libs.config import OWNER_ROLE

revision = "20261207_1700"
down_revision = "20261207_1645"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE identity.sessions ADD COLUMN client text")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE identity.sessions DROP COLUMN client")
    op.execute("RESET ROLE")
