from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.api.json_schema import DocumentedAs
from libs.text import RateString
from services.orders.ordering.schemas import GST_ON_THE_SALE, ModifierChosen, TaxLine


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


# The sale of ORDER_EXAMPLE as its receipt froze it, and the refund of one of its coffees.
SALE_RECEIPT_EXAMPLE: JsonDict = {
    "id": "7a4d1e8b-2c6f-4d9a-b3e5-9c1f7a4d2e68",
    "number": "R1-000123",
    "register_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "series": "",
    "sequence": 123,
    "kind": "sale",
    "order_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "refund_id": None,
    "original_receipt_id": None,
    "currency": "AUD",
    "total_minor": 1690,
    "snapshot": {
        "kind": "sale",
        "receipt_number": "R1-000123",
        "order_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
        "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
        "table_name": "12",
        "covers": 2,
        "currency": "AUD",
        "prices_include_tax": True,
        "lines": [
            {
                "line_number": 1,
                "name": "Flat white",
                "quantity": 2,
                "unit_price_minor": 520,
                "modifiers": [
                    {
                        "id": "7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58",
                        "name": "Oat milk",
                        "price_minor": 70,
                    }
                ],
                "tax_rate": "10.000",
                "gross_minor": 1040,
                "discount_minor": 0,
                "total_minor": 1040,
            },
            {
                "line_number": 2,
                "name": "Banana bread",
                "quantity": 1,
                "unit_price_minor": 650,
                "modifiers": [],
                "tax_rate": "10.000",
                "gross_minor": 650,
                "discount_minor": 0,
                "total_minor": 650,
            },
        ],
        "subtotal_minor": 1690,
        "discount_minor": 0,
        "service_charge_minor": 0,
        "tax": [GST_ON_THE_SALE],
        "tax_minor": 154,
        "tip_minor": 0,
        "total_minor": 1690,
        "rounding_minor": 0,
        "paid_minor": 1690,
        "payments": [
            {
                "tender": "card",
                "amount_minor": 1690,
                "tendered_minor": None,
                "change_minor": None,
                "scheme": "visa",
                "last4": "4242",
                "auth_code": "A1B2C3",
            }
        ],
    },
    "issued_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "issued_at": "2026-12-07T08:47:05+11:00",
}
# One flat white with oat milk given back: 520 of the sale's 1690, so its GST is
# 154 x 520 / 1690 = 47.4, 47 (pricing.refund_tax).
GST_ON_THE_REFUND: JsonDict = {
    "rate": "10.000",
    "net_minor": 473,
    "tax_minor": 47,
    "gross_minor": 520,
}
REFUND_RECEIPT_EXAMPLE: JsonDict = {
    **SALE_RECEIPT_EXAMPLE,
    "id": "6d2a9f4c-1e7b-4c3d-8f5a-2b9e6d4c1f83",
    "number": "R1-000124",
    "sequence": 124,
    "kind": "refund",
    "refund_id": "3c9f6a2d-8e4b-4f1c-9a7d-5b2e8c6f3a19",
    "original_receipt_id": "7a4d1e8b-2c6f-4d9a-b3e5-9c1f7a4d2e68",
    "total_minor": 520,
    "snapshot": {
        "kind": "refund",
        "receipt_number": "R1-000124",
        "order_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
        "original_receipt_number": "R1-000123",
        "currency": "AUD",
        "reason_code": "quality_issue",
        "lines": [{"line_number": 1, "name": "Flat white", "quantity": 1, "amount_minor": 520}],
        "tax": [GST_ON_THE_REFUND],
        "tax_minor": 47,
        "amount_minor": 520,
        "rounding_minor": 0,
        "tenders": [
            {
                "tender": "card",
                "amount_minor": 520,
                "terminal_reference": "TX-20261207-091240-0207",
                "auth_code": "R7D4K2",
            }
        ],
    },
    "issued_at": "2026-12-07T09:12:40+11:00",
}


class Receipt(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [SALE_RECEIPT_EXAMPLE, REFUND_RECEIPT_EXAMPLE]}
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"items": [REFUND_RECEIPT_EXAMPLE, SALE_RECEIPT_EXAMPLE], "next_cursor": None}
            ]
        }
    )

    items: list[Receipt]
    next_cursor: str | None
