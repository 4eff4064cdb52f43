from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.menu_category_update_printer_role_type_0 import (
    MenuCategoryUpdatePrinterRoleType0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="MenuCategoryUpdate")


@_attrs_define
class MenuCategoryUpdate:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        name (str | Unset):
        position (int | Unset): Ascending display order
        printer_role (MenuCategoryUpdatePrinterRoleType0 | None | Unset): Where the category's items are made: its lines
            print there when the order is fired (null: nothing to prepare, e.g. retail)
        archived (bool | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int
    name: str | Unset = UNSET
    position: int | Unset = UNSET
    printer_role: MenuCategoryUpdatePrinterRoleType0 | None | Unset = UNSET
    archived: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        name = self.name

        position = self.position

        printer_role: None | str | Unset
        if isinstance(self.printer_role, Unset):
            printer_role = UNSET
        elif isinstance(self.printer_role, MenuCategoryUpdatePrinterRoleType0):
            printer_role = self.printer_role.value
        else:
            printer_role = self.printer_role

        archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if position is not UNSET:
            field_dict["position"] = position
        if printer_role is not UNSET:
            field_dict["printer_role"] = printer_role
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        name = d.pop("name", UNSET)

        position = d.pop("position", UNSET)

        def _parse_printer_role(
            data: object,
        ) -> MenuCategoryUpdatePrinterRoleType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                printer_role_type_0 = MenuCategoryUpdatePrinterRoleType0(data)

                return printer_role_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MenuCategoryUpdatePrinterRoleType0 | None | Unset, data)

        printer_role = _parse_printer_role(d.pop("printer_role", UNSET))

        archived = d.pop("archived", UNSET)

        menu_category_update = cls(
            version=version,
            name=name,
            position=position,
            printer_role=printer_role,
            archived=archived,
        )

        return menu_category_update
