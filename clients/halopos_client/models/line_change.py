from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reason_code import ReasonCode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discount_in import DiscountIn


T = TypeVar("T", bound="LineChange")


@_attrs_define
class LineChange:
    """
    Attributes:
        version (int | None | Unset): The version you are changing (or send If-Match)
        quantity (int | None | Unset):
        discount (DiscountIn | None | Unset):
        reason_code (None | ReasonCode | Unset): Required when the quantity goes down (that part is voided)
    """

    version: int | None | Unset = UNSET
    quantity: int | None | Unset = UNSET
    discount: DiscountIn | None | Unset = UNSET
    reason_code: None | ReasonCode | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.discount_in import DiscountIn

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        quantity: int | None | Unset
        if isinstance(self.quantity, Unset):
            quantity = UNSET
        else:
            quantity = self.quantity

        discount: dict[str, Any] | None | Unset
        if isinstance(self.discount, Unset):
            discount = UNSET
        elif isinstance(self.discount, DiscountIn):
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

        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if discount is not UNSET:
            field_dict["discount"] = discount
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discount_in import DiscountIn

        d = dict(src_dict)

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_quantity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quantity = _parse_quantity(d.pop("quantity", UNSET))

        def _parse_discount(data: object) -> DiscountIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                discount_type_0 = DiscountIn.from_dict(data)

                return discount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DiscountIn | None | Unset, data)

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
