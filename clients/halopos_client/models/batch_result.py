from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.item_result import ItemResult


T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """
    Attributes:
        device_id (UUID):
        applied_through (int): Every sequence up to this one is settled
        received_at (datetime.datetime):
        items (list[ItemResult]):
        held (None | str | Unset): `subscription-read-only`: the business's subscription has ended; the batch was stored
            and waits (`pending`) until it is renewed, then the next upload applies it
    """

    device_id: UUID
    applied_through: int
    received_at: datetime.datetime
    items: list[ItemResult]
    held: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        device_id = str(self.device_id)

        applied_through = self.applied_through

        received_at = self.received_at.isoformat()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        held: None | str | Unset
        if isinstance(self.held, Unset):
            held = UNSET
        else:
            held = self.held

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device_id": device_id,
                "applied_through": applied_through,
                "received_at": received_at,
                "items": items,
            }
        )
        if held is not UNSET:
            field_dict["held"] = held

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.item_result import ItemResult

        d = dict(src_dict)
        device_id = UUID(d.pop("device_id"))

        applied_through = d.pop("applied_through")

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemResult.from_dict(items_item_data)

            items.append(items_item)

        def _parse_held(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        held = _parse_held(d.pop("held", UNSET))

        batch_result = cls(
            device_id=device_id,
            applied_through=applied_through,
            received_at=received_at,
            items=items,
            held=held,
        )

        batch_result.additional_properties = d
        return batch_result

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
