from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.till_category import TillCategory


T = TypeVar("T", bound="TillMenu")


@_attrs_define
class TillMenu:
    """
    Attributes:
        currency (str):
        prices_include_tax (bool):
        cash_rounding_minor (int): Cash is paid to a multiple of this (5 for AUD: no 1c or 2c coins)
        catalog_version (int): Changes with every edit of the menu (a price scheduled for later takes effect without
            one)
        location_id (None | UUID): Whose venue prices apply (the session's)
        categories (list[TillCategory]):
    """

    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    catalog_version: int
    location_id: None | UUID
    categories: list[TillCategory]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        prices_include_tax = self.prices_include_tax

        cash_rounding_minor = self.cash_rounding_minor

        catalog_version = self.catalog_version

        location_id: None | str
        if isinstance(self.location_id, UUID):
            location_id = str(self.location_id)
        else:
            location_id = self.location_id

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "prices_include_tax": prices_include_tax,
                "cash_rounding_minor": cash_rounding_minor,
                "catalog_version": catalog_version,
                "location_id": location_id,
                "categories": categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.till_category import TillCategory

        d = dict(src_dict)
        currency = d.pop("currency")

        prices_include_tax = d.pop("prices_include_tax")

        cash_rounding_minor = d.pop("cash_rounding_minor")

        catalog_version = d.pop("catalog_version")

        def _parse_location_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                location_id_type_0 = UUID(data)

                return location_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        location_id = _parse_location_id(d.pop("location_id"))

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = TillCategory.from_dict(categories_item_data)

            categories.append(categories_item)

        till_menu = cls(
            currency=currency,
            prices_include_tax=prices_include_tax,
            cash_rounding_minor=cash_rounding_minor,
            catalog_version=catalog_version,
            location_id=location_id,
            categories=categories,
        )

        till_menu.additional_properties = d
        return till_menu

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
