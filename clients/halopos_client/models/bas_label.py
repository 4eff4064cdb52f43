from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BasLabel")


@_attrs_define
class BasLabel:
    """
    Attributes:
        label (str): G1, G2, ..., 1A: the ATO's label
        description (str):
        amount_minor (int): Exact, in cents
        whole_dollars (int): What goes on the form: cents dropped
    """

    label: str
    description: str
    amount_minor: int
    whole_dollars: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        description = self.description

        amount_minor = self.amount_minor

        whole_dollars = self.whole_dollars

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "label": label,
                "description": description,
                "amount_minor": amount_minor,
                "whole_dollars": whole_dollars,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        label = d.pop("label")

        description = d.pop("description")

        amount_minor = d.pop("amount_minor")

        whole_dollars = d.pop("whole_dollars")

        bas_label = cls(
            label=label,
            description=description,
            amount_minor=amount_minor,
            whole_dollars=whole_dollars,
        )

        bas_label.additional_properties = d
        return bas_label

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
