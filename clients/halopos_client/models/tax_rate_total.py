from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaxRateTotal")


@_attrs_define
class TaxRateTotal:
    """
    Attributes:
        rate (str): Percent, e.g. 10.000
        net_minor (int):
        tax_minor (int):
        gross_minor (int):
    """

    rate: str
    net_minor: int
    tax_minor: int
    gross_minor: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rate = self.rate

        net_minor = self.net_minor

        tax_minor = self.tax_minor

        gross_minor = self.gross_minor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rate": rate,
                "net_minor": net_minor,
                "tax_minor": tax_minor,
                "gross_minor": gross_minor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        rate = d.pop("rate")

        net_minor = d.pop("net_minor")

        tax_minor = d.pop("tax_minor")

        gross_minor = d.pop("gross_minor")

        tax_rate_total = cls(
            rate=rate,
            net_minor=net_minor,
            tax_minor=tax_minor,
            gross_minor=gross_minor,
        )

        tax_rate_total.additional_properties = d
        return tax_rate_total

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
