from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chain_break_out import ChainBreakOut


T = TypeVar("T", bound="VerificationOut")


@_attrs_define
class VerificationOut:
    """
    Attributes:
        valid (bool):
        entries (int): Entries checked before the first break (or all of them)
        head_hash (str): Hex hash of the last valid entry
        checkpoints_checked (int):
        first_break (ChainBreakOut | None):
    """

    valid: bool
    entries: int
    head_hash: str
    checkpoints_checked: int
    first_break: ChainBreakOut | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chain_break_out import ChainBreakOut

        valid = self.valid

        entries = self.entries

        head_hash = self.head_hash

        checkpoints_checked = self.checkpoints_checked

        first_break: dict[str, Any] | None
        if isinstance(self.first_break, ChainBreakOut):
            first_break = self.first_break.to_dict()
        else:
            first_break = self.first_break

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "valid": valid,
                "entries": entries,
                "head_hash": head_hash,
                "checkpoints_checked": checkpoints_checked,
                "first_break": first_break,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chain_break_out import ChainBreakOut

        d = dict(src_dict)
        valid = d.pop("valid")

        entries = d.pop("entries")

        head_hash = d.pop("head_hash")

        checkpoints_checked = d.pop("checkpoints_checked")

        def _parse_first_break(data: object) -> ChainBreakOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_break_type_0 = ChainBreakOut.from_dict(data)

                return first_break_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChainBreakOut | None, data)

        first_break = _parse_first_break(d.pop("first_break"))

        verification_out = cls(
            valid=valid,
            entries=entries,
            head_hash=head_hash,
            checkpoints_checked=checkpoints_checked,
            first_break=first_break,
        )

        verification_out.additional_properties = d
        return verification_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
