from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.till_modifier_group import TillModifierGroup


T = TypeVar("T", bound="TillItem")


@_attrs_define
class TillItem:
    """
    Attributes:
        id (UUID):
        name (str):
        price_minor (int): The price at the caller's venue
        tax_category_id (UUID):
        tax_rate_percent (str): Its tax category's rate in force now, a percent: the till prices offline with it (the
            server reprices every sale with the rate in force when it happened)
        modifier_groups (list[TillModifierGroup]):
    """

    id: UUID
    name: str
    price_minor: int
    tax_category_id: UUID
    tax_rate_percent: str
    modifier_groups: list[TillModifierGroup]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        price_minor = self.price_minor

        tax_category_id = str(self.tax_category_id)

        tax_rate_percent = self.tax_rate_percent

        modifier_groups = []
        for modifier_groups_item_data in self.modifier_groups:
            modifier_groups_item = modifier_groups_item_data.to_dict()
            modifier_groups.append(modifier_groups_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "price_minor": price_minor,
                "tax_category_id": tax_category_id,
                "tax_rate_percent": tax_rate_percent,
                "modifier_groups": modifier_groups,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.till_modifier_group import TillModifierGroup

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        price_minor = d.pop("price_minor")

        tax_category_id = UUID(d.pop("tax_category_id"))

        tax_rate_percent = d.pop("tax_rate_percent")

        modifier_groups = []
        _modifier_groups = d.pop("modifier_groups")
        for modifier_groups_item_data in _modifier_groups:
            modifier_groups_item = TillModifierGroup.from_dict(
                modifier_groups_item_data
            )

            modifier_groups.append(modifier_groups_item)

        till_item = cls(
            id=id,
            name=name,
            price_minor=price_minor,
            tax_category_id=tax_category_id,
            tax_rate_percent=tax_rate_percent,
            modifier_groups=modifier_groups,
        )

        till_item.additional_properties = d
        return till_item

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
