from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.backoffice.schemas import SecuritySettings
from services.identity.models import (
    recovery_codes,
    sign_in_challenges,
    staff,
    tenants,
    totp_enrolment_codes,
)
from services.identity.staff.repository import assigned_locations


@dataclass(frozen=True, slots=True)
class SignInStaff:
    """A staff member as the sign-in steps see them: secrets included, never returned."""

    id: UUID
    email: str
    role: str
    active: bool
    password_hash: str | None
    totp_secret: bytes | None
    totp_enabled_at: datetime | None
    totp_last_step: int | None
    # The locations they work at (None: every one); their session reaches these.
    location_ids: list[UUID] | None

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None


@dataclass(frozen=True, slots=True)
class Challenge:
    id: UUID
    key_thumbprint: str
    purpose: str
    pending_totp_secret: bytes | None
    attempts: int
    expires_at: datetime
    used_at: datetime | None
    enrolment_code_id: UUID | None
    staff: SignInStaff


_STAFF = (
    staff.c.id,
    staff.c.email,
    staff.c.role,
    staff.c.active,
    staff.c.password_hash,
    staff.c.totp_secret,
    staff.c.totp_enabled_at,
    staff.c.totp_last_step,
    assigned_locations(),
)


class SignInRepository(Repository):
    """Backoffice sign-in: staff secrets, sign-in challenges, recovery codes and the
    business's security settings. Credentials are looked up by hash only."""

    # Security settings (the business's own registry row; RLS shows only the bound one).

    async def security_settings(self, *, for_update: bool = False) -> SecuritySettings | None:
        """None when the bound business does not exist (a sign-in naming a made-up one)."""
        query = sa.select(tenants.c.owner_totp_required)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return SecuritySettings.model_validate(row._asdict()) if row else None

    async def update_security_settings(self, settings: SecuritySettings) -> None:
        # No WHERE: row-level security shows this transaction its own business's row only.
        await self._connection.execute(sa.update(tenants).values(**settings.model_dump()))

    # Staff.

    async def staff_by_email(self, email: str) -> SignInStaff | None:
        """The staff member, locked (FOR NO KEY UPDATE) for the rest of the sign-in attempt:
        concurrent guesses at one password take turns, each seeing the failures recorded
        before it, so parallel guesses cannot outrun the lockout."""
        query = sa.select(*_STAFF).where(staff.c.email == email).with_for_update(key_share=True)
        row = (await self._connection.execute(query)).first()
        return SignInStaff(**row._asdict()) if row else None

    async def accept_totp_step(self, staff_id: UUID, step: int) -> bool:
        """Record `step` as the last accepted one, unless it or a later one already was: the
        compare-and-set that makes every code single-use, even under concurrent sign-ins."""
        accepted = await self._connection.scalar(
            sa.update(staff)
            .where(
                staff.c.id == staff_id,
                sa.or_(staff.c.totp_last_step.is_(None), staff.c.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .returning(staff.c.id)
        )
        return accepted is not None

    async def enable_totp(self, staff_id: UUID, *, sealed_secret: bytes, step: int) -> None:
        await self._connection.execute(
            sa.update(staff)
            .where(staff.c.id == staff_id)
            .values(totp_secret=sealed_secret, totp_enabled_at=sa.func.now(), totp_last_step=step)
        )

    # Challenges.

    async def insert_challenge(
        self,
        *,
        challenge_id: UUID,
        staff_id: UUID,
        token_hash: bytes,
        key_thumbprint: str,
        purpose: str,
        expires_at: datetime,
        enrolment_code_id: UUID | None = None,
    ) -> None:
        await self._connection.execute(
            sa.insert(sign_in_challenges).values(
                id=challenge_id,
                staff_id=staff_id,
                token_hash=token_hash,
                key_thumbprint=key_thumbprint,
                purpose=purpose,
                expires_at=expires_at,
                enrolment_code_id=enrolment_code_id,
            )
        )

    async def challenge_for_update(self, token_hash: bytes) -> Challenge | None:
        """The challenge and its staff member, both locked: attempts on one challenge take
        turns, and an enrolment cannot race a sign-in of the same person."""
        query = (
            sa.select(
                sign_in_challenges.c.id,
                sign_in_challenges.c.key_thumbprint,
                sign_in_challenges.c.purpose,
                sign_in_challenges.c.pending_totp_secret,
                sign_in_challenges.c.attempts,
                sign_in_challenges.c.expires_at,
                sign_in_challenges.c.used_at,
                sign_in_challenges.c.enrolment_code_id,
                *(column.label(f"staff_{column.name}") for column in _STAFF),
            )
            .select_from(
                sign_in_challenges.join(staff, staff.c.id == sign_in_challenges.c.staff_id)
            )
            .where(sign_in_challenges.c.token_hash == token_hash)
            .with_for_update()
        )
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        values = row._asdict()
        member = SignInStaff(
            **{column.name: values.pop(f"staff_{column.name}") for column in _STAFF}
        )
        return Challenge(**values, staff=member)

    async def count_attempt(self, challenge_id: UUID, *, limit: int) -> int:
        """One more failed attempt; the challenge is used up at `limit`. Returns the count."""
        attempts: int = await self._connection.scalar(
            sa.update(sign_in_challenges)
            .where(sign_in_challenges.c.id == challenge_id)
            .values(
                attempts=sign_in_challenges.c.attempts + 1,
                used_at=sa.case(
                    (sign_in_challenges.c.attempts + 1 >= limit, sa.func.now()),
                    else_=sign_in_challenges.c.used_at,
                ),
            )
            .returning(sign_in_challenges.c.attempts)
        )
        return attempts

    async def use_challenge(self, challenge_id: UUID) -> None:
        """Spend the challenge; a pending secret is dropped with it (the staff row has its
        own sealed copy once enrolment is confirmed)."""
        await self._connection.execute(
            sa.update(sign_in_challenges)
            .where(sign_in_challenges.c.id == challenge_id)
            .values(used_at=sa.func.now(), pending_totp_secret=None)
        )

    async def set_pending_secret(self, challenge_id: UUID, sealed_secret: bytes) -> None:
        await self._connection.execute(
            sa.update(sign_in_challenges)
            .where(sign_in_challenges.c.id == challenge_id)
            .values(pending_totp_secret=sealed_secret)
        )

    # Recovery codes.

    async def use_recovery_code(self, staff_id: UUID, code_hash: bytes) -> bool:
        """Spend a live recovery code; False if there is none with this hash."""
        used = await self._connection.scalar(
            sa.update(recovery_codes)
            .where(
                recovery_codes.c.staff_id == staff_id,
                recovery_codes.c.code_hash == code_hash,
                recovery_codes.c.used_at.is_(None),
                recovery_codes.c.revoked_at.is_(None),
            )
            .values(used_at=sa.func.now())
            .returning(recovery_codes.c.id)
        )
        return used is not None

    async def count_live_recovery_codes(self, staff_id: UUID) -> int:
        count = await self._connection.scalar(
            sa.select(sa.func.count())
            .select_from(recovery_codes)
            .where(
                recovery_codes.c.staff_id == staff_id,
                recovery_codes.c.used_at.is_(None),
                recovery_codes.c.revoked_at.is_(None),
            )
        )
        return int(count or 0)

    async def replace_recovery_codes(self, staff_id: UUID, codes: dict[UUID, bytes]) -> int:
        """Revoke every live code of the staff member and store these (id -> hash).
        Returns how many were revoked."""
        revoked = (
            await self._connection.scalars(
                sa.update(recovery_codes)
                .where(
                    recovery_codes.c.staff_id == staff_id,
                    recovery_codes.c.used_at.is_(None),
                    recovery_codes.c.revoked_at.is_(None),
                )
                .values(revoked_at=sa.func.now())
                .returning(recovery_codes.c.id)
            )
        ).all()
        await self._connection.execute(
            sa.insert(recovery_codes),
            [
                {"id": code_id, "staff_id": staff_id, "code_hash": code_hash}
                for code_id, code_hash in codes.items()
            ],
        )
        return len(revoked)

    # Enrolment codes.

    async def active_staff_exists(self, staff_id: UUID) -> bool:
        found = await self._connection.scalar(
            sa.select(staff.c.id).where(staff.c.id == staff_id, staff.c.active)
        )
        return found is not None

    async def replace_enrolment_code(
        self,
        staff_id: UUID,
        *,
        code_id: UUID,
        code_hash: bytes,
        issued_by: str,
        expires_at: datetime,
    ) -> int:
        """Revoke the staff member's live enrolment codes and store this one (its hash).
        Returns how many were revoked."""
        revoked = (
            await self._connection.scalars(
                sa.update(totp_enrolment_codes)
                .where(
                    totp_enrolment_codes.c.staff_id == staff_id,
                    totp_enrolment_codes.c.used_at.is_(None),
                    totp_enrolment_codes.c.revoked_at.is_(None),
                )
                .values(revoked_at=sa.func.now())
                .returning(totp_enrolment_codes.c.id)
            )
        ).all()
        await self._connection.execute(
            sa.insert(totp_enrolment_codes).values(
                id=code_id,
                staff_id=staff_id,
                code_hash=code_hash,
                issued_by=issued_by,
                expires_at=expires_at,
            )
        )
        return len(revoked)

    async def live_enrolment_code(self, staff_id: UUID, code_hash: bytes) -> UUID | None:
        """The id of the staff member's live enrolment code with this hash, if there is one."""
        code_id: UUID | None = await self._connection.scalar(
            sa.select(totp_enrolment_codes.c.id).where(
                totp_enrolment_codes.c.staff_id == staff_id,
                totp_enrolment_codes.c.code_hash == code_hash,
                totp_enrolment_codes.c.used_at.is_(None),
                totp_enrolment_codes.c.revoked_at.is_(None),
                totp_enrolment_codes.c.expires_at > sa.func.now(),
            )
        )
        return code_id

    async def use_enrolment_code(self, code_id: UUID) -> bool:
        """Spend a live enrolment code (compare-and-set: one enrolment per code)."""
        used = await self._connection.scalar(
            sa.update(totp_enrolment_codes)
            .where(
                totp_enrolment_codes.c.id == code_id,
                totp_enrolment_codes.c.used_at.is_(None),
                totp_enrolment_codes.c.revoked_at.is_(None),
                totp_enrolment_codes.c.expires_at > sa.func.now(),
            )
            .values(used_at=sa.func.now())
            .returning(totp_enrolment_codes.c.id)
        )
        return used is not None
