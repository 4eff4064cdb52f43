from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.menu_category_create_printer_role_type_0 import (
    MenuCategoryCreatePrinterRoleType0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="MenuCategoryCreate")


@_attrs_define
class MenuCategoryCreate:
    """
    Attributes:
        name (str):
        id (None | Unset | UUID): Client-generated id, for records created offline: sending the same id and content
            again returns the existing record (200); other content is refused (409)
        position (int | Unset): Ascending display order Default: 0.
        printer_role (MenuCategoryCreatePrinterRoleType0 | None | Unset): Where the category's items are made: its lines
            print there when the order is fired (null: nothing to prepare, e.g. retail)
    """

    name: str
    id: None | Unset | UUID = UNSET
    position: int | Unset = 0
    printer_role: MenuCategoryCreatePrinterRoleType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        position = self.position

        printer_role: None | str | Unset
        if isinstance(self.printer_role, Unset):
            printer_role = UNSET
        elif isinstance(self.printer_role, MenuCategoryCreatePrinterRoleType0):
            printer_role = self.printer_role.value
        else:
            printer_role = self.printer_role

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if position is not UNSET:
            field_dict["position"] = position
        if printer_role is not UNSET:
            field_dict["printer_role"] = printer_role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        position = d.pop("position", UNSET)

        def _parse_printer_role(
            data: object,
        ) -> MenuCategoryCreatePrinterRoleType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                printer_role_type_0 = MenuCategoryCreatePrinterRoleType0(data)

                return printer_role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MenuCategoryCreatePrinterRoleType0 | None | Unset, data)

        printer_role = _parse_printer_role(d.pop("printer_role", UNSET))

        menu_category_create = cls(
            name=name,
            id=id,
            position=position,
            printer_role=printer_role,
        )

        return menu_category_create
