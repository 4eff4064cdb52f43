from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cash_movement_kind import CashMovementKind

T = TypeVar("T", bound="CashMovement")


@_attrs_define
class CashMovement:
    """
    Attributes:
        id (UUID):
        shift_id (UUID):
        kind (CashMovementKind):
        amount_minor (int):
        reason (str):
        created_by (str):
        created_at (datetime.datetime):
        shift_version (int): The shift's version after this movement
    """

    id: UUID
    shift_id: UUID
    kind: CashMovementKind
    amount_minor: int
    reason: str
    created_by: str
    created_at: datetime.datetime
    shift_version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        shift_id = str(self.shift_id)

        kind = self.kind.value

        amount_minor = self.amount_minor

        reason = self.reason

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        shift_version = self.shift_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "shift_id": shift_id,
                "kind": kind,
                "amount_minor": amount_minor,
                "reason": reason,
                "created_by": created_by,
                "created_at": created_at,
                "shift_version": shift_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        shift_id = UUID(d.pop("shift_id"))

        kind = CashMovementKind(d.pop("kind"))

        amount_minor = d.pop("amount_minor")

        reason = d.pop("reason")

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        shift_version = d.pop("shift_version")

        cash_movement = cls(
            id=id,
            shift_id=shift_id,
            kind=kind,
            amount_minor=amount_minor,
            reason=reason,
            created_by=created_by,
            created_at=created_at,
            shift_version=shift_version,
        )

        cash_movement.additional_properties = d
        return cash_movement

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
