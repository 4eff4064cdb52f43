from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from libs.text import Note


class PrinterRole(StrEnum):
    RECEIPT = "receipt"
    KITCHEN = "kitchen"
    BAR = "bar"


class PrintJobStatus(StrEnum):
    QUEUED = "queued"
    PRINTED = "printed"
    FAILED = "failed"
    EXPIRED = "expired"


class AckStatus(StrEnum):
    PRINTED = "printed"
    FAILED = "failed"


class DeliveredJob(BaseModel):
    """A job leased to the polling Bridge: print `content_base64` (ESC/POS) on a printer of
    `printer_role`, then acknowledge it with `attempt` before `lease_expires_at`, or it is
    delivered again."""

    id: UUID
    printer_role: PrinterRole
    kind: str
    summary: str
    register_number: int | None
    attempt: int
    lease_expires_at: datetime
    content_base64: str


class PollResponse(BaseModel):
    jobs: list[DeliveredJob]
    lease_seconds: int


class Acknowledgement(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"attempt": 1, "status": "printed"}]}, extra="forbid"
    )

    attempt: int = Field(ge=1, description="The `attempt` of the delivery being acknowledged")
    status: AckStatus
    reason: Note | None = Field(
        default=None, description="Why printing failed, in the printer's words"
    )


class AckResult(BaseModel):
    id: UUID
    status: PrintJobStatus
    attempts: int
    last_error: str | None


class LeasedJob(BaseModel):
    """A job's row as a lease returns it (never leaves the service as is: the body is sent
    base64-encoded)."""

    id: UUID
    printer_role: PrinterRole
    kind: str
    summary: str
    register_number: int | None
    attempts: int
    available_at: datetime
    body: bytes


class SweptJob(BaseModel):
    """A job the sweep expired or parked."""

    id: UUID
    printer_role: PrinterRole
    attempts: int
    last_error: str | None


class StoredPrintJob(BaseModel):
    """A job's state as an acknowledgement or a retry reads it, under a row lock."""

    id: UUID
    location_id: UUID
    status: PrintJobStatus
    attempts: int
    last_error: str | None


class PrintJobView(BaseModel):
    """A print job as the backoffice shows it (without the printed bytes)."""

    id: UUID
    location_id: UUID
    printer_role: PrinterRole
    kind: str
    summary: str
    status: PrintJobStatus
    attempts: int
    last_error: str | None
    order_id: UUID | None
    receipt_id: UUID | None
    register_number: int | None
    created_at: datetime
    expires_at: datetime
    finished_at: datetime | None


class PrintJobPage(BaseModel):
    items: list[PrintJobView]
    next_cursor: str | None
