from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.order import Order
    from ..models.receipt import Receipt
    from ..models.refund import Refund


T = TypeVar("T", bound="RefundResult")


@_attrs_define
class RefundResult:
    """
    Attributes:
        refund (Refund):
        order (Order):
        receipt (Receipt):
    """

    refund: Refund
    order: Order
    receipt: Receipt
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        refund = self.refund.to_dict()

        order = self.order.to_dict()

        receipt = self.receipt.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "refund": refund,
                "order": order,
                "receipt": receipt,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order import Order
        from ..models.receipt import Receipt
        from ..models.refund import Refund

        d = dict(src_dict)
        refund = Refund.from_dict(d.pop("refund"))

        order = Order.from_dict(d.pop("order"))

        receipt = Receipt.from_dict(d.pop("receipt"))

        refund_result = cls(
            refund=refund,
            order=order,
            receipt=receipt,
        )

        refund_result.additional_properties = d
        return refund_result

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
