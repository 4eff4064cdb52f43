from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    quantity: int = Field(ge=1, le=10_000)
    unit_price_minor: int = Field(ge=0, le=100_000_000, description="Unit price in minor units")


class OrderCreate(BaseModel):
    # Unknown fields are refused, so a client cannot slip in a tenant_id (or anything else).
    model_config = ConfigDict(extra="forbid")

    id: UUID | None = Field(
        default=None, description="Client-generated id, for orders created offline"
    )
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code")
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)


class OrderVoid(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200, description="Why; kept in the audit log")


class OrderLine(BaseModel):
    line_number: int
    name: str
    quantity: int
    unit_price_minor: int
    total_minor: int


class Order(BaseModel):
    id: UUID
    location_id: UUID | None
    status: str
    currency: str
    total_minor: int
    created_by: str
    created_at: datetime
    version: int
    lines: list[OrderLine]


class OrderPage(BaseModel):
    items: list[Order]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")
