"""Bridge tokens: what a venue's print Bridge presents (`Authorization: Bearer hpb_…`).

A token is an opaque credential (libs/auth/opaque_credentials.py: `hpb_<tenant>_<256-bit secret>`)
scoped to one business and one location. Only its SHA-256 digest is stored. The gateway and
the bridge service both verify it against `bridge.token_secrets`, in the row-level-security
scope of the tenant the token names: a forged tenant part finds nothing there. A token is
accepted while it is not revoked and the digest it matches has not expired (rotation leaves
the previous digest valid for a grace period). The principal it yields has the `bridge` role,
which the RBAC matrix allows to poll and acknowledge print jobs and nothing else.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from libs.auth.opaque_credentials import Kind, parse_credential
from libs.auth.principal import Principal
from libs.bridge.models import token_secrets, tokens
from libs.problems import InvalidBridgeToken
from libs.rbac.matrix import Role
from libs.tenancy.database import TenantDatabase

logger = logging.getLogger("halopos.bridge")

# Seconds between two writes of a token's "last used" time from the same address: a Bridge
# long-polls all day, and the owner needs the minute, not every poll.
LAST_USED_RESOLUTION = 60


class BridgeTokenVerifier:
    """`record_use`: stamp the token's last use (the bridge service; the gateway only reads)."""

    def __init__(self, database: TenantDatabase, *, record_use: bool = False) -> None:
        self._database = database
        self._record_use = record_use

    async def verify(self, token: str, *, address: str | None) -> Principal:
        credential = parse_credential(Kind.BRIDGE_TOKEN, token)
        if credential is None:
            raise InvalidBridgeToken()
        accepted = sa.and_(
            token_secrets.c.digest == credential.digest,
            sa.or_(
                token_secrets.c.expires_at.is_(None), token_secrets.c.expires_at > sa.func.now()
            ),
            tokens.c.revoked_at.is_(None),
        )
        async with self._database.credential_transaction(credential.tenant_id) as connection:
            row = (
                await connection.execute(
                    sa.select(tokens.c.id, tokens.c.location_id)
                    .select_from(
                        token_secrets.join(tokens, token_secrets.c.token_id == tokens.c.id)
                    )
                    .where(accepted)
                )
            ).first()
            if row is None:
                logger.info("rejected bridge token for tenant %s", credential.tenant_id)
                raise InvalidBridgeToken()
            if self._record_use:
                stale = sa.or_(
                    tokens.c.last_used_at.is_(None),
                    tokens.c.last_used_at
                    < sa.func.now() - sa.text(f"interval '{LAST_USED_RESOLUTION} seconds'"),
                    tokens.c.last_used_address.is_distinct_from(address),
                )
                await connection.execute(
                    sa.update(tokens)
                    .where(tokens.c.id == row.id, stale)
                    .values(last_used_at=sa.func.now(), last_used_address=address)
                )
        return Principal(
            subject=str(row.id),
            tenant_id=credential.tenant_id,
            role=Role.BRIDGE,
            location_id=row.location_id,
        )
