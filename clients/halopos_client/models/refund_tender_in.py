from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="RefundTenderIn")


@_attrs_define
class RefundTenderIn:
    """
    Attributes:
        payment_id (UUID):
        amount_minor (int):
    """

    payment_id: UUID
    amount_minor: int

    def to_dict(self) -> dict[str, Any]:
        payment_id = str(self.payment_id)

        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "payment_id": payment_id,
                "amount_minor": amount_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        payment_id = UUID(d.pop("payment_id"))

        amount_minor = d.pop("amount_minor")

        refund_tender_in = cls(
            payment_id=payment_id,
            amount_minor=amount_minor,
        )

        return refund_tender_in
