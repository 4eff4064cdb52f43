"""What a receipt, a kitchen ticket or a reprint looks like on paper, as ESC/POS bytes.

Pure functions: facts in, bytes out, no I/O, so the same facts always give the same paper,
and a reprint from a receipt's snapshot shows what the original showed. The orders service
renders when it queues a job (libs/bridge/queue.py); the Bridge sends the bytes to the printer
unchanged.

Text goes through python-escpos, which switches the printer's code page for characters the
current one lacks. Every document starts in PC858 (multilingual Latin-1 with €), which has what
a Western European or Australian receipt needs (€, umlauts, ß, accents), so it rarely switches:
the • of a masked card is one exception. Layout is 48 columns (80 mm paper, font A); double
height is the only enlargement used, because double width would halve the columns.

Money is integer minor units throughout, formatted with divmod: never a float.

Only the renderer's own commands reach the printer. Every piece of text (names, table names,
the venue's name) goes through `printable` on its way onto the page and again on its way into
bytes: a control character in a name (ESC p opens the cash drawer, ESC @ resets the printer) is
dropped, a line break or tab becomes a space. The API refuses such text (libs/text.py);
this catches what was stored before that rule or arrives another way.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from escpos.printer import Dummy

from libs.text import printable

COLUMNS = 48
PROFILE = "TM-T88V"
START_CODE_PAGE = "CP858"
COPY_BANNER = "*** COPY ***"
# The width of each amount column of the tax table, a space included: "-100,000.00" fits
# with room to spare, and a wider amount wraps rather than being cut.
TABLE_CELL = 13


@dataclass(frozen=True, slots=True)
class CurrencyFormat:
    symbol: str
    exponent: int  # digits of the minor unit: 2 for cents
    decimal_mark: str
    thousands_mark: str
    symbol_after: bool


# How each currency is written on paper. EUR follows the continental convention (12,50 €),
# which is what the EU region's venues (Germany first) print.
CURRENCIES = {
    "AUD": CurrencyFormat("$", 2, ".", ",", symbol_after=False),
    "NZD": CurrencyFormat("$", 2, ".", ",", symbol_after=False),
    "EUR": CurrencyFormat("€", 2, ",", ".", symbol_after=True),
    "GBP": CurrencyFormat("£", 2, ".", ",", symbol_after=False),
    "JPY": CurrencyFormat("¥", 0, ".", ",", symbol_after=False),
}
# The name of the tax on the receipt: goods and services tax, else value added tax.
TAX_NAMES = {"AUD": "GST", "NZD": "GST"}


def currency_format(currency: str) -> CurrencyFormat:
    return CURRENCIES.get(currency, CurrencyFormat(currency + " ", 2, ".", ",", False))


def format_money(amount_minor: int, currency: str, *, symbol: bool = False) -> str:
    """1234550 AUD -> 12,345.50 ($12,345.50 with the symbol); EUR -> 12.345,50 (12.345,50 €)."""
    style = currency_format(currency)
    sign = "-" if amount_minor < 0 else ""
    whole, fraction = divmod(abs(amount_minor), 10**style.exponent)
    grouped = f"{whole:,}".replace(",", style.thousands_mark)
    number = grouped + (
        f"{style.decimal_mark}{fraction:0{style.exponent}d}" if style.exponent else ""
    )
    if not symbol:
        return sign + number
    if style.symbol_after:
        return f"{sign}{number} {style.symbol}"
    return f"{sign}{style.symbol}{number}"


def format_rate(rate: Decimal | str) -> str:
    """The rate as written, without trailing zeros: 10.000 -> 10%, 5.500 -> 5.5%."""
    text = str(Decimal(rate))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def local_time(moment: datetime, time_zone: str) -> str:
    """The venue's wall clock, with its zone's abbreviation (AEDT, CET) so DST is plain."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return local.strftime("%Y-%m-%d %H:%M %Z")


