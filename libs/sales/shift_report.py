"""X and Z reports of a shift, as pure functions: facts in, numbers out, no I/O.

The repository gathers the facts of one shift (its orders, voided lines, payments, refunds,
cash movements); `shift_report` turns them into the report the API returns as the X report,
and `z_report` adds the counted cash and card at close. Reports and exports (issue 8) call the
same functions, so the till, the back office and an export cannot disagree.

Every amount is integer minor units of the business's currency. What counts where:
- sales figures (gross, discounts, tax...) are the shift's *closed* orders: an open order has
  not been sold yet, a voided one never was;
- money figures (payments, refunds, paid in/out) are what happened *at this shift's drawer*,
  whichever shift the order was taken in: a refund of yesterday's sale comes out of today's
  drawer.

Expected in the drawer at close, per tender:
    cash = opening float + cash payments - cash refunded + paid in - paid out
    card = card payments - card refunded
Cash payments are recorded as applied to the order after cash rounding, change excluded, so
they are exactly what stayed in the drawer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from libs.sales.money import TENDERS
from libs.sales.tax import TaxRateTotal, rate, tax_by_rate
from libs.text import RateString

CashMovementKind = Literal["paid_in", "paid_out"]

# The meaning of the report's figures, stored with every Z report (see `format_version`).
FORMAT_VERSION = 2

# ---------------------------------------------------------------------------------------------
# Facts: what the repository reads, already typed. No totals here: the report adds them up.


@dataclass(frozen=True, slots=True)
class TaxGroupFact:
    rate: RateString
    net_minor: int
    tax_minor: int
    gross_minor: int

    @classmethod
    def parse(cls, groups: Iterable[dict[str, Any]]) -> tuple[TaxGroupFact, ...]:
        """From the `tax` JSON of an order or a refund:
        [{"rate": "10.000", "net_minor", "tax_minor", "gross_minor"}, ...]."""
        return tuple(
            cls(
                rate=rate(group["rate"]),
                net_minor=int(group["net_minor"]),
                tax_minor=int(group["tax_minor"]),
                gross_minor=int(group["gross_minor"]),
            )
            for group in groups
        )


@dataclass(frozen=True, slots=True)
class OrderFact:
    """An order taken in the shift: 'open', 'closed' (paid) or 'voided'."""

    status: str
    total_minor: int
    subtotal_minor: int = 0
    discount_minor: int = 0
    service_charge_minor: int = 0
    tip_minor: int = 0
    tax_minor: int = 0
    rounding_minor: int = 0
    covers: int | None = None
    tax: tuple[TaxGroupFact, ...] = ()


@dataclass(frozen=True, slots=True)
class PaymentFact:
    """A payment attempt at this shift's drawer; only 'approved' ones moved money."""

    tender: str
    status: str
    amount_minor: int
    # Card: 'terminal', 'unverified' (recorded offline, no settlement yet) or 'settlement'.
    card_verification: str | None = None


@dataclass(frozen=True, slots=True)
class RefundFact:
    amount_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class RefundTenderFact:
    """Money given back at this shift's drawer, per tender it was paid with."""

    tender: str
    amount_minor: int


@dataclass(frozen=True, slots=True)
class CashMovementFact:
    kind: CashMovementKind
    amount_minor: int
    reason: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ShiftHeader:
    id: UUID
    register_id: UUID
    register_number: int
    location_id: UUID
    status: str
    opened_by: str
    opened_at: datetime
    opening_float_minor: int
    currency: str | None


@dataclass(frozen=True, slots=True)
class ShiftFacts:
    shift: ShiftHeader
    # The moment the facts were read (the database's transaction time).
    as_of: datetime
    orders: Sequence[OrderFact] = ()
    # Lines voided from orders that were not voided as a whole (a voided order's lines are
    # counted with the order, not twice); each fact is the line's amount.
    voided_line_amounts: Sequence[int] = ()
    payments: Sequence[PaymentFact] = ()
    refunds: Sequence[RefundFact] = ()
    refund_tenders: Sequence[RefundTenderFact] = ()
    cash_movements: Sequence[CashMovementFact] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# The report, as the API returns it (and as the Z report is stored at close).


