from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SecuritySettingsUpdate")


@_attrs_define
class SecuritySettingsUpdate:
    """
    Attributes:
        owner_totp_required (bool):
    """

    owner_totp_required: bool

    def to_dict(self) -> dict[str, Any]:
        owner_totp_required = self.owner_totp_required

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "owner_totp_required": owner_totp_required,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        owner_totp_required = d.pop("owner_totp_required")

        security_settings_update = cls(
            owner_totp_required=owner_totp_required,
        )

        return security_settings_update
