from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reason_code import ReasonCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_discount import AmountDiscount
    from ..models.percent_discount import PercentDiscount


T = TypeVar("T", bound="LineChange")


@_attrs_define
class LineChange:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        quantity (int | None | Unset):
        discount (AmountDiscount | None | PercentDiscount | Unset):
        reason_code (None | ReasonCode | Unset): Required when the quantity goes down (that part is voided)
    """

    version: int
    quantity: int | None | Unset = UNSET
    discount: AmountDiscount | None | PercentDiscount | Unset = UNSET
    reason_code: None | ReasonCode | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        version = self.version

        quantity: int | None | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        discount: dict[str, Any] | None | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        elif isinstance(self.discount, PercentDiscount) or isinstance(
            self.discount, AmountDiscount
        ):
            discount = self.discount.to_dict()
        else:
            discount = self.discount

        reason_code: None | str | Unset
        if isinstance(self.reason_code, Unset):
            reason_code = UNSET
        elif isinstance(self.reason_code, ReasonCode):
            reason_code = self.reason_code.value
        else:
            reason_code = self.reason_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if discount is not UNSET:
            field_dict["discount"] = discount
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount_discount import AmountDiscount
        from ..models.percent_discount import PercentDiscount

        d = dict(src_dict)
        version = d.pop("version")

        def _parse_quantity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_discount(
            data: object,
        ) -> AmountDiscount | None | PercentDiscount | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0_type_0 = PercentDiscount.from_dict(data)

                return discount_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0_type_1 = AmountDiscount.from_dict(data)

                return discount_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AmountDiscount | None | PercentDiscount | Unset, data)

        discount = _parse_discount(d.pop("discount", UNSET))

        def _parse_reason_code(data: object) -> None | ReasonCode | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_code_type_0 = ReasonCode(data)

                return reason_code_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReasonCode | Unset, data)

        reason_code = _parse_reason_code(d.pop("reason_code", UNSET))

        line_change = cls(
            version=version,
            quantity=quantity,
            discount=discount,
            reason_code=reason_code,
        )

        return line_change
