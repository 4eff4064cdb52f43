from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from libs.api.json_schema import member
from libs.auth.overrides import BASIS_POINTS, MAX_APPROVED_MINOR, OverrideAction

# What an override can be for, named as the guarded endpoints name it (docs/pos.md): an id
# (an order, a shift), or, for a void, one line of an order. The id is a UUID in its usual
# 8-4-4-4-12 form (either case); a line number is a positive integer without leading zeros.
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
_RESOURCE = re.compile(rf"(?P<id>{_UUID})(?:/lines/(?P<line>[1-9][0-9]{{0,8}}))?")


def _canonical_resource_id(value: str) -> str:
    """The resource in the canonical form the guarded endpoints compare the token's `res`
    against exactly: `str(order_id)`, or `f"{order_id}/lines/{line_number}"`."""
    matched = _RESOURCE.fullmatch(value)
    if matched is None:
        raise ValueError("an id (a UUID), or <order id>/lines/<line number> for a void")
    canonical = str(UUID(matched["id"]))
    return f"{canonical}/lines/{matched['line']}" if matched["line"] else canonical


_PIN = Field(pattern=r"^[0-9]{4,6}$", repr=False, description="The approver's POS PIN")
_ID = Field(
    max_length=64,
    pattern=rf"^{_UUID}$",
    description="What the action is on, as the guarded endpoint names it: the order's or "
    "shift's id",
)
_AMOUNT = Field(
    ge=0,
    le=MAX_APPROVED_MINOR,
    description="How much the manager approves, in minor units: the refund, the voided value "
    "(the order's or line's total, or the units taken off), or the order's whole discount",
)


class _Override(BaseModel):
    """What every override request names; each action's own says what it approves."""

    model_config = ConfigDict(extra="forbid")

    approver_id: UUID = Field(description="The owner or manager approving, at the till")
    pin: str = _PIN
    action: OverrideAction
    resource_id: str = _ID
    amount_minor: int | None = None
    percent_bps: int | None = None

    _resource_id = field_validator("resource_id")(_canonical_resource_id)


class RefundOverride(_Override):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "pin": "4821",
                    "action": "refund",
                    "resource_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
                    "amount_minor": 520,
                }
            ]
        }
    )

    action: Literal[OverrideAction.REFUND]
    amount_minor: int = _AMOUNT
    percent_bps: None = None


class VoidOverride(_Override):
    """A void of an order, or of one line (`<order id>/lines/<line number>`), also when a
    line's quantity goes down."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "pin": "4821",
                    "action": "void",
                    "resource_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60/lines/2",
                    "amount_minor": 650,
                }
            ]
        }
    )

    action: Literal[OverrideAction.VOID]
    resource_id: str = Field(
        max_length=64,
        pattern=rf"^{_UUID}(/lines/[1-9][0-9]{{0,8}})?$",
        description="The order's id, or `<order id>/lines/<line number>` for voiding or "
        "reducing one line",
        examples=["6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f/lines/2"],
    )
    amount_minor: int = _AMOUNT
    percent_bps: None = None


class DiscountAmountOverride(_Override):
    """A discount approved as an amount: the order's whole discount, in minor units."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "pin": "4821",
                    "action": "discount",
                    "resource_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
                    "amount_minor": 500,
                }
            ]
        }
    )

    action: Literal[OverrideAction.DISCOUNT]
    amount_minor: int = _AMOUNT
    percent_bps: None = None


class DiscountPercentOverride(_Override):
    """A discount asked as a percentage: the order's whole discount as a share of its
    subtotal."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "pin": "4821",
                    "action": "discount",
                    "resource_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
                    "percent_bps": 2000,
                }
            ]
        }
    )

    action: Literal[OverrideAction.DISCOUNT]
    percent_bps: int = Field(ge=0, le=BASIS_POINTS, description="Basis points: 2000 = 20 %")
    amount_minor: None = None


class ForceCloseOverride(_Override):
    """Closing someone else's shift: approves no amount."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "pin": "4821",
                    "action": "shift_force_close",
                    "resource_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
                }
            ]
        }
    )

    action: Literal[OverrideAction.SHIFT_FORCE_CLOSE]
    amount_minor: None = None
    percent_bps: None = None


