from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from libs.api.json_schema import DocumentedAs
from libs.text import RateString
from services.orders.ordering.schemas import ModifierChosen, TaxLine


class ReceiptLine(BaseModel):
    """A line as sold: the item's name and price then, its modifiers, its rate."""

    line_number: int
    name: str
    quantity: int
    unit_price_minor: int = Field(description="The item's price then, modifiers included")
    modifiers: list[ModifierChosen]
    tax_rate: RateString
    gross_minor: int
    discount_minor: int
    total_minor: int


class ReceiptPayment(BaseModel):
    tender: Literal["cash", "card"]
    amount_minor: int
    tendered_minor: int | None
    change_minor: int | None
    scheme: str | None
    last4: str | None
    auth_code: str | None


class OfflineStamp(BaseModel):
    """A receipt issued by a till offline: the operation it came from and who uploaded it."""

    operation_id: UUID
    sequence: int
    occurred_at: datetime = Field(description="On the till, with its offset")
    received_at: datetime
    device_id: UUID
    uploaded_by: str


class SaleSnapshot(BaseModel):
    """A sale's receipt as it was issued."""

    kind: Literal["sale"]
    receipt_number: str
    order_id: UUID
    location_id: UUID | None
    table_name: str | None
    covers: int | None
    currency: str
    prices_include_tax: bool
    lines: list[ReceiptLine] = Field(description="The lines sold (voided ones left out)")
    subtotal_minor: int
    discount_minor: int
    service_charge_minor: int
    tax: list[TaxLine]
    tax_minor: int
    tip_minor: int
    total_minor: int
    rounding_minor: int
    paid_minor: int
    payments: list[ReceiptPayment] = Field(description="The approved payments")
    offline: OfflineStamp | None = Field(default=None, description="Only when taken offline")


class RefundedLine(BaseModel):
    line_number: int
    name: str
    quantity: int
    amount_minor: int = Field(description="Given back for it, tax included")


class RefundedTenderOut(BaseModel):
    tender: Literal["cash", "card"]
    amount_minor: int
    terminal_reference: str | None
    auth_code: str | None


class RefundSnapshot(BaseModel):
    """A refund's receipt as it was issued."""

    kind: Literal["refund"]
    receipt_number: str
    order_id: UUID
    original_receipt_number: str | None = Field(description="The sale's receipt, if it had one")
    currency: str
    reason_code: str
    lines: list[RefundedLine] | None = Field(description="The lines given back")
    tax: list[TaxLine]
    tax_minor: int
    amount_minor: int
    rounding_minor: int
    tenders: list[RefundedTenderOut]
    offline: OfflineStamp | None = Field(default=None, description="Only when taken offline")


ReceiptSnapshot = Annotated[SaleSnapshot | RefundSnapshot, Field(discriminator="kind")]


class Receipt(BaseModel):
    id: UUID
    number: str = Field(
        description="Register, series and gapless sequence: R1-000123 (numbered by the "
        "server at close) or R1-O-000045 (the register's offline series, numbered by the till)"
    )
    register_id: UUID
    series: Literal["", "O"] = Field(description="'' numbered by the server; 'O' offline")
    sequence: int
    kind: Literal["sale", "refund"]
    order_id: UUID
    shift_id: UUID
    refund_id: UUID | None
    original_receipt_id: UUID | None = Field(description="For a refund: the sale's receipt")
    currency: str
    total_minor: int
    snapshot: Annotated[dict[str, Any], DocumentedAs(ReceiptSnapshot)] = Field(
        description="Lines, taxes per rate, payments and totals as they were at issue"
    )
    issued_by: str
    issued_at: datetime


class ReceiptPage(BaseModel):
    items: list[Receipt]
    next_cursor: str | None
