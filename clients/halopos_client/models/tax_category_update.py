from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TaxCategoryUpdate")


@_attrs_define
class TaxCategoryUpdate:
    """Name and archive only (no version: nothing else about a category changes; its rates
    are insert-only).

        Attributes:
            name (str | Unset):
            archived (bool | Unset):
    """

    name: str | Unset = UNSET
    archived: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        archived = d.pop("archived", UNSET)

        tax_category_update = cls(
            name=name,
            archived=archived,
        )

        return tax_category_update
