"""The backoffice's staff and devices pages in a real browser (web/backoffice/e2e/staff.e2e.mjs)
against the whole platform, with a till on the other side: the test answers the script's
questions while it runs, as the till and as the people who sign in.

An owner adds a cashier with a PIN and creates an activation code; the test reads the code
from the QR code's pixels (the script does, and hands it over), activates a till with it
through the API and signs the new cashier in there with the PIN. The owner resets the PIN
(the new one works, the old one not), changes a colleague's role, revokes the till (its
session is refused afterwards) and deactivates the colleague (their sign-in is refused). A
manager is offered only the roles a manager may give, and a role forced into the form is
refused by the API, with the refusal on the page. Every list on the page is the API's answer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import Device, DPoPAuth, Session, activate, pin_sign_in, refresh
from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import Business, add_colleague
from tests.fuzz.stack import FuzzStack

# The venue tests/backoffice/business.py sets up.
VENUE = "Harbour Lane"
PIN, NEW_PIN = "4821", "739104"
# More staff than one page of the list holds (pages/Staff.tsx shows 25), so it pages.
FILLERS = 26


@dataclass
class Till:
    """The till on the other side of the screen, as the test runs it."""

    key: DeviceKey = field(default_factory=DeviceKey.generate)
    device: Device | None = None
    session: Session | None = None
    seen: dict[str, Any] = field(default_factory=dict)


def _status(error: BaseException) -> int:
    assert isinstance(error, httpx.HTTPStatusError), error
    return error.response.status_code


async def _refused(call: Any) -> int:
    """The status a call that must fail was answered with."""
    try:
        await call
    except httpx.HTTPStatusError as error:
        return _status(error)
    return 200


async def _password_sign_in(gateway: str, public_url: str, business: Business, person: Any) -> Any:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        key = DeviceKey.generate()
        response = await client.post(
            "/v1/auth/password",
            json={
                "business": str(business.tenant),
                "email": person.email,
                "password": person.password,
            },
            auth=DPoPAuth(key, public_url=public_url),
        )
        return response, key


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], business: Business, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    platform, public_url = stack
    platform.run(_fill_staff(platform, business))
    owner = platform.run(add_colleague(platform, business, "owner"))
    leaver = platform.run(add_colleague(platform, business, "manager", authenticator=False))
    tag = uuid.uuid4().hex[:8]
    cashier = {
        "email": f"sam.{tag}@harbourlane.example",
        "display_name": f"Sam Cook {tag}",
        "pin": PIN,
        "new_pin": NEW_PIN,
    }
    till = Till()

    async def answer(name: str, question: dict[str, Any]) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            if name.startswith("list-"):
                answers = []
                for request in question["requests"]:
                    response = await client.get(request, auth=business.owner)
                    assert response.status_code == 200, response.text
                    answers.append(response.json())
                return {"answers": answers}
            if name == "till":
                link = urlsplit(question["scanned"])
                code = unquote(parse_qs(link.fragment)["activate"][0])
                till.seen["link"] = question["scanned"]
                till.device = await activate(client, code=code, key=till.key, public_url=public_url)
                till.session = await pin_sign_in(
                    client,
                    device=till.device,
                    key=till.key,
                    staff_id=question["cashier_id"],
                    pin=PIN,
                    public_url=public_url,
                )
                till.seen["cashier_id"] = question["cashier_id"]
                orders = await client.get("/v1/orders", auth=till.session.auth)
                return {
                    "device_id": till.device.device_id,
                    "location_id": till.device.location_id,
                    "code": code,
                    "signed_in": True,
                    "session_status": orders.status_code,
                }
            assert till.device is not None and till.session is not None
            if name == "pin-reset":
                till.session = await pin_sign_in(
                    client,
                    device=till.device,
                    key=till.key,
                    staff_id=till.seen["cashier_id"],
                    pin=NEW_PIN,
                    public_url=public_url,
                )
                old = await _refused(
                    pin_sign_in(
                        client,
                        device=till.device,
                        key=till.key,
                        staff_id=till.seen["cashier_id"],
                        pin=PIN,
                        public_url=public_url,
                    )
                )
                return {"new_pin": 200, "old_pin": old}
            if name == "revoked":
                refreshed = await _refused(refresh(client, till.session))
                again = await _refused(
                    pin_sign_in(
                        client,
                        device=till.device,
                        key=till.key,
                        staff_id=till.seen["cashier_id"],
                        pin=NEW_PIN,
                        public_url=public_url,
                    )
                )
                return {"refresh": refreshed, "pin_sign_in": again}
            if name == "deactivated":
                response, _ = await _password_sign_in(
                    platform.gateway, public_url, business, leaver
                )
                return {"sign_in": response.status_code, "code": response.json().get("code")}
        raise AssertionError(f"no answer for {name}")

    config = {
        "base": public_url,
        "business": str(business.tenant),
        "venue_name": VENUE,
        "owner": {**vars(owner)},
        "leaver": {**vars(leaver)},
        "manager": vars(business.manager),
        "cashier": cashier,
        "forced_email": f"forced.{tag}@harbourlane.example",
    }
    result = run_browser(
        "staff.e2e.mjs",
        tmp_path_factory.mktemp("backoffice-staff"),
        config,
        timeout_seconds=240,
        answer=lambda name, question: platform.run(answer(name, question)),
    )
    result["config"] = config
    return result


async def _fill_staff(platform: FuzzStack, business: Business) -> None:
    """Cashiers without a PIN yet, enough for the list to have a second page."""
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
        for number in range(FILLERS):
            response = await client.post(
                "/v1/staff",
                json={
                    "email": f"extra.{uuid.uuid4().hex[:8]}@harbourlane.example",
                    "display_name": f"Extra hand {number + 1}",
                    "role": "cashier",
                },
                auth=business.owner,
            )
            assert response.status_code == 201, response.text


def test_the_owner_sees_both_pages_and_may_give_every_role(browser_run: dict[str, Any]) -> None:
    owner = browser_run["owner"]
    assert {"Staff", "Devices"} <= set(owner["menu"])
    assert owner["roles_offered"] == ["Owner", "Manager", "Cashier", "Accountant"]
    assert owner["first_page_rows"] == 25


def test_the_cashier_added_in_the_browser_signs_in_at_the_till_the_code_activated(
    browser_run: dict[str, Any], business: Business
) -> None:
    owner, config = browser_run["owner"], browser_run["config"]
    created = owner["created"]
    assert created["email"] == config["cashier"]["email"]
    assert (created["role"], created["has_pin"], created["has_password"]) == (
        "cashier",
        True,
        False,
    )
    assert created["location_ids"] == [str(business.location_id)]

    code = owner["code"]
    # The QR code is a link to the till app carrying the code, read from the screen's pixels.
    assert code["scanned"] == (f"{config['base']}/pos/#activate={code['text']}"), code
    assert code["text"].startswith("hpa_")
    assert code["shown_expiry"] == code["expires_at"]
    till = owner["till"]
    assert till["code"] == code["text"]
    assert till["location_id"] == str(business.location_id)
    assert till["signed_in"] is True
    assert till["session_status"] == 200  # the cashier works at the till


def test_a_pin_reset_in_the_browser_changes_the_pin_at_the_till(
    browser_run: dict[str, Any],
) -> None:
    assert browser_run["owner"]["pin_reset"] == {"new_pin": 200, "old_pin": 401}


def test_the_revoked_till_and_the_deactivated_colleague_are_refused(
    browser_run: dict[str, Any],
) -> None:
    owner = browser_run["owner"]
    assert owner["revoked"] == {"refresh": 401, "pin_sign_in": 401}
    assert owner["deactivated"] == {"sign_in": 401, "code": "sign-in-failed"}


def test_the_lists_on_the_page_are_the_apis_answers(browser_run: dict[str, Any]) -> None:
    lists = browser_run["lists"]
    assert [each["what"] for each in lists] == ["staff", "devices", "devices", "staff"]
    for each in lists:
        # What the browser got is the API's answer to the same requests, asked at once ...
        assert each["answers"] == each["api"], each["what"]
        items = [item for answer in each["answers"] for item in answer["items"]]
        rows = each["rows"]
        # ... and the page shows every item of it, in its order, as it is.
        if each["what"] == "staff":
            assert len(items) > 25  # both pages
            assert [row["staffId"] for row in rows] == [item["id"] for item in items]
            for row, item in zip(rows, items, strict=True):
                assert row["role"] == item["role"]
                assert row["active"] == str(item["active"]).lower()
                expected = "all" if item["location_ids"] is None else " ".join(item["location_ids"])
                assert row["locations"] == expected
                assert row["cells"][0].startswith(item["display_name"])
                assert row["cells"][1] == item["email"]
                # The venues by name, from GET /v1/locations (the business has one).
                assert row["cells"][3] == ("Every venue" if item["location_ids"] is None else VENUE)
        else:
            assert [row["deviceId"] for row in rows] == [item["id"] for item in items]
            for row, item in zip(rows, items, strict=True):
                assert (row["status"], row["location"]) == (item["status"], item["location_id"])
                assert row["cells"][0] == item["name"]
                assert row["cells"][1] == VENUE
    config, owner = browser_run["config"], browser_run["owner"]
    revoked = {item["id"]: item for item in lists[2]["answers"][0]["items"]}
    assert revoked[owner["till"]["device_id"]]["status"] == "revoked"
    assert revoked[owner["till"]["device_id"]]["name"] == "Front counter"
    leaver = {item["id"]: item for answer in lists[3]["answers"] for item in answer["items"]}
    assert leaver[config["leaver"]["id"]]["active"] is False
    assert leaver[config["leaver"]["id"]]["role"] == "cashier"  # the role change, first


def test_the_manager_is_offered_only_the_roles_a_manager_may_give(
    browser_run: dict[str, Any],
) -> None:
    manager = browser_run["manager"]
    assert {"Staff", "Devices"} <= set(manager["menu"])
    assert manager["roles_offered"] == ["Manager", "Cashier"]
    assert "Not yours to change" in manager["owner_row"]
    assert manager["venues_offered"] == [VENUE]  # from GET /v1/locations, which a manager reads
    # The owner role forced into the form: the staff service's refusal, with its request id.
    problem = manager["problem"]
    assert (problem["status"], problem["code"]) == ("403", "role-grant-refused")
    assert problem["request_id"]
    assert "cannot give the owner role" in problem["text"]


def test_the_managers_own_session_is_refused_the_roles_a_manager_may_not_give(
    stack: tuple[FuzzStack, str], business: Business
) -> None:
    platform, public_url = stack

    async def attempt() -> list[httpx.Response]:
        response, key = await _password_sign_in(
            platform.gateway, public_url, business, business.manager
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "signed_in"
        manager = DPoPAuth(key, response.json()["access_token"], public_url=public_url)
        answers = []
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            for role in ("owner", "accountant"):
                body = {
                    "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
                    "display_name": "Not given",
                    "role": role,
                    "password": "a password long enough",
                }
                answers.append(await client.post("/v1/staff", json=body, auth=manager))
        return answers

    for response in platform.run(attempt()):
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "role-grant-refused"


def test_no_state_has_a_serious_accessibility_violation(browser_run: dict[str, Any]) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 12
    for page in checked:
        assert page["violations"] == [], page


def test_the_pages_broke_no_rule_of_the_policy_and_logged_no_error(
    browser_run: dict[str, Any],
) -> None:
    # The forced role's refusal is logged by the browser as a failed load.
    assert unexpected_console_errors(browser_run, {"manager": "status of 403"}) == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    assert {"staff.png", "staff-add.png", "devices-code.png", "devices.png"} <= set(
        browser_run["screenshots"]
    )
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0
