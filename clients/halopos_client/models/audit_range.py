from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AuditRange")


@_attrs_define
class AuditRange:
    """Where in the business's audit log the figures come from. They were read in one
    snapshot that includes every entry up to `through_seq` and none after it. Every sale,
    payment, refund and count is made in a shift open at that moment, so the shifts open at
    some time in the period hold everything the figures count: `from_seq` is the first entry
    recorded at or after the earliest opening of those shifts (or the period's start, if
    earlier). It is null only when no shift was open in the period and nothing was recorded
    since it began: a period without figures.

        Attributes:
            from_seq (int | None): The first entry that can have produced the figures (docs/reports.md)
            through_seq (int):
            through_hash (str): Hex SHA-256 of entry `through_seq` (the chain head)
    """

    from_seq: int | None
    through_seq: int
    through_hash: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_seq: int | None
        from_seq = self.from_seq

        through_seq = self.through_seq

        through_hash = self.through_hash

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from_seq": from_seq,
                "through_seq": through_seq,
                "through_hash": through_hash,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_from_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        from_seq = _parse_from_seq(d.pop("from_seq"))

        through_seq = d.pop("through_seq")

        through_hash = d.pop("through_hash")

        audit_range = cls(
            from_seq=from_seq,
            through_seq=through_seq,
            through_hash=through_hash,
        )

        audit_range.additional_properties = d
        return audit_range

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
