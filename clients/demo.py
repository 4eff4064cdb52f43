"""The demo path, end to end through the gateway, as a till and a manager would walk it:

1. the manager signs in to the backoffice (e-mail + password, DPoP-bound to the browser key);
2. the manager creates a single-use activation code for the venue;
3. the till generates its own key and activates with the code (the private key stays here);
4. the cashier signs in on the till with a PIN;
5. the cashier opens a shift on the till's register with a cash float (`POST /v1/shifts`);
6. the till reads its menu (`GET /v1/menu`) and sells the first item of the first category
   (`POST /v1/orders`: items, not prices; the service prices the order from its menu), every
   call signed with a fresh DPoP proof;
7. the till refreshes its session and reads the order back with the new access token;
8. the customer pays cash and the till closes the order: the receipt is issued and its print
   job queued for the venue's Bridge (run the reference agent to print it, docs/bridge.md);
9. (`make demo`) the accountant signs in and reads the daily summary of the last days;
10. and downloads this quarter's BAS (AU) or VAT summary (EU) bundle: JSON, CSV, manifest;
11. (`make demo`) the owner opens the Customer Portal and cancels the subscription there:
    Stripe's `customer.subscription.deleted` makes the business read-only;
12. the till's next sale is refused (`subscription-read-only`), the accountant's report is
    still served, and nothing recorded is gone;
13. the owner subscribes again: a Stripe Checkout URL, paid on Stripe's page (the local fake
    Stripe when no key is configured), and Stripe's signed webhooks, applied by the billing
    worker, make the subscription active: full use is back.

Before step 1 (`make demo`), the owner subscribes the same way if the business has no live
subscription yet (step 0).

    python -m clients.demo --url http://127.0.0.1:8000 --business <tenant id> \\
        --location <location id> --manager-email ... --manager-password ... \\
        --cashier <staff id> --pin ...

`make demo` runs it against `make run`'s demo tenant with the generated credentials.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import sys
import uuid
import zipfile
from datetime import date, timedelta
from typing import Any

import httpx

from clients.dpop import DeviceKey
from clients.session import DPoPAuth, activate, pin_sign_in, refresh

OPENING_FLOAT_MINOR = 20_000


def _show(step: str, detail: Any) -> None:
    print(f"\n== {step}")
    print(json.dumps(detail, indent=2, default=str) if not isinstance(detail, str) else detail)


def _idempotent() -> dict[str, str]:
    # A retry of the same request with the same key would get the first answer, not a twin.
    return {"Idempotency-Key": f"demo-{uuid.uuid4()}"}


async def open_shift(client: httpx.AsyncClient, auth: httpx.Auth) -> dict[str, Any]:
    """The open shift of this till's register: opened with a float, or the one already open."""
    opened = await client.post(
        "/v1/shifts",
        json={"opening_float_minor": OPENING_FLOAT_MINOR},
        headers=_idempotent(),
        auth=auth,
    )
    if opened.status_code == 409 and opened.json().get("code") == "shift-already-open":
        opened = await client.get("/v1/shifts/current", auth=auth)
    opened.raise_for_status()
    shift: dict[str, Any] = opened.json()
    return shift


def first_sale(menu: dict[str, Any]) -> dict[str, Any]:
    """One of the first item of the first category, with the fewest modifiers its groups
    require (the first ones offered)."""
    category = menu["categories"][0] if menu["categories"] else None
    if category is None or not category["items"]:
        raise SystemExit("The menu's first category has no items: seed the demo menu first.")
    item = category["items"][0]
    modifier_ids = [
        modifier["id"]
        for group in item["modifier_groups"]
        for modifier in group["modifiers"][: group["min_choices"]]
    ]
    return {"item_id": item["id"], "quantity": 1, "modifier_ids": modifier_ids}


