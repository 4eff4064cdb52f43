from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.device_activation_ecp256_public_key import (
        DeviceActivationECP256PublicKey,
    )
    from ..models.device_activation_ed_25519_public_key import (
        DeviceActivationEd25519PublicKey,
    )


T = TypeVar("T", bound="DeviceActivation")


@_attrs_define
class DeviceActivation:
    """
    Attributes:
        code (str): The activation code a manager created
        public_jwk (DeviceActivationECP256PublicKey | DeviceActivationEd25519PublicKey): The device's public key (EC
            P-256 or Ed25519 JWK, public members only); the request's DPoP proof must be signed by this key
        name (None | str | Unset): Used if the manager gave the code no device name
    """

    code: str
    public_jwk: DeviceActivationECP256PublicKey | DeviceActivationEd25519PublicKey
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.device_activation_ecp256_public_key import (
            DeviceActivationECP256PublicKey,
        )

        code = self.code

        public_jwk: dict[str, Any]
        if isinstance(self.public_jwk, DeviceActivationECP256PublicKey):
            public_jwk = self.public_jwk.to_dict()
        else:
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
        from ..models.device_activation_ecp256_public_key import (
            DeviceActivationECP256PublicKey,
        )
        from ..models.device_activation_ed_25519_public_key import (
            DeviceActivationEd25519PublicKey,
        )

        d = dict(src_dict)
        code = d.pop("code")

        def _parse_public_jwk(
            data: object,
        ) -> DeviceActivationECP256PublicKey | DeviceActivationEd25519PublicKey:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                public_jwk_ec_p_256_public_key = (
                    DeviceActivationECP256PublicKey.from_dict(data)
                )

                return public_jwk_ec_p_256_public_key
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            public_jwk_ed_25519_public_key = DeviceActivationEd25519PublicKey.from_dict(
                data
            )

            return public_jwk_ed_25519_public_key

        public_jwk = _parse_public_jwk(d.pop("public_jwk"))

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
