from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SyncRegister")


@_attrs_define
class SyncRegister:
    """The till's register and its offline receipt series.

    Attributes:
        register_id (UUID):
        register_number (int):
        receipt_prefix (str): Offline receipts are numbered <prefix>-000001...
        last_offline_receipt_sequence (int):
        applied_through (int):
    """

    register_id: UUID
    register_number: int
    receipt_prefix: str
    last_offline_receipt_sequence: int
    applied_through: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        register_id = str(self.register_id)

        register_number = self.register_number

        receipt_prefix = self.receipt_prefix

        last_offline_receipt_sequence = self.last_offline_receipt_sequence

        applied_through = self.applied_through

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "register_id": register_id,
                "register_number": register_number,
                "receipt_prefix": receipt_prefix,
                "last_offline_receipt_sequence": last_offline_receipt_sequence,
                "applied_through": applied_through,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        register_id = UUID(d.pop("register_id"))

        register_number = d.pop("register_number")

        receipt_prefix = d.pop("receipt_prefix")

        last_offline_receipt_sequence = d.pop("last_offline_receipt_sequence")

        applied_through = d.pop("applied_through")

        sync_register = cls(
            register_id=register_id,
            register_number=register_number,
            receipt_prefix=receipt_prefix,
            last_offline_receipt_sequence=last_offline_receipt_sequence,
            applied_through=applied_through,
        )

        sync_register.additional_properties = d
        return sync_register

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
