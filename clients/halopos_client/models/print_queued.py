from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.print_queued_kind import PrintQueuedKind
from ..models.print_queued_printer_role import PrintQueuedPrinterRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="PrintQueued")


@_attrs_define
class PrintQueued:
    """
    Attributes:
        print_job_id (UUID):
        location_id (UUID):
        printer_role (PrintQueuedPrinterRole):
        kind (PrintQueuedKind):
        summary (str):
        receipt_id (None | Unset | UUID):
    """

    print_job_id: UUID
    location_id: UUID
    printer_role: PrintQueuedPrinterRole
    kind: PrintQueuedKind
    summary: str
    receipt_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        print_job_id = str(self.print_job_id)

        location_id = str(self.location_id)

        printer_role = self.printer_role.value

        kind = self.kind.value

        summary = self.summary

        receipt_id: None | str | Unset
        if isinstance(self.receipt_id, Unset):
            receipt_id = UNSET
        elif isinstance(self.receipt_id, UUID):
            receipt_id = str(self.receipt_id)
        else:
            receipt_id = self.receipt_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "print_job_id": print_job_id,
                "location_id": location_id,
                "printer_role": printer_role,
                "kind": kind,
                "summary": summary,
            }
        )
        if receipt_id is not UNSET:
            field_dict["receipt_id"] = receipt_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        print_job_id = UUID(d.pop("print_job_id"))

        location_id = UUID(d.pop("location_id"))

        printer_role = PrintQueuedPrinterRole(d.pop("printer_role"))

        kind = PrintQueuedKind(d.pop("kind"))

        summary = d.pop("summary")

        def _parse_receipt_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                receipt_id_type_0 = UUID(data)

                return receipt_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        receipt_id = _parse_receipt_id(d.pop("receipt_id", UNSET))

        print_queued = cls(
            print_job_id=print_job_id,
            location_id=location_id,
            printer_role=printer_role,
            kind=kind,
            summary=summary,
            receipt_id=receipt_id,
        )

        print_queued.additional_properties = d
        return print_queued

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
