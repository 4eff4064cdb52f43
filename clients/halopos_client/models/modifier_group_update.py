from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifierGroupUpdate")


@_attrs_define
class ModifierGroupUpdate:
    """
    Attributes:
        version (int | None | Unset): The version you read (or send If-Match)
        name (None | str | Unset):
        min_choices (int | None | Unset):
        max_choices (int | None | Unset):
        archived (bool | None | Unset): true archives (hidden from the till, never sold again); false restores
    """

    version: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    min_choices: int | None | Unset = UNSET
    max_choices: int | None | Unset = UNSET
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

        min_choices: int | None | Unset
        if isinstance(self.min_choices, Unset):
            min_choices = UNSET
        else:
            min_choices = self.min_choices

        max_choices: int | None | Unset
        if isinstance(self.max_choices, Unset):
            max_choices = UNSET
        else:
            max_choices = self.max_choices

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

        def _parse_min_choices(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_choices = _parse_min_choices(d.pop("min_choices", UNSET))

        def _parse_max_choices(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_choices = _parse_max_choices(d.pop("max_choices", UNSET))

        def _parse_archived(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        archived = _parse_archived(d.pop("archived", UNSET))

        modifier_group_update = cls(
            version=version,
            name=name,
            min_choices=min_choices,
            max_choices=max_choices,
            archived=archived,
        )

        return modifier_group_update
