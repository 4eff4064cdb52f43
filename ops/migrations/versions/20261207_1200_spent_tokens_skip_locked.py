"""The spent-token ledger's deletes never wait, and only ever remove expired rows.

A spend deletes its key's expired rows in the statement that inserts the new one
(libs/auth/spent.py). Those deletes waited for each other's row locks, and two requests of one
key (or a spend and a sweep across keys) taking rows in different orders deadlocked: one of them
answered 500. They now take only rows nobody else holds (`SELECT … FOR UPDATE SKIP LOCKED`).

- Locking a row needs UPDATE on one of its columns: the service roles get UPDATE on
  `expires_at` only.
- Two restrictive policies make the ledger's rule the database's own: a row can be updated or
  deleted only once it has expired, and an update cannot make a row live again. Until now
  "DELETE only for rows past their expiry" held only because the one statement said so; a
  service role can no longer un-spend a token that could still be accepted.

Revision ID: 20261207_1200
Revises: 20261207_1100
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from libs.config import OWNER_ROLE

revision = "20261207_1200"
down_revision = "20261207_1100"
branch_labels = None
depends_on = None

# The services of this revision (libs.config.SERVICES moves on; a migration is a snapshot).
ROLES = [
    f"halopos_{name}" for name in ("identity", "orders", "audit", "reports", "billing", "bridge")
]


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute(
        "CREATE POLICY spent_tokens_update_expired ON auth.spent_tokens AS RESTRICTIVE "
        "FOR UPDATE USING (expires_at < now()) WITH CHECK (expires_at < now())"
    )
    op.execute(
        "CREATE POLICY spent_tokens_delete_expired ON auth.spent_tokens AS RESTRICTIVE "
        "FOR DELETE USING (expires_at < now())"
    )
    for role in ROLES:
        op.execute(f"GRANT UPDATE (expires_at) ON auth.spent_tokens TO {role}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for role in ROLES:
        op.execute(f"REVOKE UPDATE (expires_at) ON auth.spent_tokens FROM {role}")
    op.execute("DROP POLICY spent_tokens_delete_expired ON auth.spent_tokens")
    op.execute("DROP POLICY spent_tokens_update_expired ON auth.spent_tokens")
    op.execute("RESET ROLE")
