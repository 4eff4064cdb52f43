"""Who may grant which role: the rule beside the matrix, so no staff path can hand out more
than its caller holds.

Giving someone a role gives them every permission of that role, so a member may give only a
role whose permissions are a subset of their own, and only if they may manage staff at all
(`staff:write`). The same test decides whom they may manage: changing, deactivating or
reactivating a staff member, or setting the password or PIN they sign in with, is handing
out that member's role again, so it needs a role the caller could grant. A manager therefore
creates and manages managers and cashiers, never owners or accountants (an accountant reads
the books and the audit log, which a manager does not).

Nobody changes their own role: a member who could raise it would need no grant at all, and
one who lowers it loses what they hold now. The one exception is an owner stepping down,
which the business's last-owner rule (the staff service, under a row lock) still bounds.
The Bridge is a device, never a staff role: nobody grants it.

`docs/rbac.md` renders this rule (`make rbac-docs`); services apply it through
`role_refusal` and `change_refusal` and answer a refusal with a 403 problem.
"""

from __future__ import annotations

from enum import StrEnum

from libs.rbac.matrix import GRANTS, Permission, Role

# The roles a staff member can hold (the identity schema's `staff.role` check agrees).
STAFF_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.BRIDGE)


class GrantRefusal(StrEnum):
    """Why a grant is refused; each is the `code` of the 403 problem that answers it."""

    # The role asked for holds a permission the caller does not.
    ROLE = "role-grant-refused"
    # The staff member already holds such a role: not the caller's to change.
    MEMBER = "staff-role-above-yours"
    # Callers do not change their own role (an owner stepping down aside).
    OWN_ROLE = "own-role-change-refused"


def may_grant(granter: Role, role: Role) -> bool:
    """Whether a caller with role `granter` may give `role` to someone, or manage someone
    who holds it."""
    if granter not in STAFF_ROLES or role not in STAFF_ROLES:
        return False
    if Permission.STAFF_WRITE not in GRANTS[granter]:
        return False
    return GRANTS[role] <= GRANTS[granter]


def grantable_roles(granter: Role) -> tuple[Role, ...]:
    return tuple(role for role in STAFF_ROLES if may_grant(granter, role))


def role_refusal(*, granter: Role, role: Role) -> GrantRefusal | None:
    """Creating a staff member with `role` (and the password and PIN they sign in with)."""
    return None if may_grant(granter, role) else GrantRefusal.ROLE


def change_refusal(
    *, granter: Role, current: Role, requested: Role | None, own: bool
) -> GrantRefusal | None:
    """Changing a staff member who holds `current` (any change: name, locations, active),
    to `requested` if given. `own`: the staff member is the caller.

    `current` is the role on record, not the caller's token: a token minted before a
    demotion still names the old role for minutes, and must not win the role back."""
    if not may_grant(granter, current):
        return GrantRefusal.MEMBER
    if requested is None or requested is current:
        return None
    if own and not (current is Role.OWNER and granter is Role.OWNER):
        return GrantRefusal.OWN_ROLE
    return role_refusal(granter=granter, role=requested)
