"""Backoffice sign-in against a real Postgres: e-mail and password in a named business, TOTP
as the second factor (enrolment, codes used once, recovery codes), lockouts, challenges bound
to the key that started them, and the business's security settings."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pyotp
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.api.card_guard import contains_card_number
from libs.rbac import Role
from services.identity.backoffice import service as backoffice_service
from services.identity.sessions.budget import SignInBudget
from services.identity.sessions.lockout import account_id
from tests.support.backoffice import (
    PASSWORD,
    Business,
    Member,
    add_staff,
    audit_events,
    code_at,
    issue_enrolment_code,
    require_owner_totp,
    second_factor,
    sign_in,
    signer,
    wrong_code,
)
from tests.support.database import Connect, Provision, as_identity
from tests.support.tokens import PUBLIC_URL, TokenFactory


@pytest.fixture(autouse=True)
async def _fresh_budget(identity_client: httpx.AsyncClient) -> AsyncIterator[None]:
    """Each test starts with an unspent sign-in budget (sessions/budget.py): the identity app
    is shared by the whole run, and all its requests come from one test address."""
    app = identity_client._transport.app  # type: ignore[attr-defined]
    before = getattr(app.state, "sign_in_budget", None)
    app.state.sign_in_budget = SignInBudget.from_environment()
    yield
    app.state.sign_in_budget = before


@dataclass
class Enrolled:
    business: Business
    member: Member
    secret: str
    recovery_codes: list[str]
    confirm_code: str


def unknown_business() -> uuid.UUID:
    """A business id nobody provisioned. (About one random id in a thousand holds a
    Luhn-valid run of digits that the card guard refuses before sign-in sees it.)"""
    while contains_card_number(str(candidate := uuid.uuid4())) or contains_card_number(
        candidate.hex
    ):
        pass
    return candidate


@pytest.fixture
async def business(
    provision: Provision, token: TokenFactory, identity_client: httpx.AsyncClient
) -> Business:
    tenant = await provision()
    return Business(tenant, token(tenant, Role.OWNER), token(tenant, Role.MANAGER))


@pytest.fixture
async def enrolled(business: Business, identity_client: httpx.AsyncClient) -> Enrolled:
    """An owner who set up TOTP at sign-in, with an enrolment code another owner issued,
    because the business requires it."""
    owner = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    code = await issue_enrolment_code(identity_client, business, owner)
    key = DeviceKey.generate()
    started = await sign_in(identity_client, key, business.tenant, owner.email, enrolment_code=code)
    assert started.status_code == 200, started.text
    assert started.json()["status"] == "totp_enrolment_required"
    challenge = started.json()["challenge"]
    enrolment = await identity_client.post(
        "/v1/auth/totp/enrolment", json={"challenge": challenge}, auth=signer(key)
    )
    assert enrolment.status_code == 200, enrolment.text
    secret = enrolment.json()["secret"]
    code = pyotp.TOTP(secret).now()
    confirmed = await identity_client.post(
        "/v1/auth/totp/enrolment/confirm",
        json={"challenge": challenge, "code": code},
        auth=signer(key),
    )
    assert confirmed.status_code == 200, confirmed.text
    return Enrolled(business, owner, secret, confirmed.json()["recovery_codes"], code)


async def totp_challenge(client: httpx.AsyncClient, enrolled: Enrolled, key: DeviceKey) -> str:
    response = await sign_in(client, key, enrolled.business.tenant, enrolled.member.email)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "totp_required"
    assert body["challenge"].startswith("hpc_")
    assert body["expires_in"] == 300
    assert "access_token" not in body
    challenge: str = body["challenge"]
    return challenge


# Password sign-in


async def test_a_password_sign_in_gives_a_session_bound_to_the_signing_key(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    key = DeviceKey.generate()

    response = await sign_in(identity_client, key, business.tenant, manager.email.upper())

    assert response.status_code == 200, response.text
    session = response.json()
    assert session["status"] == "signed_in"
    assert session["token_type"] == "DPoP"
    assert (session["staff_id"], session["role"]) == (manager.id, "manager")
    assert session["device_id"] is None and session["location_id"] is None
    access_token = session["access_token"]
    listed = await identity_client.get(
        "/v1/staff", auth=DPoPAuth(key, access_token, public_url=PUBLIC_URL)
    )
    assert listed.status_code == 200, listed.text
    stolen = await identity_client.get(
        "/v1/staff", auth=DPoPAuth(DeviceKey.generate(), access_token, public_url=PUBLIC_URL)
    )
    assert stolen.status_code == 401

    [stored] = await as_identity(
        connect_as,
        business.tenant,
        "SELECT kind, key_thumbprint, device_id FROM identity.sessions WHERE id = $1",
        uuid.UUID(session["session_id"]),
    )
    assert (stored["kind"], stored["key_thumbprint"], stored["device_id"]) == (
        "backoffice",
        key.thumbprint(),
        None,
    )
    [event] = await audit_events(connect_as, business.tenant, "sign_in.succeeded")
    assert (event["actor_type"], event["actor_id"], event["resource_id"]) == (
        "manager",
        manager.id,
        manager.id,
    )
    assert event["payload"] == {
        "method": "password",
        "session_id": session["session_id"],
        "key_thumbprint": key.thumbprint(),
    }


async def test_every_failure_gets_the_same_answer_and_costs_one_password_check(
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = await add_staff(identity_client, business, "cashier")
    no_password = await add_staff(identity_client, business, "accountant", password=None)
    leaver = await add_staff(identity_client, business, "manager")
    deactivated = await identity_client.patch(
        f"/v1/staff/{leaver.id}", json={"version": 1, "active": False}, auth=business.owner
    )
    assert deactivated.status_code == 200
    checks: list[str | None] = []
    verify = backoffice_service.verify_secret

    async def counted(stored: str | None, secret: str) -> bool:
        checks.append(stored)
        return await verify(stored, secret)

    monkeypatch.setattr(backoffice_service, "verify_secret", counted)
    key = DeviceKey.generate()
    attempts = {
        "wrong password": (business.tenant, cashier.email, "not the password at all"),
        "unknown e-mail": (business.tenant, "nobody@harbourlane.example", PASSWORD),
        "unknown business": (unknown_business(), cashier.email, PASSWORD),
        "no password set": (business.tenant, no_password.email, PASSWORD),
        "deactivated, right password": (business.tenant, leaver.email, PASSWORD),
    }
    answers = {}
    for name, (tenant, email, password) in attempts.items():
        before = len(checks)
        response = await sign_in(identity_client, key, tenant, email, password)
        # A business that does not exist is a cheap, public check: refused before any
        # argon2 work. Inside a business, every cause costs exactly one verification.
        expected = 0 if name == "unknown business" else 1
        assert len(checks) == before + expected, f"{name}: {expected} argon2 verification"
        answers[name] = (
            response.status_code,
            response.headers["content-type"],
            response.headers.get("www-authenticate"),
            response.json(),
        )

    assert len(set(map(json.dumps, answers.values()))) == 1, answers
    status, content_type, _, body = answers["wrong password"]
    assert status == 401
    assert content_type == "application/problem+json"
    assert body["code"] == "sign-in-failed"
    assert set(body) == {"type", "title", "status", "code", "detail"}
    assert not {"wrong-password", "no-password", "inactive"} & set(json.dumps(body).split('"'))

    failures = [
        (e["resource_id"], e["payload"]["reason"], e["actor_type"], e["actor_id"])
        for e in await audit_events(connect_as, business.tenant)
        if e["action"] == "sign_in.failed"
    ]
    anonymous = ("anonymous", f"jkt:{key.thumbprint()}")
    assert failures == [
        (cashier.id, "wrong-password", *anonymous),
        (no_password.id, "no-password", *anonymous),
        (leaver.id, "inactive", *anonymous),
    ]


async def test_a_bad_proof_gets_the_same_answer_whether_the_business_exists_or_not(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    answers = []
    for tenant in (business.tenant, unknown_business()):
        body = {"business": str(tenant), "email": manager.email, "password": PASSWORD}
        response = await identity_client.post("/v1/auth/password", json=body)
        answers.append((response.status_code, response.json()))
    assert answers[0] == answers[1]
    assert answers[0][1]["code"] == "invalid-dpop-proof"

    # A proof is single-use: the same one again is refused, even with the right password.
    key = DeviceKey.generate()
    headers = {"DPoP": key.proof("POST", f"{PUBLIC_URL}/v1/auth/password")}
    body = {"business": str(business.tenant), "email": manager.email, "password": PASSWORD}
    first = await identity_client.post("/v1/auth/password", json=body, headers=headers)
    assert first.status_code == 200, first.text
    replayed = await identity_client.post("/v1/auth/password", json=body, headers=headers)
    assert (replayed.status_code, replayed.json()["code"]) == (401, "invalid-dpop-proof")


async def test_five_failures_lock_the_staff_member_even_against_the_right_password(
    business: Business, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    key = DeviceKey.generate()
    for _ in range(5):
        failed = await sign_in(identity_client, key, business.tenant, manager.email, "guess " * 3)
        assert failed.json()["code"] == "sign-in-failed"

    locked = await sign_in(identity_client, key, business.tenant, manager.email)

    assert locked.status_code == 429, locked.text
    assert locked.json()["code"] == "sign-in-locked"
    assert 0 < int(locked.headers["retry-after"]) <= 31
    assert "access_token" not in locked.json()
    events = await audit_events(connect_as, business.tenant, "sign_in.failed")
    assert [e["payload"]["reason"] for e in events] == ["wrong-password"] * 5 + ["locked"]
    assert events[4]["payload"]["failures"] == 5 and events[4]["payload"]["locked_until"]

    # Once the lock has passed, the right password signs in and clears this address's count
    # (the account-wide count, with its much higher threshold, decays by time only).
    await as_identity(
        connect_as,
        business.tenant,
        "UPDATE identity.lockouts SET locked_until = now() - interval '1 second' "
        "WHERE subject_id = $1",
        account_id(manager.email),
    )
    signed_in = await sign_in(identity_client, key, business.tenant, manager.email)
    assert signed_in.status_code == 200, signed_in.text
    lockouts = await as_identity(
        connect_as,
        business.tenant,
        "SELECT subject_type, failures, coalesce(locked_until > now(), false) AS locked "
        "FROM identity.lockouts WHERE subject_id = $1 ORDER BY subject_type",
        account_id(manager.email),
    )
    assert [tuple(row) for row in lockouts] == [
        ("password", 0, False),
        ("password_account", 5, False),
    ]


async def test_parallel_password_guesses_cannot_outrun_the_lockout(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    key = DeviceKey.generate()
    answers = await asyncio.gather(
        *(
            sign_in(identity_client, key, business.tenant, manager.email, "guess " * 3)
            for _ in range(7)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [401] * 5 + [429] * 2


# TOTP


async def test_an_owner_is_routed_to_enrolment_and_gets_recovery_codes_once(
    enrolled: Enrolled, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    tenant, owner = enrolled.business.tenant, enrolled.member
    codes = enrolled.recovery_codes
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)

    [stored] = await as_identity(
        connect_as,
        tenant,
        "SELECT totp_secret, totp_enabled_at, totp_last_step FROM identity.staff WHERE id = $1",
        uuid.UUID(owner.id),
    )
    assert stored["totp_enabled_at"] is not None
    assert enrolled.secret.encode() not in stored["totp_secret"]
    current_step = pyotp.TOTP(enrolled.secret).timecode(time.time())
    assert stored["totp_last_step"] in {current_step - 1, current_step}
    hashes = await as_identity(
        connect_as,
        tenant,
        "SELECT code_hash FROM identity.recovery_codes WHERE staff_id = $1 AND used_at IS NULL "
        "AND revoked_at IS NULL",
        uuid.UUID(owner.id),
    )
    assert len(hashes) == 10
    assert not {code.encode() for code in codes} & {row["code_hash"] for row in hashes}
    [challenge] = await as_identity(
        connect_as,
        tenant,
        "SELECT used_at, pending_totp_secret FROM identity.sign_in_challenges "
        "WHERE staff_id = $1 AND purpose = 'totp_enrolment'",
        uuid.UUID(owner.id),
    )
    assert challenge["used_at"] is not None and challenge["pending_totp_secret"] is None

    events = await audit_events(connect_as, tenant)
    [enrolment] = [e for e in events if e["action"] == "staff.totp_enrolled"]
    assert (enrolment["actor_type"], enrolment["actor_id"]) == ("owner", owner.id)
    assert enrolment["payload"]["recovery_codes_issued"] == 10
    recorded = json.dumps(events)
    assert enrolled.secret not in recorded
    assert not any(code in recorded or code.replace("-", "") in recorded for code in codes)
    [succeeded] = [e for e in events if e["action"] == "sign_in.succeeded"]
    assert succeeded["payload"]["method"] == "password+totp"


async def test_the_enrolment_secret_is_offered_as_an_otpauth_uri(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    key = DeviceKey.generate()
    started = await sign_in(identity_client, key, business.tenant, manager.email, enrol_totp=True)
    assert started.json()["status"] == "totp_enrolment_required"
    challenge = started.json()["challenge"]

    early = await identity_client.post(
        "/v1/auth/totp/enrolment/confirm",
        json={"challenge": challenge, "code": "123456"},
        auth=signer(key),
    )
    assert (early.status_code, early.json()["code"]) == (409, "totp-enrolment-not-started")
    enrolment = await identity_client.post(
        "/v1/auth/totp/enrolment", json={"challenge": challenge}, auth=signer(key)
    )

    assert enrolment.status_code == 200, enrolment.text
    uri = urlsplit(enrolment.json()["otpauth_uri"])
    query = parse_qs(uri.query)
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert uri.path == f"/halopos:{manager.email.replace('@', '%40')}"
    assert query["secret"] == [enrolment.json()["secret"]]
    assert query["issuer"] == ["halopos"]
    assert len(enrolment.json()["secret"]) == 32
    # A TOTP challenge is not an enrolment challenge, nor the other way round.
    wrong_step = await second_factor(identity_client, key, challenge, code="123456")
    assert wrong_step.json()["code"] == "invalid-challenge"


async def test_a_signed_in_owner_needs_a_fresh_code_each_time(
    enrolled: Enrolled, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    tenant, owner = enrolled.business.tenant, enrolled.member
    key = DeviceKey.generate()
    challenge = await totp_challenge(identity_client, enrolled, key)

    reused = await second_factor(identity_client, key, challenge, code=enrolled.confirm_code)
    assert (reused.status_code, reused.json()["code"]) == (401, "invalid-totp-code")
    assert reused.json()["attempts_left"] == 4
    wrong = await second_factor(identity_client, key, challenge, code=wrong_code(enrolled.secret))
    assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid-totp-code")
    assert wrong.json()["attempts_left"] == 3
    [lockout] = await as_identity(
        connect_as,
        tenant,
        "SELECT failures FROM identity.lockouts WHERE subject_id = $1",
        uuid.UUID(owner.id),
    )
    assert lockout["failures"] == 2

    signed_in = await second_factor(
        identity_client, key, challenge, code=code_at(enrolled.secret, 30)
    )

    assert signed_in.status_code == 200, signed_in.text
    session = signed_in.json()
    assert (session["staff_id"], session["role"]) == (owner.id, "owner")
    listed = await identity_client.get(
        "/v1/staff", auth=DPoPAuth(key, session["access_token"], public_url=PUBLIC_URL)
    )
    assert listed.status_code == 200
    again = await second_factor(identity_client, key, challenge, code=code_at(enrolled.secret, 30))
    assert again.json()["code"] == "invalid-challenge"  # a challenge signs in once

    events = await audit_events(connect_as, tenant)
    failed = [e["payload"] for e in events if e["action"] == "sign_in.totp_failed"]
    assert [(f["method"], f["reason"]) for f in failed] == [
        ("totp", "reused-code"),
        ("totp", "wrong-code"),
    ]
    assert events[-1]["action"] == "sign_in.succeeded"
    assert events[-1]["payload"]["method"] == "password+totp"
    [lockout] = await as_identity(
        connect_as,
        tenant,
        "SELECT failures FROM identity.lockouts WHERE subject_id = $1",
        uuid.UUID(owner.id),
    )
    assert lockout["failures"] == 0


async def test_a_recovery_code_signs_in_once(
    enrolled: Enrolled, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    key = DeviceKey.generate()
    first, second = enrolled.recovery_codes[:2]
    # Typed by a person: lower case, no dash.
    typed = first.lower().replace("-", "")

    challenge = await totp_challenge(identity_client, enrolled, key)
    used = await second_factor(identity_client, key, challenge, recovery_code=typed)
    assert used.status_code == 200, used.text
    assert used.json()["staff_id"] == enrolled.member.id

    challenge = await totp_challenge(identity_client, enrolled, key)
    reused = await second_factor(identity_client, key, challenge, recovery_code=first)
    assert (reused.status_code, reused.json()["code"]) == (401, "invalid-recovery-code")
    other = await second_factor(identity_client, key, challenge, recovery_code=second)
    assert other.status_code == 200, other.text

    events = await audit_events(connect_as, enrolled.business.tenant)
    used_events = [e["payload"] for e in events if e["action"] == "sign_in.recovery_code_used"]
    assert [e["recovery_codes_left"] for e in used_events] == [9, 8]
    methods = [e["payload"]["method"] for e in events if e["action"] == "sign_in.succeeded"]
    assert methods[-2:] == ["password+recovery_code", "password+recovery_code"]
    assert [e["payload"]["reason"] for e in events if e["action"] == "sign_in.totp_failed"] == [
        "wrong-recovery-code"
    ]


async def test_both_factors_are_required_together(
    enrolled: Enrolled, identity_client: httpx.AsyncClient
) -> None:
    key = DeviceKey.generate()
    challenge = await totp_challenge(identity_client, enrolled, key)
    for factors in ({}, {"code": "123456", "recovery_code": enrolled.recovery_codes[0]}):
        response = await second_factor(identity_client, key, challenge, **factors)
        assert response.status_code == 422


async def test_a_challenge_works_only_with_the_key_that_started_it(
    enrolled: Enrolled, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    key = DeviceKey.generate()
    challenge = await totp_challenge(identity_client, enrolled, key)
    code = code_at(enrolled.secret, 30)

    copied = await second_factor(identity_client, DeviceKey.generate(), challenge, code=code)

    assert (copied.status_code, copied.json()["code"]) == (401, "invalid-challenge")
    # The copy spent it: the browser that started it must start again too.
    original = await second_factor(identity_client, key, challenge, code=code)
    assert (original.status_code, original.json()["code"]) == (401, "invalid-challenge")
    events = await audit_events(connect_as, enrolled.business.tenant)
    [refused] = [e for e in events if e["action"] == "sign_in.totp_failed"]
    assert refused["payload"]["reason"] == "foreign-key"
    assert refused["actor_type"] == "anonymous"
    assert refused["actor_id"] != f"jkt:{key.thumbprint()}"
    assert events[-1]["action"] != "sign_in.succeeded"


async def test_an_expired_challenge_is_refused(
    enrolled: Enrolled, identity_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    key = DeviceKey.generate()
    challenge = await totp_challenge(identity_client, enrolled, key)
    await as_identity(
        connect_as,
        enrolled.business.tenant,
        "UPDATE identity.sign_in_challenges SET expires_at = now() - interval '1 second' "
        "WHERE staff_id = $1 AND used_at IS NULL",
        uuid.UUID(enrolled.member.id),
    )

    late = await second_factor(identity_client, key, challenge, code=code_at(enrolled.secret, 30))

    assert (late.status_code, late.json()["code"]) == (401, "invalid-challenge")
    assert "expired" in late.json()["detail"]


async def test_a_challenge_allows_five_attempts(
    enrolled: Enrolled, identity_client: httpx.AsyncClient
) -> None:
    key = DeviceKey.generate()
    challenge = await totp_challenge(identity_client, enrolled, key)
    wrong = wrong_code(enrolled.secret)
    for attempts_left in (4, 3, 2, 1, 0):
        failed = await second_factor(identity_client, key, challenge, code=wrong)
        assert failed.json()["attempts_left"] == attempts_left

    right = await second_factor(identity_client, key, challenge, code=code_at(enrolled.secret, 30))

    assert (right.status_code, right.json()["code"]) == (401, "invalid-challenge")
    # The five failures count towards the staff member's lockout: the password step is locked.
    locked = await sign_in(identity_client, key, enrolled.business.tenant, enrolled.member.email)
    assert (locked.status_code, locked.json()["code"]) == (429, "sign-in-locked")


async def test_a_forged_or_foreign_challenge_is_refused(
    enrolled: Enrolled, identity_client: httpx.AsyncClient
) -> None:
    key = DeviceKey.generate()
    challenge = await totp_challenge(identity_client, enrolled, key)
    prefix, tenant_hex, secret = challenge.split("_", 2)
    forgeries = [
        "not a challenge",
        f"{prefix}_{tenant_hex}_{'A' * len(secret)}",
        f"{prefix}_{unknown_business().hex}_{secret}",  # a business that does not exist
    ]
    for forged in forgeries:
        response = await second_factor(
            identity_client, key, forged, code=code_at(enrolled.secret, 30)
        )
        assert (response.status_code, response.json()["code"]) == (401, "invalid-challenge")


# Security settings


async def test_only_owners_manage_security_settings_and_changes_are_audited(
    business: Business,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    url = "/v1/admin/security/settings"
    for role in (Role.MANAGER, Role.CASHIER, Role.ACCOUNTANT):
        auth = token(business.tenant, role)
        assert (await identity_client.get(url, auth=auth)).status_code == 403
        patched = await identity_client.patch(url, json={"owner_totp_required": True}, auth=auth)
        assert patched.status_code == 403

    assert (await identity_client.get(url, auth=business.owner)).json() == {
        "owner_totp_required": False
    }
    await require_owner_totp(identity_client, business)
    unchanged = await identity_client.patch(
        url, json={"owner_totp_required": True}, auth=business.owner
    )
    assert unchanged.status_code == 200
    assert (await identity_client.get(url, auth=business.owner)).json() == {
        "owner_totp_required": True
    }

    changes = await audit_events(connect_as, business.tenant, "tenant.security_settings_changed")
    assert len(changes) == 1
    assert (changes[0]["actor_type"], changes[0]["resource_id"]) == ("owner", str(business.tenant))
    assert changes[0]["payload"] == {"changes": {"owner_totp_required": [False, True]}}


async def test_requiring_totp_for_owners_leaves_other_roles_alone(
    business: Business, identity_client: httpx.AsyncClient
) -> None:
    manager = await add_staff(identity_client, business, "manager")
    owner = await add_staff(identity_client, business, "owner")
    await require_owner_totp(identity_client, business)
    key = DeviceKey.generate()

    as_manager = await sign_in(identity_client, key, business.tenant, manager.email)
    as_owner = await sign_in(identity_client, key, business.tenant, owner.email)

    assert as_manager.json()["status"] == "signed_in"
    # The owner's password alone neither signs in nor sets up an authenticator: that takes
    # an enrolment code (tests/identity/test_totp_enrolment.py).
    assert (as_owner.status_code, as_owner.json()["code"]) == (
        403,
        "totp-enrolment-code-required",
    )
    assert "access_token" not in as_owner.json() and "challenge" not in as_owner.json()


async def test_the_password_answer_is_a_documented_union(
    identity_client: httpx.AsyncClient,
) -> None:
    spec = (await identity_client.get("/openapi.json")).json()
    answer = spec["paths"]["/v1/auth/password"]["post"]["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "status"
    assert set(schema["discriminator"]["mapping"]) == {
        "signed_in",
        "totp_required",
        "totp_enrolment_required",
    }
