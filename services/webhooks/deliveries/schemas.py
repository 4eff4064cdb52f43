from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.webhooks.events import EventType

ATTEMPT_EXAMPLE: JsonDict = {
    "number": 1,
    "attempted_at": "2026-12-07T03:15:01Z",
    "status_code": 500,
    "duration_ms": 84,
    "error": "HTTP 500",
}
DELIVERY_EXAMPLE: JsonDict = {
    "id": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
    "endpoint_id": "3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
    "message_id": "0e1d2c3b-4a59-4687-9766-5a4b3c2d1e0f",
    "event_type": "order.closed",
    "occurred_at": "2026-12-07T03:15:00Z",
    "data": {"order_id": "0b5c2f1e-5d0a-4c8e-9d3e-2a1f6b7c8d9e", "total_minor": 1250},
    "status": "delivered",
    "attempt_count": 2,
    "next_attempt_at": None,
    "last_attempt_at": "2026-12-07T03:15:06Z",
    "delivered_at": "2026-12-07T03:15:06Z",
    "created_at": "2026-12-07T03:15:01Z",
    "attempts": [
        ATTEMPT_EXAMPLE,
        {
            "number": 2,
            "attempted_at": "2026-12-07T03:15:06Z",
            "status_code": 200,
            "duration_ms": 41,
            "error": None,
        },
    ],
}


class Attempt(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [ATTEMPT_EXAMPLE]})

    number: int = Field(ge=1, description="1 for the first attempt of the delivery")
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null if none came")
    duration_ms: int = Field(ge=0, description="From sending to the receiver's status line")
    error: str | None = Field(description="Why it did not count as delivered; null on 2xx")


class Delivery(BaseModel):
    """One message to one endpoint, with every attempt to send it."""

    model_config = ConfigDict(json_schema_extra={"examples": [DELIVERY_EXAMPLE]})

    id: UUID
    endpoint_id: UUID
    message_id: UUID = Field(description="The `webhook-id` header of every attempt")
    event_type: EventType
    occurred_at: datetime = Field(description="When the event happened")
    data: dict[str, Any] = Field(description="The event's `data`, as sent")
    status: Literal["pending", "delivered", "failed"] = Field(
        description="`failed`: every attempt of the retry schedule failed; replay it to retry"
    )
    attempt_count: int = Field(ge=0)
    next_attempt_at: datetime | None = Field(description="When it is tried next, if pending")
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempts: list[Attempt] = Field(description="Oldest first")


class DeliveryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [DELIVERY_EXAMPLE], "next_cursor": None}]}
    )

    items: list[Delivery]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )


class Replay(BaseModel):
    """No fields: an empty object, or no body at all."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})
