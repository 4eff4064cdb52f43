from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_line_status import OrderLineStatus

if TYPE_CHECKING:
    from ..models.discount import Discount
    from ..models.modifier_chosen import ModifierChosen


T = TypeVar("T", bound="OrderLine")


@_attrs_define
class OrderLine:
    """
    Attributes:
        line_number (int):
        item_id (None | UUID):
        name (str):
        quantity (int):
        unit_price_minor (int):
        modifiers (list[ModifierChosen]):
        tax_category_id (None | UUID):
        tax_rate (str):
        discount (Discount | None):
        gross_minor (int):
        discount_minor (int):
        service_charge_minor (int):
        total_minor (int):
        status (OrderLineStatus):
        void_reason (None | str):
        refunded_quantity (int):
        refunded_minor (int):
    """

    line_number: int
    item_id: None | UUID
    name: str
    quantity: int
    unit_price_minor: int
    modifiers: list[ModifierChosen]
    tax_category_id: None | UUID
    tax_rate: str
    discount: Discount | None
    gross_minor: int
    discount_minor: int
    service_charge_minor: int
    total_minor: int
    status: OrderLineStatus
    void_reason: None | str
    refunded_quantity: int
    refunded_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.discount import Discount

        line_number = self.line_number

        item_id: None | str
        if isinstance(self.item_id, UUID):
            item_id = str(self.item_id)
        else:
            item_id = self.item_id

        name = self.name

        quantity = self.quantity

        unit_price_minor = self.unit_price_minor

        modifiers = []
        for modifiers_item_data in self.modifiers:
            modifiers_item = modifiers_item_data.to_dict()
            modifiers.append(modifiers_item)

        tax_category_id: None | str
        if isinstance(self.tax_category_id, UUID):
            tax_category_id = str(self.tax_category_id)
        else:
            tax_category_id = self.tax_category_id

        tax_rate = self.tax_rate

        discount: dict[str, Any] | None
        if isinstance(self.discount, Discount):
            discount = self.discount.to_dict()
        else:
            discount = self.discount

        gross_minor = self.gross_minor

        discount_minor = self.discount_minor

        service_charge_minor = self.service_charge_minor

        total_minor = self.total_minor

        status = self.status.value

        void_reason: None | str
        void_reason = self.void_reason

        refunded_quantity = self.refunded_quantity

        refunded_minor = self.refunded_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "line_number": line_number,
                "item_id": item_id,
                "name": name,
                "quantity": quantity,
                "unit_price_minor": unit_price_minor,
                "modifiers": modifiers,
                "tax_category_id": tax_category_id,
                "tax_rate": tax_rate,
                "discount": discount,
                "gross_minor": gross_minor,
                "discount_minor": discount_minor,
                "service_charge_minor": service_charge_minor,
                "total_minor": total_minor,
                "status": status,
                "void_reason": void_reason,
                "refunded_quantity": refunded_quantity,
                "refunded_minor": refunded_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discount import Discount
        from ..models.modifier_chosen import ModifierChosen

        d = dict(src_dict)
        line_number = d.pop("line_number")

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

        quantity = d.pop("quantity")

        unit_price_minor = d.pop("unit_price_minor")

        modifiers = []
        _modifiers = d.pop("modifiers")
        for modifiers_item_data in _modifiers:
            modifiers_item = ModifierChosen.from_dict(modifiers_item_data)

            modifiers.append(modifiers_item)

        def _parse_tax_category_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tax_category_id_type_0 = UUID(data)

                return tax_category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        tax_category_id = _parse_tax_category_id(d.pop("tax_category_id"))

        tax_rate = d.pop("tax_rate")

        def _parse_discount(data: object) -> Discount | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0 = Discount.from_dict(data)

                return discount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Discount | None, data)

        discount = _parse_discount(d.pop("discount"))

        gross_minor = d.pop("gross_minor")

        discount_minor = d.pop("discount_minor")

        service_charge_minor = d.pop("service_charge_minor")

        total_minor = d.pop("total_minor")

        status = OrderLineStatus(d.pop("status"))

        def _parse_void_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        void_reason = _parse_void_reason(d.pop("void_reason"))

        refunded_quantity = d.pop("refunded_quantity")

        refunded_minor = d.pop("refunded_minor")

        order_line = cls(
            line_number=line_number,
            item_id=item_id,
            name=name,
            quantity=quantity,
            unit_price_minor=unit_price_minor,
            modifiers=modifiers,
            tax_category_id=tax_category_id,
            tax_rate=tax_rate,
            discount=discount,
            gross_minor=gross_minor,
            discount_minor=discount_minor,
            service_charge_minor=service_charge_minor,
            total_minor=total_minor,
            status=status,
            void_reason=void_reason,
            refunded_quantity=refunded_quantity,
            refunded_minor=refunded_minor,
        )

        order_line.additional_properties = d
        return order_line

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
