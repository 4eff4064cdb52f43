"""Manager overrides: a single-use token that a manager's PIN buys for one action on one
resource, at one till.

The till asks the identity service (`POST /v1/auth/overrides`) with the approving manager's
PIN; the answer is an override token: a JWS signed with the identity service's key (ES256,
`typ: override+jwt`), living at most 60 seconds, that names the tenant (`tid`), the device
(`dev`), the staff member who asked (`req`), the approver (`sub`, role `arl`), the action
(`act`), the resource (`res`) and, for an action that moves money, how much the manager
approved: `amt` (minor units) or, for a discount, `pct` (basis points of the order's
subtotal). The guarded endpoint reads it from `X-Override-Token` (libs/api/overrides.py) and calls
`consume_override` inside its own tenant-bound transaction with what the write actually does
(`Extent`): every claim must match the request, the write may do at most what was approved
(`override-amount-exceeded` otherwise: approving 20 % off is not approving 100 %), and the
token's `jti` is spent in the same transaction as the write it approves. So it is used
exactly once, and a write that fails or is refused and rolls back leaves it usable for the
rest of its short life.

The token type keeps the two kinds of token apart in both directions: access-token
verification (access_tokens.py) demands `at+jwt`, this demands `override+jwt`. An override token
also carries no `role` and no `cnf`, so it fails access-token verification twice over.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

import jwt
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.auth.access_tokens import ALGORITHM
from libs.auth.keys import KeySource, UnknownSigningKey
from libs.auth.principal import Principal
from libs.auth.spent import spend_in
from libs.config import platform_settings
from libs.problems import PermissionDenied
from libs.rbac.matrix import Role

OVERRIDE_TOKEN_TYPE = "override+jwt"  # noqa: S105 - a media type, not a secret
OVERRIDE_HEADER = "X-Override-Token"
MAX_OVERRIDE_LIFETIME_SECONDS = 60
# Identity signs and another service verifies: allow that much disagreement between their
# clocks about when a token was issued. Expiry is honoured exactly.
CLOCK_SKEW_SECONDS = 5
MAX_OVERRIDE_TOKEN_BYTES = 4096
MAX_JTI_LENGTH = 128
REQUIRED_CLAIMS = (
    "iss",
    "aud",
    "iat",
    "exp",
    "jti",
    "sub",
    "arl",
    "req",
    "tid",
    "dev",
    "act",
    "res",
)
# The spent-token ledger's namespace; the scope is the device the token is bound to.
SPENT_NAMESPACE = "override"
APPROVER_ROLES = frozenset({Role.OWNER, Role.MANAGER})
# How much an override approves, for the actions that move money (docs/pos.md).
AMOUNT_CLAIM = "amt"  # minor units
PERCENT_CLAIM = "pct"  # basis points of what the amount is a share of (a discount's subtotal)
BASIS_POINTS = 10_000
MAX_APPROVED_MINOR = 100_000_000_000

logger = logging.getLogger("halopos.auth")


class OverrideAction(StrEnum):
    REFUND = "refund"
    VOID = "void"
    DISCOUNT = "discount"
    SHIFT_FORCE_CLOSE = "shift_force_close"


# The actions an override approves an amount for (the others approve no amount), and those
# whose approval may be a percentage instead: a discount, as the till asked for it.
AMOUNT_ACTIONS = frozenset({OverrideAction.REFUND, OverrideAction.VOID, OverrideAction.DISCOUNT})
PERCENT_ACTIONS = frozenset({OverrideAction.DISCOUNT})


class OverrideInvalid(PermissionDenied):
    """One title for every reason; the detail says which (the till shows it, logs keep it)."""

    code = "override-invalid"
    title = "This needs a valid manager override for this action on this resource"


class OverrideAmountExceeded(PermissionDenied):
    """The write does more than the manager approved: refused, and the override not spent."""

    code = "override-amount-exceeded"
    title = "This is more than the manager approved"


@dataclass(frozen=True, slots=True)
class Extent:
    """What a guarded write actually does: an amount in minor units (the refund, the voided
    value, the order's whole discount) and, for a discount, the subtotal it is a share of,
    so that an approval in basis points can be compared exactly; and how many rounded
    amounts (each to the nearest minor unit, so by at most half of one) make up the amount:
    "15 % off 22.50" is 3.38, and a 15 % approval covers it."""

    amount_minor: int
    of_minor: int | None = None
    roundings: int = 0


@dataclass(frozen=True, slots=True)
class Approved:
    """How much a manager approved: an amount, a percentage (a discount only), or nothing
    (an action that moves no money). Online from the token's `amt`/`pct`, offline from what
    the till recorded with the manager's name."""

    amount_minor: int | None = None
    percent_bps: int | None = None

    def covers(self, extent: Extent) -> bool:
        """At most what was approved: less is allowed (a manager who approves 20 % off also
        lets the cashier give 15 %), more never is."""
        if self.amount_minor is not None:
            return extent.amount_minor <= self.amount_minor
        if self.percent_bps is not None and extent.of_minor is not None:
            # amount <= percent x subtotal + half a minor unit per rounding, in integers.
            return 2 * extent.amount_minor * BASIS_POINTS <= (
                2 * self.percent_bps * extent.of_minor + extent.roundings * BASIS_POINTS
            )
        return False

    def problem(self, action: OverrideAction, extent: Extent) -> OverrideAmountExceeded:
        if self.percent_bps is not None:
            approved = f"{self.percent_bps / 100:g} %"
        else:
            approved = f"{self.amount_minor} (minor units)"
        return OverrideAmountExceeded(
            f"The manager approved a {action.value} of up to {approved}; this one is "
            f"{extent.amount_minor} (minor units)"
            + (f" of {extent.of_minor}." if extent.of_minor is not None else ".")
            + " Ask the manager to approve this amount.",
            action=action.value,
            approved_amount_minor=self.amount_minor,
            approved_percent_bps=self.percent_bps,
            amount_minor=extent.amount_minor,
            of_minor=extent.of_minor,
        )

    def check(self, action: OverrideAction, extent: Extent | None) -> None:
        """Raises `OverrideAmountExceeded` unless the write is within what was approved."""
        if action not in AMOUNT_ACTIONS:
            return
        if extent is None:
            raise AssertionError(f"a {action.value} states how much it does")
        if not self.covers(extent):
            raise self.problem(action, extent)


def approved_shape_error(
    action: OverrideAction, *, amount_minor: int | None, percent_bps: int | None
) -> str | None:
    """Why an approval's amount does not fit its action (None: it fits). A refund or a void
    approves an amount; a discount an amount or a percentage; a force-close nothing."""
    if action not in AMOUNT_ACTIONS:
        if amount_minor is not None or percent_bps is not None:
            return f"a {action.value} approves no amount"
        return None
    if percent_bps is not None and action not in PERCENT_ACTIONS:
        return f"a {action.value} is approved as an amount_minor, not a percentage"
    if (amount_minor is None) == (percent_bps is None):
        if action in PERCENT_ACTIONS:
            return f"a {action.value} approves either an amount_minor or a percent_bps"
        return f"a {action.value} approves an amount_minor"
    return None


@dataclass(frozen=True, slots=True)
class Override:
    """A consumed override: who approved what, for whom, on which device, up to how much."""

    approver_id: UUID
    approver_role: Role
    requested_by: str
    device_id: UUID
    action: OverrideAction
    resource_id: str
    jti: str
    expires_at: int
    approved: Approved = field(default_factory=Approved)


def _uuid_claim(claims: dict[str, Any], name: str) -> UUID:
    value = claims[name]
    if not isinstance(value, str):
        raise OverrideInvalid(f"The override's {name} claim is malformed.")
    try:
        return UUID(value)
    except ValueError:
        raise OverrideInvalid(f"The override's {name} claim is malformed.") from None


def _string_claim(claims: dict[str, Any], name: str, *, max_length: int = 200) -> str:
    value = claims[name]
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise OverrideInvalid(f"The override's {name} claim is malformed.")
    return value


def _count_claim(claims: dict[str, Any], name: str, *, maximum: int) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise OverrideInvalid(f"The override's {name} claim is malformed.")
    return value


def _approved(claims: dict[str, Any], action: OverrideAction) -> Approved:
    """The amount the token approves, which must fit its action: a token for a refund, a
    void or a discount that names no amount approves nothing (a till asks for the amount)."""
    approved = Approved(
        amount_minor=_count_claim(claims, AMOUNT_CLAIM, maximum=MAX_APPROVED_MINOR),
        percent_bps=_count_claim(claims, PERCENT_CLAIM, maximum=BASIS_POINTS),
    )
    error = approved_shape_error(
        action, amount_minor=approved.amount_minor, percent_bps=approved.percent_bps
    )
    if error is not None:
        raise OverrideInvalid(f"The override does not say what it approves ({error}).")
    return approved


def _bound(claimed: object, expected: object, refusal: str) -> None:
    """One binding of the token to the verified request (its principal, the guarded action
    and resource); the token never supplies anything, it only has to agree."""
    if claimed != expected:
        raise OverrideInvalid(refusal)


async def _signature_checked_claims(
    token: str, *, keys: KeySource, issuer: str, audience: str
) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise OverrideInvalid("The override token is malformed.") from None
    if header.get("alg") != ALGORITHM:
        raise OverrideInvalid(f"Override algorithm {header.get('alg')!r} is not accepted.")
    if header.get("typ") != OVERRIDE_TOKEN_TYPE:
        raise OverrideInvalid(f"Token type {header.get('typ')!r} is not an override token.")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise OverrideInvalid("The override token names no signing key.")
    try:
        key = await keys.key(kid)
    except UnknownSigningKey:
        raise OverrideInvalid("The override token is signed by an unknown key.") from None
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": list(REQUIRED_CLAIMS), "strict_aud": True},
        )
    except jwt.ExpiredSignatureError:
        raise OverrideInvalid("The override has expired; ask the manager again.") from None
    except jwt.PyJWTError as error:
        raise OverrideInvalid(f"The override token is not valid: {error}.") from None
    issued_at, expires_at = claims["iat"], claims["exp"]
    if not isinstance(issued_at, int) or not isinstance(expires_at, int):
        raise OverrideInvalid("The override's iat and exp must be whole seconds.")
    if expires_at - issued_at > MAX_OVERRIDE_LIFETIME_SECONDS:
        raise OverrideInvalid("The override's lifetime exceeds the maximum.")
    if expires_at <= time.time():  # PyJWT's check allows the skew; expiry is exact here
        raise OverrideInvalid("The override has expired; ask the manager again.")
    return claims


