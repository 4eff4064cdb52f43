from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.text import Name

# A week: long enough to reach a Bridge that is switched off over a long weekend.
MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60


class BridgeTokenCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                    "name": "Mac mini behind the bar",
                }
            ]
        },
        extra="forbid",
        str_strip_whitespace=True,
    )

    location_id: UUID = Field(description="The venue whose print jobs the Bridge will receive")
    name: Name = Field(
        description="What the owner calls this Bridge, e.g. 'Mac mini behind the bar'",
    )


class BridgeTokenRotation(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"grace_period_seconds": 3600}]}, extra="forbid"
    )

    grace_period_seconds: int = Field(
        default=0,
        ge=0,
        le=MAX_GRACE_PERIOD_SECONDS,
        description="How long the token's current secret keeps working, so the Bridge can be "
        "given the new one without missing a print job. 0 (the default) stops it at once, "
        "which is what to do when the secret may have leaked.",
    )


class BridgeTokenRevocation(BaseModel):
    """No fields: revoking needs no choices. An empty object, or no body at all."""

    model_config = ConfigDict(json_schema_extra={"examples": [{}]}, extra="forbid")


# -- examples ----------------------------------------------------------------------------------
# The Bridge on the Mac mini behind the bar at Harbour Café, Sydney: it prints the venue's
# receipts and tickets. Its hint is the last four
# characters of the token it was given (BRIDGE_CREDENTIAL).
BRIDGE_CREDENTIAL = (
    "hpb_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_fSTTPjkGTIp42SvUDGUCdhOuv7DgcDLAlFoWnUQ3ZdA"
)
BRIDGE_TOKEN_EXAMPLE: JsonDict = {
    "id": "4f9a2c7e-1d5b-4e8f-a3c6-9e2b7d4f1a58",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "name": "Mac mini behind the bar",
    "hint": "3ZdA",
    "created_at": "2026-11-19T22:12:00+00:00",
    "created_by": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
    "rotated_at": None,
    "revoked_at": None,
    "revoked_by": None,
    "last_used_at": "2026-12-06T21:47:00+00:00",
    "last_used_address": "203.0.113.24",
}


class BridgeToken(BaseModel):
    """A Bridge token as the backoffice sees it: never its secret, which is not stored."""

    model_config = ConfigDict(json_schema_extra={"examples": [BRIDGE_TOKEN_EXAMPLE]})

    id: UUID = Field(description="The token's id; the Bridge's actor id in the audit log")
    location_id: UUID = Field(description="The only venue this token receives print jobs for")
    name: str = Field(description="What the owner calls this Bridge")
    hint: str = Field(
        description="The last four characters of the current secret, to match the token "
        "configured on a Bridge with this entry"
    )
    created_at: datetime = Field(description="When the token was created (UTC)")
    created_by: str = Field(description="The staff member who created the token")
    rotated_at: datetime | None = Field(
        description="When a new secret was last issued; null if never"
    )
    revoked_at: datetime | None = Field(
        description="When the token was revoked; a revoked token is refused from then on"
    )
    revoked_by: str | None = Field(description="The staff member who revoked it")
    last_used_at: datetime | None = Field(
        description="When a Bridge last used the token, to the minute; null if never"
    )
    last_used_address: str | None = Field(
        description="The network address that last used the token, as the service saw it"
    )


class BridgeTokenCreated(BridgeToken):
    """The one answer that holds the token: store it on the Bridge now. It cannot be shown
    again; if it is lost, rotate the token."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **BRIDGE_TOKEN_EXAMPLE,
                    "last_used_at": None,
                    "last_used_address": None,
                    "token": BRIDGE_CREDENTIAL,
                }
            ]
        }
    )

    token: str = Field(
        description="The token (`hpb_…`), sent by the Bridge as `Authorization: Bearer <token>`"
    )


class BridgeTokenPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [BRIDGE_TOKEN_EXAMPLE], "next_cursor": None}]}
    )

    items: list[BridgeToken]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )
