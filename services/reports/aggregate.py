"""The report arithmetic, as pure functions: facts in, report values out, no I/O.

The API, the CSV and JSON exports and the closures all call these, so they cannot disagree.
Facts are additive: one fact may be one order, or a whole day's orders already summed by
Postgres (the repository's rollups). The functions only add facts up and derive what is
derived (net, averages, differences, the BAS worksheet), so a report over per-order facts and
the same report over rolled-up facts are equal (tests/reports/test_report_aggregate.py proves it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from uuid import UUID

from libs.sales.money import TENDERS, round_half_up
from libs.sales.tax import rate, tax_by_rate
from services.reports.schemas import (
    BasAdjustment,
    BasLabel,
    CategoryMixRow,
    CountAmount,
    DaySummary,
    ItemMixRow,
    ModifierMixRow,
    RefundsSummary,
    ShiftReconciliation,
    TaxRateTotal,
    TenderReconciliation,
    TenderTotal,
    Totals,
    VatBox,
    VatRate,
    VoidsSummary,
)

ZERO_RATE = Decimal("0.000")

# ---------------------------------------------------------------------------------------------
# Facts. `day` is the venue-local business day (services/reports/days.py).


@dataclass(frozen=True, slots=True)
class SalesFact:
    """Orders paid (closed) in a day: their order-level amounts."""

    day: date
    orders: int = 1
    covers: int = 0
    gross_minor: int = 0  # Σ subtotal: lines before discounts
    discounts_minor: int = 0
    service_charges_minor: int = 0
    tips_minor: int = 0
    rounding_minor: int = 0


@dataclass(frozen=True, slots=True)
class TaxFact:
    """Tax per rate of orders paid in a day (`refund=False`) or of refunds given in it."""

    day: date
    rate: Decimal
    net_minor: int
    tax_minor: int
    gross_minor: int
    refund: bool = False


@dataclass(frozen=True, slots=True)
class DayRefundsFact:
    """Refunds given in a day: how many, and their amounts summed (a shift's report counts
    its refunds one by one: libs/sales/shift_report.py `RefundFact`)."""

    day: date
    count: int
    amount_minor: int
    tax_minor: int


@dataclass(frozen=True, slots=True)
class VoidFact:
    """Orders voided in a day (`orders`), and lines voided from orders paid in it."""

    day: date
    orders: int = 0
    orders_minor: int = 0
    lines: int = 0
    lines_minor: int = 0


@dataclass(frozen=True, slots=True)
class TenderFact:
    """Approved payments taken (`payments`, `paid_minor`) and money given back
    (`refunded_minor`) through one tender in a day."""

    day: date
    tender: str
    payments: int = 0
    paid_minor: int = 0
    refunded_minor: int = 0


@dataclass(frozen=True, slots=True)
class DayFacts:
    """Everything a summary adds up, for a run of days."""

    sales: Sequence[SalesFact] = ()
    tax: Sequence[TaxFact] = ()
    refunds: Sequence[DayRefundsFact] = ()
    voids: Sequence[VoidFact] = ()
    tenders: Sequence[TenderFact] = ()


@dataclass(frozen=True, slots=True)
class LineFact:
    """An item's sales (active lines of orders paid in the period) and refunds by line (given
    in the period): one line, one refund, or a rollup per item. A refund by amount is a fact
    with no item and no name."""

    item_id: UUID | None
    name: str
    category: str | None
    quantity: int = 0
    gross_sales_minor: int = 0
    discounts_minor: int = 0
    service_charges_minor: int = 0
    net_sales_minor: int = 0  # gross - discounts + service charges
    refunded_quantity: int = 0
    refunds_minor: int = 0

    @property
    def attributed(self) -> bool:
        return self.item_id is not None or self.name != ""


@dataclass(frozen=True, slots=True)
class ModifierFact:
    modifier_id: UUID | None
    name: str
    quantity: int
    gross_minor: int


@dataclass(frozen=True, slots=True)
class ShiftCloseFact:
    """A closed shift's latest Z report: what was expected and counted per tender."""

    shift_id: UUID
    register_number: int
    opened_by: str
    opened_at: datetime
    closed_by: str
    closed_at: datetime
    z_version: int
    expected: dict[str, int] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    # Names for people and the register (the service looks them up; the ids otherwise).
    register_name: str = ""
    opened_by_name: str = ""
    closed_by_name: str = ""


