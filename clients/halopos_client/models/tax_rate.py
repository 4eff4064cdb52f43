from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaxRate")


@_attrs_define
class TaxRate:
    """
    Attributes:
        rate_percent (str):
        effective_from (datetime.datetime):
        created_by (str):
        created_at (datetime.datetime):
        scheduled (bool): Takes effect in the future
    """

    rate_percent: str
    effective_from: datetime.datetime
    created_by: str
    created_at: datetime.datetime
    scheduled: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rate_percent = self.rate_percent

        effective_from = self.effective_from.isoformat()

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        scheduled = self.scheduled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rate_percent": rate_percent,
                "effective_from": effective_from,
                "created_by": created_by,
                "created_at": created_at,
                "scheduled": scheduled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        rate_percent = d.pop("rate_percent")

        effective_from = datetime.datetime.fromisoformat(d.pop("effective_from"))

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        scheduled = d.pop("scheduled")

        tax_rate = cls(
            rate_percent=rate_percent,
            effective_from=effective_from,
            created_by=created_by,
            created_at=created_at,
            scheduled=scheduled,
        )

        tax_rate.additional_properties = d
        return tax_rate

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
