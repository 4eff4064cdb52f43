from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverrideLimits")


@_attrs_define
class OverrideLimits:
    """Where a manager's override starts, per business. An action at or below its limit
    needs no approval; above it, the guarded endpoint requires `X-Override-Token`.

        Attributes:
            void_limit_minor (int): Up to this amount (minor units of the business's currency) a cashier acts alone; voiding
                an order. 0 (the default): every one needs a manager's override
            refund_limit_minor (int): Up to this amount (minor units of the business's currency) a cashier acts alone;
                refunding. 0 (the default): every one needs a manager's override
            discount_limit_bps (int): Up to this discount (basis points: 1000 = 10%) a cashier discounts alone. 0 (the
                default): every one needs a manager's override
            offline_approval_limit_minor (int): Up to this amount (minor units) an action that needs a manager's override
                online (a void, refund, discount or force-close) may be done while the till is offline, on the word of a manager
                the till names; it is then queued for a manager to confirm or dispute (GET /v1/sync/approvals). Above it, an
                uploaded action is refused, and the till should refuse it itself. 0 (the default): never offline.
    """

    void_limit_minor: int
    refund_limit_minor: int
    discount_limit_bps: int
    offline_approval_limit_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        void_limit_minor = self.void_limit_minor

        refund_limit_minor = self.refund_limit_minor

        discount_limit_bps = self.discount_limit_bps

        offline_approval_limit_minor = self.offline_approval_limit_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "void_limit_minor": void_limit_minor,
                "refund_limit_minor": refund_limit_minor,
                "discount_limit_bps": discount_limit_bps,
                "offline_approval_limit_minor": offline_approval_limit_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        void_limit_minor = d.pop("void_limit_minor")

        refund_limit_minor = d.pop("refund_limit_minor")

        discount_limit_bps = d.pop("discount_limit_bps")

        offline_approval_limit_minor = d.pop("offline_approval_limit_minor")

        override_limits = cls(
            void_limit_minor=void_limit_minor,
            refund_limit_minor=refund_limit_minor,
            discount_limit_bps=discount_limit_bps,
            offline_approval_limit_minor=offline_approval_limit_minor,
        )

        override_limits.additional_properties = d
        return override_limits

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
