"""The backoffice's sync review and billing pages in a real browser (Debian's chromium, driven
by Playwright), against the whole platform on real sockets (tests/backoffice/conftest.py).

The browser side is web/backoffice/e2e/sync-billing.e2e.mjs. This test sets up, through the
API, two businesses of its own (so the shared one's reports are not touched):

- one whose till uploaded a day's offline log that raised flags (a total that differed, a gap
  in its receipt numbers, a refund and a void done on a manager's word); its manager resolves
  a flag, confirms one offline approval and disputes another on the page, and its accountant
  reads the same lists with no control to change them; its owner opens Stripe Checkout;
- one that subscribed through the fake Stripe and cancelled, driven by Stripe's signed
  webhooks as tests/billing does: it is read-only, and its owner sees the banner.

Then it holds what the page showed and did to the API's answers.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import activate, pin_sign_in
from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import (
    PIN,
    Business,
    Colleague,
    add_colleague,
    set_up_business,
)
from tests.fuzz.sessions import _connections
from tests.fuzz.stack import STRIPE_API_KEY, FuzzStack
from tests.support.http import ok_json
from tests.support.offline import Log, OfflineTill, TillLog
from tests.support.tills import stock_menu

WEBHOOK = "/v1/billing/webhooks/stripe"
# The business lets a till act on a manager's word offline up to 50.00.
OFFLINE_LIMIT = 5_000


async def _offline_day(stack: FuzzStack, business: Business, approver: Colleague) -> None:
    """A till of the business's venue, activated and signed in by a cashier as at the counter,
    uploads what it did offline: a sale whose printed total differed from the server's, a
    sale closed after skipping a receipt number, a refund and a void on `approver`'s word."""
    public_url = business.owner.public_url
    owner = business.owner
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        cashier = ok_json(
            await client.post(
                "/v1/staff",
                json={
                    "email": f"cashier.{uuid.uuid4().hex[:8]}@harbourlane.example",
                    "display_name": "Sam Offline",
                    "role": "cashier",
                    "pin": PIN,
                },
                auth=owner,
            ),
            201,
        )
        ok_json(
            await client.patch(
                "/v1/settings/override-limits",
                json={"offline_approval_limit_minor": OFFLINE_LIMIT},
                auth=owner,
            )
        )
        code = ok_json(
            await client.post(
                "/v1/devices/activation-codes",
                json={"location_id": str(business.location_id)},
                auth=owner,
            ),
            201,
        )
        key = DeviceKey.generate()
        device = await activate(
            client, code=code["code"], key=key, name="Till 2", public_url=public_url
        )
        session = await pin_sign_in(
            client, device=device, key=key, staff_id=cashier["id"], pin=PIN, public_url=public_url
        )
        ok_json(await client.post("/v1/sync/register", auth=session.auth))
        async with _connections(stack) as connect_as:
            menu = await stock_menu(connect_as, business.tenant)
        till = OfflineTill(
            tenant=business.tenant,
            location_id=business.location_id,
            device_id=uuid.UUID(device.device_id),
            key=key,
            auth=session.auth,
            cashier=uuid.UUID(cashier["id"]),
            manager=uuid.UUID(approver.id),
            menu=menu,
        )
        day = TillLog(till, Log(till))
        # Everyone above is on the roster from now: the till's times follow, seconds apart
        # (TillLog.sale would ring up five minutes early, before they were).
        start = datetime.now(UTC) + timedelta(seconds=2)
        moments = iter([start + timedelta(seconds=3 * step) for step in range(30)])

        def sale(lines: list[dict[str, Any]], total: int, cash: int) -> uuid.UUID:
            order = day.ring_up(next(moments), lines)
            day.pay_cash(next(moments), order, cash)
            day.close(next(moments), order, total)
            return order

        day.open_shift(next(moments))
        # The till printed 12.00 for the usual, which halopos prices at 12.50.
        sale(day.usual(), 1_200, 2_000)
        # A sale refunded in part (the flat white, 4.50) on the manager's word.
        refunded = sale(day.usual(), 1_250, 2_000)
        day.refund(next(moments), refunded, 1, 450)
        # An order rung up in error and voided on the manager's word.
        voided = day.ring_up(next(moments), [day.bread()])
        day.void(next(moments), voided)
        # The till's next receipt number went missing: the sale after it leaves a gap.
        day.log.receipt_sequence += 1
        sale([day.bread()], 300, 500)
        await day.upload(client)


