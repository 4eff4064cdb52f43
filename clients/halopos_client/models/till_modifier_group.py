from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.till_modifier import TillModifier


T = TypeVar("T", bound="TillModifierGroup")


@_attrs_define
class TillModifierGroup:
    """
    Attributes:
        id (UUID):
        name (str):
        min_choices (int):
        max_choices (int):
        modifiers (list[TillModifier]):
    """

    id: UUID
    name: str
    min_choices: int
    max_choices: int
    modifiers: list[TillModifier]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        min_choices = self.min_choices

        max_choices = self.max_choices

        modifiers = []
        for modifiers_item_data in self.modifiers:
            modifiers_item = modifiers_item_data.to_dict()
            modifiers.append(modifiers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "min_choices": min_choices,
                "max_choices": max_choices,
                "modifiers": modifiers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.till_modifier import TillModifier

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        min_choices = d.pop("min_choices")

        max_choices = d.pop("max_choices")

        modifiers = []
        _modifiers = d.pop("modifiers")
        for modifiers_item_data in _modifiers:
            modifiers_item = TillModifier.from_dict(modifiers_item_data)

            modifiers.append(modifiers_item)

        till_modifier_group = cls(
            id=id,
            name=name,
            min_choices=min_choices,
            max_choices=max_choices,
            modifiers=modifiers,
        )

        till_modifier_group.additional_properties = d
        return till_modifier_group

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
