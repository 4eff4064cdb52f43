from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.api.concurrency import VersionedChange
from libs.text import RateString, Reason, TableName
from services.orders import pricing
from services.orders.sale.rules import Wanted

MAX_MINOR = 100_000_000


class ReasonCode(StrEnum):
    """Why a sale was voided or refunded; reports group by it."""

    CUSTOMER_REQUEST = "customer_request"
    ENTERED_IN_ERROR = "entered_in_error"
    ITEM_UNAVAILABLE = "item_unavailable"
    QUALITY_ISSUE = "quality_issue"
    PRICING_ERROR = "pricing_error"
    WALKOUT = "walkout"
    OTHER = "other"


class Strict(BaseModel):
    # Unknown fields are refused, so a client cannot slip in a tenant_id, a total or a price.
    model_config = ConfigDict(extra="forbid")


class DiscountIn(Strict):
    """A discount as a request states it: `PercentDiscount` or `AmountDiscount`, told apart by
    `kind` (the document's `oneOf`), each with its own bound."""

    kind: Literal["percent", "amount"]
    value: int

    @staticmethod
    def priced(discount: DiscountIn | None) -> pricing.Discount | None:
        """As the money engine takes it."""
        return pricing.Discount(discount.kind, discount.value) if discount else None


class PercentDiscount(DiscountIn):
    kind: Literal["percent"]
    value: int = Field(ge=0, le=10_000, description="Basis points: 1000 = 10%, 10000 = all")


class AmountDiscount(DiscountIn):
    kind: Literal["amount"]
    value: int = Field(ge=0, le=MAX_MINOR, description="Minor units off")


Discounted = Annotated[PercentDiscount | AmountDiscount, Field(discriminator="kind")]


class LineIn(Strict):
    item_id: UUID
    quantity: int = Field(default=1, ge=1, le=1_000)
    modifier_ids: list[UUID] = Field(default_factory=list, max_length=50)
    discount: Discounted | None = None

    def wanted(self) -> Wanted:
        """The line as the sale's rules take it."""
        return Wanted(
            self.item_id,
            self.quantity,
            tuple(self.modifier_ids),
            DiscountIn.priced(self.discount),
        )


class OrderOpen(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "table_name": "12",
                    "covers": 2,
                    "lines": [
                        {
                            "item_id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
                            "quantity": 2,
                            "modifier_ids": ["7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58"],
                        }
                    ],
                    "service_charge_bps": 0,
                }
            ]
        }
    )

    id: UUID | None = Field(
        default=None, description="Client-generated id, for orders created offline"
    )
    table_name: TableName | None = None
    covers: int | None = Field(default=None, ge=1, le=1_000)
    lines: list[LineIn] = Field(default_factory=list, max_length=200)
    discount: Discounted | None = None
    service_charge_bps: int = Field(default=0, ge=0, le=5_000)