async def verify_override(
    *,
    keys: KeySource,
    principal: Principal,
    token: str | None,
    action: OverrideAction,
    resource_id: str,
    extent: Extent | None = None,
    issuer: str | None = None,
    audience: str | None = None,
) -> Override:
    """Checks an override token against the request it came with, without spending it.

    Raises `OverrideInvalid` unless it is a live `override+jwt` from the identity service for
    this tenant, this device, this staff member, this action and this resource; then
    `OverrideAmountExceeded` unless `extent` (what the write does; None for an action that
    moves no money) is within the amount it approves."""
    if not token:
        raise OverrideInvalid(f"Send a manager override token in {OVERRIDE_HEADER}.")
    if len(token) > MAX_OVERRIDE_TOKEN_BYTES:
        raise OverrideInvalid("The override token is too large.")
    if principal.device_id is None:
        raise OverrideInvalid("Overrides are used only from a registered device.")
    settings = platform_settings()
    claims = await _signature_checked_claims(
        token,
        keys=keys,
        issuer=issuer or settings.jwt_issuer,
        audience=audience or settings.jwt_audience,
    )
    device_id, requested_by = _uuid_claim(claims, "dev"), _string_claim(claims, "req")
    _bound(_uuid_claim(claims, "tid"), principal.tenant_id, "The override is for another business.")
    _bound(device_id, principal.device_id, "The override was granted to another device.")
    _bound(requested_by, principal.subject, "The override was granted to another staff member.")
    _bound(claims["act"], action.value, f"The override is not for this action ({action.value}).")
    _bound(claims["res"], resource_id, "The override is for another resource.")
    approver_role = claims["arl"]
    if not isinstance(approver_role, str) or approver_role not in APPROVER_ROLES:
        raise OverrideInvalid("The override's approver may not approve overrides.")
    approved = _approved(claims, action)
    approved.check(action, extent)
    return Override(
        approver_id=_uuid_claim(claims, "sub"),
        approver_role=Role(approver_role),
        requested_by=requested_by,
        device_id=device_id,
        action=action,
        resource_id=resource_id,
        jti=_string_claim(claims, "jti", max_length=MAX_JTI_LENGTH),
        expires_at=claims["exp"],
        approved=approved,
    )


