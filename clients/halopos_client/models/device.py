from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.device_status import DeviceStatus

T = TypeVar("T", bound="Device")


@_attrs_define
class Device:
    """
    Attributes:
        id (UUID):
        location_id (UUID):
        name (str):
        key_thumbprint (str): RFC 7638 thumbprint of the device's public key
        status (DeviceStatus):
        activated_at (datetime.datetime):
        revoked_at (datetime.datetime | None):
    """

    id: UUID
    location_id: UUID
    name: str
    key_thumbprint: str
    status: DeviceStatus
    activated_at: datetime.datetime
    revoked_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        location_id = str(self.location_id)

        name = self.name

        key_thumbprint = self.key_thumbprint

        status = self.status.value

        activated_at = self.activated_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "location_id": location_id,
                "name": name,
                "key_thumbprint": key_thumbprint,
                "status": status,
                "activated_at": activated_at,
                "revoked_at": revoked_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        location_id = UUID(d.pop("location_id"))

        name = d.pop("name")

        key_thumbprint = d.pop("key_thumbprint")

        status = DeviceStatus(d.pop("status"))

        activated_at = datetime.datetime.fromisoformat(d.pop("activated_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        device = cls(
            id=id,
            location_id=location_id,
            name=name,
            key_thumbprint=key_thumbprint,
            status=status,
            activated_at=activated_at,
            revoked_at=revoked_at,
        )

        device.additional_properties = d
        return device

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
