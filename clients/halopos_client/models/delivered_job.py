from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.printer_role import PrinterRole

T = TypeVar("T", bound="DeliveredJob")


@_attrs_define
class DeliveredJob:
    """A job leased to the polling Bridge: print `content_base64` (ESC/POS) on a printer of
    `printer_role`, then acknowledge it with `attempt` before `lease_expires_at`, or it is
    delivered again.

        Attributes:
            id (UUID):
            printer_role (PrinterRole):
            kind (str):
            summary (str):
            register_number (int | None):
            attempt (int):
            lease_expires_at (datetime.datetime):
            content_base64 (str):
    """

    id: UUID
    printer_role: PrinterRole
    kind: str
    summary: str
    register_number: int | None
    attempt: int
    lease_expires_at: datetime.datetime
    content_base64: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        printer_role = self.printer_role.value

        kind = self.kind

        summary = self.summary

        register_number: int | None
        register_number = self.register_number

        attempt = self.attempt

        lease_expires_at = self.lease_expires_at.isoformat()

        content_base64 = self.content_base64

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "printer_role": printer_role,
                "kind": kind,
                "summary": summary,
                "register_number": register_number,
                "attempt": attempt,
                "lease_expires_at": lease_expires_at,
                "content_base64": content_base64,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        printer_role = PrinterRole(d.pop("printer_role"))

        kind = d.pop("kind")

        summary = d.pop("summary")

        def _parse_register_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        register_number = _parse_register_number(d.pop("register_number"))

        attempt = d.pop("attempt")

        lease_expires_at = datetime.datetime.fromisoformat(d.pop("lease_expires_at"))

        content_base64 = d.pop("content_base64")

        delivered_job = cls(
            id=id,
            printer_role=printer_role,
            kind=kind,
            summary=summary,
            register_number=register_number,
            attempt=attempt,
            lease_expires_at=lease_expires_at,
            content_base64=content_base64,
        )

        delivered_job.additional_properties = d
        return delivered_job

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
