"""Manager overrides for tests: a business with a manager and a cashier (both with PINs), the
cashier at an open till, an order to act on, and a manager's approval for it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import Role
from tests.support.database import Connect, as_service
from tests.support.tills import Menu, open_till
from tests.support.tokens import TokenFactory

MANAGER_PIN = "2468"

CASHIER_PIN = "1357"

# What the tests' usual order (two flat whites) costs: what a void of it, or of its line,
# or a refund of it, is approved for unless a test says otherwise.
TWO_FLAT_WHITES = 900

LIMITS = "/v1/settings/override-limits"


def approving(action: str) -> dict[str, int]:
    """The amount a till asks a manager to approve by default: the order's total for a void
    or a refund (and as the discount's amount), none for a force-close."""
    return {} if action == "shift_force_close" else {"amount_minor": TWO_FLAT_WHITES}


@dataclass
class Till:
    """A business with a manager and a cashier (both with PINs), and the cashier signed in on
    a registered device with an open shift and a menu."""

    tenant: uuid.UUID
    manager_id: uuid.UUID
    cashier_id: uuid.UUID
    location_id: uuid.UUID
    device_id: uuid.UUID
    key: DeviceKey
    cashier: DPoPAuth
    menu: Menu


def person(role: str, pin: str) -> dict[str, Any]:
    return {
        "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": f"A {role}",
        "role": role,
        "pin": pin,
    }


async def new_till(
    tenant: uuid.UUID,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> Till:
    owner = token(tenant, Role.OWNER)
    staff_ids = []
    for role, pin in (("manager", MANAGER_PIN), ("cashier", CASHIER_PIN)):
        created = await identity_client.post("/v1/staff", json=person(role, pin), auth=owner)
        assert created.status_code == 201, created.text
        staff_ids.append(uuid.UUID(created.json()["id"]))
    manager_id, cashier_id = staff_ids
    till = await open_till(connect_as, token, tenant, subject=str(cashier_id))
    return Till(
        tenant,
        manager_id,
        cashier_id,
        till.location_id,
        till.device_id,
        till.key,
        till.staff,
        till.menu,
    )


def flat_whites(menu: Menu, quantity: int = 2) -> list[dict[str, Any]]:
    """`quantity` flat whites at 450: 900 for the usual two."""
    return [{"item_id": str(menu.coffee_id), "quantity": quantity}]


async def open_order(
    orders_client: httpx.AsyncClient, till: Till, auth: httpx.Auth | None = None, **fields: Any
) -> dict[str, Any]:
    body = {"lines": flat_whites(till.menu), **fields}
    created = await orders_client.post("/v1/orders", json=body, auth=auth or till.cashier)
    assert created.status_code == 201, created.text
    order: dict[str, Any] = created.json()
    return order


async def ask(
    identity_client: httpx.AsyncClient,
    till: Till,
    resource_id: str,
    *,
    action: str = "void",
    pin: str = MANAGER_PIN,
    approver: uuid.UUID | None = None,
    auth: httpx.Auth | None = None,
    amount: dict[str, int] | None = None,
) -> httpx.Response:
    """Ask for an override, for `amount` (`{"amount_minor": ...}` or `{"percent_bps": ...}`;
    default: `approving(action)`)."""
    body = {
        "approver_id": str(approver or till.manager_id),
        "pin": pin,
        "action": action,
        "resource_id": resource_id,
        **(approving(action) if amount is None else amount),
    }
    return await identity_client.post("/v1/auth/overrides", json=body, auth=auth or till.cashier)


async def approve(
    identity_client: httpx.AsyncClient,
    till: Till,
    resource_id: str,
    *,
    action: str = "void",
    amount: dict[str, int] | None = None,
) -> str:
    granted = await ask(identity_client, till, resource_id, action=action, amount=amount)
    assert granted.status_code == 201, granted.text
    override_token: str = granted.json()["override_token"]
    return override_token


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as,
        "identity",
        tenant,
        "SELECT actor_type, actor_id, resource_id, payload FROM audit.events "
        "WHERE action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]
