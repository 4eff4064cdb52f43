from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tender_amounts import TenderAmounts


T = TypeVar("T", bound="RefundTotals")


@_attrs_define
class RefundTotals:
    """
    Attributes:
        count (int):
        amount_minor (int):
        tax_minor (int):
        by_tender (TenderAmounts):
    """

    count: int
    amount_minor: int
    tax_minor: int
    by_tender: TenderAmounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        amount_minor = self.amount_minor

        tax_minor = self.tax_minor

        by_tender = self.by_tender.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "amount_minor": amount_minor,
                "tax_minor": tax_minor,
                "by_tender": by_tender,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tender_amounts import TenderAmounts

        d = dict(src_dict)
        count = d.pop("count")

        amount_minor = d.pop("amount_minor")

        tax_minor = d.pop("tax_minor")

        by_tender = TenderAmounts.from_dict(d.pop("by_tender"))

        refund_totals = cls(
            count=count,
            amount_minor=amount_minor,
            tax_minor=tax_minor,
            by_tender=by_tender,
        )

        refund_totals.additional_properties = d
        return refund_totals

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
