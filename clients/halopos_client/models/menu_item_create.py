from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MenuItemCreate")


@_attrs_define
class MenuItemCreate:
    """
    Attributes:
        category_id (UUID):
        tax_category_id (UUID):
        name (str):
        price_minor (int): Minor units of the business's currency
        id (None | Unset | UUID): Client-generated id, for records created offline: sending the same id and content
            again returns the existing record (200); other content is refused (409)
        position (int | Unset): Ascending display order Default: 0.
        modifier_group_ids (list[UUID] | Unset):
    """

    category_id: UUID
    tax_category_id: UUID
    name: str
    price_minor: int
    id: None | Unset | UUID = UNSET
    position: int | Unset = 0
    modifier_group_ids: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        category_id = str(self.category_id)

        tax_category_id = str(self.tax_category_id)

        name = self.name

        price_minor = self.price_minor

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        position = self.position

        modifier_group_ids: list[str] | Unset = UNSET
        if not isinstance(self.modifier_group_ids, Unset):
            modifier_group_ids = []
            for modifier_group_ids_item_data in self.modifier_group_ids:
                modifier_group_ids_item = str(modifier_group_ids_item_data)
                modifier_group_ids.append(modifier_group_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category_id": category_id,
                "tax_category_id": tax_category_id,
                "name": name,
                "price_minor": price_minor,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if position is not UNSET:
            field_dict["position"] = position
        if modifier_group_ids is not UNSET:
            field_dict["modifier_group_ids"] = modifier_group_ids

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        category_id = UUID(d.pop("category_id"))

        tax_category_id = UUID(d.pop("tax_category_id"))

        name = d.pop("name")

        price_minor = d.pop("price_minor")

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

        _modifier_group_ids = d.pop("modifier_group_ids", UNSET)
        modifier_group_ids: list[UUID] | Unset = UNSET
        if _modifier_group_ids is not UNSET:
            modifier_group_ids = []
            for modifier_group_ids_item_data in _modifier_group_ids:
                modifier_group_ids_item = UUID(modifier_group_ids_item_data)

                modifier_group_ids.append(modifier_group_ids_item)

        menu_item_create = cls(
            category_id=category_id,
            tax_category_id=tax_category_id,
            name=name,
            price_minor=price_minor,
            id=id,
            position=position,
            modifier_group_ids=modifier_group_ids,
        )

        return menu_item_create
