"""Who the fuzz signs in as, and how each of its requests is signed.

A business is set up through the public API as a venue would be: an owner and a cashier are
added, the owner signs in to the backoffice with a password, a till is activated with its own
DPoP key and the cashier signs in on it with a PIN and opens a shift; one cash sale is rung
up and closed, so the lists, receipts and reports the fuzz reads are not all empty. The only
shortcut is the very first staff write, made with an owner token minted by the test (a new
business has nobody to sign in yet; tests/conftest.py's `token` does the same).

`DPoPSigner` is what schemathesis sends each request with (`schema.auth.set_from_requests`):
it signs the request exactly as it goes on the wire, a fresh proof (new `jti`, `htm`, `htu`,
`ath`) each time, and refreshes the session before its access token runs out.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import requests
import requests.auth

from clients.dpop import DeviceKey
from clients.session import DPoPAuth, activate, pin_sign_in
from libs.config import platform_settings
from libs.rbac import Role
from libs.rbac.matrix import find_route
from services.identity.keys.signing import mint_access_token
from services.identity.tenants.service import OPERATOR, create_location, create_tenant
from services.orders.provisioning import provision_orders
from tests.fuzz.stack import FuzzStack
from tests.support.http import ok_json
from tests.support.tills import stock_menu
from tests.support.tokens import PUBLIC_URL

PASSWORD = "correct horse battery staple"
PIN = "482916"
# Refreshed this long before the access token expires, so no request carries a stale one.
REFRESH_MARGIN_SECONDS = 60


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: float


def _tokens(body: dict[str, Any]) -> Tokens:
    return Tokens(
        body["access_token"], body["refresh_token"], time.time() + int(body["expires_in"])
    )


class DPoPSigner(requests.auth.AuthBase):
    """One signed-in session (a device key and its tokens) as a requests auth."""

    def __init__(self, *, role: Role, key: DeviceKey, tokens: Tokens, gateway: str) -> None:
        self.role = role
        self.key = key
        self.tokens = tokens
        self.gateway = gateway
        self._lock = threading.Lock()

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        assert request.method is not None
        # The path exactly as sent (requests has quoted it by now), under the public URL the
        # services check proofs against; the query is not signed (RFC 9449 section 4.2).
        path = request.path_url.split("?", 1)[0]
        url = PUBLIC_URL + path
        route = find_route(request.method, path)
        if route is not None and route.permission is None:
            # Sign-in, activation and refresh: a proof of the key alone, as a client sends it.
            request.headers.pop("Authorization", None)
            request.headers["DPoP"] = self.key.proof(request.method, url)
            return request
        access_token = self.current_access_token()
        request.headers["Authorization"] = f"DPoP {access_token}"
        request.headers["DPoP"] = self.key.proof(request.method, url, access_token)
        return request

    def current_access_token(self) -> str:
        with self._lock:
            if time.time() > self.tokens.expires_at - REFRESH_MARGIN_SECONDS:
                self._refresh()
            return self.tokens.access_token

    def _refresh(self) -> None:
        url = "/v1/auth/token"
        response = requests.post(
            self.gateway + url,
            json={"grant_type": "refresh_token", "refresh_token": self.tokens.refresh_token},
            headers={"DPoP": self.key.proof("POST", PUBLIC_URL + url)},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        self.tokens = _tokens(response.json())


class RoleSigner(requests.auth.AuthBase):
    """The signer of whichever role the running test signs in as: schemathesis's auth hook
    is set on the schema once, when pytest collects the fuzz, before anyone has signed in."""

    def __init__(self) -> None:
        self._signer: DPoPSigner | None = None

    def use(self, signer: DPoPSigner | None) -> None:
        self._signer = signer

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        assert self._signer is not None, "request the `signed_in` fixture"
        return self._signer(request)


@dataclass(frozen=True)
class Business:
    """The fuzzed business: its signed-in owner and cashier, and what they set up."""

    tenant: uuid.UUID
    owner: DPoPSigner
    cashier: DPoPSigner
    location_id: uuid.UUID
    order_id: str
    receipt_id: str

    def signer(self, role: Role) -> DPoPSigner:
        return {Role.OWNER: self.owner, Role.CASHIER: self.cashier}[role]


@asynccontextmanager
async def _connections(stack: FuzzStack) -> AsyncIterator[Any]:
    """tests/support/tills.py's `connect_as`, on the stack's loop: as the services' own roles."""
    opened: list[asyncpg.Connection] = []

    async def connect(service: str) -> asyncpg.Connection:
        connection = await asyncpg.connect(stack.database.service_urls[service])
        opened.append(connection)
        return connection

    try:
        yield connect
    finally:
        for connection in opened:
            await connection.close()


