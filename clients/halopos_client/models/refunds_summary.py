from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tax_rate_total import TaxRateTotal


T = TypeVar("T", bound="RefundsSummary")


@_attrs_define
class RefundsSummary:
    """
    Attributes:
        count (int):
        amount_minor (int): Given back, tax included
        tax_minor (int):
        tax (list[TaxRateTotal]): Refunded per rate, highest first
    """

    count: int
    amount_minor: int
    tax_minor: int
    tax: list[TaxRateTotal]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        amount_minor = self.amount_minor

        tax_minor = self.tax_minor

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "amount_minor": amount_minor,
                "tax_minor": tax_minor,
                "tax": tax,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tax_rate_total import TaxRateTotal

        d = dict(src_dict)
        count = d.pop("count")

        amount_minor = d.pop("amount_minor")

        tax_minor = d.pop("tax_minor")

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxRateTotal.from_dict(tax_item_data)

            tax.append(tax_item)

        refunds_summary = cls(
            count=count,
            amount_minor=amount_minor,
            tax_minor=tax_minor,
            tax=tax,
        )

        refunds_summary.additional_properties = d
        return refunds_summary

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
