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
10. and downloads this quarter's BAS (AU) or VAT summary (EU) bundle: JSON, CSV, manifest.

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
) -> None:
    """`currency` is the business's; the menu and the order must be priced in it. With an
    accountant's credentials, the books are read last."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
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
            "/v1/orders", json={"lines": [first_sale(menu.json())]}, headers=_idempotent(),
            auth=session.auth,
        )  # fmt: skip
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
            headers=_idempotent(), auth=session.auth,
        )  # fmt: skip
        paid.raise_for_status()
        closed = await client.post(
            f"/v1/orders/{sold['id']}/close",
            json={"version": paid.json()["order"]["version"]},
            headers=_idempotent(), auth=session.auth,
        )  # fmt: skip
        closed.raise_for_status()
        receipt = closed.json()["receipt"]
        _show(
            "8. paid in cash and closed; receipt issued and queued for the Bridge's printer",
            {key: receipt[key] for key in ("number", "total_minor", "currency")},
        )
        if accountant_email and accountant_password:
            await read_the_books(
                client, business=business, location=location, email=accountant_email,
                password=accountant_password, currency=currency,
            )  # fmt: skip


async def read_the_books(
    client: httpx.AsyncClient, *, business: str, location: str, email: str, password: str,
    currency: str,
) -> None:  # fmt: skip
    """The accountant signs in to the back office, reads the sales of the last days and
    downloads this quarter's BAS (Australia) or VAT summary (EU) as a filing bundle."""
    browser = DeviceKey.generate()
    signed_in = await client.post(
        "/v1/auth/password",
        json={"business": business, "email": email, "password": password},
        auth=DPoPAuth(browser),
    )
    signed_in.raise_for_status()
    accountant = DPoPAuth(browser, signed_in.json()["access_token"])
    today = date.today()
    days = {"from": str(today - timedelta(days=1)), "to": str(today + timedelta(days=1))}
    summary = await client.get(
        "/v1/reports/daily-summary", params={"location_id": location, **days}, auth=accountant
    )
    summary.raise_for_status()
    totals = summary.json()["totals"]
    _show(
        "9. accountant signed in; the daily summary of the last days",
        {key: totals[key] for key in ("orders", "sales_including_tax_minor", "tax_minor")},
    )
    report = "bas" if currency == "AUD" else "vat-summary"
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    bundle = await client.get(
        f"/v1/reports/{report}/export", params={"period": quarter}, auth=accountant
    )
    bundle.raise_for_status()
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    _show(f"10. this quarter's {report} bundle: its manifest", manifest)


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
