from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RefundLineIn")


@_attrs_define
class RefundLineIn:
    """
    Attributes:
        line_number (int):
        quantity (int):
    """

    line_number: int
    quantity: int

    def to_dict(self) -> dict[str, Any]:
        line_number = self.line_number

        quantity = self.quantity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "line_number": line_number,
                "quantity": quantity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        line_number = d.pop("line_number")

        quantity = d.pop("quantity")

        refund_line_in = cls(
            line_number=line_number,
            quantity=quantity,
        )

        return refund_line_in
