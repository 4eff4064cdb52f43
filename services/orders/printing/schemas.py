from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from libs.text import Reason
from services.orders.ordering.schemas import Order, Strict, Versioned


class FireRequest(Versioned):
    model_config = ConfigDict(json_schema_extra={"examples": [{"version": 3}]})

    pass


class ReprintRequest(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "Customer asked for a copy"}]}
    )

    reason: Reason | None = Field(default=None, description="Why, for the audit")


class FiredTicket(BaseModel):
    printer_role: Literal["kitchen", "bar"]
    line_numbers: list[int]
    print_job_id: UUID


class FireResult(BaseModel):
    order: Order
    tickets: list[FiredTicket] = Field(
        description="One per printer role with new lines; empty when nothing was left to send"
    )


class PrintQueued(BaseModel):
    print_job_id: UUID
    location_id: UUID
    printer_role: Literal["receipt", "kitchen", "bar"]
    kind: Literal["receipt", "kitchen_ticket", "reprint"]
    summary: str
    receipt_id: UUID | None = None
