from __future__ import annotations

import re
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from libs.auth.overrides import (
    BASIS_POINTS,
    MAX_APPROVED_MINOR,
    OverrideAction,
    approved_shape_error,
)

# What an override can be for, named as the guarded endpoints name it (docs/pos.md): an id
# (an order, a shift), or, for a void, one line of an order. The id is a UUID in its usual
# 8-4-4-4-12 form (either case); a line number is a positive integer without leading zeros.
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_RESOURCE = re.compile(rf"(?P<id>{_UUID})(?:/lines/(?P<line>[1-9][0-9]{{0,8}}))?")
LINE_ACTIONS = frozenset({OverrideAction.VOID})


def _canonical_resource_id(value: str) -> str:
    """The resource in the canonical form the guarded endpoints compare the token's `res`
    against exactly: `str(order_id)`, or `f"{order_id}/lines/{line_number}"`."""
    matched = _RESOURCE.fullmatch(value)
    if matched is None:
        raise ValueError("an id (a UUID), or <order id>/lines/<line number> for a void")
    canonical = str(UUID(matched["id"]))
    return f"{canonical}/lines/{matched['line']}" if matched["line"] else canonical


class OverrideRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approver_id: UUID = Field(description="The owner or manager approving, at the till")
    pin: str = Field(pattern=r"^[0-9]{4,6}$", repr=False, description="The approver's POS PIN")
    action: OverrideAction
    resource_id: str = Field(
        max_length=64,
        description="What the action is on, as the guarded endpoint names it: an order's or "
        "shift's id, or `<order id>/lines/<line number>` for voiding or reducing one line",
        examples=["6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f/lines/2"],
    )
    amount_minor: int | None = Field(
        default=None,
        ge=0,
        le=MAX_APPROVED_MINOR,
        description="How much the manager approves, in minor units: the refund, the voided "
        "value (the order's or line's total, or the units taken off), or the order's whole "
        "discount. Required for refund and void; for discount this or percent_bps",
    )
    percent_bps: int | None = Field(
        default=None,
        ge=0,
        le=BASIS_POINTS,
        description="For a discount asked as a percentage: the order's whole discount as a "
        "share of its subtotal, in basis points (2000 = 20 %)",
    )

    _resource_id = field_validator("resource_id")(_canonical_resource_id)

    @model_validator(mode="after")
    def _lines_are_voided_only(self) -> Self:
        if "/lines/" in self.resource_id and self.action not in LINE_ACTIONS:
            raise ValueError(f"a line is named only for {', '.join(sorted(LINE_ACTIONS))}")
        return self

    @model_validator(mode="after")
    def _approves_an_amount(self) -> Self:
        error = approved_shape_error(
            self.action, amount_minor=self.amount_minor, percent_bps=self.percent_bps
        )
        if error is not None:
            raise ValueError(error)
        return self


class OverrideGranted(BaseModel):
    override_token: str = Field(
        description="Send as `X-Override-Token` with the guarded request, from this device"
    )
    expires_in: int = Field(description="Seconds the token is valid for; it works once")
    action: OverrideAction
    resource_id: str
    approved_by: UUID
    amount_minor: int | None = Field(default=None, description="The amount approved, if one")
    percent_bps: int | None = Field(default=None, description="The percentage approved, if one")
