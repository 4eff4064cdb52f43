from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BusinessOut")


@_attrs_define
class BusinessOut:
    """Who the report is of, as the tax office knows the business.

    Attributes:
        name (str):
        tax_id (None | str): AU: the ABN; DE: the USt-IdNr. or the Steuernummer (null: not set yet)
        tax_id_label (str): What the tax id is called where the business files: ABN, USt-IdNr. or Steuernummer
    """

    name: str
    tax_id: None | str
    tax_id_label: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        tax_id: None | str
        tax_id = self.tax_id

        tax_id_label = self.tax_id_label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "tax_id": tax_id,
                "tax_id_label": tax_id_label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_tax_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_id = _parse_tax_id(d.pop("tax_id"))

        tax_id_label = d.pop("tax_id_label")

        business_out = cls(
            name=name,
            tax_id=tax_id,
            tax_id_label=tax_id_label,
        )

        business_out.additional_properties = d
        return business_out

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
