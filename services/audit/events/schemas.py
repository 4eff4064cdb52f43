from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel


class AuditEvent(BaseModel):
    seq: int
    id: UUID
    occurred_at: datetime
    recorded_at: datetime
    service: str
    actor_type: str
    actor_id: str
    action: str
    resource_type: str
    resource_id: str
    request_id: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class AuditEventPage(BaseModel):
    items: list[AuditEvent]
    next_cursor: str | None
