from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.refund_issued_tender_tender import RefundIssuedTenderTender

T = TypeVar("T", bound="RefundIssuedTender")


@_attrs_define
class RefundIssuedTender:
    """Money given back through one tender.

    Attributes:
        tender (RefundIssuedTenderTender):
        amount_minor (int):
    """

    tender: RefundIssuedTenderTender
    amount_minor: int

    def to_dict(self) -> dict[str, Any]:
        tender = self.tender.value

        amount_minor = self.amount_minor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tender": tender,
                "amount_minor": amount_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tender = RefundIssuedTenderTender(d.pop("tender"))

        amount_minor = d.pop("amount_minor")

        refund_issued_tender = cls(
            tender=tender,
            amount_minor=amount_minor,
        )

        return refund_issued_tender
