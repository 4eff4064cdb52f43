from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ForceCloseOverride")


@_attrs_define
class ForceCloseOverride:
    """Closing someone else's shift: approves no amount.

    Attributes:
        approver_id (UUID): The owner or manager approving, at the till
        pin (str): The approver's POS PIN
        action (Literal['shift_force_close']):
        resource_id (str): What the action is on, as the guarded endpoint names it: the order's or shift's id
        amount_minor (None | Unset):
        percent_bps (None | Unset):
    """

    approver_id: UUID
    pin: str
    action: Literal["shift_force_close"]
    resource_id: str
    amount_minor: None | Unset = UNSET
    percent_bps: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        approver_id = str(self.approver_id)

        pin = self.pin

        action = self.action

        resource_id = self.resource_id

        amount_minor = self.amount_minor

        percent_bps = self.percent_bps

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approver_id": approver_id,
                "pin": pin,
                "action": action,
                "resource_id": resource_id,
            }
        )
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor
        if percent_bps is not UNSET:
            field_dict["percent_bps"] = percent_bps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        approver_id = UUID(d.pop("approver_id"))

        pin = d.pop("pin")

        action = cast(Literal["shift_force_close"], d.pop("action"))
        if action != "shift_force_close":
            raise ValueError(
                f"action must match const 'shift_force_close', got '{action}'"
            )

        resource_id = d.pop("resource_id")

        amount_minor = d.pop("amount_minor", UNSET)

        percent_bps = d.pop("percent_bps", UNSET)

        force_close_override = cls(
            approver_id=approver_id,
            pin=pin,
            action=action,
            resource_id=resource_id,
            amount_minor=amount_minor,
            percent_bps=percent_bps,
        )

        return force_close_override
