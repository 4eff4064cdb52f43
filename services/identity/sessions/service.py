"""Sessions: how a signed-in staff member gets tokens, keeps them fresh, and loses them.

A session is one staff member on one key (a POS device's, or a backoffice browser's). It is a
family of opaque refresh tokens, each used once and replaced by the next; the access tokens
minted along the way live ten minutes and are bound to the key (cnf.jkt).

Refresh rules (docs/sessions.md):
- a refresh needs a DPoP proof from the session's key: that is the device re-attesting;
- the token is spent and replaced; the session's staff member must still be active and its
  device not revoked, and the role in the new access token is the staff member's current one;
- the locations are read again too: a backoffice token lists the staff member's current
  ones (`locs`), and a till's session ends once its staff member no longer works at the
  till's location;
- a lost answer: the same token presented again within `RETRY_GRACE` of its first use, with
  a proof from the same key, while the token that replaced it is still unused, gets a fresh
  replacement and the unused one is revoked. The same rule makes two concurrent refreshes of
  one token both succeed, one after the other; the later answer is the live one;
- any other reuse of a spent token (late, or after its replacement was used) means two
  parties hold the family: the whole session is revoked and audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.append import Actor, AuditLog
from libs.auth.access_tokens import MAX_LIFETIME_SECONDS
from libs.auth.opaque_credentials import Credential, Kind, new_credential
from libs.problems import Problem, Unauthenticated
from services.identity.keys.signing import TokenIssuer
from services.identity.sessions.budget import SignInBudget
from services.identity.sessions.lockout import Key, LockedOut, Lockouts, Subject, retry_after
from services.identity.sessions.repository import SessionRepository
from services.identity.sessions.schemas import TokenResponse
from services.identity.staff.schemas import StaffRole
from services.identity.staff.secret_hashing import verify_secret
from services.identity.staff.service import works_at

REFRESH_TOKEN_LIFETIME = timedelta(hours=12)
SESSION_LIFETIME = {"pos": timedelta(hours=24), "backoffice": timedelta(hours=12)}
RETRY_GRACE = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class SessionStore:
    """What a sign-in or refresh transaction works through, built once from its connection:
    the sessions, the failure counts, and the audit log they must all land in together."""

    sessions: SessionRepository
    lockouts: Lockouts
    audit: AuditLog

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> SessionStore:
        return cls(
            sessions=SessionRepository.from_connection(connection),
            lockouts=Lockouts(connection),
            audit=AuditLog.from_connection(connection, service="identity"),
        )


@dataclass(frozen=True, slots=True)
class PinAttempt:
    """One PIN sign-in as asked: from where (`source`, the budget's and lockout's key), on
    which device, proven with which key, for whom, with which PIN."""

    source: str
    device: Credential
    key_thumbprint: str
    staff_id: UUID
    pin: str


class InvalidRefreshToken(Unauthenticated):
    code = "invalid-refresh-token"
    title = "The refresh token is invalid, expired or revoked; sign in again"


@dataclass(frozen=True)
class SessionOwner:
    """Who a new session is for, as established by a sign-in."""

    tenant_id: UUID
    staff_id: UUID
    role: StaffRole
    key_thumbprint: str
    device_id: UUID | None = None
    location_id: UUID | None = None
    # The staff member's locations (None: every one). A till's session reaches its own
    # location alone whatever they are; a backoffice session reaches these.
    location_ids: list[UUID] | None = None
    # What the session was started from, for the owner's list of live sessions (the
    # browser's User-Agent at backoffice sign-in); display only.
    client: str | None = None

    @property
    def kind(self) -> str:
        return "pos" if self.device_id is not None else "backoffice"

    @property
    def venues(self) -> list[UUID] | None:
        """What the session reaches: the till's location, or the staff member's locations."""
        if self.location_id is not None:
            return [self.location_id]
        return self.location_ids


async def _issue(
    *,
    repository: SessionRepository,
    issuer: TokenIssuer,
    owner: SessionOwner,
    session_id: UUID,
    session_expires_at: datetime,
) -> tuple[TokenResponse, UUID]:
    """New tokens for a session, and the id of the refresh token issued."""
    now = datetime.now(UTC)
    refresh_expires_at = min(now + REFRESH_TOKEN_LIFETIME, session_expires_at)
    refresh_token = new_credential(Kind.REFRESH_TOKEN, owner.tenant_id)
    token_id = uuid.uuid4()
    await repository.insert_refresh_token(
        token_id=token_id,
        session_id=session_id,
        token_hash=refresh_token.digest,
        expires_at=refresh_expires_at,
    )
    access_token = issuer.access_token(
        staff_id=owner.staff_id,
        tenant_id=owner.tenant_id,
        role=owner.role.value,
        key_thumbprint=owner.key_thumbprint,
        session_id=session_id,
        location_id=owner.location_id,
        device_id=owner.device_id,
        venues=owner.location_ids if owner.location_id is None else None,
    )
    response = TokenResponse(
        access_token=access_token,
        expires_in=MAX_LIFETIME_SECONDS,
        refresh_token=str(refresh_token),
        refresh_expires_in=int((refresh_expires_at - now).total_seconds()),
        session_id=session_id,
        staff_id=owner.staff_id,
        role=owner.role,
        device_id=owner.device_id,
        location_id=owner.location_id,
        location_ids=owner.venues,
    )
    return response, token_id


async def start_session(
    *, repository: SessionRepository, issuer: TokenIssuer, owner: SessionOwner
) -> TokenResponse:
    """A new session for someone who has just signed in (the caller audits the sign-in)."""
    session_id = uuid.uuid4()
    expires_at = datetime.now(UTC) + SESSION_LIFETIME[owner.kind]
    await repository.insert_session(
        session_id=session_id,
        kind=owner.kind,
        staff_id=owner.staff_id,
        key_thumbprint=owner.key_thumbprint,
        expires_at=expires_at,
        device_id=owner.device_id,
        location_id=owner.location_id,
        client=owner.client,
    )
    response, _ = await _issue(
        repository=repository,
        issuer=issuer,
        owner=owner,
        session_id=session_id,
        session_expires_at=expires_at,
    )
    return response


def _session_actor(row: Any) -> Actor:
    return Actor(type=str(row.role), id=str(row.staff_id))


async def _end(
    *,
    repository: SessionRepository,
    audit: AuditLog,
    row: Any,
    reason: str,
    details: dict[str, Any] | None = None,
) -> InvalidRefreshToken:
    await repository.revoke_session(row.session_id, reason=reason)
    await audit.append(
        actor=_session_actor(row),
        action="session.revoked",
        resource_type="session",
        resource_id=str(row.session_id),
        payload={
            "reason": reason,
            "device_id": str(row.device_id) if row.device_id else None,
            **(details or {}),
        },
    )
    return InvalidRefreshToken()


async def refresh_session(
    *, store: SessionStore, issuer: TokenIssuer, credential: Credential, key_thumbprint: str
) -> TokenResponse | Problem:
    """New tokens for a refresh token, or the problem to answer with. Revocations made here
    must be committed even though the answer is an error, so they are returned, not raised."""
    repository, audit = store.sessions, store.audit
    row = await repository.refresh_token_for_update(credential.digest)
    if row is None:
        return InvalidRefreshToken()
    if row.session_revoked_at is not None:
        return InvalidRefreshToken("This session has ended; sign in again.")
    if row.key_thumbprint != key_thumbprint:
        # The token is presented with some other key: it was copied off its device.
        return await _end(repository=repository, audit=audit, row=row, reason="foreign-key")
    now = datetime.now(UTC)
    if row.expires_at <= now or row.session_expires_at <= now:
        return InvalidRefreshToken("The session has expired; sign in again.")
    if row.used_at is not None or row.revoked_at is not None:
        lost_answer = (
            row.used_at is not None
            and row.revoked_at is None
            and row.since_used <= RETRY_GRACE
            and row.successor_used_at is None
        )
        if not lost_answer:
            return await _end(
                repository=repository,
                audit=audit,
                row=row,
                reason="refresh-token-reuse",
                details={"refresh_token_id": str(row.id)},
            )
        await repository.revoke_refresh_token(row.replaced_by)
    if not row.staff_active:
        return await _end(repository=repository, audit=audit, row=row, reason="staff-deactivated")
    if row.device_id is not None and row.device_status != "active":
        return await _end(repository=repository, audit=audit, row=row, reason="device-revoked")
    if row.location_id is not None and not works_at(row.location_ids, row.location_id):
        return await _end(
            repository=repository, audit=audit, row=row, reason="staff-not-at-location"
        )
    owner = SessionOwner(
        tenant_id=credential.tenant_id,
        staff_id=row.staff_id,
        role=StaffRole(row.role),
        key_thumbprint=row.key_thumbprint,
        device_id=row.device_id,
        location_id=row.location_id,
        location_ids=row.location_ids,
    )
    response, successor_id = await _issue(
        repository=repository,
        issuer=issuer,
        owner=owner,
        session_id=row.session_id,
        session_expires_at=row.session_expires_at,
    )
    await repository.replace_refresh_token(row.id, successor_id=successor_id)
    return response


class SignInFailed(Unauthenticated):
    code = "sign-in-failed"
    title = "The device, staff member or PIN is not right"


# How PIN sign-in audit rows name the lockout subjects (stable since before PINs and
# passwords were counted apart).
_AUDITED_AS = {Subject.DEVICE: "device", Subject.PIN: "staff"}


async def pin_sign_in(
    *, store: SessionStore, issuer: TokenIssuer, budget: SignInBudget, attempt: PinAttempt
) -> TokenResponse | Problem:
    """A staff member signs in on an activated device with their PIN.

    A device that is unknown, revoked or held under another key is refused before any PIN is
    compared: that costs nothing, and says nothing an outsider could not learn from the DPoP
    check. Past it, every failure gives the same answer after the same work (one argon2
    verification, within the budget), so the answer does not say whether the staff member or
    the PIN was wrong. The staff member's PIN and the device each earn back-off
    (lockout.py): a success resets the signed-in staff member's own PIN count only, never the
    device's, nor anyone else's. Failures and lockouts are audited against the device.

    A staff member who does not work at the device's location gets that same answer, and
    it counts as a failure like a wrong PIN: a different answer would tell whoever holds
    the till that the PIN they tried is right."""
    repository, lockouts, audit = store.sessions, store.lockouts, store.audit
    device, key_thumbprint, staff_id = attempt.device, attempt.key_thumbprint, attempt.staff_id
    device_id = UUID(hex=device.secret)
    found = await repository.device_for_sign_in(device_id)
    if found is None or found.status != "active" or found.key_thumbprint != key_thumbprint:
        return SignInFailed()
    member = await repository.staff_for_sign_in(staff_id)
    device_actor = Actor(type="device", id=str(device_id))
    device_key, pin_key = Key(Subject.DEVICE, device_id), Key(Subject.PIN, staff_id)
    lock = await lockouts.locked(device_key, pin_key)
    if lock is not None:
        await audit.append(
            actor=device_actor,
            action="sign_in.refused_locked",
            resource_type="staff",
            resource_id=str(staff_id),
            payload={
                "method": "pin",
                "locked": _AUDITED_AS[lock.key.subject],
                "until": lock.until.isoformat(),
            },
        )
        return LockedOut(retry_after=retry_after(lock.until))
    busy = budget.spend(source=attempt.source, tenant_id=device.tenant_id)
    if busy is not None:
        return busy
    matches = await verify_secret(member.pin_hash if member else None, attempt.pin)
    refusal = (
        "unknown-staff"
        if member is None
        else "inactive-staff"
        if not member.active
        else "wrong-pin"
        if not matches
        else None
        if works_at(member.location_ids, found.location_id)
        else "not-at-this-location"
    )
    if refusal is not None:
        failures = [await lockouts.record_failure(device_key)]
        if member is not None:
            failures.append(await lockouts.record_failure(pin_key))
        await audit.append(
            actor=device_actor,
            action="sign_in.failed",
            resource_type="staff",
            resource_id=str(staff_id),
            payload={
                "method": "pin",
                "reason": refusal,
                "failures": {_AUDITED_AS[f.subject]: f.failures for f in failures},
                "locked_until": {
                    _AUDITED_AS[f.subject]: f.locked_until.isoformat()
                    for f in failures
                    if f.locked_until is not None
                },
            },
        )
        return SignInFailed()
    # The device's count is not reset: it decays by time only, or an insider could clear it
    # with their own PIN between guesses at colleagues'.
    await lockouts.reset(pin_key)
    response = await start_session(
        repository=repository,
        issuer=issuer,
        owner=SessionOwner(
            tenant_id=device.tenant_id,
            staff_id=staff_id,
            role=StaffRole(member.role),
            key_thumbprint=key_thumbprint,
            device_id=device_id,
            location_id=found.location_id,
            location_ids=member.location_ids,
        ),
    )
    await audit.append(
        actor=Actor(type=member.role, id=str(staff_id)),
        action="sign_in.succeeded",
        resource_type="session",
        resource_id=str(response.session_id),
        payload={
            "method": "pin",
            "device_id": str(device_id),
            "location_id": str(found.location_id),
        },
    )
    return response