class TenderAmounts(BaseModel):
    cash: int = Field(description="Minor units")
    card: int = Field(description="Minor units")


class CountAmount(BaseModel):
    count: int
    amount_minor: int


class TenderTotals(BaseModel):
    cash: CountAmount
    card: CountAmount


class RefundTotals(BaseModel):
    count: int
    amount_minor: int
    tax_minor: int
    by_tender: TenderAmounts = Field(description="Given back at this drawer, per tender")


class VoidTotals(BaseModel):
    orders: CountAmount = Field(description="Orders voided as a whole (their totals)")
    lines: CountAmount = Field(description="Lines voided from orders that went on")


class CashMovementEntry(BaseModel):
    kind: CashMovementKind
    amount_minor: int
    reason: str
    created_by: str
    created_at: datetime


# -- examples ----------------------------------------------------------------------------------
# Sam's shift on register 1 at Harbour Café, Sydney, 7 December 2026: a 200.00 float, 25.00
# paid out for milk, 50 orders, one coffee refunded to a card.
# Expected cash: 20000 + 31100 cash taken - 2500 paid out = 48600; counted 48550 (50c short).
# Expected card: 61720 taken - 520 refunded = 61200, what the terminal's batch says.
CASH_MOVEMENT_EXAMPLE: JsonDict = {
    "kind": "paid_out",
    "amount_minor": 2500,
    "reason": "Milk delivery",
    "created_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "created_at": "2026-12-07T10:05:00+11:00",
}
X_REPORT_EXAMPLE: JsonDict = {
    "kind": "X",
    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "register_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "register_number": 1,
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "status": "open",
    "currency": "AUD",
    "opened_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "opened_at": "2026-12-07T08:15:00+11:00",
    "as_of": "2026-12-07T15:30:00+11:00",
    "opening_float_minor": 20000,
    "order_count": 50,
    "open_order_count": 0,
    "covers": 63,
    "gross_sales_minor": 93730,
    "discounts_minor": 900,
    "service_charges_minor": 0,
    "tips_minor": 0,
    "rounding_minor": -10,
    "net_sales_minor": 92830,
    "tax": [{"rate": "10.000", "net_minor": 84391, "tax_minor": 8439, "gross_minor": 92830}],
    "tax_total_minor": 8439,
    "format_version": 2,
    "refunds": {
        "count": 1,
        "amount_minor": 520,
        "tax_minor": 47,
        "by_tender": {"cash": 0, "card": 520},
    },
    "voids": {
        "orders": {"count": 1, "amount_minor": 1040},
        "lines": {"count": 2, "amount_minor": 900},
    },
    "payments": {
        "cash": {"count": 19, "amount_minor": 31100},
        "card": {"count": 31, "amount_minor": 61720},
    },
    "declined_card_attempts": 1,
    "timed_out_card_attempts": 0,
    "unverified_card": {"count": 0, "amount_minor": 0},
    "paid_in_minor": 0,
    "paid_out_minor": 2500,
    "cash_movements": [CASH_MOVEMENT_EXAMPLE],
    "expected": {"cash": 48600, "card": 61200},
}
Z_REPORT_EXAMPLE: JsonDict = {
    **X_REPORT_EXAMPLE,
    "kind": "Z",
    "status": "closed",
    "as_of": "2026-12-07T15:34:50+11:00",
    "counted": {"cash": 48550, "card": 61200},
    "difference": {"cash": -50, "card": 0},
    "closed_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "closed_at": "2026-12-07T15:34:50+11:00",
    "force_closed_by": None,
    "note": "Drawer counted twice",
    "card_settlement_confirmed": {"count": 0, "amount_minor": 0},
    "version": 1,
}