async def run_demo(
    *,
    url: str,
    business: str,
    location: str,
    manager_email: str,
    manager_password: str,
    cashier: str,
    pin: str,
    currency: str = "AUD",
    accountant_email: str | None = None,
    accountant_password: str | None = None,
    owner_email: str | None = None,
    owner_password: str | None = None,
) -> None:
    """`currency` is the business's; the menu and the order must be priced in it. With an
    accountant's credentials, the books are read; with the owner's too, the subscription is
    taken out, cancelled and renewed."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        owner = None
        if owner_email and owner_password:
            owner = await backoffice_sign_in(client, business, owner_email, owner_password)
            await ensure_subscribed(client, owner)
        browser = DeviceKey.generate()
        signed_in = await client.post(
            "/v1/auth/password",
            json={"business": business, "email": manager_email, "password": manager_password},
            auth=DPoPAuth(browser),
        )
        signed_in.raise_for_status()
        manager = DPoPAuth(browser, signed_in.json()["access_token"])
        _show("1. manager signed in (backoffice)", {"role": signed_in.json()["role"]})

        created = await client.post(
            "/v1/devices/activation-codes",
            json={"location_id": location, "device_name": "Demo till"},
            auth=manager,
        )
        created.raise_for_status()
        code = created.json()["code"]
        _show("2. activation code (single use, expires in minutes)", created.json())

        till_key = DeviceKey.generate()
        device = await activate(client, code=code, key=till_key, name="Demo till")
        _show("3. till activated; its key thumbprint is", till_key.thumbprint())

        session = await pin_sign_in(client, device=device, key=till_key, staff_id=cashier, pin=pin)
        _show("4. cashier signed in with a PIN", {"expires_at": session.expires_at})

        shift = await open_shift(client, session.auth)
        _show(
            "5. shift open on the till's register",
            {key: shift[key] for key in ("id", "register_number", "opening_float_minor")},
        )

        menu = await client.get("/v1/menu", auth=session.auth)
        menu.raise_for_status()
        if menu.json()["currency"] != currency:
            raise SystemExit(f"The menu is priced in {menu.json()['currency']}, not {currency}.")
        order = await client.post(
            "/v1/orders",
            json={"lines": [first_sale(menu.json())]},
            headers=_idempotent(),
            auth=session.auth,
        )
        order.raise_for_status()
        _show("6. order created through the gateway, priced from the menu", order.json())

        session = await refresh(client, session)
        again = await client.get(f"/v1/orders/{order.json()['id']}", auth=session.auth)
        again.raise_for_status()
        _show("7. refreshed; the order read back with the new token", again.json()["status"])

        sold = again.json()
        due = sold["total_minor"] + sold["rounding_minor"]
        paid = await client.post(
            f"/v1/orders/{sold['id']}/payments",
            json={"version": sold["version"], "tender": "cash", "tendered_minor": due},
            headers=_idempotent(),
            auth=session.auth,
        )
        paid.raise_for_status()
        closed = await client.post(
            f"/v1/orders/{sold['id']}/close",
            json={"version": paid.json()["order"]["version"]},
            headers=_idempotent(),
            auth=session.auth,
        )
        closed.raise_for_status()
        receipt = closed.json()["receipt"]
        _show(
            "8. paid in cash and closed; receipt issued and queued for the Bridge's printer",
            {key: receipt[key] for key in ("number", "total_minor", "currency")},
        )
        if accountant_email and accountant_password:
            accountant = await read_the_books(
                client,
                business=business,
                location=location,
                email=accountant_email,
                password=accountant_password,
                currency=currency,
            )
            if owner is not None:
                await cancel_and_renew(
                    client,
                    owner=owner,
                    till=session.auth,
                    accountant=accountant,
                    location=location,
                    menu=menu.json(),
                )


async def read_the_books(
    client: httpx.AsyncClient,
    *,
    business: str,
    location: str,
    email: str,
    password: str,
    currency: str,
) -> DPoPAuth:
    """The accountant signs in to the back office, reads the sales of the last days and
    downloads this quarter's BAS (Australia) or VAT summary (EU) as a filing bundle."""
    accountant = await backoffice_sign_in(client, business, email, password)
    await show_recent_sales(
        client, accountant, location, "9. accountant signed in; the daily summary of the last days"
    )
    today = date.today()
    report = "bas" if currency == "AUD" else "vat-summary"
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    bundle = await client.get(
        f"/v1/reports/{report}/export", params={"period": quarter}, auth=accountant
    )
    bundle.raise_for_status()
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    _show(f"10. this quarter's {report} bundle: its manifest", manifest)
    return accountant


async def show_recent_sales(
    client: httpx.AsyncClient, accountant: DPoPAuth, location: str, step: str
) -> None:
    """The daily summary of yesterday to tomorrow (the venue's business days)."""
    today = date.today()
    days = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}
    summary = await client.get(
        "/v1/reports/daily-summary", params={"location_id": location, **days}, auth=accountant
    )
    summary.raise_for_status()
    totals = summary.json()["totals"]
    _show(step, {key: totals[key] for key in ("orders", "sales_including_tax_minor", "tax_minor")})


