"""Sign-in hardening: lockouts per subject and source, and TOTP enrolment codes.

- `identity.lockouts`: the subjects are now a staff member's PIN (`pin`, across devices and
  override approvals), a device (`device`, decays by time, never reset by a success), an
  account's password from one source address (`password`, with `source`), an account's
  password from anywhere (`password_account`, a much higher threshold) and a staff member's
  second factor (`second_factor`). `source` joins the primary key; `window_started_at` is when
  a time-decayed subject's counting window began. Existing `staff` rows become `pin` rows (a
  lock in force stays in force; password and code failures were counted in them too, and are
  now counted apart). The identity service may DELETE: rows of password subjects nobody has
  failed for a day are cleared, since e-mail addresses nobody has are counted too.
- `identity.totp_enrolment_codes`: single-use codes an owner or an operator issues so that a
  staff member can set up or replace an authenticator app. Only a salted SHA-256 is kept.
- `identity.sign_in_challenges.enrolment_code_id`: the code an enrolment was opened with,
  spent when the enrolment is confirmed.

The rows are rewritten with ALTER ... USING, not UPDATE: an UPDATE here would run under
row-level security and reach no row.

Revision ID: 20261207_1100
Revises: 20261207_1000
Create Date: 2026-12-07 11:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261207_1100"
down_revision = "20261207_1000"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
SUBJECTS = "'pin', 'device', 'password', 'password_account', 'second_factor'"


def _enrolment_codes() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    sa.Table(
        "staff",
        metadata,
        sa.Column("tenant_id", sa.Uuid()),
        sa.Column("id", sa.Uuid()),
        schema="identity",
    )
    return tenant_table(
        "totp_enrolment_codes",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(), nullable=False),
        sa.Column("issued_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.text("now()")),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.Column("revoked_at", TS, nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("staff_id",), "identity.staff", ("id",)),
            sa.UniqueConstraint("tenant_id", "staff_id", "code_hash"),
        ),
        schema="identity",
    )


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE identity.lockouts DROP CONSTRAINT ck_lockouts_subject_type")
    op.execute(
        "ALTER TABLE identity.lockouts ALTER COLUMN subject_type TYPE text "
        "USING (CASE subject_type WHEN 'staff' THEN 'pin' ELSE subject_type END)"
    )
    op.execute(
        "ALTER TABLE identity.lockouts ADD CONSTRAINT ck_lockouts_subject_type "
        f"CHECK (subject_type IN ({SUBJECTS}))"
    )
    op.execute(
        "ALTER TABLE identity.lockouts ADD COLUMN source text NOT NULL DEFAULT '', "
        "ADD COLUMN window_started_at timestamptz"
    )
    op.execute("ALTER TABLE identity.lockouts DROP CONSTRAINT pk_lockouts")
    op.execute(
        "ALTER TABLE identity.lockouts ADD CONSTRAINT pk_lockouts "
        "PRIMARY KEY (tenant_id, subject_type, subject_id, source)"
    )
    op.execute("GRANT DELETE ON identity.lockouts TO halopos_identity")

    create_tenant_table(_enrolment_codes())
    op.execute("GRANT SELECT, INSERT, UPDATE ON identity.totp_enrolment_codes TO halopos_identity")
    op.execute(
        "ALTER TABLE identity.sign_in_challenges ADD COLUMN enrolment_code_id uuid, "
        # The name the models' naming convention gives it, shortened as SQLAlchemy does.
        "ADD CONSTRAINT fk_sign_in_challenges_tenant_id_enrolment_code_id_totp__51e1 "
        "FOREIGN KEY (tenant_id, enrolment_code_id) "
        "REFERENCES identity.totp_enrolment_codes (tenant_id, id)"
    )
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute("ALTER TABLE identity.sign_in_challenges DROP COLUMN enrolment_code_id")
    op.execute("DROP TABLE identity.totp_enrolment_codes")
    op.execute("REVOKE DELETE ON identity.lockouts FROM halopos_identity")
    # Back-off state only: the old key cannot hold the per-source rows, so it starts afresh.
    op.execute("TRUNCATE identity.lockouts")
    op.execute("ALTER TABLE identity.lockouts DROP CONSTRAINT pk_lockouts")
    op.execute("ALTER TABLE identity.lockouts DROP COLUMN source, DROP COLUMN window_started_at")
    op.execute(
        "ALTER TABLE identity.lockouts ADD CONSTRAINT pk_lockouts "
        "PRIMARY KEY (tenant_id, subject_type, subject_id)"
    )
    op.execute("ALTER TABLE identity.lockouts DROP CONSTRAINT ck_lockouts_subject_type")
    op.execute(
        "ALTER TABLE identity.lockouts ADD CONSTRAINT ck_lockouts_subject_type "
        "CHECK (subject_type IN ('staff', 'device'))"
    )
