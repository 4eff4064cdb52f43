"""A venue's sales figures over a day or a run of days, as the back office's reports show them
(services/reports) and a closed period carries them (its `period.closed` webhook,
libs/webhooks/payloads.py): one model, so the report and the event cannot drift apart. Every
amount is integer minor units of the business's currency."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from libs.sales.shift_report import CountAmount
from libs.sales.tax import TaxRateTotal

Tender = Literal["cash", "card"]


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
