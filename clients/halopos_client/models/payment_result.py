from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.order import Order
    from ..models.payment import Payment


T = TypeVar("T", bound="PaymentResult")


@_attrs_define
class PaymentResult:
    """
    Attributes:
        payment (None | Payment): The attempt, approved or not; null when cash rounding alone settled it
        order (Order):
    """

    payment: None | Payment
    order: Order
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.payment import Payment

        payment: dict[str, Any] | None
        if isinstance(self.payment, Payment):
            payment = self.payment.to_dict()
        else:
            payment = self.payment

        order = self.order.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "payment": payment,
                "order": order,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order import Order
        from ..models.payment import Payment

        d = dict(src_dict)

        def _parse_payment(data: object) -> None | Payment:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_0 = Payment.from_dict(data)

                return payment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Payment, data)

        payment = _parse_payment(d.pop("payment"))

        order = Order.from_dict(d.pop("order"))

        payment_result = cls(
            payment=payment,
            order=order,
        )

        payment_result.additional_properties = d
        return payment_result

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
