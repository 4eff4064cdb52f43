from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="PinSignIn")


@_attrs_define
class PinSignIn:
    """
    Attributes:
        device (str): The handle the device got at activation
        staff_id (UUID):
        pin (str):
    """

    device: str
    staff_id: UUID
    pin: str

    def to_dict(self) -> dict[str, Any]:
        device = self.device

        staff_id = str(self.staff_id)

        pin = self.pin

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "device": device,
                "staff_id": staff_id,
                "pin": pin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        device = d.pop("device")

        staff_id = UUID(d.pop("staff_id"))

        pin = d.pop("pin")

        pin_sign_in = cls(
            device=device,
            staff_id=staff_id,
            pin=pin,
        )

        return pin_sign_in
