from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="AmountDiscount")


@_attrs_define
class AmountDiscount:
    """
    Attributes:
        kind (Literal['amount']):
        value (int): Minor units off
    """

    kind: Literal["amount"]
    value: int

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = cast(Literal["amount"], d.pop("kind"))
        if kind != "amount":
            raise ValueError(f"kind must match const 'amount', got '{kind}'")

        value = d.pop("value")

        amount_discount = cls(
            kind=kind,
            value=value,
        )

        return amount_discount
