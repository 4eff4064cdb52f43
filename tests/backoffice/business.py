"""The business the backoffice's browser tests sign in to, set up through the public API as a
venue would: an accountant with an authenticator app, a manager, and one closed cash sale at
a venue, so the reports have figures. The only shortcut is the first staff write, made with an
owner token the test mints (a new business has nobody to sign in yet, as in tests/fuzz)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pyotp

from clients.dpop import DeviceKey
from clients.session import DPoPAuth, activate, pin_sign_in
from libs.config import platform_settings
from libs.rbac import Role
from services.identity.keys.signing import mint_access_token
from services.identity.tenants.service import OPERATOR, create_location, create_tenant
from services.orders.provisioning import provision_orders
from tests.fuzz.sessions import _connections
from tests.fuzz.stack import FuzzStack
from tests.support.http import ok_json
from tests.support.tills import stock_menu

PASSWORD = "correct horse battery staple"
PIN = "482916"


@dataclass(frozen=True)
class Person:
    email: str
    password: str


@dataclass(frozen=True)
class Business:
    tenant: uuid.UUID
    location_id: uuid.UUID
    accountant: Person
    totp_secret: str  # the accountant's authenticator app
    manager: Person
    # An owner's session of the test's own (not the browser's), to ask the API what the
    # browser asked and compare.
    owner: DPoPAuth


async def set_up_business(
    stack: FuzzStack,
    public_url: str,
    *,
    name: str = "Harbour Lane Backoffice",
    region: str = "au",
    currency: str = "AUD",
    venue: str = "Harbour Lane",
    time_zone: str = "Australia/Sydney",
) -> Business:
    """Runs on the stack's loop (`stack.run(set_up_business(stack, url))`). An Australian
    café by default; `region="eu"`, `currency="EUR"` and a German time zone make a German one
    (VAT instead of GST)."""
    databases = stack.databases
    tenant = await create_tenant(databases["identity"], name=name, region=region, currency=currency)
    tenant_id = tenant.tenant_id
    await provision_orders(
        databases["orders"],
        tenant_id=tenant_id,
        region=tenant.region,
        currency=tenant.currency,
        actor=OPERATOR,
    )
    location = await create_location(
        databases["identity"],
        tenant_id=tenant_id,
        name=venue,
        time_zone=time_zone,
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
            tenant_id=tenant_id,
            role=str(Role.OWNER),
            key_thumbprint=owner_key.thumbprint(),
        ),
        public_url=public_url,
    )

    async def staff(client: httpx.AsyncClient, role: str, **secret: str) -> dict[str, Any]:
        email = f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example"
        body = {"email": email, "display_name": f"A {role}", "role": role, **secret}
        return ok_json(await client.post("/v1/staff", json=body, auth=owner), 201)

    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        accountant = Person(
            (await staff(client, "accountant", password=PASSWORD))["email"], PASSWORD
        )
        manager = Person((await staff(client, "manager", password=PASSWORD))["email"], PASSWORD)
        cashier_id = (await staff(client, "cashier", pin=PIN))["id"]

        # The accountant sets up an authenticator app (nothing requires it of an accountant,
        # so the password alone may start it).
        secret = await _enrol(client, tenant_id, accountant.email, public_url)

        # One closed cash sale at the venue, rung up on an activated till.
        code = ok_json(
            await client.post(
                "/v1/devices/activation-codes",
                json={"location_id": str(location.location_id)},
                auth=owner,
            ),
            201,
        )
        till_key = DeviceKey.generate()
        device = await activate(
            client, code=code["code"], key=till_key, name="Till 1", public_url=public_url
        )
        session = await pin_sign_in(
            client, device=device, key=till_key, staff_id=cashier_id, pin=PIN, public_url=public_url
        )
        till = session.auth
        ok_json(
            await client.post("/v1/shifts", json={"opening_float_minor": 20_000}, auth=till), 201
        )
        async with _connections(stack) as connect_as:
            menu = await stock_menu(connect_as, tenant_id, region)
        lines = [
            {"item_id": str(menu.coffee_id), "modifier_ids": [str(menu.oat_milk_id)]},
            {"item_id": str(menu.bread_id)},
        ]
        order = ok_json(await client.post("/v1/orders", json={"lines": lines}, auth=till), 201)
        paid = ok_json(
            await client.post(
                f"/v1/orders/{order['id']}/payments",
                json={"version": order["version"], "tender": "cash", "tendered_minor": 2_000},
                auth=till,
            ),
            201,
        )
        ok_json(
            await client.post(
                f"/v1/orders/{order['id']}/close",
                json={"version": paid["order"]["version"]},
                auth=till,
            )
        )
    return Business(
        tenant=tenant_id,
        location_id=location.location_id,
        accountant=accountant,
        totp_secret=secret,
        manager=manager,
        owner=owner,
    )


@dataclass(frozen=True)
class Colleague:
    """A member of staff a test adds for itself: signs in with `email` and `password`, and with
    `totp_secret` when they have an authenticator app (None: they have none yet)."""

    id: str
    email: str
    password: str
    role: str
    totp_secret: str | None


async def add_colleague(
    stack: FuzzStack, business: Business, role: str, *, authenticator: bool = True
) -> Colleague:
    """A new member of staff with a password, made by the business's owner through the API,
    with an authenticator app enrolled as the browser would (unless `authenticator` is False,
    for a test that enrols one in the browser). Runs on the stack's loop."""
    public_url = business.owner.public_url or stack.gateway
    email = f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example"
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        created = ok_json(
            await client.post(
                "/v1/staff",
                json={
                    "email": email,
                    "display_name": f"A {role}",
                    "role": role,
                    "password": PASSWORD,
                },
                auth=business.owner,
            ),
            201,
        )
        secret = None
        if authenticator:
            secret = await _enrol(client, business.tenant, email, public_url)
    return Colleague(created["id"], email, PASSWORD, role, secret)


async def _enrol(client: httpx.AsyncClient, tenant: uuid.UUID, email: str, public_url: str) -> str:
    """Sets up an authenticator app for a member of staff, from a key of the test's own; its
    secret. (An owner's first sign-in requires this; for the others the password starts it.)"""
    signer = DPoPAuth(DeviceKey.generate(), public_url=public_url)
    started = ok_json(
        await client.post(
            "/v1/auth/password",
            json={
                "business": str(tenant),
                "email": email,
                "password": PASSWORD,
                "enrol_totp": True,
            },
            auth=signer,
        )
    )
    assert started["status"] == "totp_enrolment_required", started
    enrolment = ok_json(
        await client.post(
            "/v1/auth/totp/enrolment", json={"challenge": started["challenge"]}, auth=signer
        )
    )
    secret: str = enrolment["secret"]
    ok_json(
        await client.post(
            "/v1/auth/totp/enrolment/confirm",
            json={"challenge": started["challenge"], "code": pyotp.TOTP(secret).now()},
            auth=signer,
        )
    )
    return secret
