"""The reports as the API returns them, as the JSON export writes them, and as the CSV export
flattens them (services/reports/tables.py). Every amount is integer minor units of the
business's currency; tax rates are exact percentages (`10.000`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict, JsonValue

# The figures a closed period also carries in its `period.closed` webhook (one model for both).
from libs.sales.period_totals import RefundsSummary as RefundsSummary
from libs.sales.period_totals import Tender as Tender
from libs.sales.period_totals import TenderTotal as TenderTotal
from libs.sales.period_totals import Totals as Totals
from libs.sales.period_totals import VoidsSummary as VoidsSummary

# The till's X and Z reports' own: one schema of each in the published API (schemas of one
# name must be the same in every service, or the gateway's merged OpenAPI refuses them).
from libs.sales.shift_report import CountAmount as CountAmount
from libs.sales.tax import TaxRateTotal as TaxRateTotal
from libs.text import RateString


class AuditRange(BaseModel):
    """Where in the business's audit log the figures come from. They were read in one
    snapshot that includes every entry up to `through_seq` and none after it. Every sale,
    payment, refund and count is made in a shift open at that moment, so the shifts open at
    some time in the period hold everything the figures count: `from_seq` is the first entry
    recorded at or after the earliest opening of those shifts (or the period's start, if
    earlier). It is null only when no shift was open in the period and nothing was recorded
    since it began: a period without figures."""

    from_seq: int | None = Field(
        description="The first entry that can have produced the figures (docs/reports.md)"
    )
    through_seq: int
    through_hash: str = Field(description="Hex SHA-256 of entry `through_seq` (the chain head)")


class PeriodOut(BaseModel):
    kind: Literal["day", "month", "quarter", "year", "range"]
    label: str = Field(description="2026-11-21, 2026-11, 2026-Q3, 2026 or first..last")
    first_day: date
    last_day: date


class BusinessOut(BaseModel):
    """Who the report is of, as the tax office knows the business."""

    name: str
    tax_id: str | None = Field(
        description="AU: the ABN; DE: the USt-IdNr. or the Steuernummer (null: not set yet)"
    )
    tax_id_label: str = Field(
        description="What the tax id is called where the business files: ABN, USt-IdNr. or "
        "Steuernummer"
    )


TaxBasis = Literal["accrual", "cash"]


class LocationOut(BaseModel):
    id: UUID
    name: str
    time_zone: str = Field(description="IANA time zone the business days are counted in")
    business_day_cutoff_hour: int = Field(description="Local hour a business day starts")


# -- examples ----------------------------------------------------------------------------------
HARBOUR: JsonDict = {
    "name": "Harbour Café Pty Ltd",
    "tax_id": "51824753556",
    "tax_id_label": "ABN",
}
HAFEN: JsonDict = {
    "name": "Hafencafé Kreuzberg GmbH",
    "tax_id": "DE136695976",
    "tax_id_label": "USt-IdNr.",
}
# When the back office asked, in the venue's time.
GENERATED_AT = "2026-12-08T07:30:00+11:00"

# Harbour Café, Sydney, on Monday 7 December 2026: the one shift of the day (its Z report is
# libs/sales/shift_report.py's example), 50 orders, GST at 10 % inside the prices. And the
# Berlin demo business's VAT summary, at 19 % and 7 %.
SYDNEY: JsonDict = {
    "id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "name": "Harbour Café",
    "time_zone": "Australia/Sydney",
    "business_day_cutoff_hour": 4,
}
BERLIN: JsonDict = {
    "id": "d3b8f1a5-7c2e-4f9a-b6d1-8e4a2c7f5b19",
    "name": "Hafencafé Kreuzberg",
    "time_zone": "Europe/Berlin",
    "business_day_cutoff_hour": 4,
}
DAY: JsonDict = {
    "kind": "day",
    "label": "2026-12-07",
    "first_day": "2026-12-07",
    "last_day": "2026-12-07",
}
# Entries 4811 to 5342 of the business's audit log are the day's.
AUDIT_RANGE: JsonDict = {
    "from_seq": 4811,
    "through_seq": 5342,
    "through_hash": "c0f5a6bbb18476ddcf20ee1ec8bb0e4c5fcbb9a92b8f71c5f0702424135d5342",
}
# net sales 93730 - 900 = 92830, all of it at 10 %: 92830 / 11 = 8439 GST (rounded per invoice).
DAY_TOTALS: JsonDict = {
    "orders": 50,
    "covers": 63,
    "gross_sales_minor": 93730,
    "discounts_minor": 900,
    "service_charges_minor": 0,
    "net_sales_minor": 92830,
    "sales_excluding_tax_minor": 84391,
    "tax_minor": 8439,
    "sales_including_tax_minor": 92830,
    "tax": [{"rate": "10.000", "net_minor": 84391, "tax_minor": 8439, "gross_minor": 92830}],
    "tips_minor": 0,
    "rounding_minor": -10,
    "average_ticket_minor": 1857,
    "refunds": {
        "count": 1,
        "amount_minor": 520,
        "tax_minor": 47,
        "tax": [{"rate": "10.000", "net_minor": 473, "tax_minor": 47, "gross_minor": 520}],
    },
    "voids": {
        "orders": {"count": 1, "amount_minor": 1040},
        "lines": {"count": 2, "amount_minor": 900},
    },
    "payments": [
        {
            "tender": "cash",
            "count": 19,
            "paid_minor": 31100,
            "refunded_minor": 0,
            "net_minor": 31100,
        },
        {
            "tender": "card",
            "count": 31,
            "paid_minor": 61720,
            "refunded_minor": 520,
            "net_minor": 61200,
        },
    ],
}
# The shift's tenders: cash 48600 expected, 48550 counted; card 61200 both.
QUARTER_AUDIT_RANGE: JsonDict = {
    "from_seq": 212,
    "through_seq": 3127,
    "through_hash": "1a607515617454c7242a5a64c1856a6727619e48c8403420d9dbb554fc190469",
}
BERLIN_AUDIT_RANGE: JsonDict = {
    "from_seq": 1,
    "through_seq": 2204,
    "through_hash": "cf1fd8913e769a0d6675339fab42553418c9332d1bb1b90644ee302a14c1d11a",
}
# The day closed by the owner the next morning: the first closure, so the running totals are
# the day's own.
DAY_CLOSURE: JsonDict = {
    "id": "5b1d8e3a-4c7f-4a2d-9e6b-1f8c3a5d7e29",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "kind": "day",
    "period": DAY,
    "version": 1,
    "reason": "close",
    "totals": DAY_TOTALS,
    "cumulative": DAY_TOTALS,
    "totals_sha256": "720ca3ae17e8f2ed8717b2d0909a527594c27dbfb186f02477f3b3539cfb0eda",
    "cumulative_sha256": "720ca3ae17e8f2ed8717b2d0909a527594c27dbfb186f02477f3b3539cfb0eda",
    "previous_id": None,
    "audit_through_seq": 5342,
    "closed_by": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
    "closed_at": "2026-12-08T07:30:00+11:00",
}
TENDERS_COUNTED: list[JsonValue] = [
    {"tender": "cash", "expected_minor": 48600, "counted_minor": 48550, "difference_minor": -50},
    {"tender": "card", "expected_minor": 61200, "counted_minor": 61200, "difference_minor": 0},
]


class DaySummary(Totals):
    day: date
    hours: float = Field(description="24, or 23 and 25 on the days the clocks change")


class DailySummary(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report": "daily-summary",
                    "business": HARBOUR,
                    "location": SYDNEY,
                    "period": DAY,
                    "currency": "AUD",
                    "prices_include_tax": True,
                    "days": [{**DAY_TOTALS, "day": "2026-12-07", "hours": 24.0}],
                    "totals": DAY_TOTALS,
                    "generated_at": GENERATED_AT,
                    "audit": AUDIT_RANGE,
                }
            ]
        }
    )

    report: Literal["daily-summary"] = "daily-summary"
    business: BusinessOut
    location: LocationOut
    period: PeriodOut
    currency: str
    prices_include_tax: bool
    days: list[DaySummary]
    totals: Totals
    generated_at: datetime = Field(description="When it was read, in the venue's time")
    audit: AuditRange


class ItemMixRow(BaseModel):
    """An item's sales (active lines of orders paid in the period) and refunds (given in the
    period, by line, whenever the item was sold)."""

    item_id: UUID | None = Field(description="None for an open item (priced at the till)")
    name: str
    category: str | None = Field(description="The item's category on the menu now")
    quantity: int = Field(description="Units sold")
    gross_sales_minor: int = Field(
        description="quantity x unit price (modifiers included), before discounts"
    )
    discounts_minor: int = Field(description="Line discounts and its share of order discounts")
    service_charges_minor: int = Field(description="Its share of the orders' service charges")
    net_sales_minor: int = Field(
        description="gross_sales - discounts + service_charges, in the pricing basis; no tips"
    )
    refunded_quantity: int = Field(description="Units refunded by line in the period")
    refunds_minor: int = Field(description="What those refunds gave back")


class CategoryMixRow(BaseModel):
    category: str | None
    quantity: int
    gross_sales_minor: int
    discounts_minor: int
    service_charges_minor: int
    net_sales_minor: int
    refunded_quantity: int
    refunds_minor: int = Field(
        description="In the totals: every refund of the period, those by amount included"
    )


class ModifierMixRow(BaseModel):
    modifier_id: UUID | None
    name: str
    quantity: int = Field(description="Units sold with this modifier")
    gross_minor: int = Field(description="quantity x the modifier's price then")


class ItemMix(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report": "item-mix",
                    "business": HARBOUR,
                    "location": SYDNEY,
                    "period": DAY,
                    "currency": "AUD",
                    "prices_include_tax": True,
                    "items": [
                        {
                            "item_id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
                            "name": "Flat white",
                            "category": "Coffee",
                            "quantity": 96,
                            "gross_sales_minor": 45530,
                            "discounts_minor": 400,
                            "service_charges_minor": 0,
                            "net_sales_minor": 45130,
                            "refunded_quantity": 1,
                            "refunds_minor": 470,
                        },
                        {
                            "item_id": "c1d5e9a3-7f2b-4c6d-8e1a-5b9f3d7c2e48",
                            "name": "Ham and cheese toastie",
                            "category": "Food",
                            "quantity": 14,
                            "gross_sales_minor": 17500,
                            "discounts_minor": 500,
                            "service_charges_minor": 0,
                            "net_sales_minor": 17000,
                            "refunded_quantity": 0,
                            "refunds_minor": 0,
                        },
                        {
                            "item_id": "1e6c9a4f-8b2d-4d7e-a5f3-6c2e9b4d8a17",
                            "name": "Long black",
                            "category": "Coffee",
                            "quantity": 41,
                            "gross_sales_minor": 16400,
                            "discounts_minor": 0,
                            "service_charges_minor": 0,
                            "net_sales_minor": 16400,
                            "refunded_quantity": 0,
                            "refunds_minor": 0,
                        },
                        {
                            "item_id": "8e1f4b7c-6a3d-4e9b-a2c5-4d7f1e8b6c90",
                            "name": "Banana bread",
                            "category": "Food",
                            "quantity": 22,
                            "gross_sales_minor": 14300,
                            "discounts_minor": 0,
                            "service_charges_minor": 0,
                            "net_sales_minor": 14300,
                            "refunded_quantity": 0,
                            "refunds_minor": 0,
                        },
                    ],
                    "categories": [
                        {
                            "category": "Coffee",
                            "quantity": 137,
                            "gross_sales_minor": 61930,
                            "discounts_minor": 400,
                            "service_charges_minor": 0,
                            "net_sales_minor": 61530,
                            "refunded_quantity": 1,
                            "refunds_minor": 470,
                        },
                        {
                            "category": "Food",
                            "quantity": 36,
                            "gross_sales_minor": 31800,
                            "discounts_minor": 500,
                            "service_charges_minor": 0,
                            "net_sales_minor": 31300,
                            "refunded_quantity": 0,
                            "refunds_minor": 0,
                        },
                    ],
                    "modifiers": [
                        {
                            "modifier_id": "7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58",
                            "name": "Oat milk",
                            "quantity": 29,
                            "gross_minor": 2030,
                        },
                        {
                            "modifier_id": "f4a8d2c6-1b5e-4f9a-8c3d-7e2b6a1f5d94",
                            "name": "Extra shot",
                            "quantity": 6,
                            "gross_minor": 300,
                        },
                    ],
                    "totals": {
                        "category": None,
                        "quantity": 173,
                        "gross_sales_minor": 93730,
                        "discounts_minor": 900,
                        "service_charges_minor": 0,
                        "net_sales_minor": 92830,
                        "refunded_quantity": 1,
                        "refunds_minor": 970,
                    },
                    "refunds_not_attributed_minor": 500,
                    "generated_at": GENERATED_AT,
                    "audit": AUDIT_RANGE,
                }
            ]
        }
    )

    report: Literal["item-mix"] = "item-mix"
    business: BusinessOut
    location: LocationOut
    period: PeriodOut
    currency: str
    prices_include_tax: bool
    items: list[ItemMixRow] = Field(description="Best sellers (by sales) first")
    categories: list[CategoryMixRow]
    modifiers: list[ModifierMixRow]
    totals: CategoryMixRow = Field(
        description="net_sales equals the daily summary's for the same location and period"
    )
    refunds_not_attributed_minor: int = Field(
        description="Refunds given by amount, which name no item (and the cash rounding taken "
        "off refunds by line): in the totals' refunds, in no item's or category's"
    )
    generated_at: datetime = Field(description="When it was read, in the venue's time")
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
    register_name: str = Field(description="The register's (device's) name at the venue")
    opened_by: str = Field(description="The staff member's id")
    opened_by_name: str = Field(description="Their display name (the id if no longer on staff)")
    opened_at: datetime = Field(description="In the venue's time, with its UTC offset")
    closed_by: str
    closed_by_name: str
    closed_at: datetime
    z_version: int = Field(description="The Z report version these figures are from")
    tenders: list[TenderReconciliation]


class Reconciliation(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report": "reconciliation",
                    "business": HARBOUR,
                    "location": SYDNEY,
                    "period": DAY,
                    "currency": "AUD",
                    "shifts": [
                        {
                            "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
                            "register_number": 1,
                            "register_name": "Front counter",
                            "opened_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
                            "opened_by_name": "Sam",
                            "opened_at": "2026-12-07T08:15:00+11:00",
                            "closed_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
                            "closed_by_name": "Sam",
                            "closed_at": "2026-12-07T15:34:50+11:00",
                            "z_version": 1,
                            "tenders": TENDERS_COUNTED,
                        }
                    ],
                    "totals": TENDERS_COUNTED,
                    "open_shifts": 0,
                    "generated_at": GENERATED_AT,
                    "audit": AUDIT_RANGE,
                }
            ]
        }
    )

    report: Literal["reconciliation"] = "reconciliation"
    business: BusinessOut
    location: LocationOut
    period: PeriodOut
    currency: str
    shifts: list[ShiftReconciliation] = Field(description="Shifts closed in the period")
    totals: list[TenderReconciliation]
    open_shifts: int = Field(
        description="Shifts of the location still open at the period's end (opened before "
        "it, not closed by it): their money is not counted in this period yet"
    )
    generated_at: datetime = Field(description="When it was read, in the venue's time")
    audit: AuditRange


class BasLabel(BaseModel):
    label: str = Field(description="G1, G2, ..., 1A: the ATO's label")
    description: str
    amount_minor: int = Field(description="Exact, in cents")
    whole_dollars: int = Field(description="What goes on the form: cents dropped")


class BasAdjustment(BaseModel):
    description: str
    amount_minor: int
    amount_whole_dollars: int = Field(description="For the form: cents dropped, as the labels")
    gst_minor: int
    gst_whole_dollars: int = Field(description="For the form: cents dropped, as the labels")


class Bas(BaseModel):
    """The GST part of an Australian Business Activity Statement, from the till's sales."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report": "bas",
                    "business": HARBOUR,
                    "tax_basis": "accrual",
                    "period": {
                        "kind": "quarter",
                        "label": "2026-Q3",
                        "first_day": "2026-07-01",
                        "last_day": "2026-09-30",
                    },
                    "currency": "AUD",
                    "labels": [
                        {
                            "label": "G1",
                            "description": "Total sales (including any GST)",
                            "amount_minor": 8246385,
                            "whole_dollars": 82463,
                        },
                        {
                            "label": "G2",
                            "description": "Export sales",
                            "amount_minor": 0,
                            "whole_dollars": 0,
                        },
                        {
                            "label": "G3",
                            "description": "Other GST-free sales",
                            "amount_minor": 41250,
                            "whole_dollars": 412,
                        },
                        {
                            "label": "G4",
                            "description": "Input taxed sales",
                            "amount_minor": 0,
                            "whole_dollars": 0,
                        },
                        {
                            "label": "G5",
                            "description": "G2 + G3 + G4",
                            "amount_minor": 41250,
                            "whole_dollars": 412,
                        },
                        {
                            "label": "G6",
                            "description": "Total sales subject to GST (G1 minus G5)",
                            "amount_minor": 8205135,
                            "whole_dollars": 82051,
                        },
                        {
                            "label": "G7",
                            "description": "Adjustments (if applicable)",
                            "amount_minor": 0,
                            "whole_dollars": 0,
                        },
                        {
                            "label": "G8",
                            "description": "Total sales subject to GST after adjustments (G6 + G7)",
                            "amount_minor": 8205135,
                            "whole_dollars": 82051,
                        },
                        {
                            "label": "G9",
                            "description": "GST on sales (G8 divided by eleven)",
                            "amount_minor": 745921,
                            "whole_dollars": 7459,
                        },
                        {
                            "label": "1A",
                            "description": "GST on sales (from the tax invoices)",
                            "amount_minor": 745938,
                            "whole_dollars": 7459,
                        },
                    ],
                    "decreasing_adjustments": {
                        "description": "Refunds of taxable sales (decreasing adjustments, G18)",
                        "amount_minor": 18700,
                        "amount_whole_dollars": 187,
                        "gst_minor": 1700,
                        "gst_whole_dollars": 17,
                    },
                    "gst_free_refunds_minor": 0,
                    "worksheet_gst_minor": 745921,
                    "invoice_gst_minor": 745938,
                    "locations": [SYDNEY],
                    "generated_at": GENERATED_AT,
                    "audit": QUARTER_AUDIT_RANGE,
                }
            ]
        }
    )

    report: Literal["bas"] = "bas"
    business: BusinessOut
    tax_basis: TaxBasis = Field(
        description="The business's GST accounting basis (GST Act s 29-5): accrual or cash"
    )
    period: PeriodOut
    currency: str
    labels: list[BasLabel] = Field(
        description="G1-G9 of the ATO's GST calculation worksheet, then 1A"
    )
    decreasing_adjustments: BasAdjustment = Field(
        description="Refunds of taxable sales in the period: a decreasing adjustment for the "
        "purchases side of the worksheet (G18), which the accountant combines with purchases"
    )
    gst_free_refunds_minor: int = Field(
        description="Refunds of GST-free sales in the period: no adjustment, shown apart"
    )
    worksheet_gst_minor: int = Field(description="G9: G8 / 11, rounded half up to the cent")
    invoice_gst_minor: int = Field(
        description="The GST on the period's tax invoices, rounded once per invoice (1A)"
    )
    locations: list[LocationOut]
    generated_at: datetime = Field(
        description="When it was read, in the time of the business's first venue"
    )
    audit: AuditRange


