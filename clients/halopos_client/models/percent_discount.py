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

T = TypeVar("T", bound="PercentDiscount")


@_attrs_define
class PercentDiscount:
    """
    Attributes:
        kind (Literal['percent']):
        value (int): Basis points: 1000 = 10%, 10000 = all
    """

    kind: Literal["percent"]
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
        kind = cast(Literal["percent"], d.pop("kind"))
        if kind != "percent":
            raise ValueError(f"kind must match const 'percent', got '{kind}'")

        value = d.pop("value")

        percent_discount = cls(
            kind=kind,
            value=value,
        )

        return percent_discount
