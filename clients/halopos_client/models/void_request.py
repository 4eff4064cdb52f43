from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reason_code import ReasonCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="VoidRequest")


@_attrs_define
class VoidRequest:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        reason_code (ReasonCode): Why a sale was voided or refunded; reports group by it.
        note (None | str | Unset):
    """

    version: int
    reason_code: ReasonCode
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        reason_code = self.reason_code.value

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "reason_code": reason_code,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        reason_code = ReasonCode(d.pop("reason_code"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        void_request = cls(
            version=version,
            reason_code=reason_code,
            note=note,
        )

        return void_request