async def set_up_business(stack: FuzzStack) -> Business:
    """Runs on the stack's loop (`stack.run(set_up_business(stack))`)."""
    databases = stack.databases
    tenant = await create_tenant(
        databases["identity"], name="Harbour Lane Fuzz", region="au", currency="AUD"
    )
    tenant_id = tenant.tenant_id
    await provision_orders(
        databases["orders"],
        tenant_id=tenant_id,
        region=tenant.region,
        currency=tenant.currency,
        actor=OPERATOR,
    )
    settings = platform_settings()
    bootstrap_key = DeviceKey.generate()
    bootstrap = DPoPAuth(
        bootstrap_key,
        mint_access_token(
            stack.signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            subject="fuzz-bootstrap",
            tenant_id=tenant_id,
            role=str(Role.OWNER),
            key_thumbprint=bootstrap_key.thumbprint(),
        ),
        public_url=PUBLIC_URL,
    )
    location = await create_location(
        databases["identity"],
        tenant_id=tenant_id,
        name="Front bar",
        time_zone="Australia/Sydney",
        business_day_cutoff_hour=4,
    )
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        owner_email = f"owner.{uuid.uuid4().hex[:8]}@harbourlane.example"
        ok_json(
            await client.post(
                "/v1/staff",
                json={
                    "email": owner_email,
                    "display_name": "Olive Owner",
                    "role": "owner",
                    "password": PASSWORD,
                },
                auth=bootstrap,
            ),
            201,
        )
        cashier = ok_json(
            await client.post(
                "/v1/staff",
                json={
                    "email": f"cashier.{uuid.uuid4().hex[:8]}@harbourlane.example",
                    "display_name": "Cas Cashier",
                    "role": "cashier",
                    "pin": PIN,
                },
                auth=bootstrap,
            ),
            201,
        )

        # The owner: a backoffice password sign-in, bound to the browser's own key.
        owner_key = DeviceKey.generate()
        signed_in = ok_json(
            await client.post(
                "/v1/auth/password",
                json={"business": str(tenant_id), "email": owner_email, "password": PASSWORD},
                auth=DPoPAuth(owner_key, public_url=PUBLIC_URL),
            )
        )
        assert signed_in["status"] == "signed_in", signed_in
        owner = DPoPSigner(
            role=Role.OWNER, key=owner_key, tokens=_tokens(signed_in), gateway=stack.gateway
        )

        # The cashier: a till activated with its DPoP key, then a PIN sign-in on it.
        owner_auth = DPoPAuth(owner_key, owner.current_access_token(), public_url=PUBLIC_URL)
        code = ok_json(
            await client.post(
                "/v1/devices/activation-codes",
                json={"location_id": str(location.location_id)},
                auth=owner_auth,
            ),
            201,
        )
        till_key = DeviceKey.generate()
        device = await activate(
            client, code=code["code"], key=till_key, name="Till 1", public_url=PUBLIC_URL
        )
        session = await pin_sign_in(
            client,
            device=device,
            key=till_key,
            staff_id=cashier["id"],
            pin=PIN,
            public_url=PUBLIC_URL,
        )
        till = DPoPSigner(
            role=Role.CASHIER,
            key=till_key,
            tokens=Tokens(session.access_token, session.refresh_token, session.expires_at),
            gateway=stack.gateway,
        )
        till_auth = session.auth

        # A shift, a menu and one closed cash sale.
        shift = {"opening_float_minor": 20_000}
        ok_json(await client.post("/v1/shifts", json=shift, auth=till_auth), 201)
        async with _connections(stack) as connect_as:
            menu = await stock_menu(connect_as, tenant_id)
        lines = [
            {"item_id": str(menu.coffee_id), "modifier_ids": [str(menu.oat_milk_id)]},
            {"item_id": str(menu.bread_id)},
        ]
        order = ok_json(await client.post("/v1/orders", json={"lines": lines}, auth=till_auth), 201)
        paid = ok_json(
            await client.post(
                f"/v1/orders/{order['id']}/payments",
                json={"version": order["version"], "tender": "cash", "tendered_minor": 1_000},
                auth=till_auth,
            ),
            201,
        )
        closed = ok_json(
            await client.post(
                f"/v1/orders/{order['id']}/close",
                json={"version": paid["order"]["version"]},
                auth=till_auth,
            )
        )
    return Business(
        tenant=tenant_id,
        owner=owner,
        cashier=till,
        location_id=location.location_id,
        order_id=order["id"],
        receipt_id=closed["receipt"]["id"],
    )