async def _all(client: httpx.AsyncClient, path: str, auth: httpx.Auth, **query: Any) -> list[Any]:
    """Every item of a cursor-paged list."""
    items: list[Any] = []
    cursor = None
    while True:
        page = ok_json(
            await client.get(
                path, params={**query, "cursor": cursor} if cursor else query, auth=auth
            )
        )
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


class FakeStripe:
    """The stack's fake Stripe: its API and test helpers with the secret key, and its events
    POSTed to the gateway's webhook exactly as Stripe would."""

    def __init__(self, stack: FuzzStack) -> None:
        self.stack = stack

    async def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.stack.stripe, timeout=30) as client:
            response = await client.request(
                method, path, headers={"Authorization": f"Bearer {STRIPE_API_KEY}"}, **kwargs
            )
        return ok_json(response)

    async def event_ids(self) -> list[str]:
        newest_first = (await self.call("GET", "/v1/events", params={"limit": 100}))["data"]
        return [event["id"] for event in reversed(newest_first)]

    async def deliver_new(self, before: list[str]) -> None:
        async with httpx.AsyncClient(base_url=self.stack.gateway, timeout=30) as client:
            for event_id in await self.event_ids():
                if event_id in before:
                    continue
                delivery = await self.call("GET", f"/_fake/events/{event_id}/delivery")
                received = await client.post(
                    WEBHOOK, content=delivery["body"].encode(), headers=delivery["headers"]
                )
                ok_json(received)


async def _subscription(stack: FuzzStack, owner: httpx.Auth) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        return ok_json(await client.get("/v1/billing/subscription", auth=owner))


async def _until_status(stack: FuzzStack, owner: httpx.Auth, status: str) -> dict[str, Any]:
    """The subscription once the billing worker has applied Stripe's events (it is woken by
    each, and sweeps every 30 s)."""
    for _ in range(160):
        subscription = await _subscription(stack, owner)
        if subscription["status"] == status:
            return subscription
        await asyncio.sleep(0.25)
    raise AssertionError(f"the subscription never became {status}: {subscription}")


