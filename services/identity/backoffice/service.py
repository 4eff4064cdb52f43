"""Backoffice sign-in: e-mail and password in a named business, then, for staff who have an
authenticator app (or must set one up), a TOTP code or a recovery code.

- Every step proves a DPoP key; the session is bound to it, and a challenge handed out by
  the password step only works with proofs from the key that started it.
- Nothing tells an outsider who exists: an unknown business, an unknown e-mail, a wrong
  password, a deactivated staff member or one without a password all get one answer after
  one argon2 verification.
- Failures of either step count towards one lockout per staff member, and only a complete
  sign-in resets it: a correct password alone does not, or knowing it would buy unlimited
  guesses at the code, five per challenge.
- Failure bookkeeping (the lockout counter, the audit row) must be committed although the
  answer is an error, so the problem is returned, not raised; the router raises it after the
  transaction has committed.
- Audit: events before a sign-in is complete are by an `anonymous` actor named by the DPoP
  key thumbprint of the attempt (the staff member is the resource, not the actor: whoever
  typed their e-mail has not proven to be them); completed sign-ins are by the staff member.
  Secrets, codes and reasons never reach the response; reasons are in the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from libs.api.problems import Conflict, NotFound, Problem, Unauthenticated
from libs.audit.append import Actor, AuditLog
from libs.auth.credentials import Credential, Kind, new_credential
from libs.auth.principal import Principal
from services.identity.backoffice import factors
from services.identity.backoffice.repository import Challenge, SignInRepository, SignInStaff
from services.identity.backoffice.schemas import (
    EnrolmentConfirm,
    EnrolmentConfirmed,
    PasswordSignedIn,
    PasswordSignIn,
    PasswordSignInResult,
    SecuritySettings,
    SecuritySettingsUpdate,
    TotpEnrolment,
    TotpEnrolmentRequired,
    TotpRequired,
    TotpSignIn,
)
from services.identity.backoffice.totp_secrets import TotpSecrets
from services.identity.keys.signing import TokenIssuer
from services.identity.sessions.lockout import LockedOut, Lockouts, Subject, retry_after
from services.identity.sessions.repository import SessionRepository
from services.identity.sessions.schemas import TokenResponse
from services.identity.sessions.service import SessionOwner, start_session
from services.identity.staff.credentials import verify_secret
from services.identity.staff.schemas import StaffRole

CHALLENGE_LIFETIME = timedelta(minutes=5)
CHALLENGE_ATTEMPTS = 5
TOTP = "totp"
TOTP_ENROLMENT = "totp_enrolment"


class SignInFailed(Unauthenticated):
    code = "sign-in-failed"
    title = "Signing in did not work"


# One detail for every cause, so the body cannot tell them apart.
SIGN_IN_FAILED_DETAIL = "Check the business, the e-mail address and the password, and try again."


class InvalidChallenge(Unauthenticated):
    code = "invalid-challenge"
    title = "This sign-in is no longer valid; start again with your password"


class InvalidTotpCode(Unauthenticated):
    code = "invalid-totp-code"
    title = "The code is not right, or was used already; wait for the next one"


class InvalidRecoveryCode(Unauthenticated):
    code = "invalid-recovery-code"
    title = "The recovery code is not right, or was used already"


class EnrolmentNotStarted(Conflict):
    code = "totp-enrolment-not-started"
    title = "Fetch the secret from POST /v1/auth/totp/enrolment before confirming"


class TotpAlreadyEnrolled(Conflict):
    code = "totp-already-enrolled"
    title = "An authenticator app is already set up; sign in again with your password"


class BusinessNotFound(NotFound):
    code = "business-not-found"
    title = "No such business"


@dataclass(frozen=True)
class SignInContext:
    """One sign-in request: its transaction's repositories, and the key it proved."""

    repository: SignInRepository
    lockouts: Lockouts
    audit: AuditLog
    sessions: SessionRepository
    issuer: TokenIssuer
    totp_secrets: TotpSecrets
    tenant_id: UUID  # the business the transaction is bound to
    key_thumbprint: str

    @property
    def attempt(self) -> Actor:
        """Who acts before a sign-in is complete: someone holding this key."""
        return Actor(type="anonymous", id=f"jkt:{self.key_thumbprint}")

    async def record(self, actor: Actor, action: str, member: SignInStaff, **payload: Any) -> None:
        await self.audit.append(
            actor=actor,
            action=action,
            resource_type="staff",
            resource_id=str(member.id),
            payload=payload,
        )


