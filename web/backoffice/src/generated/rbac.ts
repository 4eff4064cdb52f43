// Generated from libs/rbac by `make clients` (tools/clients.py); never edit it.
// A test fails while it differs from the matrix the gateway and the services enforce.

export type Role = "owner" | "manager" | "cashier" | "accountant";

export type Permission =
  | "business:read"
  | "orders:create"
  | "orders:read"
  | "orders:update"
  | "orders:void"
  | "payments:take"
  | "refunds:create"
  | "menu:read"
  | "menu:write"
  | "tax:read"
  | "tax:write"
  | "shifts:operate"
  | "shifts:read"
  | "staff:read"
  | "staff:write"
  | "devices:manage"
  | "overrides:request"
  | "override-limits:read"
  | "override-limits:write"
  | "security:manage"
  | "reports:read"
  | "reports:close"
  | "audit:read"
  | "audit:checkpoint"
  | "billing:manage"
  | "bridge_tokens:manage"
  | "print_jobs:poll"
  | "print_jobs:ack"
  | "print_jobs:read"
  | "print_jobs:retry"
  | "receipts:reprint"
  | "sync:upload"
  | "sync:review"
  | "sync:resolve"
  | "webhooks:read"
  | "webhooks:manage"
  ;

export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: [
    "audit:checkpoint",
    "audit:read",
    "billing:manage",
    "bridge_tokens:manage",
    "business:read",
    "devices:manage",
    "menu:read",
    "menu:write",
    "orders:create",
    "orders:read",
    "orders:update",
    "orders:void",
    "override-limits:read",
    "override-limits:write",
    "overrides:request",
    "payments:take",
    "print_jobs:read",
    "print_jobs:retry",
    "receipts:reprint",
    "refunds:create",
    "reports:close",
    "reports:read",
    "security:manage",
    "shifts:operate",
    "shifts:read",
    "staff:read",
    "staff:write",
    "sync:resolve",
    "sync:review",
    "sync:upload",
    "tax:read",
    "tax:write",
    "webhooks:manage",
    "webhooks:read",
  ],
  manager: [
    "business:read",
    "devices:manage",
    "menu:read",
    "menu:write",
    "orders:create",
    "orders:read",
    "orders:update",
    "orders:void",
    "override-limits:read",
    "overrides:request",
    "payments:take",
    "print_jobs:read",
    "print_jobs:retry",
    "receipts:reprint",
    "refunds:create",
    "shifts:operate",
    "shifts:read",
    "staff:read",
    "staff:write",
    "sync:resolve",
    "sync:review",
    "sync:upload",
    "tax:read",
    "tax:write",
  ],
  cashier: [
    "business:read",
    "menu:read",
    "orders:create",
    "orders:read",
    "orders:update",
    "orders:void",
    "override-limits:read",
    "overrides:request",
    "payments:take",
    "refunds:create",
    "shifts:operate",
    "shifts:read",
    "sync:upload",
  ],
  accountant: [
    "audit:checkpoint",
    "audit:read",
    "business:read",
    "menu:read",
    "orders:read",
    "override-limits:read",
    "reports:close",
    "reports:read",
    "shifts:read",
    "sync:review",
    "tax:read",
  ],
};

/** The roles each role may give, and whose holders it may change. */
export const GRANTABLE: Readonly<Record<Role, readonly Role[]>> = {
  owner: ["owner", "manager", "cashier", "accountant"],
  manager: ["manager", "cashier"],
  cashier: [],
  accountant: [],
};
