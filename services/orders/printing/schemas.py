from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from libs.api.concurrency import VersionedChange
from libs.text import Reason
from services.orders.ordering.schemas import ORDER_EXAMPLE, Order, Strict


class FireRequest(VersionedChange):
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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "order": ORDER_EXAMPLE,
                    "tickets": [
                        {
                            "printer_role": "bar",
                            "line_numbers": [1],
                            "print_job_id": "2b8e5f1a-7c4d-4a9e-b6f3-8d1a5c9e2f37",
                        },
                        {
                            "printer_role": "kitchen",
                            "line_numbers": [2],
                            "print_job_id": "d6c3a8f1-5e2b-4d7c-9f4a-1b8e3d6c9a52",
                        },
                    ],
                }
            ]
        }
    )

    order: Order
    tickets: list[FiredTicket] = Field(
        description="One per printer role with new lines; empty when nothing was left to send"
    )


class PrintQueued(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "print_job_id": "f1a7c4e2-9d3b-4e6a-8c1f-3a7e9d2b5c46",
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "printer_role": "receipt",
                    "kind": "reprint",
                    "summary": "Copy of receipt R1-000123",
                    "receipt_id": "7a4d1e8b-2c6f-4d9a-b3e5-9c1f7a4d2e68",
                }
            ]
        }
    )

    print_job_id: UUID
    location_id: UUID
    printer_role: Literal["receipt", "kitchen", "bar"]
    kind: Literal["receipt", "kitchen_ticket", "reprint"]
    summary: str
    receipt_id: UUID | None = None
