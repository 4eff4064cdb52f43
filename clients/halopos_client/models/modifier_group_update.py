from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifierGroupUpdate")


@_attrs_define
class ModifierGroupUpdate:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        name (str | Unset):
        min_choices (int | Unset):
        max_choices (int | Unset):
        archived (bool | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int
    name: str | Unset = UNSET
    min_choices: int | Unset = UNSET
    max_choices: int | Unset = UNSET
    archived: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        name = self.name

        min_choices = self.min_choices

        max_choices = self.max_choices

        archived = self.archived

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if min_choices is not UNSET:
            field_dict["min_choices"] = min_choices
        if max_choices is not UNSET:
            field_dict["max_choices"] = max_choices
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        name = d.pop("name", UNSET)

        min_choices = d.pop("min_choices", UNSET)

        max_choices = d.pop("max_choices", UNSET)

        archived = d.pop("archived", UNSET)

        modifier_group_update = cls(
            version=version,
            name=name,
            min_choices=min_choices,
            max_choices=max_choices,
            archived=archived,
        )

        return modifier_group_update
