from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.staff_role import StaffRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenResponse")


@_attrs_define
class TokenResponse:
    """A new or refreshed session. Send the access token as `Authorization: DPoP <token>`
    with a proof from the same key on every call; exchange the refresh token (once) at
    `POST /v1/auth/token` before the access token expires.

        Attributes:
            access_token (str):
            expires_in (int): Seconds the access token is valid
            refresh_token (str):
            refresh_expires_in (int): Seconds the refresh token is valid
            session_id (UUID):
            staff_id (UUID):
            role (StaffRole):
            token_type (Literal['DPoP'] | Unset):  Default: 'DPoP'.
            device_id (None | Unset | UUID):
            location_id (None | Unset | UUID):
            location_ids (list[UUID] | None | Unset): The locations this session reaches: a till's session its own location
                alone; a backoffice session those its staff member works at (null: every location of the business). Read again
                at every refresh.
    """

    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    session_id: UUID
    staff_id: UUID
    role: StaffRole
    token_type: Literal["DPoP"] | Unset = "DPoP"
    device_id: None | Unset | UUID = UNSET
    location_id: None | Unset | UUID = UNSET
    location_ids: list[UUID] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        expires_in = self.expires_in

        refresh_token = self.refresh_token

        refresh_expires_in = self.refresh_expires_in

        session_id = str(self.session_id)

        staff_id = str(self.staff_id)

        role = self.role.value

        token_type = self.token_type

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        elif isinstance(self.device_id, UUID):
            device_id = str(self.device_id)
        else:
            device_id = self.device_id

        location_id: None | str | Unset
        if isinstance(self.location_id, Unset):
            location_id = UNSET
        elif isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

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
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "expires_in": expires_in,
                "refresh_token": refresh_token,
                "refresh_expires_in": refresh_expires_in,
                "session_id": session_id,
                "staff_id": staff_id,
                "role": role,
            }
        )
        if token_type is not UNSET:
            field_dict["token_type"] = token_type
        if device_id is not UNSET:
            field_dict["device_id"] = device_id
        if location_id is not UNSET:
            field_dict["location_id"] = location_id
        if location_ids is not UNSET:
            field_dict["location_ids"] = location_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        expires_in = d.pop("expires_in")

        refresh_token = d.pop("refresh_token")

        refresh_expires_in = d.pop("refresh_expires_in")

        session_id = UUID(d.pop("session_id"))

        staff_id = UUID(d.pop("staff_id"))

        role = StaffRole(d.pop("role"))

        token_type = cast(Literal["DPoP"] | Unset, d.pop("token_type", UNSET))
        if token_type != "DPoP" and not isinstance(token_type, Unset):
            raise ValueError(f"token_type must match const 'DPoP', got '{token_type}'")

        def _parse_device_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                device_id_type_0 = UUID(data)

                return device_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        device_id = _parse_device_id(d.pop("device_id", UNSET))

        def _parse_location_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_id_type_0 = UUID(data)

                return location_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        location_id = _parse_location_id(d.pop("location_id", UNSET))

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

        token_response = cls(
            access_token=access_token,
            expires_in=expires_in,
            refresh_token=refresh_token,
            refresh_expires_in=refresh_expires_in,
            session_id=session_id,
            staff_id=staff_id,
            role=role,
            token_type=token_type,
            device_id=device_id,
            location_id=location_id,
            location_ids=location_ids,
        )

        token_response.additional_properties = d
        return token_response

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