def _staff_actor(member: SignInStaff) -> Actor:
    return Actor(type=member.role, id=str(member.id))


async def _locked(
    context: SignInContext, member: SignInStaff, *, action: str, method: str
) -> LockedOut | None:
    until = await context.lockouts.locked_until(Subject.STAFF, member.id)
    if until is None:
        return None
    await context.record(
        context.attempt,
        action,
        member,
        method=method,
        reason="locked",
        locked_until=until.isoformat(),
    )
    return LockedOut(retry_after=retry_after(until))


async def _count_failure(
    context: SignInContext, member: SignInStaff, *, action: str, **payload: Any
) -> None:
    failure = await context.lockouts.record_failure(Subject.STAFF, member.id)
    locked_until = failure.locked_until.isoformat() if failure.locked_until else None
    await context.record(
        context.attempt,
        action,
        member,
        **payload,
        failures=failure.failures,
        locked_until=locked_until,
    )


async def _signed_in(
    context: SignInContext,
    member: SignInStaff,
    *,
    method: str,
    challenge: Challenge | None = None,
) -> TokenResponse:
    if challenge is not None:
        await context.repository.use_challenge(challenge.id)
    await context.lockouts.reset(Subject.STAFF, member.id)
    session = await start_session(
        repository=context.sessions,
        issuer=context.issuer,
        owner=SessionOwner(
            tenant_id=context.tenant_id,
            staff_id=member.id,
            role=StaffRole(member.role),
            key_thumbprint=context.key_thumbprint,
            location_ids=member.location_ids,
        ),
    )
    await context.record(
        _staff_actor(member),
        "sign_in.succeeded",
        member,
        method=method,
        session_id=str(session.session_id),
        key_thumbprint=context.key_thumbprint,
    )
    return session


async def _challenge(
    context: SignInContext, member: SignInStaff, *, purpose: str
) -> tuple[str, int]:
    credential = new_credential(Kind.CHALLENGE, context.tenant_id)
    challenge_id = uuid.uuid4()
    await context.repository.insert_challenge(
        challenge_id=challenge_id,
        staff_id=member.id,
        token_hash=credential.digest,
        key_thumbprint=context.key_thumbprint,
        purpose=purpose,
        expires_at=datetime.now(UTC) + CHALLENGE_LIFETIME,
    )
    await context.record(
        context.attempt,
        "sign_in.password_verified",
        member,
        next_step=purpose,
        challenge_id=str(challenge_id),
        key_thumbprint=context.key_thumbprint,
    )
    return str(credential), int(CHALLENGE_LIFETIME.total_seconds())


def _refusal(member: SignInStaff, *, verified: bool) -> str | None:
    """Why a staff member who exists may not sign in (for the audit log only), or None."""
    if member.password_hash is None:
        return "no-password"
    if not verified:
        return "wrong-password"
    if not member.active:
        return "inactive"
    return None


