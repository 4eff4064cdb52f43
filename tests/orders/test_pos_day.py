"""A cashier's day through the gateway, with a device-bound session: open a shift, sell a
mixed order, pay split cash and card, get a receipt, refund a line with a manager's override,
close the shift with a cash count and read the Z report. Every number is worked by hand below.

The order (AU, prices include GST; the business allows discounts up to 10%):
  2 x flat white with oat milk   2 x (450 + 50) = 1000   GST 10%
  1 x bread roll                                 300   GST-free
  subtotal                                      1300
  10% order discount: 130, shared by amount: 100 off the coffees, 30 off the roll
  coffees 900 (GST = 900 / 11 = 81.82 -> 82, once for the invoice; net 818), roll 270
  total                                         1170   GST 82
Paid: card 1000, then cash 170 (a multiple of 5c: no rounding), 200 handed over, 30 change.
Refund the roll (quality issue) with a manager's override: 270, no GST, back to the latest
payment first: 170 cash, then 100 card.
Shift: float 200.00. Cash expected 20000 + 170 - 170 = 20000, counted 19990: 10 short.
Card expected 1000 - 100 = 900, counted 900.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from clients.dpop import DeviceKey
from libs.rbac import Role
from tests.conftest import LiveStack
from tests.support.database import Connect, Provision
from tests.support.tills import register_device, stock_menu
from tests.support.tokens import TokenFactory

MANAGER_PIN = "2468"


async def test_a_cashiers_day_through_the_gateway(
    live_stack: LiveStack, provision: Provision, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    menu = await stock_menu(connect_as, tenant)
    owner = token(tenant, Role.OWNER)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:

        async def call(method: str, path: str, auth: httpx.Auth, **body: Any) -> dict[str, Any]:
            response = await gateway.request(method, path, json=body or None, auth=auth)
            assert response.status_code in (200, 201), (path, response.text)
            answer: dict[str, Any] = response.json()
            return answer

        manager = await call(
            "POST",
            "/v1/staff",
            owner,
            email=f"m.{uuid.uuid4().hex[:8]}@harbourlane.example",
            display_name="Morgan",
            role="manager",
            pin=MANAGER_PIN,
        )
        await call(
            "PATCH",
            "/v1/settings/override-limits",
            owner,
            discount_limit_bps=1000,
            void_limit_minor=0,
            refund_limit_minor=0,
        )
        key = DeviceKey.generate()
        location_id, device_id = await register_device(connect_as, tenant, key)
        cashier = token(
            tenant,
            Role.CASHIER,
            str(uuid.uuid4()),
            key=key,
            location_id=location_id,
            device_id=device_id,
        )

        shift = await call("POST", "/v1/shifts", cashier, opening_float_minor=20_000)
        coffee = {
            "item_id": str(menu.coffee_id),
            "quantity": 2,
            "modifier_ids": [str(menu.oat_milk_id)],
        }
        order = await call(
            "POST",
            "/v1/orders",
            cashier,
            table_name="7",
            covers=2,
            lines=[coffee, {"item_id": str(menu.bread_id)}],
            discount={"kind": "percent", "value": 1000},
        )
        assert (order["subtotal_minor"], order["discount_minor"], order["total_minor"]) == (
            1300,
            130,
            1170,
        )
        assert order["tax"] == [
            {"rate": "10.000", "net_minor": 818, "tax_minor": 82, "gross_minor": 900},
            {"rate": "0.000", "net_minor": 270, "tax_minor": 0, "gross_minor": 270},
        ]
        card = await call(
            "POST",
            f"/v1/orders/{order['id']}/payments",
            cashier,
            version=order["version"],
            tender="card",
            amount_minor=1000,
        )
        cash = await call(
            "POST",
            f"/v1/orders/{order['id']}/payments",
            cashier,
            version=card["order"]["version"],
            tender="cash",
            tendered_minor=200,
        )
        assert (cash["payment"]["amount_minor"], cash["payment"]["change_minor"]) == (170, 30)
        closed = await call(
            "POST", f"/v1/orders/{order['id']}/close", cashier, version=cash["order"]["version"]
        )
        receipt = closed["receipt"]
        assert receipt["number"] == "R1-000001"
        assert receipt["snapshot"]["tax_minor"] == 82
        assert [(p["tender"], p["amount_minor"]) for p in receipt["snapshot"]["payments"]] == [
            ("card", 1000),
            ("cash", 170),
        ]
        assert receipt["snapshot"]["payments"][0]["last4"] is not None

        refund_body = {
            "version": closed["order"]["version"],
            "reason_code": "quality_issue",
            "lines": [{"line_number": 2, "quantity": 1}],
        }
        refused = await gateway.post(
            f"/v1/orders/{order['id']}/refunds", json=refund_body, auth=cashier
        )
        assert refused.status_code == 403, refused.text
        granted = await call(
            "POST",
            "/v1/auth/overrides",
            cashier,
            approver_id=manager["id"],
            pin=MANAGER_PIN,
            action="refund",
            resource_id=order["id"],
            amount_minor=270,
        )
        refund = await gateway.post(
            f"/v1/orders/{order['id']}/refunds",
            json=refund_body,
            auth=cashier,
            headers={"X-Override-Token": granted["override_token"]},
        )
        assert refund.status_code == 201, refund.text
        refunded = refund.json()
        assert refunded["refund"]["amount_minor"] == 270
        assert refunded["refund"]["tax_minor"] == 0
        assert refunded["refund"]["approved_by"] == manager["id"]
        assert [(t["tender"], t["amount_minor"]) for t in refunded["refund"]["tenders"]] == [
            ("cash", 170),
            ("card", 100),
        ]
        assert refunded["receipt"]["number"] == "R1-000002"
        assert refunded["receipt"]["original_receipt_id"] == receipt["id"]

        x_report = await call("GET", f"/v1/shifts/{shift['id']}/x-report", cashier)
        assert x_report["expected"] == {"cash": 20_000, "card": 900}
        current = await call("GET", "/v1/shifts/current", cashier)
        z_closed = await call(
            "POST",
            f"/v1/shifts/{shift['id']}/close",
            cashier,
            version=current["version"],
            counted={"cash": 19_990, "card": 900},
        )
        assert z_closed["status"] == "closed"
        z = await call("GET", f"/v1/shifts/{shift['id']}/z-report", cashier)
        assert z["kind"] == "Z"
        assert (z["order_count"], z["covers"]) == (1, 2)
        assert (z["gross_sales_minor"], z["discounts_minor"], z["net_sales_minor"]) == (
            1300,
            130,
            1170,
        )
        assert [(t["rate"], t["tax_minor"]) for t in z["tax"]] == [("10.000", 82), ("0.000", 0)]
        assert z["refunds"]["count"] == 1
        assert z["refunds"]["amount_minor"] == 270
        assert z["payments"]["cash"]["amount_minor"] == 170
        assert z["payments"]["card"]["amount_minor"] == 1000
        assert z["expected"] == {"cash": 20_000, "card": 900}
        assert z["counted"] == {"cash": 19_990, "card": 900}
        assert z["difference"] == {"cash": -10, "card": 0}