class OrderChange(VersionedChange):
    """Only the fields sent change; `null` clears a discount, a table or covers."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"version": 3, "covers": 4, "discount": {"kind": "percent", "value": 1000}}
            ]
        }
    )

    table_name: TableName | None = None
    covers: int | None = Field(default=None, ge=1, le=1_000)
    discount: Discounted | None = None
    service_charge_bps: int | None = Field(default=None, ge=0, le=5_000)
    tip_minor: int | None = Field(default=None, ge=0, le=MAX_MINOR)


class LineAdd(LineIn, VersionedChange):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 3,
                    "item_id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
                    "quantity": 1,
                    "modifier_ids": ["7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58"],
                }
            ]
        }
    )

    pass


class LineChange(VersionedChange):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"version": 4, "quantity": 1, "reason_code": "customer_request"}]
        }
    )

    quantity: int | None = Field(default=None, ge=1, le=1_000)
    discount: Discounted | None = None
    reason_code: ReasonCode | None = Field(
        default=None, description="Required when the quantity goes down (that part is voided)"
    )


class VoidRequest(VersionedChange):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 5,
                    "reason_code": "entered_in_error",
                    "note": "Rung up on the wrong table",
                }
            ]
        }
    )

    reason_code: ReasonCode
    note: Reason | None = None


# -- examples ----------------------------------------------------------------------------------
# One sale at Harbour Café, Sydney, followed through the orders service's examples: table 12
# orders two flat whites with oat milk and a banana bread, pays by card, the order closes with
# receipt R1-000123, and one of the coffees is refunded. Prices include GST (one eleventh of the
# price); amounts are cents; the same ids name the same things in every example.
FLAT_WHITES_LINE: JsonDict = {
    "line_number": 1,
    "item_id": "3f6a8c2e-1b4d-4f7a-9c3e-5d2b8a6f1e47",
    "name": "Flat white",
    "quantity": 2,
    "unit_price_minor": 520,
    "modifiers": [
        {"id": "7c1e9a3b-5d2f-4b8e-a6c4-9e3f1d7b2a58", "name": "Oat milk", "price_minor": 70}
    ],
    "tax_category_id": "9d4f2b7e-3a6c-4e1b-8f5d-6c2a9e4b7d13",
    "tax_rate": "10.000",
    "discount": None,
    "gross_minor": 1040,
    "discount_minor": 0,
    "service_charge_minor": 0,
    "total_minor": 1040,
    "status": "active",
    "void_reason": None,
    "refunded_quantity": 0,
    "refunded_minor": 0,
}
BANANA_BREAD_LINE: JsonDict = {
    **FLAT_WHITES_LINE,
    "line_number": 2,
    "item_id": "8e1f4b7c-6a3d-4e9b-a2c5-4d7f1e8b6c90",
    "name": "Banana bread",
    "quantity": 1,
    "unit_price_minor": 650,
    "modifiers": [],
    "gross_minor": 650,
    "total_minor": 650,
}
# GST on the whole invoice, once: 1690 / 11 = 153.6, so 154.
GST_ON_THE_SALE: JsonDict = {
    "rate": "10.000",
    "net_minor": 1536,
    "tax_minor": 154,
    "gross_minor": 1690,
}
CARD_PAYMENT: JsonDict = {
    "id": "5e8c2a7f-3d9b-4b1e-a6c4-7f2d9e5b3a81",
    "tender": "card",
    "status": "approved",
    "amount_minor": 1690,
    "tendered_minor": None,
    "change_minor": None,
    "rounding_minor": 0,
    "scheme": "visa",
    "last4": "4242",
    "auth_code": "A1B2C3",
    "terminal_reference": "TX-20261207-084703-0192",
    "refunded_minor": 0,
    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "created_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "created_at": "2026-12-07T08:47:03+11:00",
    "card_verification": "terminal",
}
# Open, its lines sent to the bar and the kitchen (version 4).
ORDER_EXAMPLE: JsonDict = {
    "id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
    "status": "open",
    "currency": "AUD",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "register_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "table_name": "12",
    "covers": 2,
    "prices_include_tax": True,
    "discount": None,
    "service_charge_bps": 0,
    "subtotal_minor": 1690,
    "discount_minor": 0,
    "service_charge_minor": 0,
    "tax_minor": 154,
    "tax": [GST_ON_THE_SALE],
    "tip_minor": 0,
    "total_minor": 1690,
    "rounding_minor": 0,
    "paid_minor": 0,
    "refunded_minor": 0,
    "balance_minor": 1690,
    "created_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "created_at": "2026-12-07T08:41:12+11:00",
    "closed_at": None,
    "version": 4,
    "lines": [FLAT_WHITES_LINE, BANANA_BREAD_LINE],
    "payments": [],
}
# The cursor after ORDER_EXAMPLE: a page that ends with it says where the next one starts.
ORDER_CURSOR = (
    "WyIyMDI2LTEyLTA3VDA4OjQxOjEyKzExOjAwIiwgIjBiOWQyZjRlLTZjMWEtNGU4Yi05ZjNkLTJhNWM3ZTFiNGQ2MCJd"
)
# Paid in full by card, not yet closed.
PAID_ORDER_EXAMPLE: JsonDict = {
    **ORDER_EXAMPLE,
    "paid_minor": 1690,
    "balance_minor": 0,
    "version": 6,
    "payments": [CARD_PAYMENT],
}
CLOSED_ORDER_EXAMPLE: JsonDict = {
    **PAID_ORDER_EXAMPLE,
    "status": "closed",
    "closed_at": "2026-12-07T08:47:05+11:00",
    "version": 7,
}


class ModifierChosen(BaseModel):
    id: UUID
    name: str
    price_minor: int


class Discount(BaseModel):
    kind: Literal["percent", "amount"]
    value: int


class TaxLine(BaseModel):
    rate: RateString
    net_minor: int
    tax_minor: int
    gross_minor: int


class OrderLine(BaseModel):
    line_number: int
    item_id: UUID | None
    name: str
    quantity: int
    unit_price_minor: int
    modifiers: list[ModifierChosen]
    tax_category_id: UUID | None
    tax_rate: RateString
    discount: Discount | None
    gross_minor: int
    discount_minor: int
    service_charge_minor: int
    total_minor: int
    status: Literal["active", "voided"]
    void_reason: str | None
    refunded_quantity: int
    refunded_minor: int


class Payment(BaseModel):
    id: UUID
    tender: Literal["cash", "card"]
    status: Literal["pending", "approved", "declined", "timed_out"] = Field(
        description="`pending`: a card payment the terminal is still deciding (resume it by "
        "retrying the request with its Idempotency-Key, or `POST .../payments/{id}/resolve`)"
    )
    amount_minor: int
    tendered_minor: int | None
    change_minor: int | None
    rounding_minor: int
    scheme: str | None
    last4: str | None
    auth_code: str | None
    terminal_reference: str | None
    refunded_minor: int
    shift_id: UUID
    created_by: str
    created_at: datetime
    card_verification: Literal["terminal", "unverified", "settlement"] | None = Field(
        default=None,
        description="Card: `terminal` (taken through the terminal by the server), "
        "`unverified` (recorded by a till offline with the terminal's evidence; not yet "
        "matched by a card settlement), `settlement` (its shift's card settlement matched)",
    )


class Order(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ORDER_EXAMPLE]})

    id: UUID
    status: Literal["open", "closed", "voided"]
    currency: str
    location_id: UUID | None
    register_id: UUID | None
    shift_id: UUID | None
    table_name: str | None
    covers: int | None
    prices_include_tax: bool
    discount: Discount | None
    service_charge_bps: int
    subtotal_minor: int
    discount_minor: int
    service_charge_minor: int
    tax_minor: int
    tax: list[TaxLine]
    tip_minor: int
    total_minor: int = Field(description="What the customer owes, before cash rounding")
    rounding_minor: int = Field(description="Cash rounding (AUD to 5c), an explicit adjustment")
    paid_minor: int
    refunded_minor: int
    balance_minor: int = Field(description="Still to pay: total + rounding - paid")
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    version: int
    lines: list[OrderLine]
    payments: list[Payment]


class OrderPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [ORDER_EXAMPLE],
                    "next_cursor": ORDER_CURSOR,
                }
            ]
        }
    )

    items: list[Order]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")
