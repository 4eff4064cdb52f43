from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TaxRateSchedule")


@_attrs_define
class TaxRateSchedule:
    """
    Attributes:
        rate_percent (int | str): Percent, 0 <= rate < 100, at most 3 decimals; send a string such as "10" or "5.5"
        effective_from (datetime.datetime): ISO 8601 with an offset (`2027-01-01T00:00:00+11:00`); strictly in the
            future: a rate applies to sales after it, never retroactively
    """

    rate_percent: int | str
    effective_from: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        rate_percent: int | str
        rate_percent = self.rate_percent

        effective_from = self.effective_from.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rate_percent": rate_percent,
                "effective_from": effective_from,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_rate_percent(data: object) -> int | str:
            return cast(int | str, data)

        rate_percent = _parse_rate_percent(d.pop("rate_percent"))

        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        tax_rate_schedule = cls(
            rate_percent=rate_percent,
            effective_from=effective_from,
        )

        return tax_rate_schedule
