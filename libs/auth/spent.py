"""The ledger of spent single-use tokens, in Postgres so every instance of every service
shares it: DPoP proof ids (RFC 9449 section 11.1) and manager override tokens.

A row is (namespace, scope, jti) in the caller's tenant. The namespace says what was spent:
`dpop` for the proofs the services accept (one namespace: a proof names one URL, so one
service), `dpop:identity-sign-in` for the identity service's token endpoints, `override` for
override tokens. The scope is the key or device the token belongs to, so nobody can spend
another device's ids.

Rows are kept only while the token could still be accepted, and no statement is ever sent just
to remove them: each spend, in the same statement, removes its own scope's expired rows, so
the table holds about one validity window of tokens per active key; and one spend in
`SWEEP_ONE_IN` also removes up to `SWEEP_LIMIT` rows of the whole tenant that expired more than
`SWEEP_AFTER` ago (keys no longer used, which no spend of their own will clean up).

A spend never waits for another transaction's row locks, except on the one thing it must: the
same token id spent concurrently (the unique key, so exactly one of them wins). Its deletes
take only rows nobody else holds (`FOR UPDATE SKIP LOCKED`): a spend runs inside a request's
transaction and holds what it deleted until that commits, and deletes that waited for one
another, taking rows in different orders (two requests of one key; a sweep across keys), could
deadlock. A row skipped now is past its expiry either way and goes with a later spend.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.auth.dpop import VerifiedProof
from libs.auth.principal import Principal

if TYPE_CHECKING:
    # Not at run time: importing libs.tenancy runs its package, which imports
    # libs.api.authentication, which imports this module (a cycle when a process starts here).
    from libs.tenancy.database import TenantDatabase

# The namespace of every DPoP proof a service accepts with an access token.
DPOP = "dpop"
SWEEP_ONE_IN = 64
SWEEP_LIMIT = 500
SWEEP_AFTER = "5 minutes"

_INSERT = """
    INSERT INTO auth.spent_tokens (namespace, scope, jti, expires_at)
    VALUES ($1, $2, $3, to_timestamp($4))
    ON CONFLICT DO NOTHING
    RETURNING true
"""
# First use exactly when a row comes back. The deletes only touch rows past their expiry,
# which the token's own age check refuses anyway.
SPEND = f"""
    WITH expired AS (
        DELETE FROM auth.spent_tokens
         WHERE (namespace, scope, jti) IN (
                SELECT namespace, scope, jti FROM auth.spent_tokens
                 WHERE namespace = $1 AND scope = $2 AND expires_at < now()
                   FOR UPDATE SKIP LOCKED)
    )
    {_INSERT}
"""
SPEND_AND_SWEEP = f"""
    WITH expired AS (
        DELETE FROM auth.spent_tokens
         WHERE (namespace, scope, jti) IN (
                SELECT namespace, scope, jti FROM auth.spent_tokens
                 WHERE namespace = $1 AND scope = $2 AND expires_at < now()
                   FOR UPDATE SKIP LOCKED)
    ),
    idle AS (
        DELETE FROM auth.spent_tokens
         WHERE (namespace, scope, jti) IN (
                SELECT namespace, scope, jti FROM auth.spent_tokens
                 WHERE expires_at < now() - interval '{SWEEP_AFTER}'
                   AND (namespace, scope) <> ($1, $2)
                 LIMIT {SWEEP_LIMIT}
                   FOR UPDATE SKIP LOCKED)
    )
    {_INSERT}
"""


async def spend_in(
    connection: AsyncConnection, *, namespace: str, scope: str, jti: str, expires_at: float
) -> bool:
    """Spend a token inside an open tenant-bound transaction; True the first time only.

    Use this where the spend must stand or fall with the request's own writes. A concurrent
    spend of the same token waits for this transaction and then finds the row, so exactly
    one of them succeeds. False also for a tenant that is not in the registry (the ledger's
    foreign key): the transaction is then aborted, and the caller must refuse.
    """
    from libs.tenancy.database import driver_connection  # see the TYPE_CHECKING import

    driver = await driver_connection(connection)
    # Sampling, not security: which spend also sweeps the tenant's expired rows.
    statement = SPEND_AND_SWEEP if random.randrange(SWEEP_ONE_IN) == 0 else SPEND  # noqa: S311
    try:
        spent = await driver.fetchval(statement, namespace, scope, jti, expires_at)
    except asyncpg.ForeignKeyViolationError:
        return False
    return spent is True


class SpentTokens:
    """Spends tokens in short transactions of their own, committed before the caller goes
    on: for a request with no transaction of its own to spend in, and for one whose
    transaction rolled back."""

    def __init__(self, database: TenantDatabase) -> None:
        self._database = database

    async def spend(
        self, principal: Principal, *, namespace: str, scope: str, jti: str, expires_at: float
    ) -> bool:
        """False also for a tenant that is not in the registry: such a token is refused like
        a replayed one, not answered with a 500."""
        # After a foreign key violation the COMMIT is a rollback (Postgres), not an error.
        async with self._database.transaction(principal) as connection:
            return await spend_in(
                connection, namespace=namespace, scope=scope, jti=jti, expires_at=expires_at
            )


@dataclass(eq=False)
class ProofSpend:
    """A DPoP proof a service has accepted, to be spent exactly once in the ledger (namespace
    `dpop`): in the request's own transaction (`spend_in`, then `committed`), or alone.
    `settled` once it is spent for good, or found already spent by another request."""

    ledger: SpentTokens
    principal: Principal
    proof: VerifiedProof
    settled: bool = False
    # Written in a transaction of the request's own (which may have rolled back since).
    written: bool = False

    async def spend_in(self, connection: AsyncConnection) -> bool:
        """In the request's open transaction: True the first time. It stays unsettled until
        `committed`: if the transaction rolls back instead, spend it alone."""
        first = await spend_in(
            connection,
            namespace=DPOP,
            scope=self.proof.key_thumbprint,
            jti=self.proof.jti,
            expires_at=self.proof.expires_at,
        )
        self.settled, self.written = not first, first
        return first

    def committed(self) -> None:
        self.settled = True

    async def spend_alone(self) -> bool:
        """In a transaction of its own: True the first time."""
        first = await self.ledger.spend(
            self.principal,
            namespace=DPOP,
            scope=self.proof.key_thumbprint,
            jti=self.proof.jti,
            expires_at=self.proof.expires_at,
        )
        self.settled = True
        return first


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
