"""The reports as the API returns them, as the JSON export writes them, and as the CSV export
flattens them (services/reports/tables.py). Every amount is integer minor units of the
business's currency; tax rates are exact percentages (`10.000`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

# The till's X and Z reports' own: one schema of each in the published API (schemas of one
# name must be the same in every service, or the gateway's merged OpenAPI refuses them).
from libs.sales.shift_report import CountAmount as CountAmount
from libs.sales.tax import TaxRateTotal as TaxRateTotal
from libs.text import RateString

Tender = Literal["cash", "card"]


class AuditRange(BaseModel):
    """Where in the business's audit log the figures come from. They were read in one
    snapshot that includes every entry up to `through_seq` and none after it; the entries
    recorded since the period began start at `from_seq` (None: none yet)."""

    from_seq: int | None
    through_seq: int
    through_hash: str = Field(description="Hex SHA-256 of entry `through_seq` (the chain head)")


class PeriodOut(BaseModel):
    kind: Literal["day", "month", "quarter", "year", "range"]
    label: str = Field(description="2026-11-21, 2026-11, 2026-Q3, 2026 or first..last")
    first_day: date
    last_day: date


class LocationOut(BaseModel):
    id: UUID
    name: str
    time_zone: str = Field(description="IANA time zone the business days are counted in")
    business_day_cutoff_hour: int = Field(description="Local hour a business day starts")


class RefundsSummary(BaseModel):
    count: int
    amount_minor: int = Field(description="Given back, tax included")
    tax_minor: int
    tax: list[TaxRateTotal] = Field(description="Refunded per rate, highest first")


class VoidsSummary(BaseModel):
    orders: CountAmount = Field(description="Orders voided as a whole (their totals)")
    lines: CountAmount = Field(description="Lines voided from orders that were paid")


class TenderTotal(BaseModel):
    tender: Tender
    count: int = Field(description="Approved payments")
    paid_minor: int
    refunded_minor: int = Field(description="Given back through this tender")
    net_minor: int = Field(description="paid - refunded")


class Totals(BaseModel):
    """A business day's figures, or a run of days' added up.

    Sales are the orders paid (closed) in the day; voids the orders voided in it; refunds and
    payments what happened in it, whichever day the sale was. In the business's pricing
    basis: `net_sales` = gross - discounts + service charges."""

    orders: int = Field(description="Orders paid")
    covers: int
    gross_sales_minor: int = Field(description="Line amounts before discounts")
    discounts_minor: int
    service_charges_minor: int
    net_sales_minor: int = Field(description="gross - discounts + service charges")
    sales_excluding_tax_minor: int
    tax_minor: int
    sales_including_tax_minor: int
    tax: list[TaxRateTotal] = Field(description="Sales per tax rate, highest first")
    tips_minor: int = Field(description="Not taxed, not sales")
    rounding_minor: int = Field(description="Cash rounding adjustments (AUD: to 5c)")
    average_ticket_minor: int = Field(
        description="sales including tax / orders, rounded half up (0 without orders)"
    )
    refunds: RefundsSummary
    voids: VoidsSummary
    payments: list[TenderTotal]


class DaySummary(Totals):
    day: date
    hours: float = Field(description="24, or 23 and 25 on the days the clocks change")


class DailySummary(BaseModel):
    report: Literal["daily-summary"] = "daily-summary"
    location: LocationOut
    period: PeriodOut
    currency: str
    prices_include_tax: bool
    days: list[DaySummary]
    totals: Totals
    audit: AuditRange


class ItemMixRow(BaseModel):
    item_id: UUID | None
    name: str
    category: str | None
    quantity: int
    gross_minor: int = Field(description="quantity x unit price (modifiers included)")
    discounts_minor: int
    sales_minor: int = Field(description="After discounts, in the pricing basis")


class CategoryMixRow(BaseModel):
    category: str | None
    quantity: int
    gross_minor: int
    discounts_minor: int
    sales_minor: int


class ModifierMixRow(BaseModel):
    modifier_id: UUID | None
    name: str
    quantity: int = Field(description="Units sold with this modifier")
    gross_minor: int = Field(description="quantity x the modifier's price then")


class ItemMix(BaseModel):
    report: Literal["item-mix"] = "item-mix"
    location: LocationOut
    period: PeriodOut
    currency: str
    prices_include_tax: bool
    items: list[ItemMixRow] = Field(description="Best sellers (by sales) first")
    categories: list[CategoryMixRow]
    modifiers: list[ModifierMixRow]
    totals: CategoryMixRow
    audit: AuditRange


class TenderReconciliation(BaseModel):
    tender: Tender
    expected_minor: int = Field(
        description="cash: float + cash taken - cash refunded + paid in - paid out; "
        "card: card taken - card refunded"
    )
    counted_minor: int = Field(
        description="cash: counted in the drawer; card: the terminal's settlement (batch) total"
    )
    difference_minor: int = Field(description="counted - expected: + over, - short")


class ShiftReconciliation(BaseModel):
    shift_id: UUID
    register_number: int
    opened_by: str
    opened_at: datetime
    closed_by: str
    closed_at: datetime
    z_version: int = Field(description="The Z report version these figures are from")
    tenders: list[TenderReconciliation]


class Reconciliation(BaseModel):
    report: Literal["reconciliation"] = "reconciliation"
    location: LocationOut
    period: PeriodOut
    currency: str
    shifts: list[ShiftReconciliation] = Field(description="Shifts closed in the period")
    totals: list[TenderReconciliation]
    open_shifts: int = Field(description="Shifts of the location still open (not counted yet)")
    audit: AuditRange


class BasLabel(BaseModel):
    label: str = Field(description="G1, G2, ..., 1A: the ATO's label")
    description: str
    amount_minor: int = Field(description="Exact, in cents")
    whole_dollars: int = Field(description="What goes on the form: cents dropped")


class BasAdjustment(BaseModel):
    description: str
    amount_minor: int
    gst_minor: int


class Bas(BaseModel):
    """The GST part of an Australian Business Activity Statement, from the till's sales."""

    report: Literal["bas"] = "bas"
    period: PeriodOut
    currency: str
    labels: list[BasLabel] = Field(
        description="G1-G9 of the ATO's GST calculation worksheet, then 1A"
    )
    decreasing_adjustments: BasAdjustment = Field(
        description="Refunds of taxable sales in the period: a decreasing adjustment for the "
        "purchases side of the worksheet (G18), which the accountant combines with purchases"
    )
    gst_free_refunds_minor: int
    worksheet_gst_minor: int = Field(description="G9: G8 / 11, rounded half up to the cent")
    invoice_gst_minor: int = Field(
        description="The GST on the period's tax invoices, rounded once per invoice (1A)"
    )
    locations: list[LocationOut]
    audit: AuditRange


