from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from libs.text import Reason
from pydantic import BaseModel, Field, model_validator

from services.orders.ordering.schemas import (
    MAX_MINOR,
    Order,
    ReasonCode,
    Strict,
    TaxLine,
    Versioned,
)
from services.orders.receipts.schemas import Receipt


class RefundLineIn(Strict):
    line_number: int = Field(ge=1)
    quantity: int = Field(ge=1, le=1_000)


class RefundTenderIn(Strict):
    payment_id: UUID
    amount_minor: int = Field(gt=0, le=MAX_MINOR)


class RefundRequest(Versioned):
    """By line (`lines`) or by amount (`amount_minor`), never both. `tenders` says which
    payments the money goes back to; by default the latest payments first."""

    reason_code: ReasonCode
    note: Reason | None = None
    lines: list[RefundLineIn] | None = Field(default=None, min_length=1, max_length=200)
    amount_minor: int | None = Field(default=None, gt=0, le=MAX_MINOR)
    tenders: list[RefundTenderIn] | None = Field(default=None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _lines_or_amount(self) -> RefundRequest:
        if (self.lines is None) == (self.amount_minor is None):
            raise ValueError("refund either lines or an amount_minor")
        return self


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
    lines: list[dict[str, Any]]
    tenders: list[RefundTender]
    created_by: str
    approved_by: str | None
    created_at: datetime


class RefundResult(BaseModel):
    refund: Refund
    order: Order
    receipt: Receipt
