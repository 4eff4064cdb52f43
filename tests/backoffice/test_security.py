"""Sign-in enrolment and /admin/security in a real browser (Debian's chromium, driven by
Playwright), against the whole platform on real sockets (tests/backoffice/conftest.py).

The browser side is web/backoffice/e2e/security.e2e.mjs. This test sets the people up (a new
owner with no authenticator app in a business that requires one, and the enrolment code
another owner gave them; a colleague; an accountant signed in elsewhere), runs the script, and
then holds what the page showed and did to the API: the QR code is the enrolment's secret, a
recovery code works once, the Bridge secrets shown on the page work as a Bridge uses them (and
stop when they should), the override limit and the sign-in rule are the API's, the
accountant's session cannot refresh, and the manager's browser was refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import Business, Colleague, add_colleague
from tests.fuzz.stack import FuzzStack
from tests.support.http import ok_json

ACCOUNTANT_BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/133.0"


async def _call(
    stack: FuzzStack, method: str, path: str, *, auth: httpx.Auth | None = None, **kwargs: Any
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        return await client.request(method, path, auth=auth, **kwargs)


def _signer(public_url: str) -> DPoPAuth:
    return DPoPAuth(DeviceKey.generate(), public_url=public_url)


async def _password(
    stack: FuzzStack,
    business: Business,
    person: Colleague,
    signer: DPoPAuth,
    **extra: Any,
) -> httpx.Response:
    body = {
        "business": str(business.tenant),
        "email": person.email,
        "password": person.password,
        **extra,
    }
    return await _call(stack, "POST", "/v1/auth/password", json=body, auth=signer)


def _owner_totp_required(stack: FuzzStack, business: Business, required: bool) -> None:
    ok_json(
        stack.run(
            _call(
                stack,
                "PATCH",
                "/v1/admin/security/settings",
                json={"owner_totp_required": required},
                auth=business.owner,
            )
        )
    )


@pytest.fixture(scope="module")
def people(stack: tuple[FuzzStack, str], business: Business) -> Iterator[dict[str, Any]]:
    """The new owner (and the enrolment code they were given), another owner, and an
    accountant signed in from a browser of their own. The business requires authenticator
    apps for owners while this module runs (the browser turns it off; so does the end of the
    module, whatever happened, since the other modules' owners enrol with the password)."""
    platform, public_url = stack
    owner = platform.run(add_colleague(platform, business, "owner", authenticator=False))
    colleague = platform.run(add_colleague(platform, business, "owner", authenticator=False))
    accountant = platform.run(add_colleague(platform, business, "accountant", authenticator=False))
    _owner_totp_required(platform, business, True)
    try:
        code = ok_json(
            platform.run(
                _call(
                    platform,
                    "POST",
                    "/v1/admin/security/totp-enrolment-codes",
                    json={"staff_id": owner.id},
                    auth=business.owner,
                )
            ),
            201,
        )["enrolment_code"]
        signer = _signer(public_url)
        signed_in = ok_json(
            platform.run(
                _call(
                    platform,
                    "POST",
                    "/v1/auth/password",
                    json={
                        "business": str(business.tenant),
                        "email": accountant.email,
                        "password": accountant.password,
                    },
                    headers={"User-Agent": ACCOUNTANT_BROWSER},
                    auth=signer,
                )
            )
        )
        assert signed_in["status"] == "signed_in", signed_in
        yield {
            "owner": owner,
            "enrolment_code": code,
            "colleague": colleague,
            "accountant": accountant,
            "accountant_session": signed_in,
            "accountant_signer": signer,
        }
    finally:
        _owner_totp_required(platform, business, False)


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    business: Business,
    people: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    _, public_url = stack
    owner: Colleague = people["owner"]
    config = {
        "base": public_url,
        "business": str(business.tenant),
        "owner": {
            "email": owner.email,
            "password": owner.password,
            "enrolment_code": people["enrolment_code"],
        },
        "colleague": {"id": people["colleague"].id},
        "accountant": {"session_id": people["accountant_session"]["session_id"]},
        "manager": vars(business.manager),
    }
    return run_browser("security.e2e.mjs", tmp_path_factory.mktemp("backoffice-security"), config)


def test_a_new_owner_enrols_from_the_qr_code_and_lands_signed_in(
    browser_run: dict[str, Any],
) -> None:
    owner = browser_run["owner"]
    # Without the enrolment code the password alone was refused, with a way forward.
    assert "enrolment code" in owner["refused_without_code"].lower()
    # The QR code read off the page's pixels is an authenticator's URI holding the secret the
    # page offers to type by hand; the code computed from it was accepted.
    uri = urlsplit(owner["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert parse_qs(uri.query)["secret"] == [owner["typed_secret"]]
    assert owner["role"] == "owner"
    assert "Security" in owner["menu"]


def test_the_recovery_codes_are_shown_once_and_each_works_once(
    stack: tuple[FuzzStack, str],
    business: Business,
    people: dict[str, Any],
    browser_run: dict[str, Any],
) -> None:
    platform, public_url = stack
    owner = browser_run["owner"]
    codes = owner["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "they will not be shown again" in owner["recovery_warning"]
    assert owner["continue_disabled_before_saving"] is True
    assert owner["codes_still_on_page"] == []  # gone once the owner went on

    async def sign_in_with(recovery_code: str) -> httpx.Response:
        signer = _signer(public_url)
        started = ok_json(await _password(platform, business, people["owner"], signer))
        # The authenticator is set up: the password step now asks for a code.
        assert started["status"] == "totp_required", started
        return await _call(
            platform,
            "POST",
            "/v1/auth/totp",
            json={"challenge": started["challenge"], "recovery_code": recovery_code},
            auth=signer,
        )

    first = platform.run(sign_in_with(codes[0]))
    assert first.status_code == 200, first.text
    assert first.json()["staff_id"] == people["owner"].id
    again = platform.run(sign_in_with(codes[0]))
    assert again.status_code == 401, again.text
    assert again.json()["code"] == "invalid-recovery-code"


async def _poll(stack: FuzzStack, secret: str) -> httpx.Response:
    """What a Bridge does with its token: ask for the venue's print jobs."""
    return await _call(
        stack,
        "GET",
        "/v1/print-jobs",
        params={"wait": 0},
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_the_bridge_secrets_on_the_page_work_as_a_bridge_uses_them(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    bridge = browser_run["bridge"]
    kept, retired, rotated = bridge["kept"], bridge["retired"], bridge["rotated"]
    assert rotated["id"] == kept["id"]
    assert kept["secret"].startswith("hpb_") and rotated["secret"] != kept["secret"]
    assert kept["venue"] == str(business.location_id)
    # Rotated with an hour's grace: the old secret still works, and so does the new one.
    assert platform.run(_poll(platform, kept["secret"])).status_code == 200
    assert platform.run(_poll(platform, rotated["secret"])).status_code == 200
    # Revoked: refused.
    refused = platform.run(_poll(platform, retired["secret"]))
    assert refused.status_code == 401, refused.text

    answer = ok_json(
        platform.run(
            _call(
                platform,
                "GET",
                f"/v1/admin/security/bridge-tokens/{kept['id']}",
                auth=business.owner,
            )
        )
    )
    assert answer["rotated_at"] is not None and answer["revoked_at"] is None
    assert answer["hint"] == rotated["secret"][-4:]
    # The page says until when the old secret works: an hour after the rotation.
    rotated_at = datetime.fromisoformat(answer["rotated_at"])
    assert "keeps working until" in rotated["previous_until"]
    until = rotated_at + timedelta(hours=1)
    assert until - datetime.now(until.tzinfo) > timedelta(minutes=50)
    listed = {row["id"]: row["status"] for row in bridge["rows"]}
    assert listed[kept["id"]] == "active" and listed[retired["id"]] == "revoked"
    gone = ok_json(
        platform.run(
            _call(
                platform,
                "GET",
                f"/v1/admin/security/bridge-tokens/{retired['id']}",
                auth=business.owner,
            )
        )
    )
    assert gone["revoked_at"] is not None


def test_the_override_limit_changed_on_the_page_is_the_apis(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    limits = ok_json(
        platform.run(_call(platform, "GET", "/v1/settings/override-limits", auth=business.owner))
    )
    assert limits["void_limit_minor"] == 2550 == browser_run["limits"]["void_limit_minor"]
    assert browser_run["limits"]["shown"] == "A$25.50"  # in the business's currency, AUD


def test_the_enrolment_code_given_on_the_page_sets_up_the_colleagues_app(
    stack: tuple[FuzzStack, str],
    business: Business,
    people: dict[str, Any],
    browser_run: dict[str, Any],
) -> None:
    platform, public_url = stack
    issued = browser_run["enrolment_code"]
    assert issued["staff_id"] == people["colleague"].id
    started = ok_json(
        platform.run(
            _password(
                platform,
                business,
                people["colleague"],
                _signer(public_url),
                enrolment_code=issued["code"],
            )
        )
    )
    assert started["status"] == "totp_enrolment_required"


def test_owners_no_longer_need_an_authenticator_after_the_page_said_so(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    assert browser_run["owner_totp_required_shown"] is False
    settings = ok_json(
        platform.run(_call(platform, "GET", "/v1/admin/security/settings", auth=business.owner))
    )
    assert settings == {"owner_totp_required": False}


def test_the_sessions_list_is_the_apis_and_the_ended_session_cannot_refresh(
    stack: tuple[FuzzStack, str],
    business: Business,
    people: dict[str, Any],
    browser_run: dict[str, Any],
) -> None:
    platform, _ = stack
    accountant = people["accountant_session"]
    shown = {row["id"]: row for row in browser_run["sessions"]}
    assert shown[accountant["session_id"]]["staff_id"] == people["accountant"].id
    assert shown[accountant["session_id"]]["from"] == "Firefox on Windows"
    # The owner's own browser session is among them too.
    assert any(row["staff_id"] == people["owner"].id for row in shown.values())

    refreshed = platform.run(
        _call(
            platform,
            "POST",
            "/v1/auth/token",
            json={"grant_type": "refresh_token", "refresh_token": accountant["refresh_token"]},
            auth=people["accountant_signer"],
        )
    )
    assert refreshed.status_code == 401, refreshed.text
    live = ok_json(
        platform.run(_call(platform, "GET", "/v1/admin/security/sessions", auth=business.owner))
    )
    assert accountant["session_id"] not in {each["id"] for each in live["items"]}


def test_the_manager_has_no_security_page_and_its_api_refuses_them(
    browser_run: dict[str, Any],
) -> None:
    manager = browser_run["manager"]
    assert "Security" not in manager["menu"]
    answers = {(each["method"], each["path"]): each["status"] for each in manager["answers"]}
    assert answers == {
        ("GET", "/v1/admin/security/bridge-tokens"): 403,
        ("GET", "/v1/admin/security/settings"): 403,
        ("GET", "/v1/admin/security/sessions"): 403,
        ("POST", "/v1/admin/security/totp-enrolment-codes"): 403,
        # Reading the limits is the till's right; changing them is the owner's.
        ("GET", "/v1/settings/override-limits"): 200,
        ("PATCH", "/v1/settings/override-limits"): 403,
    }
    problem = manager["problem"]
    assert (problem["code"], problem["status"]) == ("permission-denied", "403")
    assert problem["request_id"]


def test_no_state_has_a_serious_accessibility_violation(browser_run: dict[str, Any]) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 10
    for page in checked:
        assert page["violations"] == [], page


def test_the_pages_broke_no_rule_of_the_policy_and_logged_no_error(
    browser_run: dict[str, Any],
) -> None:
    # Refused answers are logged by the browser as failed loads: the manager's 403s (and the
    # venues, read from a report the manager may not read), and the new owner's one refusal
    # before the enrolment code was typed.
    unexpected = unexpected_console_errors(browser_run, {"manager": "status of 403"})
    owner = [message for message in unexpected if message.startswith("owner: ")]
    assert len(owner) == 1 and "status of 403" in owner[0], owner
    assert [message for message in unexpected if message not in owner] == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0


def test_an_unknown_session_is_not_found(stack: tuple[FuzzStack, str], business: Business) -> None:
    platform, _ = stack
    response = platform.run(
        _call(
            platform,
            "POST",
            f"/v1/admin/security/sessions/{uuid.uuid4()}/revoke",
            auth=business.owner,
        )
    )
    assert response.status_code == 404
    assert response.json()["code"] == "session-not-found"
