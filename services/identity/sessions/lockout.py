"""Back-off after failed sign-ins, per subject (docs/sessions.md, "Lockouts").

Each subject counts its own failures and earns its own back-off. The subjects are chosen so
that nobody can use one to deny someone else, and no success is a free reset for a guesser:

- `pin`: a staff member's PIN, across every device and override approval. Five failures are
  free; each one after that locks for twice as long as the one before (30 s, 1 min, ... an
  hour). Only their own successful PIN sign-in or approval resets it.
- `device`: a till, whoever was tried on it. Ten failures in 15 minutes are free, then the
  same doubling back-off (at most 15 minutes). It decays by time only: a success on the till
  does not reset it, so an insider cannot alternate their own sign-in with guesses at
  colleagues' PINs.
- `password`: an account's password from one source address (IPv6 by /64). Five free, then
  the doubling back-off; a successful password step from that address resets it. Failures
  from one address never lock the account for another.
- `password_account`: an account's password from anywhere: 50 failures within an hour lock
  it everywhere for an hour. Only time resets it. This is what bounds a guesser with many
  addresses; a single address reaches its own lock long before.
- `second_factor`: TOTP, recovery and enrolment codes of a staff member (whoever sends them
  already knows the password). Five free, then the doubling back-off; a complete sign-in
  resets it.

Password subjects are keyed by a digest of the e-mail address, not by a staff id: an
address nobody has is counted and locked exactly like a real one, so the lockout answers
the same and tells nobody who exists. Locks are checked before any secret is compared, so a
locked subject learns nothing about its guesses.
"""

from __future__ import annotations

import ipaddress
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from libs.problems import Problem
from libs.tenancy.repository import Repository
from services.identity.models import lockouts

# Password subjects are keyed by uuid5(this, e-mail): the same for an address that exists and
# one that does not, and the address itself is not stored.
_ACCOUNT_NAMESPACE = UUID("0f6b3a52-6c1e-4b7e-9a59-5a1d7c2e8b90")
# Rows of password subjects (which include addresses nobody has) nobody has failed for this
# long, and not locked, are deleted now and then.
_FORGET_AFTER = timedelta(days=1)
_FORGET_BATCH = 500
_FORGET_ONE_IN = 64


class Subject(StrEnum):
    PIN = "pin"
    DEVICE = "device"
    PASSWORD = "password"  # noqa: S105 - a subject's name, not a secret
    PASSWORD_ACCOUNT = "password_account"  # noqa: S105 - a subject's name, not a secret
    SECOND_FACTOR = "second_factor"


@dataclass(frozen=True)
class Rule:
    free_failures: int  # this many are answered normally; the last of them starts the lock
    first_lock_seconds: int
    max_lock_seconds: int
    # Failures counted in a window that restarts this long after it began (None: counted
    # until a success resets them).
    window: timedelta | None
    reset_by_success: bool


RULES: dict[Subject, Rule] = {
    Subject.PIN: Rule(5, 30, 3600, None, reset_by_success=True),
    Subject.DEVICE: Rule(10, 30, 900, timedelta(minutes=15), reset_by_success=False),
    Subject.PASSWORD: Rule(5, 30, 3600, None, reset_by_success=True),
    Subject.PASSWORD_ACCOUNT: Rule(50, 3600, 3600, timedelta(hours=1), reset_by_success=False),
    Subject.SECOND_FACTOR: Rule(5, 30, 3600, None, reset_by_success=True),
}


class LockedOut(Problem):
    status = 429
    code = "sign-in-locked"
    title = "Too many failed sign-ins; try again later"


@dataclass(frozen=True)
class Key:
    """One counter: a subject, whom it is about, and (password only) the source address."""

    subject: Subject
    subject_id: UUID
    source: str = ""


def account_id(email: str) -> UUID:
    """The id password subjects count an e-mail address under, whether anyone has it or not."""
    return uuid.uuid5(_ACCOUNT_NAMESPACE, email.strip().lower())


