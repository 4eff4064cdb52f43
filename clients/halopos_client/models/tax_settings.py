from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tax_settings_tax_basis import TaxSettingsTaxBasis

T = TypeVar("T", bound="TaxSettings")


@_attrs_define
class TaxSettings:
    """
    Attributes:
        currency (str): ISO 4217; fixed when the business was provisioned
        prices_include_tax (bool): Menu prices include tax (AU and EU consumer prices do) or tax is added
        cash_rounding_minor (int): Cash totals round to this step, as an explicit rounding adjustment (5 for AUD: no 1c
            or 2c coins)
        tax_basis (TaxSettingsTaxBasis): When GST or VAT falls due, which decides the tax period a sale is reported in
            (docs/reports.md, Tax periods): `accrual` (AU accrual basis: the whole sale on the earlier of the invoice and
            the first payment; DE Soll-Versteuerung: the supply's period, a part paid before it where it was paid); `cash`
            (AU cash basis; DE Ist-Versteuerung): as each payment is received
        tax_id (None | str): The business's tax number as its BAS or UStVA prints it: an ABN in Australia ("51 824 753
            556"), a USt-IdNr. ("DE136695976") or Steuernummer ("21/815/08150") in Germany; checked, and written back in its
            usual form; null until the owner gives it
        version (int):
    """

    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    tax_basis: TaxSettingsTaxBasis
    tax_id: None | str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        prices_include_tax = self.prices_include_tax

        cash_rounding_minor = self.cash_rounding_minor

        tax_basis = self.tax_basis.value

        tax_id: None | str
        tax_id = self.tax_id

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "prices_include_tax": prices_include_tax,
                "cash_rounding_minor": cash_rounding_minor,
                "tax_basis": tax_basis,
                "tax_id": tax_id,
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

        tax_basis = TaxSettingsTaxBasis(d.pop("tax_basis"))

        def _parse_tax_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_id = _parse_tax_id(d.pop("tax_id"))

        version = d.pop("version")

        tax_settings = cls(
            currency=currency,
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
            tax_basis=tax_basis,
            tax_id=tax_id,
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
