from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from services.identity.staff.schemas import StaffRole

# -- examples ----------------------------------------------------------------------------------
# Sam signed in with a PIN at register 1 of Harbour Café, Sydney (the tokens have their real
# shapes; the access token's signature is not a valid one).
ACCESS_JWT_EXAMPLE = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6Ik56YkxzWGg4dURDY2QtNk1Od1hGNFdfN25vV1hGWkFmSGt4WnNSR0M5WHMi"
    "LCJ0eXAiOiJhdCtqd3QifQ.eyJpc3MiOiJoYWxvcG9zIiwiYXVkIjoiaGFsb3BvcyIsInN1YiI6IjhhM2U2YzFmL"
    "TRkOWItNGE3ZS1iMmM1LTNmOGQxYTZlOWM0MiIsInRpZCI6ImMyZjdhNGU5LThkMWItNGM2Zi1hM2U4LTViOWQyY"
    "zdmMWE0NiIsInJvbGUiOiJjYXNoaWVyIiwic2lkIjoiYThkM2Y2YjEtMmU5Yy00ZjRhLWI3ZDUtM2M4ZTFhNmY5Y"
    "jI3IiwiZGlkIjoiOWIyZTVkOGEtNGYxYy00YTdlLThkM2ItNmU5ZjJhNWMxZDc0IiwibGlkIjoiNmYxYzJkOWUtM"
    "2I0YS00YzVkLThlN2YtMGExYjJjM2Q0ZTVmIiwiaWF0IjoxNzk2NTkzMjAwLCJleHAiOjE3OTY1OTM4MDAsImNuZ"
    "iI6eyJqa3QiOiIwWmNPQ09SWk5ZeS1EV3BxcTMwalp5SkdIVE4wZDJIZ2xCVjN1aWd1QTRJIn19.dTR5nNqNrsxq"
    "jWP_lCTH2ESWpeTv9f1yZraJ_wsSjjE1-u08-M6rvKB_wkE3Gel9sQOwWe2JyJgj2l4eydzvPg"
)
REFRESH_CREDENTIAL_EXAMPLE = (
    "hpr_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_FcwBEE0nyMbt89RBx2esMueq59bsD2f1vd2CwXCywHF"
)
TILL_SESSION_EXAMPLE: JsonDict = {
    "access_token": ACCESS_JWT_EXAMPLE,
    "token_type": "DPoP",
    "expires_in": 600,
    "refresh_token": REFRESH_CREDENTIAL_EXAMPLE,
    "refresh_expires_in": 43200,
    "session_id": "a8d3f6b1-2e9c-4f4a-b7d5-3c8e1a6f9b27",
    "staff_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "role": "cashier",
    "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "location_ids": ["6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f"],
}
# Alex, the owner, in the backoffice: every location, no device.
BACKOFFICE_SESSION_EXAMPLE: JsonDict = {
    **TILL_SESSION_EXAMPLE,
    "session_id": "6b9e2d5a-8f3c-4a1e-9d7b-4e2a8c6f1b39",
    "staff_id": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
    "role": "owner",
    "device_id": None,
    "location_id": None,
    "location_ids": None,
}


class TokenResponse(BaseModel):
    """A new or refreshed session. Send the access token as `Authorization: DPoP <token>`
    with a proof from the same key on every call; exchange the refresh token (once) at
    `POST /v1/auth/token` before the access token expires."""

    model_config = ConfigDict(json_schema_extra={"examples": [TILL_SESSION_EXAMPLE]})

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
                    "device": (
                        "hpd_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_"
                        "eY2JfQw6eXWbD1zrokOtrqQeiJj_3dZ6VRBLvgUAzb3"
                    ),
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
                {"grant_type": "refresh_token", "refresh_token": REFRESH_CREDENTIAL_EXAMPLE}
            ]
        },
        extra="forbid",
    )

    grant_type: Literal["refresh_token"]
    refresh_token: str = Field(max_length=200)
