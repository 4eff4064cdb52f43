from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from services.audit.checkpoints.repository import CheckpointRepository


class CheckpointOut(BaseModel):
    size: int = Field(description="Entries in the log when it was signed")
    hash: str = Field(description="Hex hash of entry `size` (the chain head then)")
    origin: str
    signed_at: datetime
    requested_by: str = Field(description="Who asked: a staff subject, or `system` (periodic)")
    note: str = Field(description="The C2SP signed note (tlog-checkpoint shape)")

    @classmethod
    def of(cls, row: CheckpointRepository.Row) -> CheckpointOut:
        return cls(
            size=row.size,
            hash=row.hash.hex(),
            origin=row.origin,
            signed_at=row.signed_at,
            requested_by=row.requested_by,
            note=row.note,
        )


class CheckpointPage(BaseModel):
    items: list[CheckpointOut]
    next_cursor: str | None


class PublicKeyOut(BaseModel):
    algorithm: str = "Ed25519"
    origin: str = Field(description="This tenant's log: the first line of its checkpoints")
    key_name: str
    key_id: str = Field(description="4 bytes, hex")
    public_key: str = Field(description="32 bytes, standard base64")
    verifier_key: str = Field(description="C2SP note verifier key: name+id+base64(0x01||key)")
