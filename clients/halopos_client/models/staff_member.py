from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.staff_role import StaffRole

T = TypeVar("T", bound="StaffMember")


@_attrs_define
class StaffMember:
    """
    Attributes:
        id (UUID):
        email (str):
        display_name (str):
        role (StaffRole):
        active (bool):
        has_password (bool):
        has_pin (bool):
        location_ids (list[UUID] | None): The locations this person works at: their backoffice sessions see only these,
            and they sign in only at tills there. null (the default): every location of the business.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        version (int):
    """

    id: UUID
    email: str
    display_name: str
    role: StaffRole
    active: bool
    has_password: bool
    has_pin: bool
    location_ids: list[UUID] | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        email = self.email

        display_name = self.display_name

        role = self.role.value

        active = self.active

        has_password = self.has_password

        has_pin = self.has_pin

        location_ids: list[str] | None
        if isinstance(self.location_ids, list):
            location_ids = []
            for location_ids_type_0_item_data in self.location_ids:
                location_ids_type_0_item = str(location_ids_type_0_item_data)
                location_ids.append(location_ids_type_0_item)

        else:
            location_ids = self.location_ids

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "display_name": display_name,
                "role": role,
                "active": active,
                "has_password": has_password,
                "has_pin": has_pin,
                "location_ids": location_ids,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        email = d.pop("email")

        display_name = d.pop("display_name")

        role = StaffRole(d.pop("role"))

        active = d.pop("active")

        has_password = d.pop("has_password")

        has_pin = d.pop("has_pin")

        def _parse_location_ids(data: object) -> list[UUID] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                location_ids_type_0 = []
                _location_ids_type_0 = data
                for location_ids_type_0_item_data in _location_ids_type_0:
                    location_ids_type_0_item = UUID(location_ids_type_0_item_data)

                    location_ids_type_0.append(location_ids_type_0_item)

                return location_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None, data)

        location_ids = _parse_location_ids(d.pop("location_ids"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        staff_member = cls(
            id=id,
            email=email,
            display_name=display_name,
            role=role,
            active=active,
            has_password=has_password,
            has_pin=has_pin,
            location_ids=location_ids,
            created_at=created_at,
            updated_at=updated_at,
            version=version,
        )

        staff_member.additional_properties = d
        return staff_member

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
