from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator


class StaffRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    CASHIER = "cashier"
    ACCOUNTANT = "accountant"


def _normalise_email(value: str) -> str:
    return value.strip().lower()


class StaffCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(pattern=r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$", max_length=254)
    display_name: str = Field(min_length=1, max_length=100)
    role: StaffRole
    password: str | None = Field(
        default=None, min_length=12, max_length=256, description="Backoffice sign-in"
    )
    pin: str | None = Field(
        default=None, pattern=r"^[0-9]{4,6}$", description="POS sign-in: 4 to 6 digits"
    )

    _email = field_validator("email")(_normalise_email)


class StaffUpdate(BaseModel):
    """Changes to a staff member; `version` is the one the change was based on."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1)
    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    role: StaffRole | None = None
    active: bool | None = Field(default=None, description="false deactivates; nothing is deleted")


class StaffMember(BaseModel):
    id: UUID
    email: str
    display_name: str
    role: StaffRole
    active: bool
    has_password: bool
    has_pin: bool
    created_at: datetime
    updated_at: datetime
    version: int


class StaffPage(BaseModel):
    items: list[StaffMember]
    next_cursor: str | None
