"""The business the till's scenarios run in (tests/pos/test_{online_sale,offline_day,
killed_upload,two_tills}.py, and tests/pos/test_books.py), set up through the public API as a
café would set itself up: an Australian venue, a menu of two categories (coffee with a milk
choice, taxed at GST; food, one item GST-free), a cashier and a manager with PINs who work at
the venue, and an offline approval limit high enough for one refund on a manager's word.

The only shortcut is the one every browser test takes (tests/backoffice/business.py): the
business, its venue and the owner's first token are made by the test, because a new business
has nobody to sign in yet. Everything after that goes through the gateway with the owner's
session, as the backoffice would send it.

The business also serves the Python side of the checks: `till_session` activates a till and
signs a person in on it through the API (the same calls the till makes), and `OnlineTill`
rings up sales online, so tests/pos/books.py can be proven without a browser.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from clients.dpop import DeviceKey
from clients.session import DPoPAuth, activate, pin_sign_in
from libs.config import platform_settings
from libs.rbac import Role
from services.identity.keys.signing import mint_access_token
from services.identity.tenants.service import OPERATOR, create_location, create_tenant
from services.orders.provisioning import provision_orders
from tests.fuzz.stack import FuzzStack
from tests.support.http import ok_json
from tests.support.offline import Log, OfflineTill
from tests.support.tills import Menu

CASHIER_PIN = "274913"
MANAGER_PIN = "918273"
# One refund of a sale of the menu fits under it (the largest sale a scenario rings up is a
# few coffees); a business's default is 0, no action on a manager's word offline at all.
OFFLINE_APPROVAL_LIMIT_MINOR = 5_000
OPENING_FLOAT_MINOR = 20_000


@dataclass(frozen=True)
class MenuItem:
    id: str
    name: str
    price_minor: int
    category: str
    tax_code: str  # "gst" or "gst-free"
    modifier_group_ids: tuple[str, ...] = ()

    @property
    def price(self) -> str:
        """As the till's item buttons show it: "$4.50"."""
        return f"${self.price_minor // 100}.{self.price_minor % 100:02d}"

    @property
    def button(self) -> str:
        """The item button's accessible name (the till's contract): "Flat white, $4.50"."""
        return f"{self.name}, {self.price}"


@dataclass(frozen=True)
class Modifier:
    id: str
    name: str
    price_minor: int


@dataclass(frozen=True)
class TillMenu:
    """What the venue sells. Prices include GST (Australia)."""

    categories: dict[str, str]  # name -> id, in the order the till shows them
    items: dict[str, MenuItem]  # by name
    milk_group_id: str
    milk: dict[str, Modifier]  # by name

    def as_offline_menu(self) -> Menu:
        """The shape tests/support/offline.py's `Log` rings up (a flat white, one with oat
        milk, a bread roll: 12.50)."""
        return Menu(
            category_id=uuid.UUID(self.categories["Coffee"]),
            coffee_id=uuid.UUID(self.items["Flat white"].id),
            bread_id=uuid.UUID(self.items["Bread roll"].id),
            milk_group_id=uuid.UUID(self.milk_group_id),
            oat_milk_id=uuid.UUID(self.milk["Oat milk"].id),
        )


@dataclass(frozen=True)
class StaffMember:
    id: str
    display_name: str
    role: str
    pin: str
    email: str


@dataclass(frozen=True)
class TillBusiness:
    tenant: uuid.UUID
    location_id: uuid.UUID
    venue: str
    public_url: str
    # An owner's session of the test's own (not the browser's): sets the business up, makes
    # activation codes and Bridge tokens, and reads the books afterwards.
    owner: DPoPAuth
    menu: TillMenu
    cashier: StaffMember
    manager: StaffMember
    offline_approval_limit_minor: int

    def browser_config(self) -> dict[str, Any]:
        """What a browser script needs to know about the business (its config.json)."""
        return {
            "business": str(self.tenant),
            "venue": self.venue,
            "location_id": str(self.location_id),
            "cashier": {"name": self.cashier.display_name, "pin": self.cashier.pin},
            "manager": {"name": self.manager.display_name, "pin": self.manager.pin},
            "categories": list(self.menu.categories),
            "items": {
                name: {
                    "button": item.button,
                    "price_minor": item.price_minor,
                    "category": item.category,
                    "has_modifiers": bool(item.modifier_group_ids),
                }
                for name, item in self.menu.items.items()
            },
            "milk": list(self.menu.milk),
            "opening_float": f"{OPENING_FLOAT_MINOR // 100}.{OPENING_FLOAT_MINOR % 100:02d}",
        }


