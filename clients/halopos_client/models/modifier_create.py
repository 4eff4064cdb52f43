from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifierCreate")


@_attrs_define
class ModifierCreate:
    """
    Attributes:
        name (str):
        id (None | Unset | UUID): Client-generated id, for records created offline: sending the same id and content
            again returns the existing record (200); other content is refused (409)
        price_minor (int | Unset): Minor units of the business's currency Default: 0.
        position (int | Unset): Ascending display order Default: 0.
    """

    name: str
    id: None | Unset | UUID = UNSET
    price_minor: int | Unset = 0
    position: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        price_minor = self.price_minor

        position = self.position

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if price_minor is not UNSET:
            field_dict["price_minor"] = price_minor
        if position is not UNSET:
            field_dict["position"] = position

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

        price_minor = d.pop("price_minor", UNSET)

        position = d.pop("position", UNSET)

        modifier_create = cls(
            name=name,
            id=id,
            price_minor=price_minor,
            position=position,
        )

        return modifier_create
