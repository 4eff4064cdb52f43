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

T = TypeVar("T", bound="DiscountPercentOverride")


@_attrs_define
class DiscountPercentOverride:
    """A discount asked as a percentage: the order's whole discount as a share of its
    subtotal.

        Attributes:
            approver_id (UUID): The owner or manager approving, at the till
            pin (str): The approver's POS PIN
            action (Literal['discount']):
            resource_id (str): What the action is on, as the guarded endpoint names it: the order's or shift's id
            percent_bps (int): Basis points: 2000 = 20 %
            amount_minor (None | Unset):
    """

    approver_id: UUID
    pin: str
    action: Literal["discount"]
    resource_id: str
    percent_bps: int
    amount_minor: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        approver_id = str(self.approver_id)

        pin = self.pin

        action = self.action

        resource_id = self.resource_id

        percent_bps = self.percent_bps

        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "approver_id": approver_id,
                "pin": pin,
                "action": action,
                "resource_id": resource_id,
                "percent_bps": percent_bps,
            }
        )
        if amount_minor is not UNSET:
            field_dict["amount_minor"] = amount_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        approver_id = UUID(d.pop("approver_id"))

        pin = d.pop("pin")

        action = cast(Literal["discount"], d.pop("action"))
        if action != "discount":
            raise ValueError(f"action must match const 'discount', got '{action}'")

        resource_id = d.pop("resource_id")

        percent_bps = d.pop("percent_bps")

        amount_minor = d.pop("amount_minor", UNSET)

        discount_percent_override = cls(
            approver_id=approver_id,
            pin=pin,
            action=action,
            resource_id=resource_id,
            percent_bps=percent_bps,
            amount_minor=amount_minor,
        )

        return discount_percent_override
