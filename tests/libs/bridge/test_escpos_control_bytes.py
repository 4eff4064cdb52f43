"""Only the renderer's own commands reach a printer: text on a receipt or a ticket can never
carry one. A menu item named "Margherita<ESC p ...>" (ESC p pulses the cash drawer) prints its
name, and the drawer stays shut. The API refuses such names (tests/libs/api/test_text_input.py);
these tests are about text stored before that rule, or that reached the renderer another way.

The Bridge agent (services/bridge/agent/) renders nothing: it sends the bytes the orders
service rendered to the printer unchanged, so this is the one place text becomes bytes."""

from __future__ import annotations

import dataclasses
import re
import uuid
from typing import Any

import httpx

from libs.bridge.escpos import (
    KitchenTicket,
    PrintLine,
    ReceiptItem,
    TicketItem,
    Venue,
    kitchen_ticket_layout,
    receipt_layout,
    render_kitchen_ticket,
    render_receipt,
    to_escpos,
)
from tests.support.database import Connect, Provision, as_service
from tests.support.printing import NOON_UTC, SYDNEY, a_receipt, printed_lines
from tests.support.sale import close, pay, sell
from tests.support.tills import coffee_order, name_venue, open_till, print_jobs
from tests.support.tokens import TokenFactory

DRAWER = b"\x1bp"  # ESC p m t1 t2: pulse the cash drawer
EVIL = "Margherita\x1bp\x00\x19\xfa"  # ESC p, drawer pin 0, pulse 25 x 2 ms, 250 x 2 ms
# The same as Postgres can store it (it refuses U+0000 in text): ESC p "0" is pin 0 too.
STORED_EVIL = "Margherita\x1bp0\x19\xfa"
# What every document the renderer makes starts and ends with: its own commands.
INIT, CUT = b"\x1b@", b"\x1dV"


def a_ticket(**changes: Any) -> KitchenTicket:
    ticket = KitchenTicket(
        station="Kitchen",
        order_reference="3F2A9C1B",
        fired_at=NOON_UTC,
        items=(TicketItem(1, "Bread roll"),),
        table_name="4",
        covers=2,
        register_number=1,
    )
    return dataclasses.replace(ticket, **changes)


def _commands_are_our_own(body: bytes) -> None:
    assert DRAWER not in body
    assert body.count(INIT) == 1 and body.startswith(INIT)  # ESC @ (reset) only at the start
    assert body.count(CUT) == 1  # GS V (cut) only at the end
    # Between our commands, nothing but printable text and line feeds.
    text = re.sub(rb"\x1b(?:[!Eat].|d.|@)|\x1dV.", b"", body, flags=re.DOTALL)
    assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", text), text


def test_a_name_with_esc_p_prints_its_name_and_no_drawer_pulse() -> None:
    receipt = a_receipt(
        items=(
            ReceiptItem(EVIL, 1800, unit_price_minor=1800, modifiers=("Extra\x1b@cheese",)),
            ReceiptItem("Bread\x1dV\x00roll", 300, unit_price_minor=300),
        ),
        table_name="4\x1bp\x00\x19\xfa",
    )
    body = render_receipt(receipt, venue=SYDNEY)
    _commands_are_our_own(body)
    lines = printed_lines(body)
    assert any(line.startswith("1 x Margheritapú") for line in lines), lines
    assert any(line.strip() == "+ Extra@cheese" for line in lines), lines
    assert any(line.startswith("1 x BreadVroll") for line in lines), lines
    assert any(line.startswith("Table 4pú") for line in lines), lines


def test_a_kitchen_ticket_and_the_venues_own_names_carry_no_command_either() -> None:
    ticket = a_ticket(
        items=(TicketItem(2, EVIL, ("No\x1b@basil", "Extra\tcheese")),),
        table_name="Terrace\r\n\x1bp",
    )
    venue = Venue("Harbour\x1bp\x00\x19\xfa Café", "Front\x07bar", "Australia/Sydney")
    for body in (
        render_kitchen_ticket(ticket, venue=venue),
        render_receipt(a_receipt(), venue=venue),
        render_receipt(a_receipt(), venue=venue, reprinted_at=NOON_UTC),
    ):
        _commands_are_our_own(body)
    lines = printed_lines(render_kitchen_ticket(ticket, venue=venue))
    assert "2 x Margheritapú" in [line.strip() for line in lines]
    assert "+ No@basil" in [line.strip() for line in lines]
    assert "+ Extra cheese" in [line.strip() for line in lines]
    assert any(line.startswith("Table Terrace") for line in lines), lines


def test_every_laid_out_line_is_plain_text_and_to_escpos_cleans_lines_made_elsewhere() -> None:
    receipt = a_receipt(items=(ReceiptItem(EVIL, 1800, modifiers=("\u202eesehc",)),))
    ticket = a_ticket(items=(TicketItem(1, EVIL),))
    for line in [
        *receipt_layout(receipt, venue=SYDNEY),
        *kitchen_ticket_layout(ticket, venue=SYDNEY),
    ]:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", line.text), line
    # A line that did not come through the layout is cleaned on its way into bytes.
    _commands_are_our_own(to_escpos([PrintLine(EVIL), PrintLine("\x1b@\x1dV\x00")]))


# -- through a sale ----------------------------------------------------------------------------


async def test_an_item_stored_with_esc_p_in_its_name_never_opens_the_drawer(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    till = await open_till(connect_as, token, await provision())
    await name_venue(
        connect_as,
        till.tenant,
        till.location_id,
        business="Harbour Café Group",
        venue="Front bar",
        time_zone="Australia/Sydney",
    )
    # As stored before names were checked (the API refuses this name now).
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "UPDATE orders.menu_items SET name = $2 WHERE id = $1",
        till.menu.coffee_id,
        STORED_EVIL,
    )
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "UPDATE orders.modifiers SET name = $2 WHERE id = $1",
        till.menu.oat_milk_id,
        "Oat\x1bp\x01\x19\x19milk",
    )
    order = await sell(orders_client, till, coffee_order(till, table_name="5"))
    paid = await pay(orders_client, till, order, tender="card")
    closed = await close(orders_client, till, paid["order"])
    assert closed.status_code == 200, closed.text

    jobs: list[dict[str, Any]] = await print_jobs(connect_as, till.tenant)
    [receipt] = [job for job in jobs if job["kind"] == "receipt"]
    _commands_are_our_own(receipt["body"])
    lines = printed_lines(receipt["body"])
    assert any(line.startswith("1 x Margheritap0ú") for line in lines), lines
    assert any(line.strip() == "+ Oatpmilk" for line in lines), lines
    assert uuid.UUID(str(receipt["order_id"])) == uuid.UUID(order["id"])
