from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.print_job_status import PrintJobStatus
from ..models.printer_role import PrinterRole

T = TypeVar("T", bound="PrintJobView")


@_attrs_define
class PrintJobView:
    """A print job as the backoffice shows it (without the printed bytes).

    Attributes:
        id (UUID):
        location_id (UUID):
        printer_role (PrinterRole):
        kind (str):
        summary (str):
        status (PrintJobStatus):
        attempts (int):
        last_error (None | str):
        order_id (None | UUID):
        receipt_id (None | UUID):
        register_number (int | None):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        finished_at (datetime.datetime | None):
    """

    id: UUID
    location_id: UUID
    printer_role: PrinterRole
    kind: str
    summary: str
    status: PrintJobStatus
    attempts: int
    last_error: None | str
    order_id: None | UUID
    receipt_id: None | UUID
    register_number: int | None
    created_at: datetime.datetime
    expires_at: datetime.datetime
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        location_id = str(self.location_id)

        printer_role = self.printer_role.value

        kind = self.kind

        summary = self.summary

        status = self.status.value

        attempts = self.attempts

        last_error: None | str
        last_error = self.last_error

        order_id: None | str
        if isinstance(self.order_id, UUID):
            order_id = str(self.order_id)
        else:
            order_id = self.order_id

        receipt_id: None | str
        if isinstance(self.receipt_id, UUID):
            receipt_id = str(self.receipt_id)
        else:
            receipt_id = self.receipt_id

        register_number: int | None
        register_number = self.register_number

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "location_id": location_id,
                "printer_role": printer_role,
                "kind": kind,
                "summary": summary,
                "status": status,
                "attempts": attempts,
                "last_error": last_error,
                "order_id": order_id,
                "receipt_id": receipt_id,
                "register_number": register_number,
                "created_at": created_at,
                "expires_at": expires_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        location_id = UUID(d.pop("location_id"))

        printer_role = PrinterRole(d.pop("printer_role"))

        kind = d.pop("kind")

        summary = d.pop("summary")

        status = PrintJobStatus(d.pop("status"))

        attempts = d.pop("attempts")

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        def _parse_order_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                order_id_type_0 = UUID(data)

                return order_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        order_id = _parse_order_id(d.pop("order_id"))

        def _parse_receipt_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                receipt_id_type_0 = UUID(data)

                return receipt_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        receipt_id = _parse_receipt_id(d.pop("receipt_id"))

        def _parse_register_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        register_number = _parse_register_number(d.pop("register_number"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        print_job_view = cls(
            id=id,
            location_id=location_id,
            printer_role=printer_role,
            kind=kind,
            summary=summary,
            status=status,
            attempts=attempts,
            last_error=last_error,
            order_id=order_id,
            receipt_id=receipt_id,
            register_number=register_number,
            created_at=created_at,
            expires_at=expires_at,
            finished_at=finished_at,
        )

        print_job_view.additional_properties = d
        return print_job_view

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
