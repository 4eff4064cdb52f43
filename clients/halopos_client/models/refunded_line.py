from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RefundedLine")


@_attrs_define
class RefundedLine:
    """
    Attributes:
        line_number (int):
        name (str):
        quantity (int):
        amount_minor (int): Given back for it, tax included
    """

    line_number: int
    name: str
    quantity: int
    amount_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        line_number = self.line_number

        name = self.name

        quantity = self.quantity

        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line_number": line_number,
                "name": name,
                "quantity": quantity,
                "amount_minor": amount_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        line_number = d.pop("line_number")

        name = d.pop("name")

        quantity = d.pop("quantity")

        amount_minor = d.pop("amount_minor")

        refunded_line = cls(
            line_number=line_number,
            name=name,
            quantity=quantity,
            amount_minor=amount_minor,
        )

        refunded_line.additional_properties = d
        return refunded_line

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
