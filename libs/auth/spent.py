"""The ledger of spent single-use tokens, in Postgres so every instance of every layer shares
it: DPoP proof ids (RFC 9449 section 11.1) and manager override tokens.

A row is (namespace, scope, jti) in the caller's tenant. The namespace separates the layers
that each check the same token (the gateway, then the service behind it, each spends a proof
once in its own namespace); the scope is the key or device the token belongs to, so nobody
can spend another device's ids. Each spend first removes this scope's expired rows, so the
table holds about one validity window of tokens per active key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.auth.principal import Principal

if TYPE_CHECKING:
    # Not at run time: importing libs.tenancy runs its package, which imports
    # libs.auth.dependencies, which imports this module (a cycle when a process starts here).
    from libs.tenancy.database import TenantDatabase

# First use exactly when a row comes back. The delete only touches rows past their expiry,
# which the token's own age check refuses anyway.
SPEND = """
    WITH expired AS (
        DELETE FROM auth.spent_tokens
         WHERE namespace = $1 AND scope = $2 AND expires_at < now()
    )
    INSERT INTO auth.spent_tokens (namespace, scope, jti, expires_at)
    VALUES ($1, $2, $3, to_timestamp($4))
    ON CONFLICT DO NOTHING
    RETURNING true
"""


async def spend_in(
    connection: AsyncConnection, *, namespace: str, scope: str, jti: str, expires_at: float
) -> bool:
    """Spend a token inside an open tenant-bound transaction; True the first time only.

    Use this where the spend must stand or fall with the request's own writes (override
    tokens). A concurrent spend of the same token waits for this transaction and then finds
    the row, so exactly one of them succeeds.
    """
    from libs.tenancy.database import driver_connection  # see the TYPE_CHECKING import

    driver = await driver_connection(connection)
    spent = await driver.fetchval(SPEND, namespace, scope, jti, expires_at)
    return spent is True


class SpentTokens:
    """Spends tokens in short transactions of their own, committed before the request goes
    on: a proof is used up even if the request it came with fails later."""

    def __init__(self, database: TenantDatabase) -> None:
        self._database = database

    async def spend(
        self, principal: Principal, *, namespace: str, scope: str, jti: str, expires_at: float
    ) -> bool:
        """False also for a tenant that is not in the registry (the ledger's foreign key):
        such a token is refused like a replayed one, not answered with a 500."""
        try:
            async with self._database.transaction(principal) as connection:
                return await spend_in(
                    connection, namespace=namespace, scope=scope, jti=jti, expires_at=expires_at
                )
        except IntegrityError as error:
            if isinstance(error.orig, Exception) and "foreign key" in str(error.orig):
                return False
            raise


@dataclass(frozen=True, slots=True)
class TenantReplayCache:
    """The DPoP verifier's replay cache for one request: the caller's tenant, one layer."""

    spent: SpentTokens
    principal: Principal
    namespace: str

    async def first_use(self, jti: str, key_thumbprint: str, expires_at: float) -> bool:
        return await self.spent.spend(
            self.principal,
            namespace=self.namespace,
            scope=key_thumbprint,
            jti=jti,
            expires_at=expires_at,
        )


@dataclass(frozen=True, slots=True)
class ConnectionReplayCache:
    """A replay cache on an already open tenant-bound transaction (the token endpoints,
    which verify the proof and issue the session in one transaction)."""

    connection: AsyncConnection
    namespace: str

    async def first_use(self, jti: str, key_thumbprint: str, expires_at: float) -> bool:
        return await spend_in(
            self.connection,
            namespace=self.namespace,
            scope=key_thumbprint,
            jti=jti,
            expires_at=expires_at,
        )
