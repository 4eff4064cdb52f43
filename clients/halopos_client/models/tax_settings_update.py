from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tax_settings_update_cash_rounding_minor import (
    TaxSettingsUpdateCashRoundingMinor,
)
from ..models.tax_settings_update_tax_basis import TaxSettingsUpdateTaxBasis
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaxSettingsUpdate")


@_attrs_define
class TaxSettingsUpdate:
    """
    Attributes:
        version (int): The version you are changing (as read). The document requires it; a client that sends `If-Match:
            "<version>"` instead may leave it out (both sent must agree)
        prices_include_tax (bool | Unset):
        cash_rounding_minor (TaxSettingsUpdateCashRoundingMinor | Unset):
        tax_basis (TaxSettingsUpdateTaxBasis | Unset): When GST or VAT falls due, which decides the tax period a sale is
            reported in (docs/reports.md, Tax periods): `accrual` (AU accrual basis: the whole sale on the earlier of the
            invoice and the first payment; DE Soll-Versteuerung: the supply's period, a part paid before it where it was
            paid); `cash` (AU cash basis; DE Ist-Versteuerung): as each payment is received
        tax_id (None | str | Unset): The business's tax number as its BAS or UStVA prints it: an ABN in Australia ("51
            824 753 556"), a USt-IdNr. ("DE136695976") or Steuernummer ("21/815/08150") in Germany; checked, and written
            back in its usual form; null removes it
    """

    version: int
    prices_include_tax: bool | Unset = UNSET
    cash_rounding_minor: TaxSettingsUpdateCashRoundingMinor | Unset = UNSET
    tax_basis: TaxSettingsUpdateTaxBasis | Unset = UNSET
    tax_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        prices_include_tax = self.prices_include_tax

        cash_rounding_minor: int | Unset = UNSET
        if not isinstance(self.cash_rounding_minor, Unset):
            cash_rounding_minor = self.cash_rounding_minor.value

        tax_basis: str | Unset = UNSET
        if not isinstance(self.tax_basis, Unset):
            tax_basis = self.tax_basis.value

        tax_id: None | str | Unset
        if isinstance(self.tax_id, Unset):
            tax_id = UNSET
        else:
            tax_id = self.tax_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
            }
        )
        if prices_include_tax is not UNSET:
            field_dict["prices_include_tax"] = prices_include_tax
        if cash_rounding_minor is not UNSET:
            field_dict["cash_rounding_minor"] = cash_rounding_minor
        if tax_basis is not UNSET:
            field_dict["tax_basis"] = tax_basis
        if tax_id is not UNSET:
            field_dict["tax_id"] = tax_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        prices_include_tax = d.pop("prices_include_tax", UNSET)

        _cash_rounding_minor = d.pop("cash_rounding_minor", UNSET)
        cash_rounding_minor: TaxSettingsUpdateCashRoundingMinor | Unset
        if isinstance(_cash_rounding_minor, Unset):
            cash_rounding_minor = UNSET
        else:
            cash_rounding_minor = TaxSettingsUpdateCashRoundingMinor(
                _cash_rounding_minor
            )

        _tax_basis = d.pop("tax_basis", UNSET)
        tax_basis: TaxSettingsUpdateTaxBasis | Unset
        if isinstance(_tax_basis, Unset):
            tax_basis = UNSET
        else:
            tax_basis = TaxSettingsUpdateTaxBasis(_tax_basis)

        def _parse_tax_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tax_id = _parse_tax_id(d.pop("tax_id", UNSET))

        tax_settings_update = cls(
            version=version,
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
            tax_basis=tax_basis,
            tax_id=tax_id,
        )

        return tax_settings_update
