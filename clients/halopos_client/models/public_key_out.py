from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PublicKeyOut")


@_attrs_define
class PublicKeyOut:
    """
    Attributes:
        origin (str): This tenant's log: the first line of its checkpoints
        key_name (str):
        key_id (str): 4 bytes, hex
        public_key (str): 32 bytes, standard base64
        verifier_key (str): C2SP note verifier key: name+id+base64(0x01||key)
        algorithm (str | Unset):  Default: 'Ed25519'.
    """

    origin: str
    key_name: str
    key_id: str
    public_key: str
    verifier_key: str
    algorithm: str | Unset = "Ed25519"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        origin = self.origin

        key_name = self.key_name

        key_id = self.key_id

        public_key = self.public_key

        verifier_key = self.verifier_key

        algorithm = self.algorithm

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "origin": origin,
                "key_name": key_name,
                "key_id": key_id,
                "public_key": public_key,
                "verifier_key": verifier_key,
            }
        )
        if algorithm is not UNSET:
            field_dict["algorithm"] = algorithm

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        origin = d.pop("origin")

        key_name = d.pop("key_name")

        key_id = d.pop("key_id")

        public_key = d.pop("public_key")

        verifier_key = d.pop("verifier_key")

        algorithm = d.pop("algorithm", UNSET)

        public_key_out = cls(
            origin=origin,
            key_name=key_name,
            key_id=key_id,
            public_key=public_key,
            verifier_key=verifier_key,
            algorithm=algorithm,
        )

        public_key_out.additional_properties = d
        return public_key_out

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
