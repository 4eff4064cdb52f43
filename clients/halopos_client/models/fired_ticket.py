from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.fired_ticket_printer_role import FiredTicketPrinterRole

T = TypeVar("T", bound="FiredTicket")


@_attrs_define
class FiredTicket:
    """
    Attributes:
        printer_role (FiredTicketPrinterRole):
        line_numbers (list[int]):
        print_job_id (UUID):
    """

    printer_role: FiredTicketPrinterRole
    line_numbers: list[int]
    print_job_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        printer_role = self.printer_role.value

        line_numbers = self.line_numbers

        print_job_id = str(self.print_job_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "printer_role": printer_role,
                "line_numbers": line_numbers,
                "print_job_id": print_job_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        printer_role = FiredTicketPrinterRole(d.pop("printer_role"))

        line_numbers = cast(list[int], d.pop("line_numbers"))

        print_job_id = UUID(d.pop("print_job_id"))

        fired_ticket = cls(
            printer_role=printer_role,
            line_numbers=line_numbers,
            print_job_id=print_job_id,
        )

        fired_ticket.additional_properties = d
        return fired_ticket

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
