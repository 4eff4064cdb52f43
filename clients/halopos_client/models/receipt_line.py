from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.modifier_chosen import ModifierChosen


T = TypeVar("T", bound="ReceiptLine")


@_attrs_define
class ReceiptLine:
    """A line as sold: the item's name and price then, its modifiers, its rate.

    Attributes:
        line_number (int):
        name (str):
        quantity (int):
        unit_price_minor (int): The item's price then, modifiers included
        modifiers (list[ModifierChosen]):
        tax_rate (str):
        gross_minor (int):
        discount_minor (int):
        total_minor (int):
    """

    line_number: int
    name: str
    quantity: int
    unit_price_minor: int
    modifiers: list[ModifierChosen]
    tax_rate: str
    gross_minor: int
    discount_minor: int
    total_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        line_number = self.line_number

        name = self.name

        quantity = self.quantity

        unit_price_minor = self.unit_price_minor

        modifiers = []
        for modifiers_item_data in self.modifiers:
            modifiers_item = modifiers_item_data.to_dict()
            modifiers.append(modifiers_item)

        tax_rate = self.tax_rate

        gross_minor = self.gross_minor

        discount_minor = self.discount_minor

        total_minor = self.total_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line_number": line_number,
                "name": name,
                "quantity": quantity,
                "unit_price_minor": unit_price_minor,
                "modifiers": modifiers,
                "tax_rate": tax_rate,
                "gross_minor": gross_minor,
                "discount_minor": discount_minor,
                "total_minor": total_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.modifier_chosen import ModifierChosen

        d = dict(src_dict)
        line_number = d.pop("line_number")

        name = d.pop("name")

        quantity = d.pop("quantity")

        unit_price_minor = d.pop("unit_price_minor")

        modifiers = []
        _modifiers = d.pop("modifiers")
        for modifiers_item_data in _modifiers:
            modifiers_item = ModifierChosen.from_dict(modifiers_item_data)

            modifiers.append(modifiers_item)

        tax_rate = d.pop("tax_rate")

        gross_minor = d.pop("gross_minor")

        discount_minor = d.pop("discount_minor")

        total_minor = d.pop("total_minor")

        receipt_line = cls(
            line_number=line_number,
            name=name,
            quantity=quantity,
            unit_price_minor=unit_price_minor,
            modifiers=modifiers,
            tax_rate=tax_rate,
            gross_minor=gross_minor,
            discount_minor=discount_minor,
            total_minor=total_minor,
        )

        receipt_line.additional_properties = d
        return receipt_line

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
