from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from libs.auth.access_tokens import MAX_VENUES
from libs.text import Email, Name


class StaffRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    CASHIER = "cashier"
    ACCOUNTANT = "accountant"


def _normalise_email(value: str) -> str:
    return value.strip().lower()


def _distinct_locations(value: list[UUID] | None) -> list[UUID] | None:
    return sorted(set(value)) if value is not None else None


LOCATION_IDS = (
    "The locations this person works at: their backoffice sessions see only these, and "
    "they sign in only at tills there. null (the default): every location of the business."
)


class StaffCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "sam.cook@harbourlane.example",
                    "display_name": "Sam Cook",
                    "role": "cashier",
                    "pin": "4821",
                    "location_ids": ["6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f"],
                }
            ]
        },
        extra="forbid",
    )

    email: Email
    display_name: Name
    role: StaffRole
    password: str | None = Field(
        default=None, min_length=12, max_length=256, description="Backoffice sign-in"
    )
    pin: str | None = Field(
        default=None, pattern=r"^[0-9]{4,6}$", description="POS sign-in: 4 to 6 digits"
    )
    location_ids: list[UUID] | None = Field(
        default=None, min_length=1, max_length=MAX_VENUES, description=LOCATION_IDS
    )

    _email = field_validator("email")(_normalise_email)
    _location_ids = field_validator("location_ids")(_distinct_locations)


class StaffUpdate(BaseModel):
    """Changes to a staff member; `version` is the one the change was based on."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"version": 2, "role": "manager"}]}, extra="forbid"
    )

    version: int = Field(ge=1)
    display_name: Name | None = None
    role: StaffRole | None = None
    active: bool | None = Field(default=None, description="false deactivates; nothing is deleted")
    pin: str | None = Field(
        default=None,
        pattern=r"^[0-9]{4,6}$",
        description="A new POS PIN (4 to 6 digits), replacing the one they had: a PIN reset",
    )
    location_ids: list[UUID] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_VENUES,
        description=f"{LOCATION_IDS} Send null to give back every location; leave it out to "
        "keep it as it is.",
    )

    _location_ids = field_validator("location_ids")(_distinct_locations)


# -- examples ----------------------------------------------------------------------------------
# Sam Cook, a cashier at Harbour Café, Sydney: signs in at the till with a PIN only.
STAFF_MEMBER_EXAMPLE: JsonDict = {
    "id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "email": "sam.cook@harbourlane.example",
    "display_name": "Sam Cook",
    "role": "cashier",
    "active": True,
    "has_password": False,
    "has_pin": True,
    "location_ids": ["6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f"],
    "created_at": "2026-11-03T14:20:00+11:00",
    "updated_at": "2026-11-03T14:20:00+11:00",
    "version": 1,
}


class StaffMember(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [STAFF_MEMBER_EXAMPLE]})

    id: UUID
    email: str
    display_name: str
    role: StaffRole
    active: bool
    has_password: bool
    has_pin: bool
    location_ids: list[UUID] | None = Field(description=LOCATION_IDS)
    created_at: datetime
    updated_at: datetime
    version: int


class StaffPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [STAFF_MEMBER_EXAMPLE], "next_cursor": None}]}
    )

    items: list[StaffMember]
    next_cursor: str | None
