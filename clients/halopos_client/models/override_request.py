from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.override_action import OverrideAction
from ..types import UNSET, Unset

T = TypeVar("T", bound="OverrideRequest")


@_attrs_define
class OverrideRequest:
    """
    Attributes:
        approver_id (UUID): The owner or manager approving, at the till
        pin (str): The approver's POS PIN
        action (OverrideAction):
        resource_id (str): What the action is on, as the guarded endpoint names it: an order's or shift's id, or `<order
            id>/lines/<line number>` for voiding or reducing one line
        amount_minor (int | None | Unset): How much the manager approves, in minor units: the refund, the voided value
            (the order's or line's total, or the units taken off), or the order's whole discount. Required for refund and
            void; for discount this or percent_bps
        percent_bps (int | None | Unset): For a discount asked as a percentage: the order's whole discount as a share of
            its subtotal, in basis points (2000 = 20 %)
    """

    approver_id: UUID
    pin: str
    action: OverrideAction
    resource_id: str
    amount_minor: int | None | Unset = UNSET
    percent_bps: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        approver_id = str(self.approver_id)

        pin = self.pin

        action = self.action.value

        resource_id = self.resource_id

        amount_minor: int | None | Unset
        if isinstance(self.amount_minor, Unset):
            amount_minor = UNSET
        else:
            amount_minor = self.amount_minor

        percent_bps: int | None | Unset
        if isinstance(self.percent_bps, Unset):
            percent_bps = UNSET
        else:
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

        action = OverrideAction(d.pop("action"))

        resource_id = d.pop("resource_id")

        def _parse_amount_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        amount_minor = _parse_amount_minor(d.pop("amount_minor", UNSET))

        def _parse_percent_bps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        percent_bps = _parse_percent_bps(d.pop("percent_bps", UNSET))

        override_request = cls(
            approver_id=approver_id,
            pin=pin,
            action=action,
            resource_id=resource_id,
            amount_minor=amount_minor,
            percent_bps=percent_bps,
        )

        return override_request