class ShiftReport(BaseModel):
    """The X report: a shift's numbers so far (read live, never stored)."""

    model_config = ConfigDict(json_schema_extra={"examples": [X_REPORT_EXAMPLE]})

    kind: Literal["X", "Z"] = "X"
    shift_id: UUID
    register_id: UUID
    register_number: int
    location_id: UUID
    status: str
    currency: str | None
    opened_by: str
    opened_at: datetime
    as_of: datetime = Field(description="When these numbers were read")
    opening_float_minor: int
    order_count: int = Field(description="Closed (paid) orders taken in this shift")
    open_order_count: int = Field(description="Orders of this shift not yet paid or voided")
    covers: int
    gross_sales_minor: int = Field(description="Closed orders' line amounts before discounts")
    discounts_minor: int
    service_charges_minor: int
    tips_minor: int
    rounding_minor: int = Field(description="Cash rounding adjustments (AUD: to 5c)")
    net_sales_minor: int = Field(
        description="gross - discounts + service charges, in the pricing basis: never the tips, "
        "nor cash rounding (docs/reports.md, glossary)"
    )
    tax: list[TaxRateTotal] = Field(description="Closed orders' tax per rate, highest first")
    tax_total_minor: int
    format_version: int = Field(
        default=FORMAT_VERSION,
        description="2: `net_sales_minor` is gross - discounts + service charges. A Z report "
        "issued before (format 1, stored without this field) counted the tips in it and, with "
        "prices excluding tax, the tax too; it is read as format 2, its net sales worked out "
        "again from its own gross, discounts and service charges (stored reports are never "
        "rewritten)",
    )

    @model_validator(mode="before")
    @classmethod
    def _read_format_1(cls, data: Any) -> Any:
        """A report stored before format 2 (a Z report issued before 2026-12-07) has no
        `format_version`, and its `net_sales_minor` was the closed orders' totals (tips
        included). Its gross, discounts and service charges always meant what they mean now,
        so its net sales are worked out again from them."""
        if isinstance(data, dict) and "format_version" not in data and "gross_sales_minor" in data:
            return {
                **data,
                "net_sales_minor": data["gross_sales_minor"]
                - data.get("discounts_minor", 0)
                + data.get("service_charges_minor", 0),
                "format_version": FORMAT_VERSION,
            }
        return data

    refunds: RefundTotals
    voids: VoidTotals
    payments: TenderTotals = Field(description="Approved payments taken at this drawer")
    declined_card_attempts: int
    timed_out_card_attempts: int
    unverified_card: CountAmount = Field(
        default_factory=lambda: CountAmount(count=0, amount_minor=0),
        description="Card payments a till recorded offline (the terminal's evidence, store "
        "and forward) that no card settlement has confirmed yet",
    )
    paid_in_minor: int
    paid_out_minor: int
    cash_movements: list[CashMovementEntry]
    expected: TenderAmounts = Field(
        description="cash: float + cash payments - cash refunded + paid in - paid out; "
        "card: card payments - card refunded"
    )


class ZReport(ShiftReport):
    """The report issued at close: the X report plus what was counted, and the difference
    (counted - expected: positive is over, negative is short)."""

    model_config = ConfigDict(json_schema_extra={"examples": [Z_REPORT_EXAMPLE]})

    kind: Literal["X", "Z"] = "Z"
    counted: TenderAmounts
    difference: TenderAmounts = Field(description="counted - expected: + over, - short")
    closed_by: str
    closed_at: datetime
    force_closed_by: str | None = Field(
        description="The manager who approved closing someone else's shift"
    )
    note: str | None
    card_settlement_confirmed: CountAmount = Field(
        default_factory=lambda: CountAmount(count=0, amount_minor=0),
        description="Offline card payments this close confirmed: the card total counted "
        "(the terminal's batch) matched what the shift expected",
    )
    version: int = Field(
        default=1,
        description="1 as issued at close; a sale recorded offline that reaches the server "
        "after the close is added to the shift and the report is issued again as the next "
        "version (every version is kept: GET /v1/shifts/{id}/z-reports)",
    )


# ---------------------------------------------------------------------------------------------
# The arithmetic.


def _by_tender(amounts: Iterable[tuple[str, int]]) -> dict[str, int]:
    totals = dict.fromkeys(TENDERS, 0)
    for tender, amount in amounts:
        totals[tender] += amount
    return totals


