"""A till's whole sale with the official Python client (clients/halopos_client, generated
from the spec) and its DPoP auth (clients/dpop_auth.py), through the gateway on real sockets:
what docs/integrating.md walks an integrator through. Every call of the till is a generated
function; the owner's set-up before it is tests/support/integrator.py's.

The sale: a flat white with oat milk (500) and a bread roll (300), 800 in all, paid with a
twenty in cash (2000 tendered, 1200 change)."""

from __future__ import annotations

import time
import uuid

import httpx

from clients.dpop import DeviceKey
from clients.dpop_auth import SessionAuth
from clients.halopos_client import AuthenticatedClient
from clients.halopos_client.api.devices import devices_activate_device
from clients.halopos_client.api.menu import menu_get_till_menu
from clients.halopos_client.api.orders import orders_open_order
from clients.halopos_client.api.payments import payments_close_order, payments_take_payment
from clients.halopos_client.api.receipts import receipts_get_receipt
from clients.halopos_client.api.shifts import shifts_open_shift
from clients.halopos_client.api.sign_in import sign_in_sign_in_with_pin
from clients.halopos_client.models import (
    ActivatedDevice,
    CashPayment,
    ClosedOrder,
    CloseRequest,
    DeviceActivation,
    DeviceActivationECP256PublicKey,
    LineIn,
    Order,
    OrderOpen,
    OrderStatus,
    PaymentResult,
    PinSignIn,
    ProblemDetails,
    Receipt,
    SaleSnapshot,
    Shift,
    ShiftOpen,
    TillMenu,
    TokenResponse,
)
from libs.tenancy.database import TenantDatabase
from tests.conftest import LiveStack
from tests.support.database import Connect, Provision
from tests.support.integrator import a_venue_ready_for_a_till
from tests.support.tokens import PUBLIC_URL, TokenFactory


async def test_a_tills_sale_with_the_generated_client(
    live_stack: LiveStack,
    service_databases: dict[str, TenantDatabase],
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    async with httpx.AsyncClient(base_url=live_stack.gateway) as back_office:
        venue = await a_venue_ready_for_a_till(
            back_office,
            service_databases["identity"],
            provision=provision,
            token=token,
            connect_as=connect_as,
        )

    # The till: its own key, and one client whose auth signs every request with it. The
    # services check proofs against the public URL, not the socket this test reaches.
    key = DeviceKey.generate()
    auth = SessionAuth(key, public_url=PUBLIC_URL)
    async with AuthenticatedClient(
        base_url=live_stack.gateway, token="", httpx_args={"auth": auth}
    ) as api:
        activated = await devices_activate_device.asyncio_detailed(
            client=api,
            body=DeviceActivation(
                code=venue.activation_code,
                public_jwk=DeviceActivationECP256PublicKey.from_dict(key.public_jwk()),
                name="Till 1",
            ),
        )
        assert activated.status_code == 201, activated.content
        assert isinstance(activated.parsed, ActivatedDevice)
        assert activated.parsed.location_id == venue.location_id

        signed_in = await sign_in_sign_in_with_pin.asyncio_detailed(
            client=api,
            body=PinSignIn(
                device=activated.parsed.device,
                staff_id=uuid.UUID(venue.cashier_id),
                pin=venue.pin,
            ),
        )
        assert signed_in.status_code == 200, signed_in.content
        assert isinstance(signed_in.parsed, TokenResponse)
        assert signed_in.parsed.device_id == activated.parsed.device_id
        auth.use_tokens(signed_in.parsed)

        shift = await shifts_open_shift.asyncio_detailed(
            client=api,
            body=ShiftOpen(opening_float_minor=20_000),
            idempotency_key=str(uuid.uuid4()),
        )
        assert shift.status_code == 201, shift.content
        assert isinstance(shift.parsed, Shift)
        assert shift.parsed.opening_float_minor == 20_000

        menu = await menu_get_till_menu.asyncio_detailed(client=api)
        assert menu.status_code == 200, menu.content
        assert isinstance(menu.parsed, TillMenu)
        assert menu.parsed.currency == "AUD"
        items = {item.name: item for category in menu.parsed.categories for item in category.items}
        coffee, bread = items["Flat white"], items["Bread roll"]
        oat_milk = next(
            modifier.id
            for group in coffee.modifier_groups
            for modifier in group.modifiers
            if modifier.name == "Oat milk"
        )

        opened = await orders_open_order.asyncio_detailed(
            client=api,
            body=OrderOpen(
                lines=[
                    LineIn(item_id=coffee.id, modifier_ids=[oat_milk]),
                    LineIn(item_id=bread.id, quantity=1),
                ]
            ),
            idempotency_key=str(uuid.uuid4()),
        )
        assert opened.status_code == 201, opened.content
        order = opened.parsed
        assert isinstance(order, Order)
        assert (order.status, order.total_minor, order.balance_minor) == (
            OrderStatus.OPEN,
            800,
            800,
        )
        assert [line.item_id for line in order.lines] == [coffee.id, bread.id]

        # The access token is about to expire: the auth refreshes it before the next call.
        first_token = auth.access_token
        auth.expires_at = time.time()
        paid = await payments_take_payment.asyncio_detailed(
            order.id,
            client=api,
            body=CashPayment(tender="cash", version=order.version, tendered_minor=2_000),
            idempotency_key=str(uuid.uuid4()),
        )
        assert paid.status_code == 201, paid.content
        assert auth.access_token != first_token
        assert isinstance(paid.parsed, PaymentResult)
        assert paid.parsed.payment is not None
        assert (paid.parsed.payment.amount_minor, paid.parsed.payment.change_minor) == (800, 1_200)
        assert paid.parsed.order.balance_minor == 0

        closed = await payments_close_order.asyncio_detailed(
            order.id, client=api, body=CloseRequest(version=paid.parsed.order.version)
        )
        assert closed.status_code == 200, closed.content
        assert isinstance(closed.parsed, ClosedOrder)
        assert closed.parsed.order.status == OrderStatus.CLOSED
        issued = closed.parsed.receipt

        # A mistake comes back as a problem (RFC 9457), typed like any other answer.
        again = await payments_close_order.asyncio_detailed(
            order.id, client=api, body=CloseRequest(version=closed.parsed.order.version)
        )
        assert again.status_code == 409, again.content
        assert isinstance(again.parsed, ProblemDetails)
        assert again.parsed.code == "order-not-open"

        receipt = await receipts_get_receipt.asyncio_detailed(issued.id, client=api)
        assert receipt.status_code == 200, receipt.content
        assert isinstance(receipt.parsed, Receipt)
        assert receipt.parsed.number == issued.number == "R1-000001"
        assert (receipt.parsed.order_id, receipt.parsed.total_minor) == (order.id, 800)
        # The receipt's frozen content is typed too: a sale's snapshot, its lines as sold.
        snapshot = receipt.parsed.snapshot
        assert isinstance(snapshot, SaleSnapshot)
        assert snapshot.total_minor == 800
        assert [(line.name, line.total_minor) for line in snapshot.lines] == [
            ("Flat white", 500),
            ("Bread roll", 300),
        ]
