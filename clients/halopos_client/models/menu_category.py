from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.menu_category_printer_role_type_0 import MenuCategoryPrinterRoleType0

T = TypeVar("T", bound="MenuCategory")


@_attrs_define
class MenuCategory:
    """
    Attributes:
        id (UUID):
        name (str):
        position (int):
        printer_role (MenuCategoryPrinterRoleType0 | None): Where the category's items are made: its lines print there
            when the order is fired (null: nothing to prepare, e.g. retail)
        archived (bool):
        archived_at (datetime.datetime | None):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    name: str
    position: int
    printer_role: MenuCategoryPrinterRoleType0 | None
    archived: bool
    archived_at: datetime.datetime | None
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        position = self.position

        printer_role: None | str
        if isinstance(self.printer_role, MenuCategoryPrinterRoleType0):
            printer_role = self.printer_role.value
        else:
            printer_role = self.printer_role

        archived = self.archived

        archived_at: None | str
        if isinstance(self.archived_at, datetime.datetime):
            archived_at = self.archived_at.isoformat()
        else:
            archived_at = self.archived_at

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "position": position,
                "printer_role": printer_role,
                "archived": archived,
                "archived_at": archived_at,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        position = d.pop("position")

        def _parse_printer_role(data: object) -> MenuCategoryPrinterRoleType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                printer_role_type_0 = MenuCategoryPrinterRoleType0(data)

                return printer_role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MenuCategoryPrinterRoleType0 | None, data)

        printer_role = _parse_printer_role(d.pop("printer_role"))

        archived = d.pop("archived")

        def _parse_archived_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                archived_at_type_0 = datetime.datetime.fromisoformat(data)

                return archived_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        archived_at = _parse_archived_at(d.pop("archived_at"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        menu_category = cls(
            id=id,
            name=name,
            position=position,
            printer_role=printer_role,
            archived=archived,
            archived_at=archived_at,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        menu_category.additional_properties = d
        return menu_category

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
