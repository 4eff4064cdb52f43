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

T = TypeVar("T", bound="RefundOverride")


@_attrs_define
class RefundOverride:
    """
    Attributes:
        approver_id (UUID): The owner or manager approving, at the till
        pin (str): The approver's POS PIN
        action (Literal['refund']):
        resource_id (str): What the action is on, as the guarded endpoint names it: the order's or shift's id
        amount_minor (int): How much the manager approves, in minor units: the refund, the voided value (the order's or
            line's total, or the units taken off), or the order's whole discount
        percent_bps (None | Unset):
    """

    approver_id: UUID
    pin: str
    action: Literal["refund"]
    resource_id: str
    amount_minor: int
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
                "amount_minor": amount_minor,
            }
        )
        if percent_bps is not UNSET:
            field_dict["percent_bps"] = percent_bps

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        approver_id = UUID(d.pop("approver_id"))

        pin = d.pop("pin")

        action = cast(Literal["refund"], d.pop("action"))
        if action != "refund":
            raise ValueError(f"action must match const 'refund', got '{action}'")

        resource_id = d.pop("resource_id")

        amount_minor = d.pop("amount_minor")

        percent_bps = d.pop("percent_bps", UNSET)

        refund_override = cls(
            approver_id=approver_id,
            pin=pin,
            action=action,
            resource_id=resource_id,
            amount_minor=amount_minor,
            percent_bps=percent_bps,
        )

        return refund_override
