from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.cash_movement_create_kind import CashMovementCreateKind

T = TypeVar("T", bound="CashMovementCreate")


@_attrs_define
class CashMovementCreate:
    """
    Attributes:
        kind (CashMovementCreateKind): paid_in: cash put into the drawer (more change); paid_out: cash taken out (a
            delivery paid from the till)
        amount_minor (int):
        reason (str): Why; on the X and Z reports
    """

    kind: CashMovementCreateKind
    amount_minor: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        amount_minor = self.amount_minor

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "amount_minor": amount_minor,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = CashMovementCreateKind(d.pop("kind"))

        amount_minor = d.pop("amount_minor")

        reason = d.pop("reason")

        cash_movement_create = cls(
            kind=kind,
            amount_minor=amount_minor,
            reason=reason,
        )

        return cash_movement_create
