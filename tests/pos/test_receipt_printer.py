"""The scenarios' business and receipt printer, proven without a browser: the café
(tests/pos/till_business.py) is set up through the API as the scenarios need it, and a sale
closed online through the API comes out of the fake printer through the reference Bridge
agent (tests/pos/receipt_printer.py), with its number, lines and total on the paper."""

from __future__ import annotations

from typing import Any

import httpx

from tests.fuzz.stack import FuzzStack
from tests.pos.receipt_printer import ReceiptPrinter
from tests.pos.till_business import OnlineTill, TillBusiness, till_session


def test_the_cafe_is_set_up_as_the_scenarios_need_it(
    stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    platform, _ = stack
    owner = till_business.owner

    def get(path: str, **params: Any) -> dict[str, Any]:
        response = httpx.get(f"{platform.gateway}{path}", params=params, auth=owner, timeout=30)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    categories = {c["name"]: c["position"] for c in get("/v1/menu/categories")["items"]}
    assert categories == {"Coffee": 0, "Food": 1}
    tax = {c["id"]: c["code"] for c in get("/v1/tax/categories")["items"]}
    items = {item["name"]: item for item in get("/v1/menu/items", limit=100)["items"]}
    assert {name: tax[item["tax_category_id"]] for name, item in items.items()} == {
        "Flat white": "gst",
        "Latte": "gst",
        "Bread roll": "gst-free",
        "Banana bread": "gst",
    }
    milk = till_business.menu.milk_group_id
    assert milk in items["Flat white"]["modifier_group_ids"]
    assert till_business.menu.items["Flat white"].button == "Flat white, $4.50"

    staff = {person["id"]: person for person in get("/v1/staff", limit=100)["items"]}
    for person in (till_business.cashier, till_business.manager):
        listed = staff[person.id]
        assert listed["role"] == person.role
        assert listed["has_pin"] is True
        assert listed["location_ids"] == [str(till_business.location_id)]
    limits = get("/v1/settings/override-limits")
    assert limits["offline_approval_limit_minor"] == till_business.offline_approval_limit_minor


def test_two_tills_get_codes_sign_in_and_are_numbered_as_registers(
    stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    platform, _ = stack
    first = platform.run(till_session(platform, till_business, name="Front"))
    second = platform.run(
        till_session(platform, till_business, name="Back", staff=till_business.manager)
    )
    assert first.device_id != second.device_id
    assert {first.register_number, second.register_number} == {1, 2}


def test_a_sale_closed_online_is_printed_through_the_bridge_agent(
    stack: tuple[FuzzStack, str], till_business: TillBusiness, receipt_printer: ReceiptPrinter
) -> None:
    platform, _ = stack

    async def sell() -> dict[str, Any]:
        till = await till_session(platform, till_business, name="Printing till")
        async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as client:
            online = OnlineTill(client, till, till_business)
            await online.open_shift()
            return await online.sale()

    receipt = platform.run(sell())
    paper = receipt_printer.receipt(receipt["number"])
    text = paper.text
    assert receipt["number"] in text
    for name in ("Flat white", "Latte", "Oat milk", "Bread roll"):
        assert name in text, text
    total = next(line for line in paper.lines if line.startswith("TOTAL"))
    assert "13.00" in total, text  # 4.50 + 5.00 + 0.50 + 3.00
    assert receipt["total_minor"] == 1_300
