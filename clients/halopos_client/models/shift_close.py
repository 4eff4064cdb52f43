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
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        counted (CountedAmounts):
        note (None | str | Unset):
    """

    version: int
    counted: CountedAmounts
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        counted = self.counted.to_dict()

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "counted": counted,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.counted_amounts import CountedAmounts

        d = dict(src_dict)
        version = d.pop("version")

        counted = CountedAmounts.from_dict(d.pop("counted"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        shift_close = cls(
            version=version,
            counted=counted,
            note=note,
        )

        return shift_close
