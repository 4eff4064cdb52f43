from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OfflineStamp")


@_attrs_define
class OfflineStamp:
    """A receipt issued by a till offline: the operation it came from and who uploaded it.

    Attributes:
        operation_id (UUID):
        sequence (int):
        occurred_at (datetime.datetime): On the till, with its offset
        received_at (datetime.datetime):
        device_id (UUID):
        uploaded_by (str):
    """

    operation_id: UUID
    sequence: int
    occurred_at: datetime.datetime
    received_at: datetime.datetime
    device_id: UUID
    uploaded_by: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operation_id = str(self.operation_id)

        sequence = self.sequence

        occurred_at = self.occurred_at.isoformat()

        received_at = self.received_at.isoformat()

        device_id = str(self.device_id)

        uploaded_by = self.uploaded_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "operation_id": operation_id,
                "sequence": sequence,
                "occurred_at": occurred_at,
                "received_at": received_at,
                "device_id": device_id,
                "uploaded_by": uploaded_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        operation_id = UUID(d.pop("operation_id"))

        sequence = d.pop("sequence")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        device_id = UUID(d.pop("device_id"))

        uploaded_by = d.pop("uploaded_by")

        offline_stamp = cls(
            operation_id=operation_id,
            sequence=sequence,
            occurred_at=occurred_at,
            received_at=received_at,
            device_id=device_id,
            uploaded_by=uploaded_by,
        )

        offline_stamp.additional_properties = d
        return offline_stamp

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
