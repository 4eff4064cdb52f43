"""What the business and its venues look like to a signed-in client (GET /v1/business,
GET /v1/locations): what a backoffice or a till needs to show money and days right."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

LOCATION_EXAMPLE: JsonDict = {
    "id": "7d0c2f4e-3b8a-4e61-9f2d-5a1c8b7e6d43",
    "name": "Harbour Lane",
    "time_zone": "Australia/Sydney",
    "business_day_cutoff_hour": 4,
    "created_at": "2026-03-02T09:15:00Z",
}


class Business(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3f6b2a1c-8d4e-4f7a-9b1c-2e5d8a7f6c40",
                    "name": "Harbour Café Pty Ltd",
                    "region": "au",
                    "data_region": "ap-southeast-2",
                    "currency": "AUD",
                }
            ]
        }
    )

    id: UUID
    name: str
    region: Literal["au", "eu"] = Field(
        description="Whose tax law the business keeps its books by: Australia's or Germany's"
    )
    data_region: str = Field(description="The cloud region its data is kept in")
    currency: str = Field(description="ISO 4217; every amount is in its minor units")


class Location(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [LOCATION_EXAMPLE]})

    id: UUID
    name: str
    time_zone: str = Field(description="IANA time zone the venue's days and times are in")
    business_day_cutoff_hour: int = Field(
        description="Local hour a business day starts (a night's trade before it belongs to "
        "the day before)"
    )
    created_at: datetime


class LocationPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [LOCATION_EXAMPLE], "next_cursor": None}]}
    )

    items: list[Location]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")
