from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.problems import Problem


class NaiveTimestamp(Problem):
    status = 422
    code = "timestamp-needs-offset"
    title = "Time filters need a UTC offset (2026-11-23T09:00:00+11:00)"


_HEX_SHA256 = r"^[0-9a-f]{64}$"


# -- examples ----------------------------------------------------------------------------------
# Entry 5342 of Harbour Café's log: Sam closing the example order at register 1.
AUDIT_EVENT_EXAMPLE: JsonDict = {
    "seq": 5342,
    "id": "9f3b7d1e-5c2a-4e8b-a6d4-1b7e3c9f5a82",
    "occurred_at": "2026-12-07T08:47:05.412+11:00",
    "recorded_at": "2026-12-07T08:47:05.412+11:00",
    "service": "orders",
    "actor_type": "cashier",
    "actor_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "action": "order.closed",
    "resource_type": "order",
    "resource_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
    "request_id": "3f1c9a2e7b5d4e8f9a6c1d2b3e4f5a60",
    "payload": {
        "receipt_id": "7a4d1e8b-2c6f-4d9a-b3e5-9c1f7a4d2e68",
        "receipt_number": "R1-000123",
        "total_minor": 1690,
        "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    },
    "prev_hash": "f15f85635aa4e9acc0998f6d3c31f39d796277f6a1e707706ea0f260081c74e9",
    "hash": "c0f5a6bbb18476ddcf20ee1ec8bb0e4c5fcbb9a92b8f71c5f0702424135d5342",
}


class AuditEvent(BaseModel):
    """One entry of the business's audit log: who did what to which resource, when, and the
    hash chain that makes a later edit or deletion detectable."""

    model_config = ConfigDict(json_schema_extra={"examples": [AUDIT_EVENT_EXAMPLE]})

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
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [AUDIT_EVENT_EXAMPLE], "next_cursor": "5342"}]}
    )

    items: list[AuditEvent]
    next_cursor: str | None
