"""The `auth` schema: what every verifying layer shares."""

from __future__ import annotations

import sqlalchemy as sa

from libs.tenancy.schema import NAMING_CONVENTION, tenant_table

metadata = sa.MetaData(schema="auth", naming_convention=NAMING_CONVENTION)

# Single-use tokens already spent: DPoP proof ids per verifying layer and key, and consumed
# override tokens. Rows are kept until the token would be refused by its age anyway.
spent_tokens = tenant_table(
    "spent_tokens",
    metadata,
    sa.Column("namespace", sa.Text(), nullable=False),
    sa.Column("scope", sa.Text(), nullable=False),
    sa.Column("jti", sa.Text(), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    primary_key=("namespace", "scope", "jti"),
    schema="auth",
)