class VatRate(BaseModel):
    rate: RateString
    sales: TaxRateTotal
    refunds: TaxRateTotal = Field(description="Reductions of the taxable amount (refunds)")
    net_minor: int = Field(description="sales net - refunds net")
    tax_minor: int = Field(description="sales tax - refunds tax")


class VatBox(BaseModel):
    """A line of the German Umsatzsteuer-Voranmeldung (UStVA) the till's sales fill: the
    taxable amount (Bemessungsgrundlage) of a rate after the period's refunds (§ 17 UStG),
    in whole euros as the form takes it, and the tax."""

    kennzahl: str = Field(description="The form's box (Kz) for the amount: 81, 86 or 35")
    tax_kennzahl: str | None = Field(
        description="The box for the tax where the form asks for it (36, with 35); for 81 "
        "and 86 the form works the tax out from the amount"
    )
    description: str
    rate: RateString | None = Field(description="null for 35: every other rate together")
    base_minor: int = Field(description="Net of the rate's sales less its refunds, in cents")
    base_whole_euros: int = Field(
        description="What goes in the box: whole euros, the cents dropped in the business's "
        "favour (rounded down)"
    )
    tax_minor: int = Field(description="The invoices' tax less the refunds', in cents")
    form_tax_minor: int = Field(
        description="The tax the form computes: the whole-euro amount at the rate, to the "
        "cent (half up); for 35/36 the tax entered, `tax_minor`"
    )


