"""What the orders service prints: receipts at close and refund, kitchen and bar tickets when
an order is fired (or closed), copies of receipts; and the ESC/POS rendering itself (pure).

Jobs are read back as the bridge service reads them: the orders service may only insert them.
"""

from __future__ import annotations

import dataclasses
import json
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from escpos.capabilities import get_profile
from escpos.codepages import CodePages

from libs.bridge.escpos import (
    COLUMNS,
    PROFILE,
    KitchenTicket,
    ReceiptFacts,
    ReceiptItem,
    TaxRate,
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
from tests.conftest import Connect, Provision, TokenFactory
from tests.tills import (
    OpenTill,
    as_service,
    coffee_order,
    name_venue,
    open_till,
    print_jobs,
    stock_stations,
)

# -- reading paper -----------------------------------------------------------------------------

_CODE_PAGE_SWITCH = re.compile(rb"\x1bt(.)", re.DOTALL)
_PAGES = {int(number): name for name, number in get_profile(PROFILE).get_code_pages().items()}


def printed_text(body: bytes) -> str:
    """The text a printer shows for `body`: each run decoded in the code page the document
    switched to (ESC t n), starting from the printer's default, PC437."""
    text, encoding = [], "cp437"
    position = 0
    for switch in _CODE_PAGE_SWITCH.finditer(body):
        text.append(body[position : switch.start()].decode(encoding))
        encoding = CodePages.get_encoding(_PAGES[switch.group(1)[0]])["python_encode"]
        position = switch.end()
    text.append(body[position:].decode(encoding))
    return "".join(text)


def printed_lines(body: bytes) -> list[str]:
    """The printed lines, without the style commands around them."""
    plain = re.sub(r"\x1b(?:[!Eat].|d.|@)|\x1dV.", "", printed_text(body), flags=re.DOTALL)
    return plain.split("\n")


# -- pure rendering ----------------------------------------------------------------------------

SYDNEY = Venue("Harbour Café Group", "Front bar", "Australia/Sydney")
NOON_UTC = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)  # 12:30 in Sydney (AEDT, UTC+11)


def a_receipt(**changes: Any) -> ReceiptFacts:
    facts = ReceiptFacts(
        kind="sale",
        number="R1-000123",
        register_number=1,
        issued_at=NOON_UTC,
        currency="AUD",
        prices_include_tax=True,
        items=(
            ReceiptItem("Flat white", 900, quantity=2, unit_price_minor=450),
            ReceiptItem("Flat white", 500, modifiers=("Oat milk",), unit_price_minor=500),
            ReceiptItem("Bread roll", 300, unit_price_minor=300),
        ),
        tax=(TaxRate(Decimal("10.000"), 1264, 126, 1390), TaxRate(Decimal("0.000"), 300, 0, 300)),
        total_minor=1690,
        subtotal_minor=1700,
        discount_minor=10,
        tax_minor=126,
        rounding_minor=0,
        tenders=(Tender("card", 1690, scheme="Visa", last4="4242"),),
        table_name="4",
        covers=2,
    )
    return dataclasses.replace(facts, **changes)


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
                kind="refund", original_receipt_number="R1-000100", reason="quality issue",
                items=(ReceiptItem("Bread roll", -300),), total_minor=-300, discount_minor=0,
                tenders=(Tender("cash", -300),), table_name=None, covers=None,
            ),
            venue=SYDNEY,
        )
    )  # fmt: skip
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


# -- what the till prints ----------------------------------------------------------------------


@pytest.fixture
async def till(provision: Provision, connect_as: Connect, token: TokenFactory) -> OpenTill:
    till = await open_till(connect_as, token, await provision())
    await name_venue(
        connect_as, till.tenant, till.location_id,
        business="Harbour Café Group", venue="Front bar", time_zone="Australia/Sydney",
    )  # fmt: skip
    return till


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as, "orders", tenant,
        "SELECT actor_id, resource_id, payload FROM audit.events WHERE action = $1 ORDER BY seq",
        action,
    )  # fmt: skip
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


async def sell(client: httpx.AsyncClient, till: OpenTill, body: dict[str, Any]) -> dict[str, Any]:
    created = await client.post("/v1/orders", json=body, auth=till.staff)
    assert created.status_code == 201, created.text
    order: dict[str, Any] = created.json()
    return order


async def pay(
    client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any], **body: Any
) -> dict[str, Any]:
    paid = await client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"version": order["version"], **body},
        auth=till.staff,
    )
    assert paid.status_code == 201, paid.text
    result: dict[str, Any] = paid.json()
    return result


