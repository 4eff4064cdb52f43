from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.identity.staff.schemas import StaffRole


class TokenResponse(BaseModel):
    """A new or refreshed session. Send the access token as `Authorization: DPoP <token>`
    with a proof from the same key on every call; exchange the refresh token (once) at
    `POST /v1/auth/token` before the access token expires."""

    access_token: str
    token_type: Literal["DPoP"] = "DPoP"  # noqa: S105 - the token scheme, not a secret
    expires_in: int = Field(description="Seconds the access token is valid")
    refresh_token: str
    refresh_expires_in: int = Field(description="Seconds the refresh token is valid")
    session_id: UUID
    staff_id: UUID
    role: StaffRole
    device_id: UUID | None = None
    location_id: UUID | None = None
    location_ids: list[UUID] | None = Field(
        default=None,
        description="The locations this session reaches: a till's session its own location "
        "alone; a backoffice session those its staff member works at (null: every location "
        "of the business). Read again at every refresh.",
    )


class PinSignIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device": "dv_5Jk2Qm8Rt4Wx9Zb3",
                    "staff_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
                    "pin": "4821",
                }
            ]
        },
        extra="forbid",
    )

    device: str = Field(max_length=120, description="The handle the device got at activation")
    staff_id: UUID
    pin: str = Field(pattern=r"^[0-9]{4,6}$")


class RefreshRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"grant_type": "refresh_token", "refresh_token": "rt_Hq7Lm2Xc9Vb4Nz6Kp3Wd8Fs"}
            ]
        },
        extra="forbid",
    )

    grant_type: Literal["refresh_token"]
    refresh_token: str = Field(max_length=200)
