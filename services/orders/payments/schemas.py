from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from libs.api.concurrency import VersionedChange
from services.orders.ordering.schemas import (
    CARD_PAYMENT,
    CLOSED_ORDER_EXAMPLE,
    MAX_MINOR,
    PAID_ORDER_EXAMPLE,
    Order,
    Payment,
)
from services.orders.receipts.schemas import SALE_RECEIPT_EXAMPLE, Receipt


class CashPayment(VersionedChange):
    """Cash: what the customer handed over; the change is worked out."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 5, "tender": "cash", "tendered_minor": 1000}]}
    )

    tender: Literal["cash"]
    tendered_minor: int = Field(gt=0, le=MAX_MINOR, description="Handed over, in minor units")
    # Cash has no amount to charge; null is accepted as clients sent it before the `oneOf`.
    amount_minor: None = None


class CardPayment(VersionedChange):
    """Card: the amount to charge on the terminal."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 5, "tender": "card", "amount_minor": 900}]}
    )

    tender: Literal["card"]
    amount_minor: int | None = Field(
        default=None, gt=0, le=MAX_MINOR, description="Default (absent or null): the balance"
    )
    # Nothing is handed over for a card; null is accepted as clients sent it before.
    tendered_minor: None = None


# Cash or card, told apart by `tender`: the document's `oneOf`, each with its own members.
PaymentRequest = Annotated[CashPayment | CardPayment, Field(discriminator="tender")]


class PaymentResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"payment": CARD_PAYMENT, "order": PAID_ORDER_EXAMPLE}]}
    )

    payment: Payment | None = Field(
        description="The attempt, approved or not; null when cash rounding alone settled it"
    )
    order: Order


class CloseRequest(VersionedChange):
    """Closing an order (`POST /v1/orders/{id}/close`)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 6, "print_receipt": True}]}
    )

    print_receipt: bool = Field(
        default=True,
        description="false: the customer wants no paper; the receipt is issued, not printed",
    )


class ClosedOrder(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"order": CLOSED_ORDER_EXAMPLE, "receipt": SALE_RECEIPT_EXAMPLE}]
        }
    )

    order: Order
    receipt: Receipt
