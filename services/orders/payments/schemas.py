from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from services.orders.ordering.schemas import MAX_MINOR, Order, Payment, Versioned
from services.orders.receipts.schemas import Receipt


class PaymentRequest(Versioned):
    """Cash: what the customer handed over (`tendered_minor`); the change is worked out.
    Card: the amount to charge on the terminal (`amount_minor`, default: the balance)."""

    tender: Literal["cash", "card"]
    tendered_minor: int | None = Field(default=None, gt=0, le=MAX_MINOR)
    amount_minor: int | None = Field(default=None, gt=0, le=MAX_MINOR)

    @model_validator(mode="after")
    def _one_amount_per_tender(self) -> PaymentRequest:
        if self.tender == "cash" and (self.tendered_minor is None or self.amount_minor):
            raise ValueError("cash takes tendered_minor (and no amount_minor)")
        if self.tender == "card" and self.tendered_minor is not None:
            raise ValueError("card takes amount_minor (or nothing, for the balance)")
        return self


class PaymentResult(BaseModel):
    payment: Payment | None = Field(
        description="The attempt, approved or not; null when cash rounding alone settled it"
    )
    order: Order


class CloseRequest(Versioned):
    """Closing an order (`POST /v1/orders/{id}/close`)."""

    print_receipt: bool = Field(
        default=True,
        description="false: the customer wants no paper; the receipt is issued, not printed",
    )


class ClosedOrder(BaseModel):
    order: Order
    receipt: Receipt
