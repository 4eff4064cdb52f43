from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TaxSettings")


@_attrs_define
class TaxSettings:
    """
    Attributes:
        currency (str): ISO 4217; fixed when the business was provisioned
        prices_include_tax (bool): Menu prices include tax (AU and EU consumer prices do) or tax is added
        cash_rounding_minor (int): Cash totals round to this step, as an explicit rounding adjustment (5 for AUD: no 1c
            or 2c coins)
        version (int):
    """

    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        prices_include_tax = self.prices_include_tax

        cash_rounding_minor = self.cash_rounding_minor

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "prices_include_tax": prices_include_tax,
                "cash_rounding_minor": cash_rounding_minor,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        currency = d.pop("currency")

        prices_include_tax = d.pop("prices_include_tax")

        cash_rounding_minor = d.pop("cash_rounding_minor")

        version = d.pop("version")

        tax_settings = cls(
            currency=currency,
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
            version=version,
        )

        tax_settings.additional_properties = d
        return tax_settings

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
