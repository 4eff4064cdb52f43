from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ScheduledItemPrice")


@_attrs_define
class ScheduledItemPrice:
    """
    Attributes:
        price_minor (int):
        effective_from (datetime.datetime):
        created_by (str):
        location_id (None | UUID): The venue it is for (null: the item's price)
    """

    price_minor: int
    effective_from: datetime.datetime
    created_by: str
    location_id: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        price_minor = self.price_minor

        effective_from = self.effective_from.isoformat()

        created_by = self.created_by

        location_id: None | str
        if isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "price_minor": price_minor,
                "effective_from": effective_from,
                "created_by": created_by,
                "location_id": location_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        price_minor = d.pop("price_minor")

        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        created_by = d.pop("created_by")

        def _parse_location_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_id_type_0 = UUID(data)

                return location_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        location_id = _parse_location_id(d.pop("location_id"))

        scheduled_item_price = cls(
            price_minor=price_minor,
            effective_from=effective_from,
            created_by=created_by,
            location_id=location_id,
        )

        scheduled_item_price.additional_properties = d
        return scheduled_item_price

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
