from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CheckpointOut")


@_attrs_define
class CheckpointOut:
    """
    Attributes:
        size (int): Entries in the log when it was signed
        hash_ (str): Hex hash of entry `size` (the chain head then)
        origin (str):
        signed_at (datetime.datetime):
        requested_by (str): Who asked: a staff subject, or `system` (periodic)
        note (str): The C2SP signed note (tlog-checkpoint shape)
    """

    size: int
    hash_: str
    origin: str
    signed_at: datetime.datetime
    requested_by: str
    note: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        size = self.size

        hash_ = self.hash_

        origin = self.origin

        signed_at = self.signed_at.isoformat()

        requested_by = self.requested_by

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "size": size,
                "hash": hash_,
                "origin": origin,
                "signed_at": signed_at,
                "requested_by": requested_by,
                "note": note,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        size = d.pop("size")

        hash_ = d.pop("hash")

        origin = d.pop("origin")

        signed_at = datetime.datetime.fromisoformat(d.pop("signed_at"))

        requested_by = d.pop("requested_by")

        note = d.pop("note")

        checkpoint_out = cls(
            size=size,
            hash_=hash_,
            origin=origin,
            signed_at=signed_at,
            requested_by=requested_by,
            note=note,
        )

        checkpoint_out.additional_properties = d
        return checkpoint_out

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