async def password_sign_in(
    context: SignInContext, *, security: SecuritySettings | None, request: PasswordSignIn
) -> PasswordSignInResult | Problem:
    """`security` is None when the business named does not exist: then nothing is read or
    written for it, and the answer is the one a wrong password gets."""
    member = (
        await context.repository.staff_by_email(request.email) if security is not None else None
    )
    if member is not None:
        locked = await _locked(context, member, action="sign_in.failed", method="password")
        if locked is not None:
            return locked
    # Exactly one argon2 verification on every path from here, against a dummy hash when
    # there is nobody to check (unknown business or e-mail, no password set): the time an
    # answer takes must not tell which of the inputs was wrong. The remaining difference
    # (the failure bookkeeping for staff who exist) is a few milliseconds of writes against
    # tens of milliseconds of argon2 whose own duration varies more than that.
    stored = member.password_hash if member is not None else None
    verified = await verify_secret(stored, request.password)
    if member is None:
        return SignInFailed(SIGN_IN_FAILED_DETAIL)
    reason = _refusal(member, verified=verified)
    if reason is not None:
        await _count_failure(
            context, member, action="sign_in.failed", method="password", reason=reason
        )
        return SignInFailed(SIGN_IN_FAILED_DETAIL)
    assert security is not None  # a staff member was found in it
    if member.totp_enabled:
        challenge, expires_in = await _challenge(context, member, purpose=TOTP)
        return TotpRequired(challenge=challenge, expires_in=expires_in)
    owner_must_enrol = security.owner_totp_required and member.role == StaffRole.OWNER
    if owner_must_enrol or request.enrol_totp:
        challenge, expires_in = await _challenge(context, member, purpose=TOTP_ENROLMENT)
        return TotpEnrolmentRequired(challenge=challenge, expires_in=expires_in)
    session = await _signed_in(context, member, method="password")
    return PasswordSignedIn(**session.model_dump())


async def _open_challenge(
    context: SignInContext, credential: Credential | None, *, purpose: str
) -> Challenge | Problem:
    """The live challenge this request may answer, or the problem to answer with."""
    if credential is None:
        return InvalidChallenge()
    challenge = await context.repository.challenge_for_update(credential.digest)
    if challenge is None or challenge.purpose != purpose:
        return InvalidChallenge()
    if challenge.used_at is not None or challenge.attempts >= CHALLENGE_ATTEMPTS:
        return InvalidChallenge()
    if challenge.expires_at <= datetime.now(UTC):
        return InvalidChallenge("This sign-in has expired; start again with your password.")
    member = challenge.staff
    if challenge.key_thumbprint != context.key_thumbprint:
        # The challenge was copied off the browser that started it: it is spent, so neither
        # party can go on with it.
        await context.repository.use_challenge(challenge.id)
        await context.record(
            context.attempt,
            "sign_in.totp_failed",
            member,
            method=purpose,
            reason="foreign-key",
            challenge_id=str(challenge.id),
        )
        return InvalidChallenge()
    if not member.active:
        await context.repository.use_challenge(challenge.id)
        return InvalidChallenge()
    locked = await _locked(context, member, action="sign_in.totp_failed", method=purpose)
    if locked is not None:
        return locked
    return challenge


async def _second_factor_failed(
    context: SignInContext,
    challenge: Challenge,
    problem: type[Problem],
    *,
    method: str,
    reason: str,
) -> Problem:
    attempts = await context.repository.count_attempt(challenge.id, limit=CHALLENGE_ATTEMPTS)
    await _count_failure(
        context,
        challenge.staff,
        action="sign_in.totp_failed",
        method=method,
        reason=reason,
        challenge_id=str(challenge.id),
        attempts=attempts,
    )
    return problem(attempts_left=max(0, CHALLENGE_ATTEMPTS - attempts))


async def totp_sign_in(
    context: SignInContext, *, credential: Credential | None, request: TotpSignIn
) -> TokenResponse | Problem:
    challenge = await _open_challenge(context, credential, purpose=TOTP)
    if isinstance(challenge, Problem):
        return challenge
    member = challenge.staff
    if member.totp_secret is None:  # the authenticator was removed since the password step
        await context.repository.use_challenge(challenge.id)
        return InvalidChallenge()
    if request.recovery_code is not None:
        digest = factors.recovery_code_digest(member.id, request.recovery_code)
        if not await context.repository.use_recovery_code(member.id, digest):
            return await _second_factor_failed(
                context,
                challenge,
                InvalidRecoveryCode,
                method="recovery_code",
                reason="wrong-recovery-code",
            )
        remaining = await context.repository.count_live_recovery_codes(member.id)
        await context.record(
            context.attempt,
            "sign_in.recovery_code_used",
            member,
            challenge_id=str(challenge.id),
            recovery_codes_left=remaining,
        )
        return await _signed_in(
            context, member, method="password+recovery_code", challenge=challenge
        )
    assert request.code is not None  # the schema asks for exactly one of the two
    secret = context.totp_secrets.open(member.id, member.totp_secret)
    step = factors.matching_step(secret, request.code)
    if step is None or not await context.repository.accept_totp_step(member.id, step):
        return await _second_factor_failed(
            context,
            challenge,
            InvalidTotpCode,
            method="totp",
            reason="wrong-code" if step is None else "reused-code",
        )
    return await _signed_in(context, member, method="password+totp", challenge=challenge)


