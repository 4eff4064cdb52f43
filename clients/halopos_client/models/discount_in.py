from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.discount_in_kind import DiscountInKind

T = TypeVar("T", bound="DiscountIn")


@_attrs_define
class DiscountIn:
    """
    Attributes:
        kind (DiscountInKind):
        value (int): percent: basis points (1000 = 10%); amount: minor units
    """

    kind: DiscountInKind
    value: int

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = DiscountInKind(d.pop("kind"))

        value = d.pop("value")

        discount_in = cls(
            kind=kind,
            value=value,
        )

        return discount_in
