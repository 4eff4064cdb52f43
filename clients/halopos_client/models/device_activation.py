from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.device_activation_public_jwk import DeviceActivationPublicJwk


T = TypeVar("T", bound="DeviceActivation")


@_attrs_define
class DeviceActivation:
    """
    Attributes:
        code (str): The activation code a manager created
        public_jwk (DeviceActivationPublicJwk): The device's public key (EC P-256 or Ed25519 JWK, public members only);
            the request's DPoP proof must be signed by this key
        name (None | str | Unset): Used if the manager gave the code no device name
    """

    code: str
    public_jwk: DeviceActivationPublicJwk
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        public_jwk = self.public_jwk.to_dict()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "public_jwk": public_jwk,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.device_activation_public_jwk import DeviceActivationPublicJwk

        d = dict(src_dict)
        code = d.pop("code")

        public_jwk = DeviceActivationPublicJwk.from_dict(d.pop("public_jwk"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        device_activation = cls(
            code=code,
            public_jwk=public_jwk,
            name=name,
        )

        return device_activation