def _override_of(body: Any) -> str:
    """Which override a body asks for: its action, and for a discount whether it is a
    percentage (a body that fits none is then refused by the one chosen)."""
    action = member(body, "action")
    action = action.value if isinstance(action, OverrideAction) else action
    if action == OverrideAction.DISCOUNT.value:
        percent = member(body, "percent_bps") is not None
        return "discount-percent" if percent else "discount-amount"
    return action if isinstance(action, str) else ""


# One per action (a discount as an amount or as a percentage): the document's `oneOf`, so a
# client sees what each action approves. Each is checked as the guarded endpoints check it
# (libs/auth/overrides.py: approved_shape_error).
OverrideRequest = Annotated[
    Annotated[RefundOverride, Tag(OverrideAction.REFUND.value)]
    | Annotated[VoidOverride, Tag(OverrideAction.VOID.value)]
    | Annotated[DiscountAmountOverride, Tag("discount-amount")]
    | Annotated[DiscountPercentOverride, Tag("discount-percent")]
    | Annotated[ForceCloseOverride, Tag(OverrideAction.SHIFT_FORCE_CLOSE.value)],
    Discriminator(_override_of),
]


# Priya, a manager, approving the refund of one flat white (5.20) of the example order
# (the token's signature is not a valid one).
OVERRIDE_JWT_EXAMPLE = (
    "eyJhbGciOiJFUzI1NiIsImtpZCI6Ik56YkxzWGg4dURDY2QtNk1Od1hGNFdfN25vV1hGWkFmSGt4WnNSR0M5WHMi"
    "LCJ0eXAiOiJvdmVycmlkZStqd3QifQ.eyJpc3MiOiJoYWxvcG9zIiwic3ViIjoiOGEzZTZjMWYtNGQ5Yi00YTdlL"
    "WIyYzUtM2Y4ZDFhNmU5YzQyIiwidGlkIjoiYzJmN2E0ZTktOGQxYi00YzZmLWEzZTgtNWI5ZDJjN2YxYTQ2IiwiY"
    "WN0IjoicmVmdW5kIiwicmVzIjoiMGI5ZDJmNGUtNmMxYS00ZThiLTlmM2QtMmE1YzdlMWI0ZDYwIiwiYW10Ijo1M"
    "jAsImFwciI6IjRjOGYxYTZkLTJlOWItNGQzYS1hN2Y1LThiMWU0YzlkMmEzNyIsImlhdCI6MTc5NjU5NTE0MCwiZ"
    "XhwIjoxNzk2NTk1MjAwLCJqdGkiOiJlMWM0YTdkMi05YjNmLTRlNmEtOGQ1Yy0yZjdiMWU5YTRjMzYifQ.ke4Xq9"
    "h_uouCmKlMqbJOox-et144Y_uBl-NUFr85pKjHy3RYIindq6TQN5qzjJaQzf7__aIU1jNBa6kj_uCFcQ"
)


class OverrideGranted(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "override_token": OVERRIDE_JWT_EXAMPLE,
                    "expires_in": 60,
                    "action": "refund",
                    "resource_id": "0b9d2f4e-6c1a-4e8b-9f3d-2a5c7e1b4d60",
                    "approved_by": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "amount_minor": 520,
                    "percent_bps": None,
                }
            ]
        }
    )

    override_token: str = Field(
        description="Send as `X-Override-Token` with the guarded request, from this device"
    )
    expires_in: int = Field(description="Seconds the token is valid for; it works once")
    action: OverrideAction
    resource_id: str
    approved_by: UUID
    amount_minor: int | None = Field(default=None, description="The amount approved, if one")
    percent_bps: int | None = Field(default=None, description="The percentage approved, if one")
