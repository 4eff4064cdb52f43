from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MenuItemUpdate")


@_attrs_define
class MenuItemUpdate:
    """
    Attributes:
        version (int | None | Unset): The version you read (or send If-Match)
        category_id (None | Unset | UUID):
        tax_category_id (None | Unset | UUID):
        name (None | str | Unset):
        price_minor (int | None | Unset):
        position (int | None | Unset):
        modifier_group_ids (list[UUID] | None | Unset): Replaces the item's modifier groups
        archived (bool | None | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int | None | Unset = UNSET
    category_id: None | Unset | UUID = UNSET
    tax_category_id: None | Unset | UUID = UNSET
    name: None | str | Unset = UNSET
    price_minor: int | None | Unset = UNSET
    position: int | None | Unset = UNSET
    modifier_group_ids: list[UUID] | None | Unset = UNSET
    archived: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        category_id: None | str | Unset
        if isinstance(self.category_id, Unset):
            category_id = UNSET
        elif isinstance(self.category_id, UUID):
            category_id = str(self.category_id)
        else:
            category_id = self.category_id

        tax_category_id: None | str | Unset
        if isinstance(self.tax_category_id, Unset):
            tax_category_id = UNSET
        elif isinstance(self.tax_category_id, UUID):
            tax_category_id = str(self.tax_category_id)
        else:
            tax_category_id = self.tax_category_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        price_minor: int | None | Unset
        if isinstance(self.price_minor, Unset):
            price_minor = UNSET
        else:
            price_minor = self.price_minor

        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        modifier_group_ids: list[str] | None | Unset
        if isinstance(self.modifier_group_ids, Unset):
            modifier_group_ids = UNSET
        elif isinstance(self.modifier_group_ids, list):
            modifier_group_ids = []
            for modifier_group_ids_type_0_item_data in self.modifier_group_ids:
                modifier_group_ids_type_0_item = str(
                    modifier_group_ids_type_0_item_data
                )
                modifier_group_ids.append(modifier_group_ids_type_0_item)

        else:
            modifier_group_ids = self.modifier_group_ids

        archived: bool | None | Unset
        if isinstance(self.archived, Unset):
            archived = UNSET
        else:
            archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
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

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_category_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_id_type_0 = UUID(data)

                return category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        category_id = _parse_category_id(d.pop("category_id", UNSET))

        def _parse_tax_category_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tax_category_id_type_0 = UUID(data)

                return tax_category_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        tax_category_id = _parse_tax_category_id(d.pop("tax_category_id", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_price_minor(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        price_minor = _parse_price_minor(d.pop("price_minor", UNSET))

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))

        def _parse_modifier_group_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                modifier_group_ids_type_0 = []
                _modifier_group_ids_type_0 = data
                for modifier_group_ids_type_0_item_data in _modifier_group_ids_type_0:
                    modifier_group_ids_type_0_item = UUID(
                        modifier_group_ids_type_0_item_data
                    )

                    modifier_group_ids_type_0.append(modifier_group_ids_type_0_item)

                return modifier_group_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        modifier_group_ids = _parse_modifier_group_ids(
            d.pop("modifier_group_ids", UNSET)
        )

        def _parse_archived(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        archived = _parse_archived(d.pop("archived", UNSET))

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
