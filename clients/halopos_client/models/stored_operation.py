from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stored_operation_status import StoredOperationStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stored_operation_content import StoredOperationContent
    from ..models.stored_operation_result_type_0 import StoredOperationResultType0


T = TypeVar("T", bound="StoredOperation")


@_attrs_define
class StoredOperation:
    """
    Attributes:
        id (UUID):
        device_id (UUID):
        sequence (int):
        kind (str):
        staff_id (None | UUID):
        occurred_at (datetime.datetime | None):
        received_at (datetime.datetime):
        uploaded_by (str):
        status (StoredOperationStatus):
        content (StoredOperationContent):
        result (None | StoredOperationResultType0):
        settled_at (datetime.datetime | None):
        waiting_for (None | Unset | UUID):
    """

    id: UUID
    device_id: UUID
    sequence: int
    kind: str
    staff_id: None | UUID
    occurred_at: datetime.datetime | None
    received_at: datetime.datetime
    uploaded_by: str
    status: StoredOperationStatus
    content: StoredOperationContent
    result: None | StoredOperationResultType0
    settled_at: datetime.datetime | None
    waiting_for: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.stored_operation_result_type_0 import StoredOperationResultType0

        id = str(self.id)

        device_id = str(self.device_id)

        sequence = self.sequence

        kind = self.kind

        staff_id: None | str
        if isinstance(self.staff_id, UUID):
            staff_id = str(self.staff_id)
        else:
            staff_id = self.staff_id

        occurred_at: None | str
        if isinstance(self.occurred_at, datetime.datetime):
            occurred_at = self.occurred_at.isoformat()
        else:
            occurred_at = self.occurred_at

        received_at = self.received_at.isoformat()

        uploaded_by = self.uploaded_by

        status = self.status.value

        content = self.content.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, StoredOperationResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        settled_at: None | str
        if isinstance(self.settled_at, datetime.datetime):
            settled_at = self.settled_at.isoformat()
        else:
            settled_at = self.settled_at

        waiting_for: None | str | Unset
        if isinstance(self.waiting_for, Unset):
            waiting_for = UNSET
        elif isinstance(self.waiting_for, UUID):
            waiting_for = str(self.waiting_for)
        else:
            waiting_for = self.waiting_for

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "device_id": device_id,
                "sequence": sequence,
                "kind": kind,
                "staff_id": staff_id,
                "occurred_at": occurred_at,
                "received_at": received_at,
                "uploaded_by": uploaded_by,
                "status": status,
                "content": content,
                "result": result,
                "settled_at": settled_at,
            }
        )
        if waiting_for is not UNSET:
            field_dict["waiting_for"] = waiting_for

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.stored_operation_content import StoredOperationContent
        from ..models.stored_operation_result_type_0 import StoredOperationResultType0

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        device_id = UUID(d.pop("device_id"))

        sequence = d.pop("sequence")

        kind = d.pop("kind")

        def _parse_staff_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                staff_id_type_0 = UUID(data)

                return staff_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        staff_id = _parse_staff_id(d.pop("staff_id"))

        def _parse_occurred_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                occurred_at_type_0 = datetime.datetime.fromisoformat(data)

                return occurred_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        occurred_at = _parse_occurred_at(d.pop("occurred_at"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        uploaded_by = d.pop("uploaded_by")

        status = StoredOperationStatus(d.pop("status"))

        content = StoredOperationContent.from_dict(d.pop("content"))

        def _parse_result(data: object) -> None | StoredOperationResultType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = StoredOperationResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StoredOperationResultType0, data)

        result = _parse_result(d.pop("result"))

        def _parse_settled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                settled_at_type_0 = datetime.datetime.fromisoformat(data)

                return settled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        settled_at = _parse_settled_at(d.pop("settled_at"))

        def _parse_waiting_for(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                waiting_for_type_0 = UUID(data)

                return waiting_for_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        waiting_for = _parse_waiting_for(d.pop("waiting_for", UNSET))

        stored_operation = cls(
            id=id,
            device_id=device_id,
            sequence=sequence,
            kind=kind,
            staff_id=staff_id,
            occurred_at=occurred_at,
            received_at=received_at,
            uploaded_by=uploaded_by,
            status=status,
            content=content,
            result=result,
            settled_at=settled_at,
            waiting_for=waiting_for,
        )

        stored_operation.additional_properties = d
        return stored_operation

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
