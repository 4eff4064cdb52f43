"""A sale in memory: the order with its lines and payment attempts, as the commands change it.

The unit of work (unit_of_work.py) loads sales with one query, the commands change them in
memory, and the unit of work writes back what changed, a statement per table. Each row knows
whether it has changed since it was read (`dirty`), so nothing unchanged is written.

`order_json` renders a sale as the API's `Order` (services/orders/ordering/schemas.py), without
a second read and without pydantic on the hot path; a test checks the two agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from libs.sales import day_facts
from libs.sales.tax import RATE_PLACES
from services.orders import pricing

LineStatus = Literal["active", "voided"]
PaymentStatus = Literal["pending", "approved", "declined", "timed_out"]
OrderStatus = Literal["open", "closed", "voided"]


def rate_text(rate: Decimal) -> str:
    """A tax rate as every stored and returned document writes it: three decimals."""
    return str(Decimal(rate).quantize(RATE_PLACES))


@dataclass(slots=True)
class SaleLine:
    line_number: int
    item_id: UUID | None
    name: str
    quantity: int
    unit_price_minor: int
    # [{"id", "name", "price_minor"}]: what was chosen, as named and priced then.
    modifiers: list[dict[str, Any]]
    tax_category_id: UUID | None
    tax_rate: Decimal
    discount: pricing.Discount | None
    added_by: str | None
    added_at: datetime
    gross_minor: int = 0
    discount_minor: int = 0
    service_charge_minor: int = 0
    total_minor: int = 0
    status: LineStatus = "active"
    void_reason: str | None = None
    refunded_quantity: int = 0
    refunded_minor: int = 0
    fired_at: datetime | None = None
    # Whether its row exists (a new line is inserted, a changed one updated).
    stored: bool = False
    dirty: bool = True

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(slots=True)
class SalePayment:
    id: UUID
    shift_id: UUID
    tender: Literal["cash", "card"]
    status: PaymentStatus
    amount_minor: int
    created_by: str
    created_at: datetime
    tendered_minor: int | None = None
    change_minor: int | None = None
    rounding_minor: int = 0
    scheme: str | None = None
    last4: str | None = None
    auth_code: str | None = None
    terminal_reference: str | None = None
    refunded_minor: int = 0
    card_verification: str | None = None
    terminal_id: str | None = None
    authorised_at: datetime | None = None
    request_key: str | None = None
    # Whether its row exists (a new payment is inserted, a changed one updated).
    stored: bool = False
    dirty: bool = True

    @property
    def left_to_refund(self) -> int:
        return self.amount_minor - self.refunded_minor


@dataclass(slots=True)
class Sale:
    """An order. `stored` says whether its row exists in the database yet."""

    id: UUID
    status: OrderStatus
    currency: str
    location_id: UUID | None
    register_id: UUID | None
    shift_id: UUID | None
    prices_include_tax: bool
    created_by: str
    created_at: datetime
    table_name: str | None = None
    covers: int | None = None
    discount: pricing.Discount | None = None
    service_charge_bps: int = 0
    subtotal_minor: int = 0
    discount_minor: int = 0
    service_charge_minor: int = 0
    tax_minor: int = 0
    # [{"rate": "10.000", "net_minor", "tax_minor", "gross_minor"}], highest rate first.
    tax: list[dict[str, Any]] = field(default_factory=list)
    tip_minor: int = 0
    total_minor: int = 0
    rounding_minor: int = 0
    paid_minor: int = 0
    refunded_minor: int = 0
    closed_at: datetime | None = None
    version: int = 1
    # A card refund started and waiting for the terminal (services/orders/sale/commands.py:
    # `refund`, `finish_refund`); None when there is none.
    pending_refund: dict[str, Any] | None = None
    lines: list[SaleLine] = field(default_factory=list)
    payments: list[SalePayment] = field(default_factory=list)
    stored: bool = False
    dirty: bool = True

    @property
    def balance_minor(self) -> int:
        """Still to pay: total plus cash rounding less what was paid."""
        return self.total_minor + self.rounding_minor - self.paid_minor

    @property
    def active_lines(self) -> list[SaleLine]:
        return [line for line in self.lines if line.active]

    @property
    def next_line_number(self) -> int:
        return max((line.line_number for line in self.lines), default=0) + 1

    def line(self, line_number: int) -> SaleLine | None:
        return next((line for line in self.lines if line.line_number == line_number), None)

    @property
    def pending_payment(self) -> SalePayment | None:
        """A card payment recorded before the terminal answered (at most one at a time)."""
        return next((payment for payment in self.payments if payment.status == "pending"), None)

    def changed(self) -> None:
        """Every change of an order bumps its version once (the ETag a till changes against)."""
        self.version += 1
        self.dirty = True


# -- what the daily facts depend on -------------------------------------------------------------


def sale_state(sale: Sale) -> day_facts.SaleState:
    """The sale as its daily facts see it (libs/sales/day_facts.py), each payment's register
    left for the unit of work to look up from its shift. An open sale's facts are its
    approved payments alone, so its lines and amounts are left out: editing an open order
    changes no fact, and its state compares equal."""
    payments = tuple(
        day_facts.PaymentState(
            id=payment.id,
            created_at=payment.created_at,
            approved=payment.status == "approved",
            tender=payment.tender,
            amount_minor=payment.amount_minor,
            register_id=None,
            shift_id=payment.shift_id,
        )
        for payment in sale.payments
    )
    if sale.status == "open":
        return day_facts.SaleState(
            sale.location_id, sale.register_id, "open", None, 0, 0, 0, 0, 0, 0, 0, (), (), payments
        )
    return day_facts.SaleState(
        location_id=sale.location_id,
        register_id=sale.register_id,
        status=sale.status,
        closed_at=sale.closed_at,
        covers=sale.covers or 0,
        subtotal_minor=sale.subtotal_minor,
        discount_minor=sale.discount_minor,
        service_charge_minor=sale.service_charge_minor,
        tip_minor=sale.tip_minor,
        rounding_minor=sale.rounding_minor,
        total_minor=sale.total_minor,
        tax=day_facts.tax_groups(sale.tax),
        lines=tuple(
            day_facts.LineState(
                line_number=line.line_number,
                item_id=line.item_id,
                name=line.name,
                quantity=line.quantity,
                gross_minor=line.gross_minor,
                discount_minor=line.discount_minor,
                service_charge_minor=line.service_charge_minor,
                total_minor=line.total_minor,
                active=line.active,
                modifiers=tuple(
                    (
                        UUID(str(modifier["id"])) if modifier.get("id") else None,
                        modifier["name"],
                        int(modifier["price_minor"]),
                    )
                    for modifier in line.modifiers
                ),
            )
            for line in sale.lines
        ),
        payments=payments,
    )


# -- reading rows ------------------------------------------------------------------------------


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _discount(kind: str | None, value: int | None) -> pricing.Discount | None:
    return pricing.Discount(kind, value) if kind is not None and value is not None else None  # type: ignore[arg-type]


def line_from_json(row: dict[str, Any]) -> SaleLine:
    return SaleLine(
        line_number=row["line_number"],
        item_id=UUID(row["item_id"]) if row["item_id"] else None,
        name=row["name"],
        quantity=row["quantity"],
        unit_price_minor=row["unit_price_minor"],
        modifiers=row["modifiers"] or [],
        tax_category_id=UUID(row["tax_category_id"]) if row["tax_category_id"] else None,
        tax_rate=Decimal(row["tax_rate"]),
        discount=_discount(row["discount_kind"], row["discount_value"]),
        added_by=row["added_by"],
        added_at=datetime.fromisoformat(row["added_at"]),
        gross_minor=row["gross_minor"],
        discount_minor=row["discount_minor"],
        service_charge_minor=row["service_charge_minor"],
        total_minor=row["total_minor"],
        status=row["status"],
        void_reason=row["void_reason"],
        refunded_quantity=row["refunded_quantity"],
        refunded_minor=row["refunded_minor"],
        fired_at=_time(row["fired_at"]),
        stored=True,
        dirty=False,
    )


def payment_from_json(row: dict[str, Any]) -> SalePayment:
    return SalePayment(
        id=UUID(row["id"]),
        shift_id=UUID(row["shift_id"]),
        tender=row["tender"],
        status=row["status"],
        amount_minor=row["amount_minor"],
        created_by=row["created_by"],
        created_at=datetime.fromisoformat(row["created_at"]),
        tendered_minor=row["tendered_minor"],
        change_minor=row["change_minor"],
        rounding_minor=row["rounding_minor"],
        scheme=row["scheme"],
        last4=row["last4"],
        auth_code=row["auth_code"],
        terminal_reference=row["terminal_reference"],
        refunded_minor=row["refunded_minor"],
        card_verification=row["card_verification"],
        terminal_id=row["terminal_id"],
        authorised_at=_time(row["authorised_at"]),
        request_key=row["request_key"],
        stored=True,
        dirty=False,
    )


def sale_from_row(row: Any) -> Sale:
    """A sale from `repository.LOAD_SALES`'s row: the order's columns, its lines and payments
    as JSON (numbers of the JSON are read as `Decimal` where they are rates)."""
    lines = json.loads(row["lines"], parse_float=Decimal) if row["lines"] else []
    payments = json.loads(row["payments"]) if row["payments"] else []
    return Sale(
        id=row["id"],
        status=row["status"],
        currency=row["currency"],
        location_id=row["location_id"],
        register_id=row["register_id"],
        shift_id=row["shift_id"],
        prices_include_tax=row["prices_include_tax"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        table_name=row["table_name"],
        covers=row["covers"],
        discount=_discount(row["discount_kind"], row["discount_value"]),
        service_charge_bps=row["service_charge_bps"],
        subtotal_minor=row["subtotal_minor"],
        discount_minor=row["discount_minor"],
        service_charge_minor=row["service_charge_minor"],
        tax_minor=row["tax_minor"],
        tax=json.loads(row["tax"]),
        tip_minor=row["tip_minor"],
        total_minor=row["total_minor"],
        rounding_minor=row["rounding_minor"],
        paid_minor=row["paid_minor"],
        refunded_minor=row["refunded_minor"],
        closed_at=row["closed_at"],
        version=row["version"],
        pending_refund=json.loads(row["pending_refund"]) if row["pending_refund"] else None,
        lines=[line_from_json(line) for line in lines],
        payments=[payment_from_json(payment) for payment in payments],
        stored=True,
        dirty=False,
    )


# -- the API's view --------------------------------------------------------------------------


def iso(moment: datetime) -> str:
    """An instant as the API writes every time: UTC, with a `Z` (as pydantic does)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _iso(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def _discount_json(discount: pricing.Discount | None) -> dict[str, Any] | None:
    return {"kind": discount.kind, "value": discount.value} if discount else None


def line_json(line: SaleLine) -> dict[str, Any]:
    return {
        "line_number": line.line_number,
        "item_id": str(line.item_id) if line.item_id else None,
        "name": line.name,
        "quantity": line.quantity,
        "unit_price_minor": line.unit_price_minor,
        "modifiers": line.modifiers,
        "tax_category_id": str(line.tax_category_id) if line.tax_category_id else None,
        "tax_rate": rate_text(line.tax_rate),
        "discount": _discount_json(line.discount),
        "gross_minor": line.gross_minor,
        "discount_minor": line.discount_minor,
        "service_charge_minor": line.service_charge_minor,
        "total_minor": line.total_minor,
        "status": line.status,
        "void_reason": line.void_reason,
        "refunded_quantity": line.refunded_quantity,
        "refunded_minor": line.refunded_minor,
    }


def payment_json(payment: SalePayment) -> dict[str, Any]:
    return {
        "id": str(payment.id),
        "tender": payment.tender,
        "status": payment.status,
        "amount_minor": payment.amount_minor,
        "tendered_minor": payment.tendered_minor,
        "change_minor": payment.change_minor,
        "rounding_minor": payment.rounding_minor,
        "scheme": payment.scheme,
        "last4": payment.last4,
        "auth_code": payment.auth_code,
        "terminal_reference": payment.terminal_reference,
        "refunded_minor": payment.refunded_minor,
        "shift_id": str(payment.shift_id),
        "created_by": payment.created_by,
        "created_at": iso(payment.created_at),
        "card_verification": payment.card_verification,
    }


def order_json(sale: Sale) -> dict[str, Any]:
    """The sale as `GET /v1/orders/{id}` answers it."""
    return {
        "id": str(sale.id),
        "status": sale.status,
        "currency": sale.currency,
        "location_id": str(sale.location_id) if sale.location_id else None,
        "register_id": str(sale.register_id) if sale.register_id else None,
        "shift_id": str(sale.shift_id) if sale.shift_id else None,
        "table_name": sale.table_name,
        "covers": sale.covers,
        "prices_include_tax": sale.prices_include_tax,
        "discount": _discount_json(sale.discount),
        "service_charge_bps": sale.service_charge_bps,
        "subtotal_minor": sale.subtotal_minor,
        "discount_minor": sale.discount_minor,
        "service_charge_minor": sale.service_charge_minor,
        "tax_minor": sale.tax_minor,
        "tax": sale.tax,
        "tip_minor": sale.tip_minor,
        "total_minor": sale.total_minor,
        "rounding_minor": sale.rounding_minor,
        "paid_minor": sale.paid_minor,
        "refunded_minor": sale.refunded_minor,
        "balance_minor": sale.balance_minor,
        "created_by": sale.created_by,
        "created_at": iso(sale.created_at),
        "closed_at": _iso(sale.closed_at),
        "version": sale.version,
        "lines": [line_json(line) for line in sale.lines],
        "payments": [payment_json(payment) for payment in sale.payments],
    }
