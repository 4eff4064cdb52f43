"""The RBAC check: `dependencies=[requires(Permission.X)]` on every service route, and
`ensure_allowed` in the gateway."""

from __future__ import annotations

from typing import Any

from fastapi import Depends
from fastapi.params import Depends as DependsParam

from libs.api.authentication import CurrentPrincipal
from libs.auth.principal import Principal
from libs.problems import PermissionDenied
from libs.rbac.matrix import Permission, is_allowed


def ensure_allowed(principal: Principal, permission: Permission) -> None:
    """The one RBAC decision, made by the gateway and by every service."""
    if not is_allowed(principal.role, permission):
        raise PermissionDenied(f"The {principal.role} role lacks {permission}.")


def requires(permission: Permission) -> DependsParam:
    async def check_permission(principal: CurrentPrincipal) -> None:
        ensure_allowed(principal, permission)

    # Read by the route inventory (tests, docs) to learn which permission a route declares.
    check_permission.permission = permission  # type: ignore[attr-defined]
    dependency: DependsParam = Depends(check_permission)
    return dependency


def declared_permission(route: Any) -> Permission | None:
    """The permission a FastAPI route declared with `requires`, if any."""
    for dependency in getattr(route, "dependencies", []):
        permission = getattr(dependency.dependency, "permission", None)
        if isinstance(permission, Permission):
            return permission
    return None
