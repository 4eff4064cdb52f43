from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ModifierMixRow")


@_attrs_define
class ModifierMixRow:
    """
    Attributes:
        modifier_id (None | UUID):
        name (str):
        quantity (int): Units sold with this modifier
        gross_minor (int): quantity x the modifier's price then
    """

    modifier_id: None | UUID
    name: str
    quantity: int
    gross_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        modifier_id: None | str
        if isinstance(self.modifier_id, UUID):
            modifier_id = str(self.modifier_id)
        else:
            modifier_id = self.modifier_id

        name = self.name

        quantity = self.quantity

        gross_minor = self.gross_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "modifier_id": modifier_id,
                "name": name,
                "quantity": quantity,
                "gross_minor": gross_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_modifier_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                modifier_id_type_0 = UUID(data)

                return modifier_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        modifier_id = _parse_modifier_id(d.pop("modifier_id"))

        name = d.pop("name")

        quantity = d.pop("quantity")

        gross_minor = d.pop("gross_minor")

        modifier_mix_row = cls(
            modifier_id=modifier_id,
            name=name,
            quantity=quantity,
            gross_minor=gross_minor,
        )

        modifier_mix_row.additional_properties = d
        return modifier_mix_row

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
