from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from libs.auth.overrides import OverrideAction


def _canonical_resource_id(value: str) -> str:
    """An id that is a UUID is named in its canonical form, the one guarded endpoints compare
    against (`str(order_id)`); anything else is kept exactly as sent."""
    try:
        return str(UUID(value))
    except ValueError:
        return value


class OverrideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approver_id: UUID = Field(description="The owner or manager approving, at the till")
    pin: str = Field(pattern=r"^[0-9]{4,6}$", repr=False, description="The approver's POS PIN")
    action: OverrideAction
    resource_id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$",
        max_length=64,
        description="What the action is on, as the guarded endpoint names it (an order's id)",
    )

    _resource_id = field_validator("resource_id")(_canonical_resource_id)


class OverrideGranted(BaseModel):
    override_token: str = Field(
        description="Send as `X-Override-Token` with the guarded request, from this device"
    )
    expires_in: int = Field(description="Seconds the token is valid for; it works once")
    action: OverrideAction
    resource_id: str
    approved_by: UUID
