from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BridgeTokenCreated")


@_attrs_define
class BridgeTokenCreated:
    """The one answer that holds the token: store it on the Bridge now. It cannot be shown
    again; if it is lost, rotate the token.

        Attributes:
            id (UUID): The token's id; the Bridge's actor id in the audit log
            location_id (UUID): The only venue this token receives print jobs for
            name (str): What the owner calls this Bridge
            hint (str): The last four characters of the current secret, to match the token configured on a Bridge with this
                entry
            created_at (datetime.datetime): When the token was created (UTC)
            created_by (str): The staff member who created the token
            rotated_at (datetime.datetime | None): When a new secret was last issued; null if never
            revoked_at (datetime.datetime | None): When the token was revoked; a revoked token is refused from then on
            revoked_by (None | str): The staff member who revoked it
            last_used_at (datetime.datetime | None): When a Bridge last used the token, to the minute; null if never
            last_used_address (None | str): The network address that last used the token, as the service saw it
            token (str): The token (`hpb_…`), sent by the Bridge as `Authorization: Bearer <token>`
    """

    id: UUID
    location_id: UUID
    name: str
    hint: str
    created_at: datetime.datetime
    created_by: str
    rotated_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    revoked_by: None | str
    last_used_at: datetime.datetime | None
    last_used_address: None | str
    token: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        location_id = str(self.location_id)

        name = self.name

        hint = self.hint

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        rotated_at: None | str
        if isinstance(self.rotated_at, datetime.datetime):
            rotated_at = self.rotated_at.isoformat()
        else:
            rotated_at = self.rotated_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        revoked_by: None | str
        revoked_by = self.revoked_by

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        last_used_address: None | str
        last_used_address = self.last_used_address

        token = self.token

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "location_id": location_id,
                "name": name,
                "hint": hint,
                "created_at": created_at,
                "created_by": created_by,
                "rotated_at": rotated_at,
                "revoked_at": revoked_at,
                "revoked_by": revoked_by,
                "last_used_at": last_used_at,
                "last_used_address": last_used_address,
                "token": token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        location_id = UUID(d.pop("location_id"))

        name = d.pop("name")

        hint = d.pop("hint")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        def _parse_rotated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                rotated_at_type_0 = datetime.datetime.fromisoformat(data)

                return rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        rotated_at = _parse_rotated_at(d.pop("rotated_at"))

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

        def _parse_revoked_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        revoked_by = _parse_revoked_by(d.pop("revoked_by"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        def _parse_last_used_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_used_address = _parse_last_used_address(d.pop("last_used_address"))

        token = d.pop("token")

        bridge_token_created = cls(
            id=id,
            location_id=location_id,
            name=name,
            hint=hint,
            created_at=created_at,
            created_by=created_by,
            rotated_at=rotated_at,
            revoked_at=revoked_at,
            revoked_by=revoked_by,
            last_used_at=last_used_at,
            last_used_address=last_used_address,
            token=token,
        )

        bridge_token_created.additional_properties = d
        return bridge_token_created

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
