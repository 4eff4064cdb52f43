from __future__ import annotations

from pydantic import BaseModel, Field


class ChainBreakOut(BaseModel):
    seq: int = Field(description="The first entry at which the chain is not valid")
    reason: str


class VerificationOut(BaseModel):
    valid: bool
    entries: int = Field(description="Entries checked before the first break (or all of them)")
    head_hash: str = Field(description="Hex hash of the last valid entry")
    checkpoints_checked: int
    first_break: ChainBreakOut | None
