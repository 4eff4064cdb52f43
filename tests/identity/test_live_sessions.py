"""The business's live sessions for an owner's review (`/v1/admin/security/sessions`), against
a real Postgres through the identity service's own role: who is signed in and from what, paged
with cursors, and revoking one (its refresh is refused at once, audited in the same
transaction); only the business's own sessions, only for `security:manage`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac import Role
from services.identity.sessions.budget import SignInBudget
from tests.support.backoffice import PASSWORD, Business, add_staff, audit_events, signer
from tests.support.database import Connect, Provision
from tests.support.tokens import PUBLIC_URL, TokenFactory

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture(autouse=True)
async def _fresh_budget(identity_client: httpx.AsyncClient) -> AsyncIterator[None]:
    """An unspent sign-in budget per test (the identity app is shared by the whole run)."""
    app = identity_client._transport.app  # type: ignore[attr-defined]
    before = getattr(app.state, "sign_in_budget", None)
    app.state.sign_in_budget = SignInBudget.from_environment()
    yield
    app.state.sign_in_budget = before


@dataclass
class SignedIn:
    staff_id: str
    session_id: str
    key: DeviceKey
    auth: DPoPAuth
    refresh_token: str


async def signed_in(
    client: httpx.AsyncClient, business: Business, role: str, *, agent: str = BROWSER
) -> SignedIn:
    """A member of staff of `role`, signed in with their password from a browser saying
    `agent`: a real session, as the backoffice starts it."""
    member = await add_staff(client, business, role)
    key = DeviceKey.generate()
    response = await client.post(
        "/v1/auth/password",
        json={"business": str(business.tenant), "email": member.email, "password": PASSWORD},
        headers={"User-Agent": agent},
        auth=signer(key),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "signed_in", body
    return SignedIn(
        member.id,
        body["session_id"],
        key,
        DPoPAuth(key, body["access_token"], public_url=PUBLIC_URL),
        body["refresh_token"],
    )


async def refresh(client: httpx.AsyncClient, session: SignedIn) -> httpx.Response:
    return await client.post(
        "/v1/auth/token",
        json={"grant_type": "refresh_token", "refresh_token": session.refresh_token},
        auth=signer(session.key),
    )


@pytest.fixture
async def business(provision: Provision, token: TokenFactory) -> Business:
    tenant = await provision()
    return Business(tenant, token(tenant, Role.OWNER), token(tenant, Role.MANAGER))


async def listed(client: httpx.AsyncClient, auth: httpx.Auth, **query: Any) -> dict[str, Any]:
    response = await client.get("/v1/admin/security/sessions", params=query, auth=auth)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_an_owner_sees_who_is_signed_in_from_what_and_pages_through(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    owner = await signed_in(identity_client, business, "owner")
    manager = await signed_in(identity_client, business, "manager", agent="Firefox on a tablet")

    first = await listed(identity_client, owner.auth, limit=1)
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = await listed(identity_client, owner.auth, limit=1, cursor=first["next_cursor"])
    assert second["next_cursor"] is None
    sessions = {each["id"]: each for each in first["items"] + second["items"]}

    # Newest first: the manager signed in last.
    assert list(sessions) == [manager.session_id, owner.session_id]
    mine, theirs = sessions[owner.session_id], sessions[manager.session_id]
    assert mine["current"] is True and theirs["current"] is False
    assert (theirs["staff_id"], theirs["role"], theirs["kind"]) == (
        manager.staff_id,
        "manager",
        "backoffice",
    )
    assert theirs["client"] == "Firefox on a tablet"
    assert mine["client"] == BROWSER
    assert theirs["staff_email"].startswith("manager.")
    assert theirs["device_id"] is None and theirs["revoked_at"] is None
    assert theirs["started_at"] <= theirs["last_refreshed_at"] < theirs["expires_at"]

    # A refresh moves `last_refreshed_at` on.
    refreshed = await refresh(identity_client, manager)
    assert refreshed.status_code == 200, refreshed.text
    again = {each["id"]: each for each in (await listed(identity_client, owner.auth))["items"]}
    assert again[manager.session_id]["last_refreshed_at"] > theirs["last_refreshed_at"]


async def test_revoking_a_session_refuses_its_refresh_at_once_and_is_audited_once(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    owner = await signed_in(identity_client, business, "owner")
    accountant = await signed_in(identity_client, business, "accountant")

    response = await identity_client.post(
        f"/v1/admin/security/sessions/{accountant.session_id}/revoke", auth=owner.auth
    )

    assert response.status_code == 200, response.text
    assert response.json()["id"] == accountant.session_id
    assert response.json()["revoked_at"] is not None
    refused = await refresh(identity_client, accountant)
    assert refused.status_code == 401, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    listed_ids = [each["id"] for each in (await listed(identity_client, owner.auth))["items"]]
    assert listed_ids == [owner.session_id]
    # Its access token was issued before: it stays valid until it expires (docs/sessions.md).
    still = await identity_client.get("/v1/staff", auth=accountant.auth)
    assert still.status_code in (200, 403)  # not 401: the token itself is still good
    again = await identity_client.post(
        f"/v1/admin/security/sessions/{accountant.session_id}/revoke", auth=owner.auth
    )
    assert again.status_code == 200, again.text
    assert again.json()["revoked_at"] == response.json()["revoked_at"]

    events = await audit_events(connect_as, business.tenant, "session.revoked")
    assert len(events) == 1
    event = events[0]
    assert (event["actor_type"], event["actor_id"]) == ("owner", owner.staff_id)
    assert event["resource_id"] == accountant.session_id
    assert event["payload"]["reason"] == "revoked-by-owner"
    assert event["payload"]["staff_id"] == accountant.staff_id


async def test_another_business_s_session_is_not_found_nor_listed(
    business: Business,
    identity_client: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
) -> None:
    owner = await signed_in(identity_client, business, "owner")
    other_tenant = await provision()
    other = Business(
        other_tenant, token(other_tenant, Role.OWNER), token(other_tenant, Role.MANAGER)
    )
    stranger = await signed_in(identity_client, other, "manager")

    ids = [each["id"] for each in (await listed(identity_client, owner.auth))["items"]]
    assert stranger.session_id not in ids
    for session_id in (stranger.session_id, str(uuid.uuid4())):
        response = await identity_client.post(
            f"/v1/admin/security/sessions/{session_id}/revoke", auth=owner.auth
        )
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "session-not-found"
    # Nothing happened to it: its refresh still works.
    assert (await refresh(identity_client, stranger)).status_code == 200


async def test_a_manager_may_neither_list_nor_revoke_sessions(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    owner = await signed_in(identity_client, business, "owner")
    manager = await signed_in(identity_client, business, "manager")
    for auth in (manager.auth, business.manager):
        listing = await identity_client.get("/v1/admin/security/sessions", auth=auth)
        assert listing.status_code == 403, listing.text
        assert listing.json()["code"] == "permission-denied"
        revoking = await identity_client.post(
            f"/v1/admin/security/sessions/{owner.session_id}/revoke", auth=auth
        )
        assert revoking.status_code == 403, revoking.text
    assert (await refresh(identity_client, owner)).status_code == 200


async def test_a_bad_cursor_is_a_problem(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    response = await identity_client.get(
        "/v1/admin/security/sessions", params={"cursor": "nonsense"}, auth=business.owner
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-cursor"