# ---------------------------------------------------------------------------------------------
# Daily summary.


def totals(facts: DayFacts) -> Totals:
    """Add a run of days' facts up."""
    sales = [fact for fact in facts.tax if not fact.refund]
    refunded = [fact for fact in facts.tax if fact.refund]
    tax = tax_by_rate(sales)
    orders = sum(fact.orders for fact in facts.sales)
    gross = sum(fact.gross_minor for fact in facts.sales)
    discounts = sum(fact.discounts_minor for fact in facts.sales)
    service_charges = sum(fact.service_charges_minor for fact in facts.sales)
    including_tax = sum(group.gross_minor for group in tax)

    tenders: dict[str, list[int]] = {tender: [0, 0, 0] for tender in TENDERS}
    for fact in facts.tenders:
        tender = tenders.setdefault(fact.tender, [0, 0, 0])
        tender[0] += fact.payments
        tender[1] += fact.paid_minor
        tender[2] += fact.refunded_minor

    return Totals(
        orders=orders,
        covers=sum(fact.covers for fact in facts.sales),
        gross_sales_minor=gross,
        discounts_minor=discounts,
        service_charges_minor=service_charges,
        net_sales_minor=gross - discounts + service_charges,
        sales_excluding_tax_minor=sum(group.net_minor for group in tax),
        tax_minor=sum(group.tax_minor for group in tax),
        sales_including_tax_minor=including_tax,
        tax=tax,
        tips_minor=sum(fact.tips_minor for fact in facts.sales),
        rounding_minor=sum(fact.rounding_minor for fact in facts.sales),
        average_ticket_minor=round_half_up(Fraction(including_tax, orders)) if orders else 0,
        refunds=RefundsSummary(
            count=sum(fact.count for fact in facts.refunds),
            amount_minor=sum(fact.amount_minor for fact in facts.refunds),
            tax_minor=sum(fact.tax_minor for fact in facts.refunds),
            tax=tax_by_rate(refunded),
        ),
        voids=VoidsSummary(
            orders=CountAmount(
                count=sum(fact.orders for fact in facts.voids),
                amount_minor=sum(fact.orders_minor for fact in facts.voids),
            ),
            lines=CountAmount(
                count=sum(fact.lines for fact in facts.voids),
                amount_minor=sum(fact.lines_minor for fact in facts.voids),
            ),
        ),
        payments=[
            TenderTotal(
                tender=name,
                count=count,
                paid_minor=paid,
                refunded_minor=refunded_minor,
                net_minor=paid - refunded_minor,
            )
            for name, (count, paid, refunded_minor) in tenders.items()
        ],
    )


DAY_FACT_KINDS = ("sales", "tax", "refunds", "voids", "tenders")


