from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="LocationPriceSet")


@_attrs_define
class LocationPriceSet:
    """
    Attributes:
        price_minor (int): Minor units of the business's currency
    """

    price_minor: int

    def to_dict(self) -> dict[str, Any]:
        price_minor = self.price_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "price_minor": price_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        price_minor = d.pop("price_minor")

        location_price_set = cls(
            price_minor=price_minor,
        )

        return location_price_set
