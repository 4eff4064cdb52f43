from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Location")


@_attrs_define
class Location:
    """
    Attributes:
        id (UUID):
        name (str):
        time_zone (str): IANA time zone the venue's days and times are in
        business_day_cutoff_hour (int): Local hour a business day starts (a night's trade before it belongs to the day
            before)
        created_at (datetime.datetime):
    """

    id: UUID
    name: str
    time_zone: str
    business_day_cutoff_hour: int
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        time_zone = self.time_zone

        business_day_cutoff_hour = self.business_day_cutoff_hour

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "time_zone": time_zone,
                "business_day_cutoff_hour": business_day_cutoff_hour,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        time_zone = d.pop("time_zone")

        business_day_cutoff_hour = d.pop("business_day_cutoff_hour")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        location = cls(
            id=id,
            name=name,
            time_zone=time_zone,
            business_day_cutoff_hour=business_day_cutoff_hour,
            created_at=created_at,
        )

        location.additional_properties = d
        return location

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
