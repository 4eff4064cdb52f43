from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tax_settings_update_cash_rounding_minor_type_0 import (
    TaxSettingsUpdateCashRoundingMinorType0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TaxSettingsUpdate")


@_attrs_define
class TaxSettingsUpdate:
    """
    Attributes:
        prices_include_tax (bool | None | Unset):
        cash_rounding_minor (None | TaxSettingsUpdateCashRoundingMinorType0 | Unset):
        version (int | None | Unset): The version you read (or send If-Match)
    """

    prices_include_tax: bool | None | Unset = UNSET
    cash_rounding_minor: None | TaxSettingsUpdateCashRoundingMinorType0 | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prices_include_tax: bool | None | Unset
        if isinstance(self.prices_include_tax, Unset):
            prices_include_tax = UNSET
        else:
            prices_include_tax = self.prices_include_tax

        cash_rounding_minor: int | None | Unset
        if isinstance(self.cash_rounding_minor, Unset):
            cash_rounding_minor = UNSET
        elif isinstance(
            self.cash_rounding_minor, TaxSettingsUpdateCashRoundingMinorType0
        ):
            cash_rounding_minor = self.cash_rounding_minor.value
        else:
            cash_rounding_minor = self.cash_rounding_minor

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if prices_include_tax is not UNSET:
            field_dict["prices_include_tax"] = prices_include_tax
        if cash_rounding_minor is not UNSET:
            field_dict["cash_rounding_minor"] = cash_rounding_minor
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_prices_include_tax(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        prices_include_tax = _parse_prices_include_tax(
            d.pop("prices_include_tax", UNSET)
        )

        def _parse_cash_rounding_minor(
            data: object,
        ) -> None | TaxSettingsUpdateCashRoundingMinorType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                cash_rounding_minor_type_0 = TaxSettingsUpdateCashRoundingMinorType0(
                    data
                )

                return cash_rounding_minor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaxSettingsUpdateCashRoundingMinorType0 | Unset, data)

        cash_rounding_minor = _parse_cash_rounding_minor(
            d.pop("cash_rounding_minor", UNSET)
        )

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        tax_settings_update = cls(
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
            version=version,
        )

        return tax_settings_update
