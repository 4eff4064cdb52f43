from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChainBreakOut(BaseModel):
    seq: int = Field(description="The first entry at which the chain is not valid")
    reason: str


class VerificationOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "valid": True,
                    "entries": 5342,
                    "head_hash": "c0f5a6bbb18476ddcf20ee1ec8bb0e4c5fcbb9a92b8f71c5f0702424135d5342",
                    "checkpoints_checked": 12,
                    "first_break": None,
                }
            ]
        }
    )

    valid: bool
    entries: int = Field(description="Entries checked before the first break (or all of them)")
    head_hash: str = Field(description="Hex hash of the last valid entry")
    checkpoints_checked: int
    first_break: ChainBreakOut | None
