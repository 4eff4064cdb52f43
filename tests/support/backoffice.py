"""Backoffice sign-in for tests: a business with an owner and a manager, staff with passwords,
the password and TOTP steps of a sign-in, and what the identity service audited."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from tests.support.database import Connect, as_identity
from tests.support.tokens import PUBLIC_URL

PASSWORD = "correct horse battery staple"


@dataclass
class Business:
    tenant: uuid.UUID
    owner: DPoPAuth  # an owner's access token (minted), for staff management and settings
    manager: DPoPAuth


@dataclass
class Member:
    id: str
    email: str


async def audit_events(
    connect_as: Connect, tenant: uuid.UUID, action: str | None = None
) -> list[dict[str, Any]]:
    """The tenant's audit events in order (only those of `action`, if given)."""
    rows = await as_identity(
        connect_as,
        tenant,
        "SELECT actor_type, actor_id, action, resource_id, payload FROM audit.events "
        "WHERE $1::text IS NULL OR action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


async def add_staff(
    client: httpx.AsyncClient, business: Business, role: str, **overrides: Any
) -> Member:
    body = {
        "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": f"A {role}",
        "role": role,
        "password": PASSWORD,
        **overrides,
    }
    response = await client.post("/v1/staff", json=body, auth=business.owner)
    assert response.status_code == 201, response.text
    return Member(response.json()["id"], response.json()["email"])


def signer(key: DeviceKey) -> DPoPAuth:
    """A proof per request from `key`, with no access token: how every sign-in step is sent."""
    return DPoPAuth(key, public_url=PUBLIC_URL)


async def sign_in(
    client: httpx.AsyncClient,
    key: DeviceKey,
    business: uuid.UUID,
    email: str,
    password: str = PASSWORD,
    **extra: Any,
) -> httpx.Response:
    body = {"business": str(business), "email": email, "password": password, **extra}
    return await client.post("/v1/auth/password", json=body, auth=signer(key))


async def second_factor(
    client: httpx.AsyncClient, key: DeviceKey, challenge: str, **factor: str
) -> httpx.Response:
    return await client.post(
        "/v1/auth/totp", json={"challenge": challenge, **factor}, auth=signer(key)
    )


def code_at(secret: str, offset_seconds: int) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset_seconds)


def wrong_code(secret: str) -> str:
    """A code that matches no step the server could accept now."""
    valid = {code_at(secret, offset) for offset in (-90, -60, -30, 0, 30, 60, 90)}
    return next(code for code in (f"{n:06d}" for n in range(1000)) if code not in valid)


async def require_owner_totp(client: httpx.AsyncClient, business: Business) -> None:
    response = await client.patch(
        "/v1/admin/security/settings", json={"owner_totp_required": True}, auth=business.owner
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"owner_totp_required": True}


async def issue_enrolment_code(
    client: httpx.AsyncClient, business: Business, member: Member
) -> str:
    """An enrolment code for `member`, issued by another owner of the business."""
    response = await client.post(
        "/v1/admin/security/totp-enrolment-codes",
        json={"staff_id": member.id},
        auth=business.owner,
    )
    assert response.status_code == 201, response.text
    code: str = response.json()["enrolment_code"]
    return code
