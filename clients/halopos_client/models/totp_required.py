from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TotpRequired")


@_attrs_define
class TotpRequired:
    """Answer `POST /v1/auth/totp` with the challenge and a code (or a recovery code), with
    a DPoP proof from the same key, before `expires_in` seconds pass.

        Attributes:
            challenge (str):
            expires_in (int): Seconds the challenge is valid
            status (Literal['totp_required'] | Unset):  Default: 'totp_required'.
    """

    challenge: str
    expires_in: int
    status: Literal["totp_required"] | Unset = "totp_required"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        challenge = self.challenge

        expires_in = self.expires_in

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "challenge": challenge,
                "expires_in": expires_in,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        challenge = d.pop("challenge")

        expires_in = d.pop("expires_in")

        status = cast(Literal["totp_required"] | Unset, d.pop("status", UNSET))
        if status != "totp_required" and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'totp_required', got '{status}'")

        totp_required = cls(
            challenge=challenge,
            expires_in=expires_in,
            status=status,
        )

        totp_required.additional_properties = d
        return totp_required

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
