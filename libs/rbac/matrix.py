"""The one RBAC matrix: roles x permissions, and the permission of every route.

The gateway checks it before routing and each service checks it again, so removing either
layer unlocks nothing. `docs/rbac.md` is generated from this module (`make rbac-docs`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    CASHIER = "cashier"
    ACCOUNTANT = "accountant"
    # Not staff: the venue's print Bridge, which may only poll and acknowledge print jobs.
    BRIDGE = "bridge"


class Permission(StrEnum):
    BUSINESS_READ = "business:read"
    ORDERS_CREATE = "orders:create"
    ORDERS_READ = "orders:read"
    ORDERS_UPDATE = "orders:update"
    ORDERS_VOID = "orders:void"
    PAYMENTS_TAKE = "payments:take"
    REFUNDS_CREATE = "refunds:create"
    MENU_READ = "menu:read"
    MENU_WRITE = "menu:write"
    TAX_READ = "tax:read"
    TAX_WRITE = "tax:write"
    SHIFTS_OPERATE = "shifts:operate"
    SHIFTS_READ = "shifts:read"
    STAFF_READ = "staff:read"
    STAFF_WRITE = "staff:write"
    DEVICES_MANAGE = "devices:manage"
    OVERRIDES_REQUEST = "overrides:request"
    OVERRIDE_LIMITS_READ = "override-limits:read"
    OVERRIDE_LIMITS_WRITE = "override-limits:write"
    SECURITY_MANAGE = "security:manage"
    REPORTS_READ = "reports:read"
    REPORTS_CLOSE = "reports:close"
    AUDIT_READ = "audit:read"
    AUDIT_CHECKPOINT = "audit:checkpoint"
    BILLING_MANAGE = "billing:manage"
    BRIDGE_TOKENS_MANAGE = "bridge_tokens:manage"
    PRINT_JOBS_POLL = "print_jobs:poll"
    PRINT_JOBS_ACK = "print_jobs:ack"
    PRINT_JOBS_READ = "print_jobs:read"
    PRINT_JOBS_RETRY = "print_jobs:retry"
    RECEIPTS_REPRINT = "receipts:reprint"
    SYNC_UPLOAD = "sync:upload"
    SYNC_REVIEW = "sync:review"
    SYNC_RESOLVE = "sync:resolve"
    WEBHOOKS_READ = "webhooks:read"
    WEBHOOKS_MANAGE = "webhooks:manage"


P = Permission

# What anyone selling at the till does all day.
# Which business and venues a session reaches (its currency, region, time zones): every
# person's session needs them to show money and days right.
_TILL = {P.BUSINESS_READ}
_TILL |= {P.ORDERS_CREATE, P.ORDERS_READ, P.ORDERS_UPDATE, P.MENU_READ, P.PAYMENTS_TAKE}
_TILL |= {P.SHIFTS_OPERATE, P.SHIFTS_READ, P.OVERRIDES_REQUEST}
# Voids, refunds and discounts above the business's limits also need a manager's override
# token (libs/auth/overrides.py), checked by the service; the till reads the limits to know
# when to ask.
_TILL |= {P.ORDERS_VOID, P.REFUNDS_CREATE, P.OVERRIDE_LIMITS_READ}
# Offline-first: the till uploads what it sold while the network was down.
_TILL |= {P.SYNC_UPLOAD}
# Running a venue: menu, tax rates, staff and devices.
_VENUE = _TILL | {P.MENU_WRITE, P.TAX_READ, P.TAX_WRITE, P.STAFF_READ, P.STAFF_WRITE}
_VENUE |= {P.DEVICES_MANAGE}
# The venue's printers: what failed to print, sending it again, and reprinting a receipt.
_VENUE |= {P.PRINT_JOBS_READ, P.PRINT_JOBS_RETRY, P.RECEIPTS_REPRINT}
# What an offline sync flagged (a disputed total, a receipt gap, a late card payment):
# reviewed and resolved by a manager; read by the accountant too.
_VENUE |= {P.SYNC_REVIEW, P.SYNC_RESOLVE}
# The business's books and its account with us.
# Closing a day, month or year fixes its totals in the audit chain: the books' owners do it.
_BOOKS = {P.REPORTS_READ, P.REPORTS_CLOSE, P.AUDIT_READ, P.AUDIT_CHECKPOINT}
_ACCOUNT = {P.BILLING_MANAGE, P.BRIDGE_TOKENS_MANAGE, P.SECURITY_MANAGE}
_ACCOUNT |= {P.OVERRIDE_LIMITS_WRITE}
# Integrations: where the business's events are sent (each endpoint holds a signing secret
# that lets its holder impersonate us to the receiver) is the account owner's decision.
_ACCOUNT |= {P.WEBHOOKS_READ, P.WEBHOOKS_MANAGE}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(_VENUE | _BOOKS | _ACCOUNT),
    Role.MANAGER: frozenset(_VENUE),
    Role.CASHIER: frozenset(_TILL),
    Role.ACCOUNTANT: frozenset(
        _BOOKS
        | {
            P.BUSINESS_READ,
            P.ORDERS_READ,
            P.MENU_READ,
            P.TAX_READ,
            P.SHIFTS_READ,
            P.OVERRIDE_LIMITS_READ,
        }
        | {P.SYNC_REVIEW}
    ),
    Role.BRIDGE: frozenset({P.PRINT_JOBS_POLL, P.PRINT_JOBS_ACK}),
}


def is_allowed(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


@dataclass(frozen=True, slots=True)
class Route:
    """One public route: the service that serves it and the permission it needs.

    `permission=None` marks a public route (health, key discovery, sign-in).

    `read_only_ok`: whether the route is still served while the tenant's subscription is
    read-only (libs/billing/entitlement.py). Reads and public routes are; a write is only
    when marked here: closing the books, security, billing itself, and what only finishes
    work already recorded. New sales, shifts, menu and tax changes are not.
    """

    method: str
    path: str
    service: str
    permission: Permission | None
    read_only_ok: bool | None = field(default=None, compare=False)
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(self.path))
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))

    @property
    def served_read_only(self) -> bool:
        if self.read_only_ok is not None:
            return self.read_only_ok
        return self.method in ("GET", "HEAD") or self.permission is None

    def matches(self, method: str, path: str) -> bool:
        return self.method == method and self.pattern.match(path) is not None


ROUTES: tuple[Route, ...] = (
    Route("GET", "/.well-known/jwks.json", "identity", None),
    Route("POST", "/v1/orders", "orders", P.ORDERS_CREATE),
    Route("GET", "/v1/orders", "orders", P.ORDERS_READ),
    Route("GET", "/v1/orders/{order_id}", "orders", P.ORDERS_READ),
    Route("PATCH", "/v1/orders/{order_id}", "orders", P.ORDERS_UPDATE),
    Route("POST", "/v1/orders/{order_id}/lines", "orders", P.ORDERS_UPDATE),
    Route("PATCH", "/v1/orders/{order_id}/lines/{line_number}", "orders", P.ORDERS_UPDATE),
    Route("POST", "/v1/orders/{order_id}/lines/{line_number}/void", "orders", P.ORDERS_VOID),
    Route("POST", "/v1/orders/{order_id}/void", "orders", P.ORDERS_VOID),
    # A sale already open when the subscription lapses can still be paid and closed (new
    # ones cannot be opened).
    Route("POST", "/v1/orders/{order_id}/payments", "orders", P.PAYMENTS_TAKE, read_only_ok=True),
    Route(
        "POST",
        "/v1/orders/{order_id}/payments/{payment_id}/resolve",
        "orders",
        P.PAYMENTS_TAKE,
        read_only_ok=True,
    ),
    Route("POST", "/v1/orders/{order_id}/close", "orders", P.PAYMENTS_TAKE, read_only_ok=True),
    Route("POST", "/v1/orders/{order_id}/refunds", "orders", P.REFUNDS_CREATE),
    Route("GET", "/v1/receipts", "orders", P.ORDERS_READ),
    Route("GET", "/v1/receipts/{receipt_id}", "orders", P.ORDERS_READ),
    # Printing: the kitchen and bar get an order's new lines; a manager reprints a receipt.
    Route("POST", "/v1/orders/{order_id}/fire", "orders", P.ORDERS_UPDATE),
    Route(
        "POST", "/v1/receipts/{receipt_id}/reprint", "orders", P.RECEIPTS_REPRINT, read_only_ok=True
    ),
    # Shifts: cash sessions per register (the device the session is bound to).
    Route("POST", "/v1/shifts", "orders", P.SHIFTS_OPERATE),
    Route("GET", "/v1/shifts", "orders", P.SHIFTS_READ),
    Route("GET", "/v1/shifts/current", "orders", P.SHIFTS_OPERATE),
    Route("GET", "/v1/shifts/{shift_id}", "orders", P.SHIFTS_READ),
    Route("POST", "/v1/shifts/{shift_id}/cash-movements", "orders", P.SHIFTS_OPERATE),
    Route("GET", "/v1/shifts/{shift_id}/x-report", "orders", P.SHIFTS_READ),
    Route("POST", "/v1/shifts/{shift_id}/close", "orders", P.SHIFTS_OPERATE, read_only_ok=True),
    Route("GET", "/v1/shifts/{shift_id}/z-report", "orders", P.SHIFTS_READ),
    Route("GET", "/v1/shifts/{shift_id}/z-reports", "orders", P.SHIFTS_READ),
    # Offline sync: the till's queue of what it did without a network, and what it flagged.
    Route("POST", "/v1/sync/register", "orders", P.SYNC_UPLOAD),
    Route("POST", "/v1/sync/batches", "orders", P.SYNC_UPLOAD, read_only_ok=True),
    Route("GET", "/v1/sync/status", "orders", P.SYNC_UPLOAD),
    Route("GET", "/v1/sync/operations", "orders", P.SYNC_REVIEW),
    Route("GET", "/v1/sync/flags", "orders", P.SYNC_REVIEW),
    Route("POST", "/v1/sync/flags/{flag_id}/resolve", "orders", P.SYNC_RESOLVE, read_only_ok=True),
    Route("GET", "/v1/sync/approvals", "orders", P.SYNC_REVIEW),
    Route(
        "POST",
        "/v1/sync/approvals/{approval_id}/confirm",
        "orders",
        P.SYNC_RESOLVE,
        read_only_ok=True,
    ),
    Route(
        "POST",
        "/v1/sync/approvals/{approval_id}/dispute",
        "orders",
        P.SYNC_RESOLVE,
        read_only_ok=True,
    ),
    # Menu: the till reads it; owners and managers change it. Archived, never deleted.
    Route("GET", "/v1/menu", "orders", P.MENU_READ),
    Route("GET", "/v1/menu/categories", "orders", P.MENU_READ),
    Route("POST", "/v1/menu/categories", "orders", P.MENU_WRITE),
    Route("PATCH", "/v1/menu/categories/{category_id}", "orders", P.MENU_WRITE),
    Route("GET", "/v1/menu/items", "orders", P.MENU_READ),
    Route("POST", "/v1/menu/items", "orders", P.MENU_WRITE),
    Route("GET", "/v1/menu/items/{item_id}", "orders", P.MENU_READ),
    Route("PATCH", "/v1/menu/items/{item_id}", "orders", P.MENU_WRITE),
    Route("PUT", "/v1/menu/items/{item_id}/location-prices/{location_id}", "orders", P.MENU_WRITE),
    Route(
        "DELETE", "/v1/menu/items/{item_id}/location-prices/{location_id}", "orders", P.MENU_WRITE
    ),
    Route("GET", "/v1/menu/modifier-groups", "orders", P.MENU_READ),
    Route("POST", "/v1/menu/modifier-groups", "orders", P.MENU_WRITE),
    Route("PATCH", "/v1/menu/modifier-groups/{group_id}", "orders", P.MENU_WRITE),
    Route("POST", "/v1/menu/modifier-groups/{group_id}/modifiers", "orders", P.MENU_WRITE),
    Route("PATCH", "/v1/menu/modifiers/{modifier_id}", "orders", P.MENU_WRITE),
    Route("POST", "/v1/menu/items/{item_id}/prices", "orders", P.MENU_WRITE),
    Route("POST", "/v1/menu/modifiers/{modifier_id}/prices", "orders", P.MENU_WRITE),
    # Tax configuration (the VAT-config endpoint): rates by effective date, never retroactive.
    Route("GET", "/v1/tax/settings", "orders", P.TAX_READ),
    Route("PATCH", "/v1/tax/settings", "orders", P.TAX_WRITE),
    Route("GET", "/v1/tax/categories", "orders", P.TAX_READ),
    Route("POST", "/v1/tax/categories", "orders", P.TAX_WRITE),
    Route("PATCH", "/v1/tax/categories/{category_id}", "orders", P.TAX_WRITE),
    Route("POST", "/v1/tax/categories/{category_id}/rates", "orders", P.TAX_WRITE),
    Route("GET", "/v1/settings/override-limits", "orders", P.OVERRIDE_LIMITS_READ),
    Route("PATCH", "/v1/settings/override-limits", "orders", P.OVERRIDE_LIMITS_WRITE),
    # The audit log: read, verify, export, checkpoints, and what a reviewer needs.
    Route("GET", "/v1/audit/events", "audit", P.AUDIT_READ),
    Route("GET", "/v1/audit/verify", "audit", P.AUDIT_READ),
    Route("GET", "/v1/audit/export", "audit", P.AUDIT_READ),
    Route("GET", "/v1/audit/checkpoints", "audit", P.AUDIT_READ),
    Route("POST", "/v1/audit/checkpoints", "audit", P.AUDIT_CHECKPOINT, read_only_ok=True),
    Route("GET", "/v1/audit/public-key", "audit", P.AUDIT_READ),
    Route("GET", "/v1/audit/verifier", "audit", P.AUDIT_READ),
    Route("GET", "/v1/audit/verifier/script", "audit", P.AUDIT_READ),
    # The business and the venues the session reaches, read-only (an operator provisions them).
    Route("GET", "/v1/business", "identity", P.BUSINESS_READ),
    Route("GET", "/v1/locations", "identity", P.BUSINESS_READ),
    Route("GET", "/v1/locations/{location_id}", "identity", P.BUSINESS_READ),
    Route("GET", "/v1/audit/reviewer-bundle", "audit", P.AUDIT_READ),
    Route("POST", "/v1/staff", "identity", P.STAFF_WRITE),
    Route("GET", "/v1/staff", "identity", P.STAFF_READ),
    Route("GET", "/v1/staff/{staff_id}", "identity", P.STAFF_READ),
    Route("PATCH", "/v1/staff/{staff_id}", "identity", P.STAFF_WRITE, read_only_ok=True),
    # Devices: a manager creates a code, the POS activates with it (no session yet).
    Route("POST", "/v1/devices/activation-codes", "identity", P.DEVICES_MANAGE),
    Route("POST", "/v1/devices/activate", "identity", None),
    Route("GET", "/v1/devices", "identity", P.DEVICES_MANAGE),
    # The PIN pad's roster before anyone signs in: proven by the device's key, like sign-in.
    Route("GET", "/v1/devices/roster", "identity", None),
    Route(
        "POST", "/v1/devices/{device_id}/revoke", "identity", P.DEVICES_MANAGE, read_only_ok=True
    ),
    # Sign-in and tokens: public, each proven by the credential it carries and a DPoP proof.
    Route("POST", "/v1/auth/pin", "identity", None),
    Route("POST", "/v1/auth/password", "identity", None),
    Route("POST", "/v1/auth/totp", "identity", None),
    Route("POST", "/v1/auth/totp/enrolment", "identity", None),
    Route("POST", "/v1/auth/totp/enrolment/confirm", "identity", None),
    Route("POST", "/v1/auth/token", "identity", None),
    # Served read-only: an override only authorises a void, refund or discount, and those
    # are refused then.
    Route("POST", "/v1/auth/overrides", "identity", P.OVERRIDES_REQUEST, read_only_ok=True),
    Route("GET", "/v1/admin/security/settings", "identity", P.SECURITY_MANAGE),
    Route("PATCH", "/v1/admin/security/settings", "identity", P.SECURITY_MANAGE, read_only_ok=True),
    # An owner gives a colleague the code that enrols their authenticator app (docs/sessions.md).
    Route(
        "POST",
        "/v1/admin/security/totp-enrolment-codes",
        "identity",
        P.SECURITY_MANAGE,
        read_only_ok=True,
    ),
    # The business's live sessions: owners review them and end one (docs/sessions.md).
    Route("GET", "/v1/admin/security/sessions", "identity", P.SECURITY_MANAGE),
    Route(
        "POST",
        "/v1/admin/security/sessions/{session_id}/revoke",
        "identity",
        P.SECURITY_MANAGE,
        read_only_ok=True,
    ),
    # Bridge tokens: owners create, list, rotate and revoke them (the secret is shown once).
    Route(
        "POST",
        "/v1/admin/security/bridge-tokens",
        "bridge",
        P.BRIDGE_TOKENS_MANAGE,
        read_only_ok=True,
    ),
    Route("GET", "/v1/admin/security/bridge-tokens", "bridge", P.BRIDGE_TOKENS_MANAGE),
    Route("GET", "/v1/admin/security/bridge-tokens/{token_id}", "bridge", P.BRIDGE_TOKENS_MANAGE),
    *(
        Route(
            "POST",
            f"/v1/admin/security/bridge-tokens/{{token_id}}/{action}",
            "bridge",
            P.BRIDGE_TOKENS_MANAGE,
            read_only_ok=True,
        )
        for action in ("rotate", "revoke")
    ),
    # The Bridge's two routes: lease the location's next jobs (long-poll), acknowledge one.
    Route("GET", "/v1/print-jobs", "bridge", P.PRINT_JOBS_POLL),
    Route("POST", "/v1/print-jobs/{job_id}/ack", "bridge", P.PRINT_JOBS_ACK, read_only_ok=True),
    # Reports and their exports (JSON, CSV, ZIP bundle): the business's books, never the till.
    *(
        Route("GET", f"/v1/reports/{report}{suffix}", "reports", P.REPORTS_READ)
        for report in ("daily-summary", "item-mix", "reconciliation", "bas", "vat-summary")
        for suffix in ("", "/export")
    ),
    Route("GET", "/v1/reports/shifts/{shift_id}", "reports", P.REPORTS_READ),
    Route("GET", "/v1/reports/closures", "reports", P.REPORTS_READ),
    Route("POST", "/v1/reports/closures", "reports", P.REPORTS_CLOSE, read_only_ok=True),
    # The backoffice's view of the queue: failed (parked) jobs, and sending one again.
    Route("GET", "/v1/admin/print-jobs", "bridge", P.PRINT_JOBS_READ),
    Route(
        "POST",
        "/v1/admin/print-jobs/{job_id}/retry",
        "bridge",
        P.PRINT_JOBS_RETRY,
        read_only_ok=True,
    ),
    # The business's halopos subscription: Stripe-hosted Checkout and Customer Portal (card
    # details are entered on Stripe's pages only), and Stripe's signed webhook, which carries
    # no token: the billing service verifies its Stripe-Signature.
    Route("POST", "/v1/billing/checkout-sessions", "billing", P.BILLING_MANAGE, read_only_ok=True),
    Route("POST", "/v1/billing/portal-sessions", "billing", P.BILLING_MANAGE, read_only_ok=True),
    Route("GET", "/v1/billing/subscription", "billing", P.BILLING_MANAGE),
    Route("POST", "/v1/billing/webhooks/stripe", "billing", None),
    # Outbound webhooks for integrators: the owner's endpoints and their delivery log
    # (docs/webhooks.md). Served read-only: an owner can still fix or stop an integration.
    Route("GET", "/v1/webhooks/event-types", "webhooks", P.WEBHOOKS_READ),
    Route("GET", "/v1/webhooks/endpoints", "webhooks", P.WEBHOOKS_READ),
    Route("POST", "/v1/webhooks/endpoints", "webhooks", P.WEBHOOKS_MANAGE),
    Route("GET", "/v1/webhooks/endpoints/{endpoint_id}", "webhooks", P.WEBHOOKS_READ),
    Route(
        "PATCH",
        "/v1/webhooks/endpoints/{endpoint_id}",
        "webhooks",
        P.WEBHOOKS_MANAGE,
        read_only_ok=True,
    ),
    Route(
        "DELETE",
        "/v1/webhooks/endpoints/{endpoint_id}",
        "webhooks",
        P.WEBHOOKS_MANAGE,
        read_only_ok=True,
    ),
    *(
        Route(
            "POST",
            f"/v1/webhooks/endpoints/{{endpoint_id}}/{action}",
            "webhooks",
            P.WEBHOOKS_MANAGE,
            read_only_ok=True,
        )
        for action in ("disable", "enable", "rotate-secret")
    ),
    Route("GET", "/v1/webhooks/endpoints/{endpoint_id}/deliveries", "webhooks", P.WEBHOOKS_READ),
    Route(
        "GET",
        "/v1/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}",
        "webhooks",
        P.WEBHOOKS_READ,
    ),
    Route(
        "POST",
        "/v1/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}/replay",
        "webhooks",
        P.WEBHOOKS_MANAGE,
        read_only_ok=True,
    ),
)


ROUTES_BY_TEMPLATE: dict[tuple[str, str], Route] = {
    (route.method, route.path): route for route in ROUTES
}


def route_of_template(method: str, template: str) -> Route | None:
    """The route a service matched (FastAPI's path template, e.g. `/v1/orders/{order_id}`)."""
    return ROUTES_BY_TEMPLATE.get(("GET" if method == "HEAD" else method, template))


def find_route(method: str, path: str) -> Route | None:
    # HEAD is answered like GET, as HTTP requires.
    method = "GET" if method == "HEAD" else method
    for route in ROUTES:
        if route.matches(method, path):
            return route
    return None