class VatRate(BaseModel):
    rate: RateString
    sales: TaxRateTotal
    refunds: TaxRateTotal = Field(description="Reductions of the taxable amount (refunds)")
    net_minor: int = Field(description="sales net - refunds net")
    tax_minor: int = Field(description="sales tax - refunds tax")


class VatSummary(BaseModel):
    report: Literal["vat-summary"] = "vat-summary"
    period: PeriodOut
    currency: str
    rates: list[VatRate] = Field(description="Highest rate first")
    net_minor: int
    tax_minor: int
    locations: list[LocationOut]
    audit: AuditRange


class ClosureRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "kind": "day",
                    "period": "2026-12-06",
                }
            ]
        },
        extra="forbid",
    )

    location_id: UUID
    kind: Literal["day", "month", "year"]
    period: str = Field(
        max_length=10, description="2026-11-21 (day), 2026-11 (month) or 2026 (year)"
    )


class PeriodClosure(BaseModel):
    id: UUID
    location_id: UUID
    kind: Literal["day", "month", "year"]
    period: PeriodOut
    version: int
    reason: Literal["close", "late-arrival"]
    totals: Totals
    cumulative: Totals = Field(
        description="Running totals: the previous closure's of this kind plus everything "
        "since it, through this period"
    )
    totals_sha256: str
    cumulative_sha256: str
    previous_id: UUID | None
    audit_through_seq: int
    closed_by: str
    closed_at: datetime


class PeriodClosures(BaseModel):
    items: list[PeriodClosure]
