"""What a tenant's halopos subscription entitles it to, enforced by the gateway and by every
service (docs/billing.md).

The billing service records the subscription as Stripe last reported it (`billing.accounts`);
everyone else reads three columns of it, under row-level security, and decides here:

- no subscription yet (a business provisioned by an operator), or one that is `active`,
  `trialing` or still `incomplete` (its first payment under way): **full** use;
- `past_due`: full use with a warning (`Halopos-Billing-Grace-Until`) until the grace period
  the billing service set ends, then read-only;
- `canceled`, `unpaid`, `incomplete_expired`, `paused`: **read-only**.

Read-only refuses the routes the RBAC table marks as not served then (new sales, shifts, menu
and tax changes, new staff and devices: libs/rbac/matrix.py `Route.read_only_ok`) with the
problem type `subscription-read-only`. Everything is still readable and exportable, and
nothing is deleted: renewing the subscription restores full use.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.auth.principal import Principal
from libs.problems import Problem

GRACE_HEADER = "Halopos-Billing-Grace-Until"
FULL_STATUSES = frozenset({"active", "trialing", "incomplete"})

_READ = "SELECT status, grace_until FROM billing.accounts"


class Mode(StrEnum):
    FULL = "full"
    GRACE = "grace"
    READ_ONLY = "read-only"


@dataclass(frozen=True, slots=True)
class Entitlement:
    status: str | None  # Stripe's subscription status; None: no subscription
    grace_until: datetime | None

    def mode(self, now: datetime | None = None) -> Mode:
        if self.status is None or self.status in FULL_STATUSES:
            return Mode.FULL
        if self.status == "past_due" and self.grace_until is not None:
            return Mode.GRACE if (now or datetime.now(UTC)) < self.grace_until else Mode.READ_ONLY
        return Mode.READ_ONLY


NO_SUBSCRIPTION = Entitlement(status=None, grace_until=None)


class SubscriptionReadOnly(Problem):
    status = 403
    code = "subscription-read-only"
    title = "The business's halopos subscription has ended: read-only until it is renewed"


async def read_entitlement(connection: AsyncConnection) -> Entitlement:
    """The bound tenant's entitlement (row-level security leaves at most its own row). On
    the asyncpg connection under the transaction (it runs in every write request), after the
    transaction's first statement."""
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None, "a connection in a transaction has its driver's"
    row = await driver.fetchrow(_READ)
    return NO_SUBSCRIPTION if row is None else Entitlement(row["status"], row["grace_until"])


def enforce(entitlement: Entitlement, scope: Scope) -> None:
    """Refuse a route that is not served read-only; note a grace period for the response."""
    mode = entitlement.mode()
    if mode is Mode.READ_ONLY:
        raise SubscriptionReadOnly(
            f"The subscription is {entitlement.status}. Reports, exports and everything already "
            "recorded stay available; the owner renews it from the billing portal.",
            subscription_status=entitlement.status,
        )
    if mode is Mode.GRACE and entitlement.grace_until is not None:
        scope.setdefault("state", {})["billing_grace_until"] = entitlement.grace_until


class GraceHeaderMiddleware:
    """Adds `Halopos-Billing-Grace-Until` to the response of a request that found its tenant's
    subscription past due: the till and the backoffice can warn before it turns read-only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_warning(message: Message) -> None:
            until = scope.get("state", {}).get("billing_grace_until")
            if message["type"] == "http.response.start" and until is not None:
                value = until.astimezone(UTC).isoformat().replace("+00:00", "Z")
                message["headers"] = [
                    *message.get("headers", []),
                    (GRACE_HEADER.lower().encode(), value.encode()),
                ]
            await send(message)

        await self.app(scope, receive, send_with_warning)


class EntitlementCache:
    """The gateway's view: each tenant's entitlement, read at most every `ttl` seconds.

    The gateway is the first lock, not the only one: each service reads the entitlement again
    in the transaction of the write, so a subscription that just ended is refused there even
    while the gateway's copy is a few seconds old."""

    def __init__(
        self, read: Callable[[Principal], Awaitable[Entitlement]], *, ttl: float = 5.0
    ) -> None:
        self._read = read
        self._ttl = ttl
        self._cached: dict[UUID, tuple[float, Entitlement]] = {}

    async def of(self, principal: Principal) -> Entitlement:
        now = time.monotonic()
        tenant_id = principal.tenant_id
        cached = self._cached.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        entitlement = await self._read(principal)
        if len(self._cached) > 100_000:  # bounded: many tenants, one gateway
            self._cached.clear()
        self._cached[tenant_id] = (now + self._ttl, entitlement)
        return entitlement
