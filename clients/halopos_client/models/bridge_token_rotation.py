from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BridgeTokenRotation")


@_attrs_define
class BridgeTokenRotation:
    """
    Attributes:
        grace_period_seconds (int | Unset): How long the token's current secret keeps working, so the Bridge can be
            given the new one without missing a print job. 0 (the default) stops it at once, which is what to do when the
            secret may have leaked. Default: 0.
    """

    grace_period_seconds: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        grace_period_seconds = self.grace_period_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grace_period_seconds is not UNSET:
            field_dict["grace_period_seconds"] = grace_period_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        grace_period_seconds = d.pop("grace_period_seconds", UNSET)

        bridge_token_rotation = cls(
            grace_period_seconds=grace_period_seconds,
        )

        return bridge_token_rotation
