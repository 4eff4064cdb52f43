from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.live_session_kind import LiveSessionKind

T = TypeVar("T", bound="LiveSession")


@_attrs_define
class LiveSession:
    """A sign-in session: a till's (PIN) or a browser's (backoffice).

    Attributes:
        id (UUID):
        kind (LiveSessionKind): `pos`: signed in with a PIN on a till; `backoffice`: in a browser
        staff_id (UUID):
        staff_name (str):
        staff_email (str):
        role (str): The staff member's role now (the next token carries it)
        device_id (None | UUID): The till, for a `pos` session
        device_name (None | str):
        location_id (None | UUID): The till's venue, for a `pos` session
        client (None | str): The browser's own description of itself at sign-in (its User-Agent), for a `backoffice`
            session; display only, since any program can send any
        started_at (datetime.datetime):
        last_refreshed_at (datetime.datetime): When its tokens were last issued: at sign-in, then each refresh (about
            every 10 minutes while it is in use)
        expires_at (datetime.datetime): When it ends unless revoked first
        revoked_at (datetime.datetime | None):
        current (bool): The session this request was made in
    """

    id: UUID
    kind: LiveSessionKind
    staff_id: UUID
    staff_name: str
    staff_email: str
    role: str
    device_id: None | UUID
    device_name: None | str
    location_id: None | UUID
    client: None | str
    started_at: datetime.datetime
    last_refreshed_at: datetime.datetime
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    current: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind.value

        staff_id = str(self.staff_id)

        staff_name = self.staff_name

        staff_email = self.staff_email

        role = self.role

        device_id: None | str
        if isinstance(self.device_id, UUID):
            device_id = str(self.device_id)
        else:
            device_id = self.device_id

        device_name: None | str
        device_name = self.device_name

        location_id: None | str
        if isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

        client: None | str
        client = self.client

        started_at = self.started_at.isoformat()

        last_refreshed_at = self.last_refreshed_at.isoformat()

        expires_at = self.expires_at.isoformat()

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        current = self.current

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "staff_id": staff_id,
                "staff_name": staff_name,
                "staff_email": staff_email,
                "role": role,
                "device_id": device_id,
                "device_name": device_name,
                "location_id": location_id,
                "client": client,
                "started_at": started_at,
                "last_refreshed_at": last_refreshed_at,
                "expires_at": expires_at,
                "revoked_at": revoked_at,
                "current": current,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = LiveSessionKind(d.pop("kind"))

        staff_id = UUID(d.pop("staff_id"))

        staff_name = d.pop("staff_name")

        staff_email = d.pop("staff_email")

        role = d.pop("role")

        def _parse_device_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                device_id_type_0 = UUID(data)

                return device_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        device_id = _parse_device_id(d.pop("device_id"))

        def _parse_device_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        device_name = _parse_device_name(d.pop("device_name"))

        def _parse_location_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_id_type_0 = UUID(data)

                return location_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        location_id = _parse_location_id(d.pop("location_id"))

        def _parse_client(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client = _parse_client(d.pop("client"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        last_refreshed_at = datetime.datetime.fromisoformat(d.pop("last_refreshed_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)

                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))

        current = d.pop("current")

        live_session = cls(
            id=id,
            kind=kind,
            staff_id=staff_id,
            staff_name=staff_name,
            staff_email=staff_email,
            role=role,
            device_id=device_id,
            device_name=device_name,
            location_id=location_id,
            client=client,
            started_at=started_at,
            last_refreshed_at=last_refreshed_at,
            expires_at=expires_at,
            revoked_at=revoked_at,
            current=current,
        )

        live_session.additional_properties = d
        return live_session

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
