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
    ORDERS_CREATE = "orders:create"
    ORDERS_READ = "orders:read"
    ORDERS_VOID = "orders:void"
    MENU_READ = "menu:read"
    MENU_WRITE = "menu:write"
    TAX_READ = "tax:read"
    TAX_WRITE = "tax:write"
    SHIFTS_OPERATE = "shifts:operate"
    STAFF_READ = "staff:read"
    STAFF_WRITE = "staff:write"
    DEVICES_MANAGE = "devices:manage"
    OVERRIDES_REQUEST = "overrides:request"
    OVERRIDE_LIMITS_READ = "override-limits:read"
    OVERRIDE_LIMITS_WRITE = "override-limits:write"
    SECURITY_MANAGE = "security:manage"
    REPORTS_READ = "reports:read"
    AUDIT_READ = "audit:read"
    BILLING_MANAGE = "billing:manage"
    BRIDGE_TOKENS_MANAGE = "bridge_tokens:manage"
    PRINT_JOBS_POLL = "print_jobs:poll"
    PRINT_JOBS_ACK = "print_jobs:ack"


P = Permission

# What anyone selling at the till does all day.
_TILL = {P.ORDERS_CREATE, P.ORDERS_READ, P.MENU_READ, P.SHIFTS_OPERATE, P.OVERRIDES_REQUEST}
# Voids above the business's limit also need a manager's override token
# (libs/auth/overrides.py), checked by the service; the till reads the limits to know when.
_TILL |= {P.ORDERS_VOID, P.OVERRIDE_LIMITS_READ}
# Running a venue: menu, tax rates, staff and devices.
_VENUE = _TILL | {P.MENU_WRITE, P.TAX_READ, P.TAX_WRITE, P.STAFF_READ, P.STAFF_WRITE}
_VENUE |= {P.DEVICES_MANAGE}
# The business's books and its account with us.
_BOOKS = {P.REPORTS_READ, P.AUDIT_READ}
_ACCOUNT = {P.BILLING_MANAGE, P.BRIDGE_TOKENS_MANAGE, P.SECURITY_MANAGE}
_ACCOUNT |= {P.OVERRIDE_LIMITS_WRITE}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(_VENUE | _BOOKS | _ACCOUNT),
    Role.MANAGER: frozenset(_VENUE),
    Role.CASHIER: frozenset(_TILL),
    Role.ACCOUNTANT: frozenset(_BOOKS | {P.ORDERS_READ, P.MENU_READ, P.TAX_READ}),
    Role.BRIDGE: frozenset({P.PRINT_JOBS_POLL, P.PRINT_JOBS_ACK}),
}


def is_allowed(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[role]


@dataclass(frozen=True, slots=True)
class Route:
    """One public route: the service that serves it and the permission it needs.

    `permission=None` marks a public route (health, key discovery, sign-in).
    """

    method: str
    path: str
    service: str
    permission: Permission | None
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        regex = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(self.path))
        object.__setattr__(self, "pattern", re.compile(f"^{regex}$"))

    def matches(self, method: str, path: str) -> bool:
        return self.method == method and self.pattern.match(path) is not None


ROUTES: tuple[Route, ...] = (
    Route("GET", "/.well-known/jwks.json", "identity", None),
    Route("POST", "/v1/orders", "orders", P.ORDERS_CREATE),
    Route("GET", "/v1/orders", "orders", P.ORDERS_READ),
    Route("GET", "/v1/orders/{order_id}", "orders", P.ORDERS_READ),
    Route("POST", "/v1/orders/{order_id}/void", "orders", P.ORDERS_VOID),
    Route("GET", "/v1/settings/override-limits", "orders", P.OVERRIDE_LIMITS_READ),
    Route("PATCH", "/v1/settings/override-limits", "orders", P.OVERRIDE_LIMITS_WRITE),
    Route("GET", "/v1/audit/events", "audit", P.AUDIT_READ),
    Route("POST", "/v1/staff", "identity", P.STAFF_WRITE),
    Route("GET", "/v1/staff", "identity", P.STAFF_READ),
    Route("GET", "/v1/staff/{staff_id}", "identity", P.STAFF_READ),
    Route("PATCH", "/v1/staff/{staff_id}", "identity", P.STAFF_WRITE),
    # Devices: a manager creates a code, the POS activates with it (no session yet).
    Route("POST", "/v1/devices/activation-codes", "identity", P.DEVICES_MANAGE),
    Route("POST", "/v1/devices/activate", "identity", None),
    Route("GET", "/v1/devices", "identity", P.DEVICES_MANAGE),
    Route("POST", "/v1/devices/{device_id}/revoke", "identity", P.DEVICES_MANAGE),
    # Sign-in and tokens: public, each proven by the credential it carries and a DPoP proof.
    Route("POST", "/v1/auth/pin", "identity", None),
    Route("POST", "/v1/auth/password", "identity", None),
    Route("POST", "/v1/auth/totp", "identity", None),
    Route("POST", "/v1/auth/totp/enrolment", "identity", None),
    Route("POST", "/v1/auth/totp/enrolment/confirm", "identity", None),
    Route("POST", "/v1/auth/token", "identity", None),
    Route("POST", "/v1/auth/overrides", "identity", P.OVERRIDES_REQUEST),
    Route("GET", "/v1/admin/security/settings", "identity", P.SECURITY_MANAGE),
    Route("PATCH", "/v1/admin/security/settings", "identity", P.SECURITY_MANAGE),
)


def find_route(method: str, path: str) -> Route | None:
    # HEAD is answered like GET, as HTTP requires.
    method = "GET" if method == "HEAD" else method
    for route in ROUTES:
        if route.matches(method, path):
            return route
    return None