async def set_up_till_business(
    stack: FuzzStack,
    public_url: str,
    *,
    name: str = "Harbour Lane Café",
    venue: str = "Harbour Lane",
    offline_approval_limit_minor: int = OFFLINE_APPROVAL_LIMIT_MINOR,
) -> TillBusiness:
    """Runs on the stack's loop: `stack.run(set_up_till_business(stack, url))`."""
    databases = stack.databases
    tenant = await create_tenant(databases["identity"], name=name, region="au", currency="AUD")
    await provision_orders(
        databases["orders"],
        tenant_id=tenant.tenant_id,
        region=tenant.region,
        currency=tenant.currency,
        actor=OPERATOR,
    )
    location = await create_location(
        databases["identity"],
        tenant_id=tenant.tenant_id,
        name=venue,
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=4,
    )
    settings = platform_settings()
    owner_key = DeviceKey.generate()
    owner = DPoPAuth(
        owner_key,
        mint_access_token(
            stack.signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            subject=str(uuid.uuid4()),
            tenant_id=tenant.tenant_id,
            role=str(Role.OWNER),
            key_thumbprint=owner_key.thumbprint(),
        ),
        public_url=public_url,
    )
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        menu = await _stock_menu(client, owner)

        async def staff(role: str, display_name: str, pin: str) -> StaffMember:
            email = f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example"
            body = {
                "email": email,
                "display_name": display_name,
                "role": role,
                "pin": pin,
                "location_ids": [str(location.location_id)],
            }
            made = ok_json(await client.post("/v1/staff", json=body, auth=owner), 201)
            return StaffMember(made["id"], display_name, role, pin, email)

        cashier = await staff("cashier", "Sam Cook", CASHIER_PIN)
        manager = await staff("manager", "Alex Rivera", MANAGER_PIN)
        limits = ok_json(
            await client.patch(
                "/v1/settings/override-limits",
                json={"offline_approval_limit_minor": offline_approval_limit_minor},
                auth=owner,
            )
        )
        assert limits["offline_approval_limit_minor"] == offline_approval_limit_minor
    return TillBusiness(
        tenant=tenant.tenant_id,
        location_id=location.location_id,
        venue=venue,
        public_url=public_url,
        owner=owner,
        menu=menu,
        cashier=cashier,
        manager=manager,
        offline_approval_limit_minor=offline_approval_limit_minor,
    )


async def _stock_menu(client: httpx.AsyncClient, owner: DPoPAuth) -> TillMenu:
    """Coffee (GST, each with the milk choice) and food (one GST-free, one GST), made as the
    backoffice's menu editor makes them."""
    tax = {
        category["code"]: category["id"]
        for category in ok_json(await client.get("/v1/tax/categories", auth=owner))["items"]
    }
    assert {"gst", "gst-free"} <= tax.keys(), tax

    async def made(path: str, body: dict[str, Any]) -> dict[str, Any]:
        return ok_json(await client.post(path, json=body, auth=owner), 201)

    milk_group = await made(
        "/v1/menu/modifier-groups", {"name": "Milk", "min_choices": 0, "max_choices": 1}
    )
    milk = {}
    for position, (modifier, price) in enumerate((("Oat milk", 50), ("Soy milk", 50))):
        answer = await made(
            f"/v1/menu/modifier-groups/{milk_group['id']}/modifiers",
            {"name": modifier, "price_minor": price, "position": position},
        )
        milk[modifier] = Modifier(answer["id"], modifier, price)
    categories = {}
    for position, category in enumerate(("Coffee", "Food")):
        answer = await made("/v1/menu/categories", {"name": category, "position": position})
        categories[category] = answer["id"]
    items = {}
    for position, (category, name, price, tax_code, groups) in enumerate(
        (
            ("Coffee", "Flat white", 450, "gst", (milk_group["id"],)),
            ("Coffee", "Latte", 500, "gst", (milk_group["id"],)),
            ("Food", "Bread roll", 300, "gst-free", ()),
            ("Food", "Banana bread", 550, "gst", ()),
        )
    ):
        answer = await made(
            "/v1/menu/items",
            {
                "category_id": categories[category],
                "tax_category_id": tax[tax_code],
                "name": name,
                "price_minor": price,
                "position": position,
                "modifier_group_ids": list(groups),
            },
        )
        items[name] = MenuItem(answer["id"], name, price, category, tax_code, tuple(groups))
    return TillMenu(categories, items, milk_group["id"], milk)


# --- tills -------------------------------------------------------------------------------------


async def activation_code(
    stack: FuzzStack, business: TillBusiness, *, name: str | None = None
) -> str:
    """A single-use code for a till at the business's venue, as a manager makes one in the
    backoffice (named `name`, or left for the till to name itself)."""
    body: dict[str, Any] = {"location_id": str(business.location_id)}
    if name is not None:
        body["name"] = name
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        made = ok_json(
            await client.post("/v1/devices/activation-codes", json=body, auth=business.owner), 201
        )
    code: str = made["code"]
    return code


