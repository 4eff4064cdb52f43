from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.offline_approval_action import OfflineApprovalAction
from ..models.offline_approval_status import OfflineApprovalStatus

T = TypeVar("T", bound="OfflineApproval")


@_attrs_define
class OfflineApproval:
    """An action a till did offline on a manager's word (a void, refund, discount or
    force-close that needs an override online), for a manager to confirm or dispute.

        Attributes:
            id (UUID):
            operation_id (UUID):
            device_id (UUID):
            location_id (UUID):
            action (OfflineApprovalAction):
            resource_type (str):
            resource_id (str):
            amount_minor (int):
            limit_minor (int): The business's offline approval limit then
            claimed_staff_id (UUID): Who the till says did it (a claim)
            claimed_approver_id (UUID): Who the till says approved it (a claim)
            uploaded_by (str): Who was signed in at the till when it was uploaded
            occurred_at (datetime.datetime):
            raised_at (datetime.datetime):
            status (OfflineApprovalStatus):
            reviewed_by (None | str):
            reviewed_at (datetime.datetime | None):
            note (None | str):
    """

    id: UUID
    operation_id: UUID
    device_id: UUID
    location_id: UUID
    action: OfflineApprovalAction
    resource_type: str
    resource_id: str
    amount_minor: int
    limit_minor: int
    claimed_staff_id: UUID
    claimed_approver_id: UUID
    uploaded_by: str
    occurred_at: datetime.datetime
    raised_at: datetime.datetime
    status: OfflineApprovalStatus
    reviewed_by: None | str
    reviewed_at: datetime.datetime | None
    note: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        operation_id = str(self.operation_id)

        device_id = str(self.device_id)

        location_id = str(self.location_id)

        action = self.action.value

        resource_type = self.resource_type

        resource_id = self.resource_id

        amount_minor = self.amount_minor

        limit_minor = self.limit_minor

        claimed_staff_id = str(self.claimed_staff_id)

        claimed_approver_id = str(self.claimed_approver_id)

        uploaded_by = self.uploaded_by

        occurred_at = self.occurred_at.isoformat()

        raised_at = self.raised_at.isoformat()

        status = self.status.value

        reviewed_by: None | str
        reviewed_by = self.reviewed_by

        reviewed_at: None | str
        if isinstance(self.reviewed_at, datetime.datetime):
            reviewed_at = self.reviewed_at.isoformat()
        else:
            reviewed_at = self.reviewed_at

        note: None | str
        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "operation_id": operation_id,
                "device_id": device_id,
                "location_id": location_id,
                "action": action,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "amount_minor": amount_minor,
                "limit_minor": limit_minor,
                "claimed_staff_id": claimed_staff_id,
                "claimed_approver_id": claimed_approver_id,
                "uploaded_by": uploaded_by,
                "occurred_at": occurred_at,
                "raised_at": raised_at,
                "status": status,
                "reviewed_by": reviewed_by,
                "reviewed_at": reviewed_at,
                "note": note,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        operation_id = UUID(d.pop("operation_id"))

        device_id = UUID(d.pop("device_id"))

        location_id = UUID(d.pop("location_id"))

        action = OfflineApprovalAction(d.pop("action"))

        resource_type = d.pop("resource_type")

        resource_id = d.pop("resource_id")

        amount_minor = d.pop("amount_minor")

        limit_minor = d.pop("limit_minor")

        claimed_staff_id = UUID(d.pop("claimed_staff_id"))

        claimed_approver_id = UUID(d.pop("claimed_approver_id"))

        uploaded_by = d.pop("uploaded_by")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))

        status = OfflineApprovalStatus(d.pop("status"))

        def _parse_reviewed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reviewed_by = _parse_reviewed_by(d.pop("reviewed_by"))

        def _parse_reviewed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reviewed_at_type_0 = datetime.datetime.fromisoformat(data)

                return reviewed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        reviewed_at = _parse_reviewed_at(d.pop("reviewed_at"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        offline_approval = cls(
            id=id,
            operation_id=operation_id,
            device_id=device_id,
            location_id=location_id,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            amount_minor=amount_minor,
            limit_minor=limit_minor,
            claimed_staff_id=claimed_staff_id,
            claimed_approver_id=claimed_approver_id,
            uploaded_by=uploaded_by,
            occurred_at=occurred_at,
            raised_at=raised_at,
            status=status,
            reviewed_by=reviewed_by,
            reviewed_at=reviewed_at,
            note=note,
        )

        offline_approval.additional_properties = d
        return offline_approval

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