async def backoffice_sign_in(
    client: httpx.AsyncClient, business: str, email: str, password: str
) -> DPoPAuth:
    browser = DeviceKey.generate()
    signed_in = await client.post(
        "/v1/auth/password",
        json={"business": business, "email": email, "password": password},
        auth=DPoPAuth(browser),
    )
    signed_in.raise_for_status()
    if "access_token" not in signed_in.json():
        raise SystemExit(f"{email} needs a second factor: {signed_in.json()}")
    return DPoPAuth(browser, signed_in.json()["access_token"])


async def _subscription_until(
    client: httpx.AsyncClient, owner: DPoPAuth, status: str
) -> dict[str, Any]:
    """Stripe's webhooks arrive and the billing worker applies them in the background: wait
    (a few seconds at most) for the subscription to reach `status`."""
    for _ in range(100):
        answer = await client.get("/v1/billing/subscription", auth=owner)
        answer.raise_for_status()
        if answer.json()["status"] == status:
            subscription: dict[str, Any] = answer.json()
            return subscription
        await asyncio.sleep(0.1)
    raise SystemExit(f"the subscription did not become {status}: {answer.json()}")


async def _browser_submits(url: str) -> None:
    """A form on Stripe's page; Stripe answers with a redirect back to the backoffice."""
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(url)
    if answer.status_code != 303:
        raise SystemExit(f"{url}: {answer.status_code} {answer.text}")


async def _subscribe(client: httpx.AsyncClient, owner: DPoPAuth, step: str) -> None:
    checkout = await client.post("/v1/billing/checkout-sessions", headers=_idempotent(), auth=owner)
    checkout.raise_for_status()
    _show(f"{step}. owner starts a subscription: Stripe's hosted Checkout page", checkout.json())
    # The owner's browser on Stripe's page (no card field reaches halopos, ever).
    await _browser_submits(checkout.json()["url"])
    active = await _subscription_until(client, owner, "active")
    _show(
        f"{step}. paid on Stripe's page; Stripe's signed webhooks made it active",
        {key: active[key] for key in ("status", "plan", "current_period_end", "entitlement")},
    )


async def ensure_subscribed(client: httpx.AsyncClient, owner: DPoPAuth) -> None:
    current = await client.get("/v1/billing/subscription", auth=owner)
    current.raise_for_status()
    if current.json()["status"] in ("active", "trialing", "past_due"):
        _show("0. the owner's subscription", {"status": current.json()["status"]})
    else:
        await _subscribe(client, owner, "0")


async def cancel_and_renew(
    client: httpx.AsyncClient,
    *,
    owner: DPoPAuth,
    till: DPoPAuth,
    accountant: DPoPAuth,
    location: str,
    menu: dict[str, Any],
) -> None:
    """The owner cancels in the portal (the business turns read-only: the till's next sale
    is refused, the accountant's reports are still served) and subscribes again."""
    portal = await client.post("/v1/billing/portal-sessions", auth=owner)
    portal.raise_for_status()
    _show("11. the Customer Portal (card, invoices, cancelling)", portal.json())
    await _browser_submits(f"{portal.json()['url']}/cancel")
    ended = await _subscription_until(client, owner, "canceled")
    _show("11. cancelled in the portal: the business is now", ended["entitlement"])
    refused = await client.post(
        "/v1/orders", json={"lines": [first_sale(menu)]}, headers=_idempotent(), auth=till
    )
    if refused.status_code != 403:
        raise SystemExit(f"a read-only business sold: {refused.status_code} {refused.text}")
    _show("12. the till's next sale is refused", refused.json())
    await show_recent_sales(
        client,
        accountant,
        location,
        "12. the accountant's daily summary is still served, every sale in it",
    )
    await _subscribe(client, owner, "13")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clients.demo")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--currency", default="AUD")
    for name in ("business", "location", "manager-email", "manager-password", "cashier", "pin"):
        parser.add_argument(f"--{name}", required=True)
    arguments = parser.parse_args(argv)
    try:
        asyncio.run(
            run_demo(
                url=arguments.url,
                business=arguments.business,
                location=arguments.location,
                manager_email=arguments.manager_email,
                manager_password=arguments.manager_password,
                cashier=arguments.cashier,
                pin=arguments.pin,
                currency=arguments.currency,
            )
        )
    except httpx.HTTPStatusError as error:
        print(f"\n{error}\n{error.response.text}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
