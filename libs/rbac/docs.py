"""Renders docs/rbac.md from the matrix and the grant rule:
`python -m libs.rbac.docs > docs/rbac.md`."""

from __future__ import annotations

import textwrap

from libs.rbac.grants import STAFF_ROLES, GrantRefusal, may_grant
from libs.rbac.matrix import GRANTS, ROUTES, Permission, Role


def render() -> str:
    roles = list(Role)
    lines = [
        "# RBAC matrix",
        "",
        "Generated from `libs/rbac/matrix.py` and `libs/rbac/grants.py` by `make rbac-docs`; do",
        "not edit by hand (a test fails when this file is stale). The gateway and every service",
        "enforce the same matrix.",
        "",
        "## Roles and permissions",
        "",
        "| permission | " + " | ".join(role.value for role in roles) + " |",
        "| --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for permission in Permission:
        cells = ["yes" if permission in GRANTS[role] else "-" for role in roles]
        lines.append(f"| `{permission.value}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Routes",
        "",
        "*Read-only subscription*: whether the route is still served while the business's",
        "subscription is canceled or unpaid (docs/billing.md); a refused one answers 403",
        "`subscription-read-only`.",
        "",
        "| method | path | service | permission | read-only subscription |",
        "| --- | --- | --- | --- | --- |",
    ]
    for route in ROUTES:
        needs = f"`{route.permission.value}`" if route.permission else "public"
        served = "served" if route.served_read_only else "refused"
        lines.append(f"| {route.method} | `{route.path}` | {route.service} | {needs} | {served} |")
    lines += _grants()
    return "\n".join(lines) + "\n"


def _grants() -> list[str]:
    rule = (
        f"From `libs/rbac/grants.py`. A staff member with `{Permission.STAFF_WRITE}` gives "
        "someone a role (`POST /v1/staff`, `PATCH /v1/staff/{staff_id}`) only if they hold "
        f"every permission of that role themselves; otherwise 403 `{GrantRefusal.ROLE}`. The "
        "same test decides whom they may change at all (name, locations, deactivating, "
        "reactivating): only staff whose current role they could give; otherwise 403 "
        f"`{GrantRefusal.MEMBER}`. A password or PIN is set only with a role that passes the "
        "test. A refusal changes nothing."
    )
    own = (
        f"Nobody changes their own role (403 `{GrantRefusal.OWN_ROLE}`), except an owner "
        "stepping down while another active owner remains (409 `last-owner` otherwise). "
        f"`{Role.BRIDGE}` is a device's role, never a staff member's: nobody grants it."
    )
    lines = ["", "## Who may grant which role", ""]
    lines += [*textwrap.wrap(rule, width=90), "", *textwrap.wrap(own, width=90), ""]
    lines += [
        "| granter / role given | " + " | ".join(role.value for role in STAFF_ROLES) + " |",
        "| --- | " + " | ".join("---" for _ in STAFF_ROLES) + " |",
    ]
    for granter in STAFF_ROLES:
        cells = ["yes" if may_grant(granter, role) else "-" for role in STAFF_ROLES]
        lines.append(f"| {granter.value} | " + " | ".join(cells) + " |")
    return lines


if __name__ == "__main__":
    print(render(), end="")
