from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from libs.api.json_schema import DocumentedAs, member
from libs.text import Reason
from services.orders.ordering.schemas import (
    MAX_MINOR,
    Order,
    ReasonCode,
    Strict,
    TaxLine,
    Versioned,
)
from services.orders.receipts.schemas import Receipt, RefundedLine


class RefundLineIn(Strict):
    line_number: int = Field(ge=1)
    quantity: int = Field(ge=1, le=1_000)


class RefundTenderIn(Strict):
    payment_id: UUID
    amount_minor: int = Field(gt=0, le=MAX_MINOR)


class _RefundRequest(Versioned):
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


class RefundResult(BaseModel):
    refund: Refund
    order: Order
    receipt: Receipt
