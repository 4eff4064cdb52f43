from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tax_rate_total import TaxRateTotal


T = TypeVar("T", bound="VatRate")


@_attrs_define
class VatRate:
    """
    Attributes:
        rate (str):
        sales (TaxRateTotal):
        refunds (TaxRateTotal):
        net_minor (int): sales net - refunds net
        tax_minor (int): sales tax - refunds tax
    """

    rate: str
    sales: TaxRateTotal
    refunds: TaxRateTotal
    net_minor: int
    tax_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rate = self.rate

        sales = self.sales.to_dict()

        refunds = self.refunds.to_dict()

        net_minor = self.net_minor

        tax_minor = self.tax_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rate": rate,
                "sales": sales,
                "refunds": refunds,
                "net_minor": net_minor,
                "tax_minor": tax_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tax_rate_total import TaxRateTotal

        d = dict(src_dict)
        rate = d.pop("rate")

        sales = TaxRateTotal.from_dict(d.pop("sales"))

        refunds = TaxRateTotal.from_dict(d.pop("refunds"))

        net_minor = d.pop("net_minor")

        tax_minor = d.pop("tax_minor")

        vat_rate = cls(
            rate=rate,
            sales=sales,
            refunds=refunds,
            net_minor=net_minor,
            tax_minor=tax_minor,
        )

        vat_rate.additional_properties = d
        return vat_rate

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
