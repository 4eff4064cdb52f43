from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.roster_member import RosterMember


T = TypeVar("T", bound="Roster")


@_attrs_define
class Roster:
    """The active staff with a PIN who work at the till's venue, by display name.

    Attributes:
        location_id (UUID):
        version (str): Changes exactly when the roster does; also sent as the ETag, so a till can ask again with If-
            None-Match and get 304 when nothing changed
        staff (list[RosterMember]):
    """

    location_id: UUID
    version: str
    staff: list[RosterMember]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        location_id = str(self.location_id)

        version = self.version

        staff = []
        for staff_item_data in self.staff:
            staff_item = staff_item_data.to_dict()
            staff.append(staff_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "location_id": location_id,
                "version": version,
                "staff": staff,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.roster_member import RosterMember

        d = dict(src_dict)
        location_id = UUID(d.pop("location_id"))

        version = d.pop("version")

        staff = []
        _staff = d.pop("staff")
        for staff_item_data in _staff:
            staff_item = RosterMember.from_dict(staff_item_data)

            staff.append(staff_item)

        roster = cls(
            location_id=location_id,
            version=version,
            staff=staff,
        )

        roster.additional_properties = d
        return roster

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
