from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ActivationCode")


@_attrs_define
class ActivationCode:
    """Shown once, to the manager who enters it on the new device; only its hash is kept.

    Attributes:
        code (str):
        location_id (UUID):
        expires_at (datetime.datetime):
        device_name (None | str):
    """

    code: str
    location_id: UUID
    expires_at: datetime.datetime
    device_name: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        location_id = str(self.location_id)

        expires_at = self.expires_at.isoformat()

        device_name: None | str
        device_name = self.device_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "location_id": location_id,
                "expires_at": expires_at,
                "device_name": device_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        location_id = UUID(d.pop("location_id"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_device_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        device_name = _parse_device_name(d.pop("device_name"))

        activation_code = cls(
            code=code,
            location_id=location_id,
            expires_at=expires_at,
            device_name=device_name,
        )

        activation_code.additional_properties = d
        return activation_code

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
