from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MenuItemUpdate")


@_attrs_define
class MenuItemUpdate:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        category_id (UUID | Unset):
        tax_category_id (UUID | Unset):
        name (str | Unset):
        price_minor (int | Unset): Minor units of the business's currency
        position (int | Unset): Ascending display order
        modifier_group_ids (list[UUID] | Unset): Replaces the item's modifier groups
        archived (bool | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int
    category_id: UUID | Unset = UNSET
    tax_category_id: UUID | Unset = UNSET
    name: str | Unset = UNSET
    price_minor: int | Unset = UNSET
    position: int | Unset = UNSET
    modifier_group_ids: list[UUID] | Unset = UNSET
    archived: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        category_id: str | Unset = UNSET
        if not isinstance(self.category_id, Unset):
            category_id = str(self.category_id)

        tax_category_id: str | Unset = UNSET
        if not isinstance(self.tax_category_id, Unset):
            tax_category_id = str(self.tax_category_id)

        name = self.name

        price_minor = self.price_minor

        position = self.position

        modifier_group_ids: list[str] | Unset = UNSET
        if not isinstance(self.modifier_group_ids, Unset):
            modifier_group_ids = []
            for modifier_group_ids_item_data in self.modifier_group_ids:
                modifier_group_ids_item = str(modifier_group_ids_item_data)
                modifier_group_ids.append(modifier_group_ids_item)

        archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if category_id is not UNSET:
            field_dict["category_id"] = category_id
        if tax_category_id is not UNSET:
            field_dict["tax_category_id"] = tax_category_id
        if name is not UNSET:
            field_dict["name"] = name
        if price_minor is not UNSET:
            field_dict["price_minor"] = price_minor
        if position is not UNSET:
            field_dict["position"] = position
        if modifier_group_ids is not UNSET:
            field_dict["modifier_group_ids"] = modifier_group_ids
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        _category_id = d.pop("category_id", UNSET)
        category_id: UUID | Unset
        if isinstance(_category_id, Unset):
            category_id = UNSET
        else:
            category_id = UUID(_category_id)

        _tax_category_id = d.pop("tax_category_id", UNSET)
        tax_category_id: UUID | Unset
        if isinstance(_tax_category_id, Unset):
            tax_category_id = UNSET
        else:
            tax_category_id = UUID(_tax_category_id)

        name = d.pop("name", UNSET)

        price_minor = d.pop("price_minor", UNSET)

        position = d.pop("position", UNSET)

        _modifier_group_ids = d.pop("modifier_group_ids", UNSET)
        modifier_group_ids: list[UUID] | Unset = UNSET
        if _modifier_group_ids is not UNSET:
            modifier_group_ids = []
            for modifier_group_ids_item_data in _modifier_group_ids:
                modifier_group_ids_item = UUID(modifier_group_ids_item_data)

                modifier_group_ids.append(modifier_group_ids_item)

        archived = d.pop("archived", UNSET)

        menu_item_update = cls(
            version=version,
            category_id=category_id,
            tax_category_id=tax_category_id,
            name=name,
            price_minor=price_minor,
            position=position,
            modifier_group_ids=modifier_group_ids,
            archived=archived,
        )

        return menu_item_update
