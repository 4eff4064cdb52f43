"""Renders docs/rbac.md from the matrix: `python -m libs.rbac.docs > docs/rbac.md`."""

from __future__ import annotations

from libs.rbac.matrix import GRANTS, ROUTES, Permission, Role


def render() -> str:
    roles = list(Role)
    lines = [
        "# RBAC matrix",
        "",
        "Generated from `libs/rbac/matrix.py` by `make rbac-docs`; do not edit by hand (a test",
        "fails when this file is stale). The gateway and every service enforce the same matrix.",
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
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
