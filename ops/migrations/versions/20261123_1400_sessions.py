"""Sessions: devices and their activation codes, sign-in (passwords, TOTP, PINs) and its
lockouts, rotating refresh tokens, and the ledger of spent single-use tokens (DPoP proof ids
and manager override tokens) shared by the gateway and every service.

Revision ID: 20261123_1400
Revises: 20261123_1215
Create Date: 2026-11-23 14:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from libs.config import GATEWAY_ROLE, OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

# The services of this revision (libs.config.SERVICES moves on; a migration is a snapshot).
SERVICE_ROLES = tuple(
    f"halopos_{name}" for name in ("identity", "orders", "audit", "reports", "billing", "bridge")
)

revision = "20261123_1400"
down_revision = "20261123_1215"
branch_labels = None
depends_on = None

IDENTITY_TABLES = (
    "devices",
    "activation_codes",
    "sessions",
    "refresh_tokens",
    "lockouts",
    "sign_in_challenges",
    "recovery_codes",
)


def _tables() -> list[sa.Table]:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    ts = sa.DateTime(timezone=True)
    now = sa.text("now()")
    # The tables the new foreign keys point at, so they resolve in this metadata.
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    for name in ("locations", "staff"):
        sa.Table(
            name,
            metadata,
            sa.Column("tenant_id", sa.Uuid()),
            sa.Column("id", sa.Uuid()),
            schema="identity",
        )
    devices = tenant_table(
        "devices",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key_thumbprint", sa.Text(), nullable=False),
        sa.Column("public_jwk", JSONB(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="active"),
        sa.Column("activated_at", ts, nullable=False, server_default=now),
        sa.Column("activated_by", sa.Text(), nullable=False),
        sa.Column("revoked_at", ts, nullable=True),
        sa.Column("revoked_by", sa.Text(), nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("location_id",), "identity.locations", ("id",)),
            sa.UniqueConstraint("tenant_id", "key_thumbprint"),
            sa.CheckConstraint("status IN ('active', 'revoked')", name="status"),
        ),
        schema="identity",
    )
    activation_codes = tenant_table(
        "activation_codes",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("location_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(), nullable=False),
        sa.Column("device_name", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=now),
        sa.Column("expires_at", ts, nullable=False),
        sa.Column("used_at", ts, nullable=True),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("location_id",), "identity.locations", ("id",)),
            tenant_fk(("device_id",), "identity.devices", ("id",)),
            sa.UniqueConstraint("tenant_id", "code_hash"),
        ),
        schema="identity",
    )
    sessions = tenant_table(
        "sessions",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("key_thumbprint", sa.Text(), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=now),
        sa.Column("expires_at", ts, nullable=False),
        sa.Column("revoked_at", ts, nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("staff_id",), "identity.staff", ("id",)),
            tenant_fk(("device_id",), "identity.devices", ("id",)),
            sa.CheckConstraint("kind IN ('pos', 'backoffice')", name="kind"),
            sa.CheckConstraint("kind = 'backoffice' OR device_id IS NOT NULL", name="pos_device"),
        ),
        schema="identity",
    )
    refresh_tokens = tenant_table(
        "refresh_tokens",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", ts, nullable=False, server_default=now),
        sa.Column("expires_at", ts, nullable=False),
        sa.Column("used_at", ts, nullable=True),
        sa.Column("replaced_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", ts, nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("session_id",), "identity.sessions", ("id",)),
            sa.UniqueConstraint("tenant_id", "token_hash"),
        ),
        schema="identity",
    )
    lockouts = tenant_table(
        "lockouts",
        metadata,
        sa.Column("subject_type", sa.Text(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("locked_until", ts, nullable=True),
        sa.Column("last_failure_at", ts, nullable=True),
        primary_key=("subject_type", "subject_id"),
        constraints=(
            sa.CheckConstraint("subject_type IN ('staff', 'device')", name="subject_type"),
        ),
        schema="identity",
    )
    sign_in_challenges = tenant_table(
        "sign_in_challenges",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("key_thumbprint", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("pending_totp_secret", sa.LargeBinary(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", ts, nullable=False, server_default=now),
        sa.Column("expires_at", ts, nullable=False),
        sa.Column("used_at", ts, nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("staff_id",), "identity.staff", ("id",)),
            sa.UniqueConstraint("tenant_id", "token_hash"),
            sa.CheckConstraint("purpose IN ('totp', 'totp_enrolment')", name="purpose"),
        ),
        schema="identity",
    )
    recovery_codes = tenant_table(
        "recovery_codes",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", ts, nullable=False, server_default=now),
        sa.Column("used_at", ts, nullable=True),
        sa.Column("revoked_at", ts, nullable=True),
        primary_key=("id",),
        constraints=(
            tenant_fk(("staff_id",), "identity.staff", ("id",)),
            sa.UniqueConstraint("tenant_id", "staff_id", "code_hash"),
        ),
        schema="identity",
    )
    spent_tokens = tenant_table(
        "spent_tokens",
        metadata,
        sa.Column("namespace", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("jti", sa.Text(), nullable=False),
        sa.Column("expires_at", ts, nullable=False),
        primary_key=("namespace", "scope", "jti"),
        schema="auth",
    )
    return [
        devices,
        activation_codes,
        sessions,
        refresh_tokens,
        lockouts,
        sign_in_challenges,
        recovery_codes,
        spent_tokens,
    ]


def upgrade() -> None:
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{GATEWAY_ROLE}') "
        f"THEN CREATE ROLE {GATEWAY_ROLE} LOGIN; END IF; END $$"
    )
    op.execute(
        f"""
        DO $$ BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{GATEWAY_ROLE}'
                       AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb
                            OR rolreplication OR NOT rolcanlogin
                            OR pg_has_role(rolname, '{OWNER_ROLE}', 'MEMBER'))) THEN
                RAISE EXCEPTION '{GATEWAY_ROLE} must be a plain LOGIN role; refusing to migrate';
            END IF;
        END $$
        """
    )
    op.execute(f"CREATE SCHEMA auth AUTHORIZATION {OWNER_ROLE}")
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute("REVOKE ALL ON SCHEMA auth FROM PUBLIC")
    # One statement, so existing tenants get the default: an UPDATE here would run under the
    # registry's row-level security and reach no row at all.
    op.execute(
        "ALTER TABLE identity.tenants ADD COLUMN owner_totp_required boolean NOT NULL DEFAULT false"
    )
    # TOTP secrets are encrypted by the identity service (AES-GCM, key from the environment):
    # unlike a password they must be readable again, so they cannot be hashed.
    op.execute(
        "ALTER TABLE identity.staff ADD COLUMN totp_secret bytea, "
        "ADD COLUMN totp_enabled_at timestamptz, ADD COLUMN totp_last_step bigint"
    )
    for table in _tables():
        create_tenant_table(table)
    op.execute(
        "GRANT SELECT, INSERT, UPDATE ON "
        + ", ".join(f"identity.{name}" for name in IDENTITY_TABLES)
        + " TO halopos_identity"
    )
    # Every layer that verifies DPoP proofs or consumes override tokens records what it spent.
    # DELETE only for rows past their expiry (the statement in libs/auth/spent.py); a row
    # removed early would only let a proof that is too old anyway be refused by its age.
    for role in [*SERVICE_ROLES, GATEWAY_ROLE]:
        op.execute(f"GRANT USAGE ON SCHEMA auth TO {role}")
        op.execute(f"GRANT SELECT, INSERT, DELETE ON auth.spent_tokens TO {role}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute("DROP SCHEMA auth CASCADE")
    for name in reversed(IDENTITY_TABLES):
        op.execute(f"DROP TABLE identity.{name}")
    op.execute(
        "ALTER TABLE identity.staff DROP COLUMN totp_secret, DROP COLUMN totp_enabled_at, "
        "DROP COLUMN totp_last_step"
    )
    op.execute("ALTER TABLE identity.tenants DROP COLUMN owner_totp_required")
