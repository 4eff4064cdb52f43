from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PriceSchedule")


@_attrs_define
class PriceSchedule:
    """
    Attributes:
        price_minor (int): Minor units of the business's currency
        effective_from (datetime.datetime): ISO 8601 with an offset (`2027-01-01T00:00:00+11:00`); strictly in the
            future: a price applies to sales after it, never retroactively
    """

    price_minor: int
    effective_from: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        price_minor = self.price_minor

        effective_from = self.effective_from.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "price_minor": price_minor,
                "effective_from": effective_from,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        price_minor = d.pop("price_minor")

        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        price_schedule = cls(
            price_minor=price_minor,
            effective_from=effective_from,
        )

        return price_schedule
