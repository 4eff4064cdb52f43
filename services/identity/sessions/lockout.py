"""Back-off after failed sign-ins, per staff member and per device.

Five failures are free; each one after that locks the subject for twice as long as the one
before (30 s, 1 min, 2 min, ... up to an hour). Only a successful sign-in of that subject
resets it; refreshing a token does not. Checked before any secret is compared, so a locked
subject learns nothing about its guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.problems import Problem
from services.identity.models import lockouts

FREE_FAILURES = 5
FIRST_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600


class Subject(StrEnum):
    STAFF = "staff"
    DEVICE = "device"


class LockedOut(Problem):
    status = 429
    code = "sign-in-locked"
    title = "Too many failed sign-ins; try again later"


def lock_seconds(failures: int) -> int:
    """How long the `failures`-th consecutive failure locks its subject (0: not at all)."""
    if failures < FREE_FAILURES:
        return 0
    return min(FIRST_LOCK_SECONDS << (failures - FREE_FAILURES), MAX_LOCK_SECONDS)


@dataclass(frozen=True)
class Failure:
    subject: Subject
    subject_id: UUID
    failures: int
    locked_until: datetime | None


class Lockouts:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def locked_until(self, subject: Subject, subject_id: UUID) -> datetime | None:
        """When the subject may try again, if it is locked now."""
        until: datetime | None = await self._connection.scalar(
            sa.select(lockouts.c.locked_until).where(
                lockouts.c.subject_type == subject.value,
                lockouts.c.subject_id == subject_id,
                lockouts.c.locked_until > sa.func.now(),
            )
        )
        return until

    async def record_failure(self, subject: Subject, subject_id: UUID) -> Failure:
        now = datetime.now(UTC)
        failures: int = await self._connection.scalar(
            insert(lockouts)
            .values(subject_type=subject.value, subject_id=subject_id, failures=1,
                    last_failure_at=now)
            .on_conflict_do_update(
                index_elements=[lockouts.c.tenant_id, lockouts.c.subject_type,
                                lockouts.c.subject_id],
                set_={"failures": lockouts.c.failures + 1, "last_failure_at": now},
            )
            .returning(lockouts.c.failures)
        )  # fmt: skip
        seconds = lock_seconds(failures)
        until = now + timedelta(seconds=seconds) if seconds else None
        if until is not None:
            await self._connection.execute(
                sa.update(lockouts)
                .where(
                    lockouts.c.subject_type == subject.value, lockouts.c.subject_id == subject_id
                )
                .values(locked_until=until)
            )
        return Failure(subject, subject_id, failures, until)

    async def reset(self, subject: Subject, subject_id: UUID) -> None:
        await self._connection.execute(
            sa.update(lockouts)
            .where(lockouts.c.subject_type == subject.value, lockouts.c.subject_id == subject_id)
            .values(failures=0, locked_until=None)
        )


def retry_after(until: datetime) -> int:
    return max(1, int((until - datetime.now(UTC)).total_seconds()) + 1)