async def _open_enrolment(
    context: SignInContext, credential: Credential | None
) -> Challenge | Problem:
    challenge = await _open_challenge(context, credential, purpose=TOTP_ENROLMENT)
    if isinstance(challenge, Challenge) and challenge.staff.totp_enabled:
        # Set up meanwhile through another sign-in: replacing it needs that authenticator.
        await context.repository.use_challenge(challenge.id)
        return TotpAlreadyEnrolled()
    return challenge


async def start_enrolment(
    context: SignInContext, *, credential: Credential | None
) -> TotpEnrolment | Problem:
    """A new secret for the staff member's authenticator app, kept (sealed) on the challenge
    until a code from it is confirmed. Asking again replaces it."""
    challenge = await _open_enrolment(context, credential)
    if isinstance(challenge, Problem):
        return challenge
    member = challenge.staff
    secret = factors.new_totp_secret()
    await context.repository.set_pending_secret(
        challenge.id, context.totp_secrets.seal(member.id, secret)
    )
    await context.record(
        context.attempt, "staff.totp_enrolment_started", member, challenge_id=str(challenge.id)
    )
    return TotpEnrolment(secret=secret, otpauth_uri=factors.otpauth_uri(secret, email=member.email))


async def confirm_enrolment(
    context: SignInContext, *, credential: Credential | None, request: EnrolmentConfirm
) -> EnrolmentConfirmed | Problem:
    challenge = await _open_enrolment(context, credential)
    if isinstance(challenge, Problem):
        return challenge
    if challenge.pending_totp_secret is None:
        return EnrolmentNotStarted()
    member = challenge.staff
    secret = context.totp_secrets.open(member.id, challenge.pending_totp_secret)
    step = factors.matching_step(secret, request.code)
    if step is None:
        return await _second_factor_failed(
            context, challenge, InvalidTotpCode, method=TOTP_ENROLMENT, reason="wrong-code"
        )
    # Sealed for this staff member already (their id is the associated data): moved as is.
    await context.repository.enable_totp(
        member.id, sealed_secret=challenge.pending_totp_secret, step=step
    )
    codes = factors.new_recovery_codes()
    revoked = await context.repository.replace_recovery_codes(
        member.id, {uuid.uuid4(): factors.recovery_code_digest(member.id, code) for code in codes}
    )
    await context.record(
        _staff_actor(member),
        "staff.totp_enrolled",
        member,
        challenge_id=str(challenge.id),
        recovery_codes_issued=len(codes),
        recovery_codes_revoked=revoked,
    )
    session = await _signed_in(context, member, method="password+totp", challenge=challenge)
    return EnrolmentConfirmed(recovery_codes=codes, session=session)


async def get_security_settings(*, repository: SignInRepository) -> SecuritySettings:
    settings = await repository.security_settings()
    if settings is None:
        raise BusinessNotFound()
    return settings


async def update_security_settings(
    *,
    repository: SignInRepository,
    audit: AuditLog,
    principal: Principal,
    request: SecuritySettingsUpdate,
) -> SecuritySettings:
    """Requiring TOTP for owners locks nobody out: an owner without an authenticator is
    asked to set one up at their next sign-in, after their password."""
    current = await repository.security_settings(for_update=True)
    if current is None:
        raise BusinessNotFound()
    updated = SecuritySettings(owner_totp_required=request.owner_totp_required)
    if updated == current:
        return current
    await repository.update_security_settings(updated)
    await audit.append(
        actor=Actor.of(principal),
        action="tenant.security_settings_changed",
        resource_type="tenant",
        resource_id=str(principal.tenant_id),
        payload={
            "changes": {
                field: [getattr(current, field), value]
                for field, value in updated.model_dump().items()
                if value != getattr(current, field)
            }
        },
    )
    return updated
