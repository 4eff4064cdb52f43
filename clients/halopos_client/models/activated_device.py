from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ActivatedDevice")


@_attrs_define
class ActivatedDevice:
    """Keep `device`: it is what the device sends to sign staff in (`POST /v1/auth/pin`). It
    is not a secret; every use needs a DPoP proof from the device's key as well.

        Attributes:
            device (str):
            device_id (UUID):
            location_id (UUID):
            name (str):
            activated_at (datetime.datetime):
    """

    device: str
    device_id: UUID
    location_id: UUID
    name: str
    activated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        device = self.device

        device_id = str(self.device_id)

        location_id = str(self.location_id)

        name = self.name

        activated_at = self.activated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device": device,
                "device_id": device_id,
                "location_id": location_id,
                "name": name,
                "activated_at": activated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        device = d.pop("device")

        device_id = UUID(d.pop("device_id"))

        location_id = UUID(d.pop("location_id"))

        name = d.pop("name")

        activated_at = datetime.datetime.fromisoformat(d.pop("activated_at"))

        activated_device = cls(
            device=device,
            device_id=device_id,
            location_id=location_id,
            name=name,
            activated_at=activated_at,
        )

        activated_device.additional_properties = d
        return activated_device

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
