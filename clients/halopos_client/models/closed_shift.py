from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.closed_shift_status import ClosedShiftStatus

if TYPE_CHECKING:
    from ..models.z_report import ZReport


T = TypeVar("T", bound="ClosedShift")


@_attrs_define
class ClosedShift:
    """
    Attributes:
        id (UUID):
        register_id (UUID): The device the shift is open on
        register_number (int): R1, R2, ... in receipt numbers
        location_id (UUID):
        status (ClosedShiftStatus):
        opening_float_minor (int):
        opened_by (str):
        opened_at (datetime.datetime):
        closed_by (None | str):
        closed_at (datetime.datetime | None):
        force_closed_by (None | str): The manager who approved closing someone else's shift
        version (int):
        z_report (ZReport): The report issued at close: the X report plus what was counted, and the difference
            (counted - expected: positive is over, negative is short).
    """

    id: UUID
    register_id: UUID
    register_number: int
    location_id: UUID
    status: ClosedShiftStatus
    opening_float_minor: int
    opened_by: str
    opened_at: datetime.datetime
    closed_by: None | str
    closed_at: datetime.datetime | None
    force_closed_by: None | str
    version: int
    z_report: ZReport
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        register_id = str(self.register_id)

        register_number = self.register_number

        location_id = str(self.location_id)

        status = self.status.value

        opening_float_minor = self.opening_float_minor

        opened_by = self.opened_by

        opened_at = self.opened_at.isoformat()

        closed_by: None | str
        closed_by = self.closed_by

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        force_closed_by: None | str
        force_closed_by = self.force_closed_by

        version = self.version

        z_report = self.z_report.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "register_id": register_id,
                "register_number": register_number,
                "location_id": location_id,
                "status": status,
                "opening_float_minor": opening_float_minor,
                "opened_by": opened_by,
                "opened_at": opened_at,
                "closed_by": closed_by,
                "closed_at": closed_at,
                "force_closed_by": force_closed_by,
                "version": version,
                "z_report": z_report,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.z_report import ZReport

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        register_id = UUID(d.pop("register_id"))

        register_number = d.pop("register_number")

        location_id = UUID(d.pop("location_id"))

        status = ClosedShiftStatus(d.pop("status"))

        opening_float_minor = d.pop("opening_float_minor")

        opened_by = d.pop("opened_by")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        def _parse_closed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        closed_by = _parse_closed_by(d.pop("closed_by"))

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        def _parse_force_closed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        force_closed_by = _parse_force_closed_by(d.pop("force_closed_by"))

        version = d.pop("version")

        z_report = ZReport.from_dict(d.pop("z_report"))

        closed_shift = cls(
            id=id,
            register_id=register_id,
            register_number=register_number,
            location_id=location_id,
            status=status,
            opening_float_minor=opening_float_minor,
            opened_by=opened_by,
            opened_at=opened_at,
            closed_by=closed_by,
            closed_at=closed_at,
            force_closed_by=force_closed_by,
            version=version,
            z_report=z_report,
        )

        closed_shift.additional_properties = d
        return closed_shift

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
