from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ScheduledPrice")


@_attrs_define
class ScheduledPrice:
    """A price change still to come. Prices are never edited: a change is a new price from a
    moment on, and a sale is priced as it was when it happened.

        Attributes:
            price_minor (int):
            effective_from (datetime.datetime):
            created_by (str):
    """

    price_minor: int
    effective_from: datetime.datetime
    created_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        price_minor = self.price_minor

        effective_from = self.effective_from.isoformat()

        created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "price_minor": price_minor,
                "effective_from": effective_from,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        price_minor = d.pop("price_minor")

        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        created_by = d.pop("created_by")

        scheduled_price = cls(
            price_minor=price_minor,
            effective_from=effective_from,
            created_by=created_by,
        )

        scheduled_price.additional_properties = d
        return scheduled_price

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
