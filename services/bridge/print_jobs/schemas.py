from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

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


# -- examples ----------------------------------------------------------------------------------
# Harbour Café's receipt printer: the copy of receipt R1-000123 its Bridge is printing, and
# the receipt itself, printed at the close.
# ESC @ (initialise), centred, then the copy's first lines.
RECEIPT_COPY_ESC_POS = "G0AbYQFIYXJib3VyIENhZoIKQ09QWQpSZWNlaXB0IFIxLTAwMDEyMwo="
RECEIPT_JOB_EXAMPLE: JsonDict = {
    "id": "7e3b9d1f-4a6c-4e2b-8f9d-3c1a5e7b9d24",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "printer_role": "receipt",
    "kind": "receipt",
    "summary": "Receipt R1-000123",
    "status": "printed",
    "attempts": 1,
    "last_error": None,
    "order_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
    "receipt_id": "7a4d1e8b-2c6f-4d9a-b3e5-9c1f7a4d2e68",
    "register_number": 1,
    "created_at": "2026-12-07T08:47:05+11:00",
    "expires_at": "2026-12-07T09:02:05+11:00",
    "finished_at": "2026-12-07T08:47:08+11:00",
}


class PollResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "jobs": [
                        {
                            "id": "f1a7c4e2-9d3b-4e6a-8c1f-3a7e9d2b5c46",
                            "printer_role": "receipt",
                            "kind": "reprint",
                            "summary": "Copy of receipt R1-000123",
                            "register_number": 1,
                            "attempt": 1,
                            "lease_expires_at": "2026-12-07T09:15:30+11:00",
                            "content_base64": RECEIPT_COPY_ESC_POS,
                        }
                    ],
                    "lease_seconds": 30,
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "f1a7c4e2-9d3b-4e6a-8c1f-3a7e9d2b5c46",
                    "status": "printed",
                    "attempts": 1,
                    "last_error": None,
                }
            ]
        }
    )

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

    model_config = ConfigDict(json_schema_extra={"examples": [RECEIPT_JOB_EXAMPLE]})

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
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [RECEIPT_JOB_EXAMPLE], "next_cursor": None}]}
    )

    items: list[PrintJobView]
    next_cursor: str | None
