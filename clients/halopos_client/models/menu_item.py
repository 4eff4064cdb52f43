from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.location_price import LocationPrice
    from ..models.scheduled_item_price import ScheduledItemPrice


T = TypeVar("T", bound="MenuItem")


@_attrs_define
class MenuItem:
    """
    Attributes:
        id (UUID):
        category_id (UUID):
        tax_category_id (UUID):
        name (str):
        price_minor (int): In force now, in the business's pricing basis (tax settings)
        position (int):
        modifier_group_ids (list[UUID]): In the order the till offers them
        location_prices (list[LocationPrice]): Venues with their own price in force now
        scheduled_prices (list[ScheduledItemPrice]): Changes still to come, the item's and its venues', soonest first
        archived (bool):
        archived_at (datetime.datetime | None):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    category_id: UUID
    tax_category_id: UUID
    name: str
    price_minor: int
    position: int
    modifier_group_ids: list[UUID]
    location_prices: list[LocationPrice]
    scheduled_prices: list[ScheduledItemPrice]
    archived: bool
    archived_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        category_id = str(self.category_id)

        tax_category_id = str(self.tax_category_id)

        name = self.name

        price_minor = self.price_minor

        position = self.position

        modifier_group_ids = []
        for modifier_group_ids_item_data in self.modifier_group_ids:
            modifier_group_ids_item = str(modifier_group_ids_item_data)
            modifier_group_ids.append(modifier_group_ids_item)

        location_prices = []
        for location_prices_item_data in self.location_prices:
            location_prices_item = location_prices_item_data.to_dict()
            location_prices.append(location_prices_item)

        scheduled_prices = []
        for scheduled_prices_item_data in self.scheduled_prices:
            scheduled_prices_item = scheduled_prices_item_data.to_dict()
            scheduled_prices.append(scheduled_prices_item)

        archived = self.archived

        archived_at: None | str
        if isinstance(self.archived_at, datetime.datetime):
            archived_at = self.archived_at.isoformat()
        else:
            archived_at = self.archived_at

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "category_id": category_id,
                "tax_category_id": tax_category_id,
                "name": name,
                "price_minor": price_minor,
                "position": position,
                "modifier_group_ids": modifier_group_ids,
                "location_prices": location_prices,
                "scheduled_prices": scheduled_prices,
                "archived": archived,
                "archived_at": archived_at,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.location_price import LocationPrice
        from ..models.scheduled_item_price import ScheduledItemPrice

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        category_id = UUID(d.pop("category_id"))

        tax_category_id = UUID(d.pop("tax_category_id"))

        name = d.pop("name")

        price_minor = d.pop("price_minor")

        position = d.pop("position")

        modifier_group_ids = []
        _modifier_group_ids = d.pop("modifier_group_ids")
        for modifier_group_ids_item_data in _modifier_group_ids:
            modifier_group_ids_item = UUID(modifier_group_ids_item_data)

            modifier_group_ids.append(modifier_group_ids_item)

        location_prices = []
        _location_prices = d.pop("location_prices")
        for location_prices_item_data in _location_prices:
            location_prices_item = LocationPrice.from_dict(location_prices_item_data)

            location_prices.append(location_prices_item)

        scheduled_prices = []
        _scheduled_prices = d.pop("scheduled_prices")
        for scheduled_prices_item_data in _scheduled_prices:
            scheduled_prices_item = ScheduledItemPrice.from_dict(
                scheduled_prices_item_data
            )

            scheduled_prices.append(scheduled_prices_item)

        archived = d.pop("archived")

        def _parse_archived_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                archived_at_type_0 = datetime.datetime.fromisoformat(data)

                return archived_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        archived_at = _parse_archived_at(d.pop("archived_at"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        menu_item = cls(
            id=id,
            category_id=category_id,
            tax_category_id=tax_category_id,
            name=name,
            price_minor=price_minor,
            position=position,
            modifier_group_ids=modifier_group_ids,
            location_prices=location_prices,
            scheduled_prices=scheduled_prices,
            archived=archived,
            archived_at=archived_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        menu_item.additional_properties = d
        return menu_item

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
