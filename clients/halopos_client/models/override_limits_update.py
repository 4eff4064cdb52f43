from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OverrideLimitsUpdate")


@_attrs_define
class OverrideLimitsUpdate:
    """
    Attributes:
        void_limit_minor (int | Unset):
        refund_limit_minor (int | Unset):
        discount_limit_bps (int | Unset):
        offline_approval_limit_minor (int | Unset):
    """

    void_limit_minor: int | Unset = UNSET
    refund_limit_minor: int | Unset = UNSET
    discount_limit_bps: int | Unset = UNSET
    offline_approval_limit_minor: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        void_limit_minor = self.void_limit_minor

        refund_limit_minor = self.refund_limit_minor

        discount_limit_bps = self.discount_limit_bps

        offline_approval_limit_minor = self.offline_approval_limit_minor

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if void_limit_minor is not UNSET:
            field_dict["void_limit_minor"] = void_limit_minor
        if refund_limit_minor is not UNSET:
            field_dict["refund_limit_minor"] = refund_limit_minor
        if discount_limit_bps is not UNSET:
            field_dict["discount_limit_bps"] = discount_limit_bps
        if offline_approval_limit_minor is not UNSET:
            field_dict["offline_approval_limit_minor"] = offline_approval_limit_minor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        void_limit_minor = d.pop("void_limit_minor", UNSET)

        refund_limit_minor = d.pop("refund_limit_minor", UNSET)

        discount_limit_bps = d.pop("discount_limit_bps", UNSET)

        offline_approval_limit_minor = d.pop("offline_approval_limit_minor", UNSET)

        override_limits_update = cls(
            void_limit_minor=void_limit_minor,
            refund_limit_minor=refund_limit_minor,
            discount_limit_bps=discount_limit_bps,
            offline_approval_limit_minor=offline_approval_limit_minor,
        )

        return override_limits_update
