from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.models import devices, refresh_tokens, sessions, staff
from services.identity.staff.repository import assigned_locations


class SessionRepository(Repository):
    """Sessions (refresh-token families) and their refresh tokens, stored as hashes."""

    async def insert_session(
        self,
        *,
        session_id: UUID,
        kind: str,
        staff_id: UUID,
        key_thumbprint: str,
        expires_at: datetime,
        device_id: UUID | None,
        location_id: UUID | None,
        client: str | None = None,
    ) -> None:
        await self._connection.execute(
            sa.insert(sessions).values(
                client=client,
                id=session_id,
                kind=kind,
                staff_id=staff_id,
                device_id=device_id,
                location_id=location_id,
                key_thumbprint=key_thumbprint,
                expires_at=expires_at,
            )
        )

    async def insert_refresh_token(
        self, *, token_id: UUID, session_id: UUID, token_hash: bytes, expires_at: datetime
    ) -> None:
        await self._connection.execute(
            sa.insert(refresh_tokens).values(
                id=token_id, session_id=session_id, token_hash=token_hash, expires_at=expires_at
            )
        )

    async def refresh_token_for_update(self, token_hash: bytes) -> sa.Row[Any] | None:
        """The token with its session, staff member and device, locked: concurrent refreshes
        of one token take turns."""
        successor = refresh_tokens.alias("successor")
        query = (
            sa.select(
                refresh_tokens.c.id,
                refresh_tokens.c.expires_at,
                refresh_tokens.c.used_at,
                refresh_tokens.c.revoked_at,
                refresh_tokens.c.replaced_by,
                (sa.func.now() - refresh_tokens.c.used_at).label("since_used"),
                successor.c.used_at.label("successor_used_at"),
                successor.c.revoked_at.label("successor_revoked_at"),
                sessions.c.id.label("session_id"),
                sessions.c.kind,
                sessions.c.staff_id,
                sessions.c.device_id,
                sessions.c.location_id,
                sessions.c.key_thumbprint,
                sessions.c.expires_at.label("session_expires_at"),
                sessions.c.revoked_at.label("session_revoked_at"),
                staff.c.role,
                staff.c.active.label("staff_active"),
                assigned_locations(),
                devices.c.status.label("device_status"),
            )
            .select_from(
                refresh_tokens.join(sessions, sessions.c.id == refresh_tokens.c.session_id)
                .join(staff, staff.c.id == sessions.c.staff_id)
                .outerjoin(devices, devices.c.id == sessions.c.device_id)
                .outerjoin(successor, successor.c.id == refresh_tokens.c.replaced_by)
            )
            .where(refresh_tokens.c.token_hash == token_hash)
            .with_for_update(of=refresh_tokens)
        )
        return (await self._connection.execute(query)).first()

    async def replace_refresh_token(self, token_id: UUID, *, successor_id: UUID) -> None:
        """Mark a token used (the first time) and point it at the token that replaces it."""
        await self._connection.execute(
            sa.update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id)
            .values(
                used_at=sa.func.coalesce(refresh_tokens.c.used_at, sa.func.now()),
                replaced_by=successor_id,
            )
        )

    async def revoke_refresh_token(self, token_id: UUID) -> None:
        await self._connection.execute(
            sa.update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=sa.func.now())
        )

    async def revoke_session(
        self, session_id: UUID, *, reason: str, only_live: bool = False
    ) -> bool:
        """Ends a session: its refresh tokens, used or not, are all refused from now on. False
        when it had ended already (revoked, here or by a concurrent request, or with
        `only_live`, expired), and nothing changed: whoever ended it refused its tokens in the
        same transaction. The statements take the rows in the order the device revocation
        does.

        `only_live` is for an owner ending a session by hand: an expired session has ended
        already and stays as it ended. A refresh ends the session it has just read, expired
        or not (a token presented with a foreign key ends it before the expiry is looked at)."""
        query = sa.update(sessions).where(
            sessions.c.id == session_id, sessions.c.revoked_at.is_(None)
        )
        if only_live:
            query = query.where(sessions.c.expires_at > sa.func.now())
        ended = await self._connection.scalar(
            query.values(revoked_at=sa.func.now(), revoked_reason=reason).returning(sessions.c.id)
        )
        if ended is None:
            return False
        await self._connection.execute(
            sa.update(refresh_tokens)
            .where(refresh_tokens.c.session_id == session_id, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=sa.func.now())
        )
        return True

    async def revoke_device_sessions(self, device_id: UUID, *, reason: str) -> list[UUID]:
        """Ends every live session of a device (the device was revoked)."""
        ended = (
            await self._connection.scalars(
                sa.update(sessions)
                .where(sessions.c.device_id == device_id, sessions.c.revoked_at.is_(None))
                .values(revoked_at=sa.func.now(), revoked_reason=reason)
                .returning(sessions.c.id)
            )
        ).all()
        if ended:
            await self._connection.execute(
                sa.update(refresh_tokens)
                .where(
                    refresh_tokens.c.session_id.in_(ended), refresh_tokens.c.revoked_at.is_(None)
                )
                .values(revoked_at=sa.func.now())
            )
        return list(ended)

    async def device_for_sign_in(self, device_id: UUID) -> Any:
        """The device, locked (FOR NO KEY UPDATE) for the rest of the sign-in: concurrent PIN
        attempts on one till take turns, each seeing the failures recorded before it, and a
        revocation in flight finishes first, so no session starts on a device just revoked."""
        query = (
            sa.select(
                devices.c.id, devices.c.location_id, devices.c.key_thumbprint, devices.c.status
            )
            .where(devices.c.id == device_id)
            .with_for_update(key_share=True)
        )
        return (await self._connection.execute(query)).first()

    async def staff_for_sign_in(self, staff_id: UUID) -> Any:
        """The staff member, locked like the device (always after it): guesses at one PIN
        from several tills take turns too, and a deactivation in flight finishes first."""
        query = (
            sa.select(
                staff.c.id, staff.c.role, staff.c.active, staff.c.pin_hash, assigned_locations()
            )
            .where(staff.c.id == staff_id)
            .with_for_update(key_share=True)
        )
        return (await self._connection.execute(query)).first()