def shift_report(facts: ShiftFacts) -> ShiftReport:
    """The X report of a shift from its facts."""
    closed = [order for order in facts.orders if order.status == "closed"]
    voided = [order for order in facts.orders if order.status == "voided"]
    tax = tax_by_rate(group for order in closed for group in order.tax)

    approved = [payment for payment in facts.payments if payment.status == "approved"]
    payment_counts = _by_tender((payment.tender, 1) for payment in approved)
    paid = _by_tender((payment.tender, payment.amount_minor) for payment in approved)
    refunded = _by_tender((back.tender, back.amount_minor) for back in facts.refund_tenders)
    card_attempts = [payment for payment in facts.payments if payment.tender == "card"]
    unverified = [p for p in approved if p.tender == "card" and p.card_verification == "unverified"]

    movements = sorted(facts.cash_movements, key=lambda movement: movement.created_at)
    paid_in = sum(m.amount_minor for m in movements if m.kind == "paid_in")
    paid_out = sum(m.amount_minor for m in movements if m.kind == "paid_out")

    header = facts.shift
    return ShiftReport(
        shift_id=header.id,
        register_id=header.register_id,
        register_number=header.register_number,
        location_id=header.location_id,
        status=header.status,
        currency=header.currency,
        opened_by=header.opened_by,
        opened_at=header.opened_at,
        as_of=facts.as_of,
        opening_float_minor=header.opening_float_minor,
        order_count=len(closed),
        open_order_count=sum(1 for order in facts.orders if order.status == "open"),
        covers=sum(order.covers or 0 for order in closed),
        gross_sales_minor=sum(order.subtotal_minor for order in closed),
        discounts_minor=sum(order.discount_minor for order in closed),
        service_charges_minor=sum(order.service_charge_minor for order in closed),
        tips_minor=sum(order.tip_minor for order in closed),
        rounding_minor=sum(order.rounding_minor for order in closed),
        # One meaning everywhere (docs/reports.md): the order's total adds the tip (and, with
        # prices excluding tax, the tax), which are not sales.
        net_sales_minor=sum(
            order.subtotal_minor - order.discount_minor + order.service_charge_minor
            for order in closed
        ),
        tax=tax,
        tax_total_minor=sum(group.tax_minor for group in tax),
        format_version=FORMAT_VERSION,
        refunds=RefundTotals(
            count=len(facts.refunds),
            amount_minor=sum(refund.amount_minor for refund in facts.refunds),
            tax_minor=sum(refund.tax_minor for refund in facts.refunds),
            by_tender=TenderAmounts(**refunded),
        ),
        voids=VoidTotals(
            orders=CountAmount(
                count=len(voided), amount_minor=sum(order.total_minor for order in voided)
            ),
            lines=CountAmount(
                count=len(facts.voided_line_amounts),
                amount_minor=sum(facts.voided_line_amounts),
            ),
        ),
        payments=TenderTotals(
            **{
                tender: CountAmount(count=payment_counts[tender], amount_minor=paid[tender])
                for tender in TENDERS
            }
        ),
        declined_card_attempts=sum(1 for p in card_attempts if p.status == "declined"),
        timed_out_card_attempts=sum(1 for p in card_attempts if p.status == "timed_out"),
        unverified_card=CountAmount(
            count=len(unverified), amount_minor=sum(p.amount_minor for p in unverified)
        ),
        paid_in_minor=paid_in,
        paid_out_minor=paid_out,
        cash_movements=[
            CashMovementEntry(
                kind=movement.kind,
                amount_minor=movement.amount_minor,
                reason=movement.reason,
                created_by=movement.created_by,
                created_at=movement.created_at,
            )
            for movement in movements
        ],
        expected=TenderAmounts(
            cash=header.opening_float_minor + paid["cash"] - refunded["cash"] + paid_in - paid_out,
            card=paid["card"] - refunded["card"],
        ),
    )


def z_report(
    report: ShiftReport,
    *,
    counted: TenderAmounts,
    closed_by: str,
    closed_at: datetime,
    force_closed_by: str | None = None,
    note: str | None = None,
) -> ZReport:
    """The Z report: the shift's report at close, with what was counted and the difference."""
    expected = report.expected
    return ZReport(
        **{**report.model_dump(), "kind": "Z", "status": "closed"},
        counted=counted,
        difference=TenderAmounts(
            cash=counted.cash - expected.cash, card=counted.card - expected.card
        ),
        closed_by=closed_by,
        closed_at=closed_at,
        force_closed_by=force_closed_by,
        note=note,
    )