def daily_summaries(facts: DayFacts, days: Sequence[tuple[date, float]]) -> list[DaySummary]:
    """One summary per business day, in order, days without sales included; `days` pairs
    each day with its length in hours."""
    grouped: dict[date, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for kind in DAY_FACT_KINDS:
        for fact in getattr(facts, kind):
            grouped[fact.day][kind].append(fact)
    return [
        DaySummary(
            day=day,
            hours=hours,
            **totals(DayFacts(**grouped.get(day, {}))).model_dump(),  # type: ignore[arg-type]
        )
        for day, hours in days
    ]


def facts_of(summary: Totals) -> DayFacts:
    """A run of days' totals as the facts they add up from (all on one day): totals can be
    added to more facts, or to each other, by the same arithmetic as everything else."""
    day = date.min
    taxes = [(group, False) for group in summary.tax]
    taxes += [(group, True) for group in summary.refunds.tax]
    return DayFacts(
        sales=[
            SalesFact(
                day=day,
                orders=summary.orders,
                covers=summary.covers,
                gross_minor=summary.gross_sales_minor,
                discounts_minor=summary.discounts_minor,
                service_charges_minor=summary.service_charges_minor,
                tips_minor=summary.tips_minor,
                rounding_minor=summary.rounding_minor,
            )
        ],
        tax=[
            TaxFact(day, group.rate, group.net_minor, group.tax_minor, group.gross_minor, refund)
            for group, refund in taxes
        ],
        refunds=[
            DayRefundsFact(
                day, summary.refunds.count, summary.refunds.amount_minor, summary.refunds.tax_minor
            )
        ],
        voids=[
            VoidFact(
                day,
                summary.voids.orders.count,
                summary.voids.orders.amount_minor,
                summary.voids.lines.count,
                summary.voids.lines.amount_minor,
            )
        ],
        tenders=[
            TenderFact(day, tender.tender, tender.count, tender.paid_minor, tender.refunded_minor)
            for tender in summary.payments
        ],
    )


def add_totals(first: Totals, second: Totals) -> Totals:
    """Two runs of days added together (a closure's running totals)."""
    one, other = facts_of(first), facts_of(second)
    return totals(
        DayFacts(
            sales=[*one.sales, *other.sales],
            tax=[*one.tax, *other.tax],
            refunds=[*one.refunds, *other.refunds],
            voids=[*one.voids, *other.voids],
            tenders=[*one.tenders, *other.tenders],
        )
    )


# ---------------------------------------------------------------------------------------------
# Item mix.


_MIX = (
    "quantity",
    "gross_sales_minor",
    "discounts_minor",
    "service_charges_minor",
    "net_sales_minor",
    "refunded_quantity",
    "refunds_minor",
)


def _mix(rows: Iterable[LineFact | ItemMixRow]) -> dict[str, int]:
    return {name: sum(getattr(row, name) for row in rows) for name in _MIX}


def item_mix(
    lines: Iterable[LineFact], modifiers: Iterable[ModifierFact]
) -> tuple[list[ItemMixRow], list[CategoryMixRow], list[ModifierMixRow], CategoryMixRow, int]:
    """Per item (best sellers by net sales first), per category, per modifier, in total, and
    the refunds that name no item (by amount). The totals' net sales are the daily summary's
    for the same period: both add up the same lines of the same orders."""
    facts = list(lines)
    grouped: dict[tuple[UUID | None, str], list[LineFact]] = defaultdict(list)
    for fact in facts:
        if fact.attributed:
            grouped[(fact.item_id, fact.name)].append(fact)
    not_attributed = sum(fact.refunds_minor for fact in facts if not fact.attributed)
    item_rows = sorted(
        (
            ItemMixRow(item_id=item_id, name=name, category=group[0].category, **_mix(group))
            for (item_id, name), group in grouped.items()
        ),
        key=lambda row: (-row.net_sales_minor, -row.quantity, row.name),
    )

    by_category: dict[str | None, list[ItemMixRow]] = defaultdict(list)
    for row in item_rows:
        by_category[row.category].append(row)
    category_rows = sorted(
        (CategoryMixRow(category=category, **_mix(rows)) for category, rows in by_category.items()),
        key=lambda row: (-row.net_sales_minor, row.category or ""),
    )

    chosen: dict[tuple[UUID | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for modifier in modifiers:
        total = chosen[(modifier.modifier_id, modifier.name)]
        total[0] += modifier.quantity
        total[1] += modifier.gross_minor
    modifier_rows = sorted(
        (
            ModifierMixRow(modifier_id=modifier_id, name=name, quantity=quantity, gross_minor=gross)
            for (modifier_id, name), (quantity, gross) in chosen.items()
        ),
        key=lambda row: (-row.quantity, row.name),
    )

    overall = _mix(item_rows)
    overall["refunds_minor"] += not_attributed
    return (
        item_rows,
        category_rows,
        modifier_rows,
        CategoryMixRow(category=None, **overall),
        (not_attributed),
    )


# ---------------------------------------------------------------------------------------------
# Payment reconciliation.


def reconcile(
    shifts: Iterable[ShiftCloseFact],
) -> tuple[list[ShiftReconciliation], list[TenderReconciliation]]:
    """Per shift and tender, expected against counted (cash in the drawer; card against the
    terminal's settlement total), and the same added up per tender."""

    def tender_rows(
        expected: dict[str, int], counted: dict[str, int]
    ) -> list[TenderReconciliation]:
        return [
            TenderReconciliation(
                tender=tender,
                expected_minor=expected.get(tender, 0),
                counted_minor=counted.get(tender, 0),
                difference_minor=counted.get(tender, 0) - expected.get(tender, 0),
            )
            for tender in TENDERS
        ]

    rows = [
        ShiftReconciliation(
            shift_id=shift.shift_id,
            register_number=shift.register_number,
            register_name=shift.register_name or f"R{shift.register_number}",
            opened_by=shift.opened_by,
            opened_by_name=shift.opened_by_name or shift.opened_by,
            opened_at=shift.opened_at,
            closed_by=shift.closed_by,
            closed_by_name=shift.closed_by_name or shift.closed_by,
            closed_at=shift.closed_at,
            z_version=shift.z_version,
            tenders=tender_rows(shift.expected, shift.counted),
        )
        for shift in sorted(shifts, key=lambda shift: (shift.closed_at, shift.register_number))
    ]
    expected = {
        t: sum(r.expected_minor for s in rows for r in s.tenders if r.tender == t) for t in TENDERS
    }
    counted = {
        t: sum(r.counted_minor for s in rows for r in s.tenders if r.tender == t) for t in TENDERS
    }
    return rows, tender_rows(expected, counted)


# ---------------------------------------------------------------------------------------------
# BAS (Australia) and VAT summary (EU).


@dataclass(frozen=True, slots=True)
class BasFigures:
    labels: list[BasLabel]
    decreasing_adjustments: BasAdjustment
    gst_free_refunds_minor: int
    worksheet_gst_minor: int
    invoice_gst_minor: int


def whole_dollars(amount: int) -> int:
    """The form takes whole dollars: the cents are dropped, not rounded (ATO instructions)."""
    return abs(amount) // 100 * (1 if amount >= 0 else -1)


def _label(label: str, description: str, amount: int) -> BasLabel:
    return BasLabel(
        label=label,
        description=description,
        amount_minor=amount,
        whole_dollars=whole_dollars(amount),
    )


def bas(tax: Iterable[TaxFact]) -> BasFigures:
    """The GST calculation worksheet's sales side (G1-G9) and 1A, from the period's tax facts.

    G1 is every sale including GST (GST-free ones too; tips are not sales), G3 the GST-free
    part. No exports (G2) or input-taxed sales (G4) are made at a till, and a till makes no
    increasing adjustments (G7). 1A is the GST on the tax invoices themselves, each rounded
    once (docs/money.md); G9 = G8 / 11 is the worksheet's own figure and may differ from it
    by cents of per-invoice rounding. Refunds are decreasing adjustments, reported apart for
    the purchases side of the worksheet (G18), never netted off G1.
    """
    facts = list(tax)
    sales = [fact for fact in facts if not fact.refund]
    refunds = [fact for fact in facts if fact.refund]
    g1 = sum(fact.gross_minor for fact in sales)
    g2 = 0
    g3 = sum(fact.gross_minor for fact in sales if rate(fact.rate) == ZERO_RATE)
    g4 = 0
    g5 = g2 + g3 + g4
    g6 = g1 - g5
    g7 = 0
    g8 = g6 + g7
    g9 = round_half_up(Fraction(g8, 11))
    invoice_gst = sum(fact.tax_minor for fact in sales)
    labels = [
        _label("G1", "Total sales (including any GST)", g1),
        _label("G2", "Export sales", g2),
        _label("G3", "Other GST-free sales", g3),
        _label("G4", "Input taxed sales", g4),
        _label("G5", "G2 + G3 + G4", g5),
        _label("G6", "Total sales subject to GST (G1 minus G5)", g6),
        _label("G7", "Adjustments (if applicable)", g7),
        _label("G8", "Total sales subject to GST after adjustments (G6 + G7)", g8),
        _label("G9", "GST on sales (G8 divided by eleven)", g9),
        _label("1A", "GST on sales (from the tax invoices)", invoice_gst),
    ]
    taxable_refunds = [fact for fact in refunds if rate(fact.rate) != ZERO_RATE]
    refunded = sum(fact.gross_minor for fact in taxable_refunds)
    refunded_gst = sum(fact.tax_minor for fact in taxable_refunds)
    return BasFigures(
        labels=labels,
        decreasing_adjustments=BasAdjustment(
            description="Refunds of taxable sales (decreasing adjustments, G18)",
            amount_minor=refunded,
            amount_whole_dollars=whole_dollars(refunded),
            gst_minor=refunded_gst,
            gst_whole_dollars=whole_dollars(refunded_gst),
        ),
        gst_free_refunds_minor=sum(
            fact.gross_minor for fact in refunds if rate(fact.rate) == ZERO_RATE
        ),
        worksheet_gst_minor=g9,
        invoice_gst_minor=invoice_gst,
    )


def vat_summary(tax: Iterable[TaxFact]) -> list[VatRate]:
    """Net and tax per rate: sales, less refunds (a reduction of the taxable amount is
    reported in the period it happens, not in the sale's)."""
    facts = list(tax)
    sales = {group.rate: group for group in tax_by_rate(f for f in facts if not f.refund)}
    refunds = {group.rate: group for group in tax_by_rate(f for f in facts if f.refund)}
    rows = []
    for key in sorted(sales.keys() | refunds.keys(), reverse=True):
        empty = TaxRateTotal(rate=key, net_minor=0, tax_minor=0, gross_minor=0)
        sold, refunded = sales.get(key, empty), refunds.get(key, empty)
        rows.append(
            VatRate(
                rate=key,
                sales=sold,
                refunds=refunded,
                net_minor=sold.net_minor - refunded.net_minor,
                tax_minor=sold.tax_minor - refunded.tax_minor,
            )
        )
    return rows


# The UStVA's boxes (Kennzahlen) for a till's sales: the standard and the reduced rate each
# have their own; every other rate goes to 35 (amount) and 36 (tax) together. 0 % sales
# (steuerfrei or nicht steuerbar) are in none of them: which box, if any, depends on why they
# are tax-free, which the till does not know.
USTVA_BOXES = {
    Decimal("19.000"): ("81", "Steuerpflichtige Umsätze zum Steuersatz von 19 %"),
    Decimal("7.000"): ("86", "Steuerpflichtige Umsätze zum Steuersatz von 7 %"),
}
OTHER_RATES = ("35", "36", "Steuerpflichtige Umsätze zu anderen Steuersätzen")


def whole_euros(amount: int) -> int:
    """A UStVA amount: whole euros, the cents rounded in the business's favour (the form's
    instructions): down, also below zero, where down is the larger reduction."""
    return amount // 100


def ustva_boxes(rates: Iterable[VatRate]) -> list[VatBox]:
    """Kz 81 and 86 (and 35/36) from the period's rates, sales less refunds: a refund reduces
    the taxable amount in the period it is given (§ 17 (1) UStG), in the box of its rate.

    For 81 and 86 the form takes the amount in whole euros and works the tax out itself, to
    the cent: `form_tax_minor` is that figure, next to `tax_minor`, the invoices' own tax (which
    may differ by cents, as the BAS's G9 and 1A do)."""
    boxes: list[VatBox] = []
    other_base = other_tax = 0
    other = False
    for row in rates:
        key = rate(row.rate)
        if key == ZERO_RATE:
            continue
        if key not in USTVA_BOXES:
            other = True
            other_base += row.net_minor
            other_tax += row.tax_minor
            continue
        kennzahl, description = USTVA_BOXES[key]
        whole = whole_euros(row.net_minor)
        boxes.append(
            VatBox(
                kennzahl=kennzahl,
                tax_kennzahl=None,
                description=description,
                rate=key,
                base_minor=row.net_minor,
                base_whole_euros=whole,
                tax_minor=row.tax_minor,
                form_tax_minor=round_half_up(Fraction(whole * 100) * Fraction(key) / 100),
            )
        )
    if other:
        kennzahl, tax_kennzahl, description = OTHER_RATES
        boxes.append(
            VatBox(
                kennzahl=kennzahl,
                tax_kennzahl=tax_kennzahl,
                description=description,
                rate=None,
                base_minor=other_base,
                base_whole_euros=whole_euros(other_base),
                tax_minor=other_tax,
                form_tax_minor=other_tax,
            )
        )
    return boxes
