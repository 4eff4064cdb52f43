from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifierUpdate")


@_attrs_define
class ModifierUpdate:
    """
    Attributes:
        version (int | None | Unset): The version you read (or send If-Match)
        name (None | str | Unset):
        price_minor (int | None | Unset):
        position (int | None | Unset):
        archived (bool | None | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    price_minor: int | None | Unset = UNSET
    position: int | None | Unset = UNSET
    archived: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

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

        archived: bool | None | Unset
        if isinstance(self.archived, Unset):
            archived = UNSET
        else:
            archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if name is not UNSET:
            field_dict["name"] = name
        if price_minor is not UNSET:
            field_dict["price_minor"] = price_minor
        if position is not UNSET:
            field_dict["position"] = position
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

        def _parse_archived(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        archived = _parse_archived(d.pop("archived", UNSET))

        modifier_update = cls(
            version=version,
            name=name,
            price_minor=price_minor,
            position=position,
            archived=archived,
        )

        return modifier_update
