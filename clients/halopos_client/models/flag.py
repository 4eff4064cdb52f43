from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.flag_details import FlagDetails


T = TypeVar("T", bound="Flag")


@_attrs_define
class Flag:
    """
    Attributes:
        id (UUID):
        kind (str):
        device_id (UUID):
        operation_id (None | UUID):
        resource_type (str):
        resource_id (str):
        details (FlagDetails):
        raised_at (datetime.datetime):
        resolved_at (datetime.datetime | None):
        resolved_by (None | str):
        resolution (None | str):
    """

    id: UUID
    kind: str
    device_id: UUID
    operation_id: None | UUID
    resource_type: str
    resource_id: str
    details: FlagDetails
    raised_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolved_by: None | str
    resolution: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind

        device_id = str(self.device_id)

        operation_id: None | str
        if isinstance(self.operation_id, UUID):
            operation_id = str(self.operation_id)
        else:
            operation_id = self.operation_id

        resource_type = self.resource_type

        resource_id = self.resource_id

        details = self.details.to_dict()

        raised_at = self.raised_at.isoformat()

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        resolved_by: None | str
        resolved_by = self.resolved_by

        resolution: None | str
        resolution = self.resolution

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "device_id": device_id,
                "operation_id": operation_id,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "details": details,
                "raised_at": raised_at,
                "resolved_at": resolved_at,
                "resolved_by": resolved_by,
                "resolution": resolution,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.flag_details import FlagDetails

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        device_id = UUID(d.pop("device_id"))

        def _parse_operation_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                operation_id_type_0 = UUID(data)

                return operation_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        operation_id = _parse_operation_id(d.pop("operation_id"))

        resource_type = d.pop("resource_type")

        resource_id = d.pop("resource_id")

        details = FlagDetails.from_dict(d.pop("details"))

        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        def _parse_resolved_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolved_by = _parse_resolved_by(d.pop("resolved_by"))

        def _parse_resolution(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution = _parse_resolution(d.pop("resolution"))

        flag = cls(
            id=id,
            kind=kind,
            device_id=device_id,
            operation_id=operation_id,
            resource_type=resource_type,
            resource_id=resource_id,
            details=details,
            raised_at=raised_at,
            resolved_at=resolved_at,
            resolved_by=resolved_by,
            resolution=resolution,
        )

        flag.additional_properties = d
        return flag

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