def source_of(address: str | None) -> str:
    """The source a password failure is counted against: the IPv4 address, or the IPv6 /64
    (one subscriber usually holds a whole /64, so single addresses would be free to change)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


def password_keys(email: str, source: str) -> tuple[Key, Key]:
    account = account_id(email)
    return Key(Subject.PASSWORD, account, source), Key(Subject.PASSWORD_ACCOUNT, account)


def lock_seconds(failures: int, rule: Rule = RULES[Subject.PIN]) -> int:
    """How long the `failures`-th counted failure locks its subject (0: not at all)."""
    if failures < rule.free_failures:
        return 0
    return min(rule.first_lock_seconds << (failures - rule.free_failures), rule.max_lock_seconds)


@dataclass(frozen=True)
class Failure:
    key: Key
    failures: int
    locked_until: datetime | None

    @property
    def subject(self) -> Subject:
        return self.key.subject


@dataclass(frozen=True)
class Lock:
    key: Key
    until: datetime


def _matches(key: Key) -> sa.ColumnElement[bool]:
    return sa.and_(
        lockouts.c.subject_type == key.subject.value,
        lockouts.c.subject_id == key.subject_id,
        lockouts.c.source == key.source,
    )


class Lockouts(Repository):
    async def serialise(self, key: Key) -> None:
        """Attempts at one subject take turns until the end of the transaction, whether the
        account exists or not: each sees the failures recorded before it, so parallel guesses
        cannot outrun the lockout, and an unknown account behaves like a real one."""
        await self._connection.execute(
            sa.select(
                sa.func.pg_advisory_xact_lock(
                    sa.func.hashtextextended(
                        sa.func.concat(
                            sa.func.current_setting("app.tenant_id", True),
                            f":lockout:{key.subject.value}:{key.subject_id}",
                        ),
                        0,
                    )
                )
            )
        )

    async def locked(self, *keys: Key) -> Lock | None:
        """The lock in force on any of these subjects that ends last, if any."""
        rows = (
            await self._connection.execute(
                sa.select(
                    lockouts.c.subject_type,
                    lockouts.c.subject_id,
                    lockouts.c.source,
                    lockouts.c.locked_until,
                )
                .where(sa.or_(*(_matches(key) for key in keys)))
                .where(lockouts.c.locked_until > sa.func.now())
                .order_by(lockouts.c.locked_until.desc())
                .limit(1)
            )
        ).first()
        if rows is None:
            return None
        key = Key(Subject(rows.subject_type), rows.subject_id, rows.source)
        return Lock(key, rows.locked_until)

    async def locked_until(self, subject: Subject, subject_id: UUID) -> datetime | None:
        """When the subject (without a source) may try again, if it is locked now."""
        lock = await self.locked(Key(subject, subject_id))
        return lock.until if lock else None

    async def record_failure(self, key: Key) -> Failure:
        rule = RULES[key.subject]
        now = datetime.now(UTC)
        restart: sa.ColumnElement[bool] = sa.false()
        if rule.window is not None:
            restart = sa.or_(
                lockouts.c.window_started_at.is_(None),
                lockouts.c.window_started_at <= now - rule.window,
            )
        failures: int = await self._connection.scalar(
            insert(lockouts)
            .values(
                subject_type=key.subject.value,
                subject_id=key.subject_id,
                source=key.source,
                failures=1,
                last_failure_at=now,
                window_started_at=now,
            )
            .on_conflict_do_update(
                index_elements=[
                    lockouts.c.tenant_id,
                    lockouts.c.subject_type,
                    lockouts.c.subject_id,
                    lockouts.c.source,
                ],
                set_={
                    "failures": sa.case((restart, 1), else_=lockouts.c.failures + 1),
                    "window_started_at": sa.case(
                        (restart, now), else_=lockouts.c.window_started_at
                    ),
                    "last_failure_at": now,
                },
            )
            .returning(lockouts.c.failures)
        )
        seconds = lock_seconds(failures, rule)
        until = now + timedelta(seconds=seconds) if seconds else None
        if until is not None:
            await self._connection.execute(
                sa.update(lockouts)
                .where(_matches(key))
                .values(
                    locked_until=sa.func.greatest(
                        sa.func.coalesce(lockouts.c.locked_until, until), until
                    )
                )
            )
        if key.subject in (Subject.PASSWORD, Subject.PASSWORD_ACCOUNT):
            await self._forget_now_and_then(now)
        return Failure(key, failures, until)

    async def _forget_now_and_then(self, now: datetime) -> None:
        """Password subjects count addresses nobody has too; clear the stale ones, a batch at
        a time, on about one failure in 64 (row-level security keeps it to this business)."""
        if secrets.randbelow(_FORGET_ONE_IN):
            return
        stale = (
            sa.select(lockouts.c.subject_type, lockouts.c.subject_id, lockouts.c.source)
            .where(
                lockouts.c.subject_type.in_(
                    [Subject.PASSWORD.value, Subject.PASSWORD_ACCOUNT.value]
                ),
                lockouts.c.last_failure_at < now - _FORGET_AFTER,
                sa.or_(lockouts.c.locked_until.is_(None), lockouts.c.locked_until < now),
            )
            .limit(_FORGET_BATCH)
        )
        await self._connection.execute(
            sa.delete(lockouts).where(
                sa.tuple_(lockouts.c.subject_type, lockouts.c.subject_id, lockouts.c.source).in_(
                    stale
                )
            )
        )

    async def reset(self, key: Key) -> None:
        """A success of this subject's own: only subjects whose rule allows it."""
        assert RULES[key.subject].reset_by_success, f"{key.subject} decays by time only"
        await self._connection.execute(
            sa.update(lockouts).where(_matches(key)).values(failures=0, locked_until=None)
        )


def retry_after(until: datetime) -> int:
    return max(1, int((until - datetime.now(UTC)).total_seconds()) + 1)
