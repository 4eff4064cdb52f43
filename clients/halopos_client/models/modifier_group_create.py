from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModifierGroupCreate")


@_attrs_define
class ModifierGroupCreate:
    """
    Attributes:
        name (str):
        id (None | Unset | UUID): Client-generated id, for records created offline: sending the same id and content
            again returns the existing record (200); other content is refused (409)
        min_choices (int | Unset):  Default: 0.
        max_choices (int | Unset): At least `min_choices`: a rule between two fields, which the document cannot state,
            so it is answered as updates answer it (422 `modifier-choices-invalid`) Default: 1.
    """

    name: str
    id: None | Unset | UUID = UNSET
    min_choices: int | Unset = 0
    max_choices: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        min_choices = self.min_choices

        max_choices = self.max_choices

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if min_choices is not UNSET:
            field_dict["min_choices"] = min_choices
        if max_choices is not UNSET:
            field_dict["max_choices"] = max_choices

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

        min_choices = d.pop("min_choices", UNSET)

        max_choices = d.pop("max_choices", UNSET)

        modifier_group_create = cls(
            name=name,
            id=id,
            min_choices=min_choices,
            max_choices=max_choices,
        )

        return modifier_group_create
