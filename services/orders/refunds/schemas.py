from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from pydantic.config import JsonDict

from libs.api.concurrency import VersionedChange
from libs.api.json_schema import DocumentedAs, member
from libs.text import Reason
from services.orders.ordering.schemas import (
    BANANA_BREAD_LINE,
    CARD_PAYMENT,
    CLOSED_ORDER_EXAMPLE,
    FLAT_WHITES_LINE,
    MAX_MINOR,
    Order,
    ReasonCode,
    Strict,
    TaxLine,
)
from services.orders.receipts.schemas import (
    GST_ON_THE_REFUND,
    REFUND_RECEIPT_EXAMPLE,
    Receipt,
    RefundedLine,
)


class RefundLineIn(Strict):
    line_number: int = Field(ge=1)
    quantity: int = Field(ge=1, le=1_000)


class RefundTenderIn(Strict):
    payment_id: UUID
    amount_minor: int = Field(gt=0, le=MAX_MINOR)


class _RefundRequest(VersionedChange):
    reason_code: ReasonCode
    note: Reason | None = None
    tenders: list[RefundTenderIn] | None = Field(
        default=None,
        min_length=1,
        max_length=20,
        description="Which payments the money goes back to; by default the latest first",
    )


class RefundByLines(_RefundRequest):
    """Lines given back: each line's number and how many of it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 7,
                    "reason_code": "quality_issue",
                    "lines": [{"line_number": 1, "quantity": 1}],
                }
            ]
        }
    )

    lines: list[RefundLineIn] = Field(min_length=1, max_length=200)
    # By lines there is no amount; null is accepted as clients sent it before the `oneOf`.
    amount_minor: None = None


class RefundByAmount(_RefundRequest):
    """An amount given back, tax included, not tied to lines."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 7,
                    "reason_code": "customer_request",
                    "amount_minor": 450,
                    "note": "Cold coffee",
                }
            ]
        }
    )

    amount_minor: int = Field(gt=0, le=MAX_MINOR)
    # By amount there are no lines; null is accepted as clients sent it before the `oneOf`.
    lines: None = None


def _refund_by(body: Any) -> str:
    """Which refund a body is: by lines when it names lines, else by amount (one naming both
    or neither is then refused by the one chosen)."""
    return "lines" if member(body, "lines") is not None else "amount"


# By line or by amount, never both: the document's `oneOf`.
RefundRequest = Annotated[
    Annotated[RefundByLines, Tag("lines")] | Annotated[RefundByAmount, Tag("amount")],
    Discriminator(_refund_by),
]


class RefundTender(BaseModel):
    payment_id: UUID
    tender: Literal["cash", "card"]
    amount_minor: int
    terminal_reference: str | None
    auth_code: str | None


class Refund(BaseModel):
    id: UUID
    order_id: UUID
    shift_id: UUID
    reason_code: ReasonCode
    note: str | None
    amount_minor: int = Field(description="The goods given back, tax included")
    rounding_minor: int = Field(
        default=0,
        description="Cash handed back is rounded like cash taken (AUD: to 5c): the money "
        "given back is amount_minor + rounding_minor, what the tenders add up to",
    )
    tax_minor: int
    tax: list[TaxLine]
    lines: Annotated[list[dict[str, Any]], DocumentedAs(list[RefundedLine])] = Field(
        description="The lines given back (empty for a refund by amount)"
    )
    tenders: list[RefundTender]
    created_by: str
    approved_by: str | None
    created_at: datetime


# The second flat white of the example sale, given back for a quality issue, to the card.
REFUND_EXAMPLE: JsonDict = {
    "id": "3c9f6a2d-8e4b-4f1c-9a7d-5b2e8c6f3a19",
    "order_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "reason_code": "quality_issue",
    "note": None,
    "amount_minor": 520,
    "rounding_minor": 0,
    "tax_minor": 47,
    "tax": [GST_ON_THE_REFUND],
    "lines": [{"line_number": 1, "name": "Flat white", "quantity": 1, "amount_minor": 520}],
    "tenders": [
        {
            "payment_id": "5e8c2a7f-3d9b-4b1e-a6c4-7f2d9e5b3a81",
            "tender": "card",
            "amount_minor": 520,
            "terminal_reference": "TX-20261207-091240-0207",
            "auth_code": "R7D4K2",
        }
    ],
    "created_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "approved_by": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
    "created_at": "2026-12-07T09:12:40+11:00",
}
REFUNDED_ORDER_EXAMPLE: JsonDict = {
    **CLOSED_ORDER_EXAMPLE,
    "refunded_minor": 520,
    "version": 8,
    "lines": [
        {**FLAT_WHITES_LINE, "refunded_quantity": 1, "refunded_minor": 520},
        BANANA_BREAD_LINE,
    ],
    "payments": [{**CARD_PAYMENT, "refunded_minor": 520}],
}


class RefundResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "refund": REFUND_EXAMPLE,
                    "order": REFUNDED_ORDER_EXAMPLE,
                    "receipt": REFUND_RECEIPT_EXAMPLE,
                }
            ]
        }
    )

    refund: Refund
    order: Order
    receipt: Receipt
