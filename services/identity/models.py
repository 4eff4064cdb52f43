"""Tables of the identity service (schema `identity`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from libs.tenancy.schema import NAMING_CONVENTION, tenant_fk, tenant_table

metadata = sa.MetaData(schema="identity", naming_convention=NAMING_CONVENTION)
_TS = sa.DateTime(timezone=True)


def _now() -> sa.Column[object]:
    return sa.Column("created_at", _TS, nullable=False, server_default=sa.func.now())


# One row per tenant, visible only to that tenant: tenant_id is the tenant's own id.
tenants = tenant_table(
    "tenants",
    metadata,
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("region", sa.Text(), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    # Owners must sign in to the backoffice with a second factor (TOTP).
    sa.Column("owner_totp_required", sa.Boolean(), nullable=False, server_default=sa.false()),
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
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    primary_key=("id",),
    constraints=(
        sa.CheckConstraint(
            "business_day_cutoff_hour BETWEEN 0 AND 23", name="business_day_cutoff_hour"
        ),
    ),
    schema="identity",
)

staff = tenant_table(
    "staff",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("email", sa.Text(), nullable=False),
    sa.Column("display_name", sa.Text(), nullable=False),
    sa.Column("role", sa.Text(), nullable=False),
    # argon2id hashes; never returned, logged or audited.
    sa.Column("password_hash", sa.Text(), nullable=True),
    sa.Column("pin_hash", sa.Text(), nullable=True),
    sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    # When they left the roster (None while active): offline operations are checked against
    # the roster as it was when they happened.
    sa.Column("deactivated_at", _TS, nullable=True),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1")),
    # TOTP: the secret AES-GCM encrypted (it must be read again, so it cannot be hashed), when
    # it was confirmed, and the last time step accepted (a code is never accepted twice).
    sa.Column("totp_secret", sa.LargeBinary(), nullable=True),
    sa.Column("totp_enabled_at", _TS, nullable=True),
    sa.Column("totp_last_step", sa.BigInteger(), nullable=True),
    # Works at every location of the business, or only at those in `staff_locations`.
    sa.Column("all_locations", sa.Boolean(), nullable=False, server_default=sa.true()),
    primary_key=("id",),
    constraints=(
        sa.UniqueConstraint("tenant_id", "email"),
        sa.CheckConstraint("role IN ('owner', 'manager', 'cashier', 'accountant')", name="role"),
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
    ),
    schema="identity",
)

# The locations a staff member works at, when not every one (`staff.all_locations` false).
# Both keys include tenant_id: nobody can be assigned to another business's location. Not
# all_locations and no row means no venue at all: a half-made change narrows, never widens.
staff_locations = tenant_table(
    "staff_locations",
    metadata,
    sa.Column("staff_id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    _now(),
    primary_key=("staff_id", "location_id"),
    constraints=(
        tenant_fk(("staff_id",), "identity.staff", ("id",)),
        tenant_fk(("location_id",), "identity.locations", ("id",)),
    ),
    schema="identity",
)

# A registered POS device: the public key it generated at activation (the private key never
# leaves it). Revoked, never deleted.
devices = tenant_table(
    "devices",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("key_thumbprint", sa.Text(), nullable=False),
    sa.Column("public_jwk", JSONB(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False, server_default="active"),
    sa.Column("activated_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("activated_by", sa.Text(), nullable=False),
    sa.Column("revoked_at", _TS, nullable=True),
    sa.Column("revoked_by", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        sa.UniqueConstraint("tenant_id", "key_thumbprint"),
        sa.CheckConstraint("status IN ('active', 'revoked')", name="status"),
    ),
    schema="identity",
)

# Single-use, short-lived codes a manager creates to activate a device at a location. Only a
# hash of the code is kept.
activation_codes = tenant_table(
    "activation_codes",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("location_id", sa.Uuid(), nullable=False),
    sa.Column("code_hash", sa.LargeBinary(), nullable=False),
    sa.Column("device_name", sa.Text(), nullable=True),
    sa.Column("created_by", sa.Text(), nullable=False),
    _now(),
    sa.Column("expires_at", _TS, nullable=False),
    sa.Column("used_at", _TS, nullable=True),
    sa.Column("device_id", sa.Uuid(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("location_id",), "identity.locations", ("id",)),
        tenant_fk(("device_id",), "identity.devices", ("id",)),
        sa.UniqueConstraint("tenant_id", "code_hash"),
    ),
    schema="identity",
)

# A signed-in session (a refresh-token family): one staff member on one device key.
sessions = tenant_table(
    "sessions",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("staff_id", sa.Uuid(), nullable=False),
    sa.Column("device_id", sa.Uuid(), nullable=True),
    sa.Column("location_id", sa.Uuid(), nullable=True),
    sa.Column("key_thumbprint", sa.Text(), nullable=False),
    _now(),
    sa.Column("expires_at", _TS, nullable=False),
    sa.Column("revoked_at", _TS, nullable=True),
    sa.Column("revoked_reason", sa.Text(), nullable=True),
    # What started it, for the owner's list of live sessions: the browser's User-Agent at
    # backoffice sign-in (display only; null for tills, whose device names them).
    sa.Column("client", sa.Text(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("staff_id",), "identity.staff", ("id",)),
        tenant_fk(("device_id",), "identity.devices", ("id",)),
        sa.CheckConstraint("kind IN ('pos', 'backoffice')", name="kind"),
        sa.CheckConstraint("kind = 'backoffice' OR device_id IS NOT NULL", name="pos_device"),
    ),
    schema="identity",
)

# Opaque refresh tokens, stored as hashes; each is used once and replaced by the next.
refresh_tokens = tenant_table(
    "refresh_tokens",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("session_id", sa.Uuid(), nullable=False),
    sa.Column("token_hash", sa.LargeBinary(), nullable=False),
    sa.Column("issued_at", _TS, nullable=False, server_default=sa.func.now()),
    sa.Column("expires_at", _TS, nullable=False),
    sa.Column("used_at", _TS, nullable=True),
    sa.Column("replaced_by", sa.Uuid(), nullable=True),
    sa.Column("revoked_at", _TS, nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("session_id",), "identity.sessions", ("id",)),
        sa.UniqueConstraint("tenant_id", "token_hash"),
    ),
    schema="identity",
)

# Failed sign-ins and the back-off they earned (services/identity/sessions/lockout.py), per
# subject: a staff member's PIN, a device, an account's password from one source address
# (`source`), an account's password from anywhere, a staff member's second factor. Password
# subjects are keyed by a digest of the e-mail address, known to the business or not, so a
# lockout answers alike for both.
lockouts = tenant_table(
    "lockouts",
    metadata,
    sa.Column("subject_type", sa.Text(), nullable=False),
    sa.Column("subject_id", sa.Uuid(), nullable=False),
    sa.Column("source", sa.Text(), nullable=False, server_default=""),
    sa.Column("failures", sa.Integer(), nullable=False, server_default=sa.text("0")),
    sa.Column("locked_until", _TS, nullable=True),
    sa.Column("last_failure_at", _TS, nullable=True),
    # Subjects whose failures decay by time: when their counting window began.
    sa.Column("window_started_at", _TS, nullable=True),
    primary_key=("subject_type", "subject_id", "source"),
    constraints=(
        sa.CheckConstraint(
            "subject_type IN ('pin', 'device', 'password', 'password_account', 'second_factor')",
            name="subject_type",
        ),
    ),
    schema="identity",
)

# Codes an owner (or an operator) issues so that a staff member can set up, or replace, their
# authenticator app: the password alone never does for someone who must have one. Single-use,
# short-lived, stored as a salted SHA-256 only.
totp_enrolment_codes = tenant_table(
    "totp_enrolment_codes",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("staff_id", sa.Uuid(), nullable=False),
    sa.Column("code_hash", sa.LargeBinary(), nullable=False),
    sa.Column("issued_by", sa.Text(), nullable=False),
    _now(),
    sa.Column("expires_at", _TS, nullable=False),
    sa.Column("used_at", _TS, nullable=True),
    sa.Column("revoked_at", _TS, nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("staff_id",), "identity.staff", ("id",)),
        sa.UniqueConstraint("tenant_id", "staff_id", "code_hash"),
    ),
    schema="identity",
)

# Between a correct password and the second factor: short-lived, bound to the caller's key.
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
    _now(),
    sa.Column("expires_at", _TS, nullable=False),
    sa.Column("used_at", _TS, nullable=True),
    # The enrolment code this (re-)enrolment was opened with; spent when it is confirmed.
    sa.Column("enrolment_code_id", sa.Uuid(), nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("staff_id",), "identity.staff", ("id",)),
        tenant_fk(("enrolment_code_id",), "identity.totp_enrolment_codes", ("id",)),
        sa.UniqueConstraint("tenant_id", "token_hash"),
        sa.CheckConstraint("purpose IN ('totp', 'totp_enrolment')", name="purpose"),
    ),
    schema="identity",
)

# One-time recovery codes for a lost authenticator, stored as hashes.
recovery_codes = tenant_table(
    "recovery_codes",
    metadata,
    sa.Column("id", sa.Uuid(), nullable=False),
    sa.Column("staff_id", sa.Uuid(), nullable=False),
    sa.Column("code_hash", sa.LargeBinary(), nullable=False),
    _now(),
    sa.Column("used_at", _TS, nullable=True),
    sa.Column("revoked_at", _TS, nullable=True),
    primary_key=("id",),
    constraints=(
        tenant_fk(("staff_id",), "identity.staff", ("id",)),
        sa.UniqueConstraint("tenant_id", "staff_id", "code_hash"),
    ),
    schema="identity",
)
