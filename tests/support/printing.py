"""Reading paper: the text and lines a printer shows for an ESC/POS document, and a sale's
receipt facts to render (at a Sydney venue, at half past noon)."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from escpos.capabilities import get_profile
from escpos.codepages import CodePages

from libs.bridge.escpos import PROFILE, ReceiptFacts, ReceiptItem, TaxRate, Tender, Venue

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
