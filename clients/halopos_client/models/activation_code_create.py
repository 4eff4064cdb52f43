from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActivationCodeCreate")


@_attrs_define
class ActivationCodeCreate:
    """
    Attributes:
        location_id (UUID):
        device_name (None | str | Unset): The name the device gets; if omitted, the device may name itself
    """

    location_id: UUID
    device_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        location_id = str(self.location_id)

        device_name: None | str | Unset
        if isinstance(self.device_name, Unset):
            device_name = UNSET
        else:
            device_name = self.device_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "location_id": location_id,
            }
        )
        if device_name is not UNSET:
            field_dict["device_name"] = device_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        location_id = UUID(d.pop("location_id"))

        def _parse_device_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_name = _parse_device_name(d.pop("device_name", UNSET))

        activation_code_create = cls(
            location_id=location_id,
            device_name=device_name,
        )

        return activation_code_create
