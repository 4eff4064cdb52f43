from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.tax_settings_update_cash_rounding_minor import (
    TaxSettingsUpdateCashRoundingMinor,
)
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
    """

    version: int
    prices_include_tax: bool | Unset = UNSET
    cash_rounding_minor: TaxSettingsUpdateCashRoundingMinor | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        prices_include_tax = self.prices_include_tax

        cash_rounding_minor: int | Unset = UNSET
        if not isinstance(self.cash_rounding_minor, Unset):
            cash_rounding_minor = self.cash_rounding_minor.value

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

        tax_settings_update = cls(
            version=version,
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
        )

        return tax_settings_update
