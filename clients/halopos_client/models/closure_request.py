from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.closure_request_kind import ClosureRequestKind

T = TypeVar("T", bound="ClosureRequest")


@_attrs_define
class ClosureRequest:
    """
    Attributes:
        location_id (UUID):
        kind (ClosureRequestKind):
        period (str): 2026-11-21 (day), 2026-11 (month) or 2026 (year)
    """

    location_id: UUID
    kind: ClosureRequestKind
    period: str

    def to_dict(self) -> dict[str, Any]:
        location_id = str(self.location_id)

        kind = self.kind.value

        period = self.period

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "location_id": location_id,
                "kind": kind,
                "period": period,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        location_id = UUID(d.pop("location_id"))

        kind = ClosureRequestKind(d.pop("kind"))

        period = d.pop("period")

        closure_request = cls(
            location_id=location_id,
            kind=kind,
            period=period,
        )

        return closure_request
