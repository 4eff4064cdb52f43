"""Bridge tokens and their secrets' digests: SQLAlchemy Core on a tenant-bound connection.
A secret itself never reaches this module, only the digest that is stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.bridge.models import token_secrets, tokens
from services.bridge.bridge_tokens.schemas import BridgeToken

# The foreign key to identity.locations (with tenant_id): the bridge role cannot read the
# locations, so this constraint is what tells whether the business has the location.
LOCATION_FOREIGN_KEY = "fk_tokens_tenant_id_location_id_locations"

_TOKEN = tuple(column for column in tokens.c if column.name != "tenant_id")


class UnknownLocation(Exception):
    """The business has no location with this id."""


class BridgeTokenRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> BridgeTokenRepository:
        return cls(connection)

    async def insert(
        self,
        *,
        token_id: UUID,
        location_id: UUID,
        name: str,
        hint: str,
        created_by: str,
        digest: bytes,
    ) -> BridgeToken:
        """The token and its first secret; raises UnknownLocation, having written nothing,
        if the business has no such location. In a savepoint, so the request's transaction
        survives the refusal."""
        try:
            async with self._connection.begin_nested():
                row = (
                    await self._connection.execute(
                        sa.insert(tokens)
                        .values(
                            id=token_id,
                            location_id=location_id,
                            name=name,
                            hint=hint,
                            created_by=created_by,
                        )
                        .returning(*_TOKEN)
                    )
                ).one()
        except IntegrityError as error:
            cause = error.orig.__cause__ if error.orig is not None else None
            if getattr(cause, "constraint_name", None) == LOCATION_FOREIGN_KEY:
                raise UnknownLocation(str(location_id)) from None
            raise
        await self._insert_secret(token_id=token_id, digest=digest)
        return BridgeToken.model_validate(row._asdict())

    async def get(self, token_id: UUID, *, for_update: bool = False) -> BridgeToken | None:
        """`for_update` locks the token until the transaction ends: rotations and revocations
        of one token take turns, and each later one sees what the earlier one did."""
        query = sa.select(*_TOKEN).where(tokens.c.id == token_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return BridgeToken.model_validate(row._asdict()) if row else None

    async def page(
        self, *, limit: int, after: tuple[datetime, UUID] | None, location_id: UUID | None
    ) -> list[BridgeToken]:
        query = sa.select(*_TOKEN).order_by(tokens.c.created_at.desc(), tokens.c.id.desc())
        if location_id is not None:
            query = query.where(tokens.c.location_id == location_id)
        if after is not None:
            query = query.where(sa.tuple_(tokens.c.created_at, tokens.c.id) < sa.tuple_(*after))
        rows = await self._connection.execute(query.limit(limit))
        return [BridgeToken.model_validate(row._asdict()) for row in rows]

    async def replace_secret(
        self, token_id: UUID, *, digest: bytes, hint: str, grace_period: timedelta
    ) -> BridgeToken:
        """Adds a new secret and cuts the token's older ones off at now() + `grace_period`,
        or earlier if they were due to stop earlier already (a second rotation never
        lengthens the life of a secret the first one cut short). The caller holds the token's
        lock (`get(..., for_update=True)`)."""
        # least() ignores NULL: a current secret (no expiry) gets the end of the grace period.
        cutoff = sa.func.least(
            token_secrets.c.expires_at,
            sa.func.now() + sa.literal(grace_period, sa.Interval()),
        )
        await self._connection.execute(
            sa.update(token_secrets)
            .where(
                token_secrets.c.token_id == token_id,
                sa.or_(
                    token_secrets.c.expires_at.is_(None),
                    token_secrets.c.expires_at > sa.func.now(),
                ),
            )
            .values(expires_at=cutoff)
        )
        await self._insert_secret(token_id=token_id, digest=digest)
        row = (
            await self._connection.execute(
                sa.update(tokens)
                .where(tokens.c.id == token_id)
                .values(hint=hint, rotated_at=sa.func.now())
                .returning(*_TOKEN)
            )
        ).one()
        return BridgeToken.model_validate(row._asdict())

    async def revoke(self, token_id: UUID, *, revoked_by: str) -> BridgeToken | None:
        """Revokes a token that is not revoked yet; None if there is none such (unknown, or
        revoked already). A concurrent revocation waits for this one, then finds nothing."""
        row = (
            await self._connection.execute(
                sa.update(tokens)
                .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                .values(revoked_at=sa.func.now(), revoked_by=revoked_by)
                .returning(*_TOKEN)
            )
        ).first()
        return BridgeToken.model_validate(row._asdict()) if row else None

    async def _insert_secret(self, *, token_id: UUID, digest: bytes) -> None:
        await self._connection.execute(
            sa.insert(token_secrets).values(digest=digest, token_id=token_id)
        )
