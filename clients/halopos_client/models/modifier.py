from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.scheduled_price import ScheduledPrice


T = TypeVar("T", bound="Modifier")


@_attrs_define
class Modifier:
    """
    Attributes:
        id (UUID):
        group_id (UUID):
        name (str):
        price_minor (int): In force now; added to the item's price and taxed with the item
        position (int):
        scheduled_prices (list[ScheduledPrice]): Changes still to come
        archived (bool):
        archived_at (datetime.datetime | None):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    group_id: UUID
    name: str
    price_minor: int
    position: int
    scheduled_prices: list[ScheduledPrice]
    archived: bool
    archived_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        group_id = str(self.group_id)

        name = self.name

        price_minor = self.price_minor

        position = self.position

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
                "group_id": group_id,
                "name": name,
                "price_minor": price_minor,
                "position": position,
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
        from ..models.scheduled_price import ScheduledPrice

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        group_id = UUID(d.pop("group_id"))

        name = d.pop("name")

        price_minor = d.pop("price_minor")

        position = d.pop("position")

        scheduled_prices = []
        _scheduled_prices = d.pop("scheduled_prices")
        for scheduled_prices_item_data in _scheduled_prices:
            scheduled_prices_item = ScheduledPrice.from_dict(scheduled_prices_item_data)

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

        modifier = cls(
            id=id,
            group_id=group_id,
            name=name,
            price_minor=price_minor,
            position=position,
            scheduled_prices=scheduled_prices,
            archived=archived,
            archived_at=archived_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        modifier.additional_properties = d
        return modifier

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
