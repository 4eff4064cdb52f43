from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from libs.problems import Problem
from pydantic import BaseModel


class NaiveTimestamp(Problem):
    status = 422
    code = "timestamp-needs-offset"
    title = "Time filters need a UTC offset (2026-11-23T09:00:00+11:00)"


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

    @classmethod
    def of(cls, row: sa.Row[Any]) -> AuditEvent:
        values = {**row._asdict(), "prev_hash": row.prev_hash.hex(), "hash": row.hash.hex()}
        values.pop("tenant_id", None)
        return cls(**values)


class AuditEventPage(BaseModel):
    items: list[AuditEvent]
    next_cursor: str | None
