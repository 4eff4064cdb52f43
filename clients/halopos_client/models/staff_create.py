from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.staff_role import StaffRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="StaffCreate")


@_attrs_define
class StaffCreate:
    """
    Attributes:
        email (str):
        display_name (str):
        role (StaffRole):
        password (None | str | Unset): Backoffice sign-in
        pin (None | str | Unset): POS sign-in: 4 to 6 digits
        location_ids (list[UUID] | None | Unset): The locations this person works at: their backoffice sessions see only
            these, and they sign in only at tills there. null (the default): every location of the business.
    """

    email: str
    display_name: str
    role: StaffRole
    password: None | str | Unset = UNSET
    pin: None | str | Unset = UNSET
    location_ids: list[UUID] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        display_name = self.display_name

        role = self.role.value

        password: None | str | Unset
        if isinstance(self.password, Unset):
            password = UNSET
        else:
            password = self.password

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
                "email": email,
                "display_name": display_name,
                "role": role,
            }
        )
        if password is not UNSET:
            field_dict["password"] = password
        if pin is not UNSET:
            field_dict["pin"] = pin
        if location_ids is not UNSET:
            field_dict["location_ids"] = location_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        email = d.pop("email")

        display_name = d.pop("display_name")

        role = StaffRole(d.pop("role"))

        def _parse_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        password = _parse_password(d.pop("password", UNSET))

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

        staff_create = cls(
            email=email,
            display_name=display_name,
            role=role,
            password=password,
            pin=pin,
            location_ids=location_ids,
        )

        return staff_create