# -- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Venue:
    """Whose receipt: the business, the venue and its IANA time zone."""

    business_name: str
    venue_name: str
    time_zone: str


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    name: str
    amount_minor: int  # quantity x unit price (signed: a refund's are negative)
    quantity: int | None = 1  # None: an amount, not goods (a refund by amount)
    unit_price_minor: int | None = None
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TaxRate:
    rate: Decimal
    net_minor: int
    tax_minor: int
    gross_minor: int


@dataclass(frozen=True, slots=True)
class Tender:
    """A payment as the receipt shows it. Deliberately nothing else from the terminal: no
    auth code or reference can reach paper because this type cannot carry them."""

    tender: Literal["cash", "card"]
    amount_minor: int
    tendered_minor: int | None = None
    change_minor: int | None = None
    scheme: str | None = None
    last4: str | None = None


@dataclass(frozen=True, slots=True)
class ReceiptFacts:
    kind: Literal["sale", "refund"]
    number: str
    register_number: int
    issued_at: datetime
    currency: str
    prices_include_tax: bool
    items: tuple[ReceiptItem, ...]
    tax: tuple[TaxRate, ...]
    total_minor: int
    subtotal_minor: int = 0
    discount_minor: int = 0
    service_charge_minor: int = 0
    tax_minor: int = 0
    tip_minor: int = 0
    rounding_minor: int = 0
    tenders: tuple[Tender, ...] = ()
    table_name: str | None = None
    covers: int | None = None
    original_receipt_number: str | None = None  # a refund's sale receipt
    reason: str | None = None  # why a refund was given


@dataclass(frozen=True, slots=True)
class TicketItem:
    quantity: int
    name: str
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KitchenTicket:
    station: str  # kitchen or bar
    order_reference: str
    fired_at: datetime
    items: tuple[TicketItem, ...]
    table_name: str | None = None
    covers: int | None = None
    register_number: int | None = None
    # Lines taken off an order after they were sent: the station stops making them.
    void: bool = False


# -- layout ------------------------------------------------------------------------------------


Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class PrintLine:
    """One line of paper: at most `columns` characters, with its emphasis."""

    text: str
    align: Align = "left"
    bold: bool = False
    tall: bool = False  # double height (the width stays: 48 columns)