class VatSummary(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report": "vat-summary",
                    "business": HAFEN,
                    "tax_basis": "accrual",
                    "period": {
                        "kind": "month",
                        "label": "2026-11",
                        "first_day": "2026-11-01",
                        "last_day": "2026-11-30",
                    },
                    "currency": "EUR",
                    "rates": [
                        {
                            "rate": "19.000",
                            "sales": {
                                "rate": "19.000",
                                "net_minor": 1512605,
                                "tax_minor": 287395,
                                "gross_minor": 1800000,
                            },
                            "refunds": {
                                "rate": "19.000",
                                "net_minor": 4202,
                                "tax_minor": 798,
                                "gross_minor": 5000,
                            },
                            "net_minor": 1508403,
                            "tax_minor": 286597,
                        },
                        {
                            "rate": "7.000",
                            "sales": {
                                "rate": "7.000",
                                "net_minor": 420561,
                                "tax_minor": 29439,
                                "gross_minor": 450000,
                            },
                            "refunds": {
                                "rate": "7.000",
                                "net_minor": 0,
                                "tax_minor": 0,
                                "gross_minor": 0,
                            },
                            "net_minor": 420561,
                            "tax_minor": 29439,
                        },
                    ],
                    "net_minor": 1928964,
                    "tax_minor": 316036,
                    "boxes": [
                        {
                            "kennzahl": "81",
                            "tax_kennzahl": None,
                            "description": "Steuerpflichtige Umsätze zum Steuersatz von 19 %",
                            "rate": "19.000",
                            "base_minor": 1508403,
                            "base_whole_euros": 15084,
                            "tax_minor": 286597,
                            "form_tax_minor": 286596,
                        },
                        {
                            "kennzahl": "86",
                            "tax_kennzahl": None,
                            "description": "Steuerpflichtige Umsätze zum Steuersatz von 7 %",
                            "rate": "7.000",
                            "base_minor": 420561,
                            "base_whole_euros": 4205,
                            "tax_minor": 29439,
                            "form_tax_minor": 29435,
                        },
                    ],
                    "locations": [BERLIN],
                    "generated_at": "2026-12-01T08:00:00+01:00",
                    "audit": BERLIN_AUDIT_RANGE,
                }
            ]
        }
    )

    report: Literal["vat-summary"] = "vat-summary"
    business: BusinessOut
    tax_basis: TaxBasis = Field(
        description="accrual: Soll-Versteuerung (vereinbarte Entgelte, UStG § 13 (1) Nr. 1 a); "
        "cash: Ist-Versteuerung (vereinnahmte Entgelte, § 13 (1) Nr. 1 b, § 20)"
    )
    period: PeriodOut
    currency: str
    rates: list[VatRate] = Field(description="Highest rate first")
    net_minor: int
    tax_minor: int
    boxes: list[VatBox] = Field(
        description="The UStVA's boxes (Kennzahlen) for these sales: 81 (19 %), 86 (7 %), "
        "35/36 (any other rate); 0 % sales are in no box (docs/reports.md)"
    )
    locations: list[LocationOut]
    generated_at: datetime = Field(
        description="When it was read, in the time of the business's first venue"
    )
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
    model_config = ConfigDict(json_schema_extra={"examples": [DAY_CLOSURE]})

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
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [DAY_CLOSURE]}]})

    items: list[PeriodClosure]
