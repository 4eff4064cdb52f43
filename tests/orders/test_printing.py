"""What the orders service prints, as paper: the ESC/POS rendering itself (pure: layout, money,
code pages), a manager's copy of a receipt, and the menu category that names its printer. The
paper of a sale's commands (tickets when an order is fired, the receipt at the close, refund
receipts, VOID tickets) is tested with each command, in tests/orders/sale/; they read it with
`printed_lines` and `printed_text` (tests/support/printing.py).

Jobs are read back as the bridge service reads them: the orders service may only insert them.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from libs.bridge.escpos import (
    COLUMNS,
    KitchenTicket,
    ReceiptItem,
    Tender,
    TicketItem,
    Venue,
    format_money,
    format_rate,
    kitchen_ticket_layout,
    receipt_layout,
    render_kitchen_ticket,
    render_receipt,
)
from libs.rbac import Role
from tests.support.database import Connect, Provision
from tests.support.printing import NOON_UTC, SYDNEY, a_receipt, printed_lines, printed_text
from tests.support.sale import audit_rows, close, pay, sell
from tests.support.tills import OpenTill, coffee_order, name_venue, open_till, print_jobs
from tests.support.tokens import TokenFactory

# -- pure rendering ----------------------------------------------------------------------------


def test_money_is_formatted_from_integer_minor_units() -> None:
    assert format_money(0, "AUD") == "0.00"
    assert format_money(5, "AUD") == "0.05"
    assert format_money(-5, "AUD", symbol=True) == "-$0.05"
    assert format_money(123_456_789, "AUD", symbol=True) == "$1,234,567.89"
    assert format_money(2520, "EUR", symbol=True) == "25,20 €"
    assert format_money(-123_456, "EUR") == "-1.234,56"
    assert format_money(1234, "JPY", symbol=True) == "¥1,234"
    assert format_money(1999, "CHF", symbol=True) == "CHF 19.99"
    # Past where a float is exact: 2**53 + 1 cents stays exactly that.
    assert format_money(2**53 + 1, "AUD") == "90,071,992,547,409.93"


def test_rates_print_as_written() -> None:
    assert [format_rate(r) for r in ("10.000", "0.000", "5.500", "19")] == [
        "10%",
        "0%",
        "5.5%",
        "19%",
    ]


@pytest.mark.parametrize("columns", [COLUMNS, 32])
def test_every_line_fits_the_paper_and_amounts_stay_whole(columns: int) -> None:
    long_name = "Slow-roasted lamb shoulder with rosemary potatoes and a very long garnish list"
    receipt = a_receipt(
        items=(
            ReceiptItem(long_name, 99_999_999, quantity=1000, unit_price_minor=99_999),
            ReceiptItem("Flat white", 500, modifiers=("Extra hot, half strength, oat",)),
        ),
        total_minor=-100_000_000,
        tip_minor=5_000_000,
    )
    lines = receipt_layout(receipt, venue=SYDNEY, reprinted_at=NOON_UTC, columns=columns)
    assert all(len(line.text) <= columns for line in lines)
    texts = [line.text for line in lines]
    # The amount is never cut: it is on the item's first line, flush right.
    first = next(text for text in texts if text.startswith("1000 x Slow-roasted"))
    assert first.endswith("999,999.99")
    assert any(text.rstrip().endswith("-$1,000,000.00") for text in texts)
    # The whole name is there, wrapped.
    assert "garnish list" in " ".join(texts)


def test_a_receipt_shows_what_was_sold_taxed_and_paid() -> None:
    texts = [line.text for line in receipt_layout(a_receipt(), venue=SYDNEY)]
    assert texts[0] == "Harbour Café Group"
    assert texts[1] == "Front bar"
    assert texts[3].startswith("RECEIPT R1-000123") and texts[3].endswith("Register 1")
    assert texts[4] == "2026-11-26 12:30 AEDT"
    assert texts[5].startswith("Table 4") and texts[5].endswith("Covers 2")
    for expected in (
        "2 x Flat white" + " " * 30 + "9.00",
        "    @ 4.50 each",
        "    + Oat milk",
        "Discounts" + " " * 34 + "-0.10",
        "TOTAL" + " " * 37 + "$16.90",
        "GST included in prices",
        "GST rate" + " " * 11 + "Net" + " " * 10 + "GST" + " " * 8 + "Gross",
        "10%" + " " * 14 + "12.64" + " " * 9 + "1.26" + " " * 8 + "13.90",
        "0%" + " " * 16 + "3.00" + " " * 9 + "0.00" + " " * 9 + "3.00",
        "Card Visa •••• 4242" + " " * 24 + "16.90",
        "Thank you",
    ):
        assert expected in texts, expected
    joined = "\n".join(texts)
    assert all(len(text) <= COLUMNS for text in texts)
    assert "COPY" not in joined


def test_an_exclusive_price_adds_the_tax_and_a_refund_says_so() -> None:
    exclusive = "\n".join(
        line.text
        for line in receipt_layout(
            a_receipt(currency="EUR", prices_include_tax=False, tax_minor=300, discount_minor=0),
            venue=SYDNEY,
        )
    )
    assert "VAT added to prices" in exclusive
    assert "\nVAT" + " " * 41 + "3,00" in exclusive
    refund = "\n".join(
        line.text
        for line in receipt_layout(
            a_receipt(
                kind="refund",
                original_receipt_number="R1-000100",
                reason="quality issue",
                items=(ReceiptItem("Bread roll", -300),),
                total_minor=-300,
                discount_minor=0,
                tenders=(Tender("cash", -300),),
                table_name=None,
                covers=None,
            ),
            venue=SYDNEY,
        )
    )
    assert "REFUND R1-000123" in refund
    assert "Refund of receipt R1-000100" in refund
    assert "Reason: quality issue" in refund
    assert "TOTAL REFUNDED" + " " * 28 + "-$3.00" in refund


def test_a_copy_is_marked_and_a_kitchen_ticket_has_no_prices() -> None:
    copy = receipt_layout(a_receipt(), venue=SYDNEY, reprinted_at=NOON_UTC)
    assert copy[0].text == "*** COPY ***" and copy[0].bold and copy[0].tall
    assert copy[1].text == "Reprinted 2026-11-26 12:30 AEDT"
    assert copy[-1].text == "*** COPY ***"
    ticket = KitchenTicket(
        station="Kitchen",
        order_reference="3F2A9C1B",
        fired_at=NOON_UTC,
        items=(TicketItem(2, "Flat white", ("Oat milk",)), TicketItem(1, "Bread roll")),
        table_name="4",
        covers=2,
        register_number=1,
    )
    texts = [line.text for line in kitchen_ticket_layout(ticket, venue=SYDNEY)]
    assert texts[0] == "KITCHEN"
    assert texts[1].startswith("Table 4") and texts[1].endswith("Covers 2")
    assert texts[2].startswith("Order 3F2A9C1B") and texts[2].endswith("Register 1")
    assert texts[3] == "2026-11-26 12:30 AEDT"
    assert "2 x Flat white" in texts and "    + Oat milk" in texts and "1 x Bread roll" in texts
    assert not any(re.search(r"\d\.\d\d", text) for text in texts), "no prices"
    copy_ticket = render_kitchen_ticket(ticket, venue=SYDNEY, reprinted_at=NOON_UTC)
    assert "*** COPY ***" in printed_text(copy_ticket)


def test_the_bytes_reset_the_printer_choose_a_euro_code_page_and_cut() -> None:
    body = render_receipt(
        a_receipt(currency="EUR"), venue=Venue("Bäckerei Größe", "Straße 1", "Europe/Berlin")
    )
    # ESC @ (reset), then ESC t 19 (PC858, which has € and umlauts), and a cut at the end.
    assert body.startswith(b"\x1b@\x1bt\x13")
    assert body.endswith(b"\x1dV\x00")
    assert b"B\x84ckerei Gr\x94\xe1e" in body
    assert "16,90 €" in printed_text(body)
    assert "Bäckerei Größe" in printed_lines(body)


# -- reprints ----------------------------------------------------------------------------------


@pytest.fixture
async def till(provision: Provision, connect_as: Connect, token: TokenFactory) -> OpenTill:
    till = await open_till(connect_as, token, await provision())
    await name_venue(
        connect_as,
        till.tenant,
        till.location_id,
        business="Harbour Café Group",
        venue="Front bar",
        time_zone="Australia/Sydney",
    )
    return till


async def a_closed_sale(client: httpx.AsyncClient, till: OpenTill) -> dict[str, Any]:
    order = await sell(client, till, coffee_order(till))
    paid = await pay(client, till, order, tender="card")
    closed = await close(client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    receipt: dict[str, Any] = closed.json()["receipt"]
    return receipt


async def test_a_manager_reprints_a_copy(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect, token: TokenFactory
) -> None:
    receipt = await a_closed_sale(orders_client, till)
    [original] = await print_jobs(connect_as, till.tenant)
    manager = token(till.tenant, Role.MANAGER, "manager-1")
    url = f"/v1/receipts/{receipt['id']}/reprint"
    headers = {"Idempotency-Key": f"reprint-{uuid.uuid4()}"}
    body = {"reason": "Customer needs it for expenses"}
    reprinted = await orders_client.post(url, json=body, headers=headers, auth=manager)
    assert reprinted.status_code == 202, reprinted.text
    queued = reprinted.json()
    assert queued["kind"] == "reprint" and queued["printer_role"] == "receipt"
    assert queued["summary"] == "Copy of receipt R1-000001"
    assert queued["location_id"] == str(till.location_id)

    again = await orders_client.post(url, json=body, headers=headers, auth=manager)
    assert again.status_code == 202 and again.json() == queued
    jobs = await print_jobs(connect_as, till.tenant)
    assert len(jobs) == 2
    [copy] = [job for job in jobs if job["kind"] == "reprint"]
    assert copy["id"] == uuid.UUID(queued["print_job_id"])
    assert copy["receipt_id"] == uuid.UUID(receipt["id"])
    assert copy["register_number"] == 1
    assert copy["created_by"] == "manager-1"
    lines = printed_lines(copy["body"])
    assert lines[0] == "*** COPY ***"
    assert lines[1].startswith("Reprinted ")
    # The same receipt as the original, under the banner.
    original_lines = printed_lines(original["body"])
    assert lines[3 : 3 + len(original_lines) - 2] == original_lines[:-2]

    [audit] = await audit_rows(connect_as, till.tenant, "receipt.reprinted")
    assert audit["resource_id"] == receipt["id"]
    assert audit["actor_id"] == "manager-1"
    assert audit["payload"]["reason"] == "Customer needs it for expenses"
    assert audit["payload"]["receipt_number"] == "R1-000001"
    assert audit["payload"]["print_job_id"] == queued["print_job_id"]


async def test_a_cashier_cannot_reprint_and_unknown_receipts_are_not_found(
    orders_client: httpx.AsyncClient,
    till: OpenTill,
    connect_as: Connect,
    token: TokenFactory,
    provision: Provision,
) -> None:
    receipt = await a_closed_sale(orders_client, till)
    url = f"/v1/receipts/{receipt['id']}/reprint"
    refused = await orders_client.post(url, json={}, auth=till.staff)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission-denied"
    owner = token(till.tenant, Role.OWNER)
    unknown = await orders_client.post(f"/v1/receipts/{uuid.uuid4()}/reprint", json={}, auth=owner)
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "receipt-not-found"
    # Another business's receipt is not found either: not "forbidden".
    stranger = token(await provision(), Role.OWNER)
    theirs = await orders_client.post(url, json={}, auth=stranger)
    assert theirs.status_code == 404
    too_long = await orders_client.post(url, json={"reason": "x" * 201}, auth=owner)
    assert too_long.status_code == 422
    assert len(await print_jobs(connect_as, till.tenant)) == 1
    assert await audit_rows(connect_as, till.tenant, "receipt.reprinted") == []


# -- the menu says where things are made -------------------------------------------------------


async def test_a_menu_category_names_its_printer(
    orders_client: httpx.AsyncClient, provision: Provision, connect_as: Connect, token: TokenFactory
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    created = await orders_client.post(
        "/v1/menu/categories", json={"name": "Drinks", "printer_role": "bar"}, auth=owner
    )
    assert created.status_code == 201, created.text
    category = created.json()
    assert category["printer_role"] == "bar"
    plain = await orders_client.post("/v1/menu/categories", json={"name": "Shop"}, auth=owner)
    assert plain.json()["printer_role"] is None
    refused = await orders_client.post(
        "/v1/menu/categories", json={"name": "Oven", "printer_role": "oven"}, auth=owner
    )
    assert refused.status_code == 422

    url = f"/v1/menu/categories/{category['id']}"
    moved = await orders_client.patch(
        url, json={"printer_role": "kitchen", "version": 1}, auth=owner
    )
    assert moved.status_code == 200, moved.text
    cleared = await orders_client.patch(url, json={"printer_role": None, "version": 2}, auth=owner)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["printer_role"] is None
    # Null still clears only printer_role: a name cannot be null.
    nameless = await orders_client.patch(url, json={"name": None, "version": 3}, auth=owner)
    assert nameless.status_code == 422
    listed = await orders_client.get("/v1/menu/categories", auth=owner)
    assert {c["name"]: c["printer_role"] for c in listed.json()["items"]} == {
        "Drinks": None,
        "Shop": None,
    }

    [made] = [
        row
        for row in await audit_rows(connect_as, tenant, "menu_category.created")
        if row["resource_id"] == category["id"]
    ]
    assert made["payload"]["printer_role"] == "bar"
    changes = await audit_rows(connect_as, tenant, "menu_category.changed")
    assert [(row["payload"]["before"], row["payload"]["after"]) for row in changes] == [
        ({"printer_role": "bar"}, {"printer_role": "kitchen"}),
        ({"printer_role": "kitchen"}, {"printer_role": None}),
    ]
