from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.counted_amounts import CountedAmounts


T = TypeVar("T", bound="ShiftClose")


@_attrs_define
class ShiftClose:
    """
    Attributes:
        counted (CountedAmounts):
        version (int | None | Unset): The shift's version you read (or send If-Match)
        note (None | str | Unset):
    """

    counted: CountedAmounts
    version: int | None | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        counted = self.counted.to_dict()

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "counted": counted,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.counted_amounts import CountedAmounts

        d = dict(src_dict)
        counted = CountedAmounts.from_dict(d.pop("counted"))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        shift_close = cls(
            counted=counted,
            version=version,
            note=note,
        )

        return shift_close