async def activation_codes(stack: FuzzStack, business: TillBusiness, count: int = 2) -> list[str]:
    """Codes for `count` tills of the venue (the two-tills scenario's)."""
    return [await activation_code(stack, business) for _ in range(count)]


@dataclass
class TillSession:
    """A till activated through the API with a key of the test's own, and a person signed
    in on it with their PIN: what the browser's till does, done by the test."""

    device_id: str
    key: DeviceKey
    auth: DPoPAuth
    staff: StaffMember
    register_number: int = 0


async def till_session(
    stack: FuzzStack,
    business: TillBusiness,
    *,
    name: str = "Till",
    staff: StaffMember | None = None,
) -> TillSession:
    """A new till of the venue with `staff` (the cashier) signed in, its register numbered
    (`POST /v1/sync/register`, as a till does before it goes offline)."""
    person = staff or business.cashier
    code = await activation_code(stack, business)
    key = DeviceKey.generate()
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        device = await activate(
            client, code=code, key=key, name=name, public_url=business.public_url
        )
        session = await pin_sign_in(
            client,
            device=device,
            key=key,
            staff_id=person.id,
            pin=person.pin,
            public_url=business.public_url,
        )
        registered = ok_json(await client.post("/v1/sync/register", auth=session.auth))
    return TillSession(device.device_id, key, session.auth, person, registered["register_number"])


@dataclass
class OnlineTill:
    """Sales rung up online, as a till with the network sends them: one shift on the
    register, orders, cash payments, closes (server-numbered receipts), refunds."""

    client: httpx.AsyncClient
    till: TillSession
    business: TillBusiness
    shift_id: str = ""
    receipts: list[dict[str, Any]] = field(default_factory=list)

    async def open_shift(self, float_minor: int = OPENING_FLOAT_MINOR) -> str:
        shift = ok_json(
            await self.client.post(
                "/v1/shifts", json={"opening_float_minor": float_minor}, auth=self.till.auth
            ),
            201,
        )
        self.shift_id = shift["id"]
        return self.shift_id

    def usual(self) -> list[dict[str, Any]]:
        """A flat white, a latte with oat milk, a bread roll: 4.50 + 5.50 + 3.00 = 13.00."""
        menu = self.business.menu
        return [
            {"item_id": menu.items["Flat white"].id},
            {"item_id": menu.items["Latte"].id, "modifier_ids": [menu.milk["Oat milk"].id]},
            {"item_id": menu.items["Bread roll"].id},
        ]

    async def sale(
        self, lines: list[dict[str, Any]] | None = None, *, tendered_minor: int = 5_000
    ) -> dict[str, Any]:
        """Rung up, paid in cash, closed: its receipt."""
        order = ok_json(
            await self.client.post(
                "/v1/orders", json={"lines": lines or self.usual()}, auth=self.till.auth
            ),
            201,
        )
        paid = ok_json(
            await self.client.post(
                f"/v1/orders/{order['id']}/payments",
                json={
                    "version": order["version"],
                    "tender": "cash",
                    "tendered_minor": tendered_minor,
                },
                auth=self.till.auth,
            ),
            201,
        )
        closed = ok_json(
            await self.client.post(
                f"/v1/orders/{order['id']}/close",
                json={"version": paid["order"]["version"]},
                auth=self.till.auth,
            )
        )
        receipt: dict[str, Any] = closed["receipt"]
        self.receipts.append(receipt)
        return receipt

    async def close_shift(
        self, counted_cash_minor: int, counted_card_minor: int = 0
    ) -> dict[str, Any]:
        shift = ok_json(await self.client.get(f"/v1/shifts/{self.shift_id}", auth=self.till.auth))
        return ok_json(
            await self.client.post(
                f"/v1/shifts/{self.shift_id}/close",
                json={
                    "version": shift["version"],
                    "counted": {"cash": counted_cash_minor, "card": counted_card_minor},
                },
                auth=self.till.auth,
            )
        )


def offline_log(business: TillBusiness, till: TillSession) -> Log:
    """tests/support/offline.py's operation log for a till made through the API: operations
    a few milliseconds apart from now (the roster is checked at each operation's time, and
    the people were added moments ago), the cashier ringing up, the manager approving."""
    offline = OfflineTill(
        tenant=business.tenant,
        location_id=business.location_id,
        device_id=uuid.UUID(till.device_id),
        key=till.key,
        auth=till.auth,
        cashier=uuid.UUID(business.cashier.id),
        manager=uuid.UUID(business.manager.id),
        menu=business.menu.as_offline_menu(),
        register_number=till.register_number,
    )
    return Log(offline, start=datetime.now(UTC), step=timedelta(milliseconds=5))
