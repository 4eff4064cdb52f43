from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EnrolmentCode")


@_attrs_define
class EnrolmentCode:
    """Give the code to the staff member through a channel you trust (in person, by phone):
    with their password it sets up an authenticator app, once, before `expires_at`. It is
    shown this once; issuing another revokes it.

        Attributes:
            staff_id (UUID):
            enrolment_code (str):
            expires_at (datetime.datetime):
    """

    staff_id: UUID
    enrolment_code: str
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        staff_id = str(self.staff_id)

        enrolment_code = self.enrolment_code

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "staff_id": staff_id,
                "enrolment_code": enrolment_code,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        staff_id = UUID(d.pop("staff_id"))

        enrolment_code = d.pop("enrolment_code")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        enrolment_code = cls(
            staff_id=staff_id,
            enrolment_code=enrolment_code,
            expires_at=expires_at,
        )

        enrolment_code.additional_properties = d
        return enrolment_code

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