async def close(
    client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any], **body: Any
) -> httpx.Response:
    return await client.post(
        f"/v1/orders/{order['id']}/close",
        json={"version": order["version"], **body},
        auth=till.staff,
    )


async def test_closing_a_card_sale_queues_one_receipt_at_the_registers_venue(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till, coffee_order(till))
    paid = await pay(orders_client, till, order, tender="card")
    card = paid["payment"]
    assert card["auth_code"] and card["last4"] and card["scheme"]
    closed = await close(orders_client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    receipt = closed.json()["receipt"]

    jobs = await print_jobs(connect_as, till.tenant)
    assert len(jobs) == 1
    job = jobs[0]
    assert job["printer_role"] == "receipt" and job["kind"] == "receipt"
    assert job["location_id"] == till.location_id
    assert job["register_number"] == 1
    assert job["receipt_id"] == uuid.UUID(receipt["id"])
    assert job["order_id"] == uuid.UUID(order["id"])
    assert job["summary"] == "Receipt R1-000001"
    assert job["status"] == "queued"
    assert job["created_by"] == till.subject

    text = printed_text(job["body"])
    assert "Harbour Café Group" in text
    assert "RECEIPT R1-000001" in text
    assert "$12.50" in text
    assert f"Card {card['scheme']} •••• {card['last4']}" in text
    assert card["auth_code"] not in text
    assert card["terminal_reference"] not in text
    local = datetime.fromisoformat(receipt["issued_at"]).astimezone(ZoneInfo("Australia/Sydney"))
    assert local.strftime("%Y-%m-%d %H:%M") in text

    queued = await audit_rows(connect_as, till.tenant, "print_job.queued")
    assert [row["resource_id"] for row in queued] == [str(job["id"])]
    assert queued[0]["payload"]["summary"] == "Receipt R1-000001"
    closed_row = (await audit_rows(connect_as, till.tenant, "order.closed"))[0]
    assert closed_row["payload"]["receipt_print_job_id"] == str(job["id"])


async def test_a_close_that_fails_prints_nothing(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till, coffee_order(till))
    refused = await close(orders_client, till, order)
    assert refused.status_code == 409
    assert refused.json()["code"] == "payments-do-not-match-total"
    assert await print_jobs(connect_as, till.tenant) == []
    assert await audit_rows(connect_as, till.tenant, "print_job.queued") == []


async def test_a_berlin_receipt_prints_euros_umlauts_and_berlin_time(
    orders_client: httpx.AsyncClient, provision: Provision, connect_as: Connect, token: TokenFactory
) -> None:
    till = await open_till(connect_as, token, await provision("eu"), region="eu")
    await name_venue(
        connect_as, till.tenant, till.location_id,
        business="Bäckerei Größe GmbH", venue="Café am Müggelsee", time_zone="Europe/Berlin",
    )  # fmt: skip
    order = await sell(orders_client, till, coffee_order(till))
    paid = await pay(orders_client, till, order, tender="cash", tendered_minor=2000)
    closed = await close(orders_client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    receipt = closed.json()["receipt"]
    [job] = await print_jobs(connect_as, till.tenant)
    body = job["body"]
    lines = printed_lines(body)
    assert "Bäckerei Größe GmbH" in lines
    assert "Café am Müggelsee" in lines
    # € and umlauts in PC858, the code page the document starts in.
    assert b"\x1bt\x13" in body
    assert b"M\x81ggelsee" in body
    assert b"12,50 \xd5" in body
    text = printed_text(body)
    assert "12,50 €" in text
    # Cash 20,00, change 7,50; VAT included: 19% of 950 and 7% of 300.
    assert re.search(r"\nCash +20,00\n", "\n".join(lines))
    assert re.search(r"\n  Change +7,50\n", "\n".join(lines))
    assert "VAT included in prices" in lines
    assert any(line.startswith("19%") for line in lines)
    assert any(line.startswith("7%") for line in lines)
    local = datetime.fromisoformat(receipt["issued_at"]).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{local:%Y-%m-%d %H:%M} {local.tzname()}" in lines
    assert local.tzname() in ("CET", "CEST")


async def test_firing_sends_each_new_line_once_to_its_station(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    stations = await stock_stations(connect_as, till.tenant, till.menu)
    order = await sell(
        orders_client,
        till,
        coffee_order(till, table_name="4", covers=2)
        | {
            "lines": [
                *coffee_order(till)["lines"],
                {"item_id": str(stations.beer_id), "quantity": 2},
                {"item_id": str(stations.beans_id)},
            ]
        },
    )
    url = f"/v1/orders/{order['id']}/fire"
    fired = await orders_client.post(url, json={"version": order["version"]}, auth=till.staff)
    assert fired.status_code == 200, fired.text
    result = fired.json()
    assert result["order"]["version"] == order["version"] + 1
    assert fired.headers["etag"] == f'"{order["version"] + 1}"'
    tickets = {ticket["printer_role"]: ticket for ticket in result["tickets"]}
    assert {role: t["line_numbers"] for role, t in tickets.items()} == {
        "kitchen": [1, 2, 3],
        "bar": [4],
    }

    jobs = {job["printer_role"]: job for job in await print_jobs(connect_as, till.tenant)}
    assert set(jobs) == {"kitchen", "bar"}
    for role, job in jobs.items():
        assert job["kind"] == "kitchen_ticket"
        assert job["id"] == uuid.UUID(tickets[role]["print_job_id"])
        assert job["location_id"] == till.location_id
        assert job["order_id"] == uuid.UUID(order["id"])
        assert job["receipt_id"] is None
    assert jobs["kitchen"]["summary"] == "Kitchen: table 4"
    assert jobs["bar"]["summary"] == "Bar: table 4"
    kitchen = printed_lines(jobs["kitchen"]["body"])
    bar = printed_lines(jobs["bar"]["body"])
    assert kitchen[0] == "KITCHEN" and bar[0] == "BAR"
    assert kitchen[1].startswith("Table 4") and kitchen[1].endswith("Covers 2")
    assert [line for line in kitchen if line.startswith(("1 x", "2 x", "    +"))] == [
        "1 x Flat white",
        "1 x Flat white",
        "    + Oat milk",
        "1 x Bread roll",
    ]
    assert "2 x Pale ale" in bar and "Pale ale" not in " ".join(kitchen)
    for text in (" ".join(kitchen), " ".join(bar)):
        assert "Coffee beans" not in text
        assert not re.search(r"\d\.\d\d", text), "no prices on a ticket"

    [audit] = await audit_rows(connect_as, till.tenant, "order.fired")
    assert audit["resource_id"] == order["id"]
    assert audit["payload"]["lines"] == {"kitchen": [1, 2, 3], "bar": [4]}
    assert audit["payload"]["closing"] is False

    # Nothing new: nothing sent, nothing changed.
    version = result["order"]["version"]
    again = await orders_client.post(url, json={"version": version}, auth=till.staff)
    assert again.status_code == 200, again.text
    assert again.json()["tickets"] == []
    assert again.json()["order"]["version"] == version
    assert len(await print_jobs(connect_as, till.tenant)) == 2
    assert len(await audit_rows(connect_as, till.tenant, "order.fired")) == 1

    # Another round of beer: only that goes, to the bar.
    added = await orders_client.post(
        f"/v1/orders/{order['id']}/lines",
        json={"version": version, "item_id": str(stations.beer_id)},
        auth=till.staff,
    )
    assert added.status_code == 201, added.text
    third = await orders_client.post(
        url, json={"version": added.json()["version"]}, auth=till.staff
    )
    assert [t["line_numbers"] for t in third.json()["tickets"]] == [[6]]
    jobs_now = await print_jobs(connect_as, till.tenant)
    assert len(jobs_now) == 3
    newest = next(job for job in jobs_now if job["id"] not in {j["id"] for j in jobs.values()})
    assert newest["printer_role"] == "bar"
    assert [line for line in printed_lines(newest["body"]) if " x " in line] == ["1 x Pale ale"]

    # The shelf item was never sent anywhere.
    rows = await as_service(
        connect_as, "orders", till.tenant,
        "SELECT line_number FROM orders.order_lines WHERE order_id = $1 AND fired_at IS NULL",
        uuid.UUID(order["id"]),
    )  # fmt: skip
    assert [row["line_number"] for row in rows] == [5]


async def test_firing_a_stale_version_is_a_conflict_and_sends_nothing(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    await stock_stations(connect_as, till.tenant, till.menu)
    order = await sell(orders_client, till, coffee_order(till))
    url = f"/v1/orders/{order['id']}/fire"
    stale = await orders_client.post(url, json={"version": order["version"] - 1}, auth=till.staff)
    assert stale.status_code == 409
    assert stale.json()["code"] == "version-conflict"
    missing = await orders_client.post(url, json={}, auth=till.staff)
    assert missing.status_code == 428
    unknown = await orders_client.post(
        f"/v1/orders/{uuid.uuid4()}/fire", json={"version": 1}, auth=till.staff
    )
    assert unknown.status_code == 404
    assert await print_jobs(connect_as, till.tenant) == []


async def test_firing_replays_by_idempotency_key(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    await stock_stations(connect_as, till.tenant, till.menu)
    order = await sell(orders_client, till, coffee_order(till))
    url = f"/v1/orders/{order['id']}/fire"
    headers = {"Idempotency-Key": f"fire-{uuid.uuid4()}"}
    body = {"version": order["version"]}
    first = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    again = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len(await print_jobs(connect_as, till.tenant)) == 1


async def test_closing_fires_what_is_left_and_can_skip_the_paper(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    stations = await stock_stations(connect_as, till.tenant, till.menu)
    # Counter service: order, pay, close; the kitchen and bar get it at the close.
    order = await sell(
        orders_client, till, {"lines": [{"item_id": str(till.menu.coffee_id)},
                                        {"item_id": str(stations.beer_id)}]},
    )  # fmt: skip
    paid = await pay(orders_client, till, order, tender="cash", tendered_minor=2000)
    closed = await close(orders_client, till, paid["order"], print_receipt=False)
    assert closed.status_code == 200, closed.text
    assert closed.json()["order"]["version"] == paid["order"]["version"] + 1
    jobs = await print_jobs(connect_as, till.tenant)
    assert sorted(job["printer_role"] for job in jobs) == ["bar", "kitchen"]
    assert all(job["kind"] == "kitchen_ticket" for job in jobs)
    [fired] = await audit_rows(connect_as, till.tenant, "order.fired")
    assert fired["payload"]["closing"] is True
    assert fired["payload"]["lines"] == {"kitchen": [1], "bar": [2]}
    [closed_row] = await audit_rows(connect_as, till.tenant, "order.closed")
    assert closed_row["payload"]["receipt_print_job_id"] is None

    # An order fired before it is paid is not sent again at the close; the receipt prints.
    second = await sell(orders_client, till, {"lines": [{"item_id": str(stations.beer_id)}]})
    fired_now = await orders_client.post(
        f"/v1/orders/{second['id']}/fire", json={"version": second["version"]}, auth=till.staff
    )
    paid = await pay(orders_client, till, fired_now.json()["order"], tender="card")
    assert (await close(orders_client, till, paid["order"])).status_code == 200
    jobs = await print_jobs(connect_as, till.tenant)
    for_second = [job for job in jobs if job["order_id"] == uuid.UUID(second["id"])]
    assert sorted(job["kind"] for job in for_second) == ["kitchen_ticket", "receipt"]


async def test_a_refund_prints_a_refund_receipt(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER)
    limits = await orders_client.patch(
        "/v1/settings/override-limits", json={"refund_limit_minor": 100_000}, auth=owner
    )
    assert limits.status_code == 200, limits.text
    order = await sell(orders_client, till, coffee_order(till))
    paid = await pay(orders_client, till, order, tender="card")
    closed = (await close(orders_client, till, paid["order"])).json()
    refunded = await orders_client.post(
        f"/v1/orders/{order['id']}/refunds",
        json={"version": closed["order"]["version"], "reason_code": "quality_issue",
              "lines": [{"line_number": 3, "quantity": 1}]},
        auth=till.staff,
    )  # fmt: skip
    assert refunded.status_code == 201, refunded.text
    receipt = refunded.json()["receipt"]
    jobs = await print_jobs(connect_as, till.tenant)
    [job] = [job for job in jobs if job["receipt_id"] == uuid.UUID(receipt["id"])]
    assert job["summary"] == "Refund receipt R1-000002"
    assert job["kind"] == "receipt" and job["printer_role"] == "receipt"
    lines = printed_lines(job["body"])
    text = "\n".join(lines)
    assert "REFUND R1-000002" in text
    assert "Refund of receipt R1-000001" in text
    assert "Reason: quality issue" in text
    assert re.search(r"\n1 x Bread roll +-3\.00\n", text)
    assert re.search(r"\nTOTAL REFUNDED +-\$3\.00\n", text)
    tender = refunded.json()["refund"]["tenders"][0]
    assert tender["auth_code"] and tender["auth_code"] not in text
    assert tender["terminal_reference"] not in text


# -- reprints ----------------------------------------------------------------------------------


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


# -- the menu says where things are made --------------------------------------------------------


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
