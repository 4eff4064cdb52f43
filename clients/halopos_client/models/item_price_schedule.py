from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemPriceSchedule")


@_attrs_define
class ItemPriceSchedule:
    """
    Attributes:
        price_minor (int): Minor units of the business's currency
        effective_from (datetime.datetime): ISO 8601 with an offset (`2027-01-01T00:00:00+11:00`); strictly in the
            future: a price applies to sales after it, never retroactively
        location_id (None | Unset | UUID): A venue's own price from then on (null: the item's price)
    """

    price_minor: int
    effective_from: datetime.datetime
    location_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        price_minor = self.price_minor

        effective_from = self.effective_from.isoformat()

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        elif isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "price_minor": price_minor,
                "effective_from": effective_from,
            }
        )
        if location_id is not UNSET:
            field_dict["location_id"] = location_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        price_minor = d.pop("price_minor")

        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        def _parse_location_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_id_type_0 = UUID(data)

                return location_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        location_id = _parse_location_id(d.pop("location_id", UNSET))

        item_price_schedule = cls(
            price_minor=price_minor,
            effective_from=effective_from,
            location_id=location_id,
        )

        return item_price_schedule
