from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

# Sam at register 1 of Harbour Café; Alex in the backoffice on a laptop.
SESSION_EXAMPLE: JsonDict = {
    "id": "a8d3f6b1-2e9c-4f4a-b7d5-3c8e1a6f9b27",
    "kind": "backoffice",
    "staff_id": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
    "staff_name": "Alex Chen",
    "staff_email": "alex@harbourlane.example",
    "role": "owner",
    "device_id": None,
    "device_name": None,
    "location_id": None,
    "client": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15",
    "started_at": "2026-12-07T21:02:00+00:00",
    "last_refreshed_at": "2026-12-07T22:41:00+00:00",
    "expires_at": "2026-12-08T09:02:00+00:00",
    "revoked_at": None,
    "current": True,
}


class LiveSession(BaseModel):
    """A sign-in session: a till's (PIN) or a browser's (backoffice)."""

    model_config = ConfigDict(json_schema_extra={"examples": [SESSION_EXAMPLE]})

    id: UUID
    kind: Literal["pos", "backoffice"] = Field(
        description="`pos`: signed in with a PIN on a till; `backoffice`: in a browser"
    )
    staff_id: UUID
    staff_name: str
    staff_email: str
    role: str = Field(description="The staff member's role now (the next token carries it)")
    device_id: UUID | None = Field(description="The till, for a `pos` session")
    device_name: str | None
    location_id: UUID | None = Field(description="The till's venue, for a `pos` session")
    client: str | None = Field(
        description="The browser's own description of itself at sign-in (its User-Agent), "
        "for a `backoffice` session; display only, since any program can send any"
    )
    started_at: datetime
    last_refreshed_at: datetime = Field(
        description="When its tokens were last issued: at sign-in, then each refresh (about "
        "every 10 minutes while it is in use)"
    )
    expires_at: datetime = Field(description="When it ends unless revoked first")
    revoked_at: datetime | None
    current: bool = Field(description="The session this request was made in")


class LiveSessionPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [SESSION_EXAMPLE], "next_cursor": None}]}
    )

    items: list[LiveSession]
    next_cursor: str | None = Field(description="For the next page; null on the last")
