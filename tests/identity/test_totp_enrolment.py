"""Setting up an authenticator takes more than the password (issue 21, finding 10): an owner
whose business requires TOTP and who has none needs an enrolment code that another owner (or
an operator) issued; the same code replaces a lost authenticator."""

from __future__ import annotations

import time
import uuid

import httpx
import pyotp
import pytest

from clients.dpop import DeviceKey
from libs.rbac import Role
from tests.support.backoffice import (
    Business,
    Member,
    add_staff,
    audit_events,
    issue_enrolment_code,
    require_owner_totp,
    second_factor,
    sign_in,
    signer,
    wrong_code,
)
from tests.support.cli import run_cli
from tests.support.database import Connect, Provision, as_identity
from tests.support.tokens import TokenFactory

pytestmark = pytest.mark.usefixtures("fresh_sign_in_budget")


@pytest.fixture
async def business(
    provision: Provision, token: TokenFactory, identity_client: httpx.AsyncClient
) -> Business:
    tenant = await provision()
    return Business(tenant, token(tenant, Role.OWNER), token(tenant, Role.MANAGER))


async def enrol_with(
    client: httpx.AsyncClient, business: Business, member: Member, code: str
) -> tuple[str, httpx.Response]:
    """Password + enrolment code, then the enrolment steps: (the new secret, the answer)."""
    key = DeviceKey.generate()
    started = await sign_in(client, key, business.tenant, member.email, enrolment_code=code)
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "totp_enrolment_required"
    challenge = started.json()["challenge"]
    enrolment = await client.post(
        "/v1/auth/totp/enrolment", json={"challenge": challenge}, auth=signer(key)
    )
    assert enrolment.status_code == 200, enrolment.text
    secret: str = enrolment.json()["secret"]
    confirmed = await client.post(
        "/v1/auth/totp/enrolment/confirm",
        json={"challenge": challenge, "code": pyotp.TOTP(secret).now()},
        auth=signer(key),
    )
    return secret, confirmed


async def test_an_owner_who_must_have_totp_cannot_enrol_with_the_password_alone(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    owner = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    key = DeviceKey.generate()

    for extra in ({}, {"enrol_totp": True}):
        refused = await sign_in(identity_client, key, business.tenant, owner.email, **extra)
        assert refused.status_code == 403, refused.text
        body = refused.json()
        assert body["code"] == "totp-enrolment-code-required"
        assert "enrolment code" in body["detail"] and "another owner" in body["detail"]
        assert "challenge" not in body and "access_token" not in body

    challenges = await as_identity(
        connect_as,
        business.tenant,
        "SELECT id FROM identity.sign_in_challenges WHERE staff_id = $1",
        uuid.UUID(owner.id),
    )
    assert challenges == []
    refusals = await audit_events(connect_as, business.tenant, "sign_in.failed")
    assert [e["payload"]["reason"] for e in refusals] == ["totp-enrolment-code-required"] * 2


async def test_an_enrolment_code_from_another_owner_sets_up_the_authenticator_once(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    owner = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    code = await issue_enrolment_code(identity_client, business, owner)
    assert len(code) == 23 and code.count("-") == 3

    _, confirmed = await enrol_with(identity_client, business, owner, code)

    assert confirmed.status_code == 200, confirmed.text
    assert len(confirmed.json()["recovery_codes"]) == 10
    assert confirmed.json()["session"]["staff_id"] == owner.id
    # Signing in from now on asks for the authenticator's code.
    key = DeviceKey.generate()
    again = await sign_in(identity_client, key, business.tenant, owner.email)
    assert again.json()["status"] == "totp_required"
    # The code worked once.
    reused = await sign_in(
        identity_client, key, business.tenant, owner.email, enrolment_code=code.lower()
    )
    assert (reused.status_code, reused.json()["code"]) == (401, "invalid-enrolment-code")

    events = await audit_events(connect_as, business.tenant)
    [issued] = [e for e in events if e["action"] == "staff.totp_enrolment_code_issued"]
    assert (issued["actor_type"], issued["resource_id"]) == ("owner", owner.id)
    assert code not in str(events) and code.replace("-", "") not in str(events)
    [enrolled] = [e for e in events if e["action"] == "staff.totp_enrolled"]
    assert enrolled["payload"]["enrolment_code_id"] == issued["payload"]["enrolment_code_id"]
    [stored] = await as_identity(
        connect_as,
        business.tenant,
        "SELECT code_hash, used_at FROM identity.totp_enrolment_codes WHERE staff_id = $1",
        uuid.UUID(owner.id),
    )
    assert stored["used_at"] is not None and code.encode() not in stored["code_hash"]


async def test_a_code_works_only_for_its_staff_member_and_only_while_it_lives(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    owner = await add_staff(identity_client, business, "owner")
    other = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    theirs = await issue_enrolment_code(identity_client, business, other)
    key = DeviceKey.generate()

    foreign = await sign_in(
        identity_client, key, business.tenant, owner.email, enrolment_code=theirs
    )
    assert (foreign.status_code, foreign.json()["code"]) == (401, "invalid-enrolment-code")

    first = await issue_enrolment_code(identity_client, business, owner)
    second = await issue_enrolment_code(identity_client, business, owner)
    revoked = await sign_in(
        identity_client, key, business.tenant, owner.email, enrolment_code=first
    )
    assert revoked.json()["code"] == "invalid-enrolment-code"
    await as_identity(
        connect_as,
        business.tenant,
        "UPDATE identity.totp_enrolment_codes SET expires_at = now() - interval '1 second' "
        "WHERE staff_id = $1",
        uuid.UUID(owner.id),
    )
    expired = await sign_in(
        identity_client, key, business.tenant, owner.email, enrolment_code=second
    )
    assert expired.json()["code"] == "invalid-enrolment-code"
    # Each wrong code counted towards the owner's second-factor lockout.
    [lockout] = await as_identity(
        connect_as,
        business.tenant,
        "SELECT failures FROM identity.lockouts WHERE subject_type = 'second_factor' "
        "AND subject_id = $1",
        uuid.UUID(owner.id),
    )
    assert lockout["failures"] == 3
    # Without the password, a live code is worth nothing: the answer is the wrong-password one.
    fresh = await issue_enrolment_code(identity_client, business, owner)
    no_password = await sign_in(
        identity_client, key, business.tenant, owner.email, "not it", enrolment_code=fresh
    )
    assert (no_password.status_code, no_password.json()["code"]) == (401, "sign-in-failed")


async def test_an_enrolment_code_replaces_a_lost_authenticator(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    owner = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    old_secret, confirmed = await enrol_with(
        identity_client,
        business,
        owner,
        await issue_enrolment_code(identity_client, business, owner),
    )
    assert confirmed.status_code == 200, confirmed.text

    new_secret, replaced = await enrol_with(
        identity_client,
        business,
        owner,
        await issue_enrolment_code(identity_client, business, owner),
    )

    assert replaced.status_code == 200, replaced.text
    key = DeviceKey.generate()
    started = await sign_in(identity_client, key, business.tenant, owner.email)
    challenge = started.json()["challenge"]
    assert new_secret != old_secret
    old_code = pyotp.TOTP(old_secret).now()
    if old_code in {pyotp.TOTP(new_secret).at(time.time() + s) for s in (-30, 0, 30)}:
        old_code = wrong_code(new_secret)  # one chance in ~300,000: the codes coincide
    old = await second_factor(identity_client, key, challenge, code=old_code)
    assert old.json()["code"] == "invalid-totp-code"
    new = await second_factor(
        identity_client, key, challenge, code=pyotp.TOTP(new_secret).at(time.time() + 30)
    )
    assert new.status_code == 200, new.text


async def test_only_owners_issue_enrolment_codes_for_active_staff(
    business: Business, identity_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    url = "/v1/admin/security/totp-enrolment-codes"
    for role in (Role.MANAGER, Role.CASHIER, Role.ACCOUNTANT):
        refused = await identity_client.post(
            url, json={"staff_id": manager.id}, auth=token(business.tenant, role)
        )
        assert refused.status_code == 403
    unknown = await identity_client.post(
        url, json={"staff_id": str(uuid.uuid4())}, auth=business.owner
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "staff-not-found")


@pytest.mark.usefixtures("cli_environment")
async def test_an_operator_issues_the_code_when_no_owner_can(
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`halopos staff totp-enrolment-code`, as an operator runs it."""
    owner = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    status, issued = await run_cli(
        capsys,
        "staff",
        "totp-enrolment-code",
        "--tenant",
        str(business.tenant),
        "--staff",
        owner.id,
    )
    assert status == 0, issued
    code = issued["enrolment_code"]
    assert isinstance(code, str)
    _, confirmed = await enrol_with(identity_client, business, owner, code)
    assert confirmed.status_code == 200, confirmed.text
    [event] = await audit_events(connect_as, business.tenant, "staff.totp_enrolment_code_issued")
    assert (event["actor_type"], event["actor_id"]) == ("operator", "halopos-cli")
    status, error = await run_cli(
        capsys,
        "staff",
        "totp-enrolment-code",
        "--tenant",
        str(business.tenant),
        "--staff",
        str(uuid.uuid4()),
    )
    assert status == 2
    assert "no active staff member" in str(error["error"])
