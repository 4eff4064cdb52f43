from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.staff_role import StaffRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="StaffUpdate")


@_attrs_define
class StaffUpdate:
    """Changes to a staff member; `version` is the one the change was based on.

    Attributes:
        version (int):
        display_name (None | str | Unset):
        role (None | StaffRole | Unset):
        active (bool | None | Unset): false deactivates; nothing is deleted
        pin (None | str | Unset): A new POS PIN (4 to 6 digits), replacing the one they had: a PIN reset
        location_ids (list[UUID] | None | Unset): The locations this person works at: their backoffice sessions see only
            these, and they sign in only at tills there. null (the default): every location of the business. Send null to
            give back every location; leave it out to keep it as it is.
    """

    version: int
    display_name: None | str | Unset = UNSET
    role: None | StaffRole | Unset = UNSET
    active: bool | None | Unset = UNSET
    pin: None | str | Unset = UNSET
    location_ids: list[UUID] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        elif isinstance(self.role, StaffRole):
            role = self.role.value
        else:
            role = self.role

        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        pin: None | str | Unset
        if isinstance(self.pin, Unset):
            pin = UNSET
        else:
            pin = self.pin

        location_ids: list[str] | None | Unset
        if isinstance(self.location_ids, Unset):
            location_ids = UNSET
        elif isinstance(self.location_ids, list):
            location_ids = []
            for location_ids_type_0_item_data in self.location_ids:
                location_ids_type_0_item = str(location_ids_type_0_item_data)
                location_ids.append(location_ids_type_0_item)

        else:
            location_ids = self.location_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if role is not UNSET:
            field_dict["role"] = role
        if active is not UNSET:
            field_dict["active"] = active
        if pin is not UNSET:
            field_dict["pin"] = pin
        if location_ids is not UNSET:
            field_dict["location_ids"] = location_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_role(data: object) -> None | StaffRole | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                role_type_0 = StaffRole(data)

                return role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StaffRole | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        def _parse_pin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pin = _parse_pin(d.pop("pin", UNSET))

        def _parse_location_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
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
            return cast(list[UUID] | None | Unset, data)

        location_ids = _parse_location_ids(d.pop("location_ids", UNSET))

        staff_update = cls(
            version=version,
            display_name=display_name,
            role=role,
            active=active,
            pin=pin,
            location_ids=location_ids,
        )

        return staff_update
