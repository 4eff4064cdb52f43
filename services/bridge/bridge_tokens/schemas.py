from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

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


class BridgeToken(BaseModel):
    """A Bridge token as the backoffice sees it: never its secret, which is not stored."""

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

    token: str = Field(
        description="The token (`hpb_…`), sent by the Bridge as `Authorization: Bearer <token>`"
    )


class BridgeTokenPage(BaseModel):
    items: list[BridgeToken]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )
