from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CategoryMixRow")


@_attrs_define
class CategoryMixRow:
    """
    Attributes:
        category (None | str):
        quantity (int):
        gross_sales_minor (int):
        discounts_minor (int):
        service_charges_minor (int):
        net_sales_minor (int):
        refunded_quantity (int):
        refunds_minor (int): In the totals: every refund of the period, those by amount included
    """

    category: None | str
    quantity: int
    gross_sales_minor: int
    discounts_minor: int
    service_charges_minor: int
    net_sales_minor: int
    refunded_quantity: int
    refunds_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category: None | str
        category = self.category

        quantity = self.quantity

        gross_sales_minor = self.gross_sales_minor

        discounts_minor = self.discounts_minor

        service_charges_minor = self.service_charges_minor

        net_sales_minor = self.net_sales_minor

        refunded_quantity = self.refunded_quantity

        refunds_minor = self.refunds_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "quantity": quantity,
                "gross_sales_minor": gross_sales_minor,
                "discounts_minor": discounts_minor,
                "service_charges_minor": service_charges_minor,
                "net_sales_minor": net_sales_minor,
                "refunded_quantity": refunded_quantity,
                "refunds_minor": refunds_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))

        quantity = d.pop("quantity")

        gross_sales_minor = d.pop("gross_sales_minor")

        discounts_minor = d.pop("discounts_minor")

        service_charges_minor = d.pop("service_charges_minor")

        net_sales_minor = d.pop("net_sales_minor")

        refunded_quantity = d.pop("refunded_quantity")

        refunds_minor = d.pop("refunds_minor")

        category_mix_row = cls(
            category=category,
            quantity=quantity,
            gross_sales_minor=gross_sales_minor,
            discounts_minor=discounts_minor,
            service_charges_minor=service_charges_minor,
            net_sales_minor=net_sales_minor,
            refunded_quantity=refunded_quantity,
            refunds_minor=refunds_minor,
        )

        category_mix_row.additional_properties = d
        return category_mix_row

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