async def consume_override(
    connection: AsyncConnection,
    *,
    keys: KeySource,
    principal: Principal,
    token: str | None,
    action: OverrideAction,
    resource_id: str,
    extent: Extent | None = None,
    issuer: str | None = None,
    audience: str | None = None,
) -> Override:
    """Verifies an override token and spends it in `connection`'s transaction, which must be
    the guarded write's own: if that write rolls back, so does the spend. Of concurrent uses
    of one token exactly one succeeds (the others wait for its transaction, then find the
    jti spent). Raises `OverrideInvalid` (403) for any mismatch, expiry or reuse, and
    `OverrideAmountExceeded` (403) for a write beyond the approved amount: both before
    anything is spent."""
    try:
        override = await verify_override(
            keys=keys,
            principal=principal,
            token=token,
            action=action,
            resource_id=resource_id,
            extent=extent,
            issuer=issuer,
            audience=audience,
        )
        first_use = await spend_in(
            connection,
            namespace=SPENT_NAMESPACE,
            scope=str(override.device_id),
            jti=override.jti,
            expires_at=override.expires_at + CLOCK_SKEW_SECONDS,
        )
        if not first_use:
            raise OverrideInvalid("This override has already been used.")
    except (OverrideInvalid, OverrideAmountExceeded) as refusal:
        logger.info(
            "refused override for %s %s by %s: %s",
            action.value,
            resource_id,
            principal.subject,
            refusal.detail,
        )
        raise
    return override


@dataclass(frozen=True, slots=True)
class OverrideGate:
    """What a guarded endpoint hands its service: the token the request presented, ready to
    be consumed for one action on one resource in the request's own transaction. The
    service decides when (after its 404s, before its writes)."""

    connection: AsyncConnection
    keys: KeySource
    principal: Principal
    token: str | None

    async def consume(
        self, *, action: OverrideAction, resource_id: str, extent: Extent | None = None
    ) -> Override:
        return await consume_override(
            self.connection,
            keys=self.keys,
            principal=self.principal,
            token=self.token,
            action=action,
            resource_id=resource_id,
            extent=extent,
        )
