from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tender_reconciliation import TenderReconciliation


T = TypeVar("T", bound="ShiftReconciliation")


@_attrs_define
class ShiftReconciliation:
    """
    Attributes:
        shift_id (UUID):
        register_number (int):
        register_name (str): The register's (device's) name at the venue
        opened_by (str): The staff member's id
        opened_by_name (str): Their display name (the id if no longer on staff)
        opened_at (datetime.datetime): In the venue's time, with its UTC offset
        closed_by (str):
        closed_by_name (str):
        closed_at (datetime.datetime):
        z_version (int): The Z report version these figures are from
        tenders (list[TenderReconciliation]):
    """

    shift_id: UUID
    register_number: int
    register_name: str
    opened_by: str
    opened_by_name: str
    opened_at: datetime.datetime
    closed_by: str
    closed_by_name: str
    closed_at: datetime.datetime
    z_version: int
    tenders: list[TenderReconciliation]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shift_id = str(self.shift_id)

        register_number = self.register_number

        register_name = self.register_name

        opened_by = self.opened_by

        opened_by_name = self.opened_by_name

        opened_at = self.opened_at.isoformat()

        closed_by = self.closed_by

        closed_by_name = self.closed_by_name

        closed_at = self.closed_at.isoformat()

        z_version = self.z_version

        tenders = []
        for tenders_item_data in self.tenders:
            tenders_item = tenders_item_data.to_dict()
            tenders.append(tenders_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shift_id": shift_id,
                "register_number": register_number,
                "register_name": register_name,
                "opened_by": opened_by,
                "opened_by_name": opened_by_name,
                "opened_at": opened_at,
                "closed_by": closed_by,
                "closed_by_name": closed_by_name,
                "closed_at": closed_at,
                "z_version": z_version,
                "tenders": tenders,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tender_reconciliation import TenderReconciliation

        d = dict(src_dict)
        shift_id = UUID(d.pop("shift_id"))

        register_number = d.pop("register_number")

        register_name = d.pop("register_name")

        opened_by = d.pop("opened_by")

        opened_by_name = d.pop("opened_by_name")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        closed_by = d.pop("closed_by")

        closed_by_name = d.pop("closed_by_name")

        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        z_version = d.pop("z_version")

        tenders = []
        _tenders = d.pop("tenders")
        for tenders_item_data in _tenders:
            tenders_item = TenderReconciliation.from_dict(tenders_item_data)

            tenders.append(tenders_item)

        shift_reconciliation = cls(
            shift_id=shift_id,
            register_number=register_number,
            register_name=register_name,
            opened_by=opened_by,
            opened_by_name=opened_by_name,
            opened_at=opened_at,
            closed_by=closed_by,
            closed_by_name=closed_by_name,
            closed_at=closed_at,
            z_version=z_version,
            tenders=tenders,
        )

        shift_reconciliation.additional_properties = d
        return shift_reconciliation

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
