from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ItemMixRow")


@_attrs_define
class ItemMixRow:
    """
    Attributes:
        item_id (None | UUID):
        name (str):
        category (None | str):
        quantity (int):
        gross_minor (int): quantity x unit price (modifiers included)
        discounts_minor (int):
        sales_minor (int): After discounts, in the pricing basis
    """

    item_id: None | UUID
    name: str
    category: None | str
    quantity: int
    gross_minor: int
    discounts_minor: int
    sales_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_id: None | str
        if isinstance(self.item_id, UUID):
            item_id = str(self.item_id)
        else:
            item_id = self.item_id

        name = self.name

        category: None | str
        category = self.category

        quantity = self.quantity

        gross_minor = self.gross_minor

        discounts_minor = self.discounts_minor

        sales_minor = self.sales_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_id": item_id,
                "name": name,
                "category": category,
                "quantity": quantity,
                "gross_minor": gross_minor,
                "discounts_minor": discounts_minor,
                "sales_minor": sales_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_item_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                item_id_type_0 = UUID(data)

                return item_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        item_id = _parse_item_id(d.pop("item_id"))

        name = d.pop("name")

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))

        quantity = d.pop("quantity")

        gross_minor = d.pop("gross_minor")

        discounts_minor = d.pop("discounts_minor")

        sales_minor = d.pop("sales_minor")

        item_mix_row = cls(
            item_id=item_id,
            name=name,
            category=category,
            quantity=quantity,
            gross_minor=gross_minor,
            discounts_minor=discounts_minor,
            sales_minor=sales_minor,
        )

        item_mix_row.additional_properties = d
        return item_mix_row

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
