from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifierUpdate")


@_attrs_define
class ModifierUpdate:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        name (str | Unset):
        price_minor (int | Unset): Minor units of the business's currency
        position (int | Unset): Ascending display order
        archived (bool | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int
    name: str | Unset = UNSET
    price_minor: int | Unset = UNSET
    position: int | Unset = UNSET
    archived: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        name = self.name

        price_minor = self.price_minor

        position = self.position

        archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
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
        version = d.pop("version")

        name = d.pop("name", UNSET)

        price_minor = d.pop("price_minor", UNSET)

        position = d.pop("position", UNSET)

        archived = d.pop("archived", UNSET)

        modifier_update = cls(
            version=version,
            name=name,
            price_minor=price_minor,
            position=position,
            archived=archived,
        )

        return modifier_update
