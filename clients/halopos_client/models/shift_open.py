from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ShiftOpen")


@_attrs_define
class ShiftOpen:
    """
    Attributes:
        opening_float_minor (int): Cash in the drawer at opening (minor units)
        id (None | Unset | UUID): Client-generated id, for shifts opened offline
    """

    opening_float_minor: int
    id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        opening_float_minor = self.opening_float_minor

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "opening_float_minor": opening_float_minor,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        opening_float_minor = d.pop("opening_float_minor")

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

        shift_open = cls(
            opening_float_minor=opening_float_minor,
            id=id,
        )

        return shift_open
