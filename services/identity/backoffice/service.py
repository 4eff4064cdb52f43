"""Backoffice sign-in: e-mail and password in a named business, then, for staff who have an
authenticator app (or must set one up), a TOTP code or a recovery code.

- Every step proves a DPoP key; the session is bound to it, and a challenge handed out by
  the password step only works with proofs from the key that started it.
- Cheap checks come first: a business that does not exist, or a bad DPoP proof, is refused
  without any argon2 work (business ids are not secrets: every credential carries one).
  Past them, nothing tells an outsider who exists: an unknown e-mail, a wrong password, a
  deactivated staff member or one without a password all get one answer after one argon2
  verification, within the sign-in budget (sessions/budget.py).
- Password failures are counted per (e-mail address, source address), and per e-mail
  address from anywhere at a much higher threshold (sessions/lockout.py), for addresses
  nobody has exactly as for real ones: the lockout answers alike, and failures from one
  address never lock the account for another. They never touch the staff member's PIN.
- Second-factor failures (codes, recovery codes, enrolment codes) count towards the staff
  member's `second_factor` lockout, which only a complete sign-in resets: a known password
  does not buy unlimited guesses at the code, five per challenge.
- An authenticator is set up with something the staff member already has besides the
  password: an enrolment code another owner (or an operator) issued, shown once. Only staff
  whom nothing requires to have one may set one up with the password alone (`enrol_totp`);
  an owner whose business requires TOTP and who has none is refused with the way to get a
  code, since whoever holds the password could otherwise enrol their own authenticator.
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

from libs.audit.append import Actor, AuditLog
from libs.auth.opaque_credentials import Credential, Kind, new_credential
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, PermissionDenied, Problem, Unauthenticated
from libs.tenancy.database import TenantDatabase
from services.identity.backoffice import factors
from services.identity.backoffice.repository import Challenge, SignInRepository, SignInStaff
from services.identity.backoffice.schemas import (
    EnrolmentCode,
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
from services.identity.sessions.budget import SignInBudget
from services.identity.sessions.lockout import (
    Key,
    LockedOut,
    Lockouts,
    Subject,
    password_keys,
    retry_after,
)
from services.identity.sessions.repository import SessionRepository
from services.identity.sessions.schemas import TokenResponse
from services.identity.sessions.service import SessionOwner, start_session
from services.identity.staff.schemas import StaffRole
from services.identity.staff.secret_hashing import verify_secret
from services.identity.tenants.repository import TenantRepository
from services.identity.tenants.service import OPERATOR, InvalidProvisioning

CHALLENGE_LIFETIME = timedelta(minutes=5)
ENROLMENT_CODE_LIFETIME = timedelta(hours=24)
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


class InvalidEnrolmentCode(Unauthenticated):
    code = "invalid-enrolment-code"
    title = "The enrolment code is not right, has expired or was used already"


class TotpEnrolmentCodeRequired(PermissionDenied):
    code = "totp-enrolment-code-required"
    title = "Set up an authenticator app with an enrolment code first"


ENROLMENT_CODE_NEEDED_DETAIL = (
    "This business requires owners to sign in with an authenticator app, and yours is not set "
    "up. Ask another owner of the business for an enrolment code (Security settings, "
    "`POST /v1/admin/security/totp-enrolment-codes`; if there is none, ask halopos support), "
    "then sign in again with your password and `enrolment_code`."
)


class StaffNotFound(NotFound):
    code = "staff-not-found"
    title = "No such staff member"


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
    budget: SignInBudget
    source: str  # the caller's address as lockouts count it (lockout.source_of)
    client: str | None = None  # the browser's User-Agent, shown in the list of live sessions

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
    context: SignInContext, member: SignInStaff, *keys: Key, action: str, method: str
) -> LockedOut | None:
    lock = await context.lockouts.locked(*keys)
    if lock is None:
        return None
    await context.record(
        context.attempt,
        action,
        member,
        method=method,
        reason="locked",
        locked=lock.key.subject.value,
        locked_until=lock.until.isoformat(),
    )
    return LockedOut(retry_after=retry_after(lock.until))


async def _count_failure(
    context: SignInContext, member: SignInStaff, *, action: str, **payload: Any
) -> None:
    """A failed second factor: counted towards the staff member's `second_factor` lockout."""
    failure = await context.lockouts.record_failure(Key(Subject.SECOND_FACTOR, member.id))
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
    await context.lockouts.reset(Key(Subject.SECOND_FACTOR, member.id))
    session = await start_session(
        repository=context.sessions,
        issuer=context.issuer,
        owner=SessionOwner(
            tenant_id=context.tenant_id,
            staff_id=member.id,
            role=StaffRole(member.role),
            key_thumbprint=context.key_thumbprint,
            location_ids=member.location_ids,
            client=context.client,
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
    context: SignInContext,
    member: SignInStaff,
    *,
    purpose: str,
    enrolment_code_id: UUID | None = None,
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
        enrolment_code_id=enrolment_code_id,
    )
    await context.record(
        context.attempt,
        "sign_in.password_verified",
        member,
        next_step=purpose,
        challenge_id=str(challenge_id),
        key_thumbprint=context.key_thumbprint,
        **({"enrolment_code_id": str(enrolment_code_id)} if enrolment_code_id else {}),
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
    """`security` is None when the business named does not exist: that is refused at once,
    with the answer a wrong password gets, and nothing is read or written for it."""
    if security is None:
        return SignInFailed(SIGN_IN_FAILED_DETAIL)
    by_source, by_account = password_keys(request.email, context.source)
    # Attempts at one e-mail address take turns, whether anyone has it or not.
    await context.lockouts.serialise(by_account)
    member = await context.repository.staff_by_email(request.email)
    lock = await context.lockouts.locked(by_source, by_account)
    if lock is not None:
        if member is not None:
            await context.record(
                context.attempt,
                "sign_in.failed",
                member,
                method="password",
                reason="locked",
                locked=lock.key.subject.value,
                locked_until=lock.until.isoformat(),
            )
        return LockedOut(retry_after=retry_after(lock.until))
    busy = context.budget.spend(source=context.source, tenant_id=context.tenant_id)
    if busy is not None:
        return busy
    # Exactly one argon2 verification on every path from here, against a dummy hash when
    # there is nobody to check (unknown e-mail, no password set): the time an answer takes
    # must not tell which of the inputs was wrong, and failures are counted alike.
    stored = member.password_hash if member is not None else None
    verified = await verify_secret(stored, request.password)
    reason = "unknown-email" if member is None else _refusal(member, verified=verified)
    if reason is not None:
        failures = [await context.lockouts.record_failure(key) for key in (by_source, by_account)]
        if member is not None:
            await context.record(
                context.attempt,
                "sign_in.failed",
                member,
                method="password",
                reason=reason,
                failures=failures[0].failures,
                locked_until=failures[0].locked_until.isoformat()
                if failures[0].locked_until
                else None,
            )
        return SignInFailed(SIGN_IN_FAILED_DETAIL)
    assert member is not None  # a password was verified
    # The password is right: from here the answers may say so.
    await context.lockouts.reset(by_source)
    locked = await _locked(
        context,
        member,
        Key(Subject.SECOND_FACTOR, member.id),
        action="sign_in.failed",
        method="password",
    )
    if locked is not None:
        return locked
    if request.enrolment_code is not None:
        code_id = await context.repository.live_enrolment_code(
            member.id, factors.enrolment_code_digest(member.id, request.enrolment_code)
        )
        if code_id is None:
            await _count_failure(
                context,
                member,
                action="sign_in.failed",
                method="enrolment_code",
                reason="wrong-enrolment-code",
            )
            return InvalidEnrolmentCode()
        challenge, expires_in = await _challenge(
            context, member, purpose=TOTP_ENROLMENT, enrolment_code_id=code_id
        )
        return TotpEnrolmentRequired(challenge=challenge, expires_in=expires_in)
    if member.totp_enabled:
        challenge, expires_in = await _challenge(context, member, purpose=TOTP)
        return TotpRequired(challenge=challenge, expires_in=expires_in)
    if security.owner_totp_required and member.role == StaffRole.OWNER:
        # Trust on first use would let whoever holds the password enrol their own
        # authenticator: the owner needs an enrolment code, from another owner or support.
        await context.record(
            context.attempt,
            "sign_in.failed",
            member,
            method="password",
            reason="totp-enrolment-code-required",
        )
        return TotpEnrolmentCodeRequired(ENROLMENT_CODE_NEEDED_DETAIL)
    if request.enrol_totp:
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
    locked = await _locked(
        context,
        member,
        Key(Subject.SECOND_FACTOR, member.id),
        action="sign_in.totp_failed",
        method=purpose,
    )
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
    if (
        isinstance(challenge, Challenge)
        and challenge.staff.totp_enabled
        and challenge.enrolment_code_id is None
    ):
        # Set up meanwhile through another sign-in: replacing it needs that authenticator,
        # or an enrolment code.
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
    if challenge.enrolment_code_id is not None and not await context.repository.use_enrolment_code(
        challenge.enrolment_code_id
    ):
        # Revoked (a newer code was issued) or used by another enrolment meanwhile.
        await context.repository.use_challenge(challenge.id)
        return InvalidChallenge()
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
        replaced=challenge.staff.totp_enabled,
        enrolment_code_id=str(challenge.enrolment_code_id) if challenge.enrolment_code_id else None,
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
    """Requiring TOTP for owners: from their next sign-in, owners without an authenticator
    need an enrolment code (`issue_enrolment_code`) to set one up; the password alone no
    longer signs them in. An owner who turns it on without one should issue themselves a
    code first, while signed in."""
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


async def issue_enrolment_code(
    *, repository: SignInRepository, audit: AuditLog, actor: Actor, staff_id: UUID
) -> EnrolmentCode:
    """A single-use code with which the staff member, with their password, sets up or
    replaces their authenticator app. Issued by an owner (or an operator), shown once and
    handed over outside halopos: that is what an attacker holding only the password lacks.
    Any earlier live code of theirs stops working."""
    if not await repository.active_staff_exists(staff_id):
        raise StaffNotFound()
    code = factors.new_enrolment_code()
    code_id = uuid.uuid4()
    expires_at = datetime.now(UTC) + ENROLMENT_CODE_LIFETIME
    revoked = await repository.replace_enrolment_code(
        staff_id,
        code_id=code_id,
        code_hash=factors.enrolment_code_digest(staff_id, code),
        issued_by=f"{actor.type}:{actor.id}",
        expires_at=expires_at,
    )
    await audit.append(
        actor=actor,
        action="staff.totp_enrolment_code_issued",
        resource_type="staff",
        resource_id=str(staff_id),
        payload={
            "enrolment_code_id": str(code_id),
            "expires_at": expires_at.isoformat(),
            "codes_revoked": revoked,
        },
    )
    return EnrolmentCode(staff_id=staff_id, enrolment_code=code, expires_at=expires_at)


async def issue_operator_enrolment_code(
    database: TenantDatabase, *, tenant_id: UUID, staff_id: UUID, actor: Actor = OPERATOR
) -> EnrolmentCode:
    """An enrolment code, from the operator, for a staff member no owner can issue one to:
    the first owner of a business that requires TOTP, or the last owner who lost both their
    authenticator and their recovery codes. The operator hands it over only after checking
    who is asking through the channel the business was provisioned through. Audited like an
    owner's (`staff.totp_enrolment_code_issued`, by the operator)."""
    async with database.provisioning_transaction(tenant_id) as connection:
        if await TenantRepository(connection).get_tenant() is None:
            raise InvalidProvisioning(f"no tenant {tenant_id}")
        try:
            return await issue_enrolment_code(
                repository=SignInRepository.from_connection(connection),
                audit=AuditLog.from_connection(connection, service="identity"),
                actor=actor,
                staff_id=staff_id,
            )
        except StaffNotFound:
            raise InvalidProvisioning(f"no active staff member {staff_id}") from None