@dataclass(slots=True)
class _Page:
    columns: int
    lines: list[PrintLine] = field(default_factory=list)

    def add(
        self, text: str = "", *, align: Align = "left", bold: bool = False, tall: bool = False
    ) -> None:
        text = printable(text)
        # Too long is wrapped, never cut: a truncated amount would be worse than an ugly line.
        chunks = [text[i : i + self.columns] for i in range(0, len(text), self.columns)]
        for chunk in chunks or [""]:
            self.lines.append(PrintLine(chunk, align=align, bold=bold, tall=tall))

    def centred(self, text: str, *, bold: bool = False, tall: bool = False) -> None:
        for part in textwrap.wrap(printable(text), self.columns) or [""]:
            self.add(part, align="center", bold=bold, tall=tall)

    def rule(self) -> None:
        self.add("-" * self.columns)

    def pair(
        self,
        left: str,
        right: str = "",
        *,
        indent: int = 0,
        bold: bool = False,
        tall: bool = False,
    ) -> None:
        """`left` wrapped on the left, `right` flush right on its first line."""
        left, right = printable(left), printable(right)
        room = self.columns - indent - (len(right) + 1 if right else 0)
        parts = textwrap.wrap(left, max(room, 8), subsequent_indent="  ") or [""]
        first = " " * indent + parts[0]
        if right:
            first += " " * max(self.columns - len(first) - len(right), 1) + right
        self.add(first, bold=bold, tall=tall)
        for part in parts[1:]:
            self.add(" " * indent + part, bold=bold, tall=tall)

    def table(self, cells: Sequence[str], *, bold: bool = False) -> None:
        """A tax row: the rate on the left, then net, tax and gross right-aligned."""
        cells = [printable(text) for text in cells]
        # Narrower paper narrows the amounts, keeping 8 columns for the rate.
        cell = min(TABLE_CELL, (self.columns - 8) // (len(cells) - 1))
        first = self.columns - (len(cells) - 1) * cell
        text = cells[0].ljust(first) + "".join(" " + c.rjust(cell - 1) for c in cells[1:])
        self.add(text, bold=bold)


def _copy_banner(page: _Page, reprinted_at: datetime | None, time_zone: str) -> None:
    if reprinted_at is None:
        return
    page.centred(COPY_BANNER, bold=True, tall=True)
    page.centred(f"Reprinted {local_time(reprinted_at, time_zone)}")
    page.add()


def receipt_layout(
    receipt: ReceiptFacts,
    *,
    venue: Venue,
    reprinted_at: datetime | None = None,
    columns: int = COLUMNS,
) -> list[PrintLine]:
    page = _Page(columns)
    money = receipt.currency

    def amount(minor: int) -> str:
        return format_money(minor, money)

    _copy_banner(page, reprinted_at, venue.time_zone)
    page.centred(venue.business_name, bold=True, tall=True)
    page.centred(venue.venue_name)
    page.add()
    title = "REFUND" if receipt.kind == "refund" else "RECEIPT"
    page.pair(f"{title} {receipt.number}", f"Register {receipt.register_number}", bold=True)
    page.add(local_time(receipt.issued_at, venue.time_zone))
    if receipt.original_receipt_number:
        page.add(f"Refund of receipt {receipt.original_receipt_number}")
    if receipt.reason:
        page.add(f"Reason: {receipt.reason}")
    if receipt.table_name or receipt.covers:
        table = f"Table {receipt.table_name}" if receipt.table_name else ""
        covers = f"Covers {receipt.covers}" if receipt.covers else ""
        page.pair(table, covers)
    page.rule()

    for item in receipt.items:
        name = f"{item.quantity} x {item.name}" if item.quantity is not None else item.name
        page.pair(name, amount(item.amount_minor))
        for modifier in item.modifiers:
            page.pair(f"+ {modifier}", indent=4)
        if item.quantity and item.quantity > 1 and item.unit_price_minor is not None:
            page.pair(f"@ {amount(item.unit_price_minor)} each", indent=4)
    page.rule()

    tax_name = TAX_NAMES.get(receipt.currency, "VAT")
    adjusted = (
        receipt.discount_minor
        or receipt.service_charge_minor
        or receipt.tip_minor
        or not receipt.prices_include_tax
    )
    if adjusted:
        page.pair("Subtotal", amount(receipt.subtotal_minor))
    if receipt.discount_minor:
        page.pair("Discounts", amount(-receipt.discount_minor))
    if receipt.service_charge_minor:
        page.pair("Service charge", amount(receipt.service_charge_minor))
    if not receipt.prices_include_tax:
        page.pair(tax_name, amount(receipt.tax_minor))
    if receipt.tip_minor:
        page.pair("Tip", amount(receipt.tip_minor))
    total_label = "TOTAL REFUNDED" if receipt.kind == "refund" else "TOTAL"
    page.pair(
        total_label, format_money(receipt.total_minor, money, symbol=True), bold=True, tall=True
    )
    if receipt.rounding_minor:
        page.pair("Cash rounding", amount(receipt.rounding_minor))
        due = receipt.total_minor + receipt.rounding_minor
        due_label = "Handed back" if receipt.kind == "refund" else "Amount due"
        page.pair(due_label, format_money(due, money, symbol=True), bold=True)

    if receipt.tax:
        page.rule()
        basis = "included in prices" if receipt.prices_include_tax else "added to prices"
        page.add(f"{tax_name} {basis}")
        page.table([f"{tax_name} rate", "Net", tax_name, "Gross"])
        for group in receipt.tax:
            page.table(
                [
                    format_rate(group.rate),
                    amount(group.net_minor),
                    amount(group.tax_minor),
                    amount(group.gross_minor),
                ]
            )

    if receipt.tenders:
        page.rule()
        for tender in receipt.tenders:
            if tender.tender == "cash":
                handed = tender.tendered_minor if tender.tendered_minor else tender.amount_minor
                page.pair("Cash", amount(handed))
                if tender.change_minor:
                    page.pair("Change", amount(tender.change_minor), indent=2)
            else:
                card = " ".join(
                    part
                    for part in (tender.scheme, f"•••• {tender.last4}" if tender.last4 else None)
                    if part
                )
                page.pair(f"Card {card}".strip(), amount(tender.amount_minor))
    page.rule()
    page.centred("Thank you")
    if reprinted_at is not None:
        page.centred(COPY_BANNER, bold=True)
    return page.lines


def kitchen_ticket_layout(
    ticket: KitchenTicket,
    *,
    venue: Venue,
    reprinted_at: datetime | None = None,
    columns: int = COLUMNS,
) -> list[PrintLine]:
    page = _Page(columns)
    _copy_banner(page, reprinted_at, venue.time_zone)
    page.centred(ticket.station.upper(), bold=True, tall=True)
    if ticket.void:
        page.centred("*** VOID ***", bold=True, tall=True)
    table = f"Table {ticket.table_name}" if ticket.table_name else "No table"
    covers = f"Covers {ticket.covers}" if ticket.covers else ""
    page.pair(table, covers, bold=True, tall=True)
    register = f"Register {ticket.register_number}" if ticket.register_number else ""
    page.pair(f"Order {ticket.order_reference}", register)
    page.add(local_time(ticket.fired_at, venue.time_zone))
    page.rule()
    for item in ticket.items:
        quantity = f"VOID {item.quantity}" if ticket.void else str(item.quantity)
        page.pair(f"{quantity} x {item.name}", bold=True, tall=True)
        for modifier in item.modifiers:
            page.pair(f"+ {modifier}", indent=4, tall=True)
    page.rule()
    return page.lines


# -- bytes -------------------------------------------------------------------------------------


def to_escpos(lines: Sequence[PrintLine]) -> bytes:
    printer = Dummy(profile=PROFILE)
    printer.hw("INIT")
    # Start in PC858 and let python-escpos switch only for what it lacks.
    printer.charcode(START_CODE_PAGE)
    printer.charcode("AUTO")
    style: tuple[str, bool, bool] | None = None
    for line in lines:
        # Style commands only where the style changes: a receipt is mostly plain lines.
        if (line.align, line.bold, line.tall) != style:
            style = (line.align, line.bold, line.tall)
            printer.set(
                align=line.align, bold=line.bold, normal_textsize=True, double_height=line.tall
            )
        # Again here, for lines laid out by anything but `_Page`: text never carries a command.
        printer.textln(printable(line.text))
    printer.set(align="left", bold=False, normal_textsize=True)
    printer.cut()
    return bytes(printer.output)


def render_receipt(
    receipt: ReceiptFacts,
    *,
    venue: Venue,
    reprinted_at: datetime | None = None,
    columns: int = COLUMNS,
) -> bytes:
    """A sale or refund receipt; with `reprinted_at`, a copy under a COPY banner."""
    return to_escpos(
        receipt_layout(receipt, venue=venue, reprinted_at=reprinted_at, columns=columns)
    )


def render_kitchen_ticket(
    ticket: KitchenTicket,
    *,
    venue: Venue,
    reprinted_at: datetime | None = None,
    columns: int = COLUMNS,
) -> bytes:
    """What the kitchen or bar makes: quantities, names and modifiers; never prices."""
    return to_escpos(
        kitchen_ticket_layout(ticket, venue=venue, reprinted_at=reprinted_at, columns=columns)
    )
