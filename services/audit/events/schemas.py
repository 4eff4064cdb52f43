from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, Field

from libs.problems import Problem


class NaiveTimestamp(Problem):
    status = 422
    code = "timestamp-needs-offset"
    title = "Time filters need a UTC offset (2026-11-23T09:00:00+11:00)"


_HEX_SHA256 = r"^[0-9a-f]{64}$"


class AuditEvent(BaseModel):
    """One entry of the business's audit log: who did what to which resource, when, and the
    hash chain that makes a later edit or deletion detectable."""

    seq: int = Field(ge=1, description="The entry's place in the business's log: 1, 2, 3...")
    id: UUID
    occurred_at: datetime = Field(description="When it happened (on a till, if offline)")
    recorded_at: datetime = Field(description="When the log recorded it")
    service: str = Field(description="The service that wrote it: orders, identity, ...")
    actor_type: str = Field(
        description="Who did it: a role (owner, manager, cashier, accountant), or `device`, "
        "`bridge`, `operator` (the command line), `system`, `stripe`"
    )
    actor_id: str = Field(description="The staff member's id, or the device's, bridge's, ...")
    action: str = Field(description="What was done, `<resource>.<verb>`: `order.closed`")
    resource_type: str
    resource_id: str
    request_id: str | None = Field(description="The request that did it (X-Request-ID)")
    payload: dict[str, Any] = Field(
        description="What the action changed, as a JSON object whose members depend on the "
        "action: the fields sent and the values before and after, amounts in minor units; a "
        "sale's entries add the device (`device_id`), an override's approver (`approved_by`, "
        "`approved_by_role`, `override_jti`, `approved_amount_minor`, "
        "`approved_percent_bps`), and an offline operation's `offline`, `claims` and `flags`"
    )
    prev_hash: str = Field(pattern=_HEX_SHA256, description="The previous entry's `hash`")
    hash: str = Field(
        pattern=_HEX_SHA256,
        description="SHA-256 over this entry's canonical bytes and `prev_hash` (hex)",
    )

    @classmethod
    def of(cls, row: sa.Row[Any]) -> AuditEvent:
        values = {**row._asdict(), "prev_hash": row.prev_hash.hex(), "hash": row.hash.hex()}
        values.pop("tenant_id", None)
        return cls(**values)


class AuditEventPage(BaseModel):
    items: list[AuditEvent]
    next_cursor: str | None
