from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.api.concurrency import VersionedChange
from libs.text import Text
from libs.webhooks.events import EventType

# A week: long enough to reach a receiver whose deployment waits for a weekend.
MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60

EndpointUrl = Annotated[
    str,
    Field(
        min_length=10,
        max_length=2048,
        # ASCII only (an internationalised name is sent in its xn-- form), no credentials, no
        # fragment: addresses.check_url then decides whether we may send there.
        pattern=r"^https?://[A-Za-z0-9.:\[\]-]+(/[\x21\x22\x24-\x7e]*)?$",
        description="Where deliveries are POSTed: https:// on a public address (docs/webhooks.md)",
        examples=["https://hooks.example.com/halopos"],
    ),
]
Description = Annotated[
    str,
    Text(max_length=200, min_length=0),
    Field(description="What the owner calls this endpoint", examples=["Accounting sync"]),
]
EventTypes = Annotated[
    list[EventType],
    Field(
        min_length=1,
        max_length=len(EventType),
        description="The event types sent to this endpoint (`GET /v1/webhooks/event-types`)",
    ),
]

ENDPOINT_EXAMPLE: JsonDict = {
    "id": "3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
    "url": "https://hooks.example.com/halopos",
    "description": "Accounting sync",
    "event_types": ["order.closed", "refund.issued"],
    "status": "enabled",
    "disabled_reason": None,
    "disabled_at": None,
    "failing_since": None,
    "previous_secret_expires_at": None,
    "version": 1,
    "created_by": "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
    "created_at": "2026-12-07T03:15:00Z",
    "updated_at": "2026-12-07T03:15:00Z",
}
# An example for the API document, not a secret anything uses.
SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw7vSJzbEuTHk="  # noqa: S105


class EventTypeInfo(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "order.closed", "description": "A sale was paid in full and closed."}
            ]
        }
    )

    name: EventType
    description: str


class EventTypeList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [{"name": "order.closed", "description": "A sale was closed."}]}]
        }
    )

    items: list[EventTypeInfo]


class EndpointCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.com/halopos",
                    "description": "Accounting sync",
                    "event_types": ["order.closed", "refund.issued"],
                }
            ]
        },
    )

    url: EndpointUrl
    description: Description = ""
    event_types: EventTypes


class EndpointUpdate(VersionedChange):
    """Only the fields sent change. Send the version you read (or If-Match)."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"event_types": ["order.closed"], "version": 1}]},
    )

    url: EndpointUrl | None = None
    description: Description | None = None
    event_types: EventTypes | None = None


class SecretRotation(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"grace_period_seconds": 86400}]}
    )

    grace_period_seconds: int | None = Field(
        default=None,
        ge=0,
        le=MAX_GRACE_PERIOD_SECONDS,
        description="How long the current secret keeps signing beside the new one, so the "
        "receiver can be given the new one without refusing a delivery. Default: 24 hours. "
        "0 stops it at once, which is what to do when it may have leaked.",
    )


class EndpointStatusChange(BaseModel):
    """No fields: an empty object, or no body at all."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})


class Endpoint(BaseModel):
    """An endpoint as the owner sees it; never its secret, which is shown only when made."""

    model_config = ConfigDict(json_schema_extra={"examples": [ENDPOINT_EXAMPLE]})

    id: UUID
    url: str
    description: str
    event_types: list[EventType]
    status: Literal["enabled", "disabled"] = Field(
        description="`disabled`: nothing is sent (by the owner, or after repeated failure)"
    )
    disabled_reason: str | None = Field(
        description="Why it is disabled: `by-owner`, or what kept failing"
    )
    disabled_at: datetime | None
    failing_since: datetime | None = Field(
        description="Since when every attempt to it has failed; null while it answers 2xx"
    )
    previous_secret_expires_at: datetime | None = Field(
        description="Until when the secret rotated out still signs beside the current one"
    )
    version: int = Field(description="Send it back (or as If-Match) to change the endpoint")
    created_by: str = Field(description="The staff member's id")
    created_at: datetime
    updated_at: datetime


class EndpointCreated(Endpoint):
    """The one answer that holds the signing secret: give it to the receiver now."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**ENDPOINT_EXAMPLE, "secret": SECRET_EXAMPLE}]}
    )

    secret: str = Field(
        description="The signing secret (`whsec_` and base64): verify `webhook-signature` with it"
    )


class EndpointPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [ENDPOINT_EXAMPLE], "next_cursor": None}]}
    )

    items: list[Endpoint]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )
