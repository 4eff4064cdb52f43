from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ItemMixRow")


@_attrs_define
class ItemMixRow:
    """An item's sales (active lines of orders paid in the period) and refunds (given in the
    period, by line, whenever the item was sold).

        Attributes:
            item_id (None | UUID): None for an open item (priced at the till)
            name (str):
            category (None | str): The item's category on the menu now
            quantity (int): Units sold
            gross_sales_minor (int): quantity x unit price (modifiers included), before discounts
            discounts_minor (int): Line discounts and its share of order discounts
            service_charges_minor (int): Its share of the orders' service charges
            net_sales_minor (int): gross_sales - discounts + service_charges, in the pricing basis; no tips
            refunded_quantity (int): Units refunded by line in the period
            refunds_minor (int): What those refunds gave back
    """

    item_id: None | UUID
    name: str
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
        item_id: None | str
        if isinstance(self.item_id, UUID):
            item_id = str(self.item_id)
        else:
            item_id = self.item_id

        name = self.name

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
                "item_id": item_id,
                "name": name,
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

        gross_sales_minor = d.pop("gross_sales_minor")

        discounts_minor = d.pop("discounts_minor")

        service_charges_minor = d.pop("service_charges_minor")

        net_sales_minor = d.pop("net_sales_minor")

        refunded_quantity = d.pop("refunded_quantity")

        refunds_minor = d.pop("refunds_minor")

        item_mix_row = cls(
            item_id=item_id,
            name=name,
            category=category,
            quantity=quantity,
            gross_sales_minor=gross_sales_minor,
            discounts_minor=discounts_minor,
            service_charges_minor=service_charges_minor,
            net_sales_minor=net_sales_minor,
            refunded_quantity=refunded_quantity,
            refunds_minor=refunds_minor,
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
