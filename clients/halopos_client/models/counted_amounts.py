from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CountedAmounts")


@_attrs_define
class CountedAmounts:
    """
    Attributes:
        cash (int): Cash counted in the drawer
        card (int): Card total of the terminal's batch (settlement); negative when the shift refunded more to cards than
            it took, as the terminal settles it
    """

    cash: int
    card: int

    def to_dict(self) -> dict[str, Any]:
        cash = self.cash

        card = self.card

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cash": cash,
                "card": card,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        cash = d.pop("cash")

        card = d.pop("card")

        counted_amounts = cls(
            cash=cash,
            card=card,
        )

        return counted_amounts