async def _lapse(stack: FuzzStack, business: Business) -> dict[str, Any]:
    """The business subscribes on the fake's hosted Checkout page, then cancels in its portal;
    Stripe's signed webhooks tell halopos each time. Its subscription, as the API says."""
    stripe = FakeStripe(stack)
    owner = business.owner
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        checkout = ok_json(await client.post("/v1/billing/checkout-sessions", auth=owner), 201)
        before = await stripe.event_ids()
        async with httpx.AsyncClient(timeout=30) as browser:
            assert (await browser.post(checkout["url"])).status_code == 303
        await stripe.deliver_new(before)
        await _until_status(stack, owner, "active")
        portal = ok_json(await client.post("/v1/billing/portal-sessions", auth=owner), 201)
        before = await stripe.event_ids()
        async with httpx.AsyncClient(timeout=30) as browser:
            assert (await browser.post(f"{portal['url']}/cancel")).status_code == 303
        await stripe.deliver_new(before)
    return await _until_status(stack, owner, "canceled")


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Sets up both businesses, runs the browser script once; what it saw and the setting."""
    platform, public_url = stack
    offline = platform.run(set_up_business(platform, public_url))
    approver = platform.run(add_colleague(platform, offline, "manager", authenticator=False))
    manager = platform.run(add_colleague(platform, offline, "manager"))
    accountant = platform.run(add_colleague(platform, offline, "accountant"))
    owner = platform.run(add_colleague(platform, offline, "owner"))
    platform.run(_offline_day(platform, offline, approver))

    lapsed = platform.run(set_up_business(platform, public_url))
    lapsed_owner = platform.run(add_colleague(platform, lapsed, "owner"))
    lapsed_manager = platform.run(add_colleague(platform, lapsed, "manager"))
    lapsed_subscription = platform.run(_lapse(platform, lapsed))
    assert lapsed_subscription["entitlement"]["mode"] == "read-only"

    async def review_queue() -> tuple[list[Any], list[Any]]:
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            flags = await _all(client, "/v1/sync/flags", offline.owner, unresolved="true")
            approvals = await _all(client, "/v1/sync/approvals", offline.owner, status="pending")
        return flags, approvals

    flags, approvals = platform.run(review_queue())
    by_kind = {flag["kind"]: flag for flag in flags}
    assert {"total-mismatch", "receipt-gap", "offline-approval"} <= set(by_kind), flags
    by_action = {approval["action"]: approval for approval in approvals}
    assert set(by_action) == {"refund", "void"}, approvals

    def person(colleague: Colleague) -> dict[str, Any]:
        return {
            "email": colleague.email,
            "password": colleague.password,
            "totp_secret": colleague.totp_secret,
        }

    config = {
        "base": public_url,
        "business": str(offline.tenant),
        "lapsed_business": str(lapsed.tenant),
        "manager": person(manager),
        "accountant": person(accountant),
        "owner": person(owner),
        "lapsed_owner": person(lapsed_owner),
        "lapsed_manager": person(lapsed_manager),
        "resolve_flag": by_kind["total-mismatch"]["id"],
        "confirm_approval": by_action["void"]["id"],
        "dispute_approval": by_action["refund"]["id"],
    }
    result = run_browser(
        "sync-billing.e2e.mjs", tmp_path_factory.mktemp("backoffice-sync-billing"), config
    )
    result["setting"] = {
        "offline": offline,
        "lapsed": lapsed,
        "reviewer": manager,
        "flags": flags,
        "approvals": approvals,
        "lapsed_subscription": lapsed_subscription,
        **config,
    }
    return result


def _get(stack: tuple[FuzzStack, str], request: str, auth: httpx.Auth) -> Any:
    platform, _ = stack

    async def ask() -> Any:
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            return ok_json(await client.get(request, auth=auth))

    return platform.run(ask())


def test_the_menu_shows_sync_review_to_its_roles_and_billing_to_owners(
    browser_run: dict[str, Any],
) -> None:
    assert "Sync review" in browser_run["manager"]["menu"]
    assert "Billing" not in browser_run["manager"]["menu"]
    assert "Sync review" in browser_run["accountant"]["menu"]
    assert "Billing" not in browser_run["accountant"]["menu"]
    assert {"Sync review", "Billing"} <= set(browser_run["owner"]["menu"])


def test_the_manager_resolves_confirms_and_disputes_and_the_api_agrees(
    stack: tuple[FuzzStack, str], browser_run: dict[str, Any]
) -> None:
    setting = browser_run["setting"]
    done = browser_run["manager"]["done"]
    owner = setting["offline"].owner
    manager_id = setting["reviewer"].id

    flags = {
        flag["id"]: flag for flag in _get(stack, "/v1/sync/flags?unresolved=false", owner)["items"]
    }
    resolved = flags[setting["resolve_flag"]]
    assert resolved["resolution"] == done["flag"]["text"]
    assert resolved["resolved_by"] == manager_id
    assert resolved["resolved_at"] is not None
    assert done["flag"]["state"] == "resolved"
    # The page said so, with the same words.
    assert done["flag"]["text"] in done["flag"]["shown"]
    # The other flags are still open.
    assert [f["id"] for f in flags.values() if f["resolved_at"] is not None] == [
        setting["resolve_flag"]
    ]

    for status, key in (("confirmed", "confirm_approval"), ("disputed", "dispute_approval")):
        [reviewed] = _get(stack, f"/v1/sync/approvals?status={status}", owner)["items"]
        assert reviewed["id"] == setting[key]
        assert reviewed["reviewed_by"] == manager_id
        shown = done[status]
        assert shown["state"] == status
        assert reviewed["note"] == shown["note"]
        assert shown["note"] in shown["shown"]
    assert _get(stack, "/v1/sync/approvals?status=pending", owner)["items"] == []
    # A dispute without a note was stopped by the page before the API was asked.
    assert browser_run["manager"]["dispute_without_note"] == "Say what was wrong to dispute it."


def test_the_page_shows_the_flags_readably(browser_run: dict[str, Any]) -> None:
    seen = browser_run["manager"]["first_view"]
    mismatch = next(item for item in seen["flags"] if item["kind"] == "total-mismatch")
    # The amounts in the business's currency, from the API's minor units unchanged.
    assert "$12.00" in mismatch["text"] and "$12.50" in mismatch["text"], mismatch
    assert "Till 2" in mismatch["text"]  # the till by its name (a manager may read devices)
    gap = next(item for item in seen["flags"] if item["kind"] == "receipt-gap")
    assert "-O-" in gap["text"]  # the missing receipt number in the till's offline series
    refund = next(item for item in seen["approvals"] if item["action"] == "refund")
    assert "$4.50" in refund["text"] and "$50.00" in refund["text"], refund


def test_the_accountant_reads_the_apis_lists_with_no_control(
    stack: tuple[FuzzStack, str], browser_run: dict[str, Any]
) -> None:
    accountant = browser_run["accountant"]
    assert accountant["controls"] == 0, "a resolve, confirm or dispute control was shown"
    owner = browser_run["setting"]["offline"].owner
    assert len(accountant["lists"]) >= 3
    for seen in accountant["lists"]:
        answer = seen["answer"]
        # The page lists exactly the browser's answer, in its order, each in its state ...
        assert [item["id"] for item in seen["shown"]] == [item["id"] for item in answer["items"]]
        for shown, item in zip(seen["shown"], answer["items"], strict=True):
            if seen["path"] == "/v1/sync/flags":
                assert shown["state"] == ("open" if item["resolved_at"] is None else "resolved")
                assert shown["kind"] == item["kind"]
                for name, value in item["details"].items():
                    if name.endswith("_minor") and isinstance(value, int):
                        assert shown["values"][name] == str(value), name
            else:
                assert shown["state"] == item["status"]
                assert shown["values"]["amount_minor"] == str(item["amount_minor"])
                assert shown["values"]["limit_minor"] == str(item["limit_minor"])
        # ... and that answer is the API's to the same request, asked again.
        assert _get(stack, seen["request"], owner) == answer
    requests = {seen["request"] for seen in accountant["lists"]}
    assert any("unresolved=false" in request for request in requests), requests


def test_the_owner_sees_the_subscription_and_checkout_goes_where_the_api_said(
    stack: tuple[FuzzStack, str], browser_run: dict[str, Any]
) -> None:
    owner = browser_run["owner"]
    seen = owner["subscription"]
    answer = seen["answer"]
    # What the page shows is the browser's answer ...
    assert seen["shown"] == {
        "status": answer["status"] or "",
        "mode": answer["entitlement"]["mode"],
        "billing_account": str(answer["billing_account"]).lower(),
    }
    assert (answer["status"], answer["entitlement"]["mode"]) == (None, "full")
    # ... which is the API's, but for the Stripe customer the Checkout click made since.
    api = _subscription_now(stack, browser_run["setting"]["offline"].owner)
    assert api == {**answer, "billing_account": True}
    checkout = owner["checkout"]
    platform, _ = stack
    assert checkout["answer"]["url"].startswith(f"{platform.stripe}/checkout/")
    assert checkout["landed"] == checkout["answer"]["url"]
    assert owner["banner"] is None  # a business in full use has no banner


def _subscription_now(stack: tuple[FuzzStack, str], auth: httpx.Auth) -> dict[str, Any]:
    platform, _ = stack
    return platform.run(_subscription(platform, auth))


def test_a_lapsed_subscription_shows_the_read_only_banner(
    stack: tuple[FuzzStack, str], browser_run: dict[str, Any]
) -> None:
    lapsed = browser_run["lapsed_owner"]
    api = _subscription_now(stack, browser_run["setting"]["lapsed"].owner)
    assert api["status"] == "canceled" and api["entitlement"]["mode"] == "read-only"
    assert lapsed["banner"]["mode"] == "read-only"
    assert lapsed["banner"]["status"] == "canceled"
    assert "Read-only" in lapsed["banner"]["text"]
    assert lapsed["subscription"]["answer"] == api
    assert lapsed["subscription"]["shown"] == {
        "status": "canceled",
        "mode": "read-only",
        "billing_account": "true",
    }
    assert "Cancelled" in lapsed["subscription"]["text"]


def test_no_state_has_a_serious_accessibility_violation(browser_run: dict[str, Any]) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 7
    for page in checked:
        assert page["violations"] == [], page


def test_the_pages_logged_no_unexpected_error(browser_run: dict[str, Any]) -> None:
    # The lapsed business's refused write is logged by the browser as a failed load.
    expected = {"lapsed manager": "status of 403"}
    assert unexpected_console_errors(browser_run, expected) == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    assert {
        "sync-manager.png",
        "sync-accountant.png",
        "billing-owner.png",
        "billing-read-only.png",
    } <= set(browser_run["screenshots"])
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0


def test_a_manager_learns_of_the_lapse_from_the_first_refused_write(
    browser_run: dict[str, Any],
) -> None:
    manager = browser_run["lapsed_manager"]
    # A manager may not read the subscription: nothing says read-only until a write is tried ...
    assert manager["banner_before"] == 0
    # ... and the API refuses it (nothing written), and the page says why, everywhere.
    assert manager["refused"]["status"] == 403
    assert manager["refused"]["problem"]["code"] == "subscription-read-only"
    assert manager["banner"]["mode"] == "read-only"
